package incident

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"fenghuo/internal/fenghuo"
	"fenghuo/internal/plan"
	"fenghuo/internal/store"
)

// relayTarget is where "forward per plan" sends a report when the office
// has no onward duty of its own but a plan still wants the report higher
// up: a duty of the incident, open, to a party above the office's level
// that the platform cannot deliver to directly (cac-2025 报告时限(三): an
// ordinary operator reports to the provincial office within 4 hours, and
// the province is not on this platform). The report goes up the chain to
// the nearest office above that plays the party's role at a level not above
// the party's (逐级上报: county → city). When the office is the last one on
// the platform, the error says so in words and names the outside body, to be
// reached by phone or fax and recorded on the duty.
func (a *Service) relayTarget(ctx context.Context, tx *store.Tx, incidentID int64, office *fenghuo.Org) (*fenghuo.Org, error) {
	obs, err := tx.Obligations(ctx, store.ObligationFilter{IncidentID: incidentID, State: fenghuo.ObligationOpen}, store.Page{Limit: store.MaxLimit})
	if err != nil {
		return nil, err
	}
	ancestors, err := tx.OrgAncestors(ctx, office.ID)
	if err != nil {
		return nil, err
	}
	var outside []string
	for _, o := range obs.Items {
		if o.Kind != KindReport && o.Kind != KindForward {
			continue
		}
		party := ruleParty(o.RuleID)
		if party.Level == "" || party.Level.Rank() <= office.Level.Rank() {
			continue
		}
		if o.RecipientOrgID != 0 && !slices.ContainsFunc(ancestors, func(x fenghuo.Org) bool { return x.ID == o.RecipientOrgID }) {
			continue
		}
		// Nearest first: OrgAncestors lists from the root down.
		for i := len(ancestors) - 1; i >= 0; i-- {
			up := &ancestors[i]
			if up.ID != office.ID && up.Level.Rank() > office.Level.Rank() && up.Level.Rank() <= party.Level.Rank() &&
				slices.Contains(up.PlanRoles, party.Role) {
				return up, nil
			}
		}
		outside = append(outside, fmt.Sprintf("%s(%s%s)", o.RecipientName, a.PlanTitleByID(o.PlanID), o.Clause))
	}
	if len(outside) > 0 {
		// The English half names no office: the names are Chinese, and a
		// page shows one language (the duties list them).
		return nil, fenghuo.FieldErrorf("to_org_id", "The plans want this report at an office that is not on the platform (see the incident's duties): send it by phone, fax or e-mail and record it on the duty. / 预案要求报送%s,该机构不在本平台:请以电话、传真或邮件报送,并在该事项上登记完成。",
			strings.Join(outside, "、"))
	}
	return nil, fenghuo.FieldErrorf("to_org_id", "No onward report is due at this grade: choose the office to forward to. / 当前级别无须继续上报,如需上报请选择上级机构。")
}

// ruleParty reads the recipient party back from an obligation's rule key
// (route→role@level, see ruleKey).
func ruleParty(ruleID string) plan.Party {
	_, to, ok := strings.Cut(ruleID, "→")
	if !ok {
		return plan.Party{}
	}
	role, level, _ := strings.Cut(to, "@")
	return plan.Party{Role: role, Level: fenghuo.OrgLevel(level)}
}
