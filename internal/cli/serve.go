package cli

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/app/demo"
	"fenghuo/internal/app/scheduler"
	"fenghuo/internal/app/services"
	"fenghuo/internal/audit"
	"fenghuo/internal/auth"
	"fenghuo/internal/calendar"
	"fenghuo/internal/config"
	"fenghuo/internal/demofarm"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/monitor"
	"fenghuo/internal/notify"
	"fenghuo/internal/pii"
	"fenghuo/internal/server"
	"fenghuo/internal/store"
)

const serveUsage = `serve [--demo [--demo-size N] [--demo-shape city|province]] [--listen ADDR] [--data-dir DIR] [--db URL] [--config FILE] [--config-dump]
      [--syslog-udp ADDR] [--syslog-tcp ADDR] [--syslog-tls ADDR --syslog-tls-cert FILE --syslog-tls-key FILE]

Runs the console and the JSON API (/api/v1) with the schedulers, on an
embedded SQLite database in the data directory unless --db names a
postgres:// URL. Settings come from defaults, the optional YAML --config
file, FENGHUO_* environment variables (FENGHUO_LISTEN, FENGHUO_DB …) and
flags, each overriding the one before. --demo seeds a demo region into an
empty database and prints its accounts once, with a history of incidents
over the past twelve months (480, or N with --demo-size N; once, into a
database without incidents), the alerts of three units' sensors with the
city's shared indicators, and serves a small farm of demo websites on
loopback that the demo's monitors watch. The --syslog-* addresses receive
syslog (RFC 5424 or 3164; UDP, TCP, TLS) from the addresses bound to an
intake source; docs/syslog.md tells how to point rsyslog at them.
--demo-shape province seeds a province around the demo region instead,
for measuring at scale: a province office (烽原省) over 云州市 and 14
generated cities of 10 counties, about 1,000 offices and departments,
10,000 units, 50,000 systems, and 1,000,000 historical incidents (or N
with --demo-size N) with their reports and duties; it takes a while and
many gigabytes (docs/performance.md, "A province").`

// loadConfig parses the server flags shared by serve and the admin
// commands.
func loadConfig(env *Env, name, usage string, args []string, extra func(*flag.FlagSet)) (config.Config, []string, bool, error) {
	fs := newFlags(env, name, usage)
	var scratch config.Config
	file := config.Bind(fs, &scratch)
	dump := fs.Bool("config-dump", false, "print the configuration the server would use, and exit")
	if extra != nil {
		extra(fs)
	}
	pos, err := parseFlags(fs, args)
	if err != nil {
		return config.Config{}, nil, false, err
	}
	cfg, err := config.Load(fs, *file, env.Getenv)
	if err != nil {
		return cfg, nil, false, err
	}
	return cfg, pos, *dump, nil
}

func newLogger(env *Env, cfg config.Config) *slog.Logger {
	level := map[string]slog.Level{"debug": slog.LevelDebug, "info": slog.LevelInfo, "warn": slog.LevelWarn, "error": slog.LevelError}[cfg.LogLevel]
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(env.Stderr, opts))
	}
	return slog.New(slog.NewTextHandler(env.Stderr, opts))
}

