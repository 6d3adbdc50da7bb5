package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	qrcode "github.com/skip2/go-qrcode"

	"fenghuo/internal/apptest"
	"fenghuo/internal/auth"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// qrModules reads the module matrix back out of the inline SVG the server
// drew: n×n modules (data-modules), each dark one a square "Mx yh4v4h-4z".
func qrModules(t *testing.T, svg string) [][]bool {
	t.Helper()
	m := regexp.MustCompile(`data-modules="(\d+)"`).FindStringSubmatch(svg)
	if m == nil {
		t.Fatalf("the QR code has no size: %.200s", svg)
	}
	n, _ := strconv.Atoi(m[1])
	grid := make([][]bool, n)
	for i := range grid {
		grid[i] = make([]bool, n)
	}
	for _, sq := range regexp.MustCompile(`M(\d+) (\d+)h4v4h-4z`).FindAllStringSubmatch(svg, -1) {
		x, _ := strconv.Atoi(sq[1])
		y, _ := strconv.Atoi(sq[2])
		if x%4 != 0 || y%4 != 0 || x/4 >= n || y/4 >= n {
			t.Fatalf("module at %d,%d is off the grid", x, y)
		}
		grid[y/4][x/4] = true
	}
	return grid
}

// The TOTP enrolment page shows a QR code the server drew as inline SVG,
// for the otpauth:// URI that names the issuer and the account, with the
// secret as text beside it; its modules are exactly the library's matrix
// for that URI, so an authenticator scanning it reads the URI.
func TestTOTPEnrolmentQRCode(t *testing.T) {
	e, srv := console(t)
	ctx := context.Background()
	u, _ := e.User(t, "secadmin", "city", fenghuo.RoleSecurityAdmin)
	if err := e.DB.SetTOTPSecret(ctx, u.ID, "", false); err != nil {
		t.Fatal(err)
	}
	c := browser(t)
	login(t, c, srv, "secadmin", apptest.Password)
	_, page := get(t, c, srv, "/login/enroll")
	secret := regexp.MustCompile(`id="totp-secret">([A-Z2-7]+)<`).FindStringSubmatch(page)
	svg := regexp.MustCompile(`(?s)<svg class="qr".*?</svg>`).FindString(page)
	uri := regexp.MustCompile(`>(otpauth://[^<]+)<`).FindStringSubmatch(page)
	if secret == nil || svg == "" || uri == nil {
		t.Fatalf("enrolment page lacks the secret, the QR code or the URI:\n%.3000s", page)
	}
	otpauth := html.UnescapeString(uri[1])
	pu, err := url.Parse(otpauth)
	if err != nil || pu.Scheme != "otpauth" || pu.Host != "totp" || pu.Query().Get("issuer") == "" ||
		!strings.HasSuffix(pu.Path, ":secadmin") || pu.Query().Get("secret") != secret[1] {
		t.Fatalf("URI %q does not carry issuer, account and secret (%v)", otpauth, err)
	}
	if !strings.Contains(svg, `role="img"`) || !strings.Contains(svg, `aria-label="`) {
		t.Errorf("the QR code has no accessible name: %.200s", svg)
	}
	q, err := qrcode.New(otpauth, qrcode.Medium)
	if err != nil {
		t.Fatal(err)
	}
	want, got := q.Bitmap(), qrModules(t, svg)
	if len(got) != len(want) {
		t.Fatalf("QR code of %d modules, the library's is %d", len(got), len(want))
	}
	dark := 0
	for y := range want {
		for x := range want[y] {
			if got[y][x] != want[y][x] {
				t.Fatalf("module %d,%d differs from the library's matrix", x, y)
			}
			if got[y][x] {
				dark++
			}
		}
	}
	if dark < len(want) { // a real code is far from blank
		t.Errorf("only %d dark modules", dark)
	}

	// The profile's own enrolment (a user turning TOTP on) draws one too.
	e.User(t, "analyst", "county", fenghuo.RoleAnalyst)
	c2 := browser(t)
	login(t, c2, srv, "analyst", apptest.Password)
	_, page = post(t, c2, srv, "/profile/totp", url.Values{})
	if !strings.Contains(page, `<svg class="qr"`) || !strings.Contains(page, `id="totp-secret"`) {
		t.Errorf("the profile's enrolment shows no QR code beside the secret")
	}
}

