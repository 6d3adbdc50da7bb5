package web_test

import (
	"os"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"fenghuo/internal/apptest"
	"fenghuo/internal/browsertest"
	"fenghuo/internal/calendar"
)

// TestChromiumStatisticsPage: the county's statistics page in Chromium:
// the navigation offers it, the charts are drawn at their size (not
// squashed by the page's older chart rule), and at 390 px the download of
// the bulletin (the page's primary action) is near the top.
func TestChromiumStatisticsPage(t *testing.T) {
	chromium := apptest.Chromium(t)
	e, srv := console(t)
	statisticsFixture(t, e)
	month := e.Clock.Now().In(calendar.Shanghai).Format("2006-01")
	dir := t.TempDir()
	if d := os.Getenv("FENGHUO_SCREENSHOTS"); d != "" {
		dir = d
	}
	b := browsertest.NewSession(t, chromium, srv.URL, 1280, 1000, 120*time.Second)
	b.LogIn("county-duty", apptest.Password)
	b.Do(browsertest.ClickAndLoad(`nav.side a[href="/statistics"]`), chromedp.WaitVisible(`#stats-grades svg`))
	b.Do(chromedp.Navigate(srv.URL+"/statistics?month="+month), chromedp.WaitVisible(`#stats-grades svg`))
	for _, sel := range []string{"#stats-grades svg", "#stats-punctuality svg", "#stats-categories svg", "#stats-units svg"} {
		h, err := chromedp.Run(b.Ctx, chromedp.Evaluate[float64](`document.querySelector('`+sel+`').getBoundingClientRect().height`))
		if err != nil || h < 40 {
			t.Errorf("%s is %v px high (%v)", sel, h, err)
		}
	}
	h, _ := chromedp.Run(b.Ctx, chromedp.Evaluate[float64](`document.querySelector('#stats-grades svg').getBoundingClientRect().height`))
	if h < 200 {
		t.Errorf("the grade chart is %v px high, want its own 280 px at 1280 px wide", h)
	}
	browsertest.Screenshot(t, b.Ctx, dir, "statistics-1280.png")
	b.Do(chromedp.EmulateViewport(390, 844), chromedp.Reload(), chromedp.WaitVisible(`#stats-documents`))
	bottom, err := chromedp.Run(b.Ctx, chromedp.Evaluate[float64](`document.querySelector('#stats-documents a.primary-action').getBoundingClientRect().bottom`))
	if err != nil || bottom > 844*1.6 {
		t.Errorf("at 390 px the bulletin download is at %v px (%v)", bottom, err)
	}
	// The chart keeps a readable size and scrolls within its figure; the
	// page itself does not scroll sideways.
	right, _ := chromedp.Run(b.Ctx, chromedp.Evaluate[float64](`document.querySelector('#stats-grades figure').getBoundingClientRect().right`))
	svgW, _ := chromedp.Run(b.Ctx, chromedp.Evaluate[float64](`document.querySelector('#stats-grades svg').getBoundingClientRect().width`))
	if right > 390 || svgW < 500 {
		t.Errorf("at 390 px the grade chart's figure ends at %v px and the chart is %v px wide", right, svgW)
	}
	browsertest.Screenshot(t, b.Ctx, dir, "statistics-390.png")
}
