// Package calendar knows which days are worked in mainland China and turns
// statutory periods ("within 1 hour", "within 30 days", "within 20 working
// days") into due times in Asia/Shanghai.
//
// Working days follow the State Council holiday notices
// (关于YYYY年部分节假日安排的通知), including adjusted working days (调休: a
// Saturday or Sunday that is worked to lengthen a holiday). The notices for
// 2007 onwards are embedded (holidays.json, generated from the holiday-cn
// project); an administrator adds a newer notice at run time with Merge or
// LoadDir, without a new release. For a year without a notice only Saturdays
// and Sundays are off; ask Covers before trusting a result that far ahead.
package calendar

//go:generate go run ./gen -src testdata/holiday-cn -out holidays.json

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // Asia/Shanghai must load on hosts without a zoneinfo database (minimal containers, Windows)

	"fenghuo/internal/calendar/holidaycn"
)

// Shanghai is the Asia/Shanghai time zone (China Standard Time, UTC+8). Every
// date this package speaks of is a date in this zone, wherever the server is.
var Shanghai = mustLoadShanghai()

func mustLoadShanghai() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		// Unreachable with time/tzdata linked in; fail loudly rather than
		// compute deadlines in UTC.
		panic("calendar: loading Asia/Shanghai: " + err.Error())
	}
	return loc
}

// ErrInvalidNotice is wrapped by every error Merge and LoadDir return for a
// notice that is wrong (as opposed to a file that cannot be read); the message
// says what to fix and is safe to show to the administrator.
var ErrInvalidNotice = holidaycn.ErrInvalid

//go:embed holidays.json
var embeddedTable []byte

// Calendar is an immutable set of holiday notices. It is safe for concurrent
// use; Merge returns a new Calendar and leaves the receiver unchanged. The zero
// Calendar holds no notice: only Saturdays and Sundays are off.
type Calendar struct {
	notices map[int]*holidaycn.Notice // by notice year
	days    map[civil]dayEntry        // every date some notice lists
}

type dayEntry struct {
	off  bool
	name string
}

// Default returns the calendar of the embedded notices. It is parsed on first
// use and shared afterwards.
func Default() *Calendar { return defaultCalendar() }

var defaultCalendar = sync.OnceValue(func() *Calendar {
	notices, err := holidaycn.ReadTable(bytes.NewReader(embeddedTable))
	if err != nil {
		// The table is generated and tested; a failure here is a broken build.
		panic("calendar: embedded holidays.json: " + err.Error())
	}
	return build(notices)
})

// build indexes notices that holidaycn.Check has accepted.
func build(notices []*holidaycn.Notice) *Calendar {
	c := &Calendar{notices: make(map[int]*holidaycn.Notice, len(notices)), days: map[civil]dayEntry{}}
	for _, n := range notices {
		c.notices[n.Year] = n
	}
	// Later notices win a tie on the name, so the newest wording shows; Check
	// has ruled out disagreement on whether the day is off.
	for _, y := range slices.Sorted(maps.Keys(c.notices)) {
		for _, d := range c.notices[y].Days {
			c.days[civilFromDate(d.Date.Year, d.Date.Month, d.Date.Day)] = dayEntry{off: d.OffDay, name: d.Name}
		}
	}
	return c
}

// Merge returns a calendar with one more notice, read from JSON in the
// holiday-cn schema:
//
//	{"year": 2027, "papers": ["https://www.gov.cn/…"], "days": [
//	  {"name": "元旦", "date": "2027-01-01", "isOffDay": true},
//	  {"name": "春节", "date": "2027-02-07", "isOffDay": false}, …]}
//
// A day with isOffDay true is a day off; one with isOffDay false is a Saturday
// or Sunday that is worked; dates not listed follow Monday–Friday. The notice
// must be complete for its year: if the calendar already has a notice for that
// year, the new one replaces it (the State Council has amended a notice, as in
// 2020, and an administrator's copy may be newer than the release's).
//
// Merge rejects, with every problem listed in one error wrapping
// ErrInvalidNotice: malformed JSON, unknown keys, a missing field, a date that
// does not exist or lies outside the notice's year ±1, a date listed twice
// with different values, isOffDay false on a Monday–Friday, and a date another
// notice lists the other way.
func (c *Calendar) Merge(notice io.Reader) (*Calendar, error) {
	n, err := decodeStrict(notice)
	if err != nil {
		return nil, err
	}
	return c.with(n)
}

// decodeStrict is holidaycn.Decode plus the rule the embedded 2020 notice is
// allowed to break: a worked weekday is almost always a mistyped date.
func decodeStrict(r io.Reader) (*holidaycn.Notice, error) {
	n, err := holidaycn.Decode(r)
	if err != nil {
		return nil, err
	}
	var problems []string
	for _, d := range n.RedundantWorkdays() {
		problems = append(problems, fmt.Sprintf("%s is a %s, already a working day; isOffDay false is only for a Saturday or Sunday that is worked (调休)",
			d.Date, d.Date.Weekday()))
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("%w for %d: %s", ErrInvalidNotice, n.Year, strings.Join(problems, "; "))
	}
	return n, nil
}

