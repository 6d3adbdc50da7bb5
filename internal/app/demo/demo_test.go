package demo_test

import (
	"context"
	"testing"

	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

func TestSeedDemo(t *testing.T) {
	e := apptest.New(t)
	ctx := context.Background()
	if _, err := e.App.Demo.SeedDemo(ctx); fenghuo.ErrorCode(err) != fenghuo.ECONFLICT {
		t.Fatalf("demo over existing data: %v", err)
	}
}

func TestSeedDemoIntoEmptyDatabase(t *testing.T) {
	e := apptest.NewEmpty(t)
	ctx := context.Background()
	accounts, err := e.App.Demo.SeedDemo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	roles := map[fenghuo.Role]bool{}
	for _, a := range accounts {
		roles[a.Role] = true
		if _, err := e.App.Accounts.Login(ctx, a.Username, a.Password, "127.0.0.1", ""); err != nil {
			t.Errorf("demo account %s cannot log in: %v", a.Username, err)
		}
	}
	if len(roles) != len(fenghuo.Roles) {
		t.Errorf("demo has roles %v, want one per role", roles)
	}
	orgs, _ := e.DB.CountOrgs(ctx)
	systems, err := e.DB.SubtreeSystems(ctx, 1, store.SystemFilter{}, store.Page{Limit: 500})
	if err != nil || orgs < 20 || systems.Total < 35 {
		t.Errorf("demo has %d orgs and %d systems (%v)", orgs, systems.Total, err)
	}
}
