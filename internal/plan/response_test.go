package plan

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"fenghuo/internal/fenghuo"
)

// levelsPlan extends minimalPlan (whose text the fuzz seeds are made from,
// so it stays as it is) with an activation playbook and response levels
// using every key of the response format.
const levelsPlan = minimalPlan + `  - id: on-activation
    title: {zh: 启动后}
    trigger: activation
    levels: [I]
    steps:
      - {id: a1, title: {zh: 成立指挥部}, owner: activator, due: 1h, mandatory: true, escalate_to: [{role: cyberspace_office, level: city}]}
      - {id: a2, title: {zh: 通报}, owner: unit, due: 2wd, from: discovery, mandatory: false, grades: [I]}
response_levels:
  - level: I
    clause: "4.2"
    text: 由市网信办启动。
    requested_by: [{role: cyberspace_office, level: county}]
    activated_by: {role: cyberspace_office, level: city}
    approval: {role: information_committee, level: city}
    end_requested_by: [{role: cyberspace_office, level: county}]
    switches: [command_post, duty_24h, support_standby, situation_reports]
    command:
      body: {zh: 指挥部}
      commander: {title: {zh: 指挥长}}
      members: [{title: {zh: 成员单位}}]
      liaison: {title: {zh: 联络员}}
      on_site: {title: {zh: 现场工作组}, role: support_team}
    duty: {by: [{role: cyberspace_office, level: county}]}
    standby: [{role: support_team, task: {zh: 待命}}]
    situation_reports: {every: 4h, from: {role: operator}, to: [{role: cyberspace_office, level: county}]}
    notify: [{role: public_security, level: county}]
    end_notice: {also_to: [{role: cyberspace_office, level: province}]}
  - level: IV
    activated_by: {role: competent_department}
    switches: [plan_activated]
`

func TestLevelsPlanIsValid(t *testing.T) {
	p, err := Parse("levels.yaml", []byte(levelsPlan))
	if err != nil {
		t.Fatal(err)
	}
	r, ok := p.ResponseLevel(fenghuo.GradeI)
	if !ok || r.SituationInterval() != "4h" || r.Command.OnSite.Role != RoleSupportTeam || len(r.EndNotice.AlsoTo) != 1 {
		t.Fatalf("level I = %+v", r)
	}
}

