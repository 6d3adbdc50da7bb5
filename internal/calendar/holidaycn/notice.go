// Package holidaycn reads State Council holiday notices (关于YYYY年部分节假日安排的通知)
// written in the JSON schema of the holiday-cn project, and reads and writes the
// compact table that package calendar embeds.
//
// It lives apart from package calendar so that the generator, which writes the
// embedded table, builds even when that table is missing or broken.
package holidaycn

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ErrInvalid is wrapped by every error that reports a notice or table the
// administrator (or the generator's source) got wrong, so that callers can tell
// bad input from I/O failures with errors.Is.
var ErrInvalid = errors.New("invalid holiday notice")

// maxNoticeSize bounds what Decode reads: a real notice is about 5 KB, so
// anything much larger is the wrong file.
const maxNoticeSize = 1 << 20

// Year bounds catch a mistyped year (2207, 20027) before it silently covers
// nothing anyone will ever ask about.
const (
	minYear = 2000
	maxYear = 2199
)

// Notice is one year's holiday arrangement.
type Notice struct {
	Year   int
	Papers []string // URLs of the notices on gov.cn; nil when none are given
	Days   []Day    // sorted by date, one entry per date
}

// Day is one date a notice lists: a day off, or a day that is worked.
type Day struct {
	Date   Date
	Name   string // the holiday, e.g. 春节; for a worked day, the holiday it was swapped for
	OffDay bool
}

// Date is a civil date with no time zone: notices speak of days, not instants.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ParseDate parses YYYY-MM-DD and rejects dates that do not exist (2027-02-30).
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("date %q is not a valid YYYY-MM-DD date", s)
	}
	y, m, d := t.Date()
	return Date{y, m, d}, nil
}

func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

// Weekday is the day of the week of d.
func (d Date) Weekday() time.Weekday {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC).Weekday()
}

// Compare orders dates: -1 if d is before e, +1 if after, 0 if equal.
func (d Date) Compare(e Date) int {
	if c := d.Year - e.Year; c != 0 {
		return sign(c)
	}
	if c := int(d.Month) - int(e.Month); c != 0 {
		return sign(c)
	}
	return sign(d.Day - e.Day)
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}

// Weekend reports whether d falls on a Saturday or Sunday.
func (d Date) Weekend() bool {
	wd := d.Weekday()
	return wd == time.Saturday || wd == time.Sunday
}

// rawNotice mirrors the holiday-cn schema. Pointers tell a missing field from
// a zero one: a forgotten "isOffDay" must not quietly mean a working day.
type rawNotice struct {
	Schema string    `json:"$schema"`
	ID     string    `json:"$id"`
	Year   *int      `json:"year"`
	Papers []string  `json:"papers"`
	Days   []*rawDay `json:"days"`
}

type rawDay struct {
	Name     *string `json:"name"`
	Date     *string `json:"date"`
	IsOffDay *bool   `json:"isOffDay"`
}

// Decode reads one notice and checks it: a year between 2000 and 2199, at least
// one day, each day with a name, a real date within the notice's year ±1 (a
// New Year holiday may start in late December) and isOffDay present, and no
// date listed twice with different values. Exact repeats are dropped. It does
// not judge whether a worked day falls on a weekend; see RedundantWorkdays.
func Decode(r io.Reader) (*Notice, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxNoticeSize+1))
	if err != nil {
		return nil, fmt.Errorf("reading holiday notice: %w", err)
	}
	if len(data) > maxNoticeSize {
		return nil, fmt.Errorf("%w: larger than %d bytes; a notice is a few kilobytes", ErrInvalid, maxNoticeSize)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	// A misspelt key ("offDay") would otherwise be ignored and the day read
	// as a working day.
	dec.DisallowUnknownFields()
	var raw rawNotice
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("%w: %s", ErrInvalid, describeJSONError(data, err))
	}
	if dec.More() {
		return nil, fmt.Errorf("%w: unexpected data after the JSON object", ErrInvalid)
	}
	return raw.check()
}

