package fenghuo

import (
	"strings"
	"time"
)

// Finding sources: where a finding (隐患) came from. Seed 000 §3 and 004 §2
// ask units to find and remove hidden dangers through inspections, risk
// notices, monitoring, incident reviews and exposure checks; an office may
// also record one reported to it from outside (external).
const (
	FindingSourceInspection = "inspection"
	FindingSourceRiskNotice = "risk_notice"
	FindingSourceMonitoring = "monitoring"
	FindingSourceAftermath  = "aftermath"
	FindingSourceExposure   = "exposure"
	FindingSourceExternal   = "external"
)

// FindingSources lists the sources in display order.
var FindingSources = []string{FindingSourceInspection, FindingSourceRiskNotice, FindingSourceMonitoring,
	FindingSourceAftermath, FindingSourceExposure, FindingSourceExternal}

// Finding severities, most severe first.
const (
	SeverityCritical = "critical"
	SeverityHigh     = "high"
	SeverityMedium   = "medium"
	SeverityLow      = "low"
)

// FindingSeverities lists the severities, most severe first.
var FindingSeverities = []string{SeverityCritical, SeverityHigh, SeverityMedium, SeverityLow}

// SeverityRank orders severities: 0 for critical up to 3 for low, -1 for an
// unknown one.
func SeverityRank(s string) int {
	for i, v := range FindingSeverities {
		if v == s {
			return i
		}
	}
	return -1
}

// Finding states. A finding is open when found, rectifying while the unit
// works on it, submitted when the unit says it is fixed (with evidence);
// the office above re-checks it and closes it as verified or sends it back
// to rectifying with a reason. The office may instead accept the risk with
// a reason and an expiry; when the acceptance expires the finding reopens.
const (
	FindingOpen       = "open"
	FindingRectifying = "rectifying"
	FindingSubmitted  = "submitted"
	FindingClosed     = "closed" // verified by the office and closed
	FindingAccepted   = "accepted"
)

// FindingStates lists the states in display order.
var FindingStates = []string{FindingOpen, FindingRectifying, FindingSubmitted, FindingAccepted, FindingClosed}

// FindingSourceValid reports whether s is a known source.
func FindingSourceValid(s string) bool {
	for _, v := range FindingSources {
		if v == s {
			return true
		}
	}
	return false
}

// FindingActive reports whether a finding in state s still counts: it is
// not closed. An identical finding raised again merges into an active one.
func FindingActive(s string) bool { return s != FindingClosed && s != "" }

// FindingNeedsWork reports whether a finding in state s is the unit's to
// fix (its obligation is open): open or rectifying.
func FindingNeedsWork(s string) bool { return s == FindingOpen || s == FindingRectifying }

// FindingTransitionAllowed reports whether a finding may move from one
// state to another. The unit starts work and submits; the office verifies
// (closed) or rejects (back to rectifying) a submission, and may accept the
// risk of an open, rectifying or submitted finding; an expired acceptance
// reopens it.
func FindingTransitionAllowed(from, to string) bool {
	switch to {
	case FindingRectifying:
		return from == FindingOpen || from == FindingSubmitted
	case FindingSubmitted:
		return from == FindingOpen || from == FindingRectifying
	case FindingClosed:
		return from == FindingSubmitted
	case FindingAccepted:
		return from == FindingOpen || from == FindingRectifying || from == FindingSubmitted
	case FindingOpen:
		return from == FindingAccepted
	}
	return false
}

// Finding is one hidden danger (隐患) of a unit, optionally of one of its
// systems, in the ledger every office keeps toward zero. Key identifies
// "the same finding" from one source (e.g. a checklist item, a CVE and
// product, a port); an identical active finding is counted again
// (Occurrences), not repeated.
type Finding struct {
	ID        int64
	OrgID     int64
	SystemID  int64 // 0: the unit as a whole
	Source    string
	SourceRef string // what raised it: "campaign:12/item:3", "notice:7", …
	Key       string
	Title     string
	Detail    string
	Severity  string
	State     string
	// DueAt is the rectification deadline: the office's SLA for the
	// severity unless given.
	DueAt       time.Time
	OwnerUserID int64 // 0: the unit
	Occurrences int
	FirstSeenAt time.Time
	LastSeenAt  time.Time
	// ObligationID is the open duty tracking the deadline (0: none while
	// submitted, accepted or closed).
	ObligationID int64
	// AcceptedUntil and AcceptReason are set while the risk is accepted.
	AcceptedUntil time.Time
	AcceptReason  string
	CreatedBy     int64
	CreatedAt     time.Time
	UpdatedAt     time.Time
	ClosedAt      time.Time
	ClosedBy      int64
}

