package web_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"fenghuo/internal/apptest"
	"fenghuo/internal/browsertest"
	"fenghuo/internal/calendar"
	"fenghuo/internal/fenghuo"
)

// The issue-5 scenarios in a real Chromium. Warning: the county office
// issues an orange warning to the units running WebLogic from the form;
// the school (which runs it) acknowledges on its page and the county's open
// page shows the acknowledgement arrive without a reload. Daily board: the
// county sets a protection period, the school reports 平安 with one click,
// and after the cut-off the board shows the hospital missing.
func TestChromiumWarningAndDailyBoard(t *testing.T) {
	chromium := apptest.Chromium(t)
	e, srv := console(t)
	webLogicSchool(t, e)
	e.User(t, "county-boss", "county", fenghuo.RoleCommander)
	e.User(t, "school-rep", "school", fenghuo.RoleUnitReporter)
	county := browsertest.NewSession(t, chromium, srv.URL, 1280, 1000, 150*time.Second)
	county.LogIn("county-boss", apptest.Password)
	county.Do(chromedp.Navigate(srv.URL+"/warnings"), chromedp.WaitVisible(`#warning-form`))
	if rules := county.Text("#issuer-rules"); !strings.Contains(rules, "乌审旗网络安全事件应急预案") || !strings.Contains(rules, "测试市委网信办") {
		t.Errorf("the form does not say that red goes to the city: %q", rules)
	}
	// Red is refused with the plan's rule.
	county.Do(chromedp.SetValue(`#color`, "red"), chromedp.SendKeys(`#title`, "WebLogic 远程代码执行漏洞"),
		chromedp.SendKeys(`#component`, "WebLogic"), browsertest.ClickAndLoad(`#warning-form button[value="0"]`), chromedp.WaitVisible(`.field-error`))
	if msg := county.Text(".field-error"); !strings.Contains(msg, "3.3") {
		t.Errorf("refusal: %q", msg)
	}
	county.Do(chromedp.SetValue(`#color`, "orange"), chromedp.SendKeys(`#measures`, "升级补丁 | 24"),
		browsertest.ClickAndLoad(`#warning-form button[value="0"]`), chromedp.WaitVisible(`#targets`))
	if got := county.Text("#targets"); !strings.Contains(got, "甲县第一中学") || strings.Contains(got, "甲县人民医院") {
		t.Fatalf("targets: %q", got)
	}
	warningURL := county.Location()

	school := browsertest.NewSession(t, chromium, srv.URL, 390, 844, 150*time.Second) // a phone-sized screen
	school.LogIn("school-rep", apptest.Password)
	school.Do(chromedp.Navigate(warningURL), chromedp.WaitVisible(`#targets form[action$="/ack"] button`),
		browsertest.ClickAndLoad(`#targets form[action$="/ack"] button`))
	school.WaitText("#targets h2", "1/1", 10*time.Second)
	// The county's page was left open: the acknowledgement arrives live.
	county.WaitText("#targets h2", "1/1", 25*time.Second)

	// The daily board.
	today := e.Clock.Now().In(calendar.Shanghai).Format("2006-01-02")
	county.Do(chromedp.Navigate(srv.URL+"/periods"), chromedp.WaitVisible(`#period-form`),
		chromedp.SendKeys(`#name`, "冬季重要保障期"), chromedp.SetValue(`#first_day`, today), chromedp.SetValue(`#last_day`, "2026-11-30"),
		browsertest.ClickAndLoad(`#period-form button[type=submit]`), chromedp.WaitVisible(`#board`))
	boardURL := county.Location()
	school.Do(chromedp.Navigate(boardURL), chromedp.WaitVisible(`#report-quiet`), browsertest.ClickAndLoad(`#report-quiet`), chromedp.WaitVisible(`#board`))
	county.WaitText("#count-on_time", "1", 25*time.Second)
	if got := county.Text("#count-pending"); got != "1" {
		t.Errorf("pending before the cut-off: %q", got)
	}
	// Past the cut-off the hospital, which did not report, is missing.
	cut, _ := time.ParseInLocation("2006-01-02 15:04", today+" 13:10", calendar.Shanghai)
	e.Clock.Set(cut)
	county.LogIn("county-boss", apptest.Password) // the morning's session has timed out meanwhile
	county.Do(chromedp.Navigate(boardURL), chromedp.WaitVisible(`#board`))
	if got := county.Text("#count-missing"); got != "1" {
		t.Errorf("missing after the cut-off: %q", got)
	}
	if row := county.Text(`#board-rows tr[data-state="missing"]`); !strings.Contains(row, "甲县人民医院") {
		t.Errorf("missing row: %q", row)
	}
}
