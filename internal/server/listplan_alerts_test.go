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

// Alerts (issue 14): events and alert groups grow with every sensor, so no
// list, search, facet or count may read them whole.
func init() {
	for _, name := range []string{"intake_events", "alert_groups", "alert_group_samples", "alert_group_scope"} {
		bigTables[name] = true
	}
}

// TestAlertQueriesUseIndexes seeds a few thousand events and alert groups
// over the demo region, visits the alert API routes (lists with each
// filter, a group, event searches on indexed and JSON fields, paging by
// cursor) and the awareness snapshot as an office, a county and a unit, and
// asks the engine how it would run each read.
func TestAlertQueriesUseIndexes(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds a few thousand events")
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
			now := time.Now().UTC()
			var sample int64
			err = s.DB.WithTx(ctx, func(tx *store.Tx) error {
				var evs []*store.StoredEvent
				for i := 0; i < 6000; i++ {
					o := orgs.Items[i%len(orgs.Items)]
					evs = append(evs, &store.StoredEvent{OrgID: o.ID, At: now.Add(-time.Duration(i) * time.Minute), Received: now,
						Kind: "syslog", SourceIP: fmt.Sprintf("203.0.113.%d", i%250), UserName: fmt.Sprintf("u%d", i%300),
						HostName: "mail", Category: "authentication", RuleID: fmt.Sprint(i % 40),
						Fields: fmt.Sprintf(`{"event.action":"a%d","source.ip":"203.0.113.%d"}`, i%30, i%250)})
				}
				if err := tx.InsertEvents(ctx, evs); err != nil {
					return err
				}
				states := []string{store.AlertOpen, store.AlertAssigned, store.AlertDismissed, store.AlertPromoted}
				levels := []string{"low", "medium", "high", "critical"}
				for i := 0; i < 3000; i++ {
					o := orgs.Items[i%len(orgs.Items)]
					g := &store.AlertGroup{OrgID: o.ID, RuleID: fmt.Sprintf("rule-%d", i%50), Entity: fmt.Sprintf("source.ip=203.0.113.%d", i%250),
						Kind: "sigma", Title: "seed", Level: levels[i%4], Count: 1, FirstSeen: now.Add(-time.Duration(i) * time.Minute),
						LastSeen: now.Add(-time.Duration(i) * time.Minute), State: states[i%4]}
					if err := tx.CreateAlertGroup(ctx, g); err != nil {
						return err
					}
					if err := tx.AddAlertSamples(ctx, g.ID, []int64{evs[i].ID, evs[i+3000].ID}, 20); err != nil {
						return err
					}
					sample = g.ID
				}
				// Another province's groups: the demo region's root sees a
				// part of the table, as a province does among its peers.
				other := &fenghuo.Org{Name: "外省委网信办", Level: fenghuo.LevelProvince, Type: fenghuo.OrgRegulator}
				if err := tx.CreateOrg(ctx, other); err != nil {
					return err
				}
				unit := &fenghuo.Org{ParentID: other.ID, Name: "外省某单位", Level: fenghuo.LevelUnit, Type: fenghuo.OrgOperator}
				if err := tx.CreateOrg(ctx, unit); err != nil {
					return err
				}
				for i := 0; i < 12000; i++ {
					g := &store.AlertGroup{OrgID: unit.ID, RuleID: fmt.Sprintf("rule-%d", i%50), Entity: fmt.Sprintf("source.ip=198.51.100.%d", i%250),
						Kind: "ioc", Title: "elsewhere", Level: levels[i%4], Count: 1, FirstSeen: now.Add(-time.Duration(i) * time.Minute),
						LastSeen: now.Add(-time.Duration(i) * time.Minute), State: states[i%4]}
					if err := tx.CreateAlertGroup(ctx, g); err != nil {
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
			big := map[string]bool{"intake_events": true, "alert_groups": true, "alert_group_samples": true, "alert_group_scope": true}
			if engine == "postgres" {
				big = map[string]bool{}
				for name := range map[string]bool{"intake_events": true, "alert_groups": true, "alert_group_samples": true, "alert_group_scope": true} {
					if n := s.DB.RowEstimate(ctx, name); n >= 1000 {
						big[name] = true
					}
				}
			}
			var mu sync.Mutex
			seen := map[string][]any{}
			s.DB.SetQueryLog(func(q string, args []any) {
				mu.Lock()
				defer mu.Unlock()
				if _, ok := seen[q]; !ok && strings.HasPrefix(strings.TrimSpace(q), "SELECT") &&
					(strings.Contains(q, "alert_group") || strings.Contains(q, "intake_events")) {
					seen[q] = args
				}
			})
			from := now.Add(-48 * time.Hour).Format(time.RFC3339)
			paths := []string{"/api/v1/alert-groups", "/api/v1/alert-groups?alert_state=open", "/api/v1/alert-groups?alert_level=high&offset=100",
				"/api/v1/alert-groups?kind=sigma&rule=rule-3", "/api/v1/alert-groups?from=" + from,
				fmt.Sprintf("/api/v1/alert-groups/%d", sample),
				"/api/v1/events", "/api/v1/events?source.ip=203.0.113.9", "/api/v1/events?destination.ip=198.51.100.1",
				"/api/v1/events?user.name=u7&limit=5", "/api/v1/events?host.name=mail&rule.id=3", "/api/v1/events?event.category=authentication",
				"/api/v1/events?event.action=a3&from=" + from, "/api/v1/events?limit=10&cursor=" + fmt.Sprintf("%d.%d", now.Add(-time.Hour).UnixMilli(), 1<<40),
				"/api/v1/awareness"}
			for _, u := range []string{"commander", "qx-duty", "reporter"} {
				token := s.Token(t, u)
				for _, p := range paths {
					if status, body := s.Get(t, http.DefaultClient, token, p); status >= 500 || status == http.StatusBadRequest {
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
			if len(queries) < 10 {
				t.Fatalf("only %d distinct alert queries captured", len(queries))
			}
			t.Logf("%s: %d distinct alert read queries planned without a full scan", engine, len(queries))
		})
	}
}
