package plan

import (
	"fmt"
	"slices"
	"strings"

	"fenghuo/internal/calendar"
	"fenghuo/internal/fenghuo"
)

// ResponseLevel is one emergency response level (应急响应): who may ask for
// it, who activates and ends it, the command structure it sets up and what
// it switches on.
type ResponseLevel struct {
	Level  fenghuo.Grade `yaml:"level" json:"level"`
	Clause string        `yaml:"clause,omitempty" json:"clause,omitempty"`
	Text   string        `yaml:"text,omitempty" json:"text,omitempty"`
	// RequestedBy may propose the level to the party that activates it
	// (001 §4.2.2: 旗委网信办 … 提出启动Ⅱ级响应的建议).
	RequestedBy []Party `yaml:"requested_by,omitempty" json:"requested_by,omitempty"`
	ActivatedBy Party   `yaml:"activated_by" json:"activated_by"`
	// Approval is the body whose approval the activation records
	// (经旗委网信委批准后), when the activating office needs one.
	Approval *Party `yaml:"approval,omitempty" json:"approval,omitempty"`
	// EndedBy is who ends the level; ActivatedBy when omitted.
	EndedBy        *Party   `yaml:"ended_by,omitempty" json:"ended_by,omitempty"`
	EndRequestedBy []Party  `yaml:"end_requested_by,omitempty" json:"end_requested_by,omitempty"`
	EndApproval    *Party   `yaml:"end_approval,omitempty" json:"end_approval,omitempty"`
	EndClause      string   `yaml:"end_clause,omitempty" json:"end_clause,omitempty"`
	EndText        string   `yaml:"end_text,omitempty" json:"end_text,omitempty"`
	Switches       []string `yaml:"switches" json:"switches"`

	// Command is the command structure the level sets up (command_post).
	Command *Command `yaml:"command,omitempty" json:"command,omitempty"`
	// Notify lists who is notified when the level is activated; the end
	// notice goes to everyone notified at activation.
	Notify []Party `yaml:"notify,omitempty" json:"notify,omitempty"`
	// Duty says who keeps watch and for how long a day (duty_24h).
	Duty *Duty `yaml:"duty,omitempty" json:"duty,omitempty"`
	// Standby gives the organisations that get standby tasks
	// (support_standby, expert_consultation).
	Standby []Standby `yaml:"standby,omitempty" json:"standby,omitempty"`
	// SituationReports sets the follow-up report obligation
	// (situation_reports).
	SituationReports *SituationReports `yaml:"situation_reports,omitempty" json:"situation_reports,omitempty"`
	// EndNotice is the 结束通知 sent when the level ends.
	EndNotice *EndNotice `yaml:"end_notice,omitempty" json:"end_notice,omitempty"`
}

// Command is a command body (指挥部, 领导小组) and the positions the
// response records.
type Command struct {
	Body   Text             `yaml:"body" json:"body"`
	Role   string           `yaml:"role,omitempty" json:"role,omitempty"`
	Level  fenghuo.OrgLevel `yaml:"level,omitempty" json:"level,omitempty"`
	Clause string           `yaml:"clause,omitempty" json:"clause,omitempty"`
	Text   string           `yaml:"text,omitempty" json:"text,omitempty"`
	// Commander, Office (办事机构), Liaison and OnSite are the positions
	// the app fills with people; Members are the member organisations.
	Commander *Member  `yaml:"commander,omitempty" json:"commander,omitempty"`
	Office    *Member  `yaml:"office,omitempty" json:"office,omitempty"`
	Members   []Member `yaml:"members,omitempty" json:"members,omitempty"`
	Liaison   *Member  `yaml:"liaison,omitempty" json:"liaison,omitempty"`
	OnSite    *Member  `yaml:"on_site,omitempty" json:"on_site,omitempty"`
}

// Member is one position or member organisation of a command body.
type Member struct {
	Title  Text             `yaml:"title" json:"title"`
	Role   string           `yaml:"role,omitempty" json:"role,omitempty"`
	Level  fenghuo.OrgLevel `yaml:"level,omitempty" json:"level,omitempty"`
	Clause string           `yaml:"clause,omitempty" json:"clause,omitempty"`
	Text   string           `yaml:"text,omitempty" json:"text,omitempty"`
}

