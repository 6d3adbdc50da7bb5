// Command writes measures audited writes per second through the real
// `fenghuo serve` (issue 16 items 2 and 5): a seeded city region (a city
// office, units under it, several commanders with write-scope API tokens),
// then N concurrent connections drive a mix of incident writes for a fixed
// time, each write audited in its own transaction. It prints writes/s,
// latency percentiles and errors per configuration: SQLite, and PostgreSQL
// with one and with three serve replicas (separate processes on the same
// database and data directory) when FENGHUO_TEST_POSTGRES names a server,
// and the ratio of three replicas to one. After each run `fenghuo audit
// verify` checks the chain the run wrote.
//
// The mix, per write: 40 % POST /api/v1/incidents (file an incident for a
// unit: grading under the governing plans, obligations, timeline, audit),
// 40 % POST /api/v1/incidents/{id}/notes (a timeline note), 20 % PUT
// /api/v1/incidents/{id}/facts (replace facts: re-grading, optimistic
// version). Notes and facts go to incidents the same connection filed.
//
// The API has no per-token or per-address request limit (only failed
// log-ins are throttled, and each account logs in once here), so nothing
// is configured away.
//
// Loopback only; bounded: -duration per configuration (default 25 s) plus
// a few seconds of setup each.
package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"fenghuo/bench/internal/benchdb"
	"fenghuo/bench/internal/host"
)

func main() {
	var (
		duration = flag.Duration("duration", 25*time.Second, "measured time per configuration")
		warmup   = flag.Duration("warmup", 3*time.Second, "unmeasured load before each measurement")
		conns    = flag.Int("conns", 50, "concurrent connections")
		accounts = flag.Int("accounts", 5, "commander accounts (each with its own API token)")
		units    = flag.Int("units", 10, "units the incidents are filed for")
		configs  = flag.String("configs", "", "comma-separated: sqlite, pg1, pg3 (default: sqlite, plus pg1,pg3 when FENGHUO_TEST_POSTGRES is set)")
		bin      = flag.String("bin", "", "fenghuo binary (default: built from this checkout)")
		extra    = flag.String("serve-flags", "", "more flags for each serve, space-separated (e.g. -pprof-listen 127.0.0.1:6060)")
		keep     = flag.Bool("keep", false, "keep the data directories and databases")
	)
	flag.Parse()
	admin := os.Getenv("FENGHUO_TEST_POSTGRES")
	if *configs == "" {
		*configs = "sqlite"
		if admin != "" {
			*configs += ",pg1,pg3"
		}
	}
	tmp, err := os.MkdirTemp("", "fenghuo-writes-")
	check(err)
	if !*keep {
		defer os.RemoveAll(tmp)
	}
	if *bin == "" {
		*bin = filepath.Join(tmp, "fenghuo")
		fmt.Println("building fenghuo …")
		c := exec.Command("go", "build", "-o", *bin, "./cmd/fenghuo")
		c.Stdout, c.Stderr = os.Stdout, os.Stderr
		check(c.Run())
	}
	fmt.Printf("machine: %s; load average before: %s\n", host.Machine(), host.LoadAverage())
	fmt.Printf("load: %d connections, %d accounts, %d units; mix 40%% file incident, 40%% add note, 20%% replace facts; %s measured after %s warm-up\n",
		*conns, *accounts, *units, *duration, *warmup)
	results := map[string]*result{}
	for _, cfg := range strings.Split(*configs, ",") {
		cfg = strings.TrimSpace(cfg)
		r := &run{name: cfg, bin: *bin, dir: filepath.Join(tmp, cfg), conns: *conns, accounts: *accounts, units: *units,
			duration: *duration, warmup: *warmup, keep: *keep}
		if *extra != "" {
			r.serveFlags = strings.Fields(*extra)
		}
		switch cfg {
		case "sqlite":
			r.replicas = 1
		case "pg1", "pg3":
			if admin == "" {
				fmt.Printf("%s: skipped (FENGHUO_TEST_POSTGRES is not set)\n", cfg)
				continue
			}
			r.replicas, r.admin = int(cfg[2]-'0'), admin
		default:
			fmt.Fprintf(os.Stderr, "unknown configuration %q\n", cfg)
			os.Exit(2)
		}
		res, err := r.do()
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", cfg, err)
			os.Exit(1)
		}
		results[cfg] = res
		res.print(cfg)
	}
	if a, b := results["pg1"], results["pg3"]; a != nil && b != nil && a.rate() > 0 {
		fmt.Printf("postgres 3 replicas / 1 replica: %.2f× writes/s (%.0f vs %.0f)\n", b.rate()/a.rate(), b.rate(), a.rate())
	}
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

