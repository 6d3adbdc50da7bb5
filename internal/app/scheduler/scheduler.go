package scheduler

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/app/incident"
	"fenghuo/internal/calendar"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/guard"
	"fenghuo/internal/phrase"
	"fenghuo/internal/store"
)

// TickResult says what one scheduler pass did.
type TickResult struct {
	Reminded  int
	Escalated int
}

// obligationBatch is how many reminders, or escalations, one transaction
// claims and handles: large enough that a commit (an fsync on SQLite) is
// shared by hundreds of obligations, small enough that the writer is not
// held for long.
const obligationBatch = 500

// Tick processes the obligation rows that are due at the application's
// clock, until none is left: owners are reminded before the due time, and
// when a duty becomes overdue both its owner and its recipient are told and
// the incident's timeline records it. Each batch claims its rows and writes
// the notices, jobs and timeline entries in one transaction, so a crash
// loses nothing and repeats nothing. State lives in the rows (reminded_at,
// escalated_at), so a restart, or a stop across the due time, loses
// nothing: the next pass picks up whatever came due meanwhile. Several
// replicas may tick at once; each row is claimed by exactly one.
func (a *Service) Tick(ctx context.Context) (TickResult, error) {
	var res TickResult
	held := map[string]bool{}
	for _, p := range a.passes {
		if p.lease != "" {
			ok, seen := held[p.lease]
			if !seen {
				var err error
				if ok, err = a.core.DB().TakeLease(ctx, p.lease, a.core.Replica(), a.core.Now(), a.core.WorkLease()); err != nil {
					return res, fmt.Errorf("scheduler pass %s: %w", p.name, err)
				}
				held[p.lease] = ok
			}
			if !ok {
				continue // another replica holds it
			}
		}
		if err := a.runPass(ctx, p); err != nil {
			return res, fmt.Errorf("scheduler pass %s: %w", p.name, err)
		}
	}
	for _, event := range []string{store.EventRemind, store.EventEscalate} {
		n, err := a.drain(ctx, event)
		if event == store.EventRemind {
			res.Reminded = n
		} else {
			res.Escalated = n
		}
		if err != nil {
			return res, err
		}
	}
	return res, nil
}

// runPass runs one pass; a leased pass has its lease renewed every third
// of the lease while it runs, so that a long pass (a first archive of a
// large log) keeps it.
func (a *Service) runPass(ctx context.Context, p pass) error {
	if p.lease == "" {
		_, err := p.fn(ctx)
		return err
	}
	lease := a.core.WorkLease()
	stop := app.Every(ctx, lease/3, func(ctx context.Context) {
		if ok, err := a.core.DB().TakeLease(ctx, p.lease, a.core.Replica(), a.core.Now(), lease); err != nil || !ok {
			a.core.Logger().Warn("scheduler: lease not renewed", "lease", p.lease, "pass", p.name, "held", ok, "err", err)
		}
	})
	_, err := p.fn(ctx)
	stop()
	return err
}

// releaseLeases hands back the leases of this replica's leased passes (at
// shutdown), so that another replica takes them at its next pass rather
// than after the lease runs out.
func (a *Service) releaseLeases(ctx context.Context) {
	seen := map[string]bool{}
	for _, p := range a.passes {
		if p.lease != "" && !seen[p.lease] {
			seen[p.lease] = true
			if err := a.core.DB().ReleaseLease(ctx, p.lease, a.core.Replica()); err != nil {
				a.core.Logger().Warn("scheduler: release lease", "lease", p.lease, "err", err)
			}
		}
	}
}

// drain handles the due obligations of one event in batches until a batch
// comes back short. A batch that panics (a bad row, say) is retried one
// obligation at a time, and the one that panics alone is claimed without its
// notice and logged, so that one bad obligation never holds up the others.
func (a *Service) drain(ctx context.Context, event string) (int, error) {
	total, limit := 0, obligationBatch
	for ctx.Err() == nil {
		var n int
		var pe *guard.PanicError
		err := guard.Run(a.core.Logger(), "obligation_scheduler", func() error {
			var err error
			n, err = a.tickBatch(ctx, event, limit)
			return err
		}, "event", event, "batch", limit)
		switch {
		case errors.As(err, &pe) && limit > 1:
			limit = 1
			continue
		case errors.As(err, &pe):
			if err := a.quarantineObligation(ctx, event, pe); err != nil {
				return total, err
			}
			continue
		case err != nil:
			return total, err
		}
		total += n
		if n < limit {
			return total, nil
		}
		limit = obligationBatch
	}
	return total, ctx.Err()
}

