package api_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"fenghuo/internal/fenghuo"
)

type warningOut struct {
	ID         int64  `json:"id"`
	OrgID      int64  `json:"org_id"`
	PlanID     string `json:"plan_id"`
	Color      string `json:"color"`
	Status     string `json:"status"`
	ProposedTo int64  `json:"proposed_to"`
	Switches   []string
	TargetOrgs []struct {
		ID      int64      `json:"id"`
		OrgID   int64      `json:"org_id"`
		Reason  string     `json:"reason"`
		AckedAt *time.Time `json:"acked_at"`
	} `json:"target_orgs"`
	Changes []struct {
		Action string `json:"action"`
	} `json:"changes"`
	CanManage bool `json:"can_manage"`
	Acked     int  `json:"acked"`
	Done      int  `json:"done"`
}

type targetOut struct {
	ID       int64      `json:"id"`
	OrgID    int64      `json:"org_id"`
	AckedAt  *time.Time `json:"acked_at"`
	AckedBy  string     `json:"acked_by"`
	DoneAt   *time.Time `json:"done_at"`
	DoneNote string     `json:"done_note"`
}

// wantForbidden fails unless r is a 403 whose message names every string.
func wantForbidden(t *testing.T, r resp, names ...string) {
	t.Helper()
	r.want(t, 403)
	if code, _ := r.errBody(t); code != fenghuo.EFORBIDDEN {
		t.Fatalf("code %s, want forbidden: %s", code, r.Body)
	}
	for _, n := range names {
		if !strings.Contains(string(r.Body), n) {
			t.Fatalf("the refusal does not name %q: %s", n, r.Body)
		}
	}
}

