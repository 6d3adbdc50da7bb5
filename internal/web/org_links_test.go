package web_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
)

// A unit's org page names its supervising department (a sector
// regulator outside the unit's subtree) as plain text: the unit may not
// open that department's page (it answers 404), so no link to it is
// offered; the county office, which may, gets the link. Every regulator
// is labelled by its type in neutral words, not as a cyberspace affairs
// office (教育体育局 is not a 网信部门).
func TestOrgPageLinksOnlyOpenableOrgs(t *testing.T) {
	e, srv := console(t)
	ctx := context.Background()
	edu := &fenghuo.Org{ParentID: e.Orgs["county"].ID, Name: "甲县教育体育局", Level: fenghuo.LevelCounty, Type: fenghuo.OrgRegulator}
	if err := e.DB.CreateOrg(ctx, edu); err != nil {
		t.Fatal(err)
	}
	school := e.Orgs["school"]
	school.SupervisorID = edu.ID
	if err := e.DB.UpdateOrg(ctx, school); err != nil {
		t.Fatal(err)
	}
	e.User(t, "school-viewer", "school", fenghuo.RoleUnitReporter)
	e.User(t, "county-duty-x", "county", fenghuo.RoleDutyOfficer)
	link := `href="/orgs/` + strconv.FormatInt(edu.ID, 10) + `"`
	page := "/orgs/" + strconv.FormatInt(school.ID, 10)

	unit := browser(t)
	login(t, unit, srv, "school-viewer", apptest.Password)
	if resp, _ := get(t, unit, srv, "/orgs/"+strconv.FormatInt(edu.ID, 10)); resp.StatusCode != 404 {
		t.Fatalf("the unit opens the department's page: %d", resp.StatusCode)
	}
	resp, body := get(t, unit, srv, page)
	if resp.StatusCode != 200 || !strings.Contains(body, "甲县教育体育局") {
		t.Fatalf("unit's org page %d lacks its supervisor", resp.StatusCode)
	}
	if strings.Contains(body, link) {
		t.Errorf("the unit's page links the department it may not open")
	}

	county := browser(t)
	login(t, county, srv, "county-duty-x", apptest.Password)
	_, body = get(t, county, srv, page)
	if !strings.Contains(body, link) {
		t.Errorf("the county office gets no link to the department")
	}
	_, body = get(t, county, srv, "/orgs/"+strconv.FormatInt(e.Orgs["county"].ID, 10))
	if strings.Contains(body, "网信部门") || !strings.Contains(body, "监管部门") {
		t.Errorf("a regulator is labelled as a cyberspace affairs office")
	}
}
