package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"fenghuo/internal/app"
	"fenghuo/internal/app/incident"
	"fenghuo/internal/app/services"
	"fenghuo/internal/apptest"
	"fenghuo/internal/browsertest"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/plan"
	"fenghuo/internal/server"
)

// taskConsole is console with an evidence directory (apptest's app has
// none): a second app over the same database and clock.
func taskConsole(t *testing.T) (*apptest.Env, *httptest.Server) {
	t.Helper()
	e := apptest.New(t)
	cfg := app.DefaultConfig()
	cfg.EvidenceDir = filepath.Join(e.Dir, "evidence")
	e.App = services.New(app.Deps{DB: e.DB, Plans: e.App.Core.Plans(), Calendar: e.App.Core.Calendar(),
		Audit: apptest.TestChain(t), Sealer: e.App.Core.Sealer(), Config: cfg})
	e.App.SetClock(e.Clock.Now)
	h, err := server.NewHandler(e.App, server.HandlerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return e, srv
}

// ransomwareIncident files a grade II ransomware incident (OMI) of the
// school: the county plan's ransomware playbook, which replaces mass-virus.
func ransomwareIncident(t *testing.T, e *apptest.Env) *fenghuo.Incident {
	t.Helper()
	rep, _ := e.User(t, "school-rep", "school", fenghuo.RoleUnitReporter)
	inc, err := e.App.Incidents.CreateIncident(context.Background(), e.Actor(t, rep), incident.IncidentInput{
		OrgID: e.Orgs["school"].ID, Title: "教务服务器被勒索病毒加密", Category: "OMI", DiscoveredAt: e.Clock.Now(),
		Facts: plan.Facts{"social_impact": "serious"}})
	if err != nil || inc.Grade != fenghuo.GradeII {
		t.Fatalf("incident %v grade %v", err, inc)
	}
	return inc
}

// The tasks tab: steps grouped by playbook in words, with owners, due
// countdowns and the evidence asked for; the add form keeps what was typed
// after an error; past 2 h the standby switch shows whom it was escalated
// to; English words in English; a sibling school gets 404.
func TestTasksPage(t *testing.T) {
	e, srv := taskConsole(t)
	inc := ransomwareIncident(t, e)
	e.User(t, "county-duty", "county", fenghuo.RoleDutyOfficer)
	c := browser(t)
	login(t, c, srv, "county-duty", apptest.Password)
	path := "/incidents/" + strconv.FormatInt(inc.ID, 10) + "/tasks"
	r, body := get(t, c, srv, path)
	if r.StatusCode != 200 {
		t.Fatalf("%s: %d %s", path, r.StatusCode, body)
	}
	for _, want := range []string{`aria-current="page">处置任务`, "勒索病毒事件", "修复超过2小时启用备用系统",
		"须上传证据：备用系统启用时间或修复完成时间", `data-due="`, "甲县第一中学", "逾期将告知 甲县委网信办", "开始办理", `id="task-form"`} {
		if !strings.Contains(body, want) {
			t.Errorf("tasks page lacks %q", want)
		}
	}
	for _, key := range []string{"tasks.", "task.state.", "in_progress"} {
		if strings.Contains(body, ">"+key) {
			t.Errorf("the page prints a key %q", key)
		}
	}

	// A due time in the past is refused on the field, the title kept.
	past := e.Clock.Now().Add(-time.Hour).In(time.FixedZone("CST", 8*3600)).Format("2006-01-02T15:04")
	r, body = post(t, c, srv, path, url.Values{"title": {"核查离线备份是否完好"}, "owner_org_id": {strconv.FormatInt(e.Orgs["school"].ID, 10)}, "due_at": {past}})
	if r.StatusCode != http.StatusBadRequest || !strings.Contains(body, `value="核查离线备份是否完好"`) || !strings.Contains(body, "完成时限须晚于当前时间") {
		t.Errorf("past due: %d", r.StatusCode)
	}
	due := e.Clock.Now().Add(3 * time.Hour).In(time.FixedZone("CST", 8*3600)).Format("2006-01-02T15:04")
	if r, _ = post(t, c, srv, path, url.Values{"title": {"核查离线备份是否完好"}, "owner_org_id": {strconv.FormatInt(e.Orgs["school"].ID, 10)}, "due_at": {due}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("add task: %d", r.StatusCode)
	}

	// The school's home page lists its tasks with a due time.
	s := browser(t)
	login(t, s, srv, "school-rep", apptest.Password)
	_, home := get(t, s, srv, "/")
	if mine := section(t, home, `id="my-tasks"`, "</table>"); !strings.Contains(mine, "修复超过2小时启用备用系统") ||
		!strings.Contains(mine, "核查离线备份是否完好") || !strings.Contains(mine, path+"#task-") {
		t.Errorf("my tasks on the home page: %s", mine)
	}

	e.Clock.Advance(2*time.Hour + time.Minute)
	if _, err := e.App.Scheduler.Tick(context.Background()); err != nil {
		t.Fatal(err)
	}
	login(t, c, srv, "county-duty", apptest.Password) // the session went idle
	_, body = get(t, c, srv, path)
	row := section(t, body, `data-step="switch-to-standby"`, "</tr>")
	for _, want := range []string{"已提醒责任单位 甲县第一中学", "逾期已告知 甲县第一中学、甲县委网信办", "已逾期", `countdown overdue`} {
		if !strings.Contains(row, want) {
			t.Errorf("overdue standby switch row lacks %q:\n%s", want, row)
		}
	}
	adhoc := section(t, body, `data-playbook="adhoc"`, "</section>")
	if !strings.Contains(adhoc, "核查离线备份是否完好") || !strings.Contains(adhoc, "临时任务") {
		t.Errorf("ad-hoc group: %s", adhoc)
	}

	post(t, c, srv, "/lang", url.Values{"lang": {"en"}, "back": {path}})
	_, body = get(t, c, srv, path)
	for _, want := range []string{"Switch to the standby system if repair takes over 2 hours", "Ransomware", "Evidence required", "overdue"} {
		if !strings.Contains(body, want) {
			t.Errorf("English tasks page lacks %q", want)
		}
	}

	e.User(t, "other-rep", "school2", fenghuo.RoleUnitReporter)
	o := browser(t)
	login(t, o, srv, "other-rep", apptest.Password)
	if r, _ := get(t, o, srv, path); r.StatusCode != http.StatusNotFound {
		t.Errorf("a sibling school sees the tasks: %d", r.StatusCode)
	}
}

// The tasks tab in a real Chromium: the school starts and finishes a
// playbook step with its one primary action, the countdown to the standby
// switch ticks from the server's clock, and an ad-hoc task added with the
// form appears with its own countdown.
func TestChromiumTasks(t *testing.T) {
	chromium := apptest.Chromium(t)
	e, srv := taskConsole(t)
	inc := ransomwareIncident(t, e)
	b := browsertest.NewSession(t, chromium, srv.URL, 1280, 1000, 150*time.Second)
	b.LogIn("school-rep", apptest.Password)
	path := srv.URL + "/incidents/" + strconv.FormatInt(inc.ID, 10) + "/tasks"
	b.Do(chromedp.Navigate(path), chromedp.WaitVisible(`tr[data-step="do-not-pay"]`))

	time.Sleep(1100 * time.Millisecond) // let the page's script tick once
	if cd := b.Text(`tr[data-step="switch-to-standby"] .countdown`); !strings.HasPrefix(cd, "1:") && !strings.HasPrefix(cd, "2:") {
		t.Errorf("standby switch countdown %q, want under 2 hours", cd)
	}
	row := `tr[data-step="do-not-pay"]`
	if n := b.Text(row + ` .task-actions > form button`); n != "开始办理" {
		t.Errorf("primary action of an open task %q, want 开始办理", n)
	}
	b.Do(browsertest.ClickAndLoad(row+` .task-actions > form button`), chromedp.WaitVisible(row+`[data-state="in_progress"]`))
	if n := b.Text(row + ` .task-actions > form button`); n != "标记完成" {
		t.Errorf("primary action of a task in progress %q, want 标记完成", n)
	}
	b.Do(chromedp.SendKeys(row+` .task-actions > form input[name=note]`, "未与攻击者联系"),
		browsertest.ClickAndLoad(row+` .task-actions > form button`), chromedp.WaitVisible(row+`[data-state="done"]`))
	if s := b.Text(row); !strings.Contains(s, "已完成") || !strings.Contains(s, "未与攻击者联系") {
		t.Errorf("done row: %q", s)
	}
	// A step that asks for evidence offers the upload as its primary action once started.
	sw := `tr[data-step="switch-to-standby"]`
	b.Do(browsertest.ClickAndLoad(sw+` .task-actions > form button`), chromedp.WaitVisible(sw+`[data-state="in_progress"]`))
	if n := b.Text(sw + ` .task-actions > form button`); n != "上传证据" {
		t.Errorf("primary action of a task that needs evidence %q, want 上传证据", n)
	}

	due := e.Clock.Now().Add(3 * time.Hour).In(time.FixedZone("CST", 8*3600)).Format("2006-01-02T15:04")
	b.Do(chromedp.SendKeys(`#task-title`, "核查离线备份是否完好"), chromedp.SetValue(`#task-due`, due),
		browsertest.ClickAndLoad(`#task-form button[type=submit]`), chromedp.WaitVisible(`section[data-playbook="adhoc"]`))
	time.Sleep(1100 * time.Millisecond)
	adhoc := b.Text(`section[data-playbook="adhoc"]`)
	if !strings.Contains(adhoc, "核查离线备份是否完好") || !strings.Contains(adhoc, "甲县第一中学") || !strings.Contains(adhoc, "2:5") {
		t.Errorf("ad-hoc task: %q", adhoc)
	}
}
