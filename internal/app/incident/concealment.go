package incident

import (
	"context"
	"fmt"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/calendar"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/phrase"
	"fenghuo/internal/store"
)

// Suspected concealment (瞒报, 001 §5.4.2(2)): an incident that reached the
// platform other than from its unit — website monitoring, the public, an
// office that found it — and that the unit had not reported when its
// first report fell due. It is marked in the transaction that finds it:
// at creation when the deadline has already passed, or when the scheduler
// finds the unit's report duty overdue. Late (迟报) and missed (漏报)
// reports come from the duties themselves.

// openedByOthers names how the incident reached the platform when that was
// not from its unit ("" when the unit itself reported it, by the platform
// or by phone, fax, WeChat or e-mail to a duty officer).
func openedByOthers(ctx context.Context, tx *store.Tx, inc *fenghuo.Incident, unit *fenghuo.Org) (string, error) {
	switch inc.Channel {
	case fenghuo.ChannelMonitoring:
		return "监测发现", nil
	case fenghuo.ChannelPublic:
		return "群众举报", nil
	case fenghuo.ChannelUnit:
		if inc.EnteredBy == 0 {
			return "", nil
		}
		u, err := tx.User(ctx, inc.EnteredBy)
		if err != nil {
			return "", err
		}
		o, err := tx.Org(ctx, u.OrgID)
		if err != nil {
			return "", err
		}
		if !fenghuo.InSubtree(unit.Path, o.Path) {
			return o.Name + "登记", nil
		}
	}
	return "", nil
}

// suspectConcealment marks inc when it reached the platform other than
// from its unit, the unit has filed no report, and duty o (the unit's, to
// an office) is past due at now. It returns the timeline entry to append
// (nil when nothing was marked); the audit entry is written in tx.
func suspectConcealment(ctx context.Context, core *app.Core, tx *store.Tx, ac *app.Actor, inc *fenghuo.Incident, unit *fenghuo.Org, o *fenghuo.Obligation, now time.Time) (*store.TimelineEntry, error) {
	if !inc.ReportedAt.IsZero() || o.OwnerOrgID != unit.ID || o.Kind != KindReport || o.DueAt.IsZero() || o.DueAt.After(now) {
		return nil, nil
	}
	how, err := openedByOthers(ctx, tx, inc, unit)
	if err != nil || how == "" {
		return nil, err
	}
	if _, err := tx.ConcealmentOf(ctx, inc.ID); err == nil {
		return nil, nil // marked already
	} else if fenghuo.ErrorCode(err) != fenghuo.ENOTFOUND {
		return nil, err
	}
	reason := fmt.Sprintf("%s；%s未在时限（%s，%s %s）前报告", how, unit.Name,
		o.DueAt.In(calendar.Shanghai).Format("01-02 15:04"), o.PlanID, o.Clause)
	m := &fenghuo.ConcealmentMark{IncidentID: inc.ID, UnitOrgID: unit.ID, Reason: reason, MarkedBy: ac.User.ID}
	if err := tx.MarkConcealment(ctx, m); err != nil {
		return nil, err
	}
	if err := core.Record(ctx, tx, ac, "incident.concealment", "incident", incidentRef(inc.ID), "success",
		map[string]any{"unit": unit.ID, "reason": reason, "obligation": o.ID}); err != nil {
		return nil, err
	}
	howWords := phrase.Text(how)
	switch inc.Channel {
	case fenghuo.ChannelMonitoring, fenghuo.ChannelPublic:
		howWords = phrase.Channel(inc.Channel)
	}
	body := phrase.New("concealment", "how", howWords, "unit", unit.Name, "due", o.DueAt.In(calendar.Shanghai).Format("01-02 15:04"),
		"plan", o.PlanID, "clause", o.Clause)
	return app.TimelineEntry(ac, inc.ID, "concealment", body, map[string]any{"obligation": o.ID})
}

