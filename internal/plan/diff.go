package plan

import (
	"fmt"
	"sort"
	"strings"
)

// Change is one difference between two plans.
type Change struct {
	Key string `json:"key"`
	Old string `json:"old,omitempty"`
	New string `json:"new,omitempty"`
}

// Kind is "added", "removed" or "changed".
func (c Change) Kind() string {
	switch {
	case c.Old == "":
		return "added"
	case c.New == "":
		return "removed"
	}
	return "changed"
}

func (c Change) String() string {
	switch c.Kind() {
	case "added":
		return fmt.Sprintf("+ %s: %s", c.Key, c.New)
	case "removed":
		return fmt.Sprintf("- %s: %s", c.Key, c.Old)
	}
	return fmt.Sprintf("~ %s: %s → %s", c.Key, c.Old, c.New)
}

// Diff compares two plans element by element: clauses, routes, deadlines,
// playbook steps and the rest are matched by their ids, so a changed
// threshold shows as one changed line.
func Diff(a, b *Plan) []Change {
	fa, fb := flatten(a), flatten(b)
	keys := map[string]bool{}
	for k := range fa {
		keys[k] = true
	}
	for k := range fb {
		keys[k] = true
	}
	var out []Change
	for k := range keys {
		if fa[k] != fb[k] {
			out = append(out, Change{Key: k, Old: fa[k], New: fb[k]})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

func flatten(p *Plan) map[string]string {
	m := map[string]string{}
	set := func(k, format string, args ...any) { m[k] = fmt.Sprintf(format, args...) }
	set("version", "%s", p.Version)
	set("name", "%s", p.Name.String())
	set("taxonomy", "%s", taxonomyID(p))
	for _, g := range p.Grades {
		set("grades."+string(g.Grade), "%s, %s", g.Name.ZH, g.Color)
	}
	set("grading.default", "%s", p.Grading.Default)
	for _, c := range p.Grading.Clauses {
		k := "grading.clause[" + c.ID + "]"
		set(k+".grade", "%s", c.Grade)
		set(k+".when", "%s", c.When.String())
		set(k+".text", "%s", c.Text)
	}
	if w := p.Warnings; w != nil {
		for _, is := range w.Issuers {
			for _, c := range is.Colors {
				set("warnings.issuer["+string(c)+"]", "%s at %s or above", is.Role, is.MinLevel)
			}
		}
		if w.MultiRegion != nil {
			set("warnings.multi_region", "%s at %s or above", w.MultiRegion.Role, w.MultiRegion.MinLevel)
		}
		for _, r := range w.Responses {
			for _, c := range r.Colors {
				k := "warnings.response[" + string(c) + "]"
				m[k] = strings.Trim(m[k]+" "+strings.Join(r.Switches, " "), " ")
			}
		}
	}
	for _, r := range p.ResponseLevels {
		k := "response_level[" + string(r.Level) + "]"
		set(k+".activated_by", "%s", r.ActivatedBy.Label().String())
		set(k+".switches", "%s", strings.Join(r.Switches, " "))
	}
	for _, r := range p.Reporting {
		k := "reporting[" + r.ID + "]"
		to := make([]string, len(r.To))
		for i, t := range r.To {
			to[i] = t.Label().String()
		}
		set(k+".grades", "%v", r.Grades)
		set(k+".from", "%s", r.From.Label().String())
		set(k+".to", "%s", strings.Join(to, "、"))
		if r.WithinMinutes > 0 {
			set(k+".within_minutes", "%d", r.WithinMinutes)
		} else {
			set(k+".urgency", "%s", r.Urgency)
		}
		set(k+".counted_from", "%s", r.CountedFrom)
		if r.After != "" {
			set(k+".after", "%s", r.After)
		}
		if r.When != nil {
			set(k+".when", "%s", r.When.String())
		}
		if len(r.Categories) > 0 {
			set(k+".categories", "%s", strings.Join(r.Categories, " "))
		}
	}
	for _, d := range p.Deadlines {
		k := "deadline[" + d.ID + "]"
		set(k+".within", "%s from %s", d.Within, d.From)
		set(k+".grades", "%v", d.Grades)
		set(k+".owner", "%s", d.Owner.Label().String())
	}
	for _, pb := range p.Playbooks {
		k := "playbook[" + pb.ID + "]"
		set(k+".title", "%s", pb.Title.String())
		for i, st := range pb.Steps {
			sk := fmt.Sprintf("%s.step[%s]", k, st.ID)
			set(sk+".order", "%d", i+1)
			set(sk+".title", "%s", st.Title.String())
			set(sk+".role", "%s", st.Role)
			set(sk+".due", "%s", st.Due)
			set(sk+".mandatory", "%t", st.Mandatory)
		}
	}
	if f := p.ReportForm; f != nil {
		for _, fl := range f.Fields {
			set("report_form.field["+fl.ID+"]", "%s (%s, %s)", fl.Label.ZH, fl.Type, fl.Stage)
		}
	}
	for k, v := range m {
		if v == "" {
			delete(m, k)
		}
	}
	return m
}

func taxonomyID(p *Plan) string {
	if p.tax != nil {
		return p.tax.ID
	}
	return p.Taxonomy.Ref
}
