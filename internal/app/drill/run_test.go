package drill_test

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/app/drill"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// counts is what a drill run must leave alone: every obligation (of any
// kind), the incident list and the score card.
type counts struct {
	obligations int
	incidents   int
	card        []drill.UnitScore
}

func measure(t *testing.T, e interface {
	DB() *store.DB
}, s *drill.Service, officer *app.Actor) counts {
	t.Helper()
	ctx := context.Background()
	obs, err := e.DB().Obligations(ctx, store.ObligationFilter{}, store.Page{Limit: store.MaxLimit})
	must(t, err)
	incs, err := e.DB().Incidents(ctx, store.IncidentFilter{}, store.Page{Limit: 10})
	must(t, err)
	card, err := s.ScoreCard(ctx, officer, 2026)
	must(t, err)
	return counts{obligations: obs.Total, incidents: incs.Total, card: card.Units}
}

type dbOf struct{ db *store.DB }

func (d dbOf) DB() *store.DB { return d.db }

func TestDrillRunCreatesNoDutiesAndEndClosesTasks(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	s := e.App.Drills
	rep := actor(t, e, "school_rep", "school", fenghuo.RoleUnitReporter)
	viewer := actor(t, e, "school_viewer", "school", fenghuo.RoleViewer)
	hospRep := actor(t, e, "hosp_rep", "hospital", fenghuo.RoleUnitReporter)
	officer := actor(t, e, "county_officer", "county", fenghuo.RoleAnalyst)
	other := actor(t, e, "county2_officer", "county2", fenghuo.RoleAnalyst)
	// The scheduler's yearly duties exist before, so the comparison is of
	// what the run adds.
	if _, err := e.App.Scheduler.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	before := measure(t, dbOf{e.DB}, s, officer)

	// Refusals: no playbook, another county's unit, a viewer.
	_, _, err := s.StartRun(ctx, rep, drill.RunInput{Title: "演练", Scenario: "网站被篡改", PlanID: "wushen-county", PlaybookID: "nope"})
	code(t, err, fenghuo.EINVALID)
	_, _, err = s.StartRun(ctx, other, drill.RunInput{OrgID: e.Orgs["school"].ID, Title: "演练", Scenario: "网站被篡改", PlanID: "wushen-county", PlaybookID: "ransomware"})
	code(t, err, fenghuo.ENOTFOUND)
	_, _, err = s.StartRun(ctx, viewer, drill.RunInput{Title: "演练", Scenario: "网站被篡改", PlanID: "wushen-county", PlaybookID: "ransomware"})
	code(t, err, fenghuo.EFORBIDDEN)

	start := e.Clock.Now()
	run, tasks, err := s.StartRun(ctx, rep, drill.RunInput{Title: "勒索病毒实战演练", PlanID: "wushen-county", PlaybookID: "ransomware",
		Scenario: "教务系统服务器被加密"})
	must(t, err)
	if run.OrgID != e.Orgs["school"].ID || run.State != fenghuo.DrillRunRunning || len(tasks) != 8 {
		t.Fatalf("run %+v, %d tasks", run, len(tasks))
	}
	byStep := map[string]fenghuo.DrillTask{}
	for _, tk := range tasks {
		byStep[tk.StepID] = tk
		if tk.OwnerOrgID != e.Orgs["school"].ID {
			t.Errorf("task %s owned by %d", tk.StepID, tk.OwnerOrgID)
		}
	}
	if due := byStep["switch-to-standby"].DueAt; !due.Equal(start.Add(2 * time.Hour)) {
		t.Fatalf("switch-to-standby due %v, want start + 2h", due)
	}
	if note := byStep["identify-strain"].OwnerNote; !strings.Contains(note, "演练中由本单位模拟") {
		t.Fatalf("support team step: %q", note)
	}

	// No obligation of any kind, no incident, the score card unchanged.
	if after := measure(t, dbOf{e.DB}, s, officer); !reflect.DeepEqual(before, after) {
		t.Fatalf("a drill run changed duties or statistics:\nbefore %+v\nafter  %+v", before, after)
	}
	// The school is told, marked as a drill; the county is not.
	ns, err := e.DB.Notifications(ctx, e.Orgs["school"].ID, 0, 20)
	must(t, err)
	found := false
	for _, n := range ns {
		if n.Kind == "drill.task" {
			found = strings.HasPrefix(n.Title, "【演练】") && strings.Contains(n.Body, "不产生报告义务")
		}
	}
	if !found {
		t.Fatalf("no drill notification: %+v", ns)
	}
	ns, err = e.DB.Notifications(ctx, e.Orgs["county"].ID, 0, 50)
	must(t, err)
	for _, n := range ns {
		if n.Kind == "drill.task" {
			t.Fatalf("the county was told: %+v", n)
		}
	}
	mine, err := s.MyDrillTasks(ctx, rep, store.Page{Limit: 20})
	must(t, err)
	if len(mine) != 8 {
		t.Fatalf("my drill tasks: %d", len(mine))
	}

	// Seeing and acting: the other county sees nothing; the hospital and a
	// viewer cannot act; a task asking for evidence needs a word on it.
	_, err = s.Run(ctx, other, run.ID)
	code(t, err, fenghuo.ENOTFOUND)
	_, err = s.SetTaskState(ctx, hospRep, byStep["protect-and-isolate"].ID, fenghuo.TaskDone, "")
	code(t, err, fenghuo.ENOTFOUND)
	_, err = s.SetTaskState(ctx, viewer, byStep["protect-and-isolate"].ID, fenghuo.TaskDone, "")
	code(t, err, fenghuo.EFORBIDDEN)
	isolate := byStep["protect-and-isolate"]
	if len(isolate.Evidence) > 0 {
		_, err = s.SetTaskState(ctx, rep, isolate.ID, fenghuo.TaskDone, "")
		code(t, err, fenghuo.EINVALID)
	}
	e.Clock.Advance(20 * time.Minute)
	_, err = s.CommentTask(ctx, rep, isolate.ID, "已拔除服务器网线，保留现场")
	must(t, err)
	done, err := s.SetTaskState(ctx, rep, isolate.ID, fenghuo.TaskDone, "")
	must(t, err)
	if done.State != fenghuo.TaskDone || done.Late() {
		t.Fatalf("isolate: %+v", done)
	}
	// The officer of the county (an office over the school) may act too.
	_, err = s.SetTaskState(ctx, officer, byStep["report-police"].ID, fenghuo.TaskInProgress, "")
	must(t, err)
	// Switching to the standby system three hours in is late.
	e.Clock.Advance(160 * time.Minute)
	late, err := s.SetTaskState(ctx, rep, byStep["switch-to-standby"].ID, fenghuo.TaskDone, "备用教务系统已启用")
	must(t, err)
	if !late.Late() {
		t.Fatalf("switch-to-standby not late: %+v", late)
	}
	if after := measure(t, dbOf{e.DB}, s, officer); !reflect.DeepEqual(before, after) {
		t.Fatalf("completing drill tasks changed duties or statistics:\nbefore %+v\nafter  %+v", before, after)
	}

	// Ending: only whoever may file drills; the open tasks close as ended.
	_, err = s.EndRun(ctx, viewer, run.ID)
	code(t, err, fenghuo.EFORBIDDEN)
	_, err = s.EndRun(ctx, hospRep, run.ID)
	code(t, err, fenghuo.ENOTFOUND)
	e.Clock.Advance(10 * time.Minute)
	ended, err := s.EndRun(ctx, rep, run.ID)
	must(t, err)
	if ended.State != fenghuo.DrillRunEnded || !ended.EndedAt.Equal(e.Clock.Now()) {
		t.Fatalf("ended: %+v", ended)
	}
	_, err = s.EndRun(ctx, rep, run.ID)
	code(t, err, fenghuo.ECONFLICT)
	_, err = s.SetTaskState(ctx, rep, byStep["rebuild"].ID, fenghuo.TaskDone, "x")
	code(t, err, fenghuo.ECONFLICT)
	v, err := s.Run(ctx, officer, run.ID)
	must(t, err)
	states := map[string]int{}
	for _, tk := range v.Tasks {
		states[tk.State]++
		if tk.CanAct {
			t.Errorf("task %s actionable after the end", tk.StepID)
		}
	}
	if states[fenghuo.TaskDone] != 2 || states[fenghuo.DrillTaskEnded] != 6 || v.Open() != 0 {
		t.Fatalf("states after end: %v", states)
	}
	mine, err = s.MyDrillTasks(ctx, rep, store.Page{Limit: 20})
	must(t, err)
	if len(mine) != 0 {
		t.Fatalf("my drill tasks after the end: %d", len(mine))
	}
	summary := v.Summary()
	for _, want := range []string{"开始演练：勒索病毒实战演练", "已拔除服务器网线", "「" + byStep["switch-to-standby"].Title + "」完成（超时1小时）",
		"演练结束时未完成", "结束演练"} {
		if !strings.Contains(summary, want) {
			t.Errorf("summary lacks %q:\n%s", want, summary)
		}
	}
	if after := measure(t, dbOf{e.DB}, s, officer); !reflect.DeepEqual(before, after) {
		t.Fatalf("ending the drill changed duties or statistics:\nbefore %+v\nafter  %+v", before, after)
	}

	// Filing the drill for the run links it and quotes the timeline.
	in := input(e.Clock.Now())
	in.PlanID, in.PlaybookID, in.RunID, in.Result = "", "", run.ID, summary
	d, err := s.RecordDrill(ctx, rep, in)
	must(t, err)
	if d.PlanID != "wushen-county" || d.PlaybookID != "ransomware" || !strings.Contains(d.Result, "结束演练") {
		t.Fatalf("drill: %+v", d)
	}
	v, err = s.Run(ctx, rep, run.ID)
	must(t, err)
	if v.Run.DrillID != d.ID {
		t.Fatalf("run not linked: %+v", v.Run)
	}
	_, err = s.RecordDrill(ctx, rep, in)
	code(t, err, fenghuo.ECONFLICT)

	for _, action := range []string{"drill.run.start", "drill.task.state", "drill.task.comment", "drill.run.end"} {
		entries, err := e.DB.AuditEntries(ctx, store.AuditFilter{ActionPrefix: action}, store.Page{})
		must(t, err)
		if entries.Total == 0 {
			t.Errorf("no audit entry %s", action)
		}
	}
}
