package store

import (
	"context"
	"testing"
	"time"

	"fenghuo/internal/fenghuo"
)

func TestLiveEventsFeed(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		tr := mustTree(t, db)
		t0 := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
		now := t0
		db.SetClock(func() time.Time { return now })
		if id, err := db.LastLiveEventID(bg); err != nil || id != 0 {
			t.Fatalf("empty feed: %d %v", id, err)
		}
		// A rolled-back change leaves no event.
		db.WithTx(bg, func(tx *Tx) error {
			must(t, tx.AddLiveEvents(bg, LiveEvent{OrgID: tr.countyA.ID, Kind: "report.initial"}))
			return fenghuo.Errorf(fenghuo.EINVALID, "rolled back")
		})
		must(t, db.WithTx(bg, func(tx *Tx) error {
			return tx.AddLiveEvents(bg,
				LiveEvent{OrgID: tr.countyA.ID, Kind: "report.initial", Subject: "收到初报", Link: "/incidents/1"},
				LiveEvent{OrgID: 0, Kind: "obligation.overdue"}, // nobody's: dropped
				LiveEvent{OrgID: tr.water.ID, Kind: "incident.status"})
		}))
		evs, err := db.LiveEventsAfter(bg, 0, 10)
		must(t, err)
		if len(evs) != 2 || evs[0].Kind != "report.initial" || evs[0].OrgPath != tr.countyA.Path || evs[0].Link != "/incidents/1" ||
			evs[0].Subject != "收到初报" || !evs[0].CreatedAt.Equal(t0) || evs[1].OrgPath != tr.water.Path || evs[1].ID <= evs[0].ID {
			t.Fatalf("feed %+v", evs)
		}
		if after, _ := db.LiveEventsAfter(bg, evs[0].ID, 10); len(after) != 1 || after[0].ID != evs[1].ID {
			t.Fatalf("after %d: %+v", evs[0].ID, after)
		}
		if last, _ := db.LastLiveEventID(bg); last != evs[1].ID {
			t.Fatalf("last %d", last)
		}
		// Retention: rows older than the cutoff go, the newest always stays
		// (SQLite would reuse a deleted top rowid).
		now = t0.Add(48 * time.Hour)
		n, err := db.PruneLiveEvents(bg, now.Add(-24*time.Hour))
		must(t, err)
		left, _ := db.LiveEventsAfter(bg, 0, 10)
		if n != 1 || len(left) != 1 || left[0].ID != evs[1].ID {
			t.Fatalf("pruned %d, left %+v", n, left)
		}
		must(t, db.WithTx(bg, func(tx *Tx) error {
			return tx.AddLiveEvents(bg, LiveEvent{OrgID: tr.city.ID, Kind: "warning.issued"})
		}))
		if newer, _ := db.LiveEventsAfter(bg, evs[1].ID, 10); len(newer) != 1 || newer[0].ID <= evs[1].ID {
			t.Fatalf("an ID went backwards after pruning: %+v", newer)
		}
	})
}

// On PostgreSQL an ID taken by a transaction still open is not visible
// while a later one already is: the reason the hub's cursor tolerates gaps.
func TestLiveEventsCommitOutOfOrder(t *testing.T) {
	for _, e := range engines() {
		if e != Postgres {
			continue
		}
		t.Run(string(e), func(t *testing.T) {
			db := MustOpenDB(t, e)
			tr := mustTree(t, db)
			inserted, release, done := make(chan struct{}), make(chan struct{}), make(chan error)
			go func() {
				done <- db.WithTx(context.Background(), func(tx *Tx) error {
					if err := tx.AddLiveEvents(bg, LiveEvent{OrgID: tr.countyA.ID, Kind: "first"}); err != nil {
						return err
					}
					close(inserted)
					<-release
					return nil
				})
			}()
			<-inserted
			must(t, db.WithTx(bg, func(tx *Tx) error {
				return tx.AddLiveEvents(bg, LiveEvent{OrgID: tr.countyA.ID, Kind: "second"})
			}))
			evs, err := db.LiveEventsAfter(bg, 0, 10)
			must(t, err)
			if len(evs) != 1 || evs[0].Kind != "second" {
				t.Fatalf("while the first is open: %+v", evs)
			}
			close(release)
			must(t, <-done)
			evs, _ = db.LiveEventsAfter(bg, 0, 10)
			if len(evs) != 2 || evs[0].Kind != "first" || evs[0].ID >= evs[1].ID {
				t.Fatalf("after commit: %+v", evs)
			}
		})
	}
}
