package warning_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"fenghuo/internal/app/warning"
	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
)

// A warning targeted by component reaches the units running that product
// by its normalised name (issue 12), not every name that contains the text.
func TestWarningTargetsByNormalisedProduct(t *testing.T) {
	e := apptest.New(t)
	ctx := context.Background()
	for key, c := range map[string]fenghuo.Component{
		"school":   {Name: "Apache Struts 2", Version: "2.5.10"},
		"hospital": {Name: "OpenSSL", Version: "1.0.2k"},
		"school2":  {Name: "struts2", Version: "2.3.34"},
	} {
		if err := e.DB.CreateSystem(ctx, &fenghuo.System{OrgID: e.Orgs[key].ID, Name: "门户", Components: []fenghuo.Component{c}}); err != nil {
			t.Fatal(err)
		}
	}
	boss, _ := e.User(t, "city-boss", "city", fenghuo.RoleCommander)
	city := e.Actor(t, boss)
	targets := func(component string) string {
		w, err := e.App.Warnings.IssueWarning(ctx, city, warning.WarningInput{Color: fenghuo.ColorYellow, Title: "组件排查",
			Targeting: fenghuo.Targeting{Component: component}})
		if err != nil {
			return err.Error()
		}
		d, err := e.App.Warnings.Warning(ctx, city, w.ID)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, x := range d.Targets {
			names = append(names, x.OrgName)
		}
		slices.Sort(names)
		return strings.Join(names, ",")
	}
	if got := targets("Struts2"); got != "乙县第一中学,甲县第一中学" {
		t.Errorf("Struts2: %s", got)
	}
	if got := targets("ssl"); !strings.Contains(got, "No org matches") {
		t.Errorf("ssl reached %s", got)
	}
}
