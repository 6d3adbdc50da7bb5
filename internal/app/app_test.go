package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"fenghuo/internal/app/account"
	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
	"github.com/pquerna/otp/totp"
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

func TestSubtreeScoping(t *testing.T) {
	e := apptest.New(t)
	ctx := context.Background()
	reporter, _ := e.User(t, "rep", "school", fenghuo.RoleUnitReporter)
	county, _ := e.User(t, "cty", "county", fenghuo.RoleAnalyst)
	sys := &fenghuo.System{OrgID: e.Orgs["hospital"].ID, Name: "HIS", ProtectionLevel: 3}
	if err := e.App.Directory.CreateSystem(ctx, e.Actor(t, county), sys); err != nil {
		t.Fatal(err)
	}
	if _, err := e.App.Directory.System(ctx, e.Actor(t, reporter), sys.ID); fenghuo.ErrorCode(err) != fenghuo.ENOTFOUND {
		t.Errorf("a school reporter read the hospital's system: %v", err)
	}
	sys.Name = "changed"
	if err := e.App.Directory.UpdateSystem(ctx, e.Actor(t, reporter), sys); fenghuo.ErrorCode(err) != fenghuo.ENOTFOUND {
		t.Errorf("a school reporter changed the hospital's system: %v", err)
	}
	if _, err := e.App.Directory.System(ctx, e.Actor(t, county), sys.ID); err != nil {
		t.Errorf("the county cannot read its unit's system: %v", err)
	}
	own := &fenghuo.System{OrgID: e.Orgs["school"].ID, Name: "校园网站"}
	if err := e.App.Directory.CreateSystem(ctx, e.Actor(t, reporter), own); err != nil {
		t.Errorf("a reporter cannot register its own system: %v", err)
	}
	list, err := e.App.Directory.Systems(ctx, e.Actor(t, reporter), store.SystemFilter{}, store.Page{})
	if err != nil || list.Total != 1 {
		t.Errorf("reporter sees %d systems (%v), want 1", list.Total, err)
	}
	if _, err := e.App.Directory.Org(ctx, e.Actor(t, county), e.Orgs["county2"].ID); fenghuo.ErrorCode(err) != fenghuo.ENOTFOUND {
		t.Errorf("a county sees its sibling: %v", err)
	}
	if _, err := e.App.Directory.Org(ctx, e.Actor(t, county), e.Orgs["city"].ID); fenghuo.ErrorCode(err) != fenghuo.ENOTFOUND {
		t.Errorf("a county sees its parent: %v", err)
	}
	res, err := e.App.AuditLog.VerifyAudit(ctx, account.CLIActor())
	if err != nil || !res.OK || res.Checked < 2 {
		t.Errorf("audit chain: %+v %v", res, err)
	}
}

func TestSeedDemo(t *testing.T) {
	e := apptest.New(t)
	ctx := context.Background()
	if _, err := e.App.Demo.SeedDemo(ctx); fenghuo.ErrorCode(err) != fenghuo.ECONFLICT {
		t.Fatalf("demo over existing data: %v", err)
	}
}

func TestSeedDemoIntoEmptyDatabase(t *testing.T) {
	e := apptest.NewEmpty(t)
	ctx := context.Background()
	accounts, err := e.App.Demo.SeedDemo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	roles := map[fenghuo.Role]bool{}
	for _, a := range accounts {
		roles[a.Role] = true
		if _, err := e.App.Accounts.Login(ctx, a.Username, a.Password, "", ""); err != nil {
			t.Errorf("demo account %s cannot log in: %v", a.Username, err)
		}
	}
	if len(roles) != len(fenghuo.Roles) {
		t.Errorf("demo has roles %v, want one per role", roles)
	}
	orgs, _ := e.DB.CountOrgs(ctx)
	systems, err := e.DB.SubtreeSystems(ctx, 1, store.SystemFilter{}, store.Page{Limit: 500})
	if err != nil || orgs < 20 || systems.Total < 35 {
		t.Errorf("demo has %d orgs and %d systems (%v)", orgs, systems.Total, err)
	}
}