// A wall display logs in through the console from its bound address and
// lands on /wall; the same session from another address gets a page that
// says why (403) and is audited; the user form sets and validates the
// address binding.
func TestDisplayAccountConsole(t *testing.T) {
	e, srv := console(t)
	ctx := context.Background()
	hash, err := auth.HashPassword(apptest.Password)
	if err != nil {
		t.Fatal(err)
	}
	wall := &fenghuo.User{OrgID: e.Orgs["county"].ID, Username: "county-wall", DisplayName: "县大屏", PasswordHash: hash,
		Roles: []fenghuo.Role{fenghuo.RoleDisplay}, AllowedAddresses: []string{"127.0.0.1"}}
	if err := e.DB.CreateUser(ctx, wall); err != nil {
		t.Fatal(err)
	}
	c := browser(t)
	resp := login(t, c, srv, "county-wall", apptest.Password)
	if loc := resp.Header.Get("Location"); loc != "/wall" {
		t.Errorf("display log-in went to %q, want /wall", loc)
	}
	// Every change is refused: the display holds no right to write.
	for _, p := range []struct {
		path string
		form url.Values
	}{
		{"/incidents", url.Values{"title": {"x"}}},
		{"/profile/password", url.Values{"current": {apptest.Password}, "new": {"Another-Passw0rd-Longer"}}},
		{"/profile/tokens", url.Values{"name": {"wall"}, "scope": {"read"}, "days": {"30"}}},
		{"/profile/totp", url.Values{}},
		{"/duty/add", url.Values{}},
		{"/users", url.Values{"username": {"x1"}}},
	} {
		r, body := post(t, c, srv, p.path, p.form)
		if r.StatusCode < 400 {
			t.Errorf("POST %s as the display answered %d: %.300s", p.path, r.StatusCode, body)
		}
	}
	if u, err := e.DB.User(ctx, wall.ID); err != nil || u.PasswordHash != hash {
		t.Errorf("the display's password changed")
	}

	// Bind it elsewhere: the same cookie is now refused with the reason.
	wall.AllowedAddresses = []string{"10.20.0.15"}
	if err := e.DB.UpdateUser(ctx, wall); err != nil {
		t.Fatal(err)
	}
	r, body := get(t, c, srv, "/incidents")
	if r.StatusCode != http.StatusForbidden || !strings.Contains(body, "127.0.0.1") {
		t.Errorf("request from an unbound address: %d %.400s", r.StatusCode, body)
	}
	if !strings.Contains(body, "绑定的地址") {
		t.Errorf("the refusal does not say why: %.600s", body)
	}
	list, err := e.DB.AuditEntries(ctx, store.AuditFilter{ActionPrefix: "auth.session.address"}, store.Page{Limit: 10})
	if err != nil || len(list.Items) == 0 {
		t.Errorf("the refused request is not audited (%v)", err)
	}
	c2 := browser(t)
	resp = login(t, c2, srv, "county-wall", apptest.Password)
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("log-in from an unbound address: %d", resp.StatusCode)
	}

	// The user form: the role and the address field, validated.
	admin, secret := e.User(t, "secadmin", "city", fenghuo.RoleSecurityAdmin)
	ca := browser(t)
	loginTOTP(t, ca, srv, e, admin.Username, secret)
	_, form := get(t, ca, srv, "/users/new")
	if !strings.Contains(form, `value="display"`) || !strings.Contains(form, `id="allowed_addresses"`) {
		t.Fatalf("the user form lacks the display role or the address field")
	}
	fields := url.Values{"org_id": {strconv.FormatInt(e.Orgs["county"].ID, 10)}, "username": {"wall-two"}, "display_name": {"二号大屏"},
		"roles": {"display"}, "password": {"Display-Passw0rd-Long"}, "locale": {"zh"}}
	r, body = post(t, ca, srv, "/users", fields)
	if r.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="allowed_addresses-error"`) {
		t.Errorf("display without address: %d, no error by the field", r.StatusCode)
	}
	fields.Set("allowed_addresses", "10.20.0.300")
	if r, body = post(t, ca, srv, "/users", fields); r.StatusCode != http.StatusBadRequest || !strings.Contains(body, "10.20.0.300") {
		t.Errorf("bad address: %d", r.StatusCode)
	}
	fields.Set("allowed_addresses", "10.20.0.15\n10.30.0.7/24")
	if r, _ = post(t, ca, srv, "/users", fields); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("create display: %d", r.StatusCode)
	}
	_, page := get(t, ca, srv, r.Header.Get("Location"))
	if !strings.Contains(page, "10.20.0.15, 10.30.0.0/24") || !strings.Contains(page, "大屏展示账号") {
		t.Errorf("the user page does not show the binding and the role")
	}
}