func (c *Calendar) with(n *holidaycn.Notice) (*Calendar, error) {
	notices := []*holidaycn.Notice{n}
	for y, old := range c.notices {
		if y != n.Year {
			notices = append(notices, old)
		}
	}
	if err := holidaycn.Check(notices); err != nil {
		return nil, err
	}
	return build(notices), nil
}

// LoadDir returns Default with every *.json file in dir merged in, in file
// name order. Two files for the same year are an error, since which one wins
// would depend on their names. A missing directory is not an error: most
// installations never add a notice.
func LoadDir(dir string) (*Calendar, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return Default(), nil
	}
	if err != nil {
		return nil, fmt.Errorf("holiday notices: %w", err)
	}
	c := Default()
	fromFile := map[int]string{}
	for _, e := range entries { // os.ReadDir sorts by name
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		path := filepath.Join(dir, e.Name())
		n, err := decodeFile(path)
		if err != nil {
			return nil, err
		}
		if prev, ok := fromFile[n.Year]; ok {
			return nil, fmt.Errorf("%s: %w: %s already holds the notice for %d", path, ErrInvalidNotice, prev, n.Year)
		}
		fromFile[n.Year] = path
		if c, err = c.with(n); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
	}
	return c, nil
}

func decodeFile(path string) (*holidaycn.Notice, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("holiday notices: %w", err)
	}
	defer f.Close()
	n, err := decodeStrict(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return n, nil
}

// Covers reports whether the calendar holds the notice for year. Outside the
// covered years only weekends and the fixed-date statutory holidays (元旦,
// 劳动节, 国庆节) are off, so a deadline computed across such a year may fall
// on what will turn out to be a holiday (春节 and the other lunar ones, and
// the swapped working days); callers should warn.
// Note that a covered year's last days may still be changed by the next year's
// notice (a New Year holiday can start on 31 December).
func (c *Calendar) Covers(year int) bool {
	_, ok := c.notices[year]
	return ok
}

// Years returns the first and last year whose notice the calendar holds, or
// 0, 0 if it holds none. Years in between are covered unless an administrator
// skipped one; Covers answers exactly.
func (c *Calendar) Years() (first, last int) {
	for y := range c.notices {
		if first == 0 || y < first {
			first = y
		}
		if y > last {
			last = y
		}
	}
	return first, last
}

// DayInfo describes one date.
type DayInfo struct {
	Date    time.Time // 00:00 Asia/Shanghai of the date
	Workday bool
	// Holiday names the holiday a notice lists the date under, e.g. 春节;
	// for an adjusted working day, the holiday it was swapped for. Empty for
	// an ordinary weekday or weekend.
	Holiday string
	// Adjusted marks a Saturday or Sunday that is worked (调休).
	Adjusted bool
	// Covered reports whether a notice settles the date: either some notice
	// lists it, or its year's notice is held (so an unlisted date is surely
	// ordinary).
	Covered bool
}

// DayInfo describes the date of t in Asia/Shanghai.
func (c *Calendar) DayInfo(t time.Time) DayInfo {
	d := civilOf(t)
	y, _, _ := d.date()
	info := DayInfo{Date: d.start(), Workday: c.isWorkday(d), Covered: c.Covers(y)}
	if e, ok := c.days[d]; ok {
		info.Holiday = e.name
		info.Adjusted = !e.off && d.weekend()
		info.Covered = true
	} else if !info.Covered {
		info.Holiday = fixedHoliday(d)
	}
	return info
}

// IsWorkday reports whether the date of t in Asia/Shanghai is a working day.
func (c *Calendar) IsWorkday(t time.Time) bool { return c.isWorkday(civilOf(t)) }

func (c *Calendar) isWorkday(d civil) bool {
	if e, ok := c.days[d]; ok {
		return !e.off
	}
	if y, _, _ := d.date(); !c.Covers(y) && fixedHoliday(d) != "" {
		return false
	}
	return !d.weekend()
}

// fixedHoliday names the statutory holidays whose dates never move (全国年节及
// 纪念日放假办法, as revised in 2024): 元旦 1 January, 劳动节 1–2 May, 国庆节 1–3
// October. In a year whose State Council notice is not held they are off
// all the same; the lunar holidays and the 调休 swaps cannot be known before
// the notice, so such a year stays uncovered and callers still warn.
func fixedHoliday(d civil) string {
	_, m, day := d.date()
	switch {
	case m == time.January && day == 1:
		return "元旦"
	case m == time.May && (day == 1 || day == 2):
		return "劳动节"
	case m == time.October && day >= 1 && day <= 3:
		return "国庆节"
	}
	return ""
}
