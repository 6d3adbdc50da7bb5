package demo_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"fenghuo/internal/app/incident"
	"fenghuo/internal/calendar"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// The demo is alive on its first start (issue 13 item 7): open incidents
// with their clocks in the states a duty office meets — a grade I whose
// initial report is overdue, a grade II due within the hour, one awaiting
// the county office's forwarding, the story's pending continued report, one
// closed today — the county's warnings part-acknowledged, today's daily
// reports of the protection period part-filed, and someone on duty now at
// the city and at Baisha county.
func TestDemoClocksRunning(t *testing.T) {
	e := storyEnv(t)
	ctx := context.Background()
	accounts, err := e.App.Demo.SeedDemo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	now := e.Clock.Now()
	if !e.App.Core.Now().Equal(now) {
		t.Fatalf("the clock is %v after seeding, want %v", e.App.Core.Now(), now)
	}
	hasAccount := false
	for _, a := range accounts {
		hasAccount = hasAccount || a.Username == "hospital-rep" && a.Org == "青溪县人民医院"
	}
	if !hasAccount {
		t.Errorf("no hospital-rep account among %+v", accounts)
	}
	all, err := e.DB.Incidents(ctx, store.IncidentFilter{}, store.Page{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, row := range all.Items {
		inc, err := e.DB.Incident(ctx, row.ID)
		if err != nil {
			t.Fatal(err)
		}
		obs, err := e.DB.Obligations(ctx, store.ObligationFilter{IncidentID: inc.ID, State: fenghuo.ObligationOpen}, store.Page{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range obs.Items {
			due := o.DueAt.Sub(now)
			switch {
			case inc.Grade == fenghuo.GradeI && o.Kind == incident.KindReport && o.Overdue(now) && inc.ReportedAt.IsZero():
				seen["grade I initial report overdue"] = true
			case inc.Grade == fenghuo.GradeII && o.Kind == incident.KindReport && due > 0 && due <= time.Hour && inc.ReportedAt.IsZero():
				seen["grade II report due within the hour"] = true
			case o.Kind == incident.KindForward:
				seen["awaiting the office's forwarding"] = true
			case o.Kind == "situation_report":
				seen["continued report pending"] = true
			}
		}
		if inc.Status == fenghuo.StatusClosed && now.Sub(inc.HandlingEndedAt) < 24*time.Hour {
			seen["closed today"] = true
		}
	}
	for _, want := range []string{"grade I initial report overdue", "grade II report due within the hour", "awaiting the office's forwarding",
		"continued report pending", "closed today"} {
		if !seen[want] {
			t.Errorf("no open incident with %s", want)
		}
	}

	ws, err := e.DB.WarningsVisible(ctx, "", store.Page{Limit: 20})
	if err != nil {
		t.Fatal(err)
	}
	partial := 0
	for _, w := range ws.Items {
		ts, err := e.DB.WarningTargets(ctx, w.ID)
		if err != nil {
			t.Fatal(err)
		}
		acked := 0
		for _, tg := range ts {
			if !tg.AckedAt.IsZero() {
				acked++
			}
		}
		if acked > 0 && acked < len(ts) {
			partial++
		}
		if strings.Contains(w.Title, "暗链") && (len(ts) < 4 || acked*2 < len(ts)-1) {
			t.Errorf("the hidden-link warning has %d targets, %d acknowledged", len(ts), acked)
		}
	}
	if partial < 2 {
		t.Errorf("%d warnings are part-acknowledged, want the county's two", partial)
	}

	today := now.In(calendar.Shanghai).Format("2006-01-02")
	daily, err := e.DB.Obligations(ctx, store.ObligationFilter{Kind: "daily_report"}, store.Page{Limit: store.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	filed, missing := 0, 0
	for _, o := range daily.Items {
		if o.RuleID != today {
			continue
		}
		if o.State == fenghuo.ObligationOpen {
			missing++
		} else {
			filed++
		}
	}
	if filed == 0 || missing == 0 {
		t.Errorf("today's daily reports: %d filed, %d missing; want some of each", filed, missing)
	}

	for _, key := range []string{"云州市委网络安全和信息化委员会办公室", "白沙县委网络安全和信息化委员会办公室"} {
		orgs, err := e.DB.SubtreeOrgs(ctx, 0, store.OrgFilter{Query: key}, store.Page{Limit: 1})
		if err != nil || len(orgs.Items) != 1 {
			t.Fatalf("org %s: %v", key, err)
		}
		shifts, err := e.DB.DutyShifts(ctx, orgs.Items[0].ID, now, now.Add(time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		if len(shifts) == 0 || shifts[0].Officer == "" {
			t.Errorf("nobody on duty now at %s: %+v", key, shifts)
		}
	}
}
