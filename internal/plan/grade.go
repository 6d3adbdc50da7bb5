package plan

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"fenghuo/internal/fenghuo"
)

// truth is a three-valued result: a condition over a fact that is not
// known is neither true nor false.
type truth int

const (
	tFalse truth = iota
	tUnknown
	tTrue
)

// eval evaluates c over facts. A missing fact is unknown.
func (c *Condition) eval(f Facts) truth {
	switch {
	case c.All != nil:
		res := tTrue
		for i := range c.All {
			switch c.All[i].eval(f) {
			case tFalse:
				return tFalse
			case tUnknown:
				res = tUnknown
			}
		}
		return res
	case c.Any != nil:
		res := tFalse
		for i := range c.Any {
			switch c.Any[i].eval(f) {
			case tTrue:
				return tTrue
			case tUnknown:
				res = tUnknown
			}
		}
		return res
	}
	v, ok := f[c.Fact]
	if !ok {
		return tUnknown
	}
	def := factIndex[c.Fact]
	var hit bool
	switch {
	case c.Gte != nil:
		n, _ := toFloat(v)
		hit = n >= *c.Gte
	case c.AtLeast != "":
		s, _ := v.(string)
		hit = def.rank(s) >= def.rank(c.AtLeast)
	case c.Is != nil:
		b, _ := v.(bool)
		hit = b == *c.Is
	case c.Eq != "":
		hit = v == c.Eq
	case c.In != nil:
		s, _ := v.(string)
		hit = slices.Contains(c.In, s)
	}
	if hit {
		return tTrue
	}
	return tFalse
}

// Matches reports whether the facts satisfy c; unknown facts satisfy nothing.
func (c *Condition) Matches(f Facts) bool { return c.eval(f) == tTrue }

// String renders the condition for people, e.g.
// "all of (important_system is true, outage_minutes ≥ 60)".
func (c Condition) String() string {
	list := func(word string, cs []Condition) string {
		parts := make([]string, len(cs))
		for i, s := range cs {
			parts[i] = s.String()
		}
		return word + " (" + strings.Join(parts, ", ") + ")"
	}
	switch {
	case c.All != nil:
		return list("all of", c.All)
	case c.Any != nil:
		return list("any of", c.Any)
	case c.Gte != nil:
		return fmt.Sprintf("%s ≥ %s", c.Fact, strconv.FormatFloat(*c.Gte, 'f', -1, 64))
	case c.AtLeast != "":
		return fmt.Sprintf("%s at least %s", c.Fact, c.AtLeast)
	case c.Is != nil:
		return fmt.Sprintf("%s is %t", c.Fact, *c.Is)
	case c.Eq != "":
		return fmt.Sprintf("%s = %s", c.Fact, c.Eq)
	case c.In != nil:
		return fmt.Sprintf("%s in [%s]", c.Fact, strings.Join(c.In, ", "))
	}
	return "(empty)"
}

// Result is the outcome of grading an incident under one plan.
type Result struct {
	Plan        string `json:"plan"`
	PlanVersion string `json:"plan_version"`
	// PlanRevision is the stored version (plan_versions) graded under;
	// 0 for the built-in or file text.
	PlanRevision int             `json:"plan_revision,omitempty"`
	Grade        fenghuo.Grade   `json:"grade"`
	GradeName    Text            `json:"grade_name"`
	WarningColor fenghuo.Color   `json:"warning_color,omitempty"`
	Clauses      []MatchedClause `json:"clauses"`
	Reporting    []ReportDuty    `json:"reporting"`
	Deadlines    []DeadlineDuty  `json:"deadlines,omitempty"`
	Response     *ResponseLevel  `json:"response,omitempty"`
	Notes        []string        `json:"notes,omitempty"`
	Facts        Facts           `json:"facts"`
	Category     string          `json:"category,omitempty"`
}

// MatchedClause is a grading clause the facts satisfied.
type MatchedClause struct {
	ID    string        `json:"id"`
	Grade fenghuo.Grade `json:"grade"`
	Text  string        `json:"text"`
}

// ReportDuty is one report the incident requires: one per recipient of each
// applicable route.
type ReportDuty struct {
	Route         string           `json:"route"`
	Clause        string           `json:"clause,omitempty"`
	From          string           `json:"from"`
	FromRole      string           `json:"from_role"`
	To            string           `json:"to"`
	ToEN          string           `json:"to_en,omitempty"`
	ToRole        string           `json:"to_role"`
	ToLevel       fenghuo.OrgLevel `json:"to_level,omitempty"`
	WithinMinutes int              `json:"within_minutes,omitempty"`
	Urgency       string           `json:"urgency,omitempty"`
	CountedFrom   string           `json:"counted_from"`
	After         string           `json:"after,omitempty"`
	// If is set when the duty depends on facts or a category not yet
	// known: it applies only if this holds.
	If string `json:"if,omitempty"`
}

// DeadlineDuty is a post-incident time limit that applies to the grade.
type DeadlineDuty struct {
	ID     string `json:"id"`
	Name   Text   `json:"name"`
	Clause string `json:"clause,omitempty"`
	From   string `json:"from"`
	Within string `json:"within"`
	Owner  string `json:"owner"`
}

