package store

import (
	"testing"
	"time"

	"fenghuo/internal/fenghuo"
)

// TestStatisticsCounts: incidents count per China day, grade, category and
// unit within an office's scope and range; report duties per due day,
// owner and state, open ones split by overdue at now; a sibling county's
// counts in neither, and the ends of the range are exact.
func TestStatisticsCounts(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		tr := mustTree(t, db)
		// 23:30 on 30 November in Beijing is 15:30 UTC: still November.
		lateNov := time.Date(2026, 11, 30, 15, 30, 0, 0, time.UTC)
		earlyDec := time.Date(2026, 11, 30, 16, 30, 0, 0, time.UTC) // 00:30 on 1 December in Beijing
		add := func(org int64, at time.Time, grade, cat string, duty string, due time.Time) {
			inc := &fenghuo.Incident{OrgID: org, Title: "事件", Category: cat, Status: fenghuo.StatusReported, DiscoveredAt: at,
				Grade: fenghuo.Grade(grade), ComputedGrade: fenghuo.Grade(grade), Channel: fenghuo.ChannelUnit}
			must(t, db.WithTx(bg, func(tx *Tx) error {
				if err := tx.CreateIncident(bg, inc); err != nil {
					return err
				}
				o := &fenghuo.Obligation{Kind: "report", IncidentID: inc.ID, OwnerOrgID: org, Title: "初报", DueAt: due}
				if err := tx.CreateObligation(bg, o); err != nil {
					return err
				}
				if duty != "open" {
					o.State = duty
					o.DoneAt = due
					return tx.UpdateObligation(bg, o)
				}
				return nil
			}))
		}
		add(tr.school.ID, lateNov, "II", "NA09", fenghuo.ObligationOnTime, lateNov.Add(20*time.Minute)) // 23:50 in Beijing
		add(tr.school.ID, lateNov, "II", "NA09", fenghuo.ObligationLate, lateNov.Add(2*time.Hour))
		add(tr.hospital.ID, earlyDec, "IV", "", "open", earlyDec.Add(time.Hour))
		add(tr.water.ID, lateNov, "I", "NA09", "open", lateNov.Add(time.Hour)) // the other county
		from := time.Date(2026, 11, 1, 0, 0, 0, 0, shanghai)
		to := time.Date(2026, 12, 1, 0, 0, 0, 0, shanghai)
		counts, err := db.IncidentCounts(bg, tr.countyA.ID, from, to)
		must(t, err)
		if len(counts) != 1 || counts[0].N != 2 || counts[0].Grade != "II" || counts[0].UnitID != tr.school.ID ||
			DayOf(counts[0].Day).Format("2006-01-02") != "2026-11-30" {
			t.Fatalf("November in the county: %+v", counts)
		}
		counts, err = db.IncidentCounts(bg, tr.countyA.ID, to, to.AddDate(0, 1, 0))
		must(t, err)
		if len(counts) != 1 || counts[0].UnitID != tr.hospital.ID || DayOf(counts[0].Day).Format("2006-01-02") != "2026-12-01" {
			t.Fatalf("December in the county: %+v", counts)
		}
		now := earlyDec.Add(3 * time.Hour)
		duties, err := db.ReportDutyCounts(bg, tr.countyA.Path, from, to.AddDate(0, 1, 0), now)
		must(t, err)
		got := map[string]int{}
		for _, d := range duties {
			got[DayOf(d.Day).Format("01-02")+" "+d.State+map[bool]string{true: " overdue"}[d.Overdue]] += d.N
			if d.OrgID == tr.water.ID {
				t.Errorf("the other county's duty is counted: %+v", d)
			}
		}
		// The late duty was due 01:30 on 1 December in Beijing.
		want := map[string]int{"11-30 on_time": 1, "12-01 late": 1, "12-01 open overdue": 1}
		for k, n := range want {
			if got[k] != n {
				t.Errorf("duties %v, want %v", got, want)
				break
			}
		}
		if len(got) != len(want) {
			t.Errorf("duties %v, want %v", got, want)
		}
	})
}
