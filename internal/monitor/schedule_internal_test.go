package monitor

import (
	"testing"
	"time"
)

// A check keeps its monitor on phase: due again one interval after it was
// due, however late it started within that interval; a whole interval late,
// a new phase starts at the check rather than a burst of missed checks.
func TestNextDueKeepsPhase(t *testing.T) {
	due := time.Date(2026, 12, 8, 9, 0, 7, 0, time.UTC)
	const interval = time.Minute
	for _, c := range []struct {
		name     string
		due, now time.Time
		want     time.Time
	}{
		{"on time", due, due, due.Add(interval)},
		{"late by 20 s", due, due.Add(20 * time.Second), due.Add(interval)},
		{"late by 59.9 s", due, due.Add(interval - 100*time.Millisecond), due.Add(interval)},
		{"late by an interval", due, due.Add(interval), due.Add(2 * interval)},
		{"late by 3.5 intervals", due, due.Add(7 * interval / 2), due.Add(7*interval/2 + interval)},
		{"checked before due (check now)", due, due.Add(-10 * time.Second), due.Add(interval)},
		{"never due", time.Time{}, due, due.Add(interval)},
	} {
		if got := nextDue(c.due, c.now, interval); !got.Equal(c.want) {
			t.Errorf("%s: next due %v, want %v", c.name, got.Format(time.TimeOnly), c.want.Format(time.TimeOnly))
		}
	}
}
