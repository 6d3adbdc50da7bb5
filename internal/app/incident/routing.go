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
// outside body, named in the plan.
func resolveParty(ctx context.Context, tx *store.Tx, from *fenghuo.Org, party plan.Party) (*fenghuo.Org, error) {
	ancestors, err := tx.OrgAncestors(ctx, from.ID)
	if err != nil {
		return nil, err
	}
	match := func(o *fenghuo.Org) bool {
		return o.ID != from.ID && slices.Contains(o.PlanRoles, party.Role) &&
			(party.Level == "" || o.Level == party.Level)
	}
	// OrgAncestors lists from the root down; walk it from the nearest.
	for i := len(ancestors) - 1; i >= 0; i-- {
		anc := ancestors[i]
		if anc.ID == from.ID {
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
			if children[j].Level.Rank() > from.Level.Rank() && match(&children[j]) {
				return &children[j], nil
			}
		}
	}
	return nil, nil
}
