// Package apptest builds a real application over a temporary database for
// tests of the console and the API. It is imported only by tests.
package apptest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/app/services"
	"fenghuo/internal/audit"
	"fenghuo/internal/auth"
	"fenghuo/internal/calendar"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/pii"
	"fenghuo/internal/plan"
	"fenghuo/internal/store"
)

// Clock is a settable clock for tests: they move time instead of sleeping.
type Clock struct{ t time.Time }

// Now returns the clock's time.
func (c *Clock) Now() time.Time { return c.t }

// Advance moves the clock forward.
func (c *Clock) Advance(d time.Duration) { c.t = c.t.Add(d) }

// Set sets the clock.
func (c *Clock) Set(t time.Time) { c.t = t }

// Env is an application over a fresh database with a small org tree.
type Env struct {
	App *services.Services
	DB  *store.DB
	// DSN is the database's address, for ExecSQL.
	DSN   string
	Clock *Clock
	Dir   string
	// Orgs of the fixture tree, by key: city › {county › {school, hospital},
	// county2 › school2}.
	Orgs map[string]*fenghuo.Org
}

// EngineEnv selects the engine the suites built on this package (app, api,
// web, monitor) run on: "postgres" runs them on PostgreSQL, in a fresh
// database per test on the server FENGHUO_TEST_POSTGRES names; unset or
// "sqlite" runs them on a temporary SQLite file. make test runs those
// packages once per engine (scripts/test.sh).
const EngineEnv = "FENGHUO_TEST_ENGINE"

// Engine returns the engine of this test run, from FENGHUO_TEST_ENGINE.
func Engine(tb testing.TB) store.Engine {
	tb.Helper()
	switch e := os.Getenv(EngineEnv); e {
	case "", string(store.SQLite):
		return store.SQLite
	case string(store.Postgres):
		return store.Postgres
	default:
		tb.Fatalf("%s=%q: want %q or %q", EngineEnv, e, store.SQLite, store.Postgres)
		return ""
	}
}

// DSN returns a new empty database for a test on the engine of this run
// (see Engine): a file in a temporary directory, or a PostgreSQL database
// created on the server FENGHUO_TEST_POSTGRES names and dropped when the
// test ends.
func DSN(tb testing.TB) string {
	tb.Helper()
	if Engine(tb) == store.SQLite {
		return SQLiteDSN(tb)
	}
	if os.Getenv("FENGHUO_TEST_POSTGRES") == "" {
		tb.Fatalf("%s=postgres needs FENGHUO_TEST_POSTGRES (a postgres:// URL of a server where it may create databases); eval \"$(bash scripts/test-db.sh)\" starts one", EngineEnv)
	}
	return PostgresDSN(tb)
}

// SQLiteDSN returns a new SQLite file in a temporary directory.
func SQLiteDSN(tb testing.TB) string {
	return "sqlite:" + filepath.Join(tb.TempDir(), "fenghuo.db")
}

// PostgresDSN returns a new empty PostgreSQL database on the server
// FENGHUO_TEST_POSTGRES names, dropped when the test ends; it skips the
// test when the variable is unset (tests that cover both engines whatever
// FENGHUO_TEST_ENGINE says use it for their PostgreSQL half).
func PostgresDSN(tb testing.TB) string {
	tb.Helper()
	admin := os.Getenv("FENGHUO_TEST_POSTGRES")
	if admin == "" {
		tb.Skip("FENGHUO_TEST_POSTGRES is not set")
	}
	u, err := url.Parse(admin)
	if err != nil {
		tb.Fatalf("FENGHUO_TEST_POSTGRES: %v", err)
	}
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		tb.Fatal(err)
	}
	// The name is ours (hex digits only): identifiers cannot be placeholders.
	name := "fh_test_" + hex.EncodeToString(b[:])
	adb, err := sql.Open("pgx", admin)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := adb.Exec("CREATE DATABASE " + name); err != nil {
		adb.Close()
		tb.Fatalf("create test database on FENGHUO_TEST_POSTGRES: %v", err)
	}
	// Registered before the caller opens the database, so it runs after the
	// database is closed; FORCE ends connections a test left behind.
	tb.Cleanup(func() {
		defer adb.Close()
		if _, err := adb.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); err != nil {
			tb.Errorf("drop test database %s: %v", name, err)
		}
	})
	u.Path = "/" + name
	return u.String()
}

// OpenApp opens dsn (migrating it) and builds an application over it with
// the built-in plans, the embedded calendar and zero keys; a second call on
// the same dsn is a second replica over the same database.
func OpenApp(tb testing.TB, dsn string) (*store.DB, *services.Services) {
	tb.Helper()
	return OpenAppWith(tb, dsn, app.DefaultConfig())
}

