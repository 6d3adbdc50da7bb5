package demo_test

import (
	"context"
	"strconv"
	"testing"

	"fenghuo/internal/app"
	"fenghuo/internal/app/demo"
	"fenghuo/internal/apptest"
	"fenghuo/internal/demofarm"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// TestSeedProvince seeds a small province shape with its history and
// checks it against what the app relies on: the org tree's paths and
// levels, the systems, the province's accounts, every viewer's incident
// list (from incident_scope) against the raw rows, the overdue list
// (open_due) against the open duties, the reporting records against the
// duties, and the audit chain.
func TestSeedProvince(t *testing.T) {
	e := apptest.NewEmpty(t)
	ctx := context.Background()
	shape := demo.ProvinceShape{Cities: 2, CountiesPerCity: 2, CityDepts: 2, CountyDepts: 2, Units: 30, SystemsPerUnit: 3}
	accounts, counts, err := e.App.Demo.SeedProvince(ctx, shape)
	if err != nil {
		t.Fatal(err)
	}
	// 1 province + per city: 1 office, 2 departments, 2 counties of 1 + 2.
	if counts.Offices != 1+2*(1+2+2*3) || counts.Units != 30 || counts.Systems != 90 {
		t.Fatalf("province counts %+v", counts)
	}
	if _, _, err := e.App.Demo.SeedProvince(ctx, shape); fenghuo.ErrorCode(err) != fenghuo.ECONFLICT {
		t.Fatalf("province over existing data: %v", err)
	}
	if _, _, err := e.App.Demo.SeedProvince(ctx, demo.ProvinceShape{Cities: 99}); fenghuo.ErrorCode(err) != fenghuo.EINVALID {
		t.Fatalf("a province of 99 cities: %v", err)
	}
	for _, a := range accounts {
		if a.Username != demo.ProvinceCommander && a.Username != demo.ProvinceCountyDuty && a.Username != "qx-duty" {
			continue
		}
		if _, err := e.App.Accounts.Login(ctx, a.Username, a.Password, "127.0.0.1", ""); err != nil {
			t.Errorf("account %s cannot log in: %v", a.Username, err)
		}
	}
	orgs, err := e.DB.SubtreeOrgs(ctx, 0, store.OrgFilter{}, store.Page{Limit: store.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	byID := map[int64]fenghuo.Org{}
	for _, o := range orgs.Items {
		byID[o.ID] = o
	}
	if orgs.Total != len(orgs.Items) {
		t.Fatalf("%d orgs, %d listed", orgs.Total, len(orgs.Items))
	}
	roots, units := 0, 0
	for _, o := range orgs.Items {
		if o.ParentID == 0 {
			roots++
			if o.Level != fenghuo.LevelProvince || o.Path != "/"+itoa(o.ID)+"/" {
				t.Errorf("root %s is %s at %s", o.Name, o.Level, o.Path)
			}
			continue
		}
		p := byID[o.ParentID]
		if o.Path != p.Path+itoa(o.ID)+"/" {
			t.Errorf("%s has path %s under %s", o.Name, o.Path, p.Path)
		}
		if p.Level == fenghuo.LevelUnit {
			t.Errorf("%s sits under the unit %s", o.Name, p.Name)
		}
		if o.Level == fenghuo.LevelUnit {
			units++
		}
	}
	if roots != 1 || units < 30 {
		t.Errorf("%d roots, %d units", roots, units)
	}
	root := orgs.Items[0]
	var yunzhou fenghuo.Org // the city region, one city of the province
	for _, o := range orgs.Items {
		if o.Name == "云州市委网络安全和信息化委员会办公室" {
			yunzhou = o
		}
	}
	if yunzhou.ParentID != root.ID {
		t.Fatalf("the city region's office is under %d, not the province office %d", yunzhou.ParentID, root.ID)
	}
	systems, err := e.DB.SubtreeSystems(ctx, root.ID, store.SystemFilter{}, store.Page{Limit: 1})
	if err != nil || systems.Total < 90+35 {
		t.Errorf("the province has %d systems (%v)", systems.Total, err)
	}

	const n = 600
	var progress []int
	h, err := e.App.Demo.SeedDemoIncidentsProgress(ctx, n, func(done int) { progress = append(progress, done) })
	if err != nil {
		t.Fatal(err)
	}
	if len(progress) != 1 || progress[0] != n {
		t.Errorf("progress reported %v, want [%d] (one transaction)", progress, n)
	}
	if h.Incidents != n || h.Reports < n/2 || h.Obligations < n {
		t.Fatalf("seeded %+v", h)
	}
	actor := func(name string) *app.Actor {
		u, err := e.DB.UserByUsername(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		return e.Actor(t, u)
	}
	prov, county, cityCounty := actor(demo.ProvinceCommander), actor(demo.ProvinceCountyDuty), actor("qx-duty")
	if prov.Org.ID != root.ID || county.Org.Level != fenghuo.LevelCounty || !fenghuo.InSubtree(root.Path, county.Org.Path) {
		t.Fatalf("province commander at %s, county duty at %s (%s)", prov.Org.Name, county.Org.Name, county.Org.Level)
	}
	viewers := []*app.Actor{prov, county, cityCounty}
	want := map[int64]int{}
	generated := 0 // incidents of the generated units
	overdue := 0
	states := map[int64]map[string]int{}
	total := n + demo.StoryIncidents + demo.ClockIncidents + demo.AlertIncidents
	seen := 0
	for off := 0; off < total; off += store.MaxLimit {
		page, err := e.DB.Incidents(ctx, store.IncidentFilter{}, store.Page{Limit: store.MaxLimit, Offset: off})
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range page.Items {
			seen++
			inc, err := e.DB.Incident(ctx, row.ID)
			if err != nil {
				t.Fatal(err)
			}
			if byID[inc.OrgID].Level != fenghuo.LevelUnit {
				t.Errorf("incident %d belongs to %s, not a unit", inc.ID, byID[inc.OrgID].Name)
			}
			if !fenghuo.InSubtree(yunzhou.Path, byID[inc.OrgID].Path) {
				generated++
			}
			ds, err := e.DB.Deliveries(ctx, row.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range viewers {
				in := fenghuo.InSubtree(v.Org.Path, byID[inc.OrgID].Path)
				for _, d := range ds {
					in = in || fenghuo.InSubtree(v.Org.Path, byID[d.ToOrgID].Path)
				}
				if in {
					want[v.Org.ID]++
				}
			}
			obs, err := e.DB.Obligations(ctx, store.ObligationFilter{IncidentID: inc.ID}, store.Page{Limit: store.MaxLimit})
			if err != nil {
				t.Fatal(err)
			}
			late := false
			for _, o := range obs.Items {
				open := o.State == fenghuo.ObligationOpen && !o.DueAt.IsZero() && !o.DueAt.After(e.Clock.Now())
				late = late || open
				if o.Kind == "report" || o.Kind == "forward" {
					if states[o.OwnerOrgID] == nil {
						states[o.OwnerOrgID] = map[string]int{}
					}
					states[o.OwnerOrgID][o.State]++
					if open {
						states[o.OwnerOrgID]["overdue"]++
					}
				}
			}
			if late {
				overdue++
			}
			if _, broken, err := e.DB.Timeline(ctx, inc.ID); err != nil || broken != 0 {
				t.Fatalf("incident %d timeline broken at %d (%v)", inc.ID, broken, err)
			}
		}
	}
	if seen != total {
		t.Fatalf("%d incidents listed, want %d", seen, total)
	}
	if generated < n/2 {
		t.Errorf("only %d of %d incidents belong to the generated units", generated, n)
	}
	for _, v := range viewers {
		got, err := e.App.Incidents.Incidents(ctx, v, store.IncidentFilter{}, store.Page{Limit: store.MaxLimit})
		if err != nil {
			t.Fatal(err)
		}
		if got.Total != want[v.Org.ID] || want[v.Org.ID] == 0 {
			t.Errorf("%s sees %d incidents, should see %d", v.User.Username, got.Total, want[v.Org.ID])
		}
	}
	if want[prov.Org.ID] != total {
		t.Errorf("the province commander should see all %d incidents, sees %d", total, want[prov.Org.ID])
	}
	if got, err := e.App.Incidents.Incidents(ctx, prov, store.IncidentFilter{Overdue: true}, store.Page{}); err != nil || got.Total != overdue || overdue == 0 {
		t.Errorf("the overdue list has %d incidents, the duties say %d (%v)", got.Total, overdue, err)
	}
	recs, err := e.App.Incidents.ReportingRecords(ctx, prov)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		s := states[r.OrgID]
		if r.OnTime != s[fenghuo.ObligationOnTime] || r.Late != s[fenghuo.ObligationLate] || r.Missed != s[fenghuo.ObligationMissed] ||
			r.Open != s[fenghuo.ObligationOpen] || r.Overdue != s["overdue"] {
			t.Errorf("records of %s: %+v, duties say %v", r.OrgName, r, s)
		}
		delete(states, r.OrgID)
	}
	if len(states) != 0 {
		t.Errorf("records miss orgs %v", states)
	}
	if res, err := e.App.AuditLog.VerifyAudit(ctx, nil); err != nil || !res.OK {
		t.Fatalf("audit verify after seeding: %+v %v", res, err)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestSeedProvinceMonitors: the demo's monitors find their farm systems
// among a province's, more than a list page of them (the first full
// province run stopped there).
func TestSeedProvinceMonitors(t *testing.T) {
	e := storyEnv(t)
	ctx := context.Background()
	// 青川…, 白石… sort before 青溪…: the farm's county systems fall past
	// the first page of 500 by name.
	shape := demo.ProvinceShape{Cities: 2, CountiesPerCity: 1, CityDepts: 1, CountyDepts: 1, Units: 110, SystemsPerUnit: 5}
	if _, _, err := e.App.Demo.SeedProvince(ctx, shape); err != nil {
		t.Fatal(err)
	}
	farm, err := demofarm.Start(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer farm.Close()
	if err := e.App.Demo.SeedDemoMonitors(ctx, farm.Sites()); err != nil {
		t.Fatal(err)
	}
	ms, err := e.DB.MonitorsOf(ctx, "")
	if err != nil || len(ms) != len(farm.Sites()) {
		t.Fatalf("%d monitors for %d farm sites (%v)", len(ms), len(farm.Sites()), err)
	}
}
