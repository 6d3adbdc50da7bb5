package apptest

import (
	"context"
	"database/sql"
	"net/url"
	"os"
	"strings"
	"testing"

	"fenghuo/internal/store"
)

// TestEnvRunsOnTheSelectedEngine holds the suites to what make test claims:
// with FENGHUO_TEST_ENGINE=postgres the application really sits on
// PostgreSQL, in a database of its own that is gone after the test.
func TestEnvRunsOnTheSelectedEngine(t *testing.T) {
	var dsn string
	t.Run("env", func(t *testing.T) {
		e := New(t)
		if got, want := e.DB.Engine(), Engine(t); got != want {
			t.Fatalf("the application runs on %s, %s=%q asks for %s", got, EngineEnv, os.Getenv(EngineEnv), want)
		}
		if _, err := e.DB.Org(context.Background(), e.Orgs["school"].ID); err != nil {
			t.Fatal(err)
		}
		dsn = DSN(t)
	})
	if Engine(t) != store.Postgres {
		if !strings.HasPrefix(dsn, "sqlite:") {
			t.Fatalf("DSN = %q, want a sqlite: file", dsn)
		}
		return
	}
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	name := strings.TrimPrefix(u.Path, "/")
	admin, err := sql.Open("pgx", os.Getenv("FENGHUO_TEST_POSTGRES"))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	var n int
	if err := admin.QueryRow("SELECT count(*) FROM pg_database WHERE datname = $1", name).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("test database %s is still there after its test ended", name)
	}
}
