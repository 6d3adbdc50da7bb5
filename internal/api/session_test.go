package api_test

import (
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
	r := e.do(t, cred{}, "POST", "/api/v1/session", wrong).want(t, 429)
	var body struct {
		Error struct{ Message string } `json:"error"`
	}
	r.json(t, &body)
	if got := r.Header.Get("Retry-After"); got != "10" ||
		!strings.Contains(body.Error.Message, "try again in 10 seconds") || !strings.Contains(body.Error.Message, "请10秒后再试") {
		t.Fatalf("Retry-After %q with message %q", got, body.Error.Message)
	}
}
