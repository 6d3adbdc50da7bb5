package monitor_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/monitor"
	"fenghuo/internal/store"
)

const portalPage = `<!doctype html><html><head><meta charset="utf-8"><title>甲县第一中学</title>
<meta name="description" content="甲县第一中学官方网站"></head><body>
<div id="header"><h1>甲县第一中学</h1><ul id="nav"><li><a href="/">首页</a></li><li><a href="/news/">学校新闻</a></li>
<li><a href="/notice/">通知公告</a></li><li><a href="/about/">学校概况</a></li></ul></div>
<div id="main"><h2>学校新闻</h2><ul class="news">
<li><a href="/news/101.html">我校举行秋季运动会</a><span>%s</span></li>
<li><a href="/news/102.html">高三年级召开家长会</a><span>2026-11-02</span></li>
<li><a href="/news/103.html">开展网络安全宣传周活动</a><span>2026-10-28</span></li></ul>
<p>学校始建于1958年,是县内重点高级中学。坚持立德树人,办人民满意的教育。</p></div>
%s
<div id="footer"><p>版权所有:甲县第一中学 地址:甲县文化路1号 电话:0477-7000001</p>
<p><a href="https://beian.miit.gov.cn/">蒙ICP备12345678号</a></p></div></body></html>`

const spam = `<div style="display:none"><a href="http://www.amjs-casino888.com/">澳门金沙赌场</a>
<a href="http://www.bet-liuhecai.net/">六合彩开奖</a><a href="http://www.xsj-baijiale.com/">百家乐网上娱乐</a></div>`

// site serves the portal; when cloaked it serves Baiduspider a page with
// hidden gambling links; when down it answers 503.
type site struct {
	cloaked, down atomic.Bool
	day           atomic.Int32
}

func (s *site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.down.Load() {
		http.Error(w, "down", http.StatusServiceUnavailable)
		return
	}
	extra := ""
	if s.cloaked.Load() && strings.Contains(r.UserAgent(), "Baiduspider") {
		extra = spam
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, portalPage, fmt.Sprintf("2026-11-%02d", 10+s.day.Load()), extra)
}

func setup(t *testing.T) (*apptest.Env, *site, *monitor.Service, *store.Monitor) {
	e := apptest.New(t)
	ctx := context.Background()
	st := &site{}
	srv := httptest.NewServer(st)
	t.Cleanup(srv.Close)
	sys := &fenghuo.System{OrgID: e.Orgs["school"].ID, Name: "甲县一中门户网站", Exposure: []fenghuo.Exposure{{Kind: "url", Value: srv.URL + "/"}}}
	if err := e.DB.CreateSystem(ctx, sys); err != nil {
		t.Fatal(err)
	}
	m := &store.Monitor{SystemID: sys.ID, URL: srv.URL + "/", Interval: 5 * time.Minute, NextDueAt: e.Clock.Now()}
	if err := e.DB.CreateMonitor(ctx, m); err != nil {
		t.Fatal(err)
	}
	svc := &monitor.Service{DB: e.DB, Sink: e.App.Monitoring.MonitorSink(), Now: e.Clock.Now, Client: monitor.NewClient(5*time.Second, nil, true)}
	return e, st, svc, m
}

