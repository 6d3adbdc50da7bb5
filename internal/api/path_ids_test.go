package api_test

import (
	"strings"
	"testing"

	"fenghuo/internal/fenghuo"
)

// A nested object's path names its parent and itself; either one that is not
// a positive number names no object, and the answer says which.
func TestNestedPathIDs(t *testing.T) {
	e := newEnv(t)
	e.user(t, "ana", "county", fenghuo.RoleAnalyst)
	ana := e.login(t, "ana")
	for _, c := range []struct{ method, path, names string }{
		{"POST", "/api/v1/incidents/x/documents/versions/1/submit", `id "x"`},
		{"POST", "/api/v1/incidents/1/documents/versions/0/submit", `doc "0"`},
		{"POST", "/api/v1/incidents/1/documents/versions/-2/decision", `doc "-2"`},
		{"GET", "/api/v1/incidents/1/documents/versions/v1/pdf", `doc "v1"`},
		{"POST", "/api/v1/incidents/0/improvements/abc/finish", `id "0"`},
		{"POST", "/api/v1/incidents/1/improvements/abc/finish", `mid "abc"`},
	} {
		r := e.do(t, ana, c.method, c.path, map[string]string{})
		if r.Status != 404 {
			t.Errorf("%s %s: status %d, want 404: %s", c.method, c.path, r.Status, r.Body)
			continue
		}
		if code, _ := r.errBody(t); code != fenghuo.ENOTFOUND || !strings.Contains(string(r.Body), "No object with "+strings.ReplaceAll(c.names, `"`, `\"`)) {
			t.Errorf("%s %s: %s, want %s named", c.method, c.path, r.Body, c.names)
		}
	}
}
