package fenghuo

import (
	"strings"
	"time"
)

// Aftermath document kinds (seed 001 §5).
const (
	DocRecoveryPlan  = "recovery_plan" // 恢复重建方案, §5.1: by the unit, approved by its competent department
	DocInvestigation = "investigation" // 调查与评估报告, §5.2: within 30 days of the response's end
	DocSummary       = "summary"       // 应急总结报告, §5.3: within 20 working days of the end
	DocEndNotice     = "end_notice"    // 结束通知, §4.3
)

// AftermathKinds lists the document kinds in display order.
var AftermathKinds = []string{DocRecoveryPlan, DocInvestigation, DocSummary, DocEndNotice}

// AftermathSections returns the sections a document of kind must fill, in
// order (nil for an unknown kind); they are the sections of the official
// layout in internal/export. §5.1: the unit's recovery, rectification or
// rebuilding plan; §5.2: "总结调查报告应对事件的起因、性质、影响、责任等进行分析
// 评估,提出处理意见和改进措施"; §5.3: the lessons and the proposals.
func AftermathSections(kind string) []string {
	switch kind {
	case DocRecoveryPlan:
		return []string{"situation", "goals", "measures", "safeguards"}
	case DocInvestigation:
		return []string{"cause", "nature", "impact", "responsibility", "handling_opinion", "improvements"}
	case DocSummary:
		return []string{"overview", "experience", "lessons", "suggestions"}
	case DocEndNotice:
		return []string{"text"}
	}
	return nil
}

// Aftermath document states. A draft is edited in place; submitting freezes
// the version; a return sends it back, and the author writes a new version.
const (
	DocDraft     = "draft"
	DocSubmitted = "submitted"
	DocApproved  = "approved"
	DocReturned  = "returned"
	// DocWithdrawn: the author saved a new text while the version waited
	// for approval; the save became the next version and this one left
	// the chain (the decisions made on it are kept).
	DocWithdrawn = "withdrawn"
)

// AftermathTransitionAllowed reports whether a document version may move
// between states. Approved, returned and withdrawn are final for the
// version.
func AftermathTransitionAllowed(from, to string) bool {
	switch from {
	case DocDraft:
		return to == DocSubmitted
	case DocSubmitted:
		return to == DocApproved || to == DocReturned || to == DocWithdrawn
	}
	return false
}

// AftermathDocument is one version of a structured aftermath document.
type AftermathDocument struct {
	ID          int64
	IncidentID  int64
	Kind        string
	Version     int
	State       string
	Body        map[string]string // section key (AftermathSections) → text
	AuthorID    int64
	AuthorOrgID int64
	CreatedAt   time.Time
	UpdatedAt   time.Time
	SubmittedAt time.Time
	DecidedAt   time.Time // approved or returned
}

// Validate checks the kind and, when submit is set, that every section is
// filled (a draft may be incomplete). Unknown sections are refused.
func (d *AftermathDocument) Validate(submit bool) error {
	sections := AftermathSections(d.Kind)
	if sections == nil {
		return FieldErrorf("kind", "Document kind %q is unknown. / 未知文书类型。", d.Kind)
	}
	for k := range d.Body {
		if !contains(sections, k) {
			return FieldErrorf(k, "Section %q does not belong to this document: its sections are %s. / 文书无“%s”部分，可填写：%s。",
				k, strings.Join(sections, ", "), k, strings.Join(sections, "、"))
		}
	}
	if submit {
		for _, k := range sections {
			if strings.TrimSpace(d.Body[k]) == "" {
				return FieldErrorf(k, "Fill this section before submitting. / 提交前请填写此部分。")
			}
		}
	}
	return nil
}

// Approval decisions.
const (
	DecisionApprove = "approve"
	DecisionReturn  = "return"
)

// Approval is one step of a document version's approval chain (unit →
// competent department → 网信办): StepOrder counts from 1.
type Approval struct {
	ID            int64
	DocumentID    int64
	StepOrder     int
	ApproverOrgID int64
	Decision      string
	Note          string
	UserID        int64
	At            time.Time
}

// Improvement measure states.
const (
	ImprovementOpen      = "open"
	ImprovementDone      = "done"
	ImprovementCancelled = "cancelled"
)

// ImprovementTransitionAllowed: an open measure is done or cancelled, once.
func ImprovementTransitionAllowed(from, to string) bool {
	return from == ImprovementOpen && (to == ImprovementDone || to == ImprovementCancelled)
}

// Improvement is an improvement measure (改进措施) from an investigation or
// summary, tracked to its deadline as an obligation of kind "improvement".
type Improvement struct {
	ID           int64
	IncidentID   int64
	DocumentID   int64 // 0: not from a document
	Text         string
	OwnerOrgID   int64
	OwnerUserID  int64
	DueAt        time.Time
	State        string
	ObligationID int64
	CreatedBy    int64
	CreatedAt    time.Time
	UpdatedAt    time.Time
	DoneBy       int64
	DoneAt       time.Time
	DoneNote     string
}

// Accountability record kinds (001 §5.4; seed 000's 三不放过: the cause not
// found, the responsible not dealt with, the lessons not learnt — none is let
// pass).
const (
	RecordReward         = "reward"         // 奖励, §5.4.1
	RecordAccountability = "accountability" // 责任追究, §5.4.2
)

// AccountabilityRecord is a reward or an accountability decision about a
// unit or person for an incident.
type AccountabilityRecord struct {
	ID           int64
	IncidentID   int64
	Kind         string
	Subject      string // the unit or person
	SubjectOrgID int64  // 0: not an org of the platform
	Basis        string // the clause, e.g. "001 §5.4.2(2) 迟报"
	Decision     string
	DecidedOrgID int64
	DecidedBy    int64
	At           time.Time
}

// Validate checks a record before it is stored.
func (r *AccountabilityRecord) Validate() error {
	if r.Kind != RecordReward && r.Kind != RecordAccountability {
		return FieldErrorf("kind", "Kind %q is unknown: use reward or accountability. / 未知类型。", r.Kind)
	}
	if strings.TrimSpace(r.Subject) == "" {
		return FieldErrorf("subject", "Name the unit or person. / 请填写对象。")
	}
	if strings.TrimSpace(r.Basis) == "" {
		return FieldErrorf("basis", "Quote the basis (clause). / 请填写依据。")
	}
	if strings.TrimSpace(r.Decision) == "" {
		return FieldErrorf("decision", "Record the decision. / 请填写处理决定。")
	}
	return nil
}