// quarantineObligation claims the first due obligation of event without
// acting on it, after handling it alone panicked.
func (a *Service) quarantineObligation(ctx context.Context, event string, pe *guard.PanicError) error {
	return a.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		due, err := tx.ClaimDueObligations(ctx, event, a.core.Now(), 1)
		for _, o := range due {
			a.core.Logger().Error("obligation skipped: handling it crashed; it stays open and overdue in the lists",
				"obligation", o.ID, "event", event, "panic", guard.Reason(pe.Value))
		}
		return err
	})
}

// tickBatch claims and handles up to limit obligations of one event in one
// transaction and returns how many it claimed.
func (a *Service) tickBatch(ctx context.Context, event string, limit int) (int, error) {
	now := a.core.Now()
	var fired []fenghuo.Obligation
	err := a.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		due, err := tx.ClaimDueObligations(ctx, event, now, limit)
		if err != nil {
			return err
		}
		fired = due
		if event == store.EventEscalate {
			// An escalation may record an audit entry (a suspected
			// concealment) part-way through the batch, taking the chain's
			// head, and then go on to other incidents: lock the batch's
			// incidents first, as every transaction locks incident rows
			// before the head (PostgreSQL found a deadlock between two
			// replicas' batches otherwise).
			ids := make([]int64, len(due))
			for i := range due {
				ids[i] = due[i].IncidentID
			}
			if err := tx.LockIncidents(ctx, ids); err != nil {
				return err
			}
		}
		var w batchWrites
		orgs := map[int64]*fenghuo.Org{}
		for i := range due {
			o := &due[i]
			if event == store.EventRemind {
				if !o.DueAt.IsZero() && !o.DueAt.After(now) {
					// The pass runs after the deadline (the server was
					// down): the overdue notice says it all.
					continue
				}
				left := o.DueAt.Sub(now).Round(time.Minute)
				w.notices = append(w.notices, app.Notice{OrgID: o.OwnerOrgID, Kind: "obligation.reminder",
					Title: fmt.Sprintf("提醒：%s，剩余%s", o.Title, durationZH(left)),
					Body:  fmt.Sprintf("截止时间：%s（北京时间）", o.DueAt.In(calendar.Shanghai).Format("2006-01-02 15:04")), Link: app.ObligationLink(o)})
				continue
			}
			title := fmt.Sprintf("逾期：%s（应于%s前完成）", o.Title, o.DueAt.In(calendar.Shanghai).Format("01-02 15:04"))
			body, err := a.overdueBody(ctx, tx, o, orgs)
			if err != nil {
				return err
			}
			for _, org := range uniqueOrgs(o.OwnerOrgID, o.RecipientOrgID) {
				// The owner's liaison is reached at its report address too.
				w.notices = append(w.notices, app.Notice{OrgID: org, Kind: "obligation.overdue", Title: title, Body: body,
					Link: app.ObligationLink(o), ReportEmail: org == o.OwnerOrgID})
			}
			if o.IncidentID != 0 {
				e, err := app.TimelineEntry(app.SystemActor(), o.IncidentID, "overdue", phrase.New("obligation.overdue", "title", o.Title,
					"due", o.DueAt.In(calendar.Shanghai).Format("01-02 15:04")), map[string]any{"obligation": o.ID})
				if err != nil {
					return err
				}
				w.timeline = append(w.timeline, e)
				// signals: an incident monitoring or an office opened, its
				// unit silent past the deadline, is a suspected 瞒报.
				if e, err := incident.SuspectConcealmentOnOverdue(ctx, a.core, tx, o, now); err != nil {
					return err
				} else if e != nil {
					w.timeline = append(w.timeline, e)
				}
			}
			if fn := a.overdue[o.Kind]; fn != nil {
				if err := fn(ctx, tx, o); err != nil {
					return err
				}
			}
		}
		return a.flush(ctx, tx, &w)
	})
	if err != nil {
		return 0, err
	}
	if a.onObligationEvent != nil {
		at := a.core.Now()
		for i := range fired {
			a.onObligationEvent(event, &fired[i], at)
		}
	}
	return len(fired), nil
}

// batchWrites are the writes of a batch of obligations, made together.
type batchWrites struct {
	notices  []app.Notice
	timeline []*store.TimelineEntry
}

