package demo_test

import (
	"context"
	"os"
	"strconv"
	"testing"

	"fenghuo/internal/app"
	"fenghuo/internal/app/demo"
	"fenghuo/internal/app/incident"
	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// TestSeedDemoIncidents seeds 500 historical incidents and checks them
// against what the app's own rules say: every list shows what its viewer
// may see and nothing else, the reporting records count what the duties
// say, duty states agree with their times, timelines and the audit chain
// verify, grades are what the plans give for the facts, and the app's use
// cases carry on from the seeded state.
func TestSeedDemoIncidents(t *testing.T) {
	e := apptest.NewEmpty(t)
	ctx := context.Background()
	if _, err := e.App.Demo.SeedDemo(ctx); err != nil {
		t.Fatal(err)
	}
	h, err := e.App.Demo.SeedDemoIncidents(ctx, 500)
	if err != nil {
		t.Fatal(err)
	}
	if h.Incidents != 500 || h.Reports < 500 || h.Deliveries < 500 || h.Obligations < 500 || h.Timeline < 1500 {
		t.Fatalf("seeded %+v", h)
	}
	if res, err := e.App.AuditLog.VerifyAudit(ctx, nil); err != nil || !res.OK {
		t.Fatalf("audit verify after seeding: %+v %v", res, err)
	}
	actor := func(name string) *app.Actor {
		u, err := e.DB.UserByUsername(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		return e.Actor(t, u)
	}
	city, county, unit := actor("commander"), actor("qx-duty"), actor("reporter")

	// What each viewer may see, from the raw rows: the unit's and every
	// recipient's ancestors.
	orgs, err := e.DB.SubtreeOrgs(ctx, 0, store.OrgFilter{}, store.Page{Limit: store.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	path := map[int64]string{}
	for _, o := range orgs.Items {
		path[o.ID] = o.Path
	}
	all, err := e.DB.Incidents(ctx, store.IncidentFilter{}, store.Page{Limit: store.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	ids := map[int64]bool{}
	want := map[int64]int{} // viewer org → visible incidents
	overdue := 0            // incidents with an open duty past due
	states := map[int64]map[string]int{}
	// The demo's story, its running clocks and its promoted alert add
	// their own incidents to the history.
	total := 500 + demo.StoryIncidents + demo.ClockIncidents + demo.AlertIncidents
	for off := 0; off < total; off += store.MaxLimit {
		page, err := e.DB.Incidents(ctx, store.IncidentFilter{}, store.Page{Limit: store.MaxLimit, Offset: off})
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range page.Items {
			ids[row.ID] = true
			inc, err := e.DB.Incident(ctx, row.ID)
			if err != nil {
				t.Fatal(err)
			}
			ds, err := e.DB.Deliveries(ctx, row.ID)
			if err != nil {
				t.Fatal(err)
			}
			reports, err := e.DB.Reports(ctx, row.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, viewer := range []*app.Actor{city, county, unit} {
				seen := fenghuo.InSubtree(viewer.Org.Path, path[inc.OrgID])
				for _, d := range ds {
					seen = seen || fenghuo.InSubtree(viewer.Org.Path, path[d.ToOrgID])
				}
				if seen {
					want[viewer.Org.ID]++
				}
			}
			hasFinal := false
			for _, r := range reports {
				hasFinal = hasFinal || r.Kind == fenghuo.ReportFinal
			}
			if inc.Status == fenghuo.StatusClosed && !inc.ReportedAt.IsZero() && !hasFinal {
				t.Errorf("incident %d closed without a final report", inc.ID)
			}
			if (inc.Status != fenghuo.StatusDraft && inc.Status != fenghuo.StatusClosed) && inc.ReportedAt.IsZero() {
				t.Errorf("incident %d is %s but was never reported", inc.ID, inc.Status)
			}
			obs, err := e.DB.Obligations(ctx, store.ObligationFilter{IncidentID: inc.ID}, store.Page{Limit: store.MaxLimit})
			if err != nil {
				t.Fatal(err)
			}
			late := false
			for _, o := range obs.Items {
				late = late || o.State == fenghuo.ObligationOpen && !o.DueAt.IsZero() && !o.DueAt.After(e.Clock.Now())
				switch o.State {
				case fenghuo.ObligationOnTime:
					if !o.DueAt.IsZero() && o.DoneAt.After(o.DueAt) {
						t.Errorf("obligation %d on time but done after its due time", o.ID)
					}
				case fenghuo.ObligationLate:
					if !o.DoneAt.After(o.DueAt) {
						t.Errorf("obligation %d late but done in time", o.ID)
					}
				case fenghuo.ObligationMissed:
					if inc.Status != fenghuo.StatusClosed {
						t.Errorf("obligation %d missed on an incident still %s", o.ID, inc.Status)
					}
				}
				if o.Kind == incident.KindReport || o.Kind == incident.KindForward {
					if states[o.OwnerOrgID] == nil {
						states[o.OwnerOrgID] = map[string]int{}
					}
					states[o.OwnerOrgID][o.State]++
					if o.State == fenghuo.ObligationOpen && !o.DueAt.IsZero() && !o.DueAt.After(e.Clock.Now()) {
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
	if len(ids) != total || all.Total != total || all.Capped {
		t.Fatalf("%d incidents listed, total %d", len(ids), all.Total)
	}
	for _, viewer := range []*app.Actor{city, county, unit} {
		got, err := e.App.Incidents.Incidents(ctx, viewer, store.IncidentFilter{}, store.Page{Limit: store.MaxLimit})
		if err != nil {
			t.Fatal(err)
		}
		if got.Total != want[viewer.Org.ID] || want[viewer.Org.ID] == 0 {
			t.Errorf("%s sees %d incidents, should see %d", viewer.User.Username, got.Total, want[viewer.Org.ID])
		}
		for _, row := range got.Items {
			if _, err := e.App.Incidents.Incident(ctx, viewer, row.ID); err != nil {
				t.Errorf("%s lists incident %d but may not open it: %v", viewer.User.Username, row.ID, err)
			}
		}
	}
	if got, err := e.App.Incidents.Incidents(ctx, city, store.IncidentFilter{Overdue: true}, store.Page{}); err != nil || got.Total != overdue || overdue == 0 {
		t.Errorf("the overdue list has %d incidents, the duties say %d (%v)", got.Total, overdue, err)
	}
	if want[unit.Org.ID] >= want[county.Org.ID] || want[county.Org.ID] >= want[city.Org.ID] {
		t.Errorf("visibility does not narrow down the tree: %v", want)
	}
	// On time, late, missed per unit: the records page counts what the
	// duties say.
	recs, err := e.App.Incidents.ReportingRecords(ctx, city)
	if err != nil {
		t.Fatal(err)
	}
	late, missed := 0, 0
	for _, r := range recs {
		s := states[r.OrgID]
		if r.OnTime != s[fenghuo.ObligationOnTime] || r.Late != s[fenghuo.ObligationLate] || r.Missed != s[fenghuo.ObligationMissed] ||
			r.Open != s[fenghuo.ObligationOpen] || r.Overdue != s["overdue"] {
			t.Errorf("records of %s: %+v, duties say %v", r.OrgName, r, s)
		}
		late, missed = late+r.Late, missed+r.Missed
		delete(states, r.OrgID)
	}
	if len(states) != 0 || late == 0 || missed == 0 {
		t.Errorf("records miss orgs %v, or show no late (%d) or missed (%d) reports", states, late, missed)
	}
	// The grade is the plans' verdict on the facts: re-grading an open
	// incident of the unit changes nothing.
	mine, err := e.App.Incidents.Incidents(ctx, unit, store.IncidentFilter{Open: true}, store.Page{Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	if len(mine.Items) == 0 {
		t.Fatal("the unit has no open incident to re-grade")
	}
	for _, row := range mine.Items {
		inc, err := e.App.Incidents.Incident(ctx, unit, row.ID)
		if err != nil {
			t.Fatal(err)
		}
		again, err := e.App.Incidents.UpdateFacts(ctx, unit, inc.ID, inc.Version, inc.Facts, inc.Category, inc.SystemIDs)
		if err != nil {
			t.Fatalf("incident %d: %v", inc.ID, err)
		}
		if again.Grade != inc.Grade || again.Grading != inc.Grading {
			t.Errorf("incident %d graded %s when seeded, %s by the app", inc.ID, inc.Grade, again.Grade)
		}
		if _, broken, _ := e.DB.Timeline(ctx, inc.ID); broken != 0 {
			t.Errorf("incident %d: the app's entry after the seeded ones breaks the chain at %d", inc.ID, broken)
		}
	}
	if res, err := e.App.AuditLog.VerifyAudit(ctx, nil); err != nil || !res.OK {
		t.Fatalf("audit verify after use: %+v %v", res, err)
	}
}

// BenchmarkSeedDemoIncidents times the generator (5,000 incidents, or
// FENGHUO_SEED_BENCH_N) on SQLite.
func BenchmarkSeedDemoIncidents(b *testing.B) {
	n := 5000
	if v, err := strconv.Atoi(os.Getenv("FENGHUO_SEED_BENCH_N")); err == nil && v > 0 {
		n = v
	}
	for i := 0; i < b.N; i++ {
		e := apptest.NewEmpty(b)
		ctx := context.Background()
		if _, err := e.App.Demo.SeedDemo(ctx); err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		h, err := e.App.Demo.SeedDemoIncidents(ctx, n)
		if err != nil {
			b.Fatal(err)
		}
		b.Logf("%+v", h)
	}
}
