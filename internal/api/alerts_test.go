package api_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"fenghuo/internal/app/intake"
	"fenghuo/internal/auth"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/ingest"
)

// actionDetector is a detector written for the tests: an event whose
// event.action is "logon-failed" matches, about its source address.
type actionDetector struct{}

func (actionDetector) Detect(ctx context.Context, src ingest.Source, ev *ingest.Event) []ingest.Match {
	if ev.Str("event.action") != "logon-failed" {
		return nil
	}
	return []ingest.Match{{Kind: ingest.MatchSigma, RuleID: "api-test-bruteforce", Title: "口令暴力破解", Level: "high",
		Tags: []string{"attack.t1110"}, Entity: "source.ip=" + ev.Str("source.ip")}}
}

func TestAlertIntakeOverHTTP(t *testing.T) {
	e := newEnv(t)
	e.App.Intake = intake.New(e.App.Core, e.App.Incidents, actionDetector{})
	reporter := e.user(t, "hq-reporter", "city", fenghuo.RoleUnitReporter)
	c := e.login(t, "hq-reporter")

	// Register a sensor: the token is in the answer once.
	var created struct {
		ID        int64    `json:"id"`
		Token     string   `json:"token"`
		TokenHint string   `json:"token_hint"`
		Addresses []string `json:"addresses"`
	}
	e.do(t, c, "POST", "/api/v1/intake-sources", map[string]any{"org_id": reporter.OrgID, "name": "wazuh-manager", "kind": "wazuh",
		"addresses": []string{"192.0.2.1"}, "mapping": map[string]any{"fields": map[string]string{"src": "source.ip"}}}).want(t, http.StatusCreated).json(t, &created)
	if !strings.HasPrefix(created.Token, "fhi_") || !strings.HasPrefix(created.Token, created.TokenHint) || created.Addresses[0] != "192.0.2.1/32" {
		t.Fatalf("created %+v", created)
	}
	r := e.do(t, c, "GET", fmt.Sprintf("/api/v1/intake-sources/%d", created.ID), nil).want(t, http.StatusOK)
	if strings.Contains(string(r.Body), created.Token) || strings.Contains(string(r.Body), `"token"`) {
		t.Fatalf("the token is shown again: %s", r.Body)
	}

	// Without a token, with a user's API token, or with a wrong one: 401.
	api, _ := e.token(t, reporter, auth.ScopeWrite, 30)
	wrong := created.Token[:len(created.Token)-2] + "aa" // changed at its end
	if strings.HasSuffix(created.Token, "aa") {
		wrong = created.Token[:len(created.Token)-2] + "bb"
	}
	for _, cr := range []cred{{}, c, {token: api}, {token: wrong}} {
		r := e.do(t, cr, "POST", "/api/v1/alerts", map[string]any{"message": "x"}).want(t, http.StatusUnauthorized)
		if code, _ := r.errBody(t); code != "unauthorized" || !strings.Contains(string(r.Body), "接入令牌") {
			t.Fatalf("401 should say how to send an intake token: %s", r.Body)
		}
	}

	// NDJSON with one bad line: the others are committed before the answer.
	var lines []string
	for i := 0; i < 20; i++ {
		lines = append(lines, fmt.Sprintf(`{"@timestamp":"2026-11-20T01:0%d:%02dZ","event":{"action":"logon-failed"},"source":{"ip":"203.0.113.9"},"user":{"name":"zhang"}}`, i/10, i%10*5))
	}
	lines = append(lines[:3], append([]string{`{"broken":`}, lines[3:]...)...)
	body := rawBody{"application/x-ndjson", []byte(strings.Join(lines, "\n") + "\n")}
	var res struct {
		Accepted int `json:"accepted"`
		Rejected []struct {
			Line    int    `json:"line"`
			Message string `json:"message"`
		} `json:"rejected"`
	}
	e.do(t, cred{token: created.Token}, "POST", "/api/v1/alerts", body).want(t, http.StatusOK).json(t, &res)
	if res.Accepted != 20 || len(res.Rejected) != 1 || res.Rejected[0].Line != 4 || res.Rejected[0].Message == "" {
		t.Fatalf("intake answer %+v", res)
	}
	// A JSON array and a single object are batches too.
	e.do(t, cred{token: created.Token}, "POST", "/api/v1/alerts?format=generic", `[{"message":"a"},{"message":"b"}]`).want(t, http.StatusOK).json(t, &res)
	if res.Accepted != 2 || len(res.Rejected) != 0 {
		t.Fatalf("array: %+v", res)
	}
	e.do(t, cred{token: created.Token}, "POST", "/api/v1/alerts?format=nope", `{"message":"a"}`).want(t, http.StatusBadRequest)

	// Too large: 413.
	huge := rawBody{"application/x-ndjson", []byte(strings.Repeat(`{"message":"padding padding padding padding"}`+"\n", 400000))}
	if r := e.do(t, cred{token: created.Token}, "POST", "/api/v1/alerts", huge); r.Status != http.StatusRequestEntityTooLarge {
		t.Fatalf("oversized batch: %d %.200s", r.Status, r.Body)
	}

	// The events are searchable, and the 20 failures are one alert group.
	var events struct {
		Items []struct {
			ID     int64          `json:"id"`
			Fields map[string]any `json:"fields"`
		} `json:"items"`
		Next string `json:"next"`
	}
	e.do(t, c, "GET", "/api/v1/events?user.name=zhang&limit=15&from=2026-11-19T00:00:00Z", nil).want(t, http.StatusOK).json(t, &events)
	if len(events.Items) != 15 || events.Next == "" || events.Items[0].Fields["source.ip"] != "203.0.113.9" {
		t.Fatalf("events page 1: %d items, next %q", len(events.Items), events.Next)
	}
	e.do(t, c, "GET", "/api/v1/events?user.name=zhang&limit=15&from=2026-11-19T00:00:00Z&cursor="+events.Next, nil).want(t, http.StatusOK).json(t, &events)
	if len(events.Items) != 5 || events.Next != "" {
		t.Fatalf("events page 2: %d items, next %q", len(events.Items), events.Next)
	}
	e.do(t, c, "GET", "/api/v1/events?message=a", nil).want(t, http.StatusOK).json(t, &events)
	if len(events.Items) != 1 {
		t.Fatalf("JSON field search: %d items", len(events.Items))
	}
	var groups struct {
		Items []struct {
			ID    int64  `json:"id"`
			Count int    `json:"count"`
			State string `json:"state"`
		} `json:"items"`
		Total  int `json:"total"`
		Facets struct {
			State map[string]int `json:"state"`
			Level map[string]int `json:"level"`
		} `json:"facets"`
	}
	e.do(t, c, "GET", "/api/v1/alert-groups?alert_state=open&alert_level=high", nil).want(t, http.StatusOK).json(t, &groups)
	if groups.Total != 1 || groups.Items[0].Count != 20 || groups.Facets.State["open"] != 1 || groups.Facets.Level["high"] != 1 {
		t.Fatalf("groups %+v", groups)
	}
	id := groups.Items[0].ID
	var detail struct {
		Category string `json:"category"`
		Events   []any  `json:"events"`
	}
	e.do(t, c, "GET", fmt.Sprintf("/api/v1/alert-groups/%d", id), nil).want(t, http.StatusOK).json(t, &detail)
	if detail.Category != "NA06" || len(detail.Events) != 20 {
		t.Fatalf("detail %+v", detail)
	}

	// Triage over HTTP: dismiss needs a reason; promote opens a draft.
	r = e.do(t, c, "POST", fmt.Sprintf("/api/v1/alert-groups/%d/dismiss", id), map[string]any{"reason": ""}).want(t, http.StatusBadRequest)
	if _, field := r.errBody(t); field != "reason" {
		t.Fatalf("dismiss without a reason names %q", field)
	}
	var promo struct {
		Group struct {
			State      string `json:"state"`
			IncidentID int64  `json:"incident_id"`
		} `json:"group"`
		IncidentID int64  `json:"incident_id"`
		Category   string `json:"category"`
	}
	e.do(t, c, "POST", fmt.Sprintf("/api/v1/alert-groups/%d/promote", id), nil).want(t, http.StatusOK).json(t, &promo)
	if promo.Group.State != "promoted" || promo.IncidentID == 0 || promo.Group.IncidentID != promo.IncidentID || promo.Category != "NA06" {
		t.Fatalf("promotion %+v", promo)
	}
	var inc struct {
		Status   string `json:"status"`
		Category string `json:"category"`
		OrgID    int64  `json:"org_id"`
	}
	e.do(t, c, "GET", fmt.Sprintf("/api/v1/incidents/%d", promo.IncidentID), nil).want(t, http.StatusOK).json(t, &inc)
	if inc.Status != "draft" || inc.Category != "NA06" || inc.OrgID != reporter.OrgID {
		t.Fatalf("incident %+v", inc)
	}
	e.do(t, c, "POST", fmt.Sprintf("/api/v1/alert-groups/%d/promote", id), nil).want(t, http.StatusConflict)

	// Revoked: the token stops at once.
	e.do(t, c, "DELETE", fmt.Sprintf("/api/v1/intake-sources/%d", created.ID), nil).want(t, http.StatusNoContent)
	e.do(t, cred{token: created.Token}, "POST", "/api/v1/alerts", `{"message":"late"}`).want(t, http.StatusUnauthorized)
}
