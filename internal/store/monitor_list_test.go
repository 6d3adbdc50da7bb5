package store

import (
	"fmt"
	"os"
	"testing"
	"time"

	"fenghuo/internal/fenghuo"
)

// TestMonitorList pages the monitors of a subtree with their systems'
// names and their latest checks, newest first, in a fixed number of
// statements.
func TestMonitorList(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		tr := mustTree(t, db)
		sysA := &fenghuo.System{OrgID: tr.hospital.ID, Name: "医院门户"}
		sysB := &fenghuo.System{OrgID: tr.water.ID, Name: "水务门户"}
		must(t, db.CreateSystem(bg, sysA))
		must(t, db.CreateSystem(bg, sysB))
		var ms []*Monitor
		for i := 0; i < 5; i++ {
			sys := sysA
			if i%2 == 1 {
				sys = sysB
			}
			ms = append(ms, &Monitor{SystemID: sys.ID, URL: fmt.Sprintf("http://127.0.0.1:%d/", 1000+i), Interval: time.Minute})
		}
		must(t, db.CreateMonitors(bg, ms))
		// Monitor 0 has 8 checks, monitor 1 two, the others none; the 4th
		// and 5th newest of monitor 0 share a millisecond.
		t0 := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
		for i := 0; i < 8; i++ {
			at := t0.Add(time.Duration(i) * time.Minute)
			if i == 4 {
				at = t0.Add(3 * time.Minute)
			}
			must(t, db.AddMonitorResult(bg, &MonitorResult{MonitorID: ms[0].ID, At: at, OK: i%3 != 0, HTTPStatus: 200 + i}))
		}
		for i := 0; i < 2; i++ {
			must(t, db.AddMonitorResult(bg, &MonitorResult{MonitorID: ms[1].ID, At: t0.Add(time.Duration(i) * time.Second), OK: true}))
		}

		statements := 0
		db.SetQueryLog(func(string, []any) { statements++ })
		res, err := db.MonitorList(bg, tr.city.Path, 4, Page{Limit: 2})
		db.SetQueryLog(nil)
		must(t, err)
		if res.Total != 5 || res.Capped || len(res.Items) != 2 {
			t.Fatalf("city page 1: total %d capped %v items %d", res.Total, res.Capped, len(res.Items))
		}
		if statements != 3 {
			t.Errorf("a page took %d statements, want 3 (count, page, checks)", statements)
		}
		// By system (the hospital's first: 0, 2, 4; the water company's: 1,
		// 3), then in the order they were created.
		first, second := res.Items[0], res.Items[1]
		if first.ID != ms[0].ID || first.SystemName != "医院门户" || second.ID != ms[2].ID || second.SystemName != "医院门户" {
			t.Fatalf("page 1: %d %q, %d %q", first.ID, first.SystemName, second.ID, second.SystemName)
		}
		want, err := db.MonitorResults(bg, ms[0].ID, 4)
		must(t, err)
		if len(first.Recent) != 4 {
			t.Fatalf("monitor 0 has %d recent checks, want 4", len(first.Recent))
		}
		for i, r := range first.Recent {
			if r.ID != want[i].ID || !r.At.Equal(want[i].At) || r.HTTPStatus != want[i].HTTPStatus || r.OK != want[i].OK {
				t.Errorf("recent %d = %+v, want %+v", i, r, want[i])
			}
		}
		if len(second.Recent) != 0 {
			t.Errorf("monitor 2 recent: %+v", second.Recent)
		}
		// Four recent (above): the 4th newest shares its millisecond with
		// the 5th, both pass the bound, four are kept. Five: exactly five.
		res, err = db.MonitorList(bg, tr.city.Path, 5, Page{Limit: 1})
		must(t, err)
		want, err = db.MonitorResults(bg, ms[0].ID, 5)
		must(t, err)
		if got := res.Items[0].Recent; len(got) != 5 || got[4].ID != want[4].ID {
			t.Errorf("five recent: %+v, want %+v", got, want)
		}

		// The second page crosses to the water company; the last page.
		res, err = db.MonitorList(bg, tr.city.Path, 4, Page{Limit: 2, Offset: 2})
		must(t, err)
		if len(res.Items) != 2 || res.Items[0].ID != ms[4].ID || res.Items[1].ID != ms[1].ID || res.Items[1].SystemName != "水务门户" {
			t.Fatalf("page 2: %+v", res.Items)
		}
		if r := res.Items[1].Recent; len(r) != 2 || !r[0].At.After(r[1].At) || r[0].MonitorID != ms[1].ID {
			t.Errorf("monitor 1 recent: %+v", r)
		}
		res, err = db.MonitorList(bg, tr.city.Path, 4, Page{Limit: 2, Offset: 4})
		must(t, err)
		if len(res.Items) != 1 || res.Items[0].ID != ms[3].ID || len(res.Items[0].Recent) != 0 {
			t.Fatalf("last page: %+v", res.Items)
		}
		res, err = db.MonitorList(bg, tr.countyB.Path, 0, Page{})
		must(t, err)
		if res.Total != 2 || len(res.Items) != 2 || res.Items[0].ID != ms[1].ID || res.Items[1].ID != ms[3].ID ||
			res.Items[0].Recent == nil || len(res.Items[0].Recent) != 0 {
			t.Fatalf("county B: %+v", res)
		}
		res, err = db.MonitorList(bg, tr.school.Path, 4, Page{})
		must(t, err)
		if res.Total != 0 || len(res.Items) != 0 {
			t.Fatalf("school: %+v", res)
		}
	})
}

