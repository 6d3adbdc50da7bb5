package ingest

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"time"

	"fenghuo/internal/fenghuo"
)

// Default time layouts, tried in order: RFC 3339, Wazuh's and Suricata's
// "+0800" offsets, space-separated forms, and Wazuh 2.x/3.x text.
var defaultLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999Z0700",
	"2006-01-02 15:04:05.999999999 -0700",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999",
	"2006 Jan 02 15:04:05",
	time.RFC1123Z,
	time.RFC1123,
}

// parseTime reads a time from a JSON value: a string in one of layouts
// (the default layouts when none are given; "unix", "unix_ms" name epoch
// numbers), or a number of seconds (or milliseconds, microseconds,
// nanoseconds by magnitude) since 1970. Times without a zone are in loc.
func parseTime(v any, layouts []string, loc *time.Location) (time.Time, error) {
	if len(layouts) == 0 {
		layouts = defaultLayouts
	}
	if list, ok := v.([]any); ok && len(list) > 0 {
		v = list[0]
	}
	var t time.Time
	switch x := v.(type) {
	case json.Number:
		f, ok := leafNumber(x)
		if !ok {
			return t, errBadTime
		}
		return epoch(f, layouts)
	case string:
		s := strings.TrimSpace(x)
		if s == "" || len(s) > 64 {
			return t, errBadTime
		}
		for _, l := range layouts {
			switch l {
			case "unix", "unix_ms":
				if f, ok := leafNumber(s); ok {
					return epoch(f, []string{l})
				}
				continue
			}
			if p, err := time.ParseInLocation(l, s, loc); err == nil {
				return sane(p)
			}
		}
		if f, ok := leafNumber(s); ok {
			return epoch(f, layouts)
		}
	}
	return t, errBadTime
}

var errBadTime = errors.New("bad time")

func epoch(f float64, layouts []string) (time.Time, error) {
	unit := 0 // by magnitude
	for _, l := range layouts {
		if l == "unix" {
			unit = 1
		} else if l == "unix_ms" {
			unit = 1000
		}
	}
	if unit == 0 {
		switch a := math.Abs(f); {
		case a < 1e11:
			unit = 1
		case a < 1e14:
			unit = 1000
		case a < 1e17:
			unit = 1e6
		default:
			unit = 1e9
		}
	}
	u := float64(unit)
	if math.IsNaN(f) || f < 0 || f/u > 253402300799 { // 9999-12-31
		return time.Time{}, errBadTime
	}
	// Whole seconds first, then the remainder in the record's unit, so
	// that 1772676000123 ms is .123 s exactly.
	sec := math.Floor(f / u)
	rem := f - sec*u
	return sane(time.Unix(int64(sec), int64(math.Round(rem*1e9/u))).UTC())
}

// sane refuses times outside years 1970–9999, which no event carries and
// which storage engines disagree about.
func sane(t time.Time) (time.Time, error) {
	if t.Year() < 1970 || t.Year() > 9999 {
		return time.Time{}, errBadTime
	}
	return t.UTC(), nil
}

func timeError(field string, v any) error {
	s := clip(leafString(v), 64)
	return fenghuo.Errorf(fenghuo.EINVALID, "%s %q is not a time this parser reads (RFC 3339, e.g. 2026-03-05T10:21:13+08:00). / %s“%s”不是可识别的时间（RFC 3339，例如 2026-03-05T10:21:13+08:00）。",
		field, s, field, s)
}
