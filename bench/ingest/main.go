// Command ingest measures Fenghuo's sustained syslog intake as a deployment
// runs it (issue 14 item 7): it builds the fenghuo binary, sets up a data
// directory as a new installation does (`fenghuo user create`, then the
// API: a unit, its intake sources, uploaded Sigma rules, an imported STIX
// indicator feed), starts `fenghuo serve --syslog-tcp`, streams syslog over
// several TCP connections for a fixed time and reports the events stored
// per second (counted in the database) and the CPU serve used per event
// (/proc/PID/stat). In the same run a private rsyslogd (imtcp → omfile)
// receives the same stream, for comparison. Then it kills serve with
// SIGKILL in the middle of HTTP intake, again and again, and checks that no
// acknowledged event was lost.
//
// Run from the repository root: go run ./bench/ingest (bench/ingest.sh).
// Loopback only; it stops by itself: about 3 minutes with the defaults on
// SQLite, about 6 when FENGHUO_TEST_POSTGRES adds PostgreSQL.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"fenghuo/bench/internal/benchdb"
	"fenghuo/bench/internal/host"
)

type options struct {
	duration, warmup time.Duration
	conns            int
	rules, iocs      int
	messages         int
	cycles           int
	engines          []string
	rsyslog          bool
	work             string
	keep             bool
	profile          bool
	single           bool
	single1          time.Duration
	serveEnv         []string
}

func main() {
	var o options
	engines := "sqlite"
	if os.Getenv("FENGHUO_TEST_POSTGRES") != "" {
		engines = "sqlite,postgres"
	}
	flag.DurationVar(&o.duration, "duration", 30*time.Second, "how long the senders stream syslog in the measured run")
	flag.DurationVar(&o.warmup, "warmup", 5*time.Second, "streaming before the measured run, not counted")
	flag.IntVar(&o.conns, "conns", 4, "TCP connections the stream is spread over")
	flag.IntVar(&o.rules, "rules", 200, "Sigma rules uploaded (files of ten: nine rules and a correlation)")
	flag.IntVar(&o.iocs, "iocs", 100_000, "indicators imported (STIX 2.1 bundles of 25,000)")
	flag.IntVar(&o.messages, "messages", 60_000, "distinct syslog messages in the stream the senders go round")
	flag.IntVar(&o.cycles, "cycles", 20, "kill -9 cycles (0: none)")
	flag.StringVar(&engines, "engines", engines, "sqlite, postgres (needs FENGHUO_TEST_POSTGRES) or both, comma-separated")
	flag.BoolVar(&o.rsyslog, "rsyslog", true, "measure a private rsyslogd on the same stream")
	flag.StringVar(&o.work, "work", "", "work directory (default: a new temporary one, removed at the end)")
	flag.BoolVar(&o.keep, "keep", false, "keep the work directory")
	flag.DurationVar(&o.single1, "single", 20*time.Second, "then stream over one connection for this long (0: not)")
	flag.BoolVar(&o.profile, "profile", false, "build serve with -tags pprof and write a CPU profile of the measured run to the work directory (ENGINE.cpu.pprof; implies -keep)")
	serveEnv := flag.String("serve-env", "", "extra environment for serve, NAME=VALUE separated by spaces")
	flag.Parse()
	o.engines = strings.Split(engines, ",")
	o.serveEnv = strings.Fields(*serveEnv)
	o.keep = o.keep || o.profile
	o.single = o.single1 > 0
	if err := run(context.Background(), o); err != nil {
		fmt.Fprintln(os.Stderr, "ingest benchmark:", err)
		os.Exit(1)
	}
}

// measured is one receiver's figures over the measured run.
type measured struct {
	sent      sent
	stored    int64
	took      time.Duration // first write to last commit (Fenghuo) or last line written (rsyslog)
	cpu       time.Duration // the receiver's
	dbCPU     time.Duration // the PostgreSQL server's, when it runs here
	senderCPU time.Duration // this process's (the senders)
	load      string
	groups    map[string][2]int64
}

func (m measured) rate() float64 { return float64(m.stored) / m.took.Seconds() }

// cpuPerEvent is the receiver's CPU per event stored, the database
// server's included.
func (m measured) cpuPerEvent() time.Duration {
	if m.stored == 0 {
		return 0
	}
	return (m.cpu + m.dbCPU) / time.Duration(m.stored)
}

