package demo_test

import (
	"context"
	"testing"

	"fenghuo/internal/app"
	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// The demo runs one drill in drill mode with some tasks done; it adds no
// obligation of a task or reporting kind.
func TestDemoDrillRun(t *testing.T) {
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
	runs, err := e.App.Drills.Runs(ctx, city, store.Page{Limit: 10})
	if err != nil || runs.Total != 1 {
		t.Fatalf("demo drill runs: %+v %v", runs, err)
	}
	v, err := e.App.Drills.Run(ctx, city, runs.Items[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	done := 0
	for _, tk := range v.Tasks {
		if tk.State == fenghuo.TaskDone {
			done++
		}
	}
	if v.Run.State != fenghuo.DrillRunRunning || done != 3 || v.Open() == 0 || len(v.Tasks[0].Comments) != 1 {
		t.Fatalf("demo run: %+v, %d done, %d open", v.Run, done, v.Open())
	}
}
