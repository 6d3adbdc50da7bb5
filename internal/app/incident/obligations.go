package incident

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/calendar"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/phrase"
	"fenghuo/internal/plan"
	"fenghuo/internal/store"
)

// Obligation kinds.
const (
	KindReport   = "report"   // the unit reports to an office
	KindForward  = "forward"  // an office passes a report on up
	KindDeadline = "deadline" // a post-incident deadline (investigation, summary)
)

// dutyGrade is the grade whose duties a plan imposes: the regulator's
// override when there is one, else the plan's own verdict.
func dutyGrade(inc *fenghuo.Incident, pg PlanGrading) fenghuo.Grade {
	if inc.GradeOverride.Valid() {
		return inc.GradeOverride
	}
	return pg.Result.Grade
}

// ruleKey identifies one duty of one plan to one recipient.
func ruleKey(routeID string, to plan.Party) string {
	return routeID + "→" + to.Role + "@" + string(to.Level)
}

// dueFrom computes a due time: the counted-from time plus the plan's
// minutes; zero for duties that say only "immediately" or "timely".
func dueFrom(start time.Time, minutes int) time.Time {
	if minutes <= 0 || start.IsZero() {
		return time.Time{}
	}
	return start.Add(time.Duration(minutes) * time.Minute)
}

// remindAt is when to remind the owner of a duty: when three quarters of
// the time has passed, but at least five minutes before it is due.
func remindAt(start, due time.Time) time.Time {
	if due.IsZero() {
		return time.Time{}
	}
	lead := due.Sub(start) / 4
	if lead < 5*time.Minute {
		lead = 5 * time.Minute
	}
	return due.Add(-lead)
}

// syncObligations makes the incident's first-leg reporting obligations match
// its current grade under every governing plan: new duties are created
// (due from discovery or occurrence as the plan says, so a raised grade may
// be overdue at once), duties that no longer apply are cancelled if still
// open, and done ones are kept.
func (a *Service) syncObligations(ctx context.Context, tx *store.Tx, inc *fenghuo.Incident, unit *fenghuo.Org) error {
	existing, err := tx.Obligations(ctx, store.ObligationFilter{IncidentID: inc.ID, Kind: KindReport}, store.Page{Limit: store.MaxLimit})
	if err != nil {
		return err
	}
	have := map[string]*fenghuo.Obligation{}
	for i := range existing.Items {
		o := &existing.Items[i]
		have[o.PlanID+"|"+o.RuleID] = o
	}
	keys, duties, err := a.reportDuties(ctx, tx, inc, unit)
	if err != nil {
		return err
	}
	want := map[string]bool{}
	for i, key := range keys {
		want[key] = true
		if o, ok := have[key]; ok {
			if o.State == fenghuo.ObligationCancelled {
				o.State = fenghuo.ObligationOpen
				if err := tx.UpdateObligation(ctx, o); err != nil {
					return err
				}
			}
			continue
		}
		o := duties[i]
		// A report already delivered to that office satisfies the duty.
		if o.RecipientOrgID != 0 && !inc.ReportedAt.IsZero() {
			if delivered, at, err := a.deliveredTo(ctx, tx, inc.ID, o.RecipientOrgID); err != nil {
				return err
			} else if delivered {
				o.Complete(at, "initial report already delivered")
			}
		}
		if err := tx.CreateObligation(ctx, o); err != nil {
			return err
		}
	}
	for key, o := range have {
		if !want[key] && o.State == fenghuo.ObligationOpen {
			o.State = fenghuo.ObligationCancelled
			o.DoneNote = "no longer required at grade " + string(inc.Grade)
			if err := tx.UpdateObligation(ctx, o); err != nil {
				return err
			}
		}
	}
	return nil
}

