package web

import (
	"fenghuo/internal/app/incident"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/plan"
	"fenghuo/internal/store"
	"io"
	"mime"
	"net/http"
	"strconv"
)

type incidentData struct {
	Incident    *fenghuo.Incident
	Unit        string
	Grading     []incident.PlanGrading
	Obligations []fenghuo.Obligation
	Reports     []fenghuo.Report
	Deliveries  []store.Delivery
	Timeline    []store.TimelineEntry
	Broken      int
	History     []store.GradeRecord
	Evidence    []store.Evidence
	Orgs        map[int64]string
	Facts       []factField
	Next        []fenghuo.IncidentStatus
	Own         bool
	Now         int64
	// InForce is the stored version of each grading plan in force now (0:
	// the built-in text), to say when the incident was graded under another.
	InForce map[string]int
}

func (h *Handler) incidentPage(w http.ResponseWriter, r *http.Request) {
	h.renderIncident(w, r, http.StatusOK, "", nil)
}

// renderIncident shows the incident page, with a message after an action
// or the error of a failed one.
func (h *Handler) renderIncident(w http.ResponseWriter, r *http.Request, status int, flash string, actionErr error) {
	ac := actor(r)
	ctx := r.Context()
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	inc, err := h.app.Incidents.Incident(ctx, ac, id)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	d := incidentData{Incident: inc, Grading: incident.ParseGrading(inc.Grading), Orgs: h.orgNamesAll(r, inc), Now: h.app.Core.Now().Unix()}
	d.Unit = d.Orgs[inc.OrgID]
	d.InForce = map[string]int{}
	for _, g := range d.Grading {
		if p, err := h.app.Core.Plans().Get(g.Plan); err == nil {
			d.InForce[g.Plan] = p.Revision
		}
	}
	d.Obligations, _ = h.app.Incidents.IncidentObligations(ctx, ac, id)
	d.Reports, d.Deliveries, _ = h.app.Incidents.Reports(ctx, ac, id)
	d.Timeline, d.Broken, _ = h.app.Incidents.Timeline(ctx, ac, id)
	d.History, _ = h.app.Incidents.GradeHistory(ctx, ac, id)
	d.Evidence, _ = h.app.Core.DB().EvidenceOf(ctx, id)
	d.Facts = factFields(inc.Facts, requestLang(r, ac.User.Locale))
	d.Own = fenghuo.InSubtree(ac.Org.Path, orgPathOf(h, r, inc.OrgID))
	for _, s := range fenghuo.IncidentStatuses {
		if inc.CanTransition(s, true) == nil || (s == fenghuo.StatusClosed && inc.Status != fenghuo.StatusDraft && inc.Status != fenghuo.StatusResponding) {
			if s != inc.Status && s != fenghuo.StatusReported {
				d.Next = append(d.Next, s)
			}
		}
	}
	v := &view{Actor: ac, Title: "incident.title", Nav: "incidents", Data: d, Flash: flash}
	if actionErr != nil {
		v.Errors, v.Error = fieldErrors(actionErr)
	}
	h.render(w, r, status, "incident", v)
}

func orgPathOf(h *Handler, r *http.Request, id int64) string {
	if o, err := h.app.Core.DB().Org(r.Context(), id); err == nil {
		return o.Path
	}
	return ""
}

// orgNamesAll names the orgs of the actor's subtree and those the incident's
// reports went to (an office sees where a report it received came from).
func (h *Handler) orgNamesAll(r *http.Request, inc *fenghuo.Incident) map[int64]string {
	names := h.orgNames(r)
	ds, _ := h.app.Core.DB().Deliveries(r.Context(), inc.ID)
	ids := []int64{inc.OrgID}
	for _, d := range ds {
		ids = append(ids, d.FromOrgID, d.ToOrgID)
	}
	for _, id := range ids {
		if _, ok := names[id]; !ok {
			if o, err := h.app.Core.DB().Org(r.Context(), id); err == nil {
				names[id] = o.Name
			}
		}
	}
	return names
}

func (h *Handler) incidentAction(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	ctx := r.Context()
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	r.ParseForm()
	var err error
	switch r.PathValue("action") {
	case "facts":
		var facts plan.Facts
		if facts, err = factsFromForm(r); err == nil {
			var ids []int64
			for _, s := range r.Form["system_ids"] {
				if sid, perr := strconv.ParseInt(s, 10, 64); perr == nil {
					ids = append(ids, sid)
				}
			}
			inc, gerr := h.app.Incidents.Incident(ctx, ac, id)
			if gerr != nil {
				err = gerr
				break
			}
			if ids == nil {
				ids = inc.SystemIDs
			}
			_, err = h.app.Incidents.UpdateFacts(ctx, ac, id, int(formInt(r, "version")), facts, r.FormValue("category"), ids)
		}
	case "grade":
		_, err = h.app.Incidents.OverrideGrade(ctx, ac, id, fenghuo.Grade(r.FormValue("grade")), r.FormValue("reason"))
	case "status":
		_, err = h.app.Incidents.Transition(ctx, ac, id, fenghuo.IncidentStatus(r.FormValue("status")), r.FormValue("reason"))
	case "note":
		err = h.app.Incidents.AddNote(ctx, ac, id, r.FormValue("text"))
	default:
		http.NotFound(w, r)
		return
	}
	h.finishAction(w, r, err, "/incidents/"+strconv.FormatInt(id, 10), func(err error) {
		h.renderIncident(w, r, http.StatusBadRequest, "", err)
	})
}

func (h *Handler) uploadEvidence(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	r.Body = http.MaxBytesReader(w, r.Body, incident.MaxEvidenceBytes+1<<20)
	f, hdr, err := r.FormFile("file")
	if err != nil {
		h.renderIncident(w, r, http.StatusBadRequest, "", fenghuo.FieldErrorf("file", "Choose a file of at most 20 MB. / 请选择不超过20MB的文件。"))
		return
	}
	defer f.Close()
	if _, err := h.app.Incidents.AddEvidence(r.Context(), ac, id, hdr.Filename, f, r.FormValue("note")); err != nil {
		h.renderIncident(w, r, http.StatusBadRequest, "", err)
		return
	}
	http.Redirect(w, r, "/incidents/"+strconv.FormatInt(id, 10)+"#evidence", http.StatusSeeOther)
}

func (h *Handler) downloadEvidence(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	ev, f, err := h.app.Incidents.OpenEvidence(r.Context(), ac, id)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	defer f.Close()
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": ev.Filename}))
	w.Header().Set("Cache-Control", "no-store")
	io.Copy(w, f)
}

func (h *Handler) reportDocument(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	rid, _ := strconv.ParseInt(r.PathValue("rid"), 10, 64)
	format := r.PathValue("format")
	var buf = new(bytesBuffer)
	name, err := h.app.Incidents.ReportDocument(r.Context(), ac, id, rid, format, buf)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	sendDocument(w, name, format, buf.b)
}

// sendDocument answers with a DOCX or PDF export as an attachment.
func sendDocument(w http.ResponseWriter, name, format string, data []byte) {
	ctype := "application/pdf"
	if format == "docx" {
		ctype = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	w.Write(data)
}

type bytesBuffer struct{ b []byte }

func (b *bytesBuffer) Write(p []byte) (int, error) { b.b = append(b.b, p...); return len(p), nil }
