package api_test

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"fenghuo/internal/fenghuo"
)

// The IOC library over the API: a city imports a STIX bundle (the body is
// the document), reads the summary, a second import changes nothing, the
// county's unit lists and exports the AMBER domain, the other county's
// school does not see it; a bad value answers 400 naming the field; a
// revoke leaves the list.
func TestIndicatorsImportListExport(t *testing.T) {
	e := newEnv(t)
	e.Clock.Set(time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC))
	e.user(t, "ioc-city", "city", fenghuo.RoleAnalyst)
	e.user(t, "ioc-school", "school", fenghuo.RoleUnitReporter)
	e.user(t, "ioc-school2", "school2", fenghuo.RoleUnitReporter)
	city, school, school2 := e.login(t, "ioc-city"), e.login(t, "ioc-school"), e.login(t, "ioc-school2")
	bundle, err := os.ReadFile("testdata/city-bundle.json")
	if err != nil {
		t.Fatal(err)
	}
	// The county's subtree only: the bundle is imported for the city's
	// county, so AMBER stays under it.
	path := fmt.Sprintf("/api/v1/indicators/import?org_id=%d", e.Orgs["county"].ID)
	r := e.do(t, city, "POST", path, string(bundle))
	if r.Status != 200 {
		t.Fatalf("import: %d %s", r.Status, r.Body)
	}
	var res struct {
		Format    string `json:"format"`
		Added     int    `json:"added"`
		Unchanged int    `json:"unchanged"`
		Skipped   []struct{ Object, Reason string }
	}
	if err := json.Unmarshal(r.Body, &res); err != nil || res.Format != "stix" || res.Added != 7 || len(res.Skipped) != 2 ||
		res.Skipped[0].Object != "indicator--0f7e3c42-9a51-4a7d-b3a4-1c2d3e4f5a6b" {
		t.Fatalf("import result %+v %v: %s", res, err, r.Body)
	}
	r = e.do(t, city, "POST", path, string(bundle))
	if err := json.Unmarshal(r.Body, &res); err != nil || res.Added != 0 || res.Unchanged != 7 {
		t.Fatalf("second import %+v: %s", res, r.Body)
	}
	r = e.do(t, school, "GET", "/api/v1/indicators?indicator_type=domain&tlp=AMBER", nil)
	if r.Status != 200 || !strings.Contains(string(r.Body), `"value":"login-update.example.net"`) || !strings.Contains(string(r.Body), `"total":1`) {
		t.Fatalf("school list: %d %s", r.Status, r.Body)
	}
	var list struct {
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
	}
	json.Unmarshal(r.Body, &list)
	r = e.do(t, school2, "GET", "/api/v1/indicators?limit=500", nil)
	if strings.Contains(string(r.Body), "login-update.example.net") || !strings.Contains(string(r.Body), "203.0.113.66") {
		t.Errorf("the other county's school: %s", r.Body)
	}
	if r := e.do(t, school2, "GET", fmt.Sprintf("/api/v1/indicators/%d", list.Items[0].ID), nil); r.Status != 404 {
		t.Errorf("the other county's school reads the AMBER indicator: %d", r.Status)
	}
	r = e.do(t, school, "GET", "/api/v1/indicators/export?format=stix", nil)
	if r.Status != 200 || !strings.Contains(string(r.Body), `"type": "bundle"`) || !strings.Contains(string(r.Body), "[domain-name:value = 'login-update.example.net']") ||
		!strings.Contains(string(r.Body), "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421") {
		t.Errorf("export: %d %.300s", r.Status, r.Body)
	}
	r = e.do(t, school, "POST", "/api/v1/indicators", map[string]any{"type": "ipv4", "value": "999.1.1.1", "tlp": "AMBER"})
	if r.Status != 400 || !strings.Contains(string(r.Body), `"field":"value"`) {
		t.Errorf("bad value: %d %s", r.Status, r.Body)
	}
	r = e.do(t, school, "POST", "/api/v1/indicators", map[string]any{"type": "ipv4", "value": "203.0.113.9", "tlp": "AMBER+STRICT"})
	if r.Status != 201 {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	var made struct {
		ID int64 `json:"id"`
	}
	json.Unmarshal(r.Body, &made)
	if r := e.do(t, school, "PATCH", fmt.Sprintf("/api/v1/indicators/%d", made.ID), map[string]any{"confidence": 95}); r.Status != 200 ||
		!strings.Contains(string(r.Body), `"confidence":95`) {
		t.Errorf("patch: %d %s", r.Status, r.Body)
	}
	if r := e.do(t, school, "DELETE", fmt.Sprintf("/api/v1/indicators/%d", made.ID), nil); r.Status != 204 {
		t.Errorf("revoke: %d %s", r.Status, r.Body)
	}
	if r := e.do(t, school, "GET", "/api/v1/indicators?indicator_type=ipv4&limit=500", nil); strings.Contains(string(r.Body), "203.0.113.9\"") {
		t.Errorf("revoked still listed: %s", r.Body)
	}
	if r := e.do(t, city, "POST", "/api/v1/indicators/import", `{"type":"report"}`); r.Status != 400 {
		t.Errorf("not a bundle: %d %s", r.Status, r.Body)
	}
}
