package plan

import (
	"fmt"
	"strings"
)

func (s *summary) parties(ps []Party) string {
	out := make([]string, len(ps))
	for i, pt := range ps {
		out[i] = s.text(pt.Label())
	}
	return strings.Join(out, s.pick("、", ", "))
}

// responseLevel writes who asks for, activates and ends a level, what it
// switches on and the parameters of its switches.
func (s *summary) responseLevel(r ResponseLevel) {
	if s.en {
		s.line("Level %s response  [%s]", r.Level, r.Clause)
	} else {
		s.line("%s级响应  [%s]", r.Level.Numeral(), r.Clause)
	}
	if len(r.RequestedBy) > 0 {
		s.line("    %s %s", s.pick("提出建议：", "proposed by:"), s.parties(r.RequestedBy))
	}
	act := s.text(r.ActivatedBy.Label())
	if r.Approval != nil {
		act += s.pick("，经", ", approved by ") + s.text(r.Approval.Label()) + s.pick("批准", "")
	}
	s.line("    %s %s", s.pick("启动：", "activated by:"), act)
	end := s.text(r.Ender().Label())
	if r.EndApproval != nil {
		end += s.pick("，经", ", approved by ") + s.text(r.EndApproval.Label()) + s.pick("批准", "")
	}
	if len(r.EndRequestedBy) > 0 {
		end += s.pick("；提出建议：", "; proposed by ") + s.parties(r.EndRequestedBy)
	}
	endClause := r.EndClause
	if endClause == "" {
		endClause = r.Clause
	}
	s.line("    %s %s  [%s]", s.pick("结束：", "ended by:"), end, endClause)
	s.line("    %s %s", s.pick("启动事项：", "switches on:"), s.switches(r.Switches))
	if c := r.Command; c != nil {
		var parts []string
		add := func(zh, en string, m *Member) {
			if m != nil {
				parts = append(parts, s.pick(zh, en)+" "+s.text(m.Title))
			}
		}
		add("指挥长", "commander", c.Commander)
		add("办事机构", "office", c.Office)
		for i := range c.Members {
			add("成员", "member", &c.Members[i])
		}
		add("联络员", "liaison", c.Liaison)
		add("现场工作组", "on-site team", c.OnSite)
		s.line("    %s %s: %s", s.pick("指挥机构：", "command:"), s.text(c.Body), strings.Join(parts, s.pick(";", "; ")))
	}
	if d := r.Duty; d != nil {
		hours := d.HoursPerDay
		if hours == 0 {
			hours = 24
		}
		if s.en {
			s.line("    duty: %s, %d hours a day", s.parties(d.By), hours)
		} else {
			s.line("    值班：%s，每日%d小时", s.parties(d.By), hours)
		}
	}
	for _, sb := range r.Standby {
		due := ""
		if sb.Due != "" {
			due = s.pick(" · 启动后"+s.span(sb.Due)+"内", " · due "+s.span(sb.Due)+" after activation")
		}
		s.line("    %s %s — %s%s", s.pick("待命：", "standby:"), s.text(Party{Role: sb.Role, Level: sb.Level}.Label()), s.text(sb.Task), due)
	}
	if iv := r.SituationInterval(); iv != "" {
		who := ""
		if sr := r.SituationReports; sr != nil {
			who = s.text(sr.From.Label()) + " → " + s.parties(sr.To) + ", "
		}
		s.line("    %s %s%s%s", s.pick("事态报告：", "situation reports:"), who, s.pick("每", "every "), s.span(iv))
	}
	if len(r.Notify) > 0 {
		s.line("    %s %s", s.pick("启动时通报：", "notified at activation:"), s.parties(r.Notify))
	}
	if n := r.EndNotice; n != nil {
		to := s.pick("启动时通报的各方", "everyone notified at activation")
		if len(n.AlsoTo) > 0 {
			to += s.pick("及", " and ") + s.parties(n.AlsoTo)
		}
		s.line("    %s %s → %s", s.pick("结束通知：", "end notice:"), s.text(r.EndNoticeSender().Label()), to)
	}
}

// playbook writes a playbook's trigger and its steps with owners and due
// offsets.
func (s *summary) playbook(p *Plan, pb Playbook) {
	s.heading("处置手册："+pb.Title.ZH, "Playbook: "+s.text(pb.Title))
	var when []string
	if pb.EffectiveTrigger() == TriggerActivation {
		lv := s.pick("任一级", "any level")
		if len(pb.Levels) > 0 {
			lv = gradeList(pb.Levels)
		}
		when = append(when, s.pick("启动应急响应时 ", "when a response level is activated: ")+lv)
	} else {
		when = append(when, s.pick("报告事件时", "when an incident is reported"))
	}
	if len(pb.Categories) > 0 {
		when = append(when, s.pick("事件类别 ", "categories ")+strings.Join(pb.Categories, ", "))
	}
	if len(pb.Grades) > 0 {
		when = append(when, s.pick("级别 ", "grades ")+gradeList(pb.Grades))
	}
	s.line("%s %s  [%s]", s.pick("适用：", "applies"), strings.Join(when, "; "), pb.Clause)
	replaced := p.ReplacedPlaybooks(pb)
	for _, code := range pb.Categories {
		if ids := replaced[code]; len(ids) > 0 {
			// The most specific category wins (TaskDrafts).
			s.line(s.pick("取代：%s 类事件只用本手册，不再用 %s（类别越具体越优先）", "replaces: incidents of %s get this playbook instead of %s (the most specific category wins)"),
				code, strings.Join(ids, ", "))
		}
	}
	for i, st := range pb.Steps {
		flags := " · " + s.text(OwnerName(st.EffectiveOwner()))
		if st.Due != "" {
			from := st.From
			if from == "" {
				from = pb.EffectiveFrom()
			}
			if s.en {
				flags += fmt.Sprintf(" · due %s after %s", s.span(st.Due), s.event(from))
			} else {
				flags += fmt.Sprintf(" · %s后%s内", s.event(from), s.span(st.Due))
			}
		}
		if st.Mandatory {
			flags += " · " + s.pick("必须", "mandatory")
		}
		if len(st.Grades) > 0 {
			flags += " · " + s.pick("仅限 ", "only grades ") + gradeList(st.Grades)
		}
		s.line("%d. %s%s", i+1, s.text(st.Title), flags)
		if len(st.Evidence) > 0 {
			s.line("   %s %s", s.pick("留存：", "evidence:"), strings.Join(st.Evidence, "; "))
		}
		if len(st.EscalateTo) > 0 {
			s.line("   %s %s", s.pick("逾期告知：", "overdue, tell:"), s.parties(st.EscalateTo))
		}
	}
}
