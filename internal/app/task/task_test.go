package task_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/app/incident"
	"fenghuo/internal/app/services"
	"fenghuo/internal/app/task"
	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/plan"
	"fenghuo/internal/store"
)

// ransomware files a grade II ransomware incident (GB/Z 20986-2007 OMI:
// the ransomware playbook of wushen-county, which replaces the mass-virus
// playbook of the parent category MI) for the school,
// discovered at the clock's time.
func ransomware(t *testing.T, e *apptest.Env) *fenghuo.Incident {
	t.Helper()
	rep, _ := e.User(t, "school_rep", "school", fenghuo.RoleUnitReporter)
	inc, err := e.App.Incidents.CreateIncident(context.Background(), e.Actor(t, rep), incident.IncidentInput{
		OrgID: e.Orgs["school"].ID, Title: "教务系统服务器被勒索病毒加密", Category: "OMI",
		OccurredAt: e.Clock.Now().Add(-30 * time.Minute), DiscoveredAt: e.Clock.Now(),
		Facts: plan.Facts{"social_impact": "serious"}})
	if err != nil {
		t.Fatal(err)
	}
	if inc.Grade != fenghuo.GradeII {
		t.Fatalf("grade %s, want II", inc.Grade)
	}
	return inc
}

func byStep(ts []fenghuo.Task) map[string]fenghuo.Task {
	m := map[string]fenghuo.Task{}
	for _, t := range ts {
		m[t.PlaybookID+"/"+t.StepID] = t
	}
	return m
}

