package plan

import (
	"strings"
	"testing"

	"fenghuo/internal/fenghuo"
)

type dutyKey struct {
	route  string
	to     string
	within int
}

func duties(res *Result) map[dutyKey]string {
	m := map[dutyKey]string{}
	for _, d := range res.Reporting {
		m[dutyKey{d.Route, d.ToRole + "@" + string(d.ToLevel), d.WithinMinutes}] = d.If
	}
	return m
}

func TestReportingRoutes(t *testing.T) {
	reg := Builtin()
	tests := []struct {
		name     string
		plan     string
		facts    string
		category string
		want     map[dutyKey]string
	}{
		{"wushen grade I within 1 h from occurrence, then at once to the city", "wushen-county",
			`{"important_system":true,"outage_minutes":120,"people_affected":1000000}`, "",
			map[dutyKey]string{
				{"initial-grade-i", "cyberspace_office@county", 60}:   "",
				{"initial-grade-i", "public_security@county", 60}:     "",
				{"initial-grade-i", "competent_department@", 60}:      "",
				{"escalate-cac-grade-i", "cyberspace_office@city", 0}: "",
				{"escalate-psb-grade-i", "public_security@city", 0}:   "",
			}},
		{"wushen grade III is reported without delay", "wushen-county", `{"economic_loss_cny":1000000}`, "",
			map[dutyKey]string{
				{"initial-grade-iii-iv", "cyberspace_office@county", 0}: "",
				{"initial-grade-iii-iv", "public_security@county", 0}:   "",
				{"initial-grade-iii-iv", "competent_department@", 0}:    "",
			}},
		{"cac CII grade II: 1 h, then 0.5 h to CAC and MPS", "cac-2025", `{"operator_type":"cii","cii":true,"outage_minutes":60}`, "",
			map[dutyKey]string{
				{"cii-first", "protection_department@", 60}:        "",
				{"cii-first", "public_security@", 60}:              "",
				{"cii-escalate", "cyberspace_office@national", 30}: "",
				{"cii-escalate", "public_security@national", 30}:   "",
			}},
		{"cac central organ grade I: 2 h, then 1 h", "cac-2025", `{"operator_type":"central_organ","economic_loss_cny":100000000}`, "",
			map[dutyKey]string{
				{"central-organ-first", "cyberspace_office@department", 120}: "",
				{"central-organ-escalate", "cyberspace_office@national", 60}: "",
			}},
		{"cac other grade III: 4 h, no escalation", "cac-2025", `{"operator_type":"other","personal_info_people":1000000}`, "",
			map[dutyKey]string{{"other-operator-first", "cyberspace_office@province", 240}: ""}},
		{"cac with the operator type unknown lists each route with its condition", "cac-2025", `{"personal_info_people":1000000}`, "",
			map[dutyKey]string{
				{"cii-first", "protection_department@", 60}:                  "operator_type = cii",
				{"cii-first", "public_security@", 60}:                        "operator_type = cii",
				{"central-organ-first", "cyberspace_office@department", 120}: "operator_type = central_organ",
				{"other-operator-first", "cyberspace_office@province", 240}:  "operator_type = other",
			}},
		{"dandong grade IV network attack goes to police too", "dandong-broadcast", `{}`, "DOSAI",
			map[dutyKey]string{
				{"unit-to-monitoring", "monitoring@", 0}:              "",
				{"monitoring-to-office", "leading_group@", 0}:         "",
				{"grade-iv-to-city", "leading_group@city", 0}:         "",
				{"grade-iv-city-to-cac", "cyberspace_office@city", 0}: "",
				{"police", "public_security@", 0}:                     "",
			}},
		{"dandong content incident is not a police report", "dandong-broadcast", `{"broadcast_interruption_scope":"multi_city"}`, "ICSI",
			map[dutyKey]string{
				{"unit-to-monitoring", "monitoring@", 0}:                       "",
				{"monitoring-to-office", "leading_group@", 0}:                  "",
				{"grade-iii-to-province", "leading_group@province", 0}:         "",
				{"grade-iii-province-to-cac", "cyberspace_office@province", 0}: "",
			}},
		{"dandong with the category unknown says when the police report applies", "dandong-broadcast", `{"broadcast_interruption_scope":"multi_province"}`, "",
			map[dutyKey]string{
				{"unit-to-monitoring", "monitoring@", 0}:                "",
				{"monitoring-to-office", "leading_group@", 0}:           "",
				{"grade-i-ii-to-national", "leading_group@national", 0}: "",
				{"police", "public_security@", 0}:                       "category in [MI, NAI, IDI]",
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, _ := reg.Get(tc.plan)
			res, err := p.Grade(mustFacts(t, tc.facts), tc.category)
			if err != nil {
				t.Fatal(err)
			}
			got := duties(res)
			for k, why := range tc.want {
				g, ok := got[k]
				if !ok {
					t.Errorf("missing duty %+v", k)
				} else if g != why {
					t.Errorf("duty %+v: if = %q, want %q", k, g, why)
				}
			}
			for k := range got {
				if _, ok := tc.want[k]; !ok {
					t.Errorf("unexpected duty %+v", k)
				}
			}
		})
	}
}

