package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// webLogicSchool gives the school a system running WebLogic.
func webLogicSchool(t *testing.T, e *apptest.Env) {
	t.Helper()
	s := &fenghuo.System{OrgID: e.Orgs["school"].ID, Name: "甲县一中选课系统", Components: []fenghuo.Component{{Name: "Oracle WebLogic Server", Version: "12.2.1.4"}}}
	if err := e.DB.CreateSystem(context.Background(), s); err != nil {
		t.Fatal(err)
	}
}

// Warnings, periods, duty and channels in the console: the forms validate,
// a county's red warning is refused naming the plan rule, an orange one to
// the WebLogic units reaches the school, which acknowledges; the
// acknowledge link works without a session; the daily board and its XLSX
// come out; every page renders in both languages.
func TestWarningAndPeriodPages(t *testing.T) {
	e, srv := console(t)
	webLogicSchool(t, e)
	e.User(t, "county-boss", "county", fenghuo.RoleCommander)
	e.User(t, "school-rep", "school", fenghuo.RoleUnitReporter)
	county, school := browser(t), browser(t)
	login(t, county, srv, "county-boss", apptest.Password)
	login(t, school, srv, "school-rep", apptest.Password)

	r, body := post(t, county, srv, "/warnings", url.Values{"color": {"red"}, "title": {"WebLogic漏洞"}, "component": {"weblogic"}, "ack_minutes": {"60"}})
	if r.StatusCode != http.StatusBadRequest || !strings.Contains(body, "《乌审旗网络安全事件应急预案》第3.3条") || !strings.Contains(body, "测试市委网信办") {
		t.Fatalf("red from the county: %d %s", r.StatusCode, regexp.MustCompile(`class="field-error">[^<]*`).FindString(body))
	}
	r, _ = post(t, county, srv, "/warnings", url.Values{"color": {"orange"}, "title": {""}, "component": {"weblogic"}})
	if r.StatusCode != http.StatusBadRequest {
		t.Errorf("a warning without a title: %d", r.StatusCode)
	}
	r, _ = post(t, county, srv, "/warnings", url.Values{"color": {"orange"}, "title": {"WebLogic 远程代码执行漏洞"}, "component": {"weblogic"},
		"measures": {"升级补丁 | 24\n关闭T3协议"}, "ack_minutes": {"60"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("orange: %d", r.StatusCode)
	}
	wpath := r.Header.Get("Location")
	if _, home := get(t, school, srv, "/"); !strings.Contains(home, `id="my-duties"`) || !strings.Contains(home, "确认橙色预警") {
		t.Error("the school's dashboard does not list the acknowledgement it owes")
	}
	_, page := get(t, school, srv, wpath)
	if !strings.Contains(page, "WebLogic 远程代码执行漏洞") || !strings.Contains(page, "甲县第一中学") {
		t.Fatal("the school does not see its warning")
	}
	if strings.Contains(page, "甲县人民医院") {
		t.Error("the hospital (no WebLogic) is a target")
	}
	target := regexp.MustCompile(`name="target_id" value="(\d+)"`).FindStringSubmatch(page)
	if target == nil {
		t.Fatal("no acknowledge button")
	}
	if r, _ := post(t, school, srv, wpath+"/ack", url.Values{"target_id": {target[1]}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("ack: %d", r.StatusCode)
	}
	_, page = get(t, county, srv, wpath)
	if !strings.Contains(page, "已确认 1/1") {
		t.Errorf("the issuer does not see the acknowledgement")
	}
	// The notice downloads as DOCX and PDF for the issuer and the target.
	for _, f := range []string{"docx", "pdf"} {
		resp, err := school.Get(srv.URL + wpath + "/notice/" + f)
		if err != nil || resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") {
			t.Errorf("notice %s: %v %v", f, resp.StatusCode, err)
		}
		resp.Body.Close()
	}
	// A sibling county's unit cannot open it.
	e.User(t, "school2-rep", "school2", fenghuo.RoleUnitReporter)
	other := browser(t)
	login(t, other, srv, "school2-rep", apptest.Password)
	if r, _ := get(t, other, srv, wpath); r.StatusCode != http.StatusNotFound {
		t.Errorf("a sibling county's unit opened the warning: %d", r.StatusCode)
	}
	if resp, err := other.Get(srv.URL + wpath + "/notice/pdf"); err != nil || resp.StatusCode != http.StatusNotFound {
		t.Errorf("a sibling county's unit downloaded the notice: %v", resp.StatusCode)
	}

	// The acknowledge link from a message works on a phone without a session.
	ns, _ := e.DB.Notifications(context.Background(), e.Orgs["school"].ID, 0, 10)
	var link string
	for _, n := range ns {
		if strings.HasPrefix(n.Link, "/ack/") {
			link = n.Link
		}
	}
	if link == "" {
		t.Fatal("no acknowledge link in the school's notifications")
	}
	anon := browser(t)
	if r, body := get(t, anon, srv, link); r.StatusCode != 200 || !strings.Contains(body, "WebLogic") {
		t.Errorf("ack link page: %d", r.StatusCode)
	}
	if r, _ := get(t, anon, srv, "/ack/forged"); r.StatusCode != http.StatusBadRequest {
		t.Errorf("forged ack link: %d", r.StatusCode)
	}

	// A protection period; the school reports 平安 from the board.
	today := e.Clock.Now().Format("2006-01-02")
	r, body = post(t, county, srv, "/periods", url.Values{"name": {"冬季保障"}, "first_day": {today}, "last_day": {"2026-11-01"}, "cutoff": {"13:00"}})
	if r.StatusCode != http.StatusBadRequest {
		t.Errorf("a period ending before it starts: %d", r.StatusCode)
	}
	r, _ = post(t, county, srv, "/periods", url.Values{"name": {"冬季保障"}, "first_day": {today}, "last_day": {"2026-11-30"}, "cutoff": {"13:00"},
		"round_clock": {"1"}, "leader_duty": {"1"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("period: %d", r.StatusCode)
	}
	ppath := r.Header.Get("Location")
	_, page = get(t, school, srv, ppath)
	if !strings.Contains(page, `id="report-quiet"`) {
		t.Fatal("the school has no report form")
	}
	if r, _ := post(t, school, srv, ppath+"/reports", url.Values{"day": {today}, "quiet": {"1"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("daily report: %d", r.StatusCode)
	}
	_, page = get(t, county, srv, ppath)
	if !strings.Contains(page, `id="count-on_time">1<`) || !strings.Contains(page, `id="count-pending">1<`) {
		t.Errorf("board before the cut-off: %s", regexp.MustCompile(`id="count-[a-z_]+">\d+`).FindAllString(page, -1))
	}
	resp, err := county.Get(srv.URL + ppath + "/export.xlsx?day=" + today)
	if err != nil || resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Type"), "spreadsheet") {
		t.Errorf("daily XLSX: %v %v", resp.StatusCode, err)
	}
	resp.Body.Close()

	// Duty: the period requires 7×24 duty and a leader; nobody is rostered.
	_, page = get(t, county, srv, "/duty")
	if !strings.Contains(page, "duty-gap") {
		t.Error("no duty gap shown")
	}
	start := e.Clock.Now().Add(-time.Hour).In(time.FixedZone("CST", 8*3600)).Format("2006-01-02T15:04")
	end := e.Clock.Now().Add(8 * time.Hour).In(time.FixedZone("CST", 8*3600)).Format("2006-01-02T15:04")
	// The duty officer is an account of the office (issue 13 item 5).
	sun, _ := e.User(t, "sun-duty", "county", fenghuo.RoleDutyOfficer)
	if r, _ := post(t, county, srv, "/duty/shifts", url.Values{"start_at": {start}, "end_at": {end}, "officer_id": {itoa(sun.ID)},
		"leader_id": {itoa(mustUser(t, e, "county-boss").ID)}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("shift: %d", r.StatusCode)
	}
	_, page = get(t, county, srv, "/duty")
	if strings.Contains(page, "duty-gap") || !strings.Contains(page, sun.DisplayName) {
		t.Error("the roster does not cover the gap")
	}
	if r, _ := post(t, school, srv, "/duty/shifts", url.Values{"start_at": {start}, "end_at": {end}, "officer": {"x"}}); r.StatusCode != http.StatusForbidden {
		t.Errorf("a unit reporter rostered duty: %d", r.StatusCode)
	}

	// Channels: a bad webhook URL is refused with a message; a good one is
	// listed without its secret.
	r, body = post(t, county, srv, "/channels/create", url.Values{"org_id": {strconv.FormatInt(e.Orgs["county"].ID, 10)}, "kind": {"dingtalk"}, "name": {"值班群"}, "target": {"not a url"}, "secret": {"SEC1"}})
	if r.StatusCode != http.StatusBadRequest || !strings.Contains(body, "field-error") {
		t.Errorf("bad channel: %d", r.StatusCode)
	}
	r, _ = post(t, county, srv, "/channels/create", url.Values{"org_id": {strconv.FormatInt(e.Orgs["county"].ID, 10)}, "kind": {"dingtalk"}, "name": {"值班群"},
		"target": {"https://oapi.dingtalk.com/robot/send?access_token=abc"}, "secret": {"SECsupersecret"}, "events": {"warning"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("channel: %d", r.StatusCode)
	}
	_, page = get(t, county, srv, "/channels")
	if !strings.Contains(page, "值班群") || strings.Contains(page, "SECsupersecret") {
		t.Error("channel list wrong or shows the secret")
	}

	for _, lang := range []string{"zh", "en"} {
		post(t, county, srv, "/lang", url.Values{"lang": {lang}, "back": {"/"}})
		for _, p := range []string{"/warnings", wpath, "/periods", ppath, "/duty", "/channels"} {
			r, body := get(t, county, srv, p)
			if r.StatusCode != 200 {
				t.Errorf("%s (%s): %d", p, lang, r.StatusCode)
			}
			if m := regexp.MustCompile(`[> ][a-z]+\.[a-z_.]+<`).FindString(body); m != "" {
				t.Errorf("%s (%s) shows an untranslated key %s", p, lang, m)
			}
		}
	}
	if n, _ := e.DB.Obligations(context.Background(), store.ObligationFilter{Kind: "daily_report"}, store.Page{}); n.Total == 0 {
		t.Error("the period created no daily-report obligations")
	}
}
