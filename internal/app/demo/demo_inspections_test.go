package demo_test

import (
	"context"
	"testing"

	"fenghuo/internal/app"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// The demo region has a seed 000 self-inspection of 青溪县 that yielded
// findings for two units (issue 12 acceptance), with one unit half-way and
// the rest not started.
func TestDemoSelfInspectionYieldsFindingsForTwoUnits(t *testing.T) {
	e := storyEnv(t)
	ctx := context.Background()
	if _, err := e.App.Demo.SeedDemo(ctx); err != nil {
		t.Fatal(err)
	}
	res, err := e.DB.CampaignsVisible(ctx, "/", store.Page{})
	if err != nil || res.Total != 2 {
		t.Fatalf("campaigns: %+v %v", res, err)
	}
	// Newest first: the closed ransomware check, then the winter self-inspection.
	c := res.Items[1]
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

// The demo's second campaign was closed early with a reason: the first
// middle school submitted with its files and one critical finding, the
// others are unfinished (未完成) with their duties missed.
func TestDemoClosedInspection(t *testing.T) {
	e := storyEnv(t)
	ctx := context.Background()
	if _, err := e.App.Demo.SeedDemo(ctx); err != nil {
		t.Fatal(err)
	}
	res, err := e.DB.CampaignsVisible(ctx, "/", store.Page{})
	if err != nil || res.Total != 2 {
		t.Fatalf("campaigns: %+v %v", res, err)
	}
	c := res.Items[0]
	if c.State != fenghuo.CampaignClosed || c.CloseReason == "" || c.ChecklistID != "seed004-ransomware-hardening" {
		t.Fatalf("closed campaign %+v", c)
	}
	issuer, err := e.DB.Org(ctx, c.OrgID)
	if err != nil {
		t.Fatal(err)
	}
	ac := &app.Actor{User: fenghuo.User{Username: "t", Roles: []fenghuo.Role{fenghuo.RoleCommander}}, Org: *issuer, Via: "console"}
	sum, err := e.App.Inspections.Summary(ctx, ac, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if sum.OnTime != 1 || sum.Unfinished < 4 || sum.Findings != 1 || sum.BySeverity[0] != 1 {
		t.Errorf("summary: on time %d, unfinished %d, findings %d %v", sum.OnTime, sum.Unfinished, sum.Findings, sum.BySeverity)
	}
	for _, u := range sum.Units {
		if u.State != "on_time" {
			continue
		}
		form, err := e.App.Inspections.Form(ctx, ac, c.ID, u.OrgID)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range form.Items {
			if it.EvidenceFile && it.Answer.Answer == fenghuo.AnswerCompliant && len(it.Files) != 1 {
				t.Errorf("%s: %d files", it.ID, len(it.Files))
			}
		}
	}
}
