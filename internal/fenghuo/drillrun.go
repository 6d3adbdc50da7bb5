package fenghuo

import "time"

// Drill runs (issue 12 item 6): a drill that runs a playbook's tasks in
// drill mode. The tasks are DrillTasks, not Tasks: they belong to no
// incident and carry no obligation, so they create no reporting duty, no
// escalation and no count in any statistic.

// Drill run states.
const (
	DrillRunRunning = "running" // 演练中
	DrillRunEnded   = "ended"   // 已结束
)

// DrillTaskEnded is the state of a drill task still open when its run
// ended (演练结束); the other states are the task states (TaskOpen …).
const DrillTaskEnded = "drill_ended"

// DrillTaskClosed reports whether a drill task in state s is finished.
func DrillTaskClosed(s string) bool { return TaskClosed(s) || s == DrillTaskEnded }

// DrillRun is one run of a plan's playbook in drill mode.
type DrillRun struct {
	ID         int64
	OrgID      int64 // the unit drilling
	Title      string
	PlanID     string
	PlaybookID string
	Scenario   string
	State      string
	StartedAt  time.Time
	StartedBy  int64
	EndedAt    time.Time
	EndedBy    int64
	// DrillID is the drill filed for this run (备案), 0 until filed.
	DrillID int64
}

// DrillTask is a playbook step instantiated for a drill run.
type DrillTask struct {
	ID         int64
	RunID      int64
	Order      int
	PlanID     string
	PlaybookID string
	StepID     string
	Title      string
	Text       string
	OwnerOrgID int64
	// OwnerNote says who the owner stands in for, when the playbook's
	// owner is outside the drilling unit (the unit plays the part).
	OwnerNote string
	Mandatory bool
	Evidence  []string
	DueAt     time.Time // zero: no time limit
	State     string
	DoneAt    time.Time // when it was done, not applicable, or ended
	DoneBy    int64
	DoneNote  string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Late reports whether the drill task was done after its due time.
func (t *DrillTask) Late() bool {
	return t.State == TaskDone && !t.DueAt.IsZero() && t.DoneAt.After(t.DueAt)
}

// DrillTaskComment is a comment on a drill task (what was done, the
// evidence shown).
type DrillTaskComment struct {
	ID       int64
	TaskID   int64
	UserID   int64
	UserName string
	Body     string
	At       time.Time
}
