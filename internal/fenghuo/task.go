package fenghuo

import (
	"strings"
	"time"
)

// Task states.
const (
	TaskOpen          = "open"
	TaskInProgress    = "in_progress"
	TaskDone          = "done"
	TaskNotApplicable = "not_applicable" // 不适用: closed without doing it, with a reason
)

// TaskStates lists the task states in display order.
var TaskStates = []string{TaskOpen, TaskInProgress, TaskDone, TaskNotApplicable}

// Task due-time anchors: the moment a playbook step's relative due time
// counts from ("switch to the standby system if repair exceeds 2 h" counts
// from discovery).
const (
	AnchorOccurrence = "occurrence"
	AnchorDiscovery  = "discovery"
	AnchorActivation = "activation"
)

// TaskAnchorValid reports whether a is a due-time anchor ("" for an ad-hoc
// task with an absolute due time, or none).
func TaskAnchorValid(a string) bool {
	return a == "" || a == AnchorOccurrence || a == AnchorDiscovery || a == AnchorActivation
}

// TaskClosed reports whether a task in state s is finished (done or not
// applicable); its obligation is closed then.
func TaskClosed(s string) bool { return s == TaskDone || s == TaskNotApplicable }

// TaskTransitionAllowed reports whether a task may move from one state to
// another. Open and in-progress move freely between each other and to done;
// a mandatory task (a step the plan requires, such as reporting to public
// security first, seed 004 §3(三)) cannot be set aside as not applicable;
// done and not applicable are final, since their obligation is closed and
// counted.
func TaskTransitionAllowed(from, to string, mandatory bool) bool {
	if from == to || TaskClosed(from) {
		return false
	}
	switch to {
	case TaskOpen, TaskInProgress, TaskDone:
		return from == TaskOpen || from == TaskInProgress
	case TaskNotApplicable:
		return !mandatory
	}
	return false
}

// Task is one thing to do for an incident: a playbook step instantiated at
// activation or by the incident's category, or an ad-hoc task. Each task has
// an obligation (kind "task") so that the scheduler reminds its owner and
// escalates it when overdue, like every other duty.
type Task struct {
	ID           int64
	IncidentID   int64
	ActivationID int64 // 0: not tied to a response activation
	PlanID       string
	PlaybookID   string
	StepID       string
	Title        string
	Text         string
	// The owner: an org with a role in it (OwnerRole, e.g. "duty_officer"),
	// or one account (OwnerUserID). OwnerOrgID is always set.
	OwnerOrgID  int64
	OwnerRole   string
	OwnerUserID int64
	Anchor      string // occurrence, discovery, activation or ""
	DueAt       time.Time
	State       string
	Mandatory   bool
	// Evidence lists what must be attached to finish the task (e.g. "备用
	// 系统切换记录", "公安机关受理回执").
	Evidence     []string
	ObligationID int64
	CreatedBy    int64
	CreatedAt    time.Time
	UpdatedAt    time.Time
	DoneBy       int64
	DoneAt       time.Time
	DoneNote     string
}

// Validate checks a task before it is created.
func (t *Task) Validate() error {
	if strings.TrimSpace(t.Title) == "" {
		return FieldErrorf("title", "Give the task a title. / 请填写任务名称。")
	}
	if t.OwnerOrgID == 0 {
		return FieldErrorf("owner_org_id", "Choose the organisation that owns the task. / 请选择任务责任单位。")
	}
	if !TaskAnchorValid(t.Anchor) {
		return FieldErrorf("anchor", "Anchor %q is unknown: use occurrence, discovery or activation. / 未知计时起点。", t.Anchor)
	}
	if t.State != "" && t.State != TaskOpen && t.State != TaskInProgress {
		return FieldErrorf("state", "A new task is open or in progress. / 新任务须为待办或进行中。")
	}
	return nil
}

// TaskComment is a comment on a task, optionally with an evidence file.
type TaskComment struct {
	ID         int64
	TaskID     int64
	UserID     int64
	UserName   string
	Body       string
	EvidenceID int64 // 0: none
	At         time.Time
}