// openApp opens the data directory, the database, the key files, the plans
// and the calendar, and returns the application.
func openApp(ctx context.Context, cfg config.Config, log *slog.Logger) (*services.Services, func(), error) {
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, nil, fmt.Errorf("data directory: %w", err)
	}
	db, err := store.Open(ctx, cfg.DBURL())
	if err != nil {
		return nil, nil, err
	}
	closeAll := func() { db.Close() }
	// Statements slower than slow_query are logged (SQL text, never the
	// arguments) and counted in fenghuo_db_slow_queries_total.
	db.SetSlowQuery(cfg.SlowQuery, log)
	fail := func(err error) (*services.Services, func(), error) { closeAll(); return nil, nil, err }
	// Keys are created only for a new database; any other needs its own.
	keys, err := loadKeys(ctx, cfg, db)
	if err != nil {
		return fail(err)
	}
	chain, err := audit.NewChain(keys["audit.key"])
	if err != nil {
		return fail(err)
	}
	sealer, err := auth.NewSealer(keys["sealer.key"])
	if err != nil {
		return fail(err)
	}
	// Personal data is sealed in the store under keys derived from the
	// sealer key; values left in plain text by an older version are sealed
	// now, before anything reads them.
	codec, err := pii.New(keys["sealer.key"])
	if err != nil {
		return fail(err)
	}
	db.UsePersonalData(codec)
	if n, err := db.SealPersonalData(ctx); err != nil {
		return fail(err)
	} else if n > 0 {
		log.Info("sealed personal data left in plain text", "rows", n)
	}
	plans, err := registry(cfg.Path("plans"))
	if err != nil {
		return fail(err)
	}
	cal, err := calendar.LoadDir(cfg.Path("holidays"))
	if err != nil {
		return fail(fmt.Errorf("holiday notices in %s: %w", cfg.Path("holidays"), err))
	}
	keeping, err := auditKeeping(ctx, cfg, db)
	if err != nil {
		return fail(err)
	}
	var adminNets []*net.IPNet
	for _, n := range cfg.AdminNetworks {
		if _, ipn, err := net.ParseCIDR(n); err == nil {
			adminNets = append(adminNets, ipn)
		}
	}
	a := services.New(app.Deps{DB: db, Plans: plans, Calendar: cal, Audit: chain, Sealer: sealer, Logger: log,
		Config: app.Config{AuditReads: cfg.AuditReads, AuditKeeping: keeping, SessionIdle: cfg.SessionIdle, SessionAbsolute: cfg.SessionAbsolute, TOTPIssuer: "Fenghuo 烽火",
			EvidenceDir: cfg.EvidencePath(), AdminNetworks: adminNets, BaseURL: cfg.BaseURL, WorkLease: cfg.WorkLease,
			Notify: &notify.Sender{SMTP: notify.SMTP{Host: cfg.SMTPHost, Port: cfg.SMTPPort, TLS: cfg.SMTPTLS,
				Username: cfg.SMTPUsername, Password: cfg.SMTPPassword, From: cfg.SMTPFrom}, AllowLoopback: cfg.NotifyAllowLoopback}}})
	// Plans edited in the product: serve the stored versions from the start.
	if err := a.PlanAdmin.Sync(ctx); err != nil {
		return fail(err)
	}
	return a, closeAll, nil
}

