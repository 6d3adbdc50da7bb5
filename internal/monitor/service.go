package monitor

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"fenghuo/internal/fenghuo"
	"fenghuo/internal/guard"
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
	// Alert opens (or adds to) the draft incident of an alert group and
	// returns its id.
	Alert(ctx context.Context, a Alert) (incidentID int64, err error)
	Outage(ctx context.Context, systemID int64, source string, started, until time.Time, ended bool) error
}

// Service runs the monitors stored in the database.
type Service struct {
	DB     *store.DB
	Sink   Sink
	Client *http.Client
	// AllowLoopback lets the default Client (when Client is nil) reach
	// this host's own addresses: tests and the demo's loopback site farm.
	// Off, a monitor of a loopback address fails its check as blocked.
	AllowLoopback bool
	Log           *slog.Logger
	Now           func() time.Time
	Workers       int
	// Snapshots is how many fetches a new monitor learns its baseline from.
	Snapshots int
	// Confirm is how soon a change seen once is fetched again to confirm it.
	Confirm time.Duration
	// OnLateness, when set, is told how late each check started after its
	// due time (the benchmark's schedule measure).
	OnLateness func(time.Duration)
	// Analyse compares a fetched page (and another copy of it, for the
	// cloaking comparison) with the baseline: tamper.Check unless a test
	// puts a failing analyser in its place.
	Analyse func(b *tamper.Baseline, page tamper.Page, other *tamper.Page) tamper.Report
	// MaxWorkers bounds the checks Serve runs at once; the number running
	// follows the backlog of due checks up to it (checks wait on the
	// network, not the CPU).
	MaxWorkers int
	// MaxWait bounds how long Serve sleeps before looking for due monitors
	// again (monitors created meanwhile, by this or another replica).
	MaxWait time.Duration
	// MinWait is the shortest such sleep (10 ms): a monitor due any moment
	// is claimed with the others due by then, not in a claim of its own.
	MinWait time.Duration

	// saves, while Serve runs, takes the checks to save to the group
	// committer.
	saves chan saveReq
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
		s.Client = NewClient(15*time.Second, nil, s.AllowLoopback)
	}
	if s.Analyse == nil {
		s.Analyse = tamper.Check
	}
	if s.MaxWorkers <= 0 {
		s.MaxWorkers = DefaultMaxWorkers
	}
	if s.MaxWait <= 0 {
		s.MaxWait = time.Second
	}
	if s.MinWait <= 0 {
		s.MinWait = 10 * time.Millisecond
	}
}

// RunOnce checks every monitor due now (up to 500) with Workers at once
// and returns how many it checked. Schedule state lives in the database, so
// a restart resumes where the last run stopped. Serve is the long-running
// loop; RunOnce is for tests and one-off rounds.
func (s *Service) RunOnce(ctx context.Context) (int, error) {
	s.defaults()
	now := s.Now()
	due, err := s.DB.ClaimDueMonitors(ctx, now, claimLease, 500)
	if err != nil {
		return 0, err
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, s.Workers)
	for i := range due {
		s.observeLateness(now.Sub(due[i].NextDueAt))
		wg.Add(1)
		sem <- struct{}{}
		go func(m store.Monitor) {
			defer wg.Done()
			defer func() { <-sem }()
			s.checkOne(ctx, m, nil)
		}(due[i])
	}
	wg.Wait()
	return len(due), nil
}

// nextDue is when a monitor that was due at due, and checked at now, is due
// again: one interval after it was due, not after the check began, so that a
// late start (a busy checker, the claim's poll) does not push every later
// check back and monitors keep the spread FirstDue gave them. A check more
// than a whole interval late starts a new phase at now, rather than running
// the missed checks in a burst.
func nextDue(due, now time.Time, interval time.Duration) time.Time {
	if next := due.Add(interval); !due.IsZero() && next.After(now) {
		return next
	}
	return now.Add(interval)
}

// claimLease is how long a claimed monitor is held by this checker: if the
// process dies mid-check, the monitor is due again after it.
const claimLease = 2 * time.Minute

func (s *Service) observeLateness(d time.Duration) {
	scheduleLateness.Observe(max(d, 0).Seconds())
	if s.OnLateness != nil {
		s.OnLateness(d)
	}
}

