package web_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"fenghuo/internal/apptest"
	"fenghuo/internal/browsertest"
)

// In a real Chromium the live countdown reads as the server renders it: a
// deadline a month away as days and hours ("29天 09:35", not "705:35:46"),
// an overdue one as how long overdue in words ("已逾期 3小时11分", not
// "-3:11:08"), in Chinese and in English, and it keeps those words while
// it ticks.
func TestChromiumCountdownWords(t *testing.T) {
	chromium := apptest.Chromium(t)
	e, srv := console(t)
	inc := defacedPortal(t, e)
	b := browsertest.NewSession(t, chromium, srv.URL, 1280, 1000, 90*time.Second)
	b.LogIn("school-rep", apptest.Password)
	b.Do(chromedp.Navigate(srv.URL+"/incidents/"+strconv.FormatInt(inc.ID, 10)), chromedp.WaitVisible(`#incident-countdown`))
	// Two countdowns due at fixed offsets from the server's clock (the
	// page's data-now), for the script to tick.
	add := `(function(){var now=Date.parse(document.body.getAttribute('data-now'));
	  [['cd-long',(705*3600+35*60+30)*1000],['cd-over',-(3*3600+11*60+8)*1000],['cd-days-over',-(26*3600+60)*1000]].forEach(function(c){
	    var s=document.createElement('span');s.id=c[0];s.setAttribute('data-due',new Date(now+c[1]).toISOString());document.body.appendChild(s);});
	  return true;})()`
	check := func(want map[string]string) {
		t.Helper()
		if _, err := chromedp.Run(b.Ctx, chromedp.Evaluate[bool](add)); err != nil {
			t.Fatal(err)
		}
		for sel, w := range want {
			if got := b.WaitText("#"+sel, w, 5*time.Second); got != w {
				t.Errorf("%s reads %q, want %q", sel, got, w)
			}
		}
	}
	check(map[string]string{"cd-long": "29天 09:35", "cd-over": "已逾期 3小时11分", "cd-days-over": "已逾期 1天2小时"})
	// The header's own countdown (the 2-hour initial report) still ticks in h:mm:ss.
	if got := b.Text("#incident-countdown"); len(got) < 7 || got[:5] != "1:59:" {
		t.Errorf("header countdown %q", got)
	}
	b.Do(browsertest.ClickAndLoad(`form[action="/lang"] button`), chromedp.WaitVisible(`#incident-countdown`))
	check(map[string]string{"cd-long": "29 d 09:35", "cd-over": "overdue 3 h 11 min", "cd-days-over": "overdue 1 d 2 h"})
}