func (raw *rawNotice) check() (*Notice, error) {
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }

	year := 0
	switch {
	case raw.Year == nil:
		add(`"year" is missing`)
	case *raw.Year < minYear || *raw.Year > maxYear:
		add(`"year" %d is outside %d–%d`, *raw.Year, minYear, maxYear)
	default:
		year = *raw.Year
	}
	if len(raw.Days) == 0 {
		add(`"days" is empty; a notice lists at least one day`)
	}

	// append to nil keeps Papers nil when there are none, so decoded and
	// table-read notices compare equal.
	n := &Notice{Year: year, Papers: append([]string(nil), raw.Papers...)}
	byDate := map[Date]int{} // date → index into raw.Days of its first listing
	for i, rd := range raw.Days {
		where := fmt.Sprintf("days[%d]", i)
		if rd == nil {
			add("%s is null", where)
			continue
		}
		if rd.Date == nil {
			add(`%s: "date" is missing`, where)
			continue
		}
		where = fmt.Sprintf("days[%d] (%s)", i, *rd.Date)
		date, err := ParseDate(*rd.Date)
		if err != nil {
			add("%s: %v", where, err)
			continue
		}
		if year != 0 && (date.Year < year-1 || date.Year > year+1) {
			add("%s: outside the notice's year %d ±1", where, year)
		}
		if rd.IsOffDay == nil {
			add(`%s: "isOffDay" is missing; true for a day off, false for a weekend day that is worked`, where)
			continue
		}
		if rd.Name == nil || strings.TrimSpace(*rd.Name) == "" {
			add(`%s: "name" is missing; give the holiday, e.g. "春节"`, where)
			continue
		}
		day := Day{Date: date, Name: strings.TrimSpace(*rd.Name), OffDay: *rd.IsOffDay}
		if j, ok := byDate[date]; ok {
			if prev := n.dayAt(date); prev != day {
				add("%s: listed again with different values (first at days[%d])", where, j)
			}
			continue
		}
		byDate[date] = i
		n.Days = append(n.Days, day)
	}
	if len(problems) > 0 {
		if year != 0 {
			return nil, fmt.Errorf("%w for %d: %s", ErrInvalid, year, strings.Join(problems, "; "))
		}
		return nil, fmt.Errorf("%w: %s", ErrInvalid, strings.Join(problems, "; "))
	}
	slices.SortFunc(n.Days, func(a, b Day) int { return a.Date.Compare(b.Date) })
	return n, nil
}

func (n *Notice) dayAt(d Date) Day {
	for _, day := range n.Days {
		if day.Date == d {
			return day
		}
	}
	return Day{}
}

// RedundantWorkdays returns the worked days (isOffDay false) that fall on Monday
// to Friday. Such an entry says nothing a weekday does not already say, so in
// a new notice it is almost always a mistyped date. One bundled notice has one
// on purpose: 2020-02-03, the return to work after the COVID-19 extension of
// the Spring Festival holiday.
func (n *Notice) RedundantWorkdays() []Day {
	var out []Day
	for _, d := range n.Days {
		if !d.OffDay && !d.Date.Weekend() {
			out = append(out, d)
		}
	}
	return out
}

// Check verifies that notices can stand together: one notice per year, and
// no date that two notices list with different values (the 2027 notice may
// list 2026-12-31, which the 2026 notice must then not contradict).
func Check(notices []*Notice) error {
	seenYear := map[int]bool{}
	owner := map[Date]*Notice{}
	var problems []string
	// Year order makes the messages stable and lets them read earlier notice first.
	notices = slices.Clone(notices)
	slices.SortStableFunc(notices, func(a, b *Notice) int { return a.Year - b.Year })
	for _, n := range notices {
		if seenYear[n.Year] {
			problems = append(problems, fmt.Sprintf("two notices for %d", n.Year))
			continue
		}
		seenYear[n.Year] = true
		for _, d := range n.Days {
			other, ok := owner[d.Date]
			if !ok {
				owner[d.Date] = n
				continue
			}
			if od := other.dayAt(d.Date); od.OffDay != d.OffDay {
				problems = append(problems, fmt.Sprintf("%s: the %d notice says %s, the %d notice says %s",
					d.Date, other.Year, kind(od.OffDay), n.Year, kind(d.OffDay)))
			}
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: notices disagree: %s", ErrInvalid, strings.Join(problems, "; "))
	}
	return nil
}

func kind(off bool) string {
	if off {
		return "day off"
	}
	return "working day"
}

// describeJSONError adds a line and column to JSON errors, because the person
// reading it is editing a file by hand.
func describeJSONError(data []byte, err error) string {
	var offset int64 = -1
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		offset = syn.Offset
	case errors.As(err, &typ):
		offset = typ.Offset
	}
	if errors.Is(err, io.EOF) {
		return "the file is empty"
	}
	msg := err.Error()
	if typ != nil {
		// The library's message names our Go types; say it in JSON terms.
		field := "the notice"
		if typ.Field != "" {
			field = strconv.Quote(typ.Field)
		}
		msg = fmt.Sprintf("%s must be %s, not a JSON %s", field, jsonKind(typ.Type), typ.Value)
	}
	if offset < 0 || offset > int64(len(data)) {
		return "invalid JSON: " + msg
	}
	before := data[:offset]
	line := bytes.Count(before, []byte("\n")) + 1
	// Offset counts the offending byte itself, hence the -1.
	col := max(int(offset)-bytes.LastIndexByte(before, '\n')-1, 1)
	return fmt.Sprintf("invalid JSON at line %d, column %d: %s", line, col, msg)
}

func jsonKind(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Int:
		return "a number"
	case reflect.Bool:
		return "true or false"
	case reflect.String:
		return "a string"
	case reflect.Slice:
		return "a list"
	}
	return "an object"
}
