package web

import (
	"fenghuo/internal/app/incident"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/plan"
	"fenghuo/internal/store"
	"net/http"
	"strconv"
)

type reportFormData struct {
	Incident *fenghuo.Incident
	Kind     string
	Fields   []plan.FormField
	Input    incident.ReportInput
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
	if in.Kind == "" {
		in.Kind = fenghuo.ReportInitial
		if !inc.ReportedAt.IsZero() {
			in.Kind = fenghuo.ReportFollowUp
		}
	}
	if in.Content == nil {
		in.Content = map[string]string{}
	}
	v := &view{Actor: ac, Title: "report.title", Nav: "incidents", Data: reportFormData{Incident: inc, Kind: in.Kind, Fields: fields, Input: in}}
	if err != nil {
		v.Errors, v.Error = fieldErrors(err)
	}
	h.render(w, r, status, "report_form", v)
}

func (h *Handler) newReport(w http.ResponseWriter, r *http.Request) {
	h.reportForm(w, r, http.StatusOK, incident.ReportInput{Kind: r.URL.Query().Get("kind"), ReporterName: actor(r).User.DisplayName, ReporterPhone: actor(r).User.Mobile}, nil)
}

func (h *Handler) submitReport(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	r.ParseForm()
	in := incident.ReportInput{Kind: r.FormValue("kind"), Signer: r.FormValue("signer"), ReporterName: r.FormValue("reporter_name"),
		ReporterPhone: r.FormValue("reporter_phone"), Content: map[string]string{}}
	for k, v := range r.PostForm {
		if len(k) > 8 && k[:8] == "content." && len(v) > 0 {
			in.Content[k[8:]] = v[0]
		}
	}
	if _, err := h.app.Incidents.SubmitReport(r.Context(), ac, id, in); err != nil {
		if code := fenghuo.ErrorCode(err); code == fenghuo.ENOTFOUND || code == fenghuo.EFORBIDDEN {
			h.fail(w, r, ac, err)
			return
		}
		h.reportForm(w, r, http.StatusBadRequest, in, err)
		return
	}
	http.Redirect(w, r, "/incidents/"+strconv.FormatInt(id, 10)+"/reports", http.StatusSeeOther)
}

type inboxRow struct {
	Delivery store.Delivery
	Incident *fenghuo.Incident
	Due      []fenghuo.Obligation
}

// inbox lists the reports delivered to the actor's office: acknowledge,
// then forward up the chain.
func (h *Handler) inbox(w http.ResponseWriter, r *http.Request) {
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
			if o.RecipientOrgID == ac.Org.ID || (o.OwnerOrgID == ac.Org.ID && o.State == fenghuo.ObligationOpen) {
				row.Due = append(row.Due, o)
			}
		}
		rows = append(rows, row)
	}
	names := h.orgNames(r)
	for _, d := range res.Items {
		if _, ok := names[d.FromOrgID]; !ok {
			if o, err := h.app.Core.DB().Org(r.Context(), d.FromOrgID); err == nil {
				names[d.FromOrgID] = o.Name
			}
		}
	}
	parents := []fenghuo.Org{}
	if anc, err := h.app.Core.DB().OrgAncestors(r.Context(), ac.Org.ID); err == nil {
		parents = anc
	}
	h.render(w, r, http.StatusOK, "inbox", &view{Actor: ac, Title: "inbox.title", Nav: "inbox",
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
	h.render(w, r, http.StatusOK, "reporting", &view{Actor: ac, Title: "reporting.title", Nav: "incidents", Data: recs})
}
