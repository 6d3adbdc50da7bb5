package store

import (
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"fenghuo/internal/fenghuo"
)

func mustUser(tb testing.TB, db *DB, org int64, name string, roles ...fenghuo.Role) *fenghuo.User {
	tb.Helper()
	u := &fenghuo.User{OrgID: org, Username: name, DisplayName: name, Roles: roles}
	if err := db.CreateUser(bg, u); err != nil {
		tb.Fatalf("CreateUser(%s): %v", name, err)
	}
	return u
}

func TestUserCRUD(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		tr := mustTree(t, db)
		u := &fenghuo.User{OrgID: tr.hospital.ID, Username: "ZhangWei", DisplayName: "张伟", Email: "zw@example.cn",
			Mobile: "13800000000", Roles: []fenghuo.Role{fenghuo.RoleUnitReporter, fenghuo.RoleViewer}, PasswordHash: "argon2id$x"}
		must(t, db.CreateUser(bg, u))
		if u.Locale != "zh" || u.PasswordChangedAt.IsZero() {
			t.Fatalf("defaults not applied: locale %q, password time %v", u.Locale, u.PasswordChangedAt)
		}
		got, err := db.UserByUsername(bg, "zhangwei")
		must(t, err)
		if diff := cmp.Diff(u, got); diff != "" {
			t.Fatalf("UserByUsername (-want +got):\n%s", diff)
		}
		// Unique regardless of case.
		dup := &fenghuo.User{OrgID: tr.school.ID, Username: "ZHANGWEI", DisplayName: "x", Roles: []fenghuo.Role{fenghuo.RoleViewer}}
		wantCode(t, db.CreateUser(bg, dup), fenghuo.ECONFLICT)
		// Foreign key: an org that does not exist.
		ghost := &fenghuo.User{OrgID: 99999, Username: "ghost", DisplayName: "x", Roles: []fenghuo.Role{fenghuo.RoleViewer}}
		wantCode(t, db.CreateUser(bg, ghost), fenghuo.EINVALID)
		// 三权分立.
		mixed := &fenghuo.User{OrgID: tr.city.ID, Username: "boss", DisplayName: "x",
			Roles: []fenghuo.Role{fenghuo.RoleSystemAdmin, fenghuo.RoleCommander}}
		wantCode(t, db.CreateUser(bg, mixed), fenghuo.EINVALID)

		got.DisplayName, got.Locale = "张伟（信息科）", "en"
		must(t, db.UpdateUser(bg, got))
		stale := *u
		wantCode(t, db.UpdateUser(bg, &stale), fenghuo.ECONFLICT)
		other := mustUser(t, db, tr.school.ID, "lisi", fenghuo.RoleViewer)
		other.Username = "zhangWEI"
		wantCode(t, db.UpdateUser(bg, other), fenghuo.ECONFLICT)

		must(t, db.SetPassword(bg, u.ID, "argon2id$y"))
		must(t, db.SetTOTPSecret(bg, u.ID, "sealed", true))
		must(t, db.SetTOTPStep(bg, u.ID, 100))
		wantCode(t, db.SetTOTPStep(bg, u.ID, 100), fenghuo.ECONFLICT)
		wantCode(t, db.SetTOTPStep(bg, u.ID, 99), fenghuo.ECONFLICT)
		wantCode(t, db.SetTOTPStep(bg, 99999, 1), fenghuo.ENOTFOUND)
		must(t, db.SetUserDisabled(bg, u.ID, true))
		got, err = db.User(bg, u.ID)
		must(t, err)
		if got.PasswordHash != "argon2id$y" || !got.TOTPEnabled || got.TOTPSecretSealed != "sealed" ||
			got.TOTPLastStep != 100 || !got.Disabled || got.Locale != "en" {
			t.Fatalf("credentials not stored: %+v", got)
		}
		wantCode(t, db.SetPassword(bg, 99999, "x"), fenghuo.ENOTFOUND)
		_, err = db.User(bg, 99999)
		wantCode(t, err, fenghuo.ENOTFOUND)
	})
}

