package inspection

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"fenghuo/internal/app"
	"fenghuo/internal/checklist"
	"fenghuo/internal/export"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// The campaign's lifecycle after it is issued. The issuer closes it, after
// the window or early with a reason: no answer is taken after the close, a
// unit that had not submitted stays 未完成 (unfinished) in the final
// progress and its duty closes as missed, and the closing summary (units
// answered on time, late or not at all, findings raised by severity,
// overdue units) is kept and exported as XLSX. Before the close the issuer
// may send a unit's submitted answers back to be filled in again (退回重填)
// with a note: the unit answers and submits again under a new duty.

// returnWindow is the least time a unit is given to answer again after
// its answers are sent back.
const returnWindow = 3 * 24 * time.Hour

func noteText(field, s string, max int, required bool, zh string) (string, error) {
	s = strings.TrimSpace(s)
	if required && s == "" {
		return "", fenghuo.FieldErrorf(field, "Give %s. / 请填写%s。", field, zh)
	}
	if utf8.RuneCountInString(s) > max {
		return "", fenghuo.FieldErrorf(field, "Keep it under %d characters. / %s不超过%d字。", max, zh, max)
	}
	return s, nil
}

// issuerSide loads a campaign and its issuer for an actor of the issuer's
// side who may issue there.
func (s *Service) issuerSide(ctx context.Context, tx *store.Tx, ac *app.Actor, id int64) (*fenghuo.Campaign, *fenghuo.Org, error) {
	c, err := tx.Campaign(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	issuer, err := tx.Org(ctx, c.OrgID)
	if err != nil {
		return nil, nil, err
	}
	if !fenghuo.InSubtree(ac.Org.Path, issuer.Path) {
		// A unit that sees the campaign is refused; others do not see it.
		targets, err := tx.CampaignTargets(ctx, id)
		if err != nil {
			return nil, nil, err
		}
		for _, t := range targets {
			if o, err := tx.Org(ctx, t.OrgID); err == nil && fenghuo.InSubtree(ac.Org.Path, o.Path) {
				return nil, nil, fenghuo.Errorf(fenghuo.EFORBIDDEN, "Only %s (or an office above it) does this. / 仅%s或其上级可以操作。", issuer.Name, issuer.Name)
			}
		}
		return nil, nil, fenghuo.Errorf(fenghuo.ENOTFOUND, "Inspection campaign %d not found. / 未找到该检查。", id)
	}
	if err := app.RequireAt(ac, fenghuo.PermWarningIssue, issuer.Path, "Org", issuer.ID); err != nil {
		return nil, nil, err
	}
	return c, issuer, nil
}

// Close ends a campaign: after the window with an optional reason, before
// it only with one. Units that had not submitted are told, and their duty
// closes as missed.
func (s *Service) Close(ctx context.Context, ac *app.Actor, id int64, reason string) (*Summary, error) {
	now := s.core.Now()
	err := s.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		c, issuer, err := s.issuerSide(ctx, tx, ac, id)
		if err != nil {
			return err
		}
		early := now.Before(c.DueAt)
		if reason, err = noteText("reason", reason, 1000, early, "提前结束的理由"); err != nil {
			return err
		}
		if c.Closed() {
			return fenghuo.Errorf(fenghuo.ECONFLICT, "This campaign is already closed. / 该检查已结束。")
		}
		if err := tx.CloseCampaign(ctx, id, ac.User.ID, reason); err != nil {
			return err
		}
		targets, err := tx.CampaignTargets(ctx, id)
		if err != nil {
			return err
		}
		obs, err := tx.ObligationsBySubject(ctx, fenghuo.ObligationKindInspection, id)
		if err != nil {
			return err
		}
		unfinished := 0
		for _, t := range targets {
			if t.Submitted() {
				continue
			}
			unfinished++
			for i := range obs {
				o := &obs[i]
				if o.ID != t.ObligationID || o.State != fenghuo.ObligationOpen {
					continue
				}
				o.State, o.DoneAt, o.DoneNote = fenghuo.ObligationMissed, now, "检查已结束，未提交"
				if err := tx.UpdateObligation(ctx, o); err != nil {
					return err
				}
			}
			if c.Kind == fenghuo.CampaignSelf {
				if err := s.core.NotifyOrg(ctx, tx, app.Notice{OrgID: t.OrgID, Kind: "inspection.closed",
					Title: fmt.Sprintf("%s已结束%s，贵单位未完成填报", issuer.Name, c.Title),
					Body:  strings.TrimSpace("结束理由：" + reason), Link: fmt.Sprintf("/inspections/%d/units/%d", id, t.OrgID)}); err != nil {
					return err
				}
			}
		}
		return s.core.Record(ctx, tx, ac, "inspection.close", "inspection", strconv.FormatInt(id, 10), "success",
			map[string]any{"reason": reason, "early": early, "targets": len(targets), "unfinished": unfinished})
	})
	if err != nil {
		return nil, err
	}
	return s.Summary(ctx, ac, id)
}