// concealedAtCreation marks an incident an office or monitoring opens after
// the unit's first report was already due.
func (a *Service) concealedAtCreation(ctx context.Context, tx *store.Tx, ac *app.Actor, inc *fenghuo.Incident, unit *fenghuo.Org) error {
	obs, err := tx.Obligations(ctx, store.ObligationFilter{IncidentID: inc.ID, Kind: KindReport, State: fenghuo.ObligationOpen}, store.Page{Limit: store.MaxLimit})
	if err != nil {
		return err
	}
	now := a.core.Now()
	for i := range obs.Items {
		e, err := suspectConcealment(ctx, a.core, tx, ac, inc, unit, &obs.Items[i], now)
		if err != nil {
			return err
		}
		if e != nil {
			return tx.AppendTimelines(ctx, []*store.TimelineEntry{e})
		}
	}
	return nil
}

// SuspectConcealmentOnOverdue is the scheduler's check, in its transaction,
// when a report duty o becomes overdue: it marks the incident as a
// suspected concealment when the incident reached the platform other than
// from its unit and the unit has filed nothing. It returns the timeline
// entry to append with the batch (nil when nothing was marked).
func SuspectConcealmentOnOverdue(ctx context.Context, core *app.Core, tx *store.Tx, o *fenghuo.Obligation, now time.Time) (*store.TimelineEntry, error) {
	if o.Kind != KindReport || o.IncidentID == 0 {
		return nil, nil
	}
	inc, err := tx.Incident(ctx, o.IncidentID)
	if err != nil {
		return nil, err
	}
	if inc.OrgID != o.OwnerOrgID || inc.Status == fenghuo.StatusClosed {
		return nil, nil
	}
	unit, err := tx.Org(ctx, inc.OrgID)
	if err != nil {
		return nil, err
	}
	return suspectConcealment(ctx, core, tx, app.SystemActor(), inc, unit, o, now)
}

// Concealment returns an incident's suspected-concealment mark, or
// ENOTFOUND when it has none.
func (a *Service) Concealment(ctx context.Context, ac *app.Actor, id int64) (*fenghuo.ConcealmentMark, error) {
	if _, err := a.Incident(ctx, ac, id); err != nil {
		return nil, err
	}
	return a.core.DB().Concealment(ctx, id)
}

// MaxSignalsDays bounds the window of ReportingSignals.
const MaxSignalsDays = 366

// ReportingSignals counts, per unit of the actor's subtree, the late (迟报),
// missed (漏报) and suspected concealment (瞒报) of the window [from, to):
// the offices' statistics and the figures on a unit's row.
func (a *Service) ReportingSignals(ctx context.Context, ac *app.Actor, from, to time.Time) ([]fenghuo.ReportingSignals, error) {
	if err := app.Require(ac, fenghuo.PermIncidentRead); err != nil {
		return nil, err
	}
	if from.IsZero() || to.IsZero() || !to.After(from) {
		return nil, fenghuo.FieldErrorf("to", "Give a period whose end is after its start. / 统计时段的结束日期应晚于开始日期。")
	}
	if to.Sub(from) > MaxSignalsDays*24*time.Hour {
		return nil, fenghuo.FieldErrorf("to", "A period is at most %d days. / 统计时段不超过%d天。", MaxSignalsDays, MaxSignalsDays)
	}
	return a.core.DB().ReportingSignalsOf(ctx, ac.Org.Path, from, to, a.core.Now())
}

// SignalsWindow reads a statistics period given as first and last days
// (YYYY-MM-DD, Beijing time, both included) into [from, to); empty days
// default to the current month up to today.
func SignalsWindow(firstDay, lastDay string, now time.Time) (from, to time.Time, err error) {
	today := now.In(calendar.Shanghai)
	from = time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, calendar.Shanghai)
	to = time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, calendar.Shanghai).AddDate(0, 0, 1)
	if firstDay != "" {
		if from, err = time.ParseInLocation(time.DateOnly, firstDay, calendar.Shanghai); err != nil {
			return from, to, fenghuo.FieldErrorf("from", "Give the first day as YYYY-MM-DD. / 开始日期格式为YYYY-MM-DD。")
		}
	}
	if lastDay != "" {
		last, err := time.ParseInLocation(time.DateOnly, lastDay, calendar.Shanghai)
		if err != nil {
			return from, to, fenghuo.FieldErrorf("to", "Give the last day as YYYY-MM-DD. / 结束日期格式为YYYY-MM-DD。")
		}
		to = last.AddDate(0, 0, 1)
	}
	return from, to, nil
}