// Grade grades an incident: every clause is evaluated, the highest grade of
// the matched clauses wins (the plan's default, IV, when none matches), and
// the reporting duties, deadlines and response level of that grade follow.
// category may be empty when not yet known.
func (p *Plan) Grade(facts Facts, category string) (*Result, error) {
	if err := facts.Validate(); err != nil {
		return nil, err
	}
	if category != "" && p.tax != nil {
		if _, _, ok := p.tax.Lookup(category); !ok {
			return nil, &fenghuo.Error{Code: fenghuo.EINVALID, Field: "category",
				Message: fmt.Sprintf("unknown category %q in taxonomy %s%s", category, p.tax.ID, suggest(category, p.tax.Codes()))}
		}
	}
	if facts == nil {
		facts = Facts{}
	}
	res := &Result{Plan: p.ID, PlanVersion: p.FullVersion(), PlanRevision: p.Revision, Grade: p.Grading.Default,
		Clauses: []MatchedClause{}, Reporting: []ReportDuty{}, Facts: facts, Category: category}
	for i := range p.Grading.Clauses {
		c := &p.Grading.Clauses[i]
		if c.When.Matches(facts) {
			res.Clauses = append(res.Clauses, MatchedClause{ID: c.ID, Grade: c.Grade, Text: c.Text})
			if c.Grade.Severity() > res.Grade.Severity() {
				res.Grade = c.Grade
			}
		}
	}
	if d, ok := p.GradeDef(res.Grade); ok {
		res.GradeName = d.Name
		res.WarningColor = d.Color
	}
	res.Reporting = p.reportDuties(res.Grade, facts, category)
	if len(res.Reporting) == 0 && len(p.Reporting) > 0 {
		res.Notes = append(res.Notes, fmt.Sprintf("no report is required by %s for a grade %s incident", p.ID, res.Grade))
	}
	for _, d := range p.Deadlines {
		if len(d.Grades) == 0 || slices.Contains(d.Grades, res.Grade) {
			res.Deadlines = append(res.Deadlines, DeadlineDuty{ID: d.ID, Name: d.Name, Clause: d.Clause,
				From: d.From, Within: d.Within, Owner: d.Owner.Label().ZH})
		}
	}
	for i := range p.ResponseLevels {
		if p.ResponseLevels[i].Level == res.Grade {
			res.Response = &p.ResponseLevels[i]
		}
	}
	return res, nil
}

// reportDuties lists the duties of every route that applies to grade g,
// first legs and escalation legs alike, in document order.
func (p *Plan) reportDuties(g fenghuo.Grade, facts Facts, category string) []ReportDuty {
	out := []ReportDuty{}
	applies := map[string]truthWithWhy{}
	for _, r := range p.Reporting {
		t := p.routeApplies(r, g, facts, category, applies)
		if t.t == tFalse {
			continue
		}
		for _, to := range r.To {
			l := to.Label()
			out = append(out, ReportDuty{
				Route: r.ID, Clause: r.Clause,
				From: r.From.Label().ZH, FromRole: r.From.Role,
				To: l.ZH, ToEN: l.EN, ToRole: to.Role, ToLevel: to.Level,
				WithinMinutes: r.WithinMinutes, Urgency: r.Urgency,
				CountedFrom: r.CountedFrom, After: r.After, If: t.why,
			})
		}
	}
	return out
}

type truthWithWhy struct {
	t   truth
	why string
}

func (p *Plan) routeApplies(r Route, g fenghuo.Grade, facts Facts, category string, memo map[string]truthWithWhy) truthWithWhy {
	if v, ok := memo[r.ID]; ok {
		return v
	}
	memo[r.ID] = truthWithWhy{t: tFalse} // guards against cycles in unvalidated plans
	res := truthWithWhy{t: tTrue}
	var why []string
	if !slices.Contains(r.Grades, g) {
		res.t = tFalse
	}
	if res.t != tFalse && r.When != nil {
		switch r.When.eval(facts) {
		case tFalse:
			res.t = tFalse
		case tUnknown:
			res.t = tUnknown
			why = append(why, r.When.String())
		}
	}
	if res.t != tFalse && len(r.Categories) > 0 {
		switch {
		case category == "":
			res.t = tUnknown
			why = append(why, "category in ["+strings.Join(r.Categories, ", ")+"]")
		case !p.inCategories(category, r.Categories):
			res.t = tFalse
		}
	}
	if res.t != tFalse && r.After != "" {
		if parent, ok := p.Route(r.After); ok {
			pt := p.routeApplies(parent, g, facts, category, memo)
			if pt.t == tFalse {
				res.t = tFalse
			} else if pt.t == tUnknown {
				res.t = tUnknown
				why = append(why, pt.why)
			}
		}
	}
	res.why = strings.Join(why, " and ")
	memo[r.ID] = res
	return res
}

func (p *Plan) inCategories(code string, list []string) bool {
	for _, c := range list {
		if p.tax.Within(code, c) {
			return true
		}
	}
	return false
}

// Duties lists the reporting duties of grade g under this plan (the grade
// may be a regulator's override rather than the plan's own verdict).
func (p *Plan) Duties(g fenghuo.Grade, facts Facts, category string) []ReportDuty {
	return p.reportDuties(g, facts, category)
}

// DeadlinesFor lists the post-incident deadlines that apply to grade g.
func (p *Plan) DeadlinesFor(g fenghuo.Grade) []Deadline {
	var out []Deadline
	for _, d := range p.Deadlines {
		if len(d.Grades) == 0 || slices.Contains(d.Grades, g) {
			out = append(out, d)
		}
	}
	return out
}
