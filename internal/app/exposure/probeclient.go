package exposure

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"fenghuo/internal/app/exposure/report"
	"fenghuo/internal/fenghuo"
)

// ProbeClient is the exposure part of the remote probe (fenghuo probe): it
// asks the server for the checks it is to make, connects with the same
// dialer code, timeout and rate limits as the server, and reports.
type ProbeClient struct {
	Server string
	Token  string
	// API talks to the server.
	API *http.Client
	// Dial connects to the checked addresses; Timeout bounds one connect;
	// Workers is how many connects of one check run at once.
	Dial    Dialer
	Timeout time.Duration
	Workers int
	Log     *slog.Logger
	lim     *limiter
}

// NewProbeClient returns a client with the server's defaults: 3 s per
// connect, at most 50 connects a second and 5 a second to one address, 8
// at a time.
func NewProbeClient(server, token string, log *slog.Logger) *ProbeClient {
	var d net.Dialer
	if log == nil {
		log = slog.Default()
	}
	return &ProbeClient{Server: strings.TrimRight(server, "/"), Token: token, API: &http.Client{Timeout: 30 * time.Second},
		Dial: d.DialContext, Timeout: DefaultTimeout, Workers: defaultWorkers, Log: log,
		lim: &limiter{global: DefaultGlobal, perTarget: DefaultPerTarget}}
}

// SetRate changes the spacing of connects (tests).
func (c *ProbeClient) SetRate(global, perTarget time.Duration) {
	c.lim = &limiter{global: global, perTarget: perTarget}
}

// maxWorkBody bounds the server's answer a probe reads.
const maxWorkBody = 8 << 20

// workPlan turns work handed out by the server into a plan: the connects
// it lists are the closed set the dialer allows; anything malformed
// refuses the whole item (the probe connects to nothing it cannot parse).
func workPlan(wk report.Work) (plan, error) {
	if wk.WorkID < 1 || len(wk.Connects) > maxProbes {
		return plan{}, fmt.Errorf("work %d: malformed", wk.WorkID)
	}
	p := plan{allowed: map[string]bool{}}
	addrs := map[netip.Addr]bool{}
	for _, c := range wk.Connects {
		a, err := netip.ParseAddr(c.Address)
		if err != nil || a.Zone() != "" || a.Is4In6() || a.String() != c.Address || c.Port < 1 || c.Port > 65535 {
			return plan{}, fmt.Errorf("work %d: connect %q port %d malformed", wk.WorkID, c.Address, c.Port)
		}
		pr := probe{Target: c.Address, Address: a, Port: c.Port}
		if p.allowed[pr.hostPort()] {
			continue
		}
		p.allowed[pr.hostPort()] = true
		p.probes = append(p.probes, pr)
		addrs[a] = true
	}
	p.addrs = len(addrs)
	return p, nil
}

// Round fetches the probe's work, makes the connects and reports. It
// returns how many checks it reported.
func (c *ProbeClient) Round(ctx context.Context) (int, error) {
	req, _ := http.NewRequestWithContext(ctx, "GET", c.Server+"/probe/v1/exposure", nil)
	req.Header.Set("Authorization", "Bearer "+c.Token)
	resp, err := c.API.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("exposure work: %s", resp.Status)
	}
	var in struct {
		Items []report.Work `json:"items"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxWorkBody)).Decode(&in); err != nil {
		return 0, fmt.Errorf("exposure work: %w", err)
	}
	if len(in.Items) == 0 {
		return 0, nil
	}
	if len(in.Items) > report.MaxItems {
		in.Items = in.Items[:report.MaxItems]
	}
	rep := report.Report{Items: []report.Item{}}
	for _, wk := range in.Items {
		pl, err := workPlan(wk)
		if err != nil {
			c.Log.Warn("exposure work refused", "err", err)
			continue
		}
		results := connectAll(ctx, c.Log, c.lim, c.Dial, c.Timeout, c.Workers, pl)
		if ctx.Err() != nil {
			return 0, ctx.Err()
		}
		item := report.Item{WorkID: wk.WorkID, Results: make([]report.Result, len(results))}
		for i, r := range results {
			item.Results[i] = report.Result{Address: r.Address, Port: r.Port, State: r.State, LatencyMS: min(max(r.LatencyMS, 0), report.MaxLatencyMS),
				Error: fenghuo.CleanText(r.Error, report.MaxErrorRunes)}
		}
		rep.Items = append(rep.Items, item)
	}
	if len(rep.Items) == 0 {
		return 0, nil
	}
	body, err := json.Marshal(rep)
	if err != nil {
		return 0, err
	}
	req, _ = http.NewRequestWithContext(ctx, "POST", c.Server+"/probe/v1/exposure", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+c.Token)
	req.Header.Set("Content-Type", "application/json")
	resp2, err := c.API.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp2.Body.Close()
	if resp2.StatusCode != http.StatusNoContent {
		msg, _ := io.ReadAll(io.LimitReader(resp2.Body, 4096))
		return 0, errors.New("exposure report: " + resp2.Status + ": " + strings.TrimSpace(string(msg)))
	}
	return len(rep.Items), nil
}

// RunProbe runs rounds every interval until ctx ends (once: one round).
func (c *ProbeClient) RunProbe(ctx context.Context, interval time.Duration, once bool) error {
	for {
		_, err := c.Round(ctx)
		if err != nil {
			if once {
				return err
			}
			if ctx.Err() != nil {
				return nil
			}
			c.Log.Error("exposure probe round", "err", err)
		}
		if once {
			return nil
		}
		t := time.NewTimer(interval)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
	}
}
