package web

import (
	"fmt"
	"html/template"
	"regexp"
	"strings"

	"fenghuo/internal/fenghuo"
	"fenghuo/internal/phrase"
	"fenghuo/internal/plan"
	"fenghuo/internal/store"
)

// Labels: the console shows every stored value in words, never its key
// (design/console.md rule 1). There is one label function per vocabulary;
// templates call them on the view ({{$.StatusLabel .Status}}). A value
// without words falls back to its key, and the Chromium test of raw keys
// catches it.

// vocab returns the words for key in vocabulary name (messages
// "name.key"), or the key itself when there are none.
func (v *view) vocab(name, key string) string {
	if key == "" {
		return ""
	}
	k := name + "." + key
	if _, ok := messages[k]; !ok {
		return key
	}
	return translate(v.Lang, k)
}

// Words picks the page's language from a bilingual plan text.
func (v *view) Words(t plan.Text, fallback string) string {
	if v.Lang == langEN && t.EN != "" {
		return t.EN
	}
	if t.ZH != "" {
		return t.ZH
	}
	if t.EN != "" {
		return t.EN
	}
	return fallback
}

var romanGrades = map[fenghuo.Grade]string{fenghuo.GradeI: "Ⅰ", fenghuo.GradeII: "Ⅱ", fenghuo.GradeIII: "Ⅲ", fenghuo.GradeIV: "Ⅳ"}

// GradeLabel is the short name of a grade: "Ⅱ级", "Grade II".
func (v *view) GradeLabel(g fenghuo.Grade) string {
	if g == "" {
		return ""
	}
	r, ok := romanGrades[g]
	if !ok {
		return string(g)
	}
	if v.Lang == langEN {
		return "Grade " + string(g)
	}
	return r + "级"
}

// GradeName is the full name of a grade: "重大(Ⅱ级)".
func (v *view) GradeName(g fenghuo.Grade) string {
	if v.Lang == langEN {
		return g.NameEN()
	}
	return g.NameZH()
}

// StatusLabel names an incident status.
func (v *view) StatusLabel(s fenghuo.IncidentStatus) string { return v.vocab("status", string(s)) }

// StateLabel names an obligation's state (open, on time, late, missed …).
func (v *view) StateLabel(s string) string { return v.vocab("state", s) }

// UrgencyLabel names a time limit without a number (立即, 及时).
func (v *view) UrgencyLabel(u string) string { return v.vocab("urgency", u) }

// ReportKindLabel names a report kind (初报, 续报, 终报).
func (v *view) ReportKindLabel(k string) string { return v.vocab("report.kind", k) }

// ChannelLabel names how an incident reached the platform.
func (v *view) ChannelLabel(c string) string { return v.vocab("intake", c) }

// ObligationKindLabel names a kind of obligation.
func (v *view) ObligationKindLabel(k string) string { return v.vocab("obligation.kind", k) }

// RoleLabel names an account role.
func (v *view) RoleLabel(r fenghuo.Role) string { return v.vocab("role", string(r)) }

// RoleLabels names a list of account roles, joined with the language's
// list separator.
func (v *view) RoleLabels(rs []fenghuo.Role) string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = v.RoleLabel(r)
	}
	return strings.Join(out, v.sep())
}

// PlanRoleLabel names a role an organisation plays in a plan.
func (v *view) PlanRoleLabel(r string) string { return v.Words(plan.RoleName(r), r) }

// PlanRoleLabels names a list of plan roles.
func (v *view) PlanRoleLabels(rs []string) string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = v.PlanRoleLabel(r)
	}
	return strings.Join(out, v.sep())
}

// LevelLabel names a level of the administrative tree.
func (v *view) LevelLabel(l fenghuo.OrgLevel) string { return v.vocab("level", string(l)) }

// OrgTypeLabel names what an organisation does.
// It takes the type or its string form.
func (v *view) OrgTypeLabel(t any) string { return v.vocab("orgtype", fmt.Sprint(t)) }

// SectorLabel names a sector; a province's own sector shows as written.
func (v *view) SectorLabel(s string) string { return v.vocab("sector", s) }