// reportDuties returns the first-leg reporting duties the incident's
// current grading imposes under every governing plan, each with its key
// (plan|rule), due from discovery or occurrence as the plan says. Nothing is
// written: syncObligations and the demo seeder store them.
func (a *Service) reportDuties(ctx context.Context, tx *store.Tx, inc *fenghuo.Incident, unit *fenghuo.Org) ([]string, []*fenghuo.Obligation, error) {
	facts, err := a.gradingFacts(ctx, tx, inc, unit)
	if err != nil {
		return nil, nil, err
	}
	var keys []string
	var out []*fenghuo.Obligation
	seen := map[string]bool{}
	for _, pg := range ParseGrading(inc.Grading) {
		p, err := a.core.Plans().Get(pg.Plan)
		if err != nil {
			continue
		}
		for _, d := range p.Duties(dutyGrade(inc, pg), facts, pg.Category) {
			if d.After != "" || d.If != "" || d.FromRole != plan.RoleOperator {
				continue // onward legs start when the office receives; conditional duties wait for the facts
			}
			route, _ := p.Route(d.Route)
			for _, to := range route.To {
				if to.Role != d.ToRole || to.Level != d.ToLevel {
					continue
				}
				key := pg.Plan + "|" + ruleKey(route.ID, to)
				if seen[key] {
					continue
				}
				seen[key] = true
				o, err := a.newDuty(ctx, tx, inc, unit, p, route, to, KindReport, inc.DiscoveredAt, inc.OccurredAt)
				if err != nil {
					return nil, nil, err
				}
				keys, out = append(keys, key), append(out, o)
			}
		}
	}
	return keys, out, nil
}

// newDuty builds an obligation for one recipient of a route, owned by
// owner, with the due time counted from the event the route names.
func (a *Service) newDuty(ctx context.Context, tx *store.Tx, inc *fenghuo.Incident, owner *fenghuo.Org, p *plan.Plan, route plan.Route, to plan.Party, kind string, discovered, occurred time.Time) (*fenghuo.Obligation, error) {
	recipient, err := resolveParty(ctx, tx, owner, to)
	if err != nil {
		return nil, err
	}
	start := discovered
	if route.CountedFrom == plan.EventOccurrence && !occurred.IsZero() {
		start = occurred
	}
	o := &fenghuo.Obligation{Kind: kind, IncidentID: inc.ID, OwnerOrgID: owner.ID, PlanID: p.ID,
		RuleID: ruleKey(route.ID, to), Clause: route.Clause, Urgency: route.Urgency,
		DueAt: dueFrom(start, route.WithinMinutes), RecipientName: to.Label().ZH}
	o.RemindAt = remindAt(start, o.DueAt)
	if recipient != nil {
		o.RecipientOrgID, o.RecipientName = recipient.ID, recipient.Name
	}
	verb := "报告"
	if kind == KindForward {
		verb = "续报上级"
	}
	o.Title = fmt.Sprintf("向%s%s（%s%s）", o.RecipientName, verb, PlanTitle(p), route.Clause)
	return o, nil
}

// deliveredTo reports whether any report of the incident reached org.
func (a *Service) deliveredTo(ctx context.Context, tx *store.Tx, incidentID, org int64) (bool, time.Time, error) {
	ds, err := tx.DeliveriesOf(ctx, incidentID)
	if err != nil {
		return false, time.Time{}, err
	}
	for _, d := range ds {
		if d.ToOrgID == org {
			return true, d.SentAt, nil
		}
	}
	return false, time.Time{}, nil
}

// forwardDuties creates the onward legs that start when org receives the
// incident's report by route routeID: the legs of every governing plan that
// follow that route and start from a role org plays.
func (a *Service) forwardDuties(ctx context.Context, tx *store.Tx, inc *fenghuo.Incident, unit, org *fenghuo.Org, planID, routeID string, received time.Time) error {
	obs, err := a.forwardDutyList(ctx, tx, inc, unit, org, planID, routeID, received)
	if err != nil {
		return err
	}
	for _, o := range obs {
		if err := tx.CreateObligation(ctx, o); err != nil {
			return err
		}
	}
	return nil
}

