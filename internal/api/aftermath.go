package api

import (
	"bytes"
	"errors"
	"net/http"
	"time"

	"fenghuo/internal/app/aftermath"
	"fenghuo/internal/fenghuo"
)

// Aftermath (seed 001 §5): documents with versions and approval chains,
// improvement measures, rewards and accountability records.

func (h *Handler) aftermathRoutes() []Route {
	const ok, made = http.StatusOK, http.StatusCreated
	return []Route{
		{"GET", "/api/v1/incidents/{id}/documents", "listIncidentDocuments", "The recovery plan, investigation and summary reports: every version, the approval chain, the deadline and the caller's next action; the improvement measures, the accountability records and the 三不放过 checks", "incident.read, visible (the unit's competent department too)", false, "", "DocumentsOverview", ok, nil, h.listDocuments},
		{"PUT", "/api/v1/incidents/{id}/documents/{kind}", "saveIncidentDocument", "Save the text of a document ({kind}: recovery_plan, investigation, summary): the first version or the draft in place; after a submission every save is a new version (a version still in approval is withdrawn from its chain); an approved one is 409", "incident.write, the unit or an office above it", false, "DocumentSave", "Document", ok, nil, h.saveDocument},
		{"POST", "/api/v1/incidents/{id}/documents/versions/{doc}/submit", "submitIncidentDocument", "Submit a complete draft up its approval chain (an empty section is 400 naming it)", "incident.write, the unit or an office above it", false, "", "Document", ok, nil, h.submitDocument},
		{"POST", "/api/v1/incidents/{id}/documents/versions/{doc}/decision", "decideIncidentDocument", "Decide the waiting step of the chain (unit → competent department → 网信办): approve, or return with a note; the last approval closes the plan's deadline", "the waiting step's org: incident.write for the unit (not the author), incident.receive for an office", false, "DocumentDecision", "Document", ok, nil, h.decideDocument},
		{"GET", "/api/v1/incidents/{id}/documents/versions/{doc}/{format}", "downloadIncidentDocument", "A version in the official layout with its approvals: {format} is docx or pdf (attachment; audited as an export)", "incident.read, visible", false, "", "binary", ok, nil, h.downloadDocument},
		{"POST", "/api/v1/incidents/{id}/improvements", "createImprovement", "Track an improvement measure: an obligation of its owner org, reminded before and escalated after due_at", "incident.write, the unit or an office above it; the owner is the unit, an org under it or the caller's", false, "ImprovementCreate", "Improvement", made, nil, h.createImprovement},
		{"POST", "/api/v1/incidents/{id}/improvements/{mid}/finish", "finishImprovement", "Close a measure as done (on time or late) or cancelled, with a note", "incident.write, the owner org or an office above it", false, "ImprovementFinish", "Improvement", ok, nil, h.finishImprovement},
		{"GET", "/api/v1/improvements", "listMyImprovements", "Open improvement measures the caller's org owns, soonest due first", "incident.read", false, "", "ImprovementList", ok, paging, h.myImprovements},
		{"POST", "/api/v1/incidents/{id}/accountability", "createAccountabilityRecord", "Record a reward or an accountability decision (§5.4)", "incident.receive, an office (not the unit itself), visible", false, "AccountabilityCreate", "AccountabilityRecord", made, nil, h.createRecord},
	}
}

