package plan

import (
	"encoding/json"
	"fmt"
	"testing"

	"fenghuo/internal/fenghuo"
)

// clauseCase is the least set of facts that satisfies one grading clause
// (one case per alternative of an any-of). The test checks that the facts
// reach the clause's grade and that lowering any single fact by the
// smallest step no longer satisfies the clause: every threshold is exactly
// where the source puts it, and inclusive.
type clauseCase struct {
	plan, clause string
	grade        fenghuo.Grade
	facts        string
}

var clauseCases = []clauseCase{
	// seed 001 §1.4
	{"wushen-county", "1.4(1)①", "I", `{"important_system":true,"outage_minutes":120,"people_affected":1000000}`},
	{"wushen-county", "1.4(1)②", "I", `{"data_threat":"especially_serious"}`},
	{"wushen-county", "1.4(1)②", "I", `{"economic_loss_cny":100000000}`},
	{"wushen-county", "1.4(1)③", "I", `{"social_impact":"especially_serious"}`},
	{"wushen-county", "1.4(2)①", "II", `{"important_system":true,"outage_minutes":60,"people_affected":100000}`},
	{"wushen-county", "1.4(2)②", "II", `{"data_threat":"serious"}`},
	{"wushen-county", "1.4(2)②", "II", `{"economic_loss_cny":10000000}`},
	{"wushen-county", "1.4(2)③", "II", `{"social_impact":"serious"}`},
	{"wushen-county", "1.4(3)①", "III", `{"important_system":true,"system_loss":"significant","outage_minutes":30,"people_affected":20000}`},
	{"wushen-county", "1.4(3)②", "III", `{"data_threat":"relatively_serious"}`},
	{"wushen-county", "1.4(3)②", "III", `{"economic_loss_cny":1000000}`},
	{"wushen-county", "1.4(3)③", "III", `{"social_impact":"relatively_serious"}`},
	{"wushen-county", "1.4(4)", "IV", `{"social_impact":"general"}`},

	// national plan 2017 §1.4 — qualitative
	{"national-2017", "1.4(1)①", "I", `{"important_system":true,"system_loss":"especially_serious"}`},
	{"national-2017", "1.4(1)②", "I", `{"data_threat":"especially_serious"}`},
	{"national-2017", "1.4(1)③", "I", `{"social_impact":"especially_serious"}`},
	{"national-2017", "1.4(2)①", "II", `{"important_system":true,"system_loss":"serious"}`},
	{"national-2017", "1.4(2)②", "II", `{"data_threat":"serious"}`},
	{"national-2017", "1.4(2)③", "II", `{"social_impact":"serious"}`},
	{"national-2017", "1.4(3)①", "III", `{"important_system":true,"system_loss":"significant"}`},
	{"national-2017", "1.4(3)②", "III", `{"data_threat":"relatively_serious"}`},
	{"national-2017", "1.4(3)③", "III", `{"social_impact":"relatively_serious"}`},
	{"national-2017", "1.4(4)", "IV", `{"social_impact":"general"}`},

	// 2025 reporting measures, grading guide (regulations.md §3)
	{"cac-2025", "分级指南 特别重大(1)", "I", `{"site_tier":"provincial_gov_portal","site_unreachable_minutes":1440}`},
	{"cac-2025", "分级指南 特别重大(1)", "I", `{"site_tier":"central_news","site_unreachable_minutes":1440}`},
	{"cac-2025", "分级指南 重大(1)", "II", `{"site_tier":"city_gov_portal","site_unreachable_minutes":360}`},
	{"cac-2025", "分级指南 重大(1)", "II", `{"site_tier":"enterprise_portal","site_unreachable_minutes":360}`},
	{"cac-2025", "分级指南 重大(1)", "II", `{"site_tier":"provincial_news","site_unreachable_minutes":360}`},
	{"cac-2025", "分级指南 较大(1)", "III", `{"site_tier":"city_gov_portal","site_unreachable_minutes":120}`},
	{"cac-2025", "分级指南 较大(1)", "III", `{"site_tier":"enterprise_portal","site_unreachable_minutes":120}`},
	{"cac-2025", "分级指南 特别重大(2)", "I", `{"cii":true,"outage_minutes":360}`},
	{"cac-2025", "分级指南 特别重大(2)", "I", `{"cii":true,"main_function_outage_minutes":1440}`},
	{"cac-2025", "分级指南 重大(2)", "II", `{"cii":true,"outage_minutes":60}`},
	{"cac-2025", "分级指南 重大(2)", "II", `{"cii":true,"main_function_outage_minutes":180}`},
	{"cac-2025", "分级指南 较大(2)", "III", `{"cii":true,"outage_minutes":10}`},
	{"cac-2025", "分级指南 较大(2)", "III", `{"cii":true,"main_function_outage_minutes":30}`},
	{"cac-2025", "分级指南 特别重大(3)", "I", `{"population_region_level":"province","population_share_pct":50}`},
	{"cac-2025", "分级指南 特别重大(3)", "I", `{"people_affected":10000000}`},
	{"cac-2025", "分级指南 重大(3)", "II", `{"population_region_level":"prefecture","population_share_pct":50}`},
	{"cac-2025", "分级指南 重大(3)", "II", `{"people_affected":1000000}`},
	{"cac-2025", "分级指南 较大(3)", "III", `{"population_region_level":"prefecture","population_share_pct":30}`},
	{"cac-2025", "分级指南 较大(3)", "III", `{"people_affected":100000}`},
	{"cac-2025", "分级指南 特别重大(4)", "I", `{"data_threat":"especially_serious"}`},
	{"cac-2025", "分级指南 重大(4)", "II", `{"data_threat":"serious"}`},
	{"cac-2025", "分级指南 较大(4)", "III", `{"data_threat":"relatively_serious"}`},
	{"cac-2025", "分级指南 特别重大(5)", "I", `{"personal_info_people":100000000}`},
	{"cac-2025", "分级指南 重大(5)", "II", `{"personal_info_people":10000000}`},
	{"cac-2025", "分级指南 较大(5)", "III", `{"personal_info_people":1000000}`},
	{"cac-2025", "分级指南 特别重大(6)", "I", `{"defacement_homepage_minutes":360}`},
	{"cac-2025", "分级指南 特别重大(6)", "I", `{"defacement_other_page_minutes":1440}`},
	{"cac-2025", "分级指南 特别重大(6)", "I", `{"defacement_reposts":100000}`},
	{"cac-2025", "分级指南 特别重大(6)", "I", `{"defacement_views":1000000}`},
	{"cac-2025", "分级指南 重大(6)", "II", `{"defacement_homepage_minutes":120}`},
	{"cac-2025", "分级指南 重大(6)", "II", `{"defacement_other_page_minutes":720}`},
	{"cac-2025", "分级指南 重大(6)", "II", `{"defacement_reposts":10000}`},
	{"cac-2025", "分级指南 重大(6)", "II", `{"defacement_views":100000}`},
	{"cac-2025", "分级指南 较大(6)", "III", `{"defacement_homepage_minutes":30}`},
	{"cac-2025", "分级指南 较大(6)", "III", `{"defacement_other_page_minutes":120}`},
	{"cac-2025", "分级指南 较大(6)", "III", `{"defacement_reposts":1000}`},
	{"cac-2025", "分级指南 较大(6)", "III", `{"defacement_views":10000}`},
	{"cac-2025", "分级指南 特别重大(7)", "I", `{"economic_loss_cny":100000000}`},
	{"cac-2025", "分级指南 重大(7)", "II", `{"economic_loss_cny":20000000}`},
	{"cac-2025", "分级指南 较大(7)", "III", `{"economic_loss_cny":5000000}`},
	{"cac-2025", "分级指南 特别重大(8)", "I", `{"social_impact":"especially_serious"}`},
	{"cac-2025", "分级指南 重大(8)", "II", `{"social_impact":"serious"}`},
	{"cac-2025", "分级指南 较大(8)", "III", `{"social_impact":"relatively_serious"}`},

	// seed 003 §1.4
	{"dandong-broadcast", "1.4.1①", "I", `{"broadcast_interruption_scope":"national"}`},
	{"dandong-broadcast", "1.4.1②", "I", `{"broadcast_site_level":"national","system_loss":"especially_serious"}`},
	{"dandong-broadcast", "1.4.1③", "I", `{"site_tier":"central_news","system_loss":"especially_serious"}`},
	{"dandong-broadcast", "1.4.1④", "I", `{"harmful_info_scope":"province"}`},
	{"dandong-broadcast", "1.4.1⑤", "I", `{"social_impact":"especially_serious"}`},
	{"dandong-broadcast", "1.4.2①", "II", `{"broadcast_interruption_scope":"multi_province"}`},
	{"dandong-broadcast", "1.4.2②", "II", `{"broadcast_site_level":"national","system_loss":"serious"}`},
	{"dandong-broadcast", "1.4.2③", "II", `{"harmful_info_scope":"county"}`},
	{"dandong-broadcast", "1.4.2④", "II", `{"social_impact":"serious"}`},
	{"dandong-broadcast", "1.4.3①", "III", `{"broadcast_interruption_scope":"multi_city"}`},
	{"dandong-broadcast", "1.4.3②", "III", `{"broadcast_site_level":"province","system_loss":"significant"}`},
	{"dandong-broadcast", "1.4.3③", "III", `{"data_threat":"relatively_serious"}`},
	{"dandong-broadcast", "1.4.3④", "III", `{"social_impact":"relatively_serious"}`},
	{"dandong-broadcast", "1.4.4①", "IV", `{"broadcast_interruption_scope":"county"}`},
	{"dandong-broadcast", "1.4.4②", "IV", `{"broadcast_site_level":"county","system_loss":"minor"}`},
	{"dandong-broadcast", "1.4.4③", "IV", `{"social_impact":"general"}`},
}

