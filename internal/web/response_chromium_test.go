package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"fenghuo/internal/app/incident"
	"fenghuo/internal/app/response"
	"fenghuo/internal/apptest"
	"fenghuo/internal/browsertest"
	"fenghuo/internal/fenghuo"
)

// reportedPortal is the defaced-portal incident with its initial report
// filed, so that a response may be asked for.
func reportedPortal(t *testing.T, e *apptest.Env) *fenghuo.Incident {
	t.Helper()
	inc := defacedPortal(t, e)
	fileInitialReport(t, e, inc)
	return inc
}

// fileInitialReport files the school reporter's initial report of inc.
func fileInitialReport(t *testing.T, e *apptest.Env, inc *fenghuo.Incident) {
	t.Helper()
	u, err := e.DB.UserByUsername(context.Background(), "school-rep")
	if err != nil {
		t.Fatal(err)
	}
	content := map[string]string{}
	for _, id := range []string{"unit_and_system", "event_details", "development", "preliminary_cause", "tracing_leads",
		"further_measures", "scene_protection", "other", "occurred_time", "unit", "people_affected_text", "expected_loss",
		"system_overview", "department", "system_name", "protection_level", "grade", "category", "occurred_at", "ended_at",
		"description", "scope", "measures", "result", "reporting_unit", "reporter", "phone"} {
		content[id] = "首页被植入赌博链接"
	}
	if _, err := e.App.Incidents.SubmitReport(context.Background(), e.Actor(t, u), inc.ID, incident.ReportInput{Kind: fenghuo.ReportInitial,
		Content: content, Signer: "张校长", ReporterName: "李老师", ReporterPhone: "0477-7581234"}); err != nil {
		t.Fatal(err)
	}
}

