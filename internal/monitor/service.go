package monitor

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"fenghuo/internal/store"
	"fenghuo/internal/tamper"
)

// Alert is a confirmed finding about a system, for the incident side.
type Alert struct {
	SystemID int64
	Kind     string
	// Source names the alert group: one draft incident per group.
	Source  string
	Summary string
	At      time.Time
}

// Sink receives what monitoring finds: the app opens draft incidents from
// alerts and fills outage durations into the outage incident.
type Sink interface {
	Alert(ctx context.Context, a Alert) error
	Outage(ctx context.Context, systemID int64, source string, started, until time.Time, ended bool) error
}

// Service runs the monitors stored in the database.
type Service struct {
	DB      *store.DB
	Sink    Sink
	Client  *http.Client
	Log     *slog.Logger
	Now     func() time.Time
	Workers int
	// Snapshots is how many fetches a new monitor learns its baseline from.
	Snapshots int
	// Confirm is how soon a change seen once is fetched again to confirm it.
	Confirm time.Duration
	// OnLateness, when set, is told how late each check started after its
	// due time (the benchmark's schedule measure).
	OnLateness func(time.Duration)
}

// FirstDue staggers a new monitor: its first check falls at a point of its
// interval derived from its URL, so that monitors created together, or a
// restart, do not fire all at once.
func FirstDue(now time.Time, url string, interval time.Duration) time.Time {
	h := fnv.New64a()
	h.Write([]byte(url))
	return now.Add(time.Duration(h.Sum64() % uint64(interval)))
}

func (s *Service) defaults() {
	if s.Now == nil {
		s.Now = time.Now
	}
	if s.Workers <= 0 {
		s.Workers = 8
	}
	if s.Snapshots <= 0 {
		s.Snapshots = 3
	}
	if s.Confirm <= 0 {
		s.Confirm = time.Minute
	}
	if s.Log == nil {
		s.Log = slog.Default()
	}
	if s.Client == nil {
		s.Client = NewClient(15*time.Second, nil)
	}
}

// RunOnce checks every monitor due now and returns how many it checked.
// Schedule state lives in the database, so a restart resumes where the last
// run stopped.
func (s *Service) RunOnce(ctx context.Context) (int, error) {
	s.defaults()
	now := s.Now()
	due, err := s.DB.ClaimDueMonitors(ctx, now, 2*time.Minute, 500)
	if err != nil {
		return 0, err
	}
	if s.OnLateness != nil {
		for _, m := range due {
			s.OnLateness(now.Sub(m.NextDueAt))
		}
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, s.Workers)
	for i := range due {
		wg.Add(1)
		sem <- struct{}{}
		go func(m store.Monitor) {
			defer wg.Done()
			defer func() { <-sem }()
			if err := s.check(ctx, &m); err != nil {
				s.Log.Error("monitor check", "monitor", m.ID, "url", m.URL, "err", err)
			}
		}(due[i])
	}
	wg.Wait()
	return len(due), nil
}