func TestReportedRansomwareGetsItsPlaybookSteps(t *testing.T) {
	e := apptest.New(t)
	ctx := context.Background()
	inc := ransomware(t, e)
	tasks, err := e.DB.IncidentTasks(ctx, inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	steps := byStep(tasks)
	for _, s := range []string{"ransomware/protect-and-isolate", "ransomware/report-police", "ransomware/do-not-pay",
		"ransomware/identify-strain", "ransomware/switch-to-standby", "ransomware/rebuild",
		"ransomware/restore-from-offline-backup", "ransomware/keep-evidence"} {
		if _, ok := steps[s]; !ok {
			t.Errorf("no task for step %s", s)
		}
	}
	if len(steps) != 8 {
		t.Errorf("%d tasks, want the 8 ransomware steps only (the most specific category wins over mass-virus): %v", len(steps), tasks)
	}
	if _, ok := steps["web-defacement/take-offline"]; ok {
		t.Error("a malware incident got the defacement playbook")
	}
	sw := steps["ransomware/switch-to-standby"]
	if want := inc.DiscoveredAt.Add(2 * time.Hour); !sw.DueAt.Equal(want) || sw.Anchor != fenghuo.AnchorDiscovery {
		t.Errorf("standby switch due %v anchor %q, want %v from discovery", sw.DueAt, sw.Anchor, want)
	}
	if sw.OwnerOrgID != e.Orgs["school"].ID || !sw.Mandatory || len(sw.Evidence) == 0 || sw.ObligationID == 0 {
		t.Errorf("standby switch task %+v", sw)
	}
	var ob *fenghuo.Obligation
	err = e.DB.View(ctx, func(tx *store.Tx) error {
		var err error
		ob, err = tx.Obligation(ctx, sw.ObligationID)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if ob.Kind != store.ObligationKindTask || ob.RecipientOrgID != e.Orgs["county"].ID || !ob.DueAt.Equal(sw.DueAt) ||
		!ob.RemindAt.Equal(sw.DueAt.Add(-30*time.Minute)) {
		t.Errorf("obligation %+v: want a task duty escalated to the county office, reminded 30 min before", ob)
	}
	if p := steps["ransomware/protect-and-isolate"]; !p.DueAt.IsZero() || p.ObligationID == 0 {
		t.Errorf("a step without due time got %v", p.DueAt)
	}

	// Idempotent: re-grading or instantiating again adds nothing.
	n := len(tasks)
	duty := e.Actor(t, mustUser(t, e, "county_duty", "county", fenghuo.RoleDutyOfficer))
	err = e.DB.WithTx(ctx, func(tx *store.Tx) error {
		got, err := e.App.Tasks.InstantiateTx(ctx, tx, duty, inc,
			plan.TaskInput{Trigger: plan.TriggerReport, Category: "OMI", Anchors: plan.Anchors{Discovery: inc.DiscoveredAt}}, 0)
		if len(got) != 0 {
			t.Errorf("second instantiation created %d tasks", len(got))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if tasks, _ = e.DB.IncidentTasks(ctx, inc.ID); len(tasks) != n {
		t.Errorf("%d tasks after re-instantiating, want %d", len(tasks), n)
	}
}

func mustUser(t *testing.T, e *apptest.Env, name, org string, role fenghuo.Role) *fenghuo.User {
	u, _ := e.User(t, name, org, role)
	return u
}

// newEnv is apptest's fixture with an evidence directory (apptest's app has
// none): a second app over the same database and clock.
func newEnv(t *testing.T) *apptest.Env {
	t.Helper()
	e := apptest.New(t)
	cfg := app.DefaultConfig()
	cfg.EvidenceDir = filepath.Join(e.Dir, "evidence")
	e.App = services.New(app.Deps{DB: e.DB, Plans: e.App.Core.Plans(), Calendar: e.App.Core.Calendar(),
		Audit: apptest.TestChain(t), Sealer: e.App.Core.Sealer(), Config: cfg})
	e.App.SetClock(e.Clock.Now)
	return e
}

func row(t *testing.T, b *task.Board, step string) task.Row {
	t.Helper()
	for _, r := range b.Rows {
		if r.PlaybookID+"/"+r.StepID == step || (r.PlaybookID == "" && r.Title == step) {
			return r
		}
	}
	t.Fatalf("no task %s", step)
	return task.Row{}
}

func code(err error) string {
	var fe *fenghuo.Error
	if errors.As(err, &fe) {
		return fe.Code + ":" + fe.Field
	}
	if err == nil {
		return ""
	}
	return err.Error()
}

// attach uploads a file as the incident's evidence and links it to a task.
func attach(t *testing.T, e *apptest.Env, ac *app.Actor, incidentID, taskID int64) {
	t.Helper()
	ctx := context.Background()
	ev, err := e.App.Incidents.AddEvidence(ctx, ac, incidentID, "standby.txt", strings.NewReader("备用系统于10:40启用"), "备用系统启用记录")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.App.Tasks.Comment(ctx, ac, taskID, "备用系统已启用", ev.ID); err != nil {
		t.Fatal(err)
	}
}

// The standby switch of a ransomware incident is due 2 h after discovery:
// its owner is reminded half an hour before, and when it passes 2 h the
// scheduler escalates it to the county office, which the task row shows;
// done afterwards, it counts late.
func TestStandbySwitchEscalatesAndCountsLate(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	inc := ransomware(t, e)
	school := e.Actor(t, mustUser(t, e, "school_ops", "school", fenghuo.RoleUnitReporter))
	county := e.Actor(t, mustUser(t, e, "county_duty", "county", fenghuo.RoleDutyOfficer))

	e.Clock.Advance(90*time.Minute + time.Second)
	if res, err := e.App.Scheduler.Tick(ctx); err != nil || res.Reminded == 0 {
		t.Fatalf("tick at 1h30: %+v %v", res, err)
	}
	b, err := e.App.Tasks.Tasks(ctx, school, inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	sw := row(t, b, "ransomware/switch-to-standby")
	if sw.Obligation == nil || sw.Obligation.RemindedAt.IsZero() || !sw.Obligation.EscalatedAt.IsZero() || sw.Overdue(e.Clock.Now()) {
		t.Fatalf("at 1h30 the standby switch should be reminded, not escalated: %+v", sw.Obligation)
	}

	e.Clock.Advance(31 * time.Minute)
	if res, err := e.App.Scheduler.Tick(ctx); err != nil || res.Escalated == 0 {
		t.Fatalf("tick at 2h01: %+v %v", res, err)
	}
	b, err = e.App.Tasks.Tasks(ctx, county, inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	sw = row(t, b, "ransomware/switch-to-standby")
	if !sw.Overdue(e.Clock.Now()) || sw.Obligation.EscalatedAt.IsZero() || sw.EscalatedToName != e.Orgs["county"].Name ||
		sw.OwnerName != e.Orgs["school"].Name {
		t.Fatalf("after 2 h: overdue %v escalated %v to %q owner %q", sw.Overdue(e.Clock.Now()), sw.Obligation.EscalatedAt,
			sw.EscalatedToName, sw.OwnerName)
	}
	if !sw.CanAct {
		t.Error("the county office above the school cannot act on the school's task")
	}
	notes, err := e.DB.Notifications(ctx, e.Orgs["county"].ID, 0, 50)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, n := range notes {
		found = found || (n.Kind == "obligation.overdue" && strings.Contains(n.Title, "启用备用系统"))
	}
	if !found {
		t.Error("the county office was not told the standby switch is overdue")
	}

	// Done needs its evidence first; then it is done, late.
	if _, err := e.App.Tasks.SetState(ctx, school, sw.ID, fenghuo.TaskDone, ""); code(err) != "invalid:evidence" {
		t.Fatalf("done without evidence: %v", err)
	}
	attach(t, e, school, inc.ID, sw.ID)
	done, err := e.App.Tasks.SetState(ctx, school, sw.ID, fenghuo.TaskDone, "")
	if err != nil || done.State != fenghuo.TaskDone {
		t.Fatal(done, err)
	}
	b, _ = e.App.Tasks.Tasks(ctx, county, inc.ID)
	sw = row(t, b, "ransomware/switch-to-standby")
	if !sw.Late() || sw.Obligation.State != fenghuo.ObligationLate || len(sw.EvidenceIDs) != 1 {
		t.Errorf("done after 2 h: late %v, obligation %s, evidence %v", sw.Late(), sw.Obligation.State, sw.EvidenceIDs)
	}
	// A mandatory step cannot be set aside.
	if _, err := e.App.Tasks.SetState(ctx, school, row(t, b, "ransomware/do-not-pay").ID, fenghuo.TaskNotApplicable, "未被索要赎金"); code(err) != "conflict:" {
		t.Errorf("mandatory step not applicable: %v", err)
	}
}

// An office gives the unit an ad-hoc task with a due time: the unit is
// told, works on it and finishes it on time; a sibling unit sees nothing.
func TestAdHocTask(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	inc := ransomware(t, e)
	county := e.Actor(t, mustUser(t, e, "county_duty", "county", fenghuo.RoleDutyOfficer))
	school := e.Actor(t, mustUser(t, e, "school_ops", "school", fenghuo.RoleUnitReporter))
	other := e.Actor(t, mustUser(t, e, "school2_ops", "school2", fenghuo.RoleUnitReporter))
	due := e.Clock.Now().Add(4 * time.Hour)

	for _, c := range []struct {
		in   task.Input
		want string
	}{
		{task.Input{OwnerOrgID: e.Orgs["school"].ID, DueAt: due}, "invalid:title"},
		{task.Input{Title: "报送受影响终端清单", OwnerOrgID: e.Orgs["school"].ID, DueAt: e.Clock.Now().Add(-time.Minute)}, "invalid:due_at"},
		{task.Input{Title: "报送受影响终端清单", OwnerOrgID: e.Orgs["school2"].ID, DueAt: due}, "invalid:owner_org_id"},
		{task.Input{Title: "报送受影响终端清单", DueAt: due}, "invalid:owner_org_id"},
	} {
		if _, err := e.App.Tasks.AddTask(ctx, county, inc.ID, c.in); code(err) != c.want {
			t.Errorf("%+v: %v, want %s", c.in, err, c.want)
		}
	}
	if _, err := e.App.Tasks.AddTask(ctx, other, inc.ID, task.Input{Title: "x", OwnerOrgID: e.Orgs["school2"].ID}); code(err) != "not_found:" {
		t.Errorf("a sibling unit added a task: %v", err)
	}
	tk, err := e.App.Tasks.AddTask(ctx, county, inc.ID, task.Input{Title: "报送受影响终端清单", Text: "列出全部感染终端", OwnerOrgID: e.Orgs["school"].ID, DueAt: due})
	if err != nil {
		t.Fatal(err)
	}
	notes, _ := e.DB.Notifications(ctx, e.Orgs["school"].ID, 0, 50)
	told := false
	for _, n := range notes {
		told = told || (n.Kind == "task.assigned" && strings.Contains(n.Title, "报送受影响终端清单"))
	}
	if !told {
		t.Error("the school was not told of its new task")
	}
	has := func(ts []fenghuo.Task, id int64) bool {
		for _, x := range ts {
			if x.ID == id {
				return true
			}
		}
		return false
	}
	mine, err := e.App.Tasks.MyTasks(ctx, school, store.Page{Limit: 50})
	if err != nil || !has(mine, tk.ID) {
		t.Fatalf("my tasks: %v %v", mine, err)
	}
	if _, err := e.App.Tasks.SetState(ctx, other, tk.ID, fenghuo.TaskDone, ""); code(err) != "not_found:" {
		t.Errorf("a sibling unit finished the task: %v", err)
	}
	if _, err := e.App.Tasks.SetState(ctx, school, tk.ID, fenghuo.TaskInProgress, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := e.App.Tasks.SetState(ctx, school, tk.ID, fenghuo.TaskNotApplicable, ""); code(err) != "invalid:note" {
		t.Errorf("not applicable without a reason: %v", err)
	}
	if _, err := e.App.Tasks.Comment(ctx, school, tk.ID, "已统计23台", 0); err != nil {
		t.Fatal(err)
	}
	e.Clock.Advance(time.Hour)
	if _, err := e.App.Tasks.SetState(ctx, school, tk.ID, fenghuo.TaskDone, "清单已报"); err != nil {
		t.Fatal(err)
	}
	r, err := e.App.Tasks.Task(ctx, county, tk.ID)
	if err != nil {
		t.Fatal(err)
	}
	if r.State != fenghuo.TaskDone || r.Late() || r.Obligation.State != fenghuo.ObligationOnTime || len(r.Comments) != 1 ||
		r.Obligation.RecipientOrgID != e.Orgs["county"].ID {
		t.Errorf("ad-hoc task after done: %+v obligation %+v", r.Task, r.Obligation)
	}
	if mine, _ = e.App.Tasks.MyTasks(ctx, school, store.Page{Limit: 50}); has(mine, tk.ID) {
		t.Errorf("finished task still in my tasks: %v", mine)
	}
	// Every change left its audit entry.
	for _, action := range []string{"task.instantiate", "task.create", "task.state", "task.comment"} {
		res, err := e.DB.AuditEntries(ctx, store.AuditFilter{ActionPrefix: action}, store.Page{Limit: 10})
		if err != nil || len(res.Items) == 0 {
			t.Errorf("no audit entry %s: %v", action, err)
		}
	}
}

// A playbook step is one task per incident and activation even when two
// transactions add it at once: the store refuses the second.
func TestPlaybookStepIsUnique(t *testing.T) {
	e := apptest.New(t)
	ctx := context.Background()
	inc := ransomware(t, e)
	tasks, err := e.DB.IncidentTasks(ctx, inc.ID)
	if err != nil || len(tasks) == 0 {
		t.Fatal(tasks, err)
	}
	dup := tasks[0]
	dup.ID, dup.ObligationID = 0, 0
	err = e.DB.WithTx(ctx, func(tx *store.Tx) error { return tx.CreateTask(ctx, &dup, store.Duty{}) })
	if err == nil {
		t.Fatal("the same playbook step was stored twice")
	}
	// The step under another activation, or an ad-hoc task, is a new task.
	for _, edit := range []func(*fenghuo.Task){
		func(t *fenghuo.Task) { t.ActivationID = 99 },
		func(t *fenghuo.Task) { t.ActivationID, t.PlaybookID, t.StepID = 0, "", "" },
		func(t *fenghuo.Task) { t.ActivationID, t.PlaybookID, t.StepID = 0, "", "" },
	} {
		d := tasks[0]
		d.ID, d.ObligationID = 0, 0
		edit(&d)
		if err := e.DB.WithTx(ctx, func(tx *store.Tx) error { return tx.CreateTask(ctx, &d, store.Duty{}) }); err != nil {
			t.Fatal(err)
		}
	}
}

// A task's obligation cannot be closed with a note beside the task: the
// generic "mark done" refuses it, so the evidence rule cannot be bypassed.
func TestTaskObligationNotClosedByNote(t *testing.T) {
	e := apptest.New(t)
	ctx := context.Background()
	inc := ransomware(t, e)
	tasks, err := e.DB.IncidentTasks(ctx, inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	p := byStep(tasks)["ransomware/protect-and-isolate"]
	u, _ := e.User(t, "county-done", "county", fenghuo.RoleDutyOfficer)
	err = e.App.Incidents.CompleteObligation(ctx, e.Actor(t, u), p.ObligationID, "电话报告")
	if fenghuo.ErrorCode(err) != fenghuo.ECONFLICT || !strings.Contains(err.Error(), "/tasks") {
		t.Fatalf("closing a task's obligation by note: %v, want a conflict pointing at the tasks page", err)
	}
	got, err := e.DB.Task(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.State != fenghuo.TaskOpen {
		t.Errorf("task state %s after a refused note, want open", got.State)
	}
}