// TestWarningFlow: the county office (governed by wushen-county as its
// cyberspace office) issues an orange warning to the units running Struts2;
// only the school runs it, so only the school gets it and acknowledges as a
// unit reporter. Red is the city's call under wushen-county §3.3: the API
// refuses it naming the plan, and the county proposes it to the city instead.
func TestWarningFlow(t *testing.T) {
	e := newEnv(t)
	e.system(t, "school", "甲县一中门户") // runs Struts2
	e.user(t, "cmd", "county", fenghuo.RoleCommander)
	e.user(t, "rep", "school", fenghuo.RoleUnitReporter)
	e.user(t, "rep2", "hospital", fenghuo.RoleUnitReporter)
	e.user(t, "look", "county", fenghuo.RoleViewer)
	e.user(t, "cmd2", "county2", fenghuo.RoleCommander)
	cmd, rep, rep2, look, cmd2 := e.login(t, "cmd"), e.login(t, "rep"), e.login(t, "rep2"), e.login(t, "look"), e.login(t, "cmd2")
	county, school, city := e.Orgs["county"].ID, e.Orgs["school"].ID, e.Orgs["city"].ID

	body := func(color string) map[string]any {
		return map[string]any{"color": color, "title": "Struts2 远程代码执行漏洞", "items": "S2-066 正被利用",
			"measures": []map[string]any{{"text": "升级到 6.4.0 或以上", "hours": 24}}, "ack_minutes": 60,
			"targets": map[string]any{"component": "Struts2"}}
	}

	// Red from the county is refused, naming the plan and its clause.
	// The plan is named by its title, never its id.
	red := e.do(t, cmd, "POST", "/api/v1/warnings", body("red"))
	wantForbidden(t, red, "《乌审旗网络安全事件应急预案》第3.3条", "“Wushen Banner cybersecurity incident emergency plan” §3.3")
	if strings.Contains(string(red.Body), "wushen-county") {
		t.Errorf("the refusal prints the plan id: %s", red.Body)
	}
	var check struct {
		Allowed   bool   `json:"allowed"`
		PlanID    string `json:"plan_id"`
		Clause    string `json:"clause"`
		ProposeTo *struct {
			ID int64 `json:"id"`
		} `json:"propose_to"`
	}
	e.do(t, cmd, "GET", "/api/v1/warnings/issuer-check?color=red", nil).want(t, 200).json(t, &check)
	if check.Allowed || check.PlanID != "wushen-county" || check.Clause != "3.3" || check.ProposeTo == nil || check.ProposeTo.ID != city {
		t.Fatalf("issuer check for red: %+v", check)
	}
	e.do(t, cmd, "GET", "/api/v1/warnings/issuer-check?color=orange", nil).want(t, 200).json(t, &check)
	if !check.Allowed || check.ProposeTo != nil {
		t.Fatalf("issuer check for orange: %+v", check)
	}
	wantField(t, e.do(t, cmd, "GET", "/api/v1/warnings/issuer-check?color=purple", nil), "color")
	e.do(t, look, "GET", "/api/v1/warnings/issuer-check?color=red", nil).want(t, 403)

	// Strict decoding and the app's validation name the field.
	bad := body("orange")
	bad["colour"] = "orange"
	wantField(t, e.do(t, cmd, "POST", "/api/v1/warnings", bad), "colour")
	wantField(t, e.do(t, cmd, "POST", "/api/v1/warnings", map[string]any{"color": "orange", "title": "x"}), "targets")
	wantField(t, e.do(t, cmd, "POST", "/api/v1/warnings", map[string]any{"color": "orange", "title": "x",
		"targets": map[string]any{"component": "NoSuchThing"}}), "targets")
	e.do(t, rep, "POST", "/api/v1/warnings", body("blue")).want(t, 403) // unit reporters do not issue

	// Orange goes out to the units running Struts2: the school only.
	var w warningOut
	r := e.do(t, cmd, "POST", "/api/v1/warnings", body("orange")).want(t, 201)
	r.json(t, &w)
	if w.Color != "orange" || w.Status != "active" || w.OrgID != county || w.PlanID != "wushen-county" || len(w.Switches) == 0 {
		t.Fatalf("issued %s", r.Body)
	}
	base := fmt.Sprintf("/api/v1/warnings/%d", w.ID)
	if loc := r.Header.Get("Location"); loc != base {
		t.Errorf("Location %q, want %q", loc, base)
	}
	e.do(t, cmd, "GET", base, nil).want(t, 200).json(t, &w)
	if len(w.TargetOrgs) != 1 || w.TargetOrgs[0].OrgID != school || !strings.Contains(w.TargetOrgs[0].Reason, "Struts2") || !w.CanManage {
		t.Fatalf("detail for the issuer: %+v", w)
	}
	target := w.TargetOrgs[0].ID
	var list listOut[warningOut]
	e.do(t, rep, "GET", "/api/v1/warnings", nil).want(t, 200).json(t, &list)
	if list.Total != 1 || list.Items[0].ID != w.ID {
		t.Fatalf("the school's warnings: %+v", list)
	}
	e.do(t, rep2, "GET", "/api/v1/warnings", nil).want(t, 200).json(t, &list)
	if list.Total != 0 {
		t.Fatalf("the hospital runs no Struts2 but sees %+v", list)
	}
	e.do(t, rep2, "GET", base, nil).want(t, 404)
	e.do(t, cmd2, "GET", base, nil).want(t, 404)

	// The school's unit reporter sees its target and acknowledges.
	var mine warningOut
	e.do(t, rep, "GET", base, nil).want(t, 200).json(t, &mine)
	if len(mine.TargetOrgs) != 1 || mine.TargetOrgs[0].ID != target || mine.CanManage {
		t.Fatalf("detail for the target: %+v", mine)
	}
	e.do(t, rep2, "POST", fmt.Sprintf("/api/v1/warning-targets/%d/ack", target), nil).want(t, 404)
	e.do(t, look, "POST", fmt.Sprintf("/api/v1/warning-targets/%d/ack", target), nil).want(t, 403)
	var tg targetOut
	e.do(t, rep, "POST", fmt.Sprintf("/api/v1/warning-targets/%d/ack", target), nil).want(t, 200).json(t, &tg)
	if tg.AckedAt == nil || tg.AckedBy != "rep" || tg.OrgID != school {
		t.Fatalf("acknowledged %+v", tg)
	}
	e.do(t, rep, "POST", fmt.Sprintf("/api/v1/warning-targets/%d/ack", target), nil).want(t, 200) // again: no change
	wantField(t, e.do(t, rep, "POST", fmt.Sprintf("/api/v1/warning-targets/%d/done", target), map[string]string{"note": " "}), "note")
	e.do(t, rep, "POST", fmt.Sprintf("/api/v1/warning-targets/%d/done", target), map[string]string{"note": "已升级至6.4.0"}).want(t, 200).json(t, &tg)
	if tg.DoneAt == nil || tg.DoneNote != "已升级至6.4.0" {
		t.Fatalf("done %+v", tg)
	}
	e.do(t, cmd, "GET", base, nil).want(t, 200).json(t, &w)
	if w.Acked != 1 || w.Done != 1 {
		t.Fatalf("issuer's counts: acked %d done %d", w.Acked, w.Done)
	}

	// Raising to red is refused as issuing red is; lowering is fine.
	wantForbidden(t, e.do(t, cmd, "POST", base+"/color", map[string]string{"color": "red", "reason": "扩散"}), "《乌审旗网络安全事件应急预案》")
	wantField(t, e.do(t, cmd, "POST", base+"/color", map[string]string{"color": "yellow"}), "reason")
	e.do(t, rep, "POST", base+"/color", map[string]string{"color": "yellow", "reason": "x"}).want(t, 404) // the county is above the school
	e.do(t, cmd, "POST", base+"/color", map[string]string{"color": "yellow", "reason": "已大部修复"}).want(t, 200).json(t, &w)
	if w.Color != "yellow" {
		t.Fatalf("lowered %+v", w)
	}
	e.do(t, cmd, "POST", base+"/lift", map[string]string{"reason": "全部修复"}).want(t, 200).json(t, &w)
	if w.Status != "lifted" {
		t.Fatalf("lifted %+v", w)
	}
	e.do(t, cmd, "POST", base+"/lift", map[string]string{"reason": "again"}).want(t, 409)
	e.do(t, rep, "POST", fmt.Sprintf("/api/v1/warning-targets/%d/ack", target), nil).want(t, 409)
	e.do(t, cmd, "GET", base, nil).want(t, 200).json(t, &w)
	var actions []string
	for _, c := range w.Changes {
		actions = append(actions, c.Action)
	}
	if strings.Join(actions, ",") != "issue,lower,lift" {
		t.Errorf("history %v", actions)
	}

	// Red is proposed to the city, which decides; the county cannot.
	var prop warningOut
	e.do(t, cmd, "POST", "/api/v1/warnings/proposals", body("red")).want(t, 201).json(t, &prop)
	if prop.Status != "proposed" || prop.ProposedTo != city {
		t.Fatalf("proposal %+v", prop)
	}
	wantField(t, e.do(t, cmd, "POST", "/api/v1/warnings/proposals", body("orange")), "color") // may issue it itself
	decision := fmt.Sprintf("/api/v1/warnings/%d/decision", prop.ID)
	wantField(t, e.do(t, cmd, "POST", decision, map[string]any{"reason": "x"}), "issue")
	e.do(t, cmd, "POST", decision, map[string]any{"issue": true}).want(t, 404)
	e.user(t, "citycmd", "city", fenghuo.RoleCommander)
	citycmd := e.login(t, "citycmd")
	e.do(t, citycmd, "POST", decision, map[string]any{"issue": true, "reason": "研判确认"}).want(t, 200).json(t, &prop)
	if prop.Status != "active" || prop.Color != "red" || prop.OrgID != city {
		t.Fatalf("decided %+v", prop)
	}
	e.do(t, citycmd, "POST", decision, map[string]any{"issue": false}).want(t, 409)
}

