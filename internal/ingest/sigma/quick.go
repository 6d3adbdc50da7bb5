package sigma

import (
	"fmt"
	"path"
	"strconv"
	"strings"

	sigmago "github.com/bradleyjkemp/sigma-go"
)

// Quick rejection. sigma-go evaluates every search of a rule, allocating
// as it goes (about 20 allocations a rule); with 200 rules most of an
// event's time went there although almost every rule fails on its first
// field. Before calling sigma-go the engine asks a rule's "need": searches
// of which at least one must hold for the condition to hold (found from the
// condition: an identifier needs itself, "and" needs any one of its parts'
// needs, "or" the union of its parts' needs, "not" nothing). A search can
// hold only if one of its field maps can; a field map can only if each of
// its plain, contains, startswith and endswith matchers can, compared the
// way sigma-go compares (case-insensitively, numbers formatted as it
// formats them). Other modifiers, null and empty values are taken as "may
// hold". So quick rejection never drops a match sigma-go would make; it
// only skips work.

type quickKind int

const (
	quickAny quickKind = iota
	quickEq
	quickContains
	quickPrefix
	quickSuffix
	quickGt
	quickGte
	quickLt
	quickLte
)

type quickField struct {
	targets []string
	kind    quickKind
	all     bool
	values  []string // lower-cased, except for plain equality (compared with EqualFold)
	numbers []float64
}

type quickSearch [][]quickField // any field map (OR) of all its fields (AND)

type quickRule struct {
	searches []quickSearch // nil: no constraint known, always evaluate
}

func compileQuick(r sigmago.Rule, targets func(string) []string) quickRule {
	names, ok := need(r.Detection, r.Detection.Conditions)
	if !ok {
		return quickRule{}
	}
	var q quickRule
	for _, name := range names {
		s := r.Detection.Searches[name]
		var qs quickSearch
		for _, m := range s.EventMatchers {
			var fields []quickField
			for _, fm := range m {
				fields = append(fields, compileQuickField(fm, targets(fm.Field)))
			}
			qs = append(qs, fields)
		}
		if len(qs) == 0 {
			return quickRule{} // an empty search always holds
		}
		q.searches = append(q.searches, qs)
	}
	return q
}

func compileQuickField(fm sigmago.FieldMatcher, targets []string) quickField {
	f := quickField{targets: targets}
	mods := fm.Modifiers
	if len(mods) > 0 && mods[len(mods)-1] == "all" {
		f.all = true
		mods = mods[:len(mods)-1]
	}
	switch {
	case len(mods) == 0:
		f.kind = quickEq
	case len(mods) == 1 && mods[0] == "contains":
		f.kind = quickContains
	case len(mods) == 1 && mods[0] == "startswith":
		f.kind = quickPrefix
	case len(mods) == 1 && mods[0] == "endswith":
		f.kind = quickSuffix
	case len(mods) == 1 && (mods[0] == "gt" || mods[0] == "gte" || mods[0] == "lt" || mods[0] == "lte"):
		f.kind = map[string]quickKind{"gt": quickGt, "gte": quickGte, "lt": quickLt, "lte": quickLte}[mods[0]]
		for _, v := range fm.Values {
			x, ok := toFloat(v)
			if !ok {
				return quickField{kind: quickAny}
			}
			f.numbers = append(f.numbers, x)
		}
		if len(f.numbers) == 0 {
			return quickField{kind: quickAny}
		}
		return f
	default:
		return quickField{kind: quickAny}
	}
	for _, v := range fm.Values {
		s, ok := v.(string)
		if !ok {
			s = fmt.Sprintf("%v", v)
		}
		if s == "" || (f.kind == quickEq && s == "null") {
			return quickField{kind: quickAny}
		}
		if f.kind != quickEq { // sigma-go lower-cases both sides for these
			s = strings.ToLower(s)
		}
		f.values = append(f.values, s)
	}
	if len(f.values) == 0 {
		return quickField{kind: quickAny}
	}
	return f
}

// need returns the searches of which one must hold for the conditions to
// hold; ok is false when no such set is known.
func need(d sigmago.Detection, conds sigmago.Conditions) ([]string, bool) {
	var out []string
	for _, c := range conds {
		n, ok := needExpr(d, c.Search)
		if !ok {
			return nil, false
		}
		out = append(out, n...)
	}
	return out, len(out) > 0
}

