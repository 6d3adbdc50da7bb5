package api

// Findings (隐患) ledger (issue 12, P1): list, detail, manual external
// reports, the unit's rectification (start, evidence, submit), the office's
// decisions (verify, reject, accept the risk), the SLA and the
// clear-to-zero board.

import (
	"bytes"
	"fmt"
	"net/http"
	"time"

	"fenghuo/internal/app/finding"
	"fenghuo/internal/fenghuo"
)

var findingQuery = append([]string{"org_id", "state", "severity", "source", "overdue"}, paging...)

type findingJSON struct {
	ID            int64      `json:"id"`
	OrgID         int64      `json:"org_id"`
	OrgName       string     `json:"org_name"`
	SystemID      int64      `json:"system_id"`
	SystemName    string     `json:"system_name,omitempty"`
	Source        string     `json:"source"`
	SourceRef     string     `json:"source_ref"`
	Key           string     `json:"key"`
	Title         string     `json:"title"`
	Detail        string     `json:"detail"`
	Severity      string     `json:"severity"`
	State         string     `json:"state"`
	DueAt         *time.Time `json:"due_at"`
	Overdue       bool       `json:"overdue"`
	OwnerUserID   int64      `json:"owner_user_id"`
	Occurrences   int        `json:"occurrences"`
	FirstSeenAt   time.Time  `json:"first_seen_at"`
	LastSeenAt    time.Time  `json:"last_seen_at"`
	ObligationID  int64      `json:"obligation_id"`
	AcceptedUntil *time.Time `json:"accepted_until"`
	AcceptReason  string     `json:"accept_reason"`
	ClosedAt      *time.Time `json:"closed_at"`
}

type findingEventJSON struct {
	ID         int64     `json:"id"`
	UserID     int64     `json:"user_id"`
	UserName   string    `json:"user_name"`
	Kind       string    `json:"kind"`
	State      string    `json:"state"`
	Body       string    `json:"body"`
	EvidenceID int64     `json:"evidence_id"`
	At         time.Time `json:"at"`
}

type findingEvidenceJSON struct {
	ID         int64     `json:"id"`
	Filename   string    `json:"filename"`
	Size       int64     `json:"size"`
	SM3        string    `json:"sm3"`
	Note       string    `json:"note"`
	UploadedAt time.Time `json:"uploaded_at"`
}

type findingDetailJSON struct {
	findingJSON
	OwnerUserName string                `json:"owner_user_name,omitempty"`
	EscalatedAt   *time.Time            `json:"escalated_at"`
	EscalatedTo   string                `json:"escalated_to,omitempty"`
	Events        []findingEventJSON    `json:"events"`
	Evidence      []findingEvidenceJSON `json:"evidence"`
	CanWork       bool                  `json:"can_work"`
	CanDecide     bool                  `json:"can_decide"`
}

func toFinding(r finding.Row, now time.Time) findingJSON {
	f := r.Finding
	return findingJSON{ID: f.ID, OrgID: f.OrgID, OrgName: r.OrgName, SystemID: f.SystemID, SystemName: r.SystemName,
		Source: f.Source, SourceRef: f.SourceRef, Key: f.Key, Title: f.Title, Detail: f.Detail, Severity: f.Severity,
		State: f.State, DueAt: timePtr(f.DueAt), Overdue: r.Overdue(now), OwnerUserID: f.OwnerUserID,
		Occurrences: f.Occurrences, FirstSeenAt: f.FirstSeenAt, LastSeenAt: f.LastSeenAt, ObligationID: f.ObligationID,
		AcceptedUntil: timePtr(f.AcceptedUntil), AcceptReason: f.AcceptReason, ClosedAt: timePtr(f.ClosedAt)}
}

func toFindingEvidence(e fenghuo.FindingEvidence) findingEvidenceJSON {
	return findingEvidenceJSON{ID: e.ID, Filename: e.Filename, Size: e.Size, SM3: e.SM3, Note: e.Note, UploadedAt: e.UploadedAt}
}

func (h *Handler) listFindings(w http.ResponseWriter, r *http.Request) {
	p, err := page(r)
	if err != nil {
		h.error(w, r, err)
		return
	}
	orgID, err := queryInt(r, "org_id", 1, 1<<62)
	if err != nil {
		h.error(w, r, err)
		return
	}
	overdue, err := queryBool(r, "overdue")
	if err != nil {
		h.error(w, r, err)
		return
	}
	q := r.URL.Query()
	res, err := h.app.Findings.List(r.Context(), actor(r), finding.Filter{OrgID: orgID, State: q.Get("state"),
		Severity: q.Get("severity"), Source: q.Get("source"), Overdue: overdue}, p)
	if err != nil {
		h.error(w, r, err)
		return
	}
	now := h.app.Core.Now()
	writeJSON(w, http.StatusOK, pageOf(res, p, func(row finding.Row) findingJSON { return toFinding(row, now) }))
}

