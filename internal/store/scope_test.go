package store

import (
	"bytes"
	"testing"
	"time"

	"fenghuo/internal/fenghuo"
)

// The incident scope follows the org tree: a unit moved to another county
// takes its incidents along, a status change shows in the filtered lists at
// once, and a restore rebuilds the scope and the reporting counters.
func TestIncidentScopeFollowsMovesAndUpdates(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		tr := mustTree(t, db)
		now := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
		inc := &fenghuo.Incident{OrgID: tr.school.ID, Title: "网页篡改", Status: fenghuo.StatusDraft, DiscoveredAt: now,
			Grade: "IV", ComputedGrade: "IV", Channel: fenghuo.ChannelUnit}
		must(t, db.WithTx(bg, func(tx *Tx) error {
			if err := tx.CreateIncident(bg, inc); err != nil {
				return err
			}
			return tx.CreateObligation(bg, &fenghuo.Obligation{Kind: "report", IncidentID: inc.ID, OwnerOrgID: tr.school.ID,
				RecipientOrgID: tr.countyA.ID, Title: "向县网信办报告", DueAt: now.Add(time.Hour)})
		}))
		total := func(org *fenghuo.Org, f IncidentFilter) int {
			t.Helper()
			f.ScopeOrgID = org.ID
			res, err := db.Incidents(bg, f, Page{})
			must(t, err)
			return res.Total
		}
		if total(tr.countyA, IncidentFilter{}) != 1 || total(tr.countyB, IncidentFilter{}) != 0 || total(tr.city, IncidentFilter{}) != 1 {
			t.Fatal("scope before the move")
		}
		school, err := db.Org(bg, tr.school.ID)
		must(t, err)
		must(t, db.MoveOrg(bg, school.ID, tr.countyB.ID, school.Version))
		if total(tr.countyA, IncidentFilter{}) != 0 || total(tr.countyB, IncidentFilter{}) != 1 || total(tr.city, IncidentFilter{}) != 1 {
			t.Fatal("the moved unit's incident did not move with it")
		}
		if total(tr.countyB, IncidentFilter{Open: true}) != 1 || total(tr.countyB, IncidentFilter{Status: fenghuo.StatusClosed}) != 0 {
			t.Fatal("status filters before the update")
		}
		got, err := db.Incident(bg, inc.ID)
		must(t, err)
		got.Status, got.Title = fenghuo.StatusClosed, "网页篡改(已处置)"
		must(t, db.WithTx(bg, func(tx *Tx) error { return tx.UpdateIncident(bg, got) }))
		if total(tr.countyB, IncidentFilter{Open: true}) != 0 || total(tr.countyB, IncidentFilter{Status: fenghuo.StatusClosed}) != 1 ||
			total(tr.countyB, IncidentFilter{Query: "已处置"}) != 1 {
			t.Fatal("the scope did not follow the update")
		}
		// The reporting counters follow state changes.
		obs, err := db.Obligations(bg, ObligationFilter{IncidentID: inc.ID}, Page{})
		must(t, err)
		o := obs.Items[0]
		o.Complete(now.Add(2*time.Hour), "late")
		must(t, db.WithTx(bg, func(tx *Tx) error { return tx.UpdateObligation(bg, &o) }))
		recs, err := db.ReportingRecords(bg, tr.city.Path, now)
		must(t, err)
		if len(recs) != 1 || recs[0].Late != 1 || recs[0].Open != 0 {
			t.Fatalf("records %+v", recs)
		}
		// A restore rebuilds both from the rows.
		var buf bytes.Buffer
		must(t, db.Backup(bg, &buf))
		restored := MustOpenDB(t, db.Engine())
		must(t, restored.Restore(bg, &buf))
		res, err := restored.Incidents(bg, IncidentFilter{ScopeOrgID: tr.countyB.ID, Status: fenghuo.StatusClosed}, Page{})
		must(t, err)
		recs, err = restored.ReportingRecords(bg, tr.city.Path, now)
		must(t, err)
		if res.Total != 1 || len(recs) != 1 || recs[0].Late != 1 {
			t.Fatalf("after restore: %d incidents, records %+v", res.Total, recs)
		}
	})
}