func TestSubtreeUsers(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		tr := mustTree(t, db)
		mustUser(t, db, tr.city.ID, "city-cmd", fenghuo.RoleCommander)
		mustUser(t, db, tr.countyA.ID, "a-duty", fenghuo.RoleDutyOfficer)
		mustUser(t, db, tr.hospital.ID, "hosp-rep", fenghuo.RoleUnitReporter)
		off := mustUser(t, db, tr.school.ID, "school-rep", fenghuo.RoleUnitReporter)
		mustUser(t, db, tr.water.ID, "water-rep", fenghuo.RoleUnitReporter)
		must(t, db.SetUserDisabled(bg, off.ID, true))

		names := func(f UserFilter, org int64) []string {
			t.Helper()
			res, err := db.SubtreeUsers(bg, org, f, Page{})
			must(t, err)
			out := []string{}
			for _, u := range res.Items {
				out = append(out, u.Username)
			}
			return out
		}
		if diff := cmp.Diff([]string{"a-duty", "hosp-rep"}, names(UserFilter{}, tr.countyA.ID)); diff != "" {
			t.Errorf("countyA users (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]string{"a-duty", "hosp-rep", "school-rep"}, names(UserFilter{IncludeDisabled: true}, tr.countyA.ID)); diff != "" {
			t.Errorf("countyA users with disabled (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]string{"hosp-rep", "water-rep"}, names(UserFilter{Role: fenghuo.RoleUnitReporter}, 0)); diff != "" {
			t.Errorf("reporters (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]string{"a-duty"}, names(UserFilter{OrgID: tr.countyA.ID}, tr.countyA.ID)); diff != "" {
			t.Errorf("one org (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]string{"hosp-rep"}, names(UserFilter{Query: "HOSP"}, 0)); diff != "" {
			t.Errorf("query (-want +got):\n%s", diff)
		}
		res, err := db.SubtreeUsers(bg, 0, UserFilter{}, Page{Limit: 1, Offset: 1})
		must(t, err)
		if res.Total != 4 || len(res.Items) != 1 || res.Items[0].Username != "city-cmd" {
			t.Errorf("page: total %d items %+v", res.Total, res.Items)
		}
	})
}

func TestSessions(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		tr := mustTree(t, db)
		u := mustUser(t, db, tr.hospital.ID, "alice", fenghuo.RoleAnalyst)
		t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
		for _, h := range []string{"h1", "h2", "h3"} {
			must(t, db.CreateSession(bg, &Session{IDHash: h, UserID: u.ID, Stage: "totp", CreatedAt: t0, ExpiresAt: t0.Add(8 * time.Hour), IP: "10.0.0.1"}))
		}
		wantCode(t, db.CreateSession(bg, &Session{IDHash: "h1", UserID: u.ID, ExpiresAt: t0}), fenghuo.ECONFLICT)
		wantCode(t, db.CreateSession(bg, &Session{IDHash: "h9", UserID: 99999, ExpiresAt: t0}), fenghuo.EINVALID)
		must(t, db.TouchSession(bg, "h1", t0.Add(20*time.Minute)))
		must(t, db.WithTx(bg, func(tx *Tx) error { return tx.SetSessionStage(bg, "h1", "full") }))
		s, err := db.Session(bg, "h1")
		must(t, err)
		want := &Session{IDHash: "h1", UserID: u.ID, Stage: "full", CreatedAt: t0, LastSeenAt: t0.Add(20 * time.Minute), ExpiresAt: t0.Add(8 * time.Hour), IP: "10.0.0.1"}
		if diff := cmp.Diff(want, s); diff != "" {
			t.Fatalf("Session (-want +got):\n%s", diff)
		}
		idle := 30 * time.Minute
		for _, c := range []struct {
			at   time.Duration
			want bool
		}{{49 * time.Minute, false}, {50 * time.Minute, true}, {8 * time.Hour, true}} {
			if got := s.Expired(t0.Add(c.at), idle); got != c.want {
				t.Errorf("Expired at +%v = %v, want %v", c.at, got, c.want)
			}
		}
		_, err = db.Session(bg, "nope")
		wantCode(t, err, fenghuo.ENOTFOUND)
		wantCode(t, db.TouchSession(bg, "nope", t0), fenghuo.ENOTFOUND)

		// h2 and h3 were idle since t0; h1 was seen at +20 min.
		n, err := db.DeleteExpiredSessions(bg, t0.Add(40*time.Minute), idle)
		must(t, err)
		if n != 2 {
			t.Fatalf("DeleteExpiredSessions removed %d, want 2", n)
		}
		must(t, db.DeleteSession(bg, "h1"))
		must(t, db.DeleteSession(bg, "h1")) // already gone: fine
		must(t, db.CreateSession(bg, &Session{IDHash: "h4", UserID: u.ID, ExpiresAt: t0.Add(time.Hour)}))
		must(t, db.CreateSession(bg, &Session{IDHash: "h5", UserID: u.ID, ExpiresAt: t0.Add(time.Hour)}))
		list, err := db.UserSessions(bg, u.ID)
		must(t, err)
		if len(list) != 2 {
			t.Fatalf("sessions: %+v", list)
		}
		// Disabling a user through UpdateUser ends the sessions in the same transaction.
		cur, err := db.User(bg, u.ID)
		must(t, err)
		cur.Disabled = true
		must(t, db.UpdateUser(bg, cur))
		list, err = db.UserSessions(bg, u.ID)
		must(t, err)
		if len(list) != 0 {
			t.Fatalf("disabled user keeps sessions: %+v", list)
		}
		must(t, db.CreateSession(bg, &Session{IDHash: "h6", UserID: u.ID, ExpiresAt: t0.Add(time.Hour)}))
		must(t, db.DeleteUserSessions(bg, u.ID))
		if list, _ = db.UserSessions(bg, u.ID); len(list) != 0 {
			t.Fatalf("DeleteUserSessions left %+v", list)
		}
	})
}