type run struct {
	name, bin, dir, admin string
	replicas              int
	conns, accounts       int
	units                 int
	duration, warmup      time.Duration
	serveFlags            []string
	keep                  bool
	dsn                   string
}

func (r *run) args(cmd ...string) []string {
	a := append(cmd, "--data-dir", r.dir)
	if r.dsn != "" {
		a = append(a, "--db", r.dsn)
	}
	return a
}

func (r *run) cli(stdin string, cmd ...string) (string, error) {
	c := exec.Command(r.bin, r.args(cmd...)...)
	c.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	c.Stdout, c.Stderr = &out, &errb
	if err := c.Run(); err != nil {
		return out.String(), fmt.Errorf("fenghuo %s: %v\n%s%s", strings.Join(cmd, " "), err, out.String(), errb.String())
	}
	return out.String(), nil
}

var orgInOutput = regexp.MustCompile(`\(org (\d+)\)`)

func (r *run) do() (*result, error) {
	if err := os.MkdirAll(r.dir, 0o700); err != nil {
		return nil, err
	}
	if r.admin != "" {
		dsn, drop, err := benchdb.New(r.admin, "fh_writes_")
		if err != nil {
			return nil, err
		}
		if !r.keep {
			defer drop()
		}
		r.dsn = dsn
	}
	out, err := r.cli("", "user", "create", "--admin", "--username", "sysadmin", "--org-name", "基准市委网信办", "--org-level", "city")
	if err != nil {
		return nil, err
	}
	m := orgInOutput.FindStringSubmatch(out)
	if m == nil {
		return nil, fmt.Errorf("user create printed no org id: %q", out)
	}
	city := m[1]
	var b [12]byte
	rand.Read(b[:])
	password := "Bench-" + hex.EncodeToString(b[:]) + "-烽火"
	for i := range r.accounts {
		if _, err := r.cli(password+"\n", "user", "create", "--username", fmt.Sprintf("commander%d", i+1), "--role", "commander", "--org", city, "--password-stdin"); err != nil {
			return nil, err
		}
	}
	var servers []*server
	defer func() {
		for _, s := range servers {
			s.stop()
		}
	}()
	for range r.replicas {
		s, err := r.start()
		if err != nil {
			return nil, err
		}
		servers = append(servers, s)
	}
	ctx := context.Background()
	// Each account logs in (on its own replica) and makes a write token.
	tokens := make([]string, r.accounts)
	for i := range tokens {
		c := newClient(servers[i%len(servers)].api)
		if err := c.login(ctx, fmt.Sprintf("commander%d", i+1), password); err != nil {
			return nil, err
		}
		tokens[i] = c.token
	}
	// The units, under the city office.
	cityID, _ := strconv.ParseInt(city, 10, 64)
	admin := &client{base: servers[0].api, token: tokens[0], hc: http.DefaultClient}
	unitIDs := []int64{}
	for i := range r.units {
		var o struct {
			ID int64 `json:"id"`
		}
		if err := admin.call(ctx, "POST", "/api/v1/orgs", map[string]any{"parent_id": cityID, "name": fmt.Sprintf("基准单位%02d", i+1),
			"level": "unit", "type": "operator"}, http.StatusCreated, &o); err != nil {
			return nil, err
		}
		unitIDs = append(unitIDs, o.ID)
	}
	cpu0 := make([]time.Duration, len(servers))
	res := &result{replicas: r.replicas, errSample: map[string]string{}}
	var wg sync.WaitGroup
	start := time.Now()
	measureFrom := start.Add(r.warmup)
	end := measureFrom.Add(r.duration)
	go func() {
		time.Sleep(time.Until(measureFrom))
		for i, s := range servers {
			cpu0[i], _ = host.CPUTime(s.pid())
		}
	}()
	for w := range r.conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tr := &http.Transport{MaxIdleConnsPerHost: 1, MaxConnsPerHost: 1}
			c := &client{base: servers[w%len(servers)].api, token: tokens[w%len(tokens)], hc: &http.Client{Transport: tr, Timeout: time.Minute}}
			rnd := mrand.New(mrand.NewPCG(uint64(w), 7))
			type inc struct{ id, version int64 }
			var mine []inc
			for n := 0; ; n++ {
				now := time.Now()
				if now.After(end) {
					return
				}
				var op string
				var err error
				t0 := time.Now()
				switch p := rnd.IntN(10); {
				case len(mine) == 0 || p < 4:
					op = "file"
					var out struct {
						ID      int64 `json:"id"`
						Version int64 `json:"version"`
					}
					err = c.call(ctx, "POST", "/api/v1/incidents", map[string]any{"org_id": unitIDs[rnd.IntN(len(unitIDs))],
						"title": fmt.Sprintf("基准事件 %d-%d", w, n), "description": "网站首页被篡改，出现非法内容。"}, http.StatusCreated, &out)
					if err == nil {
						mine = append(mine, inc{out.ID, out.Version})
					}
				case p < 8:
					op = "note"
					err = c.call(ctx, "POST", fmt.Sprintf("/api/v1/incidents/%d/notes", mine[rnd.IntN(len(mine))].id),
						map[string]any{"text": fmt.Sprintf("处置进展 %d：已隔离受影响主机。", n)}, http.StatusNoContent, nil)
				default:
					op = "facts"
					k := rnd.IntN(len(mine))
					var out struct {
						Version int64 `json:"version"`
					}
					err = c.call(ctx, "PUT", fmt.Sprintf("/api/v1/incidents/%d/facts", mine[k].id),
						map[string]any{"version": mine[k].version, "facts": map[string]any{}}, http.StatusOK, &out)
					if err == nil {
						mine[k].version = out.Version
					}
				}
				lat := time.Since(t0)
				if t0.Before(measureFrom) || time.Now().After(end) {
					continue
				}
				res.add(op, lat, err)
			}
		}()
	}
	wg.Wait()
	res.elapsed = r.duration
	for i, s := range servers {
		if c, err := host.CPUTime(s.pid()); err == nil {
			res.serveCPU += c - cpu0[i]
		}
	}
	res.load = host.LoadAverage()
	for _, s := range servers {
		if err := s.stop(); err != nil {
			return nil, err
		}
	}
	servers = nil
	out, err = r.cli("", "audit", "verify")
	if err != nil {
		return nil, fmt.Errorf("audit verify after the run: %w", err)
	}
	res.verify = strings.TrimSpace(strings.SplitN(out, "\n", 2)[0])
	return res, nil
}

