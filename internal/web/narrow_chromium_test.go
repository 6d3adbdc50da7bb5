package web_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"fenghuo/internal/apptest"
	"fenghuo/internal/browsertest"
)

// narrowCheck measures the page in a 390 px wide window: the width of the
// page, the height of the navigation, the first primary action's box, and
// the tables wider than the screen that do not scroll in their own box.
const narrowCheck = `(() => {
  const vw = document.documentElement.clientWidth;
  const nav = document.querySelector('nav.side');
  const p = document.querySelector('[data-primary]');
  const r = p ? p.getBoundingClientRect() : null;
  const tables = Array.from(document.querySelectorAll('table')).filter(t => {
    const s = getComputedStyle(t);
    const box = t.getBoundingClientRect();
    const scrolls = (s.overflowX === 'auto' || s.overflowX === 'scroll') && box.right <= vw + 1;
    const wraps = t.parentElement && ['auto', 'scroll'].includes(getComputedStyle(t.parentElement).overflowX);
    return box.right > vw + 1 && !scrolls && !wraps;
  }).map(t => t.id || t.className || 'table');
  return {
    vw: vw, pageWidth: document.documentElement.scrollWidth,
    navHeight: nav ? Math.round(nav.getBoundingClientRect().height) : 0,
    navScrolls: nav ? ['auto', 'scroll'].includes(getComputedStyle(nav).overflowX) : false,
    primary: p ? (p.textContent.trim() || p.value || p.tagName) : '',
    left: r ? r.left : 0, right: r ? r.right : 0, width: r ? r.width : 0,
    tables: tables,
  };
})()`

type narrowResult struct {
	VW         float64  `json:"vw"`
	PageWidth  float64  `json:"pageWidth"`
	NavHeight  float64  `json:"navHeight"`
	NavScrolls bool     `json:"navScrolls"`
	Primary    string   `json:"primary"`
	Left       float64  `json:"left"`
	Right      float64  `json:"right"`
	Width      float64  `json:"width"`
	Tables     []string `json:"tables"`
}

// In a real Chromium 390×844 (a phone) over the demo region: on the main
// pages (home, inbox, an incident, a warning, the intake form, a
// protection period) the page's primary action (marked data-primary) lies
// within the screen's width, the navigation is one row that scrolls
// sideways, nothing makes the whole page scroll sideways, and wide tables
// scroll inside their own box so their row actions stay reachable. The
// navigation is reachable by keyboard: Tab from the top reaches its links.
func TestChromiumNarrowScreen(t *testing.T) {
	chromium := apptest.Chromium(t)
	s := apptest.OpenDemo(t, apptest.DSN(t), 10, nil)

	measure := func(b *browsertest.Session, page string) narrowResult {
		t.Helper()
		b.Do(chromedp.Navigate(s.URL+page), chromedp.WaitReady(`main`))
		res, err := chromedp.Run(b.Ctx, chromedp.Evaluate[narrowResult](narrowCheck))
		if err != nil {
			t.Fatalf("%s: %v", page, err)
		}
		if res.VW != 390 {
			t.Fatalf("%s: the screen is %.0f px wide, not 390", page, res.VW)
		}
		if res.PageWidth > res.VW+1 {
			t.Errorf("%s is %.0f px wide in a %.0f px screen: the whole page scrolls sideways", page, res.PageWidth, res.VW)
		}
		if res.NavHeight > 56 || !res.NavScrolls {
			t.Errorf("%s: the navigation is %.0f px high (scrolls sideways: %v); want one row", page, res.NavHeight, res.NavScrolls)
		}
		if len(res.Tables) > 0 {
			t.Errorf("%s: tables %q are wider than the screen and do not scroll in their own box", page, res.Tables)
		}
		return res
	}
	primary := func(b *browsertest.Session, page, who string) {
		t.Helper()
		res := measure(b, page)
		switch {
		case res.Primary == "":
			t.Errorf("%s (%s) marks no primary action", page, who)
		case res.Left < 0 || res.Right > res.VW+0.5 || res.Width < 1:
			t.Errorf("%s (%s): primary action %q spans %.0f–%.0f px, outside the %.0f px screen", page, who, res.Primary, res.Left, res.Right, res.VW)
		default:
			t.Logf("%s (%s): primary action %q at %.0f–%.0f of %.0f px", page, who, res.Primary, res.Left, res.Right, res.VW)
		}
	}
	firstLink := func(b *browsertest.Session, page, sel string) string {
		t.Helper()
		b.Do(chromedp.Navigate(s.URL+page), chromedp.WaitReady(`main`))
		href, err := chromedp.Run(b.Ctx, chromedp.Evaluate[string](fmt.Sprintf(
			`(document.querySelector(%q) || {getAttribute: () => ''}).getAttribute('href') || ''`, sel)))
		if err != nil || href == "" {
			t.Fatalf("%s has no %s (%v)", page, sel, err)
		}
		return href
	}

	// Chromium keeps a window at least 500 px wide: the phone's screen is
	// emulated (device metrics), as the browser's device mode does.
	phone := func(user string) *browsertest.Session {
		b := browsertest.NewSession(t, chromium, s.URL, 390, 844, 5*time.Minute)
		b.Do(chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2)))
		b.LogIn(user, s.Accounts[user])
		return b
	}

	// A county duty officer: home and the inbox, where reports arrive.
	county := phone("qx-duty")
	primary(county, "/", "qx-duty")
	primary(county, "/inbox", "qx-duty")
	// Keyboard: Tab from the top of the page reaches the navigation.
	county.Do(chromedp.Navigate(s.URL+"/"), chromedp.WaitReady(`main`))
	reached := false
	for i := 0; i < 8 && !reached; i++ {
		county.Do(chromedp.KeyEvent("\t"))
		in, err := chromedp.Run(county.Ctx, chromedp.Evaluate[bool](`!!document.activeElement.closest('nav.side')`))
		if err != nil {
			t.Fatal(err)
		}
		reached = in
	}
	if !reached {
		t.Error("eight Tabs from the top never reach the navigation")
	}

	// A unit's reporter: the intake form, its incident waiting for the
	// initial report, the warning it must acknowledge, the period's daily
	// report.
	unit := phone("water-rep")
	primary(unit, "/incidents/new", "water-rep")
	primary(unit, firstLink(unit, "/warnings", `#warnings a[href^="/warnings/"], main a[href^="/warnings/"]`), "water-rep")
	primary(unit, firstLink(unit, "/periods", `main a[href^="/periods/"]`), "water-rep")
	inc := firstLink(unit, "/incidents", `main a[href^="/incidents/"]:not([href$="new"]):not([href*="export"])`)
	primary(unit, inc, "water-rep")

	// Every other main page keeps within the screen too.
	for _, p := range []string{"/incidents", "/warnings", "/periods", "/plans", "/profile"} {
		measure(unit, p)
	}
}
