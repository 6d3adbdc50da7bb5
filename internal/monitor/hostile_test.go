package monitor_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"fenghuo/internal/monitor"
	"fenghuo/internal/store"
	"fenghuo/internal/tamper"
)

// metric reads a monitoring metric (summing its label sets) as /metrics
// would show it: through a registry of monitor.Collectors.
func metric(t *testing.T, name string) float64 {
	t.Helper()
	reg := prometheus.NewRegistry()
	reg.MustRegister(monitor.Collectors()...)
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	sum := 0.0
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			sum += value(m)
		}
	}
	return sum
}

func value(m *dto.Metric) float64 {
	switch {
	case m.Counter != nil:
		return m.Counter.GetValue()
	case m.Gauge != nil:
		return m.Gauge.GetValue()
	}
	return 0
}

// panicking is an analyser that crashes, as tamper.refreshURL did on a
// meta refresh holding "Ⱥ" (issue 10).
func panicking(*tamper.Baseline, tamper.Page, *tamper.Page) tamper.Report {
	var s []int
	return tamper.Report{Verdict: tamper.VerdictClean + string(rune(s[3]))} // index out of range
}

// An analysis that panics is a failed check on that monitor, with its
// reason, counted; the monitor stays scheduled and its next check runs.
func TestPanickingAnalysisIsAFailedCheck(t *testing.T) {
	e, _, svc, m := setup(t)
	ctx := context.Background()
	runFor(t, e, svc, 15*time.Minute, 5*time.Minute) // learn the baseline
	panics, failed := metric(t, "fenghuo_monitor_check_panics_total"), metric(t, "fenghuo_monitor_checks_failed_total")
	svc.Analyse = panicking
	e.Clock.Advance(5 * time.Minute)
	if n, err := svc.RunOnce(ctx); err != nil || n != 1 {
		t.Fatalf("run with a panicking analyser: %d %v", n, err)
	}
	results, err := e.DB.MonitorResults(ctx, m.ID, 1)
	if err != nil || len(results) != 1 {
		t.Fatal(results, err)
	}
	r := results[0]
	if r.Verdict != monitor.VerdictFailed || !strings.Contains(r.Error, "index out of range") || !r.OK || r.HTTPStatus != 200 {
		t.Errorf("failed check recorded as %+v", r)
	}
	got, _ := e.DB.Monitor(ctx, m.ID)
	if got.Status != monitor.StatusFailed || !strings.Contains(got.LastError, "index out of range") || got.BaselineSnapshots != 3 {
		t.Errorf("monitor after the failed check: status %q, error %q, snapshots %d", got.Status, got.LastError, got.BaselineSnapshots)
	}
	if want := e.Clock.Now().Add(5 * time.Minute); !got.NextDueAt.Equal(want) {
		t.Errorf("next due %v, want one interval on (%v)", got.NextDueAt, want)
	}
	if d := metric(t, "fenghuo_monitor_check_panics_total") - panics; d != 1 {
		t.Errorf("panic counter rose by %v, want 1", d)
	}
	if d := metric(t, "fenghuo_monitor_checks_failed_total") - failed; d != 1 {
		t.Errorf("failed-check counter rose by %v, want 1", d)
	}
	// Not due again before its interval; due after it, and it runs again.
	if n, _ := svc.RunOnce(ctx); n != 0 {
		t.Errorf("checked again at once: %d", n)
	}
	e.Clock.Advance(5 * time.Minute)
	if n, _ := svc.RunOnce(ctx); n != 1 {
		t.Fatalf("the monitor was not checked at its next due time: %d", n)
	}
	// With the analysis mended the monitor is up again.
	svc.Analyse = tamper.Check
	e.Clock.Advance(5 * time.Minute)
	svc.RunOnce(ctx)
	if got, _ := e.DB.Monitor(ctx, m.ID); got.Status != "up" || got.LastError != "" {
		t.Errorf("after the mend: status %q, error %q", got.Status, got.LastError)
	}
	if rs, _ := e.DB.MonitorResults(ctx, m.ID, 10); len(rs) < 6 {
		t.Errorf("%d results, want every check recorded", len(rs))
	}
}