func mustFacts(t *testing.T, s string) Facts {
	t.Helper()
	f, err := ParseFacts([]byte(s))
	if err != nil {
		t.Fatalf("facts %s: %v", s, err)
	}
	return f
}

func matched(res *Result, clause string) bool {
	for _, c := range res.Clauses {
		if c.ID == clause {
			return true
		}
	}
	return false
}

// lowered returns copies of f in each of which one fact is one step below
// its value: a number less by the smallest amount, an ordinal one rank
// lower (or unknown at the lowest rank), a boolean flipped, an enum unknown.
func lowered(f Facts) map[string]Facts {
	out := map[string]Facts{}
	for k, v := range f {
		g := Facts{}
		for k2, v2 := range f {
			if k2 != k {
				g[k2] = v2
			}
		}
		def := factIndex[k]
		switch def.Type {
		case FactNumber:
			g[k] = v.(float64) - 0.01
		case FactInteger:
			g[k] = v.(float64) - 1
		case FactBool:
			g[k] = !v.(bool)
		case FactOrdinal:
			if r := def.rank(v.(string)); r > 0 {
				g[k] = def.Values[r-1]
			}
		}
		out[k] = g
	}
	return out
}

func TestEveryClauseAtItsBoundary(t *testing.T) {
	reg := Builtin()
	for _, tc := range clauseCases {
		t.Run(fmt.Sprintf("%s/%s/%s", tc.plan, tc.clause, tc.facts), func(t *testing.T) {
			p, err := reg.Get(tc.plan)
			if err != nil {
				t.Fatal(err)
			}
			facts := mustFacts(t, tc.facts)
			res, err := p.Grade(facts, "")
			if err != nil {
				t.Fatal(err)
			}
			if !matched(res, tc.clause) {
				t.Fatalf("clause %s did not match at its threshold; matched %v", tc.clause, res.Clauses)
			}
			if res.Grade != tc.grade {
				t.Errorf("grade = %s, want %s", res.Grade, tc.grade)
			}
			for key, below := range lowered(facts) {
				res, err := p.Grade(below, "")
				if err != nil {
					t.Fatal(err)
				}
				if matched(res, tc.clause) {
					b, _ := json.Marshal(below)
					t.Errorf("clause %s still matches with %s lowered: %s", tc.clause, key, b)
				}
			}
		})
	}
}