// OperatorTypeLabel names an operator type.
func (v *view) OperatorTypeLabel(t string) string { return v.vocab("operator", t) }

// ColorLabel names a warning colour.
func (v *view) ColorLabel(c fenghuo.Color) string { return v.vocab("color", string(c)) }

// KeyKindLabel names a kind of important system.
func (v *view) KeyKindLabel(k fenghuo.KeyKind) string {
	if v.Lang == langEN {
		return v.vocab("keykind", string(k))
	}
	return k.NameZH()
}

// GradeReasonLabel names why a grading was recorded ("created", "facts
// changed", "override: …" with the officer's own reason kept).
func (v *view) GradeReasonLabel(reason string) string {
	if r, ok := strings.CutPrefix(reason, "override: "); ok {
		return v.vocab("gradereason", "override") + v.colon() + r
	}
	return v.vocab("gradereason", reason)
}

// FactLabel names an incident fact.
func (v *view) FactLabel(key string) string {
	d, ok := plan.LookupFact(key)
	if !ok {
		return key
	}
	return v.Words(plan.Text{ZH: d.ZH, EN: d.EN}, key)
}

// FactValueLabel names a value of an enum or ordinal fact.
func (v *view) FactValueLabel(key, value string) string {
	if w := v.vocab("factvalue."+key, value); w != value {
		return w
	}
	return v.vocab("factvalue", value)
}

// PlanLabel is a plan's title for its id; an id the console does not know
// shows as itself.
func (v *view) PlanLabel(id string) string {
	p, err := builtinPlans.Get(id)
	if err != nil {
		return id
	}
	return v.Words(p.Name, id)
}

// PlanLabels names a list of plans.
func (v *view) PlanLabels(ids []string) string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = v.PlanLabel(id)
	}
	return strings.Join(out, v.sep())
}

// TaxonomyLabel names a category taxonomy.
func (v *view) TaxonomyLabel(id string) string {
	if t, ok := plan.BuiltinTaxonomy(id); ok {
		return v.Words(t.Name, id)
	}
	return id
}

// CategoryLabel is a category's name in the taxonomy it was chosen from
// ("信息篡改事件"), in words only (console.md rule 1: the code stays in the
// data). A row stored without its taxonomy is looked up in the built-in
// taxonomies; a code no taxonomy knows is shown as it is.
func (v *view) CategoryLabel(taxonomy, code string) template.HTML {
	if code == "" {
		return template.HTML(template.HTMLEscapeString(translate(v.Lang, "incident.category.none")))
	}
	ids := []string{taxonomy}
	ids = append(ids, plan.TaxonomyIDs()...)
	for _, id := range ids {
		if t, ok := plan.BuiltinTaxonomy(id); ok {
			if c, _, ok := t.Lookup(code); ok {
				return template.HTML(template.HTMLEscapeString(v.Words(c.Name, code)))
			}
		}
	}
	return template.HTML(`<span class="mono">` + template.HTMLEscapeString(code) + `</span>`)
}

// ClauseLabel cites a clause of a plan: "《乌审旗网络安全事件应急预案》4.1(3)".
func (v *view) ClauseLabel(planID, clause string) string {
	name := v.PlanLabel(planID)
	if v.Lang == langEN {
		return strings.TrimSpace(name + " " + clause)
	}
	return strings.TrimSpace("《" + name + "》" + clause)
}

