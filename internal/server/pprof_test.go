package server_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"fenghuo/internal/apptest"
	"fenghuo/internal/auth"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/server"
)

// TestPprofListener runs the real server with the profiler's listener:
// every request there needs an admin-scope API token of a system
// administrator (401 without a valid one, 403 for a reporter's token, for
// a system administrator's read token and for a security administrator's
// admin token); with it /debug/pprof/ answers and a one-second CPU profile
// and a heap profile come back. The console's address serves no
// /debug/pprof, token or not, and the profiler's serves nothing else.
func TestPprofListener(t *testing.T) {
	e := apptest.New(t)
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	h, err := server.NewHandler(e.App, server.HandlerOptions{Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	srv := serveForTest(t, server.New(server.Options{Listen: "127.0.0.1:0", Logger: log, PprofListen: "127.0.0.1:0", Pprof: server.PprofHandler(e.App, log)}, h))
	if srv.PprofAddr() == "" || srv.PprofAddr() == srv.Addr() || srv.MetricsAddr() != "" {
		t.Fatalf("pprof listener %q beside %q (metrics %q)", srv.PprofAddr(), srv.Addr(), srv.MetricsAddr())
	}

	sys, _ := e.User(t, "sys", "city", fenghuo.RoleSystemAdmin)
	sec, _ := e.User(t, "sec", "city", fenghuo.RoleSecurityAdmin)
	reporter, _ := e.User(t, "rep", "school", fenghuo.RoleUnitReporter)
	token := func(u *fenghuo.User, scope auth.Scope) string {
		t.Helper()
		tok, _, err := e.App.Accounts.CreateAPIToken(ctx, e.Actor(t, u), "profiling", scope, 30)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	adminTok := token(sys, auth.ScopeAdmin)
	get := func(url, bearer string) (int, http.Header, []byte) {
		t.Helper()
		req, _ := http.NewRequest("GET", url, nil)
		if bearer != "" {
			req.Header.Set("Authorization", "Bearer "+bearer)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header, b
	}
	pp := "http://" + srv.PprofAddr()

	code, hdr, body := get(pp+"/debug/pprof/", "")
	if code != 401 || hdr.Get("WWW-Authenticate") == "" || bytes.Contains(body, []byte("goroutine")) {
		t.Errorf("anonymous: %d %v %.200s", code, hdr, body)
	}
	if code, _, body := get(pp+"/debug/pprof/", "fhk_not-a-token"); code != 401 {
		t.Errorf("a bad token: %d %.200s", code, body)
	}
	for name, tok := range map[string]string{
		"a reporter's write token":               token(reporter, auth.ScopeWrite),
		"a system administrator's read token":    token(sys, auth.ScopeRead),
		"a system administrator's metrics token": token(sys, auth.ScopeMetrics),
		"a security administrator's admin token": token(sec, auth.ScopeAdmin),
	} {
		if code, _, body := get(pp+"/debug/pprof/", tok); code != 403 || bytes.Contains(body, []byte("goroutine")) {
			t.Errorf("%s: %d %.200s", name, code, body)
		}
	}

	if code, _, body := get(pp+"/debug/pprof/", adminTok); code != 200 || !bytes.Contains(body, []byte("goroutine")) || !bytes.Contains(body, []byte("heap")) {
		t.Fatalf("the admin token, index: %d %.300s", code, body)
	}
	for _, path := range []string{"/debug/pprof/profile?seconds=1", "/debug/pprof/heap"} {
		code, _, body := get(pp+path, adminTok)
		if code != 200 {
			t.Fatalf("%s: %d %.300s", path, code, body)
		}
		// A profile is a gzipped protocol buffer with at least one sample type.
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("%s: not gzip (%v): %.100q", path, err, body)
		}
		raw, err := io.ReadAll(zr)
		if err != nil || len(raw) < 50 {
			t.Fatalf("%s: %d bytes of profile, %v", path, len(raw), err)
		}
		if want := map[bool]string{true: "nanoseconds", false: "inuse_space"}[strings.Contains(path, "profile")]; !bytes.Contains(raw, []byte(want)) {
			t.Errorf("%s: no %q sample type in the profile", path, want)
		}
	}

	// The profiler's listener serves nothing else; the console's no profiler.
	for _, path := range []string{"/healthz", "/metrics", "/login"} {
		if code, _, _ := get(pp+path, adminTok); code != 404 {
			t.Errorf("pprof listener %s: %d", path, code)
		}
	}
	for _, path := range []string{"/debug/pprof/", "/debug/pprof/heap", "/debug/pprof/profile?seconds=1"} {
		if code, _, body := get("http://"+srv.Addr()+path, adminTok); code == 200 || bytes.Contains(body, []byte("goroutine")) {
			t.Errorf("console listener %s: %d %.200s", path, code, body)
		}
	}
}

// TestSlowQueriesMetric: statements over the slow_query threshold are
// counted in fenghuo_db_slow_queries_total on /metrics (a threshold of 1ns
// makes every statement of a log-in attempt slow).
func TestSlowQueriesMetric(t *testing.T) {
	e := apptest.New(t)
	var logs syncLog
	metrics := http.NewServeMux()
	h, err := server.NewHandler(e.App, server.HandlerOptions{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Metrics: metrics})
	if err != nil {
		t.Fatal(err)
	}
	console, scrape := httptest.NewServer(h), httptest.NewServer(metrics)
	t.Cleanup(console.Close)
	t.Cleanup(scrape.Close)
	read := func() string {
		t.Helper()
		resp, err := http.Get(scrape.URL + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		for _, line := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(line, "fenghuo_db_slow_queries_total ") {
				return strings.TrimPrefix(line, "fenghuo_db_slow_queries_total ")
			}
		}
		t.Fatalf("no fenghuo_db_slow_queries_total in /metrics")
		return ""
	}
	if v := read(); v != "0" {
		t.Fatalf("before any threshold: %s", v)
	}
	e.App.Core.DB().SetSlowQuery(time.Nanosecond, slog.New(slog.NewTextHandler(&logs, nil)))
	t.Cleanup(func() { e.App.Core.DB().SetSlowQuery(0, nil) })
	// A log-in attempt reads the user (and records the failure).
	resp, err := http.PostForm(console.URL+"/login", url.Values{"username": {"nobody"}, "password": {"wrong password"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if v := read(); v == "0" || !strings.Contains(logs.String(), "slow database statement") {
		t.Errorf("after a log-in attempt at 1ns: %s slow statements; log:\n%s", v, logs.String())
	}
}

// syncLog collects log output written from the server's goroutines.
type syncLog struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *syncLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *syncLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