func TestAPITokens(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		tr := mustTree(t, db)
		u := mustUser(t, db, tr.hospital.ID, "bot", fenghuo.RoleAnalyst)
		t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
		tok := &APIToken{UserID: u.ID, Name: "wazuh", TokenHash: "th1", Scopes: []string{"alerts:write"}, ExpiresAt: t0.Add(24 * time.Hour)}
		must(t, db.CreateAPIToken(bg, tok))
		wantCode(t, db.CreateAPIToken(bg, &APIToken{UserID: u.ID, Name: "dup", TokenHash: "th1"}), fenghuo.ECONFLICT)
		got, err := db.APITokenByHash(bg, "th1")
		must(t, err)
		if diff := cmp.Diff(tok, got); diff != "" {
			t.Fatalf("token (-want +got):\n%s", diff)
		}
		if got.Expired(t0) || !got.Expired(t0.Add(24*time.Hour)) || (&APIToken{}).Expired(t0) {
			t.Error("APIToken.Expired is wrong")
		}
		_, err = db.APITokenByHash(bg, "nope")
		wantCode(t, err, fenghuo.ENOTFOUND)
		must(t, db.TouchAPIToken(bg, tok.ID, t0.Add(time.Minute)))
		list, err := db.UserAPITokens(bg, u.ID)
		must(t, err)
		if len(list) != 1 || !list[0].LastUsedAt.Equal(t0.Add(time.Minute)) {
			t.Fatalf("tokens: %+v", list)
		}
		wantCode(t, db.DeleteAPIToken(bg, u.ID+1, tok.ID), fenghuo.ENOTFOUND)
		must(t, db.DeleteAPIToken(bg, u.ID, tok.ID))
		must(t, db.CreateAPIToken(bg, &APIToken{UserID: u.ID, Name: "a", TokenHash: "ta"}))
		must(t, db.CreateAPIToken(bg, &APIToken{UserID: u.ID, Name: "b", TokenHash: "tb"}))
		must(t, db.DeleteUserAPITokens(bg, u.ID))
		if list, _ = db.UserAPITokens(bg, u.ID); len(list) != 0 {
			t.Fatalf("DeleteUserAPITokens left %+v", list)
		}
	})
}

