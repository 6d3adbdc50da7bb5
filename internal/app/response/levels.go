package response

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"fenghuo/internal/app"
	"fenghuo/internal/app/incident"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/phrase"
	"fenghuo/internal/plan"
	"fenghuo/internal/store"
)

// Actions of the response API and page.
const (
	ActionRequest  = "request"
	ActionActivate = "activate"
	ActionChange   = "change"
	ActionEnd      = "end"
)

// Input is one act on an incident's response.
type Input struct {
	Action string
	Level  fenghuo.Grade
	// Reason says why the level is asked for, changed or ended.
	Reason string
	// Approval is the reference of the approval the plan asks for
	// (经旗委网信委批准: the decision's number, meeting or time).
	Approval string
	// Commander, Liaison and OnSite name the people of the command
	// structure (指挥长, 联络员, 现场工作组负责人); Phone reaches the commander.
	Commander string
	Phone     string
	Liaison   string
	OnSite    string
	// Situation and Requirements are the end notice's 事件处置情况 and
	// 后续工作要求.
	Situation    string
	Requirements string
}

// Result is what an act did.
type Result struct {
	Activation *fenghuo.ResponseActivation
	// HandedUpTo is the office the decision went to when the level exceeds
	// the actor's authority.
	HandedUpTo *fenghuo.Org
	// Message says what happened, in both languages ("中文 / English").
	Message string
}