// checkOne runs one monitor's check and never lets it take the caller
// down: an error is logged and counted, a panic (analysis of a hostile page,
// say) is recovered and recorded as a failed check on the monitor with its
// reason, logged with the SM3 digest of the fetched pages, and the monitor
// stays scheduled for its next interval.
func (s *Service) checkOne(ctx context.Context, m store.Monitor, release func()) {
	before := m // the state the check started from, kept for a failed check
	in := &checkInputs{release: release}
	start := s.Now()
	err := guard.Run(s.Log, "monitor_check", func() error { return s.check(ctx, &m, in) },
		"monitor", m.ID, "url", m.URL, "input_sm3", in)
	var pe *guard.PanicError
	switch {
	case errors.As(err, &pe):
		checkPanics.Inc()
		checksFailed.WithLabelValues("panic").Inc()
		checks.WithLabelValues("failed").Inc()
		if err := s.recordFailure(ctx, before, in, start, "internal error while analysing the page: "+guard.Reason(pe.Value)); err != nil {
			s.Log.Error("monitor check: recording the failed check", "monitor", m.ID, "err", err)
		}
	case err != nil && ctx.Err() != nil:
		// Stopped with the server: not a failure.
	case err != nil:
		checksFailed.WithLabelValues("error").Inc()
		checks.WithLabelValues("failed").Inc()
		s.Log.Error("monitor check", "monitor", m.ID, "url", m.URL, "err", err)
		// Shown on the monitor, not only in the log; what the check found is
		// handed over again at the next check (see raise).
		if err := s.recordFailure(ctx, before, in, start, "the check's findings could not be recorded: "+err.Error()); err != nil {
			s.Log.Error("monitor check: recording the failed check", "monitor", m.ID, "err", err)
		}
	default:
		checks.WithLabelValues(m.Status).Inc()
	}
}

// checkInputs holds what a check fetched, so that a failure can name it by
// digest.
type checkInputs struct {
	mu     sync.Mutex
	first  *Response
	bodies [][]byte
	// release, in Serve, frees the check's worker once the check only
	// waits for its save.
	release func()
}

// handedOver lets go of the fetched pages and frees the check's worker:
// what remains of the check is waiting for its save, which needs neither
// (the number of checks waiting is bounded by the group commit, not by
// MaxWorkers, so they must not hold pages).
func (in *checkInputs) handedOver() {
	in.mu.Lock()
	in.bodies = nil
	if in.first != nil {
		first := *in.first
		first.Body = nil
		in.first = &first
	}
	in.mu.Unlock()
	if in.release != nil {
		in.release()
	}
}

func (in *checkInputs) add(r *Response) {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.first == nil {
		in.first = r
	}
	in.bodies = append(in.bodies, r.Body)
}

// LogValue lists the SM3 digests of the fetched bodies (slog calls it when
// the line is written, after the check ran).
func (in *checkInputs) LogValue() slog.Value {
	in.mu.Lock()
	defer in.mu.Unlock()
	ds := make([]string, len(in.bodies))
	for i, b := range in.bodies {
		ds[i] = guard.Digest(b)
	}
	return slog.StringValue(strings.Join(ds, ","))
}

// recordFailure stores a check that could not complete: a result with the
// reason (verdict "failed"), the monitor's state as it was before the
// check, with status "failed" and its next due time one interval on.
func (s *Service) recordFailure(ctx context.Context, m store.Monitor, in *checkInputs, at time.Time, reason string) error {
	res := &store.MonitorResult{MonitorID: m.ID, At: at, Verdict: VerdictFailed, Error: reason}
	in.mu.Lock()
	if in.first != nil {
		res.OK, res.HTTPStatus, res.Latency = in.first.OK(), in.first.Status, in.first.Latency
		m.LastLatency = in.first.Latency
	}
	in.mu.Unlock()
	m.LastCheckedAt, m.NextDueAt = at, nextDue(m.NextDueAt, at, m.Interval)
	m.Status, m.LastError = StatusFailed, fenghuo.CleanText(reason, 1000)
	res.Error = m.LastError
	return s.DB.SaveCheck(ctx, &m, res)
}

// A failed check: the check itself could not complete (not the site).
const (
	VerdictFailed = "failed"
	StatusFailed  = "failed"
)

