// Package exposure checks the exposure that units registered for their
// systems (domains, URLs, IP addresses, ports) for high-risk ports open to
// the network (issue 12 item 5; seed 004 §3): by TCP connect only, with a
// timeout, rate-limited globally and per address, and never to an address
// the unit did not register (see buildPlan). Checks run on a schedule
// (each office's interval) and on demand (queued from the console: see
// Request), from this server and/or the remote probes the office's policy
// names (probe.go: the server plans, the probe connects and reports, the
// report is held to the plan); every connect is kept as the
// history of its target and port. An open high-risk port raises a finding
// (merged when seen again); when the port is later found closed, the
// finding gets a "re-check: closed" line and the office above is told, to
// verify and close it.
package exposure

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/app/finding"
	"fenghuo/internal/calendar"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/guard"
	"fenghuo/internal/store"
)

// Service is the exposure-check capability.
type Service struct {
	core     *app.Core
	findings *finding.Service

	// Resolve and Dial are the network; tests put loopback-only ones in.
	Resolve Resolver
	Dial    Dialer
	// Timeout bounds one connect.
	Timeout time.Duration
	// Workers is how many connects of one check run at once.
	Workers int
	// lim spaces all connects of this process.
	lim *limiter
	// wake tells Serve that a check was queued (Request).
	wake chan struct{}
}

// Default limits: a connect times out after 3 s; at most 50 connects a
// second from this server, and at most 5 a second to any one address.
const (
	DefaultTimeout   = 3 * time.Second
	DefaultGlobal    = 20 * time.Millisecond
	DefaultPerTarget = 200 * time.Millisecond
	defaultWorkers   = 8
)

// New returns the capability over core; findings raise what it finds.
func New(core *app.Core, findings *finding.Service) *Service {
	var d net.Dialer
	return &Service{core: core, findings: findings,
		Resolve: func(ctx context.Context, host string) ([]netip.Addr, error) {
			return net.DefaultResolver.LookupNetIP(ctx, "ip", host)
		},
		Dial: d.DialContext, Timeout: DefaultTimeout, Workers: defaultWorkers,
		lim: &limiter{global: DefaultGlobal, perTarget: DefaultPerTarget}, wake: make(chan struct{}, 1)}
}

// SetRate changes the spacing of connects: at most one every global, and
// one every perTarget to the same address.
func (s *Service) SetRate(global, perTarget time.Duration) {
	s.lim = &limiter{global: global, perTarget: perTarget}
}

// WithNetwork returns a copy of the capability that resolves and connects
// through the given functions, with no rate limit: the demo's simulated
// network (it sends no packet).
func (s *Service) WithNetwork(resolve Resolver, dial Dialer) *Service {
	c := *s
	c.Resolve, c.Dial = resolve, dial
	c.lim = &limiter{}
	return &c
}

func policyKey(orgID int64) string { return "exposure_policy/" + strconv.FormatInt(orgID, 10) }

// PolicyTx returns the policy that applies to org: its own, else the
// nearest ancestor's, else the default; setBy is the org that set it (0:
// the default).
func (s *Service) PolicyTx(ctx context.Context, tx *store.Tx, org *fenghuo.Org) (pol fenghuo.ExposurePolicy, setBy int64, err error) {
	ids := org.PathIDs()
	for i := len(ids) - 1; i >= 0; i-- {
		v, err := tx.Setting(ctx, policyKey(ids[i]))
		if fenghuo.ErrorCode(err) == fenghuo.ENOTFOUND {
			continue
		} else if err != nil {
			return pol, 0, err
		}
		var p fenghuo.ExposurePolicy
		if err := json.Unmarshal([]byte(v), &p); err != nil || p.Validate() != nil {
			s.core.Logger().Warn("exposure policy setting unreadable; ignored", "org", ids[i])
			continue
		}
		return p, ids[i], nil
	}
	return fenghuo.DefaultExposurePolicy(), 0, nil
}

