package fenghuo

import (
	"regexp"
	"time"
)

// Warning states.
const (
	WarningActive   = "active"
	WarningLifted   = "lifted"
	WarningProposed = "proposed" // waiting for a higher office to issue it
	WarningDeclined = "declined" // a proposal the higher office turned down
)

// Measure is one action a warning asks of its targets, with a time limit.
type Measure struct {
	Text string `json:"text"`
	// Hours from the warning's issue within which it must be done; 0: no limit.
	Hours int `json:"hours,omitempty"`
}

// Targeting says how a warning's targets were chosen, so a reader can see
// why a unit got it.
type Targeting struct {
	OrgIDs    []int64 `json:"org_ids,omitempty"`
	Subtrees  []int64 `json:"subtrees,omitempty"`
	Sector    string  `json:"sector,omitempty"`
	OrgType   string  `json:"org_type,omitempty"`
	Component string  `json:"component,omitempty"`
	// MultiRegion: the warning spans several regions, departments or
	// sectors, which most plans leave to a higher office.
	MultiRegion bool `json:"multi_region,omitempty"`
}

// Empty reports whether no target was asked for.
func (t Targeting) Empty() bool {
	return len(t.OrgIDs) == 0 && len(t.Subtrees) == 0 && t.Sector == "" && t.OrgType == "" && t.Component == ""
}

// Warning is a four-colour warning (预警) issued by an office (seed 001 §3).
type Warning struct {
	ID         int64
	OrgID      int64 // the issuer
	PlanID     string
	Color      Color
	Category   string
	Title      string
	StartAt    time.Time
	Scope      string // 可能影响范围
	Items      string // 警示事项
	Measures   []Measure
	AckMinutes int
	Targeting  Targeting
	// Switches are the response actions the colour switched on under the
	// plan (24-hour duty, support teams on standby …).
	Switches   []string
	Status     string
	ProposedTo int64
	CreatedBy  int64
	CreatedAt  time.Time
	UpdatedAt  time.Time
	LiftedAt   time.Time
}

// WarningTarget is one org a warning reached, and what it did.
type WarningTarget struct {
	ID        int64
	WarningID int64
	OrgID     int64
	OrgName   string
	Reason    string
	AckedAt   time.Time
	AckedBy   string
	DoneAt    time.Time
	DoneNote  string
}

// WarningChange is one entry of a warning's history (issue, raise, lower,
// lift, propose, decline).
type WarningChange struct {
	ID        int64
	WarningID int64
	At        time.Time
	Actor     string
	Action    string
	FromColor Color
	ToColor   Color
	Reason    string
}

// Period is a protection period (重要保障期) during which units report
// daily, even when nothing happened (seed 000 §5–§6).
type Period struct {
	ID       int64
	OrgID    int64
	Name     string
	FirstDay string // YYYY-MM-DD, Asia/Shanghai
	LastDay  string
	// Cutoff is the daily deadline "HH:MM" Asia/Shanghai; a day's window runs
	// from the previous day's cut-off to this day's.
	Cutoff     string
	LeaderDuty bool // a leader on duty every day
	RoundClock bool // 7×24 duty
	UnitIDs    []int64
	CreatedBy  int64
	CreatedAt  time.Time
}

var cutoffRE = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)

// ValidCutoff reports whether s is a time of day "HH:MM".
func ValidCutoff(s string) bool { return cutoffRE.MatchString(s) }

// DailyReport is one unit's report for one day of a period: quiet (平安,
// no incident) or a list of incidents.
type DailyReport struct {
	ID          int64
	PeriodID    int64
	OrgID       int64
	Day         string
	Quiet       bool
	IncidentIDs []int64
	Note        string
	SubmittedAt time.Time
	SubmittedBy string
	Late        bool
}

// DutyShift is one rostered shift of an org's duty.
type DutyShift struct {
	ID      int64
	OrgID   int64
	StartAt time.Time
	EndAt   time.Time
	Officer string // 值班员
	Leader  string // 带班领导
	Phone   string
	// OfficerID and LeaderID are the accounts of the office on duty (0: a
	// shift rostered by name only, before accounts were chosen, or no
	// leader); Officer and Leader then hold their names as shown.
	OfficerID int64
	LeaderID  int64
}

// DutyLogEntry is a line of an org's duty log or a handover note.
type DutyLogEntry struct {
	ID     int64
	OrgID  int64
	At     time.Time
	Author string
	Kind   string // log, handover
	Body   string
}

// Channel is where an org's, or one user's, notifications are delivered.
type Channel struct {
	ID     int64
	OrgID  int64
	UserID int64 // 0: the org's channel
	Kind   string
	Name   string
	Target string
	// Secret is the signing secret, kept sealed in the store; never shown.
	Secret  string
	Events  []string // empty: every event
	Enabled bool
}

// Notification events a channel may subscribe to.
var NotifyEvents = []string{"warning", "obligation.reminder", "obligation.overdue", "report", "duty", "period", "monitor"}

// Wants reports whether the channel takes event (a kind such as
// "warning.issued" matches the subscription "warning").
func (c *Channel) Wants(event string) bool {
	if !c.Enabled {
		return false
	}
	if len(c.Events) == 0 {
		return true
	}
	for _, e := range c.Events {
		if e == event || (len(event) > len(e) && event[:len(e)] == e && event[len(e)] == '.') {
			return true
		}
	}
	return false
}
