package demo_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/app/demo"
	"fenghuo/internal/app/response"
	"fenghuo/internal/app/services"
	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/plan"
	"fenghuo/internal/store"
)

// storyEnv is an empty app with an evidence store, as serve has (apptest's
// app configures none): a second app over the same database and clock.
func storyEnv(t *testing.T) *apptest.Env {
	t.Helper()
	e := apptest.NewEmpty(t)
	cfg := app.DefaultConfig()
	cfg.EvidenceDir = filepath.Join(e.Dir, "evidence")
	e.App = services.New(app.Deps{DB: e.DB, Plans: e.App.Core.Plans(), Calendar: e.App.Core.Calendar(),
		Audit: apptest.TestChain(t), Sealer: e.App.Core.Sealer(), Config: cfg})
	e.App.SetClock(e.Clock.Now)
	return e
}

// The demo tells issue 11's story through the services: a ransomware
// incident at the county water company responding at level II (requested
// by the unit, activated by the county office) with its playbook tasks, some
// done and the standby switch overdue; and an older incident whose response
// ended with an end notice, with its recovery plan approved, investigation
// report awaiting the water authority, improvement measures and an
// accountability record. Every account sees its work; seeding again is
// refused; the audit chain verifies; the clock is back where it was.
func TestDemoStory(t *testing.T) {
	e := storyEnv(t)
	ctx := context.Background()
	accounts, err := e.App.Demo.SeedDemo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !e.App.Core.Now().Equal(e.Clock.Now()) {
		t.Fatalf("the clock is %v after seeding, want %v", e.App.Core.Now(), e.Clock.Now())
	}
	now := e.Clock.Now()
	as := map[string]*app.Actor{}
	for _, acc := range accounts {
		if _, err := e.App.Accounts.Login(ctx, acc.Username, acc.Password, "127.0.0.1", ""); err != nil {
			t.Errorf("demo account %s cannot log in: %v", acc.Username, err)
		}
		u, err := e.DB.UserByUsername(ctx, acc.Username)
		if err != nil {
			t.Fatal(err)
		}
		as[acc.Username] = e.Actor(t, u)
	}
	for _, name := range []string{"water-rep", "water-lead", "waterauth"} {
		if as[name] == nil {
			t.Fatalf("no demo account %s", name)
		}
	}
	county, rep, auth := as["qx-duty"], as["water-rep"], as["waterauth"]
	find := func(q string) *fenghuo.Incident {
		t.Helper()
		res, err := e.App.Incidents.Incidents(ctx, rep, store.IncidentFilter{Query: q}, store.Page{Limit: 5})
		if err != nil || len(res.Items) != 1 {
			t.Fatalf("incident %q: %+v %v", q, res.Items, err)
		}
		inc, err := e.App.Incidents.Incident(ctx, rep, res.Items[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		return inc
	}
	cur, old := find("勒索病毒"), find("木马")

	// The ransomware incident: grade II, reported to the county office,
	// public security and the water authority (not education).
	if cur.Grade != fenghuo.GradeII || cur.Status != fenghuo.StatusResponding || cur.ResponseLevel != fenghuo.GradeII {
		t.Errorf("current incident: grade %s status %s level %s", cur.Grade, cur.Status, cur.ResponseLevel)
	}
	_, deliveries, err := e.App.Incidents.Reports(ctx, rep, cur.ID)
	if err != nil {
		t.Fatal(err)
	}
	to := map[string]bool{}
	for _, d := range deliveries {
		o, err := e.DB.Org(ctx, d.ToOrgID)
		if err != nil {
			t.Fatal(err)
		}
		to[o.Name] = true
		if o.Sector == "education" {
			t.Errorf("the report went to %s", o.Name)
		}
	}
	for _, want := range []string{"青溪县委网络安全和信息化委员会办公室", "青溪县公安局", "青溪县水利局", "云州市委网络安全和信息化委员会办公室"} {
		if !to[want] {
			t.Errorf("reports delivered to %v, not to %s", to, want)
		}
	}
	// Its response: requested by the unit, activated by the county office,
	// with the command, the switches, the county's 24-hour duty (a gap,
	// nobody is rostered) and the support team on standby.
	v, err := e.App.Response.View(ctx, county, cur.ID)
	if err != nil {
		t.Fatal(err)
	}
	if v.Current == nil || v.Current.State != fenghuo.ResponseActive || v.Current.RequestedOrgID != rep.Org.ID ||
		v.Current.DecidedOrgID != county.Org.ID || !v.Current.ActivatedAt.Equal(now.Truncate(time.Minute).Add(-4*time.Hour)) {
		t.Errorf("current response: %+v", v.Current)
	}
	if v.Primary != response.ActionEnd || len(v.Members) < 4 || len(v.Approvals) != 1 || len(v.Recipients) == 0 {
		t.Errorf("response view: primary %q, %d members, approvals %+v, %d recipients", v.Primary, len(v.Members), v.Approvals, len(v.Recipients))
	}
	switches := map[string]bool{}
	for _, s := range v.Switches {
		switches[s.Key] = true
	}
	for _, k := range []string{plan.SwitchCommandPost, plan.SwitchDuty24h, plan.SwitchSituationReports, plan.SwitchSupportStandby} {
		if !switches[k] {
			t.Errorf("switch %s not applied: %v", k, switches)
		}
	}
	if len(v.Duties) == 0 || len(v.Duties[0].Gaps) == 0 {
		t.Errorf("the county's 24-hour duty and its gap: %+v", v.Duties)
	}
	if uv, err := e.App.Response.View(ctx, rep, cur.ID); err != nil || uv.Primary != "" || uv.Blocked.ZH == "" {
		t.Errorf("the unit's view: primary %q, blocked %q (%v)", uv.Primary, uv.Blocked.ZH, err)
	}
	// Its tasks: the ransomware and level II playbooks and the standby
	// task; some done with their evidence, the standby switch overdue and
	// escalating to the county office.
	board, err := e.App.Tasks.Tasks(ctx, county, cur.ID)
	if err != nil {
		t.Fatal(err)
	}
	done, standby := 0, false
	var overdue []string
	for _, r := range board.Rows {
		if r.State == fenghuo.TaskDone {
			done++
			if len(r.Evidence) > 0 && len(r.EvidenceIDs) == 0 {
				t.Errorf("task %s done without its evidence", r.StepID)
			}
		}
		if r.Overdue(now) {
			overdue = append(overdue, r.StepID)
		}
		standby = standby || strings.HasPrefix(r.StepID, response.StandbyStep)
	}
	// Nothing else of the story is overdue: the unit's duties to offices
	// off the platform were met by fax.
	for _, inc := range []*fenghuo.Incident{cur, old} {
		obs, err := e.App.Incidents.IncidentObligations(ctx, county, inc.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range obs {
			if o.State == fenghuo.ObligationOpen && !o.DueAt.IsZero() && !o.DueAt.After(now) && !(inc == cur && o.Kind == store.ObligationKindTask) {
				t.Errorf("incident %d: duty %q overdue since %v", inc.ID, o.Title, o.DueAt)
			}
		}
	}
	if done < 4 || len(overdue) != 1 || overdue[0] != "switch-to-standby" || !standby {
		t.Errorf("tasks: %d done, overdue %v, standby task %v (%d rows)", done, overdue, standby, len(board.Rows))
	}

	// The older incident: its response ended with an end notice to the
	// parties told at activation; its post-response deadlines are running.
	ov, err := e.App.Response.View(ctx, county, old.ID)
	if err != nil {
		t.Fatal(err)
	}
	if old.Status != fenghuo.StatusRecovering || ov.Current == nil || ov.Current.State != fenghuo.ResponseEnded || ov.Current.EndNotice == "" {
		t.Fatalf("older incident: status %s, response %+v", old.Status, ov.Current)
	}
	notice, err := e.App.Response.EndNotice(ctx, county, old.ID, ov.Current.ID)
	if err != nil || len(notice.Recipients) == 0 {
		t.Errorf("end notice: %+v %v", notice, err)
	}
	docs, err := e.App.Aftermath.Documents(ctx, auth, old.ID)
	if err != nil {
		t.Fatal(err)
	}
	state := map[string]string{}
	for _, d := range docs.Documents {
		if d.Current != nil {
			state[d.Kind] = d.Current.State
		}
		switch d.Kind {
		case fenghuo.DocInvestigation:
			if d.Next < 0 || d.Chain.Stages[d.Next].Org.ID != auth.Org.ID || d.Action != "approve" {
				t.Errorf("the investigation report waits at stage %d, action %q for the water authority", d.Next, d.Action)
			}
			if due := d.Due(); !due.After(now) || due.Sub(ov.Current.EndedAt) < 30*24*time.Hour || due.Sub(ov.Current.EndedAt) > 31*24*time.Hour {
				t.Errorf("investigation due %v, response ended %v", due, ov.Current.EndedAt)
			}
		case fenghuo.DocSummary:
			if d.Due().IsZero() || !d.Due().After(now) {
				t.Errorf("summary due %v", d.Due())
			}
		}
	}
	if state[fenghuo.DocRecoveryPlan] != fenghuo.DocApproved || state[fenghuo.DocInvestigation] != fenghuo.DocSubmitted {
		t.Errorf("documents: %v", state)
	}
	if len(docs.Improvements) != 3 || len(docs.Records) != 1 || docs.Records[0].Kind != fenghuo.RecordAccountability {
		t.Errorf("%d improvements, records %+v", len(docs.Improvements), docs.Records)
	}
	for _, m := range docs.Improvements {
		if m.OwnerOrgID != rep.Org.ID || m.OwnerUserID != rep.User.ID || !m.DueAt.After(now) {
			t.Errorf("improvement %+v", m)
		}
	}
	if mine, err := e.App.Aftermath.MyImprovements(ctx, rep, store.Page{Limit: 10}); err != nil || len(mine) != 3 {
		t.Errorf("the water company's open measures: %d (%v)", len(mine), err)
	}

	// Home pages: the offices and the unit see the incidents, their tasks
	// and duties.
	for _, name := range []string{"commander", "duty", "qx-duty", "viewer", "water-rep", "water-lead", "waterauth"} {
		n, _, err := e.App.Incidents.CountIncidents(ctx, as[name], store.IncidentFilter{Open: true})
		if err != nil || n < demo.StoryIncidents {
			t.Errorf("%s sees %d open incidents (%v)", name, n, err)
		}
	}
	if ts, err := e.App.Tasks.MyTasks(ctx, rep, store.Page{Limit: 10}); err != nil || len(ts) == 0 || ts[0].StepID != "switch-to-standby" {
		t.Errorf("the water company's tasks on its home page: %+v (%v)", ts, err)
	}
	// The water authority owes the situation reports (§4.2.2(2)).
	if ds, err := e.App.Incidents.MyDuties(ctx, auth, 10); err != nil || ds.Total == 0 {
		t.Errorf("the water authority has no duties on its home page (%v)", err)
	}
	if notes, err := e.DB.Notifications(ctx, auth.Org.ID, auth.User.ID, 10); err != nil || len(notes) == 0 {
		t.Errorf("the water authority has no notices (%v)", err)
	}

	// Every account's home page has something of its own: the incident
	// accounts their open incidents, inbox, duties or tasks; the
	// administrators the org tree (the home page's counts, by the same
	// use cases). The city monitoring centre's analyst has no part in the
	// story: its home page shows its org and plans only.
	for _, acc := range accounts {
		ac := as[acc.Username]
		var n int
		if ac.Can(fenghuo.PermIncidentRead) && acc.Username != "analyst" {
			open, _, err := e.App.Incidents.CountIncidents(ctx, ac, store.IncidentFilter{Open: true})
			inbox, err2 := e.App.Incidents.Inbox(ctx, ac, store.Page{Limit: 1})
			duties, err3 := e.App.Incidents.MyDuties(ctx, ac, 10)
			tasks, err4 := e.App.Tasks.MyTasks(ctx, ac, store.Page{Limit: 10})
			if err != nil || err2 != nil || err3 != nil || err4 != nil {
				t.Fatal(err, err2, err3, err4)
			}
			n = open + inbox.Total + duties.Total + len(tasks)
		} else {
			orgs, err := e.App.Directory.Orgs(ctx, ac, store.OrgFilter{}, store.Page{Limit: 1})
			if err != nil {
				t.Fatal(err)
			}
			n = orgs.Total
		}
		if n == 0 {
			t.Errorf("%s has nothing on its home page", acc.Username)
		}
	}

	if _, err := e.App.Demo.SeedDemo(ctx); fenghuo.ErrorCode(err) != fenghuo.ECONFLICT {
		t.Errorf("seeding twice: %v", err)
	}
	if res, err := e.App.AuditLog.VerifyAudit(ctx, nil); err != nil || !res.OK {
		t.Fatalf("audit verify after the story: %+v %v", res, err)
	}
	for _, id := range []int64{cur.ID, old.ID} {
		if _, broken, err := e.DB.Timeline(ctx, id); err != nil || broken != 0 {
			t.Errorf("incident %d timeline broken at %d (%v)", id, broken, err)
		}
	}
}
