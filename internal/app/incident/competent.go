package incident

import (
	"context"
	"fmt"
	"strings"

	"fenghuo/internal/app"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/plan"
	"fenghuo/internal/store"
)

// The competent department asked, never guessed: when resolveCompetent
// cannot tell which department supervises the unit, the unit's duty to "the
// competent department" stays without a recipient, and the reporter picks
// one of the candidates with the report (web: a choice on the report form;
// API: competent_department_id, the error listing the candidates).

// pendingCompetent returns the unit's open report duties to a competent
// department the platform could not resolve, and the departments to choose
// from (none: there is nothing to choose).
func pendingCompetent(ctx context.Context, tx *store.Tx, inc *fenghuo.Incident, unit *fenghuo.Org) ([]fenghuo.Obligation, []fenghuo.Org, error) {
	obs, err := tx.Obligations(ctx, store.ObligationFilter{IncidentID: inc.ID, Kind: KindReport, State: fenghuo.ObligationOpen}, store.Page{Limit: store.MaxLimit})
	if err != nil {
		return nil, nil, err
	}
	var pending []fenghuo.Obligation
	var party plan.Party
	for _, o := range obs.Items {
		if p := ruleParty(o.RuleID); p.Role == plan.RoleCompetentDepartment && o.RecipientOrgID == 0 && o.OwnerOrgID == unit.ID {
			pending, party = append(pending, o), p
		}
	}
	if len(pending) == 0 {
		return nil, nil, nil
	}
	sup, candidates, err := resolveCompetent(ctx, tx, unit, party)
	if err != nil {
		return nil, nil, err
	}
	if sup != nil {
		// Declared since the duty was made: no choice, the duty goes there.
		candidates = []fenghuo.Org{*sup}
	}
	return pending, candidates, nil
}

// CompetentChoices returns the departments the reporter must choose the
// unit's competent department from before filing a report of the incident
// (empty when the platform knows it, or has none to offer).
func (a *Service) CompetentChoices(ctx context.Context, ac *app.Actor, incidentID int64) ([]fenghuo.Org, error) {
	var out []fenghuo.Org
	err := a.core.DB().View(ctx, func(tx *store.Tx) error {
		inc, unit, err := a.incidentAccess(ctx, tx, ac, incidentID, fenghuo.PermIncidentRead)
		if err != nil {
			return err
		}
		pending, candidates, err := pendingCompetent(ctx, tx, inc, unit)
		if len(pending) > 0 && len(candidates) > 1 {
			out = candidates
		}
		return err
	})
	return out, err
}

// settleCompetent addresses the unit's unresolved duties to the competent
// department to the one chosen (choice), or to the only candidate; with
// several and no valid choice it refuses, listing them.
func (a *Service) settleCompetent(ctx context.Context, tx *store.Tx, inc *fenghuo.Incident, unit *fenghuo.Org, choice int64) (*fenghuo.Org, error) {
	pending, candidates, err := pendingCompetent(ctx, tx, inc, unit)
	if err != nil || len(pending) == 0 || len(candidates) == 0 {
		return nil, err
	}
	var chosen *fenghuo.Org
	for i := range candidates {
		if candidates[i].ID == choice || len(candidates) == 1 {
			chosen = &candidates[i]
		}
	}
	if chosen == nil {
		names := make([]string, len(candidates))
		for i, c := range candidates {
			names[i] = fmt.Sprintf("%s (%d)", c.Name, c.ID)
		}
		list := strings.Join(names, ", ")
		if choice != 0 {
			return nil, fenghuo.FieldErrorf("competent_department_id", "Org %d is not one of the departments to choose from: %s. / 所选机构不是可选的主管部门，请从以下选择：%s。", choice, list, strings.Join(names, "、"))
		}
		return nil, fenghuo.FieldErrorf("competent_department_id", "The platform cannot tell %s's competent department: choose one of %s (or declare it on the unit). / 无法确定%s的主管部门，请从以下选择：%s（也可在单位信息中填写主管部门）。",
			unit.Name, list, unit.Name, strings.Join(names, "、"))
	}
	for i := range pending {
		o := &pending[i]
		o.RecipientOrgID, o.RecipientName = chosen.ID, chosen.Name
		o.Title = fmt.Sprintf("向%s报告（%s%s）", chosen.Name, a.PlanTitleByID(o.PlanID), o.Clause)
		if err := tx.UpdateObligation(ctx, o); err != nil {
			return nil, err
		}
	}
	return chosen, nil
}
