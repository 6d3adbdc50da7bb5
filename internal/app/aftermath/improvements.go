package aftermath

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/calendar"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/phrase"
	"fenghuo/internal/store"
)

// ImprovementInput is a new improvement measure (§5.2 改进措施): what, who
// (an org, optionally one of its accounts) and by when; DocumentID links it
// to the report that proposed it (0: none).
type ImprovementInput struct {
	DocumentID  int64
	Text        string
	OwnerOrgID  int64
	OwnerUserID int64
	DueAt       time.Time
}

// AddImprovement records a measure and its obligation (kind "improvement",
// owned by the measure's org, addressed to the actor's org — or to the 网信办
// above the unit when the owner records its own): the scheduler reminds
// the owner before the deadline and escalates to both when it passes.
func (s *Service) AddImprovement(ctx context.Context, ac *app.Actor, incidentID int64, in ImprovementInput) (*fenghuo.Improvement, error) {
	in.Text = strings.TrimSpace(in.Text)
	now := s.core.Now()
	if in.Text == "" {
		return nil, fenghuo.FieldErrorf("text", "Describe the measure. / 请填写整改措施。")
	}
	if in.DueAt.IsZero() {
		return nil, fenghuo.FieldErrorf("due_at", "Give the deadline. / 请填写完成时限。")
	}
	if !in.DueAt.After(now) {
		return nil, fenghuo.FieldErrorf("due_at", "The deadline must be in the future. / 完成时限应晚于当前时间。")
	}
	var out *fenghuo.Improvement
	err := s.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		_, unit, err := access(ctx, tx, ac, incidentID, fenghuo.PermIncidentWrite)
		if err != nil {
			return err
		}
		if !mayAuthor(ac, unit) {
			return app.ErrForbidden
		}
		if in.OwnerOrgID == 0 {
			return fenghuo.FieldErrorf("owner_org_id", "Choose the organisation responsible. / 请选择责任单位。")
		}
		owner, err := tx.Org(ctx, in.OwnerOrgID)
		if err != nil || !(fenghuo.InSubtree(unit.Path, owner.Path) || owner.ID == ac.Org.ID) {
			return fenghuo.FieldErrorf("owner_org_id", "Choose the unit, an org under it or your own. / 责任单位应为事发单位、其下属单位或本单位。")
		}
		if in.OwnerUserID != 0 {
			u, err := tx.User(ctx, in.OwnerUserID)
			if err != nil || u.OrgID != owner.ID {
				return fenghuo.FieldErrorf("owner_user_id", "The person must be an account of the organisation responsible. / 责任人应为责任单位的账号。")
			}
		}
		if in.DocumentID != 0 {
			d, err := tx.Document(ctx, in.DocumentID)
			if err != nil || d.IncidentID != incidentID {
				return fenghuo.FieldErrorf("document_id", "The report is not one of this incident's. / 所选文书不属于本事件。")
			}
		}
		recipient := ac.Org.ID
		if recipient == owner.ID {
			cac, err := above(ctx, tx, unit, func(o *fenghuo.Org) bool { return hasRole(o, "cyberspace_office") })
			if err != nil {
				return err
			}
			recipient = 0
			if cac != nil {
				recipient = cac.ID
			}
		}
		out = &fenghuo.Improvement{IncidentID: incidentID, DocumentID: in.DocumentID, Text: in.Text, OwnerOrgID: owner.ID,
			OwnerUserID: in.OwnerUserID, DueAt: in.DueAt, CreatedBy: ac.User.ID}
		if err := tx.CreateImprovement(ctx, out, store.Duty{RecipientOrgID: recipient, Clause: "001 §5.2 改进措施",
			RemindAt: remindAt(now, in.DueAt)}); err != nil {
			return err
		}
		if err := s.core.NotifyOrg(ctx, tx, app.Notice{OrgID: owner.ID, Kind: "improvement.assigned",
			Title: fmt.Sprintf("整改任务：%s（%s前完成）", in.Text, in.DueAt.In(calendar.Shanghai).Format("2006-01-02 15:04")),
			Link:  link(incidentID)}); err != nil {
			return err
		}
		if err := s.timeline(ctx, tx, ac, incidentID, phrase.New("improvement.added", "text", in.Text, "owner", owner.Name,
			"due", in.DueAt.In(calendar.Shanghai).Format("2006-01-02 15:04")), nil); err != nil {
			return err
		}
		return s.core.Record(ctx, tx, ac, "improvement.create", "improvement", ref(out.ID), "success",
			map[string]any{"incident": incidentID, "owner_org": owner.ID, "owner_user": in.OwnerUserID, "due": in.DueAt, "text": in.Text})
	})
	return out, err
}

func hasRole(o *fenghuo.Org, role string) bool {
	for _, r := range o.PlanRoles {
		if r == role {
			return true
		}
	}
	return false
}

// remindAt reminds the owner three days before a measure is due, or when
// three quarters of a shorter time have passed.
func remindAt(now, due time.Time) time.Time {
	lead := due.Sub(now) / 4
	if lead > 72*time.Hour {
		lead = 72 * time.Hour
	}
	return due.Add(-lead)
}

