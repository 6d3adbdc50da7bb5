package web_test

import (
	"context"
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
	do := func(ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		if err := chromedp.Do(sctx, steps...); err != nil {
			body, _ := chromedp.Run(ctx, chromedp.Text("body"))
			t.Fatalf("%v; the page says: %.600s", err, body)
		}
	}
	text := func(ctx context.Context, sel string) string {
		t.Helper()
		sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		s, err := chromedp.Run(sctx, chromedp.Text(sel))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	// waitText polls sel until it contains want (live sections refresh by
	// themselves).
	waitText := func(ctx context.Context, sel, want string, within time.Duration) string {
		t.Helper()
		var got string
		for end := time.Now().Add(within); time.Now().Before(end); time.Sleep(300 * time.Millisecond) {
			// The page may be navigating or replacing the section: retry.
			sctx, cancel := context.WithTimeout(ctx, 2*time.Second)
			s, err := chromedp.Run(sctx, chromedp.Text(sel))
			cancel()
			if got = s; err == nil && strings.Contains(got, want) {
				return got
			}
		}
		t.Fatalf("%s never showed %q; it shows %q", sel, want, got)
		return ""
	}
	logIn := func(ctx context.Context, user string) {
		do(ctx, chromedp.Navigate(srv.URL+"/login"), chromedp.WaitVisible(`#username`),
			chromedp.SendKeys(`#username`, user), chromedp.SendKeys(`#password`, apptest.Password),
			chromedp.Submit(`#password`), chromedp.WaitVisible(`nav.side`))
	}

	county := browsertest.New(t, chromium, 1280, 1000, 150*time.Second)
	logIn(county, "county-boss")
	do(county, chromedp.Navigate(srv.URL+"/warnings"), chromedp.WaitVisible(`#warning-form`))
	if rules := text(county, "#issuer-rules"); !strings.Contains(rules, "wushen-county") || !strings.Contains(rules, "测试市委网信办") {
		t.Errorf("the form does not say that red goes to the city: %q", rules)
	}
	// Red is refused with the plan's rule.
	do(county, chromedp.SetValue(`#color`, "red"), chromedp.SendKeys(`#title`, "WebLogic 远程代码执行漏洞"),
		chromedp.SendKeys(`#component`, "WebLogic"), chromedp.Click(`#warning-form button[value="0"]`), chromedp.WaitVisible(`.field-error`))
	if msg := text(county, ".field-error"); !strings.Contains(msg, "3.3") {
		t.Errorf("refusal: %q", msg)
	}
	do(county, chromedp.SetValue(`#color`, "orange"), chromedp.SendKeys(`#measures`, "升级补丁 | 24"),
		chromedp.Click(`#warning-form button[value="0"]`), chromedp.WaitVisible(`#targets`))
	if got := text(county, "#targets"); !strings.Contains(got, "甲县第一中学") || strings.Contains(got, "甲县人民医院") {
		t.Fatalf("targets: %q", got)
	}
	warningURL, err := chromedp.Run(county, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}

	school := browsertest.New(t, chromium, 390, 844, 150*time.Second) // a phone-sized screen
	logIn(school, "school-rep")
	do(school, chromedp.Navigate(warningURL), chromedp.WaitVisible(`#targets form[action$="/ack"] button`),
		chromedp.Click(`#targets form[action$="/ack"] button`))
	waitText(school, "#targets h2", "1/1", 10*time.Second)
	// The county's page was left open: the acknowledgement arrives live.
	waitText(county, "#targets h2", "1/1", 25*time.Second)

	// The daily board.
	today := e.Clock.Now().In(calendar.Shanghai).Format("2006-01-02")
	do(county, chromedp.Navigate(srv.URL+"/periods"), chromedp.WaitVisible(`#period-form`),
		chromedp.SendKeys(`#name`, "冬季重要保障期"), chromedp.SetValue(`#first_day`, today), chromedp.SetValue(`#last_day`, "2026-11-30"),
		chromedp.Click(`#period-form button[type=submit]`), chromedp.WaitVisible(`#board`))
	boardURL, err := chromedp.Run(county, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	do(school, chromedp.Navigate(boardURL), chromedp.WaitVisible(`#report-quiet`), chromedp.Click(`#report-quiet`), chromedp.WaitVisible(`#board`))
	waitText(county, "#count-on_time", "1", 25*time.Second)
	if got := text(county, "#count-pending"); got != "1" {
		t.Errorf("pending before the cut-off: %q", got)
	}
	// Past the cut-off the hospital, which did not report, is missing.
	cut, _ := time.ParseInLocation("2006-01-02 15:04", today+" 13:10", calendar.Shanghai)
	e.Clock.Set(cut)
	logIn(county, "county-boss") // the morning's session has timed out meanwhile
	do(county, chromedp.Navigate(boardURL), chromedp.WaitVisible(`#board`))
	if got := text(county, "#count-missing"); got != "1" {
		t.Errorf("missing after the cut-off: %q", got)
	}
	if row := text(county, `#board-rows tr[data-state="missing"]`); !strings.Contains(row, "甲县人民医院") {
		t.Errorf("missing row: %q", row)
	}
}
