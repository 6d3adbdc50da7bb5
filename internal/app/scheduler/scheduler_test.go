package scheduler_test

import (
	"context"
	"fenghuo/internal/app/incident"
	"fenghuo/internal/app/scheduler"
	"fenghuo/internal/app/services"
	"fenghuo/internal/apptest"
	"fenghuo/internal/calendar"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
	"fmt"
	"os"
	"slices"
	"sync"
	"testing"
	"time"
)

// schedEnv is an application over a fresh database on one engine, with a
// county office and a unit, for the scheduler's test and benchmark.
type schedEnv struct {
	dsn          string
	db           *store.DB
	app          *services.Services
	unit, county *fenghuo.Org
}

// schedEngines are the engines this run covers: SQLite, and PostgreSQL when
// FENGHUO_TEST_POSTGRES names a server (scripts/test-db.sh).
func schedEngines() []store.Engine {
	if os.Getenv("FENGHUO_TEST_POSTGRES") != "" {
		return []store.Engine{store.SQLite, store.Postgres}
	}
	return []store.Engine{store.SQLite}
}

func newSchedEnv(tb testing.TB, engine store.Engine, now func() time.Time) *schedEnv {
	tb.Helper()
	e := &schedEnv{dsn: apptest.SQLiteDSN(tb)}
	if engine == store.Postgres {
		e.dsn = apptest.PostgresDSN(tb)
	}
	e.db, e.app = apptest.OpenApp(tb, e.dsn)
	e.app.SetClock(now)
	ctx := context.Background()
	e.county = &fenghuo.Org{Name: "甲县委网信办", Level: fenghuo.LevelCounty, Type: fenghuo.OrgRegulator, PlanRoles: []string{"cyberspace_office"}}
	if err := e.db.CreateOrg(ctx, e.county); err != nil {
		tb.Fatal(err)
	}
	e.unit = &fenghuo.Org{Name: "甲县第一中学", ParentID: e.county.ID, Level: fenghuo.LevelUnit, Type: fenghuo.OrgOperator, PlanRoles: []string{"operator"}}
	if err := e.db.CreateOrg(ctx, e.unit); err != nil {
		tb.Fatal(err)
	}
	return e
}