// Return sends a unit's submitted answers back to it to be filled in again
// (退回重填) with the issuer's note: the answers stay as a draft, a new duty
// is due at the window's end or in three days, whichever is later, and the
// unit is told. Findings already raised stay in the ledger; answers kept
// unchanged do not raise them again.
func (s *Service) Return(ctx context.Context, ac *app.Actor, id, orgID int64, note string) (*Form, error) {
	now := s.core.Now()
	err := s.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		c, issuer, err := s.issuerSide(ctx, tx, ac, id)
		if err != nil {
			return err
		}
		if note, err = noteText("note", note, 1000, true, "退回说明"); err != nil {
			return err
		}
		if c.Closed() {
			return fenghuo.Errorf(fenghuo.ECONFLICT, "This campaign is closed: answers can no longer be sent back. / 该检查已结束，不能退回。")
		}
		t, err := tx.CampaignTarget(ctx, id, orgID)
		if err != nil {
			return err
		}
		due := c.DueAt
		if due.Before(now.Add(returnWindow)) {
			due = now.Add(returnWindow)
		}
		o := &fenghuo.Obligation{Kind: fenghuo.ObligationKindInspection, SubjectID: c.ID, OwnerOrgID: t.OrgID,
			RecipientOrgID: issuer.ID, RecipientName: issuer.Name, RuleID: strconv.FormatInt(t.ID, 10), Clause: "000 §3",
			Title: fmt.Sprintf("退回重填：%s", c.Title), DueAt: due, RemindAt: due.Add(-24 * time.Hour)}
		if c.Kind == fenghuo.CampaignOffice {
			o.OwnerOrgID = issuer.ID
			o.Title = fmt.Sprintf("退回重填：%s（%s）", c.Title, t.OrgName)
		}
		if !t.Submitted() {
			return fenghuo.Errorf(fenghuo.ECONFLICT, "%s has not submitted: nothing to send back. / %s尚未提交，无需退回。", t.OrgName, t.OrgName)
		}
		if err := tx.CreateObligation(ctx, o); err != nil {
			return err
		}
		if err := tx.ReturnCampaignTarget(ctx, t.ID, ac.User.ID, note, o.ID); err != nil {
			return err
		}
		notify := t.OrgID
		if c.Kind == fenghuo.CampaignOffice {
			notify = issuer.ID
		}
		if err := s.core.NotifyOrg(ctx, tx, app.Notice{OrgID: notify, Kind: "inspection.returned",
			Title: fmt.Sprintf("%s退回了%s的%s结果，请重新填报", issuer.Name, t.OrgName, c.Title),
			Body:  fmt.Sprintf("退回说明：%s\n请于%s（北京时间）前重新提交。", note, due.In(shanghai()).Format("2006-01-02 15:04")),
			Link:  fmt.Sprintf("/inspections/%d/units/%d", id, t.OrgID)}); err != nil {
			return err
		}
		return s.core.Record(ctx, tx, ac, "inspection.return", "inspection", strconv.FormatInt(id, 10), "success",
			map[string]any{"unit": t.OrgID, "note": note, "due_at": due, "obligation": o.ID})
	})
	if err != nil {
		return nil, err
	}
	return s.Form(ctx, ac, id, orgID)
}

// Unit states in the closing summary.
const (
	UnitOnTime     = "on_time"
	UnitLate       = "late"
	UnitUnfinished = "unfinished" // 未完成: not submitted
)

// SummaryUnit is one unit in the closing summary.
type SummaryUnit struct {
	fenghuo.CampaignTarget
	Items int
	// State is on_time, late or unfinished.
	State string
	// Overdue: the window ended before the unit submitted (late or
	// unfinished after the due time).
	Overdue bool
	// BySeverity counts the findings the unit's answers raised, in the
	// order of checklist.Severities.
	BySeverity [4]int
}