// forwardDutyList returns the onward legs forwardDuties creates, without
// writing them.
func (a *Service) forwardDutyList(ctx context.Context, tx *store.Tx, inc *fenghuo.Incident, unit, org *fenghuo.Org, planID, routeID string, received time.Time) ([]*fenghuo.Obligation, error) {
	facts, err := a.gradingFacts(ctx, tx, inc, unit)
	if err != nil {
		return nil, err
	}
	var out []*fenghuo.Obligation
	for _, pg := range ParseGrading(inc.Grading) {
		if planID != "" && pg.Plan != planID {
			continue
		}
		p, err := a.core.Plans().Get(pg.Plan)
		if err != nil {
			continue
		}
		for _, d := range p.Duties(dutyGrade(inc, pg), facts, pg.Category) {
			if d.After != routeID || d.If != "" || !hasRole(org, d.FromRole) {
				continue
			}
			route, _ := p.Route(d.Route)
			for _, to := range route.To {
				if to.Role != d.ToRole || to.Level != d.ToLevel {
					continue
				}
				o, err := a.newDuty(ctx, tx, inc, org, p, route, to, KindForward, received, time.Time{})
				if err != nil {
					return nil, err
				}
				if o.RecipientOrgID == org.ID {
					continue
				}
				o.SubjectID = 0
				out = append(out, o)
			}
		}
	}
	return out, nil
}

func hasRole(o *fenghuo.Org, role string) bool {
	for _, r := range o.PlanRoles {
		if r == role {
			return true
		}
	}
	return false
}

// deadlineDuties creates the post-incident deadlines that count from event
// (response_end or handling_end), in calendar or working days.
func (a *Service) deadlineDuties(ctx context.Context, tx *store.Tx, inc *fenghuo.Incident, unit *fenghuo.Org, event string, at time.Time) error {
	list, err := a.deadlineDutyList(ctx, tx, inc, unit, event)
	if err != nil {
		return err
	}
	for _, d := range list {
		o := d.At(a.core.Calendar(), at)
		if err := tx.CreateObligation(ctx, o); err != nil {
			return err
		}
	}
	return nil
}

// deadlineDuty is a post-incident deadline before its start is known.
type deadlineDuty struct {
	o    fenghuo.Obligation
	span calendar.Span
}

// At is the duty counted from at: due after its span in cal (working days
// skip weekends and holidays), reminded three days before.
func (d deadlineDuty) At(cal *calendar.Calendar, at time.Time) *fenghuo.Obligation {
	o := d.o
	o.DueAt = cal.Deadline(at, d.span)
	o.RemindAt = o.DueAt.Add(-72 * time.Hour)
	return &o
}

// deadlineDutyList returns the deadlines deadlineDuties creates for event,
// without their due times.
func (a *Service) deadlineDutyList(ctx context.Context, tx *store.Tx, inc *fenghuo.Incident, unit *fenghuo.Org, event string) ([]deadlineDuty, error) {
	var out []deadlineDuty
	for _, pg := range ParseGrading(inc.Grading) {
		p, err := a.core.Plans().Get(pg.Plan)
		if err != nil {
			continue
		}
		for _, d := range p.DeadlinesFor(dutyGrade(inc, pg)) {
			if d.From != event {
				continue
			}
			span, err := calendar.ParseSpan(d.Within)
			if err != nil {
				return nil, err
			}
			owner := unit
			if d.Owner.Role != plan.RoleOperator {
				if o, err := resolveParty(ctx, tx, unit, d.Owner); err != nil {
					return nil, err
				} else if o != nil {
					owner = o
				}
			}
			out = append(out, deadlineDuty{span: span, o: fenghuo.Obligation{Kind: KindDeadline, IncidentID: inc.ID,
				OwnerOrgID: owner.ID, RecipientOrgID: unit.ID, PlanID: p.ID, RuleID: d.ID, Clause: d.Clause,
				Title: fmt.Sprintf("%s（%s内，%s%s）", d.Name.ZH, spanZH(d.Within), PlanTitle(p), d.Clause)}})
		}
	}
	return out, nil
}