func (m measured) String() string {
	db := ""
	if m.dbCPU > 0 {
		db = fmt.Sprintf(" + PostgreSQL server %.1f s", m.dbCPU.Seconds())
	}
	return fmt.Sprintf("sent %d, stored %d in %.1f s: %.0f events/s; receiver CPU %.1f s%s (%.2f cores), %.1f µs/event; senders' CPU %.1f s; load average %s",
		m.sent.messages, m.stored, m.took.Seconds(), m.rate(), m.cpu.Seconds(), db, (m.cpu+m.dbCPU).Seconds()/m.took.Seconds(),
		float64(m.cpuPerEvent().Nanoseconds())/1000, m.senderCPU.Seconds(), m.load)
}

func run(ctx context.Context, o options) error {
	root, err := repoRoot()
	if err != nil {
		return err
	}
	work := o.work
	if work == "" {
		if work, err = os.MkdirTemp("", "fenghuo-ingest-bench-"); err != nil {
			return err
		}
		if !o.keep {
			defer os.RemoveAll(work)
		}
	}
	fmt.Printf("machine: %s; load average %s; %s\n", host.Machine(), host.LoadAverage(), time.Now().Format("2006-01-02 15:04 MST"))
	bin := filepath.Join(work, "fenghuo")
	t0 := time.Now()
	build := []string{"build", "-o", bin}
	if o.profile {
		build = append(build, "-tags", "pprof")
	}
	if out, err := runIn(root, "go", append(build, "./cmd/fenghuo")...); err != nil {
		return fmt.Errorf("go build: %v\n%s", err, out)
	}
	fmt.Printf("built fenghuo in %.1f s\n", time.Since(t0).Seconds())
	lib := newLibrary(o.iocs, 14)
	bundles := lib.bundles(25_000, 14)
	rules := ruleFiles(o.rules)
	s := newStream(o.messages, 7, lib)
	fmt.Printf("workload: %d distinct syslog messages (%.0f bytes on average, RFC 3164 and 5424; %d carry an indicator), %d rule files, %d indicators in %d STIX bundles, %d connections, %s warm-up, %s measured\n",
		s.len(), float64(len(s.framed))/float64(s.len()), s.iocBait, len(rules), lib.len(), len(bundles), o.conns, o.warmup, o.duration)

	results := map[string]measured{}
	installs := map[string]*install{}
	deployments := map[string]*deployment{}
	for _, engine := range o.engines {
		in := &install{bin: bin, dataDir: filepath.Join(work, engine), engine: engine}
		switch engine {
		case "sqlite":
		case "postgres":
			admin := os.Getenv("FENGHUO_TEST_POSTGRES")
			if admin == "" {
				return fmt.Errorf("-engines postgres needs FENGHUO_TEST_POSTGRES (eval \"$(bash scripts/test-db.sh)\" starts a server)")
			}
			dsn, drop, err := benchdb.New(admin, "fh_bench_")
			if err != nil {
				return err
			}
			defer drop()
			in.db = dsn
		default:
			return fmt.Errorf("unknown engine %q", engine)
		}
		d, m, err := measureFenghuo(ctx, in, o, s, rules, bundles)
		if err != nil {
			return fmt.Errorf("%s: %w", engine, err)
		}
		installs[engine], deployments[engine], results[engine] = in, d, m
	}
	if o.rsyslog {
		bin := findRsyslogd()
		if bin == "" {
			fmt.Println("rsyslog: rsyslogd is not installed (Debian package rsyslog); no comparison")
		} else {
			m, err := measureRsyslog(bin, filepath.Join(work, "rsyslog"), o, s)
			if err != nil {
				return fmt.Errorf("rsyslog: %w", err)
			}
			fmt.Printf("rsyslog imtcp → omfile: %s\n", m)
			for _, engine := range o.engines {
				f := results[engine]
				fmt.Printf("fenghuo (%s) against rsyslog: %.1f %% of its events per second, %.0f × its CPU per event\n",
					engine, 100*f.rate()/m.rate(), f.cpuPerEvent().Seconds()/m.cpuPerEvent().Seconds())
			}
		}
	}
	var lost []string
	for _, engine := range o.engines {
		if o.cycles == 0 {
			break
		}
		res, err := killCycles(ctx, installs[engine], deployments[engine], s, lib, o.cycles, 21)
		if err != nil {
			return fmt.Errorf("%s kill -9 cycles: %w", engine, err)
		}
		printDurability(engine, res)
		if len(res.lost) > 0 || len(res.refusals) > 0 {
			lost = append(lost, fmt.Sprintf("%s: %d acknowledged events lost, %d batches refused", engine, len(res.lost), len(res.refusals)))
		}
	}
	if lost != nil {
		return fmt.Errorf("%s", strings.Join(lost, "; "))
	}
	return nil
}

