// Package plan reads, validates and executes emergency plans (应急预案).
//
// A plan is data: its taxonomy, grading clauses, warning colours and who may
// issue them, response levels, reporting routes, post-incident deadlines and
// playbooks are loaded from a YAML document (docs/plans.md) and validated
// with the file, line and key of every problem. The built-in plans are
// embedded. The package does no I/O beyond reading the files it is given.
package plan

import (
	"fenghuo/internal/fenghuo"
)

// Text is a bilingual string: Chinese first, English optional.
type Text struct {
	ZH string `yaml:"zh" json:"zh"`
	EN string `yaml:"en,omitempty" json:"en,omitempty"`
}

// String returns the Chinese text, or the English one when there is none.
func (t Text) String() string {
	if t.ZH != "" {
		return t.ZH
	}
	return t.EN
}

// Plan is one emergency plan document.
type Plan struct {
	ID      string `yaml:"id" json:"id"`
	Version string `yaml:"version" json:"version"`
	Name    Text   `yaml:"name" json:"name"`
	// Source cites the document the plan reproduces.
	Source    string      `yaml:"source,omitempty" json:"source,omitempty"`
	Effective string      `yaml:"effective,omitempty" json:"effective,omitempty"`
	Notes     string      `yaml:"notes,omitempty" json:"notes,omitempty"`
	Taxonomy  TaxonomyRef `yaml:"taxonomy" json:"taxonomy"`

	Grades         []GradeDef      `yaml:"grades" json:"grades"`
	Grading        Grading         `yaml:"grading" json:"grading"`
	Warnings       *Warnings       `yaml:"warnings,omitempty" json:"warnings,omitempty"`
	ResponseLevels []ResponseLevel `yaml:"response_levels,omitempty" json:"response_levels,omitempty"`
	Reporting      []Route         `yaml:"reporting,omitempty" json:"reporting,omitempty"`
	Deadlines      []Deadline      `yaml:"deadlines,omitempty" json:"deadlines,omitempty"`
	Playbooks      []Playbook      `yaml:"playbooks,omitempty" json:"playbooks,omitempty"`
	ReportForm     *ReportForm     `yaml:"report_form,omitempty" json:"report_form,omitempty"`

	// File is where the plan was read from ("builtin:ID" for embedded plans).
	File string `yaml:"-" json:"-"`
	// Digest identifies the exact text the plan was read from, so that an
	// incident can record the version it was graded under.
	Digest string `yaml:"-" json:"digest"`
	// Revision is the number of the stored version (plan_versions) the
	// plan was read from; 0 for the built-in or file text.
	Revision int `yaml:"-" json:"revision,omitempty"`
	// Source text, kept for export.
	raw []byte
	tax *Taxonomy
}

// FullVersion is the declared version with the content digest, e.g.
// "2018.1+3f9a1c2d".
func (p *Plan) FullVersion() string { return p.Version + "+" + p.Digest }

// Raw returns the document text the plan was parsed from.
func (p *Plan) Raw() []byte { return p.raw }

// ResolvedTaxonomy returns the taxonomy the plan uses (inline or built-in).
func (p *Plan) ResolvedTaxonomy() *Taxonomy { return p.tax }

// GradeDef names a grade and gives its warning colour.
type GradeDef struct {
	Grade fenghuo.Grade `yaml:"grade" json:"grade"`
	Name  Text          `yaml:"name" json:"name"`
	Color fenghuo.Color `yaml:"color" json:"color"`
}

// Grading holds the clauses that decide an incident's grade.
type Grading struct {
	// Default is the grade when no clause matches (一般, IV, unless the
	// plan says otherwise).
	Default fenghuo.Grade `yaml:"default" json:"default"`
	Clauses []Clause      `yaml:"clauses" json:"clauses"`
}

// Clause is one grading criterion, quoted from its source.
type Clause struct {
	ID    string        `yaml:"id" json:"id"`
	Grade fenghuo.Grade `yaml:"grade" json:"grade"`
	Text  string        `yaml:"text" json:"text"`
	// Note explains how the prose was turned into a condition.
	Note string    `yaml:"note,omitempty" json:"note,omitempty"`
	When Condition `yaml:"when" json:"when"`
}