// ObligationTitle states an obligation in words from its parts: a report
// or an onward report names its recipient and the plan's clause, a
// post-incident deadline its name, span and clause. Other obligations
// (daily reports, warning acknowledgements) carry a title without keys.
func (v *view) ObligationTitle(o fenghuo.Obligation) string {
	switch o.Kind {
	case "report", "forward":
		verb := translate(v.Lang, "obligation.verb."+o.Kind)
		if v.Lang == langEN {
			return fmt.Sprintf("%s %s (%s)", verb, o.RecipientName, v.ClauseLabel(o.PlanID, o.Clause))
		}
		return fmt.Sprintf("向%s%s（%s）", o.RecipientName, verb, v.ClauseLabel(o.PlanID, o.Clause))
	case "situation_report": // demo: the response's situation reports (stored title in Chinese) in English too
		if v.Lang == langEN {
			n := 1
			fmt.Sscanf(o.RuleID, "situation-report#%d", &n)
			return fmt.Sprintf("Situation report no. %d on how the incident develops (%s)", n, v.ClauseLabel(o.PlanID, o.Clause))
		}
	case store.ObligationKindTask: // "任务：" + the task's title (the plan's words in English)
		title, ok := strings.CutPrefix(o.Title, store.TaskObligationTitle(""))
		if ok && v.Lang == langEN {
			t := fenghuo.Task{PlanID: o.PlanID, StepID: o.RuleID, Title: title}
			if pb, step, found := strings.Cut(o.RuleID, "/"); found {
				t.PlaybookID, t.StepID = pb, step
			}
			return "Task: " + quoteChinese(v.TaskTitleOf(t))
		}
	case store.ObligationKindImprovement:
		if text, ok := strings.CutPrefix(o.Title, store.ImprovementObligationTitle("")); ok && v.Lang == langEN {
			return "Improvement measure: " + quoteChinese(text)
		}
	case "deadline":
		if p, err := builtinPlans.Get(o.PlanID); err == nil {
			for _, d := range p.Deadlines {
				if d.ID == o.RuleID {
					if v.Lang == langEN {
						return fmt.Sprintf("%s (within %s, %s)", v.Words(d.Name, d.ID), v.spanLabel(d.Within), v.ClauseLabel(o.PlanID, o.Clause))
					}
					return fmt.Sprintf("%s（%s内，%s）", v.Words(d.Name, d.ID), v.spanLabel(d.Within), v.ClauseLabel(o.PlanID, o.Clause))
				}
			}
		}
	}
	// Other titles the platform stored in Chinese (daily reports, warning
	// acknowledgements, findings, inspections) read in the page's language.
	return v.StoredText(o.Title)
}

// quoteChinese quotes text a person or a plan wrote in Chinese inside an
// English sentence (“甲县水务公司”), as phrase.Render does.
func quoteChinese(s string) string {
	if phrase.HasHan(s) {
		return "“" + s + "”"
	}
	return s
}

// DueLabel is an obligation's due time, or its urgency in words when the
// plan gives no number.
func (v *view) DueLabel(o fenghuo.Obligation) string {
	if o.DueAt.IsZero() {
		return v.UrgencyLabel(o.Urgency)
	}
	return dueTime(o.DueAt)
}

// spanLabel puts a plan span ("30d", "20wd", "2h", "30m") in words.
func (v *view) spanLabel(s string) string {
	units := []struct{ suffix, zh, en string }{
		{"wd", "个工作日", " working days"}, {"d", "天", " days"}, {"h", "小时", " hours"}, {"m", "分钟", " minutes"},
	}
	for _, u := range units {
		if n, ok := strings.CutSuffix(s, u.suffix); ok && n != "" && strings.Trim(n, "0123456789") == "" {
			if v.Lang == langEN {
				return n + u.en
			}
			return n + u.zh
		}
	}
	return s
}

func (v *view) sep() string {
	if v.Lang == langEN {
		return ", "
	}
	return "、"
}

func (v *view) colon() string {
	if v.Lang == langEN {
		return ": "
	}
	return "："
}

// builtinPlans names the built-in plans for labels.
var builtinPlans = plan.Builtin()

// PartyLabel names a party of a plan (its own name, or its level and role).
func (v *view) PartyLabel(p plan.Party) string { return v.Words(p.Label(), p.Role) }

// PartyLabels names a list of parties.
func (v *view) PartyLabels(ps []plan.Party) string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = v.PartyLabel(p)
	}
	return strings.Join(out, v.sep())
}

// EventLabel names the event a time limit counts from.
func (v *view) EventLabel(e string) string { return v.Words(plan.EventName(e), e) }

// SwitchLabels names a list of response switches.
func (v *view) SwitchLabels(ss []string) string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = v.Switch(s)
	}
	return strings.Join(out, v.sep())
}