// result collects one configuration's measurements.
type result struct {
	mu        sync.Mutex
	replicas  int
	lat       []time.Duration
	ops       map[string]int
	errors    int
	errSample map[string]string
	elapsed   time.Duration
	serveCPU  time.Duration
	load      string
	verify    string
}

func (r *result) add(op string, lat time.Duration, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.ops == nil {
		r.ops = map[string]int{}
	}
	if err != nil {
		r.errors++
		if _, ok := r.errSample[op]; !ok {
			r.errSample[op] = tail(err.Error(), 300)
		}
		return
	}
	r.ops[op]++
	r.lat = append(r.lat, lat)
}

func (r *result) rate() float64 { return float64(len(r.lat)) / r.elapsed.Seconds() }

func (r *result) print(name string) {
	slices.Sort(r.lat)
	pct := func(p float64) time.Duration {
		if len(r.lat) == 0 {
			return 0
		}
		return r.lat[min(len(r.lat)-1, int(p*float64(len(r.lat))))].Round(100 * time.Microsecond)
	}
	var max time.Duration
	if len(r.lat) > 0 {
		max = r.lat[len(r.lat)-1].Round(100 * time.Microsecond)
	}
	fmt.Printf("%-7s replicas=%d writes/s=%.0f p50=%s p99=%s max=%s errors=%d (file %d, note %d, facts %d) serve CPU/write=%s load=%s\n",
		name, r.replicas, r.rate(), pct(0.50), pct(0.99), max, r.errors, r.ops["file"], r.ops["note"], r.ops["facts"],
		(r.serveCPU / time.Duration(max1(len(r.lat)))).Round(10*time.Microsecond), r.load)
	fmt.Printf("        audit verify: %s\n", r.verify)
	for op, e := range r.errSample {
		fmt.Printf("        first %s error: %s\n", op, e)
	}
}