// Duty is the duty the duty_24h switch turns on.
type Duty struct {
	// HoursPerDay is how many hours a day are covered; 24 when omitted.
	HoursPerDay int     `yaml:"hours_per_day,omitempty" json:"hours_per_day,omitempty"`
	By          []Party `yaml:"by" json:"by"`
	Clause      string  `yaml:"clause,omitempty" json:"clause,omitempty"`
	Text        string  `yaml:"text,omitempty" json:"text,omitempty"`
}

// Standby is a standby task for organisations of one role.
type Standby struct {
	Role  string           `yaml:"role" json:"role"`
	Level fenghuo.OrgLevel `yaml:"level,omitempty" json:"level,omitempty"`
	Task  Text             `yaml:"task" json:"task"`
	// Due is when the standby task (or, for an organisation the platform
	// does not have, the activating office's task to notify it) is due,
	// counted from the activation ("30m", "2h"); empty: no due time.
	Due    string `yaml:"due,omitempty" json:"due,omitempty"`
	Clause string `yaml:"clause,omitempty" json:"clause,omitempty"`
	Text   string `yaml:"text,omitempty" json:"text,omitempty"`
}

// SituationReports is the follow-up report obligation: From reports the
// situation to To every Every while the level is active.
type SituationReports struct {
	Every  string  `yaml:"every" json:"every"`
	From   Party   `yaml:"from" json:"from"`
	To     []Party `yaml:"to" json:"to"`
	Clause string  `yaml:"clause,omitempty" json:"clause,omitempty"`
	Text   string  `yaml:"text,omitempty" json:"text,omitempty"`
	// Note says where the interval comes from when the source gives none.
	Note string `yaml:"note,omitempty" json:"note,omitempty"`
}

// EndNotice is the notice of the end of a response (结束通知). It goes to
// everyone notified at activation and to AlsoTo.
type EndNotice struct {
	// By sends the notice; the party that ends the level when omitted.
	By     *Party  `yaml:"by,omitempty" json:"by,omitempty"`
	AlsoTo []Party `yaml:"also_to,omitempty" json:"also_to,omitempty"`
	Clause string  `yaml:"clause,omitempty" json:"clause,omitempty"`
	Text   string  `yaml:"text,omitempty" json:"text,omitempty"`
}

// DefaultSituationInterval is the situation-report interval of a level that
// switches situation_reports on without saying how often: the seeds say
// only 及时 (001 §4.2.2(2), 003 §4.2.4(2)), so Fenghuo asks for a daily
// report, the rhythm of seed 000's daily reporting (每日13时前报送…发生的报情况).
const DefaultSituationInterval = "24h"

// SituationInterval is the interval of the level's follow-up reports, or ""
// when the level does not switch situation_reports on.
func (r ResponseLevel) SituationInterval() string {
	if !slices.Contains(r.Switches, SwitchSituationReports) {
		return ""
	}
	if r.SituationReports != nil && r.SituationReports.Every != "" {
		return r.SituationReports.Every
	}
	return DefaultSituationInterval
}

// EndNoticeSender is who sends the end notice: EndNotice.By, or the party
// that ends the level.
func (r ResponseLevel) EndNoticeSender() Party {
	if r.EndNotice != nil && r.EndNotice.By != nil {
		return *r.EndNotice.By
	}
	return r.Ender()
}

// Ender is who ends the level: EndedBy, or ActivatedBy when the plan names
// no one else.
func (r ResponseLevel) Ender() Party {
	if r.EndedBy != nil {
		return *r.EndedBy
	}
	return r.ActivatedBy
}

// Includes reports whether an organisation with the given plan role at the
// given level is this party: same role, and at the party's level or above
// when it names one.
func (pt Party) Includes(role string, level fenghuo.OrgLevel) bool {
	if pt.Role != RoleAny && pt.Role != role {
		return false
	}
	return pt.Level == "" || level.Rank() >= pt.Level.Rank()
}

// ResponseLevel returns the definition of response level g.
func (p *Plan) ResponseLevel(g fenghuo.Grade) (ResponseLevel, bool) {
	for _, r := range p.ResponseLevels {
		if r.Level == g {
			return r, true
		}
	}
	return ResponseLevel{}, false
}

