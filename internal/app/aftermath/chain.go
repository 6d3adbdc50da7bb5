package aftermath

import (
	"context"
	"slices"
	"strings"

	"fenghuo/internal/app"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/plan"
	"fenghuo/internal/store"
)

// Approval stages (seed 001 §5.1: the unit's plan is reviewed by its
// competent department; the reports go on to the 网信办).
const (
	StageUnit      = "unit"      // 事发单位
	StageCompetent = "competent" // 主管部门
	StageCAC       = "cac"       // 网信办
)

// Kinds are the documents this capability keeps, in display order (the
// end notice belongs to the response).
var Kinds = []string{fenghuo.DocRecoveryPlan, fenghuo.DocInvestigation, fenghuo.DocSummary}

func knownKind(kind string) bool { return slices.Contains(Kinds, kind) }

// stagesFor is the chain of a kind: the recovery plan stops at the
// competent department (§5.1 "报相关主管部门审核"); the reports go on to the
// 网信办 (§5.2, §5.3).
func stagesFor(kind string) []string {
	if kind == fenghuo.DocRecoveryPlan {
		return []string{StageUnit, StageCompetent}
	}
	return []string{StageUnit, StageCompetent, StageCAC}
}

// Stage is one step of a document's approval chain: the org that decides
// it and, for a version, the decision made.
type Stage struct {
	Key      string
	Org      fenghuo.Org
	Decision *fenghuo.Approval // nil: not decided (yet)
}

// Chain is the approval chain of a kind of document for a unit: the stages
// the platform can resolve, in order, and the ones it cannot (named on the
// page, never guessed).
type Chain struct {
	Stages  []Stage
	Missing []string
}

// chainFor resolves the chain for unit: the unit itself, its competent
// department (by sector: a water company's department is the water
// authority, never the education bureau; none found is reported, not
// guessed) and the nearest 网信办 above it. An org that already holds an
// earlier stage is not asked twice.
func chainFor(ctx context.Context, tx *store.Tx, unit *fenghuo.Org, kind string) (Chain, error) {
	var c Chain
	seen := map[int64]bool{}
	for _, key := range stagesFor(kind) {
		var o *fenghuo.Org
		var err error
		switch key {
		case StageUnit:
			o = unit
		case StageCompetent:
			o, err = competentDepartment(ctx, tx, unit)
		case StageCAC:
			o, err = above(ctx, tx, unit, func(o *fenghuo.Org) bool { return slices.Contains(o.PlanRoles, plan.RoleCyberspaceOffice) })
		}
		if err != nil {
			return c, err
		}
		switch {
		case o == nil:
			c.Missing = append(c.Missing, key)
		case !seen[o.ID]:
			seen[o.ID] = true
			c.Stages = append(c.Stages, Stage{Key: key, Org: *o})
		}
	}
	return c, nil
}

// competentDepartment is the org playing competent_department above unit
// whose sector is the unit's; nil when the unit declares no sector or no
// such department is on the platform.
func competentDepartment(ctx context.Context, tx *store.Tx, unit *fenghuo.Org) (*fenghuo.Org, error) {
	if strings.TrimSpace(unit.Sector) == "" {
		return nil, nil
	}
	return above(ctx, tx, unit, func(o *fenghuo.Org) bool {
		return slices.Contains(o.PlanRoles, plan.RoleCompetentDepartment) && o.Sector == unit.Sector
	})
}

// above finds the nearest org that matches, as the incident routing does:
// walking up from unit's ancestors, nearest first, each ancestor and then
// its direct children of a higher level than unit (the departments of a
// county sit beside its cyberspace office).
func above(ctx context.Context, tx *store.Tx, unit *fenghuo.Org, match func(*fenghuo.Org) bool) (*fenghuo.Org, error) {
	ancestors, err := tx.OrgAncestors(ctx, unit.ID)
	if err != nil {
		return nil, err
	}
	for i := len(ancestors) - 1; i >= 0; i-- {
		anc := ancestors[i]
		if anc.ID == unit.ID {
			continue
		}
		if match(&anc) {
			return &anc, nil
		}
		children, err := tx.ChildOrgs(ctx, anc.ID)
		if err != nil {
			return nil, err
		}
		for j := range children {
			if children[j].ID != unit.ID && children[j].Level.Rank() > unit.Level.Rank() && match(&children[j]) {
				return &children[j], nil
			}
		}
	}
	return nil, nil
}

// access returns the incident and its unit when the actor may see it with
// right p: the unit and the offices above it, an office a report was
// delivered to, and the unit's competent department (it approves the
// documents).
func access(ctx context.Context, tx *store.Tx, ac *app.Actor, id int64, p fenghuo.Permission) (*fenghuo.Incident, *fenghuo.Org, error) {
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
			if to, err := tx.Org(ctx, d.ToOrgID); err == nil && fenghuo.InSubtree(ac.Org.Path, to.Path) {
				visible = true
				break
			}
		}
	}
	if !visible {
		cd, err := competentDepartment(ctx, tx, unit)
		if err != nil {
			return nil, nil, err
		}
		visible = cd != nil && fenghuo.InSubtree(ac.Org.Path, cd.Path)
	}
	if !visible {
		return nil, nil, fenghuo.Errorf(fenghuo.ENOTFOUND, "Incident %d not found. / 未找到该事件。", id)
	}
	if !ac.Can(p) {
		return nil, nil, app.ErrForbidden
	}
	return inc, unit, nil
}

// mayAuthor reports whether the actor may draft the documents of unit's
// incident: the unit and the offices above it (§5.2: the office organises
// the investigation of a major incident), with the write right.
func mayAuthor(ac *app.Actor, unit *fenghuo.Org) bool {
	return ac.Can(fenghuo.PermIncidentWrite) && fenghuo.InSubtree(ac.Org.Path, unit.Path)
}

// mayDecide reports whether the actor may decide stage: a member of the
// stage's org, with the write right for the unit's own step and the right
// to receive reports for an office's.
func mayDecide(ac *app.Actor, st Stage) bool {
	if ac.Org.ID != st.Org.ID {
		return false
	}
	if st.Key == StageUnit {
		return ac.Can(fenghuo.PermIncidentWrite)
	}
	return ac.Can(fenghuo.PermIncidentReceive)
}
