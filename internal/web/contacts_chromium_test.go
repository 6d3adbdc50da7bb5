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

// The org edit form in a real browser: the commander sees the contacts
// masked in their fields (the e-mail field accepts its mask), 查看完整号码
// beside them shows them in full in place, and saving the form with only
// the address changed keeps the stored mobile and mailbox.
func TestChromiumOrgEditFormKeepsMaskedContacts(t *testing.T) {
	chromium := apptest.Chromium(t)
	if chromium == "" {
		return
	}
	e, srv := console(t)
	ctx := context.Background()
	school := *e.Orgs["school"]
	school.Liaison = fenghuo.Liaison{Name: "王老师", Mobile: "13800138000"}
	school.ReportEmail = "cert@school.example.cn"
	if err := e.DB.UpdateOrg(ctx, &school); err != nil {
		t.Fatal(err)
	}
	e.User(t, "boss", "county", fenghuo.RoleCommander)

	b := browsertest.NewSession(t, chromium, srv.URL, 1280, 1000, 60*time.Second)
	b.LogIn("boss", apptest.Password)
	b.Do(chromedp.Navigate(srv.URL+"/orgs/"+itoa(school.ID)+"/edit"), chromedp.WaitVisible(`#liaison_mobile`))
	value := func(sel string) string {
		t.Helper()
		v, err := chromedp.Run(b.Ctx, chromedp.Value(sel))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if m, r := value(`#liaison_mobile`), value(`#report_email`); m != "138****8000" || r != "c***@school.example.cn" {
		t.Fatalf("the form's fields: mobile %q, mailbox %q", m, r)
	}
	b.Do(chromedp.Click(`#contacts-masked a[data-reveal]`), chromedp.WaitVisible(`#contacts-masked .revealed`))
	if got := b.Text(`#contacts-masked .revealed`); !strings.Contains(got, "13800138000") || !strings.Contains(got, "cert@school.example.cn") {
		t.Fatalf("after 查看完整号码 in the form: %q", got)
	}
	b.Do(chromedp.SetValue(`#address`, "乌审旗新区"), browsertest.ClickAndLoad(`form.panel button[type=submit]`))
	if loc := b.Location(); !strings.Contains(loc, "/orgs/"+itoa(school.ID)+"?saved=1") {
		t.Fatalf("saving the form went to %s; the page says %.300s", loc, b.Text("main"))
	}
	got, err := e.DB.Org(ctx, school.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Address != "乌审旗新区" || got.Liaison.Mobile != "13800138000" || got.ReportEmail != "cert@school.example.cn" {
		t.Errorf("after saving: address %q, mobile %q, mailbox %q", got.Address, got.Liaison.Mobile, got.ReportEmail)
	}
}
