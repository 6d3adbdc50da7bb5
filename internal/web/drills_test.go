package web_test

import (
	"context"
	"fmt"
	"html"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"fenghuo/internal/app/drill"
	"fenghuo/internal/apptest"
	"fenghuo/internal/browsertest"
	"fenghuo/internal/calendar"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// The drill pages over HTTP: the school files a drill (a missing result
// keeps what was typed and says why); the county sees it, sees nobody
// listed before 1 December and the hospital after it, records a training,
// reads the score card with its formula in words and exports it as XLSX;
// the other county's school sees none of it.
func TestDrillPages(t *testing.T) {
	e, srv := taskConsole(t)
	e.User(t, "school-rep", "school", fenghuo.RoleUnitReporter)
	e.User(t, "county-analyst", "county", fenghuo.RoleAnalyst)
	e.User(t, "school2-rep", "school2", fenghuo.RoleUnitReporter)
	c := browser(t)
	login(t, c, srv, "school-rep", apptest.Password)
	_, body := get(t, c, srv, "/drills")
	for _, want := range []string{"应急演练与培训宣传", "本单位本年度尚未备案演练", "还剩42天", "演练与培训", "能力考评"} {
		if !strings.Contains(body, want) {
			t.Errorf("unit's page lacks %q", want)
		}
	}
	form := url.Values{"kind": {"tabletop"}, "held_on": {"2026-11-18"}, "title": {"勒索病毒桌面推演"}, "participants": {"信息中心、校办"},
		"headcount": {"9"}, "plan_id": {"wushen-county"}, "scenario": {"教务系统服务器被加密"}, "result": {""}}
	r, body := post(t, c, srv, "/drills", form)
	if r.StatusCode != 400 || !strings.Contains(body, "请填写演练总结") || !strings.Contains(body, "教务系统服务器被加密") {
		t.Fatalf("missing result: %d %.300s", r.StatusCode, body)
	}
	form.Set("result", "30分钟内完成初报")
	if r, _ := post(t, c, srv, "/drills", form); r.StatusCode != 303 {
		t.Fatalf("file drill: %d", r.StatusCode)
	}
	_, body = get(t, c, srv, "/drills")
	for _, want := range []string{"本单位本年度已备案演练", "勒索病毒桌面推演", "桌面推演", "乌审旗", "30分钟内完成初报"} {
		if !strings.Contains(body, want) {
			t.Errorf("after filing, page lacks %q", want)
		}
	}

	o := browser(t)
	login(t, o, srv, "county-analyst", apptest.Password)
	_, body = get(t, o, srv, "/drills")
	for _, want := range []string{"本年度未演练的单位", "自2026-12-01 00:00起列出未演练单位", "勒索病毒桌面推演", "甲县第一中学"} {
		if !strings.Contains(body, want) {
			t.Errorf("office's page lacks %q", want)
		}
	}
	r, _ = post(t, o, srv, "/drills/activities", url.Values{"org_id": {fmt.Sprint(e.Orgs["county"].ID)}, "category": {"training"},
		"held_on": {"2026-11-19"}, "kind": {"专业技术培训"}, "audience": {"各单位网络安全负责人"}, "count": {"35"}, "summary": {"事件分析处置"}})
	if r.StatusCode != 303 {
		t.Fatalf("activity: %d", r.StatusCode)
	}
	e.Clock.Set(time.Date(2026, 12, 2, 9, 0, 0, 0, calendar.Shanghai))
	o = browser(t) // the session ended with the days that passed
	login(t, o, srv, "county-analyst", apptest.Password)
	_, body = get(t, o, srv, "/drills")
	for _, want := range []string{`data-org="` + fmt.Sprint(e.Orgs["hospital"].ID) + `">甲县人民医院`, "专业技术培训", "培训", "35"} {
		if !strings.Contains(body, want) {
			t.Errorf("office's page in December lacks %q", want)
		}
	}
	if strings.Contains(body, `data-org="`+fmt.Sprint(e.Orgs["school"].ID)+`"`) {
		t.Error("the school is listed though it drilled")
	}
	_, body = get(t, o, srv, "/capability")
	body = html.UnescapeString(body)
	for _, want := range []string{"应急能力考评", "得分 = （30×按时报告率 + 20×年度演练 + 20×预警按时确认率 + 15×日报按时率 + 15×隐患按期整改率） ÷ 100 × 100",
		"甲县第一中学", "100.0", "甲县人民医院", "无数据", "导出考评表"} {
		if !strings.Contains(body, want) {
			t.Errorf("score card lacks %q", want)
		}
	}
	for _, key := range []string{"drill_done", "reporting_on_time", "tabletop", "capability."} {
		if strings.Contains(stripTags(body), key) {
			t.Errorf("score card shows the key %q", key)
		}
	}
	r, body = get(t, o, srv, "/capability.xlsx")
	if r.StatusCode != 200 || !strings.HasPrefix(body, "PK") {
		t.Errorf("xlsx: %d", r.StatusCode)
	}
	r, body = post(t, o, srv, "/capability/config", url.Values{"w_drill_done": {"0"}, "w_reporting_on_time": {"0"},
		"w_warnings_on_time": {"0"}, "w_daily_on_time": {"0"}, "w_findings_cleared": {"0"}, "listing_month": {"12"}, "listing_day": {"1"}})
	if r.StatusCode != 400 || !strings.Contains(body, "至少一项权重大于0") {
		t.Errorf("all-zero weights: %d", r.StatusCode)
	}
	// English.
	post(t, o, srv, "/lang", url.Values{"lang": {"en"}, "back": {"/capability"}})
	_, body = get(t, o, srv, "/capability")
	for _, want := range []string{"Emergency capability evaluation", "drill held", "reports on time", "no data", "Capability"} {
		if !strings.Contains(body, want) {
			t.Errorf("English score card lacks %q", want)
		}
	}
	// The other county sees none of it.
	c2 := browser(t)
	login(t, c2, srv, "school2-rep", apptest.Password)
	if _, body := get(t, c2, srv, "/drills"); !strings.Contains(body, "本单位本年度尚未备案演练") ||
		strings.Contains(body, "勒索病毒桌面推演") || strings.Contains(body, "各单位网络安全负责人") {
		t.Errorf("sibling's page: %.2000s", stripTags(body))
	}
}

// The drill form in a real Chromium: the school files its drill with the
// written summary attached through the primary action, and the drill is
// listed with its file and stored with its SM3 digest.
func TestChromiumDrill(t *testing.T) {
	chromium := apptest.Chromium(t)
	e, srv := taskConsole(t)
	e.User(t, "school-rep", "school", fenghuo.RoleUnitReporter)
	file := filepath.Join(t.TempDir(), "演练总结.txt")
	if err := os.WriteFile(file, []byte("演练总结：30分钟内完成初报，备份恢复流程需明确负责人。\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	b := browsertest.NewSession(t, chromium, srv.URL, 1280, 1000, 150*time.Second)
	b.LogIn("school-rep", apptest.Password)
	b.Do(chromedp.Navigate(srv.URL+"/drills"), chromedp.WaitVisible(`#drill-form`))
	if n := b.Text(`#drill-form .primary-action`); n != "提交备案" {
		t.Errorf("primary action %q", n)
	}
	if cd := b.Text(`#drill-deadline`); !strings.Contains(cd, "还剩42天") {
		t.Errorf("countdown %q", cd)
	}
	b.Do(chromedp.SetValue(`#df-date`, "2026-11-18"),
		chromedp.SendKeys(`#df-title`, "勒索病毒桌面推演"), chromedp.SendKeys(`#df-participants`, "信息中心、校办"),
		chromedp.SendKeys(`#df-headcount`, "9"), chromedp.SendKeys(`#df-scenario`, "教务系统服务器被加密"),
		chromedp.SendKeys(`#df-result`, "30分钟内完成初报"), chromedp.SetUploadFiles(`#df-file`, []string{file}),
		browsertest.ClickAndLoad(`#drill-submit`), chromedp.WaitVisible(`#drill-list`))
	if row := b.Text(`#drill-list`); !strings.Contains(row, "勒索病毒桌面推演") || !strings.Contains(row, "下载总结（演练总结.txt）") {
		t.Errorf("drill row: %q", row)
	}
	if own := b.Text(`#drill-own`); !strings.Contains(own, "已备案") {
		t.Errorf("own state: %q", own)
	}
	ds, err := e.App.Drills.Drills(context.Background(), e.Actor(t, mustUser(t, e, "school-rep")), 2026, store.Page{})
	if err != nil || ds.Total != 1 || ds.Items[0].File.SM3 == "" {
		t.Fatalf("stored drill: %+v %v", ds, err)
	}
}

// A drill filed through the API as held at 00:00 Beijing time (the day
// before in UTC) is listed on its day, not the day before.
func TestDrillDateInBeijingTime(t *testing.T) {
	e, srv := taskConsole(t)
	rep, _ := e.User(t, "school-rep", "school", fenghuo.RoleUnitReporter)
	if _, err := e.App.Drills.RecordDrill(context.Background(), e.Actor(t, rep), drill.DrillInput{Kind: fenghuo.DrillTabletop,
		HeldOn: time.Date(2026, 11, 18, 0, 0, 0, 0, calendar.Shanghai), Title: "勒索病毒桌面推演", Participants: "信息中心",
		Headcount: 9, PlanID: "wushen-county", Scenario: "教务系统服务器被加密", Result: "30分钟内完成初报"}); err != nil {
		t.Fatal(err)
	}
	c := browser(t)
	login(t, c, srv, "school-rep", apptest.Password)
	if _, body := get(t, c, srv, "/drills"); !strings.Contains(body, "<td>2026-11-18</td>") || strings.Contains(body, "2026-11-17") {
		t.Errorf("the drill's date: %.1500s", body[strings.Index(body, `id="drill-list"`):])
	}
}