// Summary is a campaign's closing summary (or, while it is open, the
// summary so far) as its issuer reads it.
type Summary struct {
	Campaign  *fenghuo.Campaign
	Issuer    *fenghuo.Org
	Checklist *checklist.Checklist
	Units     []SummaryUnit
	// Counts over the units: submitted on time, late, not at all; overdue.
	OnTime, Late, Unfinished, Overdue int
	// Findings raised, in total and by severity (checklist.Severities).
	Findings   int
	BySeverity [4]int
}

// Summary returns the closing summary of a campaign to its issuer's side.
func (s *Service) Summary(ctx context.Context, ac *app.Actor, id int64) (*Summary, error) {
	if err := app.Require(ac, fenghuo.PermSystemRead); err != nil {
		return nil, err
	}
	now := s.core.Now()
	sum := &Summary{}
	err := s.core.DB().View(ctx, func(tx *store.Tx) error {
		var err error
		if sum.Campaign, err = tx.Campaign(ctx, id); err != nil {
			return err
		}
		if sum.Issuer, err = tx.Org(ctx, sum.Campaign.OrgID); err != nil {
			return err
		}
		if !fenghuo.InSubtree(ac.Org.Path, sum.Issuer.Path) {
			return fenghuo.Errorf(fenghuo.ENOTFOUND, "Inspection campaign %d not found. / 未找到该检查。", id)
		}
		if sum.Checklist, err = checklist.Parse(sum.Campaign.ChecklistID, []byte(sum.Campaign.ChecklistYAML)); err != nil {
			return err
		}
		severity := map[string]int{}
		for _, it := range sum.Checklist.Items {
			severity[it.ID] = slices.Index(checklist.Severities, it.Severity)
		}
		end := sum.Campaign.DueAt
		targets, err := tx.CampaignTargets(ctx, id)
		if err != nil {
			return err
		}
		for _, t := range targets {
			u := SummaryUnit{CampaignTarget: t, Items: len(sum.Checklist.Items)}
			switch {
			case !t.Submitted():
				u.State, u.Overdue = UnitUnfinished, !now.Before(end)
				sum.Unfinished++
			case t.SubmittedAt.After(end):
				u.State, u.Overdue = UnitLate, true
				sum.Late++
			default:
				u.State = UnitOnTime
				sum.OnTime++
			}
			if u.Overdue {
				sum.Overdue++
			}
			if t.Findings > 0 {
				answers, err := tx.InspectionAnswers(ctx, id, t.OrgID)
				if err != nil {
					return err
				}
				for _, a := range answers {
					if a.FindingID == 0 {
						continue
					}
					if i := severity[a.ItemID]; i >= 0 {
						u.BySeverity[i]++
						sum.BySeverity[i]++
					}
					sum.Findings++
				}
			}
			sum.Units = append(sum.Units, u)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return sum, nil
}

// WriteSummaryXLSX writes the closing summary as a workbook, one line per
// unit with a total line, and audits the export.
func (s *Service) WriteSummaryXLSX(ctx context.Context, ac *app.Actor, id int64, w io.Writer, lang string) error {
	sum, err := s.Summary(ctx, ac, id)
	if err != nil {
		return err
	}
	state := map[string][2]string{UnitOnTime: {"按时提交", "On time"}, UnitLate: {"逾期提交", "Late"}, UnitUnfinished: {"未完成", "Unfinished"}}
	en := strings.HasPrefix(strings.ToLower(lang), "en")
	rows := make([]export.InspectionUnitRow, 0, len(sum.Units))
	for _, u := range sum.Units {
		words := state[u.State][0]
		if en {
			words = state[u.State][1]
		}
		rows = append(rows, export.InspectionUnitRow{Unit: u.OrgName, State: words, Answered: u.Answered, Items: u.Items,
			SubmittedAt: u.SubmittedAt, Overdue: u.Overdue, NonCompliant: u.NonCompliant, BySeverity: u.BySeverity})
	}
	c := sum.Campaign
	head := export.InspectionHead{Title: c.Title, Issuer: sum.Issuer.Name, Checklist: c.ChecklistID + " " + c.ChecklistVersion,
		StartsAt: c.StartsAt, DueAt: c.DueAt, ClosedAt: c.ClosedAt, CloseReason: c.CloseReason}
	if err := export.WriteInspectionXLSX(w, head, rows, lang); err != nil {
		return err
	}
	return s.core.RecordExport(ctx, ac, "inspection_summary", len(rows))
}