// The response page in Chromium: the school's reporter may only request
// level II, and a hand-made activation is refused on the page with clause
// 4.2.2 naming the county office; the county office activates it (the
// approval the plan asks for is required, what was typed is kept), sees the
// level, the command structure, the switches and its uncovered 24-hour
// duty, and ends it with the end notice.
func TestChromiumResponsePage(t *testing.T) {
	chromium := apptest.Chromium(t)
	e, srv := console(t)
	inc := reportedPortal(t, e)
	e.User(t, "county-duty", "county", fenghuo.RoleDutyOfficer)
	path := srv.URL + "/incidents/" + itoa(inc.ID) + "/response"

	school := browsertest.NewSession(t, chromium, srv.URL, 1280, 1000, 150*time.Second)
	school.LogIn("school-rep", apptest.Password)
	school.Do(chromedp.Navigate(path), chromedp.WaitVisible(`#response-form`))
	if got := school.Text("#response-form h2"); got != "申请启动应急响应" {
		t.Fatalf("school's action %q", got)
	}
	if none := school.Text("#response-none"); !strings.Contains(none, "尚未启动") {
		t.Errorf("no-response text %q", none)
	}
	// A unit posting "activate" gets the plan's refusal on the page.
	school.Do(chromedp.SetValue(`#response-form input[name=action]`, "activate"),
		browsertest.ClickAndLoad(`#response-submit`), chromedp.WaitVisible(`.flash.error`))
	refusal := school.Text(".flash.error")
	for _, want := range []string{"第4.2.2条", "旗委网信办", "启动", "你单位可向其提出建议"} {
		if !strings.Contains(refusal, want) {
			t.Errorf("refusal %q lacks %q", refusal, want)
		}
	}
	school.Do(chromedp.SendKeys(`#reason`, "门户被篡改,影响较大"), browsertest.ClickAndLoad(`#response-submit`), chromedp.WaitVisible(`#response-notice`))
	if st := school.Text("#response-state"); st != "已申请，待决定" {
		t.Errorf("state after the request: %q", st)
	}
	if w := school.Text("#response-waiting"); w != "甲县委网信办" {
		t.Errorf("waiting for %q", w)
	}

	county := browsertest.NewSession(t, chromium, srv.URL, 1280, 1000, 150*time.Second)
	county.LogIn("county-duty", apptest.Password)
	county.Do(chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(`#response-queue`))
	if q := county.Text("#response-queue"); !strings.Contains(q, "学校门户网站首页被篡改") {
		t.Errorf("county's queue: %q", q)
	}
	county.Do(chromedp.Navigate(path), chromedp.WaitVisible(`#response-form`))
	if got := county.Text("#response-form h2"); got != "启动应急响应" {
		t.Fatalf("county's action %q", got)
	}
	county.Do(chromedp.SendKeys(`#commander`, "赵指挥"), browsertest.ClickAndLoad(`#response-submit`), chromedp.WaitVisible(`.field-error`))
	if fe := county.Text(".field-error"); !strings.Contains(fe, "旗委网信委") {
		t.Errorf("approval error %q", fe)
	}
	kept, err := chromedp.Run(county.Ctx, chromedp.Evaluate[string](`document.querySelector('#commander').value`))
	if err != nil || kept != "赵指挥" {
		t.Errorf("typed commander lost: %q", kept)
	}
	county.Do(chromedp.SendKeys(`#approval`, "县网信委会议纪要第3号"), browsertest.ClickAndLoad(`#response-submit`), chromedp.WaitVisible(`#response-notice`))
	if lvl := county.Text("#response-level"); !strings.Contains(lvl, "Ⅱ级响应") || !strings.Contains(lvl, "已启动") {
		t.Errorf("level %q", lvl)
	}
	if h := county.Text("#incident-response"); !strings.Contains(h, "Ⅱ级响应") {
		t.Errorf("header response %q", h)
	}
	for sel, want := range map[string]string{"#response-command": "赵指挥", "#response-switches": "24小时值班",
		"#response-duty": "当前无人值班", "#response-clause": "4.2.2", "#response-activated-by": "甲县委网信办"} {
		if got := county.Text(sel); !strings.Contains(got, want) {
			t.Errorf("%s: %q lacks %q", sel, got, want)
		}
	}
	if got := county.Text("#response-form h2"); got != "结束应急响应" {
		t.Fatalf("county's action in force %q", got)
	}
	county.Do(chromedp.SendKeys(`#approval`, "指挥部批准"), chromedp.SendKeys(`#situation`, "门户已恢复,后门已清除。"),
		browsertest.ClickAndLoad(`#response-submit`), chromedp.WaitVisible(`#notice-docx`))
	if st := county.Text("#response-state"); st != "已结束" {
		t.Errorf("state after the end %q", st)
	}
	if rec := county.Text("#response-recipients"); !strings.Contains(rec, "测试市委网信办") || !strings.Contains(rec, "已送达") {
		t.Errorf("recipients %q", rec)
	}
	if h := county.Text("#response-history"); strings.Count(h, "Ⅱ级响应") != 1 {
		t.Errorf("history %q", h)
	}
}

// The end notice downloads as DOCX and PDF once the response ended; before
// that there is none.
func TestResponseNoticeDownload(t *testing.T) {
	e, srv := console(t)
	inc := reportedPortal(t, e)
	e.User(t, "county-duty", "county", fenghuo.RoleDutyOfficer)
	c := browser(t)
	login(t, c, srv, "county-duty", apptest.Password)
	base := "/incidents/" + itoa(inc.ID) + "/response"
	if r, _ := get(t, c, srv, base+"/notice/pdf"); r.StatusCode != http.StatusNotFound {
		t.Errorf("notice before the end: %d", r.StatusCode)
	}
	r, body := post(t, c, srv, base, url.Values{"action": {"activate"}, "level": {"II"}, "commander": {"赵指挥"}})
	if r.StatusCode != http.StatusBadRequest || !strings.Contains(body, "赵指挥") || !strings.Contains(body, "旗委网信委") {
		t.Fatalf("activation without approval: %d", r.StatusCode)
	}
	for _, form := range []url.Values{
		{"action": {"activate"}, "level": {"II"}, "commander": {"赵指挥"}, "approval": {"会议纪要"}},
		{"action": {"end"}, "approval": {"指挥部批准"}, "situation": {"已恢复"}},
	} {
		if r, _ := post(t, c, srv, base, form); r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), base+"?done=") {
			t.Fatalf("%s: %d %s", form.Get("action"), r.StatusCode, r.Header.Get("Location"))
		}
	}
	for format, magic := range map[string]string{"docx": "PK", "pdf": "%PDF"} {
		r, body := get(t, c, srv, base+"/notice/"+format)
		if r.StatusCode != 200 || !strings.HasPrefix(body, magic) {
			t.Errorf("%s: %d %q", format, r.StatusCode, body[:min(len(body), 8)])
		}
	}
}

