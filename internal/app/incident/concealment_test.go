package incident_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"fenghuo/internal/app/incident"
	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/plan"
)

// Issue 11 item 5: an incident an office opens for a unit after the unit's
// report was due is marked as suspected concealment at once, with the
// reason and time; one it opens before the deadline is marked by the
// scheduler when the unit lets the deadline pass unreported; a unit's own
// late report is late (迟报), never concealment; the counts per unit come
// out of ReportingSignals for the county's subtree and period.
func TestSuspectedConcealment(t *testing.T) {
	e := apptest.New(t)
	ctx := context.Background()
	hospRep, _ := e.User(t, "hrep", "hospital", fenghuo.RoleUnitReporter)
	countyDuty, _ := e.User(t, "duty", "county", fenghuo.RoleDutyOfficer)
	duty := e.Actor(t, countyDuty)
	start := e.Clock.Now()
	facts := plan.Facts{"social_impact": "relatively_serious"} // grade III: cac-2025 4 h to the province

	// Discovered five hours ago, opened now by the county: past due.
	late, err := e.App.Incidents.CreateIncident(ctx, duty, incident.IncidentInput{OrgID: e.Orgs["school"].ID, Title: "上级通报的网站篡改",
		DiscoveredAt: start.Add(-5 * time.Hour), Facts: facts})
	if err != nil || late.Grade != fenghuo.GradeIII {
		t.Fatalf("%v %+v", err, late)
	}
	m, err := e.App.Incidents.Concealment(ctx, duty, late.ID)
	if err != nil || !m.MarkedAt.Equal(start) || m.UnitOrgID != e.Orgs["school"].ID || !strings.Contains(m.Reason, "甲县委网信办登记") ||
		!strings.Contains(m.Reason, "cac-2025") {
		t.Fatalf("mark at creation: %+v %v", m, err)
	}
	entries, _, _ := e.App.Incidents.Timeline(ctx, duty, late.ID)
	found := false
	for _, x := range entries {
		found = found || x.Kind == "concealment" && strings.Contains(x.Body, "疑似瞒报")
	}
	if !found {
		t.Error("the mark is not on the incident's timeline")
	}

	// Opened by the county now, due in 4 h: not yet; the scheduler marks it
	// when the deadline passes with no report from the school.
	fresh, err := e.App.Incidents.CreateIncident(ctx, duty, incident.IncidentInput{OrgID: e.Orgs["school"].ID, Title: "监管发现的数据泄露",
		DiscoveredAt: start, Facts: facts})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.App.Incidents.Concealment(ctx, duty, fresh.ID); fenghuo.ErrorCode(err) != fenghuo.ENOTFOUND {
		t.Fatalf("marked before the deadline: %v", err)
	}
	// The hospital files its own incident and reports it late: 迟报 only.
	hosp := e.Actor(t, hospRep)
	own, err := e.App.Incidents.CreateIncident(ctx, hosp, incident.IncidentInput{OrgID: e.Orgs["hospital"].ID, Title: "HIS中断",
		OccurredAt: start, DiscoveredAt: start, Facts: plan.Facts{"important_system": true, "outage_minutes": 90.0, "people_affected": 150000.0}})
	if err != nil {
		t.Fatal(err)
	}
	e.Clock.Advance(5 * time.Hour)
	if _, err := e.App.Scheduler.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	m, err = e.App.Incidents.Concealment(ctx, duty, fresh.ID)
	if err != nil || !m.MarkedAt.Equal(e.Clock.Now()) || m.MarkedBy != 0 {
		t.Fatalf("mark by the scheduler: %+v %v", m, err)
	}
	if _, err := e.App.Incidents.SubmitReport(ctx, hosp, own.ID, fullReport(fenghuo.ReportInitial)); err != nil {
		t.Fatal(err)
	}
	if _, err := e.App.Incidents.Concealment(ctx, duty, own.ID); fenghuo.ErrorCode(err) != fenghuo.ENOTFOUND {
		t.Errorf("a unit's own late report marked as concealment: %v", err)
	}
	// A second pass marks nothing twice.
	if _, err := e.App.Scheduler.Tick(ctx); err != nil {
		t.Fatal(err)
	}

	sig, err := e.App.Incidents.ReportingSignals(ctx, duty, start.Add(-24*time.Hour), start.Add(24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	got := map[int64]fenghuo.ReportingSignals{}
	for _, s := range sig {
		got[s.OrgID] = s
	}
	if s := got[e.Orgs["school"].ID]; s.Conceal != 2 || s.Missed == 0 {
		t.Errorf("school signals %+v", s)
	}
	if s := got[e.Orgs["hospital"].ID]; s.Late == 0 || s.Conceal != 0 {
		t.Errorf("hospital signals %+v", s)
	}
	// A unit sees only its own; a window the wrong way round is refused.
	mine, err := e.App.Incidents.ReportingSignals(ctx, hosp, start.Add(-24*time.Hour), start.Add(24*time.Hour))
	if err != nil || len(mine) != 1 || mine[0].OrgID != e.Orgs["hospital"].ID {
		t.Errorf("hospital sees %+v %v", mine, err)
	}
	if _, err := e.App.Incidents.ReportingSignals(ctx, duty, start, start.Add(-time.Hour)); fenghuo.ErrorCode(err) != fenghuo.EINVALID {
		t.Errorf("reversed window: %v", err)
	}
}
