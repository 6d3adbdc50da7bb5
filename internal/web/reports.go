package web

import (
	"fenghuo/internal/app/incident"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/plan"
	"fenghuo/internal/store"
	"net/http"
	"sort"
	"strconv"
	"time"
)

type reportFormData struct {
	Incident *fenghuo.Incident
	Kind     string
	Fields   []plan.FormField
	Input    incident.ReportInput
	// Competent are the departments to choose the unit's competent
	// department from, when the platform cannot tell (else empty).
	Competent []fenghuo.Org
	// Clocks are the unit's open reporting duties this report meets, shown
	// as countdowns on the form.
	Clocks []fenghuo.Obligation
}

func (h *Handler) reportForm(w http.ResponseWriter, r *http.Request, status int, in incident.ReportInput, err error) {
	ac := actor(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	inc, ierr := h.app.Incidents.Incident(r.Context(), ac, id)
	if ierr != nil {
		h.fail(w, r, ac, ierr)
		return
	}
	fields, _ := h.app.Incidents.ReportForm(r.Context(), ac, id)
	competent, _ := h.app.Incidents.CompetentChoices(r.Context(), ac, id)
	if in.Kind == "" {
		in.Kind = fenghuo.ReportInitial
		if !inc.ReportedAt.IsZero() {
			in.Kind = fenghuo.ReportFollowUp
		}
	}
	if in.Content == nil {
		in.Content = map[string]string{}
	}
	var clocks []fenghuo.Obligation
	if obs, err := h.app.Incidents.IncidentObligations(r.Context(), ac, id); err == nil {
		for _, o := range obs {
			if o.OwnerOrgID == inc.OrgID && o.Kind == "report" && o.State == fenghuo.ObligationOpen {
				clocks = append(clocks, o)
			}
		}
		sort.SliceStable(clocks, func(i, j int) bool { return dueBefore(clocks[i], clocks[j]) })
	}
	v := &view{Actor: ac, Title: "report.title", Nav: "incidents", Data: reportFormData{Incident: inc, Kind: in.Kind, Fields: fields, Input: in,
		Competent: competent, Clocks: clocks}}
	if err != nil {
		v.Errors, v.Error = fieldErrors(err)
	}
	h.render(w, r, status, "report_form", v)
}

// dueBefore orders duties with a due time first, nearest first.
func dueBefore(a, b fenghuo.Obligation) bool {
	switch {
	case a.DueAt.IsZero() != b.DueAt.IsZero():
		return !a.DueAt.IsZero()
	}
	return a.DueAt.Before(b.DueAt)
}

func (h *Handler) newReport(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	in := incident.ReportInput{Kind: r.URL.Query().Get("kind"), ReporterName: ac.User.DisplayName, ReporterPhone: ac.User.Mobile}
	// What intake (or the last report) already says, so nothing is typed twice.
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	in.Content, _ = h.app.Incidents.ReportPrefill(r.Context(), ac, id)
	h.reportForm(w, r, http.StatusOK, in, nil)
}

func (h *Handler) submitReport(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	r.ParseForm()
	in := incident.ReportInput{Kind: r.FormValue("kind"), Signer: r.FormValue("signer"), ReporterName: r.FormValue("reporter_name"),
		ReporterPhone: r.FormValue("reporter_phone"), Content: map[string]string{}, CompetentDepartmentID: formInt(r, "competent_department_id")}
	for k, v := range r.PostForm {
		if len(k) > 8 && k[:8] == "content." && len(v) > 0 {
			in.Content[k[8:]] = v[0]
		}
	}
	rep, err := h.app.Incidents.SubmitReport(r.Context(), ac, id, in)
	if err != nil {
		if code := fenghuo.ErrorCode(err); code == fenghuo.ENOTFOUND || code == fenghuo.EFORBIDDEN {
			h.fail(w, r, ac, err)
			return
		}
		h.reportForm(w, r, http.StatusBadRequest, in, err)
		return
	}
	// The reports tab then says where it went (sentFlash).
	http.Redirect(w, r, "/incidents/"+strconv.FormatInt(id, 10)+"/reports?sent="+strconv.FormatInt(rep.ID, 10), http.StatusSeeOther)
}

type inboxRow struct {
	Delivery store.Delivery
	Incident *fenghuo.Incident
	Due      []fenghuo.Obligation
	// Kind is the report's kind (初报, 续报, 终报).
	Kind string
	// Onward are this office's own open duties to report the incident
	// further up (its clock, not the sender's).
	Onward []fenghuo.Obligation
	// Forwarded lists where this office already sent the report on: the
	// row then offers no second forward.
	Forwarded []store.Delivery
	// Note and Error are the typed note and the message of a forward that
	// failed, shown again on this row.
	Note, Error string
}

// inbox lists the reports delivered to the actor's office: acknowledge,
// then forward up the chain.
func (h *Handler) inbox(w http.ResponseWriter, r *http.Request) {
	h.inboxPage(w, r, http.StatusOK, 0, "", nil)
}

// inboxPage renders the inbox; a failed forward of delivery failed is
// shown on its row in words, with the note the officer typed.
func (h *Handler) inboxPage(w http.ResponseWriter, r *http.Request, status int, failed int64, note string, ferr error) {
	ac := actor(r)
	p, n := readPage(r)
	res, err := h.app.Incidents.Inbox(r.Context(), ac, p)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	var rows []inboxRow
	for _, d := range res.Items {
		inc, err := h.app.Incidents.Incident(r.Context(), ac, d.IncidentID)
		if err != nil {
			continue
		}
		row := inboxRow{Delivery: d, Incident: inc}
		obs, _ := h.app.Incidents.IncidentObligations(r.Context(), ac, d.IncidentID)
		// The statutory clock of the report this office receives, and the
		// office's own onward duties.
		for _, o := range obs {
			switch {
			case o.OwnerOrgID == ac.Org.ID && o.State == fenghuo.ObligationOpen && (o.Kind == "forward" || o.Kind == "report"):
				row.Onward = append(row.Onward, o)
			case o.RecipientOrgID == ac.Org.ID:
				row.Due = append(row.Due, o)
			}
		}
		if reps, ds, err := h.app.Incidents.Reports(r.Context(), ac, d.IncidentID); err == nil {
			for _, rep := range reps {
				if rep.ID == d.ReportID {
					row.Kind = rep.Kind
				}
			}
			// Sent on from this row, or the same report sent up by this
			// office another way (the forward duty's own page).
			for _, x := range ds {
				if x.ForwardedFrom == d.ID || (x.ID != d.ID && x.ReportID == d.ReportID && x.FromOrgID == ac.Org.ID) {
					row.Forwarded = append(row.Forwarded, x)
				}
			}
			if len(row.Forwarded) > 0 {
				row.Onward = nil // done: the sent line says where and when
			}
		}
		if d.ID == failed {
			_, row.Error = fieldErrors(ferr)
			row.Note = note
		}
		rows = append(rows, row)
	}
	names := h.orgNames(r)
	need := func(id int64) {
		if _, ok := names[id]; !ok {
			if o, err := h.app.Core.DB().Org(r.Context(), id); err == nil {
				names[id] = o.Name
			}
		}
	}
	for _, row := range rows {
		need(row.Delivery.FromOrgID)
		for _, f := range row.Forwarded {
			need(f.ToOrgID)
		}
	}
	parents := []fenghuo.Org{}
	if anc, err := h.app.Core.DB().OrgAncestors(r.Context(), ac.Org.ID); err == nil {
		for _, o := range anc {
			if o.ID != ac.Org.ID {
				parents = append(parents, o)
			}
		}
	}
	h.render(w, r, status, "inbox", &view{Actor: ac, Title: "inbox.title", Nav: "inbox",
		Data: map[string]any{"Rows": rows, "Orgs": names, "Parents": parents, "Pager": newPager(r, n, res.Total)}})
}

func (h *Handler) inboxAction(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	r.ParseForm()
	var err error
	switch r.PathValue("action") {
	case "receive":
		err = h.app.Incidents.ReceiveReport(r.Context(), ac, id)
	case "forward":
		_, err = h.app.Incidents.ForwardReport(r.Context(), ac, id, formInt(r, "to_org_id"), r.FormValue("note"))
		if err != nil && !accessError(err) {
			// In words on the row, with the note kept.
			h.inboxPage(w, r, http.StatusBadRequest, id, r.FormValue("note"), err)
			return
		}
	default:
		http.NotFound(w, r)
		return
	}
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	http.Redirect(w, r, "/inbox", http.StatusSeeOther)
}

func (h *Handler) completeObligation(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	r.ParseForm()
	if err := h.app.Incidents.CompleteObligation(r.Context(), ac, id, r.FormValue("note")); err != nil {
		h.fail(w, r, ac, err)
		return
	}
	back := safeNext(r.FormValue("back"))
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// reporting shows the per-unit reporting record: on time, late (迟报),
// overdue, missed (漏报).
func (h *Handler) reporting(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	if r.URL.Query().Get("format") == "xlsx" {
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		w.Header().Set("Content-Disposition", `attachment; filename="reporting-record.xlsx"`)
		if err := h.app.Incidents.ReportingRecordXLSX(r.Context(), ac, requestLang(r, ac.User.Locale), w); err != nil {
			h.log.Error("export reporting record", "err", err)
		}
		return
	}
	recs, err := h.app.Incidents.ReportingRecords(r.Context(), ac)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	// signals: late, missed and suspected concealment over the chosen period.
	q := r.URL.Query()
	data := map[string]any{"Records": recs, "From": q.Get("from"), "To": q.Get("to")}
	status := http.StatusOK
	v := &view{Actor: ac, Title: "reporting.title", Nav: "incidents", Data: data}
	from, to, err := incident.SignalsWindow(q.Get("from"), q.Get("to"), h.app.Core.Now())
	if err == nil {
		data["From"], data["To"] = from.Format(time.DateOnly), to.AddDate(0, 0, -1).Format(time.DateOnly)
		data["Signals"], err = h.app.Incidents.ReportingSignals(r.Context(), ac, from, to)
	}
	if err != nil {
		if accessError(err) {
			h.fail(w, r, ac, err)
			return
		}
		status = http.StatusBadRequest
		v.Errors, v.Error = fieldErrors(err)
	}
	h.render(w, r, status, "reporting", v)
}
