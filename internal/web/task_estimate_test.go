package web_test

import (
	"strings"
	"testing"
	"time"

	"fenghuo/internal/apptest"
	"fenghuo/internal/plan"
)

// A playbook step due in working days that reaches a year whose holiday
// notice the calendar does not hold is an estimate: the tasks tab and the
// unit's home list put the "估算" mark and its note beside the task's due
// time (as beside an obligation's), and a step due in hours has none. The
// county plan's ransomware playbook is given a step due 3 working days
// after discovery (a plan version stored in the product), and the incident
// is discovered on 30 December 2026.
func TestTaskEstimateShown(t *testing.T) {
	e, srv := taskConsole(t)
	if e.App.Core.Calendar().Covers(2027) {
		t.Skip("the calendar holds the 2027 notice: pick a later year")
	}
	reg := e.App.Core.Plans()
	orig, err := reg.Get("wushen-county")
	if err != nil {
		t.Fatal(err)
	}
	p := *orig
	p.Playbooks = append([]plan.Playbook(nil), orig.Playbooks...)
	var stepTitle string
	for i, pb := range p.Playbooks {
		if pb.ID != "ransomware" {
			continue
		}
		steps := append([]plan.Step(nil), pb.Steps...)
		for j := range steps {
			if steps[j].Due == "" && stepTitle == "" {
				steps[j].Due, stepTitle = "3wd", steps[j].Title.ZH
			}
		}
		p.Playbooks[i].Steps = steps
	}
	if stepTitle == "" {
		t.Fatal("the ransomware playbook has no step without a due time to give one")
	}
	reg.PutStored(&p)
	e.Clock.Set(time.Date(2026, 12, 30, 10, 0, 0, 0, time.FixedZone("CST", 8*3600)))
	inc := ransomwareIncident(t, e)
	fileInitialReport(t, e, inc)

	c := browser(t)
	login(t, c, srv, "school-rep", apptest.Password)
	const mark, note = `<span class="badge estimate-mark">估算</span>`, "2027 年节假日安排尚未公布"
	_, page := get(t, c, srv, "/incidents/"+itoa(inc.ID)+"/tasks")
	var estimated, hours int
	for _, row := range strings.Split(page, "<tr")[1:] {
		switch {
		case strings.Contains(row, stepTitle):
			estimated++
			if !strings.Contains(row, mark) || !strings.Contains(row, note) {
				t.Errorf("the 3-working-day task has no estimate mark: %s", pageText(row))
			}
		case strings.Contains(row, "修复超过2小时启用备用系统"):
			hours++
			if strings.Contains(row, "估算") {
				t.Errorf("a task due in hours is marked as an estimate: %s", pageText(row))
			}
		}
	}
	if estimated == 0 || hours == 0 {
		t.Fatalf("tasks tab: %d rows of the 3wd step, %d of the 2 h step:\n%s", estimated, hours, pageText(page))
	}
	_, home := get(t, c, srv, "/")
	if !strings.Contains(home, mark) {
		t.Errorf("home's task list has no estimate mark: %s", pageText(home))
	}
}
