package fenghuo

import (
	"time"
)

// IncidentStatus is where an incident stands in its lifecycle.
type IncidentStatus string

const (
	// StatusDraft: opened by monitoring or saved unfinished; not yet reported.
	StatusDraft      IncidentStatus = "draft"
	StatusReported   IncidentStatus = "reported"
	StatusAssessing  IncidentStatus = "assessing"
	StatusResponding IncidentStatus = "responding"
	StatusRecovering IncidentStatus = "recovering"
	StatusClosed     IncidentStatus = "closed"
)

// IncidentStatuses lists the lifecycle in order.
var IncidentStatuses = []IncidentStatus{StatusDraft, StatusReported, StatusAssessing, StatusResponding, StatusRecovering, StatusClosed}

// NameZH is the status's Chinese name.
func (s IncidentStatus) NameZH() string {
	return map[IncidentStatus]string{StatusDraft: "草稿", StatusReported: "已报告", StatusAssessing: "研判中",
		StatusResponding: "处置中", StatusRecovering: "恢复中", StatusClosed: "已结束"}[s]
}

// transitions are the allowed moves; each further has preconditions
// checked by CanTransition.
var transitions = map[IncidentStatus][]IncidentStatus{
	StatusDraft:      {StatusReported, StatusClosed},
	StatusReported:   {StatusAssessing, StatusResponding, StatusClosed},
	StatusAssessing:  {StatusResponding, StatusRecovering, StatusClosed},
	StatusResponding: {StatusRecovering},
	StatusRecovering: {StatusResponding, StatusClosed},
}

// CanTransition says whether an incident may move from one status to
// another, and if not, why (an actionable message).
func (inc *Incident) CanTransition(to IncidentStatus, hasFinalReport bool) error {
	allowed := false
	for _, s := range transitions[inc.Status] {
		if s == to {
			allowed = true
		}
	}
	if !allowed {
		return Errorf(EINVALID, "An incident that is %s cannot become %s. / 事件状态不能从“%s”变为“%s”。", inc.Status, to, inc.Status.NameZH(), to.NameZH())
	}
	switch {
	case to == StatusReported && inc.ReportedAt.IsZero():
		return Errorf(EINVALID, "File the initial report first. / 请先提交初报。")
	case to == StatusClosed && inc.Status != StatusDraft && !hasFinalReport:
		return Errorf(EINVALID, "File the final report before closing the incident. / 结束事件前请提交终报。")
	case to == StatusClosed && inc.Status == StatusDraft && inc.CloseReason == "":
		return FieldErrorf("reason", "Say why the draft is dismissed (e.g. a false alarm). / 请说明撤销草稿的原因（如误报）。")
	}
	return nil
}

// Intake channels: how the incident reached the platform.
const (
	ChannelUnit       = "unit"       // the unit's reporter filed it
	ChannelPhone      = "phone"      // a duty officer took a call
	ChannelFax        = "fax"        //
	ChannelWeChat     = "wechat"     //
	ChannelEmail      = "email"      //
	ChannelMonitoring = "monitoring" // opened by website monitoring
	ChannelPublic     = "public"     // a report from the public
)

// IntakeChannels lists the channels.
var IntakeChannels = []string{ChannelUnit, ChannelPhone, ChannelFax, ChannelWeChat, ChannelEmail, ChannelMonitoring, ChannelPublic}

// Incident is one cybersecurity incident of a unit.
type Incident struct {
	ID    int64
	OrgID int64 // the unit where it happened (事发单位)
	Title string
	// Category is a code of Taxonomy (GB/T 20986-2023 by default).
	Category   string
	Taxonomy   string
	Status     IncidentStatus
	SystemIDs  []int64
	OccurredAt time.Time
	// DiscoveredAt is when the unit learned of it: statutory clocks count
	// from here unless the plan says otherwise.
	DiscoveredAt time.Time
	ReportedAt   time.Time
	// Facts are the plan-model facts (JSON keys of plan-model.md).
	Facts       map[string]any
	Description string
	Impact      string
	Measures    string

	// Grade is the grade in force: the override when one is set, else the
	// computed one (the highest over the governing plans).
	Grade          Grade
	ComputedGrade  Grade
	GradeOverride  Grade
	OverrideReason string
	// Grading holds each plan's result, JSON as the plan package gives it.
	Grading string

	Channel   string
	Caller    string // who phoned, faxed or wrote, for duty-officer intake
	EnteredBy int64  // the user who entered it
	Source    string // e.g. "monitor:alert:42"

	ResponseLevel     Grade
	ResponseStartedAt time.Time
	ResponseEndedAt   time.Time
	HandlingEndedAt   time.Time
	CloseReason       string

	CreatedAt time.Time
	UpdatedAt time.Time
	Version   int
}