// TestResponseValidationNamesLineAndKey breaks one new key at a time; the
// problem names the key path, the line of the edit and what to do.
func TestResponseValidationNamesLineAndKey(t *testing.T) {
	tests := []struct {
		name, old, new string
		lineOf         string // text on the line the problem points at, in the edited document
		key, msg       string
	}{
		{"unknown command key", "commander: {title", "commandr: {title", "commandr:", "response_levels[0].command.commandr", `unknown key "commandr"; did you mean "commander"?`},
		{"duty without its switch", "[command_post, duty_24h, support_standby", "[command_post, support_standby", "duty: {by", "response_levels[0].duty", "does not switch on duty_24h"},
		{"command without its switch", "switches: [command_post, duty_24h", "switches: [duty_24h", "command:", "response_levels[0].command", "does not switch on command_post"},
		{"bad interval", "every: 4h", "every: 4 hours", "every: 4 hours", "response_levels[0].situation_reports.every", "is not a span"},
		{"interval in working days", "every: 4h", "every: 2wd", "every: 2wd", "response_levels[0].situation_reports.every", "working days are no interval"},
		{"interval missing", "every: 4h, ", "", "situation_reports:", "response_levels[0].situation_reports.every", "is required"},
		{"unknown requester role", "    requested_by: [{role: cyberspace_office", "    requested_by: [{role: cyberspace", "requested_by:", "response_levels[0].requested_by[0].role", `unknown role "cyberspace"`},
		{"unknown approval level", "approval: {role: information_committee, level: city}", "approval: {role: information_committee, level: town}", "approval:", "response_levels[0].approval.level", `unknown level "town"`},
		{"standby task missing", "task: {zh: 待命}", "task: {en: standby}", "standby:", "response_levels[0].standby[0].task.zh", "is required"},
		{"bad standby due", "task: {zh: 待命}}", "task: {zh: 待命}, due: 2 hours}", "standby:", "response_levels[0].standby[0].due", "is not a span"},
		{"standby role any", "standby: [{role: support_team", "standby: [{role: any", "standby:", "response_levels[0].standby[0].role", `"any" is not allowed here`},
		{"member without title", "members: [{title: {zh: 成员单位}}]", "members: [{role: support_team}]", "members:", "response_levels[0].command.members[0].title.zh", "is required"},
		{"end notice to nobody", "    notify: [{role: public_security, level: county}]\n    end_notice: {also_to: [{role: cyberspace_office, level: province}]}", "    end_notice: {clause: \"4.3\"}", "end_notice:", "response_levels[0].end_notice", "give notify or end_notice.also_to"},
		{"end notice recipients", "end_notice: {also_to: [{role: cyberspace_office, level: province}]}", "end_notice: {also_to: [{role: cyberspace_office, level: provnce}]}", "end_notice:", "response_levels[0].end_notice.also_to[0].level", `unknown level "provnce"`},
		{"end notice sender", "end_notice: {also_to:", "end_notice: {by: {role: monitorin}, also_to:", "end_notice:", "response_levels[0].end_notice.by.role", `unknown role "monitorin"`},
		{"bad trigger", "trigger: activation", "trigger: activate", "trigger: activate", "playbooks[1].trigger", `"activate" is not a trigger`},
		{"level without definition", "levels: [I]", "levels: [II]", "levels: [II]", "playbooks[1].levels[0]", "the plan has no response level II"},
		{"levels on a report playbook", "categories: [MI]", "categories: [MI]\n    levels: [I]", "levels: [I]", "playbooks[0].levels", "levels apply to trigger: activation only"},
		{"activator in a report playbook", "role: operator, due: 2h", "owner: activator, due: 2h", "owner: activator, due: 2h", "playbooks[0].steps[0].owner", "owner activator needs trigger: activation"},
		{"unknown owner", "owner: unit,", "owner: unitt,", "owner: unitt", "playbooks[1].steps[1].owner", `unknown owner "unitt"; did you mean "unit"?`},
		{"from without due", "due: 2wd, from: discovery", "from: discovery", "id: a2", "playbooks[1].steps[1].from", "from has no effect without due"},
		{"from an event with no time", "from: discovery, mandatory", "from: response_end, mandatory", "id: a2", "playbooks[1].steps[1].from", `unknown event "response_end"`},
		{"escalation without due", "due: 1h, mandatory: true, escalate_to", "mandatory: true, escalate_to", "id: a1", "playbooks[1].steps[0].escalate_to", "never becomes overdue"},
		{"bad step grade", "grades: [I]}", "grades: [V]}", "id: a2", "playbooks[1].steps[1].grades[0]", `"V" is not a grade`},
		{"no owner and no role", "role: operator, due: 2h", "due: 2h", "id: s1", "playbooks[0].steps[0].role", "is required"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if strings.Count(levelsPlan, tc.old) != 1 {
				t.Fatalf("test edit %q is not found exactly once", tc.old)
			}
			doc := strings.Replace(levelsPlan, tc.old, tc.new, 1)
			wantLine := 0
			first, _, _ := strings.Cut(tc.lineOf, "\n")
			for i, l := range strings.Split(doc, "\n") {
				if strings.Contains(l, first) {
					wantLine = i + 1
					break
				}
			}
			_, problems := Check("levels.yaml", []byte(doc))
			for _, p := range problems {
				if p.Key == tc.key && strings.Contains(p.Message, tc.msg) {
					if p.Line != wantLine || p.File != "levels.yaml" {
						t.Errorf("problem %v at line %d, want line %d", p, p.Line, wantLine)
					}
					return
				}
			}
			t.Errorf("no problem %s: %s among %v", tc.key, tc.msg, problems)
		})
	}
}

