package period

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/calendar"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/plan"
	"fenghuo/internal/store"
)

// Duty (值班): rosters of shifts with a duty officer and a leader on duty,
// a duty log with handover notes, who is on duty now (visible upward), and
// a warning when a protection period or an orange/red warning requires
// duty and nobody is rostered.

// ShiftInput is one shift to roster.
type ShiftInput struct {
	OrgID   int64 // 0: the actor's org
	StartAt time.Time
	EndAt   time.Time
	Officer string
	Leader  string
	Phone   string
	// OfficerID and LeaderID choose the duty officer and the leader on
	// duty among the office's accounts (the console offers nothing else);
	// their names and the officer's mobile come from the accounts. An
	// officer given by name only (OfficerID 0) is accepted for API
	// clients written before accounts were chosen.
	OfficerID int64
	LeaderID  int64
}

// AddShift rosters a shift.
func (a *Service) AddShift(ctx context.Context, ac *app.Actor, in ShiftInput) (*fenghuo.DutyShift, error) {
	in.Officer, in.Leader, in.Phone = strings.TrimSpace(in.Officer), strings.TrimSpace(in.Leader), strings.TrimSpace(in.Phone)
	// The right first: someone who may not roster is refused, not
	// corrected.
	org, err := a.dutyOrg(ctx, ac, in.OrgID)
	if err != nil {
		return nil, err
	}
	var bad fenghuo.Invalid
	switch {
	case in.OfficerID == 0 && (in.Officer == "" || len([]rune(in.Officer)) > 50):
		bad.Add(fenghuo.FieldErrorf("officer_id", "Choose the duty officer among the office's accounts. / 请从本单位账号中选择值班员。"))
	case in.OfficerID != 0 && in.Officer != "":
		bad.Add(fenghuo.FieldErrorf("officer", "Give the duty officer's account (officer_id) or a name (officer), not both. / 值班员请选择账号或填写姓名，不能同时提交。"))
	}
	switch {
	case in.LeaderID != 0 && in.Leader != "":
		bad.Add(fenghuo.FieldErrorf("leader", "Give the leader's account (leader_id) or a name (leader), not both. / 带班领导请选择账号或填写姓名，不能同时提交。"))
	case len([]rune(in.Leader)) > 50:
		bad.Add(fenghuo.FieldErrorf("leader", "The leader's name is up to 50 characters. / 带班领导姓名不超过50字。"))
	}
	if in.Phone != "" && !fenghuo.IsPhone(in.Phone) {
		bad.Add(fenghuo.FieldErrorf("phone", "The phone is a number of 5 to 20 digits, with an optional leading + and spaces, hyphens or brackets between, and an extension after 转, ext or # (0415-1234567, +86 138 0013 8000, 0415-1234567转8001). / 值班电话应为5至20位数字，可带开头的+号及空格、连字符或括号，分机号写在“转”后（如0415-1234567、0415-1234567转8001）。"))
	}
	if in.StartAt.IsZero() || !in.EndAt.After(in.StartAt) || in.EndAt.Sub(in.StartAt) > 7*24*time.Hour {
		bad.Add(fenghuo.FieldErrorf("end_at", "A shift ends after it starts and lasts at most 7 days. / 班次结束时间应晚于开始时间，且不超过7天。"))
	}
	if err := bad.Err(); err != nil {
		return nil, err
	}
	s := &fenghuo.DutyShift{OrgID: org.ID, StartAt: in.StartAt, EndAt: in.EndAt, Officer: in.Officer, Leader: in.Leader, Phone: in.Phone}
	err = a.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		if err := dutyAccounts(ctx, tx, org, in, s); err != nil {
			return err
		}
		// One shift at a time: a new shift may begin as another ends, not
		// before.
		if overlap, err := tx.DutyShifts(ctx, org.ID, s.StartAt, s.EndAt); err != nil {
			return err
		} else if len(overlap) > 0 {
			o := overlap[0]
			from, to := o.StartAt.In(calendar.Shanghai).Format("2006-01-02 15:04"), o.EndAt.In(calendar.Shanghai).Format("2006-01-02 15:04")
			return fenghuo.FieldErrorf("start_at", "The shift overlaps the shift of %s from %s to %s: change its times or remove that shift first. / 与%s的班次（%s至%s）时间重叠，请调整时间或先删除该班次。",
				o.Officer, from, to, o.Officer, from, to)
		}
		if err := tx.CreateDutyShift(ctx, s); err != nil {
			return err
		}
		title := fmt.Sprintf("值班安排：%s 至 %s 值班员%s", s.StartAt.In(calendar.Shanghai).Format("01-02 15:04"),
			s.EndAt.In(calendar.Shanghai).Format("01-02 15:04"), s.Officer)
		if s.Leader != "" {
			title += "，带班领导" + s.Leader
		}
		if err := a.core.NotifyOrg(ctx, tx, app.Notice{OrgID: org.ID, Kind: "duty.changed", Title: title, Link: "/duty"}); err != nil {
			return err
		}
		return a.core.Record(ctx, tx, ac, "duty.shift.create", "org", app.ObjectID(org.ID), "success",
			map[string]any{"shift": s.ID, "officer": s.Officer, "officer_id": s.OfficerID, "leader": s.Leader, "leader_id": s.LeaderID})
	})
	return s, err
}

