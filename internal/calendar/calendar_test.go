package calendar

import (
	"testing"
	"time"
)

// date returns noon of y-m-d in Shanghai: noon keeps a test about dates clear
// of any boundary question.
func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 12, 0, 0, 0, Shanghai) }

func mustDate(t testing.TB, s string) time.Time {
	t.Helper()
	d, err := time.ParseInLocation(time.DateOnly, s, Shanghai)
	if err != nil {
		t.Fatal(err)
	}
	return d.Add(12 * time.Hour)
}

// The expected values are typed in from the State Council notices, not read
// from the table, so that a wrong table fails here.
func TestDayInfoFromNotices(t *testing.T) {
	const (
		work = "work" // ordinary weekday
		off  = "off"  // ordinary weekend
		hol  = "hol"  // holiday
		adj  = "adj"  // adjusted working day (调休)
	)
	tests := []struct {
		date, kind, holiday string
	}{
		// 2019 National Day: 1–7 October off, Sunday 29 September and
		// Saturday 12 October worked.
		{"2019-09-28", off, ""},
		{"2019-09-29", adj, "国庆节"},
		{"2019-09-30", work, ""},
		{"2019-10-01", hol, "国庆节"},
		{"2019-10-05", hol, "国庆节"},
		{"2019-10-07", hol, "国庆节"},
		{"2019-10-08", work, ""},
		{"2019-10-12", adj, "国庆节"},
		{"2019-10-13", off, ""},
		// 2024 Spring Festival: 10–17 February off, Sundays 4 and 18
		// February worked.
		{"2024-02-03", off, ""},
		{"2024-02-04", adj, "春节"},
		{"2024-02-09", work, ""},
		{"2024-02-10", hol, "春节"},
		{"2024-02-12", hol, "春节"},
		{"2024-02-17", hol, "春节"},
		{"2024-02-18", adj, "春节"},
		{"2024-02-19", work, ""},
		// 2025, the first year under the amended rules (除夕 and 2 May became
		// holidays): Spring Festival 28 January–4 February with Sunday 26
		// January and Saturday 8 February worked; 1–5 May with Sunday 27
		// April worked; National Day and Mid-Autumn 1–8 October with Sunday
		// 28 September and Saturday 11 October worked.
		{"2025-01-26", adj, "春节"},
		{"2025-01-27", work, ""},
		{"2025-01-28", hol, "春节"},
		{"2025-02-04", hol, "春节"},
		{"2025-02-05", work, ""},
		{"2025-02-08", adj, "春节"},
		{"2025-04-27", adj, "劳动节"},
		{"2025-05-02", hol, "劳动节"},
		{"2025-05-05", hol, "劳动节"},
		{"2025-06-02", hol, "端午节"},
		{"2025-09-28", adj, "国庆节、中秋节"},
		{"2025-10-08", hol, "国庆节、中秋节"},
		{"2025-10-09", work, ""},
		{"2025-10-11", adj, "国庆节、中秋节"},
		// Late December dates that only the next year's notice lists.
		{"2018-12-29", adj, "元旦"},
		{"2018-12-30", hol, "元旦"},
		{"2018-12-31", hol, "元旦"},
		{"2019-01-01", hol, "元旦"},
		{"2019-01-02", work, ""},
		{"2022-12-31", hol, "元旦"},
		{"2011-12-31", adj, "元旦"},
		// 2020: the return to work after the COVID-19 extension is listed as
		// a working day although it is a Monday; it must not be "adjusted".
		{"2020-02-02", hol, "春节"},
		{"2020-02-03", work, "春节"},
	}
	cal := Default()
	for _, tt := range tests {
		t.Run(tt.date, func(t *testing.T) {
			got := cal.DayInfo(mustDate(t, tt.date))
			wantWork := tt.kind == work || tt.kind == adj
			if got.Workday != wantWork || got.Adjusted != (tt.kind == adj) || got.Holiday != tt.holiday {
				t.Errorf("DayInfo(%s) = workday %v, adjusted %v, holiday %q; want kind %s, holiday %q",
					tt.date, got.Workday, got.Adjusted, got.Holiday, tt.kind, tt.holiday)
			}
			if got.Workday != cal.IsWorkday(mustDate(t, tt.date)) {
				t.Errorf("IsWorkday disagrees with DayInfo")
			}
			if !got.Covered {
				t.Errorf("Covered = false, want true")
			}
			if want := mustDate(t, tt.date).Add(-12 * time.Hour); !got.Date.Equal(want) || got.Date.Location() != Shanghai {
				t.Errorf("Date = %v, want %v in Shanghai", got.Date, want)
			}
		})
	}
}

