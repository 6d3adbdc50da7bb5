package awareness_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/app/awareness"
	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func actor(t *testing.T, e *apptest.Env, name, org string, role fenghuo.Role) *app.Actor {
	u, _ := e.User(t, name, org, role)
	return e.Actor(t, u)
}

// incident stores an open incident of a unit with a grade, discovered at
// at, and one report duty due at due.
func incident(t *testing.T, e *apptest.Env, unit string, grade fenghuo.Grade, category string, at, due time.Time) *fenghuo.Incident {
	t.Helper()
	ctx := context.Background()
	inc := &fenghuo.Incident{OrgID: e.Orgs[unit].ID, Title: "测试事件" + string(grade), Category: category, Status: fenghuo.StatusReported,
		DiscoveredAt: at, Grade: grade, ComputedGrade: grade, Channel: fenghuo.ChannelUnit}
	must(t, e.DB.WithTx(ctx, func(tx *store.Tx) error {
		if err := tx.CreateIncident(ctx, inc); err != nil {
			return err
		}
		return tx.CreateObligation(ctx, &fenghuo.Obligation{Kind: "report", IncidentID: inc.ID, OwnerOrgID: inc.OrgID,
			RecipientOrgID: e.Orgs["county"].ID, Title: "初报", DueAt: due})
	}))
	return inc
}

func TestSnapshotIsScopedToTheActorsSubtree(t *testing.T) {
	e := apptest.New(t)
	ctx := context.Background()
	now := e.Clock.Now()
	// The hospital (county 甲): a grade I whose report is 40 minutes
	// overdue, discovered yesterday; a grade III due in two hours, today.
	// The school of county 乙: nothing.
	i1 := incident(t, e, "hospital", fenghuo.GradeI, "IC01", now.Add(-26*time.Hour), now.Add(-40*time.Minute))
	incident(t, e, "hospital", fenghuo.GradeIII, "MC01", now.Add(-time.Hour), now.Add(2*time.Hour))

	county := actor(t, e, "county_duty", "county", fenghuo.RoleDutyOfficer)
	other := actor(t, e, "county2_duty", "county2", fenghuo.RoleDutyOfficer)
	city := actor(t, e, "city_cmd", "city", fenghuo.RoleCommander)
	unit := actor(t, e, "hosp_rep", "hospital", fenghuo.RoleUnitReporter)

	s, err := e.App.Awareness.Snapshot(ctx, county)
	must(t, err)
	if s.Level != awareness.LevelCounty || s.OpenTotal != 2 {
		t.Fatalf("county: level %s, open %d", s.Level, s.OpenTotal)
	}
	grades := map[string]int{}
	for _, c := range s.ByGrade {
		grades[c.Key] = c.N
	}
	if grades["I"] != 1 || grades["III"] != 1 || grades["II"] != 0 || len(s.ByCategory) != 2 {
		t.Fatalf("county by grade %+v, by category %+v", s.ByGrade, s.ByCategory)
	}
	if s.Trend.Today != 1 || s.Trend.Yesterday != 1 || s.Trend.Week != 2 || s.Trend.Month != 2 || len(s.Trend.Days) != awareness.TrendDays ||
		s.Trend.Days[len(s.Trend.Days)-1].N != 1 {
		t.Fatalf("county trend %+v", s.Trend)
	}
	if s.Overdue.Total != 1 || len(s.Overdue.Items) != 1 || s.Overdue.Items[0].IncidentID != i1.ID || s.Overdue.Items[0].Grade != fenghuo.GradeI ||
		s.Overdue.Items[0].RemainingSeconds != -40*60 || s.Overdue.Items[0].Org.ID != e.Orgs["hospital"].ID {
		t.Fatalf("county overdue %+v", s.Overdue)
	}
	if len(s.Deadlines) != 1 || s.Deadlines[0].RemainingSeconds != 2*3600 {
		t.Fatalf("county deadlines %+v", s.Deadlines)
	}
	states := map[int64]string{}
	for _, n := range s.Tree {
		states[n.ID] = n.State
	}
	if len(s.Tree) != 3 || states[e.Orgs["hospital"].ID] != awareness.StateRed || states[e.Orgs["county"].ID] != awareness.StateRed ||
		states[e.Orgs["school"].ID] != awareness.StateGreen {
		t.Fatalf("county tree %+v", s.Tree)
	}

	// The sibling county sees nothing of county 甲.
	s, err = e.App.Awareness.Snapshot(ctx, other)
	must(t, err)
	if s.OpenTotal != 0 || s.Overdue.Total != 0 || len(s.Overdue.Items) != 0 || len(s.Deadlines) != 0 || s.Trend.Month != 0 {
		t.Fatalf("county 乙 sees county 甲: %+v", s)
	}
	for _, n := range s.Tree {
		if n.ID != e.Orgs["county2"].ID && n.ID != e.Orgs["school2"].ID || n.State != awareness.StateGreen {
			t.Fatalf("county 乙 tree %+v", s.Tree)
		}
	}

	// The city sees everything; its level is city; the unit its own.
	s, err = e.App.Awareness.Snapshot(ctx, city)
	must(t, err)
	if s.Level != awareness.LevelCity || s.OpenTotal != 2 || s.Overdue.Total != 1 || len(s.Tree) != 6 || s.Tree[0].State != awareness.StateRed {
		t.Fatalf("city: %+v", s)
	}
	s, err = e.App.Awareness.Snapshot(ctx, unit)
	must(t, err)
	if s.Level != awareness.LevelUnit || s.OpenTotal != 2 || len(s.Tree) != 1 || s.Tree[0].State != awareness.StateRed {
		t.Fatalf("unit: %+v", s)
	}

	// Without incident.read: refused.
	nobody := actor(t, e, "auditor", "city", fenghuo.RoleAuditAdmin)
	if _, err := e.App.Awareness.Snapshot(ctx, nobody); fenghuo.ErrorCode(err) != fenghuo.EFORBIDDEN {
		t.Fatalf("auditor: %v", err)
	}
}

