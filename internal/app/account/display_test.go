package account_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"fenghuo/internal/app/account"
	"fenghuo/internal/apptest"
	"fenghuo/internal/auth"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// A display account (issue 13 item 2) logs in only from its bound address,
// lands on the wall, keeps its session without an idle timeout until the
// long absolute end, is refused (and audited) from any other address, and
// changes nothing, not even its own password.
func TestDisplayAccount(t *testing.T) {
	e := apptest.New(t)
	ctx := context.Background()
	hash, err := auth.HashPassword(apptest.Password)
	if err != nil {
		t.Fatal(err)
	}
	wall := &fenghuo.User{OrgID: e.Orgs["county"].ID, Username: "county-wall", DisplayName: "县大屏", PasswordHash: hash,
		Roles: []fenghuo.Role{fenghuo.RoleDisplay}, AllowedAddresses: []string{"10.20.0.15", "10.30.0.0/24"}}
	if err := e.DB.CreateUser(ctx, wall); err != nil {
		t.Fatal(err)
	}

	// From elsewhere: refused with the address in the message, audited.
	_, err = e.App.Accounts.Login(ctx, "county-wall", apptest.Password, "192.0.2.50", "")
	if fenghuo.ErrorCode(err) != fenghuo.EFORBIDDEN || !contains(fenghuo.ErrorMessage(err), "192.0.2.50") {
		t.Fatalf("log-in from an unbound address: %v", err)
	}
	if n := audited(t, e, "auth.login.address", "denied"); n != 1 {
		t.Errorf("%d auth.login.address entries, want 1", n)
	}
	// A refused address does not count towards the lock-out: the bound
	// screen still logs in straight after.
	res, err := e.App.Accounts.Login(ctx, "county-wall", apptest.Password, "10.30.0.77", "")
	if err != nil {
		t.Fatal(err)
	}
	if res.Stage != account.StageFull || res.Landing != "/wall" {
		t.Errorf("display log-in: %+v, want a full session landing on /wall", res)
	}

	// No idle timeout: five hours without a request (the idle limit is 30
	// minutes) and the session still holds.
	e.Clock.Advance(5 * time.Hour)
	ac, stage, err := e.App.Accounts.Session(ctx, res.Token, "10.30.0.77")
	if err != nil || stage != account.StageFull || !ac.User.HasRole(fenghuo.RoleDisplay) {
		t.Fatalf("display session after 5 idle hours: %v %s", err, stage)
	}
	if n, err := e.DB.DeleteExpiredSessions(ctx, e.Clock.Now().Add(3*time.Hour), 30*time.Minute); err != nil || n != 0 {
		t.Errorf("the expired-session sweep removed %d sessions (%v)", n, err)
	}
	// The cookie carried to another computer: refused, audited, and the
	// screen's own session goes on.
	if _, _, err := e.App.Accounts.Session(ctx, res.Token, "10.99.0.1"); fenghuo.ErrorCode(err) != fenghuo.EFORBIDDEN {
		t.Errorf("session from an unbound address: %v", err)
	}
	if n := audited(t, e, "auth.session.address", "denied"); n != 1 {
		t.Errorf("%d auth.session.address entries, want 1", n)
	}
	if _, _, err := e.App.Accounts.Session(ctx, res.Token, "10.30.0.77"); err != nil {
		t.Errorf("the bound screen lost its session: %v", err)
	}

	// Read-only: no password change, no API token, no second factor.
	if _, err := e.App.Accounts.ChangePassword(ctx, ac, apptest.Password, "Another-Passw0rd-Longer", ""); fenghuo.ErrorCode(err) != fenghuo.EFORBIDDEN {
		t.Errorf("display changed its password: %v", err)
	}
	if _, _, err := e.App.Accounts.CreateAPIToken(ctx, ac, "wall", auth.ScopeRead, 30); fenghuo.ErrorCode(err) != fenghuo.EFORBIDDEN {
		t.Errorf("display created an API token: %v", err)
	}
	if _, _, err := e.App.Accounts.BeginTOTPEnrollment(ctx, wall.ID); fenghuo.ErrorCode(err) != fenghuo.EFORBIDDEN {
		t.Errorf("display began TOTP enrolment: %v", err)
	}
	for _, p := range []fenghuo.Permission{fenghuo.PermIncidentWrite, fenghuo.PermIncidentReceive, fenghuo.PermWarningAck,
		fenghuo.PermOrgWrite, fenghuo.PermSystemRead, fenghuo.PermPlanRead, fenghuo.PermUserRead, fenghuo.PermAuditRead} {
		if ac.User.Can(p) {
			t.Errorf("display holds %s", p)
		}
	}

	// The absolute end: 30 days after the log-in the session is over.
	e.Clock.Advance(account.DisplaySessionLifetime)
	if _, _, err := e.App.Accounts.Session(ctx, res.Token, "10.30.0.77"); fenghuo.ErrorCode(err) != fenghuo.EUNAUTHORIZED {
		t.Errorf("display session after its lifetime: %v", err)
	}

	// An ordinary account still idles out after 30 minutes.
	e.User(t, "clerk", "county", fenghuo.RoleViewer)
	res, err = e.App.Accounts.Login(ctx, "clerk", apptest.Password, "192.0.2.50", "")
	if err != nil || res.Landing != "/" {
		t.Fatalf("clerk: %v %+v", err, res)
	}
	e.Clock.Advance(31 * time.Minute)
	if _, _, err := e.App.Accounts.Session(ctx, res.Token, "192.0.2.50"); fenghuo.ErrorCode(err) != fenghuo.EUNAUTHORIZED {
		t.Errorf("ordinary session after 31 idle minutes: %v", err)
	}
}

