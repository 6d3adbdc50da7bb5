package demo_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"fenghuo/internal/app/demo"
	"fenghuo/internal/demofarm"
	"fenghuo/internal/monitor"
	"fenghuo/internal/store"
)

// The demo's monitors watch the site farm: seeding leaves each with its
// baseline learnt from half an hour of clean checks and due now; once the
// farm is attacked, three rounds of checks (one identity each, in turn)
// find the outage, the defacement and the hidden link served to
// Baiduspider, and a confirming round opens the drafts. The farm's addresses are found again from the monitors.
func TestDemoMonitorsOnTheSiteFarm(t *testing.T) {
	e := storyEnv(t)
	ctx := context.Background()
	if _, err := e.App.Demo.SeedDemo(ctx); err != nil {
		t.Fatal(err)
	}
	farm, err := demofarm.Start(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer farm.Close()
	if err := e.App.Demo.SeedDemoMonitors(ctx, farm.Sites()); err != nil {
		t.Fatal(err)
	}
	now := e.Clock.Now()
	if !e.App.Core.Now().Equal(now) {
		t.Fatalf("the clock is %v after seeding the monitors, want %v", e.App.Core.Now(), now)
	}
	ms, err := e.DB.MonitorsOf(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != len(demofarm.Keys) {
		t.Fatalf("%d monitors, want one per farm site", len(ms))
	}
	for _, m := range ms {
		res, err := e.DB.MonitorResults(ctx, m.ID, 100)
		if err != nil {
			t.Fatal(err)
		}
		if m.BaselineSnapshots < 3 || m.Status != "up" || m.NextDueAt.After(now) || len(res) < 25 {
			t.Errorf("monitor %s: baseline %d, status %q, due %v (now %v), %d checks", m.URL, m.BaselineSnapshots, m.Status, m.NextDueAt, now, len(res))
		}
		for _, r := range res {
			if r.Verdict == "tampered" || !r.OK {
				t.Errorf("monitor %s: a past check found %s %s", m.URL, r.Verdict, r.Error)
			}
		}
	}
	addrs, err := e.App.Demo.FarmAddresses(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range farm.Sites() {
		if !strings.Contains(s.URL, "//"+addrs[s.Key]+"/") {
			t.Errorf("farm address of %s: %q, site at %s", s.Key, addrs[s.Key], s.URL)
		}
	}

	farm.Attack()
	checker := &monitor.Service{DB: e.DB, Sink: e.App.Monitoring.MonitorSink(), Now: e.Clock.Now, Client: monitor.NewClient(5*time.Second, nil, true)}
	// A check fetches the page as one identity in turn (browser, Baiduspider,
	// Baidu referer), so every kind of attack is seen within three rounds.
	found := map[string]bool{}
	for round := 1; round <= 3; round++ {
		if round > 1 {
			e.Clock.Advance(demo.FarmInterval)
		}
		if n, err := checker.RunOnce(ctx); err != nil || n != len(ms) {
			t.Fatalf("live round %d checked %d: %v", round, n, err)
		}
		ms, _ = e.DB.MonitorsOf(ctx, "")
		for _, m := range ms {
			if m.Status == "down" {
				found["down"] = true
			}
			res, _ := e.DB.MonitorResults(ctx, m.ID, 1)
			for _, kind := range []string{"defacement", "hidden_link", "cloaking"} {
				if len(res) == 1 && res[0].Verdict == "tampered" && strings.Contains(res[0].Findings, `"`+kind+`"`) {
					found[kind] = true
				}
			}
		}
	}
	for _, want := range []string{"down", "defacement", "hidden_link", "cloaking"} {
		if !found[want] {
			t.Errorf("three checks after the attack found no %s", want)
		}
	}
	// A finding is confirmed by the next check, which drafts the incident.
	var joined string
	for round := 0; round < 2; round++ {
		e.Clock.Advance(demo.FarmInterval)
		if _, err := checker.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		drafts, err := e.DB.Incidents(ctx, store.IncidentFilter{Query: "青溪"}, store.Page{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		titles := []string{}
		for _, inc := range drafts.Items {
			if inc.Channel == "monitoring" {
				titles = append(titles, inc.Title)
			}
		}
		joined = strings.Join(titles, " | ")
		if strings.Contains(joined, "暗链植入") {
			break
		}
	}
	for _, want := range []string{"网页篡改", "暗链植入", "网站无法访问"} {
		if !strings.Contains(joined, want) {
			t.Errorf("no %s draft after the confirming check: %s", want, joined)
		}
	}
}
