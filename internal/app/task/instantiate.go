package task

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/app/incident"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/phrase"
	"fenghuo/internal/plan"
	"fenghuo/internal/store"
)

// key identifies a playbook task of an incident: one per plan, playbook,
// step and activation, so that instantiating twice creates nothing more.
func key(planID, playbook, step string, activationID int64) string {
	return planID + "|" + playbook + "|" + step + "|" + strconv.FormatInt(activationID, 10)
}

// anchorOf is the task anchor of a playbook event (the task keeps only the
// three the console names; the others count from a time it shows anyway).
func anchorOf(event string) string {
	switch event {
	case plan.EventOccurrence:
		return fenghuo.AnchorOccurrence
	case plan.EventDiscovery:
		return fenghuo.AnchorDiscovery
	case plan.EventResponseStart:
		return fenghuo.AnchorActivation
	}
	return ""
}

// remindAt is when to remind the owner of a task: when three quarters of
// the time from its event have passed, but at least five minutes before it
// is due (the reporting duties' rule); zero for a task without a due time.
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

// InstantiateTx creates, in the caller's transaction, the tasks the
// playbooks of every plan governing the incident's unit give for in (the
// trigger, the level activated and the anchor times), each with its
// obligation of kind "task": reminded before its due time, escalated to
// the step's escalate_to party (resolved from the unit like a reporting
// recipient) when overdue, and counted on time or late when done. Each
// plan's drafts use the category and grade that plan graded the incident
// with (its own taxonomy; the override when one is set), unless in gives
// them. A step owner "unit" (or the operator role) is the incident's unit;
// "activator" is the office that decided activation activationID (the
// actor's org when there is none); another plan role is the organisation
// that plays it as seen from the unit, or the unit itself, with a note,
// when the platform has none. It is idempotent per incident, plan,
// playbook, step and activation: tasks that exist are left alone. It
// returns the tasks it created, and writes one timeline and audit entry
// when it created any. It checks no rights: the caller has.
func (s *Service) InstantiateTx(ctx context.Context, tx *store.Tx, ac *app.Actor, inc *fenghuo.Incident, in plan.TaskInput, activationID int64) ([]fenghuo.Task, error) {
	unit, err := tx.Org(ctx, inc.OrgID)
	if err != nil {
		return nil, err
	}
	plans, err := s.core.GoverningPlans(ctx, tx, unit.ID)
	if err != nil {
		return nil, err
	}
	existing, err := tx.IncidentTasks(ctx, inc.ID)
	if err != nil {
		return nil, err
	}
	have := map[string]bool{}
	for _, t := range existing {
		if t.PlaybookID != "" {
			have[key(t.PlanID, t.PlaybookID, t.StepID, t.ActivationID)] = true
		}
	}
	grading := map[string]incident.PlanGrading{}
	for _, pg := range incident.ParseGrading(inc.Grading) {
		grading[pg.Plan] = pg
	}
	activator := &ac.Org
	if activationID != 0 {
		act, err := tx.Activation(ctx, activationID)
		if err != nil {
			return nil, err
		}
		if id := act.DecidedOrgID; id != 0 && id != ac.Org.ID {
			if activator, err = tx.Org(ctx, id); err != nil {
				return nil, err
			}
		}
	}
	var created []fenghuo.Task
	for _, p := range plans {
		pin := in
		if pg, ok := grading[p.ID]; ok {
			if pg.Category != "" {
				pin.Category = pg.Category
			}
			if pin.Grade == "" {
				pin.Grade = incident.DutyGrade(inc, pg)
			}
		} else if pin.Grade == "" {
			pin.Grade = inc.Grade
		}
		for _, d := range p.TaskDrafts(pin, s.core.Calendar()) {
			k := key(p.ID, d.Playbook, d.Step, activationID)
			if have[k] {
				continue
			}
			have[k] = true
			t, duty, err := s.fromDraft(ctx, tx, ac, inc, unit, activator, p, d, pin.Anchors)
			if err != nil {
				return nil, err
			}
			t.ActivationID = activationID
			if err := tx.CreateTask(ctx, t, duty); err != nil {
				return nil, err
			}
			created = append(created, *t)
		}
	}
	if len(created) == 0 {
		return created, nil
	}
	ids := make([]int64, len(created))
	for i := range created {
		ids[i] = created[i].ID
	}
	detail := map[string]any{"trigger": in.Trigger, "tasks": ids, "activation": activationID}
	e, err := app.TimelineEntry(ac, inc.ID, "tasks", phrase.New("tasks.generated", "n", len(created)), detail)
	if err != nil {
		return nil, err
	}
	if err := tx.AppendTimeline(ctx, e); err != nil {
		return nil, err
	}
	if err := s.core.Record(ctx, tx, ac, "task.instantiate", "incident", strconv.FormatInt(inc.ID, 10), "success", detail); err != nil {
		return nil, err
	}
	return created, nil
}

