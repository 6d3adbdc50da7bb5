package account_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"fenghuo/internal/app"
	"fenghuo/internal/app/account"
	"fenghuo/internal/apptest"
	"fenghuo/internal/auth"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// enrolled creates a unit reporter in org who enrols TOTP through the
// log-in, and returns the account, its secret, its ten recovery codes and
// its full session token.
func enrolled(t *testing.T, e *apptest.Env, name, org string) (*fenghuo.User, string, []string, string) {
	t.Helper()
	ctx := context.Background()
	u, _ := e.User(t, name, org, fenghuo.RoleUnitReporter)
	if err := e.DB.WithTx(ctx, func(tx *store.Tx) error {
		fresh, err := tx.User(ctx, u.ID)
		if err != nil {
			return err
		}
		fresh.MustEnrollTOTP = true
		return tx.UpdateUser(ctx, fresh)
	}); err != nil {
		t.Fatal(err)
	}
	res, err := e.App.Accounts.Login(ctx, name, apptest.Password, "127.0.0.1", "")
	if err != nil || res.Stage != account.StageEnroll {
		t.Fatalf("log-in before enrolling: %v %+v", err, res)
	}
	secret, _, err := e.App.Accounts.BeginTOTPEnrollment(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	code, _ := totp.GenerateCode(secret, e.Clock.Now())
	full, codes, err := e.App.Accounts.ConfirmTOTPEnrollment(ctx, res.Token, code, "127.0.0.1", "")
	if err != nil || len(codes) != 10 {
		t.Fatalf("enrol: %v, %d codes", err, len(codes))
	}
	if u, err = e.DB.User(ctx, u.ID); err != nil {
		t.Fatal(err)
	}
	return u, secret, codes, full
}

// nextCode moves the clock one TOTP step on (a code is accepted once) and
// returns the authenticator's code.
func nextCode(t *testing.T, e *apptest.Env, secret string) string {
	t.Helper()
	e.Clock.Advance(30 * time.Second)
	code, err := totp.GenerateCode(secret, e.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	return code
}

// wrongCode returns a six-digit code the authenticator does not show now,
// nor one step before or after (the drift accepted).
func wrongCode(t *testing.T, e *apptest.Env, secret string) string {
	t.Helper()
	valid := map[string]bool{}
	for _, d := range []time.Duration{-30 * time.Second, 0, 30 * time.Second} {
		c, err := totp.GenerateCode(secret, e.Clock.Now().Add(d))
		if err != nil {
			t.Fatal(err)
		}
		valid[c] = true
	}
	for n := 0; ; n++ {
		if c := fmt.Sprintf("%06d", n); !valid[c] {
			return c
		}
	}
}

func auditOf(t *testing.T, e *apptest.Env, action string) []string {
	t.Helper()
	res, err := e.DB.AuditEntries(context.Background(), store.AuditFilter{ActionPrefix: action}, store.Page{Limit: store.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, a := range res.Items {
		out = append(out, a.Outcome+" "+a.ActorName+" "+a.ObjectID+" "+a.Detail)
	}
	return out
}

func wantField(t *testing.T, err error, field string) {
	t.Helper()
	var fe *fenghuo.Error
	if !errors.As(err, &fe) || fe.Code != fenghuo.EINVALID || fe.Field != field {
		t.Fatalf("got %v, want EINVALID on %s", err, field)
	}
}

// A person draws a new set of recovery codes with the password and a
// current code: the old set stops working in the same step, the new one
// works once per code, and wrong answers count towards the lockout.
func TestRenewRecoveryCodes(t *testing.T) {
	e := apptest.New(t)
	ctx := context.Background()
	u, secret, old, _ := enrolled(t, e, "teacher", "school")
	ac := e.Actor(t, u)

	renew := func(password, code string) error {
		_, err := e.App.Accounts.RenewRecoveryCodes(ctx, ac, password, code)
		return err
	}
	wantField(t, renew("wrong password", nextCode(t, e, secret)), "password")
	wantField(t, renew(apptest.Password, wrongCode(t, e, secret)), "code")
	// A recovery code is no authenticator: it does not draw new codes.
	wantField(t, renew(apptest.Password, old[0]), "code")
	if st, _ := e.DB.LoginState(ctx, fenghuo.UsernameKey(u.Username)); st.Failures != 2 {
		t.Fatalf("failures counted: %d, want 2 (the password and the code)", st.Failures)
	}
	if left, _ := e.App.Accounts.RecoveryCodesLeft(ctx, u.ID); left != 10 {
		t.Fatalf("a refused renewal changed the codes: %d left", left)
	}

	code := nextCode(t, e, secret)
	codes, err := e.App.Accounts.RenewRecoveryCodes(ctx, ac, apptest.Password, code)
	if err != nil || len(codes) != 10 {
		t.Fatalf("renew: %v, %d codes", err, len(codes))
	}
	for _, c := range codes {
		for _, o := range old {
			if c == o {
				t.Fatalf("a new code %s repeats an old one", c)
			}
		}
	}
	if st, _ := e.DB.LoginState(ctx, fenghuo.UsernameKey(u.Username)); st.Failures != 0 {
		t.Errorf("failures after proving both factors: %d", st.Failures)
	}
	// The same authenticator code does not work twice.
	if _, err := e.App.Accounts.RenewRecoveryCodes(ctx, ac, apptest.Password, code); err == nil {
		t.Fatal("a used TOTP code drew codes again")
	}

	// Old codes are gone; a new one logs in once.
	res, _ := e.App.Accounts.Login(ctx, "teacher", apptest.Password, "127.0.0.1", "")
	if _, err := e.App.Accounts.VerifyTOTP(ctx, res.Token, old[1], "127.0.0.1", ""); fenghuo.ErrorCode(err) != fenghuo.EUNAUTHORIZED {
		t.Fatalf("an old code after renewal: %v", err)
	}
	res, _ = e.App.Accounts.Login(ctx, "teacher", apptest.Password, "127.0.0.1", "")
	if _, err := e.App.Accounts.VerifyTOTP(ctx, res.Token, codes[4], "127.0.0.1", ""); err != nil {
		t.Fatalf("a new code: %v", err)
	}
	if left, _ := e.App.Accounts.RecoveryCodesLeft(ctx, u.ID); left != 9 {
		t.Fatalf("left: %d, want 9", left)
	}

	got := auditOf(t, e, "auth.recovery_codes.renew")
	want := []string{
		"failure teacher " + app.ObjectID(u.ID) + ` {"factor":"totp","failures":1}`,
		"success teacher " + app.ObjectID(u.ID) + ` {"recovery_codes":10,"replaced":10}`,
		"failure teacher " + app.ObjectID(u.ID) + ` {"factor":"totp","failures":2}`,
		"failure teacher " + app.ObjectID(u.ID) + ` {"factor":"password","failures":1}`,
	}
	if len(got) != len(want) {
		t.Fatalf("audit: %q", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("audit entry %d: %s, want %s", i, got[i], want[i])
		}
	}

	// Not with an API token; not before enrolling; never for a display.
	tok := *ac
	tok.Scope = auth.ScopeWrite
	if _, err := e.App.Accounts.RenewRecoveryCodes(ctx, &tok, apptest.Password, nextCode(t, e, secret)); fenghuo.ErrorCode(err) != fenghuo.EFORBIDDEN {
		t.Errorf("with an API token: %v", err)
	}
	plain, _ := e.User(t, "nurse", "hospital", fenghuo.RoleUnitReporter)
	if _, err := e.App.Accounts.RenewRecoveryCodes(ctx, e.Actor(t, plain), apptest.Password, "123456"); fenghuo.ErrorCode(err) != fenghuo.ECONFLICT {
		t.Errorf("without TOTP: %v", err)
	}
	wall, _ := e.User(t, "wall", "county", fenghuo.RoleDisplay)
	if _, err := e.App.Accounts.RenewRecoveryCodes(ctx, e.Actor(t, wall), apptest.Password, "123456"); fenghuo.ErrorCode(err) != fenghuo.EFORBIDDEN {
		t.Errorf("a display: %v", err)
	}
}

// Guessing codes through the renewal hits the same throttle as the log-in.
func TestRenewRecoveryCodesIsThrottled(t *testing.T) {
	e := apptest.New(t)
	ctx := context.Background()
	u, secret, _, _ := enrolled(t, e, "teacher", "school")
	ac := e.Actor(t, u)
	right := nextCode(t, e, secret)
	for range 5 {
		_, err := e.App.Accounts.RenewRecoveryCodes(ctx, ac, apptest.Password, wrongCode(t, e, secret))
		wantField(t, err, "code")
	}
	// The sixth attempt comes too soon after the fifth failure, even with
	// the right code.
	_, err := e.App.Accounts.RenewRecoveryCodes(ctx, ac, apptest.Password, right)
	var te *account.ThrottledError
	if !errors.As(err, &te) {
		t.Fatalf("sixth attempt: %v, want throttled", err)
	}
}

// A security administrator of the person's org or an org above resets a
// lost second factor: the secret and codes go, the sessions end, the next
// log-in enrols again. Nobody resets their own; an administrator of a
// sibling org, or without user.write, is refused; every attempt is audited.
func TestResetSecondFactor(t *testing.T) {
	e := apptest.New(t)
	ctx := context.Background()
	u, _, codes, session := enrolled(t, e, "teacher", "school")
	county, _ := e.User(t, "county-sec", "county", fenghuo.RoleSecurityAdmin)
	sibling, _ := e.User(t, "county2-sec", "county2", fenghuo.RoleSecurityAdmin)
	commander, _ := e.User(t, "county-cmd", "county", fenghuo.RoleCommander)
	city, _ := e.User(t, "city-sec", "city", fenghuo.RoleSecurityAdmin)

	for _, c := range []struct {
		name string
		ac   *app.Actor
		id   int64
	}{
		{"sibling org's security administrator", e.Actor(t, sibling), u.ID},
		{"commander of the org above", e.Actor(t, commander), u.ID},
		{"own second factor", e.Actor(t, county), county.ID},
		{"no such account", e.Actor(t, county), 99999},
	} {
		if err := e.App.Accounts.ResetSecondFactor(ctx, c.ac, c.id); fenghuo.ErrorCode(err) != fenghuo.EFORBIDDEN {
			t.Errorf("%s: %v, want EFORBIDDEN", c.name, err)
		}
	}
	if after, _ := e.DB.User(ctx, u.ID); !after.TOTPEnabled {
		t.Fatal("a refused reset turned TOTP off")
	}
	if _, _, err := e.App.Accounts.Session(ctx, session, "127.0.0.1"); err != nil {
		t.Fatalf("a refused reset ended the session: %v", err)
	}

	if err := e.App.Accounts.ResetSecondFactor(ctx, e.Actor(t, county), u.ID); err != nil {
		t.Fatal(err)
	}
	after, _ := e.DB.User(ctx, u.ID)
	if after.TOTPEnabled || after.TOTPSecretSealed != "" || !after.MustEnrollTOTP {
		t.Fatalf("after the reset: enabled %v, secret %q, must enrol %v", after.TOTPEnabled, after.TOTPSecretSealed, after.MustEnrollTOTP)
	}
	if left, _ := e.App.Accounts.RecoveryCodesLeft(ctx, u.ID); left != 0 {
		t.Fatalf("codes left: %d", left)
	}
	if _, _, err := e.App.Accounts.Session(ctx, session, "127.0.0.1"); fenghuo.ErrorCode(err) != fenghuo.EUNAUTHORIZED {
		t.Fatalf("the person's session after the reset: %v", err)
	}
	// The next log-in enrols a new authenticator; old codes are worthless.
	res, err := e.App.Accounts.Login(ctx, "teacher", apptest.Password, "127.0.0.1", "")
	if err != nil || res.Stage != account.StageEnroll {
		t.Fatalf("log-in after the reset: %v %+v", err, res)
	}
	if _, err := e.App.Accounts.VerifyTOTP(ctx, res.Token, codes[0], "127.0.0.1", ""); err == nil {
		t.Fatal("an old recovery code works after the reset")
	}
	secret, _, err := e.App.Accounts.BeginTOTPEnrollment(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, fresh, err := e.App.Accounts.ConfirmTOTPEnrollment(ctx, res.Token, nextCode(t, e, secret), "127.0.0.1", ""); err != nil || len(fresh) != 10 {
		t.Fatalf("enrol again: %v, %d codes", err, len(fresh))
	}
	if again, _ := e.DB.User(ctx, u.ID); !again.TOTPEnabled || again.MustEnrollTOTP {
		t.Fatalf("after enrolling again: %+v", again)
	}

	// The city's security administrator reaches the school too; a display
	// account has no second factor to reset.
	if err := e.App.Accounts.ResetSecondFactor(ctx, e.Actor(t, city), u.ID); err != nil {
		t.Errorf("from the city: %v", err)
	}
	wall, _ := e.User(t, "wall", "county", fenghuo.RoleDisplay)
	if err := e.App.Accounts.ResetSecondFactor(ctx, e.Actor(t, county), wall.ID); fenghuo.ErrorCode(err) != fenghuo.EINVALID {
		t.Errorf("a display: %v", err)
	}

	uid, cid := app.ObjectID(u.ID), app.ObjectID(county.ID)
	schoolID := app.ObjectID(e.Orgs["school"].ID)
	want := []string{
		"success city-sec " + uid + ` {"had_totp":true,"org_id":` + schoolID + `,"recovery_codes_removed":10,"username":"teacher"}`,
		"success county-sec " + uid + ` {"had_totp":true,"org_id":` + schoolID + `,"recovery_codes_removed":10,"username":"teacher"}`,
		"denied county-sec 99999 ",
		"denied county-sec " + cid + ` {"org_id":` + app.ObjectID(e.Orgs["county"].ID) + `,"username":"county-sec"}`,
		"denied county-cmd " + uid + ` {"org_id":` + schoolID + `,"username":"teacher"}`,
		"denied county2-sec " + uid + ` {"org_id":` + schoolID + `,"username":"teacher"}`,
	}
	got := auditOf(t, e, "user.totp.reset")
	if len(got) != len(want) {
		t.Fatalf("audit:\n%q", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("audit entry %d:\n got %s\nwant %s", i, got[i], want[i])
		}
	}
}