// Obligations lists the obligations of an incident the actor may see.
func (a *Service) IncidentObligations(ctx context.Context, ac *app.Actor, id int64) ([]fenghuo.Obligation, error) {
	var out []fenghuo.Obligation
	err := a.core.DB().View(ctx, func(tx *store.Tx) error {
		if _, _, err := a.incidentAccess(ctx, tx, ac, id, fenghuo.PermIncidentRead); err != nil {
			return err
		}
		res, err := tx.Obligations(ctx, store.ObligationFilter{IncidentID: id}, store.Page{Limit: store.MaxLimit})
		out = res.Items
		return err
	})
	return out, err
}

// CompleteObligation marks an obligation of the actor's org done, e.g. a
// report made by phone to an office outside the platform, with a note.
func (a *Service) CompleteObligation(ctx context.Context, ac *app.Actor, id int64, note string) error {
	if strings.TrimSpace(note) == "" {
		return fenghuo.FieldErrorf("note", "Say how it was done (e.g. reported by phone to …, at …). / 请说明完成方式。")
	}
	return a.write(ctx, func(tx *store.Tx) error {
		o, err := tx.Obligation(ctx, id)
		if err != nil {
			return err
		}
		owner, err := tx.Org(ctx, o.OwnerOrgID)
		if err != nil {
			return err
		}
		if err := app.RequireAt(ac, fenghuo.PermIncidentWrite, owner.Path, "Obligation", id); err != nil {
			return err
		}
		if o.State != fenghuo.ObligationOpen {
			return fenghuo.Errorf(fenghuo.ECONFLICT, "This obligation is already %s. / 该事项已处理。", o.State)
		}
		// A task or an improvement measure is done through its own page,
		// which asks for the evidence it needs and updates its state too.
		switch o.Kind {
		case store.ObligationKindTask:
			return fenghuo.Errorf(fenghuo.ECONFLICT, "Mark the task done on the incident's tasks page (/incidents/%d/tasks), with the evidence it asks for. / 请在事件的“处置任务”页完成该任务（需上传所要求的证据）。", o.IncidentID)
		case store.ObligationKindImprovement:
			return fenghuo.Errorf(fenghuo.ECONFLICT, "Finish the improvement measure on the incident's documents page (/incidents/%d/documents). / 请在事件的“后续文档”页完成该整改措施。", o.IncidentID)
		case fenghuo.ObligationKindInspection: // inspection campaigns (issue 12, P2): answered item by item
			return fenghuo.Errorf(fenghuo.ECONFLICT, "Answer the checklist and submit it on the inspection's page (/inspections/%d). / 请在检查页面逐项填报并提交。", o.SubjectID)
		}
		o.Complete(a.core.Now(), note)
		if err := tx.UpdateObligation(ctx, o); err != nil {
			return err
		}
		if o.IncidentID != 0 {
			if err := a.timeline(ctx, tx, ac, o.IncidentID, "obligation", phrase.New("obligation.done", "title", o.Title, "note", note), map[string]any{"obligation": o.ID, "state": o.State}); err != nil {
				return err
			}
		}
		return a.core.Record(ctx, tx, ac, "obligation.complete", "obligation", incidentRef(id), "success", map[string]string{"note": note, "state": o.State})
	})
}

// ReportingRecords counts the reporting obligations of the units in the
// actor's subtree: on time, late (迟报), overdue, missed (漏报).
func (a *Service) ReportingRecords(ctx context.Context, ac *app.Actor) ([]store.ReportingRecord, error) {
	if err := app.Require(ac, fenghuo.PermIncidentRead); err != nil {
		return nil, err
	}
	return a.core.DB().ReportingRecords(ctx, ac.Org.Path, a.core.Now())
}

// MyDuties lists the open obligations the actor's own org owns, soonest
// due first: reports to file, warnings to acknowledge and act on, today's
// daily report. The dashboard shows them.
func (a *Service) MyDuties(ctx context.Context, ac *app.Actor, limit int) (store.ListResult[fenghuo.Obligation], error) {
	if err := app.Require(ac, fenghuo.PermIncidentRead); err != nil {
		return store.ListResult[fenghuo.Obligation]{}, err
	}
	return a.core.DB().Obligations(ctx, store.ObligationFilter{OwnerOrgID: ac.Org.ID, State: fenghuo.ObligationOpen}, store.Page{Limit: limit})
}
