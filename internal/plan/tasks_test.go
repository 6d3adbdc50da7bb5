package plan

import (
	"slices"
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
// 20986-2007 has no ransomware code) gets the 附件4 二 mass-virus steps and
// the seed 004 ransomware steps, in order, with the 2-hour standby switch
// due two hours after discovery.
func TestRansomwareTasksForWushenGradeII(t *testing.T) {
	p := mustPlan(t, "wushen-county")
	anchors := Anchors{Occurrence: at(t, "2026-10-02T08:50:00+08:00"), Discovery: at(t, "2026-10-02T09:30:00+08:00")}
	drafts := p.TaskDrafts(TaskInput{Trigger: TriggerReport, Category: "OMI", Grade: fenghuo.GradeII, Anchors: anchors}, nil)
	var got []string
	for _, d := range drafts {
		got = append(got, d.Playbook+"/"+d.Step)
	}
	want := []string{
		"mass-virus/isolate", "mass-virus/scan-and-patch", "mass-virus/reset-passwords", "mass-virus/close-ports", "mass-virus/report-and-recover",
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