// Authority answers whether a party may activate (or end) a response level.
// When it may not, By is who may — the party to hand the incident up to —
// and Clause and Text quote the rule for the refusal message.
type Authority struct {
	Allowed bool          `json:"allowed"`
	Level   fenghuo.Grade `json:"level"`
	Clause  string        `json:"clause,omitempty"`
	Text    string        `json:"text,omitempty"`
	By      Party         `json:"by"`
	// Approval is the body whose approval the act records, if any.
	Approval *Party `json:"approval,omitempty"`
	// MayRequest is set when the asking party may propose the act to By.
	MayRequest bool `json:"may_request"`
}

// Refusal is the bilingual message for a refused act: the clause, who may
// do it and whether the asker may propose it.
func (a Authority) Refusal(act Text) Text {
	by := a.By.Label()
	zh := fmt.Sprintf("依据%s，%s级应急响应由%s%s", clauseRef(a.Clause, true), a.Level.Numeral(), by.ZH, act.ZH)
	en := fmt.Sprintf("Under %s, the %s %s level %s response", clauseRef(a.Clause, false), by.EN, act.EN, a.Level)
	if t := strings.TrimRight(a.Text, "。.;;"); t != "" {
		zh += "（" + t + "）"
	}
	zh += "。"
	en += "."
	if a.MayRequest {
		zh += "你单位可向其提出建议。"
		en += " You may propose it to them."
	}
	return Text{ZH: zh, EN: en}
}

func clauseRef(c string, zh bool) string {
	switch {
	case c == "" && zh:
		return "本预案"
	case c == "":
		return "the plan"
	case zh:
		return "第" + c + "条"
	}
	return "clause " + c
}

// Acts for Refusal.
var (
	ActActivate = Text{ZH: "启动", EN: "activates"}
	ActEnd      = Text{ZH: "宣布结束", EN: "ends"}
)

// MayActivate says whether an organisation with the given plan role at the
// given level may activate response level g. The error is ENOTFOUND when
// the plan defines no such level.
func (p *Plan) MayActivate(g fenghuo.Grade, role string, orgLevel fenghuo.OrgLevel) (Authority, error) {
	r, ok := p.ResponseLevel(g)
	if !ok {
		return Authority{}, p.noLevel(g)
	}
	a := Authority{Level: g, Clause: r.Clause, Text: r.Text, By: r.ActivatedBy, Approval: r.Approval}
	a.Allowed = r.ActivatedBy.Includes(role, orgLevel)
	a.MayRequest = !a.Allowed && anyIncludes(r.RequestedBy, role, orgLevel)
	return a, nil
}

// MayEnd says whether an organisation with the given plan role at the given
// level may end response level g.
func (p *Plan) MayEnd(g fenghuo.Grade, role string, orgLevel fenghuo.OrgLevel) (Authority, error) {
	r, ok := p.ResponseLevel(g)
	if !ok {
		return Authority{}, p.noLevel(g)
	}
	clause, text := r.EndClause, r.EndText
	if clause == "" {
		clause, text = r.Clause, r.Text
	}
	a := Authority{Level: g, Clause: clause, Text: text, By: r.Ender(), Approval: r.EndApproval}
	a.Allowed = a.By.Includes(role, orgLevel)
	a.MayRequest = !a.Allowed && anyIncludes(r.EndRequestedBy, role, orgLevel)
	return a, nil
}

// HighestLevel is the most severe response level an organisation with the
// given plan role at the given level may activate; false when it may
// activate none. A grade above it is handed up (MayActivate names to whom).
func (p *Plan) HighestLevel(role string, orgLevel fenghuo.OrgLevel) (fenghuo.Grade, bool) {
	for _, g := range fenghuo.Grades {
		if r, ok := p.ResponseLevel(g); ok && r.ActivatedBy.Includes(role, orgLevel) {
			return g, true
		}
	}
	return "", false
}

func (p *Plan) noLevel(g fenghuo.Grade) error {
	return &fenghuo.Error{Code: fenghuo.ENOTFOUND, Field: "level",
		Message: fmt.Sprintf("plan %s defines no response level %q", p.ID, g)}
}

func anyIncludes(ps []Party, role string, level fenghuo.OrgLevel) bool {
	for _, pt := range ps {
		if pt.Includes(role, level) {
			return true
		}
	}
	return false
}

// needsSwitch maps each parameter block of a response level to the switch
// it parameterises.
var needsSwitch = map[string][]string{
	"command":           {SwitchCommandPost},
	"duty":              {SwitchDuty24h},
	"standby":           {SwitchSupportStandby, SwitchExpertConsultation},
	"situation_reports": {SwitchSituationReports},
}