func TestMayActivateWushen(t *testing.T) {
	p := mustPlan(t, "wushen-county")
	tests := []struct {
		name       string
		level      fenghuo.Grade
		role       string
		orgLevel   fenghuo.OrgLevel
		allowed    bool
		mayRequest bool
		by         string
		clause     string
	}{
		{"unit asks for II", fenghuo.GradeII, RoleOperator, fenghuo.LevelUnit, false, true, "旗委网信办", "4.2.2"},
		{"county office activates II", fenghuo.GradeII, RoleCyberspaceOffice, fenghuo.LevelCounty, true, false, "旗委网信办", "4.2.2"},
		{"county police may not", fenghuo.GradeII, RolePublicSecurity, fenghuo.LevelCounty, false, false, "旗委网信办", "4.2.2"},
		{"county office hands I up", fenghuo.GradeI, RoleCyberspaceOffice, fenghuo.LevelCounty, false, true, "市委网信办", "4.2.1"},
		{"city office activates I", fenghuo.GradeI, RoleCyberspaceOffice, fenghuo.LevelCity, true, false, "市委网信办", "4.2.1"},
		{"province office may too", fenghuo.GradeI, RoleCyberspaceOffice, fenghuo.LevelProvince, true, false, "市委网信办", "4.2.1"},
		{"department activates III", fenghuo.GradeIII, RoleCompetentDepartment, fenghuo.LevelDepartment, true, false, "事件发生地区和部门", "4.2.3"},
		{"unit asks for IV", fenghuo.GradeIV, RoleOperator, fenghuo.LevelUnit, false, true, "事件发生地区和部门", "4.2.3"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, err := p.MayActivate(tc.level, tc.role, tc.orgLevel)
			if err != nil {
				t.Fatal(err)
			}
			if a.Allowed != tc.allowed || a.MayRequest != tc.mayRequest || a.By.Label().ZH != tc.by || a.Clause != tc.clause {
				t.Fatalf("authority = %+v", a)
			}
			if !tc.allowed {
				msg := a.Refusal(ActActivate)
				if !strings.Contains(msg.ZH, "第"+tc.clause+"条") || !strings.Contains(msg.ZH, tc.by) || !strings.Contains(msg.EN, "clause "+tc.clause) {
					t.Errorf("refusal %+v", msg)
				}
				if strings.Contains(msg.ZH, "可向其提出建议") != tc.mayRequest {
					t.Errorf("refusal %q: may request = %t", msg.ZH, tc.mayRequest)
				}
			}
		})
	}
	a, _ := p.MayActivate(fenghuo.GradeII, RoleCyberspaceOffice, fenghuo.LevelCounty)
	if a.Approval == nil || a.Approval.Role != RoleInformationCommittee {
		t.Errorf("level II activation records no committee approval: %+v", a.Approval)
	}
}

func TestMayEndAndHighestLevel(t *testing.T) {
	p := mustPlan(t, "wushen-county")
	a, err := p.MayEnd(fenghuo.GradeII, RoleCyberspaceOffice, fenghuo.LevelCounty)
	if err != nil || !a.Allowed || a.Clause != "4.3.2" || a.Approval == nil || a.Approval.Role != RoleCommand {
		t.Fatalf("end II: %+v %v", a, err)
	}
	a, _ = p.MayEnd(fenghuo.GradeI, RoleCyberspaceOffice, fenghuo.LevelCounty)
	if a.Allowed || a.Clause != "4.3.1" || a.By.Level != fenghuo.LevelCity {
		t.Fatalf("end I by the county: %+v", a)
	}
	// Level III names no ender: whoever activated it ends it.
	a, _ = p.MayEnd(fenghuo.GradeIII, RoleCompetentDepartment, fenghuo.LevelDepartment)
	if !a.Allowed || a.Clause != "4.2.3" {
		t.Fatalf("end III: %+v", a)
	}
	for _, tc := range []struct {
		role  string
		level fenghuo.OrgLevel
		want  fenghuo.Grade
		ok    bool
	}{
		{RoleCyberspaceOffice, fenghuo.LevelCounty, fenghuo.GradeII, true},
		{RoleCyberspaceOffice, fenghuo.LevelCity, fenghuo.GradeI, true},
		{RoleCompetentDepartment, fenghuo.LevelDepartment, fenghuo.GradeIII, true},
		{RoleOperator, fenghuo.LevelUnit, "", false},
	} {
		if g, ok := p.HighestLevel(tc.role, tc.level); g != tc.want || ok != tc.ok {
			t.Errorf("HighestLevel(%s, %s) = %s %t, want %s %t", tc.role, tc.level, g, ok, tc.want, tc.ok)
		}
	}
	if _, err := mustPlan(t, "cac-2025").MayActivate(fenghuo.GradeI, RoleCyberspaceOffice, fenghuo.LevelNational); fenghuo.ErrorCode(err) != fenghuo.ENOTFOUND {
		t.Errorf("a plan without response levels: %v", err)
	}
}