func runServe(ctx context.Context, env *Env, args []string) error {
	var syslogOpts syslogFlags // issue 14: the syslog receiver (serve_syslog.go)
	cfg, pos, dump, err := loadConfig(env, "serve", serveUsage, args, syslogOpts.bind)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	if dump {
		return cfg.Dump(env.Stdout)
	}
	log := newLogger(env, cfg)
	// Bind before touching any data: a port in use leaves nothing behind.
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("cannot listen on %s (choose another address with --listen or FENGHUO_LISTEN): %w", cfg.Listen, err)
	}
	defer ln.Close()
	var mln net.Listener
	if cfg.MetricsListen != "" {
		if mln, err = net.Listen("tcp", cfg.MetricsListen); err != nil {
			return fmt.Errorf("cannot listen on %s for metrics (choose another address with --metrics-listen or FENGHUO_METRICS_LISTEN): %w", cfg.MetricsListen, err)
		}
		defer mln.Close()
	}
	var pln net.Listener
	if cfg.PprofListen != "" {
		if pln, err = net.Listen("tcp", cfg.PprofListen); err != nil {
			return fmt.Errorf("cannot listen on %s for the profiler (choose another address with --pprof-listen or FENGHUO_PPROF_LISTEN): %w", cfg.PprofListen, err)
		}
		defer pln.Close()
	}
	if !strings.HasPrefix(cfg.DBURL(), "postgres://") && !strings.HasPrefix(cfg.DBURL(), "postgresql://") {
		unlock, err := lockDataDir(cfg.DataDir)
		if err != nil {
			return err
		}
		defer unlock()
	}
	a, closeApp, err := openApp(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer func() { closeApp(); log.Info("fenghuo stopped") }()
	if cfg.Demo {
		farm, err := startDemo(ctx, env, a, cfg.DemoSize, cfg.DemoShape == "province")
		if err != nil {
			return err
		}
		defer farm.Close() // after the monitors have stopped (below)
	}
	metrics := http.NewServeMux() // served only on --metrics-listen
	h, err := server.NewHandler(a, server.HandlerOptions{Logger: log, SecureCookies: cfg.SecureCookies,
		HSTS: cfg.TLSCert != "", TrustedOrigins: cfg.TrustedOrigins, AdminNetworks: cfg.AdminNetworks, TrustedProxies: cfg.TrustedProxies, Metrics: metrics,
		Stopping: ctx.Done()}) // ends the console's event streams at shutdown (docs/live.md)
	if err != nil {
		return err
	}
	sopts := server.Options{Listen: cfg.Listen, Listener: ln, TLSCert: cfg.TLSCert, TLSKey: cfg.TLSKey, Logger: log,
		MetricsListen: cfg.MetricsListen, MetricsListener: mln, Metrics: metrics}
	if pln != nil {
		// Go's profiler on its own listener, for a system administrator's
		// admin-scope API token (docs/performance.md, "Profiling").
		sopts.PprofListen, sopts.PprofListener, sopts.Pprof = cfg.PprofListen, pln, server.PprofHandler(a, log)
	}
	srv := server.New(sopts, h)
	if err := srv.Listen(); err != nil {
		return err
	}
	// The syslog receiver commits what it has read before the database closes.
	stopSyslog, err := startSyslog(env, syslogOpts, a, log)
	if err != nil {
		return err
	}
	defer stopSyslog()
	scheme := "http"
	if cfg.TLSCert != "" {
		scheme = "https"
	}
	// A change of the audit log's keeping settings is itself audited.
	if changed, err := a.AuditLog.RecordKeepingSettings(ctx); err != nil {
		return err
	} else if changed {
		log.Info("audit keeping settings recorded", "retention_days", cfg.AuditRetentionDays, "archive_dir", cfg.AuditArchivePath(),
			"anchor_file", cfg.AuditAnchorPath(), "anchor_syslog", cfg.AuditAnchorSyslog)
	}
	log.Info("fenghuo serving", "url", scheme+"://"+srv.Addr(), "db", a.Core.DB().Engine(), "version", version(), "metrics", srv.MetricsAddr(), "pprof", srv.PprofAddr(), "slow_query", cfg.SlowQuery)
	fmt.Fprintf(env.Stdout, "Fenghuo is running at %s://%s/ (Ctrl-C to stop)\n", scheme, srv.Addr())
	// The obligation scheduler works from database rows: stopping the server
	// loses nothing, and the first pass after a restart catches up.
	schedCtx, stopSched := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { a.Scheduler.RunScheduler(schedCtx, scheduler.SchedulerMaxWait); close(done) }()
	// Website monitors: their schedule is in the database too; each is
	// checked at its due time, with as many checks at once as are due (up
	// to monitor.DefaultMaxWorkers).
	// They never reach link-local or multicast addresses, nor this host's
	// own unless allowed (--monitor-allow-loopback; the demo's farm
	// listens on loopback, so --demo allows it).
	mon := monitor.NewForServe(a.Core.DB(), a.Monitoring.MonitorSink(), a.Core.Now, log, cfg.MonitorAllowLoopback || cfg.Demo)
	monDone := make(chan struct{})
	go func() { mon.Serve(schedCtx); close(monDone) }()
	// Exposure checks (issue 12, P4): each system's next check is in the
	// database; due systems are checked every minute.
	expDone := make(chan struct{})
	go func() { a.Exposure.Serve(schedCtx, time.Minute); close(expDone) }()
	// The planner's statistics (SQLite's PRAGMA optimize at start, then
	// hourly; PostgreSQL's autovacuum analyzes on its own): docs/storage.md.
	statsDone := make(chan struct{})
	go func() { keepStatistics(schedCtx, a.Core.DB(), log); close(statsDone) }()
	// Notification deliveries run from stored jobs, retried with backoff.
	jobsDone := make(chan struct{})
	go func() { a.Notifications.RunJobRunner(schedCtx, 5*time.Second); close(jobsDone) }()
	err = srv.Serve(ctx)
	log.Info("stopping the obligation scheduler, the monitors and the notification jobs")
	stopSched()
	<-done
	<-monDone
	<-jobsDone
	<-expDone
	<-statsDone
	// The head as it is at shutdown goes outside the database too.
	anchorCtx, cancelAnchor := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	if _, aerr := a.AuditLog.WriteAnchor(anchorCtx, false); aerr != nil {
		log.Error("audit anchor at shutdown", "err", aerr)
	}
	cancelAnchor()
	log.Info("background work stopped; closing the database")
	return err
}

