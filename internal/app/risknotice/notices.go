package risknotice

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/app/finding"
	"fenghuo/internal/calendar"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// Input is a notice as an office writes it. OrgID is the issuing office
// (0: the actor's own org). RectifyDays 0 takes the default, 7.
type Input struct {
	OrgID       int64
	Title       string
	Vendor      string
	Product     string
	Ranges      string
	RefIDs      []string
	Description string
	Measures    string
	Severity    string
	RectifyDays int
}

// issuer is the office a notice is issued from: the actor's org unless
// another of its subtree is named, with the right to issue there (the
// offices that issue warnings issue risk notices).
func issuer(ctx context.Context, tx *store.Tx, ac *app.Actor, orgID int64) (*fenghuo.Org, error) {
	if orgID == 0 {
		orgID = ac.Org.ID
	}
	org, err := tx.Org(ctx, orgID)
	if err != nil {
		return nil, err
	}
	if err := app.RequireAt(ac, fenghuo.PermWarningIssue, org.Path, "Org", orgID); err != nil {
		return nil, err
	}
	return org, nil
}

// plan checks in and works out the notice and its targets without storing
// anything.
func (s *Service) plan(ctx context.Context, tx *store.Tx, ac *app.Actor, in Input) (*fenghuo.RiskNotice, []fenghuo.RiskNoticeTarget, *fenghuo.Org, error) {
	org, err := issuer(ctx, tx, ac, in.OrgID)
	if err != nil {
		return nil, nil, nil, err
	}
	aff, err := ParseAffected(in.Vendor, in.Product, in.Ranges)
	if err != nil {
		return nil, nil, nil, err
	}
	n := &fenghuo.RiskNotice{OrgID: org.ID, Title: in.Title, Vendor: in.Vendor, Product: in.Product, ProductKey: aff.Product.Key,
		Ranges: aff.Ranges.String(), RefIDs: append([]string(nil), in.RefIDs...), Description: strings.TrimSpace(in.Description),
		Measures: strings.TrimSpace(in.Measures), Severity: in.Severity, RectifyDays: in.RectifyDays, CreatedBy: ac.User.ID}
	if err := n.Validate(); err != nil {
		return nil, nil, nil, err
	}
	n.DueAt = s.core.Now().Add(time.Duration(n.RectifyDays) * 24 * time.Hour)
	comps, err := tx.ActiveComponents(ctx, org.Path)
	if err != nil {
		return nil, nil, nil, err
	}
	subtree, err := app.AllSubtree(ctx, tx, org.ID)
	if err != nil {
		return nil, nil, nil, err
	}
	names := map[int64]string{}
	for _, o := range subtree {
		names[o.ID] = o.Name
	}
	return n, aff.Targets(comps, org.ID, names), org, nil
}

// Preview returns the units a notice would reach and why, without issuing
// it: the form shows it before the office sends.
func (s *Service) Preview(ctx context.Context, ac *app.Actor, in Input) ([]fenghuo.RiskNoticeTarget, error) {
	var targets []fenghuo.RiskNoticeTarget
	err := s.core.DB().View(ctx, func(tx *store.Tx) error {
		var err error
		_, targets, _, err = s.plan(ctx, tx, ac, in)
		return err
	})
	return targets, err
}

// Issue stores the notice, a target per unit that runs an affected version
// with its obligation to answer (reminded a day before, escalated to the
// issuer when overdue), tells each unit, and audits.
func (s *Service) Issue(ctx context.Context, ac *app.Actor, in Input) (*fenghuo.RiskNotice, []fenghuo.RiskNoticeTarget, error) {
	var n *fenghuo.RiskNotice
	var targets []fenghuo.RiskNoticeTarget
	err := s.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		var org *fenghuo.Org
		var err error
		n, targets, org, err = s.plan(ctx, tx, ac, in)
		if err != nil {
			return err
		}
		if len(targets) == 0 {
			return fenghuo.FieldErrorf("ranges", "No unit under %s has a registered system running an affected version of %s. / 辖区内没有单位登记的系统运行受影响版本，无需发送。", org.Name, in.Product)
		}
		if err := tx.CreateRiskNotice(ctx, n); err != nil {
			return err
		}
		if err := s.sign(ctx, tx, ac, org, n); err != nil {
			return err
		}
		remind := n.DueAt.Add(-24 * time.Hour)
		for i := range targets {
			t := &targets[i]
			if err := tx.AddRiskNoticeTarget(ctx, n, t, store.Duty{RecipientOrgID: org.ID, RemindAt: remind, Clause: "附件4 五"}); err != nil {
				return err
			}
			if err := s.core.NotifyOrg(ctx, tx, app.Notice{OrgID: t.OrgID, Kind: "risk_notice.issued",
				Title: "【风险通报】" + n.Title,
				Body: fmt.Sprintf("发布单位：%s\n受影响组件：%s %s\n你单位受影响的系统：%s\n请于%s前答复是否受影响。", org.Name,
					n.Product, strings.ReplaceAll(n.Ranges, "\n", ";"), t.Reason(), at(n.DueAt)),
				Link: link(n.ID)}); err != nil {
				return err
			}
		}
		return s.core.Record(ctx, tx, ac, "risk_notice.issue", "risk_notice", strconv.FormatInt(n.ID, 10), "success",
			map[string]any{"product": n.ProductKey, "ranges": n.Ranges, "targets": len(targets), "due_at": n.DueAt})
	})
	if err != nil {
		return nil, nil, err
	}
	return n, targets, nil
}