func aftermathSchemas() obj {
	kind := enum("recovery_plan", "investigation", "summary")
	sections := obj{"type": "object", "additionalProperties": str, "description": "Sections by key: recovery_plan situation, goals, measures, safeguards; investigation cause, nature, impact, responsibility, handling_opinion, improvements; summary overview, experience, lessons, suggestions"}
	return obj{
		"DocumentSave": object(obj{"sections": sections}, "sections"),
		"DocumentDecision": object(obj{"decision": enum("approve", "return"), "note": obj{"type": "string",
			"description": "Required to return"}}, "decision"),
		"Document": object(obj{"id": integer, "incident_id": integer, "kind": kind, "version": integer,
			"state": enum("draft", "submitted", "approved", "returned", "withdrawn"), "sections": sections, "author_id": integer,
			"author_org_id": integer, "created_at": when, "updated_at": when, "submitted_at": whenNil, "decided_at": whenNil}),
		"ChainStage": object(obj{"stage": enum("unit", "competent", "cac"), "org_id": integer, "org_name": str,
			"decision": obj{"type": []string{"string", "null"}, "enum": []any{"approve", "return", nil}}, "note": str,
			"user_id": integer, "at": whenNil}),
		"DocumentView": object(obj{"kind": kind, "current": obj{"oneOf": []any{ref("Document"), obj{"type": "null"}}},
			"versions": arrayOf(ref("Document")), "chain": arrayOf(ref("ChainStage")),
			"missing_stages": arrayOf(enum("unit", "competent", "cac")), "next_stage": integer,
			"deadlines": arrayOf(ref("Obligation")), "due_at": whenNil, "rule": str,
			"action": enum("", "draft", "edit", "submit", "approve", "revise", "export")}),
		"Improvement": object(obj{"id": integer, "incident_id": integer, "document_id": integer, "text": str,
			"owner_org_id": integer, "owner_user_id": integer, "due_at": when, "state": enum("open", "done", "cancelled"),
			"obligation_id": integer, "created_by": integer, "created_at": when, "done_by": integer, "done_at": whenNil, "done_note": str}),
		"ImprovementList": listOf("Improvement"),
		"ImprovementCreate": object(obj{"document_id": integer, "text": str, "owner_org_id": integer, "owner_user_id": integer,
			"due_at": when}, "text", "owner_org_id", "due_at"),
		"ImprovementFinish": object(obj{"state": enum("done", "cancelled"), "note": str}, "state", "note"),
		"AccountabilityCreate": object(obj{"kind": enum("reward", "accountability"), "subject": str, "subject_org_id": integer,
			"basis": str, "decision": str}, "kind", "basis", "decision"),
		"AccountabilityRecord": object(obj{"id": integer, "incident_id": integer, "kind": enum("reward", "accountability"),
			"subject": str, "subject_org_id": integer, "basis": str, "decision": str, "decided_org_id": integer,
			"decided_by": integer, "at": when}),
		"Check": object(obj{"key": enum("cause", "risks", "people"), "name": str, "met": boolean, "note": str}),
		"DocumentsOverview": object(obj{"incident_id": integer, "documents": arrayOf(ref("DocumentView")),
			"improvements": arrayOf(ref("Improvement")), "records": arrayOf(ref("AccountabilityRecord")), "checks": arrayOf(ref("Check"))}),
	}
}

type documentJSON struct {
	ID          int64             `json:"id"`
	IncidentID  int64             `json:"incident_id"`
	Kind        string            `json:"kind"`
	Version     int               `json:"version"`
	State       string            `json:"state"`
	Sections    map[string]string `json:"sections"`
	AuthorID    int64             `json:"author_id"`
	AuthorOrgID int64             `json:"author_org_id"`
	CreatedAt   time.Time         `json:"created_at"`
	UpdatedAt   time.Time         `json:"updated_at"`
	SubmittedAt *time.Time        `json:"submitted_at"`
	DecidedAt   *time.Time        `json:"decided_at"`
}

func toDocument(d fenghuo.AftermathDocument) documentJSON {
	s := d.Body
	if s == nil {
		s = map[string]string{}
	}
	return documentJSON{ID: d.ID, IncidentID: d.IncidentID, Kind: d.Kind, Version: d.Version, State: d.State, Sections: s,
		AuthorID: d.AuthorID, AuthorOrgID: d.AuthorOrgID, CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt,
		SubmittedAt: timePtr(d.SubmittedAt), DecidedAt: timePtr(d.DecidedAt)}
}

type chainStageJSON struct {
	Stage    string     `json:"stage"`
	OrgID    int64      `json:"org_id"`
	OrgName  string     `json:"org_name"`
	Decision *string    `json:"decision"`
	Note     string     `json:"note"`
	UserID   int64      `json:"user_id"`
	At       *time.Time `json:"at"`
}

type documentViewJSON struct {
	Kind      string           `json:"kind"`
	Current   *documentJSON    `json:"current"`
	Versions  []documentJSON   `json:"versions"`
	Chain     []chainStageJSON `json:"chain"`
	Missing   []string         `json:"missing_stages"`
	Next      int              `json:"next_stage"`
	Deadlines []obligationJSON `json:"deadlines"`
	DueAt     *time.Time       `json:"due_at"`
	Rule      string           `json:"rule"`
	Action    string           `json:"action"`
}

