package plan

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	"fenghuo/internal/calendar"
	"fenghuo/internal/fenghuo"
)

func at(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestRansomwareTasksForWushenGradeII: a grade II ransomware incident at a
// county unit under wushen-county (category OMI, other malware: GB/Z
// 20986-2007 has no ransomware code) gets the seed 004 ransomware steps, in
// order, with the 2-hour standby switch due two hours after discovery, and
// not the 附件4 二 mass-virus steps of the parent category MI: the most
// specific category wins.
func TestRansomwareTasksForWushenGradeII(t *testing.T) {
	p := mustPlan(t, "wushen-county")
	anchors := Anchors{Occurrence: at(t, "2026-10-02T08:50:00+08:00"), Discovery: at(t, "2026-10-02T09:30:00+08:00")}
	drafts := p.TaskDrafts(TaskInput{Trigger: TriggerReport, Category: "OMI", Grade: fenghuo.GradeII, Anchors: anchors}, nil)
	var got []string
	for _, d := range drafts {
		got = append(got, d.Playbook+"/"+d.Step)
	}
	want := []string{
		"ransomware/protect-and-isolate", "ransomware/report-police", "ransomware/do-not-pay", "ransomware/identify-strain",
		"ransomware/switch-to-standby", "ransomware/rebuild", "ransomware/restore-from-offline-backup", "ransomware/keep-evidence",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("tasks\n got %v\nwant %v", got, want)
	}
	byStep := map[string]TaskDraft{}
	for _, d := range drafts {
		byStep[d.Playbook+"/"+d.Step] = d
	}
	sw := byStep["ransomware/switch-to-standby"]
	if !sw.DueAt.Equal(at(t, "2026-10-02T11:30:00+08:00")) || sw.From != EventDiscovery || sw.Due != "2h" || !sw.Mandatory || sw.AnchorMissing {
		t.Errorf("standby switch = %+v", sw)
	}
	if len(sw.EscalateTo) != 1 || sw.EscalateTo[0].Role != RoleCyberspaceOffice || sw.EscalateTo[0].Level != fenghuo.LevelCounty {
		t.Errorf("standby switch escalates to %+v", sw.EscalateTo)
	}
	if d := byStep["ransomware/report-police"]; d.Owner != OwnerUnit || d.OwnerName.ZH != "事发单位" || len(d.Evidence) == 0 || !d.DueAt.IsZero() {
		t.Errorf("report to the police = %+v", d)
	}
	if d := byStep["ransomware/identify-strain"]; d.Owner != RoleSupportTeam || d.Order != 4 {
		t.Errorf("identify the strain = %+v", d)
	}
	for _, d := range drafts {
		if d.Step != "switch-to-standby" && !d.DueAt.IsZero() {
			t.Errorf("%s/%s has a due time the sources do not give: %v", d.Playbook, d.Step, d.DueAt)
		}
	}
	// Any other malware incident (MI itself, a computer virus, a worm) gets
	// the mass-virus steps and not the ransomware ones.
	for _, cat := range []string{"MI", "CVI", "WI"} {
		var pbs []string
		for _, d := range p.TaskDrafts(TaskInput{Trigger: TriggerReport, Category: cat, Grade: fenghuo.GradeII, Anchors: anchors}, nil) {
			if !slices.Contains(pbs, d.Playbook) {
				pbs = append(pbs, d.Playbook)
			}
		}
		if !slices.Equal(pbs, []string{"mass-virus"}) {
			t.Errorf("%s incident gets playbooks %v, want [mass-virus]", cat, pbs)
		}
	}
	if got := p.ReplacedPlaybooks(mustPlaybook(t, p, "ransomware")); !slices.Equal(got["OMI"], []string{"mass-virus"}) || len(got) != 1 {
		t.Errorf("ransomware replaces %v, want OMI: [mass-virus]", got)
	}
	if got := p.ReplacedPlaybooks(mustPlaybook(t, p, "mass-virus")); len(got) != 0 {
		t.Errorf("mass-virus replaces %v, want nothing", got)
	}
	// A web defacement (IAI) gets neither.
	for _, d := range p.TaskDrafts(TaskInput{Trigger: TriggerReport, Category: "IAI", Grade: fenghuo.GradeII, Anchors: anchors}, nil) {
		if d.Playbook != "web-defacement" {
			t.Errorf("defacement gets %s/%s", d.Playbook, d.Step)
		}
	}
}

func TestTaskDrafts(t *testing.T) {
	w := mustPlan(t, "wushen-county")
	l := mustParse(t, levelsPlan)
	start := at(t, "2026-09-30T16:00:00+08:00")
	tests := []struct {
		name  string
		p     *Plan
		in    TaskInput
		steps []string
		check func(t *testing.T, ds []TaskDraft)
	}{
		{"activation of II", w, TaskInput{Trigger: TriggerActivation, Level: fenghuo.GradeII, Grade: fenghuo.GradeII, Anchors: Anchors{ResponseStart: start}},
			[]string{"set-up-command", "enter-emergency-state", "notify-regions", "strengthen-defences"},
			func(t *testing.T, ds []TaskDraft) {
				if ds[0].Owner != OwnerActivator || ds[1].Owner != RoleCompetentDepartment {
					t.Errorf("owners %s, %s", ds[0].Owner, ds[1].Owner)
				}
			}},
		{"activation of I has no level II playbook", w, TaskInput{Trigger: TriggerActivation, Level: fenghuo.GradeI, Grade: fenghuo.GradeI}, nil, nil},
		{"grade IV outage skips the grade III+ report", w, TaskInput{Trigger: TriggerReport, Category: "DOSAI", Grade: fenghuo.GradeIV},
			[]string{"rule-out-lan", "notify-carrier", "determine-grade"}, nil},
		{"grade III outage reports", w, TaskInput{Trigger: TriggerReport, Category: "DOSAI", Grade: fenghuo.GradeIII},
			[]string{"rule-out-lan", "notify-carrier", "determine-grade", "report-if-iii"}, nil},
		{"ungraded outage keeps the step, marked", w, TaskInput{Trigger: TriggerReport, Category: "DOSAI"},
			[]string{"rule-out-lan", "notify-carrier", "determine-grade", "report-if-iii"},
			func(t *testing.T, ds []TaskDraft) {
				if !slices.Equal(ds[3].OnlyGrades, []fenghuo.Grade{"I", "II", "III"}) || ds[0].OnlyGrades != nil {
					t.Errorf("only grades %v / %v", ds[3].OnlyGrades, ds[0].OnlyGrades)
				}
			}},
		{"no category, no report playbook", w, TaskInput{Trigger: TriggerReport, Grade: fenghuo.GradeII}, nil, nil},
		{"risk notice counts 7 days", w, TaskInput{Trigger: TriggerReport, Category: "VAI", Anchors: Anchors{RiskNotice: at(t, "2026-09-28T10:00:00+08:00")}},
			[]string{"patch", "third-party-or-offline", "assess-and-report"},
			func(t *testing.T, ds []TaskDraft) {
				// Seven calendar days: to the end of 5 October, holiday or not.
				if want := at(t, "2026-10-06T00:00:00+08:00"); !ds[2].DueAt.Equal(want) || ds[2].From != EventRiskNotice {
					t.Errorf("due %v from %s, want %v", ds[2].DueAt, ds[2].From, want)
				}
			}},
		{"working days cross the National Day holiday", l, TaskInput{Trigger: TriggerActivation, Level: fenghuo.GradeI, Grade: fenghuo.GradeI,
			Anchors: Anchors{ResponseStart: start, Discovery: at(t, "2026-09-30T09:00:00+08:00")}},
			[]string{"a1", "a2"},
			func(t *testing.T, ds []TaskDraft) {
				if want := at(t, "2026-09-30T17:00:00+08:00"); !ds[0].DueAt.Equal(want) || ds[0].From != EventResponseStart {
					t.Errorf("a1 due %v from %s, want %v", ds[0].DueAt, ds[0].From, want)
				}
				// 2 working days from 30 September: 8 and 9 October (1–7 October are off), due at the end of the 9th.
				if want := at(t, "2026-10-10T00:00:00+08:00"); !ds[1].DueAt.Equal(want) || ds[1].From != EventDiscovery {
					t.Errorf("a2 due %v from %s, want %v", ds[1].DueAt, ds[1].From, want)
				}
			}},
		{"unknown anchor leaves the task undated", l, TaskInput{Trigger: TriggerActivation, Level: fenghuo.GradeI, Anchors: Anchors{ResponseStart: start}},
			[]string{"a1", "a2"},
			func(t *testing.T, ds []TaskDraft) {
				if !ds[1].AnchorMissing || !ds[1].DueAt.IsZero() || ds[0].AnchorMissing {
					t.Errorf("drafts %+v", ds)
				}
			}},
		{"activation of a level without a playbook", l, TaskInput{Trigger: TriggerActivation, Level: fenghuo.GradeIV}, nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ds := tc.p.TaskDrafts(tc.in, calendar.Default())
			// Outages (DOSAI, under NAI) and vulnerabilities (VAI, under NAI)
			// also get the system-paralysis playbook (附件4 三: NAI, FF).
			ds = slices.DeleteFunc(ds, func(d TaskDraft) bool { return d.Playbook == "system-paralysis" })
			var got []string
			for _, d := range ds {
				got = append(got, d.Step)
			}
			if !slices.Equal(got, tc.steps) {
				t.Fatalf("steps %v, want %v", got, tc.steps)
			}
			if tc.check != nil {
				tc.check(t, ds)
			}
		})
	}
}

