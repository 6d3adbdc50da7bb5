package server_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"fenghuo/internal/apptest"
	"fenghuo/internal/server"
)

// TestMetricsOnTheirOwnListener runs the real server with a metrics
// listener: /metrics answers there (with the request counters and the Go
// runtime), and the console's listener answers 404 to anyone asking for it.
// Without a metrics listener it is served nowhere.
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
		srv := server.New(server.Options{Listen: "127.0.0.1:0", Logger: log, MetricsListen: metricsListen, Metrics: metrics}, h)
		if err := srv.Listen(); err != nil {
			t.Fatal(err)
		}
		ctx, stop := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- srv.Serve(ctx) }()
		t.Cleanup(func() {
			stop()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("Serve: %v", err)
				}
			case <-time.After(20 * time.Second):
				t.Error("the server did not stop")
			}
		})
		return srv
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
	for _, path := range []string{"/metrics", "/metrics/", "/metrics?x=1"} {
		if code, body := get("http://" + srv.Addr() + path); code != 404 || strings.Contains(body, "go_goroutines") {
			t.Errorf("console listener %s: %d %.200s", path, code, body)
		}
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
	if code, _ := get("http://" + plain.Addr() + "/metrics"); code != 404 {
		t.Errorf("no metrics listener: the console answers /metrics with %d", code)
	}
}