// runFor advances the clock in steps, checking whatever is due.
func runFor(t *testing.T, e *apptest.Env, svc *monitor.Service, d, step time.Duration) {
	t.Helper()
	for end := e.Clock.Now().Add(d); e.Clock.Now().Before(end); e.Clock.Advance(step) {
		if _, err := svc.RunOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
}

func incidentsOf(t *testing.T, e *apptest.Env) []fenghuo.Incident {
	res, err := e.DB.Incidents(context.Background(), store.IncidentFilter{ScopeOrgID: e.Orgs["city"].ID}, store.Page{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	out := []fenghuo.Incident{}
	for _, row := range res.Items {
		inc, err := e.DB.Incident(context.Background(), row.ID)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, *inc)
	}
	return out
}

// A site that starts serving a hidden gambling link only to Baiduspider is
// reported as cloaking and hidden link within one interval plus the
// confirming re-fetch, and a draft 暗链植入 incident appears for its unit.
func TestCloakedHiddenLinkOpensDraft(t *testing.T) {
	e, st, svc, m := setup(t)
	// Learn the baseline over three checks on three "days".
	for i := 0; i < 3; i++ {
		st.day.Store(int32(i))
		runFor(t, e, svc, 5*time.Minute, 5*time.Minute)
	}
	if got := incidentsOf(t, e); len(got) != 0 {
		t.Fatalf("learning raised incidents: %+v", got)
	}
	st.cloaked.Store(true)
	start := e.Clock.Now()
	runFor(t, e, svc, 6*time.Minute+svc.Confirm, time.Minute)
	drafts := incidentsOf(t, e)
	var kinds []string
	for _, inc := range drafts {
		kinds = append(kinds, inc.Title)
		if inc.Status != fenghuo.StatusDraft || inc.Channel != fenghuo.ChannelMonitoring || inc.OrgID != e.Orgs["school"].ID {
			t.Errorf("draft %+v", inc)
		}
	}
	joined := strings.Join(kinds, " | ")
	if !strings.Contains(joined, "暗链植入") {
		t.Fatalf("no 暗链植入 draft after %v: %q", e.Clock.Now().Sub(start), joined)
	}
	results, _ := e.DB.MonitorResults(context.Background(), m.ID, 3)
	if len(results) == 0 || results[0].Verdict != "tampered" || !strings.Contains(results[0].Findings, "cloaking") || !strings.Contains(results[0].Findings, "hidden_link") {
		t.Errorf("last result: %+v", results[0])
	}
	// The alert does not open another draft while it goes on.
	runFor(t, e, svc, 15*time.Minute, 5*time.Minute)
	if again := incidentsOf(t, e); len(again) != len(drafts) {
		t.Errorf("a continuing alert opened more drafts: %d → %d", len(drafts), len(again))
	}
}

// A site down for 35 minutes produces an incident whose outage_minutes is
// 35 ± one interval.
func TestOutageDuration(t *testing.T) {
	e, st, svc, _ := setup(t)
	runFor(t, e, svc, 15*time.Minute, 5*time.Minute)
	st.down.Store(true)
	runFor(t, e, svc, 35*time.Minute, 5*time.Minute)
	st.down.Store(false)
	runFor(t, e, svc, 10*time.Minute, 5*time.Minute)
	var outage *fenghuo.Incident
	for _, inc := range incidentsOf(t, e) {
		if strings.HasPrefix(inc.Title, "网站无法访问") {
			outage = &inc
		}
	}
	if outage == nil {
		t.Fatal("no outage incident")
	}
	got, _ := outage.Facts["outage_minutes"].(float64)
	if got < 30 || got > 40 {
		t.Errorf("outage_minutes = %v, want 35 ± 5", got)
	}
	if outage.Facts["site_unreachable_minutes"] != got {
		t.Errorf("site_unreachable_minutes = %v", outage.Facts["site_unreachable_minutes"])
	}
}

func TestFirstDueIsStaggered(t *testing.T) {
	now := time.Now()
	seen := map[time.Duration]bool{}
	for i := 0; i < 100; i++ {
		d := monitor.FirstDue(now, fmt.Sprintf("https://site%d.example.cn/", i), 5*time.Minute).Sub(now)
		if d < 0 || d >= 5*time.Minute {
			t.Fatalf("first due %v outside the interval", d)
		}
		seen[d/time.Second] = true
	}
	if len(seen) < 80 {
		t.Errorf("first checks bunch together: %d distinct seconds of 100", len(seen))
	}
}

// A check that starts late leaves its monitor due one interval after it was
// due, not after the check: lateness does not push every later check back.
func TestLateCheckKeepsPhase(t *testing.T) {
	e, _, svc, m := setup(t)
	ctx := context.Background()
	due := m.NextDueAt
	e.Clock.Advance(20 * time.Second)
	if n, err := svc.RunOnce(ctx); err != nil || n != 1 {
		t.Fatalf("RunOnce: %d checks, %v", n, err)
	}
	got, err := e.DB.Monitor(ctx, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if want := due.Add(5 * time.Minute); !got.NextDueAt.Equal(want) {
		t.Errorf("checked 20 s late: next due %v, want %v (one interval after it was due)", got.NextDueAt, want)
	}
	if want := due.Add(20 * time.Second); !got.LastCheckedAt.Equal(want) {
		t.Errorf("last checked %v, want %v", got.LastCheckedAt, want)
	}
}
