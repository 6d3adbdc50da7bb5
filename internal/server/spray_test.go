package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/server"
)

// TestPasswordSprayingOverHTTP: behind a trusted proxy, 40 names tried at
// once from one client address get 20 checked answers (401) and 20 refusals
// (429, Retry-After equal to the wait the message states); the right
// password from that address waits too, while another client address logs
// in. X-Forwarded-For from the proxy names the clients.
func TestPasswordSprayingOverHTTP(t *testing.T) {
	e := apptest.New(t)
	e.User(t, "alice", "school", fenghuo.RoleUnitReporter)
	h, err := server.NewHandler(e.App, server.HandlerOptions{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		TrustedProxies: []string{"127.0.0.1", "::1"}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	login := func(client, name, password string) (int, string, string) {
		body, _ := json.Marshal(map[string]string{"username": name, "password": password})
		req, _ := http.NewRequest("POST", srv.URL+"/api/v1/session", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Forwarded-For", client)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Error(err)
			return 0, "", ""
		}
		defer resp.Body.Close()
		var out struct {
			Error struct{ Message string } `json:"error"`
		}
		json.NewDecoder(resp.Body).Decode(&out)
		return resp.StatusCode, resp.Header.Get("Retry-After"), out.Error.Message
	}
	var mu sync.Mutex
	codes := map[int]int{}
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			code, _, _ := login("203.0.113.9", fmt.Sprintf("user%02d", i), "Spring2026!")
			mu.Lock()
			codes[code]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	if codes[401] != 20 || codes[429] != 20 {
		t.Fatalf("40 names from one address: %v, want 20 × 401 and 20 × 429", codes)
	}
	code, retry, msg := login("203.0.113.9", "alice", apptest.Password)
	if code != 429 || retry != "60" || !strings.Contains(msg, "请1分钟后再试") || strings.Contains(msg, "try again") {
		t.Fatalf("alice from the spraying address: %d, Retry-After %q, %q", code, retry, msg)
	}
	if code, _, msg := login("198.51.100.1", "alice", apptest.Password); code != 200 {
		t.Fatalf("alice from another address: %d %s", code, msg)
	}
}
