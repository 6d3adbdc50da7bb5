package task_test

import (
	"context"
	"testing"
	"time"

	"fenghuo/internal/app/incident"
	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/plan"
	"fenghuo/internal/store"
)

// ransomware files a grade II malware incident (GB/Z 20986-2007 MI: the
// ransomware and mass-virus playbooks of wushen-county) for the school,
// discovered at the clock's time.
func ransomware(t *testing.T, e *apptest.Env) *fenghuo.Incident {
	t.Helper()
	rep, _ := e.User(t, "school_rep", "school", fenghuo.RoleUnitReporter)
	inc, err := e.App.Incidents.CreateIncident(context.Background(), e.Actor(t, rep), incident.IncidentInput{
		OrgID: e.Orgs["school"].ID, Title: "教务系统服务器被勒索病毒加密", Category: "MI",
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
		"ransomware/restore-from-offline-backup", "ransomware/keep-evidence", "mass-virus/isolate", "mass-virus/report-and-recover"} {
		if _, ok := steps[s]; !ok {
			t.Errorf("no task for step %s", s)
		}
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
			plan.TaskInput{Trigger: plan.TriggerReport, Category: "MI", Anchors: plan.Anchors{Discovery: inc.DiscoveredAt}}, 0)
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
