package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"fenghuo/internal/apptest"
	"fenghuo/internal/browsertest"
	"fenghuo/internal/fenghuo"
)

// The issue-12 risk notice in a real Chromium: the county office fills the
// form, previews who it reaches (the school running WebLogic 12.2.1.4, not
// the hospital on 14.1.1 nor a Tomcat), issues it; the school, on a
// phone-sized screen, answers "affected" with the one button of its page;
// the county's board counts the answer and its finding.
func TestChromiumRiskNotice(t *testing.T) {
	chromium := apptest.Chromium(t)
	e, srv := console(t)
	ctx := context.Background()
	for key, c := range map[string]fenghuo.Component{"school": {Name: "Oracle WebLogic Server", Version: "12.2.1.4"},
		"hospital": {Name: "WebLogic Server", Version: "14.1.1.0"}} {
		if err := e.DB.CreateSystem(ctx, &fenghuo.System{OrgID: e.Orgs[key].ID, Name: "业务系统",
			Components: []fenghuo.Component{c, {Name: "Apache Tomcat", Version: "12.2.1.3"}}}); err != nil {
			t.Fatal(err)
		}
	}
	e.User(t, "county-boss", "county", fenghuo.RoleCommander)
	e.User(t, "school-rep", "school", fenghuo.RoleUnitReporter)

	county := browsertest.NewSession(t, chromium, srv.URL, 1280, 1000, 150*time.Second)
	county.LogIn("county-boss", apptest.Password)
	county.Do(chromedp.Navigate(srv.URL+"/risk-notices"), chromedp.WaitVisible(`#risk-form`),
		chromedp.SendKeys(`#title`, "WebLogic 远程代码执行漏洞"), chromedp.SendKeys(`#product`, "WebLogic Server"),
		chromedp.SendKeys(`#ranges`, "12.2.1.3 - 12.2.1.4"), chromedp.SendKeys(`#ref_ids`, "CVE-2020-14882"),
		chromedp.SendKeys(`#description`, "攻击者可经T3协议远程执行代码。"), chromedp.SendKeys(`#measures`, "安装补丁并关闭T3协议"),
		browsertest.ClickAndLoad(`#risk-preview`), chromedp.WaitVisible(`#preview`))
	if got := county.Text("#preview"); !strings.Contains(got, "甲县第一中学") || strings.Contains(got, "甲县人民医院") || !strings.Contains(got, "12.2.1.4") {
		t.Fatalf("preview: %q", got)
	}
	if days, err := chromedp.Run(county.Ctx, chromedp.Value(`#rectify_days`)); err != nil || days != "7" {
		t.Errorf("rectification days: %q %v, want the default 7", days, err)
	}
	county.Do(browsertest.ClickAndLoad(`#risk-issue`), chromedp.WaitVisible(`#board`))
	if got := county.Text("#targets"); !strings.Contains(got, "甲县第一中学") || strings.Contains(got, "甲县人民医院") {
		t.Fatalf("targets: %q", got)
	}
	if got := county.Text("#risk-due"); got == "" {
		t.Error("no countdown to the deadline")
	}
	noticeURL := county.Location()

	school := browsertest.NewSession(t, chromium, srv.URL, 390, 844, 150*time.Second)
	school.LogIn("school-rep", apptest.Password)
	school.Do(chromedp.Navigate(noticeURL), chromedp.WaitVisible(`#answer-form button`))
	if got := school.Text("#answer-form"); !strings.Contains(got, "Oracle WebLogic Server 12.2.1.4") {
		t.Errorf("the school is not told why: %q", got)
	}
	school.Do(browsertest.ClickAndLoad(`#answer-form button`), chromedp.WaitVisible(`#board`))
	if got := school.Text(`#targets tr[data-answer="affected"]`); !strings.Contains(got, "受影响") {
		t.Errorf("school row after answering: %q", got)
	}
	county.Do(chromedp.Navigate(noticeURL), chromedp.WaitVisible(`#board`))
	if a, f := county.Text("#count-affected"), county.Text("#count-findings_open"); a != "1" || f != "1" {
		t.Errorf("board: affected %q, findings %q", a, f)
	}
}
