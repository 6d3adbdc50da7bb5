package demo_test

import (
	"context"
	"testing"

	"fenghuo/internal/app"
	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// The demo region has a seed 000 self-inspection of 青溪县 that yielded
// findings for two units (issue 12 acceptance), with one unit half-way and
// the rest not started.
func TestDemoSelfInspectionYieldsFindingsForTwoUnits(t *testing.T) {
	e := apptest.NewEmpty(t)
	ctx := context.Background()
	if _, err := e.App.Demo.SeedDemo(ctx); err != nil {
		t.Fatal(err)
	}
	res, err := e.DB.CampaignsVisible(ctx, "/", store.Page{})
	if err != nil || res.Total != 1 {
		t.Fatalf("campaigns: %+v %v", res, err)
	}
	c := res.Items[0]
	issuer, err := e.DB.Org(ctx, c.OrgID)
	if err != nil || issuer.ShortName != "青溪县委网信办" || c.ChecklistID != "seed000-self-inspection" {
		t.Fatalf("campaign %+v by %+v", c, issuer)
	}
	ac := &app.Actor{User: fenghuo.User{Username: "t", Roles: []fenghuo.Role{fenghuo.RoleCommander}}, Org: *issuer, Via: "console"}
	b, err := e.App.Inspections.Campaign(ctx, ac, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	withFindings, partial := 0, 0
	for _, u := range b.Units {
		if u.Findings > 0 {
			withFindings++
			if !u.Submitted() {
				t.Errorf("%s has findings but did not submit", u.OrgName)
			}
		}
		if !u.Submitted() && u.Answered > 0 {
			partial++
		}
	}
	if withFindings != 2 || b.Findings != 3 || b.Submitted != 2 || partial != 1 || len(b.Units) < 5 {
		t.Errorf("board: %d units, %d with findings, %d findings, %d submitted, %d partial", len(b.Units), withFindings, b.Findings, b.Submitted, partial)
	}
}
