package server_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"fenghuo/internal/apptest"
	"fenghuo/internal/auth"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/server"
)

// TestMetricsOnTheirOwnListener runs the real server with a metrics
// listener: /metrics answers there (with the request counters and the Go
// runtime) and nothing else does; the console's listener refuses anonymous
// requests for it (401), with or without a metrics listener.
func TestMetricsOnTheirOwnListener(t *testing.T) {
	e := apptest.New(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	get := func(url string) (int, string) {
		t.Helper()
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	start := func(metricsListen string) *server.Server {
		t.Helper()
		metrics := http.NewServeMux()
		h, err := server.NewHandler(e.App, server.HandlerOptions{Logger: log, Metrics: metrics})
		if err != nil {
			t.Fatal(err)
		}
		return serveForTest(t, server.New(server.Options{Listen: "127.0.0.1:0", Logger: log, MetricsListen: metricsListen, Metrics: metrics}, h))
	}

	srv := start("127.0.0.1:0")
	if srv.MetricsAddr() == "" || srv.MetricsAddr() == srv.Addr() {
		t.Fatalf("metrics listener %q beside %q", srv.MetricsAddr(), srv.Addr())
	}
	if code, _ := get("http://" + srv.Addr() + "/healthz"); code != 200 {
		t.Fatalf("healthz: %d", code)
	}
	code, body := get("http://" + srv.MetricsAddr() + "/metrics")
	if code != 200 || !strings.Contains(body, `fenghuo_http_requests_total{method="GET",route="GET /healthz",status="200"} 1`) ||
		!strings.Contains(body, "go_goroutines") {
		t.Fatalf("metrics listener: %d\n%.2000s", code, body)
	}
	for _, path := range []string{"/metrics", "/metrics?x=1"} {
		if code, body := get("http://" + srv.Addr() + path); code != 401 || strings.Contains(body, "go_goroutines") {
			t.Errorf("console listener %s: %d %.200s", path, code, body)
		}
	}
	if code, body := get("http://" + srv.Addr() + "/metrics/"); code != 404 || strings.Contains(body, "go_goroutines") {
		t.Errorf("console listener /metrics/: %d %.200s", code, body)
	}
	// The metrics listener serves nothing else.
	if code, _ := get("http://" + srv.MetricsAddr() + "/healthz"); code != 404 {
		t.Errorf("metrics listener /healthz: %d", code)
	}
	if code, _ := get("http://" + srv.MetricsAddr() + "/login"); code != 404 {
		t.Errorf("metrics listener /login: %d", code)
	}

	plain := start("")
	if plain.MetricsAddr() != "" {
		t.Fatalf("metrics listener without one configured: %s", plain.MetricsAddr())
	}
	if code, _ := get("http://" + plain.Addr() + "/metrics"); code != 401 {
		t.Errorf("no metrics listener: the console answers anonymous /metrics with %d", code)
	}
}

// TestMetricsToken: on the console's listener /metrics answers a bearer
// API token with the metrics scope, and nobody else: 401 (with
// WWW-Authenticate) without a valid token, 403 for another scope, even
// admin. The metrics token does nothing in the API.
func TestMetricsToken(t *testing.T) {
	e := apptest.New(t)
	ctx := context.Background()
	h, err := server.NewHandler(e.App, server.HandlerOptions{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	admin, _ := e.User(t, "sys", "city", fenghuo.RoleSystemAdmin)
	reporter, _ := e.User(t, "rep", "school", fenghuo.RoleUnitReporter)
	token := func(u *fenghuo.User, scope auth.Scope) string {
		t.Helper()
		tok, _, err := e.App.Accounts.CreateAPIToken(ctx, e.Actor(t, u), "scraper", scope, 30)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	metricsTok, adminTok := token(admin, auth.ScopeMetrics), token(admin, auth.ScopeAdmin)
	if _, _, err := e.App.Accounts.CreateAPIToken(ctx, e.Actor(t, reporter), "scraper", auth.ScopeMetrics, 30); fenghuo.ErrorCode(err) != fenghuo.EINVALID {
		t.Fatalf("a reporter issued a metrics token: %v", err)
	}
	get := func(path, bearer string) (int, http.Header, string) {
		t.Helper()
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		if bearer != "" {
			req.Header.Set("Authorization", "Bearer "+bearer)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header, string(b)
	}
	code, hdr, body := get("/metrics", "")
	if code != 401 || hdr.Get("WWW-Authenticate") == "" || strings.Contains(body, "go_goroutines") {
		t.Errorf("anonymous: %d %v %.200s", code, hdr, body)
	}
	if code, _, body := get("/metrics", "fhk_not-a-token"); code != 401 || strings.Contains(body, "go_goroutines") {
		t.Errorf("a bad token: %d %.200s", code, body)
	}
	if code, _, body := get("/metrics", adminTok); code != 403 || strings.Contains(body, "go_goroutines") {
		t.Errorf("an admin-scope token: %d %.200s", code, body)
	}
	if code, _, body := get("/metrics", metricsTok); code != 200 || !strings.Contains(body, "go_goroutines") {
		t.Errorf("the metrics token: %d %.200s", code, body)
	}
	if code, _, body := get("/api/v1/me", metricsTok); code != 403 {
		t.Errorf("the metrics token in the API: %d %.200s", code, body)
	}
	if code, _, _ := get("/api/v1/me", adminTok); code != 200 {
		t.Errorf("the admin token in the API: %d", code)
	}
}
