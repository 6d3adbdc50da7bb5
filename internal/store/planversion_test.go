package store

import (
	"testing"
	"time"

	"fenghuo/internal/fenghuo"
)

func TestPlanVersions(t *testing.T) {
	// GB/T 32905-2016 example 1: SM3("abc").
	if got := PlanDigest("abc"); got != "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0" {
		t.Fatalf("PlanDigest(abc) = %s", got)
	}
	eachEngine(t, func(t *testing.T, db *DB) {
		now := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
		db.SetClock(func() time.Time { return now })
		wantCode(t, func() error { _, err := db.CurrentPlanVersion(bg, "wushen-county"); return err }(), fenghuo.ENOTFOUND)
		stamp0, err := db.PlanVersionsStamp(bg)
		must(t, err)
		texts := []string{"id: wushen-county\nversion: 1\n", "id: wushen-county\nversion: 2\n"}
		for i, text := range texts {
			v := &fenghuo.PlanVersion{PlanID: "wushen-county", YAML: text, UploadedBy: 7, Note: "修订"}
			must(t, db.WithTx(bg, func(tx *Tx) error { return tx.CreatePlanVersion(bg, v) }))
			if v.Version != i+1 || v.SM3 != PlanDigest(text) || v.State != fenghuo.PlanVersionActive {
				t.Fatalf("version %d: %+v", i+1, v)
			}
			now = now.Add(time.Hour)
		}
		other := &fenghuo.PlanVersion{PlanID: "cac-2025", YAML: "id: cac-2025\n"}
		must(t, db.WithTx(bg, func(tx *Tx) error { return tx.CreatePlanVersion(bg, other) }))
		wantCode(t, db.WithTx(bg, func(tx *Tx) error { return tx.CreatePlanVersion(bg, &fenghuo.PlanVersion{PlanID: "x"}) }), fenghuo.EINVALID)

		stamp3, err := db.PlanVersionsStamp(bg)
		must(t, err)
		if stamp0 != "0" || stamp3 == stamp0 {
			t.Fatalf("stamps: %q then %q", stamp0, stamp3)
		}
		must(t, db.View(bg, func(tx *Tx) error {
			n, err := tx.PlanVersionCount(bg, "wushen-county")
			if err == nil && n != 2 {
				t.Errorf("count of wushen-county versions = %d", n)
			}
			return err
		}))
		cur, err := db.CurrentPlanVersion(bg, "wushen-county")
		must(t, err)
		if cur.Version != 2 || cur.YAML != texts[1] || cur.UploadedBy != 7 || !cur.UploadedAt.Equal(now.Add(-time.Hour)) {
			t.Fatalf("current: %+v", cur)
		}
		old, err := db.PlanVersion(bg, "wushen-county", 1)
		must(t, err)
		if old.State != fenghuo.PlanVersionSuperseded || old.YAML != texts[0] {
			t.Fatalf("version 1: %+v", old)
		}
		wantCode(t, func() error { _, err := db.PlanVersion(bg, "wushen-county", 3); return err }(), fenghuo.ENOTFOUND)
		list, err := db.PlanVersions(bg, "wushen-county")
		must(t, err)
		if len(list) != 2 || list[0].Version != 2 || list[1].Version != 1 || list[0].YAML != "" || list[0].SM3 != PlanDigest(texts[1]) {
			t.Fatalf("versions: %+v", list)
		}
		all, err := db.CurrentPlanVersions(bg)
		must(t, err)
		if len(all) != 2 || all[0].PlanID != "cac-2025" || all[1].Version != 2 {
			t.Fatalf("current versions: %+v", all)
		}
		// The database itself refuses a second active version of a plan.
		_, err = db.write.Exec(db.d.rebind(`INSERT INTO plan_versions (plan_id, version, yaml, sm3, uploaded_at, state)
			VALUES (?, 9, 'x', 'x', 1, 'active')`), "wushen-county")
		if fenghuo.ErrorCode(db.d.mapError(err)) != fenghuo.ECONFLICT {
			t.Fatalf("second active version: %v", err)
		}
	})
}

