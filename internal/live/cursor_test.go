package live

import (
	"testing"
	"time"

	"fenghuo/internal/store"
)

func ids(evs []store.LiveEvent) []int64 {
	out := []int64{}
	for _, e := range evs {
		out = append(out, e.ID)
	}
	return out
}

func evs(idList ...int64) []store.LiveEvent {
	out := []store.LiveEvent{}
	for _, id := range idList {
		out = append(out, store.LiveEvent{ID: id})
	}
	return out
}

func equal(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// An ID read before a lower one (PostgreSQL commits out of ID order) is
// handed out at once; the lower one when it appears; none twice.
func TestCursorHandsOutLateIDsOnce(t *testing.T) {
	c := cursor{settled: 4}
	t0 := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	wait := 10 * time.Second
	if got := ids(c.take(evs(5, 7), t0, wait)); !equal(got, []int64{5, 7}) {
		t.Fatalf("first read %v", got)
	}
	if c.settled != 5 {
		t.Fatalf("settled %d, want 5 (6 is a gap)", c.settled)
	}
	// The next read starts after 5: 7 again, and nothing new.
	if got := ids(c.take(evs(7), t0.Add(time.Second), wait)); len(got) != 0 {
		t.Fatalf("7 handed out twice: %v", got)
	}
	// 6 commits: handed out, and the cursor moves past 7.
	if got := ids(c.take(evs(6, 7, 8), t0.Add(2*time.Second), wait)); !equal(got, []int64{6, 8}) {
		t.Fatalf("late read %v", got)
	}
	if c.settled != 8 || len(c.seen) != 0 || len(c.gaps) != 0 {
		t.Fatalf("cursor %+v", c)
	}
}

// A gap that never fills (a rolled-back insert) is given up after the wait.
func TestCursorGivesUpGapAfterWait(t *testing.T) {
	c := cursor{settled: 0}
	t0 := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	wait := 10 * time.Second
	c.take(evs(1, 3, 4), t0, wait)
	if c.settled != 1 {
		t.Fatalf("settled %d", c.settled)
	}
	c.take(evs(3, 4), t0.Add(9*time.Second), wait)
	if c.settled != 1 {
		t.Fatalf("gave up before the wait: settled %d", c.settled)
	}
	c.take(evs(3, 4), t0.Add(10*time.Second), wait)
	if c.settled != 4 {
		t.Fatalf("settled %d after the wait, want 4", c.settled)
	}
}
