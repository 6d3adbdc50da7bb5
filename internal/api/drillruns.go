package api

// Drill mode (issue 12 item 6): a drill runs a playbook's tasks. Drill
// tasks belong to no incident and carry no obligation: they create no
// reporting duty and count in no statistic.

import (
	"net/http"
	"time"

	"fenghuo/internal/app/drill"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// drillRunRoutes is the drill-mode block of the route table.
func (h *Handler) drillRunRoutes() []Route {
	const ok, made = http.StatusOK, http.StatusCreated
	return []Route{
		{"GET", "/api/v1/drill-runs", "listDrillRuns", "Drill runs (drill mode) of orgs of the caller's subtree, latest started first", "incident.read", false, "", "DrillRunList", ok, paging, h.listDrillRuns},
		{"POST", "/api/v1/drill-runs", "startDrillRun", "Start a drill in drill mode: the playbook's steps become drill tasks (marked 演练) due from now, owned as the playbook says; no incident, no reporting duty, no statistics", "incident.write, org in scope", false, "DrillRunStart", "DrillRunView", made, nil, h.startDrillRun},
		{"GET", "/api/v1/drill-runs/{id}", "getDrillRun", "A drill run with its tasks, comments and timeline (the text to quote in the drill's summary)", "incident.read, org in scope", false, "", "DrillRunView", ok, nil, h.getDrillRun},
		{"POST", "/api/v1/drill-runs/{id}/end", "endDrillRun", "End a running drill: its open tasks close as drill_ended (演练结束)", "incident.write, org in scope", false, "", "DrillRunView", ok, nil, h.endDrillRun},
		{"GET", "/api/v1/drill-tasks/mine", "listMyDrillTasks", "Unfinished drill tasks owned by the caller's org", "incident.read", false, "", "DrillTaskList", ok, paging, h.myDrillTasks},
		{"PATCH", "/api/v1/drill-tasks/{id}", "patchDrillTask", "Change a drill task's state while its drill runs; done for a task asking for evidence needs a note or a comment", "incident.write, owner org in scope", false, "TaskPatch", "DrillTask", ok, nil, h.patchDrillTask},
		{"POST", "/api/v1/drill-tasks/{id}/comments", "commentDrillTask", "Comment on a drill task while its drill runs", "incident.write, owner org in scope", false, "DrillTaskCommentCreate", "DrillTaskComment", made, nil, h.commentDrillTask},
	}
}

type drillRunJSON struct {
	ID         int64      `json:"id"`
	OrgID      int64      `json:"org_id"`
	Title      string     `json:"title"`
	PlanID     string     `json:"plan_id"`
	PlaybookID string     `json:"playbook_id"`
	Scenario   string     `json:"scenario"`
	State      string     `json:"state"`
	StartedAt  time.Time  `json:"started_at"`
	EndedAt    *time.Time `json:"ended_at"`
	DrillID    int64      `json:"drill_id"`
	Drill      bool       `json:"drill"`
}

func toDrillRun(r fenghuo.DrillRun) drillRunJSON {
	return drillRunJSON{ID: r.ID, OrgID: r.OrgID, Title: r.Title, PlanID: r.PlanID, PlaybookID: r.PlaybookID, Scenario: r.Scenario,
		State: r.State, StartedAt: r.StartedAt, EndedAt: timePtr(r.EndedAt), DrillID: r.DrillID, Drill: true}
}

type drillTaskJSON struct {
	ID           int64                  `json:"id"`
	RunID        int64                  `json:"run_id"`
	Order        int                    `json:"order"`
	PlanID       string                 `json:"plan_id"`
	PlaybookID   string                 `json:"playbook_id"`
	StepID       string                 `json:"step_id"`
	Title        string                 `json:"title"`
	Text         string                 `json:"text"`
	OwnerOrgID   int64                  `json:"owner_org_id"`
	OwnerOrgName string                 `json:"owner_org_name,omitempty"`
	OwnerNote    string                 `json:"owner_note"`
	Mandatory    bool                   `json:"mandatory"`
	Evidence     []string               `json:"evidence"`
	DueAt        *time.Time             `json:"due_at"`
	State        string                 `json:"state"`
	Overdue      bool                   `json:"overdue"`
	Late         bool                   `json:"late"`
	DoneAt       *time.Time             `json:"done_at"`
	DoneNote     string                 `json:"done_note"`
	Drill        bool                   `json:"drill"`
	Comments     []drillTaskCommentJSON `json:"comments,omitempty"`
	CanAct       bool                   `json:"can_act"`
}

func toDrillTask(t fenghuo.DrillTask, now time.Time) drillTaskJSON {
	ev := t.Evidence
	if ev == nil {
		ev = []string{}
	}
	return drillTaskJSON{ID: t.ID, RunID: t.RunID, Order: t.Order, PlanID: t.PlanID, PlaybookID: t.PlaybookID, StepID: t.StepID,
		Title: t.Title, Text: t.Text, OwnerOrgID: t.OwnerOrgID, OwnerNote: t.OwnerNote, Mandatory: t.Mandatory, Evidence: ev,
		DueAt: timePtr(t.DueAt), State: t.State, Late: t.Late(), DoneAt: timePtr(t.DoneAt), DoneNote: t.DoneNote, Drill: true,
		Overdue: !fenghuo.DrillTaskClosed(t.State) && !t.DueAt.IsZero() && !now.Before(t.DueAt)}
}

type drillTaskCommentJSON struct {
	ID       int64     `json:"id"`
	TaskID   int64     `json:"task_id"`
	UserID   int64     `json:"user_id"`
	UserName string    `json:"user_name"`
	Body     string    `json:"body"`
	At       time.Time `json:"at"`
}

func toDrillTaskComment(c fenghuo.DrillTaskComment) drillTaskCommentJSON {
	return drillTaskCommentJSON{ID: c.ID, TaskID: c.TaskID, UserID: c.UserID, UserName: c.UserName, Body: c.Body, At: c.At}
}

type timelineLineJSON struct {
	At   time.Time `json:"at"`
	Text string    `json:"text"`
	Late bool      `json:"late"`
}

type drillRunViewJSON struct {
	drillRunJSON
	OrgName  string             `json:"org_name"`
	Tasks    []drillTaskJSON    `json:"tasks"`
	Timeline []timelineLineJSON `json:"timeline"`
	Summary  string             `json:"summary"`
}

func (h *Handler) toDrillRunView(v *drill.RunView) drillRunViewJSON {
	now := h.app.Core.Now()
	out := drillRunViewJSON{drillRunJSON: toDrillRun(*v.Run), OrgName: v.Unit.Name, Tasks: []drillTaskJSON{},
		Timeline: []timelineLineJSON{}, Summary: v.Summary()}
	for _, t := range v.Tasks {
		j := toDrillTask(t.DrillTask, now)
		j.OwnerOrgName, j.CanAct = t.OwnerName, t.CanAct
		for _, c := range t.Comments {
			j.Comments = append(j.Comments, toDrillTaskComment(c))
		}
		out.Tasks = append(out.Tasks, j)
	}
	for _, l := range v.Timeline {
		out.Timeline = append(out.Timeline, timelineLineJSON{At: l.At, Text: l.Text, Late: l.Late})
	}
	return out
}

func (h *Handler) listDrillRuns(w http.ResponseWriter, r *http.Request) {
	p, err := page(r)
	if err != nil {
		h.error(w, r, err)
		return
	}
	res, err := h.app.Drills.Runs(r.Context(), actor(r), p)
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, pageOf(res, p, toDrillRun))
}