func mustPlaybook(t *testing.T, p *Plan, id string) Playbook {
	t.Helper()
	for _, pb := range p.Playbooks {
		if pb.ID == id {
			return pb
		}
	}
	t.Fatalf("plan %s has no playbook %s", p.ID, id)
	return Playbook{}
}

// TestMostSpecificCategoryWins: of two report playbooks, one for a
// category and one for a subcategory, an incident of the subcategory gets
// only the second, an incident of another subcategory only the first; a
// playbook without categories applies to both; a subcategory playbook
// limited to other grades does not displace the parent's.
func TestMostSpecificCategoryWins(t *testing.T) {
	p := mustPlan(t, "wushen-county")
	q := *p
	q.Playbooks = []Playbook{
		{ID: "any", Title: Text{ZH: "任何事件"}, Steps: []Step{{ID: "s", Title: Text{ZH: "步骤"}, Owner: OwnerUnit}}},
		{ID: "malware", Title: Text{ZH: "有害程序"}, Categories: []string{"MI"}, Steps: []Step{{ID: "s", Title: Text{ZH: "步骤"}, Owner: OwnerUnit}}},
		{ID: "worm", Title: Text{ZH: "蠕虫"}, Categories: []string{"WI"}, Grades: []fenghuo.Grade{fenghuo.GradeI}, Steps: []Step{{ID: "s", Title: Text{ZH: "步骤"}, Owner: OwnerUnit}}},
		{ID: "virus", Title: Text{ZH: "病毒"}, Categories: []string{"CVI", "OMI"}, Steps: []Step{{ID: "s", Title: Text{ZH: "步骤"}, Owner: OwnerUnit}}},
	}
	for _, tc := range []struct {
		cat   string
		grade fenghuo.Grade
		want  []string
	}{
		{"CVI", fenghuo.GradeII, []string{"any", "virus"}},
		{"OMI", fenghuo.GradeII, []string{"any", "virus"}},
		{"THI", fenghuo.GradeII, []string{"any", "malware"}},
		{"MI", fenghuo.GradeII, []string{"any", "malware"}},
		{"WI", fenghuo.GradeII, []string{"any", "malware"}},
		{"WI", fenghuo.GradeI, []string{"any", "worm"}},
		{"IAI", fenghuo.GradeII, []string{"any"}},
	} {
		var got []string
		for _, d := range q.TaskDrafts(TaskInput{Trigger: TriggerReport, Category: tc.cat, Grade: tc.grade}, nil) {
			got = append(got, d.Playbook)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s grade %s: playbooks %v, want %v", tc.cat, tc.grade, got, tc.want)
		}
	}
}

// plan show says which playbook replaces which for a subcategory.
func TestSummaryShowsReplacedPlaybooks(t *testing.T) {
	p := mustPlan(t, "wushen-county")
	for lang, want := range map[string]string{
		"zh": "取代：OMI 类事件只用本手册，不再用 mass-virus（类别越具体越优先）",
		"en": "replaces: incidents of OMI get this playbook instead of mass-virus (the most specific category wins)",
	} {
		var buf bytes.Buffer
		if err := WriteSummary(&buf, p, lang); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		i := strings.Index(out, want)
		if i < 0 || strings.Count(out, want) != 1 {
			t.Fatalf("%s summary lacks %q once:\n%s", lang, want, out)
		}
		if h := strings.LastIndex(out[:i], "=="); !strings.Contains(out[strings.LastIndex(out[:h], "==")+2:h], "Ransomware") && !strings.Contains(out[strings.LastIndex(out[:h], "==")+2:h], "勒索病毒事件") {
			t.Errorf("%s: the replaces line is not under the ransomware playbook:\n%s", lang, out)
		}
	}
}
