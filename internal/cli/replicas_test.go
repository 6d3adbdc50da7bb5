package cli

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/app/notification"
	"fenghuo/internal/apptest"
	"fenghuo/internal/auth"
	"fenghuo/internal/config"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/notify"
)

// The replicas test (issue 16 item 1) runs three `fenghuo serve` processes
// on one PostgreSQL database: this test binary re-executed as `serve`
// (replicaChildEnv), configured through FENGHUO_* variables as a systemd
// unit would be. It drives incidents through all three, whose deadlines
// have passed, so every write escalates and every escalation is delivered
// to a webhook receiver on loopback; it SIGKILLs one replica while that
// replica holds leased deliveries, and checks that nothing acknowledged is
// lost and that every notification reaches the receiver exactly once,
// the killed replica's deliveries made by the others after the work lease.

const replicaChildEnv = "FENGHUO_TEST_REPLICA_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(replicaChildEnv) != "" {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		code := Run(ctx, []string{"serve"}, os.Stdin, os.Stdout, os.Stderr)
		stop()
		os.Exit(code)
	}
	os.Exit(m.Run())
}

// replicaLease is the work lease the replicas run with (the shortest
// allowed), and replicaPoll the job runner's idle poll (serve's).
const (
	replicaLease = 10 * time.Second
	replicaPoll  = 5 * time.Second
)

// replica is one serve process.
type replica struct {
	cmd  *exec.Cmd
	url  string
	done chan struct{}
	errb *syncBuffer
}

// startReplica starts `serve` in a child process on dataDir and dsn and
// waits for its address.
func startReplica(t *testing.T, dataDir, dsn, evidence string) *replica {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), replicaChildEnv+"=1", "FENGHUO_LISTEN=127.0.0.1:0", "FENGHUO_DB="+dsn,
		"FENGHUO_DATA_DIR="+dataDir, "FENGHUO_EVIDENCE_DIR="+evidence, "FENGHUO_WORK_LEASE="+replicaLease.String(),
		"FENGHUO_NOTIFY_ALLOW_LOOPBACK=true", "FENGHUO_BASE_URL=https://fenghuo.test", "FENGHUO_LOG_LEVEL=warn")
	errb := &syncBuffer{}
	cmd.Stderr = errb
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	r := &replica{cmd: cmd, done: make(chan struct{}), errb: errb}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if rest, ok := strings.CutPrefix(sc.Text(), "Fenghuo is running at "); ok {
				addr <- strings.TrimSuffix(strings.Fields(rest)[0], "/")
			}
		}
		io.Copy(io.Discard, out)
	}()
	go func() { cmd.Wait(); close(r.done) }()
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-r.done:
		case <-time.After(20 * time.Second):
			cmd.Process.Kill()
			<-r.done
		}
	})
	select {
	case r.url = <-addr:
	case <-r.done:
		t.Fatalf("replica exited: %s", errb.String())
	case <-time.After(60 * time.Second):
		t.Fatalf("replica did not start: %s", errb.String())
	}
	return r
}

// hookReceiver is the webhook endpoint the channels post to. While held,
// requests wait; a request whose sender goes away meanwhile (killed) is
// not counted, as its sender never learnt it arrived. Each answered
// request is one delivery.
type hookReceiver struct {
	mu       sync.Mutex
	held     chan struct{} // closed: requests pass
	waiting  int
	received []string       // "path|title|link"
	ids      map[string]int // X-Fenghuo-Delivery of each answered request
	dropped  int
}

func (h *hookReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var p struct{ Title, Text, Link string }
	if err := json.NewDecoder(r.Body).Decode(&p); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	h.mu.Lock()
	gate := h.held
	h.waiting++
	h.mu.Unlock()
	select {
	case <-gate:
	case <-r.Context().Done():
		h.mu.Lock()
		h.waiting--
		h.dropped++
		h.mu.Unlock()
		return
	}
	h.mu.Lock()
	h.waiting--
	h.received = append(h.received, r.URL.Path+"|"+p.Title+"|"+p.Link)
	h.ids[r.Header.Get(notify.HeaderDelivery)]++
	h.mu.Unlock()
	w.WriteHeader(http.StatusOK)
}

func (h *hookReceiver) hold() {
	h.mu.Lock()
	h.held = make(chan struct{})
	h.mu.Unlock()
}

func (h *hookReceiver) release() {
	h.mu.Lock()
	close(h.held)
	h.mu.Unlock()
}

func (h *hookReceiver) state() (received []string, waiting, dropped int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.received), h.waiting, h.dropped
}