func needExpr(d sigmago.Detection, e sigmago.SearchExpr) ([]string, bool) {
	switch s := e.(type) {
	case sigmago.SearchIdentifier:
		return []string{s.Name}, true
	case sigmago.And:
		var best []string
		for _, x := range s {
			if n, ok := needExpr(d, x); ok && (best == nil || len(n) < len(best)) {
				best = n
			}
		}
		return best, best != nil
	case sigmago.Or:
		var out []string
		for _, x := range s {
			n, ok := needExpr(d, x)
			if !ok {
				return nil, false
			}
			out = append(out, n...)
		}
		return out, true
	case sigmago.OneOfPattern:
		return matching(d, s.Pattern)
	case sigmago.AllOfPattern:
		return matching(d, s.Pattern)
	case sigmago.OneOfThem:
		return matching(d, "*")
	case sigmago.AllOfThem:
		return matching(d, "*")
	}
	return nil, false
}

func matching(d sigmago.Detection, pattern string) ([]string, bool) {
	var out []string
	for name := range d.Searches {
		if ok, _ := path.Match(pattern, name); ok {
			out = append(out, name)
		}
	}
	return out, len(out) > 0
}

// mayMatch reports whether the rule can match fields; false is certain.
func (q *quickRule) mayMatch(ev *quickEvent) bool {
	if q.searches == nil {
		return true
	}
	for _, s := range q.searches {
		if s.mayHold(ev) {
			return true
		}
	}
	return false
}

func (s quickSearch) mayHold(ev *quickEvent) bool {
next:
	for _, m := range s {
		for i := range m {
			if !m[i].mayHold(ev) {
				continue next
			}
		}
		return true
	}
	return false
}

func toFloat(v any) (float64, bool) {
	switch v := v.(type) {
	case int:
		return float64(v), true
	case float64:
		return v, true
	case string:
		x, err := strconv.ParseFloat(v, 64)
		return x, err == nil
	}
	return 0, false
}

// mayHoldNumber compares like sigma-go's gt/gte/lt/lte; a value that is
// not a number is left to sigma-go.
func (f *quickField) mayHoldNumber(fields map[string]any) bool {
	held := 0
	for _, want := range f.numbers {
		found := false
		for _, t := range f.targets {
			v, present := fields[t]
			if !present {
				continue
			}
			have, ok := toFloat(v)
			if !ok {
				return true
			}
			switch f.kind {
			case quickGt:
				found = have > want
			case quickGte:
				found = have >= want
			case quickLt:
				found = have < want
			case quickLte:
				found = have <= want
			}
			if found {
				break
			}
		}
		if found {
			held++
		}
	}
	if f.all {
		return held == len(f.numbers)
	}
	return held > 0
}

// quickEvent is an event's fields with the lower-cased forms of its
// values computed once per event rather than once per rule.
type quickEvent struct {
	fields map[string]any
	lower  map[string]string
}

func (e *quickEvent) lowered(s string) string {
	if l, ok := e.lower[s]; ok {
		return l
	}
	l := strings.ToLower(s)
	if e.lower == nil {
		e.lower = map[string]string{}
	}
	e.lower[s] = l
	return l
}

func (f *quickField) mayHold(ev *quickEvent) bool {
	fields := ev.fields
	switch f.kind {
	case quickAny:
		return true
	case quickGt, quickGte, quickLt, quickLte:
		return f.mayHoldNumber(fields)
	}
	for _, want := range f.values {
		found := false
		for _, t := range f.targets {
			switch v := fields[t].(type) {
			case nil:
			case string:
				found = f.cmp(ev, v, want)
			case []string:
				for _, x := range v {
					if f.cmp(ev, x, want) {
						found = true
						break
					}
				}
			default:
				found = f.cmp(ev, fmt.Sprint(v), want)
			}
			if found {
				break
			}
		}
		if f.all && !found {
			return false
		}
		if !f.all && found {
			return true
		}
	}
	return f.all
}

func (f *quickField) cmp(ev *quickEvent, have, want string) bool {
	switch f.kind {
	case quickEq:
		return strings.EqualFold(have, want)
	case quickContains:
		return strings.Contains(ev.lowered(have), want)
	case quickPrefix:
		return strings.HasPrefix(ev.lowered(have), want)
	case quickSuffix:
		return strings.HasSuffix(ev.lowered(have), want)
	}
	return true
}
