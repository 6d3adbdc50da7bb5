package store

import (
	"testing"
	"time"

	"fenghuo/internal/fenghuo"
)

func TestAwarenessCountsAreScopedAndGrouped(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		tr := mustTree(t, db)
		now := time.Date(2026, 10, 10, 4, 0, 0, 0, time.UTC) // 12:00 in Beijing
		db.SetClock(func() time.Time { return now })
		// Hospital (county A): a grade II open today, a grade II from 23:30
		// Beijing yesterday (15:30 UTC), and a closed one. Water (county B):
		// an open grade II today.
		a := mustIncidentAt(t, db, tr.hospital.ID, "勒索病毒", now.Add(-time.Hour))
		mustIncidentAt(t, db, tr.hospital.ID, "网页篡改", time.Date(2026, 10, 9, 15, 30, 0, 0, time.UTC))
		closed := mustIncidentAt(t, db, tr.hospital.ID, "已关闭", now.Add(-2*time.Hour))
		must(t, db.WithTx(bg, func(tx *Tx) error {
			inc, err := tx.Incident(bg, closed.ID)
			if err != nil {
				return err
			}
			inc.Status = fenghuo.StatusClosed
			return tx.UpdateIncident(bg, inc)
		}))
		mustIncidentAt(t, db, tr.water.ID, "供水", now.Add(-time.Hour))

		counts, err := db.OpenIncidentCounts(bg, tr.countyA.ID)
		must(t, err)
		if len(counts) != 1 || counts[0].UnitID != tr.hospital.ID || counts[0].Grade != "II" || counts[0].Category != "MC01" || counts[0].N != 2 {
			t.Fatalf("county A open counts: %+v", counts)
		}
		counts, err = db.OpenIncidentCounts(bg, tr.city.ID)
		must(t, err)
		total := 0
		for _, c := range counts {
			total += c.N
		}
		if total != 3 {
			t.Fatalf("city open counts: %+v", counts)
		}

		// Days in Beijing time: 23:30 on the 9th is the 9th, not the 10th.
		days, err := db.IncidentDayCounts(bg, tr.countyA.ID, time.Date(2026, 10, 9, 0, 0, 0, 0, shanghai), shanghai)
		must(t, err)
		got := map[string]int{}
		for _, d := range days {
			got[d.Day] = d.N
		}
		if len(got) != 2 || got["2026-10-10"] != 2 || got["2026-10-09"] != 1 {
			t.Fatalf("county A days: %+v", days)
		}
		days, err = db.IncidentDayCounts(bg, tr.countyB.ID, time.Date(2026, 10, 9, 0, 0, 0, 0, shanghai), shanghai)
		must(t, err)
		if len(days) != 1 || days[0].Day != "2026-10-10" || days[0].N != 1 {
			t.Fatalf("county B days: %+v", days)
		}

		// Deadlines: one overdue of the hospital, two due later (one a
		// daily report, left out), one of the water company.
		mk := func(kind string, owner int64, inc int64, due time.Time) *fenghuo.Obligation {
			o := &fenghuo.Obligation{Kind: kind, IncidentID: inc, OwnerOrgID: owner, Title: kind, DueAt: due}
			must(t, db.WithTx(bg, func(tx *Tx) error { return tx.CreateObligation(bg, o) }))
			return o
		}
		late := mk("report", tr.hospital.ID, a.ID, now.Add(-30*time.Minute))
		soon := mk("report", tr.hospital.ID, a.ID, now.Add(time.Hour))
		mk("daily_report", tr.hospital.ID, 0, now.Add(2*time.Hour))
		mk("report", tr.water.ID, 0, now.Add(3*time.Hour))

		next, err := db.SubtreeDeadlines(bg, DeadlineFilter{OrgPath: tr.countyA.Path, SkipKinds: []string{"daily_report"}, After: now, Limit: 5})
		must(t, err)
		if next.Total != 1 || len(next.Items) != 1 || next.Items[0].ID != soon.ID || next.Items[0].OwnerName != tr.hospital.Name ||
			next.Items[0].IncidentGrade != "II" || next.Items[0].IncidentTitle != "勒索病毒" {
			t.Fatalf("county A next: %+v", next)
		}
		overdue, err := db.SubtreeDeadlines(bg, DeadlineFilter{OrgPath: tr.countyA.Path, Until: now, Limit: 5})
		must(t, err)
		if overdue.Total != 1 || overdue.Items[0].ID != late.ID || !overdue.Items[0].DueAt.Equal(late.DueAt) {
			t.Fatalf("county A overdue: %+v", overdue)
		}
		overdue, err = db.SubtreeDeadlines(bg, DeadlineFilter{OrgPath: tr.countyB.Path, Until: now, Limit: 5})
		must(t, err)
		if overdue.Total != 0 || len(overdue.Items) != 0 {
			t.Fatalf("county B sees county A's overdue duty: %+v", overdue)
		}
		uncounted, err := db.SubtreeDeadlines(bg, DeadlineFilter{OrgPath: tr.city.Path, After: now, Limit: 5, NoCount: true})
		must(t, err)
		if uncounted.Total != 0 || len(uncounted.Items) != 3 {
			t.Fatalf("city next without a count: %+v", uncounted)
		}
		all, err := db.SubtreeDeadlines(bg, DeadlineFilter{OrgPath: tr.city.Path, After: now, Limit: 5})
		must(t, err)
		if all.Total != 3 || all.Items[0].ID != soon.ID || all.Items[1].Kind != "daily_report" {
			t.Fatalf("city next: %+v", all)
		}
		by, err := db.OverdueByOwner(bg, tr.city.Path, now, nil)
		must(t, err)
		if len(by) != 1 || by[tr.hospital.ID] != 1 {
			t.Fatalf("overdue by owner: %+v", by)
		}

		// Monitors: the hospital's site is down with an open defacement
		// alert; the water company's is up. A resolved alert counts not.
		sysA := &fenghuo.System{OrgID: tr.hospital.ID, Name: "门户"}
		sysB := &fenghuo.System{OrgID: tr.water.ID, Name: "门户"}
		must(t, db.CreateSystem(bg, sysA))
		must(t, db.CreateSystem(bg, sysB))
		mA := &Monitor{SystemID: sysA.ID, URL: "http://127.0.0.1:1/", Checks: []string{"availability"}, Interval: time.Minute, Enabled: true, Agreement: 1}
		mB := &Monitor{SystemID: sysB.ID, URL: "http://127.0.0.1:2/", Checks: []string{"availability"}, Interval: time.Minute, Enabled: true, Agreement: 1}
		must(t, db.CreateMonitor(bg, mA))
		must(t, db.CreateMonitor(bg, mB))
		mA.Status, mB.Status = "down", "up"
		must(t, db.SaveMonitorState(bg, mA))
		must(t, db.SaveMonitorState(bg, mB))
		_, err = db.RecordAlert(bg, mA.ID, sysA.ID, "defacement", "monitor:a:defacement", "[]", now)
		must(t, err)
		_, err = db.RecordAlert(bg, mB.ID, sysB.ID, "cert_expiring", "monitor:b:cert", "[]", now)
		must(t, err)
		sum, err := db.MonitorSummary(bg, tr.countyA.Path, []string{"defacement"})
		must(t, err)
		if sum.Total != 1 || sum.Up != 0 || sum.Down != 1 || sum.Tampered != 1 || sum.OpenAlerts != 1 ||
			len(sum.DownByOrg) != 1 || sum.DownByOrg[tr.hospital.ID] != 1 || len(sum.TamperedByOrg) != 1 || sum.TamperedByOrg[tr.hospital.ID] != 1 {
			t.Fatalf("county A monitors: %+v", sum)
		}
		sum, err = db.MonitorSummary(bg, tr.countyB.Path, []string{"defacement"})
		must(t, err)
		if sum.Total != 1 || sum.Up != 1 || sum.Down != 0 || sum.Tampered != 0 || sum.OpenAlerts != 1 || len(sum.DownByOrg) != 0 || len(sum.TamperedByOrg) != 0 {
			t.Fatalf("county B monitors: %+v", sum)
		}
		// A second tamper alert of the same site counts the site once; a
		// disabled monitor and its alerts count not.
		_, err = db.RecordAlert(bg, mA.ID, sysA.ID, "defacement", "monitor:a:defacement2", "[]", now)
		must(t, err)
		mC := &Monitor{SystemID: sysA.ID, URL: "http://127.0.0.1:3/", Checks: []string{"availability"}, Interval: time.Minute, Agreement: 1}
		must(t, db.CreateMonitor(bg, mC))
		mC.Status = "down"
		must(t, db.SaveMonitorState(bg, mC))
		must(t, db.WithTx(bg, func(tx *Tx) error { // no store method disables a monitor yet
			_, err := tx.c.exec(bg, "UPDATE monitors SET enabled = 0 WHERE id = ?", mC.ID)
			return err
		}))
		_, err = db.RecordAlert(bg, mC.ID, sysA.ID, "defacement", "monitor:c:defacement", "[]", now)
		must(t, err)
		sum, err = db.MonitorSummary(bg, tr.city.Path, []string{"defacement"})
		must(t, err)
		if sum.Total != 2 || sum.Up != 1 || sum.Down != 1 || sum.Tampered != 1 || sum.OpenAlerts != 3 || sum.TamperedByOrg[tr.hospital.ID] != 1 {
			t.Fatalf("city monitors: %+v", sum)
		}
	})
}
