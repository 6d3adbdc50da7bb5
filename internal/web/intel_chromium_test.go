package web_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"fenghuo/internal/apptest"
	"fenghuo/internal/browsertest"
	"fenghuo/internal/fenghuo"
)

// Issue 14's sharing acceptance in a real Chromium: a city office imports
// a STIX bundle through the 威胁情报 page and reads the summary (added,
// skipped with the indicator ids and reasons); a unit below one of its
// counties sees the AMBER domain with its TLP badge and its expiry; a unit
// of a sibling city under the same province sees the GREEN addresses but
// never the AMBER domain.
func TestChromiumIntelSharing(t *testing.T) {
	chromium := apptest.Chromium(t)
	e, srv := console(t)
	ctx := context.Background()
	e.Clock.Set(time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC))
	for _, o := range []struct {
		key, parent, name string
		level             fenghuo.OrgLevel
		typ               fenghuo.OrgType
	}{
		{"province", "", "测试省委网信办", fenghuo.LevelProvince, fenghuo.OrgRegulator},
		{"cityA", "province", "甲市委网信办", fenghuo.LevelCity, fenghuo.OrgRegulator},
		{"countyA", "cityA", "甲市东县委网信办", fenghuo.LevelCounty, fenghuo.OrgRegulator},
		{"unitA", "countyA", "东县自来水公司", fenghuo.LevelUnit, fenghuo.OrgOperator},
		{"cityB", "province", "乙市委网信办", fenghuo.LevelCity, fenghuo.OrgRegulator},
		{"unitB", "cityB", "乙市燃气公司", fenghuo.LevelUnit, fenghuo.OrgOperator},
	} {
		org := &fenghuo.Org{Name: o.name, Level: o.level, Type: o.typ}
		if o.parent != "" {
			org.ParentID = e.Orgs[o.parent].ID
		}
		if err := e.DB.CreateOrg(ctx, org); err != nil {
			t.Fatal(err)
		}
		e.Orgs[o.key] = org
	}
	e.User(t, "citya-analyst", "cityA", fenghuo.RoleAnalyst)
	e.User(t, "unita-rep", "unitA", fenghuo.RoleUnitReporter)
	e.User(t, "unitb-rep", "unitB", fenghuo.RoleUnitReporter)
	bundle, err := filepath.Abs("testdata/intel/city-bundle.json")
	if err != nil {
		t.Fatal(err)
	}

	city := browsertest.NewSession(t, chromium, srv.URL, 1280, 1000, 150*time.Second)
	city.LogIn("citya-analyst", apptest.Password)
	city.Do(chromedp.Navigate(srv.URL+"/intel"), chromedp.WaitVisible(`#intel-import`),
		chromedp.SetUploadFiles(`#file`, []string{bundle}),
		browsertest.ClickAndLoad(`#intel-import-submit`), chromedp.WaitVisible(`#import-result`))
	if added, skipped := city.Text("#import-added"), city.Text("#import-skipped"); added != "7" || skipped != "2" {
		t.Fatalf("import summary: added %q skipped %q: %s", added, skipped, city.Text("#import-result"))
	}
	if got := city.Text("#import-problems"); !strings.Contains(got, "indicator--0f7e3c42-9a51-4a7d-b3a4-1c2d3e4f5a6b") ||
		!strings.Contains(got, "FOLLOWEDBY") || !strings.Contains(got, "snort") {
		t.Errorf("skipped objects: %q", got)
	}
	if got := city.Text("#indicators"); !strings.Contains(got, "login-update.example.net") || !strings.Contains(got, "甲市委网信办") {
		t.Errorf("the city's library: %q", got)
	}

	unitA := browsertest.NewSession(t, chromium, srv.URL, 390, 844, 150*time.Second)
	unitA.LogIn("unita-rep", apptest.Password)
	unitA.Do(chromedp.Navigate(srv.URL+"/intel"), chromedp.WaitVisible(`#indicators`))
	row := unitA.Text(`#indicators tr[data-value="login-update.example.net"]`)
	if !strings.Contains(row, "login-update.example.net") || !strings.Contains(row, "TLP:AMBER") || !strings.Contains(row, "有限") {
		t.Errorf("the county's unit does not see the AMBER domain: %q", unitA.Text("#indicators"))
	}
	if got := unitA.Text(`#indicators tr[data-tlp="CLEAR"]`); !strings.Contains(got, "长期有效") {
		t.Errorf("CLEAR row expiry: %q", got)
	}
	if got := unitA.Text("#indicators"); !strings.Contains(got, "后失效") {
		t.Errorf("no relative expiry for the dropper: %q", got)
	}

	unitB := browsertest.NewSession(t, chromium, srv.URL, 1280, 1000, 150*time.Second)
	unitB.LogIn("unitb-rep", apptest.Password)
	unitB.Do(chromedp.Navigate(srv.URL+"/intel"), chromedp.WaitVisible(`#indicators`))
	got := unitB.Text("#indicators")
	if strings.Contains(got, "login-update.example.net") || strings.Contains(got, "aec070645fe5") {
		t.Errorf("a sibling city's unit sees the AMBER indicators: %q", got)
	}
	if !strings.Contains(got, "203.0.113.66") || !strings.Contains(got, "files.example.org") {
		t.Errorf("a sibling city's unit misses GREEN or CLEAR: %q", got)
	}
}
