package account_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"fenghuo/internal/app/account"
	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

func TestLoginLockoutAndSameAnswer(t *testing.T) {
	e := apptest.New(t)
	ctx := context.Background()
	e.User(t, "alice", "school", fenghuo.RoleUnitReporter)

	_, errUnknown := e.App.Accounts.Login(ctx, "nobody", "wrong-password-123", "127.0.0.1", "")
	_, errWrong := e.App.Accounts.Login(ctx, "alice", "wrong-password-123", "127.0.0.1", "")
	if errUnknown == nil || errWrong == nil || errUnknown.Error() != errWrong.Error() {
		t.Fatalf("answers differ: %v / %v", errUnknown, errWrong)
	}
	for i := 0; i < 4; i++ {
		e.App.Accounts.Login(ctx, "alice", "wrong-password-123", "127.0.0.1", "")
	}
	// Five failures so far: the sixth attempt is throttled, even with the right password.
	_, err := e.App.Accounts.Login(ctx, "alice", apptest.Password, "127.0.0.1", "")
	if fenghuo.ErrorCode(err) != fenghuo.ETOOMANY {
		t.Fatalf("sixth attempt: %v, want throttled", err)
	}
	// Unknown names are throttled the same way.
	for i := 0; i < 5; i++ {
		e.App.Accounts.Login(ctx, "ghost", "wrong-password-123", "127.0.0.1", "")
	}
	if _, err := e.App.Accounts.Login(ctx, "ghost", "wrong-password-123", "127.0.0.1", ""); fenghuo.ErrorCode(err) != fenghuo.ETOOMANY {
		t.Fatalf("unknown name not throttled: %v", err)
	}
	e.Clock.Advance(2 * time.Hour)
	res, err := e.App.Accounts.Login(ctx, "alice", apptest.Password, "127.0.0.1", "")
	if err != nil || res.Stage != account.StageFull {
		t.Fatalf("after the wait: %v %+v", err, res)
	}
	entries, err := e.DB.AuditEntries(ctx, store.AuditFilter{ActionPrefix: "auth.login"}, store.Page{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	failures := 0
	for _, en := range entries.Items {
		if en.Action == "auth.login.failure" {
			failures++
		}
	}
	if failures < 10 {
		t.Errorf("audit has %d failed log-ins, want every attempt", failures)
	}
}

func TestAdminNeedsTOTP(t *testing.T) {
	e := apptest.New(t)
	ctx := context.Background()
	_, secret := e.User(t, "root", "city", fenghuo.RoleSystemAdmin)
	res, err := e.App.Accounts.Login(ctx, "root", apptest.Password, "127.0.0.1", "")
	if err != nil || res.Stage != account.StageTOTP {
		t.Fatalf("admin log-in: %v %+v", err, res)
	}
	if _, _, err := e.App.Accounts.Session(ctx, res.Token, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := e.App.Accounts.VerifyTOTP(ctx, res.Token, "000000", "", ""); err == nil {
		t.Fatal("a wrong code was accepted")
	}
	code, _ := totp.GenerateCode(secret, e.Clock.Now())
	full, err := e.App.Accounts.VerifyTOTP(ctx, res.Token, code, "", "")
	if err != nil {
		t.Fatal(err)
	}
	ac, stage, err := e.App.Accounts.Session(ctx, full, "")
	if err != nil || stage != account.StageFull || ac.User.Username != "root" {
		t.Fatalf("session: %v %s", err, stage)
	}
	// The pre-TOTP token is worth nothing now, and the code cannot be replayed.
	if _, _, err := e.App.Accounts.Session(ctx, res.Token, ""); err == nil {
		t.Error("the half-done session survived")
	}
	res2, _ := e.App.Accounts.Login(ctx, "root", apptest.Password, "127.0.0.1", "")
	if _, err := e.App.Accounts.VerifyTOTP(ctx, res2.Token, code, "", ""); err == nil {
		t.Error("a TOTP code was accepted twice")
	}
}

func TestSessionsEndOnIdleAndPasswordChange(t *testing.T) {
	e := apptest.New(t)
	ctx := context.Background()
	e.User(t, "bob", "county", fenghuo.RoleAnalyst)
	res, _ := e.App.Accounts.Login(ctx, "bob", apptest.Password, "", "")
	other, _ := e.App.Accounts.Login(ctx, "bob", apptest.Password, "", "")
	ac, _, err := e.App.Accounts.Session(ctx, res.Token, "")
	if err != nil {
		t.Fatal(err)
	}
	newToken, err := e.App.Accounts.ChangePassword(ctx, ac, apptest.Password, "Another-Strong-Passw0rd!", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.App.Accounts.Session(ctx, other.Token, ""); err == nil {
		t.Error("another session survived a password change")
	}
	if _, _, err := e.App.Accounts.Session(ctx, newToken, ""); err != nil {
		t.Error("the new session does not work")
	}
	e.Clock.Advance(31 * time.Minute)
	if _, _, err := e.App.Accounts.Session(ctx, newToken, ""); err == nil {
		t.Error("an idle session survived")
	}
	if _, err := e.App.Accounts.ChangePassword(ctx, ac, "Another-Strong-Passw0rd!", "password123456", ""); err == nil || !strings.Contains(err.Error(), "password") {
		t.Errorf("a common password was accepted: %v", err)
	}
}
