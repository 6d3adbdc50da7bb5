package monitor

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"fenghuo/internal/store"
)

// DefaultMaxWorkers bounds the checks that run at once in serve. A check
// mostly waits on the network (up to three fetches of a page), so the bound
// is set by memory (a check holds up to three pages of at most MaxBody,
// usually ~100 KB each) rather than by the two or four cores a county
// server has. A check that only waits for its save has let go of its pages
// and no longer counts.
const DefaultMaxWorkers = 128

// NewForServe returns the monitoring service exactly as `fenghuo serve`
// runs it; the live-monitoring benchmark uses it too, so that its figures
// describe serve.
func NewForServe(db *store.DB, sink Sink, now func() time.Time, log *slog.Logger, allowLoopback bool) *Service {
	s := &Service{DB: db, Sink: sink, Now: now, Log: log, AllowLoopback: allowLoopback}
	s.defaults()
	return s
}

// Serve checks monitors as they come due until ctx ends, then waits for the
// checks under way. It claims due monitors (at most as many as there are
// free workers, so a claimed monitor starts at once), starts a goroutine per
// claimed check up to MaxWorkers running, and when nothing more is due
// sleeps until the next monitor's due time (at least MinWait, at most
// MaxWait, so monitors created meanwhile are seen). With a backlog it claims
// again as checks finish: the number of checks running follows the load, up
// to MaxWorkers. Checks are saved in groups (commitChecks).
func (s *Service) Serve(ctx context.Context) {
	s.defaults()
	s.saves = make(chan saveReq)
	committed := make(chan struct{})
	go func() { s.commitChecks(context.WithoutCancel(ctx)); close(committed) }()
	var wg sync.WaitGroup
	defer func() {
		wg.Wait()
		close(s.saves)
		<-committed
		s.saves = nil
	}()
	var mu sync.Mutex
	running := 0
	freed := make(chan struct{}, 1)
	freeNow := func() int {
		mu.Lock()
		defer mu.Unlock()
		return s.MaxWorkers - running
	}
	for ctx.Err() == nil {
		mu.Lock()
		free := s.MaxWorkers - running
		mu.Unlock()
		if free <= 0 {
			s.waitFreed(ctx, freed, freeNow)
			continue
		}
		now := s.Now()
		due, err := s.DB.ClaimDueMonitors(ctx, now, claimLease, free)
		if err != nil {
			if ctx.Err() == nil {
				s.Log.Error("monitors: claiming due checks", "err", err)
			}
			sleep(ctx, s.MaxWait)
			continue
		}
		for _, m := range due {
			s.observeLateness(now.Sub(m.NextDueAt))
			mu.Lock()
			running++
			checksRunning.Set(float64(running))
			mu.Unlock()
			wg.Add(1)
			go func(m store.Monitor) {
				defer wg.Done()
				release := sync.OnceFunc(func() {
					mu.Lock()
					running--
					checksRunning.Set(float64(running))
					mu.Unlock()
					select {
					case freed <- struct{}{}:
					default:
					}
				})
				defer release()
				s.checkOne(ctx, m, release)
			}(m)
		}
		if len(due) == free {
			// Every worker is busy and more may be due: claim again as
			// checks finish.
			s.waitFreed(ctx, freed, freeNow)
			continue
		}
		// Nothing more is due: sleep until the next monitor is.
		wait := s.MaxWait
		if next, err := s.DB.NextMonitorDue(ctx); err == nil && !next.IsZero() {
			if d := next.Sub(s.Now()); d < wait {
				wait = max(d, s.MinWait)
			}
		}
		sleep(ctx, wait)
	}
}

// waitFreed waits for a check to finish, then a moment more so that the
// next claim takes several monitors in one transaction rather than one:
// until a quarter of the workers are free, at most 100 ms (a fixed 100 ms
// capped a busy loop at MaxWorkers claims per 100 ms, whatever the checks
// took).
func (s *Service) waitFreed(ctx context.Context, freed <-chan struct{}, free func() int) {
	select {
	case <-ctx.Done():
		return
	case <-freed:
	}
	t := time.NewTimer(100 * time.Millisecond)
	defer t.Stop()
	for free() < max(s.MaxWorkers/4, 1) {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			return
		case <-freed:
		}
	}
}

// commitLinger is how long the committer waits for more checks to join a
// batch: on SQLite each commit is an fsync and holds the one writer, so a
// busy checker commits in batches of dozens rather than one after another.
const commitLinger = 2 * time.Millisecond

type saveReq struct {
	rec  store.CheckRecord
	done chan error
}

// commitChecks saves the checks the workers hand over, all those waiting in
// one transaction (group commit: on SQLite every commit is an fsync, and one
// per check capped the checks a second). A batch that fails is retried one
// check at a time, so one bad row fails only its own check. It returns when
// the channel is closed.
func (s *Service) commitChecks(ctx context.Context) {
	for first := range s.saves {
		batch := []saveReq{first}
		linger := time.NewTimer(commitLinger)
	more:
		for len(batch) < 256 {
			select {
			case r, ok := <-s.saves:
				if !ok {
					break more
				}
				batch = append(batch, r)
			case <-linger.C:
				break more
			}
		}
		linger.Stop()
		recs := make([]store.CheckRecord, len(batch))
		for i, r := range batch {
			recs[i] = r.rec
		}
		err := s.DB.SaveChecks(ctx, recs)
		if err == nil || len(batch) == 1 {
			for _, r := range batch {
				r.done <- err
			}
			continue
		}
		for _, r := range batch {
			r.done <- s.DB.SaveCheck(ctx, r.rec.Monitor, r.rec.Result)
		}
	}
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

var (
	checks = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "fenghuo_monitor_checks_total",
		Help: "Website checks by outcome: up, down, disputed (not confirmed by the probes), failed (the check itself could not complete).",
	}, []string{"outcome"})
	checksFailed = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "fenghuo_monitor_checks_failed_total",
		Help: "Website checks that could not complete, by reason: panic (analysis of the page crashed; recorded on the monitor) or error (e.g. the database).",
	}, []string{"reason"})
	checkPanics = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "fenghuo_monitor_check_panics_total",
		Help: "Website checks whose analysis panicked: recovered, recorded as a failed check on the monitor, the service goes on.",
	})
	checksRunning = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "fenghuo_monitor_checks_running",
		Help: "Website checks running now.",
	})
	scheduleLateness = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "fenghuo_monitor_schedule_lateness_seconds",
		Help:    "How late website checks start after their due time.",
		Buckets: []float64{.1, .5, 1, 2, 5, 10, 30, 60, 120, 300},
	})
	probeReportPanics = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "fenghuo_monitor_probe_report_panics_total",
		Help: "Probe reports whose processing panicked: recovered, answered with an error, the service goes on.",
	})
)

// Collectors are the monitoring metrics, for the /metrics registry.
func Collectors() []prometheus.Collector {
	return []prometheus.Collector{checks, checksFailed, checkPanics, checksRunning, scheduleLateness, probeReportPanics,
		contentAnalyses, contentUnchanged}
}
