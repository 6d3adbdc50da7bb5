package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"fenghuo/internal/app/incident"
	"fenghuo/internal/app/response"
	"fenghuo/internal/apptest"
	"fenghuo/internal/browsertest"
	"fenghuo/internal/calendar"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/plan"
)

// docScenario: a county water company (sector water) beside the county's
// water authority and education bureau, whose grade-II incident's response
// ended on Thursday 30 April 2026 at 16:00. Accounts: water-rep (author),
// water-head (unit approver), water-bureau, county-duty.
func docScenario(t *testing.T, e *apptest.Env) *fenghuo.Incident {
	t.Helper()
	ctx := context.Background()
	mk := func(key string, o fenghuo.Org) {
		o.ParentID = e.Orgs["county"].ID
		if err := e.DB.CreateOrg(ctx, &o); err != nil {
			t.Fatal(err)
		}
		e.Orgs[key] = &o
	}
	mk("edu", fenghuo.Org{Name: "甲县教育局", Level: fenghuo.LevelDepartment, Type: fenghuo.OrgRegulator, Sector: "education", PlanRoles: []string{"competent_department"}})
	mk("waterauth", fenghuo.Org{Name: "甲县水利局", Level: fenghuo.LevelDepartment, Type: fenghuo.OrgRegulator, Sector: "water", PlanRoles: []string{"competent_department"}})
	mk("water", fenghuo.Org{Name: "甲县自来水公司", Level: fenghuo.LevelUnit, Type: fenghuo.OrgOperator, Sector: "water", PlanRoles: []string{"operator"}})
	rep, _ := e.User(t, "water-rep", "water", fenghuo.RoleUnitReporter)
	e.User(t, "water-head", "water", fenghuo.RoleCommander)
	e.User(t, "water-bureau", "waterauth", fenghuo.RoleAnalyst)
	duty, _ := e.User(t, "county-duty", "county", fenghuo.RoleDutyOfficer)
	sys := &fenghuo.System{OrgID: e.Orgs["water"].ID, Name: "供水调度系统", ProtectionLevel: 3}
	if err := e.DB.CreateSystem(ctx, sys); err != nil {
		t.Fatal(err)
	}
	end := time.Date(2026, 4, 30, 16, 0, 0, 0, calendar.Shanghai)
	e.Clock.Set(end.Add(-7 * time.Hour))
	a := e.Actor(t, rep)
	inc, err := e.App.Incidents.CreateIncident(ctx, a, incident.IncidentInput{OrgID: e.Orgs["water"].ID, Title: "自来水公司调度系统遭勒索病毒攻击",
		Category: "IAI", SystemIDs: []int64{sys.ID}, OccurredAt: e.Clock.Now().Add(-10 * time.Minute), DiscoveredAt: e.Clock.Now(),
		Facts: plan.Facts{"social_impact": "serious", "defacement_homepage_minutes": 40.0}})
	if err != nil {
		t.Fatal(err)
	}
	c := map[string]string{}
	for _, id := range []string{"unit_and_system", "event_details", "development", "preliminary_cause", "tracing_leads",
		"further_measures", "scene_protection", "other", "occurred_time", "unit", "people_affected_text", "expected_loss",
		"system_overview", "department", "system_name", "protection_level", "grade", "category", "occurred_at", "ended_at",
		"description", "scope", "measures", "result", "reporting_unit", "reporter", "phone"} {
		c[id] = "内容:" + id
	}
	if _, err := e.App.Incidents.SubmitReport(ctx, a, inc.ID, incident.ReportInput{Kind: fenghuo.ReportInitial, Content: c,
		Signer: "张经理", ReporterName: "李工", ReporterPhone: "0477-7580000"}); err != nil {
		t.Fatal(err)
	}
	// The response starts and ends as the plan says (response capability).
	if _, err := e.App.Response.Act(ctx, e.Actor(t, duty), inc.ID, response.Input{Action: response.ActionActivate, Level: inc.Grade,
		Approval: "甲网信委〔2026〕1号", Commander: "赵指挥", Phone: "0477-1234567", Reason: "启动应急响应"}); err != nil {
		t.Fatal(err)
	}
	e.Clock.Set(end)
	if _, err := e.App.Response.Act(ctx, e.Actor(t, duty), inc.ID, response.Input{Action: response.ActionEnd, Approval: "甲网信委〔2026〕2号",
		Situation: "系统已恢复", Reason: "处置完毕"}); err != nil {
		t.Fatal(err)
	}
	if inc, err = e.App.Incidents.Incident(ctx, e.Actor(t, duty), inc.ID); err != nil {
		t.Fatal(err)
	}
	e.Clock.Set(end.Add(24 * time.Hour))
	return inc
}