// replicaFixture is what the test seeds before the replicas start.
type replicaFixture struct {
	county, units []int64
	tokens        map[int64]string // unit org → a unit reporter's API token
	commander     string           // the county commander's user name
}

const replicaPassword = "Replica-Test-Passw0rd"

// seedReplicas creates, through the same openApp serve uses (so keys/ is
// created in dataDir), a county office with three units, a webhook
// channel on each, a reporter and API token per unit and a commander for
// the county.
func seedReplicas(t *testing.T, dataDir, dsn, hookURL string) replicaFixture {
	t.Helper()
	ctx := context.Background()
	cfg := config.Defaults()
	cfg.DataDir, cfg.DB = dataDir, dsn
	a, closeApp, err := openApp(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer closeApp()
	db := a.Core.DB()
	hash, err := auth.HashPassword(replicaPassword)
	if err != nil {
		t.Fatal(err)
	}
	user := func(name string, org int64, role fenghuo.Role) *app.Actor {
		u := &fenghuo.User{OrgID: org, Username: name, DisplayName: name, Roles: []fenghuo.Role{role}, PasswordHash: hash}
		if err := db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		o, err := db.Org(ctx, org)
		if err != nil {
			t.Fatal(err)
		}
		return &app.Actor{User: *u, Org: *o, IP: "127.0.0.1", Via: "console"}
	}
	city := &fenghuo.Org{Name: "云州市委网信办", Level: fenghuo.LevelCity, Type: fenghuo.OrgRegulator, PlanIDs: []string{"cac-2025"}, PlanRoles: []string{"cyberspace_office"}}
	if err := db.CreateOrg(ctx, city); err != nil {
		t.Fatal(err)
	}
	county := &fenghuo.Org{ParentID: city.ID, Name: "青溪县委网信办", Level: fenghuo.LevelCounty, Type: fenghuo.OrgRegulator,
		PlanIDs: []string{"wushen-county", "cac-2025"}, PlanRoles: []string{"cyberspace_office"}}
	if err := db.CreateOrg(ctx, county); err != nil {
		t.Fatal(err)
	}
	f := replicaFixture{county: []int64{county.ID}, tokens: map[int64]string{}, commander: "qx-commander"}
	chief := user(f.commander, county.ID, fenghuo.RoleCommander)
	channel := func(org int64, path string) {
		if _, err := a.Notifications.CreateChannel(ctx, chief, notification.ChannelInput{OrgID: org, Kind: notify.KindWebhook,
			Name: "值班接口", Target: hookURL + path, Secret: "replica-hook-secret"}); err != nil {
			t.Fatal(err)
		}
	}
	channel(county.ID, "/county")
	for i, name := range []string{"青溪县人民医院", "青溪县第一中学", "青溪县自来水公司"} {
		u := &fenghuo.Org{ParentID: county.ID, Name: name, Level: fenghuo.LevelUnit, Type: fenghuo.OrgOperator, Sector: "government",
			PlanRoles: []string{"operator"}}
		if err := db.CreateOrg(ctx, u); err != nil {
			t.Fatal(err)
		}
		f.units = append(f.units, u.ID)
		channel(u.ID, "/unit"+strconv.Itoa(i))
		token, _, err := a.Accounts.CreateAPIToken(ctx, user("reporter"+strconv.Itoa(i), u.ID, fenghuo.RoleUnitReporter), "replicas test", auth.ScopeWrite, 1)
		if err != nil {
			t.Fatal(err)
		}
		f.tokens[u.ID] = token
	}
	return f
}

// copyKeys copies the keys directory of one data directory to another:
// every replica holds the same keys.
func copyKeys(t *testing.T, from, to string) {
	t.Helper()
	ents, err := os.ReadDir(filepath.Join(from, "keys"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(to, "keys"), 0o700); err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		data, err := os.ReadFile(filepath.Join(from, "keys", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, "keys", e.Name()), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

func TestThreeReplicasOnPostgreSQLSurviveKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("starts three serve processes")
	}
	if os.Getenv("FENGHUO_TEST_POSTGRES") == "" {
		t.Skip("replicas need PostgreSQL: set FENGHUO_TEST_POSTGRES (eval \"$(bash scripts/test-db.sh)\" starts one)")
	}
	started := time.Now()
	dsn := apptest.PostgresDSN(t)
	hooks := &hookReceiver{held: make(chan struct{}), ids: map[string]int{}}
	close(hooks.held)
	hookLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hookSrv := &http.Server{Handler: hooks}
	go hookSrv.Serve(hookLn)
	defer hookSrv.Close()

	dirs := []string{t.TempDir(), t.TempDir(), t.TempDir()}
	evidence := t.TempDir() // the shared evidence mount
	fx := seedReplicas(t, dirs[0], dsn, "http://"+hookLn.Addr().String())
	copyKeys(t, dirs[0], dirs[1])
	copyKeys(t, dirs[0], dirs[2])
	reps := make([]*replica, 3)
	var wg sync.WaitGroup
	for i := range reps {
		wg.Add(1)
		go func() { defer wg.Done(); reps[i] = startReplica(t, dirs[i], dsn, evidence) }()
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	t.Logf("three replicas up in %.1f s", time.Since(started).Seconds())
	pg, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()

	// Hold the webhook's answers: the replicas' deliveries wait in flight,
	// leased, while the load goes on.
	hooks.hold()
	var (
		mu    sync.Mutex
		acked []int64
		alive = []bool{true, true, true}
	)
	load, stopLoad := context.WithCancel(context.Background())
	var loaders sync.WaitGroup
	client := &http.Client{Timeout: 15 * time.Second}
	for w := range 6 {
		loaders.Add(1)
		go func() {
			defer loaders.Done()
			unit := fx.units[w%len(fx.units)]
			for n := 0; load.Err() == nil; n++ {
				// Round robin over the replicas still up, as a load
				// balancer would; a refused request goes to the next.
				mu.Lock()
				r := (w + n) % 3
				for !alive[r] {
					r = (r + 1) % 3
				}
				mu.Unlock()
				// Discovered three days ago: every deadline has passed, so
				// the incident is escalated at once.
				body, _ := json.Marshal(map[string]any{"org_id": unit, "title": fmt.Sprintf("门户网站被篡改 %d-%d", w, n),
					"category": "IAI", "facts": map[string]any{"social_impact": "serious", "defacement_homepage_minutes": 40}, "discovered_at": time.Now().Add(-72 * time.Hour).UTC(),
					"occurred_at": time.Now().Add(-73 * time.Hour).UTC(), "description": "首页被植入非法链接"})
				req, _ := http.NewRequest("POST", reps[r].url+"/api/v1/incidents", bytes.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+fx.tokens[unit])
				req.Header.Set("Content-Type", "application/json")
				resp, err := client.Do(req)
				if err != nil {
					continue // not acknowledged (the replica died)
				}
				var out struct{ ID int64 }
				raw, _ := io.ReadAll(resp.Body)
				json.Unmarshal(raw, &out)
				resp.Body.Close()
				if resp.StatusCode != http.StatusCreated {
					if resp.StatusCode < 500 {
						t.Errorf("create incident on replica %d: %d %s", r, resp.StatusCode, raw)
						stopLoad()
					}
					continue
				}
				mu.Lock()
				acked = append(acked, out.ID)
				mu.Unlock()
				time.Sleep(50 * time.Millisecond)
			}
		}()
	}
	defer func() { stopLoad(); loaders.Wait() }()

	// Wait until every replica holds leased deliveries (held at the
	// receiver) and pick the victim: the holder of the keeping lease.
	type leaseHold struct {
		holder string
		jobs   []int64
	}
	holdings := func() map[int][]int64 { // pid → leased, unfinished deliver jobs
		rows, err := pg.Query(`SELECT id, locked_by FROM jobs WHERE kind = 'deliver' AND state = 'pending' AND locked_until > $1`,
			time.Now().UnixMilli())
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		out := map[int][]int64{}
		for rows.Next() {
			var id int64
			var by string
			if err := rows.Scan(&id, &by); err != nil {
				t.Fatal(err)
			}
			out[holderPID(by)] = append(out[holderPID(by)], id)
		}
		return out
	}
	keeper := func() string {
		var h string
		pg.QueryRow(`SELECT holder FROM leases WHERE name = 'scheduler.keeping' AND expires_at > $1`, time.Now().UnixMilli()).Scan(&h)
		return h
	}
	victim := -1
	var victimJobs []int64
	var victimKept bool
	for deadline := time.Now().Add(8 * time.Second); victim < 0; {
		time.Sleep(200 * time.Millisecond)
		h := holdings()
		k := holderPID(keeper())
		if len(h) == 3 || time.Now().After(deadline) {
			for i, r := range reps {
				pid := r.cmd.Process.Pid
				if len(h[pid]) > 0 && (victim < 0 || pid == k) {
					victim, victimJobs, victimKept = i, h[pid], pid == k
				}
			}
			if victim < 0 && time.Now().After(deadline) {
				t.Fatalf("no replica holds a delivery after 8 s of load (%d acknowledged, receiver holds %d)", len(acked), hooks.waiting)
			}
		}
	}
	mu.Lock()
	alive[victim] = false
	ackedBefore := len(acked)
	mu.Unlock()
	if err := reps[victim].cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-reps[victim].done
	killed := time.Now()
	t.Logf("kill -9 of replica %d (pid %d) holding %d deliveries and, %v, the keeping lease; %d incidents acknowledged so far",
		victim, reps[victim].cmd.Process.Pid, len(victimJobs), victimKept, ackedBefore)
	// The load goes on a little on the other two, then the receiver
	// answers again.
	time.Sleep(time.Second)
	hooks.release()
	time.Sleep(time.Second)
	stopLoad()
	loaders.Wait()
	if t.Failed() {
		return
	}

	// Wait for the work to settle: no job pending, no due obligation left
	// unescalated, the victim's deliveries done by another replica.
	takeover := 2*(replicaLease+replicaPoll) + 10*time.Second
	var settled time.Duration
	for {
		var pending, unescalated, victimLeft int
		pg.QueryRow(`SELECT COUNT(*) FROM jobs WHERE state = 'pending'`).Scan(&pending)
		pg.QueryRow(`SELECT COUNT(*) FROM obligations WHERE state = 'open' AND due_at > 0 AND due_at <= $1 AND escalated_at = 0`,
			time.Now().UnixMilli()).Scan(&unescalated)
		pg.QueryRow(`SELECT COUNT(*) FROM jobs WHERE id = ANY($1) AND (state <> 'done' OR locked_by = $2)`,
			victimJobs, holderOf(t, pg, victimJobs, reps[victim].cmd.Process.Pid)).Scan(&victimLeft)
		if pending == 0 && unescalated == 0 && victimLeft == 0 {
			settled = time.Since(killed)
			break
		}
		if time.Since(killed) > takeover {
			t.Fatalf("%s after the kill: %d jobs pending, %d due obligations unescalated, %d of the killed replica's deliveries not done by another",
				takeover, pending, unescalated, victimLeft)
		}
		time.Sleep(250 * time.Millisecond)
	}
	t.Logf("the killed replica's work was done by the others %.1f s after the kill (work lease %s, job poll %s)",
		settled.Seconds(), replicaLease, replicaPoll)
	if victimKept {
		if k := holderPID(keeper()); k == reps[victim].cmd.Process.Pid || k == 0 {
			// The scheduler renews at each pass (at most 5 s apart): the
			// lease has expired and been taken by now if anyone took it.
			time.Sleep(replicaPoll)
			if k := holderPID(keeper()); k == reps[victim].cmd.Process.Pid || k == 0 {
				t.Errorf("the keeping lease was not taken over from the killed replica (holder pid %d)", k)
			}
		}
	}

	// The yearly drill duties, opened by the pass of whichever replica came
	// first at start-up: one per unit, not one per replica.
	var duties int
	pg.QueryRow(`SELECT COUNT(*) FROM obligations WHERE kind = 'drill_year'`).Scan(&duties)
	if duties != len(fx.units) {
		t.Errorf("%d yearly drill duties for %d units", duties, len(fx.units))
	}
	// A console connected to one replica sees a change made through another.
	var survivors []*replica
	for i, r := range reps {
		if i != victim {
			survivors = append(survivors, r)
		}
	}
	liveAcrossReplicas(t, survivors[0], survivors[1], fx)

	// Every acknowledged write is there.
	var missing []int64
	for _, id := range acked {
		var n int
		pg.QueryRow(`SELECT COUNT(*) FROM incidents WHERE id = $1`, id).Scan(&n)
		if n != 1 {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		t.Errorf("%d of %d acknowledged incidents are missing: %v", len(missing), len(acked), missing)
	}
	if len(acked) < 10 {
		t.Errorf("only %d incidents acknowledged: no load to speak of", len(acked))
	}
	// Each overdue obligation escalated once: one overdue notice per org told.
	var twice int
	pg.QueryRow(`SELECT COUNT(*) FROM (SELECT org_id, title, link FROM notifications WHERE kind = 'obligation.overdue'
		GROUP BY org_id, title, link HAVING COUNT(*) > 1) d`).Scan(&twice)
	if twice > 0 {
		t.Errorf("%d overdue notices were written twice", twice)
	}
	// The receiver got every notification of the orgs with a channel
	// exactly once: no duplicate, none missing.
	paths := map[int64]string{fx.county[0]: "/county"}
	for i, u := range fx.units {
		paths[u] = "/unit" + strconv.Itoa(i)
	}
	rows, err := pg.Query(`SELECT org_id, title, link FROM notifications`)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for rows.Next() {
		var org int64
		var title, link string
		if err := rows.Scan(&org, &title, &link); err != nil {
			t.Fatal(err)
		}
		if p, ok := paths[org]; ok {
			want = append(want, p+"|"+title+"|https://fenghuo.test"+link)
		}
	}
	rows.Close()
	got, waiting, dropped := hooks.state()
	slices.Sort(want)
	slices.Sort(got)
	if len(want) == 0 {
		t.Fatal("no notification was written: the load escalated nothing")
	}
	if !slices.Equal(got, want) {
		t.Errorf("receiver got %d deliveries, want %d (one per notification); first difference: %s", len(got), len(want), firstDiff(got, want))
	}
	// Each delivery named itself, once: what a receiver would drop repeats by.
	hooks.mu.Lock()
	for id, n := range hooks.ids {
		if id == "" || n != 1 {
			t.Errorf("delivery ID %q answered %d times", id, n)
			break
		}
	}
	hooks.mu.Unlock()
	t.Logf("%d incidents acknowledged (%d before the kill), all stored; %d notifications delivered once each; %d deliveries cut off by the kill and redone, %d waiting; whole test %.1f s",
		len(acked), ackedBefore, len(got), dropped, waiting, time.Since(started).Seconds())
}

// liveAcrossReplicas opens the county commander's event stream on one
// replica, files an incident through the other and waits for its event.
func liveAcrossReplicas(t *testing.T, watch, write *replica, fx replicaFixture) {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"username": fx.commander, "password": replicaPassword})
	resp, err := http.Post(watch.url+"/api/v1/session", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var session *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == "fh_session" {
			session = c
		}
	}
	if resp.StatusCode != http.StatusOK || session == nil {
		t.Fatalf("log-in on %s: %d, cookie %v", watch.url, resp.StatusCode, session)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", watch.url+"/events", nil)
	req.AddCookie(session)
	stream, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer stream.Body.Close()
	if stream.StatusCode != http.StatusOK {
		t.Fatalf("event stream: %d", stream.StatusCode)
	}
	lines := make(chan string, 64)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(stream.Body)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	for line := range lines { // the stream is open once hello arrives
		if line == "event: hello" {
			break
		}
	}
	unit := fx.units[0]
	body, _ = json.Marshal(map[string]any{"org_id": unit, "title": "跨副本实时事件", "category": "IAI",
		"discovered_at": time.Now().UTC(), "occurred_at": time.Now().Add(-time.Minute).UTC()})
	post, _ := http.NewRequest("POST", write.url+"/api/v1/incidents", bytes.NewReader(body))
	post.Header.Set("Authorization", "Bearer "+fx.tokens[unit])
	post.Header.Set("Content-Type", "application/json")
	presp, err := http.DefaultClient.Do(post)
	if err != nil {
		t.Fatal(err)
	}
	var inc struct{ ID int64 }
	json.NewDecoder(presp.Body).Decode(&inc)
	presp.Body.Close()
	if presp.StatusCode != http.StatusCreated {
		t.Fatalf("incident through %s: %d", write.url, presp.StatusCode)
	}
	want := fmt.Sprintf(`"link":"/incidents/%d"`, inc.ID)
	for line := range lines {
		if strings.HasPrefix(line, "data: ") && strings.Contains(line, want) {
			return
		}
	}
	t.Errorf("the console on %s never saw incident %d filed through %s", watch.url, inc.ID, write.url)
}

// holderPID is the process ID in a replica's holder name (host:pid:random).
func holderPID(holder string) int {
	parts := strings.Split(holder, ":")
	if len(parts) < 3 {
		return 0
	}
	pid, _ := strconv.Atoi(parts[len(parts)-2])
	return pid
}

// holderOf is the holder name of the process pid among the jobs' lockers.
func holderOf(t *testing.T, pg *sql.DB, jobs []int64, pid int) string {
	t.Helper()
	rows, err := pg.Query(`SELECT DISTINCT locked_by FROM jobs WHERE locked_by <> ''`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var h string
		rows.Scan(&h)
		if holderPID(h) == pid {
			return h
		}
	}
	return fmt.Sprintf("(pid %d)", pid)
}

// firstDiff names the first entry of a sorted list missing from the other.
func firstDiff(got, want []string) string {
	for i := 0; i < len(got) || i < len(want); i++ {
		switch {
		case i >= len(got):
			return "missing " + want[i]
		case i >= len(want):
			return "extra " + got[i]
		case got[i] != want[i]:
			if slices.Contains(want, got[i]) {
				return "missing " + want[i]
			}
			return "extra " + got[i]
		}
	}
	return "none"
}
