package api_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"fenghuo/internal/fenghuo"
)

func TestAudit(t *testing.T) {
	e := newEnv(t)
	e.user(t, "ana", "county", fenghuo.RoleAnalyst)
	e.user(t, "aud", "county", fenghuo.RoleAuditAdmin)
	ana, aud := e.login(t, "ana"), e.login(t, "aud")
	e.do(t, ana, "POST", "/api/v1/systems", map[string]any{"org_id": e.Orgs["school"].ID, "name": "门户"}).want(t, 201)

	var l listOut[struct {
		Action string         `json:"action"`
		OrgID  int64          `json:"org_id"`
		Detail map[string]any `json:"detail"`
	}]
	e.do(t, aud, "GET", "/api/v1/audit?action=system.create&outcome=success", nil).want(t, 200).json(t, &l)
	if l.Total != 1 || l.Items[0].Detail["name"] != "门户" || l.Items[0].OrgID != e.Orgs["county"].ID {
		t.Fatalf("audit: %+v", l)
	}
	e.do(t, aud, "GET", "/api/v1/audit?from=2026-11-20T00:00:00%2B08:00&to=2026-11-21T00:00:00%2B08:00", nil).want(t, 200).json(t, &l)
	if l.Total == 0 {
		t.Fatal("time window finds nothing")
	}
	wantField(t, e.do(t, aud, "GET", "/api/v1/audit?from=yesterday", nil), "from")
	wantField(t, e.do(t, aud, "GET", "/api/v1/audit?actor_id=me", nil), "actor_id")
	e.do(t, ana, "GET", "/api/v1/audit", nil).want(t, 403)

	var v struct {
		OK      bool   `json:"ok"`
		Checked int64  `json:"checked"`
		Last    string `json:"last"`
		Problem any    `json:"problem"`
	}
	e.do(t, aud, "POST", "/api/v1/audit/verify", nil).want(t, 200).json(t, &v)
	if !v.OK || v.Checked == 0 || v.Problem != nil || !strings.Contains(v.Last, ":") {
		t.Fatalf("verify: %+v", v)
	}
}

func TestPlans(t *testing.T) {
	e := newEnv(t)
	e.user(t, "duty", "county", fenghuo.RoleDutyOfficer)
	c := e.login(t, "duty")

	var l listOut[struct{ ID string }]
	e.do(t, c, "GET", "/api/v1/plans", nil).want(t, 200).json(t, &l)
	if l.Total == 0 || l.Total != len(l.Items) {
		t.Fatalf("plans: %+v", l)
	}
	var p struct{ ID string }
	e.do(t, c, "GET", "/api/v1/plans/cac-2025", nil).want(t, 200).json(t, &p)
	if p.ID != "cac-2025" {
		t.Fatalf("plan: %+v", p)
	}
	e.do(t, c, "GET", "/api/v1/plans/no-such-plan", nil).want(t, 404)

	var g struct {
		Plan    string `json:"plan"`
		Grade   string `json:"grade"`
		Clauses []any  `json:"clauses"`
	}
	e.do(t, c, "POST", "/api/v1/grade", map[string]any{"plan": "cac-2025", "facts": map[string]any{"cii": true, "outage_minutes": 600}}).
		want(t, 200).json(t, &g)
	if g.Plan != "cac-2025" || g.Grade == "" {
		t.Fatalf("grade: %+v", g)
	}
	wantField(t, e.do(t, c, "POST", "/api/v1/grade", map[string]any{"plan": "cac-2025", "facts": map[string]any{"outage_hours": 1}}), "facts.outage_hours")
	wantField(t, e.do(t, c, "POST", "/api/v1/grade", map[string]any{"plan": "cac-2025", "facts": map[string]any{"cii": "yes"}}), "facts.cii")
	wantField(t, e.do(t, c, "POST", "/api/v1/grade", map[string]any{"plan": "nope"}), "plan")
	wantField(t, e.do(t, c, "POST", "/api/v1/grade", map[string]any{"plan": "cac-2025", "category": "nope"}), "category")
}

// TestRequestErrors: every malformed request gets a 400 that says what to
// fix, and every answer is JSON with Cache-Control: no-store.
func TestRequestErrors(t *testing.T) {
	e := newEnv(t)
	e.user(t, "cmd", "county", fenghuo.RoleCommander)
	c := e.login(t, "cmd")
	parent := e.Orgs["county"].ID

	lang := "en-GB,en;q=0.9"
	raw := func(contentType, body string) resp {
		req := httptest.NewRequest("POST", "/api/v1/orgs", strings.NewReader(body))
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		req.AddCookie(&http.Cookie{Name: "fh_session", Value: c.cookie})
		req.Header.Set("Accept-Language", lang)
		rec := httptest.NewRecorder()
		e.h.ServeHTTP(rec, req)
		return resp{Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
	}
	valid := `{"parent_id":` + itoa(parent) + `,"name":"x","level":"unit","type":"operator"}`
	for _, tc := range []struct {
		name, contentType, body, field, mention string
	}{
		{"form content type", "application/x-www-form-urlencoded", "name=x", "", "Content-Type"},
		{"no content type", "", valid, "", "Content-Type"},
		{"bad JSON", "application/json", `{"name":`, "", "JSON"},
		{"syntax error", "application/json", `{"name" "x"}`, "", "JSON"},
		{"empty body", "application/json", ``, "", "empty"},
		{"unknown field", "application/json", `{"parent_id":1,"colour":"red"}`, "colour", "colour"},
		{"wrong type", "application/json", `{"parent_id":"one"}`, "parent_id", "number"},
		{"two values", "application/json", valid + valid, "", "one JSON object"},
		{"over 1 MB", "application/json", `{"name":"` + strings.Repeat("x", 1<<20) + `"}`, "", "larger"},
	} {
		r := raw(tc.contentType, tc.body)
		if r.Status != 400 {
			t.Errorf("%s: status %d: %s", tc.name, r.Status, r.Body)
			continue
		}
		code, field := r.errBody(t)
		if code != fenghuo.EINVALID || field != tc.field || !strings.Contains(string(r.Body), tc.mention) {
			t.Errorf("%s: %s", tc.name, r.Body)
		}
	}
	// The same answers in Chinese, the default: one language per answer.
	lang = ""
	if r := raw("application/json", ``); !strings.Contains(string(r.Body), "请求体为空") || strings.Contains(string(r.Body), "empty") {
		t.Errorf("empty body without Accept-Language: %s", r.Body)
	}
	raw("application/json; charset=utf-8", valid).want(t, 201)

	r := e.do(t, c, "GET", "/api/v1/nothing-here", nil).want(t, 404)
	if code, _ := r.errBody(t); code != fenghuo.ENOTFOUND {
		t.Fatalf("unknown route: %s", r.Body)
	}
	r = e.do(t, c, "DELETE", "/api/v1/orgs", nil).want(t, 405)
	if r.Header.Get("Allow") != "GET, POST" {
		t.Fatalf("Allow: %q", r.Header.Get("Allow"))
	}
	r.errBody(t)
	r = e.do(t, cred{}, "GET", "/api/v1/openapi.json", nil).want(t, 200)
	if !json.Valid(r.Body) {
		t.Fatal("openapi.json is not JSON")
	}
}

func itoa(n int64) string { b, _ := json.Marshal(n); return string(b) }

// A nested object's path names its parent and itself; either one that is not
// a positive number names no object, and the answer says which.
func TestNestedPathIDs(t *testing.T) {
	e := newEnv(t)
	e.user(t, "ana", "county", fenghuo.RoleAnalyst)
	ana := e.login(t, "ana")
	ana.lang = "en"
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
