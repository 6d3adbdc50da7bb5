package plan

import (
	"fmt"
	"io"
	"strings"

	"fenghuo/internal/fenghuo"
	"fenghuo/internal/phrase"
)

// WriteSummary writes a plain-text summary of the plan that a duty officer
// can follow: how incidents are graded, who may warn, who reports to whom
// within how long, the deadlines after the incident and the playbooks.
// lang is "zh" (default) or "en".
func WriteSummary(w io.Writer, p *Plan, lang string) error {
	return writeSummary(&summary{w: w, en: lang == "en"}, p)
}

func writeSummary(s *summary, p *Plan) error {
	s.line("%s  (%s, version %s)", s.text(p.Name), p.ID, p.FullVersion())
	if p.Source != "" {
		s.line("%s %s", s.pick("来源：", "Source:"), s.text(Text{ZH: p.Source}))
	}
	if p.tax != nil {
		s.line("%s %s", s.pick("事件分类：", "Taxonomy:"), s.text(p.tax.Name))
	}
	if p.Notes != "" {
		s.line("%s", s.text(Text{ZH: p.Notes}))
	}

	s.heading("事件分级", "Grading")
	for _, g := range fenghuo.Grades {
		d, ok := p.GradeDef(g)
		if !ok {
			continue
		}
		s.line("%s %s — %s %s", g, s.text(d.Name), s.pick("预警", "warning"), s.color(d.Color))
		for _, c := range p.Grading.Clauses {
			if c.Grade != g {
				continue
			}
			s.line("    [%s] %s", c.ID, c.Text)
			s.line("        %s %s", s.pick("条件：", "when:"), c.When.String())
		}
	}
	s.line("%s %s", s.pick("无条款命中时：", "When no clause matches:"), p.Grading.Default)

	if p.Warnings != nil {
		s.heading("预警发布", "Warnings")
		for _, is := range p.Warnings.Issuers {
			cs := make([]string, len(is.Colors))
			for i, c := range is.Colors {
				cs[i] = s.color(c)
			}
			s.line("%s: %s (%s %s)  [%s]", strings.Join(cs, "/"), s.text(issuerName(is)), s.pick("级别不低于", "level at least"), is.MinLevel, is.Clause)
		}
		if m := p.Warnings.MultiRegion; m != nil {
			s.line("%s: %s  [%s]", s.pick("跨地区、跨部门预警", "Multi-region warnings"), s.text(issuerName(*m)), m.Clause)
		}
		for _, r := range p.Warnings.Responses {
			cs := make([]string, len(r.Colors))
			for i, c := range r.Colors {
				cs[i] = s.color(c)
			}
			s.line("%s %s: %s", strings.Join(cs, "/"), s.pick("预警启动", "switches on"), s.switches(r.Switches))
		}
	}

	if len(p.ResponseLevels) > 0 {
		s.heading("应急响应", "Response levels")
		for _, r := range p.ResponseLevels {
			s.responseLevel(r)
		}
	}

	if len(p.Reporting) > 0 {
		s.heading("事件报告", "Reporting")
		for _, r := range p.Reporting {
			to := make([]string, len(r.To))
			for i, t := range r.To {
				to[i] = s.text(t.Label())
			}
			grades := make([]string, len(r.Grades))
			for i, g := range r.Grades {
				grades[i] = string(g)
			}
			when := s.limit(r)
			extra := ""
			if r.When != nil {
				extra += "; " + s.pick("适用于 ", "if ") + r.When.String()
			}
			if len(r.Categories) > 0 {
				extra += "; " + s.pick("事件类别 ", "categories ") + strings.Join(r.Categories, ", ")
			}
			s.line("[%s] %s %s → %s: %s%s  [%s]", strings.Join(grades, "/"), s.text(r.From.Label()), s.pick("报告", "reports"), strings.Join(to, "、"), when, extra, r.Clause)
		}
	}

	if len(p.Deadlines) > 0 {
		s.heading("后期处置时限", "Deadlines after the incident")
		for _, d := range p.Deadlines {
			when := fmt.Sprintf("%s后%s内", s.event(d.From), s.span(d.Within))
			if s.en {
				when = fmt.Sprintf("within %s of %s", s.span(d.Within), s.event(d.From))
			}
			s.line("%s: %s (%s)  [%s]", s.text(d.Name), when, s.text(d.Owner.Label()), d.Clause)
		}
	}

	for _, pb := range p.Playbooks {
		s.playbook(p, pb)
	}
	return s.err
}

