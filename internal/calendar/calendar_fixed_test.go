package calendar

import (
	"testing"
	"time"
)

// In a year without a State Council notice, the fixed-date statutory
// holidays are off anyway (元旦, 劳动节 1–2 May, 国庆节 1–3 October), while the
// year stays uncovered so that callers still warn.
func TestFixedHolidaysOfAnUncoveredYear(t *testing.T) {
	c := Default()
	if c.Covers(2031) {
		t.Skip("the embedded table now covers 2031")
	}
	at := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 10, 0, 0, 0, Shanghai) }
	for _, d := range []time.Time{at(2031, time.January, 1), at(2031, time.May, 1), at(2031, time.May, 2), at(2031, time.October, 1), at(2031, time.October, 3)} {
		if c.IsWorkday(d) {
			t.Errorf("%s is a working day in an uncovered year", d.Format("2006-01-02"))
		}
		if info := c.DayInfo(d); info.Covered || info.Holiday == "" {
			t.Errorf("%s: %+v, want an uncovered named holiday", d.Format("2006-01-02"), info)
		}
	}
	// 2 January 2031 is a Thursday: an ordinary working day.
	if !c.IsWorkday(at(2031, time.January, 2)) {
		t.Error("2 January 2031 is not a working day")
	}
}
