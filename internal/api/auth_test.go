package api_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"fenghuo/internal/api"
	"fenghuo/internal/app/account"
	"fenghuo/internal/apptest"
	"fenghuo/internal/auth"
	"fenghuo/internal/fenghuo"
)

func TestTokens(t *testing.T) {
	e := newEnv(t)
	rep := e.user(t, "rep", "school", fenghuo.RoleUnitReporter)
	c := e.login(t, "rep")

	var tok struct {
		ID    int64  `json:"id"`
		Token string `json:"token"`
		Scope string `json:"scope"`
	}
	e.do(t, c, "POST", "/api/v1/tokens", map[string]any{"name": "监测脚本", "scope": "read", "expires_days": 30}).want(t, 201).json(t, &tok)
	if !strings.HasPrefix(tok.Token, "fhk_") || tok.Scope != "read" {
		t.Fatalf("token: %+v", tok)
	}
	read := cred{token: tok.Token}
	var me struct {
		Scope       string   `json:"scope"`
		Permissions []string `json:"permissions"`
	}
	e.do(t, read, "GET", "/api/v1/me", nil).want(t, 200).json(t, &me)
	if me.Scope != "read" || strings.Contains(strings.Join(me.Permissions, ","), "write") {
		t.Fatalf("a read token holds read rights only: %+v", me)
	}
	r := e.do(t, read, "GET", "/api/v1/tokens", nil).want(t, 200)
	if strings.Contains(string(r.Body), tok.Token) || !strings.Contains(string(r.Body), `"total":1`) {
		t.Fatalf("the secret is shown once only: %s", r.Body)
	}
	sys := map[string]any{"org_id": rep.OrgID, "name": "报送系统"}
	e.do(t, read, "GET", "/api/v1/systems", nil).want(t, 200)
	e.do(t, read, "POST", "/api/v1/systems", sys).want(t, 403)
	e.do(t, read, "POST", "/api/v1/tokens", map[string]any{"name": "x", "scope": "read", "expires_days": 1}).want(t, 403)
	wantField(t, e.do(t, c, "POST", "/api/v1/tokens", map[string]any{"name": "x", "scope": "admin", "expires_days": 1}), "scope")
	wantField(t, e.do(t, c, "POST", "/api/v1/tokens", map[string]any{"name": "x", "scope": "write", "expires_days": 400}), "expires_days")

	write, _ := e.token(t, rep, auth.ScopeWrite, 1)
	e.do(t, cred{token: write}, "POST", "/api/v1/systems", sys).want(t, 201)

	// Revoked: 401 at once.
	e.do(t, c, "DELETE", fmt.Sprintf("/api/v1/tokens/%d", tok.ID), nil).want(t, 204)
	wantUnauthorized(t, e.do(t, read, "GET", "/api/v1/me", nil))
	e.do(t, c, "DELETE", fmt.Sprintf("/api/v1/tokens/%d", tok.ID), nil).want(t, 404)
	// Expired: 401 after its day.
	e.Clock.Advance(24*time.Hour + time.Second)
	wantUnauthorized(t, e.do(t, cred{token: write}, "GET", "/api/v1/me", nil))
	// Not a token at all, or not a bearer token.
	wantUnauthorized(t, e.do(t, cred{token: "fhk_nonsense"}, "GET", "/api/v1/me", nil))
	req := httptest.NewRequest("GET", "/api/v1/me", nil)
	req.Header.Set("Authorization", "Basic cmVwOnB3")
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	wantUnauthorized(t, resp{Status: rec.Code, Body: rec.Body.Bytes()})
}

func wantUnauthorized(t *testing.T, r resp) {
	t.Helper()
	r.want(t, http.StatusUnauthorized)
	if code, _ := r.errBody(t); code != fenghuo.EUNAUTHORIZED {
		t.Fatalf("code %s: %s", code, r.Body)
	}
}

