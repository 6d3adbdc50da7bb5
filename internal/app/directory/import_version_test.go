package directory_test

import (
	"context"
	"testing"

	"fenghuo/internal/app/directory"
	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
)

// An imported component whose version does not read as a version is a
// problem of its row (risk notices match by version), and nothing is
// imported; a readable one is stored with its vendor filled in.
func TestImportRefusesUnreadableComponentVersion(t *testing.T) {
	e := apptest.New(t)
	ctx := context.Background()
	u, _ := e.User(t, "county-analyst", "county", fenghuo.RoleAnalyst)
	ac := e.Actor(t, u)
	row := func(n int, name, version string) directory.ImportRow {
		return directory.ImportRow{Row: n, OrgRef: "甲县第一中学", System: fenghuo.System{Name: name,
			Components: []fenghuo.Component{{Name: "WebLogic", Version: version}}}}
	}
	problems, err := e.App.Directory.ImportSystems(ctx, ac, []directory.ImportRow{row(2, "选课系统", "12.2.1.4"), row(3, "门户", "最新版")})
	if err == nil || len(problems) != 1 || problems[0].Row != 3 || problems[0].Column != "components.version" {
		t.Fatalf("problems %+v, %v", problems, err)
	}
	if problems, err := e.App.Directory.ImportSystems(ctx, ac, []directory.ImportRow{row(2, "选课系统", "12.2.1.4")}); err != nil {
		t.Fatalf("%+v %v", problems, err)
	}
}
