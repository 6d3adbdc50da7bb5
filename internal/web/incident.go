package web

import (
	"fenghuo/internal/app"
	"fenghuo/internal/app/incident"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/plan"
	"fenghuo/internal/store"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
)

// incidentData is what the incident's tab pages receive; each tab loads
// only what it shows.
type incidentData struct {
	Header   *incidentHeader
	Incident *fenghuo.Incident
	// Own is true when the incident's unit is in the actor's subtree (the
	// unit and its offices file reports, evidence and facts).
	Own bool
	// Primary names the tab's one primary action for this actor (see
	// primaryAction); the template styles that action as the primary one.
	Primary string

	// Facts tab.
	Grading     []incident.PlanGrading
	Obligations []fenghuo.Obligation
	// MayComplete says which open obligations the actor may mark done:
	// the core's rule (incident.write at the obligation's owner).
	MayComplete map[int64]bool
	History     []store.GradeRecord
	Facts       []factField
	// Systems are the incident's systems the actor may read, by name.
	Systems []*fenghuo.System
	Next    []fenghuo.IncidentStatus
	// InForce is the stored version of each grading plan in force now (0:
	// the built-in text), to say when the incident was graded under another
	// (plans edited in the product).
	InForce map[string]int
	// Reports tab.
	Reports    []fenghuo.Report
	Deliveries []store.Delivery
	// Receivable are the deliveries to the actor's office not yet
	// acknowledged (签收).
	Receivable []store.Delivery
	// Signatures are the deliveries' SM2 signatures, checked (issue 15 item 1).
	Signatures map[int64]app.RecordCheck
	Orgs       map[int64]string
	// Timeline tab.
	Timeline []store.TimelineEntry
	Broken   int
	NoteText string // kept after a failed note
	// Evidence tab.
	Evidence []store.Evidence
	Note     string // kept after a failed upload
	// Typed is what the actor posted when an action failed, so that the
	// form shows it again (nil otherwise).
	Typed url.Values
}

// incidentPages maps a tab to its page template.
var incidentPages = map[string]string{
	tabFacts:    "incident",
	tabReports:  "incident_reports",
	tabTimeline: "incident_timeline",
	tabEvidence: "incident_evidence",
}

func (h *Handler) incidentPage(w http.ResponseWriter, r *http.Request) {
	h.renderIncident(w, r, http.StatusOK, tabFacts, nil)
}

func (h *Handler) incidentReportsPage(w http.ResponseWriter, r *http.Request) {
	h.renderIncident(w, r, http.StatusOK, tabReports, nil)
}

func (h *Handler) incidentTimelinePage(w http.ResponseWriter, r *http.Request) {
	h.renderIncident(w, r, http.StatusOK, tabTimeline, nil)
}

func (h *Handler) incidentEvidencePage(w http.ResponseWriter, r *http.Request) {
	h.renderIncident(w, r, http.StatusOK, tabEvidence, nil)
}

// renderIncident shows one tab of the incident page, with the error of a
// failed action next to its field.
func (h *Handler) renderIncident(w http.ResponseWriter, r *http.Request, status int, tab string, actionErr error) {
	ac := actor(r)
	ctx := r.Context()
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	hd, err := h.incidentHeader(ctx, ac, id, tab)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	inc := hd.Incident
	d := incidentData{Header: hd, Incident: inc}
	d.Own = fenghuo.InSubtree(ac.Org.Path, orgPathOf(h, r, inc.OrgID))
	switch tab {
	case tabFacts:
		d.Grading = incident.ParseGrading(inc.Grading)
		d.InForce = map[string]int{}
		for _, g := range d.Grading {
			if p, perr := h.app.Core.Plans().Get(g.Plan); perr == nil {
				d.InForce[g.Plan] = p.Revision
			}
		}
		d.Obligations, err = h.app.Incidents.IncidentObligations(ctx, ac, id)
		d.MayComplete = map[int64]bool{}
		for _, o := range d.Obligations {
			if o.State == fenghuo.ObligationOpen {
				d.MayComplete[o.ID] = app.RequireAt(ac, fenghuo.PermIncidentWrite, orgPathOf(h, r, o.OwnerOrgID), "Obligation", o.ID) == nil
			}
		}
		if err == nil {
			d.History, err = h.app.Incidents.GradeHistory(ctx, ac, id)
		}
		only, ferr := h.app.Incidents.IntakeFacts(ctx, ac, inc.OrgID)
		if ferr != nil {
			only = nil // an office above sees the unit; the plans still say which facts count
		}
		d.Facts = factFields(inc.Facts, requestLang(r, ac.User.Locale), only)
		for _, sid := range inc.SystemIDs {
			if sys, serr := h.app.Directory.System(ctx, ac, sid); serr == nil {
				d.Systems = append(d.Systems, sys)
			}
		}
		if actionErr != nil && r.PathValue("action") == "facts" {
			for i := range d.Facts {
				d.Facts[i].Value = r.FormValue("fact." + d.Facts[i].Key)
			}
		}
		d.Next = nextStatuses(inc)
	case tabReports:
		d.Orgs = h.orgNamesAll(r, inc)
		d.Reports, d.Deliveries, err = h.app.Incidents.ViewReportsPage(ctx, ac, id)
		if err == nil {
			d.Signatures, err = h.app.Incidents.DeliverySignatures(ctx, ac, id)
		}
		for _, dl := range d.Deliveries {
			// Acknowledging needs incident.receive (the service's rule).
			if dl.ToOrgID == ac.Org.ID && dl.ReceivedAt.IsZero() && ac.Can(fenghuo.PermIncidentReceive) {
				d.Receivable = append(d.Receivable, dl)
			}
		}
	case tabTimeline:
		d.Timeline, d.Broken, err = h.app.Incidents.Timeline(ctx, ac, id)
		if actionErr != nil {
			d.NoteText = r.FormValue("text")
		}
	case tabEvidence:
		d.Evidence, err = h.app.Incidents.Evidence(ctx, ac, id)
		if actionErr != nil {
			d.Note = r.FormValue("note")
		}
	}
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	if actionErr != nil {
		d.Typed = r.Form
	}
	d.Primary = primaryAction(ac, &d, tab)
	v := &view{Actor: ac, Title: "incident.title", Nav: "incidents", Data: d}
	if tab == tabReports {
		v.Flash = sentFlash(requestLang(r, ac.User.Locale), r.URL.Query().Get("sent"), d.Reports, d.Deliveries, d.Orgs)
	}
	if actionErr != nil {
		v.Errors, v.Error = fieldErrors(actionErr)
	}
	h.render(w, r, status, incidentPages[tab], v)
}