// Policy returns the policy that applies to an org the actor sees.
func (s *Service) Policy(ctx context.Context, ac *app.Actor, orgID int64) (pol fenghuo.ExposurePolicy, setBy int64, err error) {
	org, err := s.core.VisibleOrg(ctx, ac, orgID)
	if err != nil {
		return pol, 0, err
	}
	err = s.core.DB().View(ctx, func(tx *store.Tx) error {
		pol, setBy, err = s.PolicyTx(ctx, tx, org)
		return err
	})
	return pol, setBy, err
}

// SetPolicy sets an org's policy for its subtree. It needs the right to
// manage orgs over it (an office's commander or system administrator).
func (s *Service) SetPolicy(ctx context.Context, ac *app.Actor, orgID int64, pol fenghuo.ExposurePolicy) error {
	org, err := s.core.VisibleOrg(ctx, ac, orgID)
	if err != nil {
		return err
	}
	if err := app.RequireAt(ac, fenghuo.PermOrgWrite, org.Path, "Org", orgID); err != nil {
		return err
	}
	if err := pol.Validate(); err != nil {
		return err
	}
	b, err := json.Marshal(pol)
	if err != nil {
		return err
	}
	return s.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		// A probe named must be registered (fenghuo probe register).
		for _, name := range pol.ProbeNames() {
			ps, err := tx.ProbesNamedTx(ctx, name)
			if err != nil {
				return err
			}
			if len(ps) == 0 {
				return fenghuo.FieldErrorf("vantages", "No probe is registered as %s (fenghuo probe register --name). / 未登记名为“%s”的探针（fenghuo probe register --name）。", name, name)
			}
		}
		if err := tx.SetSetting(ctx, policyKey(org.ID), string(b)); err != nil {
			return err
		}
		return s.core.Record(ctx, tx, ac, "exposure.policy", "org", app.ObjectID(org.ID), "success",
			map[string]any{"ports": pol.Ports, "scheduled": pol.Scheduled, "interval_hours": pol.IntervalHours})
	})
}

// RunNow checks a system's exposure at once, for an actor who may change
// the system (its unit, or an office above it), and returns the stored run
// of the server's connects. The probes the policy names get the same plan
// as work (see ProbeRoutes); when the policy has the check made by probes
// only, the run is nil and the probes' runs come in as they report.
func (s *Service) RunNow(ctx context.Context, ac *app.Actor, systemID int64) (*fenghuo.ExposureRun, error) {
	sys, org, err := s.mayRun(ctx, ac, systemID)
	if err != nil {
		return nil, err
	}
	return s.check(ctx, ac, sys, org, fenghuo.ExposureCauseManual, ac.User.ID)
}

func (s *Service) mayRun(ctx context.Context, ac *app.Actor, systemID int64) (*fenghuo.System, *fenghuo.Org, error) {
	sys, org, err := s.visible(ctx, ac, systemID)
	if err != nil {
		return nil, nil, err
	}
	if err := app.RequireAt(ac, fenghuo.PermSystemWrite, org.Path, "System", systemID); err != nil {
		return nil, nil, err
	}
	if sys.Status != fenghuo.SystemActive {
		return nil, nil, fenghuo.Errorf(fenghuo.ECONFLICT, "The system is retired: it is not checked. / 该系统已下线，不再检测。")
	}
	if !Checkable(sys) {
		return nil, nil, fenghuo.FieldErrorf("exposure", "Register a domain, URL or IP address of the system first: only registered addresses are checked. / 请先登记系统的域名、网址或IP地址：只检测已登记的地址。")
	}
	return sys, org, nil
}

// Request queues a check of a system for the checker (Serve) to run at
// once, for an actor who may run it now: the console's "立即检测" does not
// hold the page for the connects (a check of several addresses with
// filtered ports takes seconds: each unanswered connect waits out its 3 s
// timeout, and connects to one address are spaced 200 ms apart).
func (s *Service) Request(ctx context.Context, ac *app.Actor, systemID int64) error {
	sys, org, err := s.mayRun(ctx, ac, systemID)
	if err != nil {
		return err
	}
	err = s.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		if err := tx.RequestExposureCheck(ctx, sys.ID, org.ID, ac.User.ID, s.core.Now()); err != nil {
			return err
		}
		return s.core.Record(ctx, tx, ac, "exposure.check_requested", "system", app.ObjectID(sys.ID), "success", nil)
	})
	if err != nil {
		return err
	}
	select {
	case s.wake <- struct{}{}:
	default:
	}
	return nil
}

