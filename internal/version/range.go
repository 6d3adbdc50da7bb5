package version

import (
	"fmt"
	"strings"
)

// Bound is one end of a range; a zero Bound (no version) is open.
type Bound struct {
	V         Version
	Inclusive bool
}

// Range is an interval of versions: every version at or after From (after,
// when exclusive) and at or before To. An open end is unbounded.
type Range struct {
	From, To Bound
	text     string
}

// Contains reports whether v is in r.
func (r Range) Contains(v Version) bool {
	if !r.From.V.IsZero() {
		c := Compare(v, r.From.V)
		if c < 0 || c == 0 && !r.From.Inclusive {
			return false
		}
	}
	if !r.To.V.IsZero() {
		c := Compare(v, r.To.V)
		if c > 0 || c == 0 && !r.To.Inclusive {
			return false
		}
	}
	return true
}

// String is the range in the form Parse reads: "12.2.1.3 - 12.2.1.4",
// "=14.1.1", ">=2.5.0, <2.5.13".
func (r Range) String() string { return r.text }

func (r *Range) render() {
	f, t := r.From, r.To
	switch {
	case !f.V.IsZero() && !t.V.IsZero() && f.Inclusive && t.Inclusive && Compare(f.V, t.V) == 0:
		r.text = "=" + f.V.raw
	case !f.V.IsZero() && !t.V.IsZero() && f.Inclusive && t.Inclusive:
		r.text = f.V.raw + " - " + t.V.raw
	default:
		var parts []string
		if !f.V.IsZero() {
			parts = append(parts, map[bool]string{true: ">=", false: ">"}[f.Inclusive]+f.V.raw)
		}
		if !t.V.IsZero() {
			parts = append(parts, map[bool]string{true: "<=", false: "<"}[t.Inclusive]+t.V.raw)
		}
		if len(parts) == 0 {
			r.text = "*"
		} else {
			r.text = strings.Join(parts, ", ")
		}
	}
}

// Set is a list of ranges; a version is affected when any range holds it.
type Set []Range

// Contains reports whether any range of s holds v.
func (s Set) Contains(v Version) bool {
	for _, r := range s {
		if r.Contains(v) {
			return true
		}
	}
	return false
}

// String lists the ranges, one per line, each as Parse reads it.
func (s Set) String() string {
	parts := make([]string, len(s))
	for i, r := range s {
		parts[i] = r.String()
	}
	return strings.Join(parts, "\n")
}

// MaxRanges bounds how many ranges a set may list.
const MaxRanges = 50

