package response_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"fenghuo/internal/app/response"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// A standby switch naming an organisation the platform does not have (the
// county support team without an account) still creates a task: the
// activating office is to tell the team to stand by. Ending the response
// closes that switch task as done ("应急响应结束,解除待命") with a timeline
// and an audit entry, leaves the playbook tasks open (recovery goes on)
// and lists them as open after the end, and stops the 24-hour duty gaps at
// the end.
func TestStandbyWithoutAccountAndEnd(t *testing.T) {
	f := newFixture(t)
	// The support team has no account: its org no longer plays the role.
	f.support.PlanRoles = nil
	if err := f.e.DB.UpdateOrg(f.ctx, f.support); err != nil {
		t.Fatal(err)
	}
	start := f.e.Clock.Now()
	act := f.activateII(t).Activation
	tasks := incidentTasks(t, f)
	var sb *fenghuo.Task
	for i := range tasks {
		if tasks[i].ActivationID == act.ID && tasks[i].StepID == response.StandbyStep+"support_team" {
			if sb != nil {
				t.Fatalf("two standby tasks: %+v", tasks)
			}
			sb = &tasks[i]
		}
	}
	if sb == nil {
		t.Fatalf("no standby task for the support team outside the platform: %+v", tasks)
	}
	if sb.OwnerOrgID != f.countyOrg.ID || !strings.Contains(sb.Title, "通知") || !strings.Contains(sb.Title, "进入待命状态") ||
		!strings.Contains(sb.Text, "平台中没有") || sb.ObligationID == 0 || sb.State != fenghuo.TaskOpen {
		t.Errorf("standby task = %+v, want one for the county office to notify the team", sb)
	}
	ns, err := f.e.DB.Notifications(f.ctx, f.countyOrg.ID, 0, 50)
	if err != nil {
		t.Fatal(err)
	}
	told := false
	for _, n := range ns {
		told = told || (n.Kind == "task.assigned" && strings.Contains(n.Title, "进入待命状态") && strings.Contains(n.Body, "《") && !strings.Contains(n.Body, "wushen-county"))
	}
	if !told {
		t.Errorf("the county office was not told of its standby task by plan title: %+v", ns)
	}

	// Work goes on for a day, then the county ends level II.
	f.e.Clock.Advance(24 * time.Hour)
	endAt := f.e.Clock.Now()
	if _, err := f.e.App.Response.Act(f.ctx, f.county, f.inc.ID, response.Input{Action: response.ActionEnd,
		Situation: "系统已恢复。", Approval: "指挥部会议纪要"}); err != nil {
		t.Fatalf("end: %v", err)
	}
	var playbookOpen int
	for _, tk := range incidentTasks(t, f) {
		switch {
		case tk.ID == sb.ID:
			if tk.State != fenghuo.TaskDone || tk.DoneNote != "应急响应结束,解除待命" || !tk.DoneAt.Equal(endAt) {
				t.Errorf("standby task after the end = %s %q %v", tk.State, tk.DoneNote, tk.DoneAt)
			}
		case tk.PlaybookID != "":
			if tk.State != fenghuo.TaskOpen {
				t.Errorf("playbook task %s/%s closed by the end: %s", tk.PlaybookID, tk.StepID, tk.State)
			}
			playbookOpen++
		}
	}
	if playbookOpen == 0 {
		t.Fatal("no playbook tasks to keep open")
	}
	v, err := f.e.App.Response.View(f.ctx, f.county, f.inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(v.OpenAfterEnd) != playbookOpen {
		t.Errorf("open after the end: %d tasks, want the %d open playbook tasks", len(v.OpenAfterEnd), playbookOpen)
	}
	for _, tk := range v.OpenAfterEnd {
		if tk.PlaybookID == "" || strings.HasPrefix(tk.StepID, response.StandbyStep) {
			t.Errorf("open after the end lists %+v", tk)
		}
	}
	entries, _, err := f.e.DB.Timeline(f.ctx, f.inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	released := 0
	for _, e := range entries {
		if e.Kind == "tasks" && strings.Contains(e.Body, "解除待命") {
			released++
		}
	}
	if released != 1 {
		t.Errorf("%d timeline entries releasing the standby, want 1", released)
	}
	audits, err := f.e.DB.AuditEntries(f.ctx, store.AuditFilter{ActionPrefix: "task.release_standby"}, store.Page{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(audits.Items) != 1 || audits.Items[0].ObjectID != ref(f.inc.ID) {
		t.Errorf("audit entries: %+v", audits.Items)
	}
	// 24-hour duty: the gap stops at the end, and the duty page no longer
	// asks for a roster.
	f.e.Clock.Advance(6 * time.Hour)
	if len(v.Duties) != 1 {
		t.Fatalf("duties: %+v", v.Duties)
	}
	if c := v.Duties[0]; c.UncoveredNow || len(c.Gaps) != 1 || !c.Gaps[0].From.Equal(start) || !c.Gaps[0].To.Equal(endAt) {
		t.Errorf("duty cover after the end: %+v", c)
	}
	if dv, err := f.e.App.Periods.Duty(f.ctx, f.county, f.countyOrg.ID); err != nil || anyContains(dv.Now.Gaps, "应急响应要求24小时值班") {
		t.Errorf("duty page after the end: %+v %v", dv.Now.Gaps, err)
	}
}

func incidentTasks(t *testing.T, f *fixture) []fenghuo.Task {
	t.Helper()
	tasks, err := f.e.DB.IncidentTasks(f.ctx, f.inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	return tasks
}

func ref(id int64) string { return strconv.FormatInt(id, 10) }