// dutyAccounts checks the chosen accounts (active, of the office itself)
// and writes their names, and the officer's mobile when no phone was
// given, into the shift.
func dutyAccounts(ctx context.Context, tx *store.Tx, org *fenghuo.Org, in ShiftInput, s *fenghuo.DutyShift) error {
	var bad fenghuo.Invalid
	pick := func(id int64, field string) *fenghuo.User {
		if id == 0 {
			return nil
		}
		u, err := tx.User(ctx, id)
		if err != nil || u.OrgID != org.ID || u.Disabled {
			bad.Add(fenghuo.FieldErrorf(field, "Choose an active account of %s. / 请选择%s的在用账号。", org.Name, org.Name))
			return nil
		}
		return u
	}
	if u := pick(in.OfficerID, "officer_id"); u != nil {
		s.OfficerID, s.Officer = u.ID, accountName(u)
		if s.Phone == "" {
			s.Phone = u.Mobile
		}
	}
	if u := pick(in.LeaderID, "leader_id"); u != nil {
		s.LeaderID, s.Leader = u.ID, accountName(u)
	}
	return bad.Err()
}

// accountName is how a person on duty is named: the display name, else
// the user name.
func accountName(u *fenghuo.User) string {
	if strings.TrimSpace(u.DisplayName) != "" {
		return u.DisplayName
	}
	return u.Username
}

// DutyAccounts lists the active accounts of an org the actor may roster
// duty for: the choices for duty officer and leader on duty.
func (a *Service) DutyAccounts(ctx context.Context, ac *app.Actor, orgID int64) ([]fenghuo.User, error) {
	org, err := a.dutyOrg(ctx, ac, orgID)
	if err != nil {
		return nil, err
	}
	res, err := a.core.DB().SubtreeUsers(ctx, org.ID, store.UserFilter{OrgID: org.ID}, store.Page{Limit: store.MaxLimit})
	if err != nil {
		return nil, err
	}
	return res.Items, nil
}

// DeleteShift removes a rostered shift.
func (a *Service) DeleteShift(ctx context.Context, ac *app.Actor, orgRef, id int64) error {
	org, err := a.dutyOrg(ctx, ac, orgRef)
	if err != nil {
		return err
	}
	return a.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		if err := tx.DeleteDutyShift(ctx, org.ID, id); err != nil {
			return err
		}
		return a.core.Record(ctx, tx, ac, "duty.shift.delete", "org", app.ObjectID(org.ID), "success", map[string]any{"shift": id})
	})
}

func (a *Service) dutyOrg(ctx context.Context, ac *app.Actor, id int64) (*fenghuo.Org, error) {
	if id == 0 {
		id = ac.Org.ID
	}
	org, err := a.core.DB().Org(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := app.RequireAt(ac, fenghuo.PermDutyWrite, org.Path, "Org", id); err != nil {
		return nil, err
	}
	return org, nil
}

// AddDutyLog writes a line of the duty log, or a handover note.
func (a *Service) AddDutyLog(ctx context.Context, ac *app.Actor, orgRef int64, kind, body string) (*fenghuo.DutyLogEntry, error) {
	body = strings.TrimSpace(body)
	if kind != "log" && kind != "handover" {
		return nil, fenghuo.FieldErrorf("kind", "An entry is a log line or a handover note. / 类型应为值班记录或交接班。")
	}
	if body == "" || len([]rune(body)) > 4000 {
		return nil, fenghuo.FieldErrorf("body", "Write the entry (up to 4000 characters). / 请填写内容（不超过4000字）。")
	}
	org, err := a.dutyOrg(ctx, ac, orgRef)
	if err != nil {
		return nil, err
	}
	e := &fenghuo.DutyLogEntry{OrgID: org.ID, Author: ac.User.DisplayName, Kind: kind, Body: body}
	err = a.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		if err := tx.AddDutyLog(ctx, e); err != nil {
			return err
		}
		if kind == "handover" {
			if err := a.core.NotifyOrg(ctx, tx, app.Notice{OrgID: org.ID, Kind: "duty.handover", Title: "交接班：" + firstLine(body, 60), Body: body, Link: "/duty"}); err != nil {
				return err
			}
		}
		return a.core.Record(ctx, tx, ac, "duty.log", "org", app.ObjectID(org.ID), "success", map[string]any{"entry": e.ID, "kind": kind})
	})
	return e, err
}

