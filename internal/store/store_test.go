package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"fenghuo/internal/auth"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/pii"
)

// The suite runs every test on SQLite (a temporary file) and, when
// FENGHUO_TEST_POSTGRES holds a DSN (scripts/test-db.sh prints one), on
// PostgreSQL in a fresh database per test.

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) != "" {
		runDurabilityChild() // kill9_test.go; never returns
	}
	os.Exit(m.Run())
}

// engines lists the engines this run covers.
func engines() []Engine {
	if os.Getenv("FENGHUO_TEST_POSTGRES") != "" {
		return []Engine{SQLite, Postgres}
	}
	return []Engine{SQLite}
}

// eachEngine runs fn as a subtest per engine with a fresh, migrated database.
func eachEngine(t *testing.T, fn func(t *testing.T, db *DB)) {
	t.Helper()
	for _, e := range engines() {
		t.Run(string(e), func(t *testing.T) {
			fn(t, MustOpenDB(t, e))
		})
	}
}

// MustOpenDB opens a fresh, migrated database on engine e, closed (and on
// PostgreSQL dropped) when the test ends.
func MustOpenDB(tb testing.TB, e Engine) *DB {
	tb.Helper()
	return MustOpenDSN(tb, MustNewDSN(tb, e))
}

// MustOpenDSN opens dsn and closes it when the test ends.
func MustOpenDSN(tb testing.TB, dsn string) *DB {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	db, err := Open(ctx, dsn)
	if err != nil {
		tb.Fatalf("Open(%s): %v", dsn, err)
	}
	tb.Cleanup(func() { db.Close() })
	db.UsePersonalData(testCodec(tb))
	return db
}

// testCodec seals personal data under a zero key, as apptest does.
func testCodec(tb testing.TB) *pii.Codec {
	tb.Helper()
	c, err := pii.New(make([]byte, auth.SealerKeySize))
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// MustNewDSN returns the DSN of a new empty database on engine e: a file in
// a temporary directory, or a PostgreSQL database created for this test and
// dropped after it.
func MustNewDSN(tb testing.TB, e Engine) string {
	tb.Helper()
	if e == SQLite {
		return "sqlite:" + filepath.Join(tb.TempDir(), "fenghuo.db")
	}
	admin := os.Getenv("FENGHUO_TEST_POSTGRES")
	if admin == "" {
		tb.Skip("FENGHUO_TEST_POSTGRES is not set")
	}
	var b [6]byte
	rand.Read(b[:])
	name := "fh_test_" + hex.EncodeToString(b[:])
	adb, err := sql.Open("pgx", admin)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := adb.Exec("CREATE DATABASE " + name); err != nil {
		adb.Close()
		tb.Fatalf("create test database: %v", err)
	}
	tb.Cleanup(func() {
		defer adb.Close()
		if _, err := adb.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); err != nil {
			tb.Errorf("drop test database %s: %v", name, err)
		}
	})
	u, err := url.Parse(admin)
	if err != nil {
		tb.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// wantCode fails unless err carries the given fenghuo error code.
func wantCode(tb testing.TB, err error, code string) {
	tb.Helper()
	if got := fenghuo.ErrorCode(err); got != code {
		tb.Fatalf("error code = %q, want %q (err: %v)", got, code, err)
	}
}

func must(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}

var bg = context.Background()

// mustOrg creates an org under parent (0: root).
func mustOrg(tb testing.TB, db *DB, parent int64, name string, level fenghuo.OrgLevel, typ fenghuo.OrgType) *fenghuo.Org {
	tb.Helper()
	o := &fenghuo.Org{ParentID: parent, Name: name, Level: level, Type: typ}
	if err := db.CreateOrg(bg, o); err != nil {
		tb.Fatalf("CreateOrg(%s): %v", name, err)
	}
	return o
}

// tree is the fixture most tests use:
//
//	city (regulator)
//	├── countyA (regulator)
//	│   ├── hospital (operator)
//	│   └── school (operator)
//	└── countyB (regulator)
//	    └── water (operator)
type tree struct {
	city, countyA, countyB, hospital, school, water *fenghuo.Org
}

func mustTree(tb testing.TB, db *DB) tree {
	tb.Helper()
	var t tree
	t.city = mustOrg(tb, db, 0, "丹东市网信办", fenghuo.LevelCity, fenghuo.OrgRegulator)
	t.countyA = mustOrg(tb, db, t.city.ID, "宽甸县网信办", fenghuo.LevelCounty, fenghuo.OrgRegulator)
	t.countyB = mustOrg(tb, db, t.city.ID, "东港市网信办", fenghuo.LevelCounty, fenghuo.OrgRegulator)
	t.hospital = mustOrg(tb, db, t.countyA.ID, "宽甸县人民医院", fenghuo.LevelUnit, fenghuo.OrgOperator)
	t.school = mustOrg(tb, db, t.countyA.ID, "宽甸县第一中学", fenghuo.LevelUnit, fenghuo.OrgOperator)
	t.water = mustOrg(tb, db, t.countyB.ID, "东港市自来水公司", fenghuo.LevelUnit, fenghuo.OrgOperator)
	return t
}

func TestOpenMigratesOnceAndReopens(t *testing.T) {
	for _, e := range engines() {
		t.Run(string(e), func(t *testing.T) {
			dsn := MustNewDSN(t, e)
			db := MustOpenDSN(t, dsn)
			v, err := db.SchemaVersion(bg)
			must(t, err)
			if v != LatestSchemaVersion() || v < 1 {
				t.Fatalf("SchemaVersion = %d, want %d", v, LatestSchemaVersion())
			}
			mustOrg(t, db, 0, "root", fenghuo.LevelCity, fenghuo.OrgRegulator)
			db.Close()

			// Reopening applies nothing twice and keeps the data.
			db2 := MustOpenDSN(t, dsn)
			var n int
			must(t, db2.write.QueryRow("SELECT COUNT(*) FROM schema_migrations").Scan(&n))
			if n != len(mustMigrations(t, e)) {
				t.Fatalf("schema_migrations has %d rows, want %d", n, len(mustMigrations(t, e)))
			}
			kids, err := db2.ChildOrgs(bg, 0)
			must(t, err)
			if len(kids) != 1 {
				t.Fatalf("after reopen: %d roots, want 1", len(kids))
			}
		})
	}
}

func mustMigrations(tb testing.TB, e Engine) []migration {
	ms, err := migrations(e)
	must(tb, err)
	return ms
}

func TestFailedMigrationLeavesSchema(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		before, err := db.SchemaVersion(bg)
		must(t, err)
		// The first statement works, the second fails: nothing of the
		// migration may stay, not its table and not its version row.
		bad := migration{version: 9999, name: "bad"}
		err = db.applyText(bg, bad, "CREATE TABLE fh_half (x INTEGER);\nCREATE TABLE settings (x INTEGER);")
		if err == nil {
			t.Fatal("a failing migration succeeded")
		}
		var n int
		err = db.write.QueryRow("SELECT COUNT(*) FROM fh_half").Scan(&n)
		if err == nil {
			t.Fatal("table fh_half of the failed migration exists")
		}
		after, err := db.SchemaVersion(bg)
		must(t, err)
		if after != before {
			t.Fatalf("schema version %d after a failed migration, want %d", after, before)
		}
	})
}

