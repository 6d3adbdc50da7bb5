package finding

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// Rights. A unit works on its own findings (start, evidence, submit,
// comment) and an office may do so for a unit of its subtree; the office
// above the unit (any strict ancestor) decides: verifies or rejects a
// submission, accepts a risk. Everyone who may read incidents sees the
// findings of its subtree; the platform administrators do not (三权分立).

// canSee reports whether the actor may see a finding of org.
func canSee(ac *app.Actor, org *fenghuo.Org) bool {
	return ac.CanAt(fenghuo.PermIncidentRead, org.Path)
}

// canWork reports whether the actor may work on a finding of org.
func canWork(ac *app.Actor, org *fenghuo.Org) bool {
	return ac.CanAt(fenghuo.PermIncidentWrite, org.Path)
}

// canDecide reports whether the actor is an office above org with the
// right to decide on its findings.
func canDecide(ac *app.Actor, org *fenghuo.Org) bool {
	return canWork(ac, org) && ac.Org.ID != org.ID
}

// isOffice reports whether the actor's organisation is an office (a
// cyberspace-affairs office or a monitoring centre), which may record
// findings by hand and set the SLA.
func isOffice(ac *app.Actor) bool {
	return ac.Org.Type == fenghuo.OrgRegulator || ac.Org.Type == fenghuo.OrgMonitoring
}

// access loads a finding under its row lock with its unit, for an actor
// who may see it (else ENOTFOUND, so a unit cannot learn of a sibling's).
func (s *Service) access(ctx context.Context, tx *store.Tx, ac *app.Actor, id int64) (*fenghuo.Finding, *fenghuo.Org, error) {
	f, err := tx.LockFinding(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	org, err := tx.Org(ctx, f.OrgID)
	if err != nil {
		return nil, nil, err
	}
	if !canSee(ac, org) {
		return nil, nil, fenghuo.Errorf(fenghuo.ENOTFOUND, "Finding %d not found. / 未找到该隐患。", id)
	}
	return f, org, nil
}

// change is one state change: the check, the new state's fields, the
// history line, the notice and the audit entry, in one transaction.
type change struct {
	to     string
	action string // audit action
	body   string // history line
	decide bool   // the office above decides
	from   string // when set, the only state it applies to
	apply  func(tx *store.Tx, f *fenghuo.Finding, org *fenghuo.Org) error
	notify func(f *fenghuo.Finding, org *fenghuo.Org) *app.Notice
	detail map[string]any
}

func (s *Service) transition(ctx context.Context, ac *app.Actor, id int64, c change) (*fenghuo.Finding, error) {
	var f *fenghuo.Finding
	err := s.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		var org *fenghuo.Org
		var err error
		if f, org, err = s.access(ctx, tx, ac, id); err != nil {
			return err
		}
		if (c.decide && !canDecide(ac, org)) || (!c.decide && !canWork(ac, org)) {
			return app.ErrForbidden
		}
		if !fenghuo.FindingTransitionAllowed(f.State, c.to) || (c.from != "" && f.State != c.from) {
			return fenghuo.Errorf(fenghuo.ECONFLICT, "The finding is %s and cannot become %s. / 隐患当前为「%s」，不能%s。",
				f.State, c.to, StateLabel(f.State), actionLabel(c.to))
		}
		from := f.State
		f.State = c.to
		if c.apply != nil {
			if err := c.apply(tx, f, org); err != nil {
				return err
			}
		}
		if err := tx.UpdateFinding(ctx, f); err != nil {
			return err
		}
		if err := tx.AddFindingEvent(ctx, &fenghuo.FindingEvent{FindingID: f.ID, UserID: ac.User.ID, UserName: actorName(ac),
			Kind: "state", State: f.State, Body: c.body}); err != nil {
			return err
		}
		if c.notify != nil {
			if n := c.notify(f, org); n != nil && n.OrgID != 0 {
				if err := s.core.NotifyOrg(ctx, tx, *n); err != nil {
					return err
				}
			}
		}
		detail := map[string]any{"finding": f.ID, "from": from, "to": f.State}
		for k, v := range c.detail {
			detail[k] = v
		}
		return s.core.Record(ctx, tx, ac, c.action, "finding", ref(f.ID), "success", detail)
	})
	if err != nil {
		return nil, err
	}
	return f, nil
}

