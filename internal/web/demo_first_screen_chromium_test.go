package web_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"fenghuo/internal/apptest"
	"fenghuo/internal/browsertest"
)

// TestChromiumDemoFirstScreen: the demo region's county duty officer logs
// in and the first screen leads with the hospital's grade I incident whose
// written initial report is overdue: red, saying how long, not ticking
// (issue 13 acceptance). With FENGHUO_SCREENSHOTS=DIR the screen is saved
// there as demo-county.png.
func TestChromiumDemoFirstScreen(t *testing.T) {
	chromium := apptest.Chromium(t)
	s := apptest.OpenDemo(t, apptest.DSN(t), 0, nil)
	b := browsertest.NewSession(t, chromium, s.URL, 1280, 1000, 120*time.Second)
	b.LogIn("qx-duty", s.Accounts["qx-duty"])
	b.Do(chromedp.Navigate(s.URL+"/"), chromedp.WaitVisible(`#aware-clocks`))
	first := b.Text(`#aware-clocks li.clock:first-child`)
	if !strings.Contains(first, "Ⅰ级") || !strings.Contains(first, "已逾期") {
		t.Errorf("the first clock of the demo county reads %q, want the grade I duty overdue", first)
	}
	color, err := chromedp.Run(b.Ctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector('#aware-clocks li.clock:first-child .countdown')).color`))
	if err != nil || color != "rgb(179, 38, 30)" {
		t.Errorf("the overdue clock's colour is %q (%v), want red", color, err)
	}
	if d := os.Getenv("FENGHUO_SCREENSHOTS"); d != "" {
		browsertest.Screenshot(t, b.Ctx, d, "demo-county.png")
	}
}
