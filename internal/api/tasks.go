package api

// Tasks of an incident (task capability): playbook steps and ad-hoc tasks.

import (
	"net/http"
	"time"

	"fenghuo/internal/app/task"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/phrase"
	"fenghuo/internal/store"
)

type taskJSON struct {
	ID           int64  `json:"id"`
	IncidentID   int64  `json:"incident_id"`
	ActivationID int64  `json:"activation_id"`
	PlanID       string `json:"plan_id"`
	PlaybookID   string `json:"playbook_id"`
	StepID       string `json:"step_id"`
	Title        string `json:"title"`
	// TitleEN is the title in English where the plan or the platform wrote
	// it (a playbook step, a standby task); empty for a typed title.
	TitleEN      string            `json:"title_en,omitempty"`
	Text         string            `json:"text"`
	OwnerOrgID   int64             `json:"owner_org_id"`
	OwnerOrgName string            `json:"owner_org_name,omitempty"`
	OwnerUserID  int64             `json:"owner_user_id"`
	Anchor       string            `json:"anchor"`
	DueAt        *time.Time        `json:"due_at"`
	State        string            `json:"state"`
	Mandatory    bool              `json:"mandatory"`
	Evidence     []string          `json:"evidence"`
	Overdue      bool              `json:"overdue"`
	Late         bool              `json:"late"`
	DoneAt       *time.Time        `json:"done_at"`
	DoneNote     string            `json:"done_note"`
	ObligationID int64             `json:"obligation_id"`
	RemindedAt   *time.Time        `json:"reminded_at,omitempty"`
	EscalatedAt  *time.Time        `json:"escalated_at,omitempty"`
	EscalatedTo  string            `json:"escalated_to,omitempty"`
	EvidenceIDs  []int64           `json:"evidence_ids,omitempty"`
	Comments     []taskCommentJSON `json:"comments,omitempty"`
	CanAct       bool              `json:"can_act"`
	// CalendarEstimated: the due time counts working days into a year whose
	// State Council holiday notice is not held; CalendarNote says so (as
	// an obligation's).
	CalendarEstimated bool   `json:"calendar_estimated,omitempty"`
	CalendarNote      string `json:"calendar_note,omitempty"`
}

type taskCommentJSON struct {
	ID         int64     `json:"id"`
	TaskID     int64     `json:"task_id"`
	UserID     int64     `json:"user_id"`
	UserName   string    `json:"user_name"`
	Body       string    `json:"body"`
	EvidenceID int64     `json:"evidence_id"`
	At         time.Time `json:"at"`
}

func (h *Handler) toTask(t fenghuo.Task, now time.Time) taskJSON {
	ev := t.Evidence
	if ev == nil {
		ev = []string{}
	}
	j := taskJSON{ID: t.ID, IncidentID: t.IncidentID, ActivationID: t.ActivationID, PlanID: t.PlanID, PlaybookID: t.PlaybookID,
		StepID: t.StepID, Title: t.Title, Text: t.Text, OwnerOrgID: t.OwnerOrgID, OwnerUserID: t.OwnerUserID, Anchor: t.Anchor,
		DueAt: timePtr(t.DueAt), State: t.State, Mandatory: t.Mandatory, Evidence: ev,
		Overdue: !fenghuo.TaskClosed(t.State) && !t.DueAt.IsZero() && !now.Before(t.DueAt),
		Late:    t.State == fenghuo.TaskDone && !t.DueAt.IsZero() && t.DoneAt.After(t.DueAt),
		DoneAt:  timePtr(t.DoneAt), DoneNote: t.DoneNote, ObligationID: t.ObligationID}
	if en := h.app.Tasks.TitleIn(t, phrase.EN); en != t.Title {
		j.TitleEN = en
	}
	if !t.DueAt.IsZero() && t.PlaybookID != "" {
		o := fenghuo.Obligation{ID: t.ObligationID, Kind: store.ObligationKindTask, PlanID: t.PlanID, RuleID: t.PlaybookID + "/" + t.StepID,
			IncidentID: t.IncidentID, DueAt: t.DueAt, State: fenghuo.ObligationOpen}
		if est, note := h.app.Incidents.CalendarEstimate(o); est {
			j.CalendarEstimated, j.CalendarNote = true, note.ZH
		}
	}
	return j
}

func (h *Handler) toTaskRow(r task.Row, now time.Time) taskJSON {
	out := h.toTask(r.Task, now)
	out.OwnerOrgName, out.EscalatedTo, out.EvidenceIDs, out.CanAct = r.OwnerName, r.EscalatedToName, r.EvidenceIDs, r.CanAct
	if r.Obligation != nil {
		out.RemindedAt, out.EscalatedAt = timePtr(r.Obligation.RemindedAt), timePtr(r.Obligation.EscalatedAt)
		if r.Obligation.EscalatedAt.IsZero() {
			out.EscalatedTo = ""
		}
	}
	for _, c := range r.Comments {
		out.Comments = append(out.Comments, toTaskComment(c))
	}
	return out
}

func toTaskComment(c fenghuo.TaskComment) taskCommentJSON {
	return taskCommentJSON{ID: c.ID, TaskID: c.TaskID, UserID: c.UserID, UserName: c.UserName, Body: c.Body, EvidenceID: c.EvidenceID, At: c.At}
}