func issuerName(is Issuer) Text {
	if is.Name.ZH != "" {
		return is.Name
	}
	return Party{Role: is.Role, Level: is.MinLevel}.Label()
}

type summary struct {
	w   io.Writer
	en  bool
	err error
	// marked, when set, receives each line before it is written, with
	// the plan's words still between quoteOpen and quoteClose (tests).
	marked func(string)
}

// The Chinese summary uses full-width punctuation between Chinese words
// (，：（）); the plan's own words (s.text), marked by quoteOpen and
// quoteClose while the line is built, stay as the plan writes them.
const (
	quoteOpen  = '\uE000'
	quoteClose = '\uE001'
)

func (s *summary) line(format string, args ...any) {
	if s.err != nil {
		return
	}
	out := fmt.Sprintf(format, args...)
	if s.marked != nil {
		s.marked(out)
	}
	if s.en {
		out = strings.NewReplacer(string(quoteOpen), "", string(quoteClose), "").Replace(out)
	} else {
		out = phrase.FullWidthOutside(tightMarks(out), quoteOpen, quoteClose)
	}
	_, s.err = fmt.Fprintln(s.w, out)
}

// tightMarks drops the spaces after the summary's own full-width colons
// (a full-width mark brings its own space), leaving the plan's words
// between quoteOpen and quoteClose as written.
func tightMarks(s string) string {
	var b strings.Builder
	in, after := false, false
	for _, r := range s {
		switch {
		case r == quoteOpen:
			in = true
		case r == quoteClose:
			in = false
		case r == ' ' && after:
			continue
		}
		after = !in && (r == '：' || r == '；' || r == '，')
		b.WriteRune(r)
	}
	return b.String()
}

func (s *summary) heading(zh, en string) {
	s.line("")
	s.line("== %s ==", s.pick(zh, en))
}

func (s *summary) pick(zh, en string) string {
	if s.en {
		return en
	}
	return zh
}

func (s *summary) text(t Text) string {
	if s.en && t.EN != "" {
		return t.EN
	}
	return string(quoteOpen) + t.String() + string(quoteClose)
}

func (s *summary) color(c fenghuo.Color) string {
	if s.en {
		return string(c)
	}
	return c.NameZH()
}

func (s *summary) event(e string) string { return s.text(EventName(e)) }

func (s *summary) switches(list []string) string {
	out := make([]string, len(list))
	for i, sw := range list {
		out[i] = s.text(SwitchName(sw))
	}
	return strings.Join(out, s.pick("、", ", "))
}

func (s *summary) limit(r Route) string {
	from := s.event(r.CountedFrom)
	if r.WithinMinutes > 0 {
		return fmt.Sprintf("%s %s %d %s", from, s.pick("后", "+"), r.WithinMinutes, s.pick("分钟内", "minutes"))
	}
	return fmt.Sprintf("%s, %s", from, s.text(urgencyNames[r.Urgency]))
}

// span renders "20wd" as "20个工作日" / "20 working days".
func (s *summary) span(v string) string {
	n := strings.TrimRight(v, "mhdw")
	switch strings.TrimLeft(v, "0123456789") {
	case "m":
		return n + s.pick("分钟", " minutes")
	case "h":
		return n + s.pick("小时", " hours")
	case "d":
		return n + s.pick("天", " days")
	case "wd":
		return n + s.pick("个工作日", " working days")
	}
	return v
}