// ColorLabels names a list of warning colours.
func (v *view) ColorLabels(cs []fenghuo.Color) string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = v.ColorLabel(c)
	}
	return strings.Join(out, v.sep())
}

// GradeLabels names a list of grades.
func (v *view) GradeLabels(gs []fenghuo.Grade) string {
	out := make([]string, len(gs))
	for i, g := range gs {
		out[i] = v.GradeLabel(g)
	}
	return strings.Join(out, v.sep())
}

// SpanLabel puts a plan span ("30d", "20wd", "2h") in words.
func (v *view) SpanLabel(s string) string { return v.spanLabel(s) }

// WithinLabel is a route's time limit in words: "事件发生后120分钟内",
// or "收到下级报告后立即".
func (v *view) WithinLabel(r plan.Route) string {
	from := v.EventLabel(r.CountedFrom)
	if r.WithinMinutes > 0 {
		if v.Lang == langEN {
			return fmt.Sprintf("within %d minutes of %s", r.WithinMinutes, from)
		}
		return fmt.Sprintf("%s后%d分钟内", from, r.WithinMinutes)
	}
	if v.Lang == langEN {
		return fmt.Sprintf("%s after %s", v.UrgencyLabel(r.Urgency), from)
	}
	return from + "后" + v.UrgencyLabel(r.Urgency)
}