func TestSession(t *testing.T) {
	e := newEnv(t)
	e.user(t, "sys", "county", fenghuo.RoleSystemAdmin)
	e.user(t, "view", "county", fenghuo.RoleViewer)

	wantUnauthorized(t, e.do(t, cred{}, "GET", "/api/v1/me", nil))
	// An administrator needs the second factor in the same request.
	r := e.do(t, cred{}, "POST", "/api/v1/session", map[string]string{"username": "sys", "password": apptest.Password})
	if r.Status != 401 || !bytes.Contains(r.Body, []byte(`"field":"totp_code"`)) || len(r.Header.Values("Set-Cookie")) != 0 {
		t.Fatalf("admin without TOTP code: %d %s %v", r.Status, r.Body, r.Header)
	}
	wantUnauthorized(t, e.do(t, cred{}, "POST", "/api/v1/session", map[string]string{"username": "sys", "password": apptest.Password, "totp_code": "000000"}))
	admin := e.login(t, "sys")
	var me struct {
		User struct{ Username string } `json:"user"`
		Org  struct{ ID int64 }        `json:"org"`
	}
	e.do(t, admin, "GET", "/api/v1/me", nil).want(t, 200).json(t, &me)
	if me.User.Username != "sys" || me.Org.ID != e.Orgs["county"].ID {
		t.Fatalf("me: %+v", me)
	}
	// A session that has passed only the password is no session for the API.
	res, err := e.App.Accounts.Login(t.Context(), "sys", apptest.Password, "127.0.0.1", "test")
	if err != nil || res.Stage != account.StageTOTP {
		t.Fatal(res, err)
	}
	wantUnauthorized(t, e.do(t, cred{cookie: res.Token}, "GET", "/api/v1/me", nil))

	// Cross-site requests that carry the cookie are refused (CSRF).
	req := httptest.NewRequest("POST", "/api/v1/tokens", strings.NewReader(`{"name":"x","scope":"read","expires_days":1}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.AddCookie(&http.Cookie{Name: "fh_session", Value: admin.cookie})
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	if rec.Code != http.StatusForbidden {
		t.Fatalf("cross-site POST with the cookie: %d", rec.Code)
	}

	v := e.login(t, "view")
	tok, _ := e.token(t, e.mustUser(t, "view"), auth.ScopeRead, 1)
	wantField(t, e.do(t, cred{token: tok}, "DELETE", "/api/v1/session", nil), "")
	e.do(t, v, "DELETE", "/api/v1/session", nil).want(t, 204)
	wantUnauthorized(t, e.do(t, v, "GET", "/api/v1/me", nil))
	e.do(t, admin, "GET", "/api/v1/me", nil).want(t, 200)
}

func (e *env) mustUser(t *testing.T, name string) *fenghuo.User {
	t.Helper()
	u, err := e.DB.UserByUsername(t.Context(), name)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// TestLoginThrottle: six wrong passwords in a row throttle the name, and
// until then an unknown name and a wrong password get the same bytes.
func TestLoginThrottle(t *testing.T) {
	e := newEnv(t)
	e.user(t, "victim", "school", fenghuo.RoleViewer)
	e.user(t, "auditor", "city", fenghuo.RoleAuditAdmin)
	auditor := e.login(t, "auditor")

	try := func(name string) resp {
		return e.do(t, cred{}, "POST", "/api/v1/session", map[string]string{"username": name, "password": "Wrong-Password-123"})
	}
	for i := 1; i <= 5; i++ {
		known, unknown := try("victim"), try("ghost")
		if known.Status != 401 || unknown.Status != 401 || !bytes.Equal(known.Body, unknown.Body) {
			t.Fatalf("attempt %d: %d %s vs %d %s", i, known.Status, known.Body, unknown.Status, unknown.Body)
		}
	}
	known, unknown := try("victim"), try("ghost")
	if known.Status != 429 || unknown.Status != 429 || !bytes.Equal(known.Body, unknown.Body) {
		t.Fatalf("sixth attempt: %d %s vs %d %s", known.Status, known.Body, unknown.Status, unknown.Body)
	}
	if code, _ := known.errBody(t); code != fenghuo.ETOOMANY {
		t.Fatalf("code %s", code)
	}
	// Even the right password waits.
	e.do(t, cred{}, "POST", "/api/v1/session", map[string]string{"username": "victim", "password": apptest.Password}).want(t, 429)

	var entries listOut[struct {
		Action  string `json:"action"`
		Outcome string `json:"outcome"`
	}]
	e.do(t, auditor, "GET", "/api/v1/audit?action=auth.login&object_id=victim&limit=500", nil).want(t, 200).json(t, &entries)
	failures, throttled := 0, 0
	for _, x := range entries.Items {
		switch x.Action {
		case "auth.login.failure":
			failures++
		case "auth.login.throttled":
			throttled++
		}
	}
	// The sixth guess and the right password came during the wait: both
	// count as failures (unchecked), so none is merely "throttled".
	if failures != 7 || throttled != 0 {
		t.Fatalf("audit shows %d failures and %d throttled attempts, want 7 and 0: %+v", failures, throttled, entries.Items)
	}
}

// TestAdminNetworks: administrators are held to their networks on the API
// as on the console; a bad network setting refuses them rather than
// admitting everyone.
func TestAdminNetworks(t *testing.T) {
	e := newEnv(t)
	e.user(t, "sys", "county", fenghuo.RoleSystemAdmin)
	e.user(t, "view", "county", fenghuo.RoleViewer)
	for _, tc := range []struct {
		networks []string
		admin    int
	}{{[]string{"10.0.0.0/8"}, 403}, {[]string{"192.0.2.0/24"}, 200}, {[]string{"not-a-network"}, 403}} {
		mux := http.NewServeMux()
		api.New(e.App, api.Options{AdminNetworks: tc.networks}).Routes(mux)
		post := func(name string) int {
			e.Clock.Advance(30 * time.Second)
			code, _ := totp.GenerateCode(e.secrets["sys"], e.Clock.Now())
			body := fmt.Sprintf(`{"username":%q,"password":%q,"totp_code":%q}`, name, apptest.Password, code)
			req := httptest.NewRequest("POST", "/api/v1/session", strings.NewReader(body)) // from 192.0.2.1
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			mux.ServeHTTP(rec, req)
			return rec.Code
		}
		if got := post("sys"); got != tc.admin {
			t.Errorf("admin networks %v: admin log-in %d, want %d", tc.networks, got, tc.admin)
		}
		if got := post("view"); got != 200 {
			t.Errorf("admin networks %v: viewer log-in %d, want 200", tc.networks, got)
		}
	}
}