// keepStatistics runs store.DB.Optimize at start and every
// store.OptimizeInterval until ctx ends; a failure is logged, not fatal.
func keepStatistics(ctx context.Context, db *store.DB, log *slog.Logger) {
	atOpen := true
	for {
		if err := db.Optimize(ctx, atOpen); err != nil && ctx.Err() == nil {
			log.Warn("refreshing the planner's statistics", "err", err)
		}
		atOpen = false
		select {
		case <-ctx.Done():
			return
		case <-time.After(store.OptimizeInterval):
		}
	}
}

// seedDemo fills an empty database with the demo region and prints the
// accounts once. On a database that already has data it says so and goes on;
// fresh says it seeded now.
func seedDemo(ctx context.Context, env *Env, a *services.Services, province bool) (fresh bool, err error) {
	var accounts []demo.DemoAccount
	if province {
		fmt.Fprintln(env.Stdout, "Seeding the province around the demo region (about 1,000 offices, 10,000 units, 50,000 systems) …")
		start := time.Now()
		var counts *demo.ProvinceCounts
		if accounts, counts, err = a.Demo.SeedProvince(ctx, demo.Province); err == nil {
			fmt.Fprintf(env.Stdout, "Province 烽原省 seeded around 云州市: %d offices, %d units, %d systems besides the city region's, in %.1f s.\n",
				counts.Offices, counts.Units, counts.Systems, time.Since(start).Seconds())
		}
	} else {
		accounts, err = a.Demo.SeedDemo(ctx)
	}
	if err != nil {
		if fenghuo.ErrorCode(err) == fenghuo.ECONFLICT {
			fmt.Fprintln(env.Stdout, "Demo data was seeded at an earlier start; the accounts printed then are still valid.")
			return false, nil
		}
		return false, err
	}
	fmt.Fprintln(env.Stdout, "Demo region 云州市 seeded. These passwords are shown only now:")
	fmt.Fprintf(env.Stdout, "  %-10s  %-24s  %-16s  %s\n", "USER", "PASSWORD", "ROLE", "ORGANISATION")
	for _, acc := range accounts {
		fmt.Fprintf(env.Stdout, "  %-10s  %-24s  %-16s  %s\n", acc.Username, acc.Password, acc.Role, acc.Org)
	}
	fmt.Fprintln(env.Stdout, "Administrator accounts (sysadmin, secadmin, auditor) set up two-factor authentication at their first log-in.")
	fmt.Fprintln(env.Stdout, "Where to start: commander (the city office, everything below), qx-duty (the county office: a grade I report is")
	fmt.Fprintln(env.Stdout, "overdue), reporter (a school whose report is due within the hour), hospital-rep (the hospital with the overdue")
	fmt.Fprintln(env.Stdout, "report), water-rep (a unit in a level II response). README.md \"What a newcomer sees\" tells the rest.")
	if province {
		fmt.Fprintf(env.Stdout, "Province: %s (the province office, everything below), %s (a generated county's duty office).\n",
			demo.ProvinceCommander, demo.ProvinceCountyDuty)
	}
	return true, nil
}

