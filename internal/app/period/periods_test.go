package period_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"fenghuo/internal/app"
	"fenghuo/internal/app/incident"
	"fenghuo/internal/app/period"
	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
)

// The issue-5 daily-report acceptance: a period 09-21 to 10-07 with a
// 13:00 cut-off; on one day ten units report 平安, one reports an incident,
// one reports at 13:05 and one never reports. Board and XLSX show ten on
// time, one incident, one late, one missing.
func TestDailyBoard(t *testing.T) {
	e := apptest.New(t)
	ctx := context.Background()
	at := func(s string) time.Time { return apptest.ShanghaiTime(t, s) }
	e.Clock.Set(at("2026-09-18 10:00"))
	var units []int64
	var reporters []*app.Actor
	for i := 0; i < 13; i++ {
		o := e.Unit(t, fmt.Sprintf("u%02d", i), fmt.Sprintf("甲县第%02d保障单位", i), "", "")
		units = append(units, o.ID)
		u, _ := e.User(t, fmt.Sprintf("reporter-%02d", i), fmt.Sprintf("u%02d", i), fenghuo.RoleUnitReporter)
		reporters = append(reporters, e.Actor(t, u))
	}
	commander, _ := e.User(t, "county-commander", "county", fenghuo.RoleCommander)
	county := e.Actor(t, commander)

	if _, err := e.App.Periods.CreatePeriod(ctx, county, period.PeriodInput{Name: "国庆", FirstDay: "2026-10-07", LastDay: "2026-09-21", UnitIDs: units}); err == nil {
		t.Error("a period ending before it starts was accepted")
	}
	if _, err := e.App.Periods.CreatePeriod(ctx, county, period.PeriodInput{Name: "国庆", FirstDay: "2026-10-07", LastDay: "2026-10-06", UnitIDs: units}); err == nil {
		t.Error("a period whose last day is the day before its first was accepted")
	}
	if _, err := e.App.Periods.CreatePeriod(ctx, reporters[0], period.PeriodInput{Name: "国庆", FirstDay: "2026-09-21", LastDay: "2026-10-07"}); err == nil {
		t.Error("a unit reporter set a period")
	}
	p, err := e.App.Periods.CreatePeriod(ctx, county, period.PeriodInput{Name: "国庆保障期", FirstDay: "2026-09-21", LastDay: "2026-10-07",
		Cutoff: "13:00", LeaderDuty: true, RoundClock: true, UnitIDs: units})
	if err != nil {
		t.Fatal(err)
	}

	// The day: 2026-09-25, window 09-24 13:00 – 09-25 13:00.
	e.Clock.Set(at("2026-09-25 09:30"))
	for i := 0; i < 10; i++ {
		r, err := e.App.Periods.FileDailyReport(ctx, reporters[i], period.DailyReportInput{PeriodID: p.ID, Quiet: true})
		if err != nil {
			t.Fatal(err)
		}
		// A unit that has not reported yet files the earliest open day
		// first (late, for 09-21).
		if r.Day != "2026-09-21" || !r.Late {
			t.Fatalf("default day %s late %v", r.Day, r.Late)
		}
	}
	// The first ten filed the earliest open day; file the day under test
	// explicitly for them, and let the others file theirs.
	for i := 0; i < 10; i++ {
		if _, err := e.App.Periods.FileDailyReport(ctx, reporters[i], period.DailyReportInput{PeriodID: p.ID, Day: "2026-09-25", Quiet: true}); err != nil {
			t.Fatal(err)
		}
	}
	inc, err := e.App.Incidents.CreateIncident(ctx, reporters[10], incident.IncidentInput{OrgID: units[10], Title: "门户网站首页被篡改", Category: "IAI",
		DiscoveredAt: e.Clock.Now().Add(-time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.App.Periods.FileDailyReport(ctx, reporters[10], period.DailyReportInput{PeriodID: p.ID, Day: "2026-09-25", Quiet: true,
		IncidentIDs: []int64{inc.ID}}); err == nil {
		t.Error("a quiet report listing an incident was accepted")
	}
	if _, err := e.App.Periods.FileDailyReport(ctx, reporters[11], period.DailyReportInput{PeriodID: p.ID, Day: "2026-09-25",
		IncidentIDs: []int64{inc.ID}}); err == nil {
		t.Error("a unit listed another unit's incident")
	}
	if _, err := e.App.Periods.FileDailyReport(ctx, reporters[10], period.DailyReportInput{PeriodID: p.ID, Day: "2026-09-25",
		IncidentIDs: []int64{inc.ID}, Note: "已处置"}); err != nil {
		t.Fatal(err)
	}
	// At 13:00 the day closes; the Tick escalates the two missing reports.
	e.Clock.Set(at("2026-09-25 13:00"))
	if _, err := e.App.Scheduler.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	e.Clock.Set(at("2026-09-25 13:05"))
	// Unit 11 has reported nothing at all before; its default day would be
	// the first one, so it names the day it is late for.
	day, err := e.App.Periods.ReportDay(ctx, p, units[12])
	if err != nil || day != "2026-09-21" {
		t.Errorf("report day for a unit that never reported: %q %v", day, err)
	}
	late, err := e.App.Periods.FileDailyReport(ctx, reporters[11], period.DailyReportInput{PeriodID: p.ID, Day: "2026-09-25", Quiet: true})
	if err != nil || !late.Late {
		t.Fatalf("13:05 report: %+v %v", late, err)
	}
	e.Clock.Set(at("2026-09-25 13:10"))
	b, err := e.App.Periods.DailyBoard(ctx, county, p.ID, "2026-09-25")
	if err != nil {
		t.Fatal(err)
	}
	if b.OnTime != 10 || b.Incidents != 1 || b.Late != 1 || b.Missing != 1 || b.Pending != 0 {
		t.Fatalf("board: on time %d, incident %d, late %d, missing %d, pending %d", b.OnTime, b.Incidents, b.Late, b.Missing, b.Pending)
	}
	// A unit sees only itself on the board.
	mine, err := e.App.Periods.DailyBoard(ctx, reporters[3], p.ID, "2026-09-25")
	if err != nil || len(mine.Rows) != 1 {
		t.Errorf("unit board: %v rows, %v", len(mine.Rows), err)
	}

	var buf bytes.Buffer
	if err := e.App.Periods.DailyXLSX(ctx, county, p.ID, "2026-09-25", "zh", &buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows(f.GetSheetList()[0])
	counts := map[string]int{}
	for _, r := range rows[1:] {
		if len(r) > 2 && r[0] == "2026-09-25" {
			counts[r[2]]++
		}
	}
	if counts["按时报平安"] != 10 || counts["按时报告事件"] != 1 || counts["迟报"] != 1 || counts["漏报"] != 1 {
		t.Errorf("XLSX counts %v", counts)
	}
	var incidentCell bool
	for _, r := range rows {
		incidentCell = incidentCell || (len(r) > 5 && strings.Contains(r[5], "门户网站首页被篡改"))
	}
	if !incidentCell {
		t.Error("the XLSX does not name the reported incident")
	}

	// Duty: the period wants 7×24 duty with a leader; nobody is rostered.
	v, err := e.App.Periods.Duty(ctx, county, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Now.Gaps) != 2 {
		t.Errorf("duty gaps without a roster: %q", v.Now.Gaps)
	}
	if _, err := e.App.Periods.AddShift(ctx, county, period.ShiftInput{StartAt: at("2026-09-25 08:30"), EndAt: at("2026-09-26 08:30"),
		Officer: "孙值班", Leader: "周主任", Phone: "0477-7000000"}); err != nil {
		t.Fatal(err)
	}
	v, _ = e.App.Periods.Duty(ctx, county, 0)
	if len(v.Now.Gaps) != 0 || v.Now.Shift == nil || v.Now.Shift.Leader != "周主任" {
		t.Errorf("with a roster: gaps %q shift %+v", v.Now.Gaps, v.Now.Shift)
	}
	// Who is on duty is visible upward: the city sees the county.
	cityCmd, _ := e.User(t, "city-commander", "city", fenghuo.RoleCommander)
	cv, err := e.App.Periods.Duty(ctx, e.Actor(t, cityCmd), 0)
	if err != nil {
		t.Fatal(err)
	}
	var seen bool
	for _, d := range cv.Below {
		seen = seen || (d.Org.ID == e.Orgs["county"].ID && d.Shift != nil && d.Shift.Officer == "孙值班")
	}
	if !seen {
		t.Error("the city does not see who is on duty at the county")
	}
	if _, err := e.App.Periods.AddDutyLog(ctx, county, 0, "handover", "夜班平稳,无事件。"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.App.Periods.AddShift(ctx, reporters[0], period.ShiftInput{StartAt: at("2026-09-25 08:30"), EndAt: at("2026-09-26 08:30"), Officer: "x"}); err == nil {
		t.Error("a unit reporter rostered duty")
	}
}
