package api_test

import (
	"fmt"
	"strings"
	"testing"

	"fenghuo/internal/fenghuo"
)

// TestLoginRetryAfterMatchesMessage: POST /api/v1/session, throttled,
// answers Retry-After with the wait its message states, in both languages
// (the sixth attempt, made during the 5 s wait, counts: 10 s).
func TestLoginRetryAfterMatchesMessage(t *testing.T) {
	e := newEnv(t)
	e.user(t, "victim", "school", fenghuo.RoleViewer)
	wrong := map[string]string{"username": "victim", "password": "Wrong-Password-123"}
	for range 5 {
		e.do(t, cred{}, "POST", "/api/v1/session", wrong).want(t, 401)
	}
	// Each refused attempt lengthens the wait; the message names the
	// Retry-After of its own answer, in the client's language.
	for i, c := range []struct{ lang, want string }{{"", "请%s秒后再试"}, {"en-US", "try again in %s seconds"}} {
		r := e.do(t, cred{lang: c.lang}, "POST", "/api/v1/session", wrong).want(t, 429)
		var body struct {
			Error struct{ Message string } `json:"error"`
		}
		r.json(t, &body)
		got := r.Header.Get("Retry-After")
		if want := fmt.Sprintf(c.want, got); (i == 0 && got != "10") || !strings.Contains(body.Error.Message, want) {
			t.Fatalf("Accept-Language %q: Retry-After %q with message %q, want %q", c.lang, got, body.Error.Message, want)
		}
	}
}
