package store

import (
	"testing"
	"time"

	"fenghuo/internal/fenghuo"
)

func testDrill(orgID int64, held time.Time) *fenghuo.Drill {
	return &fenghuo.Drill{OrgID: orgID, Kind: fenghuo.DrillTabletop, HeldOn: held, Title: "勒索病毒桌面推演",
		Participants: "信息科、院办", Headcount: 12, PlanID: "cac-2025", Scenario: "HIS服务器被加密", Result: "45分钟内完成报告",
		FiledToOrgID: 0}
}

func TestDrillClosesTheYearlyDutyAndListsUnitsWithout(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		tr := mustTree(t, db)
		now := time.Date(2026, 1, 2, 1, 0, 0, 0, time.UTC)
		db.SetClock(func() time.Time { return now })
		remind := time.Date(2026, 12, 1, 0, 0, 0, 0, shanghai)

		// Every operator unit without a duty gets one; offices do not.
		var units []fenghuo.Org
		must(t, db.WithTx(bg, func(tx *Tx) error {
			var err error
			units, err = tx.UnitsWithoutDrillDuty(bg, 2026, 100)
			return err
		}))
		if len(units) != 3 {
			t.Fatalf("units without duty: %+v", units)
		}
		must(t, db.WithTx(bg, func(tx *Tx) error {
			for _, u := range units {
				if _, err := tx.CreateDrillDuty(bg, u.ID, 2026, u.ParentID, remind); err != nil {
					return err
				}
			}
			left, err := tx.UnitsWithoutDrillDuty(bg, 2026, 100)
			if len(left) != 0 {
				t.Errorf("left: %+v", left)
			}
			return err
		}))

		// A drill of 2026 (Shanghai date: 31 December 2026 23:30 CST is
		// still 2026) closes the hospital's duty on time.
		now = time.Date(2026, 6, 1, 1, 0, 0, 0, time.UTC)
		d := testDrill(tr.hospital.ID, time.Date(2026, 12, 31, 15, 30, 0, 0, time.UTC))
		must(t, db.WithTx(bg, func(tx *Tx) error { return tx.CreateDrill(bg, d) }))
		if d.Year != 2026 {
			t.Fatalf("year %d", d.Year)
		}
		var duty *fenghuo.Obligation
		must(t, db.View(bg, func(tx *Tx) error {
			var err error
			duty, err = tx.DrillDuty(bg, tr.hospital.ID, 2026)
			return err
		}))
		if duty.State != fenghuo.ObligationOnTime || duty.IncidentID != 0 || duty.SubjectID != 2026 ||
			duty.RecipientOrgID != tr.countyA.ID || !duty.DueAt.Equal(time.Date(2027, 1, 1, 0, 0, 0, 0, shanghai)) {
			t.Fatalf("duty: %+v", duty)
		}
		// A drill held at 16:30 UTC on 31 December is 1 January in Shanghai.
		d2 := testDrill(tr.school.ID, time.Date(2026, 12, 31, 16, 30, 0, 0, time.UTC))
		must(t, db.WithTx(bg, func(tx *Tx) error { return tx.CreateDrill(bg, d2) }))
		if d2.Year != 2027 {
			t.Fatalf("year %d", d2.Year)
		}

		missing, err := db.UnitsWithoutDrill(bg, tr.city.Path, 2026, Page{})
		must(t, err)
		if missing.Total != 2 || missing.Items[0].ID != tr.school.ID || missing.Items[1].ID != tr.water.ID {
			t.Fatalf("missing: %+v", missing)
		}
		missing, err = db.UnitsWithoutDrill(bg, tr.countyA.Path, 2026, Page{})
		must(t, err)
		if missing.Total != 1 || missing.Items[0].ID != tr.school.ID {
			t.Fatalf("missing in county A: %+v", missing)
		}
		list, err := db.Drills(bg, tr.countyB.Path, 2026, Page{})
		must(t, err)
		if list.Total != 0 {
			t.Fatalf("county B sees %+v", list)
		}
		list, err = db.Drills(bg, tr.countyA.Path, 2026, Page{})
		must(t, err)
		if list.Total != 1 || list.Items[0].Title != d.Title || list.Items[0].Headcount != 12 {
			t.Fatalf("drills: %+v", list)
		}
		counts, err := db.DrillCounts(bg, tr.city.Path, 2026)
		must(t, err)
		if counts[tr.hospital.ID] != 1 || counts[tr.school.ID] != 0 {
			t.Fatalf("counts %v", counts)
		}

		// An invalid drill is refused with the field named.
		bad := testDrill(tr.water.ID, now)
		bad.Kind = "party"
		err = db.WithTx(bg, func(tx *Tx) error { return tx.CreateDrill(bg, bad) })
		wantCode(t, err, fenghuo.EINVALID)

		// Tallies: the hospital's duty met on time; the school's open
		// duty counts only once past its deadline.
		from, to := time.Date(2026, 1, 1, 0, 0, 0, 0, shanghai), time.Date(2028, 1, 1, 0, 0, 0, 0, shanghai)
		tallies, err := db.DutyTallies(bg, tr.city.Path, []string{ObligationKindDrillYear}, from, to, now)
		must(t, err)
		got := map[int64]DutyTally{}
		for _, x := range tallies {
			got[x.OrgID] = x
		}
		if got[tr.hospital.ID].Met != 1 || got[tr.hospital.ID].Due != 1 || got[tr.school.ID].Due != 0 {
			t.Fatalf("tallies before the deadline: %+v", got)
		}
		tallies, err = db.DutyTallies(bg, tr.city.Path, []string{ObligationKindDrillYear}, from, to, time.Date(2027, 1, 2, 0, 0, 0, 0, shanghai))
		must(t, err)
		got = map[int64]DutyTally{}
		for _, x := range tallies {
			got[x.OrgID] = x
		}
		if got[tr.school.ID].Met != 0 || got[tr.school.ID].Due != 1 {
			t.Fatalf("tallies after the deadline: %+v", got)
		}
	})
}

func TestActivitiesBySubtreeAndPeriod(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		tr := mustTree(t, db)
		held := time.Date(2026, 9, 10, 2, 0, 0, 0, time.UTC)
		a := &fenghuo.Activity{OrgID: tr.school.ID, Category: fenghuo.ActivityPublicity, HeldOn: held, Kind: "网络安全宣传周",
			Audience: "全校师生", Count: 800, Summary: "发放宣传册，开展防诈骗讲座"}
		must(t, db.WithTx(bg, func(tx *Tx) error { return tx.CreateActivity(bg, a) }))
		bad := *a
		bad.Count = 0
		wantCode(t, db.WithTx(bg, func(tx *Tx) error { return tx.CreateActivity(bg, &bad) }), fenghuo.EINVALID)
		from, to := time.Date(2026, 1, 1, 0, 0, 0, 0, shanghai), time.Date(2027, 1, 1, 0, 0, 0, 0, shanghai)
		res, err := db.Activities(bg, tr.countyA.Path, from, to, Page{})
		must(t, err)
		if res.Total != 1 || res.Items[0].Count != 800 || !res.Items[0].HeldOn.Equal(held) {
			t.Fatalf("activities: %+v", res)
		}
		res, err = db.Activities(bg, tr.countyB.Path, from, to, Page{})
		must(t, err)
		if res.Total != 0 {
			t.Fatalf("county B: %+v", res)
		}
		res, err = db.Activities(bg, tr.city.Path, to, to.AddDate(1, 0, 0), Page{})
		must(t, err)
		if res.Total != 0 {
			t.Fatalf("next year: %+v", res)
		}
	})
}
