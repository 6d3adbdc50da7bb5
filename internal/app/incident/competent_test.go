package incident_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"fenghuo/internal/app/incident"
	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/plan"
)

// competentFixture adds a county's departments and units to the fixture:
// the education bureau and the water authority (competent departments,
// each of its sector), the county public-security bureau, a water company
// and a government data bureau (no department of its sector).
func competentFixture(t *testing.T, e *apptest.Env) {
	t.Helper()
	ctx := context.Background()
	add := func(key, parent string, o fenghuo.Org) {
		o.ParentID = e.Orgs[parent].ID
		if err := e.DB.CreateOrg(ctx, &o); err != nil {
			t.Fatal(err)
		}
		e.Orgs[key] = &o
	}
	dept := func(name, sector string) fenghuo.Org {
		return fenghuo.Org{Name: name, Level: fenghuo.LevelDepartment, Type: fenghuo.OrgRegulator, Sector: sector, PlanRoles: []string{"competent_department"}}
	}
	add("edu", "county", dept("甲县教育局", "education"))
	add("waterauth", "county", dept("甲县水利局", "water"))
	add("police", "county", fenghuo.Org{Name: "甲县公安局", Level: fenghuo.LevelCounty, Type: fenghuo.OrgPublicSecurity, Sector: "public_security", PlanRoles: []string{"public_security"}})
	unit := func(name, sector string) fenghuo.Org {
		return fenghuo.Org{Name: name, Level: fenghuo.LevelUnit, Type: fenghuo.OrgOperator, Sector: sector, PlanRoles: []string{"operator"}}
	}
	add("water", "county", unit("甲县供水公司", "water"))
	add("data", "county", unit("甲县大数据局", "government"))
	add("school3", "edu", unit("甲县第三中学", "education"))
}

// recipients lists the names of the offices an incident's unit must report
// to under the county plan.
func recipients(obs []fenghuo.Obligation) []string {
	var out []string
	for _, o := range obs {
		if o.PlanID == "wushen-county" && o.Kind == incident.KindReport {
			out = append(out, o.RecipientName)
		}
	}
	return out
}

// Issue 11 item 6: the plan's competent department is the unit's declared
// supervisor, else its sector's department; when that is ambiguous the
// reporter is asked (the error lists the candidates) and the choice is
// where the report goes; nothing is guessed.
func TestCompetentDepartment(t *testing.T) {
	e := apptest.New(t)
	ctx := context.Background()
	competentFixture(t, e)
	facts := plan.Facts{"social_impact": "serious"} // grade II under the county plan
	open := func(key string) (*fenghuo.Incident, []fenghuo.Obligation, *fenghuo.User) {
		t.Helper()
		u, _ := e.User(t, "rep-"+key, key, fenghuo.RoleUnitReporter)
		ac := e.Actor(t, u)
		inc, err := e.App.Incidents.CreateIncident(ctx, ac, incident.IncidentInput{OrgID: e.Orgs[key].ID, Title: "勒索软件攻击",
			Category: "IAI", DiscoveredAt: e.Clock.Now(), OccurredAt: e.Clock.Now(), Facts: facts})
		if err != nil {
			t.Fatal(err)
		}
		obs, _ := e.App.Incidents.IncidentObligations(ctx, ac, inc.ID)
		return inc, obs, u
	}

	// The water company: by sector, to the water authority, not education.
	_, obs, _ := open("water")
	got := strings.Join(recipients(obs), ",")
	if !strings.Contains(got, "甲县水利局") || strings.Contains(got, "教育") || !strings.Contains(got, "甲县公安局") || !strings.Contains(got, "甲县委网信办") {
		t.Errorf("water company reports to %s", got)
	}
	// A school under the education bureau: its ancestor.
	_, obs, _ = open("school3")
	if got := strings.Join(recipients(obs), ","); !strings.Contains(got, "甲县教育局") {
		t.Errorf("school reports to %s", got)
	}

	// The data bureau: no department of its sector: asked.
	inc, obs, u := open("data")
	if got := strings.Join(recipients(obs), ","); strings.Contains(got, "教育") || strings.Contains(got, "水利") {
		t.Errorf("a department was guessed for the data bureau: %s", got)
	}
	ac := e.Actor(t, u)
	choices, err := e.App.Incidents.CompetentChoices(ctx, ac, inc.ID)
	if err != nil || len(choices) != 2 {
		t.Fatalf("choices %+v %v", choices, err)
	}
	_, err = e.App.Incidents.SubmitReport(ctx, ac, inc.ID, fullReport(fenghuo.ReportInitial))
	var fe *fenghuo.Error
	if !errors.As(err, &fe) || fe.Field != "competent_department_id" || !strings.Contains(fe.Message, "甲县教育局") || !strings.Contains(fe.Message, "甲县水利局") {
		t.Fatalf("report without a choice: %v", err)
	}
	bad := fullReport(fenghuo.ReportInitial)
	bad.CompetentDepartmentID = e.Orgs["police"].ID
	if _, err := e.App.Incidents.SubmitReport(ctx, ac, inc.ID, bad); !errors.As(err, &fe) || fe.Field != "competent_department_id" {
		t.Fatalf("report to a non-candidate: %v", err)
	}
	in := fullReport(fenghuo.ReportInitial)
	in.CompetentDepartmentID = e.Orgs["waterauth"].ID
	if _, err := e.App.Incidents.SubmitReport(ctx, ac, inc.ID, in); err != nil {
		t.Fatal(err)
	}
	_, ds, _ := e.App.Incidents.Reports(ctx, ac, inc.ID)
	sent := map[int64]bool{}
	for _, d := range ds {
		sent[d.ToOrgID] = true
	}
	if !sent[e.Orgs["waterauth"].ID] || sent[e.Orgs["edu"].ID] || !sent[e.Orgs["county"].ID] || !sent[e.Orgs["police"].ID] {
		t.Errorf("delivered to %v", sent)
	}
	if c, _ := e.App.Incidents.CompetentChoices(ctx, ac, inc.ID); len(c) != 0 {
		t.Errorf("still asked after the choice: %+v", c)
	}

	// Declared: the data bureau names the education bureau as its
	// supervisor (odd, but declared): its next incident goes there.
	admin, _ := e.User(t, "county-admin", "county", fenghuo.RoleSystemAdmin)
	adm := e.Actor(t, admin)
	data, _ := e.DB.Org(ctx, e.Orgs["data"].ID)
	data.SupervisorID = e.Orgs["police"].ID
	if err := e.App.Directory.UpdateOrg(ctx, adm, data); !errors.As(err, &fe) || fe.Field != "supervisor_id" {
		t.Fatalf("a police bureau accepted as supervisor: %v", err)
	}
	data.SupervisorID = e.Orgs["edu"].ID
	if err := e.App.Directory.UpdateOrg(ctx, adm, data); err != nil {
		t.Fatal(err)
	}
	e.Orgs["data"] = data
	inc2, err := e.App.Incidents.CreateIncident(ctx, ac, incident.IncidentInput{OrgID: data.ID, Title: "网站篡改", Category: "IAI",
		DiscoveredAt: e.Clock.Now(), Facts: facts})
	if err != nil {
		t.Fatal(err)
	}
	obs, _ = e.App.Incidents.IncidentObligations(ctx, ac, inc2.ID)
	if got := strings.Join(recipients(obs), ","); !strings.Contains(got, "甲县教育局") {
		t.Errorf("declared supervisor not used: %s", got)
	}
}
