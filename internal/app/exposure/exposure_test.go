package exposure_test

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// listen binds the high-risk port 3389 on loopback when the machine lets
// the test, else a free port (the office's port list then names that port
// instead: the list is configurable per office, so the test is the same).
func listen(t *testing.T) (net.Listener, int) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:3389")
	if err != nil {
		t.Logf("127.0.0.1:3389 not available (%v): using a free port as the high-risk port", err)
		if ln, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
			t.Fatal(err)
		}
	}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	return ln, ln.Addr().(*net.TCPAddr).Port
}

// closedPort returns a loopback port nothing listens on.
func closedPort(t *testing.T) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	return p
}

// recorder wraps the real dialer and keeps every address dialed.
type recorder struct {
	mu     sync.Mutex
	dialed []string
	panics bool
}

func (r *recorder) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	r.mu.Lock()
	r.dialed = append(r.dialed, addr)
	p := r.panics
	r.mu.Unlock()
	if p {
		panic("dialer exploded")
	}
	var d net.Dialer
	return d.DialContext(ctx, network, addr)
}

func (r *recorder) hosts() map[string]bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := map[string]bool{}
	for _, a := range r.dialed {
		h, _, _ := net.SplitHostPort(a)
		out[h] = true
	}
	return out
}

func TestOpenHighRiskPortRaisesFindingAndClosedIsNotedForTheOffice(t *testing.T) {
	e := apptest.New(t)
	ctx := context.Background()
	ln, hot := listen(t)
	cold := closedPort(t)

	rec := &recorder{}
	svc := e.App.Exposure
	svc.Dial = rec.dial
	svc.Timeout = time.Second
	svc.SetRate(time.Millisecond, 5*time.Millisecond)
	// his.example.cn resolves to a registered address; evil.example.cn to
	// a loopback address the unit did not register.
	svc.Resolve = func(ctx context.Context, host string) ([]netip.Addr, error) {
		switch host {
		case "his.example.cn":
			return []netip.Addr{netip.MustParseAddr("127.0.0.1")}, nil
		case "evil.example.cn":
			return []netip.Addr{netip.MustParseAddr("127.0.0.2")}, nil
		}
		return nil, fmt.Errorf("no such host %s", host)
	}

	commander, _ := e.User(t, "county_commander", "county", fenghuo.RoleCommander)
	office := e.Actor(t, commander)
	if err := svc.SetPolicy(ctx, office, e.Orgs["county"].ID, fenghuo.ExposurePolicy{Ports: []int{hot, cold}, IntervalHours: 12}); err != nil {
		t.Fatal(err)
	}
	reporter, _ := e.User(t, "school_reporter", "school", fenghuo.RoleUnitReporter)
	unit := e.Actor(t, reporter)
	// The unit inherits the county's policy.
	if pol, setBy, err := svc.Policy(ctx, unit, e.Orgs["school"].ID); err != nil || setBy != e.Orgs["county"].ID || !pol.HighRisk(hot) {
		t.Fatalf("inherited policy: %+v %d %v", pol, setBy, err)
	}
	// A unit may not set its office's policy, nor its own (no org right).
	if err := svc.SetPolicy(ctx, unit, e.Orgs["school"].ID, fenghuo.DefaultExposurePolicy()); fenghuo.ErrorCode(err) != fenghuo.EFORBIDDEN {
		t.Fatalf("unit sets policy: %v", err)
	}

	sys := &fenghuo.System{OrgID: e.Orgs["school"].ID, Name: "教务系统", Exposure: []fenghuo.Exposure{
		{Kind: fenghuo.ExposureIP, Value: "127.0.0.1"},
		{Kind: fenghuo.ExposureDomain, Value: "his.example.cn"},
		{Kind: fenghuo.ExposureDomain, Value: "evil.example.cn"},
		{Kind: fenghuo.ExposureDomain, Value: "gone.example.cn"},
		{Kind: fenghuo.ExposureIP, Value: "10.0.0.0/8"},
	}}
	if err := e.DB.CreateSystem(ctx, sys); err != nil {
		t.Fatal(err)
	}

	run, err := svc.RunNow(ctx, unit, sys.ID)
	if err != nil {
		t.Fatal(err)
	}
	// The IP and the domain resolving to it name one address: two ports,
	// each tried once.
	if run.Probes != 2 || run.Addresses != 1 || run.OpenHighRisk != 1 || run.Cause != fenghuo.ExposureCauseManual {
		t.Fatalf("run: %+v", run)
	}
	// Nothing but the registered address was ever dialed: the domain that
	// resolved to an unregistered loopback address, the unresolvable
	// domain and the /8 block were refused, each with its reason.
	if h := rec.hosts(); len(h) != 1 || !h["127.0.0.1"] {
		t.Fatalf("dialed %v", h)
	}
	refused := strings.Join(run.Refused, "\n")
	for _, want := range []string{"evil.example.cn", "127.0.0.2", "gone.example.cn", "10.0.0.0/8"} {
		if !strings.Contains(refused, want) {
			t.Errorf("refused list lacks %q:\n%s", want, refused)
		}
	}
	results, err := e.DB.ExposureResults(ctx, run.ID)
	if err != nil || len(results) != 2 {
		t.Fatalf("results: %+v %v", results, err)
	}
	var fid int64
	const target = "127.0.0.1、his.example.cn"
	for _, r := range results {
		switch r.Port {
		case hot:
			if r.State != fenghuo.PortOpen || !r.HighRisk || r.FindingID == 0 || r.Target != target {
				t.Fatalf("open port result: %+v", r)
			}
			fid = r.FindingID
		case cold:
			if r.State != fenghuo.PortClosed || r.FindingID != 0 {
				t.Fatalf("closed port result: %+v", r)
			}
		}
	}
	f, err := e.DB.Finding(ctx, fid)
	if err != nil || f.Source != fenghuo.FindingSourceExposure || f.SystemID != sys.ID || f.OrgID != e.Orgs["school"].ID ||
		f.Severity != fenghuo.SeverityHigh || f.State != fenghuo.FindingOpen || !strings.Contains(f.Title, strconv.Itoa(hot)) {
		t.Fatalf("finding: %+v %v", f, err)
	}

	// Found open again: merged into the same finding, not repeated.
	e.Clock.Advance(time.Hour)
	run2, err := svc.RunNow(ctx, unit, sys.ID)
	if err != nil || run2.OpenHighRisk != 1 {
		t.Fatalf("second run: %+v %v", run2, err)
	}
	if f, _ := e.DB.Finding(ctx, fid); f.Occurrences != 2 {
		t.Fatalf("not merged: %+v", f)
	}

	// The unit closes the port: the next check notes "re-check: closed" on
	// the finding (which stays open for the office to verify) and tells
	// the county; a further closed check notes nothing more.
	ln.Close()
	e.Clock.Advance(time.Hour)
	run3, err := svc.RunNow(ctx, unit, sys.ID)
	if err != nil || run3.OpenHighRisk != 0 {
		t.Fatalf("third run: %+v %v", run3, err)
	}
	e.Clock.Advance(time.Hour)
	if _, err := svc.RunNow(ctx, unit, sys.ID); err != nil {
		t.Fatal(err)
	}
	events, err := e.DB.FindingEvents(ctx, fid)
	if err != nil {
		t.Fatal(err)
	}
	notes := 0
	for _, ev := range events {
		if strings.HasPrefix(ev.Body, "复查：端口已关闭") {
			notes++
		}
	}
	if notes != 1 {
		t.Fatalf("re-check notes: %d in %+v", notes, events)
	}
	if f, _ := e.DB.Finding(ctx, fid); f.State != fenghuo.FindingOpen {
		t.Fatalf("the office verifies, not the check: %+v", f)
	}
	ns, err := e.DB.Notifications(ctx, e.Orgs["county"].ID, 0, 50)
	if err != nil {
		t.Fatal(err)
	}
	told := false
	for _, n := range ns {
		told = told || n.Kind == "finding.recheck_closed"
	}
	if !told {
		t.Fatalf("county not told: %+v", ns)
	}
	hist, err := e.DB.ExposureHistory(ctx, sys.ID, target, hot, 10)
	if err != nil || len(hist) != 4 || hist[0].State != fenghuo.PortClosed || hist[3].State != fenghuo.PortOpen {
		t.Fatalf("history: %+v %v", hist, err)
	}

	// Rights: another county's unit does not see the system; a viewer of
	// the unit may not run a check.
	other, _ := e.User(t, "school2_reporter", "school2", fenghuo.RoleUnitReporter)
	if _, err := svc.RunNow(ctx, e.Actor(t, other), sys.ID); fenghuo.ErrorCode(err) != fenghuo.ENOTFOUND {
		t.Fatalf("other unit: %v", err)
	}
	viewer, _ := e.User(t, "school_viewer", "school", fenghuo.RoleViewer)
	if _, err := svc.RunNow(ctx, e.Actor(t, viewer), sys.ID); fenghuo.ErrorCode(err) != fenghuo.EFORBIDDEN {
		t.Fatalf("viewer: %v", err)
	}
	// Every check is in the audit log.
	audits, err := e.DB.AuditEntries(ctx, store.AuditFilter{ActionPrefix: "exposure.check"}, store.Page{Limit: 50})
	if err != nil || audits.Total != 4 {
		t.Fatalf("audit entries: %+v %v", audits.Total, err)
	}
}

