package demo_test

import (
	"context"
	"testing"

	"fenghuo/internal/app"
	"fenghuo/internal/apptest"
	"fenghuo/internal/calendar"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// The demo seeds drills and activities through the drill capability: the
// city office sees this year's drills, the units still to drill and a
// score card with the drilled units scored.
func TestDemoDrills(t *testing.T) {
	e := apptest.NewEmpty(t)
	ctx := context.Background()
	if _, err := e.App.Demo.SeedDemo(ctx); err != nil {
		t.Fatal(err)
	}
	res, err := e.DB.SubtreeOrgs(ctx, 0, store.OrgFilter{Query: "云州市委网信办"}, store.Page{Limit: 1})
	if err != nil || len(res.Items) == 0 {
		t.Fatalf("city: %v", err)
	}
	city := &app.Actor{User: fenghuo.User{Username: "t", Roles: []fenghuo.Role{fenghuo.RoleAnalyst}}, Org: res.Items[0]}
	year := e.Clock.Now().In(calendar.Shanghai).Year()
	drills, err := e.App.Drills.Drills(ctx, city, year, store.Page{})
	if err != nil {
		t.Fatal(err)
	}
	acts, err := e.App.Drills.Activities(ctx, city, year, store.Page{})
	if err != nil {
		t.Fatal(err)
	}
	if drills.Total < 2 || acts.Total < 2 {
		t.Fatalf("demo drills %d, activities %d", drills.Total, acts.Total)
	}
	card, err := e.App.Drills.ScoreCard(ctx, city, year)
	if err != nil {
		t.Fatal(err)
	}
	scored := 0
	for _, u := range card.Units {
		if u.Drills > 0 {
			scored++
		}
	}
	if scored < 2 || len(card.Units) < 5 {
		t.Fatalf("score card: %d units, %d drilled", len(card.Units), scored)
	}
}
