package incident

import (
	"context"
	"fmt"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/calendar"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/phrase"
	"fenghuo/internal/plan"
	"fenghuo/internal/store"
)

// The incident side of an emergency response (internal/app/response): only
// an activation sets an incident responding, and only the end of the
// response sets it recovering again. These run in the response service's
// transaction; the rights check and the audit entry are the caller's.

// KindSituationReport is the follow-up report (续报) obligation a response
// level with situation_reports asks for at the plan's interval while it
// holds (001 §4.2.2(2)). SubjectID is the activation.
const KindSituationReport = "situation_report"

// AccessTx and ResolveParty (taskhook.go, shared with the task capability)
// give the response capability the incident check and the party resolution.

// StartResponseTx marks the incident responding at level: the first
// activation stamps ResponseStartedAt, a level change only records the new
// level. A draft must be reported first.
func (a *Service) StartResponseTx(ctx context.Context, tx *store.Tx, ac *app.Actor, inc *fenghuo.Incident, level fenghuo.Grade) error {
	from := inc.Status
	if from != fenghuo.StatusResponding {
		if err := inc.CanTransition(fenghuo.StatusResponding, false); err != nil {
			return err
		}
	}
	now := a.core.Now()
	inc.Status, inc.ResponseLevel = fenghuo.StatusResponding, level
	if inc.ResponseStartedAt.IsZero() {
		inc.ResponseStartedAt = now
	}
	// A response started again after recovery keeps the first end's
	// deadlines (ResponseEndedAt stays), so they are not created twice.
	if err := tx.UpdateIncident(ctx, inc); err != nil {
		return err
	}
	if from == fenghuo.StatusResponding {
		return nil
	}
	return a.timeline(ctx, tx, ac, inc.ID, "status", phrase.New("status.activated", "from", phrase.Status(from), "to", phrase.Status(inc.Status), "level", string(level)),
		map[string]string{"from": string(from), "to": string(inc.Status), "level": string(level)})
}

// EndResponseTx marks the incident recovering when its response ends and
// starts the deadlines counted from the end of the response (investigation
// 30 days, summary 20 working days), as Transition does.
func (a *Service) EndResponseTx(ctx context.Context, tx *store.Tx, ac *app.Actor, inc *fenghuo.Incident, unit *fenghuo.Org) error {
	from := inc.Status
	if err := inc.CanTransition(fenghuo.StatusRecovering, false); err != nil {
		return err
	}
	inc.Status = fenghuo.StatusRecovering
	if err := a.endResponse(ctx, tx, inc, unit, a.core.Now()); err != nil {
		return err
	}
	if err := tx.UpdateIncident(ctx, inc); err != nil {
		return err
	}
	return a.timeline(ctx, tx, ac, inc.ID, "status", phrase.New("status.ended", "from", phrase.Status(from), "to", phrase.Status(inc.Status)),
		map[string]string{"from": string(from), "to": string(inc.Status)})
}

// endResponse stamps the end of the response once and creates the
// deadlines counted from it.
func (a *Service) endResponse(ctx context.Context, tx *store.Tx, inc *fenghuo.Incident, unit *fenghuo.Org, now time.Time) error {
	if !inc.ResponseEndedAt.IsZero() || inc.ResponseStartedAt.IsZero() {
		return nil
	}
	inc.ResponseEndedAt = now
	return a.deadlineDuties(ctx, tx, inc, unit, plan.EventResponseEnd, now)
}

// responseGuard refuses the generic status change into or out of an
// emergency response: activating and ending a level are decisions of the
// office the plan names, made on the response page.
func responseGuard(ctx context.Context, tx *store.Tx, inc *fenghuo.Incident, to fenghuo.IncidentStatus) error {
	if to == fenghuo.StatusResponding {
		return fenghuo.FieldErrorf("status", "An emergency response is started with “Activate emergency response” on the incident's response page (/incidents/%d/response), by the office the plan names. / 应急响应须在事件的“应急响应”页由预案规定的机构“启动应急响应”，不能直接改为处置中。", inc.ID)
	}
	if inc.Status != fenghuo.StatusResponding {
		return nil
	}
	open, err := tx.OpenActivation(ctx, inc.ID)
	if err != nil && fenghuo.ErrorCode(err) != fenghuo.ENOTFOUND {
		return err
	}
	if open != nil && open.State == fenghuo.ResponseActive {
		return fenghuo.FieldErrorf("status", "The level %s response is in force: end it with “End emergency response” on the response page (/incidents/%d/response). / %s级应急响应正在进行，请在“应急响应”页“结束应急响应”。", open.Level, inc.ID, open.Level.Numeral())
	}
	return nil
}

