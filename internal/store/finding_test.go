package store

import (
	"testing"
	"time"

	"fenghuo/internal/fenghuo"
)

func TestFindingIsAnObligationAndActiveKeyIsUnique(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		tr := mustTree(t, db)
		now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
		db.SetClock(func() time.Time { return now })
		f := &fenghuo.Finding{OrgID: tr.hospital.ID, Source: fenghuo.FindingSourceInspection, SourceRef: "campaign:1",
			Key: "weak-password/his", Title: "HIS系统弱口令", Severity: fenghuo.SeverityHigh, DueAt: now.Add(7 * 24 * time.Hour), CreatedBy: 3}
		must(t, db.WithTx(bg, func(tx *Tx) error {
			return tx.CreateFinding(bg, f, Duty{RecipientOrgID: tr.countyA.ID, RemindAt: now.Add(6 * 24 * time.Hour), Clause: "隐患整改时限"})
		}))
		o, err := obligationOf(db, f.ObligationID)
		must(t, err)
		if o.Kind != ObligationKindFinding || o.IncidentID != 0 || o.SubjectID != f.ID || o.OwnerOrgID != tr.hospital.ID ||
			o.RecipientOrgID != tr.countyA.ID || !o.DueAt.Equal(f.DueAt) || o.Title != "隐患整改：HIS系统弱口令" || o.State != fenghuo.ObligationOpen {
			t.Fatalf("obligation: %+v", o)
		}
		got, err := db.Finding(bg, f.ID)
		must(t, err)
		if got.State != fenghuo.FindingOpen || got.Occurrences != 1 || got.ObligationID != o.ID || got.Key != f.Key ||
			!got.FirstSeenAt.Equal(now) || got.SourceRef != "campaign:1" {
			t.Fatalf("finding: %+v", got)
		}

		// A second active finding with the same unit, system and key is
		// refused by the engine; the same key on another unit is not.
		dup := *f
		dup.ID = 0
		err = db.WithTx(bg, func(tx *Tx) error { return tx.CreateFinding(bg, &dup, Duty{}) })
		wantCode(t, err, fenghuo.ECONFLICT)
		other := *f
		other.OrgID = tr.school.ID
		must(t, db.WithTx(bg, func(tx *Tx) error { return tx.CreateFinding(bg, &other, Duty{}) }))

		// ActiveFindingByKey finds it; once closed it is not active and the
		// key may be raised anew.
		now = now.Add(48 * time.Hour)
		must(t, db.WithTx(bg, func(tx *Tx) error {
			a, err := tx.ActiveFindingByKey(bg, tr.hospital.ID, 0, "weak-password/his")
			if err != nil {
				return err
			}
			if a.ID != f.ID {
				t.Errorf("active: %+v", a)
			}
			a.State = fenghuo.FindingSubmitted
			if err := tx.CloseFindingDuty(bg, a, true, "已整改"); err != nil {
				return err
			}
			a.State, a.ClosedAt, a.ClosedBy = fenghuo.FindingClosed, now, 4
			if err := tx.UpdateFinding(bg, a); err != nil {
				return err
			}
			return tx.AddFindingEvent(bg, &fenghuo.FindingEvent{FindingID: a.ID, UserID: 4, UserName: "复核员", Kind: "state", State: a.State, Body: "复核通过"})
		}))
		o, err = obligationOf(db, o.ID)
		must(t, err)
		if o.State != fenghuo.ObligationOnTime {
			t.Fatalf("obligation after submission on time: %+v", o)
		}
		err = db.WithTx(bg, func(tx *Tx) error {
			_, err := tx.ActiveFindingByKey(bg, tr.hospital.ID, 0, "weak-password/his")
			return err
		})
		wantCode(t, err, fenghuo.ENOTFOUND)
		again := *f
		again.ID = 0
		must(t, db.WithTx(bg, func(tx *Tx) error { return tx.CreateFinding(bg, &again, Duty{}) }))
		events, err := db.FindingEvents(bg, f.ID)
		must(t, err)
		if len(events) != 1 || events[0].Body != "复核通过" || !events[0].At.Equal(now) {
			t.Fatalf("events: %+v", events)
		}
		closed, err := db.Finding(bg, f.ID)
		must(t, err)
		if closed.State != fenghuo.FindingClosed || closed.ObligationID != 0 || !closed.ClosedAt.Equal(now) {
			t.Fatalf("closed: %+v", closed)
		}

		// A finding without a title is refused before the engine sees it.
		err = db.WithTx(bg, func(tx *Tx) error {
			return tx.CreateFinding(bg, &fenghuo.Finding{OrgID: tr.school.ID, Source: "inspection", Key: "k", Severity: "low"}, Duty{})
		})
		wantCode(t, err, fenghuo.EINVALID)
	})
}

// An office sees its subtree's findings through finding_scope, which
// follows an org move and a state change.
func TestFindingScopeFollowsMovesAndStates(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		tr := mustTree(t, db)
		now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
		db.SetClock(func() time.Time { return now })
		f := &fenghuo.Finding{OrgID: tr.hospital.ID, Source: fenghuo.FindingSourceExposure, Key: "port/3389", Title: "远程桌面暴露",
			Severity: fenghuo.SeverityCritical, DueAt: now.Add(72 * time.Hour)}
		must(t, db.WithTx(bg, func(tx *Tx) error { return tx.CreateFinding(bg, f, Duty{}) }))
		ids := func(scope int64, state string) []int64 {
			t.Helper()
			res, err := db.Findings(bg, FindingFilter{ScopeOrgID: scope, State: state}, Page{})
			must(t, err)
			var out []int64
			for _, it := range res.Items {
				out = append(out, it.ID)
			}
			return out
		}
		if len(ids(tr.city.ID, "")) != 1 || len(ids(tr.countyA.ID, "work")) != 1 || len(ids(tr.hospital.ID, "")) != 1 || len(ids(tr.countyB.ID, "")) != 0 {
			t.Fatal("scope before the move")
		}
		o, err := db.Org(bg, tr.hospital.ID)
		must(t, err)
		must(t, db.MoveOrg(bg, tr.hospital.ID, tr.countyB.ID, o.Version))
		if len(ids(tr.countyA.ID, "")) != 0 || len(ids(tr.countyB.ID, "")) != 1 || len(ids(tr.city.ID, "")) != 1 {
			t.Fatal("scope after the move")
		}
		must(t, db.WithTx(bg, func(tx *Tx) error {
			g, err := tx.LockFinding(bg, f.ID)
			if err != nil {
				return err
			}
			g.State = fenghuo.FindingSubmitted
			return tx.UpdateFinding(bg, g)
		}))
		if len(ids(tr.countyB.ID, "work")) != 0 || len(ids(tr.countyB.ID, fenghuo.FindingSubmitted)) != 1 {
			t.Fatal("scope after the state change")
		}
		counts, err := db.FindingCounts(bg, tr.city.ID, now)
		must(t, err)
		if len(counts) != 1 || counts[0].OrgID != tr.hospital.ID || counts[0].State != fenghuo.FindingSubmitted || counts[0].N != 1 {
			t.Fatalf("counts: %+v", counts)
		}
	})
}
