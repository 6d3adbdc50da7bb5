package monitor_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/monitor"
	"fenghuo/internal/store"
)

// rotSite serves the portal with validators (an ETag derived from the
// bytes it serves, or a frozen one when it lies) and answers a matching
// If-None-Match with 304; it cloaks towards Baiduspider or towards
// visitors from a Baidu search when told, and counts what it is asked.
type rotSite struct {
	cloak   atomic.Value // "", "spider", "referer"
	defaced atomic.Bool
	// frozenETag: the site gives the same ETag whatever it serves.
	frozenETag atomic.Bool
	mu         sync.Mutex
	asked      map[string]int // browser, spider, referer, 304
}

func (s *rotSite) count(k string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.asked == nil {
		s.asked = map[string]int{}
	}
	s.asked[k]++
}

func (s *rotSite) counts() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]int{}
	for k, v := range s.asked {
		out[k] = v
	}
	return out
}

func (s *rotSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	who := "browser"
	switch {
	case strings.Contains(r.UserAgent(), "Baiduspider"):
		who = "spider"
	case strings.Contains(r.Referer(), "baidu.com"):
		who = "referer"
	}
	s.count(who)
	extra := ""
	if c, _ := s.cloak.Load().(string); c == who {
		extra = spam
	}
	page := fmt.Sprintf(portalPage, "2026-11-10", extra)
	if s.defaced.Load() {
		page = "<html><head><title>Hacked By DarkStorm Team</title></head><body><h1>Hacked By DarkStorm Team</h1></body></html>"
	}
	etag := fmt.Sprintf(`"%x"`, sha256.Sum256([]byte(page)))
	if s.frozenETag.Load() {
		etag = `"v1"`
	}
	w.Header().Set("ETag", etag)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if r.Header.Get("If-None-Match") == etag {
		s.count("304")
		w.WriteHeader(http.StatusNotModified)
		return
	}
	fmt.Fprint(w, page)
}

func rotSetup(t *testing.T) (*apptest.Env, *rotSite, *monitor.Service, *store.Monitor) {
	e := apptest.New(t)
	ctx := context.Background()
	site := &rotSite{}
	srv := httptest.NewServer(site)
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
	// Learn the baseline (three checks), then one check that remembers
	// every copy.
	runFor(t, e, svc, 20*time.Minute, 5*time.Minute)
	return e, site, svc, m
}

func draftTitles(t *testing.T, e *apptest.Env) string {
	var titles []string
	for _, inc := range incidentsOf(t, e) {
		titles = append(titles, inc.Title)
	}
	return strings.Join(titles, " | ")
}

// Each check fetches one copy, as the browser, Baiduspider and a visitor
// from a Baidu search in turn; an unchanged page is fetched conditionally
// (304) and not analysed again, and stays clean.
func TestContentCheckRotatesIdentitiesAndFetchesConditionally(t *testing.T) {
	e, site, svc, m := rotSetup(t)
	before := site.counts()
	runFor(t, e, svc, 30*time.Minute, 5*time.Minute) // six checks
	after := site.counts()
	got := map[string]int{}
	for k, v := range after {
		got[k] = v - before[k]
	}
	if got["browser"] != 2 || got["spider"] != 2 || got["referer"] != 2 || got["304"] != 6 {
		t.Errorf("six checks asked %v, want one request each: 2 as the browser, 2 as Baiduspider, 2 with a Baidu referer, all answered 304", got)
	}
	results, err := e.DB.MonitorResults(context.Background(), m.ID, 6)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		if !r.OK || r.Verdict != "clean" || r.HTTPStatus != http.StatusNotModified {
			t.Errorf("unchanged check: %+v", r)
		}
	}
	if d := draftTitles(t, e); d != "" {
		t.Errorf("a clean site opened drafts: %s", d)
	}
}

// Cloaking towards either identity is caught, confirmed and opens a draft
// within three intervals, whichever identity's turn comes first.
func TestCloakingCaughtWithinThreeIntervals(t *testing.T) {
	for _, who := range []string{"spider", "referer"} {
		for phase := 0; phase < 3; phase++ {
			t.Run(fmt.Sprintf("%s/phase=%d", who, phase), func(t *testing.T) {
				e, site, svc, m := rotSetup(t)
				runFor(t, e, svc, time.Duration(phase)*5*time.Minute, 5*time.Minute)
				site.cloak.Store(who)
				runFor(t, e, svc, 15*time.Minute, time.Minute)
				if d := draftTitles(t, e); !strings.Contains(d, "暗链植入") {
					t.Fatalf("cloaking towards %s: no 暗链植入 draft within three intervals: %q", who, d)
				}
				results, _ := e.DB.MonitorResults(context.Background(), m.ID, 10)
				seen := false
				for _, r := range results {
					seen = seen || r.Verdict == "tampered" && strings.Contains(r.Findings, "hidden_link")
				}
				if !seen {
					t.Errorf("no tampered result with the hidden link: %+v", results)
				}
			})
		}
	}
}

// A defacement changes the page's bytes and its ETag: the conditional
// fetch gets the new page, which is analysed and alerts.
func TestDefacementAfterConditionalFetches(t *testing.T) {
	e, site, svc, _ := rotSetup(t)
	site.defaced.Store(true)
	runFor(t, e, svc, 10*time.Minute, time.Minute)
	if d := draftTitles(t, e); !strings.Contains(d, "篡改") {
		t.Fatalf("no defacement draft: %q", d)
	}
}

// A site whose ETag does not follow its bytes answers 304 to a defaced
// page; the full fetch every fullEvery (10) checks finds the defacement,
// and the monitor stops fetching that site conditionally.
func TestFrozenETagStillCaught(t *testing.T) {
	e, site, svc, _ := rotSetup(t)
	site.frozenETag.Store(true)
	runFor(t, e, svc, 15*time.Minute, 5*time.Minute) // each identity remembers the frozen ETag
	site.defaced.Store(true)
	runFor(t, e, svc, 12*5*time.Minute, time.Minute)
	if d := draftTitles(t, e); !strings.Contains(d, "篡改") {
		t.Fatalf("no defacement draft behind a frozen ETag: %q", d)
	}
	before := site.counts()["304"]
	runFor(t, e, svc, 30*time.Minute, 5*time.Minute)
	if after := site.counts()["304"]; after != before {
		t.Errorf("the monitor still fetches conditionally from a site whose ETag does not follow its bytes: %d more 304s", after-before)
	}
}