func link(id int64) string { return fmt.Sprintf("/risk-notices/%d", id) }

func at(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(calendar.Shanghai).Format("2006-01-02 15:04")
}

// List is the notices the actor's subtree issued or was sent, newest first.
func (s *Service) List(ctx context.Context, ac *app.Actor, p store.Page) (store.ListResult[fenghuo.RiskNotice], error) {
	if err := app.Require(ac, fenghuo.PermIncidentRead); err != nil {
		return store.ListResult[fenghuo.RiskNotice]{}, err
	}
	return s.core.DB().RiskNoticesVisible(ctx, ac.Org.Path, p)
}

// TargetRow is a target as the board shows it.
type TargetRow struct {
	fenghuo.RiskNoticeTarget
	Obligation *fenghuo.Obligation
	Findings   []fenghuo.Finding
	// Overdue: no answer and the deadline passed (escalated to the issuer).
	Overdue bool
	// CanAnswer: the actor may answer for this unit now.
	CanAnswer bool
}

// Progress counts a notice's targets for the issuer's board.
type Progress struct {
	Targets, Affected, NotAffected, Unanswered, Overdue int
	// FindingsOpen are the findings raised that are not yet closed;
	// FindingsClosed those verified and closed.
	FindingsOpen, FindingsClosed int
}

// Detail is a notice with its targets as the actor may see them: all of
// them for the issuer's side, its own for a unit.
type Detail struct {
	Notice  *fenghuo.RiskNotice
	Issuer  *fenghuo.Org
	Targets []TargetRow
	// Progress counts the targets shown.
	Progress Progress
	// CanManage: the actor may close the notice (the issuer's side).
	CanManage bool
	// Signature says who signed the notice and whether it is as issued.
	Signature app.RecordCheck
}