// fromDraft builds the task of one playbook step and the duty of its
// obligation.
func (s *Service) fromDraft(ctx context.Context, tx *store.Tx, ac *app.Actor, inc *fenghuo.Incident, unit, activator *fenghuo.Org,
	p *plan.Plan, d plan.TaskDraft, anchors plan.Anchors) (*fenghuo.Task, store.Duty, error) {
	t := &fenghuo.Task{IncidentID: inc.ID, PlanID: p.ID, PlaybookID: d.Playbook, StepID: d.Step, Title: d.Title.ZH,
		Text: d.Text, Mandatory: d.Mandatory, Evidence: d.Evidence, DueAt: d.DueAt, Anchor: anchorOf(d.From),
		CreatedBy: ac.User.ID}
	if t.Title == "" {
		t.Title = d.Title.EN
	}
	owner, err := s.stepOwner(ctx, tx, unit, activator, d.Owner)
	if err != nil {
		return nil, store.Duty{}, err
	}
	if owner == nil {
		owner = unit
		t.Text = fmt.Sprintf("（平台中没有登记承担「%s」的单位，暂由事发单位负责。）\n%s", d.OwnerName.ZH, t.Text)
	}
	t.OwnerOrgID = owner.ID
	duty := store.Duty{Clause: p.ID + " " + d.Clause, RemindAt: remindAt(anchors.At(d.From), d.DueAt)}
	for _, party := range d.EscalateTo {
		to, err := incident.ResolveParty(ctx, tx, unit, party)
		if err != nil {
			return nil, store.Duty{}, err
		}
		if to != nil && to.ID != owner.ID {
			duty.RecipientOrgID = to.ID
			break
		}
	}
	return t, duty, nil
}

// stepOwner resolves a step owner to an organisation; nil when the
// platform has no organisation that plays the role.
func (s *Service) stepOwner(ctx context.Context, tx *store.Tx, unit, activator *fenghuo.Org, owner string) (*fenghuo.Org, error) {
	switch {
	case owner == plan.OwnerUnit || owner == plan.RoleOperator || owner == "":
		return unit, nil
	case owner == plan.OwnerActivator:
		return activator, nil
	case slices.Contains(unit.PlanRoles, owner):
		return unit, nil
	}
	return incident.ResolveParty(ctx, tx, unit, plan.Party{Role: owner})
}

// OnReported instantiates the report playbooks of an incident with a
// category, counting from its occurrence and discovery (the incidents
// capability calls it when an incident is created or re-graded).
func (s *Service) OnReported(ctx context.Context, tx *store.Tx, ac *app.Actor, inc *fenghuo.Incident, unit *fenghuo.Org) error {
	if inc.Category == "" {
		return nil
	}
	in := plan.TaskInput{Trigger: plan.TriggerReport, Category: inc.Category,
		Anchors: plan.Anchors{Occurrence: inc.OccurredAt, Discovery: inc.DiscoveredAt}}
	_, err := s.InstantiateTx(ctx, tx, ac, inc, in, 0)
	return err
}