// hostilePages are pages that crashed, or could crash, the analysis: a meta
// refresh whose URL holds a character that changes length when lower-cased
// (tamper.refreshURL sliced past the end: issue 10) or an invalid UTF-8
// byte, NUL bytes, deep nesting.
var hostilePages = []string{
	`<html><head><meta http-equiv="refresh" content="ȺȺȺȺȺȺȺȺ;URL"></head><body>x</body></html>`,
	"<html><head><meta http-equiv=\"refresh\" content=\"\xff\xfe\xfd\xfc;url\"></head><body>x</body></html>",
	"<html><head><META HTTP-EQUIV=REFRESH CONTENT='0; url=İİİ'></head><body>\x00\x00</body></html>",
	"<html><body>" + strings.Repeat("<div>", 20000) + "deep" + "</body></html>",
}

// A site serving hostile pages, watched through Serve (the loop serve
// runs) next to a normal site: the process stays up, the hostile monitor
// goes on being checked (a failed check with a reason where the analysis
// crashes), the normal monitor is not held up. The same with an analyser
// that panics for the hostile site only, so the test does not depend on
// whether internal/tamper still crashes on these pages.
func TestServeSurvivesHostilePages(t *testing.T) {
	for _, seam := range []bool{false, true} {
		name := "real-analysis"
		if seam {
			name = "panicking-analyser"
		}
		t.Run(name, func(t *testing.T) {
			e, _, svc, normal := setup(t)
			ctx := context.Background()
			var mu sync.Mutex
			page := 0
			hostile := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				p := hostilePages[page%len(hostilePages)]
				mu.Unlock()
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				w.Write([]byte(p))
			}))
			t.Cleanup(hostile.Close)
			bad := &store.Monitor{SystemID: normal.SystemID, URL: hostile.URL + "/", Interval: 5 * time.Minute, NextDueAt: e.Clock.Now()}
			if err := e.DB.CreateMonitor(ctx, bad); err != nil {
				t.Fatal(err)
			}
			clock := &syncClock{t: e.Clock.Now()}
			svc.Now, svc.MaxWait = clock.Now, 50*time.Millisecond
			if seam {
				svc.Analyse = func(b *tamper.Baseline, p tamper.Page, other *tamper.Page) tamper.Report {
					if strings.HasPrefix(p.URL, hostile.URL) {
						return panicking(b, p, other)
					}
					return tamper.Check(b, p, other)
				}
			}
			runCtx, stop := context.WithCancel(ctx)
			done := make(chan struct{})
			go func() { svc.Serve(runCtx); close(done) }()
			defer func() { stop(); <-done }()
			// Eight intervals: three to learn, then five compared.
			for round := 0; round < 8; round++ {
				mu.Lock()
				page = round
				mu.Unlock()
				waitChecked(t, e.DB, bad.ID, round+1)
				waitChecked(t, e.DB, normal.ID, round+1)
				clock.Advance(5 * time.Minute)
			}
			results, _ := e.DB.MonitorResults(ctx, bad.ID, 20)
			failedSeen := 0
			for _, r := range results {
				if r.Verdict == monitor.VerdictFailed {
					failedSeen++
					if !strings.Contains(r.Error, "internal error while analysing the page") {
						t.Errorf("failed check without its reason: %+v", r)
					}
				}
			}
			if seam && failedSeen != 5 {
				t.Errorf("%d failed checks recorded, want 5 (one per compared round)", failedSeen)
			}
			if got, _ := e.DB.Monitor(ctx, normal.ID); got.Status != "up" {
				t.Errorf("the normal site: status %q (%s)", got.Status, got.LastError)
			}
			t.Logf("%d of %d checks of the hostile site failed", failedSeen, len(results))
		})
	}
}

// waitChecked waits (up to a generous bound: this is about progress, not
// speed) until monitor id has n results.
func waitChecked(t *testing.T, db *store.DB, id int64, n int) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		rs, err := db.MonitorResults(context.Background(), id, n)
		if err != nil {
			t.Fatal(err)
		}
		if len(rs) >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("monitor %d: %d checks, want %d: the loop stopped checking it", id, len(rs), n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

type syncClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *syncClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *syncClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}