func (h *Handler) getFinding(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	h.writeFinding(w, r, id, http.StatusOK)
}

func (h *Handler) writeFinding(w http.ResponseWriter, r *http.Request, id int64, status int) {
	d, err := h.app.Findings.Get(r.Context(), actor(r), id)
	if err != nil {
		h.error(w, r, err)
		return
	}
	out := findingDetailJSON{findingJSON: toFinding(d.Row, h.app.Core.Now()), OwnerUserName: d.OwnerUserName,
		EscalatedTo: d.EscalatedToName, Events: []findingEventJSON{}, Evidence: []findingEvidenceJSON{},
		CanWork: d.CanWork, CanDecide: d.CanDecide}
	if d.Obligation != nil {
		out.EscalatedAt = timePtr(d.Obligation.EscalatedAt)
	}
	for _, e := range d.Events {
		out.Events = append(out.Events, findingEventJSON{ID: e.ID, UserID: e.UserID, UserName: e.UserName, Kind: e.Kind,
			State: e.State, Body: e.Body, EvidenceID: e.EvidenceID, At: e.At})
	}
	for _, e := range d.Evidence {
		out.Evidence = append(out.Evidence, toFindingEvidence(e))
	}
	writeJSON(w, status, out)
}

type findingCreate struct {
	OrgID     int64      `json:"org_id"`
	SystemID  int64      `json:"system_id"`
	Title     string     `json:"title"`
	Detail    string     `json:"detail"`
	Severity  string     `json:"severity"`
	Reference string     `json:"reference"`
	DueAt     *time.Time `json:"due_at"`
}

func (h *Handler) createFinding(w http.ResponseWriter, r *http.Request) {
	var in findingCreate
	if err := decode(w, r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	mi := finding.ManualInput{OrgID: in.OrgID, SystemID: in.SystemID, Title: in.Title, Detail: in.Detail,
		Severity: in.Severity, Reference: in.Reference}
	if in.DueAt != nil {
		mi.DueAt = *in.DueAt
	}
	f, err := h.app.Findings.RaiseManual(r.Context(), actor(r), mi)
	if err != nil {
		h.error(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/findings/"+itoa(f.ID))
	h.writeFinding(w, r, f.ID, http.StatusCreated)
}

// findingAction is the body of the state-changing routes; each reads the
// fields it needs.
type findingAction struct {
	Note        string     `json:"note"`
	Reason      string     `json:"reason"`
	OwnerUserID int64      `json:"owner_user_id"`
	DueAt       *time.Time `json:"due_at"`
	Until       *time.Time `json:"until"`
}

func (h *Handler) actOnFinding(do func(h *Handler, r *http.Request, id int64, in findingAction) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r, "id")
		if err != nil {
			h.error(w, r, err)
			return
		}
		var in findingAction
		if err := decode(w, r, &in); err != nil {
			h.error(w, r, err)
			return
		}
		if err := do(h, r, id, in); err != nil {
			h.error(w, r, err)
			return
		}
		h.writeFinding(w, r, id, http.StatusOK)
	}
}

func deref(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}

func startFinding(h *Handler, r *http.Request, id int64, in findingAction) error {
	_, err := h.app.Findings.Start(r.Context(), actor(r), id, in.OwnerUserID, in.Note)
	return err
}

func submitFinding(h *Handler, r *http.Request, id int64, in findingAction) error {
	_, err := h.app.Findings.Submit(r.Context(), actor(r), id, in.Note)
	return err
}

func verifyFinding(h *Handler, r *http.Request, id int64, in findingAction) error {
	_, err := h.app.Findings.Verify(r.Context(), actor(r), id, in.Note)
	return err
}

func rejectFinding(h *Handler, r *http.Request, id int64, in findingAction) error {
	_, err := h.app.Findings.Reject(r.Context(), actor(r), id, in.Reason, deref(in.DueAt))
	return err
}

func acceptFinding(h *Handler, r *http.Request, id int64, in findingAction) error {
	if in.Until == nil {
		return fenghuo.FieldErrorf("until", "Give the date the acceptance expires. / 请填写风险接受期限。")
	}
	_, err := h.app.Findings.Accept(r.Context(), actor(r), id, in.Reason, *in.Until)
	return err
}

func (h *Handler) commentFinding(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	var in struct {
		Body string `json:"body"`
	}
	if err := decode(w, r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	e, err := h.app.Findings.Comment(r.Context(), actor(r), id, in.Body)
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, findingEventJSON{ID: e.ID, UserID: e.UserID, UserName: e.UserName, Kind: e.Kind,
		State: e.State, Body: e.Body, At: e.At})
}

func (h *Handler) uploadFindingEvidence(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	f, hdr, ok := h.evidenceFile(w, r)
	if !ok {
		return
	}
	defer f.Close()
	ev, err := h.app.Findings.AddEvidence(r.Context(), actor(r), id, hdr.Filename, f, r.FormValue("note"))
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, toFindingEvidence(*ev))
}