// check runs one monitor's checks and saves what they leave behind.
func (s *Service) check(ctx context.Context, m *store.Monitor, in *checkInputs) error {
	now := s.Now()
	m.LastCheckedAt = now
	m.NextDueAt = nextDue(m.NextDueAt, now, m.Interval)
	// A learned content monitor fetches the browser's copy conditionally:
	// 304 Not Modified is an unchanged page.
	content := slices.Contains(m.Checks, "content") && m.BaselineSnapshots >= s.Snapshots
	// One request a check: the identity whose turn it is (the browser, then
	// Baiduspider, then a visitor from a Baidu search), conditionally.
	st, v, prof := &contentState{}, Validators{}, ProfileBrowser
	if content {
		st = loadContentState(m)
		if m.Pending == "" {
			prof = st.turnProfile()
			v = st.validatorsFor(prof)
		}
	}
	browser := FetchIf(ctx, s.Client, m.URL, prof, v)
	in.add(browser)
	var other *Response
	if prof != ProfileBrowser {
		other = browser
		if !other.OK() {
			// An identity refused or sent elsewhere is a finding to compare,
			// not an outage: availability is the browser's.
			browser = FetchIf(ctx, s.Client, m.URL, ProfileBrowser, st.validatorsFor(ProfileBrowser))
			in.add(browser)
		}
	}
	if ctx.Err() != nil {
		// Shutting down: a fetch cut short says nothing about the site. The
		// claim's lease makes the monitor due again soon after a restart.
		return ctx.Err()
	}
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
				return s.save(ctx, m, res, in)
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
		return s.save(ctx, m, res, in)
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
		if other != nil && other.OK() {
			browser = nil // the browser's copy was not fetched
		}
		if err := s.content(ctx, m, browser, other, prof, res, in, st); err != nil {
			return err
		}
	}
	return s.save(ctx, m, res, in)
}

func outageSource(m *store.Monitor) string {
	return fmt.Sprintf("monitor:%d:outage:%d", m.ID, m.DownSince.UnixMilli())
}

// save hands the check to the group committer (Serve) and waits for it to be
// stored; the check's worker is free for the next check from the moment it
// is handed over.
func (s *Service) save(ctx context.Context, m *store.Monitor, res *store.MonitorResult, in *checkInputs) error {
	// Errors quote what the site sent (a redirect target, say).
	m.LastError, res.Error = fenghuo.CleanText(m.LastError, 1000), fenghuo.CleanText(res.Error, 1000)
	if s.saves == nil {
		return s.DB.SaveCheck(ctx, m, res)
	}
	req := saveReq{rec: store.CheckRecord{Monitor: m, Result: res}, done: make(chan error, 1)}
	s.saves <- req
	in.handedOver()
	return <-req.done
}

