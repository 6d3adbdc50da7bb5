package demo_test

import (
	"context"
	"slices"
	"testing"

	"fenghuo/internal/app"
	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// The demo's WebLogic notice reaches exactly the units running 12.2.1.3 to
// 12.2.1.4: not 14.1.1, not the older WebLogic, not Tomcat.
func TestDemoRiskNoticeTargetsAffectedVersions(t *testing.T) {
	e := apptest.NewEmpty(t)
	ctx := context.Background()
	if _, err := e.App.Demo.SeedDemo(ctx); err != nil {
		t.Fatal(err)
	}
	city := orgNamed(t, e, "云州市委网络安全和信息化委员会办公室")
	ac := &app.Actor{User: fenghuo.User{Username: "t", Roles: []fenghuo.Role{fenghuo.RoleCommander}}, Org: *city, Via: "console"}
	list, err := e.App.RiskNotices.List(ctx, ac, store.Page{})
	if err != nil || len(list.Items) != 1 {
		t.Fatalf("notices: %+v %v", list, err)
	}
	d, err := e.App.RiskNotices.Notice(ctx, ac, list.Items[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tg := range d.Targets {
		names = append(names, tg.OrgName)
	}
	slices.Sort(names)
	if want := []string{"云州市人民医院", "青溪县政务服务与数据管理局", "青溪县第一中学"}; !slices.Equal(names, want) {
		t.Fatalf("targets %v, want %v", names, want)
	}
	if p := d.Progress; p.NotAffected != 1 || p.Unanswered != 2 || p.Overdue != 0 {
		t.Errorf("progress %+v", p)
	}
}

func orgNamed(t *testing.T, e *apptest.Env, name string) *fenghuo.Org {
	t.Helper()
	res, err := e.DB.SubtreeOrgs(context.Background(), 0, store.OrgFilter{Query: name}, store.Page{})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range res.Items {
		if o.Name == name {
			return &o
		}
	}
	t.Fatalf("no org %s", name)
	return nil
}