// Condition is a test over incident facts. Exactly one form is used:
// all / any of sub-conditions, or one fact compared with gte (numbers,
// inclusive), at_least (ordinals), is (booleans), eq or in (enums and
// ordinals).
type Condition struct {
	All     []Condition `yaml:"all,omitempty" json:"all,omitempty"`
	Any     []Condition `yaml:"any,omitempty" json:"any,omitempty"`
	Fact    string      `yaml:"fact,omitempty" json:"fact,omitempty"`
	Gte     *float64    `yaml:"gte,omitempty" json:"gte,omitempty"`
	AtLeast string      `yaml:"at_least,omitempty" json:"at_least,omitempty"`
	Is      *bool       `yaml:"is,omitempty" json:"is,omitempty"`
	Eq      string      `yaml:"eq,omitempty" json:"eq,omitempty"`
	In      []string    `yaml:"in,omitempty" json:"in,omitempty"`
}

// Party names an organisation by its role in the plan and, optionally, its
// level in the tree ("the county cyberspace office").
type Party struct {
	Role  string           `yaml:"role" json:"role"`
	Level fenghuo.OrgLevel `yaml:"level,omitempty" json:"level,omitempty"`
	Name  Text             `yaml:"name,omitempty" json:"name,omitempty"`
}

// Label is the party's own name, or one built from its role and level.
func (p Party) Label() Text {
	if p.Name.ZH != "" || p.Name.EN != "" {
		return p.Name
	}
	r := roleNames[p.Role]
	l := levelNames[p.Level]
	return Text{ZH: l.ZH + r.ZH, EN: joinWords(l.EN, r.EN)}
}

// Warnings holds the plan's warning rules (预警).
type Warnings struct {
	Issuers []Issuer `yaml:"issuers" json:"issuers"`
	// MultiRegion is who issues a warning that spans several regions,
	// departments or sectors, whatever its colour.
	MultiRegion *Issuer           `yaml:"multi_region,omitempty" json:"multi_region,omitempty"`
	Responses   []WarningResponse `yaml:"responses,omitempty" json:"responses,omitempty"`
}

// Issuer says which organisations may issue warnings of some colours:
// those with Role at MinLevel or above.
type Issuer struct {
	Colors   []fenghuo.Color  `yaml:"colors,omitempty" json:"colors,omitempty"`
	Role     string           `yaml:"role" json:"role"`
	MinLevel fenghuo.OrgLevel `yaml:"min_level" json:"min_level"`
	Name     Text             `yaml:"name,omitempty" json:"name,omitempty"`
	Clause   string           `yaml:"clause,omitempty" json:"clause,omitempty"`
	Text     string           `yaml:"text,omitempty" json:"text,omitempty"`
}

// WarningResponse is what issuing a warning of some colours switches on.
type WarningResponse struct {
	Colors   []fenghuo.Color `yaml:"colors" json:"colors"`
	Clause   string          `yaml:"clause,omitempty" json:"clause,omitempty"`
	Text     string          `yaml:"text,omitempty" json:"text,omitempty"`
	Switches []string        `yaml:"switches" json:"switches"`
}

// Route is one reporting obligation: for incidents of some grades, From
// reports to every party in To within a time counted from an event. A leg
// with After is an onward escalation counted from the receipt of that leg.
type Route struct {
	ID     string          `yaml:"id" json:"id"`
	Clause string          `yaml:"clause,omitempty" json:"clause,omitempty"`
	Text   string          `yaml:"text,omitempty" json:"text,omitempty"`
	Grades []fenghuo.Grade `yaml:"grades" json:"grades"`
	// When restricts the route to incidents whose facts match.
	When *Condition `yaml:"when,omitempty" json:"when,omitempty"`
	// Categories restricts the route to incidents of these categories.
	Categories []string `yaml:"categories,omitempty" json:"categories,omitempty"`
	From       Party    `yaml:"from" json:"from"`
	To         []Party  `yaml:"to" json:"to"`
	// WithinMinutes is the statutory time limit. Plans that only say
	// "immediately" (立即, 第一时间) or "timely" (及时) set Urgency instead.
	WithinMinutes int    `yaml:"within_minutes,omitempty" json:"within_minutes,omitempty"`
	Urgency       string `yaml:"urgency,omitempty" json:"urgency,omitempty"`
	CountedFrom   string `yaml:"counted_from" json:"counted_from"`
	After         string `yaml:"after,omitempty" json:"after,omitempty"`
}