func TestScheduledChecksAndNoPanicEscapes(t *testing.T) {
	e := apptest.New(t)
	ctx := context.Background()
	rec := &recorder{panics: true}
	svc := e.App.Exposure
	svc.Dial = rec.dial
	svc.SetRate(0, 0)
	sys := &fenghuo.System{OrgID: e.Orgs["hospital"].ID, Name: "HIS", Exposure: []fenghuo.Exposure{{Kind: fenghuo.ExposureIP, Value: "127.0.0.1"}}}
	if err := e.DB.CreateSystem(ctx, sys); err != nil {
		t.Fatal(err)
	}
	// With no policy set nothing is checked on a schedule: the system is
	// looked at again an hour later.
	e.Clock.Advance(time.Hour + time.Minute)
	if _, err := svc.RunDue(ctx, 10); err != nil {
		t.Fatal(err)
	}
	if runs, _ := e.DB.ExposureRuns(ctx, sys.ID, 10); len(runs) != 0 {
		t.Fatalf("checked without a policy: %+v", runs)
	}
	commander, _ := e.User(t, "city_commander", "city", fenghuo.RoleCommander)
	pol := fenghuo.DefaultExposurePolicy()
	pol.Scheduled = true
	if err := svc.SetPolicy(ctx, e.Actor(t, commander), e.Orgs["city"].ID, pol); err != nil {
		t.Fatal(err)
	}
	// Scheduled: not due yet, then due.
	if n, err := svc.RunDue(ctx, 10); err != nil || n != 0 {
		t.Fatalf("first pass: %d %v", n, err)
	}
	e.Clock.Advance(time.Hour + time.Minute)
	n, err := svc.RunDue(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	runs, err := e.DB.ExposureRuns(ctx, sys.ID, 10)
	if err != nil || len(runs) != 1 || n != 1 {
		t.Fatalf("runs: %+v %v (checked %d)", runs, err, n)
	}
	// The dialer panicked on every connect: the check still finished,
	// each probe recorded as an error, as the platform.
	r := runs[0]
	if r.Cause != fenghuo.ExposureCauseSchedule || r.Probes != len(fenghuo.DefaultHighRiskPorts) || r.CreatedBy != 0 {
		t.Fatalf("scheduled run: %+v", r)
	}
	res, _ := e.DB.ExposureResults(ctx, r.ID)
	for _, x := range res {
		if x.State != fenghuo.PortError || x.Error == "" {
			t.Fatalf("result after panic: %+v", x)
		}
	}
	// Next due after the default interval; not due again before.
	due, err := e.DB.ExposureDue(ctx, sys.ID)
	if err != nil || !due.Equal(r.FinishedAt.Add(fenghuo.DefaultExposureInterval)) {
		t.Fatalf("next due %v, run finished %v", due, r.FinishedAt)
	}
	if n, _ := svc.RunDue(ctx, 10); n != 0 {
		t.Fatalf("checked again before due: %d", n)
	}
	// Retired: taken off the schedule when next due.
	sys.Status = fenghuo.SystemRetired
	if err := e.DB.UpdateSystem(ctx, sys); err != nil {
		t.Fatal(err)
	}
	e.Clock.Advance(25 * time.Hour)
	if _, err := svc.RunDue(ctx, 10); err != nil {
		t.Fatal(err)
	}
	if d, _ := e.DB.ExposureDue(ctx, sys.ID); !d.IsZero() {
		t.Fatalf("retired system still scheduled at %v", d)
	}
	if _, err := svc.RunNow(ctx, app.SystemActor(), sys.ID); err == nil {
		t.Fatal("a retired system was checked")
	}
}