// Validate checks a finding before it is stored.
func (f *Finding) Validate() error {
	if f.OrgID == 0 {
		return FieldErrorf("org_id", "Choose the unit the finding is about. / 请选择隐患所属单位。")
	}
	if !FindingSourceValid(f.Source) {
		return FieldErrorf("source", "Source %q is unknown. / 未知隐患来源。", f.Source)
	}
	if strings.TrimSpace(f.Key) == "" || len(f.Key) > 300 {
		return FieldErrorf("key", "A finding needs a key of 1 to 300 bytes. / 隐患标识不能为空。")
	}
	if strings.TrimSpace(f.Title) == "" {
		return FieldErrorf("title", "Give the finding a title. / 请填写隐患名称。")
	}
	if len([]rune(f.Title)) > 200 {
		return FieldErrorf("title", "Keep the title under 200 characters. / 隐患名称不超过200字。")
	}
	if len([]rune(f.Detail)) > 8000 {
		return FieldErrorf("detail", "Keep the description under 8,000 characters. / 隐患描述不超过8000字。")
	}
	if SeverityRank(f.Severity) < 0 {
		return FieldErrorf("severity", "Choose critical, high, medium or low. / 请选择严重、高、中或低。")
	}
	return nil
}

// FindingEvent is one line of a finding's history: raised, seen again,
// state changes with their reasons, comments and evidence.
type FindingEvent struct {
	ID         int64
	FindingID  int64
	UserID     int64
	UserName   string
	Kind       string // raised, merged, state, comment, evidence
	State      string // the state after the event
	Body       string
	EvidenceID int64 // 0: none (a finding_evidence row)
	At         time.Time
}

// FindingEvidence is a file a unit uploaded as proof of rectification,
// kept like incident evidence (outside any served path, SM3 digest).
type FindingEvidence struct {
	ID          int64
	FindingID   int64
	Filename    string
	ContentType string
	Size        int64
	SM3         string
	StorageKey  string
	Note        string
	UploadedBy  int64
	UploadedAt  time.Time
}

// FindingSLA is the rectification time per severity (days) an office sets;
// its units and sub-offices inherit it unless they set their own.
type FindingSLA struct {
	Critical int `json:"critical"`
	High     int `json:"high"`
	Medium   int `json:"medium"`
	Low      int `json:"low"`
}

// DefaultFindingSLA is used where no office on the path set one: critical
// 3 days, high 7, medium 30, low 90.
var DefaultFindingSLA = FindingSLA{Critical: 3, High: 7, Medium: 30, Low: 90}

// Days returns the rectification time for a severity.
func (s FindingSLA) Days(severity string) int {
	switch severity {
	case SeverityCritical:
		return s.Critical
	case SeverityHigh:
		return s.High
	case SeverityMedium:
		return s.Medium
	}
	return s.Low
}

// Validate checks that every severity has 1 to 365 days and a more severe
// finding never has longer than a less severe one.
func (s FindingSLA) Validate() error {
	days := []int{s.Critical, s.High, s.Medium, s.Low}
	for i, d := range days {
		if d < 1 || d > 365 {
			return FieldErrorf(FindingSeverities[i], "Give 1 to 365 days. / 整改时限为1至365天。")
		}
		if i > 0 && d < days[i-1] {
			return FieldErrorf(FindingSeverities[i], "A less severe finding cannot have less time than a more severe one. / 较低级别的整改时限不能短于较高级别。")
		}
	}
	return nil
}