func TestSituationInterval(t *testing.T) {
	w := mustPlan(t, "wushen-county")
	n := mustPlan(t, "national-2017")
	for _, tc := range []struct {
		p     *Plan
		level fenghuo.Grade
		want  string
	}{
		{w, fenghuo.GradeII, "24h"},
		{w, fenghuo.GradeIII, ""},                        // no situation_reports switch
		{n, fenghuo.GradeI, DefaultSituationInterval},    // switch on, no interval given
		{mustParse(t, levelsPlan), fenghuo.GradeI, "4h"}, // the plan's own interval
	} {
		r, _ := tc.p.ResponseLevel(tc.level)
		if got := r.SituationInterval(); got != tc.want {
			t.Errorf("%s level %s: interval %q, want %q", tc.p.ID, tc.level, got, tc.want)
		}
	}
}

func mustPlan(t *testing.T, id string) *Plan {
	t.Helper()
	p, err := Builtin().Get(id)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func mustParse(t *testing.T, doc string) *Plan {
	t.Helper()
	p, err := Parse("test.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestEndNoticeSender(t *testing.T) {
	for _, tc := range []struct {
		plan  string
		level fenghuo.Grade
		role  string
		also  int
	}{
		{"wushen-county", fenghuo.GradeII, RoleCyberspaceOffice, 1}, // the office that ends it (4.3.2)
		{"wushen-county", fenghuo.GradeI, RoleCyberspaceOffice, 0},
		{"dandong-broadcast", fenghuo.GradeIV, RoleMonitoring, 1},  // 003 §4.3: 监测监管机构应及时通报相关单位
		{"dandong-broadcast", fenghuo.GradeIII, RoleMonitoring, 2}, // and 并报告总局网络安全领导小组
	} {
		r, _ := mustPlan(t, tc.plan).ResponseLevel(tc.level)
		if got := r.EndNoticeSender(); got.Role != tc.role || r.EndNotice == nil || len(r.EndNotice.AlsoTo) != tc.also {
			t.Errorf("%s %s: end notice by %+v, also to %+v", tc.plan, tc.level, got, r.EndNotice)
		}
	}
}

// A standby entry may give a due time after activation: plan show says
// it and plan diff names the change.
func TestStandbyDue(t *testing.T) {
	old := mustParse(t, levelsPlan)
	doc := strings.Replace(levelsPlan, "task: {zh: 待命}}", "task: {zh: 待命}, due: 30m}", 1)
	p := mustParse(t, doc)
	if lvl, _ := p.ResponseLevel(fenghuo.GradeI); len(lvl.Standby) != 1 || lvl.Standby[0].Due != "30m" {
		t.Fatalf("standby = %+v", lvl.Standby)
	}
	var buf bytes.Buffer
	if err := WriteSummary(&buf, p, "zh"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "待命 · 启动后30分钟内") {
		t.Errorf("summary lacks the standby due:\n%s", buf.String())
	}
	found := false
	for _, c := range Diff(old, p) {
		found = found || strings.Contains(fmt.Sprint(c), "(30m)")
	}
	if !found {
		t.Errorf("diff does not show the standby due: %v", Diff(old, p))
	}
}
