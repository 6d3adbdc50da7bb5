package incident

import (
	"context"
	"encoding/json"
	"strconv"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/phrase"
	"fenghuo/internal/plan"
	"fenghuo/internal/store"
)

func incidentRef(id int64) string { return strconv.FormatInt(id, 10) }

// IncidentInput is what a reporter or duty officer enters.
type IncidentInput struct {
	OrgID        int64
	Title        string
	Category     string
	SystemIDs    []int64
	OccurredAt   time.Time
	DiscoveredAt time.Time
	Facts        plan.Facts
	Description  string
	Impact       string
	Measures     string
	// Channel is unit for a unit's own report; a duty officer entering a
	// report received by phone, fax or WeChat names the channel and caller.
	Channel string
	Caller  string
	Source  string
}

// incidentAccess loads an incident and says whether the actor may see it:
// its unit is in the actor's subtree, or one of its reports was delivered
// to an org in the actor's subtree (incidents travel up the reporting
// chain). Others get ENOTFOUND.
func (a *Service) incidentAccess(ctx context.Context, tx *store.Tx, ac *app.Actor, id int64, p fenghuo.Permission) (*fenghuo.Incident, *fenghuo.Org, error) {
	inc, err := tx.Incident(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	unit, err := tx.Org(ctx, inc.OrgID)
	if err != nil {
		return nil, nil, err
	}
	visible := fenghuo.InSubtree(ac.Org.Path, unit.Path)
	if !visible {
		deliveries, err := tx.DeliveriesOf(ctx, id)
		if err != nil {
			return nil, nil, err
		}
		for _, d := range deliveries {
			to, err := tx.Org(ctx, d.ToOrgID)
			if err == nil && fenghuo.InSubtree(ac.Org.Path, to.Path) {
				visible = true
				break
			}
		}
	}
	if !visible {
		return nil, nil, fenghuo.Errorf(fenghuo.ENOTFOUND, "Incident %d not found. / 未找到该事件。", id)
	}
	if !ac.Can(p) {
		return nil, nil, app.ErrForbidden
	}
	return inc, unit, nil
}

// Incident returns an incident the actor may see.
func (a *Service) Incident(ctx context.Context, ac *app.Actor, id int64) (*fenghuo.Incident, error) {
	var inc *fenghuo.Incident
	err := a.core.DB().View(ctx, func(tx *store.Tx) error {
		var err error
		inc, _, err = a.incidentAccess(ctx, tx, ac, id, fenghuo.PermIncidentRead)
		return err
	})
	return inc, err
}

// ViewIncident is Incident for a caller reading it through the API
// (GET /api/v1/incidents/{id}): the view is audited as a read
// (app.Core.RecordRead); the console's page uses ViewIncidentPage.
func (a *Service) ViewIncident(ctx context.Context, ac *app.Actor, id int64) (*fenghuo.Incident, error) {
	inc, err := a.Incident(ctx, ac, id)
	if err != nil {
		return nil, err
	}
	if err := a.core.RecordRead(ctx, ac, "incident", "incident", incidentRef(id), false, nil); err != nil {
		return nil, err
	}
	return inc, nil
}

// Incidents lists the incidents the actor may see.
func (a *Service) Incidents(ctx context.Context, ac *app.Actor, f store.IncidentFilter, p store.Page) (store.ListResult[store.IncidentRow], error) {
	if err := app.Require(ac, fenghuo.PermIncidentRead); err != nil {
		return store.ListResult[store.IncidentRow]{}, err
	}
	f.ScopeOrgID, f.Now = ac.Org.ID, a.core.Now()
	return a.core.DB().Incidents(ctx, f, p)
}

// ListIncidents is Incidents for the list page and the API's list: under
// app.AuditReadsAll the list is audited as a read (one entry per page);
// under the default it is not.
func (a *Service) ListIncidents(ctx context.Context, ac *app.Actor, f store.IncidentFilter, p store.Page) (store.ListResult[store.IncidentRow], error) {
	res, err := a.Incidents(ctx, ac, f, p)
	if err != nil {
		return res, err
	}
	if err := a.core.RecordRead(ctx, ac, "incident.list", "incident", "", true, map[string]int{"rows": len(res.Items), "offset": p.Offset}); err != nil {
		return store.ListResult[store.IncidentRow]{}, err
	}
	return res, nil
}

// CountIncidents counts the incidents the actor may see that match f, up to
// store.CountCap (capped says there are more).
func (a *Service) CountIncidents(ctx context.Context, ac *app.Actor, f store.IncidentFilter) (n int, capped bool, err error) {
	if err := app.Require(ac, fenghuo.PermIncidentRead); err != nil {
		return 0, false, err
	}
	f.ScopeOrgID, f.Now = ac.Org.ID, a.core.Now()
	return a.core.DB().CountIncidents(ctx, f)
}

// CreateIncident records a new incident for a unit in the actor's subtree,
// grades it under every governing plan and creates its reporting
// obligations: the statutory clock runs from discovery (or occurrence, where
// the plan says so) whether or not the report is written yet.
func (a *Service) CreateIncident(ctx context.Context, ac *app.Actor, in IncidentInput) (*fenghuo.Incident, error) {
	inc := a.newIncident(ac, in)
	err := a.write(ctx, func(tx *store.Tx) error {
		unit, err := a.checkNewIncident(ctx, tx, ac, inc, in.Facts)
		if err != nil {
			return err
		}
		if _, err := a.grade(ctx, tx, inc, unit); err != nil {
			return err
		}
		if err := tx.CreateIncident(ctx, inc); err != nil {
			return err
		}
		if err := a.gradeRecord(ctx, tx, ac, inc, "created"); err != nil {
			return err
		}
		if err := a.syncObligations(ctx, tx, inc, unit); err != nil {
			return err
		}
		if err := a.reported(ctx, tx, ac, inc, unit); err != nil { // task capability: report playbooks
			return err
		}
		if err := a.concealedAtCreation(ctx, tx, ac, inc, unit); err != nil {
			return err
		}
		detail := map[string]any{"title": inc.Title, "channel": inc.Channel, "grade": inc.Grade}
		if inc.Caller != "" {
			detail["caller"] = inc.Caller
		}
		if err := a.timeline(ctx, tx, ac, inc.ID, "created", phrase.New("incident.created", "channel", phrase.Channel(inc.Channel), "grade", string(inc.Grade)), detail); err != nil {
			return err
		}
		return a.core.Record(ctx, tx, ac, "incident.create", "incident", incidentRef(inc.ID), "success", detail)
	})
	if err != nil {
		return nil, err
	}
	return inc, nil
}

// newIncident builds the draft incident an input describes.
func (a *Service) newIncident(ac *app.Actor, in IncidentInput) *fenghuo.Incident {
	if in.Channel == "" {
		in.Channel = fenghuo.ChannelUnit
	}
	inc := &fenghuo.Incident{OrgID: in.OrgID, Title: in.Title, Category: in.Category, SystemIDs: in.SystemIDs,
		OccurredAt: in.OccurredAt, DiscoveredAt: in.DiscoveredAt, Facts: in.Facts, Description: in.Description,
		Impact: in.Impact, Measures: in.Measures, Channel: in.Channel, Caller: in.Caller, EnteredBy: ac.User.ID,
		Source: in.Source, Status: fenghuo.StatusDraft}
	if inc.DiscoveredAt.IsZero() {
		inc.DiscoveredAt = a.core.Now()
	}
	return inc
}

// checkNewIncident checks everything a new incident's input can get wrong
// and returns all of it at once (a fenghuo.Invalid), so the intake form
// shows every error next to its field in one round. Access errors (the
// right to report) come alone.
func (a *Service) checkNewIncident(ctx context.Context, tx *store.Tx, ac *app.Actor, inc *fenghuo.Incident, facts plan.Facts) (*fenghuo.Org, error) {
	var bad fenghuo.Invalid
	for _, e := range fenghuo.FieldErrors(facts.Validate()) {
		bad.Add(&fenghuo.Error{Code: e.Code, Field: "fact." + e.Field, Message: e.Message})
	}
	if inc.DiscoveredAt.After(a.core.Now().Add(5 * time.Minute)) {
		bad.Add(fenghuo.FieldErrorf("discovered_at", "The discovery time is in the future. / 发现时间不能晚于当前时间。"))
	}
	bad.Add(inc.Validate())
	unit, err := tx.Org(ctx, inc.OrgID)
	if err != nil || !fenghuo.InSubtree(ac.Org.Path, unit.Path) {
		if !bad.Has("org_id") {
			bad.Add(fenghuo.FieldErrorf("org_id", "Choose a unit in your scope. / 请选择您管辖范围内的单位。"))
		}
		return nil, bad.Err()
	}
	if err := app.Require(ac, fenghuo.PermIncidentWrite); err != nil {
		return nil, err
	}
	if ac.User.HasRole(fenghuo.RoleUnitReporter) && inc.Channel != fenghuo.ChannelUnit {
		bad.Add(fenghuo.FieldErrorf("channel", "A unit files its own report; phone, fax and WeChat intake is for duty officers. / 电话、传真、微信接报由值班人员录入。"))
	}
	if err := a.checkIncidentRefs(ctx, tx, inc, unit); fenghuo.ErrorCode(err) == fenghuo.EINVALID {
		bad.Add(err)
	} else if err != nil {
		return nil, err
	}
	return unit, bad.Err()
}

// CheckIncident runs the checks of CreateIncident without recording
// anything: the console uses it to show the input's other errors beside
// those it found itself (a number it could not read).
func (a *Service) CheckIncident(ctx context.Context, ac *app.Actor, in IncidentInput) error {
	inc := a.newIncident(ac, in)
	return a.core.DB().View(ctx, func(tx *store.Tx) error {
		_, err := a.checkNewIncident(ctx, tx, ac, inc, in.Facts)
		return err
	})
}

// checkIncidentRefs checks the category against the incident's taxonomy and
// that the systems belong to the unit.
func (a *Service) checkIncidentRefs(ctx context.Context, tx *store.Tx, inc *fenghuo.Incident, unit *fenghuo.Org) error {
	plans, err := a.core.GoverningPlans(ctx, tx, unit.ID)
	if err != nil {
		return err
	}
	tax, _ := plan.BuiltinTaxonomy("gbt-20986-2023")
	if len(plans) > 0 && plans[0].ResolvedTaxonomy() != nil {
		tax = plans[0].ResolvedTaxonomy()
	}
	inc.Taxonomy = tax.ID
	var bad fenghuo.Invalid
	if inc.Category != "" {
		if _, _, ok := tax.Lookup(inc.Category); !ok {
			bad.Add(fenghuo.FieldErrorf("category", "Category %q is not in %s: choose one from the list. / 事件类别不在%s中。", inc.Category, tax.Name.EN, tax.Name.ZH))
		}
	}
	for _, sid := range inc.SystemIDs {
		s, err := tx.System(ctx, sid)
		if err != nil || s.OrgID != unit.ID {
			bad.Add(fenghuo.FieldErrorf("system_ids", "System %d is not a system of this unit. / 所选系统不属于该单位。", sid))
		}
	}
	return bad.Err()
}

// gradeRecord appends the current grading to the incident's history.
func (a *Service) gradeRecord(ctx context.Context, tx *store.Tx, ac *app.Actor, inc *fenghuo.Incident, reason string) error {
	facts, _ := json.Marshal(inc.Facts)
	return tx.AddGradeRecord(ctx, &store.GradeRecord{IncidentID: inc.ID, Grade: inc.Grade, ComputedGrade: inc.ComputedGrade,
		OverrideGrade: inc.GradeOverride, Reason: reason, Facts: string(facts), Grading: inc.Grading,
		ActorID: ac.User.ID, ActorName: ac.User.Username})
}

// timeline appends an entry to an incident's hash-chained record.
func (a *Service) timeline(ctx context.Context, tx *store.Tx, ac *app.Actor, incidentID int64, kind string, body any, data any) error {
	e, err := app.TimelineEntry(ac, incidentID, kind, body, data)
	if err != nil {
		return err
	}
	return tx.AppendTimeline(ctx, e)
}

// UpdateFacts changes an incident's facts, category or systems, re-grades
// it (keeping the history of both grades) and re-computes its obligations.
func (a *Service) UpdateFacts(ctx context.Context, ac *app.Actor, id int64, version int, facts plan.Facts, category string, systemIDs []int64) (*fenghuo.Incident, error) {
	if err := facts.Validate(); err != nil {
		return nil, err
	}
	var inc *fenghuo.Incident
	err := a.write(ctx, func(tx *store.Tx) error {
		var unit *fenghuo.Org
		var err error
		if inc, unit, err = a.incidentAccess(ctx, tx, ac, id, fenghuo.PermIncidentWrite); err != nil {
			return err
		}
		if inc.Status == fenghuo.StatusClosed {
			return fenghuo.Errorf(fenghuo.EINVALID, "The incident is closed. / 事件已结束，不能修改。")
		}
		if version != 0 && version != inc.Version {
			return fenghuo.Errorf(fenghuo.ECONFLICT, "The incident was changed by someone else: reload and try again. / 事件已被他人修改，请刷新后重试。")
		}
		before := inc.Grade
		oldFacts := inc.Facts
		inc.Facts, inc.Category, inc.SystemIDs = facts, category, systemIDs
		if err := a.checkIncidentRefs(ctx, tx, inc, unit); err != nil {
			return err
		}
		if _, err := a.grade(ctx, tx, inc, unit); err != nil {
			return err
		}
		if err := tx.UpdateIncident(ctx, inc); err != nil {
			return err
		}
		if err := a.gradeRecord(ctx, tx, ac, inc, "facts changed"); err != nil {
			return err
		}
		if err := a.syncObligations(ctx, tx, inc, unit); err != nil {
			return err
		}
		if err := a.reported(ctx, tx, ac, inc, unit); err != nil { // task capability: report playbooks
			return err
		}
		body := phrase.New("facts.updated")
		if before != inc.Grade {
			body = phrase.New("facts.regraded", "before", string(before), "grade", string(inc.Grade))
		}
		data := map[string]any{"before": oldFacts, "after": facts, "grade_before": before, "grade": inc.Grade}
		if err := a.timeline(ctx, tx, ac, inc.ID, "facts", body, data); err != nil {
			return err
		}
		return a.core.Record(ctx, tx, ac, "incident.facts", "incident", incidentRef(id), "success", map[string]any{"grade_before": before, "grade": inc.Grade})
	})
	return inc, err
}

// OverrideGrade sets the grade of an incident by a regulator's judgement,
// with a reason; an empty grade returns to the computed one.
func (a *Service) OverrideGrade(ctx context.Context, ac *app.Actor, id int64, g fenghuo.Grade, reason string) (*fenghuo.Incident, error) {
	if g != "" && !g.Valid() {
		return nil, fenghuo.FieldErrorf("grade", "Choose grade I, II, III or IV. / 请选择Ⅰ至Ⅳ级。")
	}
	if g != "" && len([]rune(reason)) < 4 {
		return nil, fenghuo.FieldErrorf("reason", "Give the reason for the grade (it is kept in the record). / 请填写调整定级的理由。")
	}
	var inc *fenghuo.Incident
	err := a.write(ctx, func(tx *store.Tx) error {
		var unit *fenghuo.Org
		var err error
		if inc, unit, err = a.incidentAccess(ctx, tx, ac, id, fenghuo.PermIncidentGrade); err != nil {
			return err
		}
		if ac.Org.ID == unit.ID {
			return fenghuo.Errorf(fenghuo.EFORBIDDEN, "A unit cannot override the grade of its own incident; the office above decides. / 事发单位不能自行调整定级。")
		}
		before := inc.Grade
		inc.GradeOverride, inc.OverrideReason = g, reason
		inc.Grade = inc.EffectiveGrade()
		if err := tx.UpdateIncident(ctx, inc); err != nil {
			return err
		}
		if err := a.gradeRecord(ctx, tx, ac, inc, "override: "+reason); err != nil {
			return err
		}
		if err := a.syncObligations(ctx, tx, inc, unit); err != nil {
			return err
		}
		if err := a.reported(ctx, tx, ac, inc, unit); err != nil { // task capability: report playbooks
			return err
		}
		body := phrase.New("grade.override", "before", string(before), "grade", string(inc.Grade), "reason", reason)
		if err := a.timeline(ctx, tx, ac, inc.ID, "grade", body, map[string]any{"before": before, "grade": inc.Grade, "reason": reason}); err != nil {
			return err
		}
		return a.core.Record(ctx, tx, ac, "incident.grade.override", "incident", incidentRef(id), "success", map[string]any{"before": before, "grade": inc.Grade, "reason": reason})
	})
	return inc, err
}