func (h *Handler) listTasks(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	b, err := h.app.Tasks.Tasks(r.Context(), actor(r), id)
	if err != nil {
		h.error(w, r, err)
		return
	}
	now := h.app.Core.Now()
	items := []taskJSON{}
	for _, row := range b.Rows {
		items = append(items, h.toTaskRow(row, now))
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
}

type taskCreate struct {
	Title       string     `json:"title"`
	Text        string     `json:"text"`
	OwnerOrgID  int64      `json:"owner_org_id"`
	OwnerUserID int64      `json:"owner_user_id"`
	DueAt       *time.Time `json:"due_at"`
	Mandatory   bool       `json:"mandatory"`
	Evidence    []string   `json:"evidence"`
}

func (h *Handler) createTask(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	var in taskCreate
	if err := decode(w, r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	ti := task.Input{Title: in.Title, Text: in.Text, OwnerOrgID: in.OwnerOrgID, OwnerUserID: in.OwnerUserID,
		Mandatory: in.Mandatory, Evidence: in.Evidence}
	if in.DueAt != nil {
		ti.DueAt = *in.DueAt
	}
	t, err := h.app.Tasks.AddTask(r.Context(), actor(r), id, ti)
	if err != nil {
		h.error(w, r, err)
		return
	}
	created(w, "/api/v1/tasks/"+itoa(t.ID), h.toTask(*t, h.app.Core.Now()))
}

type taskPatch struct {
	State string `json:"state"`
	Note  string `json:"note"`
}

func (h *Handler) patchTask(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	var in taskPatch
	if err := decode(w, r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	t, err := h.app.Tasks.SetState(r.Context(), actor(r), id, in.State, in.Note)
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, h.toTask(*t, h.app.Core.Now()))
}

type taskCommentCreate struct {
	Body       string `json:"body"`
	EvidenceID int64  `json:"evidence_id"`
}

func (h *Handler) commentTask(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	var in taskCommentCreate
	if err := decode(w, r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	c, err := h.app.Tasks.Comment(r.Context(), actor(r), id, in.Body, in.EvidenceID)
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, toTaskComment(*c))
}

func (h *Handler) myTasks(w http.ResponseWriter, r *http.Request) {
	p, err := page(r)
	if err != nil {
		h.error(w, r, err)
		return
	}
	ts, err := h.app.Tasks.MyTasks(r.Context(), actor(r), store.Page{Limit: p.Limit + 1, Offset: p.Offset})
	if err != nil {
		h.error(w, r, err)
		return
	}
	now := h.app.Core.Now()
	items := []taskJSON{}
	for i, t := range ts {
		if i < p.Limit {
			items = append(items, h.toTask(t, now))
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "limit": p.Limit, "offset": p.Offset, "more": len(ts) > p.Limit})
}

func taskSchemas() obj {
	taskProps := obj{"id": integer, "incident_id": integer, "activation_id": integer, "plan_id": str, "playbook_id": str,
		"step_id": str, "title": str, "text": str, "owner_org_id": integer, "owner_org_name": str, "owner_user_id": integer,
		"anchor": enum("", "occurrence", "discovery", "activation"), "due_at": whenNil,
		"state": enum("open", "in_progress", "done", "not_applicable"), "mandatory": boolean,
		"evidence": obj{"type": "array", "items": str, "description": "What must be attached (as incident evidence linked by a comment) before the task is done"},
		"overdue":  boolean, "late": boolean, "done_at": whenNil, "done_note": str, "obligation_id": integer,
		"reminded_at":  obj{"type": "string", "format": "date-time", "description": "When the owner was reminded"},
		"escalated_at": obj{"type": "string", "format": "date-time", "description": "When the overdue task was escalated"},
		"escalated_to": obj{"type": "string", "description": "The organisation told when it became overdue"},
		"evidence_ids": ids, "comments": arrayOf(ref("TaskComment")), "can_act": boolean,
		"title_en":           obj{"type": "string", "description": "The title in English where the plan or the platform wrote it (a playbook step, a standby task)"},
		"calendar_estimated": obj{"type": "boolean", "description": "The due time counts working days into a year whose holiday notice is not published: an estimate"},
		"calendar_note":      obj{"type": "string", "description": "Why the due time is an estimate (Chinese)"}}
	return obj{
		"Task":     object(taskProps),
		"TaskList": object(obj{"items": arrayOf(ref("Task"))}, "items"),
		"MyTaskList": object(obj{"items": arrayOf(ref("Task")), "limit": integer, "offset": integer,
			"more": obj{"type": "boolean", "description": "true when another page follows"}}, "items"),
		"TaskCreate": object(obj{"title": str, "text": str, "owner_org_id": obj{"type": "integer", "description": "The incident's unit or an org in scope (or 0 with owner_user_id)"},
			"owner_user_id": integer, "due_at": whenNil, "mandatory": boolean, "evidence": strs}, "title"),
		"TaskPatch": object(obj{"state": enum("open", "in_progress", "done", "not_applicable"),
			"note": obj{"type": "string", "description": "Required for not_applicable; kept with done"}}, "state"),
		"TaskComment": object(obj{"id": integer, "task_id": integer, "user_id": integer, "user_name": str, "body": str,
			"evidence_id": integer, "at": when}),
		"TaskCommentCreate": object(obj{"body": str, "evidence_id": obj{"type": "integer",
			"description": "An evidence file of the incident (upload it with uploadEvidence first)"}}),
	}
}