func (s *Service) visible(ctx context.Context, ac *app.Actor, systemID int64) (*fenghuo.System, *fenghuo.Org, error) {
	sys, err := s.core.VisibleSystem(ctx, ac, systemID)
	if err != nil {
		return nil, nil, err
	}
	org, err := s.core.DB().Org(ctx, sys.OrgID)
	if err != nil {
		return nil, nil, err
	}
	return sys, org, nil
}

// claimLease is how long a claimed system is held by this checker.
const claimLease = 10 * time.Minute

// RunDue adds newly registered systems to the schedule, then checks the
// systems due now (up to limit), one after another, as the platform, where
// the policy that applies has scheduled checks on. A
// check that fails or panics is logged and counted; the system stays
// scheduled. It returns how many systems it checked.
func (s *Service) RunDue(ctx context.Context, limit int) (int, error) {
	now := s.core.Now()
	if _, err := s.core.DB().ScheduleExposureChecks(ctx, now); err != nil {
		return 0, err
	}
	ids, err := s.core.DB().ClaimDueExposureChecks(ctx, now, claimLease, limit)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, id := range ids {
		if ctx.Err() != nil {
			break
		}
		err := guard.Run(s.core.Logger(), "exposure_check", func() error { return s.runScheduled(ctx, id) }, "system", id)
		var pe *guard.PanicError
		switch {
		case errors.As(err, &pe):
			checks.WithLabelValues("panic").Inc()
		case err != nil:
			checks.WithLabelValues("failed").Inc()
			s.core.Logger().Error("exposure check", "system", id, "err", err)
		default:
			n++
		}
	}
	return n, nil
}

func (s *Service) runScheduled(ctx context.Context, systemID int64) error {
	db := s.core.DB()
	sys, err := db.System(ctx, systemID)
	if fenghuo.ErrorCode(err) == fenghuo.ENOTFOUND || (err == nil && sys.Status != fenghuo.SystemActive) {
		return db.UnscheduleExposure(ctx, systemID)
	} else if err != nil {
		return err
	}
	org, err := db.Org(ctx, sys.OrgID)
	if err != nil {
		return err
	}
	// A check asked for in the console runs whatever the schedule policy.
	if by, _, err := db.ExposureRequest(ctx, sys.ID); err != nil {
		return err
	} else if by != 0 {
		_, err = s.check(ctx, app.SystemActor(), sys, org, fenghuo.ExposureCauseManual, by)
		return err
	}
	var pol fenghuo.ExposurePolicy
	if err := db.View(ctx, func(tx *store.Tx) error {
		var err error
		pol, _, err = s.PolicyTx(ctx, tx, org)
		return err
	}); err != nil {
		return err
	}
	if !pol.Scheduled {
		// No office above the unit turned scheduled checks on: look again
		// in an hour (an office may turn them on meanwhile).
		return db.WithTx(ctx, func(tx *store.Tx) error {
			return tx.SetExposureDue(ctx, sys.ID, org.ID, s.core.Now().Add(time.Hour))
		})
	}
	_, err = s.check(ctx, app.SystemActor(), sys, org, fenghuo.ExposureCauseSchedule, 0)
	return err
}

// Serve runs scheduled checks every tick until ctx ends.
func (s *Service) Serve(ctx context.Context, tick time.Duration) {
	for ctx.Err() == nil {
		if _, err := s.RunDue(ctx, 50); err != nil && ctx.Err() == nil {
			s.core.Logger().Error("exposure checks", "err", err)
		}
		t := time.NewTimer(tick)
		select {
		case <-ctx.Done():
		case <-t.C:
		case <-s.wake:
		}
		t.Stop()
	}
}