// A security administrator binds an account to addresses through the app;
// bad addresses are refused with the field named, and a display account
// without an address cannot be created.
func TestBindAddressesThroughTheApp(t *testing.T) {
	e := apptest.New(t)
	ctx := context.Background()
	admin, _ := e.User(t, "secadm", "city", fenghuo.RoleSecurityAdmin)
	ac := e.Actor(t, admin)
	u := &fenghuo.User{OrgID: e.Orgs["county"].ID, Username: "wall2", DisplayName: "大屏二", Roles: []fenghuo.Role{fenghuo.RoleDisplay}}
	err := e.App.Accounts.CreateUser(ctx, ac, u, "Display-Passw0rd-Long")
	if fe, ok := err.(*fenghuo.Error); !ok || fe.Field != "allowed_addresses" {
		t.Fatalf("display without address: %v", err)
	}
	u.AllowedAddresses = []string{"10.20.0.300"}
	if err := e.App.Accounts.CreateUser(ctx, ac, u, "Display-Passw0rd-Long"); fenghuo.ErrorCode(err) != fenghuo.EINVALID {
		t.Fatalf("bad address: %v", err)
	}
	u.AllowedAddresses = []string{"10.20.0.16"}
	if err := e.App.Accounts.CreateUser(ctx, ac, u, "Display-Passw0rd-Long"); err != nil {
		t.Fatal(err)
	}
	got, err := e.App.Accounts.User(ctx, ac, u.ID)
	if err != nil || len(got.AllowedAddresses) != 1 || got.AllowedAddresses[0] != "10.20.0.16" {
		t.Fatalf("stored: %+v %v", got, err)
	}
	got.AllowedAddresses = []string{"10.20.0.0/28"}
	if err := e.App.Accounts.UpdateUser(ctx, ac, got); err != nil {
		t.Fatal(err)
	}
	if n := audited(t, e, "user.update", "success"); n != 1 {
		t.Errorf("%d user.update entries", n)
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

func audited(t *testing.T, e *apptest.Env, action, outcome string) int {
	t.Helper()
	list, err := e.DB.AuditEntries(context.Background(), store.AuditFilter{ActionPrefix: action, Outcome: outcome}, store.Page{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	return len(list.Items)
}