// fetchProfile saves what a net/http/pprof URL answers to path.
func fetchProfile(url, path string) error {
	resp, err := http.Get(url)
	if err != nil {
		return fmt.Errorf("CPU profile: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("CPU profile: %s", resp.Status)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// runIn runs a command in dir and returns its combined output.
func runIn(dir, name string, args ...string) ([]byte, error) {
	c := exec.Command(name, args...)
	c.Dir = dir
	return c.CombinedOutput()
}

// measureFenghuo sets up an installation, streams to its serve and measures.
func measureFenghuo(ctx context.Context, in *install, o options, s *stream, rules []string, bundles [][]byte) (*deployment, measured, error) {
	var m measured
	office, password, err := in.createAccounts()
	if err != nil {
		return nil, m, err
	}
	env := o.serveEnv
	pprofPort := 0
	if o.profile {
		if pprofPort, err = freePort(); err != nil {
			return nil, m, err
		}
		env = append(env, fmt.Sprintf("FENGHUO_PPROF=127.0.0.1:%d", pprofPort))
	}
	srv, err := in.start(env)
	if err != nil {
		return nil, m, err
	}
	defer func() {
		if srv != nil {
			srv.kill()
		}
	}()
	d, err := setUp(ctx, srv, office, password, rules, bundles)
	if err != nil {
		return nil, m, err
	}
	docs, corrs := 0, 0
	for _, f := range rules {
		docs += strings.Count(f, "\n---\n") + 1
		corrs += strings.Count(f, "\ncorrelation:\n")
	}
	fmt.Printf("%s setup through the API: %d Sigma rules (%d detection rules, %d correlations) in %d files uploaded in %.1f s (the rule-set listing counts %d: rules used only by a correlation do not alert on their own); %d indicators imported in %.1f s\n",
		in.engine, docs, docs-corrs, corrs, d.ruleFiles, d.rulesTook.Seconds(), d.rulesUploaded, d.iocsAdded, d.iocsTook.Seconds())
	rd, err := in.openReader()
	if err != nil {
		return nil, m, err
	}
	defer rd.close()
	if o.warmup > 0 {
		if _, err := sendSyslog(srv.syslog, s, o.conns, o.warmup); err != nil {
			return nil, m, fmt.Errorf("warm-up: %w", err)
		}
	}
	profile := ""
	if o.profile {
		profile = fmt.Sprintf("http://127.0.0.1:%d/debug/pprof/profile?seconds=%d", pprofPort, int(o.duration.Seconds()))
	}
	if m, err = measureRun(ctx, in, srv, rd, d, s, o.conns, o.duration, profile); err != nil {
		return nil, m, err
	}
	fmt.Printf("fenghuo serve (%s) syslog TCP, %d connections: %s\n", in.engine, o.conns, m)
	var kinds []string
	for k, v := range m.groups {
		kinds = append(kinds, fmt.Sprintf("%s %d groups / %d matches", k, v[0], v[1]))
	}
	slices.Sort(kinds)
	fmt.Printf("  alert groups of the unit after warm-up and run: %s\n", strings.Join(kinds, ", "))
	if m.stored != m.sent.messages {
		fmt.Printf("  NOTE: %d messages sent, %d stored\n", m.sent.messages, m.stored)
	}
	if o.single && o.conns != 1 {
		one, err := measureRun(ctx, in, srv, rd, d, s, 1, o.single1, "")
		if err != nil {
			return nil, m, err
		}
		fmt.Printf("fenghuo serve (%s) syslog TCP, one connection (a relay's omfwd action): %s\n", in.engine, one)
	}
	err = srv.stop()
	srv = nil
	return d, m, err
}

// measureRun streams over conns connections for duration to a running
// serve and measures it; profile, when set, is a pprof URL to save the
// CPU profile of the run from.
func measureRun(ctx context.Context, in *install, srv *server, rd *reader, d *deployment, s *stream, conns int, duration time.Duration, profile string) (measured, error) {
	var m measured
	before, err := rd.events(ctx, d.syslogSource)
	if err != nil {
		return m, err
	}
	cpu0, err := host.CPUTime(srv.pid())
	if err != nil {
		return m, err
	}
	pg, pg0 := 0, time.Duration(0)
	if in.engine == "postgres" {
		if pg, err = postgresServer(os.Getenv("FENGHUO_TEST_POSTGRES")); err == nil {
			pg0, err = host.TreeCPU(pg)
		}
		if err != nil {
			fmt.Printf("  (the PostgreSQL server's CPU is not counted: %v)\n", err)
			pg = 0
		}
	}
	self0 := host.SelfCPU()
	profiled := make(chan error, 1)
	profilePath := filepath.Join(filepath.Dir(in.dataDir), in.engine+".cpu.pprof")
	if profile != "" {
		go func() { profiled <- fetchProfile(profile, profilePath) }()
	}
	m.sent, err = sendSyslog(srv.syslog, s, conns, duration)
	if err != nil {
		return m, err
	}
	if profile != "" {
		if err := <-profiled; err != nil {
			return m, err
		}
		fmt.Printf("  CPU profile of serve over the first %s: %s\n", duration, profilePath)
	}
	m.took = m.sent.took
	cpu1, err := host.CPUTime(srv.pid())
	if err != nil {
		return m, err
	}
	m.cpu, m.senderCPU, m.load = cpu1-cpu0, host.SelfCPU()-self0, host.LoadAverage()
	if pg != 0 {
		pg1, err := host.TreeCPU(pg)
		if err != nil {
			return m, err
		}
		m.dbCPU = pg1 - pg0
	}
	after, err := rd.events(ctx, d.syslogSource)
	if err != nil {
		return m, err
	}
	m.stored = after - before
	if m.groups, err = rd.groups(ctx, d.unit); err != nil {
		return m, err
	}
	return m, nil
}

func measureRsyslog(bin, dir string, o options, s *stream) (measured, error) {
	var m measured
	r, err := startRsyslog(bin, dir)
	if err != nil {
		return m, err
	}
	defer r.stop()
	if o.warmup > 0 {
		w, err := sendSyslog(r.addr, s, o.conns, o.warmup)
		if err != nil {
			return m, fmt.Errorf("warm-up: %w", err)
		}
		if _, _, err := r.waitWritten(0, w.bytes+w.messages); err != nil {
			return m, err
		}
	}
	base := r.size()
	cpu0, err := host.CPUTime(r.cmd.Process.Pid)
	if err != nil {
		return m, err
	}
	self0 := host.SelfCPU()
	start := time.Now()
	if m.sent, err = sendSyslog(r.addr, s, o.conns, o.duration); err != nil {
		return m, err
	}
	lines, at, err := r.waitWritten(base, m.sent.bytes+m.sent.messages)
	if err != nil {
		return m, err
	}
	cpu1, err := host.CPUTime(r.cmd.Process.Pid)
	if err != nil {
		return m, err
	}
	m.stored, m.took = lines, max(at.Sub(start), m.sent.took)
	m.cpu, m.senderCPU, m.load = cpu1-cpu0, host.SelfCPU()-self0, host.LoadAverage()
	return m, nil
}

func printDurability(engine string, r *durability) {
	slices.Sort(r.restarts)
	fmt.Printf("kill -9 (%s): %d cycles; HTTP intake: %d events acknowledged (200 after commit) in %d batches, %d of them stored, lost %d, stored twice %d; %d events in batches cut off unanswered, %d of those committed all the same\n",
		engine, r.cycles, r.acked, r.batches, r.storedAcked, len(r.lost), r.duplicated, r.unanswered, r.storedUnacked)
	if len(r.restarts) > 0 {
		fmt.Printf("  restart after kill -9 to listening: median %.1f s, max %.1f s\n",
			r.restarts[len(r.restarts)/2].Seconds(), r.restarts[len(r.restarts)-1].Seconds())
	}
	fmt.Printf("  syslog beside it (no acknowledgement in the protocol): %d messages written to the socket, %d stored; the rest were in socket buffers or batches being read when serve died\n",
		r.syslogWritten, r.syslogStored)
	if len(r.lost) > 0 {
		fmt.Printf("  LOST acknowledged events, first: %s\n", strings.Join(r.lost[:min(10, len(r.lost))], ", "))
	}
	if len(r.refusals) > 0 {
		fmt.Printf("  REFUSED batches: %d, first: %s\n", len(r.refusals), r.refusals[0])
	}
}

// repoRoot is the directory of go.mod above the working directory.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the working directory: run from the repository")
		}
		dir = parent
	}
}