// Notice returns a notice the actor may see.
func (s *Service) Notice(ctx context.Context, ac *app.Actor, id int64) (*Detail, error) {
	d := &Detail{}
	err := s.core.DB().View(ctx, func(tx *store.Tx) error {
		n, err := tx.RiskNotice(ctx, id)
		if err != nil {
			return err
		}
		if d.Issuer, err = tx.Org(ctx, n.OrgID); err != nil {
			return err
		}
		d.Notice = n
		if d.Signature, err = s.checkSignature(ctx, tx, n); err != nil {
			return err
		}
		issuerSide := fenghuo.InSubtree(ac.Org.Path, d.Issuer.Path)
		targets, err := tx.RiskNoticeTargets(ctx, id)
		if err != nil {
			return err
		}
		now := s.core.Now()
		for _, t := range targets {
			o, err := tx.Org(ctx, t.OrgID)
			if err != nil {
				return err
			}
			if !issuerSide && !fenghuo.InSubtree(ac.Org.Path, o.Path) {
				continue
			}
			row := TargetRow{RiskNoticeTarget: t,
				CanAnswer: n.Status == fenghuo.RiskNoticeActive && t.Answer == "" && ac.CanAt(fenghuo.PermWarningAck, o.Path)}
			if t.ObligationID != 0 {
				if row.Obligation, err = tx.Obligation(ctx, t.ObligationID); err != nil {
					return err
				}
				row.Overdue = t.Answer == "" && row.Obligation.Overdue(now)
			}
			for _, fid := range t.FindingIDs {
				f, err := tx.Finding(ctx, fid)
				if err != nil {
					return err
				}
				row.Findings = append(row.Findings, *f)
			}
			d.Targets = append(d.Targets, row)
			d.Progress.add(&row)
		}
		if !issuerSide && len(d.Targets) == 0 {
			return fenghuo.Errorf(fenghuo.ENOTFOUND, "Risk notice %d not found. / 未找到。", id)
		}
		if err := app.Require(ac, fenghuo.PermIncidentRead); err != nil {
			return err
		}
		d.CanManage = issuerSide && n.Status == fenghuo.RiskNoticeActive && ac.CanAt(fenghuo.PermWarningIssue, d.Issuer.Path)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

func (p *Progress) add(r *TargetRow) {
	p.Targets++
	switch r.Answer {
	case fenghuo.RiskAnswerAffected:
		p.Affected++
	case fenghuo.RiskAnswerNotAffected:
		p.NotAffected++
	default:
		p.Unanswered++
	}
	if r.Overdue {
		p.Overdue++
	}
	for _, f := range r.Findings {
		if f.State == fenghuo.FindingClosed {
			p.FindingsClosed++
		} else {
			p.FindingsOpen++
		}
	}
}

// Answer is a unit's answer to a notice: affected, or not affected with
// the reason (upgraded, component not in use, …).
type Answer struct {
	Answer string
	Note   string
}

// AnswerNotice records a targeted unit's answer, closes its obligation
// (late if past the deadline), raises a finding per affected system on
// "affected" (due the notice's deadline, or by the unit's SLA when that has
// passed), tells the issuer and audits.
func (s *Service) AnswerNotice(ctx context.Context, ac *app.Actor, targetID int64, in Answer) (*fenghuo.RiskNoticeTarget, error) {
	in.Note = strings.TrimSpace(in.Note)
	switch in.Answer {
	case fenghuo.RiskAnswerAffected:
	case fenghuo.RiskAnswerNotAffected:
		if in.Note == "" {
			return nil, fenghuo.FieldErrorf("note", "Say why the unit is not affected (e.g. upgraded to 14.1.1, component retired). / 请说明不受影响的原因。")
		}
	default:
		return nil, fenghuo.FieldErrorf("answer", "Answer affected or not_affected. / 请选择受影响或不受影响。")
	}
	if len([]rune(in.Note)) > 2000 {
		return nil, fenghuo.FieldErrorf("note", "The note is longer than 2000 characters. / 说明不超过2000字。")
	}
	var t *fenghuo.RiskNoticeTarget
	err := s.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		var err error
		if t, err = tx.LockRiskNoticeTarget(ctx, targetID); err != nil {
			return err
		}
		org, err := tx.Org(ctx, t.OrgID)
		if err != nil {
			return err
		}
		if err := app.RequireAt(ac, fenghuo.PermWarningAck, org.Path, "Risk notice target", targetID); err != nil {
			return err
		}
		n, err := tx.RiskNotice(ctx, t.NoticeID)
		if err != nil {
			return err
		}
		if n.Status != fenghuo.RiskNoticeActive {
			return fenghuo.Errorf(fenghuo.ECONFLICT, "The notice is closed. / 该通报已关闭。")
		}
		if t.Answer != "" {
			return fenghuo.Errorf(fenghuo.ECONFLICT, "%s already answered this notice. / 该单位已答复。", t.OrgName)
		}
		now := s.core.Now()
		t.Answer, t.AnswerNote, t.AnsweredBy, t.AnsweredAt = in.Answer, in.Note, actorName(ac), now
		if in.Answer == fenghuo.RiskAnswerAffected {
			due := n.DueAt
			if !due.After(now) {
				due = time.Time{} // answered late: the SLA of the severity applies from now
			}
			if err := s.raiseFindings(ctx, tx, ac, n, t, in.Note, due); err != nil {
				return err
			}
		}
		if err := tx.UpdateRiskNoticeTarget(ctx, t); err != nil {
			return err
		}
		if t.ObligationID != 0 {
			o, err := tx.Obligation(ctx, t.ObligationID)
			if err != nil {
				return err
			}
			if o.State == fenghuo.ObligationOpen {
				o.Complete(now, answerLabel(in.Answer))
				if err := tx.UpdateObligation(ctx, o); err != nil {
					return err
				}
			}
		}
		if err := s.core.NotifyOrg(ctx, tx, app.Notice{OrgID: n.OrgID, Kind: "risk_notice.answered",
			Title: fmt.Sprintf("%s答复风险通报：%s", t.OrgName, answerLabel(in.Answer)), Body: in.Note, Link: link(n.ID)}); err != nil {
			return err
		}
		return s.core.Record(ctx, tx, ac, "risk_notice.answer", "risk_notice", strconv.FormatInt(n.ID, 10), "success",
			map[string]any{"target": t.ID, "org": t.OrgID, "answer": in.Answer, "findings": t.FindingIDs})
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// raiseFindings raises (or merges into) a finding per affected system of
// target t, due at due (zero: by the unit's SLA from now), and lists them
// on t (not stored here).
func (s *Service) raiseFindings(ctx context.Context, tx *store.Tx, ac *app.Actor, n *fenghuo.RiskNotice, t *fenghuo.RiskNoticeTarget, note string, due time.Time) error {
	for _, m := range t.Matches {
		f, _, err := s.findings.RaiseTx(ctx, tx, ac, finding.Input{OrgID: t.OrgID, SystemID: m.SystemID,
			Source: fenghuo.FindingSourceRiskNotice, SourceRef: "risk_notice:" + strconv.FormatInt(n.ID, 10),
			Key:   "risk_notice:" + n.ProductKey + ":" + strconv.FormatInt(n.ID, 10),
			Title: clip(fmt.Sprintf("%s(%s %s)", n.Title, m.Component, m.Version), 200),
			Detail: clip(fmt.Sprintf("风险通报：%s\n受影响版本：%s\n系统：%s\n处置措施：%s\n%s", n.Title,
				strings.ReplaceAll(n.Ranges, "\n", ";"), m.SystemName, n.Measures, note), 4000),
			Severity: n.Severity, DueAt: due})
		if err != nil {
			return err
		}
		if !slices.Contains(t.FindingIDs, f.ID) {
			t.FindingIDs = append(t.FindingIDs, f.ID)
		}
	}
	return nil
}

// OverdueTx is the scheduler's step, in its escalation transaction, when a
// targeted unit's answer duty o passes its deadline unanswered: the
// register says the unit runs an affected version, so each matched system
// gets a finding now (by the unit's SLA from now), tracked on the
// clear-to-zero view like any other, instead of the notice lapsing with
// nothing to clear. A later answer "affected" merges into the same
// findings; a unit that is in fact not affected says so on the finding
// and the office closes it.
func (s *Service) OverdueTx(ctx context.Context, tx *store.Tx, o *fenghuo.Obligation) error {
	if o.Kind != store.ObligationKindRiskNotice || o.SubjectID == 0 {
		return nil
	}
	n, err := tx.RiskNotice(ctx, o.SubjectID)
	if err != nil {
		return err
	}
	if n.Status != fenghuo.RiskNoticeActive {
		return nil
	}
	targets, err := tx.RiskNoticeTargets(ctx, n.ID)
	if err != nil {
		return err
	}
	for i := range targets {
		if targets[i].OrgID != o.OwnerOrgID || targets[i].Answer != "" {
			continue
		}
		t, err := tx.LockRiskNoticeTarget(ctx, targets[i].ID)
		if err != nil {
			return err
		}
		if t.Answer != "" {
			return nil
		}
		ac := app.SystemActor()
		if err := s.raiseFindings(ctx, tx, ac, n, t, "逾期未答复：按登记的组件版本视为受影响。", time.Time{}); err != nil {
			return err
		}
		if err := tx.UpdateRiskNoticeTarget(ctx, t); err != nil {
			return err
		}
		return s.core.Record(ctx, tx, ac, "risk_notice.presume_affected", "risk_notice", strconv.FormatInt(n.ID, 10), "success",
			map[string]any{"target": t.ID, "org": t.OrgID, "findings": t.FindingIDs})
	}
	return nil
}

// Close ends a notice: unanswered targets' obligations are cancelled (the
// record of who did not answer stays on the board).
func (s *Service) Close(ctx context.Context, ac *app.Actor, id int64, reason string) error {
	reason = strings.TrimSpace(reason)
	if reason == "" || len([]rune(reason)) > 500 {
		return fenghuo.FieldErrorf("reason", "Say why the notice is closed (up to 500 characters). / 请填写关闭原因（不超过500字）。")
	}
	return s.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		n, err := tx.RiskNotice(ctx, id)
		if err != nil {
			return err
		}
		if _, err := issuer(ctx, tx, ac, n.OrgID); err != nil {
			return err
		}
		if n.Status != fenghuo.RiskNoticeActive {
			return fenghuo.Errorf(fenghuo.ECONFLICT, "The notice is already closed. / 该通报已关闭。")
		}
		if err := tx.SetRiskNoticeStatus(ctx, id, fenghuo.RiskNoticeClosed); err != nil {
			return err
		}
		targets, err := tx.RiskNoticeTargets(ctx, id)
		if err != nil {
			return err
		}
		for _, t := range targets {
			if t.Answer != "" || t.ObligationID == 0 {
				continue
			}
			o, err := tx.Obligation(ctx, t.ObligationID)
			if err != nil {
				return err
			}
			if o.State == fenghuo.ObligationOpen {
				o.State, o.DoneAt, o.DoneNote = fenghuo.ObligationCancelled, s.core.Now(), "通报已关闭："+reason
				if err := tx.UpdateObligation(ctx, o); err != nil {
					return err
				}
			}
		}
		return s.core.Record(ctx, tx, ac, "risk_notice.close", "risk_notice", strconv.FormatInt(id, 10), "success",
			map[string]any{"reason": reason})
	})
}

func answerLabel(a string) string {
	return map[string]string{fenghuo.RiskAnswerAffected: "受影响", fenghuo.RiskAnswerNotAffected: "不受影响"}[a]
}

func actorName(ac *app.Actor) string {
	if ac.User.DisplayName != "" {
		return ac.User.DisplayName
	}
	return ac.User.Username
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n])
	}
	return s
}
