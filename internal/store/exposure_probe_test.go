package store

import (
	"testing"
	"time"

	"fenghuo/internal/fenghuo"
)

func TestExposureProbeWorkLeaseAndQueuedChecks(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		tr := mustTree(t, db)
		now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
		db.SetClock(func() time.Time { return now })
		sys := &fenghuo.System{OrgID: tr.hospital.ID, Name: "HIS", Exposure: []fenghuo.Exposure{{Kind: fenghuo.ExposureIP, Value: "127.0.0.1"}}}
		must(t, db.CreateSystem(bg, sys))
		unicom := &Probe{Name: "联通探针", Network: "联通", TokenHash: "h1"}
		telecom := &Probe{Name: "电信探针", Network: "电信", TokenHash: "h2"}
		must(t, db.CreateProbe(bg, unicom))
		must(t, db.CreateProbe(bg, telecom))

		put := func(at time.Time, port int) bool {
			var ok bool
			must(t, db.WithTx(bg, func(tx *Tx) error {
				var err error
				ok, err = tx.PutExposureProbeWork(bg, &ExposureProbeWork{ProbeID: unicom.ID, SystemID: sys.ID, OrgID: tr.hospital.ID,
					Cause: fenghuo.ExposureCauseManual, Plan: []ExposureConnect{{Target: "127.0.0.1", Address: "127.0.0.1", Port: port}},
					Addresses: 1}, at)
				return err
			}))
			return ok
		}
		if !put(now, 3389) {
			t.Fatal("work not stored")
		}
		// A newer plan replaces one not yet claimed: still one item.
		if !put(now.Add(time.Minute), 22) {
			t.Fatal("newer plan not stored")
		}
		// The other probe has nothing; this one gets its item, leased.
		if ws, err := db.ClaimExposureProbeWork(bg, telecom.ID, now, 10*time.Minute, 10); err != nil || len(ws) != 0 {
			t.Fatalf("other probe claimed %+v %v", ws, err)
		}
		ws, err := db.ClaimExposureProbeWork(bg, unicom.ID, now.Add(time.Minute), 10*time.Minute, 10)
		must(t, err)
		if len(ws) != 1 || ws[0].Plan[0].Port != 22 || ws[0].ProbeName != "联通探针" || ws[0].Claims != 1 {
			t.Fatalf("claimed %+v", ws)
		}
		// Under lease: not handed out again, and a newer plan does not
		// replace it (the probe's report is checked against what it got).
		if ws, _ := db.ClaimExposureProbeWork(bg, unicom.ID, now.Add(5*time.Minute), 10*time.Minute, 10); len(ws) != 0 {
			t.Fatalf("claimed under lease: %+v", ws)
		}
		if put(now.Add(5*time.Minute), 445) {
			t.Fatal("leased work replaced")
		}
		// The probe died: after the lease the same item comes back.
		ws2, err := db.ClaimExposureProbeWork(bg, unicom.ID, now.Add(12*time.Minute), 10*time.Minute, 10)
		must(t, err)
		if len(ws2) != 1 || ws2[0].ID != ws[0].ID || ws2[0].Plan[0].Port != 22 || ws2[0].Claims != 2 {
			t.Fatalf("after the lease: %+v", ws2)
		}
		if p, _ := db.PendingExposureProbeWork(bg, sys.ID); len(p) != 1 {
			t.Fatalf("pending %+v", p)
		}
		// Done once; a second report finds nothing; another probe cannot
		// read or finish it.
		must(t, db.WithTx(bg, func(tx *Tx) error {
			if _, err := tx.ExposureProbeWorkTx(bg, ws[0].ID, telecom.ID); fenghuo.ErrorCode(err) != fenghuo.ENOTFOUND {
				t.Errorf("other probe reads the work: %v", err)
			}
			if ok, _ := tx.DoneExposureProbeWork(bg, ws[0].ID, telecom.ID); ok {
				t.Error("other probe finished the work")
			}
			if ok, err := tx.DoneExposureProbeWork(bg, ws[0].ID, unicom.ID); !ok || err != nil {
				t.Errorf("done: %v %v", ok, err)
			}
			if ok, _ := tx.DoneExposureProbeWork(bg, ws[0].ID, unicom.ID); ok {
				t.Error("done twice")
			}
			ps, err := tx.ProbesNamedTx(bg, "联通探针")
			if err != nil || len(ps) != 1 || ps[0].ID != unicom.ID {
				t.Errorf("probes named: %+v %v", ps, err)
			}
			return nil
		}))

		// A queued check: due now, who asked; cleared by a check that
		// started after the request, not by one that started before.
		must(t, db.WithTx(bg, func(tx *Tx) error { return tx.RequestExposureCheck(bg, sys.ID, tr.hospital.ID, 7, now) }))
		by, at, err := db.ExposureRequest(bg, sys.ID)
		if err != nil || by != 7 || !at.Equal(now) {
			t.Fatalf("request: %d %v %v", by, at, err)
		}
		if ids, _ := db.ClaimDueExposureChecks(bg, now, 10*time.Minute, 10); len(ids) != 1 || ids[0] != sys.ID {
			t.Fatalf("queued check not due: %v", ids)
		}
		must(t, db.WithTx(bg, func(tx *Tx) error { return tx.ClearExposureRequest(bg, sys.ID, now.Add(-time.Second)) }))
		if by, _, _ := db.ExposureRequest(bg, sys.ID); by != 7 {
			t.Fatal("an older check cleared a newer request")
		}
		must(t, db.WithTx(bg, func(tx *Tx) error { return tx.ClearExposureRequest(bg, sys.ID, now) }))
		if by, at, _ := db.ExposureRequest(bg, sys.ID); by != 0 || !at.IsZero() {
			t.Fatalf("request not cleared: %d %v", by, at)
		}
	})
}