// nextStatuses lists the statuses an officer may move the incident to
// (reported is reached by filing the initial report, not by hand).
func nextStatuses(inc *fenghuo.Incident) []fenghuo.IncidentStatus {
	var next []fenghuo.IncidentStatus
	for _, s := range fenghuo.IncidentStatuses {
		if inc.CanTransition(s, true) == nil || (s == fenghuo.StatusClosed && inc.Status != fenghuo.StatusDraft && inc.Status != fenghuo.StatusResponding) {
			// Responding is set by activating a response level (R1), not here.
			if s != inc.Status && s != fenghuo.StatusReported && s != fenghuo.StatusResponding {
				next = append(next, s)
			}
		}
	}
	return next
}

// Primary actions of the incident tabs (design/console.md rule 3: one per
// page, fitting the role).
const (
	primaryInitial  = "initial"   // file the initial report
	primaryFollowUp = "follow_up" // file a follow-up report
	primaryRegrade  = "regrade"   // update the facts and re-grade
	primaryOverride = "override"  // an office overrides the grade
	primaryReceive  = "receive"   // an office acknowledges a report (签收)
	primaryNote     = "note"      // add a handling note
	primaryUpload   = "upload"    // upload evidence
)

// primaryAction picks the one action a tab leads with for this actor: the
// unit files its reports (the initial one first: its clock runs), keeps
// the facts and the evidence; an office acknowledges what reached it and
// may override the grade; anyone who handles it writes the timeline.
func primaryAction(ac *app.Actor, d *incidentData, tab string) string {
	inc := d.Incident
	if inc.Status == fenghuo.StatusClosed {
		return ""
	}
	unreported := inc.ReportedAt.IsZero()
	// Filing reports, facts and evidence needs incident.write, as the
	// incident service requires; a read-only actor is offered none.
	writes := d.Own && ac.Can(fenghuo.PermIncidentWrite)
	switch tab {
	case tabFacts:
		switch {
		case writes && unreported:
			return primaryInitial
		case writes:
			return primaryRegrade
		case !d.Own && ac.Can(fenghuo.PermIncidentGrade):
			return primaryOverride
		}
	case tabReports:
		switch {
		case len(d.Receivable) > 0:
			return primaryReceive
		case writes && unreported:
			return primaryInitial
		case writes:
			return primaryFollowUp
		}
	case tabTimeline:
		if ac.Can(fenghuo.PermIncidentWrite) || ac.Can(fenghuo.PermIncidentReceive) {
			return primaryNote
		}
	case tabEvidence:
		if writes {
			return primaryUpload
		}
	}
	return ""
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
	tab, next := tabFacts, "/incidents/"+strconv.FormatInt(id, 10)
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
		tab, next = tabTimeline, next+"/timeline"
		err = h.app.Incidents.AddNote(ctx, ac, id, r.FormValue("text"))
	default:
		http.NotFound(w, r)
		return
	}
	h.finishAction(w, r, err, next, func(err error) {
		h.renderIncident(w, r, http.StatusBadRequest, tab, err)
	})
}

func (h *Handler) uploadEvidence(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	r.Body = http.MaxBytesReader(w, r.Body, incident.MaxEvidenceBytes+1<<20)
	f, hdr, err := r.FormFile("file")
	if err != nil {
		h.renderIncident(w, r, http.StatusBadRequest, tabEvidence, fenghuo.FieldErrorf("file", "Choose a file of at most 20 MB. / 请选择不超过20MB的文件。"))
		return
	}
	defer f.Close()
	if _, err := h.app.Incidents.AddEvidence(r.Context(), ac, id, hdr.Filename, f, r.FormValue("note")); err != nil {
		if accessError(err) {
			h.fail(w, r, ac, err)
			return
		}
		h.renderIncident(w, r, http.StatusBadRequest, tabEvidence, err)
		return
	}
	http.Redirect(w, r, "/incidents/"+strconv.FormatInt(id, 10)+"/evidence", http.StatusSeeOther)
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