// TestPeriodsDutyChannelsMonitors: a protection period with a daily quiet
// report on the board; a duty shift; a channel whose secret never comes
// back; a website monitor.
func TestPeriodsDutyChannelsMonitors(t *testing.T) {
	e := newEnv(t)
	sys := e.system(t, "school", "甲县一中门户")
	e.user(t, "cmd", "county", fenghuo.RoleCommander)
	e.user(t, "duty", "county", fenghuo.RoleDutyOfficer)
	e.user(t, "rep", "school", fenghuo.RoleUnitReporter)
	cmd, duty, rep := e.login(t, "cmd"), e.login(t, "duty"), e.login(t, "rep")
	county, school := e.Orgs["county"].ID, e.Orgs["school"].ID

	// Period and daily report.
	wantField(t, e.do(t, cmd, "POST", "/api/v1/periods", map[string]any{"name": "国庆保障期", "first_day": "2026-11-20",
		"last_day": "2026-11-22", "unit_ids": []int64{e.Orgs["school2"].ID}}), "unit_ids")
	wantField(t, e.do(t, cmd, "POST", "/api/v1/periods", map[string]any{"name": "国庆保障期", "first_day": "2026/11/20",
		"last_day": "2026-11-22"}), "first_day")
	var p struct {
		ID      int64   `json:"id"`
		OrgID   int64   `json:"org_id"`
		Cutoff  string  `json:"cutoff"`
		UnitIDs []int64 `json:"unit_ids"`
	}
	e.do(t, cmd, "POST", "/api/v1/periods", map[string]any{"name": "国庆保障期", "first_day": "2026-11-20", "last_day": "2026-11-22",
		"unit_ids": []int64{school}, "leader_duty": true}).want(t, 201).json(t, &p)
	if p.OrgID != county || p.Cutoff != "13:00" || len(p.UnitIDs) != 1 {
		t.Fatalf("period %+v", p)
	}
	reports := fmt.Sprintf("/api/v1/periods/%d/reports", p.ID)
	wantField(t, e.do(t, rep, "POST", reports, map[string]any{}), "incident_ids")
	var dr struct {
		Day   string `json:"day"`
		Quiet bool   `json:"quiet"`
		Late  bool   `json:"late"`
		OrgID int64  `json:"org_id"`
	}
	e.do(t, rep, "POST", reports, map[string]any{"quiet": true, "note": "平安"}).want(t, 200).json(t, &dr)
	if dr.Day != "2026-11-20" || !dr.Quiet || dr.Late || dr.OrgID != school {
		t.Fatalf("daily report %+v", dr)
	}
	var board struct {
		Day    string `json:"day"`
		OnTime int    `json:"on_time"`
		Rows   []struct {
			OrgID  int64           `json:"org_id"`
			State  string          `json:"state"`
			Report *map[string]any `json:"report"`
		} `json:"rows"`
	}
	e.do(t, cmd, "GET", fmt.Sprintf("/api/v1/periods/%d/board?day=2026-11-20", p.ID), nil).want(t, 200).json(t, &board)
	if board.OnTime != 1 || len(board.Rows) != 1 || board.Rows[0].State != "on_time" || board.Rows[0].Report == nil {
		t.Fatalf("board %+v", board)
	}
	wantField(t, e.do(t, cmd, "GET", fmt.Sprintf("/api/v1/periods/%d/board?day=20.11.2026", p.ID), nil), "day")
	var periods listOut[struct {
		ID int64 `json:"id"`
	}]
	e.do(t, rep, "GET", "/api/v1/periods", nil).want(t, 200).json(t, &periods)
	if periods.Total != 1 || periods.Items[0].ID != p.ID {
		t.Fatalf("the school's periods %+v", periods)
	}

	// Duty: a shift now with no leader leaves the leader-on-duty gap.
	now := e.Clock.Now()
	wantField(t, e.do(t, duty, "POST", "/api/v1/duty/shifts", map[string]any{"start_at": now, "end_at": now.Add(-time.Hour), "officer": "张值班"}), "end_at")
	var shift struct {
		ID    int64 `json:"id"`
		OrgID int64 `json:"org_id"`
	}
	e.do(t, duty, "POST", "/api/v1/duty/shifts", map[string]any{"start_at": now.Add(-time.Hour), "end_at": now.Add(7 * time.Hour),
		"officer": "张值班", "phone": "0415-1234567"}).want(t, 201).json(t, &shift)
	if shift.OrgID != county {
		t.Fatalf("shift %+v", shift)
	}
	// Free text is checked: a phone that is no number, a name beside the
	// account, a shift overlapping the one just rostered.
	wantField(t, e.do(t, duty, "POST", "/api/v1/duty/shifts", map[string]any{"start_at": now.Add(7 * time.Hour), "end_at": now.Add(8 * time.Hour),
		"officer": "张值班", "phone": "ask the desk"}), "phone")
	wantField(t, e.do(t, duty, "POST", "/api/v1/duty/shifts", map[string]any{"start_at": now.Add(7 * time.Hour), "end_at": now.Add(8 * time.Hour),
		"officer": "张值班", "leader": "周主任", "leader_id": 1}), "leader")
	wantField(t, e.do(t, duty, "POST", "/api/v1/duty/shifts", map[string]any{"start_at": now.Add(6 * time.Hour), "end_at": now.Add(8 * time.Hour),
		"officer": "钱值班"}), "start_at")
	// Chosen by account (issue 13 item 5): the name and mobile come from
	// it; another org's account is refused on officer_id.
	officer := e.user(t, "api-duty-qian", "county", fenghuo.RoleDutyOfficer)
	var byAccount struct {
		OfficerID int64  `json:"officer_id"`
		Officer   string `json:"officer"`
	}
	e.do(t, duty, "POST", "/api/v1/duty/shifts", map[string]any{"start_at": now.Add(24 * time.Hour), "end_at": now.Add(32 * time.Hour),
		"officer_id": officer.ID}).want(t, 201).json(t, &byAccount)
	if byAccount.OfficerID != officer.ID || byAccount.Officer != officer.DisplayName {
		t.Errorf("shift by account %+v", byAccount)
	}
	other := e.user(t, "api-school-x", "school", fenghuo.RoleUnitReporter)
	wantField(t, e.do(t, duty, "POST", "/api/v1/duty/shifts", map[string]any{"start_at": now.Add(24 * time.Hour), "end_at": now.Add(32 * time.Hour),
		"officer_id": other.ID}), "officer_id")
	e.do(t, duty, "POST", "/api/v1/duty/log", map[string]any{"kind": "handover", "body": "夜班平稳,无事件。"}).want(t, 201)
	var view struct {
		Now struct {
			Shift *struct {
				Officer string `json:"officer"`
			} `json:"shift"`
			Gaps []string `json:"gaps"`
		} `json:"now"`
		Log []struct {
			Kind string `json:"kind"`
		} `json:"log"`
	}
	e.do(t, rep, "GET", "/api/v1/duty", nil).want(t, 200) // the school's own page
	e.do(t, cmd, "GET", "/api/v1/duty", nil).want(t, 200).json(t, &view)
	if view.Now.Shift == nil || view.Now.Shift.Officer != "张值班" || len(view.Log) != 1 || view.Log[0].Kind != "handover" {
		t.Fatalf("duty %+v", view)
	}
	gap := false
	for _, g := range view.Now.Gaps {
		gap = gap || strings.Contains(g, "领导带班")
	}
	if !gap {
		t.Errorf("no leader-on-duty gap during a period that needs one: %v", view.Now.Gaps)
	}
	e.do(t, rep, "DELETE", fmt.Sprintf("/api/v1/duty/shifts/%d?org_id=%d", shift.ID, county), nil).want(t, 404)
	e.do(t, cmd, "DELETE", fmt.Sprintf("/api/v1/duty/shifts/%d?org_id=%d", shift.ID, school), nil).want(t, 404) // not the school's shift
	e.do(t, duty, "DELETE", fmt.Sprintf("/api/v1/duty/shifts/%d", shift.ID), nil).want(t, 204)
	e.do(t, duty, "DELETE", fmt.Sprintf("/api/v1/duty/shifts/%d", shift.ID), nil).want(t, 404)

	// Channels: the secret goes in and never comes out.
	const secret = "never-shown-s3cret"
	wantField(t, e.do(t, cmd, "POST", "/api/v1/channels", map[string]any{"kind": "webhook", "name": "值班系统",
		"target": "https://soc.example.gov.cn/hooks/fenghuo"}), "target")
	r := e.do(t, cmd, "POST", "/api/v1/channels", map[string]any{"kind": "webhook", "name": "值班系统",
		"target": "https://soc.example.gov.cn/hooks/fenghuo", "secret": secret, "events": []string{"warning"}}).want(t, 201)
	var ch struct {
		ID       int64 `json:"id"`
		OrgID    int64 `json:"org_id"`
		Personal bool  `json:"personal"`
	}
	r.json(t, &ch)
	if ch.OrgID != county || ch.Personal || strings.Contains(string(r.Body), secret) || strings.Contains(string(r.Body), `"secret"`) {
		t.Fatalf("created channel %s", r.Body)
	}
	r = e.do(t, cmd, "GET", "/api/v1/channels", nil).want(t, 200)
	var chans listOut[struct {
		ID int64 `json:"id"`
	}]
	r.json(t, &chans)
	if chans.Total != 1 || chans.Items[0].ID != ch.ID || strings.Contains(string(r.Body), secret) {
		t.Fatalf("channels %s", r.Body)
	}
	e.do(t, rep, "POST", "/api/v1/channels", map[string]any{"org_id": school, "kind": "email", "name": "x", "target": "a@example.gov.cn"}).want(t, 403)
	e.do(t, rep, "POST", "/api/v1/channels", map[string]any{"personal": true, "kind": "email", "name": "我的邮箱", "target": "rep@example.gov.cn"}).want(t, 201)
	e.do(t, rep, "GET", "/api/v1/channels", nil).want(t, 200).json(t, &chans)
	if chans.Total != 1 {
		t.Fatalf("the reporter's own channels %+v", chans)
	}
	e.do(t, rep, "DELETE", fmt.Sprintf("/api/v1/channels/%d", ch.ID), nil).want(t, 404)
	e.do(t, cmd, "DELETE", fmt.Sprintf("/api/v1/channels/%d", ch.ID), nil).want(t, 204)
	e.do(t, cmd, "GET", "/api/v1/deliveries", nil).want(t, 200)

	// Monitors.
	wantField(t, e.do(t, rep, "POST", "/api/v1/monitors", map[string]any{"system_id": sys.ID, "url": "https://www.jx1z.example.cn/",
		"interval_seconds": 30}), "interval_seconds")
	wantField(t, e.do(t, rep, "POST", "/api/v1/monitors", map[string]any{"system_id": sys.ID, "url": "ftp://x"}), "url")
	// A cloud metadata address is no website: refused at once, not as a failing check.
	if r := e.do(t, rep, "POST", "/api/v1/monitors", map[string]any{"system_id": sys.ID, "url": "http://169.254.169.254/latest/meta-data/"}); !strings.Contains(string(r.Body), "链路本地") {
		t.Errorf("metadata URL: %s", r.Body)
	} else {
		wantField(t, r, "url")
	}
	var mon struct {
		ID              int64  `json:"id"`
		SystemID        int64  `json:"system_id"`
		IntervalSeconds int64  `json:"interval_seconds"`
		Results         []any  `json:"results"`
		URL             string `json:"url"`
		Enabled         bool   `json:"enabled"`
	}
	e.do(t, rep, "POST", "/api/v1/monitors", map[string]any{"system_id": sys.ID, "url": "https://www.jx1z.example.cn/",
		"interval_seconds": 600, "content": true}).want(t, 201).json(t, &mon)
	if mon.SystemID != sys.ID || mon.IntervalSeconds != 600 || !mon.Enabled {
		t.Fatalf("monitor %+v", mon)
	}
	e.do(t, cmd, "GET", fmt.Sprintf("/api/v1/monitors/%d?results=5", mon.ID), nil).want(t, 200).json(t, &mon)
	if mon.Results == nil || len(mon.Results) != 0 {
		t.Fatalf("a new monitor has results %+v", mon.Results)
	}
	e.do(t, rep, "POST", fmt.Sprintf("/api/v1/monitors/%d/accept", mon.ID), nil).want(t, 204)
	e.user(t, "cmd2", "county2", fenghuo.RoleCommander)
	e.do(t, e.login(t, "cmd2"), "GET", fmt.Sprintf("/api/v1/monitors/%d", mon.ID), nil).want(t, 404)
}