type drillRunStartJSON struct {
	OrgID      int64  `json:"org_id"`
	Title      string `json:"title"`
	PlanID     string `json:"plan_id"`
	PlaybookID string `json:"playbook_id"`
	Scenario   string `json:"scenario"`
}

func (h *Handler) startDrillRun(w http.ResponseWriter, r *http.Request) {
	var in drillRunStartJSON
	if err := decode(w, r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	run, _, err := h.app.Drills.StartRun(r.Context(), actor(r), drill.RunInput{OrgID: in.OrgID, Title: in.Title, PlanID: in.PlanID,
		PlaybookID: in.PlaybookID, Scenario: in.Scenario})
	if err != nil {
		h.error(w, r, err)
		return
	}
	h.writeDrillRun(w, r, run.ID, http.StatusCreated)
}

func (h *Handler) writeDrillRun(w http.ResponseWriter, r *http.Request, id int64, status int) {
	v, err := h.app.Drills.Run(r.Context(), actor(r), id)
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, status, h.toDrillRunView(v))
}

func (h *Handler) getDrillRun(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	h.writeDrillRun(w, r, id, http.StatusOK)
}

func (h *Handler) endDrillRun(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	if _, err := h.app.Drills.EndRun(r.Context(), actor(r), id); err != nil {
		h.error(w, r, err)
		return
	}
	h.writeDrillRun(w, r, id, http.StatusOK)
}

