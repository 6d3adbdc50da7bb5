package app

import (
	"context"
	"fenghuo/internal/calendar"
	"fmt"
	"time"

	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// TickResult says what one scheduler pass did.
type TickResult struct {
	Reminded  int
	Escalated int
}

// Tick processes the obligation rows that are due at the application's
// clock: owners are reminded before the due time, and when a duty becomes
// overdue both its owner and its recipient are told and the incident's
// timeline records it. State lives in the rows (reminded_at,
// escalated_at), so a restart, or a stop across the due time, loses
// nothing: the next pass picks up whatever came due meanwhile. Several
// replicas may tick at once; each row is claimed by a conditional update.
func (a *App) Tick(ctx context.Context) (TickResult, error) {
	var res TickResult
	now := a.now()
	err := a.db.WithTx(ctx, func(tx *store.Tx) error {
		due, err := tx.DueReminders(ctx, now, 200)
		if err != nil {
			return err
		}
		for i := range due {
			o := &due[i]
			claimed, err := tx.ClaimObligationEvent(ctx, o.ID, "reminded_at", now)
			if err != nil {
				return err
			}
			if !claimed {
				continue
			}
			left := o.DueAt.Sub(now).Round(time.Minute)
			if err := a.notifyOrg(ctx, tx, notice{OrgID: o.OwnerOrgID, Kind: "obligation.reminder",
				Title: fmt.Sprintf("提醒:%s,剩余%s", o.Title, durationZH(left)),
				Body:  fmt.Sprintf("截止时间:%s(北京时间)", o.DueAt.In(shanghai()).Format("2006-01-02 15:04")), Link: obligationLink(o)}); err != nil {
				return err
			}
			res.Reminded++
		}
		over, err := tx.DueEscalations(ctx, now, 200)
		if err != nil {
			return err
		}
		for i := range over {
			o := &over[i]
			claimed, err := tx.ClaimObligationEvent(ctx, o.ID, "escalated_at", now)
			if err != nil {
				return err
			}
			if !claimed {
				continue
			}
			title := fmt.Sprintf("逾期:%s(应于%s前完成)", o.Title, o.DueAt.In(shanghai()).Format("01-02 15:04"))
			body, err := a.overdueBody(ctx, tx, o)
			if err != nil {
				return err
			}
			for _, org := range uniqueOrgs(o.OwnerOrgID, o.RecipientOrgID) {
				// The owner's liaison is reached at its report address too.
				if err := a.notifyOrg(ctx, tx, notice{OrgID: org, Kind: "obligation.overdue", Title: title, Body: body,
					Link: obligationLink(o), ReportEmail: org == o.OwnerOrgID}); err != nil {
					return err
				}
			}
			if o.IncidentID != 0 {
				if err := a.timeline(ctx, tx, SystemActor(), o.IncidentID, "overdue", title, map[string]any{"obligation": o.ID}); err != nil {
					return err
				}
			}
			res.Escalated++
		}
		return nil
	})
	return res, err
}

// overdueBody names who is late and how to reach its liaison.
func (a *App) overdueBody(ctx context.Context, tx *store.Tx, o *fenghuo.Obligation) (string, error) {
	owner, err := tx.Org(ctx, o.OwnerOrgID)
	if err != nil {
		return "", err
	}
	body := "责任单位:" + owner.Name
	if owner.Liaison.Name != "" {
		body += ";联络人:" + owner.Liaison.Name
		if owner.Liaison.Mobile != "" {
			body += " " + owner.Liaison.Mobile
		}
	}
	if owner.DutyPhone != "" {
		body += ";24小时值班电话:" + owner.DutyPhone
	}
	return body, nil
}

func obligationLink(o *fenghuo.Obligation) string {
	switch {
	case o.IncidentID != 0:
		return fmt.Sprintf("/incidents/%d", o.IncidentID)
	case o.Kind == "warning_ack" || o.Kind == "warning_done":
		return fmt.Sprintf("/warnings/%d", o.SubjectID)
	case o.Kind == "daily_report":
		return fmt.Sprintf("/periods/%d", o.SubjectID)
	}
	return "/obligations"
}

func uniqueOrgs(ids ...int64) []int64 {
	var out []int64
	seen := map[int64]bool{}
	for _, id := range ids {
		if id != 0 && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

func durationZH(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	h, m := int(d.Hours()), int(d.Minutes())%60
	if h > 0 {
		return fmt.Sprintf("%d小时%d分钟", h, m)
	}
	return fmt.Sprintf("%d分钟", m)
}

// RunScheduler ticks until ctx ends: at once, then at the next reminder or
// due time (re-reading it after every pass), and at least every interval,
// so that a duty created by another replica is not missed.
func (a *App) RunScheduler(ctx context.Context, interval time.Duration) {
	for {
		if _, err := a.Tick(ctx); err != nil && ctx.Err() == nil {
			a.log.Error("obligation scheduler", "err", err)
		}
		wait := interval
		var next time.Time
		err := a.db.View(ctx, func(tx *store.Tx) error {
			var err error
			next, err = tx.NextObligationEvent(ctx, a.now())
			return err
		})
		if err == nil && !next.IsZero() {
			if d := next.Sub(a.now()) + 50*time.Millisecond; d < wait {
				wait = max(d, 100*time.Millisecond)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}

func shanghai() *time.Location { return calendar.Shanghai }
