package api_test

import (
	"context"
	"testing"
	"time"

	"fenghuo/internal/app/incident"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/plan"
)

// GET /api/v1/reporting-signals: per unit of the caller's subtree, the
// late, missed and suspected-concealment counts of a period.
func TestReportingSignalsAPI(t *testing.T) {
	e := newEnv(t)
	duty := e.user(t, "duty", "county", fenghuo.RoleDutyOfficer)
	c := e.login(t, "duty")
	// The county opens an incident of the school five hours after its
	// discovery: the school's 4-hour report was due, so it is a suspected 瞒报.
	if _, err := e.App.Incidents.CreateIncident(context.Background(), e.Actor(t, duty), incident.IncidentInput{OrgID: e.Orgs["school"].ID,
		Title: "上级通报的网站篡改", DiscoveredAt: e.Clock.Now().Add(-5 * time.Hour), Facts: plan.Facts{"social_impact": "relatively_serious"}}); err != nil {
		t.Fatal(err)
	}
	day := e.Clock.Now().Format("2006-01-02")
	var out listOut[struct {
		OrgID   int64 `json:"org_id"`
		Late    int   `json:"late"`
		Missed  int   `json:"missed"`
		Conceal int   `json:"concealment"`
	}]
	e.do(t, c, "GET", "/api/v1/reporting-signals?from="+day+"&to="+day, nil).want(t, 200).json(t, &out)
	if out.Total != 1 || out.Items[0].OrgID != e.Orgs["school"].ID || out.Items[0].Conceal != 1 || out.Items[0].Missed != 1 {
		t.Fatalf("signals: %+v", out)
	}
	wantField(t, e.do(t, c, "GET", "/api/v1/reporting-signals?from=2026-13-01", nil), "from")
	wantField(t, e.do(t, c, "GET", "/api/v1/reporting-signals?from="+day+"&to=2020-01-01", nil), "to")
}