// The investigation report through the console, as the people who write
// and approve it: the deadlines are shown as countdowns to the plan's
// dates; the author drafts and submits; the unit's head approves; the
// water authority's return without a note keeps the page with the
// message, with a note sends it back; the author writes version 2; the
// three steps approve; DOCX and PDF are offered; a measure is added and
// the county records an accountability decision.
func TestChromiumDocuments(t *testing.T) {
	chromium := apptest.Chromium(t)
	e, srv := console(t)
	inc := docScenario(t, e)
	page := srv.URL + "/incidents/" + itoa(inc.ID) + "/documents"
	s := browsertest.NewSession(t, chromium, srv.URL, 1280, 1000, 180*time.Second)
	as := func(user string) {
		if loc := s.Location(); strings.HasPrefix(loc, srv.URL) && !strings.Contains(loc, "/login") {
			s.Do(browsertest.ClickAndLoad(`form[action="/logout"] button`), chromedp.WaitVisible(`#username`))
		}
		s.LogIn(user, apptest.Password)
		s.Do(chromedp.Navigate(page), chromedp.WaitVisible(`#doc-investigation`))
	}
	as("water-rep")
	if got := s.Text("#due-investigation"); !strings.Contains(got, "2026-05-30 24:00") {
		t.Errorf("investigation due: %q", got)
	}
	if got := s.Text("#due-summary"); !strings.Contains(got, "2026-06-01 24:00") {
		t.Errorf("summary due (20 working days across the 9 May 调休 Saturday): %q", got)
	}
	if got := s.Text("#chain-investigation"); !strings.Contains(got, "甲县水利局") || strings.Contains(got, "甲县教育局") || !strings.Contains(got, "甲县委网信办") {
		t.Errorf("chain: %q", got)
	}
	if got := s.Text("#state-investigation"); got != "未起草" {
		t.Errorf("state before drafting: %q", got)
	}
	for _, k := range fenghuo.AftermathSections(fenghuo.DocInvestigation) {
		s.Do(chromedp.SendKeys(`#investigation-`+k, "调查:"+k))
	}
	s.Do(browsertest.ClickAndLoad(`#save-investigation`), chromedp.WaitVisible(`#submit-investigation`))
	if got := s.Text("#state-investigation"); got != "草稿" {
		t.Errorf("after saving: %q", got)
	}
	s.Do(browsertest.ClickAndLoad(`#submit-investigation`), chromedp.WaitVisible(`#versions-investigation`))
	s.WaitText("#state-investigation", "审批中", 30*time.Second)

	as("water-head")
	s.Do(browsertest.ClickAndLoad(`#approve-investigation`), chromedp.WaitVisible(`#doc-investigation`))
	as("water-bureau")
	s.Do(browsertest.ClickAndLoad(`#return-investigation`), chromedp.WaitVisible(`.field-error`))
	if got := s.Text(".field-error"); !strings.Contains(got, "请说明") {
		t.Errorf("return without a note: %q", got)
	}
	s.Do(chromedp.SendKeys(`#note-investigation`, "责任认定不清"), browsertest.ClickAndLoad(`#return-investigation`), chromedp.WaitVisible(`#doc-investigation`))
	s.WaitText("#state-investigation", "已退回", 30*time.Second)
	if got := s.Text("#chain-investigation"); !strings.Contains(got, "责任认定不清") || !strings.Contains(got, "water-bureau") {
		t.Errorf("chain after the return: %q", got)
	}

	as("water-rep")
	s.Do(chromedp.SetValue(`#investigation-responsibility`, "运维外包单位未落实口令策略"), browsertest.ClickAndLoad(`#save-investigation`),
		chromedp.WaitVisible(`#submit-investigation`), browsertest.ClickAndLoad(`#submit-investigation`), chromedp.WaitVisible(`#versions-investigation`))
	if got := s.Text("#versions-investigation"); !strings.Contains(got, "第2版") || !strings.Contains(got, "第1版") {
		t.Errorf("versions: %q", got)
	}
	// A measure for the unit, due in 20 days.
	s.Do(chromedp.Click(`#imp-open`), chromedp.WaitVisible(`#imp-text`), chromedp.SetValue(`#imp-text`, "关闭互联网远程桌面端口"), chromedp.SetValue(`#imp-due`, "2026-05-21"),
		chromedp.Submit(`#imp-text`), chromedp.WaitVisible(`#improvement-list`))
	if got := s.Text("#improvement-list"); !strings.Contains(got, "关闭互联网远程桌面端口") || !strings.Contains(got, "甲县自来水公司") || !strings.Contains(got, "整改中") {
		t.Errorf("measures: %q", got)
	}

	for _, u := range []string{"water-head", "water-bureau", "county-duty"} {
		as(u)
		s.Do(browsertest.ClickAndLoad(`#approve-investigation`), chromedp.WaitVisible(`#doc-investigation`))
	}
	s.WaitText("#state-investigation", "已审批通过", 30*time.Second)
	if got := s.Text("#due-investigation"); !strings.Contains(got, "按时完成") {
		t.Errorf("deadline after approval: %q", got)
	}
	s.Do(chromedp.WaitVisible(`#export-investigation`))
	s.Do(chromedp.Click(`#rec-open`), chromedp.WaitVisible(`#rec-subject`), chromedp.SendKeys(`#rec-subject`, "甲县自来水公司"), chromedp.SendKeys(`#rec-basis`, "001 §5.4.2(1)"),
		chromedp.SendKeys(`#rec-decision`, "约谈主要负责人并通报"), chromedp.Submit(`#rec-subject`), chromedp.WaitVisible(`#record-list`))
	if got := s.Text("#check-list"); !strings.Contains(got, "调查评估报告第2版已审批通过") || !strings.Contains(got, "已有责任追究记录") {
		t.Errorf("三不放过: %q", got)
	}
	body := s.Text("main")
	for _, raw := range []string{"investigation", "approved", "submitted", "recovery_plan", "on_time", "accountability"} {
		if strings.Contains(body, raw) {
			t.Errorf("the page shows the key %q", raw)
		}
	}
}