func TestOpenRejectsBadDSN(t *testing.T) {
	for _, dsn := range []string{"", "sqlite:", ":memory:", "sqlite:/tmp/x.db?mode=ro"} {
		if _, err := Open(bg, dsn); fenghuo.ErrorCode(err) != fenghuo.EINVALID {
			t.Errorf("Open(%q) = %v, want EINVALID", dsn, err)
		}
	}
}

func TestSQLitePragmas(t *testing.T) {
	db := MustOpenDB(t, SQLite)
	for _, p := range []struct {
		pool *sql.DB
		name string
		want string
	}{
		{db.write, "journal_mode", "wal"},
		{db.write, "foreign_keys", "1"},
		{db.write, "synchronous", "2"},
		{db.write, "busy_timeout", "10000"},
		{db.read, "foreign_keys", "1"},
		{db.read, "query_only", "1"},
		{db.read, "journal_mode", "wal"},
	} {
		var got string
		must(t, p.pool.QueryRow("PRAGMA "+p.name).Scan(&got))
		if got != p.want {
			t.Errorf("PRAGMA %s = %q, want %q", p.name, got, p.want)
		}
	}
	// The read pool refuses writes.
	if _, err := db.read.Exec("INSERT INTO settings (key, value, updated_at) VALUES ('x', 'y', 0)"); err == nil {
		t.Error("write through the read pool succeeded")
	}
}

func TestRebind(t *testing.T) {
	d := dialect{engine: Postgres}
	got := d.rebind(`SELECT a FROM t WHERE b = ? AND c LIKE '%?%' AND d IN (?, ?)`)
	want := `SELECT a FROM t WHERE b = $1 AND c LIKE '%?%' AND d IN ($2, $3)`
	if got != want {
		t.Fatalf("rebind = %q, want %q", got, want)
	}
}

func TestWithTxRollsBack(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		boom := errors.New("boom")
		err := db.WithTx(bg, func(tx *Tx) error {
			must(t, tx.CreateOrg(bg, &fenghuo.Org{Name: "gone", Level: fenghuo.LevelCity, Type: fenghuo.OrgRegulator}))
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("WithTx = %v, want boom", err)
		}
		roots, err := db.ChildOrgs(bg, 0)
		must(t, err)
		if len(roots) != 0 {
			t.Fatalf("rolled-back org is visible: %+v", roots)
		}
	})
}

func itoa(v int64) string { return strconv.FormatInt(v, 10) }

// A caller without a user (user id 0) must see its own org's org-wide
// notices only, never those of every org.
func TestNotificationsScopedToOrg(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		a := &fenghuo.Org{Name: "甲", Level: fenghuo.LevelCity, Type: fenghuo.OrgRegulator}
		b := &fenghuo.Org{Name: "乙", Level: fenghuo.LevelCity, Type: fenghuo.OrgRegulator}
		must(t, db.WithTx(bg, func(tx *Tx) error {
			if err := tx.CreateOrg(bg, a); err != nil {
				return err
			}
			if err := tx.CreateOrg(bg, b); err != nil {
				return err
			}
			if err := tx.CreateNotification(bg, &Notification{OrgID: a.ID, Kind: "k", Title: "for a"}); err != nil {
				return err
			}
			return tx.CreateNotification(bg, &Notification{OrgID: b.ID, Kind: "k", Title: "for b"})
		}))
		for _, uid := range []int64{0, 42} {
			got, err := db.Notifications(bg, a.ID, uid, 10)
			must(t, err)
			if len(got) != 1 || got[0].Title != "for a" {
				t.Fatalf("user %d of org a sees %+v, want only org a's notice", uid, got)
			}
		}
	})
}
