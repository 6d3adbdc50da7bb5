package web_test

import (
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"fenghuo/internal/apptest"
	"fenghuo/internal/browsertest"
)

// In a real Chromium: the unit's reporter opens its grade II incident. The
// header shows the grade, the status, the response level, the unit and the
// next deadline as a large countdown that ticks from the server's clock;
// every tab loads under the same header, in words without stored keys, in
// Chinese and in English; at phone width the header and the primary
// action still show.
func TestChromiumIncidentTabs(t *testing.T) {
	chromium := apptest.Chromium(t)
	e, srv := console(t)
	inc := defacedPortal(t, e)
	base := "/incidents/" + strconv.FormatInt(inc.ID, 10)
	b := browsertest.NewSession(t, chromium, srv.URL, 1280, 1000, 120*time.Second)
	b.LogIn("school-rep", apptest.Password)
	b.Do(chromedp.Navigate(srv.URL+base), chromedp.WaitVisible(`#incident-header`))

	header := b.Text(`#incident-header`)
	for _, want := range []string{"学校门户网站首页被篡改", "重大（Ⅱ级）", "草稿", "未启动", "甲县第一中学", "下一时限"} {
		if !strings.Contains(header, want) {
			t.Errorf("header lacks %q: %q", want, header)
		}
	}
	// The 2-hour initial report clock counts down from the server's time
	// (the test clock, far from the machine's), and ticks.
	first := b.WaitText(`#incident-countdown`, "1:59:", 5*time.Second)
	if !regexp.MustCompile(`^1:59:[0-5][0-9]$`).MatchString(first) {
		t.Errorf("countdown %q, want just under 2 hours", first)
	}
	time.Sleep(2100 * time.Millisecond)
	if again := b.Text(`#incident-countdown`); again == first {
		t.Errorf("the countdown does not tick: %q", again)
	}
	big, err := chromedp.Run(b.Ctx, chromedp.Evaluate[float64](`parseFloat(getComputedStyle(document.getElementById('incident-countdown')).fontSize)`))
	if err != nil || big < 30 {
		t.Errorf("the countdown is not large: %vpx (%v)", big, err)
	}

	tabs := []struct{ path, zh, en string }{
		{base, "事件要素", "Facts"}, {base + "/reports", "报告", "Reports"},
		{base + "/timeline", "时间线", "Timeline"}, {base + "/evidence", "证据", "Evidence"},
	}
	// The tabs built by the response, task and aftermath pages are linked.
	for _, p := range []string{base + "/tasks", base + "/response", base + "/documents"} {
		if n, err := chromedp.Run(b.Ctx, chromedp.Evaluate[int](`document.querySelectorAll('#incident-tabs a[href="`+p+`"]').length`)); err != nil || n != 1 {
			t.Errorf("no tab links to %s", p)
		}
	}
	dir := t.TempDir()
	if d := os.Getenv("FENGHUO_SCREENSHOTS"); d != "" {
		dir = d
	}
	walk := func(lang string) {
		for _, tab := range tabs {
			name := tab.zh
			if lang == "en" {
				name = tab.en
			}
			b.Do(browsertest.ClickAndLoad(`#incident-tabs a[href="`+tab.path+`"]`), chromedp.WaitVisible(`#incident-tabs a[aria-current="page"][href="`+tab.path+`"]`))
			if got := b.Text(`#incident-tabs a[aria-current="page"]`); got != name {
				t.Errorf("%s (%s): the current tab reads %q, want %q", tab.path, lang, got, name)
			}
			if !strings.Contains(b.Text(`#incident-header`), map[string]string{"zh": "重大（Ⅱ级）", "en": "Grade II"}[lang]) {
				t.Errorf("%s (%s): the header lost the grade", tab.path, lang)
			}
			text := b.Text(`main`)
			keys := rawKeys
			if lang == "en" {
				keys = nil
				for _, k := range rawKeys {
					if strings.ContainsAny(k, "_-") {
						keys = append(keys, k)
					}
				}
			}
			if found := keysIn(text, keys, lang == "zh"); len(found) > 0 {
				t.Errorf("%s (%s) shows raw keys %q", tab.path, lang, found)
			}
			if strings.Contains(text, "(gbz") || strings.Contains(text, "gbt-") {
				t.Errorf("%s (%s) shows a taxonomy key", tab.path, lang)
			}
			if lang == "zh" && tab.path != base {
				browsertest.Screenshot(t, b.Ctx, dir, "incident-"+strings.TrimPrefix(tab.path, base+"/")+"-1280.png")
			}
		}
	}
	walk("zh")
	b.Do(chromedp.Navigate(srv.URL+base), chromedp.WaitVisible(`#incident-header`))
	browsertest.Screenshot(t, b.Ctx, dir, "incident-1280.png")
	// At phone width the countdown and the facts tab's primary action
	// (the initial report) are on the first screen.
	b.Do(chromedp.EmulateViewport(390, 844), chromedp.Reload(), chromedp.WaitVisible(`#incident-countdown`))
	browsertest.Screenshot(t, b.Ctx, dir, "incident-390.png")
	for _, sel := range []string{"#incident-countdown", `main a.button[href$="kind=initial"]`} {
		bottom, err := chromedp.Run(b.Ctx, chromedp.Evaluate[float64](`document.querySelector('`+sel+`').getBoundingClientRect().bottom`))
		if err != nil || bottom > 844*1.6 {
			t.Errorf("at 390 px %s ends at %v px (%v)", sel, bottom, err)
		}
	}
	b.Do(chromedp.EmulateViewport(1280, 1000), chromedp.Navigate(srv.URL+base), chromedp.WaitVisible(`form[action="/lang"] button`),
		browsertest.ClickAndLoad(`form[action="/lang"] button`), chromedp.WaitVisible(`html[lang="en"]`), chromedp.WaitVisible(`#incident-header`))
	header = b.Text(`#incident-header`)
	for _, want := range []string{"Grade II, major", "draft", "none", "Next deadline"} {
		if !strings.Contains(header, want) {
			t.Errorf("English header lacks %q: %q", want, header)
		}
	}
	walk("en")
}
