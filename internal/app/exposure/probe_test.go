package exposure_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"fenghuo/internal/app/account"
	"fenghuo/internal/app/exposure"
	"fenghuo/internal/app/exposure/report"
	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/monitor"
)

// refusedCount reads fenghuo_exposure_probe_reports_refused_total{reason}.
func refusedCount(t *testing.T, reason string) float64 {
	t.Helper()
	reg := prometheus.NewRegistry()
	reg.MustRegister(exposure.Collectors()...)
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != "fenghuo_exposure_probe_reports_refused_total" {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "reason" && l.GetValue() == reason {
					return m.GetCounter().GetValue()
				}
			}
		}
	}
	return 0
}

// A port open only from another network: the server's own connects are
// refused (its network does not reach the port), a remote probe's reach
// it. The probe is the real probe client against the real protocol
// handlers on a loopback test server; the port is a loopback listener.
func TestProbeSeesPortTheServerDoesNot(t *testing.T) {
	e := apptest.New(t)
	ctx := context.Background()
	ln, hot := listen(t)
	defer ln.Close()
	cold := closedPort(t)

	svc := e.App.Exposure
	var serverDialed int
	svc.Dial = func(ctx context.Context, network, addr string) (net.Conn, error) {
		serverDialed++
		return nil, &net.OpError{Op: "dial", Net: network, Err: syscall.ECONNREFUSED}
	}
	svc.SetRate(time.Millisecond, 5*time.Millisecond)

	// Two probes registered: 联通探针 is named by the policy, 电信探针 not.
	_, token, err := e.App.Monitoring.RegisterProbe(ctx, account.CLIActor(), "联通探针", "联通")
	if err != nil {
		t.Fatal(err)
	}
	_, otherToken, err := e.App.Monitoring.RegisterProbe(ctx, account.CLIActor(), "电信探针", "电信")
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	auth := &monitor.Service{DB: e.DB, Now: e.Clock.Now}
	svc.ProbeRoutes(mux, auth.ProbeAuth)
	ts := httptest.NewServer(mux)
	defer ts.Close()

	commander, _ := e.User(t, "county_commander", "county", fenghuo.RoleCommander)
	office := e.Actor(t, commander)
	// A name with a comma is not a probe name.
	if err := svc.SetPolicy(ctx, office, e.Orgs["county"].ID, fenghuo.ExposurePolicy{Ports: []int{hot, cold}, IntervalHours: 12,
		Vantages: []string{"server", "联通,电信"}}); fenghuo.ErrorCode(err) != fenghuo.EINVALID {
		t.Fatalf("bad vantage accepted: %v", err)
	}
	if err := svc.SetPolicy(ctx, office, e.Orgs["county"].ID, fenghuo.ExposurePolicy{Ports: []int{hot, cold}, IntervalHours: 12,
		Vantages: []string{"server", "联通探针"}}); err != nil {
		t.Fatal(err)
	}
	reporter, _ := e.User(t, "school_reporter", "school", fenghuo.RoleUnitReporter)
	unit := e.Actor(t, reporter)
	sys := &fenghuo.System{OrgID: e.Orgs["school"].ID, Name: "教务系统", Exposure: []fenghuo.Exposure{{Kind: fenghuo.ExposureIP, Value: "127.0.0.1"}}}
	if err := e.DB.CreateSystem(ctx, sys); err != nil {
		t.Fatal(err)
	}

	// The server's check: both ports closed from here, no finding; the
	// plan is handed to 联通探针 only.
	run, err := svc.RunNow(ctx, unit, sys.ID)
	if err != nil {
		t.Fatal(err)
	}
	if run.Vantage != fenghuo.VantageServer || run.OpenHighRisk != 0 || serverDialed != 2 {
		t.Fatalf("server run %+v (dialed %d)", run, serverDialed)
	}
	pending, err := svc.PendingProbes(ctx, unit, sys.ID)
	if err != nil || len(pending) != 1 || pending[0].ProbeName != "联通探针" || len(pending[0].Plan) != 2 {
		t.Fatalf("pending %+v %v", pending, err)
	}

	// A probe that dies after taking its work: it is leased, so another
	// round gets nothing, until the lease ends.
	work := getWork(t, ts.URL, token)
	if len(work) != 1 || len(work[0].Connects) != 2 {
		t.Fatalf("work %+v", work)
	}
	client := exposure.NewProbeClient(ts.URL, token, nil)
	client.SetRate(time.Millisecond, 5*time.Millisecond)
	client.Timeout = 2 * time.Second
	if n, err := client.Round(ctx); err != nil || n != 0 {
		t.Fatalf("round under lease: %d %v", n, err)
	}

	// Forged reports are refused whole, counted, and store nothing: an
	// address not in the plan; a port not in the plan; the other probe
	// reporting this probe's work; a malformed body; no token.
	forged := []struct {
		token, body, reason string
	}{
		{token, fmt.Sprintf(`{"items":[{"work_id":%d,"results":[{"address":"127.0.0.1","port":%d,"state":"closed","latency_ms":1},{"address":"127.0.0.9","port":%d,"state":"open","latency_ms":1}]}]}`, work[0].WorkID, cold, hot), "not_in_plan"},
		{token, fmt.Sprintf(`{"items":[{"work_id":%d,"results":[{"address":"127.0.0.1","port":3306,"state":"open","latency_ms":1}]}]}`, work[0].WorkID), "not_in_plan"},
		{otherToken, fmt.Sprintf(`{"items":[{"work_id":%d,"results":[{"address":"127.0.0.1","port":%d,"state":"open","latency_ms":1}]}]}`, work[0].WorkID, hot), "unknown_work"},
		{token, `{"items":[{"work_id":1,"results":[],"extra":1}]}`, "malformed"},
	}
	for _, f := range forged {
		before := refusedCount(t, f.reason)
		if status := postReport(t, ts.URL, f.token, f.body); status != http.StatusBadRequest {
			t.Errorf("%s report: status %d", f.reason, status)
		}
		if got := refusedCount(t, f.reason); got != before+1 {
			t.Errorf("%s report counted %v, want %v", f.reason, got, before+1)
		}
	}
	if status := postReport(t, ts.URL, "not-a-token", `{"items":[]}`); status != http.StatusUnauthorized {
		t.Errorf("no token: %d", status)
	}
	if runs, _ := e.DB.ExposureRuns(ctx, sys.ID, 10); len(runs) != 1 {
		t.Fatalf("a forged report stored a run: %+v", runs)
	}

	// After the lease the work comes back: the real client connects from
	// its network, sees the listener open and reports.
	e.Clock.Advance(exposure.ProbeLease + time.Minute)
	if n, err := client.Round(ctx); err != nil || n != 1 {
		t.Fatalf("round after lease: %d %v", n, err)
	}
	if p, _ := svc.PendingProbes(ctx, unit, sys.ID); len(p) != 0 {
		t.Fatalf("work left after the report: %+v", p)
	}
	// Reported once: the same report again is refused.
	if status := postReport(t, ts.URL, token, fmt.Sprintf(`{"items":[{"work_id":%d,"results":[]}]}`, work[0].WorkID)); status != http.StatusBadRequest {
		t.Errorf("second report: %d", status)
	}
	runs, err := e.DB.ExposureRuns(ctx, sys.ID, 10)
	if err != nil || len(runs) != 2 {
		t.Fatalf("runs %+v %v", runs, err)
	}
	pr := runs[0]
	if pr.Vantage != fenghuo.ProbeVantage("联通探针") || pr.OpenHighRisk != 1 || pr.Probes != 2 || pr.Cause != fenghuo.ExposureCauseManual ||
		pr.CreatedBy != reporter.ID {
		t.Fatalf("probe run %+v", pr)
	}
	res, err := e.DB.ExposureResults(ctx, pr.ID)
	if err != nil || len(res) != 2 {
		t.Fatalf("probe results %+v %v", res, err)
	}
	var fid int64
	for _, r := range res {
		if r.Vantage != pr.Vantage {
			t.Errorf("result vantage %q", r.Vantage)
		}
		switch r.Port {
		case hot:
			if r.State != fenghuo.PortOpen || !r.HighRisk || r.FindingID == 0 {
				t.Errorf("hot port: %+v", r)
			}
			fid = r.FindingID
		case cold:
			if r.State != fenghuo.PortClosed {
				t.Errorf("cold port: %+v", r)
			}
		}
	}
	// The finding says from where the port was found open.
	f, err := e.DB.Finding(ctx, fid)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(f.Detail, "从探针「联通探针」发起TCP连接") || f.Source != fenghuo.FindingSourceExposure ||
		!strings.Contains(f.SourceRef, "探针「联通探针」") {
		t.Fatalf("finding: %s (%s)", f.Detail, f.SourceRef)
	}

	// The server's next check still finds it closed from here: that is
	// not a re-check of what the probe saw (states compare per vantage),
	// so the finding gets no "closed" note.
	if _, err := svc.RunNow(ctx, unit, sys.ID); err != nil {
		t.Fatal(err)
	}
	events, err := e.DB.FindingEvents(ctx, fid)
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range events {
		if strings.HasPrefix(ev.Body, "复查：端口已关闭") {
			t.Fatalf("the server's closed port noted the probe's finding as closed: %s", ev.Body)
		}
	}
}