// TestEveryClauseIsCovered makes sure no clause of a built-in plan is left
// out of the boundary table.
func TestEveryClauseIsCovered(t *testing.T) {
	covered := map[string]bool{}
	for _, tc := range clauseCases {
		covered[tc.plan+" "+tc.clause] = true
	}
	for _, p := range Builtin().Plans() {
		for _, c := range p.Grading.Clauses {
			if !covered[p.ID+" "+c.ID] {
				t.Errorf("clause %s of %s has no boundary case", c.ID, p.ID)
			}
		}
	}
}

func TestNoFactsIsGradeIV(t *testing.T) {
	for _, p := range Builtin().Plans() {
		res, err := p.Grade(Facts{}, "")
		if err != nil {
			t.Fatal(err)
		}
		if res.Grade != fenghuo.GradeIV || len(res.Clauses) != 0 {
			t.Errorf("%s: no facts gave %s with %v", p.ID, res.Grade, res.Clauses)
		}
		if res.WarningColor != fenghuo.ColorBlue {
			t.Errorf("%s: grade IV colour = %s", p.ID, res.WarningColor)
		}
	}
}

func TestAcceptanceExamples(t *testing.T) {
	reg := Builtin()
	wushen, _ := reg.Get("wushen-county")
	res, err := wushen.Grade(mustFacts(t, `{"important_system":true,"outage_minutes":90,"people_affected":150000}`), "")
	if err != nil {
		t.Fatal(err)
	}
	if res.Grade != "II" || res.WarningColor != "orange" || !matched(res, "1.4(2)①") {
		t.Fatalf("wushen: %s %s %v", res.Grade, res.WarningColor, res.Clauses)
	}
	if res.Reporting[0].WithinMinutes != 120 || res.Reporting[0].To != "旗委网信办" {
		t.Errorf("wushen reporting: %+v", res.Reporting[0])
	}

	cac, _ := reg.Get("cac-2025")
	res, err = cac.Grade(mustFacts(t, `{"operator_type":"other","economic_loss_cny":6000000}`), "")
	if err != nil {
		t.Fatal(err)
	}
	if res.Grade != "III" || len(res.Reporting) != 1 || res.Reporting[0].WithinMinutes != 240 ||
		res.Reporting[0].ToRole != RoleCyberspaceOffice || res.Reporting[0].ToLevel != fenghuo.LevelProvince {
		t.Fatalf("cac: %s %+v", res.Grade, res.Reporting)
	}
	res, _ = cac.Grade(mustFacts(t, `{"operator_type":"other","economic_loss_cny":4999999}`), "")
	if res.Grade != "IV" || len(res.Reporting) != 0 {
		t.Fatalf("cac grade IV must carry no report: %s %+v", res.Grade, res.Reporting)
	}
}

