package store

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"fenghuo/internal/fenghuo"
)

// A lease is held by one replica at a time: taken when free, renewed by
// its holder, refused to another until it expires or is released.
func TestLeaseTakenByOneReplica(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		bg := context.Background()
		now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
		take := func(holder string, at time.Time) bool {
			t.Helper()
			ok, err := db.TakeLease(bg, "audit_keeping", holder, at, 30*time.Second)
			must(t, err)
			return ok
		}
		if !take("a", now) {
			t.Fatal("a free lease was refused")
		}
		if take("b", now.Add(10*time.Second)) {
			t.Fatal("b took a's live lease")
		}
		if !take("a", now.Add(20*time.Second)) { // renewal: until now+50s
			t.Fatal("a could not renew its lease")
		}
		if take("b", now.Add(45*time.Second)) {
			t.Fatal("b took a's renewed lease before it expired")
		}
		if !take("b", now.Add(50*time.Second)) {
			t.Fatal("b could not take a's expired lease")
		}
		var holder string
		var expires, taken int64
		must(t, db.read.QueryRow("SELECT holder, expires_at, taken_at FROM leases").Scan(&holder, &expires, &taken))
		if holder != "b" || !fromMS(taken).Equal(now.Add(50*time.Second)) || !fromMS(expires).Equal(now.Add(80*time.Second)) {
			t.Fatalf("lease held by %s since %v until %v", holder, fromMS(taken), fromMS(expires))
		}
		must(t, db.ReleaseLease(bg, "audit_keeping", "a")) // not a's: no effect
		if take("a", now.Add(51*time.Second)) {
			t.Fatal("a released b's lease")
		}
		must(t, db.ReleaseLease(bg, "audit_keeping", "b"))
		if !take("a", now.Add(52*time.Second)) {
			t.Fatal("a released lease was refused")
		}

		// Many replicas at once: exactly one gets it.
		var wg sync.WaitGroup
		var mu sync.Mutex
		winners := 0
		later := now.Add(time.Hour)
		for i := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ok, err := db.TakeLease(bg, "race", string(rune('p'+i)), later, time.Minute)
				if err != nil {
					t.Error(err)
				}
				if ok {
					mu.Lock()
					winners++
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if winners != 1 {
			t.Fatalf("%d replicas took the same lease", winners)
		}
	})
}

// A job's lease is renewed only by the replica that claimed it and only
// while it has not run out; a released job is due again at once.
func TestJobLeaseRenewal(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		bg := context.Background()
		now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
		var ids []int64
		for range 3 {
			j := &Job{Kind: "notify", Payload: `{}`, RunAt: now}
			must(t, db.WithTx(bg, func(tx *Tx) error { return tx.EnqueueJob(bg, j) }))
			ids = append(ids, j.ID)
		}
		got, err := db.ClaimJobs(bg, "a", now, 10*time.Second, 2)
		must(t, err)
		if len(got) != 2 || got[0].ID != ids[0] || got[1].ID != ids[1] {
			t.Fatalf("a claimed %+v", got)
		}
		// b renews nothing of a's; a renews its own.
		if n, err := db.RenewJobs(bg, "b", ids, now.Add(5*time.Second), 10*time.Second); err != nil || n != 0 {
			t.Fatalf("b renewed %d of a's jobs (%v)", n, err)
		}
		if n, err := db.RenewJobs(bg, "a", ids[:2], now.Add(5*time.Second), 10*time.Second); err != nil || n != 2 {
			t.Fatalf("a renewed %d (%v)", n, err)
		}
		// Renewed until now+15s: b gets only the third job at now+12s.
		got, err = db.ClaimJobs(bg, "b", now.Add(12*time.Second), 10*time.Second, 10)
		must(t, err)
		if len(got) != 1 || got[0].ID != ids[2] {
			t.Fatalf("b claimed %+v while a's lease held", got)
		}
		// a's lease runs out at now+15s: a cannot renew it after that, and b
		// takes job 1 over.
		if n, _ := db.RenewJobs(bg, "a", ids[:1], now.Add(16*time.Second), 10*time.Second); n != 0 {
			t.Fatal("a renewed a lease that had run out")
		}
		got, err = db.ClaimJobs(bg, "b", now.Add(16*time.Second), 10*time.Second, 1)
		must(t, err)
		if len(got) != 1 || got[0].ID != ids[0] || got[0].Attempts != 2 {
			t.Fatalf("b took over %+v", got)
		}
		// a hands job 2 back (it ran out of time for it): due at once, its
		// attempt not counted; b's job 1 is not a's to hand back.
		must(t, db.ReleaseJobs(bg, "a", ids[:2]))
		got, err = db.ClaimJobs(bg, "c", now.Add(17*time.Second), 10*time.Second, 10)
		must(t, err)
		if len(got) != 1 || got[0].ID != ids[1] || got[0].Attempts != 1 {
			t.Fatalf("after a's release c claimed %+v", got)
		}
	})
}

// Replicas sweeping new systems into the exposure schedule at once each
// succeed: on PostgreSQL a sweep that meets a row another replica's sweep
// inserted and has not committed yet waits for it and then skips the
// system, instead of failing on the primary key.
func TestExposureSweepsOfReplicasAtOnce(t *testing.T) {
	if os.Getenv("FENGHUO_TEST_POSTGRES") == "" {
		t.Skip("concurrent writers need PostgreSQL (FENGHUO_TEST_POSTGRES); SQLite has one writer")
	}
	db := MustOpenDB(t, Postgres)
	bg := context.Background()
	tr := mustTree(t, db)
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	var ids []int64
	for i := range 3 {
		s := &fenghuo.System{OrgID: tr.hospital.ID, Name: fmt.Sprintf("门户%d", i),
			Exposure: []fenghuo.Exposure{{Kind: fenghuo.ExposureDomain, Value: fmt.Sprintf("s%d.example.cn", i)}}}
		must(t, db.CreateSystem(bg, s))
		ids = append(ids, s.ID)
	}
	// Another replica's sweep, caught between its insert and its commit.
	other, err := db.write.BeginTx(bg, nil)
	must(t, err)
	_, err = other.Exec(db.d.rebind("INSERT INTO exposure_schedule (system_id, org_id, next_due_at) VALUES (?, ?, ?)"), ids[1], tr.hospital.ID, ms(now))
	must(t, err)
	done := make(chan error, 1)
	var n int
	go func() {
		var err error
		n, err = db.ScheduleExposureChecks(bg, now)
		done <- err
	}()
	// Wait until the sweep waits for the other transaction's row.
	for {
		var waiting int
		must(t, db.write.QueryRow(`SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&waiting))
		if waiting > 0 {
			break
		}
		select {
		case err := <-done:
			t.Fatalf("the sweep did not wait for the uncommitted row (n %d, err %v)", n, err)
		case <-time.After(20 * time.Millisecond):
		}
	}
	must(t, other.Commit())
	if err := <-done; err != nil {
		t.Fatalf("sweep beside another replica's: %v", err)
	}
	if n != 2 {
		t.Fatalf("sweep scheduled %d systems, want the 2 the other did not", n)
	}
}
