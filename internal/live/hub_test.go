package live_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"fenghuo/internal/app/incident"
	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/live"
	"fenghuo/internal/plan"
	"fenghuo/internal/store"
)

func fullReport(kind string) incident.ReportInput {
	c := map[string]string{}
	for _, id := range []string{"unit_and_system", "event_details", "development", "preliminary_cause", "tracing_leads",
		"further_measures", "scene_protection", "other", "occurred_time", "unit", "people_affected_text", "expected_loss",
		"system_overview", "department", "system_name", "protection_level", "grade", "category", "occurred_at", "ended_at",
		"description", "scope", "measures", "result", "reporting_unit", "reporter", "phone"} {
		c[id] = "内容：" + id
	}
	return incident.ReportInput{Kind: kind, Content: c, Signer: "张校长", ReporterName: "李老师", ReporterPhone: "0477-7581234"}
}

func newHub(t *testing.T, db *store.DB) *live.Hub {
	h := live.New(db, time.Now, nil)
	h.Poll = 50 * time.Millisecond
	return h
}

// collect reads sub until quiet has passed with nothing new, or until an
// event of kind until arrives (then it waits no longer).
func collect(sub *live.Sub, until string, deadline time.Duration) []store.LiveEvent {
	var got []store.LiveEvent
	timer := time.NewTimer(deadline)
	defer timer.Stop()
	for {
		select {
		case e := <-sub.C:
			got = append(got, e)
			if e.Kind == until {
				return got
			}
		case <-timer.C:
			return got
		}
	}
}

func kinds(evs []store.LiveEvent) map[string]int {
	m := map[string]int{}
	for _, e := range evs {
		m[e.Kind]++
	}
	return m
}

