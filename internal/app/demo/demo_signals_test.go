package demo_test

import (
	"context"
	"strings"
	"testing"

	"fenghuo/internal/app/incident"
	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/plan"
	"fenghuo/internal/store"
)

// The issue-11 acceptance routing in the demo region: a ransomware incident
// at the county water-supply company under wushen-county, grade II, is to be
// reported to the county 网信办, the county public-security bureau and the
// water authority — not the education bureau.
func TestDemoWaterCompanyRoutesToWaterAuthority(t *testing.T) {
	e := apptest.NewEmpty(t)
	ctx := context.Background()
	if _, err := e.App.Demo.SeedDemo(ctx); err != nil {
		t.Fatal(err)
	}
	res, err := e.DB.SubtreeOrgs(ctx, 0, store.OrgFilter{Query: "青溪县供排水公司"}, store.Page{Limit: 5})
	if err != nil || len(res.Items) != 1 {
		t.Fatalf("water company: %+v %v", res, err)
	}
	water := res.Items[0]
	e.Orgs["qxwater"] = &water
	u, _ := e.User(t, "qxwater-rep", "qxwater", fenghuo.RoleUnitReporter)
	ac := e.Actor(t, u)
	inc, err := e.App.Incidents.CreateIncident(ctx, ac, incident.IncidentInput{OrgID: water.ID, Title: "供水监控系统遭勒索软件攻击",
		Category: "MI", OccurredAt: e.Clock.Now(), DiscoveredAt: e.Clock.Now(), Facts: plan.Facts{"social_impact": "serious"}})
	if err != nil || inc.Grade != fenghuo.GradeII {
		t.Fatalf("%v %+v", err, inc)
	}
	obs, err := e.App.Incidents.IncidentObligations(ctx, ac, inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	var to []string
	for _, o := range obs {
		if o.PlanID == "wushen-county" && o.Kind == incident.KindReport {
			if o.RecipientOrgID == 0 {
				t.Errorf("duty to %s has no org on the platform", o.RecipientName)
			}
			to = append(to, o.RecipientName)
		}
	}
	got := strings.Join(to, "、")
	for _, want := range []string{"青溪县委网络安全和信息化委员会办公室", "青溪县公安局", "青溪县水利局"} {
		if !strings.Contains(got, want) {
			t.Errorf("initial report goes to %s; want %s among them", got, want)
		}
	}
	if strings.Contains(got, "教育") {
		t.Errorf("initial report goes to education: %s", got)
	}
}
