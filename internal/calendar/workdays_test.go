package calendar

import (
	"math/rand/v2"
	"testing"
	"time"
)

func TestAddWorkdays(t *testing.T) {
	tests := []struct {
		from string
		n    int
		want string
	}{
		{"2024-09-27", 20, "2024-10-30"}, // across National Day, with Sunday 29 Sep and Saturday 12 Oct worked
		{"2024-09-27", 0, "2024-09-27"},
		{"2024-09-27", 1, "2024-09-29"}, // an adjusted Sunday counts
		{"2024-09-28", 0, "2024-09-28"}, // n = 0 keeps a non-working start date
		{"2024-09-30", 1, "2024-10-08"},
		{"2024-10-01", 1, "2024-10-08"}, // start on a holiday: still not counted
		{"2024-02-09", 1, "2024-02-18"}, // the Spring Festival ends with a worked Sunday
		{"2024-02-02", 1, "2024-02-04"},
		{"2025-01-24", 2, "2025-01-27"}, // Sunday 26 Jan worked, then Monday
		{"2025-01-27", 1, "2025-02-05"},
		{"2018-12-28", 1, "2018-12-29"}, // a worked Saturday listed in the 2019 notice
		{"2018-12-29", 1, "2019-01-02"},
		{"2023-06-02", 5, "2023-06-09"}, // an ordinary week
	}
	cal := Default()
	for _, tt := range tests {
		got := cal.AddWorkdays(mustDate(t, tt.from), tt.n)
		if got.Format(time.DateOnly) != tt.want || got.Location() != Shanghai || got.Hour() != 0 || got.Minute() != 0 {
			t.Errorf("AddWorkdays(%s, %d) = %v, want %s 00:00 Shanghai", tt.from, tt.n, got, tt.want)
		}
	}
}

func TestAddWorkdaysNegativePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("AddWorkdays(-1) did not panic")
		}
	}()
	Default().AddWorkdays(date(2024, 1, 1), -1)
}

func TestWorkdaysBetween(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"2024-09-27", "2024-10-30", 20},
		{"2024-09-27", "2024-09-27", 0},
		{"2024-09-27", "2024-10-07", 2}, // 29 and 30 September
		{"2024-10-30", "2024-09-27", -20},
		{"2024-10-01", "2024-10-07", 0},
	}
	cal := Default()
	for _, tt := range tests {
		if got := cal.WorkdaysBetween(mustDate(t, tt.a), mustDate(t, tt.b)); got != tt.want {
			t.Errorf("WorkdaysBetween(%s, %s) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestDeadline(t *testing.T) {
	at := func(s string) time.Time {
		t.Helper()
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		name string
		from string
		span Span
		want string
	}{
		{"minutes are exact", "2024-09-27T10:15:30+08:00", Span{30, Minutes}, "2024-09-27T10:45:30+08:00"},
		{"hours cross midnight", "2024-09-30T23:10:00+08:00", Span{2, Hours}, "2024-10-01T01:10:00+08:00"},
		{"hours ignore holidays", "2024-10-01T09:00:00+08:00", Span{24, Hours}, "2024-10-02T09:00:00+08:00"},
		{"UTC hours come back in Shanghai", "2024-09-30T17:00:00Z", Span{1, Hours}, "2024-10-01T02:00:00+08:00"},
		{"20wd ends at 24:00 of 30 Oct", "2024-09-27T10:00:00+08:00", Span{20, WorkingDays}, "2024-10-31T00:00:00+08:00"},
		{"late at night is the same day", "2024-09-27T23:59:59+08:00", Span{20, WorkingDays}, "2024-10-31T00:00:00+08:00"},
		{"just after midnight is the next day", "2024-09-28T00:00:00+08:00", Span{20, WorkingDays}, "2024-10-31T00:00:00+08:00"},
		{"a UTC afternoon can be the next Shanghai day", "2024-09-27T16:30:00Z", Span{20, WorkingDays}, "2024-10-31T00:00:00+08:00"},
		{"a UTC morning is the same Shanghai day", "2024-09-27T15:59:00Z", Span{20, WorkingDays}, "2024-10-31T00:00:00+08:00"},
		{"1wd from the eve of a holiday", "2024-09-30T18:00:00+08:00", Span{1, WorkingDays}, "2024-10-09T00:00:00+08:00"},
		{"0wd ends at midnight", "2024-10-03T18:00:00+08:00", Span{0, WorkingDays}, "2024-10-04T00:00:00+08:00"},
		{"30d ignores holidays", "2024-06-01T08:00:00+08:00", Span{30, CalendarDays}, "2024-07-02T00:00:00+08:00"},
		{"days across a year end", "2024-12-31T23:30:00+08:00", Span{1, CalendarDays}, "2025-01-02T00:00:00+08:00"},
		{"days across February in a leap year", "2024-02-28T12:00:00+08:00", Span{1, CalendarDays}, "2024-03-01T00:00:00+08:00"},
		{"UTC input for days", "2024-05-31T16:00:00Z", Span{30, CalendarDays}, "2024-07-02T00:00:00+08:00"},
	}
	cal := Default()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := cal.Deadline(at(tt.from), tt.span)
			if !got.Equal(at(tt.want)) || got.Location() != Shanghai {
				t.Errorf("Deadline(%s, %v) = %v, want %s in Shanghai", tt.from, tt.span, got, tt.want)
			}
		})
	}
}

func TestDeadlineInvalidSpanPanics(t *testing.T) {
	for _, s := range []Span{{}, {-1, Hours}, {1, Unit(9)}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Deadline with %#v did not panic", s)
				}
			}()
			Default().Deadline(date(2024, 1, 1), s)
		}()
	}
}

// TestAddWorkdaysProperties checks, over random start dates in and around the
// covered years, that each step lands on a working day, that the result grows
// strictly with n, that no working day is skipped, and that WorkdaysBetween
// inverts AddWorkdays.
func TestAddWorkdaysProperties(t *testing.T) {
	cal := Default()
	first, last := cal.Years()
	lo := time.Date(first-1, 12, 1, 0, 0, 0, 0, Shanghai)
	days := int(time.Date(last+1, 2, 1, 0, 0, 0, 0, Shanghai).Sub(lo).Hours() / 24)
	rng := rand.New(rand.NewPCG(2024, 927)) // fixed seed: a failure must reproduce
	for range 400 {
		// A random time of day too, to exercise the Shanghai date rule.
		from := lo.AddDate(0, 0, rng.IntN(days)).Add(time.Duration(rng.IntN(86400)) * time.Second)
		prev := cal.AddWorkdays(from, 0)
		for n := 1; n <= 60; n++ {
			got := cal.AddWorkdays(from, n)
			if !cal.IsWorkday(got) {
				t.Fatalf("AddWorkdays(%v, %d) = %v, not a working day", from, n, got)
			}
			if !got.After(prev) {
				t.Fatalf("AddWorkdays(%v, %d) = %v, not after n-1's %v", from, n, got, prev)
			}
			for d := prev.AddDate(0, 0, 1); d.Before(got); d = d.AddDate(0, 0, 1) {
				if cal.IsWorkday(d) {
					t.Fatalf("AddWorkdays(%v, %d) skipped working day %v", from, n, d)
				}
			}
			if k := cal.WorkdaysBetween(from, got); k != n {
				t.Fatalf("WorkdaysBetween(%v, AddWorkdays(.., %d)) = %d", from, n, k)
			}
			prev = got
		}
	}
}
