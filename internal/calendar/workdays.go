package calendar

import "time"

// civil is a date in Asia/Shanghai counted in days since 1970-01-01. Stepping
// over dates as integers avoids any time-of-day or zone arithmetic in loops.
type civil int

func civilFromDate(y int, m time.Month, d int) civil {
	// Midnight UTC is a whole number of days since the epoch, so the division
	// is exact (also before 1970).
	return civil(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// civilOf is the date of t on a wall clock in Shanghai: 2024-09-30T20:00Z is
// already 1 October there.
func civilOf(t time.Time) civil { return civilFromDate(t.In(Shanghai).Date()) }

func (d civil) date() (int, time.Month, int) {
	return time.Unix(int64(d)*86400, 0).UTC().Date()
}

// start is 00:00 of the date in Shanghai.
func (d civil) start() time.Time {
	y, m, dd := d.date()
	return time.Date(y, m, dd, 0, 0, 0, 0, Shanghai)
}

func (d civil) weekend() bool {
	// 1970-01-01 was a Thursday; the double modulo keeps earlier dates right.
	wd := time.Weekday(((int(d) % 7) + 7 + int(time.Thursday)) % 7)
	return wd == time.Saturday || wd == time.Sunday
}

// AddWorkdays returns 00:00 Asia/Shanghai of the date that is n working days
// after the date of from. The date of from is not counted, whether or not it
// is a working day, so AddWorkdays(Friday, 1) is the next working Monday and
// n = 0 returns from's own date. It panics if n is negative.
//
// 2024-09-27 + 20 is 2024-10-30: Sunday 29 September is worked, 1–7 October
// are off and Saturday 12 October is worked.
func (c *Calendar) AddWorkdays(from time.Time, n int) time.Time {
	if n < 0 {
		panic("calendar: AddWorkdays with negative n")
	}
	return c.addWorkdays(civilOf(from), n).start()
}

func (c *Calendar) addWorkdays(d civil, n int) civil {
	// Terminates: notices list only a few hundred dates, so working days
	// keep coming.
	for n > 0 {
		d++
		if c.isWorkday(d) {
			n--
		}
	}
	return d
}

// WorkdaysBetween counts the working days after a's date up to and including
// b's date (dates in Asia/Shanghai), the same way AddWorkdays counts, so that
// WorkdaysBetween(a, c.AddWorkdays(a, n)) == n. If b's date is before a's the
// result is negative: -WorkdaysBetween(b, a). Use it for "working days left
// until the due date" (negative means overdue).
func (c *Calendar) WorkdaysBetween(a, b time.Time) int {
	from, to := civilOf(a), civilOf(b)
	sign := 1
	if to < from {
		from, to, sign = to, from, -1
	}
	n := 0
	for d := from + 1; d <= to; d++ {
		if c.isWorkday(d) {
			n++
		}
	}
	return sign * n
}

// Deadline returns the moment a period of s that starts at from ends, in
// Asia/Shanghai:
//
//   - Minutes and Hours are exact durations: 2h from 23:10 is 01:10 the next
//     day.
//   - CalendarDays and WorkingDays follow the Chinese rule for periods in days
//     (民法典 art. 201, 203): the day the period starts is not counted, and the
//     period ends at 24:00 of its last day, i.e. 00:00 of the following day.
//     "30d" from any time on 1 June ends at 00:00 on 2 July; "20wd" from any
//     time on 27 September 2024 ends at 00:00 on 31 October (the 20th working
//     day is 30 October).
//
// The date of from is taken in Asia/Shanghai, so a UTC timestamp of
// 2024-09-30T17:00Z counts from 1 October. The rule of art. 203 that a period
// whose last day is a public holiday runs on to the next working day is not
// applied to CalendarDays: plans that mean working days say so.
// Deadline panics on an invalid Span (negative N or unknown unit); spans from
// ParseSpan or UnmarshalText are always valid.
func (c *Calendar) Deadline(from time.Time, s Span) time.Time {
	if err := s.validate(); err != nil {
		panic("calendar: Deadline: " + err.Error())
	}
	switch s.Unit {
	case Minutes:
		return from.Add(time.Duration(s.N) * time.Minute).In(Shanghai)
	case Hours:
		return from.Add(time.Duration(s.N) * time.Hour).In(Shanghai)
	case CalendarDays:
		return (civilOf(from) + civil(s.N) + 1).start()
	default: // WorkingDays
		return (c.addWorkdays(civilOf(from), s.N) + 1).start()
	}
}
