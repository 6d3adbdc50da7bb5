package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/pquerna/otp/totp"

	"fenghuo/internal/apptest"
	"fenghuo/internal/browsertest"
	"fenghuo/internal/fenghuo"
)

// Issue 15 item 5's acceptance, in a real browser: the county's duty
// officer sees a unit's liaison mobile masked, clicks 查看完整号码 and sees it
// in full in place; the city's audit administrator finds that view in the
// audit search among the reads (类别：读取).
func TestChromiumContactRevealAudited(t *testing.T) {
	chromium := apptest.Chromium(t)
	if chromium == "" {
		return
	}
	e, srv := console(t)
	school := *e.Orgs["school"]
	school.Liaison = fenghuo.Liaison{Name: "王老师", Mobile: "13800138000"}
	if err := e.DB.UpdateOrg(context.Background(), &school); err != nil {
		t.Fatal(err)
	}
	e.User(t, "duty", "county", fenghuo.RoleDutyOfficer)
	_, audSecret := e.User(t, "aud", "city", fenghuo.RoleAuditAdmin)

	b := browsertest.NewSession(t, chromium, srv.URL, 1280, 1000, 60*time.Second)
	b.Do(chromedp.Navigate(srv.URL+"/login"), chromedp.WaitVisible(`#username`),
		chromedp.SendKeys(`#username`, "duty"), chromedp.SendKeys(`#password`, apptest.Password),
		browsertest.ClickAndLoad(`form button[type=submit]`), chromedp.WaitVisible(`nav.side`))
	b.Do(chromedp.Navigate(srv.URL+"/orgs/"+itoa(school.ID)), chromedp.WaitVisible(`#liaison-mobile`))
	if got := b.Text("#liaison-mobile"); got != "138****8000" {
		t.Fatalf("the liaison's mobile on the page: %q", got)
	}
	b.Do(chromedp.Click(`a[data-reveal]`), chromedp.WaitVisible(`.revealed`))
	if got := b.Text(".revealed"); !strings.Contains(got, "13800138000") {
		t.Fatalf("after 查看完整号码: %q", got)
	}
	if loc := b.Location(); !strings.Contains(loc, "/orgs/") {
		t.Errorf("the reveal left the page for %s", loc)
	}

	a := browsertest.NewSession(t, chromium, srv.URL, 1280, 1000, 60*time.Second)
	code, _ := totp.GenerateCode(audSecret, e.Clock.Now())
	a.Do(chromedp.Navigate(srv.URL+"/login"), chromedp.WaitVisible(`#username`),
		chromedp.SendKeys(`#username`, "aud"), chromedp.SendKeys(`#password`, apptest.Password),
		browsertest.ClickAndLoad(`form button[type=submit]`), chromedp.WaitVisible(`#code`),
		chromedp.SendKeys(`#code`, code), browsertest.ClickAndLoad(`form button[type=submit]`), chromedp.WaitVisible(`nav.side`))
	a.Do(chromedp.Navigate(srv.URL+"/audit?audit_kind=read"), chromedp.WaitVisible(`body`))
	page := a.Text("main")
	if !strings.Contains(page, "查看完整联系方式") || !strings.Contains(page, "duty") || !strings.Contains(page, "读取") {
		t.Fatalf("the audit search of reads does not list the reveal: %.600s", page)
	}
	if strings.Contains(page, "13800138000") {
		t.Error("the audit search shows the number itself")
	}
}
