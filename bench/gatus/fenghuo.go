package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strconv"
	"sync"
	"syscall"
	"time"

	"fenghuo/internal/fenghuo"
	"fenghuo/internal/monitor"
	"fenghuo/internal/store"
	"fenghuo/internal/tamper"
)

// speedUp is how much faster than real time the checker's clock runs: the
// one-minute monitors come due every 10 ms, so that, like Gatus at its
// shortest interval, the checker is always busy and the figure is its
// capacity, not its schedule.
const speedUp = 6000

type nopSink struct{}

func (nopSink) Alert(context.Context, monitor.Alert) (int64, error) { return 1, nil }
func (nopSink) Outage(context.Context, int64, string, time.Time, time.Time, bool) error {
	return nil
}

// runFenghuo sets up an SQLite database in dir with a monitor (availability
// and content) per site, whose baselines are learned from a first fetch of
// each, prints "ready", and runs the monitoring service as serve builds it
// (monitor.NewForServe, Serve) until SIGTERM.
func runFenghuo(dir string, sites []string) error {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(dir, "fenghuo.db"))
	if err != nil {
		return err
	}
	defer db.Close()
	org := &fenghuo.Org{Name: "基准测试单位", Level: fenghuo.LevelUnit, Type: fenghuo.OrgOperator, Sector: "education", PlanRoles: []string{"operator"}}
	if err := db.CreateOrg(ctx, org); err != nil {
		return err
	}
	sys := &fenghuo.System{OrgID: org.ID, Name: "站群"}
	if err := db.CreateSystem(ctx, sys); err != nil {
		return err
	}
	client := monitor.NewClient(10*time.Second, nil, true)
	base := time.Now()
	var ms []*store.Monitor
	for _, u := range sites {
		r := monitor.Fetch(ctx, client, u, monitor.ProfileBrowser)
		if !r.OK() {
			return fmt.Errorf("%s: %s", u, r.Describe())
		}
		bl, err := tamper.Learn([]tamper.Page{{URL: u, HTML: r.Body}})
		if err != nil {
			return err
		}
		data, _ := json.Marshal(bl)
		ms = append(ms, &store.Monitor{SystemID: sys.ID, URL: u, Interval: time.Minute, Checks: []string{"availability", "content"},
			NextDueAt: base, Baseline: string(data), BaselineSnapshots: 3})
	}
	if err := db.CreateMonitors(ctx, ms); err != nil {
		return err
	}
	now := func() time.Time { return base.Add(time.Since(base) * speedUp) }
	svc := monitor.NewForServe(db, nopSink{}, now, slog.New(slog.NewTextHandler(io.Discard, nil)), true)
	// Its idle wait (for the next monitor due) is at least 10 ms in serve,
	// which on this clock is a whole interval (60 s); 1 ms here is 6 s on
	// the clock, still coarser than serve's.
	svc.MinWait, svc.MaxWait = time.Millisecond, time.Millisecond
	// FENGHUO_BENCH_WORKERS overrides serve's worker limit (an experiment;
	// the recorded figures use serve's own).
	if n, err := strconv.Atoi(os.Getenv("FENGHUO_BENCH_WORKERS")); err == nil && n > 0 {
		svc.MaxWorkers = n
	}
	runCtx, stop := signal.NotifyContext(ctx, syscall.SIGTERM, os.Interrupt)
	defer stop()
	if path := os.Getenv("FENGHUO_BENCH_CPUPROFILE"); path != "" {
		f, err := os.Create(path)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	fmt.Println("ready")
	// Lateness of each check's start after its due time, in real time.
	var late []time.Duration
	var mu sync.Mutex
	svc.OnLateness = func(d time.Duration) {
		mu.Lock()
		late = append(late, d/speedUp)
		mu.Unlock()
	}
	svc.Serve(runCtx)
	mu.Lock()
	defer mu.Unlock()
	if n := len(late); n > 0 {
		slices.Sort(late)
		fmt.Fprintf(os.Stderr, "fenghuo: %d checks started %.1f ms (p50) / %.1f ms (p99) after due (10 ms is a whole one-minute interval on this clock)\n",
			n, float64(late[n/2].Microseconds())/1000, float64(late[n*99/100].Microseconds())/1000)
	}
	return nil
}
