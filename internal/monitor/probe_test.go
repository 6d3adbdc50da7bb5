package monitor_test

import (
	"context"
	"fenghuo/internal/app/account"
	"fenghuo/internal/app/monitoring"
	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/monitor"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// A monitor that needs two vantage points to agree starts no outage while
// only this server sees the site fail; once the remote probe (a real agent
// talking to the real protocol over loopback) also fails, the outage starts.
func TestProbeAgreement(t *testing.T) {
	e, st, svc, first := setup(t)
	ctx := context.Background()
	admin, _ := e.User(t, "probe-admin", "city", fenghuo.RoleSystemAdmin)
	ac := e.Actor(t, admin)
	if _, err := e.App.Monitoring.CreateMonitor(ctx, ac, monitoring.MonitorSpec{SystemID: first.SystemID, URL: first.URL, Interval: 5 * time.Minute, Agreement: 11}); err == nil {
		t.Fatal("agreement 11 accepted")
	}
	m, err := e.App.Monitoring.CreateMonitor(ctx, ac, monitoring.MonitorSpec{SystemID: first.SystemID, URL: first.URL, Interval: 5 * time.Minute, Agreement: 2})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.App.Monitoring.RegisterProbe(ctx, e.Actor(t, mustUser(t, e, "analyst-p", fenghuo.RoleAnalyst)), "x", ""); err == nil {
		t.Error("an analyst registered a probe")
	}
	p, token, err := e.App.Monitoring.RegisterProbe(ctx, account.CLIActor(), "联通探针", "联通")
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	svc.ProbeRoutes(mux)
	server := httptest.NewServer(mux)
	defer server.Close()
	log := slog.New(slog.DiscardHandler)
	probe := func() error {
		return monitor.RunProbe(ctx, server.URL, token, time.Minute, true, monitor.NewClient(5*time.Second, nil, true), log)
	}

	// A wrong token is refused.
	if err := monitor.RunProbe(ctx, server.URL, "wrong", time.Minute, true, monitor.NewClient(5*time.Second, nil, true), log); err == nil || !strings.Contains(err.Error(), "401") {
		t.Fatalf("wrong token: %v", err)
	}

	runFor(t, e, svc, 10*time.Minute, 5*time.Minute)
	if err := probe(); err != nil { // the probe sees the site up
		t.Fatal(err)
	}
	// The site fails for this server; the probe last saw it up.
	st.down.Store(true)
	runFor(t, e, svc, 10*time.Minute, 5*time.Minute)
	got, _ := e.DB.Monitor(ctx, m.ID)
	if got.Status != "disputed" || !got.DownSince.IsZero() {
		t.Fatalf("one vantage point started an outage: status %q down since %v", got.Status, got.DownSince)
	}
	// The probe sees it fail too: now the outage starts.
	if err := probe(); err != nil {
		t.Fatal(err)
	}
	runFor(t, e, svc, 5*time.Minute, 5*time.Minute)
	got, _ = e.DB.Monitor(ctx, m.ID)
	if got.Status != "down" || got.DownSince.IsZero() {
		t.Fatalf("two failing vantage points: status %q", got.Status)
	}
	// Results for a monitor not assigned to probes are refused.
	req, _ := http.NewRequest("POST", server.URL+"/probe/v1/results", strings.NewReader(fmt.Sprintf(`{"items":[{"monitor_id":%d,"ok":false}]}`, first.ID)))
	req.Header.Set("Authorization", "Bearer "+token)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusBadRequest {
		t.Errorf("result for an unassigned monitor: %v %v", resp.StatusCode, err)
	}
	seen, err := e.DB.ProbeByToken(ctx, p.TokenHash, e.Clock.Now())
	if err != nil || seen.LastSeen.IsZero() {
		t.Errorf("probe not marked seen: %+v %v", seen, err)
	}
}

func mustUser(t *testing.T, e *apptest.Env, name string, role fenghuo.Role) *fenghuo.User {
	u, _ := e.User(t, name, "city", role)
	return u
}
