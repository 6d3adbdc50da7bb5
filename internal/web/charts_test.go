package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fenghuo/internal/app/period"
	"fenghuo/internal/apptest"
	"fenghuo/internal/calendar"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/monitor"
	"fenghuo/internal/store"
)

// TestMonitorHistoryBars: a site up, down, up again; the monitors list
// shows a small history bar and the monitor page a response-time chart
// and an up/down bar, each datum the check it draws, oldest first.
func TestMonitorHistoryBars(t *testing.T) {
	e, srv := console(t)
	ctx := context.Background()
	e.User(t, "boss4", "city", fenghuo.RoleCommander)
	var down atomic.Bool
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if down.Load() {
			http.Error(w, "gone", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte("<html><head><title>测试站点</title></head><body><h1>测试站点</h1></body></html>"))
	}))
	defer site.Close()
	sys := &fenghuo.System{OrgID: e.Orgs["school"].ID, Name: "测试站点"}
	e.DB.CreateSystem(ctx, sys)
	m := &store.Monitor{SystemID: sys.ID, URL: site.URL + "/", Interval: 5 * time.Minute, NextDueAt: e.Clock.Now()}
	if err := e.DB.CreateMonitor(ctx, m); err != nil {
		t.Fatal(err)
	}
	svc := &monitor.Service{DB: e.DB, Sink: e.App.Monitoring.MonitorSink(), Now: e.Clock.Now, AllowLoopback: true}
	pattern := []bool{false, false, true, true, false}
	for _, d := range pattern {
		down.Store(d)
		if _, err := svc.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		e.Clock.Advance(6 * time.Minute)
	}
	c := browser(t)
	login(t, c, srv, "boss4", apptest.Password)
	_, list := get(t, c, srv, "/monitors")
	charts := chartsOf(t, list)
	if len(charts) != 1 || len(charts[0]) != len(pattern) {
		t.Fatalf("monitor list charts %v, want one bar of %d checks", charts, len(pattern))
	}
	_, page := get(t, c, srv, "/monitors/"+strconv.FormatInt(m.ID, 10))
	charts = chartsOf(t, page)
	if len(charts) != 2 || len(charts[0]) != len(pattern) || len(charts[1]) != len(pattern) {
		t.Fatalf("monitor page charts %v", charts)
	}
	states := strings.Count(page, `data-state="down"`)
	if states != 2 || strings.Count(page, `data-state="up"`) != 3 {
		t.Errorf("history bar: %d down, %d up; want 2 and 3", states, strings.Count(page, `data-state="up"`))
	}
	// Oldest first: the third and fourth checks were down, drawn as 0 ms
	// in the response times and as down in the bar.
	var order []string
	for _, pt := range charts[1] {
		order = append(order, pt.X)
	}
	if charts[0][2].Value != "0" || charts[0][3].Value != "0" || charts[0][0].X != order[0] || charts[0][4].X != order[4] {
		t.Errorf("response times %v, history %v", charts[0], charts[1])
	}
	if i := strings.Index(page, `data-state="down"`); i < 0 || strings.Count(page[:i], `data-state="up"`) != 2 {
		t.Error("the history bar does not start with the two up checks")
	}
}

// TestPeriodGrid: a period of two days for two units; one files on the
// first day, neither on the second; after the cut-offs the grid shows
// on_time, missing, missing, missing, and the table counts the days.
func TestPeriodGrid(t *testing.T) {
	e, srv := console(t)
	ctx := context.Background()
	boss, _ := e.User(t, "boss5", "county", fenghuo.RoleCommander)
	rep, _ := e.User(t, "school-rep5", "school", fenghuo.RoleUnitReporter)
	today := e.Clock.Now().In(calendar.Shanghai)
	first, last := today.Format("2006-01-02"), today.AddDate(0, 0, 1).Format("2006-01-02")
	p, err := e.App.Periods.CreatePeriod(ctx, e.Actor(t, boss), period.PeriodInput{Name: "测试保障期", FirstDay: first, LastDay: last,
		UnitIDs: []int64{e.Orgs["school"].ID, e.Orgs["hospital"].ID}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.App.Periods.FileDailyReport(ctx, e.Actor(t, rep), period.DailyReportInput{PeriodID: p.ID, Day: first, Quiet: true}); err != nil {
		t.Fatal(err)
	}
	e.Clock.Advance(72 * time.Hour)
	c := browser(t)
	login(t, c, srv, "boss5", apptest.Password)
	r, page := get(t, c, srv, "/periods/"+strconv.FormatInt(p.ID, 10))
	if r.StatusCode != 200 {
		t.Fatalf("period page %d", r.StatusCode)
	}
	charts := chartsOf(t, page)
	if len(charts) != 1 {
		t.Fatalf("%d charts on the period page", len(charts))
	}
	got := map[string]string{}
	for _, pt := range charts[0] {
		got[pt.Series+" "+pt.X] = pt.Value
	}
	school, hosp := e.Orgs["school"].Name, e.Orgs["hospital"].Name
	want := map[string]string{school + " " + first: "on_time", school + " " + last: "missing",
		hosp + " " + first: "missing", hosp + " " + last: "missing"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("grid %s = %q, want %q (all %v)", k, got[k], v, got)
		}
	}
	if !strings.Contains(page, `id="period-grid-table"`) || !strings.Contains(page, "<th scope=\"row\">"+hosp+"</th><td>0</td><td>0</td><td>0</td><td>2</td>") {
		t.Error("the grid's table lacks the hospital's two missing days")
	}
	// The API gives the same grid.
	_, body := get(t, c, srv, "/api/v1/periods/"+strconv.FormatInt(p.ID, 10)+"/grid")
	if !strings.Contains(body, `"states":["on_time","missing"]`) || !strings.Contains(body, `"states":["missing","missing"]`) {
		t.Errorf("grid API: %s", body)
	}
}
