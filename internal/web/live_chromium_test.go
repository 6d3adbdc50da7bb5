package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"fenghuo/internal/app/incident"
	"fenghuo/internal/apptest"
	"fenghuo/internal/browsertest"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/plan"
	"fenghuo/internal/store"
)

// Issue 13 acceptance, "a new initial report appears … in the inbox badge
// within 2 seconds without a reload": a county duty officer has the home
// page, the inbox and the wall open in three tabs; the school files its
// initial report; without a reload, both tabs' inbox badge rises to 1, the
// inbox tab's list shows the report, the wall's clocks change, the home tab shows a toast and raises a
// desktop notification (the permission granted). The other county's
// stream, read with an HTTP client, receives nothing.
func TestChromiumLiveInitialReport(t *testing.T) {
	chromium := apptest.Chromium(t)
	e, srv := console(t)
	e.User(t, "county-duty", "county", fenghuo.RoleDutyOfficer)
	e.User(t, "county2-duty", "county2", fenghuo.RoleDutyOfficer)
	inc := defacedPortal(t, e)

	other := browser(t)
	login(t, other, srv, "county2-duty", apptest.Password)
	_, otherFrames := stream(t, other, srv, "")
	next(t, otherFrames, "hello", 10*time.Second)

	b := browsertest.NewSession(t, chromium, srv.URL, 1280, 900, 120*time.Second)
	b.LogIn("county-duty", apptest.Password)
	opened := `document.body.getAttribute('data-live-state') === 'open'`
	// A desktop notification the page raises is recorded (the permission
	// reads as granted, as after the inbox page's button).
	stub := `(function(){window.__notified=[];var N=function(title,o){window.__notified.push(o&&o.body);};
	  N.permission='granted';N.requestPermission=function(){return Promise.resolve('granted');};window.Notification=N;return true;})()`
	b.Do(chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(`nav.side`), chromedp.Poll[chromedp.Void](opened))
	if _, err := chromedp.Run(b.Ctx, chromedp.Evaluate[bool](stub)); err != nil {
		t.Fatal(err)
	}
	inbox, cancel := chromedp.NewContext(b.Ctx)
	defer cancel()
	// The tab's first run opens it and must not be cancelled before the
	// tab is done with (chromedp closes a tab with the context that opened it).
	if err := chromedp.Do(inbox, chromedp.Navigate(srv.URL+"/inbox"), chromedp.WaitVisible(`#inbox-list`), chromedp.Poll[chromedp.Void](opened)); err != nil {
		t.Fatal(err)
	}
	// The wall (大屏) in a third tab: its clocks change with the report
	// (the unit's initial report is met, the county's onward duty starts).
	wall, cancelWall := chromedp.NewContext(b.Ctx)
	defer cancelWall()
	if err := chromedp.Do(wall, chromedp.Navigate(srv.URL+"/wall"), chromedp.WaitVisible(`#wall-clocks`), chromedp.Poll[chromedp.Void](opened)); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(wall, chromedp.Evaluate[string](`window.__wallBefore = document.getElementById('wall-clocks').textContent`)); err != nil {
		t.Fatal(err)
	}
	if hidden, _ := chromedp.Run(b.Ctx, chromedp.Evaluate[bool](`document.getElementById('nav-inbox-count').hidden`)); !hidden {
		t.Fatal("the badge shows before any report")
	}

	// A countdown an hour ahead of the server's clock, on a page whose
	// clock offset has gone wrong: the next event's server time puts it right.
	skew := `(function(){var s=document.createElement('span');s.id='cd-test';
	  s.setAttribute('data-due',new Date(Date.parse(document.body.getAttribute('data-now'))+3600000).toISOString());
	  document.body.appendChild(s);window.fenghuoClock.sync('2000-01-01T00:00:00Z');window.fenghuoClock.refresh();return true;})()`
	if _, err := chromedp.Run(b.Ctx, chromedp.Evaluate[bool](skew)); err != nil {
		t.Fatal(err)
	}
	if got := b.Text(`#cd-test`); strings.HasPrefix(got, "1:00:") || strings.HasPrefix(got, "0:59:") {
		t.Fatalf("the sabotaged offset did not take: %q", got)
	}

	fileInitialReport(t, e, inc)
	start := time.Now()
	const within = 2 * time.Second
	badge := `(function(){var b=document.getElementById('nav-inbox-count');return !b.hidden && b.textContent==='1';})()`
	listed := `document.getElementById('inbox-list').textContent.indexOf('学校门户网站首页被篡改') >= 0`
	toast := `!!document.querySelector('#live-toasts .live-toast.initial') && window.__notified.length === 1`
	wait := func(ctx context.Context, what, js string) time.Duration {
		t.Helper()
		for {
			ctx2, cancel := context.WithTimeout(ctx, 2*time.Second)
			ok, err := chromedp.Run(ctx2, chromedp.Evaluate[bool](js))
			cancel()
			if err == nil && ok {
				return time.Since(start)
			}
			if time.Since(start) > 15*time.Second {
				t.Fatalf("%s: not seen 15 s after the report (last error %v)", what, err)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	latencies := map[string]time.Duration{
		"home tab badge":  wait(b.Ctx, "home tab badge", badge),
		"home tab toast":  wait(b.Ctx, "home tab toast and notification", toast),
		"inbox tab badge": wait(inbox, "inbox tab badge", badge),
		"inbox tab list":  wait(inbox, "inbox tab list", listed),
		"wall clocks":     wait(wall, "wall clocks", `document.getElementById('wall-clocks').textContent !== window.__wallBefore && typeof window.__wallBefore === 'string'`),
	}
	for what, d := range latencies {
		t.Logf("%s updated %v after the report was committed", what, d.Round(time.Millisecond))
		if d > within {
			t.Errorf("%s took %v, want within %v", what, d, within)
		}
	}
	text, _ := chromedp.Run(b.Ctx, chromedp.Text(`#live-toasts .live-toast.initial`))
	if !strings.Contains(text, "收到新的初报") {
		t.Errorf("toast reads %q", text)
	}
	notified, _ := chromedp.Run(b.Ctx, chromedp.Evaluate[string](`window.__notified[0] || ''`))
	if !strings.Contains(notified, "收到新的初报") {
		t.Errorf("desktop notification reads %q", notified)
	}
	// The event carried the server's time (the test's fixed clock, 09:00):
	// the countdown counts from it again.
	var got string
	for end := time.Now().Add(3 * time.Second); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
		if got = b.Text(`#cd-test`); strings.HasPrefix(got, "1:00:") || strings.HasPrefix(got, "0:59:") {
			break
		}
	}
	if !strings.HasPrefix(got, "1:00:") && !strings.HasPrefix(got, "0:59:") {
		t.Errorf("countdown after the event %q, want about 1:00:00 from the server's clock", got)
	}
	// No reload happened: the home tab and the wall are the same documents.
	if same, _ := chromedp.Run(b.Ctx, chromedp.Evaluate[bool](`Array.isArray(window.__notified)`)); !same {
		t.Error("the home tab was reloaded")
	}
	if same, _ := chromedp.Run(wall, chromedp.Evaluate[bool](`typeof window.__wallBefore === 'string'`)); !same {
		t.Error("the wall was reloaded")
	}

	// The other county: nothing but heartbeats.
	quiet := time.After(1500 * time.Millisecond)
	for done := false; !done; {
		select {
		case f := <-otherFrames:
			if f.Event != "" || f.ID != "" {
				t.Errorf("the other county received %+v", f)
			}
		case <-quiet:
			done = true
		}
	}
}

// A live region is never swapped under the user: while the county officer
// types a note into the inbox's forward form, a second initial report
// raises the badge but leaves the list (and the note) alone; once the
// note is cleared and the focus leaves, the list shows the new report.
func TestChromiumLiveRegionKeepsEditing(t *testing.T) {
	chromium := apptest.Chromium(t)
	e, srv := console(t)
	duty, _ := e.User(t, "county-duty", "county", fenghuo.RoleDutyOfficer)
	ctx := context.Background()
	first := defacedPortal(t, e)
	fileInitialReport(t, e, first)
	inbox, err := e.App.Incidents.Inbox(ctx, e.Actor(t, duty), store.Page{Limit: 10})
	if err != nil || len(inbox.Items) != 1 {
		t.Fatalf("inbox %+v %v", inbox, err)
	}
	if err := e.App.Incidents.ReceiveReport(ctx, e.Actor(t, duty), inbox.Items[0].ID); err != nil {
		t.Fatal(err)
	}
	reporter, _ := e.DB.UserByUsername(ctx, "school-rep")
	second, err := e.App.Incidents.CreateIncident(ctx, e.Actor(t, reporter), incident.IncidentInput{
		OrgID: e.Orgs["school"].ID, Title: "学校邮件系统遭勒索软件加密", Category: "IAI", DiscoveredAt: e.Clock.Now(),
		Facts: plan.Facts{"social_impact": "serious", "defacement_homepage_minutes": 40}})
	if err != nil {
		t.Fatal(err)
	}

	b := browsertest.NewSession(t, chromium, srv.URL, 1280, 900, 120*time.Second)
	b.LogIn("county-duty", apptest.Password)
	b.Do(chromedp.Navigate(srv.URL+"/inbox"), chromedp.WaitVisible(`#inbox-list input[name="note"]`),
		chromedp.Poll[chromedp.Void](`document.body.getAttribute('data-live-state') === 'open'`),
		chromedp.SendKeys(`#inbox-list input[name="note"]`, "正在核实"))
	fileInitialReport(t, e, second)
	b.WaitText(`#nav-inbox-count`, "1", 10*time.Second)
	time.Sleep(1500 * time.Millisecond) // the re-read has come back by now
	state, err := chromedp.Run(b.Ctx, chromedp.Evaluate[string](`document.querySelector('#inbox-list input[name="note"]').value + '|' +
		(document.getElementById('inbox-list').textContent.indexOf('学校邮件系统遭勒索软件加密') >= 0)`))
	if err != nil || state != "正在核实|false" {
		t.Fatalf("while editing: %q %v, want the note kept and the list not swapped", state, err)
	}
	// Done editing: the note cleared, the focus gone; the list catches up.
	if _, err := chromedp.Run(b.Ctx, chromedp.Evaluate[bool](`(function(){var i=document.querySelector('#inbox-list input[name="note"]');
		i.value='';i.blur();return true;})()`)); err != nil {
		t.Fatal(err)
	}
	b.WaitText(`#inbox-list`, "学校邮件系统遭勒索软件加密", 3*time.Second)
}