// check runs one check of sys and stores it: the server's connects (when
// the policy has the server as a vantage) happen outside any transaction;
// the run, its results, the findings raised or noted, the probes' work
// (the same plan, for each probe the policy names), the next due time and
// the audit entry are one transaction. A panic in a connect fails that
// probe only. by is who asked for the check (0: the schedule). The run is
// nil when only probes connect.
func (s *Service) check(ctx context.Context, ac *app.Actor, sys *fenghuo.System, org *fenghuo.Org, cause string, by int64) (*fenghuo.ExposureRun, error) {
	db := s.core.DB()
	var pol fenghuo.ExposurePolicy
	if err := db.View(ctx, func(tx *store.Tx) error {
		var err error
		pol, _, err = s.PolicyTx(ctx, tx, org)
		return err
	}); err != nil {
		return nil, err
	}
	start := s.core.Now()
	pl := buildPlan(ctx, sys, pol, s.Resolve)
	refusedEntries.Add(float64(len(pl.refused)))
	var run *fenghuo.ExposureRun
	var results []fenghuo.ExposureResult
	if pol.FromServer() {
		results = s.probeAll(ctx, pl)
		run = &fenghuo.ExposureRun{OrgID: org.ID, SystemID: sys.ID, Cause: cause, Vantage: fenghuo.VantageServer, State: fenghuo.ExposureRunDone,
			Addresses: pl.addrs, Probes: len(pl.probes), Refused: pl.refused, CreatedBy: by, StartedAt: start}
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	err := db.WithTx(ctx, func(tx *store.Tx) error {
		now := s.core.Now()
		detail := map[string]any{"cause": cause, "addresses": pl.addrs, "probes": len(pl.probes), "refused": len(pl.refused)}
		if by != 0 && by != ac.User.ID {
			detail["requested_by"] = by
		}
		if run != nil {
			run.FinishedAt = now
			if err := tx.CreateExposureRun(ctx, run); err != nil {
				return err
			}
			if err := s.record(ctx, tx, ac, sys, org, pol, run, results); err != nil {
				return err
			}
			detail["run"], detail["open_high_risk"] = run.ID, run.OpenHighRisk
		}
		handed, err := s.handToProbes(ctx, tx, sys, org, pol, pl, cause, by, now)
		if err != nil {
			return err
		}
		if len(pol.ProbeNames()) > 0 {
			detail["probe_work"] = handed
		}
		if err := tx.SetExposureDue(ctx, sys.ID, org.ID, now.Add(pol.Interval())); err != nil {
			return err
		}
		if err := tx.ClearExposureRequest(ctx, sys.ID, start); err != nil {
			return err
		}
		return s.core.Record(ctx, tx, ac, "exposure.check", "system", app.ObjectID(sys.ID), "success", detail)
	})
	if err != nil {
		return nil, err
	}
	checks.WithLabelValues("done").Inc()
	return run, nil
}

// probeAll runs the plan's connects from this server.
func (s *Service) probeAll(ctx context.Context, pl plan) []fenghuo.ExposureResult {
	return connectAll(ctx, s.core.Logger(), s.lim, s.Dial, s.Timeout, s.Workers, pl)
}

// connectAll runs a plan's connects, workers at once, each waiting for the
// rate limiter; the server and a remote probe both use it. Results keep
// the plan's order.
func connectAll(ctx context.Context, log *slog.Logger, lim *limiter, dial Dialer, timeout time.Duration, workers int, pl plan) []fenghuo.ExposureResult {
	out := make([]fenghuo.ExposureResult, len(pl.probes))
	workers = max(workers, 1)
	sem := make(chan struct{}, workers)
	var wg sync.WaitGroup
	for i, pr := range pl.probes {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			r := fenghuo.ExposureResult{Target: pr.Target, Address: pr.Address.String(), Port: pr.Port, State: fenghuo.PortError}
			err := guard.Run(log, "exposure_probe", func() error {
				if err := lim.wait(ctx, pr.Address); err != nil {
					r.Error = "检测中止"
					return nil
				}
				state, lat, msg := connect(ctx, dial, timeout, pl.allowed, pr)
				r.State, r.LatencyMS, r.Error = state, lat.Milliseconds(), msg
				return nil
			}, "address", pr.Address.String(), "port", pr.Port)
			if err != nil {
				r.State, r.Error = fenghuo.PortError, "内部错误（已记录）"
			}
			probes.WithLabelValues(r.State).Inc()
			out[i] = r
		}()
	}
	wg.Wait()
	return out
}

