package store

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"fenghuo/internal/fenghuo"
)

// TestOpenIncidentCountsReadOpenOnly: the awareness screen's count of open
// incidents reads the (org, status, …) index, the open incidents only. With
// the unit grouped as a column SQLite chose the (org, unit, …) index to
// spare the GROUP BY's sort, and so read every incident of the scope: the
// home page grew with the history. PostgreSQL picks by its statistics (a
// bitmap or index scan of the status ranges); its plan is checked for a
// full scan only.
func TestOpenIncidentCountsReadOpenOnly(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		tr := mustTree(t, db)
		units := []*fenghuo.Org{tr.hospital, tr.school, tr.water}
		base := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
		must(t, db.WithTx(bg, func(tx *Tx) error {
			for i := 0; i < 1200; i++ {
				status := fenghuo.StatusClosed
				if i%20 == 0 {
					status = fenghuo.StatusResponding
				}
				inc := &fenghuo.Incident{OrgID: units[i%len(units)].ID, Title: fmt.Sprint("事件", i), Category: "MC01", Status: status,
					DiscoveredAt: base.Add(time.Duration(i) * time.Hour), Grade: "IV", ComputedGrade: "IV", Channel: fenghuo.ChannelUnit}
				if err := tx.CreateIncident(bg, inc); err != nil {
					return err
				}
			}
			return nil
		}))
		must(t, db.Analyze(bg))
		var q string
		var args []any
		db.SetQueryLog(func(query string, a []any) { q, args = query, a })
		counts, err := db.OpenIncidentCounts(bg, tr.city.ID)
		db.SetQueryLog(nil)
		must(t, err)
		open := 0
		for _, c := range counts {
			open += c.N
		}
		if open != 60 || len(counts) != 3 {
			t.Fatalf("open counts %+v", counts)
		}
		scans, plan, err := db.FullScans(bg, q, args, map[string]bool{"incident_scope": true})
		must(t, err)
		if len(scans) > 0 {
			t.Fatalf("reads incident_scope whole:\n%s", plan)
		}
		if db.d.engine == SQLite && (!strings.Contains(plan, "(org_id=? AND status=?)") || strings.Contains(plan, "incident_scope_unit")) {
			t.Fatalf("open incident counts do not read the open incidents by (org, status):\n%s", plan)
		}
		// A day's open incidents (the daily board's check of 平安
		// reports): the window's only, newest first, by index.
		db.SetQueryLog(func(query string, a []any) { q, args = query, a })
		var win []IncidentRow
		must(t, db.View(bg, func(tx *Tx) error {
			win, err = tx.OpenIncidentsDiscovered(bg, tr.city.ID, base.Add(100*time.Hour), base.Add(200*time.Hour))
			return err
		}))
		db.SetQueryLog(nil)
		var titles []string
		for _, r := range win {
			titles = append(titles, r.Title)
		}
		if strings.Join(titles, " ") != "事件180 事件160 事件140 事件120 事件100" || win[0].Status != fenghuo.StatusResponding {
			t.Fatalf("window: %v", titles)
		}
		scans, plan, err = db.FullScans(bg, q, args, map[string]bool{"incident_scope": true, "incidents": true})
		must(t, err)
		if len(scans) > 0 {
			t.Fatalf("the window reads %v whole:\n%s", scans, plan)
		}
	})
}

