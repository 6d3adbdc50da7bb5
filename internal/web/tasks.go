package web

// The tasks tab of an incident (task capability): playbook steps grouped by
// playbook, ad-hoc tasks, one primary action per row for this actor, and
// the form that adds a task.

import (
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"fenghuo/internal/app/incident"
	"fenghuo/internal/app/task"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/plan"
	"fenghuo/internal/store"
)

// taskGroup is the tasks of one playbook (or the ad-hoc tasks).
type taskGroup struct {
	Title  plan.Text
	Clause string
	PlanID string
	AdHoc  bool
	Rows   []task.Row
	Open   int
}

type taskPageData struct {
	Header *incidentHeader
	Board  *task.Board
	Groups []taskGroup
	// Form is what the user typed into the add form (kept after an error).
	Form map[string]string
	// ErrTask is the task whose action failed, so its row shows the error.
	ErrTask int64
	Now     time.Time
}

// groupTasks groups an incident's tasks by plan and playbook, in the order
// their first task comes, the ad-hoc tasks last.
func groupTasks(rows []task.Row) []taskGroup {
	var out []taskGroup
	at := map[string]int{}
	var adhoc *taskGroup
	for _, r := range rows {
		if r.PlaybookID == "" {
			if adhoc == nil {
				adhoc = &taskGroup{AdHoc: true}
			}
			adhoc.Rows = append(adhoc.Rows, r)
			if !fenghuo.TaskClosed(r.State) {
				adhoc.Open++
			}
			continue
		}
		k := r.PlanID + "|" + r.PlaybookID + "|" + strconv.FormatInt(r.ActivationID, 10)
		i, ok := at[k]
		if !ok {
			i = len(out)
			at[k] = i
			out = append(out, taskGroup{Title: r.PlaybookTitle, Clause: r.Clause, PlanID: r.PlanID})
		}
		out[i].Rows = append(out[i].Rows, r)
		if !fenghuo.TaskClosed(r.State) {
			out[i].Open++
		}
	}
	if adhoc != nil {
		out = append(out, *adhoc)
	}
	return out
}

func (h *Handler) incidentTasks(w http.ResponseWriter, r *http.Request) {
	h.renderTasks(w, r, http.StatusOK, "", nil, 0)
}

// renderTasks shows the tasks tab, with a message after an action or the
// error of a failed one (taskID: the row it concerns; 0 for the add form).
func (h *Handler) renderTasks(w http.ResponseWriter, r *http.Request, status int, flash string, actionErr error, taskID int64) {
	ac := actor(r)
	ctx := r.Context()
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if taskID != 0 {
		if t, err := h.app.Core.DB().Task(ctx, taskID); err == nil {
			id = t.IncidentID
		}
	}
	hd, err := h.incidentHeader(ctx, ac, id, tabTasks)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	b, err := h.app.Tasks.Tasks(ctx, ac, id)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	d := taskPageData{Header: hd, Board: b, Groups: groupTasks(b.Rows), Form: map[string]string{}, ErrTask: taskID, Now: h.app.Core.Now()}
	if actionErr != nil && taskID == 0 {
		for _, k := range []string{"title", "text", "owner_org_id", "due_at"} {
			d.Form[k] = r.FormValue(k)
		}
	}
	if actionErr != nil && taskID != 0 {
		// The refused row keeps what was typed into it.
		d.Form["row.note"], d.Form["row.body"], d.Form["row.state"] = r.FormValue("note"), r.FormValue("body"), r.FormValue("state")
	}
	if d.Form["owner_org_id"] == "" {
		d.Form["owner_org_id"] = strconv.FormatInt(b.Unit.ID, 10)
	}
	v := &view{Actor: ac, Title: "tasks.title", Nav: "incidents", Data: d, Flash: flash}
	if actionErr != nil {
		v.Errors, v.Error = fieldErrors(actionErr)
	}
	h.render(w, r, status, "incident_tasks", v)
}

// addTask adds an ad-hoc task from the form of the tasks tab.
func (h *Handler) addTask(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	r.ParseForm()
	in := task.Input{Title: r.FormValue("title"), Text: r.FormValue("text"), OwnerOrgID: formInt(r, "owner_org_id")}
	var err error
	if s := strings.TrimSpace(r.FormValue("due_at")); s != "" {
		if in.DueAt = localTime(s); in.DueAt.IsZero() {
			err = fenghuo.FieldErrorf("due_at", "Give the due time as date and time. / 请按日期和时间填写完成时限。")
		}
	}
	if err == nil {
		_, err = h.app.Tasks.AddTask(r.Context(), ac, id, in)
	}
	h.finishAction(w, r, err, "/incidents/"+strconv.FormatInt(id, 10)+"/tasks", func(err error) {
		h.renderTasks(w, r, http.StatusBadRequest, "", err, 0)
	})
}

// taskAction changes a task's state (state) or comments on it with an
// optional evidence file (comment).
func (h *Handler) taskAction(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	ctx := r.Context()
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	t, err := h.app.Tasks.Task(ctx, ac, id)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	switch r.PathValue("action") {
	case "state":
		r.ParseForm()
		_, err = h.app.Tasks.SetState(ctx, ac, id, r.FormValue("state"), r.FormValue("note"))
	case "comment":
		r.Body = http.MaxBytesReader(w, r.Body, incident.MaxEvidenceBytes+1<<20)
		if perr := r.ParseMultipartForm(1 << 20); perr != nil && perr != http.ErrNotMultipart {
			err = fenghuo.FieldErrorf("file", "Choose a file of at most 20 MB. / 请选择不超过20MB的文件。")
			break
		}
		var evidenceID int64
		if f, hdr, ferr := r.FormFile("file"); ferr == nil {
			ev, aerr := h.app.Incidents.AddEvidence(ctx, ac, t.IncidentID, hdr.Filename, f, "任务："+t.Title)
			f.Close()
			if aerr != nil {
				err = aerr
				break
			}
			evidenceID = ev.ID
		}
		_, err = h.app.Tasks.Comment(ctx, ac, id, r.FormValue("body"), evidenceID)
	default:
		http.NotFound(w, r)
		return
	}
	next := "/incidents/" + strconv.FormatInt(t.IncidentID, 10) + "/tasks#task-" + strconv.FormatInt(id, 10)
	h.finishAction(w, r, err, next, func(err error) {
		h.renderTasks(w, r, http.StatusBadRequest, "", err, id)
	})
}