// OpenAppWith is OpenApp with the given settings (app.Config), for tests of
// a setting other than the default.
func OpenAppWith(tb testing.TB, dsn string, cfg app.Config) (*store.DB, *services.Services) {
	tb.Helper()
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	sealer, err := auth.NewSealer(make([]byte, auth.SealerKeySize))
	if err != nil {
		tb.Fatal(err)
	}
	codec, err := pii.New(make([]byte, auth.SealerKeySize))
	if err != nil {
		tb.Fatal(err)
	}
	db.UsePersonalData(codec)
	if _, err := db.SealPersonalData(context.Background()); err != nil {
		tb.Fatal(err)
	}
	return db, services.New(app.Deps{DB: db, Plans: plan.Builtin(), Calendar: calendar.Default(), Audit: TestChain(tb), Sealer: sealer, Config: cfg})
}

// TestChain is the audit chain of the applications OpenApp builds (a zero
// key), for tests that append or verify entries themselves.
func TestChain(tb testing.TB) *audit.Chain {
	tb.Helper()
	chain, err := audit.NewChain(make([]byte, audit.KeySize))
	if err != nil {
		tb.Fatal(err)
	}
	return chain
}

// New opens a fresh application with the fixture org tree.
func New(tb testing.TB) *Env {
	tb.Helper()
	return NewWith(tb, app.DefaultConfig())
}

// NewWith is New with the given settings (app.Config).
func NewWith(tb testing.TB, cfg app.Config) *Env {
	tb.Helper()
	e := newEmpty(tb, cfg)
	e.mustOrg(tb, "city", "", fenghuo.Org{Name: "测试市委网信办", Level: fenghuo.LevelCity, Type: fenghuo.OrgRegulator,
		PlanIDs: []string{"cac-2025"}, PlanRoles: []string{"cyberspace_office"}})
	e.mustOrg(tb, "county", "city", fenghuo.Org{Name: "甲县委网信办", Level: fenghuo.LevelCounty, Type: fenghuo.OrgRegulator,
		PlanIDs: []string{"wushen-county", "cac-2025"}, PlanRoles: []string{"cyberspace_office"}})
	e.mustOrg(tb, "school", "county", fenghuo.Org{Name: "甲县第一中学", Level: fenghuo.LevelUnit, Type: fenghuo.OrgOperator, Sector: "education", PlanRoles: []string{"operator"}})
	e.mustOrg(tb, "hospital", "county", fenghuo.Org{Name: "甲县人民医院", Level: fenghuo.LevelUnit, Type: fenghuo.OrgOperator, Sector: "health", PlanRoles: []string{"operator"}})
	e.mustOrg(tb, "county2", "city", fenghuo.Org{Name: "乙县委网信办", Level: fenghuo.LevelCounty, Type: fenghuo.OrgRegulator, PlanRoles: []string{"cyberspace_office"}})
	e.mustOrg(tb, "school2", "county2", fenghuo.Org{Name: "乙县第一中学", Level: fenghuo.LevelUnit, Type: fenghuo.OrgOperator, Sector: "education", PlanRoles: []string{"operator"}})
	return e
}

// NewEmpty opens a fresh application over an empty database.
func NewEmpty(tb testing.TB) *Env {
	tb.Helper()
	return newEmpty(tb, app.DefaultConfig())
}

func newEmpty(tb testing.TB, cfg app.Config) *Env {
	tb.Helper()
	dsn := DSN(tb)
	db, a := OpenAppWith(tb, dsn, cfg)
	clock := &Clock{t: time.Date(2026, 11, 20, 9, 0, 0, 0, calendar.Shanghai)}
	a.SetClock(clock.Now)
	return &Env{App: a, DB: db, Clock: clock, Dir: tb.TempDir(), DSN: dsn, Orgs: map[string]*fenghuo.Org{}}
}

func (e *Env) mustOrg(tb testing.TB, key, parent string, o fenghuo.Org) {
	tb.Helper()
	if parent != "" {
		o.ParentID = e.Orgs[parent].ID
	}
	if err := e.DB.CreateOrg(context.Background(), &o); err != nil {
		tb.Fatalf("org %s: %v", key, err)
	}
	e.Orgs[key] = &o
}

// Password is the password every fixture user gets.
const Password = "Fixture-Passw0rd-Long"