// record stores the results and raises or notes findings: per target and
// high-risk port, open on any address raises (or merges into) the finding
// of that target and port; found closed everywhere after being open the
// last time, the active finding gets a re-check line and the office above
// is told.
func (s *Service) record(ctx context.Context, tx *store.Tx, ac *app.Actor, sys *fenghuo.System, org *fenghuo.Org,
	pol fenghuo.ExposurePolicy, run *fenghuo.ExposureRun, results []fenghuo.ExposureResult) error {
	type key struct {
		target string
		port   int
	}
	groups := map[key][]int{}
	var order []key
	for i := range results {
		r := &results[i]
		r.RunID, r.OrgID, r.SystemID, r.At, r.Vantage = run.ID, org.ID, sys.ID, run.FinishedAt, run.Vantage
		r.HighRisk = pol.HighRisk(r.Port)
		k := key{r.Target, r.Port}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], i)
	}
	declared := declaredPorts(sys)
	for _, k := range order {
		if !pol.HighRisk(k.port) {
			continue
		}
		idx := groups[k]
		var open []string
		closed := true
		for _, i := range idx {
			switch results[i].State {
			case fenghuo.PortOpen:
				open = append(open, results[i].Address)
				closed = false
			case fenghuo.PortError:
				closed = false
			}
		}
		fkey := findingKey(k.target, k.port)
		if len(open) > 0 {
			run.OpenHighRisk++
			sev := fenghuo.SeverityHigh
			note := ""
			if declared[k.port] {
				sev = fenghuo.SeverityMedium
				note = "该端口为单位登记的开放端口；"
			}
			f, _, err := s.findings.RaiseTx(ctx, tx, ac, finding.Input{OrgID: org.ID, SystemID: sys.ID,
				Source: fenghuo.FindingSourceExposure, SourceRef: sourceRef(run), Key: fkey,
				Title: fmt.Sprintf("高危端口开放：%s 端口%d（%s）", k.target, k.port, PortService(k.port)),
				Detail: fmt.Sprintf("暴露面检测于%s从%s发起TCP连接，%s的%d端口可连接（地址：%s）。%s如非业务必需，请关闭该端口或限制访问来源；确需开放的，请说明理由并采取加固措施。",
					run.FinishedAt.In(calendar.Shanghai).Format("2006-01-02 15:04"), VantageName(run.Vantage), k.target, k.port, strings.Join(open, "、"), note),
				Severity: sev})
			if err != nil {
				return err
			}
			for _, i := range idx {
				if results[i].State == fenghuo.PortOpen {
					results[i].FindingID = f.ID
				}
			}
			openHighRisk.Inc()
			continue
		}
		if !closed {
			continue
		}
		prev, err := tx.LastExposureResults(ctx, sys.ID, k.target, k.port, run.Vantage, run.ID)
		if err != nil {
			return err
		}
		wasOpen := false
		for _, p := range prev {
			wasOpen = wasOpen || p.State == fenghuo.PortOpen
		}
		if !wasOpen {
			continue
		}
		f, err := tx.ActiveFindingByKey(ctx, org.ID, sys.ID, fkey)
		if fenghuo.ErrorCode(err) == fenghuo.ENOTFOUND {
			continue
		} else if err != nil {
			return err
		}
		for _, i := range idx {
			results[i].FindingID = f.ID
		}
		if err := s.noteClosed(ctx, tx, ac, org, f, run, k.target, k.port); err != nil {
			return err
		}
	}
	for i := range results {
		if err := tx.AddExposureResult(ctx, &results[i]); err != nil {
			return err
		}
	}
	// The run row was created first so results can refer to it; its count
	// of open high-risk ports is known now.
	if run.OpenHighRisk > 0 {
		return tx.SetExposureRunOpen(ctx, run.ID, run.OpenHighRisk)
	}
	return nil
}

