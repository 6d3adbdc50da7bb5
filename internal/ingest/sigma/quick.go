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
// field. Before calling sigma-go the engine asks a rule's "need": clauses
// of searches, at least one search of each must hold for the condition to
// hold (found from the condition, see needExpr). A search can
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
	// clauses: for each, at least one of its searches must be able to
	// hold. No clause: no constraint known, always evaluate.
	clauses [][]quickSearch
}

func compileQuick(r sigmago.Rule, targets func(string) []string) quickRule {
	clauses, ok := need(r.Detection, r.Detection.Conditions)
	if !ok {
		return quickRule{}
	}
	var q quickRule
	for _, clause := range clauses {
		var qc []quickSearch
		for _, name := range clause {
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
				qc = nil // an empty search always holds: the clause says nothing
				break
			}
			qc = append(qc, qs)
		}
		if qc != nil {
			q.clauses = append(q.clauses, qc)
		}
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

// need returns clauses over the searches: for the conditions to hold, at
// least one search of every clause must hold. An identifier needs itself;
// "and" needs every clause of its parts; "or" needs one clause made of one
// clause of each part; "not" needs nothing. ok is false when nothing is
// known.
func need(d sigmago.Detection, conds sigmago.Conditions) ([][]string, bool) {
	if len(conds) != 1 {
		// Several conditions are alternatives (any may match): one clause
		// of each, joined.
		var joined []string
		for _, c := range conds {
			cl, ok := needExpr(d, c.Search)
			if !ok {
				return nil, false
			}
			joined = append(joined, cl[0]...)
		}
		return [][]string{joined}, len(joined) > 0
	}
	return needExpr(d, conds[0].Search)
}

func needExpr(d sigmago.Detection, e sigmago.SearchExpr) ([][]string, bool) {
	switch s := e.(type) {
	case sigmago.SearchIdentifier:
		return [][]string{{s.Name}}, true
	case sigmago.And:
		var out [][]string
		for _, x := range s {
			if cl, ok := needExpr(d, x); ok {
				out = append(out, cl...)
			}
		}
		return out, len(out) > 0
	case sigmago.Or:
		var joined []string
		for _, x := range s {
			cl, ok := needExpr(d, x)
			if !ok {
				return nil, false
			}
			joined = append(joined, cl[0]...)
		}
		return [][]string{joined}, len(joined) > 0
	case sigmago.OneOfPattern:
		return one(matching(d, s.Pattern))
	case sigmago.AllOfPattern:
		names, ok := matching(d, s.Pattern)
		if !ok {
			return nil, false
		}
		out := make([][]string, 0, len(names))
		for _, n := range names {
			out = append(out, []string{n})
		}
		return out, true
	case sigmago.OneOfThem:
		return one(matching(d, "*"))
	case sigmago.AllOfThem:
		names, ok := matching(d, "*")
		if !ok {
			return nil, false
		}
		out := make([][]string, 0, len(names))
		for _, n := range names {
			out = append(out, []string{n})
		}
		return out, true
	}
	return nil, false
}

func one(names []string, ok bool) ([][]string, bool) {
	if !ok {
		return nil, false
	}
	return [][]string{names}, true
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
clauses:
	for _, clause := range q.clauses {
		for _, s := range clause {
			if s.mayHold(ev) {
				continue clauses
			}
		}
		return false
	}
	return true
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
