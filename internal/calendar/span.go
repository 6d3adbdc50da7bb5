package calendar

import (
	"fmt"
	"strconv"
	"strings"
)

// Unit is the unit a statutory period is counted in.
type Unit uint8

// The zero Unit is invalid, so that a forgotten unit is caught rather than
// read as minutes.
const (
	Minutes      Unit = iota + 1 // "m": exact minutes
	Hours                        // "h": exact hours
	CalendarDays                 // "d": days, ending at 24:00 of the last day
	WorkingDays                  // "wd": working days (工作日), ending at 24:00 of the last one
)

var unitSuffix = map[Unit]string{Minutes: "m", Hours: "h", CalendarDays: "d", WorkingDays: "wd"}

func (u Unit) String() string {
	switch u {
	case Minutes:
		return "minutes"
	case Hours:
		return "hours"
	case CalendarDays:
		return "calendar days"
	case WorkingDays:
		return "working days"
	}
	return fmt.Sprintf("Unit(%d)", uint8(u))
}

// maxSpanN bounds N so that no span overflows time.Duration or makes
// AddWorkdays loop for long: 100000 working days is four centuries.
const maxSpanN = 100000

// Span is a statutory period such as 1 hour or 20 working days. Its text form,
// used by String, JSON and plan files, is N followed by the unit's suffix:
// "30m", "2h", "30d", "20wd".
type Span struct {
	N    int
	Unit Unit
}

// ParseSpan parses the text form of a Span: a whole number from 0 to 100000
// followed by m, h, d or wd, with no spaces.
func ParseSpan(s string) (Span, error) {
	digits := strings.TrimRight(s, "abcdefghijklmnopqrstuvwxyz")
	suffix := s[len(digits):]
	var unit Unit
	for u, suf := range unitSuffix {
		if suf == suffix {
			unit = u
		}
	}
	if unit == 0 || digits == "" || strings.TrimLeft(digits, "0123456789") != "" {
		return Span{}, fmt.Errorf(`calendar: span %q: want a whole number followed by m (minutes), h (hours), d (calendar days) or wd (working days), e.g. "20wd"`, s)
	}
	n, err := strconv.Atoi(digits)
	if err != nil || n > maxSpanN {
		return Span{}, fmt.Errorf("calendar: span %q: number must be at most %d", s, maxSpanN)
	}
	return Span{N: n, Unit: unit}, nil
}

func (s Span) validate() error {
	if _, ok := unitSuffix[s.Unit]; !ok {
		return fmt.Errorf("span has no valid unit (%v)", s.Unit)
	}
	if s.N < 0 || s.N > maxSpanN {
		return fmt.Errorf("span %d%s: number must be between 0 and %d", s.N, unitSuffix[s.Unit], maxSpanN)
	}
	return nil
}

// String returns the text form, e.g. "20wd". An invalid Span prints as
// "invalid span" followed by its fields, so that it cannot be mistaken for a
// real period.
func (s Span) String() string {
	if s.validate() != nil {
		return fmt.Sprintf("invalid span {%d %v}", s.N, s.Unit)
	}
	return strconv.Itoa(s.N) + unitSuffix[s.Unit]
}

// MarshalText implements encoding.TextMarshaler, which also gives the JSON
// form "20wd". An invalid Span is an error, not a string that would fail to
// parse later.
func (s Span) MarshalText() ([]byte, error) {
	if err := s.validate(); err != nil {
		return nil, fmt.Errorf("calendar: %w", err)
	}
	return []byte(s.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler with ParseSpan.
func (s *Span) UnmarshalText(text []byte) error {
	v, err := ParseSpan(string(text))
	if err != nil {
		return err
	}
	*s = v
	return nil
}