type improvementJSON struct {
	ID           int64      `json:"id"`
	IncidentID   int64      `json:"incident_id"`
	DocumentID   int64      `json:"document_id"`
	Text         string     `json:"text"`
	OwnerOrgID   int64      `json:"owner_org_id"`
	OwnerUserID  int64      `json:"owner_user_id"`
	DueAt        time.Time  `json:"due_at"`
	State        string     `json:"state"`
	ObligationID int64      `json:"obligation_id"`
	CreatedBy    int64      `json:"created_by"`
	CreatedAt    time.Time  `json:"created_at"`
	DoneBy       int64      `json:"done_by"`
	DoneAt       *time.Time `json:"done_at"`
	DoneNote     string     `json:"done_note"`
}

func toImprovement(m fenghuo.Improvement) improvementJSON {
	return improvementJSON{ID: m.ID, IncidentID: m.IncidentID, DocumentID: m.DocumentID, Text: m.Text, OwnerOrgID: m.OwnerOrgID,
		OwnerUserID: m.OwnerUserID, DueAt: m.DueAt, State: m.State, ObligationID: m.ObligationID, CreatedBy: m.CreatedBy,
		CreatedAt: m.CreatedAt, DoneBy: m.DoneBy, DoneAt: timePtr(m.DoneAt), DoneNote: m.DoneNote}
}

type recordJSON struct {
	ID           int64     `json:"id"`
	IncidentID   int64     `json:"incident_id"`
	Kind         string    `json:"kind"`
	Subject      string    `json:"subject"`
	SubjectOrgID int64     `json:"subject_org_id"`
	Basis        string    `json:"basis"`
	Decision     string    `json:"decision"`
	DecidedOrgID int64     `json:"decided_org_id"`
	DecidedBy    int64     `json:"decided_by"`
	At           time.Time `json:"at"`
}

func toRecord(r fenghuo.AccountabilityRecord) recordJSON {
	return recordJSON{ID: r.ID, IncidentID: r.IncidentID, Kind: r.Kind, Subject: r.Subject, SubjectOrgID: r.SubjectOrgID,
		Basis: r.Basis, Decision: r.Decision, DecidedOrgID: r.DecidedOrgID, DecidedBy: r.DecidedBy, At: r.At}
}

type checkJSON struct {
	Key  string `json:"key"`
	Name string `json:"name"`
	Met  bool   `json:"met"`
	Note string `json:"note"`
}

func (h *Handler) listDocuments(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	ov, err := h.app.Aftermath.Documents(r.Context(), actor(r), id)
	if err != nil {
		h.error(w, r, err)
		return
	}
	now := h.app.Core.Now()
	out := map[string]any{"incident_id": id}
	docs := []documentViewJSON{}
	for _, d := range ov.Documents {
		v := documentViewJSON{Kind: d.Kind, Versions: []documentJSON{}, Chain: []chainStageJSON{}, Missing: nonNil(d.Chain.Missing),
			Next: d.Next, Deadlines: []obligationJSON{}, DueAt: timePtr(d.Due()), Rule: d.Rule, Action: d.Action}
		if d.Current != nil {
			c := toDocument(*d.Current)
			v.Current = &c
		}
		for _, x := range d.Versions {
			v.Versions = append(v.Versions, toDocument(x))
		}
		for _, st := range d.Chain.Stages {
			c := chainStageJSON{Stage: st.Key, OrgID: st.Org.ID, OrgName: st.Org.Name}
			if st.Decision != nil {
				dec := st.Decision.Decision
				c.Decision, c.Note, c.UserID, c.At = &dec, st.Decision.Note, st.Decision.UserID, timePtr(st.Decision.At)
			}
			v.Chain = append(v.Chain, c)
		}
		for _, o := range d.Deadlines {
			v.Deadlines = append(v.Deadlines, h.obligation(o, now))
		}
		docs = append(docs, v)
	}
	out["documents"] = docs
	ims := []improvementJSON{}
	for _, m := range ov.Improvements {
		ims = append(ims, toImprovement(m))
	}
	out["improvements"] = ims
	recs := []recordJSON{}
	for _, rec := range ov.Records {
		recs = append(recs, toRecord(rec))
	}
	out["records"] = recs
	checks := []checkJSON{}
	for _, c := range ov.Checks {
		checks = append(checks, checkJSON{Key: c.Key, Name: c.Name, Met: c.Met, Note: c.Note})
	}
	out["checks"] = checks
	writeJSON(w, http.StatusOK, out)
}