// BenchmarkMonitorList lists the first page of 5,000 monitors (30 checks
// each, over 50 systems of three units) with their latest 30 checks, as
// the console's monitors page does, and reports the queries per list.
func BenchmarkMonitorList(b *testing.B) {
	e := SQLite
	if os.Getenv("FENGHUO_BENCH_ENGINE") == "postgres" {
		e = Postgres
	}
	db := MustOpenDB(b, e)
	tr := mustTree(b, db)
	units := []*fenghuo.Org{tr.hospital, tr.school, tr.water}
	var systems []*fenghuo.System
	for i := 0; i < 50; i++ {
		s := &fenghuo.System{OrgID: units[i%3].ID, Name: fmt.Sprintf("系统%02d", i)}
		must(b, db.CreateSystem(bg, s))
		systems = append(systems, s)
	}
	ms := make([]*Monitor, 5000)
	for i := range ms {
		ms[i] = &Monitor{SystemID: systems[i%len(systems)].ID, URL: fmt.Sprintf("http://127.0.0.1:%d/", 10000+i), Interval: time.Minute}
	}
	must(b, db.CreateMonitors(bg, ms))
	now := time.Now().UTC()
	var cs []CheckRecord
	for _, m := range ms {
		for j := 0; j < 30; j++ {
			cs = append(cs, CheckRecord{Monitor: m, Result: &MonitorResult{MonitorID: m.ID, At: now.Add(-time.Duration(j) * time.Minute), OK: true, HTTPStatus: 200}})
		}
	}
	for len(cs) > 0 {
		k := min(len(cs), 10000)
		must(b, db.SaveChecks(bg, cs[:k]))
		cs = cs[k:]
	}
	must(b, db.Analyze(bg))
	var queries int
	db.SetQueryLog(func(string, []any) { queries++ })
	defer db.SetQueryLog(nil)
	for _, c := range []struct {
		name string
		path string
	}{{"city", tr.city.Path}, {"county", tr.countyB.Path}} {
		b.Run(c.name, func(b *testing.B) {
			queries = 0
			for b.Loop() {
				res, err := db.MonitorList(bg, c.path, 30, Page{Limit: DefaultLimit})
				if err != nil || len(res.Items) != DefaultLimit || len(res.Items[0].Recent) != 30 {
					b.Fatalf("list: %d items, %v", len(res.Items), err)
				}
			}
			b.ReportMetric(float64(queries)/float64(b.N), "queries/op")
		})
	}
}