func max1(n int) int { return max(n, 1) }

// server is a running `fenghuo serve`.
type server struct {
	cmd    *exec.Cmd
	api    string
	exited chan struct{}
	err    error
	output *lockedBuffer
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

var runningAt = regexp.MustCompile(`Fenghuo is running at (http://[0-9.:]+)/`)

func (r *run) start() (*server, error) {
	args := r.args(append([]string{"serve", "--listen", "127.0.0.1:0", "--log-level", "warn"}, r.serveFlags...)...)
	s := &server{cmd: exec.Command(r.bin, args...), exited: make(chan struct{}), output: &lockedBuffer{}}
	s.cmd.Stderr = s.output
	stdout, err := s.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := s.cmd.Start(); err != nil {
		return nil, err
	}
	ready := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stdout)
		signalled := false
		for sc.Scan() {
			line := sc.Text()
			s.output.Write([]byte(line + "\n"))
			if m := runningAt.FindStringSubmatch(line); m != nil && !signalled {
				s.api = m[1]
				signalled = true
				close(ready)
			}
		}
		io.Copy(io.Discard, stdout)
	}()
	go func() { s.err = s.cmd.Wait(); close(s.exited) }()
	select {
	case <-ready:
		return s, nil
	case <-s.exited:
		return nil, fmt.Errorf("fenghuo serve exited before listening: %v\n%s", s.err, s.output.String())
	case <-time.After(2 * time.Minute):
		s.cmd.Process.Signal(syscall.SIGKILL)
		<-s.exited
		return nil, fmt.Errorf("fenghuo serve did not start within 2 minutes\n%s", s.output.String())
	}
}

func (s *server) pid() int { return s.cmd.Process.Pid }

func (s *server) stop() error {
	select {
	case <-s.exited:
		return nil
	default:
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
		var ee *exec.ExitError
		if s.err != nil && errors.As(s.err, &ee) {
			return fmt.Errorf("fenghuo serve: %v\n%s", s.err, tail(s.output.String(), 2000))
		}
		return s.err
	case <-time.After(60 * time.Second):
		s.cmd.Process.Signal(syscall.SIGKILL)
		<-s.exited
		return errors.New("fenghuo serve did not stop within 60 s of SIGTERM; killed")
	}
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// client calls the JSON API as a person's script would.
type client struct {
	base, token string
	hc          *http.Client
}

func newClient(base string) *client {
	jar, _ := cookiejar.New(nil)
	return &client{base: base, hc: &http.Client{Jar: jar, Timeout: time.Minute}}
}

func (c *client) call(ctx context.Context, method, path string, body any, want int, out any) error {
	var rd io.Reader
	if body != nil {
		j, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return err
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	req.Header.Set("Accept-Language", "en")
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != want {
		return fmt.Errorf("%s %s: %s: %s", method, path, resp.Status, tail(string(data), 300))
	}
	if out != nil {
		return json.Unmarshal(data, out)
	}
	return nil
}

// login opens a session and makes the write token used from then on.
func (c *client) login(ctx context.Context, user, password string) error {
	if err := c.call(ctx, "POST", "/api/v1/session", map[string]string{"username": user, "password": password}, http.StatusOK, nil); err != nil {
		return err
	}
	var tok struct {
		Token string `json:"token"`
	}
	if err := c.call(ctx, "POST", "/api/v1/tokens", map[string]any{"name": "写入基准", "scope": "write", "expires_days": 1}, http.StatusCreated, &tok); err != nil {
		return err
	}
	c.token = tok.Token
	c.hc.Jar = nil
	return nil
}
