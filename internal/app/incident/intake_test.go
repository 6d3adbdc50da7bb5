package incident_test

import (
	"context"
	"slices"
	"testing"

	"fenghuo/internal/app/incident"
	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/plan"
)

// Issue 13 item 5: the intake form asks for the facts the unit's plans
// test, and a broadcast fact only of a broadcast unit, even where the
// broadcast plan governs.
func TestIntakeFactsFollowPlansAndSector(t *testing.T) {
	e := apptest.New(t)
	ctx := context.Background()
	city, _ := e.User(t, "cityadm", "city", fenghuo.RoleDutyOfficer)
	ac := e.Actor(t, city)
	tv := &fenghuo.Org{ParentID: e.Orgs["county"].ID, Name: "甲县融媒体中心", Level: fenghuo.LevelUnit, Type: fenghuo.OrgOperator,
		Sector: "broadcast", PlanRoles: []string{"operator"}, PlanIDs: []string{"dandong-broadcast", "cac-2025"}}
	school := &fenghuo.Org{ParentID: e.Orgs["county"].ID, Name: "甲县第二中学", Level: fenghuo.LevelUnit, Type: fenghuo.OrgOperator,
		Sector: "education", PlanRoles: []string{"operator"}, PlanIDs: []string{"dandong-broadcast", "cac-2025"}}
	for _, o := range []*fenghuo.Org{tv, school} {
		if err := e.DB.CreateOrg(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	got := func(id int64) []string {
		keys, err := e.App.Incidents.IntakeFacts(ctx, ac, id)
		if err != nil {
			t.Fatal(err)
		}
		return keys
	}
	if k := got(tv.ID); !slices.Contains(k, "broadcast_interruption_scope") {
		t.Errorf("the broadcast unit is not asked about its signal: %v", k)
	}
	if k := got(school.ID); slices.Contains(k, "broadcast_interruption_scope") || slices.Contains(k, "broadcast_site_level") {
		t.Errorf("a school is asked about broadcast signals: %v", k)
	}
	county := got(e.Orgs["school"].ID) // wushen-county and cac-2025 (inherited)
	if len(county) == 0 || len(county) >= len(plan.FactDefs()) || !slices.Contains(county, "important_system") {
		t.Errorf("county school asked %v", county)
	}
	other, _ := e.User(t, "other", "county2", fenghuo.RoleDutyOfficer)
	if _, err := e.App.Incidents.IntakeFacts(ctx, e.Actor(t, other), tv.ID); fenghuo.ErrorCode(err) != fenghuo.ENOTFOUND {
		t.Errorf("an office outside the unit's tree read its facts: %v", err)
	}
}

// Every wrong field of a new incident comes back at once.
func TestCreateIncidentReportsAllErrors(t *testing.T) {
	e := apptest.New(t)
	ctx := context.Background()
	duty, _ := e.User(t, "duty", "county", fenghuo.RoleDutyOfficer)
	_, err := e.App.Incidents.CreateIncident(ctx, e.Actor(t, duty), incident.IncidentInput{OrgID: e.Orgs["school"].ID,
		Category: "NOPE", Channel: "phone", OccurredAt: e.Clock.Now(), DiscoveredAt: e.Clock.Now().Add(-1e9 * 3600),
		SystemIDs: []int64{999999}, Facts: plan.Facts{"people_affected": "many"}})
	fields := map[string]bool{}
	for _, fe := range fenghuo.FieldErrors(err) {
		fields[fe.Field] = true
	}
	for _, f := range []string{"title", "occurred_at", "caller", "category", "system_ids", "fact.people_affected"} {
		if !fields[f] {
			t.Errorf("no error for %s: %v", f, err)
		}
	}
	if err := e.App.Incidents.CheckIncident(ctx, e.Actor(t, duty), incident.IncidentInput{OrgID: e.Orgs["school"].ID, Title: "网站被篡改",
		DiscoveredAt: e.Clock.Now()}); err != nil {
		t.Errorf("a good input fails the check: %v", err)
	}
}
