package incident

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"fenghuo/internal/app"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/plan"
	"fenghuo/internal/store"
)

// PlanGrading is one governing plan's verdict on an incident.
type PlanGrading struct {
	Plan     string       `json:"plan"`
	Category string       `json:"category,omitempty"`
	Result   *plan.Result `json:"result"`
}

// IncidentTaxonomy is the taxonomy an incident's category is written in:
// the first governing plan's (GB/T 20986-2023 by default).
func (a *Service) IncidentTaxonomy(ctx context.Context, orgID int64) (*plan.Taxonomy, error) {
	var tax *plan.Taxonomy
	err := a.core.DB().View(ctx, func(tx *store.Tx) error {
		plans, err := a.core.GoverningPlans(ctx, tx, orgID)
		if err != nil {
			return err
		}
		if len(plans) > 0 {
			tax = plans[0].ResolvedTaxonomy()
		}
		return nil
	})
	if tax == nil {
		tax, _ = plan.BuiltinTaxonomy("gbt-20986-2023")
	}
	return tax, err
}

// translateCategory writes a category code in the taxonomy of plan p,
// through the 2007 → 2023 mapping when the two differ; "" when it has no
// counterpart.
func translateCategory(code, fromTax string, p *plan.Plan) string {
	to := p.ResolvedTaxonomy()
	if code == "" || to == nil {
		return ""
	}
	if _, _, ok := to.Lookup(code); ok && (fromTax == "" || fromTax == to.ID) {
		return code
	}
	switch {
	case fromTax == "gbz-20986-2007" && to.ID == "gbt-20986-2023":
		if m, ok := plan.MapCategory2007To2023(code); ok {
			return m.To
		}
	case fromTax == "gbt-20986-2023" && to.ID == "gbz-20986-2007":
		old, _ := plan.BuiltinTaxonomy("gbz-20986-2007")
		for _, c := range old.Codes() {
			if m, ok := plan.MapCategory2007To2023(c); ok && (m.To == code || slices.Contains(m.Split, code)) {
				return c
			}
		}
		// A new subcategory without an old code maps to its parent's.
		if neu, ok := plan.BuiltinTaxonomy("gbt-20986-2023"); ok {
			if _, parent, ok := neu.Lookup(code); ok && parent != "" {
				return translateCategory(parent, fromTax, p)
			}
		}
	}
	if _, _, ok := to.Lookup(code); ok {
		return code
	}
	return ""
}

// gradingFacts are the incident's facts with what the platform already
// knows filled in where the incident does not say: the unit's operator
// type (for the national reporting rule), whether a registered important
// system or a CII system is involved.
func (a *Service) gradingFacts(ctx context.Context, tx *store.Tx, inc *fenghuo.Incident, unit *fenghuo.Org) (plan.Facts, error) {
	f := plan.Facts{}
	for k, v := range inc.Facts {
		f[k] = v
	}
	if _, ok := f["operator_type"]; !ok && unit.OperatorType != "" {
		f["operator_type"] = string(unit.OperatorType)
	}
	if len(inc.SystemIDs) > 0 {
		cii := false
		for _, id := range inc.SystemIDs {
			s, err := tx.System(ctx, id)
			if err != nil {
				return nil, err
			}
			cii = cii || s.CII
		}
		if _, ok := f["important_system"]; !ok {
			f["important_system"] = true
		}
		if _, ok := f["cii"]; !ok && cii {
			f["cii"] = true
		}
	}
	return f, f.Validate()
}

// grade runs every governing plan over the incident's facts and sets its
// computed grade (the highest) and grading record.
func (a *Service) grade(ctx context.Context, tx *store.Tx, inc *fenghuo.Incident, unit *fenghuo.Org) ([]PlanGrading, error) {
	plans, err := a.core.GoverningPlans(ctx, tx, unit.ID)
	if err != nil {
		return nil, err
	}
	facts, err := a.gradingFacts(ctx, tx, inc, unit)
	if err != nil {
		return nil, err
	}
	var out []PlanGrading
	best := fenghuo.GradeIV
	for _, p := range plans {
		cat := translateCategory(inc.Category, inc.Taxonomy, p)
		res, err := p.Grade(facts, cat)
		if err != nil {
			return nil, fmt.Errorf("grade under %s: %w", p.ID, err)
		}
		if res.Grade.Severity() > best.Severity() {
			best = res.Grade
		}
		out = append(out, PlanGrading{Plan: p.ID, Category: cat, Result: res})
	}
	inc.ComputedGrade = best
	inc.Grade = inc.EffectiveGrade()
	b, err := json.Marshal(out)
	if err != nil {
		return nil, err
	}
	inc.Grading = string(b)
	return out, nil
}

// ParseGrading reads an incident's stored grading record.
func ParseGrading(s string) []PlanGrading {
	var out []PlanGrading
	json.Unmarshal([]byte(s), &out)
	return out
}

// IntakeFacts returns the keys of the facts worth asking for when an
// incident of the unit is entered: those the grading clauses and reporting
// routes of its governing plans test, less the facts of another sector (a
// school is not asked how far a broadcast signal was cut).
func (a *Service) IntakeFacts(ctx context.Context, ac *app.Actor, orgID int64) ([]string, error) {
	var out []string
	err := a.core.DB().View(ctx, func(tx *store.Tx) error {
		unit, err := tx.Org(ctx, orgID)
		if err != nil || !fenghuo.InSubtree(ac.Org.Path, unit.Path) {
			return fenghuo.Errorf(fenghuo.ENOTFOUND, "Unit %d not found. / 未找到该单位。", orgID)
		}
		plans, err := a.core.GoverningPlans(ctx, tx, orgID)
		if err != nil {
			return err
		}
		used := map[string]bool{}
		for _, p := range plans {
			for _, k := range p.FactsUsed() {
				used[k] = true
			}
		}
		for _, d := range plan.FactDefs() {
			if used[d.Key] && (d.Sector == "" || d.Sector == unit.Sector) {
				out = append(out, d.Key)
			}
		}
		return nil
	})
	return out, err
}
