package plan

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"fenghuo/internal/calendar"
	"fenghuo/internal/fenghuo"
)

var idRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,62}$`)

// ValidSpan reports whether s is a time span of the plan format: a positive
// number followed by m (minutes), h (hours), d (calendar days) or wd
// (working days), as calendar.ParseSpan reads it.
func ValidSpan(s string) bool {
	sp, err := calendar.ParseSpan(s)
	return err == nil && sp.N > 0
}

type validator struct {
	file       string
	lines      map[string]int
	taxonomies map[string]*Taxonomy
	problems   []Problem
	tax        *Taxonomy
}

// line returns the line of path, or of its nearest recorded ancestor.
func (v *validator) line(path string) int {
	for p := path; ; {
		if l, ok := v.lines[p]; ok {
			return l
		}
		i := strings.LastIndexAny(p, ".[")
		if i < 0 {
			return v.lines[""]
		}
		p = p[:i]
	}
}

func (v *validator) errorf(path, format string, args ...any) {
	v.problems = append(v.problems, Problem{File: v.file, Line: v.line(path), Key: path, Message: fmt.Sprintf(format, args...)})
}

func (v *validator) required(path, value string) bool {
	if strings.TrimSpace(value) == "" {
		v.errorf(path, "is required")
		return false
	}
	return true
}

func (v *validator) plan(p *Plan) {
	if v.required("id", p.ID) && !idRE.MatchString(p.ID) {
		v.errorf("id", "%q is not a plan id: use 2–63 lower-case letters, digits and hyphens", p.ID)
	}
	v.required("version", p.Version)
	v.required("name.zh", p.Name.ZH)
	v.taxonomy(p)
	used := v.grades(p)
	v.grading(p, used)
	v.warnings(p)
	v.responseLevels(p, used)
	v.routes(p, used)
	v.deadlines(p, used)
	v.playbooks(p)
	v.reportForm(p.ReportForm)
	for g := range used {
		if _, ok := p.GradeDef(g); !ok {
			v.errorf("grades", "grade %s is used but has no entry here, so it has no warning colour", g)
		}
	}
}

func (v *validator) taxonomy(p *Plan) {
	switch {
	case p.Taxonomy.Inline != nil:
		v.inlineTaxonomy("taxonomy", p.Taxonomy.Inline)
		v.tax = p.Taxonomy.Inline
	case p.Taxonomy.Ref == "":
		v.errorf("taxonomy", "is required: name a built-in taxonomy (%s) or write one inline", strings.Join(sortedKeys(v.taxonomies), ", "))
	default:
		t, ok := v.taxonomies[p.Taxonomy.Ref]
		if !ok {
			v.errorf("taxonomy", "unknown taxonomy %q%s", p.Taxonomy.Ref, suggest(p.Taxonomy.Ref, sortedKeys(v.taxonomies)))
			return
		}
		v.tax = t
	}
	p.tax = v.tax
}

func (v *validator) inlineTaxonomy(path string, t *Taxonomy) {
	v.required(path+".id", t.ID)
	if len(t.Categories) == 0 {
		v.errorf(path+".categories", "a taxonomy needs at least one category")
	}
	seen := map[string]bool{}
	var check func(p string, c Category)
	check = func(p string, c Category) {
		if v.required(p+".code", c.Code) {
			if seen[c.Code] {
				v.errorf(p+".code", "category code %q is used twice", c.Code)
			}
			seen[c.Code] = true
		}
		v.required(p+".name.zh", c.Name.ZH)
	}
	for i, c := range t.Categories {
		cp := fmt.Sprintf("%s.categories[%d]", path, i)
		check(cp, c)
		for j, s := range c.Subcategories {
			sp := fmt.Sprintf("%s.subcategories[%d]", cp, j)
			check(sp, s)
			if len(s.Subcategories) > 0 {
				v.errorf(sp+".subcategories", "categories nest one level only")
			}
		}
	}
}

// grades checks the grade table and returns the set of grades the plan uses.
func (v *validator) grades(p *Plan) map[fenghuo.Grade]bool {
	seenGrade := map[fenghuo.Grade]bool{}
	seenColor := map[fenghuo.Color]bool{}
	for i, d := range p.Grades {
		path := fmt.Sprintf("grades[%d]", i)
		if !d.Grade.Valid() {
			v.errorf(path+".grade", "%q is not a grade: use I, II, III or IV", d.Grade)
		} else if seenGrade[d.Grade] {
			v.errorf(path+".grade", "grade %s is defined twice", d.Grade)
		}
		seenGrade[d.Grade] = true
		v.required(path+".name.zh", d.Name.ZH)
		switch {
		case d.Color == "":
			v.errorf(path+".color", "grade %s has no warning colour: use red, orange, yellow or blue", d.Grade)
		case !d.Color.Valid():
			v.errorf(path+".color", "%q is not a warning colour: use red, orange, yellow or blue", d.Color)
		case seenColor[d.Color]:
			v.errorf(path+".color", "colour %s is given to two grades", d.Color)
		}
		seenColor[d.Color] = true
	}
	return map[fenghuo.Grade]bool{}
}

func (v *validator) grade(path string, g fenghuo.Grade, used map[fenghuo.Grade]bool) {
	if !g.Valid() {
		v.errorf(path, "%q is not a grade: use I, II, III or IV", g)
		return
	}
	used[g] = true
}

func (v *validator) grading(p *Plan, used map[fenghuo.Grade]bool) {
	if p.Grading.Default == "" {
		p.Grading.Default = fenghuo.GradeIV
	}
	v.grade("grading.default", p.Grading.Default, used)
	ids := map[string]bool{}
	for i, c := range p.Grading.Clauses {
		path := fmt.Sprintf("grading.clauses[%d]", i)
		if v.required(path+".id", c.ID) {
			if ids[c.ID] {
				v.errorf(path+".id", "clause %q is defined twice", c.ID)
			}
			ids[c.ID] = true
		}
		v.grade(path+".grade", c.Grade, used)
		v.required(path+".text", c.Text)
		v.condition(path+".when", &p.Grading.Clauses[i].When)
	}
}

// condition checks that exactly one form is used and that facts, operators
// and values agree with the fact catalogue.
func (v *validator) condition(path string, c *Condition) {
	forms := 0
	if c.All != nil {
		forms++
	}
	if c.Any != nil {
		forms++
	}
	if c.Fact != "" {
		forms++
	}
	switch {
	case forms == 0:
		v.errorf(path, "a condition needs all:, any: or fact:")
		return
	case forms > 1:
		v.errorf(path, "a condition uses exactly one of all:, any: and fact:")
		return
	}
	for name, list := range map[string][]Condition{"all": c.All, "any": c.Any} {
		if list == nil {
			continue
		}
		if len(list) == 0 {
			v.errorf(path+"."+name, "an empty list matches nothing useful: give at least one condition")
		}
		for i := range list {
			v.condition(fmt.Sprintf("%s.%s[%d]", path, name, i), &list[i])
		}
	}
	if c.Fact != "" {
		v.factTest(path, c)
	}
}

func (v *validator) factTest(path string, c *Condition) {
	def, ok := factIndex[c.Fact]
	if !ok {
		v.errorf(path+".fact", "unknown fact %q%s", c.Fact, suggest(c.Fact, factKeys()))
		return
	}
	ops := 0
	for _, set := range []bool{c.Gte != nil, c.AtLeast != "", c.Is != nil, c.Eq != "", c.In != nil} {
		if set {
			ops++
		}
	}
	if ops != 1 {
		v.errorf(path, "fact %q needs exactly one test: %s", c.Fact, allowedTests(def))
		return
	}
	bad := func(op string) {
		v.errorf(path+"."+op, "fact %q (%s) cannot be tested with %s: use %s", c.Fact, def.Type, op, allowedTests(def))
	}
	value := func(op, val string) {
		if def.rank(val) < 0 {
			v.errorf(path+"."+op, "%q is not a value of %s: use one of %s", val, c.Fact, strings.Join(def.Values, ", "))
		}
	}
	switch {
	case c.Gte != nil:
		if def.Type != FactNumber && def.Type != FactInteger {
			bad("gte")
		} else if *c.Gte < 0 {
			v.errorf(path+".gte", "a threshold must be ≥ 0")
		}
	case c.AtLeast != "":
		if def.Type != FactOrdinal {
			bad("at_least")
		} else {
			value("at_least", c.AtLeast)
		}
	case c.Is != nil:
		if def.Type != FactBool {
			bad("is")
		}
	case c.Eq != "":
		if def.Type != FactEnum && def.Type != FactOrdinal {
			bad("eq")
		} else {
			value("eq", c.Eq)
		}
	case c.In != nil:
		if def.Type != FactEnum && def.Type != FactOrdinal {
			bad("in")
		} else {
			if len(c.In) == 0 {
				v.errorf(path+".in", "give at least one value")
			}
			for _, val := range c.In {
				value("in", val)
			}
		}
	}
}

func allowedTests(d *FactDef) string {
	switch d.Type {
	case FactBool:
		return "is: true|false"
	case FactNumber, FactInteger:
		return "gte: N (inclusive)"
	case FactOrdinal:
		return "at_least, eq or in with " + strings.Join(d.Values, " < ")
	default:
		return "eq or in with " + strings.Join(d.Values, ", ")
	}
}

func (v *validator) role(path, role string, allowAny bool) {
	if !v.required(path, role) {
		return
	}
	if role == RoleAny && !allowAny {
		v.errorf(path, "%q is not allowed here: name a role", role)
		return
	}
	if _, ok := roleNames[role]; !ok {
		v.errorf(path, "unknown role %q%s", role, suggest(role, Roles()))
	}
}

func (v *validator) level(path string, l fenghuo.OrgLevel, required bool) {
	if l == "" {
		if required {
			v.errorf(path, "is required: use one of %s", levelList())
		}
		return
	}
	if !l.Valid() {
		v.errorf(path, "unknown level %q: use one of %s", l, levelList())
	}
}

func levelList() string {
	s := make([]string, len(fenghuo.OrgLevels))
	for i, l := range fenghuo.OrgLevels {
		s[i] = string(l)
	}
	return strings.Join(s, ", ")
}

func (v *validator) party(path string, p Party) {
	v.role(path+".role", p.Role, false)
	v.level(path+".level", p.Level, false)
}

func (v *validator) colors(path string, cs []fenghuo.Color) {
	if len(cs) == 0 {
		v.errorf(path, "give at least one colour")
	}
	for i, c := range cs {
		if !c.Valid() {
			v.errorf(fmt.Sprintf("%s[%d]", path, i), "%q is not a warning colour: use red, orange, yellow or blue", c)
		}
	}
}

func (v *validator) switches(path string, ss []string) {
	for i, s := range ss {
		if _, ok := switchNames[s]; !ok {
			v.errorf(fmt.Sprintf("%s[%d]", path, i), "unknown switch %q%s", s, suggest(s, sortedKeys(switchNames)))
		}
	}
}

func (v *validator) warnings(p *Plan) {
	w := p.Warnings
	if w == nil {
		return
	}
	if len(w.Issuers) == 0 {
		v.errorf("warnings.issuers", "say who may issue each colour")
	}
	covered := map[fenghuo.Color]bool{}
	for i, is := range w.Issuers {
		path := fmt.Sprintf("warnings.issuers[%d]", i)
		v.colors(path+".colors", is.Colors)
		for _, c := range is.Colors {
			covered[c] = true
		}
		v.role(path+".role", is.Role, true)
		v.level(path+".min_level", is.MinLevel, true)
	}
	for _, d := range p.Grades {
		if d.Color.Valid() && !covered[d.Color] && len(w.Issuers) > 0 {
			v.errorf("warnings.issuers", "no rule says who may issue %s warnings", d.Color)
		}
	}
	if w.MultiRegion != nil {
		v.role("warnings.multi_region.role", w.MultiRegion.Role, true)
		v.level("warnings.multi_region.min_level", w.MultiRegion.MinLevel, true)
	}
	for i, r := range w.Responses {
		path := fmt.Sprintf("warnings.responses[%d]", i)
		v.colors(path+".colors", r.Colors)
		v.switches(path+".switches", r.Switches)
	}
}

func (v *validator) event(path, e string, allowed ...string) {
	if !v.required(path, e) {
		return
	}
	if _, ok := eventNames[e]; !ok || (len(allowed) > 0 && !slices.Contains(allowed, e)) {
		list := allowed
		if len(list) == 0 {
			list = sortedKeys(eventNames)
		}
		v.errorf(path, "unknown event %q%s: use one of %s", e, suggest(e, list), strings.Join(list, ", "))
	}
}

func (v *validator) span(path, s string, required bool) {
	if s == "" {
		if required {
			v.errorf(path, `is required: write a span such as "30m", "2h", "30d" or "20wd" (working days)`)
		}
		return
	}
	if !ValidSpan(s) {
		v.errorf(path, `%q is not a span: write a positive number followed by m, h, d or wd, e.g. "2h" or "20wd"`, s)
	}
}

func (v *validator) categories(path string, codes []string) {
	if v.tax == nil {
		return
	}
	for i, c := range codes {
		if _, _, ok := v.tax.Lookup(c); !ok {
			v.errorf(fmt.Sprintf("%s[%d]", path, i), "unknown category %q in taxonomy %s%s", c, v.tax.ID, suggest(c, v.tax.Codes()))
		}
	}
}

func (v *validator) gradeList(path string, gs []fenghuo.Grade, used map[fenghuo.Grade]bool, required bool) {
	if len(gs) == 0 && required {
		v.errorf(path, "give the grades this applies to")
	}
	for i, g := range gs {
		v.grade(fmt.Sprintf("%s[%d]", path, i), g, used)
	}
}

func (v *validator) routes(p *Plan, used map[fenghuo.Grade]bool) {
	ids := map[string]int{}
	for i, r := range p.Reporting {
		path := fmt.Sprintf("reporting[%d]", i)
		if v.required(path+".id", r.ID) {
			if _, dup := ids[r.ID]; dup {
				v.errorf(path+".id", "route %q is defined twice", r.ID)
			}
			ids[r.ID] = i
		}
		v.gradeList(path+".grades", r.Grades, used, true)
		if r.When != nil {
			v.condition(path+".when", p.Reporting[i].When)
		}
		v.categories(path+".categories", r.Categories)
		v.party(path+".from", r.From)
		if len(r.To) == 0 {
			v.errorf(path+".to", "say whom the report goes to")
		}
		for j, to := range r.To {
			v.party(fmt.Sprintf("%s.to[%d]", path, j), to)
		}
		switch {
		case r.WithinMinutes < 0:
			v.errorf(path+".within_minutes", "must be a positive number of minutes")
		case r.WithinMinutes > 0 && r.Urgency != "":
			v.errorf(path+".urgency", "give within_minutes or urgency, not both")
		case r.WithinMinutes == 0 && r.Urgency == "":
			v.errorf(path+".within_minutes", "is required (or urgency: immediately|timely where the source gives no number)")
		case r.Urgency != "":
			if _, ok := urgencyNames[r.Urgency]; !ok {
				v.errorf(path+".urgency", "%q is not an urgency: use immediately or timely", r.Urgency)
			}
		}
		v.event(path+".counted_from", r.CountedFrom, EventOccurrence, EventDiscovery, EventUpstreamReceipt)
		if r.CountedFrom == EventUpstreamReceipt && r.After == "" {
			v.errorf(path+".after", "a leg counted from upstream_receipt must name the route it follows")
		}
		if r.After != "" && r.CountedFrom != EventUpstreamReceipt {
			v.errorf(path+".counted_from", "a leg that follows %q is counted from upstream_receipt", r.After)
		}
	}
	for i, r := range p.Reporting {
		if r.After == "" {
			continue
		}
		path := fmt.Sprintf("reporting[%d].after", i)
		if _, ok := ids[r.After]; !ok {
			v.errorf(path, "unknown route %q%s", r.After, suggest(r.After, sortedKeys(ids)))
			continue
		}
		// Follow the chain of legs; coming back to r is a cycle.
		seen := map[string]bool{r.ID: true}
		for cur := r.After; cur != ""; {
			if seen[cur] {
				v.errorf(path, "route %q is part of a cycle of escalation legs (%s)", r.ID, cur)
				break
			}
			seen[cur] = true
			j, ok := ids[cur]
			if !ok {
				break
			}
			cur = p.Reporting[j].After
		}
	}
}

func (v *validator) deadlines(p *Plan, used map[fenghuo.Grade]bool) {
	ids := map[string]bool{}
	for i, d := range p.Deadlines {
		path := fmt.Sprintf("deadlines[%d]", i)
		if v.required(path+".id", d.ID) {
			if ids[d.ID] {
				v.errorf(path+".id", "deadline %q is defined twice", d.ID)
			}
			ids[d.ID] = true
		}
		v.required(path+".name.zh", d.Name.ZH)
		v.gradeList(path+".grades", d.Grades, used, false)
		v.event(path+".from", d.From)
		v.span(path+".within", d.Within, true)
		v.party(path+".owner", d.Owner)
	}
}

var (
	fieldTypes   = []string{"text", "textarea", "datetime", "number", "choice"}
	reportStages = []string{"initial", "follow_up", "final"}
)

func (v *validator) reportForm(f *ReportForm) {
	if f == nil {
		return
	}
	v.required("report_form.title.zh", f.Title.ZH)
	if len(f.Fields) == 0 {
		v.errorf("report_form.fields", "a form needs at least one field")
	}
	ids := map[string]bool{}
	for i, fl := range f.Fields {
		path := fmt.Sprintf("report_form.fields[%d]", i)
		if v.required(path+".id", fl.ID) {
			if ids[fl.ID] {
				v.errorf(path+".id", "field %q is defined twice", fl.ID)
			}
			ids[fl.ID] = true
		}
		v.required(path+".label.zh", fl.Label.ZH)
		if !slices.Contains(fieldTypes, fl.Type) {
			v.errorf(path+".type", "%q is not a field type: use one of %s", fl.Type, strings.Join(fieldTypes, ", "))
		}
		if fl.Type == "choice" && len(fl.Options) == 0 {
			v.errorf(path+".options", "a choice field needs options")
		}
		if !slices.Contains(reportStages, fl.Stage) {
			v.errorf(path+".stage", "%q is not a report stage: use one of %s", fl.Stage, strings.Join(reportStages, ", "))
		}
	}
}