// Deadline is a post-incident time limit (调查评估, 总结报告 …).
type Deadline struct {
	ID     string          `yaml:"id" json:"id"`
	Name   Text            `yaml:"name" json:"name"`
	Clause string          `yaml:"clause,omitempty" json:"clause,omitempty"`
	Text   string          `yaml:"text,omitempty" json:"text,omitempty"`
	Grades []fenghuo.Grade `yaml:"grades,omitempty" json:"grades,omitempty"`
	From   string          `yaml:"from" json:"from"`
	// Within is a span: "30d" calendar days, "20wd" working days, "2h", "30m".
	Within string `yaml:"within" json:"within"`
	Owner  Party  `yaml:"owner" json:"owner"`
}

// GradeDef returns the definition of grade g, if the plan has one.
func (p *Plan) GradeDef(g fenghuo.Grade) (GradeDef, bool) {
	for _, d := range p.Grades {
		if d.Grade == g {
			return d, true
		}
	}
	return GradeDef{}, false
}

// ColorFor returns the warning colour of grade g.
func (p *Plan) ColorFor(g fenghuo.Grade) fenghuo.Color {
	d, _ := p.GradeDef(g)
	return d.Color
}

// Route returns the route with the given id.
func (p *Plan) Route(id string) (Route, bool) {
	for _, r := range p.Reporting {
		if r.ID == id {
			return r, true
		}
	}
	return Route{}, false
}

// Playbook returns the playbook with the given id.
func (p *Plan) Playbook(id string) (Playbook, bool) {
	for _, pb := range p.Playbooks {
		if pb.ID == id {
			return pb, true
		}
	}
	return Playbook{}, false
}

// MayIssue reports whether an organisation with the given plan role and
// level may issue a warning of colour c for a single region, and if not,
// the issuer rule that applies instead. multiRegion asks about a warning
// spanning several regions, departments or sectors.
func (p *Plan) MayIssue(role string, level fenghuo.OrgLevel, c fenghuo.Color, multiRegion bool) (bool, []Issuer) {
	if p.Warnings == nil {
		return false, nil
	}
	var rules []Issuer
	if multiRegion && p.Warnings.MultiRegion != nil {
		rules = []Issuer{*p.Warnings.MultiRegion}
	} else {
		for _, is := range p.Warnings.Issuers {
			for _, ic := range is.Colors {
				if ic == c {
					rules = append(rules, is)
				}
			}
		}
	}
	for _, is := range rules {
		if (is.Role == RoleAny || is.Role == role) && level.Rank() >= is.MinLevel.Rank() {
			return true, rules
		}
	}
	return false, rules
}

// SwitchesForColor returns what issuing a warning of colour c switches on.
func (p *Plan) SwitchesForColor(c fenghuo.Color) []string {
	if p.Warnings == nil {
		return nil
	}
	var out []string
	for _, r := range p.Warnings.Responses {
		for _, rc := range r.Colors {
			if rc == c {
				out = appendUnique(out, r.Switches...)
			}
		}
	}
	return out
}

func appendUnique(dst []string, vals ...string) []string {
	for _, v := range vals {
		found := false
		for _, d := range dst {
			if d == v {
				found = true
				break
			}
		}
		if !found {
			dst = append(dst, v)
		}
	}
	return dst
}

func joinWords(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + " " + b
}

// ReportForm lists the fields of the plan's incident report form (报告单),
// e.g. seed 003 附件2 or the eight items of the 2025 reporting measures.
type ReportForm struct {
	Title  Text        `yaml:"title" json:"title"`
	Clause string      `yaml:"clause,omitempty" json:"clause,omitempty"`
	Fields []FormField `yaml:"fields" json:"fields"`
}

// FormField is one field of a report form.
type FormField struct {
	ID    string `yaml:"id" json:"id"`
	Label Text   `yaml:"label" json:"label"`
	// Type is text, textarea, datetime, number or choice.
	Type    string   `yaml:"type" json:"type"`
	Options []string `yaml:"options,omitempty" json:"options,omitempty"`
	// Stage is the first report that must carry the field: initial,
	// follow_up or final.
	Stage string `yaml:"stage" json:"stage"`
	Help  string `yaml:"help,omitempty" json:"help,omitempty"`
}