// content learns the baseline from the first fetches, then compares the
// page with it: the browser's copy, and one other identity's copy (as
// Baiduspider, or with a Baidu referer, in turn) for cloaking. A copy whose
// bytes are those of the last check is not analysed again: its findings
// are the last ones (st remembers them). A change alerts only when a
// re-fetch (of every identity) shows the same kinds.
func (s *Service) content(ctx context.Context, m *store.Monitor, browser, other *Response, otherProfile Profile, res *store.MonitorResult, in *checkInputs, st *contentState) error {
	// The baseline is read only to learn or to analyse (the claim leaves
	// it out).
	loadBaseline := func() error {
		if m.Baseline == "" && m.BaselineSnapshots > 0 {
			return s.DB.LoadBaseline(ctx, m)
		}
		return nil
	}
	if m.BaselineSnapshots < s.Snapshots {
		if err := loadBaseline(); err != nil {
			return err
		}
		page := tamper.Page{URL: m.URL, HTML: browser.Body}
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
		m.ContentState = "" // what was learned before is not what is compared now
		return nil
	}
	var b *tamper.Baseline
	analyse := func(page tamper.Page, other *tamper.Page) (tamper.Report, error) {
		if b == nil {
			if err := loadBaseline(); err != nil {
				return tamper.Report{}, err
			}
			b = new(tamper.Baseline)
			if err := json.Unmarshal([]byte(m.Baseline), b); err != nil {
				return tamper.Report{}, fmt.Errorf("baseline of monitor %d: %w", m.ID, err)
			}
		}
		contentAnalyses.Inc()
		return s.Analyse(b, page, other), nil
	}
	// Every identity is fetched when nothing is remembered yet, and when a
	// change seen once is being confirmed.
	full := !st.known() || m.Pending != ""
	if full {
		st.Views = nil
	}
	// The browser's copy: analysed when its bytes changed.
	var page *tamper.Page
	setBrowser := func(r *Response) error {
		page = &tamper.Page{URL: m.URL, HTML: r.Body}
		d := digest(r.Body)
		st.remember(r, d, st.Digest, &st.ETag, &st.LastModified)
		if d == st.Digest && st.known() && !full {
			return nil
		}
		report, err := analyse(*page, nil)
		if err != nil {
			return err
		}
		st.Digest, st.Findings, st.Version = d, report.Findings, analysisVersion
		return nil
	}
	unchanged := true
	if browser != nil && !browser.NotModified {
		before := st.Digest
		if err := setBrowser(browser); err != nil {
			return err
		}
		unchanged = st.Digest == before && !full
	}
	// browserPage is the browser's copy for a comparison; after a 304 it is
	// fetched again in full (only when another identity's copy differs).
	browserPage := func() (*tamper.Page, error) {
		if page == nil {
			r := Fetch(ctx, s.Client, m.URL, ProfileBrowser)
			in.add(r)
			if !r.OK() {
				return nil, nil
			}
			if err := setBrowser(r); err != nil {
				return nil, err
			}
		}
		return page, nil
	}
	// Every identity's copy when fetching all; otherwise the one whose turn
	// it was, already fetched (conditionally: a 304 is the copy compared
	// last time with the browser's last known copy).
	var views []Profile
	switch {
	case full:
		views = identities
	case other != nil:
		views = []Profile{otherProfile}
	}
	st.Turn++
	for _, v := range views {
		old := st.view(v)
		r := other
		if full {
			r = Fetch(ctx, s.Client, m.URL, v)
		}
		var vs viewState
		switch {
		case r.NotModified:
			vs = *old
		case r.OK():
			d := digest(r.Body)
			if old != nil {
				vs.ETag, vs.LastModified = old.ETag, old.LastModified
				st.remember(r, d, old.Digest, &vs.ETag, &vs.LastModified)
			} else {
				vs.ETag, vs.LastModified = r.ETag, r.LastModified
			}
			if d == st.Digest {
				// The same copy as the browser's: nothing to compare.
				vs.Digest, vs.Against = d, d
				break
			}
			if old != nil && old.Digest == d && old.Against == st.Digest && !full {
				vs.Digest, vs.Against, vs.Findings = d, old.Against, old.Findings // the same two copies as last time
				break
			}
			if full {
				in.add(r)
			}
			bp, err := browserPage()
			if err != nil {
				return err
			}
			if bp == nil {
				continue // the browser's copy could not be had again: compared next time
			}
			unchanged = false
			report, err := analyse(*bp, &tamper.Page{URL: m.URL, HTML: r.Body})
			if err != nil {
				return err
			}
			vs.Digest, vs.Against, vs.Findings = d, st.Digest, report.Findings
		case v == ProfileBaiduReferer && r.RedirectTo != "":
			vs.Findings = []tamper.Finding{{Kind: tamper.KindMaliciousRedirect,
				Reason: "visitors from a Baidu search are redirected to " + r.RedirectTo, Excerpt: r.RedirectTo}}
		}
		st.setView(v, vs)
	}
	if unchanged {
		contentUnchanged.Inc()
	}
	report := st.report()
	data, err := st.encode()
	if err != nil {
		return err
	}
	m.ContentState = data
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
		if err := s.raise(ctx, m, k, source, string(findings), summary(report, k), s.Now()); err != nil {
			return err
		}
	}
	return nil
}

// raise records a confirmed alert in its group and hands a group without
// an incident to the sink, then links the incident it opened. A failure in
// between leaves the group unlinked, so the next check hands it over again:
// no alert is lost to an error or a restart.
func (s *Service) raise(ctx context.Context, m *store.Monitor, kind, source, findings, text string, at time.Time) error {
	hand, err := s.DB.RecordAlert(ctx, m.ID, m.SystemID, kind, source, findings, at)
	if err != nil || !hand {
		return err
	}
	id, err := s.Sink.Alert(ctx, Alert{SystemID: m.SystemID, Kind: kind, Source: source, Summary: text, At: at})
	if err != nil {
		return fmt.Errorf("opening the incident of alert %s: %w", source, err)
	}
	return s.DB.LinkAlert(ctx, source, id)
}

// summary is the text of the draft incident for one kind of finding. The
// excerpt is the page's own text, hostile until cleaned (invalid bytes, NUL).
func summary(r tamper.Report, kind string) string {
	for _, f := range r.Findings {
		if f.Kind == kind {
			if f.ReasonZH != "" {
				return fenghuo.CleanText(f.ReasonZH+":"+f.Excerpt, 2000)
			}
			return fenghuo.CleanText(f.Reason+": "+f.Excerpt, 2000)
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
	findings, _ := json.Marshal([]tamper.Finding{{Kind: kind, Reason: text}})
	return s.raise(ctx, m, kind, fmt.Sprintf("monitor:%d:%s", m.ID, kind), string(findings), text, now)
}