// The page in both languages without raw keys, the exports over HTTP, and
// a version of another incident is not found.
func TestDocumentsPageAndExport(t *testing.T) {
	e, srv := console(t)
	inc := docScenario(t, e)
	c := browser(t)
	if resp := login(t, c, srv, "water-rep", apptest.Password); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %d", resp.StatusCode)
	}
	base := "/incidents/" + itoa(inc.ID) + "/documents"
	form := url.Values{"kind": {"summary"}}
	for _, k := range fenghuo.AftermathSections(fenghuo.DocSummary) {
		form.Set(k, "总结:"+k)
	}
	form.Set("lessons", "")
	if resp, _ := post(t, c, srv, base+"/save", form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d", resp.StatusCode)
	}
	_, page := get(t, c, srv, base)
	if !strings.Contains(page, "总结:overview") || !strings.Contains(page, "应急总结报告") {
		t.Error("draft text not on the page")
	}
	ov, err := e.App.Aftermath.Documents(context.Background(), e.Actor(t, mustUser(t, e, "water-rep")), inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	doc := ov.Documents[2].Current
	// Submitting the incomplete draft names the section and keeps the page.
	resp, page := post(t, c, srv, base+"/submit", url.Values{"document_id": {itoa(doc.ID)}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(page, "提交前请填写此部分") {
		t.Errorf("incomplete submit: %d", resp.StatusCode)
	}
	for _, f := range []string{"docx", "pdf"} {
		resp, body := get(t, c, srv, base+"/"+itoa(doc.ID)+"/"+f)
		if resp.StatusCode != http.StatusOK || len(body) < 1000 || !strings.Contains(resp.Header.Get("Content-Disposition"), "summary-v1."+f) {
			t.Errorf("%s export: %d %q", f, resp.StatusCode, resp.Header.Get("Content-Disposition"))
		}
	}
	if resp, _ := get(t, c, srv, "/incidents/999/documents/"+itoa(doc.ID)+"/pdf"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("another incident's path: %d", resp.StatusCode)
	}
	for _, lang := range []string{"zh", "en"} {
		post(t, c, srv, "/lang", url.Values{"lang": {lang}, "back": {base}})
		_, page := get(t, c, srv, base)
		for _, key := range []string{"documents.", "doc.kind", "doc.state", "doc.section", "improvement.state"} {
			if strings.Contains(page, key) {
				t.Errorf("%s page shows a key %q", lang, key)
			}
		}
	}
}
