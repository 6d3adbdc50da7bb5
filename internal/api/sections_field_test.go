package api_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"fenghuo/internal/app/incident"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/plan"
)

// An unknown section of an aftermath document is reported at its path in
// the request (sections.bogus) with the sections allowed, not as a bare
// top-level field "bogus".
func TestUnknownSectionNamesItsPath(t *testing.T) {
	e := newEnv(t)
	rep := e.user(t, "school-rep", "school", fenghuo.RoleUnitReporter)
	inc, err := e.App.Incidents.CreateIncident(context.Background(), e.Actor(t, rep), incident.IncidentInput{
		OrgID: e.Orgs["school"].ID, Title: "教务服务器被勒索病毒加密", Category: "MI", DiscoveredAt: e.Clock.Now(),
		Facts: plan.Facts{"social_impact": "serious"}})
	if err != nil {
		t.Fatal(err)
	}
	c := e.login(t, "school-rep")
	r := e.do(t, c, "PUT", fmt.Sprintf("/api/v1/incidents/%d/documents/recovery_plan", inc.ID),
		map[string]any{"sections": map[string]string{"situation": "已恢复", "bogus": "x"}})
	if r.Status != http.StatusBadRequest {
		t.Fatalf("status %d: %s", r.Status, r.Body)
	}
	if _, field := r.errBody(t); field != "sections.bogus" {
		t.Errorf("field %q, want sections.bogus", field)
	}
	for _, want := range []string{"situation", "goals", "measures", "safeguards"} {
		if !strings.Contains(string(r.Body), want) {
			t.Errorf("the message does not name the section %s: %s", want, r.Body)
		}
	}
}