// TestOverdueGradeWindow: the awareness screen's overdue list, chosen in
// SQL among the window of the longest overdue: grade I first, then II …,
// then duties of no or ungraded incidents, each the longest overdue first;
// a duty beyond the window is not shown whatever its grade.
func TestOverdueGradeWindow(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		tr := mustTree(t, db)
		now := time.Date(2026, 10, 10, 4, 0, 0, 0, time.UTC)
		db.SetClock(func() time.Time { return now })
		incident := func(grade fenghuo.Grade) int64 {
			inc := mustIncidentAt(t, db, tr.hospital.ID, "事件"+string(grade), now.Add(-48*time.Hour))
			if grade != "II" {
				must(t, db.WithTx(bg, func(tx *Tx) error {
					in, err := tx.Incident(bg, inc.ID)
					if err != nil {
						return err
					}
					in.Grade = grade
					return tx.UpdateIncident(bg, in)
				}))
			}
			return inc.ID
		}
		iv, one, none, two := incident("IV"), incident("I"), incident(""), incident("II")
		var ids []int64
		mk := func(inc int64, age time.Duration) {
			o := &fenghuo.Obligation{Kind: "report", IncidentID: inc, OwnerOrgID: tr.hospital.ID, Title: "报告", DueAt: now.Add(-age)}
			must(t, db.WithTx(bg, func(tx *Tx) error { return tx.CreateObligation(bg, o) }))
			ids = append(ids, o.ID)
		}
		mk(iv, 10*time.Hour)  // 0
		mk(none, 9*time.Hour) // 1
		mk(0, 8*time.Hour)    // 2: no incident
		mk(one, 7*time.Hour)  // 3
		mk(iv, 6*time.Hour)   // 4
		mk(two, 5*time.Hour)  // 5
		mk(one, time.Hour)    // 6: grade I, but beyond a window of 6
		res, err := db.SubtreeDeadlines(bg, DeadlineFilter{OrgPath: tr.city.Path, Until: now, GradeWindow: 6, Limit: 5})
		must(t, err)
		var got []int64
		for _, d := range res.Items {
			got = append(got, d.ID)
		}
		want := []int64{ids[3], ids[5], ids[0], ids[4], ids[1]}
		if res.Total != 7 || fmt.Sprint(got) != fmt.Sprint(want) || res.Items[0].IncidentGrade != "I" || res.Items[0].OwnerName != tr.hospital.Name {
			t.Fatalf("overdue shown %v (total %d), want %v", got, res.Total, want)
		}
	})
}

// BenchmarkMonitorSummary counts the awareness screen's monitoring figures
// over a province's worth of sites: 50,000 systems of three units with one
// monitor each, 2 % down, 1 % with an open defacement alert (and as many
// alerts resolved), as the city (all of them) and a county (a third).
// FENGHUO_BENCH_ENGINE=postgres for PostgreSQL.
func BenchmarkMonitorSummary(b *testing.B) {
	e := SQLite
	if os.Getenv("FENGHUO_BENCH_ENGINE") == "postgres" {
		e = Postgres
	}
	db := MustOpenDB(b, e)
	tr := mustTree(b, db)
	units := []*fenghuo.Org{tr.hospital, tr.school, tr.water}
	const n = 50000
	systems := make([]*fenghuo.System, n)
	must(b, db.WithTx(bg, func(tx *Tx) error {
		for i := range systems {
			systems[i] = &fenghuo.System{OrgID: units[i%3].ID, Name: fmt.Sprintf("系统%05d", i)}
			if err := tx.CreateSystem(bg, systems[i]); err != nil {
				return err
			}
		}
		return nil
	}))
	ms := make([]*Monitor, n)
	for i := range ms {
		ms[i] = &Monitor{SystemID: systems[i].ID, URL: fmt.Sprintf("http://127.0.0.1:%d/", 10000+i), Interval: time.Minute}
	}
	must(b, db.CreateMonitors(bg, ms))
	now := time.Now().UTC()
	var cs []CheckRecord
	for i, m := range ms {
		m.Status, m.LastCheckedAt = "up", now
		if i%50 == 7 {
			m.Status = "down"
		}
		cs = append(cs, CheckRecord{Monitor: m, Result: &MonitorResult{MonitorID: m.ID, At: now, OK: m.Status == "up", HTTPStatus: 200}})
	}
	must(b, db.SaveChecks(bg, cs))
	for i := 0; i < n; i += 100 {
		for _, src := range []string{"a", "b"} {
			_, err := db.RecordAlert(bg, ms[i].ID, systems[i].ID, "defacement", fmt.Sprintf("monitor:%d:%s", i, src), "[]", now)
			must(b, err)
		}
		must(b, db.WithTx(bg, func(tx *Tx) error {
			_, err := tx.c.exec(bg, "UPDATE monitor_alerts SET status = 'resolved' WHERE source = ?", fmt.Sprintf("monitor:%d:b", i))
			return err
		}))
	}
	must(b, db.Analyze(bg))
	for _, c := range []struct {
		name, path string
		total      int
	}{{"city", tr.city.Path, n}, {"county", tr.countyA.Path, -1}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				sum, err := db.MonitorSummary(bg, c.path, []string{"defacement"})
				if err != nil || c.total > 0 && (sum.Total != c.total || sum.Down != n/50 || sum.Tampered != n/100 || sum.OpenAlerts != n/100) {
					b.Fatalf("summary %+v: %v", sum, err)
				}
			}
		})
	}
}