func link(f *fenghuo.Finding) string { return fmt.Sprintf("/findings/%d", f.ID) }

// Start marks a finding as being rectified, optionally naming the person of
// the unit responsible (ownerUserID 0 keeps the current one).
func (s *Service) Start(ctx context.Context, ac *app.Actor, id, ownerUserID int64, note string) (*fenghuo.Finding, error) {
	note = strings.TrimSpace(note)
	body := "开始整改"
	if note != "" {
		body += "：" + note
	}
	return s.transition(ctx, ac, id, change{to: fenghuo.FindingRectifying, from: fenghuo.FindingOpen, action: "finding.start",
		body: body, detail: map[string]any{"owner_user": ownerUserID, "note": note},
		apply: func(tx *store.Tx, f *fenghuo.Finding, org *fenghuo.Org) error {
			if ownerUserID != 0 {
				u, err := tx.User(ctx, ownerUserID)
				if err != nil || u.Disabled || u.OrgID != org.ID {
					return fenghuo.FieldErrorf("owner_user_id", "Choose a person of the unit. / 请选择本单位的人员。")
				}
				f.OwnerUserID = ownerUserID
			}
			return nil
		}})
}

// Submit says the finding is rectified: at least one evidence file must be
// attached first. The unit's obligation is fulfilled (on time or late
// against the deadline) and the office above is asked to re-check.
func (s *Service) Submit(ctx context.Context, ac *app.Actor, id int64, note string) (*fenghuo.Finding, error) {
	note = strings.TrimSpace(note)
	if note == "" {
		return nil, fenghuo.FieldErrorf("note", "Say what was done to fix it. / 请说明整改情况。")
	}
	if len([]rune(note)) > 4000 {
		return nil, fenghuo.FieldErrorf("note", "Keep it under 4,000 characters. / 不超过4000字。")
	}
	evidence, err := s.core.DB().FindingEvidenceOf(ctx, id)
	if err != nil {
		return nil, err
	}
	if len(evidence) == 0 {
		return nil, fenghuo.FieldErrorf("file", "Attach the rectification evidence first. / 请先上传整改证明材料。")
	}
	late := false
	return s.transition(ctx, ac, id, change{to: fenghuo.FindingSubmitted, action: "finding.submit", body: "提交整改：" + note,
		detail: map[string]any{"note": note, "evidence": len(evidence)},
		apply: func(tx *store.Tx, f *fenghuo.Finding, org *fenghuo.Org) error {
			late = !f.DueAt.IsZero() && s.core.Now().After(f.DueAt)
			return tx.CloseFindingDuty(ctx, f, true, note)
		},
		notify: func(f *fenghuo.Finding, org *fenghuo.Org) *app.Notice {
			title := fmt.Sprintf("隐患整改待复核：%s", f.Title)
			if late {
				title += "（逾期提交）"
			}
			return &app.Notice{OrgID: org.ParentID, Kind: "finding.submitted", Title: title,
				Body: fmt.Sprintf("单位：%s；整改情况：%s", org.Name, note), Link: link(f)}
		}})
}

// Verify closes a submitted finding after the office's re-check.
func (s *Service) Verify(ctx context.Context, ac *app.Actor, id int64, note string) (*fenghuo.Finding, error) {
	note = strings.TrimSpace(note)
	body := "复核通过，销号"
	if note != "" {
		body += "：" + note
	}
	return s.transition(ctx, ac, id, change{to: fenghuo.FindingClosed, action: "finding.verify", body: body, decide: true,
		detail: map[string]any{"note": note},
		apply: func(tx *store.Tx, f *fenghuo.Finding, org *fenghuo.Org) error {
			f.ClosedAt, f.ClosedBy = s.core.Now(), ac.User.ID
			return nil
		},
		notify: func(f *fenghuo.Finding, org *fenghuo.Org) *app.Notice {
			return &app.Notice{OrgID: org.ID, Kind: "finding.verified", Title: fmt.Sprintf("隐患已复核销号：%s", f.Title),
				Body: fmt.Sprintf("复核单位：%s", ac.Org.Name), Link: link(f)}
		}})
}