func TestReportingSignals(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		tr := mustTree(t, db)
		day := func(d int) time.Time { return time.Date(2026, 10, d, 9, 0, 0, 0, time.UTC) }
		now := day(5)
		db.SetClock(func() time.Time { return now })
		waterInc := mustIncidentAt(t, db, tr.water.ID, "勒索病毒", day(1))
		hospInc := mustIncidentAt(t, db, tr.hospital.ID, "网页篡改", day(1))
		duty := func(org int64, kind, state string, due time.Time) {
			t.Helper()
			must(t, db.WithTx(bg, func(tx *Tx) error {
				o := &fenghuo.Obligation{Kind: kind, IncidentID: waterInc.ID, OwnerOrgID: org, Title: "报告", DueAt: due}
				if err := tx.CreateObligation(bg, o); err != nil {
					return err
				}
				if state == fenghuo.ObligationOpen {
					return nil
				}
				o.State, o.DoneAt = state, due.Add(time.Hour)
				return tx.UpdateObligation(bg, o)
			}))
		}
		duty(tr.water.ID, "report", fenghuo.ObligationLate, day(2))
		duty(tr.water.ID, "report", fenghuo.ObligationMissed, day(3))
		duty(tr.water.ID, "report", fenghuo.ObligationOpen, day(4))                    // open past due at now: missed
		duty(tr.water.ID, "report", fenghuo.ObligationOpen, day(6))                    // not due yet at now
		duty(tr.water.ID, "report", fenghuo.ObligationLate, day(1).AddDate(0, 0, -10)) // before the window
		duty(tr.water.ID, "report", fenghuo.ObligationOnTime, day(2))
		duty(tr.water.ID, "task", fenghuo.ObligationOpen, day(2)) // not a report
		duty(tr.hospital.ID, "forward", fenghuo.ObligationLate, day(3))

		must(t, db.WithTx(bg, func(tx *Tx) error {
			return tx.MarkConcealment(bg, &fenghuo.ConcealmentMark{IncidentID: hospInc.ID, UnitOrgID: tr.hospital.ID, Reason: "监测发现，单位未报告"})
		}))
		wantCode(t, db.WithTx(bg, func(tx *Tx) error {
			return tx.MarkConcealment(bg, &fenghuo.ConcealmentMark{IncidentID: hospInc.ID, UnitOrgID: tr.hospital.ID, Reason: "again"})
		}), fenghuo.ECONFLICT)
		wantCode(t, db.WithTx(bg, func(tx *Tx) error {
			return tx.MarkConcealment(bg, &fenghuo.ConcealmentMark{IncidentID: waterInc.ID, UnitOrgID: tr.water.ID})
		}), fenghuo.EINVALID)
		mark, err := db.Concealment(bg, hospInc.ID)
		must(t, err)
		if mark.UnitOrgID != tr.hospital.ID || !mark.MarkedAt.Equal(now) {
			t.Fatalf("mark: %+v", mark)
		}

		city, err := db.Org(bg, tr.city.ID)
		must(t, err)
		sig, err := db.ReportingSignalsOf(bg, city.Path, day(1), day(8), now)
		must(t, err)
		got := map[int64]fenghuo.ReportingSignals{}
		for _, s := range sig {
			got[s.OrgID] = s
		}
		if len(sig) != 2 {
			t.Fatalf("signals: %+v", sig)
		}
		if w := got[tr.water.ID]; w.Late != 1 || w.Missed != 2 || w.Conceal != 0 || w.OrgName != tr.water.Name {
			t.Fatalf("water: %+v", w)
		}
		if h := got[tr.hospital.ID]; h.Late != 1 || h.Missed != 0 || h.Conceal != 1 {
			t.Fatalf("hospital: %+v", h)
		}
		// A later now: the duty due on the 6th is missed too. A county sees its own subtree only.
		countyB, err := db.Org(bg, tr.countyB.ID)
		must(t, err)
		sig, err = db.ReportingSignalsOf(bg, countyB.Path, day(1), day(8), day(7))
		must(t, err)
		if len(sig) != 1 || sig[0].OrgID != tr.water.ID || sig[0].Missed != 3 {
			t.Fatalf("county B at the 7th: %+v", sig)
		}
		// A window ending before the open duties were due leaves them out.
		sig, err = db.ReportingSignalsOf(bg, countyB.Path, day(1), day(4), day(7))
		must(t, err)
		if len(sig) != 1 || sig[0].Missed != 1 || sig[0].Late != 1 {
			t.Fatalf("county B, window to the 4th: %+v", sig)
		}
		// Cleared: the hospital's concealment is no longer counted.
		must(t, db.WithTx(bg, func(tx *Tx) error { return tx.ClearConcealment(bg, hospInc.ID) }))
		wantCode(t, db.WithTx(bg, func(tx *Tx) error { return tx.ClearConcealment(bg, hospInc.ID) }), fenghuo.ENOTFOUND)
		sig, err = db.ReportingSignalsOf(bg, city.Path, day(1), day(8), now)
		must(t, err)
		for _, s := range sig {
			if s.Conceal != 0 {
				t.Fatalf("cleared mark counted: %+v", s)
			}
		}
	})
}