// ParseSet reads a list of ranges separated by new lines, ";" or "||"
// (also the full-width "；"). Each range is one of:
//
//	12.2.1.3 - 12.2.1.4      both ends included (also "12.2.1.3 至 12.2.1.4")
//	[2.5.0, 2.5.13)          interval: [ ] include, ( ) exclude, an end may be empty
//	>=2.5.0, <2.5.13         comparators (>, >=, <, <=, =), all must hold
//	2.5.x or 2.5.*           every 2.5 version
//	14.1.1                   exactly that version
//	12.2.1.3, 12.2.1.4       a comma list of exact versions: any of them
//	*                        every version
func ParseSet(s string) (Set, error) {
	// Chinese notices write ranges with ～ or ~ and lists with 、 (CNVD:
	// "12.2.1.3～12.2.1.4", "10.3.6.0、12.1.3.0"); ~ alone may be part of a
	// version (1.0~rc1), so only a spaced one or one between two dotted
	// versions (parseExact) is a range.
	s = strings.NewReplacer("；", ";", "||", ";", "\r", "\n", "，", ",", "、", ",", "～", " - ", " ~ ", " - ",
		"–", " - ", "—", " - ", "≤", "<=", "≥", ">=", "＜", "<", "＞", ">").Replace(s)
	var out Set
	for _, line := range strings.Split(s, "\n") {
		for _, part := range strings.Split(line, ";") {
			part = strings.TrimSpace(part)
			if part == "" {
				continue
			}
			rs, err := parseRange(part)
			if err != nil {
				return nil, err
			}
			out = append(out, rs...)
			if len(out) > MaxRanges {
				return nil, fmt.Errorf("more than %d ranges", MaxRanges)
			}
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no version range given")
	}
	return out, nil
}

// parseRange reads one range, or a comma list of exact versions (several).
func parseRange(s string) ([]Range, error) {
	if s == "*" {
		r := Range{}
		r.render()
		return []Range{r}, nil
	}
	if s[0] == '[' || s[0] == '(' {
		r, err := parseInterval(s)
		return []Range{r}, err
	}
	for _, sep := range []string{" - ", " 至 ", "至", " to ", " 到 ", "到"} {
		if a, b, ok := strings.Cut(s, sep); ok {
			from, err := Parse(a)
			if err != nil {
				return nil, err
			}
			to, err := Parse(b)
			if err != nil {
				return nil, err
			}
			if Compare(from, to) > 0 {
				return nil, fmt.Errorf("range %q starts after it ends", s)
			}
			r := Range{From: Bound{from, true}, To: Bound{to, true}}
			r.render()
			return []Range{r}, nil
		}
	}
	for _, op := range []string{">=", "<=", "==", ">", "<", "="} {
		for strings.Contains(s, op+" ") {
			s = strings.ReplaceAll(s, op+" ", op)
		}
	}
	terms := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' })
	ops := 0
	for _, t := range terms {
		if strings.ContainsAny(t[:1], "<>=") {
			ops++
		}
	}
	if ops == 0 {
		var out []Range
		for _, t := range terms {
			r, err := parseExact(t)
			if err != nil {
				return nil, err
			}
			out = append(out, r)
		}
		return out, nil
	}
	if ops != len(terms) {
		return nil, fmt.Errorf("range %q mixes comparisons and bare versions: write >=A, <B or A - B", s)
	}
	var r Range
	for _, t := range terms {
		op := strings.TrimRight(t[:min(2, len(t))], "0123456789vV")
		v, err := Parse(t[len(op):])
		if err != nil {
			return nil, err
		}
		switch op {
		case ">", ">=":
			if !r.From.V.IsZero() {
				return nil, fmt.Errorf("range %q has two lower bounds", s)
			}
			r.From = Bound{v, op == ">="}
		case "<", "<=":
			if !r.To.V.IsZero() {
				return nil, fmt.Errorf("range %q has two upper bounds", s)
			}
			r.To = Bound{v, op == "<="}
		case "=", "==":
			if !r.From.V.IsZero() || !r.To.V.IsZero() {
				return nil, fmt.Errorf("range %q has = with another bound", s)
			}
			r.From, r.To = Bound{v, true}, Bound{v, true}
		default:
			return nil, fmt.Errorf("range %q: %q is not a comparison (use >, >=, <, <=, =)", s, op)
		}
	}
	if err := checkOrder(r, s); err != nil {
		return nil, err
	}
	r.render()
	return []Range{r}, nil
}

// parseExact reads one version or a wildcard (2.5.x, 2.5.*).
func parseExact(t string) (Range, error) {
	if p, ok := strings.CutSuffix(strings.ToLower(t), ".x"); ok || strings.HasSuffix(t, ".*") {
		if !ok {
			p = strings.TrimSuffix(t, ".*")
		}
		p = strings.TrimPrefix(p, "v")
		nums := strings.Split(p, ".")
		for _, n := range nums {
			if n == "" || strings.Trim(n, "0123456789") != "" || len(n) > 30 {
				return Range{}, fmt.Errorf("wildcard %q: write numbers then .x, e.g. 2.5.x", t)
			}
		}
		from, err := Parse(p)
		if err != nil {
			return Range{}, err
		}
		r := Range{From: Bound{from, true}, To: Bound{nextPrefix(nums), false}, text: p + ".x"}
		return r, nil
	}
	// "12.2.1.3-12.2.1.4" without spaces is a range, not one version: both
	// sides are dotted versions (a package revision such as 1.0-1 is not).
	if a, b, ok := cutRange(t); ok && strings.Contains(a, ".") && strings.Contains(b, ".") && isDigit(b[0]) {
		rs, err := parseRange(a + " - " + b)
		if err != nil {
			return Range{}, err
		}
		return rs[0], nil
	}
	v, err := Parse(t)
	if err != nil {
		return Range{}, err
	}
	r := Range{From: Bound{v, true}, To: Bound{v, true}}
	r.render()
	return r, nil
}

func parseInterval(s string) (Range, error) {
	last := s[len(s)-1]
	if len(s) < 3 || last != ']' && last != ')' {
		return Range{}, fmt.Errorf("interval %q must end with ] or )", s)
	}
	a, b, ok := strings.Cut(s[1:len(s)-1], ",")
	if !ok {
		return Range{}, fmt.Errorf("interval %q needs a comma between its ends", s)
	}
	var r Range
	if a = strings.TrimSpace(a); a != "" {
		v, err := Parse(a)
		if err != nil {
			return Range{}, err
		}
		r.From = Bound{v, s[0] == '['}
	}
	if b = strings.TrimSpace(b); b != "" {
		v, err := Parse(b)
		if err != nil {
			return Range{}, err
		}
		r.To = Bound{v, last == ']'}
	}
	if err := checkOrder(r, s); err != nil {
		return Range{}, err
	}
	r.render()
	return r, nil
}

func checkOrder(r Range, s string) error {
	if r.From.V.IsZero() || r.To.V.IsZero() {
		return nil
	}
	c := Compare(r.From.V, r.To.V)
	if c > 0 || c == 0 && !(r.From.Inclusive && r.To.Inclusive) {
		return fmt.Errorf("range %q holds no version", s)
	}
	return nil
}

// cutRange splits "A-B" or "A~B" (written without spaces) at the dash or
// tilde.
func cutRange(t string) (a, b string, ok bool) {
	if a, b, ok = strings.Cut(t, "-"); ok {
		return a, b, ok
	}
	return strings.Cut(t, "~")
}