// TestCountyNumbersAreThresholds: where a county plan writes numbers into a
// clause, every number must be met, beside the judged loss (issue 10 item
// 14). Wushen 1.4(3)① "遭受较大的系统损失,造成系统中断0.5小时,明显影响系统效率,影响人数2万人以上":
// a 29-minute outage is grade IV there, however large the loss, and so is
// a 30-minute outage without a loss judged significant. The national plan
// has no numbers in its clause, so the judged loss alone decides there.
func TestCountyNumbersAreThresholds(t *testing.T) {
	reg := Builtin()
	wushen, err := reg.Get("wushen-county")
	if err != nil {
		t.Fatal(err)
	}
	national, err := reg.Get("national-2017")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		plan      *Plan
		facts     string
		grade     string
		hasClause bool
	}{
		{wushen, `{"important_system":true,"system_loss":"significant","outage_minutes":29,"people_affected":20000}`, "IV", false},
		{wushen, `{"important_system":true,"system_loss":"significant","outage_minutes":30,"people_affected":20000}`, "III", true},
		{wushen, `{"important_system":true,"system_loss":"serious","outage_minutes":29.5,"people_affected":150000}`, "IV", false},
		{wushen, `{"important_system":true,"system_loss":"significant","outage_minutes":30,"people_affected":19999}`, "IV", false},
		{wushen, `{"important_system":true,"outage_minutes":30,"people_affected":20000}`, "IV", false},
		{wushen, `{"important_system":true,"system_loss":"significant","people_affected":20000}`, "IV", false},
		{national, `{"important_system":true,"system_loss":"significant"}`, "III", true},
		{national, `{"important_system":true,"system_loss":"significant","outage_minutes":1,"people_affected":10}`, "III", true},
	} {
		res, err := tc.plan.Grade(mustFacts(t, tc.facts), "")
		if err != nil {
			t.Fatal(err)
		}
		if string(res.Grade) != tc.grade || matched(res, "1.4(3)①") != tc.hasClause {
			t.Errorf("%s %s: grade %s, clauses %v; want %s with 1.4(3)① %v", tc.plan.ID, tc.facts, res.Grade, res.Clauses, tc.grade, tc.hasClause)
		}
	}
}