func firstLine(s string, n int) string {
	s, _, _ = strings.Cut(s, "\n")
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// OnDuty is who is on duty at an org now.
type OnDuty struct {
	Org   fenghuo.Org
	Shift *fenghuo.DutyShift // nil: nobody rostered now
	// Gaps say what requires duty that is not covered.
	Gaps []string
}

// DutyView is an org's duty page.
type DutyView struct {
	Org      *fenghuo.Org
	Now      OnDuty
	Upcoming []fenghuo.DutyShift
	Log      []fenghuo.DutyLogEntry
	// Below are the offices of the subtree and who is on duty there.
	Below []OnDuty
}

// Duty shows the actor's org (or one of its subtree) duty: now, the next
// week's roster, the log, and the offices below.
func (a *Service) Duty(ctx context.Context, ac *app.Actor, id int64) (*DutyView, error) {
	if err := app.Require(ac, fenghuo.PermOrgRead); err != nil {
		return nil, err
	}
	if id == 0 {
		id = ac.Org.ID
	}
	org, err := a.core.DB().Org(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := app.RequireAt(ac, fenghuo.PermOrgRead, org.Path, "Org", id); err != nil {
		return nil, err
	}
	now := a.core.Now()
	// The periods running today, read once for this org and every office below.
	periods, err := a.core.DB().PeriodsOn(ctx, now.In(calendar.Shanghai).Format(DayLayout))
	if err != nil {
		return nil, err
	}
	v := &DutyView{Org: org}
	if v.Now, err = a.onDuty(ctx, org, now, periods); err != nil {
		return nil, err
	}
	if v.Upcoming, err = a.core.DB().DutyShifts(ctx, org.ID, now, now.Add(7*24*time.Hour)); err != nil {
		return nil, err
	}
	if v.Log, err = a.core.DB().DutyLog(ctx, org.ID, 50); err != nil {
		return nil, err
	}
	var subtree []fenghuo.Org
	err = a.core.DB().View(ctx, func(tx *store.Tx) error {
		subtree, err = app.AllSubtree(ctx, tx, org.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	for _, o := range subtree {
		if o.ID == org.ID || (o.Type != fenghuo.OrgRegulator && o.Type != fenghuo.OrgMonitoring && o.Type != fenghuo.OrgPublicSecurity) {
			continue
		}
		d, err := a.onDuty(ctx, &o, now, periods)
		if err != nil {
			return nil, err
		}
		v.Below = append(v.Below, d)
	}
	return v, nil
}

func (a *Service) onDuty(ctx context.Context, org *fenghuo.Org, now time.Time, periods []fenghuo.Period) (OnDuty, error) {
	d := OnDuty{Org: *org}
	shifts, err := a.core.DB().DutyShifts(ctx, org.ID, now, now.Add(time.Millisecond))
	if err != nil {
		return d, err
	}
	if len(shifts) > 0 {
		d.Shift = &shifts[0]
	}
	d.Gaps, err = a.dutyGaps(ctx, org, d.Shift, periods)
	return d, err
}

// dutyGaps lists what requires duty at org now that the roster does not
// cover: an active orange or red warning (or one whose colour switches on
// 24-hour duty under its plan) it issued or received, or a
// protection period it set or takes part in (7×24, leader on duty).
func (a *Service) dutyGaps(ctx context.Context, org *fenghuo.Org, shift *fenghuo.DutyShift, periods []fenghuo.Period) ([]string, error) {
	var gaps []string
	var warnings []fenghuo.Warning
	err := a.core.DB().View(ctx, func(tx *store.Tx) error {
		var err error
		warnings, err = tx.ActiveWarningsOf(ctx, org.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	for _, w := range warnings {
		needsDuty := w.Color.Severity() >= fenghuo.ColorOrange.Severity() || slices.Contains(w.Switches, plan.SwitchDuty24h)
		if needsDuty && shift == nil {
			gaps = append(gaps, fmt.Sprintf("%s预警「%s」要求24小时值班，当前无人值班 / an active %s warning requires 24-hour duty and nobody is rostered now",
				w.Color.NameZH(), w.Title, w.Color))
		}
	}
	// Response levels (R1): a running level that switched on duty_24h for
	// this office (seed 001 §2.2(1)).
	duties, err := a.core.DB().RunningResponseDuties(ctx, org.ID)
	if err != nil {
		return nil, err
	}
	for _, d := range duties {
		if shift == nil {
			gaps = append(gaps, fmt.Sprintf("事件#%d的应急响应要求24小时值班（%s），当前无人值班 / the emergency response to incident #%d requires 24-hour duty and nobody is rostered now",
				d.IncidentID, d.Clause, d.IncidentID))
		}
	}
	for _, p := range periods {
		involved := p.OrgID == org.ID
		for _, u := range p.UnitIDs {
			involved = involved || u == org.ID
		}
		if !involved {
			continue
		}
		if p.RoundClock && shift == nil {
			gaps = append(gaps, fmt.Sprintf("重要保障期「%s」要求7×24小时值班，当前无人值班 / the protection period requires 7×24 duty and nobody is rostered now", p.Name))
		}
		if p.LeaderDuty && (shift == nil || shift.Leader == "") {
			gaps = append(gaps, fmt.Sprintf("重要保障期「%s」要求领导带班，当前无带班领导 / the protection period requires a leader on duty", p.Name))
		}
	}
	return gaps, nil
}
