package server_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// Findings ledger (issue 12, P1): findings and their history grow with
// every inspection and check, so no list may read them whole; the console's
// findings pages are visited here and in TestListQueriesUseIndexes (the
// API's come from the route table).
func init() {
	for _, name := range []string{"findings", "finding_scope", "finding_events", "finding_evidence"} {
		bigTables[name] = true
	}
	consolePages = append(consolePages, "/findings", "/findings?state=", "/findings?state=work&overdue=1",
		"/findings?severity=critical&source=exposure", "/findings?page=2", "/findings/board")
}

// TestFindingQueriesUseIndexes seeds a few thousand findings over the demo
// region (a third closed, some accepted), visits the findings pages and
// API routes as an office, a county and a unit, and asks the engine how it
// would run each read: none may read the findings tables whole.
func TestFindingQueriesUseIndexes(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds a few thousand findings")
	}
	dsns := map[string]func(testing.TB) string{"sqlite": apptest.SQLiteDSN}
	if os.Getenv("FENGHUO_TEST_POSTGRES") != "" {
		dsns["postgres"] = apptest.PostgresDSN
	}
	for engine, dsn := range dsns {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			s := apptest.OpenDemo(t, dsn(t), 20, nil)
			orgs, err := s.DB.SubtreeOrgs(ctx, 0, store.OrgFilter{}, store.Page{Limit: store.MaxLimit})
			if err != nil {
				t.Fatal(err)
			}
			var sample int64
			err = s.DB.WithTx(ctx, func(tx *store.Tx) error {
				for i := 0; i < 4000; i++ {
					o := orgs.Items[i%len(orgs.Items)]
					f := &fenghuo.Finding{OrgID: o.ID, Source: fenghuo.FindingSources[i%len(fenghuo.FindingSources)],
						Key: fmt.Sprintf("seed/%d", i), Title: fmt.Sprintf("隐患%d", i), Severity: fenghuo.FindingSeverities[i%4],
						DueAt: time.Now().Add(time.Duration(i%200-50) * 24 * time.Hour)}
					if err := tx.CreateFinding(ctx, f, store.Duty{RecipientOrgID: o.ParentID}); err != nil {
						return err
					}
					if err := tx.AddFindingEvent(ctx, &fenghuo.FindingEvent{FindingID: f.ID, Kind: "raised", State: f.State, Body: "seed"}); err != nil {
						return err
					}
					switch i % 6 {
					case 0, 1:
						f.State, f.ClosedAt = fenghuo.FindingClosed, time.Now()
					case 2:
						f.State, f.AcceptedUntil = fenghuo.FindingAccepted, time.Now().Add(30*24*time.Hour)
					default:
						sample = f.ID
						continue
					}
					if err := tx.CloseFindingDuty(ctx, f, false, "seed"); err != nil {
						return err
					}
					if err := tx.UpdateFinding(ctx, f); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if err := s.DB.Analyze(ctx); err != nil {
				t.Fatal(err)
			}
			big := map[string]bool{"findings": true, "finding_scope": true, "finding_events": true, "finding_evidence": true}
			if engine == "postgres" {
				big = map[string]bool{}
				for _, name := range []string{"findings", "finding_scope", "finding_events"} {
					if n := s.DB.RowEstimate(ctx, name); n >= 1000 {
						big[name] = true
					}
				}
				if len(big) != 3 {
					t.Fatalf("postgres estimates: %v", big)
				}
			}
			var mu sync.Mutex
			seen := map[string][]any{}
			s.DB.SetQueryLog(func(q string, args []any) {
				mu.Lock()
				defer mu.Unlock()
				if _, ok := seen[q]; !ok && strings.HasPrefix(strings.TrimSpace(q), "SELECT") && strings.Contains(q, "finding") {
					seen[q] = args
				}
			})
			id := fmt.Sprint(sample)
			api := []string{"/api/v1/findings", "/api/v1/findings?state=work&overdue=true", "/api/v1/findings?severity=high&offset=100",
				"/api/v1/findings/board", "/api/v1/findings/" + id, "/api/v1/findings/sla"}
			pages := []string{"/findings", "/findings?state=", "/findings?state=work&overdue=1", "/findings?page=3",
				"/findings/board", "/findings/" + id}
			for _, u := range []string{"commander", "qx-duty", "reporter"} {
				token := s.Token(t, u)
				for _, p := range api {
					if status, body := s.Get(t, http.DefaultClient, token, p); status >= 500 {
						t.Errorf("%s %s: %d %.200s", u, p, status, body)
					}
				}
				c := s.Console(t, u)
				for _, p := range pages {
					if status, body := s.Get(t, c, "", p); status >= 500 {
						t.Errorf("%s %s: %d %.200s", u, p, status, body)
					}
				}
			}
			s.DB.SetQueryLog(nil)
			var queries []string
			for q := range seen {
				queries = append(queries, q)
			}
			sort.Strings(queries)
			for _, q := range queries {
				scans, plan, err := s.DB.FullScans(ctx, q, seen[q], big)
				if err != nil {
					t.Errorf("explain %s: %v", q, err)
				} else if len(scans) > 0 {
					t.Errorf("(%s) reads %v whole:\n%s\nplan:\n%.3000s", engine, scans, q, plan)
				}
			}
			if len(queries) < 8 {
				t.Fatalf("only %d distinct findings queries captured", len(queries))
			}
			t.Logf("%s: %d distinct findings read queries planned without a full scan", engine, len(queries))
		})
	}
}
