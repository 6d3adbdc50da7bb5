package web_test

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/app/incident"
	"fenghuo/internal/app/services"
	"fenghuo/internal/apptest"
	"fenghuo/internal/audit"
	"fenghuo/internal/auth"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/plan"
	"fenghuo/internal/server"
	"fenghuo/internal/store"
)

// consoleWithEvidence is console with an evidence directory: apptest's
// app has none, so it serves a second app over the same database, clock
// and plans that has one (as internal/api's tests do).
func consoleWithEvidence(t *testing.T) (*apptest.Env, *httptest.Server) {
	t.Helper()
	e := apptest.New(t)
	cfg := app.DefaultConfig()
	cfg.EvidenceDir = filepath.Join(e.Dir, "evidence")
	chain, err := audit.NewChain(make([]byte, audit.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	sealer, err := auth.NewSealer(make([]byte, auth.SealerKeySize))
	if err != nil {
		t.Fatal(err)
	}
	e.App = services.New(app.Deps{DB: e.DB, Plans: e.App.Core.Plans(), Calendar: e.App.Core.Calendar(), Audit: chain, Sealer: sealer, Config: cfg})
	e.App.SetClock(e.Clock.Now)
	h, err := server.NewHandler(e.App, server.HandlerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return e, srv
}

// defacedPortal files the issue-4 incident (a school portal defaced for 40
// minutes, serious social impact: grade II under the county plan) as the
// school's reporter.
func defacedPortal(t *testing.T, e *apptest.Env) *fenghuo.Incident {
	t.Helper()
	reporter, _ := e.User(t, "school-rep", "school", fenghuo.RoleUnitReporter)
	inc, err := e.App.Incidents.CreateIncident(context.Background(), e.Actor(t, reporter), incident.IncidentInput{
		OrgID: e.Orgs["school"].ID, Title: "学校门户网站首页被篡改", Category: "IAI", DiscoveredAt: e.Clock.Now(),
		Facts:       plan.Facts{"social_impact": "serious", "defacement_homepage_minutes": 40},
		Description: "首页出现赌博信息"})
	if err != nil {
		t.Fatal(err)
	}
	return inc
}

// The header of an incident: grade in words and colour, status, response
// level, the owning unit and the next deadline as a countdown from the
// server's clock; then the tabs, the current one marked.
func TestIncidentHeader(t *testing.T) {
	e, srv := console(t)
	inc := defacedPortal(t, e)
	c := browser(t)
	login(t, c, srv, "school-rep", apptest.Password)
	path := "/incidents/" + strconv.FormatInt(inc.ID, 10)
	r, body := get(t, c, srv, path)
	if r.StatusCode != 200 {
		t.Fatalf("%s: %d", path, r.StatusCode)
	}
	header := section(t, body, `id="incident-header"`, "</section>")
	for _, want := range []string{`badge big grade-II`, "重大（Ⅱ级）", ">草稿<", ">未启动<", "甲县第一中学", `data-due="`, `id="incident-countdown"`} {
		if !strings.Contains(header, want) {
			t.Errorf("header lacks %q:\n%s", want, header)
		}
	}
	// The countdown starts from the server's clock: the initial report is
	// due within the plan's span of the discovery, not yet overdue.
	if m := regexp.MustCompile(`id="incident-countdown" role="timer" data-due="[^"]+">([0-9]+):([0-9]{2}):([0-9]{2})<`).FindStringSubmatch(header); m == nil {
		t.Errorf("no countdown in h:mm:ss: %s", header)
	}
	if strings.Contains(header, "is-overdue") {
		t.Errorf("a fresh incident's deadline is shown overdue")
	}
	tabs := section(t, body, `id="incident-tabs"`, "</nav>")
	for _, tab := range []string{path + `" class="active" aria-current="page">事件要素`, path + `/reports">报告`, path + `/tasks">处置任务`,
		path + `/response">应急响应`, path + `/timeline">时间线`, path + `/evidence">证据`, path + `/documents">后续文档`} {
		if !strings.Contains(tabs, `href="`+tab) {
			t.Errorf("tabs lack %s:\n%s", tab, tabs)
		}
	}

	// An activated response shows with its level; past the deadline the
	// countdown turns red.
	ctx := context.Background()
	if err := e.DB.WithTx(ctx, func(tx *store.Tx) error {
		return tx.CreateActivation(ctx, &fenghuo.ResponseActivation{IncidentID: inc.ID, PlanID: "wushen-county", Level: fenghuo.GradeII,
			State: fenghuo.ResponseActive, DecidedOrgID: e.Orgs["county"].ID})
	}); err != nil {
		t.Fatal(err)
	}
	e.Clock.Advance(3 * time.Hour)
	login(t, c, srv, "school-rep", apptest.Password) // the session went idle
	_, body = get(t, c, srv, path)
	header = section(t, body, `id="incident-header"`, "</section>")
	for _, want := range []string{"Ⅱ级响应（已启动）", "is-overdue", "已超时", `class="countdown big overdue"`} {
		if !strings.Contains(header, want) {
			t.Errorf("header lacks %q after the deadline:\n%s", want, header)
		}
	}
	if m := regexp.MustCompile(`id="incident-countdown" role="timer" data-due="[^"]+">已逾期 1小时0分<`).FindString(header); m == "" {
		t.Errorf("the overdue countdown does not say how long overdue: %s", header)
	}

	// Outside the actor's scope the page is not found.
	e.User(t, "other-rep", "school2", fenghuo.RoleUnitReporter)
	o := browser(t)
	login(t, o, srv, "other-rep", apptest.Password)
	if r, _ := get(t, o, srv, path); r.StatusCode != http.StatusNotFound {
		t.Errorf("a sibling school sees the incident: %d", r.StatusCode)
	}
}

// section cuts the part of a page from the element opening with start to
// the first end after it.
func section(t *testing.T, body, start, end string) string {
	t.Helper()
	i := strings.Index(body, start)
	if i < 0 {
		t.Fatalf("no %s in the page", start)
	}
	j := strings.Index(body[i:], end)
	if j < 0 {
		t.Fatalf("%s is not closed", start)
	}
	return body[i : i+j]
}

// pageText is the visible text of a page's main element, roughly: tags
// dropped (so attribute values such as option keys are not counted).
func pageText(body string) string {
	if i := strings.Index(body, "<main>"); i >= 0 {
		body = body[i:]
	}
	body = regexp.MustCompile(`(?s)<(script|style)[^>]*>.*?</(script|style)>`).ReplaceAllString(body, " ")
	return regexp.MustCompile(`<[^>]*>`).ReplaceAllString(body, " ")
}

// Every tab of the incident page loads with the header, shows words and
// not keys, leads with one primary action for the actor, and keeps the
// forms that moved into it working: the unit's initial report (which
// lands on the reports tab), a note (a refused one keeps the text),
// evidence, a status change; the office acknowledges the report from the
// reports tab.
func TestIncidentTabs(t *testing.T) {
	e, srv := consoleWithEvidence(t)
	inc := defacedPortal(t, e)
	e.User(t, "county-duty", "county", fenghuo.RoleDutyOfficer)
	c := browser(t)
	login(t, c, srv, "school-rep", apptest.Password)
	base := "/incidents/" + strconv.FormatInt(inc.ID, 10)
	tabs := map[string]string{base: "事件要素", base + "/reports": "报告", base + "/timeline": "时间线", base + "/evidence": "证据"}
	primary := regexp.MustCompile(`<(a|button) class="button"[^>]*>|<button type="submit">`)
	check := func(who string, c *http.Client, wantPrimary map[string]int) {
		t.Helper()
		for p, name := range tabs {
			r, body := get(t, c, srv, p)
			if r.StatusCode != 200 {
				t.Errorf("%s %s: %d", who, p, r.StatusCode)
				continue
			}
			if !strings.Contains(body, `id="incident-header"`) || !strings.Contains(body, `aria-current="page">`+name+`<`) {
				t.Errorf("%s %s: no header or the tab %s is not marked", who, p, name)
			}
			text := pageText(body)
			if found := keysIn(text, rawKeys, true); len(found) > 0 {
				t.Errorf("%s %s shows raw keys %q", who, p, found)
			}
			for _, bad := range []string{"gbz-20986-2007", "gbt-20986-2023", "wushen-county"} {
				if strings.Contains(text, bad) {
					t.Errorf("%s %s shows %s", who, p, bad)
				}
			}
			if n := len(primary.FindAllString(section(t, body, "<main>", "</main>"), -1)); n != wantPrimary[p] {
				t.Errorf("%s %s has %d primary actions, want %d", who, p, n, wantPrimary[p])
			}
		}
	}
	// The unit before its initial report: the report leads on facts and
	// reports; the note and the evidence lead on theirs.
	check("unit", c, map[string]int{base: 1, base + "/reports": 1, base + "/timeline": 1, base + "/evidence": 1})
	_, body := get(t, c, srv, base)
	if !strings.Contains(body, `<a class="button" href="`+base+`/reports/new?kind=initial">`) {
		t.Errorf("the facts tab does not lead with the initial report")
	}

	// The initial report lands on the reports tab.
	form := url.Values{"kind": {"initial"}, "signer": {"张校长"}, "reporter_name": {"李老师"}, "reporter_phone": {"0477-7581234"}}
	for _, id := range []string{"unit_and_system", "event_details", "development", "preliminary_cause", "tracing_leads", "further_measures",
		"scene_protection", "other", "occurred_time", "unit", "people_affected_text", "expected_loss", "system_overview", "department",
		"system_name", "protection_level", "grade", "category", "occurred_at", "ended_at", "description", "scope", "measures", "result",
		"reporting_unit", "reporter", "phone"} {
		form.Set("content."+id, "首页被植入赌博链接，已断网处置。")
	}
	r, body := post(t, c, srv, base+"/reports", form)
	if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), base+"/reports?sent=") {
		t.Fatalf("report: %d %s %.300s", r.StatusCode, r.Header.Get("Location"), body)
	}
	_, body = get(t, c, srv, base+"/reports")
	if !strings.Contains(body, `id="report-list"`) || !strings.Contains(body, "初报") || !strings.Contains(body, `id="delivery-list"`) ||
		!strings.Contains(body, "甲县委网信办") || !strings.Contains(body, "未签收") {
		t.Errorf("the reports tab lacks the report or where it went")
	}
	if !strings.Contains(body, `<a class="button" href="`+base+`/reports/new?kind=follow_up">`) {
		t.Errorf("after the initial report the reports tab does not lead with the follow-up")
	}

	// A note: refused empty (the page says why, on the timeline tab), then
	// kept; a failed note keeps what was typed.
	r, body = post(t, c, srv, base+"/note", url.Values{"text": {strings.Repeat("长", 4001)}})
	if r.StatusCode != http.StatusBadRequest || !strings.Contains(body, `aria-current="page">时间线<`) ||
		!strings.Contains(body, "field-error") || !strings.Contains(body, strings.Repeat("长", 4001)+"</textarea>") {
		t.Errorf("a too long note: %d, tab, error or typed text missing", r.StatusCode)
	}
	r, _ = post(t, c, srv, base+"/note", url.Values{"text": {"已断开门户服务器外网连接"}})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != base+"/timeline" {
		t.Errorf("note: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	if _, body = get(t, c, srv, base+"/timeline"); !strings.Contains(body, "已断开门户服务器外网连接") || !strings.Contains(body, "记录链完整") {
		t.Errorf("the timeline lacks the note or its chain check")
	}

	// Evidence: a file whose content does not match its name is refused
	// next to the field, the note kept; a log file lands on the evidence
	// tab, listed with its size in words.
	upload := func(name, content string) (int, string, string) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		fw, _ := mw.CreateFormFile("file", name)
		fw.Write([]byte(content))
		mw.WriteField("note", "篡改后的首页访问日志")
		mw.Close()
		req, _ := http.NewRequest("POST", srv.URL+base+"/evidence", &buf)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Origin", srv.URL)
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp.StatusCode, resp.Header.Get("Location"), string(b)
	}
	code, _, body := upload("首页截图.png", strings.Repeat("GET / 200\n", 220))
	if code != http.StatusBadRequest || !strings.Contains(body, `<div class="field-error">文件内容与扩展名不符。</div>`) ||
		!strings.Contains(body, `value="篡改后的首页访问日志"`) || !strings.Contains(body, `aria-current="page">证据<`) {
		t.Errorf("a mismatched file: %d, or its error, tab or note missing", code)
	}
	if code, loc, body := upload("access.log", strings.Repeat("GET / 200\n", 220)); code != http.StatusSeeOther || loc != base+"/evidence" {
		t.Errorf("evidence: %d %s %s", code, loc, pageText(body))
	}
	if _, body = get(t, c, srv, base+"/evidence"); !strings.Contains(body, "access.log") || !strings.Contains(body, "2.1 KB") || !strings.Contains(body, "篡改后的首页访问日志") {
		t.Errorf("the evidence tab lacks the file, its size in words or its note")
	}

	// A failed re-grade keeps what was typed, next to the field.
	r, body = post(t, c, srv, base+"/facts", url.Values{"version": {strconv.Itoa(inc.Version)}, "category": {"IAI"},
		"fact.social_impact": {"serious"}, "fact.defacement_homepage_minutes": {"四十"}})
	if r.StatusCode != http.StatusBadRequest || !strings.Contains(body, `name="fact.defacement_homepage_minutes" type="number" min="0" step="any" value="四十"`) ||
		!strings.Contains(body, "field-error") {
		t.Errorf("a failed re-grade: %d, or the typed value or the error is missing", r.StatusCode)
	}

	// "Responding" is not a plain status change: the facts tab's status
	// form refuses it and points at the response page.
	r, body = post(t, c, srv, base+"/status", url.Values{"status": {"responding"}, "reason": {"启动处置"}})
	if r.StatusCode != http.StatusBadRequest || !strings.Contains(body, "/response") {
		t.Errorf("status responding: %d, want 400 pointing at the response page", r.StatusCode)
	}
	if _, body = get(t, c, srv, base); strings.Contains(section(t, body, `id="incident-header"`, "</section>"), ">处置中<") {
		t.Errorf("the header shows responding after a refused status change")
	}

	// The county office: it acknowledges the report from the reports tab.
	o := browser(t)
	login(t, o, srv, "county-duty", apptest.Password)
	check("office", o, map[string]int{base: 1, base + "/reports": 1, base + "/timeline": 1, base + "/evidence": 1})
	_, body = get(t, o, srv, base+"/reports")
	m := regexp.MustCompile(`<form method="post" action="(/inbox/[0-9]+/receive)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("the office's reports tab does not offer to acknowledge the report")
	}
	if r, _ := post(t, o, srv, m[1], nil); r.StatusCode != http.StatusSeeOther {
		t.Errorf("acknowledge: %d", r.StatusCode)
	}
	if _, body = get(t, o, srv, base+"/reports"); strings.Contains(body, "/receive\"") || strings.Contains(body, "未签收") {
		t.Errorf("the report still waits for acknowledgement")
	}

	// English: the same tabs in English words.
	post(t, c, srv, "/lang", url.Values{"lang": {"en"}, "back": {"/"}})
	for p := range tabs {
		_, body := get(t, c, srv, p)
		header := section(t, body, `id="incident-header"`, "</section>")
		for _, want := range []string{"Grade II", "Unit"} {
			if !strings.Contains(header, want) {
				t.Errorf("%s (English) header lacks %q", p, want)
			}
		}
		if strings.Contains(section(t, body, `id="incident-tabs"`, "</nav>"), "报告") {
			t.Errorf("%s (English) tabs are in Chinese", p)
		}
	}
}