// Run checks due monitors every tick until ctx ends.
func (s *Service) Run(ctx context.Context, tick time.Duration) {
	for {
		if _, err := s.RunOnce(ctx); err != nil && ctx.Err() == nil {
			s.Log.Error("monitors", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(tick):
		}
	}
}

// check runs one monitor's checks and saves what they leave behind.
func (s *Service) check(ctx context.Context, m *store.Monitor) error {
	now := s.Now()
	m.LastCheckedAt = now
	m.NextDueAt = now.Add(m.Interval)
	browser := Fetch(ctx, s.Client, m.URL, ProfileBrowser)
	m.LastLatency = browser.Latency
	res := &store.MonitorResult{MonitorID: m.ID, At: now, OK: browser.OK(), HTTPStatus: browser.Status, Latency: browser.Latency}
	if !browser.OK() {
		res.Error = browser.Describe()
		if m.Agreement > 1 {
			// An outage needs the agreement of other vantage points: this
			// server's network may be the one that is broken.
			failing, err := s.DB.ProbesFailing(ctx, m.ID, now.Add(-2*m.Interval))
			if err != nil {
				return err
			}
			if 1+failing < m.Agreement {
				m.LastError, m.Status = res.Error+" (not confirmed by the probes)", "disputed"
				return s.save(ctx, m, res)
			}
		}
		m.LastError, m.Status = res.Error, "down"
		if m.DownSince.IsZero() {
			m.DownSince = now
		}
		// Content findings wait while the site is down: a down page is not a
		// tampered page.
		m.Pending = ""
		if err := s.Sink.Outage(ctx, m.SystemID, outageSource(m), m.DownSince, now, false); err != nil {
			return err
		}
		return s.save(ctx, m, res)
	}
	if !m.DownSince.IsZero() {
		if err := s.Sink.Outage(ctx, m.SystemID, outageSource(m), m.DownSince, now, true); err != nil {
			return err
		}
		m.DownSince = time.Time{}
	}
	m.Status, m.LastError = "up", ""
	if err := s.dnsAndTLS(ctx, m, browser, now); err != nil {
		return err
	}
	if slices.Contains(m.Checks, "content") {
		if err := s.content(ctx, m, browser, res); err != nil {
			return err
		}
	}
	return s.save(ctx, m, res)
}

func outageSource(m *store.Monitor) string {
	return fmt.Sprintf("monitor:%d:outage:%d", m.ID, m.DownSince.UnixMilli())
}

func (s *Service) save(ctx context.Context, m *store.Monitor, res *store.MonitorResult) error {
	if err := s.DB.AddMonitorResult(ctx, res); err != nil {
		return err
	}
	return s.DB.SaveMonitorState(ctx, m)
}

// content learns the baseline from the first fetches, then compares each
// fetch (as a browser, as Baiduspider, and with a Baidu referer) with it. A
// change alerts only when a re-fetch shows the same kinds.
func (s *Service) content(ctx context.Context, m *store.Monitor, browser *Response, res *store.MonitorResult) error {
	page := tamper.Page{URL: m.URL, HTML: browser.Body}
	if m.BaselineSnapshots < s.Snapshots {
		var b *tamper.Baseline
		var err error
		if m.Baseline == "" {
			b, err = tamper.Learn([]tamper.Page{page})
		} else {
			b = new(tamper.Baseline)
			if err = json.Unmarshal([]byte(m.Baseline), b); err == nil {
				b.Accept(page)
			}
		}
		if err != nil {
			return err
		}
		data, err := json.Marshal(b)
		if err != nil {
			return err
		}
		m.Baseline, m.BaselineSnapshots, res.Verdict = string(data), m.BaselineSnapshots+1, "learning"
		return nil
	}
	b := new(tamper.Baseline)
	if err := json.Unmarshal([]byte(m.Baseline), b); err != nil {
		return fmt.Errorf("baseline of monitor %d: %w", m.ID, err)
	}
	// A copy identical to the browser's needs no cloaking comparison: the
	// common case costs one analysis, not three.
	var spider *tamper.Page
	if sp := Fetch(ctx, s.Client, m.URL, ProfileBaiduspider); sp.OK() && !bytes.Equal(sp.Body, browser.Body) {
		spider = &tamper.Page{URL: m.URL, HTML: sp.Body}
	}
	report := tamper.Check(b, page, spider)
	if ref := Fetch(ctx, s.Client, m.URL, ProfileBaiduReferer); ref.OK() {
		if !bytes.Equal(ref.Body, browser.Body) {
			report = MergeReports(report, tamper.Check(b, page, &tamper.Page{URL: m.URL, HTML: ref.Body}))
		}
	} else if ref.RedirectTo != "" && browser.RedirectTo == "" {
		report = MergeReports(report, tamper.Report{Verdict: tamper.VerdictTampered, Findings: []tamper.Finding{{Kind: tamper.KindMaliciousRedirect,
			Reason: "visitors from a Baidu search are redirected to " + ref.RedirectTo, Excerpt: ref.RedirectTo}}})
	}
	findings, _ := json.Marshal(report.Findings)
	res.Verdict, res.Findings = report.Verdict, string(findings)
	if report.Verdict != tamper.VerdictTampered {
		m.Pending = ""
		return nil
	}
	kinds := report.Kinds()
	key, _ := json.Marshal(kinds)
	if m.Pending != string(key) {
		// Seen once: fetch again soon to confirm before alerting.
		m.Pending = string(key)
		m.NextDueAt = s.Now().Add(min(s.Confirm, m.Interval))
		return nil
	}
	m.Pending = ""
	for _, k := range kinds {
		source := fmt.Sprintf("monitor:%d:%s", m.ID, k)
		isNew, err := s.DB.RecordAlert(ctx, m.ID, m.SystemID, k, source, string(findings), s.Now())
		if err != nil {
			return err
		}
		if isNew {
			if err := s.Sink.Alert(ctx, Alert{SystemID: m.SystemID, Kind: k, Source: source, Summary: summary(report, k), At: s.Now()}); err != nil {
				return err
			}
		}
	}
	return nil
}

func summary(r tamper.Report, kind string) string {
	for _, f := range r.Findings {
		if f.Kind == kind {
			if f.ReasonZH != "" {
				return f.ReasonZH + ":" + f.Excerpt
			}
			return f.Reason + ": " + f.Excerpt
		}
	}
	return kind
}

// MergeReports joins the findings of two reports, dropping repeats.
func MergeReports(a, b tamper.Report) tamper.Report {
	seen := map[string]bool{}
	out := tamper.Report{Verdict: tamper.VerdictClean}
	for _, f := range append(append([]tamper.Finding{}, a.Findings...), b.Findings...) {
		k := f.Kind + "\x00" + f.Selector + "\x00" + f.Excerpt
		if !seen[k] {
			seen[k] = true
			out.Findings = append(out.Findings, f)
			out.Verdict = tamper.VerdictTampered
		}
	}
	return out
}

// dnsAndTLS runs the DNS comparison and the certificate comparison. A
// changed answer or certificate is an alert at once (it is the state of the
// network, not a page that may be mid-update); an expiring certificate is
// recorded without opening an incident.
func (s *Service) dnsAndTLS(ctx context.Context, m *store.Monitor, browser *Response, now time.Time) error {
	hijack, err := checkDNS(ctx, m)
	if err != nil {
		s.Log.Warn("dns check", "monitor", m.ID, "err", err)
	}
	if len(hijack) > 0 {
		if err := s.alert(ctx, m, "dns_hijack", "DNS answers changed: "+strings.Join(hijack, "; "), now); err != nil {
			return err
		}
	}
	changed, expiring := checkTLS(browser.TLS, m, now)
	if changed != "" {
		if err := s.alert(ctx, m, "cert_changed", changed, now); err != nil {
			return err
		}
	}
	if expiring != "" {
		if _, err := s.DB.RecordAlert(ctx, m.ID, m.SystemID, "cert_expiring", fmt.Sprintf("monitor:%d:cert_expiring", m.ID), `[]`, now); err != nil {
			return err
		}
	}
	return nil
}

// alert records a confirmed alert in its group and, for a new group, tells
// the sink (which opens the draft incident).
func (s *Service) alert(ctx context.Context, m *store.Monitor, kind, text string, now time.Time) error {
	source := fmt.Sprintf("monitor:%d:%s", m.ID, kind)
	findings, _ := json.Marshal([]tamper.Finding{{Kind: kind, Reason: text}})
	isNew, err := s.DB.RecordAlert(ctx, m.ID, m.SystemID, kind, source, string(findings), now)
	if err != nil || !isNew {
		return err
	}
	return s.Sink.Alert(ctx, Alert{SystemID: m.SystemID, Kind: kind, Source: source, Summary: text, At: now})
}
