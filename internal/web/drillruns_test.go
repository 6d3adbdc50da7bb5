package web_test

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"fenghuo/internal/apptest"
	"fenghuo/internal/browsertest"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// Drill mode over HTTP: the school starts a drill of the ransomware
// playbook; its tasks are on the drill's page marked 演练 with their
// countdown; the inbox notice is marked 【演练】; a task asking for
// material needs a word on it; the other county's school sees nothing;
// ending closes the open tasks as 演练结束; the summary form quotes the
// timeline and files the drill.
func TestDrillRunPages(t *testing.T) {
	e, srv := taskConsole(t)
	e.User(t, "school-rep", "school", fenghuo.RoleUnitReporter)
	e.User(t, "school-viewer", "school", fenghuo.RoleViewer)
	e.User(t, "school2-rep", "school2", fenghuo.RoleUnitReporter)
	c := browser(t)
	login(t, c, srv, "school-rep", apptest.Password)
	_, body := get(t, c, srv, "/drills")
	if !strings.Contains(body, `href="/drill-runs/new"`) {
		t.Fatalf("no link to drill mode")
	}
	_, body = get(t, c, srv, "/drill-runs/new")
	if !strings.Contains(body, "开始演练") || !strings.Contains(body, "不产生事件、报告义务和逐级上报") {
		t.Fatalf("new run page: %.400s", body)
	}
	form := url.Values{"title": {"勒索病毒实战演练"}, "playbook": {"wushen-county/ransomware"}, "scenario": {""}}
	r, body := post(t, c, srv, "/drill-runs", form)
	if r.StatusCode != 400 || !strings.Contains(body, "请填写演练场景") || !strings.Contains(body, "勒索病毒实战演练") {
		t.Fatalf("missing scenario: %d", r.StatusCode)
	}
	form.Set("scenario", "教务系统服务器被加密")
	r, _ = post(t, c, srv, "/drill-runs", form)
	if r.StatusCode != 303 || !strings.HasPrefix(r.Header.Get("Location"), "/drill-runs/") {
		t.Fatalf("start: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	page := r.Header.Get("Location")
	_, body = get(t, c, srv, page)
	for _, want := range []string{"本页为演练，不是真实事件", "结束演练", "保护现场", "演练中由本单位模拟", `class="countdown`, "演练时间线", "开始演练：勒索病毒实战演练"} {
		if !strings.Contains(body, want) {
			t.Errorf("drill page lacks %q", want)
		}
	}
	if n := strings.Count(body, `class="badge drill-mark"`); n != 9 { // the title and eight tasks
		t.Errorf("%d drill marks", n)
	}
	_, body = get(t, c, srv, "/")
	if !strings.Contains(body, "【演练】演练任务8项：勒索病毒实战演练") || !strings.Contains(body, `id="my-drill-tasks"`) {
		t.Errorf("home lacks the drill notice or the drill tasks")
	}

	ac := e.Actor(t, mustUser(t, e, "school-rep"))
	runs, err := e.App.Drills.Runs(context.Background(), ac, store.Page{Limit: 5})
	if err != nil || runs.Total != 1 {
		t.Fatalf("runs %+v %v", runs, err)
	}
	v, err := e.App.Drills.Run(context.Background(), ac, runs.Items[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	isolate := v.Tasks[0].ID
	r, body = post(t, c, srv, fmt.Sprintf("/drill-tasks/%d/state", isolate), url.Values{"state": {"done"}})
	if r.StatusCode != 400 || !strings.Contains(body, "请说明演练中形成的材料") {
		t.Fatalf("done without a word: %d", r.StatusCode)
	}
	r, _ = post(t, c, srv, fmt.Sprintf("/drill-tasks/%d/state", isolate), url.Values{"state": {"done"}, "note": {"已断网，保留现场"}})
	if r.StatusCode != 303 {
		t.Fatalf("done: %d", r.StatusCode)
	}

	o := browser(t)
	login(t, o, srv, "school2-rep", apptest.Password)
	if r, _ := get(t, o, srv, page); r.StatusCode != 404 {
		t.Errorf("other county sees the drill: %d", r.StatusCode)
	}
	vw := browser(t)
	login(t, vw, srv, "school-viewer", apptest.Password)
	if r, _ := post(t, vw, srv, page+"/end", url.Values{}); r.StatusCode != 403 {
		t.Errorf("viewer ends the drill: %d", r.StatusCode)
	}

	e.Clock.Advance(3 * time.Hour)
	login(t, c, srv, "school-rep", apptest.Password) // the session idled out
	if r, _ := post(t, c, srv, page+"/end", url.Values{}); r.StatusCode != 303 {
		t.Fatalf("end: %d", r.StatusCode)
	}
	_, body = get(t, c, srv, page)
	for _, want := range []string{"已结束", "演练结束", "「" + v.Tasks[0].Title + "」完成", "演练结束时未完成（已超时1小时）", "填报演练总结并备案"} {
		if !strings.Contains(body, want) {
			t.Errorf("ended page lacks %q", want)
		}
	}
	if strings.Contains(body, `id="drillrun-end"`) {
		t.Errorf("end form still shown")
	}
	r, _ = post(t, c, srv, page+"/file", url.Values{"kind": {"live"}, "participants": {"信息中心"}, "headcount": {"6"},
		"result": {"演练时间线已引用"}})
	if r.StatusCode != 303 {
		t.Fatalf("file: %d", r.StatusCode)
	}
	_, body = get(t, c, srv, page)
	if !strings.Contains(body, `id="drillrun-filed"`) {
		t.Fatalf("not filed")
	}
	// In English, with no untranslated key.
	post(t, c, srv, "/lang", url.Values{"lang": {"en"}, "back": {"/"}})
	for p, want := range map[string]string{page: "Do not pay the ransom", "/drill-runs/new": "Start the drill"} {
		r, body := get(t, c, srv, p)
		if r.StatusCode != 200 || !strings.Contains(body, want) {
			t.Errorf("%s in English: %d, lacks %q", p, r.StatusCode, want)
		}
		if m := regexp.MustCompile(`>[a-z]+\.[a-z_.]+<`).FindString(body); m != "" {
			t.Errorf("%s shows an untranslated key %s", p, m)
		}
	}
}

// The drill page in Chromium: start a drill from the drills page (开始演练
// is the one primary action), complete a task with a note, end the drill
// (结束演练) and file the summary that quotes the timeline.
func TestChromiumDrillRun(t *testing.T) {
	chromium := apptest.Chromium(t)
	e, srv := taskConsole(t)
	e.User(t, "school-rep-c", "school", fenghuo.RoleUnitReporter)
	b := browsertest.NewSession(t, chromium, srv.URL, 1280, 1000, 150*time.Second)
	b.LogIn("school-rep-c", apptest.Password)
	b.Do(chromedp.Navigate(srv.URL+"/drills"), chromedp.WaitVisible(`#drill-runs-link a`),
		browsertest.ClickAndLoad(`#drill-runs-link a`), chromedp.WaitVisible(`#drillrun-form`))
	if n := b.Text(`#drillrun-form .primary-action`); n != "开始演练" {
		t.Errorf("primary action %q", n)
	}
	b.Do(chromedp.SendKeys(`#dr-title`, "勒索病毒实战演练"), chromedp.SetValue(`#dr-playbook`, "wushen-county/ransomware"),
		chromedp.SendKeys(`#dr-scenario`, "教务系统服务器被加密"),
		browsertest.ClickAndLoad(`#drillrun-start`), chromedp.WaitVisible(`#drillrun-tasks`))
	if n := b.Text(`.primary-action`); n != "结束演练" {
		t.Errorf("running drill's primary action %q", n)
	}
	first := `#drillrun-tasks tbody tr:first-child`
	if row := b.Text(first); !strings.Contains(row, "演练") || !strings.Contains(row, "待办") {
		t.Errorf("first task: %q", row)
	}
	b.Do(chromedp.SendKeys(first+` .dtask-note`, "已断网，保留现场"),
		browsertest.ClickAndLoad(first+` .dtask-done`), chromedp.WaitVisible(`#drillrun-tasks`))
	if row := b.WaitText(first, "已完成", 10*time.Second); !strings.Contains(row, "已断网，保留现场") {
		t.Errorf("done task: %q", row)
	}
	b.Do(browsertest.ClickAndLoad(`#drillrun-end-button`), chromedp.WaitVisible(`#drillrun-file`))
	if st := b.Text(`#drillrun-state`); !strings.Contains(st, "已结束") {
		t.Errorf("state %q", st)
	}
	if row := b.Text(`#drillrun-tasks tbody tr:nth-child(2)`); !strings.Contains(row, "演练结束") {
		t.Errorf("second task after the end: %q", row)
	}
	quoted, err := chromedp.Run(b.Ctx, chromedp.Value(`#drf-result`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(quoted, "开始演练：勒索病毒实战演练") || !strings.Contains(quoted, "结束演练") {
		t.Errorf("summary does not quote the timeline: %q", quoted)
	}
	b.Do(chromedp.SendKeys(`#drf-participants`, "信息中心、校办"), chromedp.SendKeys(`#drf-headcount`, "8"),
		browsertest.ClickAndLoad(`#drillrun-file-button`), chromedp.WaitVisible(`#drillrun-filed`))
}