// ConditionLabel states a grading condition in words.
func (v *view) ConditionLabel(c plan.Condition) string {
	en := v.Lang == langEN
	list := func(cs []plan.Condition, zh, enWord string) string {
		parts := make([]string, len(cs))
		for i, sub := range cs {
			parts[i] = v.ConditionLabel(sub)
		}
		if en {
			return "(" + strings.Join(parts, " "+enWord+" ") + ")"
		}
		return "（" + strings.Join(parts, zh) + "）"
	}
	switch {
	case len(c.All) > 0:
		return list(c.All, "，且", "and")
	case len(c.Any) > 0:
		return list(c.Any, "，或", "or")
	}
	fact := v.FactLabel(c.Fact)
	unit := ""
	if d, ok := plan.LookupFact(c.Fact); ok {
		unit = v.vocab("unit", d.Unit)
	}
	switch {
	case c.Gte != nil:
		return fmt.Sprintf("%s ≥ %s%s", fact, strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%f", *c.Gte), "0"), "."), unit)
	case c.AtLeast != "":
		if en {
			return fmt.Sprintf("%s at least %s", fact, v.FactValueLabel(c.Fact, c.AtLeast))
		}
		return fmt.Sprintf("%s达到“%s”及以上", fact, v.FactValueLabel(c.Fact, c.AtLeast))
	case c.Is != nil:
		yes := translate(v.Lang, "common.no")
		if *c.Is {
			yes = translate(v.Lang, "common.yes")
		}
		return fact + v.colon() + yes
	case c.Eq != "":
		if en {
			return fmt.Sprintf("%s is %s", fact, v.FactValueLabel(c.Fact, c.Eq))
		}
		return fmt.Sprintf("%s为“%s”", fact, v.FactValueLabel(c.Fact, c.Eq))
	case len(c.In) > 0:
		vals := make([]string, len(c.In))
		for i, s := range c.In {
			vals[i] = v.FactValueLabel(c.Fact, s)
		}
		if en {
			return fmt.Sprintf("%s is one of %s", fact, strings.Join(vals, ", "))
		}
		return fmt.Sprintf("%s为“%s”之一", fact, strings.Join(vals, "”“"))
	}
	return fact
}

// ClausesOf lists a plan's grading clauses of one grade.
func (v *view) ClausesOf(p *plan.Plan, g fenghuo.Grade) []plan.Clause {
	var out []plan.Clause
	for _, c := range p.Grading.Clauses {
		if c.Grade == g {
			out = append(out, c)
		}
	}
	return out
}

// StoredText puts the keys written into a stored sentence (a timeline
// entry, a notification written when the obligation was made:
// "向主管部门报告(national-2017 4.1)", "定级IV") in words: built-in plan ids
// become the plans' titles, bare grades their names.
func (v *view) StoredText(s string) string {
	for _, id := range builtinPlans.IDs() {
		if strings.Contains(s, id) {
			name := v.PlanLabel(id)
			if v.Lang != langEN {
				name = "《" + name + "》"
			}
			s = strings.ReplaceAll(s, id+" ", name)
			s = strings.ReplaceAll(s, id, name)
		}
	}
	if v.Lang != langEN {
		s = phrase.GradeNumerals(s)
	} else if en, ok := phrase.EnglishOfStored(s); ok {
		// A notice or to-do title the platform stored in Chinese.
		s = en
	}
	return storedGrade.ReplaceAllStringFunc(s, func(m string) string {
		sub := storedGrade.FindStringSubmatch(m)
		return sub[1] + v.GradeLabel(fenghuo.Grade(sub[2])) + sub[4]
	})
}

// TimelineBody is a timeline entry's sentence in the page's language: a
// platform sentence (the entry's data holds its phrase) rendered from its
// key and arguments; text a person typed, and entries written before
// phrases, as stored (with their keys in words, StoredText).
func (v *view) TimelineBody(e store.TimelineEntry) string {
	if p, ok := phrase.FromData(e.Data); ok {
		lang := phrase.ZH
		if v.Lang == langEN {
			lang = phrase.EN
		}
		return v.StoredText(p.Render(lang))
	}
	return v.StoredText(e.Body)
}

// storedGrade finds a bare grade in stored Chinese text: "定级IV",
// "(II级)".
var storedGrade = regexp.MustCompile(`(定级|（|\(|级别)(IV|III|II|I)(级)?([）)，,。 ]|$)`)

// With pairs the view with a value for a nested template, so that the
// template can still call the label functions: {{template "node" ($.With .)}}
// gives the template .V (the view) and .D (the value).
func (v *view) With(d any) map[string]any { return map[string]any{"V": v, "D": d} }

// InLang keeps the page's language of a message the application writes
// in both ("File the initial report first. / 请先提交初报。", or Chinese
// first): a page never shows the two side by side (console.md rule 1).
// The halves are told apart by their script, not by containing a Chinese
// character at all: an English sentence may quote a Chinese name ("甲县水务公司
// cannot report all quiet …"), and a title quoted in either half may
// itself contain " / ". A message with one language is shown as it is.
func (v *view) InLang(s string) string {
	if v.Lang == langEN {
		return phrase.InLang(s, phrase.EN)
	}
	return phrase.InLang(s, phrase.ZH)
}

// ExposureLabel names a kind of exposure (domain, URL, IP, port).
func (v *view) ExposureLabel(k string) string { return v.vocab("exposure", k) }

// SystemStatusLabel names a system's status.
func (v *view) SystemStatusLabel(s any) string { return v.vocab("system.status", fmt.Sprint(s)) }

// AuditActionLabel names an audited action, with its key in small type
// for the auditor who searches the log by it.
func (v *view) AuditActionLabel(action string) template.HTML {
	name := v.vocab("audit.act", action)
	if name == action {
		return template.HTML(`<span class="mono">` + template.HTMLEscapeString(action) + `</span>`)
	}
	return template.HTML(template.HTMLEscapeString(name) + ` <small class="mono code">` + template.HTMLEscapeString(action) + `</small>`)
}

// OutcomeLabel names the outcome of an audited action.
func (v *view) OutcomeLabel(o string) string { return v.vocab("audit.outcome", o) }

// resplogic (issue 11, item 4): a working-day due date that reaches a year
// whose State Council holiday notice is not held is an estimate. Handlers
// get the note from app.Incidents.CalendarEstimate(o) (the calendar in
// force, not the built-in one) and pages show it beside the due date.

// CalendarNote is the estimate note in the page's language, "" when the
// date is not estimated: "2027 年节假日安排尚未公布，按周末和法定节日估算".
func (v *view) CalendarNote(estimated bool, note plan.Text) string {
	if !estimated {
		return ""
	}
	return v.Words(note, note.ZH)
}
