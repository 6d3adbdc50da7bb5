package server_test

import (
	"context"
	"net/http"
	"os"
	"sync/atomic"
	"testing"

	"fenghuo/internal/apptest"
)

// BenchmarkMonitorsList serves the demo region with 5,000 monitors of 30
// checks each through the real handler over loopback and fetches, as the
// city's commander (who sees every monitor), the console's monitors page
// and the API's monitors list; it reports the statements each request
// sent to the store (queries/op: reads and RETURNING statements; the query log sees no plain writes) beside its time. SQLite, and
// PostgreSQL with FENGHUO_TEST_POSTGRES (FENGHUO_BENCH_ENGINE=postgres).
func BenchmarkMonitorsList(b *testing.B) {
	dsn := apptest.SQLiteDSN(b)
	if os.Getenv("FENGHUO_BENCH_ENGINE") == "postgres" {
		dsn = apptest.PostgresDSN(b)
	}
	s := apptest.OpenDemo(b, dsn, 20, nil)
	seedMonitors(b, s.DB, 5000, 30)
	if err := s.DB.Analyze(context.Background()); err != nil {
		b.Fatal(err)
	}
	var statements atomic.Int64
	s.DB.SetQueryLog(func(string, []any) { statements.Add(1) })
	defer s.DB.SetQueryLog(nil)
	for _, c := range []struct {
		name, path string
		client     *http.Client
		token      string
	}{
		{"console", "/monitors", s.Console(b, "commander"), ""},
		{"api", "/api/v1/monitors?limit=50", http.DefaultClient, s.Token(b, "commander")},
	} {
		b.Run(c.name, func(b *testing.B) {
			statements.Store(0)
			for b.Loop() {
				if status, body := s.Get(b, c.client, c.token, c.path); status != http.StatusOK {
					b.Fatalf("%s: %d %.200s", c.path, status, body)
				}
			}
			b.ReportMetric(float64(statements.Load())/float64(b.N), "queries/op")
		})
	}
}
