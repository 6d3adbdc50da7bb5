package store

import (
	"sync"
	"testing"
	"time"
)

// TestLoginSourceParallel: 20 failures from one address at once, each a
// locked read-modify-write of the name and then the address in one
// transaction (the order app.Login uses), are all counted on both engines.
func TestLoginSourceParallel(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
		tat, err := db.LoginSource(bg, "192.0.2.7")
		must(t, err)
		if !tat.IsZero() {
			t.Fatalf("fresh source: %v", tat)
		}
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				name := []string{"alice", "bob"}[i%2]
				err := db.WithTx(bg, func(tx *Tx) error {
					s, err := tx.LockLoginState(bg, name)
					if err != nil {
						return err
					}
					tat, err := tx.LockLoginSource(bg, "192.0.2.7")
					if err != nil {
						return err
					}
					s.Failures, s.LastFailure = s.Failures+1, t0
					if err := tx.SetLoginState(bg, name, s); err != nil {
						return err
					}
					if tat.Before(t0) {
						tat = t0
					}
					return tx.SetLoginSource(bg, "192.0.2.7", tat.Add(time.Minute))
				})
				if err != nil {
					t.Error(err)
				}
			}()
		}
		close(start)
		wg.Wait()
		if tat, _ = db.LoginSource(bg, "192.0.2.7"); !tat.Equal(t0.Add(20 * time.Minute)) {
			t.Fatalf("after 20 parallel failures the source is at %v, want %v", tat, t0.Add(20*time.Minute))
		}
		for _, name := range []string{"alice", "bob"} {
			if s, _ := db.LoginState(bg, name); s.Failures != 10 {
				t.Fatalf("%s: %d failures, want 10", name, s.Failures)
			}
		}
		// The clean-up drops addresses whose bucket is full again.
		n, err := db.DeleteStaleLoginStates(bg, t0, t0.Add(20*time.Minute))
		must(t, err)
		if n != 1 {
			t.Fatalf("clean-up removed %d rows, want the one source", n)
		}
		if tat, _ = db.LoginSource(bg, "192.0.2.7"); !tat.IsZero() {
			t.Fatalf("source left after clean-up: %v", tat)
		}
	})
}