// A school files an initial report: the county office it reports to and
// the city above get the events, the sibling county gets none of them.
func TestHubFansOutWithinScope(t *testing.T) {
	e := apptest.New(t)
	ctx := context.Background()
	h := newHub(t, e.DB)
	subscribe := func(key string) *live.Sub {
		s, err := h.Subscribe(ctx, e.Orgs[key].ID, e.Orgs[key].Path, "")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(s.Close)
		return s
	}
	county, county2, city, school := subscribe("county"), subscribe("county2"), subscribe("city"), subscribe("school")

	u, _ := e.User(t, "school-rep", "school", fenghuo.RoleUnitReporter)
	rep := e.Actor(t, u)
	inc, err := e.App.Incidents.CreateIncident(ctx, rep, incident.IncidentInput{OrgID: e.Orgs["school"].ID, Title: "学校门户网站首页被篡改",
		Category: "IAI", OccurredAt: e.Clock.Now().Add(-10 * time.Minute), DiscoveredAt: e.Clock.Now(),
		Facts: plan.Facts{"social_impact": "serious", "defacement_homepage_minutes": 40.0}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.App.Incidents.SubmitReport(ctx, rep, inc.ID, fullReport(fenghuo.ReportInitial)); err != nil {
		t.Fatal(err)
	}

	got := collect(county, "report.initial", 5*time.Second)
	k := kinds(got)
	if k["report.initial"] != 1 || k["incident.created"] != 1 {
		t.Fatalf("county office got %v, want the incident and its initial report", k)
	}
	for _, ev := range got {
		if ev.Kind == "report.initial" && (ev.OrgID != e.Orgs["county"].ID || ev.Link == "" || ev.Subject == "") {
			t.Errorf("initial report event %+v: want the county's, with a link and a subject", ev)
		}
	}
	if k := kinds(collect(city, "report.initial", 5*time.Second)); k["report.initial"] != 1 {
		t.Errorf("city office got %v, want the initial report delivered below it", k)
	}
	if k := kinds(collect(school, "report.filed", 5*time.Second)); k["report.filed"] != 1 || k["report.initial"] != 0 {
		t.Errorf("school got %v, want its own filing and not the county's delivery", k)
	}
	// The county signs for it and forwards it: the city office is told of
	// an initial report of its own (the county hears of its signature).
	duty, _ := e.User(t, "county-duty", "county", fenghuo.RoleDutyOfficer)
	officer := e.Actor(t, duty)
	inbox, err := e.App.Incidents.Inbox(ctx, officer, store.Page{Limit: 10})
	if err != nil || len(inbox.Items) != 1 {
		t.Fatalf("county inbox %+v %v", inbox, err)
	}
	if err := e.App.Incidents.ReceiveReport(ctx, officer, inbox.Items[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.App.Incidents.ForwardReport(ctx, officer, inbox.Items[0].ID, 0, ""); err != nil {
		t.Fatal(err)
	}
	forwarded := collect(city, "report.forwarded", 5*time.Second)
	var toCity bool
	for _, ev := range forwarded {
		toCity = toCity || (ev.Kind == "report.initial" && ev.OrgID == e.Orgs["city"].ID)
	}
	if k := kinds(forwarded); !toCity || k["report.signed"] != 1 {
		t.Errorf("city office got %v after the forward, want its own initial report and the county's signature", k)
	}
	// The sibling county: nothing at all (the others arrived, so the hub
	// has dispatched the whole batch).
	if got := collect(county2, "", 300*time.Millisecond); len(got) != 0 {
		t.Errorf("sibling county got %v", got)
	}
}

// Another replica's hub, or a restarted one, reads the same feed: an event
// written through one application reaches a hub over another handle of
// the database, and Since replays what a reconnecting page missed.
func TestHubAcrossReplicasAndRestart(t *testing.T) {
	dsn := apptest.DSN(t)
	dbA, appA := apptest.OpenApp(t, dsn)
	dbB, _ := apptest.OpenApp(t, dsn)
	ctx := context.Background()
	city := &fenghuo.Org{Name: "测试市委网信办", Level: fenghuo.LevelCity, Type: fenghuo.OrgRegulator}
	if err := dbA.CreateOrg(ctx, city); err != nil {
		t.Fatal(err)
	}
	county := &fenghuo.Org{ParentID: city.ID, Name: "甲县委网信办", Level: fenghuo.LevelCounty, Type: fenghuo.OrgRegulator}
	if err := dbA.CreateOrg(ctx, county); err != nil {
		t.Fatal(err)
	}
	announce := func(kind string) {
		t.Helper()
		if err := dbA.WithTx(ctx, func(tx *store.Tx) error {
			return appA.Core.Announce(ctx, tx, store.LiveEvent{OrgID: county.ID, Kind: kind, Subject: kind})
		}); err != nil {
			t.Fatal(err)
		}
	}
	announce("warning.issued")
	hubB := newHub(t, dbB)
	sub, err := hubB.Subscribe(ctx, 1, city.Path, "")
	if err != nil {
		t.Fatal(err)
	}
	announce("report.initial")
	got := collect(sub, "report.initial", 5*time.Second)
	if len(got) != 1 || got[0].Kind != "report.initial" {
		t.Fatalf("replica B's hub got %+v, want only the event after it subscribed", got)
	}
	last := got[0].ID
	sub.Close()

	// The page is gone (a restart, a lost connection); two changes happen.
	announce("incident.status")
	announce("obligation.overdue")
	restarted := newHub(t, dbB)
	missed, err := restarted.Since(ctx, last, city.Path, 50)
	if err != nil {
		t.Fatal(err)
	}
	if len(missed) != 2 || missed[0].Kind != "incident.status" || missed[1].Kind != "obligation.overdue" {
		t.Fatalf("replayed %+v", missed)
	}
	if other, _ := restarted.Since(ctx, last, "/999/", 50); len(other) != 0 {
		t.Errorf("a reader of another subtree replays %+v", other)
	}
}

// A log-out ends that session's streams only; the per-user cap refuses one
// stream too many.
func TestHubSessionEndAndCap(t *testing.T) {
	e := apptest.New(t)
	ctx := context.Background()
	h := newHub(t, e.DB)
	h.MaxPerUser = 2
	u, _ := e.User(t, "county-duty", "county", fenghuo.RoleDutyOfficer)
	ac := e.Actor(t, u)
	ac.SessionHash = "hash-one"
	one, err := h.Subscribe(ctx, u.ID, ac.Org.Path, "hash-one")
	if err != nil {
		t.Fatal(err)
	}
	defer one.Close()
	two, err := h.Subscribe(ctx, u.ID, ac.Org.Path, "hash-two")
	if err != nil {
		t.Fatal(err)
	}
	defer two.Close()
	if _, err := h.Subscribe(ctx, u.ID, ac.Org.Path, "hash-three"); !errors.Is(err, live.ErrTooMany) {
		t.Fatalf("third stream: %v, want ErrTooMany", err)
	}
	if err := e.DB.WithTx(ctx, func(tx *store.Tx) error {
		return e.App.Core.Record(ctx, tx, ac, "auth.logout", "user", "1", "success", nil)
	}); err != nil {
		t.Fatal(err)
	}
	select {
	case <-one.Ended:
	case <-time.After(5 * time.Second):
		t.Fatal("the logged-out session's stream did not end")
	}
	select {
	case <-two.Ended:
		t.Fatal("another session's stream ended")
	case ev := <-two.C:
		t.Fatalf("the log-out reached a subscriber as %+v", ev)
	case <-time.After(300 * time.Millisecond):
	}
	// Closing one frees a place under the cap.
	one.Close()
	three, err := h.Subscribe(ctx, u.ID, ac.Org.Path, "hash-three")
	if err != nil {
		t.Fatalf("after a close: %v", err)
	}
	three.Close()
}