// TestSnapshotReadsDoNotGrowWithTheTree: the awareness screen's statements
// are as many over a county of 600 more units as over the fixture's few —
// no read per org, no paging through the subtree (which stopped at
// store.MaxOffset and re-read the last page forever at a province's 11,000
// orgs) — and its tree still holds every org up to TreeNodes.
func TestSnapshotReadsDoNotGrowWithTheTree(t *testing.T) {
	e := apptest.New(t)
	ctx := context.Background()
	now := e.Clock.Now()
	incident(t, e, "hospital", fenghuo.GradeI, "IC01", now.Add(-26*time.Hour), now.Add(-40*time.Minute))
	city := actor(t, e, "city_cmd", "city", fenghuo.RoleCommander)

	statements := func() (int, *awareness.Snapshot) {
		t.Helper()
		n := 0
		e.DB.SetQueryLog(func(string, []any) { n++ })
		s, err := e.App.Awareness.Snapshot(ctx, city)
		e.DB.SetQueryLog(nil)
		must(t, err)
		return n, s
	}
	before, small := statements()
	const more = 600 // more than store.MaxLimit: a paged read takes another page
	must(t, e.DB.WithTx(ctx, func(tx *store.Tx) error {
		for i := range more {
			o := &fenghuo.Org{ParentID: e.Orgs["county2"].ID, Name: fmt.Sprintf("测试单位%04d", i), Level: fenghuo.LevelUnit,
				Type: fenghuo.OrgOperator, Sector: "government", PlanRoles: []string{"operator"}}
			if err := tx.CreateOrg(ctx, o); err != nil {
				return err
			}
		}
		return nil
	}))
	after, big := statements()
	if after != before {
		t.Errorf("the snapshot took %d statements with %d more units, %d before: it reads per org or per page", after, more, before)
	}
	if want := min(len(small.Tree)+more, awareness.TreeNodes); len(big.Tree) != want || !big.TreeCapped {
		t.Errorf("tree of %d nodes (capped %v), want %d capped", len(big.Tree), big.TreeCapped, want)
	}
	// The hospital's grade I still makes its county and the city red.
	for _, n := range big.Tree {
		if (n.ID == e.Orgs["city"].ID || n.ID == e.Orgs["county"].ID || n.ID == e.Orgs["hospital"].ID) && n.State != awareness.StateRed {
			t.Errorf("%s is %s, want red", n.Name, n.State)
		}
	}
}
