package fenghuo

import (
	"encoding/json"
	"strings"
	"time"
)

// Response activation states. One ResponseActivation row is one period of
// one response level; a level change supersedes the active row and starts a
// new one, so the rows of an incident are its level history.
const (
	ResponseRequested  = "requested"  // a unit or lower office asked for the level
	ResponseActive     = "active"     // the office with the authority activated it
	ResponseEnded      = "ended"      // ended with an end notice (001 §4.3)
	ResponseRefused    = "refused"    // the request was turned down, with the clause
	ResponseSuperseded = "superseded" // replaced by another level (raised or lowered)
)

// ResponseStates lists the activation states in their usual order.
var ResponseStates = []string{ResponseRequested, ResponseActive, ResponseEnded, ResponseRefused, ResponseSuperseded}

// ResponseTransitionAllowed reports whether an activation may move from one
// state to another. A request is decided once (activated, refused, or
// replaced by another request or level); an active level either ends or is
// superseded by a level change; ended, refused and superseded are final.
func ResponseTransitionAllowed(from, to string) bool {
	switch from {
	case ResponseRequested:
		return to == ResponseActive || to == ResponseRefused || to == ResponseSuperseded
	case ResponseActive:
		return to == ResponseEnded || to == ResponseSuperseded
	}
	return false
}

// ResponseOpen reports whether an activation in state s still counts for
// its incident (waiting for a decision or in force).
func ResponseOpen(s string) bool { return s == ResponseRequested || s == ResponseActive }

// ResponseActivation is one period of a response level for an incident
// (seed 001 §4.2): who asked, who decided under which clause, when it
// started and ended, and the end notice (结束通知, §4.3).
type ResponseActivation struct {
	ID         int64
	IncidentID int64
	PlanID     string
	Level      Grade // I–IV; Ⅰ is the highest
	State      string
	// RequestedBy/RequestedOrgID asked for the level (a unit may request;
	// the office activates). RequestedAt is when.
	RequestedBy    int64
	RequestedOrgID int64
	RequestedAt    time.Time
	// DecidedBy/DecidedOrgID activated or refused it, at DecidedAt.
	DecidedBy    int64
	DecidedOrgID int64
	DecidedAt    time.Time
	// Clause is the plan clause that allows (or refused) the level, quoted
	// to the user ("001 §4.2.2 旗委网信委批准后…").
	Clause string
	// Reason is free text: why it was requested, refused or changed.
	Reason string
	// HandUpOrgID is the higher office the decision was handed up to when
	// the level exceeds the deciding office's authority (0: none).
	HandUpOrgID int64
	// PreviousID is the activation this one superseded (0: the first).
	PreviousID  int64
	ActivatedAt time.Time
	EndedAt     time.Time
	EndedBy     int64
	EndClause   string
	EndNotice   string // the text of the end notice sent to the recipients
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Command structure roles (指挥部 / 领导小组).
const (
	CommandCommander  = "commander"   // 总指挥
	CommandDeputy     = "deputy"      // 副总指挥
	CommandRegular    = "member"      // 成员
	CommandLiaison    = "liaison"     // 联络员
	CommandOnsiteTeam = "onsite_team" // 现场工作组
	CommandExpert     = "expert"      // 专家
)

// CommandRoles lists the roles in display order.
var CommandRoles = []string{CommandCommander, CommandDeputy, CommandRegular, CommandLiaison, CommandOnsiteTeam, CommandExpert}

// CommandRoleValid reports whether r is a command structure role.
func CommandRoleValid(r string) bool { return contains(CommandRoles, r) }

// CommandMember is one person (or team) of the command structure set up for
// an activation.
type CommandMember struct {
	ID           int64
	ActivationID int64
	Role         string
	Name         string
	OrgID        int64 // 0: outside the platform
	UserID       int64 // 0: no account
	Phone        string
	CreatedAt    time.Time
}

// Validate checks a member before it is stored.
func (m *CommandMember) Validate() error {
	if !CommandRoleValid(m.Role) {
		return FieldErrorf("role", "Role %q is unknown: use commander, deputy, member, liaison, onsite_team or expert. / 未知职责。", m.Role)
	}
	if strings.TrimSpace(m.Name) == "" {
		return FieldErrorf("name", "Give the member's name. / 请填写姓名。")
	}
	return nil
}

// ResponseSwitch is one switch a level applied (24-hour duty, support teams
// on standby, progress reports …), keyed as in the plan; Detail records
// what it did (JSON object, e.g. the tasks or obligations it created).
type ResponseSwitch struct {
	ID           int64
	ActivationID int64
	Key          string
	AppliedAt    time.Time
	Detail       json.RawMessage
}

// End-notice delivery states.
const (
	DeliveryPending   = "pending"
	DeliveryDelivered = "delivered"
	DeliveryFailed    = "failed"
)

// EndNoticeRecipient is one party notified when a response was activated:
// the end notice goes to the same parties (001 §4.3 "及时通报有关地区和部门").
// Delivery state and acknowledgement are kept per recipient.
type EndNoticeRecipient struct {
	ID           int64
	ActivationID int64
	OrgID        int64 // 0: outside the platform (Name holds who)
	UserID       int64
	Name         string
	NotifiedAt   time.Time // when told of the activation
	EndSentAt    time.Time // zero until the end notice is sent
	Delivery     string    // pending, delivered, failed (of the end notice)
	DeliveryNote string    // the channel's error, when failed
	AckedAt      time.Time
	AckedBy      int64
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
