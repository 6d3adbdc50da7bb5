package plan

import (
	"slices"
	"testing"
)

func TestFactsUsedFollowsTheGradingRules(t *testing.T) {
	reg := Builtin()
	for _, tc := range []struct {
		plan      string
		want, not []string
	}{
		{"dandong-broadcast", []string{"broadcast_interruption_scope", "harmful_info_scope"}, nil},
		{"wushen-county", []string{"important_system", "outage_minutes", "people_affected"}, []string{"broadcast_interruption_scope", "harmful_info_scope"}},
		{"cac-2025", []string{"site_tier", "personal_info_people"}, []string{"broadcast_interruption_scope"}},
	} {
		p, err := reg.Get(tc.plan)
		if err != nil {
			t.Fatal(err)
		}
		got := p.FactsUsed()
		for _, k := range tc.want {
			if !slices.Contains(got, k) {
				t.Errorf("%s: %s missing from %v", tc.plan, k, got)
			}
		}
		for _, k := range tc.not {
			if slices.Contains(got, k) {
				t.Errorf("%s: %s in %v", tc.plan, k, got)
			}
		}
		if len(got) == len(factDefs) {
			t.Errorf("%s uses every fact: %v", tc.plan, got)
		}
	}
}
