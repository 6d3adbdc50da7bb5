package warning_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"fenghuo/internal/app/warning"
	"fenghuo/internal/apptest"
	"fenghuo/internal/docsign"
	"fenghuo/internal/fenghuo"
)

// A warning notice is signed by the city office that issues it, again when
// raised and lifted; a target reads "signed by …, unchanged", and a notice
// edited in the database is named as changed.
func TestWarningSignedByItsIssuer(t *testing.T) {
	e := apptest.New(t)
	ctx := context.Background()
	boss, _ := e.User(t, "city-boss", "city", fenghuo.RoleCommander)
	reader, _ := e.User(t, "school-rep", "school", fenghuo.RoleUnitReporter)
	city, school := e.Actor(t, boss), e.Actor(t, reader)
	w, err := e.App.Warnings.IssueWarning(ctx, city, warning.WarningInput{Color: fenghuo.ColorYellow, Title: "弱口令专项排查",
		Items: "门户网站弱口令", Targeting: fenghuo.Targeting{Sector: "education"}})
	if err != nil {
		t.Fatal(err)
	}
	check := func(what string, want docsign.Failure) {
		t.Helper()
		d, err := e.App.Warnings.Warning(ctx, school, w.ID)
		if err != nil {
			t.Fatal(err)
		}
		s := d.Signature
		if !s.Signed || s.Result.Failure != want {
			t.Fatalf("%s: signed %v %s, want %q", what, s.Signed, s.Result.Reasons(), want)
		}
		if want == docsign.OK && (s.Result.Block.OfficeID != e.Orgs["city"].ID || !strings.HasPrefix(s.Words("zh"), "由测试市委网信办于")) {
			t.Fatalf("%s: %s", what, s.Words("zh"))
		}
	}
	check("issued", docsign.OK)
	e.Clock.Advance(3600e9)
	if _, err := e.App.Warnings.ChangeWarningColor(ctx, city, w.ID, fenghuo.ColorOrange, "扩散"); err != nil {
		t.Fatal(err)
	}
	check("raised", docsign.OK)
	if _, err := e.App.Warnings.LiftWarning(ctx, city, w.ID, "已处置"); err != nil {
		t.Fatal(err)
	}
	check("lifted", docsign.OK)
	e.ExecSQL(t, fmt.Sprintf("UPDATE warnings SET items = '无需处置' WHERE id = %d", w.ID))
	check("edited in the database", docsign.FailChanged)
}
