package web_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/pquerna/otp/totp"

	"fenghuo/internal/apptest"
	"fenghuo/internal/browsertest"
	"fenghuo/internal/fenghuo"
)

// Issue 15 item 2's acceptance, in a real browser: the city's system
// administrator turns on "TOTP for every account" for the county on its
// console page; a school teacher's next log-in is taken through enrolment,
// with a QR code the server drew (inline SVG, no external service), and
// ends with ten recovery codes shown once; after logging out, one of them
// logs the teacher in instead of the authenticator's code, and the same
// code is refused the second time.
func TestChromiumTOTPPolicyAndRecoveryCode(t *testing.T) {
	chromium := apptest.Chromium(t)
	if chromium == "" {
		return
	}
	e, srv := console(t)
	_, adminSecret := e.User(t, "city-sys", "city", fenghuo.RoleSystemAdmin)
	e.User(t, "teacher", "school", fenghuo.RoleUnitReporter)
	county := itoa(e.Orgs["county"].ID)

	admin := browsertest.NewSession(t, chromium, srv.URL, 1280, 1000, 60*time.Second)
	code, _ := totp.GenerateCode(adminSecret, e.Clock.Now())
	admin.Do(chromedp.Navigate(srv.URL+"/login"), chromedp.WaitVisible(`#username`),
		chromedp.SendKeys(`#username`, "city-sys"), chromedp.SendKeys(`#password`, apptest.Password),
		browsertest.ClickAndLoad(`form button[type=submit]`), chromedp.WaitVisible(`#code`),
		chromedp.SendKeys(`#code`, code), browsertest.ClickAndLoad(`form button[type=submit]`), chromedp.WaitVisible(`nav.side`))
	admin.Do(chromedp.Navigate(srv.URL+"/orgs/"+county), chromedp.WaitVisible(`#totp-policy`))
	if got := admin.Text("#totp-policy"); !strings.Contains(got, "仅管理员账号必须启用") {
		t.Fatalf("policy before: %q", got)
	}
	admin.Do(browsertest.ClickAndLoad(`#totp-policy-on`), chromedp.WaitVisible(`#totp-policy-off`))
	if got := admin.Text("#totp-policy"); !strings.Contains(got, "所有账号必须启用") {
		t.Fatalf("policy after: %q", got)
	}
	// The school, below the county, shows it as inherited.
	admin.Do(chromedp.Navigate(srv.URL+"/orgs/"+itoa(e.Orgs["school"].ID)), chromedp.WaitVisible(`#totp-policy`))
	if got := admin.Text("#totp-policy"); !strings.Contains(got, "由上级机构设定") {
		t.Errorf("school's policy: %q", got)
	}

	// The teacher's next log-in goes through enrolment first.
	b := browsertest.NewSession(t, chromium, srv.URL, 1280, 1000, 60*time.Second)
	b.Do(chromedp.Navigate(srv.URL+"/login"), chromedp.WaitVisible(`#username`),
		chromedp.SendKeys(`#username`, "teacher"), chromedp.SendKeys(`#password`, apptest.Password),
		browsertest.ClickAndLoad(`form button[type=submit]`), chromedp.WaitVisible(`#totp-secret`))
	if loc := b.Location(); !strings.Contains(loc, "/login/enroll") {
		t.Fatalf("after the password the teacher is at %s", loc)
	}
	svgs, err1 := chromedp.Run(b.Ctx, chromedp.Evaluate[int](`document.querySelectorAll('#totp-qr svg').length`))
	external, err2 := chromedp.Run(b.Ctx, chromedp.Evaluate[int](`document.querySelectorAll('#totp-qr img, #totp-qr [src], #totp-qr [href]').length`))
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	if svgs != 1 || external != 0 {
		t.Fatalf("QR code: %d inline SVGs, %d external references", svgs, external)
	}
	// Nothing else is reachable before enrolling.
	b.Do(chromedp.Navigate(srv.URL+"/incidents"), chromedp.WaitVisible(`body`))
	if loc := b.Location(); !strings.Contains(loc, "/login") {
		t.Fatalf("an unenrolled account reached %s", loc)
	}
	b.Do(chromedp.Navigate(srv.URL+"/login/enroll"), chromedp.WaitVisible(`#totp-secret`))
	secret := strings.TrimSpace(b.Text("#totp-secret"))
	code, _ = totp.GenerateCode(secret, e.Clock.Now())
	b.Do(chromedp.SendKeys(`#code`, code), browsertest.ClickAndLoad(`form button[type=submit]`), chromedp.WaitVisible(`#recovery-codes`))
	codes, err := chromedp.Run(b.Ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#recovery-codes li')].map(n => n.textContent.trim())`))
	if err != nil || len(codes) != 10 {
		t.Fatalf("recovery codes shown: %q", codes)
	}
	b.Do(browsertest.ClickAndLoad(`#recovery-continue`), chromedp.WaitVisible(`nav.side`))
	b.Do(chromedp.Navigate(srv.URL+"/profile"), chromedp.WaitVisible(`#recovery-left`))
	if got := b.Text("#recovery-left"); !strings.Contains(got, "10") {
		t.Errorf("profile: %q", got)
	}

	// Log out; a recovery code logs in once.
	logInWith := func(second string) {
		b.Do(browsertest.ClickAndLoad(`form[action="/logout"] button`), chromedp.WaitVisible(`#username`),
			chromedp.SendKeys(`#username`, "teacher"), chromedp.SendKeys(`#password`, apptest.Password),
			browsertest.ClickAndLoad(`form button[type=submit]`), chromedp.WaitVisible(`#code`),
			chromedp.SendKeys(`#code`, second), browsertest.ClickAndLoad(`form button[type=submit]`))
	}
	logInWith(codes[0])
	b.Do(chromedp.WaitVisible(`nav.side`))
	b.Do(chromedp.Navigate(srv.URL+"/profile"), chromedp.WaitVisible(`#recovery-left`))
	if got := b.Text("#recovery-left"); !strings.Contains(got, "9") {
		t.Errorf("profile after one use: %q", got)
	}
	logInWith(codes[0])
	b.Do(chromedp.WaitVisible(`.flash.error`))
	if got := b.Text(".flash.error"); !strings.Contains(got, "已使用") && !strings.Contains(got, "already used") {
		t.Errorf("a used recovery code: %q", got)
	}
	if loc := b.Location(); !strings.Contains(loc, "/login/totp") {
		t.Errorf("after a used recovery code the teacher is at %s", loc)
	}
}