// FinishImprovement closes a measure: done (its obligation on time or
// late) or cancelled, with a note saying how. The owner org, or an office
// above it, decides.
func (s *Service) FinishImprovement(ctx context.Context, ac *app.Actor, incidentID, id int64, state, note string) (*fenghuo.Improvement, error) {
	note = strings.TrimSpace(note)
	if state != fenghuo.ImprovementDone && state != fenghuo.ImprovementCancelled {
		return nil, fenghuo.FieldErrorf("state", "Mark it done or cancelled. / 请选择已完成或撤销。")
	}
	if note == "" {
		return nil, fenghuo.FieldErrorf("note", "Say what was done (or why it is cancelled). / 请说明整改情况（或撤销理由）。")
	}
	var out *fenghuo.Improvement
	err := s.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		if _, _, err := access(ctx, tx, ac, incidentID, fenghuo.PermIncidentWrite); err != nil {
			return err
		}
		m, err := tx.Improvement(ctx, id)
		if err != nil {
			return err
		}
		if m.IncidentID != incidentID {
			return fenghuo.Errorf(fenghuo.ENOTFOUND, "Improvement %d not found. / 未找到该整改措施。", id)
		}
		owner, err := tx.Org(ctx, m.OwnerOrgID)
		if err != nil {
			return err
		}
		if !fenghuo.InSubtree(ac.Org.Path, owner.Path) {
			return fenghuo.Errorf(fenghuo.EFORBIDDEN, "Only %s or an office above it closes this measure. / 此整改措施由%s或其上级确认完成。", owner.Name, owner.Name)
		}
		if out, err = tx.SetImprovementState(ctx, id, state, ac.User.ID, note); err != nil {
			return err
		}
		key := "improvement.done"
		if state == fenghuo.ImprovementCancelled {
			key = "improvement.cancelled"
		}
		if err := s.timeline(ctx, tx, ac, incidentID, phrase.New(key, "text", m.Text, "note", note), nil); err != nil {
			return err
		}
		return s.core.Record(ctx, tx, ac, "improvement."+state, "improvement", ref(id), "success",
			map[string]any{"incident": incidentID, "note": note})
	})
	return out, err
}

// MyImprovements lists the open measures the actor's org owns, soonest due
// first.
func (s *Service) MyImprovements(ctx context.Context, ac *app.Actor, p store.Page) ([]fenghuo.Improvement, error) {
	if err := app.Require(ac, fenghuo.PermIncidentRead); err != nil {
		return nil, err
	}
	return s.core.DB().OpenImprovementsOf(ctx, ac.Org.ID, p)
}

// RecordInput is a reward or accountability record (§5.4).
type RecordInput struct {
	Kind         string // fenghuo.RecordReward or RecordAccountability
	Subject      string
	SubjectOrgID int64
	Basis        string
	Decision     string
}

// AddRecord stores a reward or accountability decision about a unit or a
// person for the incident, made by the actor's office.
func (s *Service) AddRecord(ctx context.Context, ac *app.Actor, incidentID int64, in RecordInput) (*fenghuo.AccountabilityRecord, error) {
	var out *fenghuo.AccountabilityRecord
	err := s.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		_, unit, err := access(ctx, tx, ac, incidentID, fenghuo.PermIncidentReceive)
		if err != nil {
			return err
		}
		if ac.Org.ID == unit.ID {
			return fenghuo.Errorf(fenghuo.EFORBIDDEN, "Rewards and accountability are decided by the offices, not the unit itself. / 奖惩和责任追究由主管部门或网信部门作出。")
		}
		if in.SubjectOrgID != 0 {
			o, err := tx.Org(ctx, in.SubjectOrgID)
			if err != nil || !fenghuo.InSubtree(ac.Org.Path, o.Path) {
				return fenghuo.FieldErrorf("subject_org_id", "Choose an org you oversee, or leave it empty for a person. / 请选择本单位管辖的单位，个人可不选。")
			}
			if strings.TrimSpace(in.Subject) == "" {
				in.Subject = o.Name
			}
		}
		out = &fenghuo.AccountabilityRecord{IncidentID: incidentID, Kind: in.Kind, Subject: strings.TrimSpace(in.Subject),
			SubjectOrgID: in.SubjectOrgID, Basis: strings.TrimSpace(in.Basis), Decision: strings.TrimSpace(in.Decision),
			DecidedOrgID: ac.Org.ID, DecidedBy: ac.User.ID}
		if err := tx.CreateAccountabilityRecord(ctx, out); err != nil {
			return err
		}
		key := "record.reward"
		if out.Kind == fenghuo.RecordAccountability {
			key = "record.accountability"
		}
		if err := s.timeline(ctx, tx, ac, incidentID, phrase.New(key, "subject", out.Subject, "basis", out.Basis, "decision", out.Decision), nil); err != nil {
			return err
		}
		return s.core.Record(ctx, tx, ac, "accountability.create", "accountability_record", ref(out.ID), "success",
			map[string]any{"incident": incidentID, "kind": out.Kind, "subject": out.Subject, "basis": out.Basis, "decision": out.Decision})
	})
	return out, err
}
