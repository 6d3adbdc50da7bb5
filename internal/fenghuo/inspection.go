package fenghuo

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Inspection campaigns (C8; seed 000 §3, seed 004 §3(一)): an office sends
// a checklist to the units of its scope, which inspect themselves (自查), or
// inspects them itself (检查). Each unit answers every item by the end of the
// window; a non-compliant answer becomes a finding (隐患).

// CampaignKind says who answers: the unit itself or the office.
type CampaignKind string

const (
	CampaignSelf   CampaignKind = "self"   // 自查: each unit answers for itself
	CampaignOffice CampaignKind = "office" // 检查: the office's inspectors answer for each unit
)

// Valid reports whether k is a known kind.
func (k CampaignKind) Valid() bool { return k == CampaignSelf || k == CampaignOffice }

// Campaign states.
const (
	CampaignOpen   = "open"
	CampaignClosed = "closed"
)

// Answers to a checklist item.
const (
	AnswerCompliant     = "compliant"
	AnswerNonCompliant  = "non_compliant"
	AnswerNotApplicable = "not_applicable"
)

// ObligationKindInspection is the kind of a unit's duty to answer a
// campaign by its due time (SubjectID: the campaign; IncidentID 0).
const ObligationKindInspection = "inspection"

// Campaign is one inspection campaign.
type Campaign struct {
	ID int64
	// OrgID is the issuing office.
	OrgID int64
	Kind  CampaignKind
	Title string
	// ChecklistID and ChecklistVersion (label+digest) name the checklist;
	// ChecklistYAML is its text as issued, so later versions never change
	// what units were asked.
	ChecklistID      string
	ChecklistVersion string
	ChecklistYAML    string
	// Scope chose the targets when the campaign was issued.
	Scope     Targeting
	StartsAt  time.Time
	DueAt     time.Time
	State     string
	CreatedBy int64
	CreatedAt time.Time
	// ClosedAt, ClosedBy and CloseReason record the issuer's close: no
	// answer is taken after it.
	ClosedAt    time.Time
	ClosedBy    int64
	CloseReason string
}

// Closed reports whether the issuer has closed the campaign.
func (c *Campaign) Closed() bool { return c.State == CampaignClosed }

// Validate checks what the issuer gives.
func (c *Campaign) Validate() error {
	if !c.Kind.Valid() {
		return FieldErrorf("kind", "Choose self-inspection or inspection by the office. / 请选择自查或检查。")
	}
	if err := checkText("title", c.Title, 200, true); err != nil {
		return err
	}
	if c.ChecklistID == "" || c.ChecklistYAML == "" {
		return FieldErrorf("checklist", "Choose a checklist. / 请选择检查表。")
	}
	if c.StartsAt.IsZero() || c.DueAt.IsZero() {
		return FieldErrorf("due_at", "Give the start and the due date of the window. / 请填写开始和截止时间。")
	}
	if !c.DueAt.After(c.StartsAt) {
		return FieldErrorf("due_at", "The due date must be after the start. / 截止时间须晚于开始时间。")
	}
	return nil
}

// CampaignTarget is one unit a campaign reaches, with its progress.
type CampaignTarget struct {
	ID           int64
	CampaignID   int64
	OrgID        int64
	OrgName      string
	Reason       string
	ObligationID int64
	// SubmittedAt is when every item was answered and the answers sent.
	SubmittedAt time.Time
	SubmittedBy int64
	// ReturnedAt, ReturnedBy and ReturnNote record the issuer's last
	// sending back of the unit's answers to be filled in again (退回重填).
	ReturnedAt time.Time
	ReturnedBy int64
	ReturnNote string
	// Answered, NonCompliant and Findings count the unit's answers.
	Answered     int
	NonCompliant int
	Findings     int
}

// Submitted reports whether the unit has sent its answers.
func (t *CampaignTarget) Submitted() bool { return !t.SubmittedAt.IsZero() }

// InspectionAnswer is a unit's answer to one item.
type InspectionAnswer struct {
	ID         int64
	CampaignID int64
	OrgID      int64
	ItemID     string
	Answer     string
	// Reason is required when the item does not apply; Evidence says what
	// was checked and where the record is kept.
	Reason   string
	Evidence string
	// SystemID is the system a non-compliant answer is about (0: the unit).
	SystemID   int64
	FindingID  int64
	AnsweredBy int64
	AnsweredAt time.Time
}

// ValidAnswer reports whether a is one of the three answers.
func ValidAnswer(a string) bool {
	return a == AnswerCompliant || a == AnswerNonCompliant || a == AnswerNotApplicable
}

// Validate checks one answer.
func (a *InspectionAnswer) Validate() error {
	switch a.Answer {
	case AnswerCompliant, AnswerNonCompliant:
	case AnswerNotApplicable:
		if strings.TrimSpace(a.Reason) == "" {
			return FieldErrorf("reason", "Item %s: say why it does not apply. / 检查项%s：请说明不适用的理由。", a.ItemID, a.ItemID)
		}
	default:
		return FieldErrorf("answer", "Item %s: answer compliant, non-compliant or not applicable. / 检查项%s：请选择符合、不符合或不适用。", a.ItemID, a.ItemID)
	}
	if utf8.RuneCountInString(a.Reason) > 2000 || utf8.RuneCountInString(a.Evidence) > 4000 {
		return FieldErrorf("evidence", "Item %s: the text is too long. / 检查项%s：文字过长。", a.ItemID, a.ItemID)
	}
	return nil
}

// InspectionEvidence is a file proving a unit's answer to one item (a
// screenshot, a configuration export, a scan report), stored like incident
// evidence with its SM3 digest.
type InspectionEvidence struct {
	ID          int64
	CampaignID  int64
	OrgID       int64
	ItemID      string
	Filename    string
	ContentType string
	Size        int64
	SM3         string
	StorageKey  string
	Note        string
	UploadedBy  int64
	UploadedAt  time.Time
}

// ChecklistVersion is one upload of an office's own checklist.
type ChecklistVersion struct {
	ID          int64
	ChecklistID string
	Version     int
	// Label is the document's own version with its digest.
	Label      string
	Title      string
	YAML       string
	SM3        string
	OrgID      int64
	UploadedBy int64
	UploadedAt time.Time
	Note       string
}