func (h *Handler) downloadFindingEvidence(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	ev, f, err := h.app.Findings.OpenEvidence(r.Context(), actor(r), id)
	if err != nil {
		h.error(w, r, err)
		return
	}
	defer f.Close()
	writeEvidenceFile(w, ev.Filename, ev.SM3, f)
}

type findingSLAJSON struct {
	Critical  int    `json:"critical"`
	High      int    `json:"high"`
	Medium    int    `json:"medium"`
	Low       int    `json:"low"`
	SetBy     int64  `json:"set_by"`
	SetByName string `json:"set_by_name"`
	CanSet    bool   `json:"can_set"`
}

func (h *Handler) getFindingSLA(w http.ResponseWriter, r *http.Request) {
	v, err := h.app.Findings.SLA(r.Context(), actor(r))
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, findingSLAJSON{Critical: v.SLA.Critical, High: v.SLA.High, Medium: v.SLA.Medium, Low: v.SLA.Low,
		SetBy: v.SetBy, SetByName: v.SetByName, CanSet: v.CanSet})
}

func (h *Handler) putFindingSLA(w http.ResponseWriter, r *http.Request) {
	var in fenghuo.FindingSLA
	if err := decode(w, r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	if err := h.app.Findings.SetSLA(r.Context(), actor(r), in); err != nil {
		h.error(w, r, err)
		return
	}
	h.getFindingSLA(w, r)
}

type findingTallyJSON struct {
	Open       int    `json:"open"`
	BySeverity [4]int `json:"by_severity"`
	ByAge      [4]int `json:"by_age"`
	Overdue    int    `json:"overdue"`
	Submitted  int    `json:"submitted"`
	Accepted   int    `json:"accepted"`
}

func toTally(t finding.Tally) findingTallyJSON {
	return findingTallyJSON{Open: t.Open, BySeverity: t.BySeverity, ByAge: t.ByAge, Overdue: t.Overdue, Submitted: t.Submitted, Accepted: t.Accepted}
}

func (h *Handler) getFindingBoard(w http.ResponseWriter, r *http.Request) {
	orgID, err := queryInt(r, "org_id", 1, 1<<62)
	if err != nil {
		h.error(w, r, err)
		return
	}
	b, err := h.app.Findings.Board(r.Context(), actor(r), orgID)
	if err != nil {
		h.error(w, r, err)
		return
	}
	type unit struct {
		OrgID   int64  `json:"org_id"`
		OrgName string `json:"org_name"`
		findingTallyJSON
	}
	type week struct {
		End      time.Time `json:"end"`
		Unclosed int       `json:"unclosed"`
		Raised   int       `json:"raised"`
		Closed   int       `json:"closed"`
	}
	out := struct {
		OrgID int64            `json:"org_id"`
		At    time.Time        `json:"at"`
		Total findingTallyJSON `json:"total"`
		Units []unit           `json:"units"`
		Weeks []week           `json:"weeks"`
	}{OrgID: b.Root.ID, At: b.At, Total: toTally(b.Total), Units: []unit{}, Weeks: []week{}}
	for _, u := range b.Units {
		out.Units = append(out.Units, unit{u.Org.ID, u.Org.Name, toTally(u.Tally)})
	}
	for _, wk := range b.Weeks {
		out.Weeks = append(out.Weeks, week{wk.End, wk.Unclosed, wk.Raised, wk.Closed})
	}
	writeJSON(w, http.StatusOK, out)
}

func (h *Handler) exportFindingBoard(w http.ResponseWriter, r *http.Request) {
	orgID, err := queryInt(r, "org_id", 1, 1<<62)
	if err != nil {
		h.error(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := h.app.Findings.WriteBoardXLSX(r.Context(), actor(r), orgID, &buf, r.URL.Query().Get("lang")); err != nil {
		h.error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", xlsxType)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="findings-%s.xlsx"`, h.app.Core.Now().In(time.FixedZone("CST", 8*3600)).Format("20060102")))
	w.Header().Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
}

func findingSchemas() obj {
	severity := enum("critical", "high", "medium", "low")
	state := enum("open", "rectifying", "submitted", "accepted", "closed")
	findingProps := obj{"id": integer, "org_id": integer, "org_name": str, "system_id": integer, "system_name": str,
		"source":     enum("inspection", "risk_notice", "monitoring", "aftermath", "exposure", "external"),
		"source_ref": obj{"type": "string", "description": "What raised it (campaign item, notice, check, report reference)"},
		"key":        obj{"type": "string", "description": "Identifies the same finding from one source; an identical active finding is merged"},
		"title":      str, "detail": str, "severity": severity, "state": state,
		"due_at":  obj{"type": []string{"string", "null"}, "format": "date-time", "description": "Rectification deadline (the office's SLA for the severity unless given)"},
		"overdue": boolean, "owner_user_id": integer,
		"occurrences":   obj{"type": "integer", "description": "How many times it was found while active"},
		"first_seen_at": when, "last_seen_at": when, "obligation_id": integer,
		"accepted_until": whenNil, "accept_reason": str, "closed_at": whenNil}
	tally := object(obj{"open": integer, "by_severity": obj{"type": "array", "items": integer, "description": "critical, high, medium, low"},
		"by_age":  obj{"type": "array", "items": integer, "description": "since first seen: < 7 days, 7–30, 30–90, > 90"},
		"overdue": integer, "submitted": integer, "accepted": integer})
	return obj{
		"Finding":     object(findingProps),
		"FindingList": listOf("Finding"),
		"FindingDetail": object(merge(findingProps, obj{"owner_user_name": str, "escalated_at": whenNil,
			"escalated_to": obj{"type": "string", "description": "The office told when it became overdue"},
			"events":       arrayOf(ref("FindingEvent")), "evidence": arrayOf(ref("FindingEvidence")),
			"can_work": boolean, "can_decide": boolean})),
		"FindingEvent": object(obj{"id": integer, "user_id": integer, "user_name": str,
			"kind": enum("raised", "merged", "state", "comment", "evidence"), "state": str, "body": str, "evidence_id": integer, "at": when}),
		"FindingEvidence": object(obj{"id": integer, "filename": str, "size": integer, "sm3": str, "note": str, "uploaded_at": when}),
		"FindingCreate": object(obj{"org_id": obj{"type": "integer", "description": "A unit in scope"}, "system_id": integer,
			"title": str, "detail": str, "severity": severity,
			"reference": obj{"type": "string", "description": "Who reported it and their reference"}, "due_at": whenNil},
			"org_id", "title", "severity"),
		"FindingAction": object(obj{"note": str, "reason": obj{"type": "string", "description": "Required to reject or accept"},
			"owner_user_id": obj{"type": "integer", "description": "start: the person of the unit responsible"},
			"due_at":        obj{"type": []string{"string", "null"}, "format": "date-time", "description": "reject: a new deadline"},
			"until":         obj{"type": []string{"string", "null"}, "format": "date-time", "description": "accept: when the acceptance expires (within a year)"}}),
		"FindingComment": object(obj{"body": str}, "body"),
		"FindingSLA": object(obj{"critical": integer, "high": integer, "medium": integer, "low": integer,
			"set_by":      obj{"type": "integer", "description": "The office that set it (0: the default 3/7/30/90 days)"},
			"set_by_name": str, "can_set": boolean}),
		"FindingSLAUpdate": object(obj{"critical": integer, "high": integer, "medium": integer, "low": integer},
			"critical", "high", "medium", "low"),
		"FindingTally": tally,
		"FindingBoard": object(obj{"org_id": integer, "at": when, "total": ref("FindingTally"),
			"units": arrayOf(object(obj{"org_id": integer, "org_name": str, "open": integer, "by_severity": obj{"type": "array", "items": integer},
				"by_age": obj{"type": "array", "items": integer}, "overdue": integer, "submitted": integer, "accepted": integer})),
			"weeks": arrayOf(object(obj{"end": when, "unclosed": integer, "raised": integer, "closed": integer}))}),
	}
}