func (h *Handler) saveDocument(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	var in struct {
		Sections map[string]string `json:"sections"`
	}
	if err := decode(w, r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	d, err := h.app.Aftermath.Save(r.Context(), actor(r), id, r.PathValue("kind"), in.Sections)
	if err != nil {
		h.error(w, r, sectionsField(err, r.PathValue("kind")))
		return
	}
	writeJSON(w, http.StatusOK, toDocument(*d))
}

func (h *Handler) submitDocument(w http.ResponseWriter, r *http.Request) {
	id, doc, err := pathIDs(r, "id", "doc")
	if err != nil {
		h.error(w, r, err)
		return
	}
	d, err := h.app.Aftermath.Submit(r.Context(), actor(r), id, doc)
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toDocument(*d))
}

func (h *Handler) decideDocument(w http.ResponseWriter, r *http.Request) {
	id, doc, err := pathIDs(r, "id", "doc")
	if err != nil {
		h.error(w, r, err)
		return
	}
	var in struct {
		Decision string `json:"decision"`
		Note     string `json:"note"`
	}
	if err := decode(w, r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	d, err := h.app.Aftermath.Decide(r.Context(), actor(r), id, doc, in.Decision, in.Note)
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toDocument(*d))
}

func (h *Handler) downloadDocument(w http.ResponseWriter, r *http.Request) {
	id, doc, err := pathIDs(r, "id", "doc")
	if err != nil {
		h.error(w, r, err)
		return
	}
	format := r.PathValue("format")
	var buf bytes.Buffer
	name, err := h.app.Aftermath.Export(r.Context(), actor(r), id, doc, format, &buf)
	if err != nil {
		h.error(w, r, err)
		return
	}
	sendDocument(w, name, format, buf.Bytes())
}

func (h *Handler) createImprovement(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	var in struct {
		DocumentID  int64     `json:"document_id"`
		Text        string    `json:"text"`
		OwnerOrgID  int64     `json:"owner_org_id"`
		OwnerUserID int64     `json:"owner_user_id"`
		DueAt       time.Time `json:"due_at"`
	}
	if err := decode(w, r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	m, err := h.app.Aftermath.AddImprovement(r.Context(), actor(r), id, aftermath.ImprovementInput{DocumentID: in.DocumentID,
		Text: in.Text, OwnerOrgID: in.OwnerOrgID, OwnerUserID: in.OwnerUserID, DueAt: in.DueAt})
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, toImprovement(*m))
}

func (h *Handler) finishImprovement(w http.ResponseWriter, r *http.Request) {
	id, mid, err := pathIDs(r, "id", "mid")
	if err != nil {
		h.error(w, r, err)
		return
	}
	var in struct {
		State string `json:"state"`
		Note  string `json:"note"`
	}
	if err := decode(w, r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	m, err := h.app.Aftermath.FinishImprovement(r.Context(), actor(r), id, mid, in.State, in.Note)
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toImprovement(*m))
}

func (h *Handler) myImprovements(w http.ResponseWriter, r *http.Request) {
	p, err := page(r)
	if err != nil {
		h.error(w, r, err)
		return
	}
	ms, err := h.app.Aftermath.MyImprovements(r.Context(), actor(r), p)
	if err != nil {
		h.error(w, r, err)
		return
	}
	items := []improvementJSON{}
	for _, m := range ms {
		items = append(items, toImprovement(m))
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "total": len(items), "limit": p.Limit, "offset": p.Offset})
}

func (h *Handler) createRecord(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	var in struct {
		Kind         string `json:"kind"`
		Subject      string `json:"subject"`
		SubjectOrgID int64  `json:"subject_org_id"`
		Basis        string `json:"basis"`
		Decision     string `json:"decision"`
	}
	if err := decode(w, r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	rec, err := h.app.Aftermath.AddRecord(r.Context(), actor(r), id, aftermath.RecordInput{Kind: in.Kind, Subject: in.Subject,
		SubjectOrgID: in.SubjectOrgID, Basis: in.Basis, Decision: in.Decision})
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, toRecord(*rec))
}

// sectionsField places a section's error under "sections" in the request
// ("sections.bogus"), as factsField does for facts; the kind's own error
// stays as it is.
func sectionsField(err error, kind string) error {
	var fe *fenghuo.Error
	if !errors.As(err, &fe) || fe.Code != fenghuo.EINVALID || fe.Field == "" || fe.Field == "kind" {
		return err
	}
	if fenghuo.AftermathSections(kind) == nil {
		return err
	}
	return &fenghuo.Error{Code: fe.Code, Message: fe.Message, Field: "sections." + fe.Field}
}