// User creates an account with one role in the org with the given key and
// returns it. Administrators get TOTP enrolled with the returned secret.
func (e *Env) User(tb testing.TB, username, orgKey string, role fenghuo.Role) (*fenghuo.User, string) {
	tb.Helper()
	ctx := context.Background()
	hash, err := auth.HashPassword(Password)
	if err != nil {
		tb.Fatal(err)
	}
	u := &fenghuo.User{OrgID: e.Orgs[orgKey].ID, Username: username, DisplayName: username, Roles: []fenghuo.Role{role}, PasswordHash: hash}
	if role == fenghuo.RoleDisplay {
		// A display account is bound to addresses: loopback, and the
		// documentation address httptest.NewRequest comes from.
		u.AllowedAddresses = []string{"127.0.0.0/8", "::1", "192.0.2.0/24"}
	}
	if err := e.DB.CreateUser(ctx, u); err != nil {
		tb.Fatal(err)
	}
	secret := ""
	if u.IsAdmin() {
		var url string
		secret, url, err = e.App.Accounts.BeginTOTPEnrollment(ctx, u.ID)
		if err != nil || url == "" {
			tb.Fatal(err)
		}
		if err := e.DB.SetTOTPSecret(ctx, u.ID, mustSealed(tb, e, u.ID), true); err != nil {
			tb.Fatal(err)
		}
		if u, err = e.DB.User(ctx, u.ID); err != nil {
			tb.Fatal(err)
		}
	}
	return u, secret
}

func mustSealed(tb testing.TB, e *Env, id int64) string {
	u, err := e.DB.User(context.Background(), id)
	if err != nil {
		tb.Fatal(err)
	}
	return u.TOTPSecretSealed
}

// Actor returns the actor of a user, as a full console session would.
func (e *Env) Actor(tb testing.TB, u *fenghuo.User) *app.Actor {
	tb.Helper()
	o, err := e.DB.Org(context.Background(), u.OrgID)
	if err != nil {
		tb.Fatal(err)
	}
	return &app.Actor{User: *u, Org: *o, IP: "127.0.0.1", Via: "console"}
}

// Chromium returns the path of the Chromium binary for console tests:
// FENGHUO_TEST_CHROMIUM, or a chromium on PATH. In CI (CI=true) a missing
// browser fails the test; elsewhere the test is skipped with the reason.
func Chromium(tb testing.TB) string {
	tb.Helper()
	if p := os.Getenv("FENGHUO_TEST_CHROMIUM"); p != "" {
		return p
	}
	for _, p := range []string{"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		tb.Fatal("Chromium is required in CI: run make test, which installs it")
	}
	tb.Skip("no Chromium: set FENGHUO_TEST_CHROMIUM or run make test")
	return ""
}

// Unit adds an operator unit under the county with a report e-mail address.
func (e *Env) Unit(t testing.TB, key, name, email string, component string) *fenghuo.Org {
	t.Helper()
	ctx := context.Background()
	o := &fenghuo.Org{ParentID: e.Orgs["county"].ID, Name: name, Level: fenghuo.LevelUnit, Type: fenghuo.OrgOperator,
		Sector: "government", PlanRoles: []string{"operator"}, ReportEmail: email,
		Liaison: fenghuo.Liaison{Name: "王联络", Mobile: "13800000000"}}
	if err := e.DB.CreateOrg(ctx, o); err != nil {
		t.Fatal(err)
	}
	e.Orgs[key] = o
	if component != "" {
		s := &fenghuo.System{OrgID: o.ID, Name: name + "门户网站", Components: []fenghuo.Component{{Name: component, Version: "12.2.1.4"}}}
		if err := e.DB.CreateSystem(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	return o
}

// ExecSQL runs a statement on the database behind the application's back,
// as someone with access to the database server could: tests of tamper
// detection change rows with it.
func (e *Env) ExecSQL(tb testing.TB, query string, args ...any) int64 {
	tb.Helper()
	driver, dsn := "pgx", e.DSN
	if path, ok := strings.CutPrefix(e.DSN, "sqlite:"); ok {
		driver, dsn = "sqlite", path+"?_pragma=busy_timeout%285000%29"
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	res, err := db.Exec(query, args...)
	if err != nil {
		tb.Fatalf("%s: %v", query, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		tb.Fatal(err)
	}
	return n
}

// ShanghaiTime reads "2006-01-02 15:04" as a time in China Standard Time,
// as the tests write their scenarios.
func ShanghaiTime(tb testing.TB, s string) time.Time {
	tb.Helper()
	tm, err := time.ParseInLocation("2006-01-02 15:04", s, calendar.Shanghai)
	if err != nil {
		tb.Fatal(err)
	}
	return tm
}
