package api_test

// Chasing a unit's missing daily report (催报) in the authorisation matrix:
// the office side of a period with the right to receive reports may chase
// (commanders, analysts, duty officers), so the office must be the
// caller's org or below it; a unit of the period (the sibling county in
// the city's period) only sees it, and others do not.

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"fenghuo/internal/app/period"
	"fenghuo/internal/fenghuo"
)

func init() {
	warningProbes["chasePeriodUnit"] = func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		// A fresh period each time, whose first day's cut-off has passed
		// with the unit's report missing: no earlier probe has filed it or
		// used up the three chases a day.
		p, err := m.e.App.Periods.CreatePeriod(context.Background(), m.w.issuer, period.PeriodInput{OrgID: m.office(rel).ID,
			Name: m.unique("矩阵催报保障期"), FirstDay: "2026-11-19", LastDay: "2026-11-20", Cutoff: "08:00", UnitIDs: []int64{m.below(rel).ID}})
		if err != nil {
			t.Fatalf("period of %s: %v", m.office(rel).Name, err)
		}
		return probe{method: "POST", path: fmt.Sprintf("/api/v1/periods/%d/chase", p.ID),
			body: map[string]any{"org_id": m.below(rel).ID, "day": "2026-11-19"}, found: `"accounts":`}
	}
	for role, ops := range allowed {
		if slices.Contains(ops, "receiveReport") {
			allowed[role] = append(allowed[role], "chasePeriodUnit")
		}
	}
}
