package incident

// The task capability's hooks into incidents (internal/app/task): the
// playbooks whose trigger is "report" are instantiated in the transaction
// that creates, re-categorises or re-grades an incident. The task package
// imports this one, so it is told through a function set at wiring time
// (internal/app/services) rather than called directly.

import (
	"context"

	"fenghuo/internal/app"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/plan"
	"fenghuo/internal/store"
)

// ReportHook is called, in the caller's transaction, after an incident was
// created or its category or grade changed, with the incident and its unit.
type ReportHook func(ctx context.Context, tx *store.Tx, ac *app.Actor, inc *fenghuo.Incident, unit *fenghuo.Org) error

// SetReportHook sets the function told of created and re-graded incidents
// (the task capability's report playbooks).
func (a *Service) SetReportHook(h ReportHook) { a.reportHook = h }

// reported runs the report hook, if any.
func (a *Service) reported(ctx context.Context, tx *store.Tx, ac *app.Actor, inc *fenghuo.Incident, unit *fenghuo.Org) error {
	if a.reportHook == nil {
		return nil
	}
	return a.reportHook(ctx, tx, ac, inc, unit)
}

// AccessTx loads an incident and its unit in tx if the actor may see it
// and holds p (ENOTFOUND outside the actor's view, EFORBIDDEN without p):
// the check every capability that acts on an incident's objects applies.
func (a *Service) AccessTx(ctx context.Context, tx *store.Tx, ac *app.Actor, id int64, p fenghuo.Permission) (*fenghuo.Incident, *fenghuo.Org, error) {
	return a.incidentAccess(ctx, tx, ac, id, p)
}

// ResolveParty finds the organisation a plan party names as seen from org
// from, as the reporting routes resolve their recipients; nil when the
// platform has none.
func ResolveParty(ctx context.Context, tx *store.Tx, from *fenghuo.Org, party plan.Party) (*fenghuo.Org, error) {
	return resolveParty(ctx, tx, from, party)
}

// DutyGrade is the grade whose duties plan grading pg imposes on inc: the
// override when set, else the plan's own verdict.
func DutyGrade(inc *fenghuo.Incident, pg PlanGrading) fenghuo.Grade { return dutyGrade(inc, pg) }
