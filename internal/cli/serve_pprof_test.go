package cli

import (
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
)

// serve with --pprof-listen serves the profiler on that address, to no one
// without a token (the token checks are in internal/server), and not on the
// console's; --slow-query 1ns logs every statement as slow, with its SQL.
func TestServePprofAndSlowQuery(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	stop, out := startServeOut(t, "--data-dir", t.TempDir(), "--pprof-listen", addr, "--slow-query", "1ns")
	console := strings.TrimSpace(strings.TrimSuffix(strings.SplitN(strings.SplitN(out.String(), "running at ", 2)[1], " ", 2)[0], "/"))
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
	if code, body := get("http://" + addr + "/debug/pprof/"); code != 401 || strings.Contains(body, "goroutine") {
		t.Errorf("pprof listener, no token: %d %.200s", code, body)
	}
	if code, body := get(console + "/debug/pprof/"); code == 200 || strings.Contains(body, "goroutine") {
		t.Errorf("console %s/debug/pprof/: %d %.200s", console, code, body)
	}
	code, logs := stop()
	if code != 0 {
		t.Fatalf("serve exit %d: %s", code, logs)
	}
	if !strings.Contains(logs, "pprof="+addr) || !strings.Contains(logs, "slow database statement") || !strings.Contains(logs, "sql=") {
		t.Errorf("serve's log lacks the profiler's address or slow statements:\n%.3000s", logs)
	}
}