// Reject sends a submission back to rectifying with a reason. The unit's
// obligation is opened again, due at the original deadline if it is still
// ahead, else after the severity's SLA from now (or at due when given).
func (s *Service) Reject(ctx context.Context, ac *app.Actor, id int64, reason string, due time.Time) (*fenghuo.Finding, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return nil, fenghuo.FieldErrorf("reason", "Say why the rectification is not accepted. / 请说明退回理由。")
	}
	now := s.core.Now()
	if !due.IsZero() && !due.After(now) {
		return nil, fenghuo.FieldErrorf("due_at", "The deadline has passed: give a later one. / 整改时限须晚于当前时间。")
	}
	return s.transition(ctx, ac, id, change{to: fenghuo.FindingRectifying, from: fenghuo.FindingSubmitted, action: "finding.reject", body: "复核退回：" + reason,
		decide: true, detail: map[string]any{"reason": reason, "due_at": due},
		apply: func(tx *store.Tx, f *fenghuo.Finding, org *fenghuo.Org) error {
			if !due.IsZero() {
				f.DueAt = due
			} else if !f.DueAt.After(now) {
				sla, _, err := s.SLATx(ctx, tx, org)
				if err != nil {
					return err
				}
				f.DueAt = now.Add(time.Duration(sla.Days(f.Severity)) * 24 * time.Hour)
			}
			return tx.OpenFindingDuty(ctx, f, duty(now, org, f.DueAt))
		},
		notify: func(f *fenghuo.Finding, org *fenghuo.Org) *app.Notice {
			return &app.Notice{OrgID: org.ID, Kind: "finding.rejected", Title: fmt.Sprintf("隐患整改被退回：%s", f.Title),
				Body: fmt.Sprintf("理由：%s；整改时限：%s", reason, f.DueAt.In(shanghai).Format("2006-01-02 15:04")), Link: link(f)}
		}})
}

// MaxAcceptance is the longest a risk may be accepted at once.
const MaxAcceptance = 366 * 24 * time.Hour

// Accept records the office's acceptance of the risk until an expiry, with
// a reason; the unit's obligation is cancelled. When the acceptance expires
// the scheduler reopens the finding (ReopenExpired).
func (s *Service) Accept(ctx context.Context, ac *app.Actor, id int64, reason string, until time.Time) (*fenghuo.Finding, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return nil, fenghuo.FieldErrorf("reason", "Say why the risk is accepted. / 请说明接受风险的理由。")
	}
	now := s.core.Now()
	if !until.After(now) || until.Sub(now) > MaxAcceptance {
		return nil, fenghuo.FieldErrorf("until", "Give an expiry within a year from now. / 风险接受期限须在一年以内。")
	}
	return s.transition(ctx, ac, id, change{to: fenghuo.FindingAccepted, action: "finding.accept", decide: true,
		body:   fmt.Sprintf("接受风险至%s：%s", until.In(shanghai).Format("2006-01-02"), reason),
		detail: map[string]any{"reason": reason, "until": until},
		apply: func(tx *store.Tx, f *fenghuo.Finding, org *fenghuo.Org) error {
			f.AcceptedUntil, f.AcceptReason = until, reason
			return tx.CloseFindingDuty(ctx, f, false, "接受风险："+reason)
		},
		notify: func(f *fenghuo.Finding, org *fenghuo.Org) *app.Notice {
			return &app.Notice{OrgID: org.ID, Kind: "finding.accepted", Title: fmt.Sprintf("隐患风险已接受：%s", f.Title),
				Body: fmt.Sprintf("接受单位：%s；期限至：%s；理由：%s", ac.Org.Name, until.In(shanghai).Format("2006-01-02"), reason), Link: link(f)}
		}})
}

// acceptanceBatch is how many expired acceptances one transaction reopens.
const acceptanceBatch = 200