// TaskTitle is a task's title in the page's language (a playbook step's
// words from the plan; an ad-hoc task as it was written).
func (v *view) TaskTitle(r task.Row) string { return v.Words(r.StepTitle, r.Title) }

// TaskTitleOf is a task's title in the page's language where the plan or
// the platform wrote it (a list of tasks without their plan words).
func (v *view) TaskTitleOf(t fenghuo.Task) string {
	if v.taskTitle == nil {
		return t.Title
	}
	return v.taskTitle(t, v.Lang)
}

// TaskEstimate is the estimate mark of a task's due time (a playbook step
// due in working days into a year whose holiday notice is not held), ""
// otherwise: the same mark as the obligations' (estimate.go).
func (v *view) TaskEstimate(t fenghuo.Task) template.HTML {
	if t.DueAt.IsZero() || t.PlaybookID == "" {
		return ""
	}
	return v.Estimate(fenghuo.Obligation{ID: t.ObligationID, Kind: store.ObligationKindTask, PlanID: t.PlanID,
		RuleID: t.PlaybookID + "/" + t.StepID, IncidentID: t.IncidentID, DueAt: t.DueAt, State: fenghuo.ObligationOpen})
}

// TaskStateLabel names a task state.
func (v *view) TaskStateLabel(s string) string { return v.vocab("task.state", s) }

// TaskLeft says how long is left until a task is due ("1小时20分", "3 h 20 min"),
// or how long ago it was due.
func (v *view) TaskLeft(due, now time.Time) string {
	return countdownText(v.Lang, due.Sub(now))
}

var taskMessages = map[string][2]string{
	"tasks.title":               {"处置任务", "Tasks"},
	"tasks.none":                {"本事件还没有处置任务。事件类别确定后，预案处置手册中的步骤会自动生成任务。", "This incident has no tasks yet. Once its category is set, the steps of the plan's playbooks become tasks."},
	"tasks.adhoc":               {"临时任务", "Ad-hoc tasks"},
	"tasks.open.count":          {"项未完成", "open"},
	"tasks.col.task":            {"任务", "Task"},
	"tasks.col.owner":           {"责任单位", "Owner"},
	"tasks.col.due":             {"完成时限", "Due"},
	"tasks.col.state":           {"状态", "State"},
	"tasks.col.action":          {"操作", "Action"},
	"tasks.mandatory":           {"必办", "required"},
	"tasks.evidence.required":   {"须上传证据：", "Evidence required: "},
	"tasks.evidence.linked":     {"已附证据", "evidence attached"},
	"tasks.nodue":               {"无时限", "no due time"},
	"tasks.overdue":             {"已逾期", "overdue"},
	"tasks.late":                {"逾期完成", "done late"},
	"tasks.ontime":              {"按时完成", "done on time"},
	"tasks.reminded":            {"已提醒责任单位", "owner reminded"},
	"tasks.escalated":           {"逾期已告知", "overdue, told"},
	"tasks.escalates":           {"逾期将告知", "if overdue, tells"},
	"tasks.start":               {"开始办理", "Start"},
	"tasks.done":                {"标记完成", "Mark done"},
	"tasks.upload":              {"上传证据", "Upload evidence"},
	"tasks.more":                {"更多", "More"},
	"tasks.comment":             {"备注或附证据", "Comment or attach evidence"},
	"tasks.comment.body":        {"备注", "Comment"},
	"tasks.comment.file":        {"证据文件（可选）", "Evidence file (optional)"},
	"tasks.comment.send":        {"提交", "Send"},
	"tasks.na":                  {"标为不适用", "Mark not applicable"},
	"tasks.na.reason":           {"不适用的理由", "Why it does not apply"},
	"tasks.reopen":              {"退回待办", "Back to open"},
	"tasks.done.note":           {"完成情况（可选）", "How it was done (optional)"},
	"tasks.owner.note":          {"说明", "Note"},
	"tasks.add":                 {"新增临时任务", "Add an ad-hoc task"},
	"tasks.add.title":           {"任务名称", "Title"},
	"tasks.add.text":            {"任务要求", "What to do"},
	"tasks.add.owner":           {"责任单位", "Owner"},
	"tasks.add.due":             {"完成时限（北京时间，可不填）", "Due (Beijing time, optional)"},
	"tasks.add.submit":          {"新增任务", "Add task"},
	"tasks.done.by":             {"完成于", "done"},
	"tasks.comments":            {"备注", "Comments"},
	"tasks.mine":                {"本单位待办任务", "My organisation's tasks"},
	"tasks.clause":              {"依据", "Under"},
	"tasks.countdown":           {"剩余", "left"},
	"task.state.open":           {"待办", "open"},
	"task.state.in_progress":    {"进行中", "in progress"},
	"task.state.done":           {"已完成", "done"},
	"task.state.not_applicable": {"不适用", "not applicable"},
	"incident.tab.tasks.count":  {"项", ""},
}

func init() {
	for k, m := range taskMessages {
		messages[k] = m
	}
	pages = append(pages, "incident_tasks")
}
