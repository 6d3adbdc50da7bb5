package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"fenghuo/internal/fenghuo"
)

// TestConsoleThrottleSaysRetryAfter: a throttled log-in on the console
// answers 429 with Retry-After, and the message, in Chinese or English,
// states the same wait (it used to say "1 minute" beside Retry-After: 5).
// An attempt during the wait counts as a failure, so the wait doubles:
// 10 s after the sixth, 20 s after the seventh.
func TestConsoleThrottleSaysRetryAfter(t *testing.T) {
	e, srv := console(t)
	e.User(t, "alice", "school", fenghuo.RoleUnitReporter)
	c := browser(t)
	wrong := url.Values{"username": {"alice"}, "password": {"Wrong-Password-123"}}
	for i := range 5 {
		if resp, _ := post(t, c, srv, "/login", wrong); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d", i+1, resp.StatusCode)
		}
	}
	resp, body := post(t, c, srv, "/login", wrong)
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "10" || !strings.Contains(body, "尝试次数过多，请10秒后再试。") {
		t.Fatalf("throttled, in Chinese: %d Retry-After %q, body %s", resp.StatusCode, resp.Header.Get("Retry-After"), body)
	}
	u, _ := url.Parse(srv.URL)
	c.Jar.SetCookies(u, []*http.Cookie{{Name: "fh_lang", Value: "en", Path: "/"}})
	resp, body = post(t, c, srv, "/login", wrong)
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "20" || !strings.Contains(body, "Too many failed attempts: try again in 20 seconds.") {
		t.Fatalf("throttled, in English: %d Retry-After %q, body %s", resp.StatusCode, resp.Header.Get("Retry-After"), body)
	}
}
