package statistics

import (
	"errors"
	"testing"
	"time"

	"fenghuo/internal/calendar"
	"fenghuo/internal/fenghuo"
)

var now = time.Date(2026, 12, 7, 10, 0, 0, 0, calendar.Shanghai)

func TestParseRange(t *testing.T) {
	for _, c := range []struct {
		from, to, by          string
		first, last, wantBy   string
		buckets               int
		firstBucket, lastBckt string
	}{
		{"", "", "", "2026-01-01", "2026-12-31", ByMonth, 12, "2026-01", "2026-12"},
		{"2026-11", "", "", "2026-11-01", "2026-11-30", ByDay, 30, "2026-11-01", "2026-11-30"},
		{"2025", "", "", "2025-01-01", "2025-12-31", ByMonth, 12, "2025-01", "2025-12"},
		{"2026-10-01", "2026-11-30", "", "2026-10-01", "2026-11-30", ByWeek, 10, "2026-09-28", "2026-11-30"},
		{"2026-12-07", "2026-12-07", "day", "2026-12-07", "2026-12-07", ByDay, 1, "2026-12-07", "2026-12-07"},
	} {
		r, err := ParseRange(c.from, c.to, c.by, now)
		if err != nil {
			t.Fatalf("%q %q %q: %v", c.from, c.to, c.by, err)
		}
		b := r.buckets()
		if r.FirstDay() != c.first || r.LastDay() != c.last || r.By != c.wantBy || len(b) != c.buckets ||
			b[0].Key != c.firstBucket || b[len(b)-1].Key != c.lastBckt {
			t.Errorf("%q %q %q: %s..%s by %s, %d buckets %v", c.from, c.to, c.by, r.FirstDay(), r.LastDay(), r.By, len(b), b)
		}
	}
	for _, c := range []struct{ from, to, by, field string }{
		{"2026-13", "", "", "from"}, {"26", "", "", "from"}, {"2026-12-01", "2026-11-01", "", "to"},
		{"2026-01-01", "2026-12-31", "day", "by"}, {"2020-01-01", "2026-12-31", "", "to"}, {"2026-01-01", "x", "", "to"},
		{"2026", "", "hour", "by"}, {"1999", "", "", "from"},
	} {
		_, err := ParseRange(c.from, c.to, c.by, now)
		var fe *fenghuo.Error
		if !errors.As(err, &fe) || fe.Field != c.field {
			t.Errorf("%q %q %q: %v, want an error on %s", c.from, c.to, c.by, err, c.field)
		}
	}
}

// FuzzParseRange: whatever is typed, the range is refused with a field
// error or is ordered, bounded and cut into at most a few hundred buckets.
func FuzzParseRange(f *testing.F) {
	f.Add("2026-12", "", "")
	f.Add("2026-01-01", "2026-03-31", "week")
	f.Add("0000-02-30", "9999-12-31", "month")
	f.Fuzz(func(t *testing.T, from, to, by string) {
		r, err := ParseRange(from, to, by, now)
		if err != nil {
			var fe *fenghuo.Error
			if !errors.As(err, &fe) || fe.Field == "" {
				t.Fatalf("not a field error: %v", err)
			}
			return
		}
		if !r.From.Before(r.To) || len(r.buckets()) == 0 || len(r.buckets()) > maxDayBars*2 && r.By == ByDay {
			t.Fatalf("bad range %+v", r)
		}
	})
}