func TestLoginState(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
		// Works the same for a name no account has.
		s, err := db.LoginState(bg, "Nobody")
		must(t, err)
		if s != (LoginState{}) {
			t.Fatalf("fresh state: %+v", s)
		}
		want := LoginState{Failures: 3, LastFailure: t0, LockedUntil: t0.Add(15 * time.Minute)}
		must(t, db.SetLoginState(bg, "NoBody", want))
		s, err = db.LoginState(bg, "nobody")
		must(t, err)
		if s != want {
			t.Fatalf("state = %+v, want %+v", s, want)
		}
		// Parallel guesses, each a locked read-modify-write, are all counted.
		var wg sync.WaitGroup
		for i := 0; i < 8; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				err := db.WithTx(bg, func(tx *Tx) error {
					s, err := tx.LockLoginState(bg, "nobody")
					if err != nil {
						return err
					}
					s.Failures++
					return tx.SetLoginState(bg, "nobody", s)
				})
				if err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if s, _ = db.LoginState(bg, "nobody"); s.Failures != 11 {
			t.Fatalf("after 8 parallel failures: %d, want 11", s.Failures)
		}
		must(t, db.WithTx(bg, func(tx *Tx) error {
			s, err := tx.LockLoginState(bg, "fresh-name")
			if err == nil && s != (LoginState{}) {
				t.Errorf("locked fresh state: %+v", s)
			}
			return err
		}))
		must(t, db.SetLoginState(bg, "nobody", LoginState{}))
		must(t, db.SetLoginState(bg, "old", LoginState{Failures: 1, LastFailure: t0}))
		n, err := db.DeleteStaleLoginStates(bg, t0.Add(time.Hour), t0.Add(time.Hour))
		must(t, err)
		if n != 2 { // "old" and the zero row "fresh-name"
			t.Fatalf("DeleteStaleLoginStates removed %d, want 2", n)
		}
	})
}

func TestSettings(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		_, err := db.Setting(bg, "site.name")
		wantCode(t, err, fenghuo.ENOTFOUND)
		must(t, db.SetSetting(bg, "site.name", "丹东"))
		must(t, db.SetSetting(bg, "site.name", "丹东市"))
		v, err := db.Setting(bg, "site.name")
		must(t, err)
		if v != "丹东市" {
			t.Fatalf("setting = %q", v)
		}
		all, err := db.Settings(bg)
		must(t, err)
		if len(all) != 1 {
			t.Fatalf("settings: %v", all)
		}
		must(t, db.DeleteSetting(bg, "site.name"))
		_, err = db.Setting(bg, "site.name")
		wantCode(t, err, fenghuo.ENOTFOUND)
	})
}

func TestValidateRoles(t *testing.T) {
	R := func(rs ...fenghuo.Role) []fenghuo.Role { return rs }
	for _, c := range []struct {
		roles []fenghuo.Role
		ok    bool
	}{
		{R(fenghuo.RoleSystemAdmin), true},
		{R(fenghuo.RoleAuditAdmin), true},
		{R(fenghuo.RoleCommander, fenghuo.RoleAnalyst, fenghuo.RoleDutyOfficer), true},
		{R(fenghuo.RoleSystemAdmin, fenghuo.RoleSecurityAdmin), false},
		{R(fenghuo.RoleSecurityAdmin, fenghuo.RoleAuditAdmin), false},
		{R(fenghuo.RoleAuditAdmin, fenghuo.RoleViewer), false},
		{R(fenghuo.RoleViewer, fenghuo.RoleViewer), false},
		{R("root"), false},
		{nil, false},
	} {
		err := fenghuo.ValidateRoles(c.roles)
		if (err == nil) != c.ok {
			t.Errorf("ValidateRoles(%v) = %v, want ok=%v", c.roles, err, c.ok)
		}
	}
}
