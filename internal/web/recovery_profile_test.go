package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/pquerna/otp/totp"

	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
)

// A person who turns TOTP on from 个人设置 sees ten recovery codes once;
// the profile then counts those left, and one used at log-in is gone.
func TestProfileEnrolmentShowsRecoveryCodesOnce(t *testing.T) {
	e, srv := console(t)
	e.User(t, "clerk", "school", fenghuo.RoleUnitReporter)
	c := browser(t)
	login(t, c, srv, "clerk", apptest.Password)
	_, page := post(t, c, srv, "/profile/totp", url.Values{})
	m := regexp.MustCompile(`id="totp-secret">([A-Z2-7]+)<`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no secret:\n%.2000s", page)
	}
	code, _ := totp.GenerateCode(m[1], e.Clock.Now())
	resp, page := post(t, c, srv, "/profile/totp/confirm", url.Values{"code": {code}, "secret": {m[1]}})
	codes := regexp.MustCompile(`<li class="mono">([0-9a-z-]+)</li>`).FindAllStringSubmatch(page, -1)
	if resp.StatusCode != http.StatusOK || len(codes) != 10 || !strings.Contains(page, "剩余恢复码：10个") {
		t.Fatalf("confirm: %d, %d codes\n%.3000s", resp.StatusCode, len(codes), page)
	}
	if _, page := get(t, c, srv, "/profile"); strings.Contains(page, codes[0][1]) || !strings.Contains(page, "剩余恢复码：10个") {
		t.Fatalf("the profile shows the codes again, or not the count:\n%.3000s", page)
	}
	// Log in again with a recovery code in the code field.
	d := browser(t)
	login(t, d, srv, "clerk", apptest.Password)
	if resp, _ := post(t, d, srv, "/login/totp", url.Values{"code": {codes[0][1]}, "next": {"/"}}); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
		t.Fatalf("recovery code: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if _, page := get(t, d, srv, "/profile"); !strings.Contains(page, "剩余恢复码：9个") {
		t.Fatalf("after one use:\n%.3000s", page)
	}
}