// Once the response has ended the page leads with it (level, who activated
// and ended it, the end-notice recipients, the notice's DOCX/PDF) and the
// activation's tasks still open; activating again is only a secondary,
// folded action. Before the end, the end form lists the open tasks.
func TestResponsePageAfterEnd(t *testing.T) {
	e, srv := taskConsole(t)
	inc := ransomwareIncident(t, e)
	fileInitialReport(t, e, inc)
	e.User(t, "county-duty", "county", fenghuo.RoleDutyOfficer)
	c := browser(t)
	login(t, c, srv, "county-duty", apptest.Password)
	base := "/incidents/" + itoa(inc.ID) + "/response"
	if r, body := post(t, c, srv, base, url.Values{"action": {"activate"}, "level": {"II"}, "commander": {"赵指挥"}, "approval": {"会议纪要"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("activate: %d %s", r.StatusCode, pageText(body))
	}
	_, page := get(t, c, srv, base)
	form := section(t, page, `id="response-form"`, `</form>`)
	if !strings.Contains(form, `id="end-open-tasks"`) || !strings.Contains(form, "结束应急响应") {
		t.Fatalf("the end form does not list the open tasks: %s", pageText(form))
	}
	openBefore := strings.Count(form, `href="/incidents/`+itoa(inc.ID)+`/tasks#task-`)
	if r, body := post(t, c, srv, base, url.Values{"action": {"end"}, "approval": {"指挥部批准"}, "situation": {"已恢复"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("end: %d %s", r.StatusCode, pageText(body))
	}
	_, page = get(t, c, srv, base)
	cur := strings.Index(page, `id="response-current"`)
	tasks := strings.Index(page, `id="response-open-tasks"`)
	formAt := strings.Index(page, `id="response-form"`)
	if cur < 0 || tasks < cur {
		t.Fatalf("the ended response and its open tasks do not lead (current %d, tasks %d)", cur, tasks)
	}
	if formAt >= 0 && (formAt < tasks || !strings.Contains(page[:formAt], `<details class="panel" id="response-reactivate"`)) {
		t.Errorf("the activation form leads or is not folded away (form at %d, tasks at %d)", formAt, tasks)
	}
	head := pageText(section(t, page, `id="response-current"`, `</section>`))
	for _, want := range []string{"应急响应已结束", "Ⅱ级响应", "甲县委网信办", "结束时间", "结束通知"} {
		if !strings.Contains(head, want) {
			t.Errorf("the ended response lacks %q: %s", want, head)
		}
	}
	if !strings.Contains(page, `id="notice-docx"`) || !strings.Contains(page, `id="notice-pdf"`) {
		t.Error("no DOCX/PDF of the end notice")
	}
	if r := strings.Index(page, `id="response-recipients"`); r < 0 || r > tasks {
		t.Errorf("the end-notice recipients do not come with the ended response (at %d)", r)
	}
	after := section(t, page, `id="response-open-tasks"`, `</section>`)
	t.Logf("open tasks before the end %d, after %d", openBefore, strings.Count(after, "tasks#task-"))
	if !strings.Contains(after, "响应结束后仍在办理的任务") {
		t.Errorf("open-tasks heading: %s", pageText(after))
	}
	// One source: the page lists exactly the response service's
	// OpenAfterEnd (the playbook tasks still open); the standby tasks were
	// closed as done by the end.
	v, err := e.App.Response.View(context.Background(), e.Actor(t, mustUser(t, e, "county-duty")), inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(v.OpenAfterEnd) == 0 {
		t.Fatal("no playbook task open after the end")
	}
	if n := strings.Count(after, "tasks#task-"); n != len(v.OpenAfterEnd) {
		t.Errorf("the page lists %d tasks still being done, the service %d", n, len(v.OpenAfterEnd))
	}
	for _, tk := range v.OpenAfterEnd {
		if !strings.Contains(after, "tasks#task-"+itoa(tk.ID)+`"`) {
			t.Errorf("open playbook task %s/%s not listed after the end", tk.PlaybookID, tk.StepID)
		}
	}
	all, err := e.DB.IncidentTasks(context.Background(), inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	standby := 0
	for _, tk := range all {
		if strings.HasPrefix(tk.StepID, response.StandbyStep) {
			standby++
			if tk.State != fenghuo.TaskDone || tk.DoneNote != "应急响应结束，解除待命" {
				t.Errorf("standby task after the end: %s %q", tk.State, tk.DoneNote)
			}
			if strings.Contains(after, "tasks#task-"+itoa(tk.ID)+`"`) {
				t.Errorf("the closed standby task %q is listed as still being done", tk.Title)
			}
		}
	}
	if standby == 0 {
		t.Error("level II set no team on standby")
	}
}

// A viewer (read-only) walks every tab of an incident with tasks, a
// response and aftermath documents: each page is offered only what the
// actor may do, so no tab carries a form that changes anything.
func TestViewerIsOfferedNoForms(t *testing.T) {
	e, srv := taskConsole(t)
	inc := ransomwareIncident(t, e)
	fileInitialReport(t, e, inc)
	e.User(t, "county-duty", "county", fenghuo.RoleDutyOfficer)
	e.User(t, "county-viewer", "county", fenghuo.RoleViewer)
	e.User(t, "school-viewer", "school", fenghuo.RoleViewer)
	duty := browser(t)
	login(t, duty, srv, "county-duty", apptest.Password)
	base := "/incidents/" + itoa(inc.ID)
	if r, _ := post(t, duty, srv, base+"/response", url.Values{"action": {"activate"}, "level": {"II"}, "commander": {"赵指挥"}, "approval": {"会议纪要"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("activate: %d", r.StatusCode)
	}
	countyViewer, schoolViewer := browser(t), browser(t)
	login(t, countyViewer, srv, "county-viewer", apptest.Password)
	login(t, schoolViewer, srv, "school-viewer", apptest.Password)
	forms := regexp.MustCompile(`<form[^>]*method="post"[^>]*>`)
	check := func(stage string) {
		for _, viewer := range []*http.Client{countyViewer, schoolViewer} {
			for _, tab := range []string{"", "/reports", "/tasks", "/response", "/timeline", "/evidence", "/documents"} {
				r, body := get(t, viewer, srv, base+tab)
				if r.StatusCode != 200 {
					t.Errorf("%s %s: %d", stage, tab, r.StatusCode)
					continue
				}
				for _, f := range forms.FindAllString(body, -1) {
					if !strings.Contains(f, `action="/lang"`) && !strings.Contains(f, `action="/logout"`) {
						t.Errorf("%s: the viewer is offered %s on %s", stage, f, base+tab)
					}
				}
			}
		}
	}
	check("response in force")
	if r, _ := post(t, duty, srv, base+"/response", url.Values{"action": {"end"}, "approval": {"指挥部批准"}, "situation": {"已恢复"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("end: %d", r.StatusCode)
	}
	check("response ended")
}
