package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"fenghuo/internal/app/incident"
	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/plan"
)

// The reporting page counts late, missed and suspected concealment per unit
// over the chosen period, in words; a malformed day is a message next to
// its field with the page still there; the org tree shows the counts on the
// unit's row.
func TestReportingSignalsPage(t *testing.T) {
	e, srv := console(t)
	duty, _ := e.User(t, "county-duty", "county", fenghuo.RoleDutyOfficer)
	if _, err := e.App.Incidents.CreateIncident(context.Background(), e.Actor(t, duty), incident.IncidentInput{OrgID: e.Orgs["school"].ID,
		Title: "上级通报的网站篡改", DiscoveredAt: e.Clock.Now().Add(-5 * time.Hour), Facts: plan.Facts{"social_impact": "relatively_serious"}}); err != nil {
		t.Fatal(err)
	}
	c := browser(t)
	login(t, c, srv, "county-duty", apptest.Password)
	day := e.Clock.Now().Format("2006-01-02")
	resp, body := get(t, c, srv, "/reporting?from="+day+"&to="+day)
	if resp.StatusCode != 200 || !strings.Contains(body, `id="signals-table"`) || !strings.Contains(body, "疑似瞒报") {
		t.Fatalf("reporting page: %d %.500s", resp.StatusCode, body)
	}
	row := body[strings.Index(body, `id="signals-table"`):]
	if !strings.Contains(row, e.Orgs["school"].Name) || !strings.Contains(row, `<span class="badge bad">1</span>`) {
		t.Errorf("signals table: %.800s", row)
	}
	resp, body = get(t, c, srv, "/reporting?from=2026-02-31")
	if resp.StatusCode != 400 || !strings.Contains(body, "开始日期格式为YYYY-MM-DD") || strings.Contains(body, "from:") {
		t.Errorf("bad day: %d %.300s", resp.StatusCode, body)
	}
	_, body = get(t, c, srv, "/orgs")
	if !strings.Contains(body, `class="signals"`) || !strings.Contains(body, "疑似瞒报 1") {
		t.Errorf("org tree has no signals on the school's row")
	}
}