// DefaultDemoSize is how many historical incidents --demo seeds without
// --demo-size: about a year of a city region's incidents, seeded in a few
// seconds.
const DefaultDemoSize = 480

// startDemo seeds the demo into an empty database (the region, its
// history, its monitors) and starts the demo's site farm on loopback, in
// the attacked state its monitors are to find. The caller closes the farm
// when the server has stopped.
func startDemo(ctx context.Context, env *Env, a *services.Services, size int, province bool) (*demofarm.Farm, error) {
	fresh, err := seedDemo(ctx, env, a, province)
	if err != nil {
		return nil, err
	}
	switch {
	case size == 0 && province:
		size = demo.Province.Incidents
	case size == 0:
		size = DefaultDemoSize
	}
	if err := seedDemoHistory(ctx, env, a, size, fresh); err != nil {
		return nil, err
	}
	if !fresh {
		// A demo seeded before its alert intake existed gets it now, once
		// (a fresh seed has it already).
		if seeded, err := a.Demo.SeedDemoAlerts(ctx); err != nil {
			return nil, fmt.Errorf("demo alerts: %w", err)
		} else if seeded {
			fmt.Fprintln(env.Stdout, "Demo alert intake added: sensors, a few hours of their events, the city's shared indicators.")
		}
	}
	// The farm takes the ports its monitors were created with, if free.
	prefer, err := a.Demo.FarmAddresses(ctx)
	if err != nil {
		return nil, err
	}
	farm, err := demofarm.Start(prefer)
	if err != nil {
		return nil, err
	}
	if fresh {
		start := time.Now()
		if err := a.Demo.SeedDemoMonitors(ctx, farm.Sites()); err != nil {
			farm.Close()
			return nil, fmt.Errorf("demo monitors: %w", err)
		}
		fmt.Fprintf(env.Stdout, "Demo site farm on loopback, watched every minute (history made up in %.1f s):\n", time.Since(start).Seconds())
	} else {
		fmt.Fprintln(env.Stdout, "Demo site farm on loopback:")
	}
	for _, s := range farm.Sites() {
		fmt.Fprintf(env.Stdout, "  %-8s %-36s %s\n", s.Key, s.URL, demo.FarmSystem(s.Key))
	}
	farm.Attack()
	return farm, nil
}

// seedDemoHistory adds n historical incidents to the demo region, once:
// right after the region (fresh: its story's incidents are there already),
// or later to a database that has no incidents yet.
func seedDemoHistory(ctx context.Context, env *Env, a *services.Services, n int, fresh bool) error {
	has, err := a.Core.DB().HasIncidents(ctx)
	has = has && !fresh
	if err != nil || has {
		if has {
			fmt.Fprintln(env.Stdout, "The database already has incidents; no demo history added.")
		}
		return err
	}
	fmt.Fprintf(env.Stdout, "Seeding %d historical incidents …\n", n)
	// A long seeding says how far it is every 100,000 incidents.
	start, next := time.Now(), 100_000
	h, err := a.Demo.SeedDemoIncidentsProgress(ctx, n, func(done int) {
		if done >= next && done < n {
			fmt.Fprintf(env.Stdout, "  … %d of %d incidents (%.0f s)\n", done, n, time.Since(start).Seconds())
			next = done - done%100_000 + 100_000
		}
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Seeded %d incidents (%d reports, %d deliveries, %d obligations, %d timeline entries) in %.1f s.\n",
		h.Incidents, h.Reports, h.Deliveries, h.Obligations, h.Timeline, h.Took.Seconds())
	// The planner's statistics after the bulk load (docs/performance.md, "A province").
	return a.Core.DB().RefreshStatistics(ctx)
}