// Act performs in.Action on the incident's response.
func (s *Service) Act(ctx context.Context, ac *app.Actor, incidentID int64, in Input) (*Result, error) {
	in.Reason = strings.TrimSpace(in.Reason)
	if len([]rune(in.Reason)) > 2000 || len([]rune(in.Situation)) > 4000 || len([]rune(in.Requirements)) > 4000 {
		return nil, fenghuo.FieldErrorf("reason", "Keep the reason under 2000 characters and the notice texts under 4000. / 理由不超过2000字，通知内容不超过4000字。")
	}
	if in.Action != ActionEnd && !in.Level.Valid() {
		return nil, fenghuo.FieldErrorf("level", "Choose the response level: I, II, III or IV. / 请选择响应级别（Ⅰ、Ⅱ、Ⅲ、Ⅳ级）。")
	}
	var res *Result
	err := s.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		inc, unit, err := s.incidents.AccessTx(ctx, tx, ac, incidentID, fenghuo.PermIncidentRead)
		if err != nil {
			return err
		}
		if !ac.Can(fenghuo.PermIncidentWrite) {
			return app.ErrForbidden
		}
		if inc.Status == fenghuo.StatusClosed || inc.Status == fenghuo.StatusDraft {
			return fenghuo.Errorf(fenghuo.EINVALID, "A response needs a reported incident that is not closed. / 事件须已上报且未结束，才能办理应急响应。")
		}
		open, err := tx.OpenActivation(ctx, inc.ID)
		if err != nil && fenghuo.ErrorCode(err) != fenghuo.ENOTFOUND {
			return err
		}
		c := &act{ctx: ctx, s: s, tx: tx, ac: ac, inc: inc, unit: unit, open: open, in: in}
		switch in.Action {
		case ActionRequest:
			res, err = c.request()
		case ActionActivate:
			res, err = c.activate()
		case ActionChange:
			res, err = c.change()
		case ActionEnd:
			res, err = c.end(c.ctx)
		default:
			return fenghuo.FieldErrorf("action", "The action is request, activate, change or end. / 操作应为申请、启动、调整或结束。")
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// act is one act in its transaction.
type act struct {
	ctx  context.Context
	s    *Service
	tx   *store.Tx
	ac   *app.Actor
	inc  *fenghuo.Incident
	unit *fenghuo.Org
	open *fenghuo.ResponseActivation
	in   Input
}

// LevelPlan returns the governing plan of the incident that defines
// response level g: the first plan it was graded under that does.
func (s *Service) LevelPlan(inc *fenghuo.Incident, g fenghuo.Grade) (*plan.Plan, plan.ResponseLevel, error) {
	for _, pg := range incident.ParseGrading(inc.Grading) {
		p, err := s.core.Plans().Get(pg.Plan)
		if err != nil {
			continue
		}
		if lvl, ok := p.ResponseLevel(g); ok {
			return p, lvl, nil
		}
	}
	return nil, plan.ResponseLevel{}, fenghuo.FieldErrorf("level", "No plan governing this incident defines a level %s response. / 适用于该事件的预案未规定%s级应急响应。", g, g.Numeral())
}

// authority is the actor's authority for an act on level g under p: the
// most favourable over the plan roles its org plays.
func authority(p *plan.Plan, g fenghuo.Grade, org *fenghuo.Org, end bool) (plan.Authority, error) {
	var best plan.Authority
	roles := org.PlanRoles
	if len(roles) == 0 {
		roles = []string{""}
	}
	for i, role := range roles {
		var a plan.Authority
		var err error
		if end {
			a, err = p.MayEnd(g, role, org.Level)
		} else {
			a, err = p.MayActivate(g, role, org.Level)
		}
		if err != nil {
			return a, err
		}
		if i == 0 || a.Allowed || (a.MayRequest && !best.Allowed) {
			best = a
		}
		if a.Allowed {
			break
		}
	}
	return best, nil
}

// refusal is the EFORBIDDEN error quoting the clause and naming who may.
func refusal(a plan.Authority, act plan.Text) error {
	t := a.Refusal(act)
	return fenghuo.Errorf(fenghuo.EFORBIDDEN, "%s / %s", t.ZH, t.EN)
}

// mayHandUp reports whether org is an office with authority for some level
// of p (so a higher level is handed up, not refused).
func mayHandUp(p *plan.Plan, org *fenghuo.Org) bool {
	for _, role := range org.PlanRoles {
		if _, ok := p.HighestLevel(role, org.Level); ok {
			return true
		}
	}
	return false
}

func (c *act) request() (*Result, error) {
	p, lvl, err := c.s.LevelPlan(c.inc, c.in.Level)
	if err != nil {
		return nil, err
	}
	a, err := authority(p, c.in.Level, &c.ac.Org, false)
	if err != nil {
		return nil, err
	}
	if a.Allowed {
		return nil, fenghuo.Errorf(fenghuo.EINVALID, "Your office may activate level %s itself: use “Activate”. / 你单位有权直接启动%s级应急响应，请使用“启动应急响应”。", c.in.Level, c.in.Level.Numeral())
	}
	if !a.MayRequest {
		return nil, refusal(a, plan.ActActivate)
	}
	if c.in.Reason == "" {
		return nil, fenghuo.FieldErrorf("reason", "Say why the level is needed: the office deciding it reads this first. / 请说明申请启动应急响应的理由，决定启动的单位将首先看到。")
	}
	return c.handUp(p, lvl, a, "request")
}

// handUp stores a request for the level, waiting for the office the plan
// names, and tells that office.
func (c *act) handUp(p *plan.Plan, lvl plan.ResponseLevel, a plan.Authority, why string) (*Result, error) {
	ctx := c.ctx
	if c.open != nil {
		return nil, fenghuo.Errorf(fenghuo.ECONFLICT, "The incident already has a level %s response (%s); it must be decided or ended first. / 该事件已有%s级应急响应（%s），请先办理或结束。",
			c.open.Level, c.open.State, c.open.Level.Numeral(), stateZH(c.open.State))
	}
	to, err := incident.ResolveParty(ctx, c.tx, c.unit, a.By)
	if err != nil {
		return nil, err
	}
	if to == nil {
		return nil, fenghuo.Errorf(fenghuo.EINVALID, "%s is not on the platform: propose the level to it directly. / %s不在平台上，请线下提出建议。", a.By.Label().EN, a.By.Label().ZH)
	}
	act := &fenghuo.ResponseActivation{IncidentID: c.inc.ID, PlanID: p.ID, Level: c.in.Level, State: fenghuo.ResponseRequested,
		RequestedBy: c.ac.User.ID, RequestedOrgID: c.ac.Org.ID, Clause: lvl.Clause, Reason: c.in.Reason, HandUpOrgID: to.ID}
	if err := c.tx.CreateActivation(ctx, act); err != nil {
		return nil, err
	}
	verb := "申请"
	if why == "handup" {
		verb = "超出本级权限，提请"
	}
	title := fmt.Sprintf("%s%s启动%s级应急响应：%s", c.ac.Org.Name, verb, c.in.Level.Numeral(), c.inc.Title)
	if err := c.s.core.NotifyOrg(ctx, c.tx, app.Notice{OrgID: to.ID, Kind: "response.requested", Title: title,
		Body: c.in.Reason, Link: link(c.inc.ID)}); err != nil {
		return nil, err
	}
	key := "response.requested"
	if why == "handup" {
		key = "response.handedup"
	}
	if err := c.timeline("response", phrase.New(key, "org", c.ac.Org.Name, "level", string(c.in.Level), "title", c.inc.Title, "to", to.Name,
		"plan", planArg(p), "clause", lvl.Clause),
		map[string]any{"activation": act.ID, "level": act.Level, "state": act.State, "hand_up_org": to.ID}); err != nil {
		return nil, err
	}
	if err := c.audit("response."+why, act, map[string]any{"level": act.Level, "to_org": to.ID}); err != nil {
		return nil, err
	}
	msg := fmt.Sprintf("已提请%s启动%s级应急响应，等待其决定。 / The level %s response was handed up to %s for its decision.", to.Name, act.Level.Numeral(), act.Level, to.Name)
	return &Result{Activation: act, HandedUpTo: to, Message: msg}, nil
}

func (c *act) activate() (*Result, error) {
	p, lvl, err := c.s.LevelPlan(c.inc, c.in.Level)
	if err != nil {
		return nil, err
	}
	a, err := authority(p, c.in.Level, &c.ac.Org, false)
	if err != nil {
		return nil, err
	}
	if !a.Allowed {
		if a.MayRequest && mayHandUp(p, &c.ac.Org) {
			return c.handUp(p, lvl, a, "handup")
		}
		return nil, refusal(a, plan.ActActivate)
	}
	if c.open != nil && c.open.State == fenghuo.ResponseActive {
		return nil, fenghuo.Errorf(fenghuo.ECONFLICT, "A level %s response is in force: change its level or end it. / %s级应急响应正在进行，请调整级别或结束。", c.open.Level, c.open.Level.Numeral())
	}
	if err := c.needApproval(lvl.Approval, "approval"); err != nil {
		return nil, err
	}
	if err := c.needCommander(lvl); err != nil {
		return nil, err
	}
	ctx := c.ctx
	var act *fenghuo.ResponseActivation
	if c.open != nil && c.open.Level == c.in.Level {
		// The office decides the request waiting for it.
		act, err = c.tx.SetActivationState(ctx, c.open.ID, fenghuo.ResponseActive, func(x *fenghuo.ResponseActivation) {
			x.DecidedBy, x.DecidedOrgID, x.Clause = c.ac.User.ID, c.ac.Org.ID, lvl.Clause
			if c.in.Reason != "" {
				x.Reason = strings.TrimSpace(x.Reason + "\n" + c.in.Reason)
			}
		})
		if err != nil {
			return nil, err
		}
	} else {
		act = &fenghuo.ResponseActivation{IncidentID: c.inc.ID, PlanID: p.ID, Level: c.in.Level, State: fenghuo.ResponseActive,
			RequestedBy: c.ac.User.ID, RequestedOrgID: c.ac.Org.ID, DecidedBy: c.ac.User.ID, DecidedOrgID: c.ac.Org.ID,
			Clause: lvl.Clause, Reason: c.in.Reason}
		if c.open != nil {
			act.PreviousID = c.open.ID // a request for another level, replaced
		}
		if err := c.tx.CreateActivation(ctx, act); err != nil {
			return nil, err
		}
	}
	if err := c.setUp(ctx, p, lvl, act, nil); err != nil {
		return nil, err
	}
	if err := c.timeline("response", approvalPhrase("response.activated", lvl.Approval, c.in.Approval, "org", c.ac.Org.Name, "level", string(act.Level), "plan", planArg(p), "clause", lvl.Clause),
		map[string]any{"activation": act.ID, "level": act.Level, "state": act.State}); err != nil {
		return nil, err
	}
	if err := c.audit("response.activate", act, map[string]any{"level": act.Level, "clause": lvl.Clause, "approval": c.in.Approval}); err != nil {
		return nil, err
	}
	return &Result{Activation: act, Message: fmt.Sprintf("已启动%s级应急响应。 / Level %s response activated.", act.Level.Numeral(), act.Level)}, nil
}

func (c *act) change() (*Result, error) {
	if c.open == nil || c.open.State != fenghuo.ResponseActive {
		return nil, fenghuo.Errorf(fenghuo.EINVALID, "No response level is in force to change: activate one first. / 当前没有正在进行的应急响应，请先启动。")
	}
	if c.open.Level == c.in.Level {
		return nil, fenghuo.FieldErrorf("level", "The response is already at level %s: choose another level. / 当前已是%s级响应，请选择其他级别。", c.in.Level, c.in.Level.Numeral())
	}
	p, lvl, err := c.s.LevelPlan(c.inc, c.in.Level)
	if err != nil {
		return nil, err
	}
	a, err := authority(p, c.in.Level, &c.ac.Org, false)
	if err != nil {
		return nil, err
	}
	if !a.Allowed {
		return nil, refusal(a, plan.ActActivate)
	}
	if c.in.Reason == "" {
		return nil, fenghuo.FieldErrorf("reason", "Say why the level changes. / 请说明调整响应级别的理由。")
	}
	if err := c.needApproval(lvl.Approval, "approval"); err != nil {
		return nil, err
	}
	if err := c.needCommander(lvl); err != nil {
		return nil, err
	}
	ctx := c.ctx
	prev := c.open
	act := &fenghuo.ResponseActivation{IncidentID: c.inc.ID, PlanID: p.ID, Level: c.in.Level, State: fenghuo.ResponseActive,
		RequestedBy: c.ac.User.ID, RequestedOrgID: c.ac.Org.ID, DecidedBy: c.ac.User.ID, DecidedOrgID: c.ac.Org.ID,
		Clause: lvl.Clause, Reason: c.in.Reason, PreviousID: prev.ID}
	if err := c.tx.CreateActivation(ctx, act); err != nil {
		return nil, err
	}
	if err := c.wind(ctx, prev.ID, windChange+string(act.Level)+"级"); err != nil {
		return nil, err
	}
	// Everyone told of the earlier level gets the end notice too.
	carried, err := c.tx.EndNoticeRecipients(ctx, prev.ID)
	if err != nil {
		return nil, err
	}
	if err := c.setUp(ctx, p, lvl, act, carried); err != nil {
		return nil, err
	}
	if err := c.timeline("response", phrase.New("response.changed", "org", c.ac.Org.Name, "from", string(prev.Level), "to", string(act.Level), "plan", planArg(p), "clause", lvl.Clause, "reason", c.in.Reason),
		map[string]any{"activation": act.ID, "previous": prev.ID, "from": prev.Level, "to": act.Level}); err != nil {
		return nil, err
	}
	if err := c.audit("response.change", act, map[string]any{"from": prev.Level, "to": act.Level, "previous": prev.ID}); err != nil {
		return nil, err
	}
	return &Result{Activation: act, Message: fmt.Sprintf("应急响应已由%s级调整为%s级。 / The response changed from level %s to level %s.", prev.Level.Numeral(), act.Level.Numeral(), prev.Level, act.Level)}, nil
}

func (c *act) needApproval(body *plan.Party, field string) error {
	if body == nil {
		return nil
	}
	c.in.Approval = strings.TrimSpace(c.in.Approval)
	if c.in.Approval == "" || len([]rune(c.in.Approval)) > 200 {
		l := body.Label()
		return fenghuo.FieldErrorf(field, "The plan needs the approval of %s: give its reference (document number, meeting or time). / 预案规定须经%s批准，请填写批准文号、会议或时间。", l.EN, l.ZH)
	}
	return nil
}

func (c *act) needCommander(lvl plan.ResponseLevel) error {
	c.in.Commander = strings.TrimSpace(c.in.Commander)
	if lvl.Command != nil && c.in.Commander == "" {
		// The seeds name no commander (乌审旗网安应急指挥部): the activating
		// office records the person appointed.
		title := plan.Text{ZH: "指挥长", EN: "commander"}
		if lvl.Command.Commander != nil {
			title = lvl.Command.Commander.Title
		}
		return fenghuo.FieldErrorf("commander", "Name the %s of the %s. / 请填写%s%s姓名。", title.EN, lvl.Command.Body.EN,
			lvl.Command.Body.ZH, title.ZH)
	}
	if len([]rune(c.in.Commander)) > 50 || len([]rune(c.in.Liaison)) > 100 || len([]rune(c.in.OnSite)) > 100 || len(c.in.Phone) > 30 {
		return fenghuo.FieldErrorf("commander", "Names are at most 50 characters (teams 100), the phone 30. / 姓名不超过50字，队伍不超过100字，电话不超过30位。")
	}
	return nil
}

// planArg is a plan's title as a phrase argument.
func planArg(p *plan.Plan) phrase.Arg {
	if p == nil {
		return phrase.Text("")
	}
	return phrase.Plan(p.ID, p.Name.ZH, p.Name.EN)
}

// approvalPhrase is key, or key+".approved" naming the body that approved
// and its reference when the plan asks for an approval.
func approvalPhrase(key string, body *plan.Party, ref string, kv ...any) phrase.Phrase {
	if body == nil || ref == "" {
		return phrase.New(key, kv...)
	}
	l := body.Label()
	return phrase.New(key+".approved", append(kv, "body", phrase.Words(l.ZH, l.EN), "ref", ref)...)
}

// released_ is the timeline sentence of standby tasks closed by the end
// (note windEnd) or a change of the level.
func released_(note string, n int) phrase.Phrase {
	if lvl, ok := strings.CutPrefix(note, windChange); ok {
		return phrase.New("tasks.released.change", "level", strings.TrimSuffix(lvl, "级"), "n", n)
	}
	return phrase.New("tasks.released.end", "n", n)
}

// Notes of wind: the end of the response, a change of its level.
const (
	windEnd    = "应急响应结束"
	windChange = "响应级别调整为"
)

// wind ends what an activation set running: its 24-hour duties, its open
// situation-report obligations and its standby duties.
func (c *act) wind(ctx context.Context, activationID int64, note string) error {
	if err := c.tx.EndResponseDuties(ctx, activationID); err != nil {
		return err
	}
	obs, err := c.tx.ObligationsBySubject(ctx, incident.KindSituationReport, activationID)
	if err != nil {
		return err
	}
	tasks, err := c.tx.IncidentTasks(ctx, c.inc.ID)
	if err != nil {
		return err
	}
	// The switch tasks (standby) end with the level; playbook tasks stay
	// open, since recovery goes on after the response (the view lists them).
	var released []int64
	for _, t := range tasks {
		if t.ActivationID == activationID && strings.HasPrefix(t.StepID, StandbyStep) && !fenghuo.TaskClosed(t.State) {
			if _, err := c.tx.SetTaskState(ctx, t.ID, fenghuo.TaskDone, c.ac.User.ID, note+"，解除待命"); err != nil {
				return err
			}
			released = append(released, t.ID)
		}
	}
	if len(released) > 0 {
		detail := map[string]any{"activation": activationID, "tasks": released, "note": note + "，解除待命"}
		if err := c.timeline("tasks", released_(note, len(released)), detail); err != nil {
			return err
		}
		if err := c.s.core.Record(ctx, c.tx, c.ac, "task.release_standby", "incident", ref(c.inc.ID), "success", detail); err != nil {
			return err
		}
	}
	for i := range obs {
		o := &obs[i]
		if o.State != fenghuo.ObligationOpen {
			continue
		}
		o.State, o.DoneNote = fenghuo.ObligationCancelled, note
		if err := c.tx.UpdateObligation(ctx, o); err != nil {
			return err
		}
	}
	return nil
}

func (c *act) timeline(kind string, body any, data any) error {
	e, err := app.TimelineEntry(c.ac, c.inc.ID, kind, body, data)
	if err != nil {
		return err
	}
	return c.tx.AppendTimeline(c.ctx, e)
}

func (c *act) audit(action string, a *fenghuo.ResponseActivation, detail map[string]any) error {
	detail["incident"] = c.inc.ID
	return c.s.core.Record(c.ctx, c.tx, c.ac, action, "response_activation", ref(a.ID), "success", detail)
}

func link(incidentID int64) string { return fmt.Sprintf("/incidents/%d/response", incidentID) }

func stateZH(s string) string {
	return map[string]string{fenghuo.ResponseRequested: "待决定", fenghuo.ResponseActive: "进行中", fenghuo.ResponseEnded: "已结束",
		fenghuo.ResponseRefused: "未获批准", fenghuo.ResponseSuperseded: "已调整"}[s]
}

func jsonDetail(v any) json.RawMessage {
	b, _ := json.Marshal(v)
	return b
}
