package plan

import (
	"fmt"
	"sort"
	"strings"

	"fenghuo/internal/fenghuo"
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
		flattenLevel(m, r)
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
		flattenPlaybook(m, pb)
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

func partyLabels(ps []Party) string {
	out := make([]string, len(ps))
	for i, pt := range ps {
		out[i] = pt.Label().String()
	}
	return strings.Join(out, "、")
}

func optionalLabel(p *Party) string {
	if p == nil {
		return ""
	}
	return p.Label().String()
}

func gradeList(gs []fenghuo.Grade) string {
	out := make([]string, len(gs))
	for i, g := range gs {
		out[i] = string(g)
	}
	return strings.Join(out, " ")
}

func memberLabel(m *Member) string {
	if m == nil {
		return ""
	}
	return m.Title.String()
}

// flattenLevel writes one key per setting of a response level, so that a
// changed interval or activator is one changed line.
func flattenLevel(m map[string]string, r ResponseLevel) {
	k := "response_level[" + string(r.Level) + "]"
	m[k+".clause"] = r.Clause
	m[k+".requested_by"] = partyLabels(r.RequestedBy)
	m[k+".activated_by"] = r.ActivatedBy.Label().String()
	m[k+".approval"] = optionalLabel(r.Approval)
	m[k+".ended_by"] = r.Ender().Label().String()
	m[k+".end_requested_by"] = partyLabels(r.EndRequestedBy)
	m[k+".end_approval"] = optionalLabel(r.EndApproval)
	m[k+".switches"] = strings.Join(r.Switches, " ")
	m[k+".notify"] = partyLabels(r.Notify)
	if c := r.Command; c != nil {
		m[k+".command.body"] = c.Body.String()
		m[k+".command.commander"] = memberLabel(c.Commander)
		m[k+".command.office"] = memberLabel(c.Office)
		m[k+".command.liaison"] = memberLabel(c.Liaison)
		m[k+".command.on_site"] = memberLabel(c.OnSite)
		members := make([]string, len(c.Members))
		for i := range c.Members {
			members[i] = memberLabel(&c.Members[i])
		}
		m[k+".command.members"] = strings.Join(members, "、")
	}
	if d := r.Duty; d != nil {
		hours := d.HoursPerDay
		if hours == 0 {
			hours = 24
		}
		m[k+".duty"] = fmt.Sprintf("%dh by %s", hours, partyLabels(d.By))
	}
	for _, sb := range r.Standby {
		m[k+".standby["+sb.Role+"]"] = Party{Role: sb.Role, Level: sb.Level}.Label().String() + ": " + sb.Task.String()
		if sb.Due != "" {
			m[k+".standby["+sb.Role+"]"] += " (" + sb.Due + ")"
		}
	}
	m[k+".situation_interval"] = r.SituationInterval()
	if s := r.SituationReports; s != nil {
		m[k+".situation_reports"] = s.From.Label().String() + " → " + partyLabels(s.To)
	}
	if n := r.EndNotice; n != nil {
		m[k+".end_notice"] = strings.TrimSpace(r.EndNoticeSender().Label().String() + " → activation recipients " + partyLabels(n.AlsoTo))
	}
}

// flattenPlaybook writes one key per playbook setting and step setting.
func flattenPlaybook(m map[string]string, pb Playbook) {
	k := "playbook[" + pb.ID + "]"
	m[k+".title"] = pb.Title.String()
	m[k+".trigger"] = pb.EffectiveTrigger()
	m[k+".levels"] = gradeList(pb.Levels)
	m[k+".categories"] = strings.Join(pb.Categories, " ")
	m[k+".grades"] = gradeList(pb.Grades)
	m[k+".from"] = pb.EffectiveFrom()
	for i, st := range pb.Steps {
		sk := fmt.Sprintf("%s.step[%s]", k, st.ID)
		m[sk+".order"] = fmt.Sprintf("%d", i+1)
		m[sk+".title"] = st.Title.String()
		m[sk+".owner"] = st.EffectiveOwner()
		if st.Due != "" {
			from := st.From
			if from == "" {
				from = pb.EffectiveFrom()
			}
			m[sk+".due"] = st.Due + " from " + from
		}
		m[sk+".grades"] = gradeList(st.Grades)
		m[sk+".mandatory"] = fmt.Sprintf("%t", st.Mandatory)
		m[sk+".evidence"] = strings.Join(st.Evidence, "; ")
		m[sk+".escalate_to"] = partyLabels(st.EscalateTo)
	}
}