func TestGradeRejectsUnknownCategory(t *testing.T) {
	p, _ := Builtin().Get("dandong-broadcast")
	_, err := p.Grade(Facts{}, "NA09")
	if fenghuo.ErrorCode(err) != fenghuo.EINVALID {
		t.Fatalf("err = %v", err)
	}
}

func TestFactErrorsNameTheKey(t *testing.T) {
	for _, tc := range []struct{ facts, key string }{
		{`{"outage_minute":5}`, "outage_minute"},
		{`{"outage_minutes":"5"}`, "outage_minutes"},
		{`{"outage_minutes":-1}`, "outage_minutes"},
		{`{"people_affected":1.5}`, "people_affected"},
		{`{"important_system":"yes"}`, "important_system"},
		{`{"system_loss":"huge"}`, "system_loss"},
		{`{"population_share_pct":101}`, "population_share_pct"},
	} {
		_, err := ParseFacts([]byte(tc.facts))
		var fe *fenghuo.Error
		if err == nil || !asError(err, &fe) || fe.Field != tc.key || fe.Code != fenghuo.EINVALID {
			t.Errorf("%s: err = %v, want one naming %s", tc.facts, err, tc.key)
			continue
		}
		// Said once: "outage_minutes: must be a number, got \"5\"", not
		// "outage_minutes: fact \"outage_minutes\" must be …".
		if msg := err.Error(); !strings.HasPrefix(msg, tc.key+": ") || strings.Count(msg, `"`+tc.key+`"`) != 0 {
			t.Errorf("%s: error %q should name %s once, in front", tc.facts, msg, tc.key)
		}
	}
	if _, err := ParseFacts([]byte(`[1]`)); fenghuo.ErrorCode(err) != fenghuo.EINVALID {
		t.Errorf("non-object facts: %v", err)
	}
	f, err := ParseFacts([]byte(`{"outage_minutes":null}`))
	if err != nil || len(f) != 0 {
		t.Errorf("null means unknown: %v %v", f, err)
	}
}

func TestWarningIssuers(t *testing.T) {
	p, _ := Builtin().Get("wushen-county")
	tests := []struct {
		role  string
		level fenghuo.OrgLevel
		color fenghuo.Color
		multi bool
		ok    bool
	}{
		{RoleCyberspaceOffice, fenghuo.LevelCounty, fenghuo.ColorRed, false, false},
		{RoleCyberspaceOffice, fenghuo.LevelCity, fenghuo.ColorRed, false, true},
		{RoleCyberspaceOffice, fenghuo.LevelCounty, fenghuo.ColorOrange, false, true},
		{RoleCompetentDepartment, fenghuo.LevelDepartment, fenghuo.ColorOrange, false, false},
		{RoleCompetentDepartment, fenghuo.LevelDepartment, fenghuo.ColorYellow, false, true},
		{RoleOperator, fenghuo.LevelUnit, fenghuo.ColorBlue, false, false},
		{RoleCyberspaceOffice, fenghuo.LevelCounty, fenghuo.ColorBlue, true, false},
	}
	for _, tc := range tests {
		ok, rules := p.MayIssue(tc.role, tc.level, tc.color, tc.multi)
		if ok != tc.ok {
			t.Errorf("%s at %s issuing %s (multi %v) = %v, want %v", tc.role, tc.level, tc.color, tc.multi, ok, tc.ok)
		}
		if len(rules) == 0 {
			t.Errorf("no rule returned for %s", tc.color)
		}
	}
	sw := p.SwitchesForColor(fenghuo.ColorOrange)
	if !contains(sw, SwitchDuty24h) {
		t.Errorf("orange switches %v lack 24-hour duty", sw)
	}
	if sw := p.SwitchesForColor(fenghuo.ColorYellow); !contains(sw, SwitchSupportStandby) {
		t.Errorf("yellow switches %v lack support standby", sw)
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