func getWork(t *testing.T, base, token string) []report.Work {
	t.Helper()
	req, _ := http.NewRequest("GET", base+"/probe/v1/exposure", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Items []report.Work `json:"items"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out.Items
}

func postReport(t *testing.T, base, token, body string) int {
	t.Helper()
	req, _ := http.NewRequest("POST", base+"/probe/v1/exposure", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// 立即检测 in the console queues the check: the checker runs it at once,
// even where the office has scheduled checks off, as asked by the user;
// a probes-only policy hands the plan to the probe and connects nothing
// from the server.
func TestQueuedCheckRunsOnDemandAndProbesOnlyPolicy(t *testing.T) {
	e := apptest.New(t)
	ctx := context.Background()
	ln, hot := listen(t)
	defer ln.Close()
	svc := e.App.Exposure
	rec := &recorder{}
	svc.Dial = rec.dial
	svc.SetRate(time.Millisecond, time.Millisecond)
	commander, _ := e.User(t, "county_commander", "county", fenghuo.RoleCommander)
	office := e.Actor(t, commander)
	if err := svc.SetPolicy(ctx, office, e.Orgs["county"].ID, fenghuo.ExposurePolicy{Ports: []int{hot}, IntervalHours: 24}); err != nil {
		t.Fatal(err)
	}
	reporter, _ := e.User(t, "school_reporter", "school", fenghuo.RoleUnitReporter)
	unit := e.Actor(t, reporter)
	sys := &fenghuo.System{OrgID: e.Orgs["school"].ID, Name: "教务系统", Exposure: []fenghuo.Exposure{{Kind: fenghuo.ExposureIP, Value: "127.0.0.1"}}}
	if err := e.DB.CreateSystem(ctx, sys); err != nil {
		t.Fatal(err)
	}
	viewer, _ := e.User(t, "school_viewer", "school", fenghuo.RoleViewer)
	if err := svc.Request(ctx, e.Actor(t, viewer), sys.ID); fenghuo.ErrorCode(err) != fenghuo.EFORBIDDEN {
		t.Fatalf("viewer queued a check: %v", err)
	}
	if err := svc.Request(ctx, unit, sys.ID); err != nil {
		t.Fatal(err)
	}
	v, err := svc.System(ctx, unit, sys.ID)
	if err != nil || !v.Checking() || len(v.Runs) != 0 || len(rec.hosts()) != 0 {
		t.Fatalf("queued: checking %v runs %d dialed %v (%v)", v.Checking(), len(v.Runs), rec.hosts(), err)
	}
	if n, err := svc.RunDue(ctx, 10); err != nil || n != 1 {
		t.Fatalf("the checker ran %d: %v", n, err)
	}
	v, _ = svc.System(ctx, unit, sys.ID)
	if v.Checking() || len(v.Runs) != 1 || v.Runs[0].Cause != fenghuo.ExposureCauseManual || v.Runs[0].CreatedBy != reporter.ID ||
		v.Runs[0].OpenHighRisk != 1 {
		t.Fatalf("after the checker: checking %v runs %+v", v.Checking(), v.Runs)
	}
	// Scheduled checks are off: not checked again until asked.
	e.Clock.Advance(2 * time.Hour)
	if _, err := svc.RunDue(ctx, 10); err != nil {
		t.Fatal(err)
	}
	if runs, _ := e.DB.ExposureRuns(ctx, sys.ID, 10); len(runs) != 1 {
		t.Fatalf("checked again without a request: %+v", runs)
	}

	// Probes only: a probe that is not registered is refused; a
	// registered one gets the plan and the server dials nothing.
	if err := svc.SetPolicy(ctx, office, e.Orgs["county"].ID, fenghuo.ExposurePolicy{Ports: []int{hot}, IntervalHours: 24,
		Vantages: []string{"移动探针"}}); fenghuo.ErrorCode(err) != fenghuo.EINVALID {
		t.Fatalf("unregistered probe accepted: %v", err)
	}
	if _, _, err := e.App.Monitoring.RegisterProbe(ctx, account.CLIActor(), "移动探针", "移动"); err != nil {
		t.Fatal(err)
	}
	if err := svc.SetPolicy(ctx, office, e.Orgs["county"].ID, fenghuo.ExposurePolicy{Ports: []int{hot}, IntervalHours: 24,
		Vantages: []string{"移动探针"}}); err != nil {
		t.Fatal(err)
	}
	rec.mu.Lock()
	rec.dialed = nil
	rec.mu.Unlock()
	run, err := svc.RunNow(ctx, unit, sys.ID)
	if err != nil || run != nil || len(rec.hosts()) != 0 {
		t.Fatalf("probes only: run %+v err %v dialed %v", run, err, rec.hosts())
	}
	v, _ = svc.System(ctx, unit, sys.ID)
	if !v.Checking() || len(v.PendingProbes) != 1 || v.PendingProbes[0] != "移动探针" {
		t.Fatalf("pending probes %+v", v.PendingProbes)
	}
}