func (v *validator) responseLevels(p *Plan, used map[fenghuo.Grade]bool) {
	seen := map[fenghuo.Grade]bool{}
	for i, r := range p.ResponseLevels {
		path := fmt.Sprintf("response_levels[%d]", i)
		v.grade(path+".level", r.Level, used)
		if seen[r.Level] {
			v.errorf(path+".level", "response level %s is defined twice", r.Level)
		}
		seen[r.Level] = true
		v.parties(path+".requested_by", r.RequestedBy, false)
		v.party(path+".activated_by", r.ActivatedBy)
		v.optionalParty(path+".approval", r.Approval)
		v.optionalParty(path+".ended_by", r.EndedBy)
		v.parties(path+".end_requested_by", r.EndRequestedBy, false)
		v.optionalParty(path+".end_approval", r.EndApproval)
		v.switches(path+".switches", r.Switches)
		v.parties(path+".notify", r.Notify, false)
		present := map[string]bool{"command": r.Command != nil, "duty": r.Duty != nil,
			"standby": r.Standby != nil, "situation_reports": r.SituationReports != nil}
		for _, key := range sortedKeys(needsSwitch) {
			sws := needsSwitch[key]
			if present[key] && !slices.ContainsFunc(sws, func(s string) bool { return slices.Contains(r.Switches, s) }) {
				v.errorf(path+"."+key, "level %s does not switch on %s: add it to switches or remove %s", r.Level, sws[0], key)
			}
		}
		if c := r.Command; c != nil {
			v.command(path+".command", c)
		}
		if d := r.Duty; d != nil {
			if d.HoursPerDay < 0 || d.HoursPerDay > 24 {
				v.errorf(path+".duty.hours_per_day", "must be between 1 and 24")
			}
			v.parties(path+".duty.by", d.By, true)
		}
		if r.Standby != nil && len(r.Standby) == 0 {
			v.errorf(path+".standby", "give at least one organisation on standby, or remove standby")
		}
		for j, s := range r.Standby {
			sp := fmt.Sprintf("%s.standby[%d]", path, j)
			v.role(sp+".role", s.Role, false)
			v.level(sp+".level", s.Level, false)
			v.required(sp+".task.zh", s.Task.ZH)
			v.span(sp+".due", s.Due, false)
		}
		if s := r.SituationReports; s != nil {
			sp := path + ".situation_reports"
			v.span(sp+".every", s.Every, true)
			if sv, err := calendar.ParseSpan(s.Every); err == nil && sv.Unit == calendar.WorkingDays {
				v.errorf(sp+".every", `working days are no interval for reports: use "h" or "d"`)
			}
			v.party(sp+".from", s.From)
			v.parties(sp+".to", s.To, true)
		}
		if n := r.EndNotice; n != nil {
			v.optionalParty(path+".end_notice.by", n.By)
			v.parties(path+".end_notice.also_to", n.AlsoTo, false)
			if len(r.Notify) == 0 && len(n.AlsoTo) == 0 {
				v.errorf(path+".end_notice", "the end notice goes to those notified at activation: give notify or end_notice.also_to")
			}
		}
	}
}

func (v *validator) command(path string, c *Command) {
	v.required(path+".body.zh", c.Body.ZH)
	if c.Role != "" {
		v.role(path+".role", c.Role, false)
	}
	v.level(path+".level", c.Level, false)
	member := func(mp string, m *Member) {
		if m == nil {
			return
		}
		v.required(mp+".title.zh", m.Title.ZH)
		if m.Role != "" {
			v.role(mp+".role", m.Role, false)
		}
		v.level(mp+".level", m.Level, false)
	}
	member(path+".commander", c.Commander)
	member(path+".office", c.Office)
	member(path+".liaison", c.Liaison)
	member(path+".on_site", c.OnSite)
	for j := range c.Members {
		member(fmt.Sprintf("%s.members[%d]", path, j), &c.Members[j])
	}
}

func (v *validator) optionalParty(path string, p *Party) {
	if p != nil {
		v.party(path, *p)
	}
}

func (v *validator) parties(path string, ps []Party, required bool) {
	if required && len(ps) == 0 {
		v.errorf(path, "give at least one party")
	}
	for j, pt := range ps {
		v.party(fmt.Sprintf("%s[%d]", path, j), pt)
	}
}