// NextSituationReport completes the open situation-report obligations of
// the incident (a follow-up report was filed at now) and, while the level
// that asked for them holds, opens the next one an interval later.
func (a *Service) nextSituationReports(ctx context.Context, tx *store.Tx, inc *fenghuo.Incident, note string) error {
	obs, err := tx.Obligations(ctx, store.ObligationFilter{IncidentID: inc.ID, Kind: KindSituationReport, State: fenghuo.ObligationOpen}, store.Page{Limit: store.MaxLimit})
	if err != nil {
		return err
	}
	now := a.core.Now()
	for i := range obs.Items {
		o := &obs.Items[i]
		o.Complete(now, note)
		if err := tx.UpdateObligation(ctx, o); err != nil {
			return err
		}
		act, err := tx.Activation(ctx, o.SubjectID)
		if err != nil || act.State != fenghuo.ResponseActive {
			continue
		}
		next, err := a.SituationReportAfter(o, act, now)
		if err != nil || next == nil {
			return err
		}
		if err := tx.CreateObligation(ctx, next); err != nil {
			return err
		}
	}
	return nil
}

// SituationReportAfter is the situation-report obligation that follows o
// (or the first one when o is nil, with owner and recipient filled by the
// caller) for an activation, due one interval after the later of the
// previous due time and at; nil when the level asks for none.
func (a *Service) SituationReportAfter(o *fenghuo.Obligation, act *fenghuo.ResponseActivation, at time.Time) (*fenghuo.Obligation, error) {
	p, err := a.core.Plans().Get(act.PlanID)
	if err != nil {
		return nil, err
	}
	lvl, ok := p.ResponseLevel(act.Level)
	every := lvl.SituationInterval()
	if !ok || every == "" {
		return nil, nil
	}
	span, err := calendar.ParseSpan(every)
	if err != nil {
		return nil, err
	}
	n := 1
	next := fenghuo.Obligation{Kind: KindSituationReport, IncidentID: act.IncidentID, SubjectID: act.ID, PlanID: act.PlanID}
	base := at
	if o != nil {
		next = *o
		next.ID, next.State, next.DoneAt, next.DoneNote = 0, "", time.Time{}, ""
		next.RemindedAt, next.EscalatedAt = time.Time{}, time.Time{}
		fmt.Sscanf(o.RuleID, "situation-report#%d", &n)
		n++
		if o.DueAt.After(base) {
			base = o.DueAt
		}
	}
	if lvl.SituationReports != nil {
		next.Clause = lvl.SituationReports.Clause
	}
	next.RuleID = fmt.Sprintf("situation-report#%d", n)
	next.DueAt = a.core.Calendar().Deadline(base, span)
	next.RemindAt = remindAt(base, next.DueAt)
	// The stored title is read by people (notices, inboxes, the API): the
	// plan by its name, not its id.
	next.Title = fmt.Sprintf("%s级应急响应第%d次续报：事态发展变化情况（每%s，%s%s）", act.Level.Numeral(), n, spanZH(every), PlanTitle(p), next.Clause)
	return &next, nil
}

func spanZH(s string) string {
	sp, err := calendar.ParseSpan(s)
	if err != nil {
		return s
	}
	switch sp.Unit {
	case calendar.Minutes:
		return fmt.Sprintf("%d分钟", sp.N)
	case calendar.Hours:
		return fmt.Sprintf("%d小时", sp.N)
	case calendar.CalendarDays:
		return fmt.Sprintf("%d天", sp.N)
	}
	return fmt.Sprintf("%d个工作日", sp.N)
}

// PlanTitle names a plan for people, in titles, notices and timelines:
// 《its Chinese name》, or its id when it has none. Stored titles are read
// by people (inboxes, notices, the API), so they never carry the raw id.
func PlanTitle(p *plan.Plan) string {
	if p == nil {
		return ""
	}
	if p.Name.ZH == "" {
		return p.ID
	}
	return "《" + p.Name.ZH + "》"
}

// PlanTitleByID is PlanTitle for a plan known by id; the id itself when
// the plan is no longer known.
func (a *Service) PlanTitleByID(id string) string {
	if p, err := a.core.Plans().Get(id); err == nil {
		return PlanTitle(p)
	}
	return id
}
