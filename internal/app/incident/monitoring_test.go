package incident_test

import (
	"context"
	"fenghuo/internal/app/incident"
	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
	"testing"
	"time"
)

func TestMonitoringOpensDraftsAndTracksOutages(t *testing.T) {
	e := apptest.New(t)
	ctx := context.Background()
	portal := &fenghuo.System{OrgID: e.Orgs["school"].ID, Name: "学校门户网站"}
	if err := e.DB.CreateSystem(ctx, portal); err != nil {
		t.Fatal(err)
	}
	inc, created, err := e.App.Incidents.OpenDraftFromAlert(ctx, incident.MonitorAlert{SystemID: portal.ID, Kind: "hidden_link",
		Source: "monitor:1:hidden_link", Summary: "仅对百度蜘蛛显示的赌博暗链"})
	if err != nil || !created {
		t.Fatalf("%v %v", created, err)
	}
	if inc.Status != fenghuo.StatusDraft || inc.Channel != fenghuo.ChannelMonitoring || inc.Category != "NAI" || inc.Title != "暗链植入：学校门户网站" {
		t.Fatalf("draft %+v", inc)
	}
	again, created, err := e.App.Incidents.OpenDraftFromAlert(ctx, incident.MonitorAlert{SystemID: portal.ID, Kind: "hidden_link", Source: "monitor:1:hidden_link"})
	if err != nil || created || again.ID != inc.ID {
		t.Fatalf("a repeated alert opened another incident: %v %v", created, err)
	}
	start := e.Clock.Now()
	e.Clock.Advance(35 * time.Minute)
	out, err := e.App.Incidents.UpdateOutage(ctx, portal.ID, "monitor:1:outage", start, e.Clock.Now(), true)
	if err != nil {
		t.Fatal(err)
	}
	if out.Facts["outage_minutes"] != 35.0 || out.Facts["site_unreachable_minutes"] != 35.0 || out.Category != "SHF" {
		t.Fatalf("outage incident %+v", out)
	}
	// A long outage of a city portal grades up under the national rule.
	city := &fenghuo.System{OrgID: e.Orgs["city"].ID, Name: "市政府门户网站"}
	e.DB.CreateSystem(ctx, city)
	out, err = e.App.Incidents.UpdateOutage(ctx, city.ID, "monitor:2:outage", start, start.Add(130*time.Minute), false)
	if err != nil {
		t.Fatal(err)
	}
	hist, _ := e.DB.GradeHistory(ctx, out.ID)
	if len(hist) == 0 {
		t.Fatalf("no grading history")
	}
}
