package api_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

type recoveryCodes struct {
	Codes       []string `json:"recovery_codes"`
	Remaining   int      `json:"remaining"`
	Low         bool     `json:"low"`
	TOTPEnabled bool     `json:"totp_enabled"`
}

// The API draws a new set of recovery codes for a caller who gives the
// password and a current code, and one of them then logs in.
func TestRenewRecoveryCodesAPI(t *testing.T) {
	e := newEnv(t)
	e.user(t, "sec", "county", fenghuo.RoleSecurityAdmin)
	c := e.login(t, "sec")
	var rc recoveryCodes
	e.do(t, c, "GET", "/api/v1/me/recovery-codes", nil).want(t, http.StatusOK).json(t, &rc)
	if rc.Remaining != 0 || !rc.Low || !rc.TOTPEnabled || rc.Codes != nil {
		t.Fatalf("before: %+v", rc)
	}
	code := func() string {
		e.Clock.Advance(30 * time.Second)
		c, _ := totp.GenerateCode(e.secrets["sec"], e.Clock.Now())
		return c
	}
	wrong := e.do(t, c, "POST", "/api/v1/me/recovery-codes", map[string]string{"password": apptest.Password, "totp_code": "12345"}).want(t, http.StatusBadRequest)
	if _, field := wrong.errBody(t); field != "totp_code" {
		t.Errorf("a wrong code names field %q", field)
	}
	wrong = e.do(t, c, "POST", "/api/v1/me/recovery-codes", map[string]string{"password": "not it", "totp_code": code()}).want(t, http.StatusBadRequest)
	if _, field := wrong.errBody(t); field != "password" {
		t.Errorf("a wrong password names field %q", field)
	}
	r := e.do(t, c, "POST", "/api/v1/me/recovery-codes", map[string]string{"password": apptest.Password, "totp_code": code()}).want(t, http.StatusCreated)
	r.json(t, &rc)
	if len(rc.Codes) != 10 || rc.Remaining != 10 || rc.Low || r.Header.Get("Location") != "/api/v1/me/recovery-codes" {
		t.Fatalf("renewed: %+v %v", rc, r.Header)
	}
	var after recoveryCodes
	e.do(t, c, "GET", "/api/v1/me/recovery-codes", nil).want(t, http.StatusOK).json(t, &after)
	if after.Remaining != 10 || after.Codes != nil {
		t.Fatalf("the codes are shown again, or not counted: %+v", after)
	}
	// With an API token: refused, the token is not a log-in.
	u, _ := e.DB.UserByUsername(context.Background(), "sec")
	tok, _ := e.token(t, u, "admin", 1)
	e.do(t, cred{token: tok}, "POST", "/api/v1/me/recovery-codes", map[string]string{"password": apptest.Password, "totp_code": code()}).want(t, http.StatusForbidden)
	// A new code logs in once.
	e.do(t, cred{}, "POST", "/api/v1/session", map[string]string{"username": "sec", "password": apptest.Password, "totp_code": rc.Codes[2]}).want(t, http.StatusOK)
	e.do(t, cred{}, "POST", "/api/v1/session", map[string]string{"username": "sec", "password": apptest.Password, "totp_code": rc.Codes[2]}).want(t, http.StatusUnauthorized)
}

// The security administrator of the county resets the second factor of an
// account at the school below: its session ends and its next log-in must
// enrol again. A security administrator of the sibling county gets 403, as
// do a commander and the administrator for their own account.
func TestResetSecondFactorAPI(t *testing.T) {
	e := newEnv(t)
	target := e.user(t, "school-aud", "school", fenghuo.RoleAuditAdmin)
	county := e.user(t, "county-sec", "county", fenghuo.RoleSecurityAdmin)
	e.user(t, "county2-sec", "county2", fenghuo.RoleSecurityAdmin)
	e.user(t, "county-cmd", "county", fenghuo.RoleCommander)
	victim := e.login(t, "school-aud")
	admin := e.login(t, "county-sec")
	path := fmt.Sprintf("/api/v1/users/%d/totp/reset", target.ID)

	for _, who := range []string{"county2-sec", "county-cmd"} {
		r := e.do(t, e.login(t, who), "POST", path, nil).want(t, http.StatusForbidden)
		if code, _ := r.errBody(t); code != "forbidden" {
			t.Errorf("%s: code %q", who, code)
		}
	}
	e.do(t, admin, "POST", fmt.Sprintf("/api/v1/users/%d/totp/reset", county.ID), nil).want(t, http.StatusForbidden)
	e.do(t, admin, "POST", "/api/v1/users/99999/totp/reset", nil).want(t, http.StatusForbidden)
	e.do(t, victim, "GET", "/api/v1/me", nil).want(t, http.StatusOK)

	e.do(t, admin, "POST", path, nil).want(t, http.StatusNoContent)
	e.do(t, victim, "GET", "/api/v1/me", nil).want(t, http.StatusUnauthorized)
	var u struct {
		TOTPEnabled    bool `json:"totp_enabled"`
		MustEnrollTOTP bool `json:"must_enroll_totp"`
	}
	e.do(t, admin, "GET", fmt.Sprintf("/api/v1/users/%d", target.ID), nil).want(t, http.StatusOK).json(t, &u)
	if u.TOTPEnabled || !u.MustEnrollTOTP {
		t.Fatalf("after the reset: %+v", u)
	}
	// The old authenticator's code no longer logs in: enrolment comes first.
	e.Clock.Advance(30 * time.Second)
	old, _ := totp.GenerateCode(e.secrets["school-aud"], e.Clock.Now())
	r := e.do(t, cred{}, "POST", "/api/v1/session", map[string]string{"username": "school-aud", "password": apptest.Password, "totp_code": old}).want(t, http.StatusForbidden)
	if code, _ := r.errBody(t); code != "forbidden" {
		t.Errorf("log-in after the reset: %s", r.Body)
	}

	res, err := e.DB.AuditEntries(context.Background(), store.AuditFilter{ActionPrefix: "user.totp.reset"}, store.Page{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	var outcomes []string
	for _, a := range res.Items {
		outcomes = append(outcomes, a.Outcome+" by "+a.ActorName+" of "+a.ObjectID)
	}
	want := fmt.Sprint([]string{
		fmt.Sprintf("success by county-sec of %d", target.ID),
		"denied by county-sec of 99999",
		fmt.Sprintf("denied by county-sec of %d", county.ID),
		fmt.Sprintf("denied by county-cmd of %d", target.ID),
		fmt.Sprintf("denied by county2-sec of %d", target.ID),
	})
	if fmt.Sprint(outcomes) != want {
		t.Errorf("audit:\n got %v\nwant %v", outcomes, want)
	}
}