// Validate checks an incident before it is stored.
func (inc *Incident) Validate() error {
	var bad Invalid
	if inc.OrgID <= 0 {
		bad.Add(FieldErrorf("org_id", "Choose the unit where the incident happened. / 请选择事发单位。"))
	}
	bad.Add(checkText("title", inc.Title, 200, true))
	if inc.DiscoveredAt.IsZero() {
		bad.Add(FieldErrorf("discovered_at", "Give the time the incident was discovered. / 请填写发现时间。"))
	}
	if !inc.OccurredAt.IsZero() && !inc.DiscoveredAt.IsZero() && inc.OccurredAt.After(inc.DiscoveredAt) {
		bad.Add(FieldErrorf("occurred_at", "The incident cannot have occurred after it was discovered. / 发生时间不能晚于发现时间。"))
	}
	for _, field := range []string{"description", "impact", "measures"} {
		v := map[string]string{"description": inc.Description, "impact": inc.Impact, "measures": inc.Measures}[field]
		bad.Add(checkText(field, v, 20000, false))
	}
	bad.Add(checkText("caller", inc.Caller, 200, false))
	ok := false
	for _, c := range IntakeChannels {
		if c == inc.Channel {
			ok = true
		}
	}
	if !ok {
		bad.Add(FieldErrorf("channel", "Channel %q is unknown: use unit, phone, fax, wechat, email, monitoring or public. / 未知报告渠道。", inc.Channel))
	}
	if ok && inc.Channel != ChannelUnit && inc.Channel != ChannelMonitoring && inc.Caller == "" {
		bad.Add(FieldErrorf("caller", "Record who reported it (name and phone). / 请记录报告人姓名和电话。"))
	}
	return bad.Err()
}

// EffectiveGrade is the override when set, else the computed grade.
func (inc *Incident) EffectiveGrade() Grade {
	if inc.GradeOverride.Valid() {
		return inc.GradeOverride
	}
	return inc.ComputedGrade
}

// Report kinds.
const (
	ReportInitial  = "initial"   // 初报
	ReportFollowUp = "follow_up" // 续报
	ReportFinal    = "final"     // 终报
)

// Report is one version of an incident report: the content items, who
// signed it and who to call.
type Report struct {
	ID         int64
	IncidentID int64
	Kind       string
	// Number counts follow-ups (1, 2 …); 1 for initial and final.
	Number int
	// Revision counts corrections of the same report.
	Revision int
	// Content holds the form items by field id (cac-2025 items, the plan's
	// report form fields).
	Content       map[string]string
	Signer        string // 签发人
	ReporterName  string
	ReporterPhone string
	SubmittedAt   time.Time
	SubmittedBy   int64
	CreatedAt     time.Time
}

// Obligation states.
const (
	ObligationOpen      = "open"
	ObligationOnTime    = "on_time"
	ObligationLate      = "late"
	ObligationMissed    = "missed"
	ObligationCancelled = "cancelled"
)

// Obligation is anything with a due time: a report, an acknowledgement,
// an onward report, a post-incident deadline, a playbook task. One table,
// one scheduler, one overdue rule.
type Obligation struct {
	ID         int64
	Kind       string // report, forward, deadline, task, warning_ack, daily_report …
	IncidentID int64
	SubjectID  int64 // e.g. the delivery or warning target it is about
	// OwnerOrgID must act; RecipientOrgID (0 when outside the platform)
	// receives, and is told when it is overdue.
	OwnerOrgID     int64
	RecipientOrgID int64
	RecipientName  string
	PlanID         string
	RuleID         string // route, deadline or step id in the plan
	Clause         string
	Title          string
	// DueAt is zero for "immediately"/"timely" duties without a number.
	DueAt      time.Time
	Urgency    string
	State      string
	DoneAt     time.Time
	DoneNote   string
	RemindAt   time.Time
	RemindedAt time.Time
	// EscalatedAt is when the recipient was told it is overdue.
	EscalatedAt time.Time
	CreatedAt   time.Time
}

// Overdue reports whether an open obligation is past its due time.
func (o *Obligation) Overdue(now time.Time) bool {
	return o.State == ObligationOpen && !o.DueAt.IsZero() && !now.Before(o.DueAt)
}

// Complete closes the obligation at t: on time or late.
func (o *Obligation) Complete(t time.Time, note string) {
	o.DoneAt, o.DoneNote = t, note
	if !o.DueAt.IsZero() && t.After(o.DueAt) {
		o.State = ObligationLate
	} else {
		o.State = ObligationOnTime
	}
}
