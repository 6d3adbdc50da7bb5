package api_test

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"fenghuo/internal/app/account"
	"fenghuo/internal/app/exposure"
	"fenghuo/internal/auth"
	"fenghuo/internal/fenghuo"
)

// An office's policy with a remote probe only, through the served handler:
// the check is 202 with the probe queued and nothing connected from the
// server; the real probe client, against the same handler over loopback,
// pulls the work, finds the loopback listener open and reports; the
// system's exposure then shows the probe's results with their vantage.
func TestExposureCheckFromAProbeOnly(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	hot := ln.Addr().(*net.TCPAddr).Port
	dialed := 0
	e.App.Exposure.Dial = func(ctx context.Context, network, addr string) (net.Conn, error) {
		dialed++
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}
	_, probeToken, err := e.App.Monitoring.RegisterProbe(ctx, account.CLIActor(), "政务外网探针", "政务外网")
	if err != nil {
		t.Fatal(err)
	}

	office := e.user(t, "county-cmd", "county", fenghuo.RoleCommander)
	officeTok, _ := e.token(t, office, auth.ScopeWrite, 30)
	e.do(t, cred{token: officeTok}, "PUT", "/api/v1/orgs/"+itoa(e.Orgs["county"].ID)+"/exposure-policy",
		map[string]any{"ports": []int{hot}, "interval_hours": 24, "vantages": []string{"政务外网探针"}}).want(t, http.StatusOK)
	var pol struct {
		Vantages []string `json:"vantages"`
	}
	e.do(t, cred{token: officeTok}, "GET", "/api/v1/orgs/"+itoa(e.Orgs["school"].ID)+"/exposure-policy", nil).want(t, http.StatusOK).json(t, &pol)
	if len(pol.Vantages) != 1 || pol.Vantages[0] != "政务外网探针" {
		t.Fatalf("inherited vantages %v", pol.Vantages)
	}

	sys := e.system(t, "school", "教务系统")
	sys.Exposure = []fenghuo.Exposure{{Kind: fenghuo.ExposureIP, Value: "127.0.0.1"}}
	if err := e.DB.UpdateSystem(ctx, sys); err != nil {
		t.Fatal(err)
	}
	var queued struct {
		QueuedProbes []string `json:"queued_probes"`
	}
	e.do(t, cred{token: officeTok}, "POST", "/api/v1/systems/"+itoa(sys.ID)+"/exposure/checks", nil).want(t, http.StatusAccepted).json(t, &queued)
	if len(queued.QueuedProbes) != 1 || queued.QueuedProbes[0] != "政务外网探针" || dialed != 0 {
		t.Fatalf("queued %v, server dialed %d", queued.QueuedProbes, dialed)
	}

	ts := httptest.NewServer(e.h)
	defer ts.Close()
	client := exposure.NewProbeClient(ts.URL, probeToken, nil)
	client.SetRate(time.Millisecond, time.Millisecond)
	if n, err := client.Round(ctx); err != nil || n != 1 {
		t.Fatalf("probe round: %d %v", n, err)
	}
	var view struct {
		Runs []struct {
			Vantage      string `json:"vantage"`
			OpenHighRisk int    `json:"open_high_risk"`
		} `json:"runs"`
		Latest []struct {
			Vantage   string `json:"vantage"`
			State     string `json:"state"`
			FindingID int64  `json:"finding_id"`
		} `json:"latest"`
		PendingProbes []string `json:"pending_probes"`
	}
	e.do(t, cred{token: officeTok}, "GET", "/api/v1/systems/"+itoa(sys.ID)+"/exposure", nil).want(t, http.StatusOK).json(t, &view)
	if len(view.Runs) != 1 || view.Runs[0].Vantage != "probe:政务外网探针" || view.Runs[0].OpenHighRisk != 1 || len(view.PendingProbes) != 0 {
		t.Fatalf("view %+v", view)
	}
	if len(view.Latest) != 1 || view.Latest[0].State != "open" || view.Latest[0].Vantage != "probe:政务外网探针" || view.Latest[0].FindingID == 0 {
		t.Fatalf("latest %+v", view.Latest)
	}
	if dialed != 0 {
		t.Fatalf("the server connected %d times with a probes-only policy", dialed)
	}
}
