package store

import (
	"testing"
	"time"

	"fenghuo/internal/fenghuo"
)

// A check that leaves the baseline as it read it writes its state without
// the baseline: an operator's RelearnBaseline during the check stands, and
// a baseline the check changed is written.
func TestSaveCheckKeepsARelearnDuringTheCheck(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		tr := mustTree(t, db)
		sys := &fenghuo.System{OrgID: tr.hospital.ID, Name: "医院门户"}
		must(t, db.CreateSystem(bg, sys))
		now := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
		m := &Monitor{SystemID: sys.ID, URL: "http://127.0.0.1:1000/", Interval: time.Minute, NextDueAt: now,
			Baseline: `{"v":1}`, BaselineSnapshots: 3}
		must(t, db.CreateMonitors(bg, []*Monitor{m}))
		claimed, err := db.ClaimDueMonitors(bg, now, time.Minute, 10)
		must(t, err)
		if len(claimed) != 1 {
			t.Fatalf("claimed %d", len(claimed))
		}
		c := claimed[0]
		must(t, db.RelearnBaseline(bg, m.ID, now))
		c.Status, c.ContentState, c.NextDueAt = "up", `{"v":1,"sha256":"ab"}`, now.Add(time.Minute)
		must(t, db.SaveCheck(bg, &c, &MonitorResult{MonitorID: m.ID, At: now, OK: true}))
		got, err := db.Monitor(bg, m.ID)
		must(t, err)
		if got.Baseline != "" || got.BaselineSnapshots != 0 || got.Status != "up" || got.ContentState != c.ContentState {
			t.Errorf("after a relearn during the check: baseline %q (%d snapshots), status %q, state %q", got.Baseline, got.BaselineSnapshots, got.Status, got.ContentState)
		}
		// Learning writes the baseline it changed.
		got.Baseline, got.BaselineSnapshots = `{"v":2}`, 1
		must(t, db.SaveCheck(bg, got, &MonitorResult{MonitorID: m.ID, At: now.Add(time.Minute), OK: true}))
		again, err := db.Monitor(bg, m.ID)
		must(t, err)
		if again.Baseline != `{"v":2}` || again.BaselineSnapshots != 1 {
			t.Errorf("learned baseline not written: %q (%d)", again.Baseline, again.BaselineSnapshots)
		}
	})
}
