package store

import (
	"testing"
	"time"

	"fenghuo/internal/fenghuo"
)

func TestExposureRunsResultsHistoryAndSchedule(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		tr := mustTree(t, db)
		now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
		db.SetClock(func() time.Time { return now })
		withIP := &fenghuo.System{OrgID: tr.hospital.ID, Name: "HIS", Exposure: []fenghuo.Exposure{{Kind: fenghuo.ExposureIP, Value: "127.0.0.1"}}}
		onlyPort := &fenghuo.System{OrgID: tr.school.ID, Name: "OA", Exposure: []fenghuo.Exposure{{Kind: fenghuo.ExposurePort, Value: "443"}}}
		retired := &fenghuo.System{OrgID: tr.school.ID, Name: "旧网站", Status: fenghuo.SystemRetired,
			Exposure: []fenghuo.Exposure{{Kind: fenghuo.ExposureDomain, Value: "old.example.cn"}}}
		for _, s := range []*fenghuo.System{withIP, onlyPort, retired} {
			must(t, db.CreateSystem(bg, s))
		}

		// Only the active system with an address to check is scheduled,
		// once however often the sweep runs.
		n, err := db.ScheduleExposureChecks(bg, now)
		must(t, err)
		if n != 1 {
			t.Fatalf("scheduled %d systems, want 1", n)
		}
		if n, _ := db.ScheduleExposureChecks(bg, now); n != 0 {
			t.Fatalf("second sweep scheduled %d", n)
		}
		due, err := db.ExposureDue(bg, withIP.ID)
		must(t, err)
		if due.Before(now) || due.After(now.Add(time.Hour)) {
			t.Fatalf("first due %v", due)
		}
		// Claimed once when due; the claim is a lease.
		ids, err := db.ClaimDueExposureChecks(bg, now.Add(2*time.Hour), 10*time.Minute, 10)
		must(t, err)
		if len(ids) != 1 || ids[0] != withIP.ID {
			t.Fatalf("claimed %v", ids)
		}
		if ids, _ := db.ClaimDueExposureChecks(bg, now.Add(2*time.Hour), 10*time.Minute, 10); len(ids) != 0 {
			t.Fatalf("claimed twice: %v", ids)
		}

		// Two runs of the same target and port: history newest first, and
		// the previous run's results are found from the second.
		var runs []int64
		for i, state := range []string{fenghuo.PortOpen, fenghuo.PortClosed} {
			r := &fenghuo.ExposureRun{OrgID: tr.hospital.ID, SystemID: withIP.ID, Cause: fenghuo.ExposureCauseManual, Vantage: "server",
				State: fenghuo.ExposureRunDone, Addresses: 1, Probes: 1, Refused: []string{"x.example.cn: 未能解析"},
				StartedAt: now.Add(time.Duration(i) * time.Hour), FinishedAt: now.Add(time.Duration(i) * time.Hour)}
			must(t, db.WithTx(bg, func(tx *Tx) error {
				if err := tx.CreateExposureRun(bg, r); err != nil {
					return err
				}
				return tx.AddExposureResult(bg, &fenghuo.ExposureResult{RunID: r.ID, OrgID: tr.hospital.ID, SystemID: withIP.ID,
					Target: "127.0.0.1", Address: "127.0.0.1", Port: 3389, State: state, HighRisk: true, At: r.StartedAt})
			}))
			runs = append(runs, r.ID)
		}
		hist, err := db.ExposureHistory(bg, withIP.ID, "127.0.0.1", 3389, 10)
		must(t, err)
		if len(hist) != 2 || hist[0].State != fenghuo.PortClosed || hist[1].State != fenghuo.PortOpen || !hist[0].HighRisk {
			t.Fatalf("history: %+v", hist)
		}
		must(t, db.View(bg, func(tx *Tx) error {
			prev, err := tx.LastExposureResults(bg, withIP.ID, "127.0.0.1", 3389, fenghuo.VantageServer, runs[1])
			if err != nil || len(prev) != 1 || prev[0].RunID != runs[0] || prev[0].State != fenghuo.PortOpen {
				t.Errorf("previous results: %+v %v", prev, err)
			}
			return nil
		}))
		got, err := db.ExposureRun(bg, runs[0])
		must(t, err)
		if len(got.Refused) != 1 || got.State != fenghuo.ExposureRunDone || !got.StartedAt.Equal(now) {
			t.Fatalf("run: %+v", got)
		}
		list, err := db.ExposureRuns(bg, withIP.ID, 10)
		must(t, err)
		if len(list) != 2 || list[0].ID != runs[1] {
			t.Fatalf("runs: %+v", list)
		}
		res, err := db.ExposureResults(bg, runs[1])
		must(t, err)
		if len(res) != 1 || res[0].Port != 3389 {
			t.Fatalf("results: %+v", res)
		}
		_, err = db.ExposureRun(bg, 999999)
		wantCode(t, err, fenghuo.ENOTFOUND)

		// Setting the due time upserts; unscheduling removes.
		must(t, db.WithTx(bg, func(tx *Tx) error { return tx.SetExposureDue(bg, withIP.ID, tr.hospital.ID, now.Add(24*time.Hour)) }))
		if d, _ := db.ExposureDue(bg, withIP.ID); !d.Equal(now.Add(24 * time.Hour)) {
			t.Fatalf("due after set: %v", d)
		}
		must(t, db.UnscheduleExposure(bg, withIP.ID))
		if d, _ := db.ExposureDue(bg, withIP.ID); !d.IsZero() {
			t.Fatalf("due after unschedule: %v", d)
		}
	})
}
