package incident

import (
	"context"
	"slices"

	"fenghuo/internal/fenghuo"
	"fenghuo/internal/plan"
	"fenghuo/internal/store"
)

// resolveParty finds the organisation a plan names ("the county cyberspace
// office") as seen from org from: walking up from's ancestors, nearest
// first, it looks at each ancestor, then at that ancestor's direct children
// of a higher level than from (the offices of one level sit side by side
// under the office that leads that level: the county public security bureau
// beside the county cyberspace office), for an org that plays the party's
// role at the party's level. Peers of from's own level are never chosen, so
// a county office's report cannot be addressed to the county next door.
// nil when the platform has no such organisation: the duty is then to an
// outside body, named in the plan. The competent department is not found
// by role alone (see resolveCompetent): nil, too, when it must be asked.
func resolveParty(ctx context.Context, tx *store.Tx, from *fenghuo.Org, party plan.Party) (*fenghuo.Org, error) {
	if party.Role == plan.RoleCompetentDepartment {
		o, _, err := resolveCompetent(ctx, tx, from, party)
		return o, err
	}
	tiers, err := partyTiers(ctx, tx, from, party)
	if err != nil || len(tiers) == 0 {
		return nil, err
	}
	return &tiers[0][0], nil
}

// partyTiers lists the orgs that play party's role at its level as seen
// from from, by tier, nearest first: each tier is an ancestor that plays
// it (alone), or the higher-level children of an ancestor that do.
func partyTiers(ctx context.Context, tx *store.Tx, from *fenghuo.Org, party plan.Party) ([][]fenghuo.Org, error) {
	ancestors, err := tx.OrgAncestors(ctx, from.ID)
	if err != nil {
		return nil, err
	}
	match := func(o *fenghuo.Org) bool {
		return o.ID != from.ID && slices.Contains(o.PlanRoles, party.Role) &&
			(party.Level == "" || o.Level == party.Level)
	}
	var tiers [][]fenghuo.Org
	// OrgAncestors lists from the root down; walk it from the nearest.
	for i := len(ancestors) - 1; i >= 0; i-- {
		anc := ancestors[i]
		if anc.ID == from.ID {
			continue
		}
		if match(&anc) {
			tiers = append(tiers, []fenghuo.Org{anc})
			continue
		}
		children, err := tx.ChildOrgs(ctx, anc.ID)
		if err != nil {
			return nil, err
		}
		var tier []fenghuo.Org
		for j := range children {
			if children[j].Level.Rank() > from.Level.Rank() && match(&children[j]) {
				tier = append(tier, children[j])
			}
		}
		if len(tier) > 0 {
			tiers = append(tiers, tier)
		}
	}
	return tiers, nil
}

// resolveCompetent finds from's competent department (主管部门). Role alone
// is not enough: a county has several departments, and the first one found
// sent a water company's reports to the education bureau (issue 11 item
// 6). In order: the department the unit declares (SupervisorID); an
// ancestor that plays the role (a school under its education bureau); the
// one department of the unit's sector, nearest tier first. Otherwise, with
// several departments of that sector in one tier or none of it anywhere,
// nothing is guessed: the org is nil and the candidates are returned for
// the reporter to choose from. No department on the platform at all: nil
// and no candidates (the duty is to a body outside, named in the plan).
func resolveCompetent(ctx context.Context, tx *store.Tx, from *fenghuo.Org, party plan.Party) (*fenghuo.Org, []fenghuo.Org, error) {
	if from.SupervisorID != 0 {
		sup, err := tx.Org(ctx, from.SupervisorID)
		if err == nil {
			return sup, nil, nil
		}
		if fenghuo.ErrorCode(err) != fenghuo.ENOTFOUND {
			return nil, nil, err
		}
	}
	tiers, err := partyTiers(ctx, tx, from, party)
	if err != nil {
		return nil, nil, err
	}
	var all []fenghuo.Org
	for _, tier := range tiers {
		if len(tier) == 1 && slices.ContainsFunc(from.PathIDs(), func(id int64) bool { return id == tier[0].ID }) {
			return &tier[0], nil, nil // an ancestor: the tree says who supervises
		}
		var same []fenghuo.Org
		for _, o := range tier {
			if from.Sector != "" && o.Sector == from.Sector {
				same = append(same, o)
			}
		}
		switch {
		case len(same) == 1:
			return &same[0], nil, nil
		case len(same) > 1:
			return nil, same, nil
		}
		all = append(all, tier...)
	}
	return nil, all, nil
}