func TestDateIsTakenInShanghai(t *testing.T) {
	cal := Default()
	// 16:30 UTC on 30 September 2024 is 00:30 on 1 October in Shanghai.
	utc := time.Date(2024, 9, 30, 16, 30, 0, 0, time.UTC)
	if cal.IsWorkday(utc) {
		t.Errorf("IsWorkday(%v) = true; it is National Day in Shanghai", utc)
	}
	if got := cal.DayInfo(utc).Date; !got.Equal(time.Date(2024, 10, 1, 0, 0, 0, 0, Shanghai)) {
		t.Errorf("DayInfo(%v).Date = %v, want 2024-10-01 00:00 +08:00", utc, got)
	}
	// 15:59 UTC is still 23:59 on 30 September, a Monday.
	if !cal.IsWorkday(time.Date(2024, 9, 30, 15, 59, 0, 0, time.UTC)) {
		t.Errorf("2024-09-30 23:59 Shanghai should be a working day")
	}
}

func TestShanghaiOffset(t *testing.T) {
	if Shanghai.String() != "Asia/Shanghai" {
		t.Errorf("Shanghai = %q", Shanghai)
	}
	for _, m := range []time.Month{time.January, time.July} {
		if _, off := time.Date(2025, m, 1, 0, 0, 0, 0, Shanghai).Zone(); off != 8*3600 {
			t.Errorf("offset in %v = %d s, want +8h", m, off)
		}
	}
}

func TestCoversAndYears(t *testing.T) {
	cal := Default()
	first, last := cal.Years()
	if first != 2007 || last < 2026 {
		t.Errorf("Years() = %d, %d; want 2007, ≥2026", first, last)
	}
	for y := first; y <= last; y++ {
		if !cal.Covers(y) {
			t.Errorf("Covers(%d) = false inside %d–%d", y, first, last)
		}
	}
	for _, y := range []int{2006, last + 1, 0} {
		if cal.Covers(y) {
			t.Errorf("Covers(%d) = true", y)
		}
	}
}

// An uncovered year has its weekends and the fixed-date statutory holidays
// off, and nothing else; it stays uncovered.
func TestUncoveredYearsHaveWeekendsAndFixedHolidays(t *testing.T) {
	cal := Default()
	_, last := cal.Years()
	y := last + 2 // beyond any notice, including a late-December listing
	for d := date(y, 1, 1); d.Year() == y; d = d.AddDate(0, 0, 1) {
		info := cal.DayInfo(d)
		weekend := d.Weekday() == time.Saturday || d.Weekday() == time.Sunday
		fixed := fixedHoliday(civilOf(d))
		if info.Workday == (weekend || fixed != "") || info.Holiday != fixed || info.Adjusted || info.Covered {
			t.Fatalf("DayInfo(%s) = %+v in an uncovered year", d.Format(time.DateOnly), info)
		}
	}
	// Crossing into an uncovered year still works.
	if got := cal.AddWorkdays(date(last, 12, 31), 5); got.Year() != last+1 {
		t.Errorf("AddWorkdays across the last covered year = %v", got)
	}
}

func TestZeroCalendarHasOnlyWeekendsAndFixedHolidays(t *testing.T) {
	var cal Calendar
	if !cal.IsWorkday(date(2024, 10, 8)) || cal.IsWorkday(date(2024, 2, 18)) || cal.IsWorkday(date(2024, 10, 1)) ||
		!cal.IsWorkday(date(2024, 2, 9)) {
		t.Error("a zero Calendar should know only weekends and the fixed-date holidays (not 春节, not 调休)")
	}
	if f, l := cal.Years(); f != 0 || l != 0 {
		t.Errorf("Years() = %d, %d; want 0, 0", f, l)
	}
}

func TestDefaultIsShared(t *testing.T) {
	if Default() != Default() {
		t.Error("Default() built twice")
	}
}

func BenchmarkDeadline20WorkingDays(b *testing.B) {
	cal := Default()
	from := date(2024, 9, 27)
	s := Span{20, WorkingDays}
	for b.Loop() {
		cal.Deadline(from, s)
	}
}
