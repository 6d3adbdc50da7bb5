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

// Issue 15's second-factor management in a real browser. The county's
// security administrator, warned on 个人设置 that no recovery codes are
// left, draws a new set with the password and a current code and sees ten
// codes once. Then, for a school's audit administrator who lost the phone,
// the security administrator resets the second factor on the account's page
// after ticking the confirmation: the person's open session ends, and the
// next log-in goes through enrolment with a new QR code.
func TestChromiumRecoveryCodesAndSecondFactorReset(t *testing.T) {
	chromium := apptest.Chromium(t)
	if chromium == "" {
		return
	}
	e, srv := console(t)
	_, adminSecret := e.User(t, "county-sec", "county", fenghuo.RoleSecurityAdmin)
	target, targetSecret := e.User(t, "school-aud", "school", fenghuo.RoleAuditAdmin)
	code := func(secret string) string {
		e.Clock.Advance(30 * time.Second) // each code is accepted once
		c, _ := totp.GenerateCode(secret, e.Clock.Now())
		return c
	}
	logIn := func(s *browsertest.Session, user, secret string) {
		s.Do(chromedp.Navigate(srv.URL+"/login"), chromedp.WaitVisible(`#username`),
			chromedp.SendKeys(`#username`, user), chromedp.SendKeys(`#password`, apptest.Password),
			browsertest.ClickAndLoad(`form button[type=submit]`), chromedp.WaitVisible(`#code`),
			chromedp.SendKeys(`#code`, code(secret)), browsertest.ClickAndLoad(`form button[type=submit]`), chromedp.WaitVisible(`nav.side`))
	}

	// The person who will lose the phone is at work.
	victim := browsertest.NewSession(t, chromium, srv.URL, 1280, 1000, 60*time.Second)
	logIn(victim, "school-aud", targetSecret)

	admin := browsertest.NewSession(t, chromium, srv.URL, 1280, 1000, 60*time.Second)
	logIn(admin, "county-sec", adminSecret)
	admin.Do(chromedp.Navigate(srv.URL+"/profile"), chromedp.WaitVisible(`#recovery-renew`))
	if got := admin.Text("#recovery-low"); !strings.Contains(got, "恢复码只剩0个了") {
		t.Fatalf("warning: %q", got)
	}
	admin.Do(chromedp.SendKeys(`#renew-password`, apptest.Password), chromedp.SendKeys(`#renew-code`, code(adminSecret)),
		browsertest.ClickAndLoad(`#recovery-renew button[type=submit]`), chromedp.WaitVisible(`#recovery-codes`))
	codes, err := chromedp.Run(admin.Ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#recovery-codes li')].map(n => n.textContent.trim())`))
	if err != nil || len(codes) != 10 {
		t.Fatalf("new codes shown: %q %v", codes, err)
	}
	admin.Do(chromedp.Navigate(srv.URL+"/profile"), chromedp.WaitVisible(`#recovery-left`))
	if got := admin.Text("#recovery-left"); !strings.Contains(got, "10") {
		t.Errorf("count after renewing: %q", got)
	}
	warned, err := chromedp.Run(admin.Ctx, chromedp.Evaluate[int](`document.querySelectorAll('#recovery-low, #recovery-codes').length`))
	if err != nil || warned != 0 {
		t.Errorf("after renewing the profile still warns or shows codes: %d %v", warned, err)
	}

	// The reset, confirmed by ticking the box.
	admin.Do(chromedp.Navigate(srv.URL+"/users/"+itoa(target.ID)), chromedp.WaitVisible(`#totp-reset`))
	admin.Do(chromedp.Click(`#totp-reset-confirm`), browsertest.ClickAndLoad(`#totp-reset button[type=submit]`), chromedp.WaitVisible(`.flash.ok`))
	if got := admin.Text(".flash.ok"); !strings.Contains(got, "已重置双因素认证") {
		t.Fatalf("after the reset: %q", got)
	}
	if got := admin.Text("#user-totp"); !strings.Contains(got, "下次登录时须绑定") {
		t.Errorf("account's second factor shown as %q", got)
	}

	// The person's session has ended; the next log-in enrols again.
	victim.Do(chromedp.Navigate(srv.URL+"/incidents"), chromedp.WaitVisible(`#username`))
	victim.Do(chromedp.SendKeys(`#username`, "school-aud"), chromedp.SendKeys(`#password`, apptest.Password),
		browsertest.ClickAndLoad(`form button[type=submit]`), chromedp.WaitVisible(`#totp-secret`))
	if loc := victim.Location(); !strings.Contains(loc, "/login/enroll") {
		t.Fatalf("after the reset the person's log-in is at %s", loc)
	}
	svgs, err := chromedp.Run(victim.Ctx, chromedp.Evaluate[int](`document.querySelectorAll('#totp-qr svg').length`))
	if err != nil || svgs != 1 {
		t.Fatalf("QR code: %d %v", svgs, err)
	}
	secret := strings.TrimSpace(victim.Text("#totp-secret"))
	if secret == targetSecret {
		t.Fatal("enrolment after the reset offers the old secret")
	}
	victim.Do(chromedp.SendKeys(`#code`, code(secret)), browsertest.ClickAndLoad(`form button[type=submit]`), chromedp.WaitVisible(`#recovery-codes`))
}
