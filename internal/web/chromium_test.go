package web_test

import (
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"fenghuo/internal/apptest"
	"fenghuo/internal/browsertest"
	"fenghuo/internal/fenghuo"
)

// In a real Chromium: a commander of the city logs in, creates a unit
// under the county, registers a system for it, and finds both listed.
func TestChromiumCreateUnitAndSystem(t *testing.T) {
	chromium := apptest.Chromium(t)
	e, srv := console(t)
	e.User(t, "commander", "city", fenghuo.RoleCommander)
	ctx := browsertest.New(t, chromium, 1280, 900, 90*time.Second)
	countyID := e.Orgs["county"].ID

	err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitVisible(`#username`),
		chromedp.SendKeys(`#username`, "commander"),
		chromedp.SendKeys(`#password`, apptest.Password),
		chromedp.Submit(`#password`),
		chromedp.WaitVisible(`nav.side`),
		chromedp.Navigate(srv.URL+"/orgs/new?parent="+itoa(countyID)),
		chromedp.WaitVisible(`#name`),
		chromedp.SendKeys(`#name`, "甲县第三中学"),
		chromedp.SetValue(`#level`, "unit"),
		chromedp.SetValue(`#type`, "operator"),
		chromedp.SendKeys(`#duty_phone`, "0477-7000333"),
		browsertest.ClickAndLoad(`form.stack button[type=submit]`),
		chromedp.WaitVisible(`a[href^="/systems/new"]`),
	)
	if err != nil {
		t.Fatal(err)
	}
	title, err := chromedp.Run(ctx, chromedp.Text(`h1`))
	if err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(ctx,
		browsertest.ClickAndLoad(`a[href^="/systems/new"]`),
		chromedp.WaitVisible(`#name`),
		chromedp.SendKeys(`#name`, "三中校园网站"),
		chromedp.SendKeys(`#responsible_person`, "王老师"),
		chromedp.SendKeys(`#exposure`, "https://www.jx3z.edu.cn/\n443"),
		chromedp.SendKeys(`#components`, "Apache Struts2 2.5.10"),
		browsertest.ClickAndLoad(`form.stack button[type=submit]`),
		chromedp.WaitVisible(`dl.props`),
		chromedp.Navigate(srv.URL+"/systems?q=三中"),
		chromedp.WaitVisible(`#systems-list`),
	)
	if err != nil {
		t.Fatal(err)
	}
	systems, err := chromedp.Run(ctx, chromedp.Text(`#systems-list`))
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/orgs"), chromedp.WaitVisible(`.tree`)); err != nil {
		t.Fatal(err)
	}
	orgs, err := chromedp.Run(ctx, chromedp.Text(`.tree`))
	if err != nil {
		t.Fatal(err)
	}
	if title != "甲县第三中学" {
		t.Errorf("after creating the unit the page shows %q", title)
	}
	if !strings.Contains(systems, "三中校园网站") || !strings.Contains(systems, "甲县第三中学") {
		t.Errorf("systems list: %q", systems)
	}
	if !strings.Contains(orgs, "甲县第三中学") {
		t.Errorf("org tree: %q", orgs)
	}
	dir := t.TempDir()
	if d := os.Getenv("FENGHUO_SCREENSHOTS"); d != "" {
		dir = d
	}
	browsertest.Screenshot(t, ctx, dir, "orgs-1280.png")
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(768, 1024), chromedp.Navigate(srv.URL+"/systems"), chromedp.WaitVisible(`#systems-list`)); err != nil {
		t.Fatal(err)
	}
	browsertest.Screenshot(t, ctx, dir, "systems-768.png")
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