// ReopenExpired reopens every risk-accepted finding whose acceptance has
// expired at the application's clock: open again, a new deadline after the
// severity's SLA, a new obligation, a history line, and a notice to the
// unit and the office above. The scheduler calls it on each pass; rows are
// claimed under lock, so replicas do not reopen one twice.
func (s *Service) ReopenExpired(ctx context.Context) (int, error) {
	total := 0
	for {
		n := 0
		err := s.core.DB().WithTx(ctx, func(tx *store.Tx) error {
			now := s.core.Now()
			due, err := tx.ExpiredAcceptances(ctx, now, acceptanceBatch)
			if err != nil {
				return err
			}
			ac := app.SystemActor()
			for i := range due {
				f := &due[i]
				org, err := tx.Org(ctx, f.OrgID)
				if err != nil {
					return err
				}
				sla, _, err := s.SLATx(ctx, tx, org)
				if err != nil {
					return err
				}
				until := f.AcceptedUntil
				f.State, f.AcceptedUntil, f.AcceptReason = fenghuo.FindingOpen, time.Time{}, ""
				f.DueAt = now.Add(time.Duration(sla.Days(f.Severity)) * 24 * time.Hour)
				if err := tx.UpdateFinding(ctx, f); err != nil {
					return err
				}
				if err := tx.OpenFindingDuty(ctx, f, duty(now, org, f.DueAt)); err != nil {
					return err
				}
				body := fmt.Sprintf("风险接受已于%s到期，隐患重新打开；整改时限：%s", until.In(shanghai).Format("2006-01-02 15:04"),
					f.DueAt.In(shanghai).Format("2006-01-02 15:04"))
				if err := tx.AddFindingEvent(ctx, &fenghuo.FindingEvent{FindingID: f.ID, UserName: "系统", Kind: "state",
					State: f.State, Body: body}); err != nil {
					return err
				}
				for _, to := range []int64{org.ID, org.ParentID} {
					if to == 0 {
						continue
					}
					if err := s.core.NotifyOrg(ctx, tx, app.Notice{OrgID: to, Kind: "finding.reopened",
						Title: fmt.Sprintf("风险接受到期，隐患重新打开：%s", f.Title), Body: body, Link: link(f)}); err != nil {
						return err
					}
				}
				if err := s.core.Record(ctx, tx, ac, "finding.reopen", "finding", ref(f.ID), "success",
					map[string]any{"finding": f.ID, "accepted_until": until, "due_at": f.DueAt}); err != nil {
					return err
				}
			}
			n = len(due)
			return nil
		})
		total += n
		if err != nil || n < acceptanceBatch {
			return total, err
		}
	}
}

// Comment adds a line to a finding's history.
func (s *Service) Comment(ctx context.Context, ac *app.Actor, id int64, body string) (*fenghuo.FindingEvent, error) {
	body = strings.TrimSpace(body)
	if body == "" || len([]rune(body)) > 4000 {
		return nil, fenghuo.FieldErrorf("body", "Write 1 to 4,000 characters. / 请填写1至4000字。")
	}
	var e *fenghuo.FindingEvent
	err := s.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		f, org, err := s.access(ctx, tx, ac, id)
		if err != nil {
			return err
		}
		if !canWork(ac, org) {
			return app.ErrForbidden
		}
		e = &fenghuo.FindingEvent{FindingID: f.ID, UserID: ac.User.ID, UserName: actorName(ac), Kind: "comment", State: f.State, Body: body}
		if err := tx.AddFindingEvent(ctx, e); err != nil {
			return err
		}
		return s.core.Record(ctx, tx, ac, "finding.comment", "finding", ref(f.ID), "success", map[string]any{"event": e.ID})
	})
	if err != nil {
		return nil, err
	}
	return e, nil
}

// StateLabel is a state in Chinese.
func StateLabel(s string) string {
	return map[string]string{fenghuo.FindingOpen: "待整改", fenghuo.FindingRectifying: "整改中", fenghuo.FindingSubmitted: "待复核",
		fenghuo.FindingClosed: "已销号", fenghuo.FindingAccepted: "已接受风险"}[s]
}

func actionLabel(to string) string {
	return map[string]string{fenghuo.FindingRectifying: "开始整改或退回", fenghuo.FindingSubmitted: "提交整改",
		fenghuo.FindingClosed: "复核销号", fenghuo.FindingAccepted: "接受风险", fenghuo.FindingOpen: "重新打开"}[to]
}