func (h *Handler) myDrillTasks(w http.ResponseWriter, r *http.Request) {
	p, err := page(r)
	if err != nil {
		h.error(w, r, err)
		return
	}
	ts, err := h.app.Drills.MyDrillTasks(r.Context(), actor(r), store.Page{Limit: p.Limit + 1, Offset: p.Offset})
	if err != nil {
		h.error(w, r, err)
		return
	}
	now := h.app.Core.Now()
	items := []drillTaskJSON{}
	for i, t := range ts {
		if i < p.Limit {
			items = append(items, toDrillTask(t, now))
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "limit": p.Limit, "offset": p.Offset, "more": len(ts) > p.Limit})
}

func (h *Handler) patchDrillTask(w http.ResponseWriter, r *http.Request) {
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
	t, err := h.app.Drills.SetTaskState(r.Context(), actor(r), id, in.State, in.Note)
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toDrillTask(*t, h.app.Core.Now()))
}

func (h *Handler) commentDrillTask(w http.ResponseWriter, r *http.Request) {
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
	c, err := h.app.Drills.CommentTask(r.Context(), actor(r), id, in.Body)
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, toDrillTaskComment(*c))
}

func drillRunSchemas() obj {
	mark := obj{"type": "boolean", "description": "Always true: a drill (演练), never a real duty"}
	runProps := obj{"id": integer, "org_id": integer, "title": str, "plan_id": str, "playbook_id": str, "scenario": str,
		"state": enum(fenghuo.DrillRunRunning, fenghuo.DrillRunEnded), "started_at": when, "ended_at": whenNil,
		"drill_id": obj{"type": "integer", "description": "The drill filed for this run (createDrill with run_id); 0 until filed"},
		"drill":    mark}
	comment := obj{"id": integer, "task_id": integer, "user_id": integer, "user_name": str, "body": str, "at": when}
	taskProps := obj{"id": integer, "run_id": integer, "order": integer, "plan_id": str, "playbook_id": str, "step_id": str,
		"title": str, "text": str, "owner_org_id": integer, "owner_org_name": str,
		"owner_note": obj{"type": "string", "description": "Whom the owner stands in for when the playbook's owner is outside the drilling unit"},
		"mandatory":  boolean, "evidence": arrayOf(str), "due_at": whenNil,
		"state":   enum(fenghuo.TaskOpen, fenghuo.TaskInProgress, fenghuo.TaskDone, fenghuo.TaskNotApplicable, fenghuo.DrillTaskEnded),
		"overdue": boolean, "late": boolean, "done_at": whenNil, "done_note": str, "drill": mark,
		"comments": arrayOf(ref("DrillTaskComment")), "can_act": boolean}
	return obj{
		"DrillRun":     object(runProps),
		"DrillRunList": listOf("DrillRun"),
		"DrillRunStart": object(obj{"org_id": obj{"type": "integer", "description": "An org in scope; 0 or absent: the caller's own"},
			"title": str, "plan_id": str, "playbook_id": obj{"type": "string", "description": "A playbook of the plan; its steps become the drill's tasks"},
			"scenario": obj{"type": "string", "description": "The simulated incident"}}, "title", "plan_id", "playbook_id", "scenario"),
		"DrillRunView": object(merge(runProps, obj{"org_name": str, "tasks": arrayOf(ref("DrillTask")),
			"timeline": arrayOf(object(obj{"at": when, "text": str, "late": boolean})),
			"summary":  obj{"type": "string", "description": "The timeline as text, to quote in the drill's written summary"}})),
		"DrillTask": object(taskProps),
		"DrillTaskList": object(obj{"items": arrayOf(ref("DrillTask")), "limit": integer, "offset": integer,
			"more": obj{"type": "boolean", "description": "true when another page follows"}}, "items"),
		"DrillTaskComment":       object(comment),
		"DrillTaskCommentCreate": object(obj{"body": str}, "body"),
	}
}