// noteClosed writes the re-check line on a finding whose port is now
// closed and tells the office above (or the unit, at the root) to verify.
func (s *Service) noteClosed(ctx context.Context, tx *store.Tx, ac *app.Actor, org *fenghuo.Org, f *fenghuo.Finding,
	run *fenghuo.ExposureRun, target string, port int) error {
	body := fmt.Sprintf("复查：端口已关闭（暴露面检测 %s，从%s连接%s 端口%d 无法连接），请核实后关闭隐患",
		run.FinishedAt.In(calendar.Shanghai).Format("2006-01-02 15:04"), VantageName(run.Vantage), target, port)
	name := ac.User.DisplayName
	if name == "" {
		name = ac.User.Username
	}
	if err := tx.AddFindingEvent(ctx, &fenghuo.FindingEvent{FindingID: f.ID, UserID: ac.User.ID, UserName: name,
		Kind: "comment", State: f.State, Body: body}); err != nil {
		return err
	}
	to := org.ParentID
	if to == 0 {
		to = org.ID
	}
	if err := s.core.NotifyOrg(ctx, tx, app.Notice{OrgID: to, Kind: "finding.recheck_closed",
		Title: "复查：端口已关闭，待核实 " + f.Title, Body: org.Name + "：" + body, Link: fmt.Sprintf("/findings/%d", f.ID)}); err != nil {
		return err
	}
	recheckClosed.Inc()
	return s.core.Record(ctx, tx, ac, "finding.recheck", "finding", app.ObjectID(f.ID), "success",
		map[string]any{"run": run.ID, "target": target, "port": port, "state": "closed", "vantage": run.Vantage})
}

// sourceRef names the check that raised (or found again) a finding; a
// probe's check says which probe, so the finding's history tells from
// where the port was found open each time.
func sourceRef(run *fenghuo.ExposureRun) string {
	if fenghuo.VantageProbe(run.Vantage) != "" {
		return fmt.Sprintf("exposure-check:%d 从%s", run.ID, VantageName(run.Vantage))
	}
	return fmt.Sprintf("exposure-check:%d", run.ID)
}

// findingKey names "the same finding" of a target and port.
func findingKey(target string, port int) string {
	return "exposure/port/" + strings.ToLower(target) + "/" + strconv.Itoa(port)
}

// declaredPorts are the TCP ports the system registered as open on purpose.
func declaredPorts(sys *fenghuo.System) map[int]bool {
	out := map[int]bool{}
	for _, e := range sys.Exposure {
		if e.Kind != fenghuo.ExposurePort {
			continue
		}
		num, proto, _ := strings.Cut(e.Value, "/")
		if n, err := strconv.Atoi(num); err == nil && proto != "udp" {
			out[n] = true
		}
	}
	return out
}

// PortService names the usual service on a port, in Chinese where there is
// a common word.
func PortService(port int) string {
	if s, ok := portServices[port]; ok {
		return s
	}
	return "TCP"
}

var portServices = map[int]string{21: "FTP文件传输", 22: "SSH远程登录", 23: "Telnet远程登录", 25: "SMTP邮件", 80: "HTTP网站",
	135: "Windows RPC", 137: "NetBIOS", 139: "NetBIOS共享", 443: "HTTPS网站", 445: "SMB文件共享", 1433: "SQL Server数据库",
	1521: "Oracle数据库", 2375: "Docker管理接口", 3306: "MySQL数据库", 3389: "远程桌面", 5432: "PostgreSQL数据库",
	5900: "VNC远程桌面", 6379: "Redis数据库", 8080: "HTTP代理/管理", 9200: "Elasticsearch", 11211: "Memcached", 27017: "MongoDB数据库"}

// SortResults orders results by target, port, address.
func SortResults(rs []fenghuo.ExposureResult) {
	sort.SliceStable(rs, func(i, j int) bool {
		if rs[i].Target != rs[j].Target {
			return rs[i].Target < rs[j].Target
		}
		if rs[i].Port != rs[j].Port {
			return rs[i].Port < rs[j].Port
		}
		return rs[i].Address < rs[j].Address
	})
}