// flush writes a batch's notices (each with its delivery job, as notifyOrg
// does) and timeline entries in a few multi-row statements.
func (a *Service) flush(ctx context.Context, tx *store.Tx, w *batchWrites) error {
	ns := make([]*store.Notification, len(w.notices))
	for i, n := range w.notices {
		ns[i] = &store.Notification{OrgID: n.OrgID, Kind: n.Kind, Title: n.Title, Body: n.Body, Link: n.Link}
	}
	if err := tx.CreateNotifications(ctx, ns); err != nil {
		return err
	}
	// The console's live events of the same notices (docs/live.md).
	evs := make([]store.LiveEvent, len(w.notices))
	for i, n := range w.notices {
		evs[i] = app.NoticeEvent(n)
	}
	if err := tx.AddLiveEvents(ctx, evs...); err != nil {
		return err
	}
	jobs := make([]*store.Job, len(ns))
	for i, n := range ns {
		payload, _ := json.Marshal(app.NotifyPayload{Notification: n.ID, ReportEmail: w.notices[i].ReportEmail})
		jobs[i] = &store.Job{Kind: "notify", Payload: string(payload)}
	}
	if err := tx.EnqueueJobs(ctx, jobs); err != nil {
		return err
	}
	return tx.AppendTimelines(ctx, w.timeline)
}

// ObserveObligationEvents sets a function told, after each committed batch,
// of every obligation reminded or escalated and when (the benchmark's
// lateness measure).
func (a *Service) ObserveObligationEvents(fn func(event string, o *fenghuo.Obligation, at time.Time)) {
	a.onObligationEvent = fn
}

// overdueBody names who is late and how to reach its liaison.
func (a *Service) overdueBody(ctx context.Context, tx *store.Tx, o *fenghuo.Obligation, orgs map[int64]*fenghuo.Org) (string, error) {
	owner := orgs[o.OwnerOrgID]
	if owner == nil {
		var err error
		if owner, err = tx.Org(ctx, o.OwnerOrgID); err != nil {
			return "", err
		}
		orgs[o.OwnerOrgID] = owner
	}
	body := "责任单位：" + owner.Name
	if owner.Liaison.Name != "" {
		body += "；联络人：" + owner.Liaison.Name
		if owner.Liaison.Mobile != "" {
			body += " " + owner.Liaison.Mobile
		}
	}
	if owner.DutyPhone != "" {
		body += ";24小时值班电话：" + owner.DutyPhone
	}
	return body, nil
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
	if h >= 24 { // a month ahead reads as days, not 744 hours
		if h%24 == 0 {
			return fmt.Sprintf("%d天", h/24)
		}
		return fmt.Sprintf("%d天%d小时", h/24, h%24)
	}
	if h > 0 {
		return fmt.Sprintf("%d小时%d分钟", h, m)
	}
	return fmt.Sprintf("%d分钟", m)
}

// SchedulerMaxWait is the longest the scheduler sleeps in serve between
// passes: an obligation created meanwhile with an earlier due time than the
// one it sleeps towards is picked up within it.
const SchedulerMaxWait = 5 * time.Second

// RunScheduler ticks until ctx ends: at once, then at the next reminder or
// due time (re-reading it after every pass), and at least every interval,
// so that a duty created meanwhile (here or by another replica) is not
// missed. Each pass drains everything due (Tick); a panic in a pass is
// recovered and the loop goes on.
func (a *Service) RunScheduler(ctx context.Context, interval time.Duration) {
	for {
		err := guard.Run(a.core.Logger(), "obligation_scheduler", func() error {
			_, err := a.Tick(ctx)
			return err
		})
		if err != nil && ctx.Err() == nil {
			a.core.Logger().Error("obligation scheduler", "err", err)
		}
		wait := interval
		var next time.Time
		err = a.core.DB().View(ctx, func(tx *store.Tx) error {
			var err error
			next, err = tx.NextObligationEvent(ctx, a.core.Now())
			return err
		})
		if err == nil && !next.IsZero() {
			if d := next.Sub(a.core.Now()) + 50*time.Millisecond; d < wait {
				wait = max(d, 100*time.Millisecond)
			}
		}
		select {
		case <-ctx.Done():
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			a.releaseLeases(rctx)
			cancel()
			return
		case <-time.After(wait):
		}
	}
}