// seedDue stores n open obligations of the unit towards the county, due at
// due(i), five to an incident, in transactions of 5,000 (bulk, through the
// store).
func (e *schedEnv) seedDue(tb testing.TB, n int, due func(i int) time.Time) {
	tb.Helper()
	ctx := context.Background()
	for start := 0; start < n; start += 5000 {
		err := e.db.WithTx(ctx, func(tx *store.Tx) error {
			var inc *fenghuo.Incident
			for i := start; i < min(start+5000, n); i++ {
				if i%5 == 0 {
					inc = &fenghuo.Incident{OrgID: e.unit.ID, Title: fmt.Sprintf("事件%d", i/5), DiscoveredAt: due(i).Add(-time.Hour),
						Channel: fenghuo.ChannelMonitoring, Status: fenghuo.StatusReported, Facts: map[string]any{}}
					if err := tx.CreateIncident(ctx, inc); err != nil {
						return err
					}
				}
				o := &fenghuo.Obligation{Kind: incident.KindReport, IncidentID: inc.ID, OwnerOrgID: e.unit.ID, RecipientOrgID: e.county.ID,
					RecipientName: e.county.Name, PlanID: "cac-2025", RuleID: fmt.Sprintf("r%d", i%5),
					Title: fmt.Sprintf("向甲县委网信办报告#%d", i), DueAt: due(i)}
				if err := tx.CreateObligation(ctx, o); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
}

// 1,000 obligations due at once, two schedulers (replicas over their own
// connections) draining them together: each is escalated exactly once
// (one notice to the owner, one to the office, one timeline entry), none is
// left.
func TestThousandDueEscalatedExactlyOnce(t *testing.T) {
	for _, engine := range schedEngines() {
		t.Run(string(engine), func(t *testing.T) {
			ctx := context.Background()
			t0 := time.Date(2026, 11, 20, 9, 0, 0, 0, calendar.Shanghai)
			now := func() time.Time { return t0.Add(time.Minute) }
			e := newSchedEnv(t, engine, now)
			const n = 1000
			e.seedDue(t, n, func(int) time.Time { return t0 })
			_, replica := apptest.OpenApp(t, e.dsn)
			replica.SetClock(now)
			var mu sync.Mutex
			fired := map[int64]int{}
			observe := func(event string, o *fenghuo.Obligation, at time.Time) {
				mu.Lock()
				fired[o.ID]++
				mu.Unlock()
			}
			e.app.Scheduler.ObserveObligationEvents(observe)
			replica.Scheduler.ObserveObligationEvents(observe)
			var wg sync.WaitGroup
			results := make([]scheduler.TickResult, 2)
			errs := make([]error, 2)
			for i, a := range []*services.Services{e.app, replica} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					results[i], errs[i] = a.Scheduler.Tick(ctx)
				}()
			}
			wg.Wait()
			for _, err := range errs {
				if err != nil {
					t.Fatal(err)
				}
			}
			if got := results[0].Escalated + results[1].Escalated; got != n {
				t.Errorf("escalated %d (%d + %d), want %d", got, results[0].Escalated, results[1].Escalated, n)
			}
			if len(fired) != n {
				t.Errorf("%d obligations fired, want %d", len(fired), n)
			}
			for id, c := range fired {
				if c != 1 {
					t.Errorf("obligation %d escalated %d times", id, c)
				}
			}
			left, err := e.db.Obligations(ctx, store.ObligationFilter{OverdueAt: now()}, store.Page{Limit: store.MaxLimit})
			if err != nil {
				t.Fatal(err)
			}
			if left.Total != n {
				t.Errorf("%d overdue obligations listed, want %d", left.Total, n)
			}
			for _, o := range left.Items {
				if o.EscalatedAt.IsZero() {
					t.Errorf("obligation %d left unescalated", o.ID)
				}
			}
			// One notice per obligation to each side, each title once.
			for _, org := range []*fenghuo.Org{e.unit, e.county} {
				ns, err := e.db.Notifications(ctx, org.ID, 0, 5*n)
				if err != nil {
					t.Fatal(err)
				}
				titles := map[string]int{}
				for _, x := range ns {
					if x.Kind == "obligation.overdue" && x.OrgID == org.ID {
						titles[x.Title]++
					}
				}
				if len(titles) != n {
					t.Errorf("%s: %d distinct overdue notices, want %d", org.Name, len(titles), n)
				}
				for title, c := range titles {
					if c != 1 {
						t.Errorf("%s: %q sent %d times", org.Name, title, c)
					}
				}
			}
			entries, broken, err := e.db.Timeline(ctx, left.Items[0].IncidentID)
			if err != nil || broken != 0 {
				t.Fatal(err, broken)
			}
			overdue := 0
			for _, x := range entries {
				if x.Kind == "overdue" {
					overdue++
				}
			}
			if overdue != 5 {
				t.Errorf("incident timeline has %d overdue entries, want 5 (one per obligation)", overdue)
			}
			// Nothing is left to do: another pass does nothing.
			if res, err := e.app.Scheduler.Tick(ctx); err != nil || res.Escalated != 0 || res.Reminded != 0 {
				t.Errorf("second pass: %+v %v", res, err)
			}
		})
	}
}

// BenchmarkEscalationLateness seeds 100,000 obligations due within the
// same minute and runs the scheduler as serve does (RunScheduler, real
// clock) until all have fired; it reports how late each escalation was
// committed after its due time.
func BenchmarkEscalationLateness(b *testing.B) {
	for _, engine := range schedEngines() {
		b.Run(string(engine), func(b *testing.B) {
			if b.N > 1 {
				b.Skip("one run is the measurement")
			}
			const n = 100_000
			e := newSchedEnv(b, engine, time.Now)
			// Due over one minute starting once seeding is done (seeding
			// 100,000 takes a while: the due times are set past it).
			t0 := time.Now().Add(2 * time.Minute)
			if engine == store.Postgres {
				t0 = t0.Add(time.Minute)
			}
			e.seedDue(b, n, func(i int) time.Time { return t0.Add(time.Duration(i) * time.Minute / n) })
			if wait := time.Until(t0.Add(-5 * time.Second)); wait > 0 {
				time.Sleep(wait)
			} else {
				b.Fatalf("seeding took past the first due time (%v over)", -wait)
			}
			var mu sync.Mutex
			late := make([]time.Duration, 0, n)
			done := make(chan struct{})
			e.app.Scheduler.ObserveObligationEvents(func(event string, o *fenghuo.Obligation, at time.Time) {
				mu.Lock()
				defer mu.Unlock()
				late = append(late, at.Sub(o.DueAt))
				if len(late) == n {
					close(done)
				}
			})
			ctx, cancel := context.WithCancel(context.Background())
			stopped := make(chan struct{})
			b.ResetTimer()
			go func() { e.app.Scheduler.RunScheduler(ctx, scheduler.SchedulerMaxWait); close(stopped) }()
			select {
			case <-done:
			case <-time.After(5 * time.Minute):
			}
			cancel()
			<-stopped
			b.StopTimer()
			mu.Lock()
			defer mu.Unlock()
			if len(late) != n {
				b.Fatalf("%d of %d escalations fired", len(late), n)
			}
			slices.Sort(late)
			b.ReportMetric(float64(len(late)), "escalations")
			b.ReportMetric(late[len(late)/2].Seconds()*1000, "p50_late_ms")
			b.ReportMetric(late[len(late)*99/100].Seconds()*1000, "p99_late_ms")
			b.ReportMetric(late[len(late)-1].Seconds()*1000, "max_late_ms")
		})
	}
}
