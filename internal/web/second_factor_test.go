package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

var shownCodes = regexp.MustCompile(`<li class="mono">([0-9a-z-]+)</li>`)

// From 个人设置 a person draws a new set of recovery codes with the
// password and a current code: the new set is shown once, the old one
// stops working, and the page warns when two or fewer codes are left.
func TestProfileRenewsRecoveryCodes(t *testing.T) {
	e, srv := console(t)
	_, secret := e.User(t, "county-sec", "county", fenghuo.RoleSecurityAdmin)
	c := browser(t)
	loginTOTP(t, c, srv, e, "county-sec", secret)
	_, page := get(t, c, srv, "/profile")
	// Enrolled before recovery codes existed: none left, and a warning.
	if !strings.Contains(page, "剩余恢复码：0个") || !strings.Contains(page, `id="recovery-low"`) || !strings.Contains(page, `action="/profile/recovery-codes"`) {
		t.Fatalf("profile before:\n%.4000s", page)
	}

	resp, page := post(t, c, srv, "/profile/recovery-codes", url.Values{"password": {"not my password"}, "code": {"12345"}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(page, "密码不正确。") || len(shownCodes.FindAllString(page, -1)) != 0 {
		t.Fatalf("wrong password: %d\n%.4000s", resp.StatusCode, page)
	}
	e.Clock.Advance(30 * time.Second)
	code, _ := totp.GenerateCode(secret, e.Clock.Now())
	resp, page = post(t, c, srv, "/profile/recovery-codes", url.Values{"password": {apptest.Password}, "code": {code}})
	codes := shownCodes.FindAllStringSubmatch(page, -1)
	if resp.StatusCode != http.StatusOK || len(codes) != 10 || resp.Header.Get("Cache-Control") != "no-store" ||
		!strings.Contains(page, "已生成新的恢复码") || !strings.Contains(page, "剩余恢复码：10个") || strings.Contains(page, `id="recovery-low"`) {
		t.Fatalf("renewed: %d %q, %d codes\n%.4000s", resp.StatusCode, resp.Header.Get("Cache-Control"), len(codes), page)
	}
	if _, page := get(t, c, srv, "/profile"); strings.Contains(page, codes[0][1]) {
		t.Fatal("the profile shows the codes again")
	}

	// Used down to two, the profile warns.
	ctx := context.Background()
	u, _ := e.DB.UserByUsername(ctx, "county-sec")
	hashes, _ := e.DB.RecoveryCodeHashes(ctx, u.ID)
	if err := e.DB.WithTx(ctx, func(tx *store.Tx) error {
		for _, h := range hashes[:8] {
			if _, err := tx.UseRecoveryCode(ctx, u.ID, h); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if _, page := get(t, c, srv, "/profile"); !strings.Contains(page, "恢复码只剩2个了，请生成一组新的恢复码。") {
		t.Fatalf("no warning at two codes left:\n%.4000s", page)
	}
}

// On an account's page the security administrator resets its second factor
// after ticking the confirmation; without the tick nothing happens. The
// button is not offered on one's own page, and an administrator of a
// sibling county is refused.
func TestUserPageResetsSecondFactor(t *testing.T) {
	e, srv := console(t)
	_, secret := e.User(t, "county-sec", "county", fenghuo.RoleSecurityAdmin)
	_, secret2 := e.User(t, "county2-sec", "county2", fenghuo.RoleSecurityAdmin)
	target, _ := e.User(t, "school-aud", "school", fenghuo.RoleAuditAdmin)
	admin := browser(t)
	loginTOTP(t, admin, srv, e, "county-sec", secret)
	path := "/users/" + itoa(target.ID)

	_, page := get(t, admin, srv, path)
	if !strings.Contains(page, `id="totp-reset"`) || !strings.Contains(page, `<dd id="user-totp">已启用</dd>`) {
		t.Fatalf("account page:\n%.4000s", page)
	}
	me, _ := e.DB.UserByUsername(context.Background(), "county-sec")
	if _, own := get(t, admin, srv, "/users/"+itoa(me.ID)); strings.Contains(own, `id="totp-reset"`) {
		t.Error("the reset is offered on one's own page")
	}

	resp, page := post(t, admin, srv, path+"/totp/reset", url.Values{})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(page, "请勾选确认已核实本人身份。") {
		t.Fatalf("without the tick: %d\n%.3000s", resp.StatusCode, page)
	}
	if u, _ := e.DB.User(context.Background(), target.ID); !u.TOTPEnabled {
		t.Fatal("the reset went through without the tick")
	}

	other := browser(t)
	e.Clock.Advance(30 * time.Second)
	loginTOTP(t, other, srv, e, "county2-sec", secret2)
	if resp, _ := post(t, other, srv, path+"/totp/reset", url.Values{"confirm": {"1"}}); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("a sibling county's administrator: %d, want 403", resp.StatusCode)
	}

	resp, _ = post(t, admin, srv, path+"/totp/reset", url.Values{"confirm": {"1"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != path+"?totp_reset=1" {
		t.Fatalf("reset: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, page = get(t, admin, srv, path+"?totp_reset=1")
	if !strings.Contains(page, "已重置双因素认证") || !strings.Contains(page, `<dd id="user-totp">未启用，下次登录时须绑定</dd>`) {
		t.Fatalf("after the reset:\n%.4000s", page)
	}
	// The person's next log-in goes to enrolment.
	if resp := login(t, browser(t), srv, "school-aud", apptest.Password); !strings.HasPrefix(resp.Header.Get("Location"), "/login/enroll") {
		t.Fatalf("log-in after the reset went to %q", resp.Header.Get("Location"))
	}
}
