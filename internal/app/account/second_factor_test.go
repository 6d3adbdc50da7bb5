package account_test

import (
	"context"
	"strings"
	"testing"

	"github.com/pquerna/otp/totp"

	"fenghuo/internal/app/account"
	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// An org that requires TOTP of every account sends its (and its subtree's)
// users through enrolment at their next log-in; enrolment hands out
// recovery codes, each of which then logs in once.
func TestOrgPolicyForcesEnrolmentAndRecoveryCodesWorkOnce(t *testing.T) {
	e := apptest.New(t)
	ctx := context.Background()
	admin, _ := e.User(t, "cityadmin", "city", fenghuo.RoleSystemAdmin)
	commander, _ := e.User(t, "countycmd", "county", fenghuo.RoleCommander)
	e.User(t, "teacher", "school", fenghuo.RoleUnitReporter)
	e.User(t, "nurse2", "school2", fenghuo.RoleUnitReporter)

	if res, err := e.App.Accounts.Login(ctx, "teacher", apptest.Password, "127.0.0.1", ""); err != nil || res.Stage != account.StageFull {
		t.Fatalf("before the policy: %v %+v", err, res)
	}
	// A commander holds org.write but is no system administrator.
	if _, err := e.App.Directory.SetOrgTOTPPolicy(ctx, e.Actor(t, commander), e.Orgs["county"].ID, true); fenghuo.ErrorCode(err) != fenghuo.EFORBIDDEN {
		t.Fatalf("a commander set the policy: %v", err)
	}
	p, err := e.App.Directory.SetOrgTOTPPolicy(ctx, e.Actor(t, admin), e.Orgs["county"].ID, true)
	if err != nil || !p.Required || p.RequiredFrom != e.Orgs["county"].ID {
		t.Fatalf("set policy: %v %+v", err, p)
	}
	got, err := e.App.Directory.OrgTOTPPolicy(ctx, e.Actor(t, admin), e.Orgs["school"].ID)
	if err != nil || got.Required || got.RequiredFrom != e.Orgs["county"].ID {
		t.Fatalf("school's policy: %v %+v", err, got)
	}
	// The sibling county's units are not touched.
	if res, err := e.App.Accounts.Login(ctx, "nurse2", apptest.Password, "127.0.0.1", ""); err != nil || res.Stage != account.StageFull {
		t.Fatalf("outside the subtree: %v %+v", err, res)
	}

	res, err := e.App.Accounts.Login(ctx, "teacher", apptest.Password, "127.0.0.1", "")
	if err != nil || res.Stage != account.StageEnroll {
		t.Fatalf("after the policy: %v %+v, want enrol", err, res)
	}
	if _, stage, _ := e.App.Accounts.Session(ctx, res.Token, "127.0.0.1"); stage == account.StageFull {
		t.Fatal("a session in the enrol stage is full")
	}
	u, err := e.App.Accounts.EnrollmentUser(ctx, res.Token)
	if err != nil {
		t.Fatal(err)
	}
	secret, url, err := e.App.Accounts.BeginTOTPEnrollment(ctx, u.ID)
	if err != nil || url == "" {
		t.Fatal(err)
	}
	code, _ := totp.GenerateCode(secret, e.Clock.Now())
	full, codes, err := e.App.Accounts.ConfirmTOTPEnrollment(ctx, res.Token, code, "127.0.0.1", "")
	if err != nil || len(codes) != 10 {
		t.Fatalf("confirm: %v, %d codes", err, len(codes))
	}
	if _, stage, err := e.App.Accounts.Session(ctx, full, "127.0.0.1"); err != nil || stage != account.StageFull {
		t.Fatalf("after enrolment: %v %s", err, stage)
	}
	// Only hashes are stored.
	hashes, err := e.DB.RecoveryCodeHashes(ctx, u.ID)
	if err != nil || len(hashes) != 10 {
		t.Fatalf("stored: %v %d", err, len(hashes))
	}
	for _, h := range hashes {
		for _, c := range codes {
			if h == c {
				t.Fatal("a recovery code is stored in clear")
			}
		}
	}

	// The next log-in asks for the code; a recovery code stands in once.
	res, err = e.App.Accounts.Login(ctx, "teacher", apptest.Password, "127.0.0.1", "")
	if err != nil || res.Stage != account.StageTOTP {
		t.Fatalf("enrolled log-in: %v %+v", err, res)
	}
	tok, err := e.App.Accounts.VerifyTOTP(ctx, res.Token, codes[3], "127.0.0.1", "")
	if err != nil {
		t.Fatalf("recovery code: %v", err)
	}
	if _, stage, err := e.App.Accounts.Session(ctx, tok, "127.0.0.1"); err != nil || stage != account.StageFull {
		t.Fatalf("after the recovery code: %v %s", err, stage)
	}
	if left, err := e.App.Accounts.RecoveryCodesLeft(ctx, u.ID); err != nil || left != 9 {
		t.Fatalf("left: %d %v, want 9", left, err)
	}
	res, _ = e.App.Accounts.Login(ctx, "teacher", apptest.Password, "127.0.0.1", "")
	if _, err := e.App.Accounts.VerifyTOTP(ctx, res.Token, codes[3], "127.0.0.1", ""); fenghuo.ErrorCode(err) != fenghuo.EUNAUTHORIZED {
		t.Fatalf("a used recovery code: %v, want refused", err)
	}
	// Another unused one still works, typed in capitals without dashes.
	res, _ = e.App.Accounts.Login(ctx, "teacher", apptest.Password, "127.0.0.1", "")
	typed := strings.ToUpper(strings.ReplaceAll(codes[5], "-", ""))
	if _, err := e.App.Accounts.VerifyTOTP(ctx, res.Token, typed, "127.0.0.1", ""); err != nil {
		t.Fatalf("recovery code %q: %v", typed, err)
	}

	entries, err := e.DB.AuditEntries(ctx, store.AuditFilter{ActionPrefix: "auth.recovery_code"}, store.Page{Limit: 10})
	if err != nil || len(entries.Items) != 2 {
		t.Fatalf("recovery-code audit: %v %d, want 2", err, len(entries.Items))
	}
	pol, err := e.DB.AuditEntries(ctx, store.AuditFilter{ActionPrefix: "org.totp_policy"}, store.Page{Limit: 10})
	if err != nil || len(pol.Items) != 2 {
		t.Fatalf("policy audit: %v %d, want the denial and the change", err, len(pol.Items))
	}

	// Turning the policy off stops forcing accounts that have not enrolled.
	e.User(t, "clerk", "hospital", fenghuo.RoleUnitReporter)
	if res, _ := e.App.Accounts.Login(ctx, "clerk", apptest.Password, "127.0.0.1", ""); res == nil || res.Stage != account.StageEnroll {
		t.Fatalf("hospital under the policy: %+v", res)
	}
	if _, err := e.App.Directory.SetOrgTOTPPolicy(ctx, e.Actor(t, admin), e.Orgs["county"].ID, false); err != nil {
		t.Fatal(err)
	}
	if res, _ := e.App.Accounts.Login(ctx, "clerk", apptest.Password, "127.0.0.1", ""); res == nil || res.Stage != account.StageFull {
		t.Fatalf("after turning it off: %+v", res)
	}
}
