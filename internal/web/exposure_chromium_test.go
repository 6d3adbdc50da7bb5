package web_test

import (
	"context"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"fenghuo/internal/apptest"
	"fenghuo/internal/browsertest"
	"fenghuo/internal/fenghuo"
)

// Issue 12 item 5 in Chromium: a unit opens its system's exposure page and
// checks it now; a loopback listener on a high-risk port of its registered
// address shows as open, in words, with a link to the finding it raised;
// the county sets its policy (ports, scheduled checks) on the overview.
func TestChromiumExposureCheck(t *testing.T) {
	chromium := apptest.Chromium(t)
	e, srv := console(t)
	ctx := context.Background()
	// The high-risk port: 3389 on loopback when free, else a free port
	// named in the county's policy (the list is per office).
	ln, err := net.Listen("tcp", "127.0.0.1:3389")
	if err != nil {
		if ln, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
			t.Fatal(err)
		}
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	hot := ln.Addr().(*net.TCPAddr).Port
	probe, _ := net.Listen("tcp", "127.0.0.1:0")
	cold := probe.Addr().(*net.TCPAddr).Port
	probe.Close()

	e.App.Exposure.SetRate(0, 0)
	commander, _ := e.User(t, "county-cmd", "county", fenghuo.RoleCommander)
	if err := e.App.Exposure.SetPolicy(ctx, e.Actor(t, commander), e.Orgs["county"].ID,
		fenghuo.ExposurePolicy{Ports: []int{hot, cold}, IntervalHours: 24}); err != nil {
		t.Fatal(err)
	}
	e.User(t, "school-rep", "school", fenghuo.RoleUnitReporter)
	sys := &fenghuo.System{OrgID: e.Orgs["school"].ID, Name: "学校门户网站",
		Exposure: []fenghuo.Exposure{{Kind: fenghuo.ExposureIP, Value: "127.0.0.1"}}}
	if err := e.DB.CreateSystem(ctx, sys); err != nil {
		t.Fatal(err)
	}

	unit := browsertest.NewSession(t, chromium, srv.URL, 1280, 1000, 120*time.Second)
	unit.LogIn("school-rep", apptest.Password)
	unit.Do(chromedp.Navigate(srv.URL+"/exposure"), chromedp.WaitVisible(`#exposure-systems`))
	if got := unit.Text(`#exposure-systems`); !strings.Contains(got, "学校门户网站") || !strings.Contains(got, "尚未检测") {
		t.Errorf("overview row: %q", got)
	}
	unit.Do(browsertest.ClickAndLoad(`#exposure-systems a`), chromedp.WaitVisible(`#run-check`),
		browsertest.ClickAndLoad(`#run-check button`), chromedp.WaitVisible(`#exposure-results`))
	if got := unit.Text(`#open-count`); !strings.Contains(got, "1 个高危端口开放") {
		t.Errorf("summary: %q", got)
	}
	results := unit.Text(`#exposure-results`)
	for _, want := range []string{"开放", "关闭", "查看隐患", fmt.Sprint(hot), "高危"} {
		if !strings.Contains(results, want) {
			t.Errorf("results lack %q: %q", want, results)
		}
	}
	if hot == 3389 && !strings.Contains(results, "远程桌面") {
		t.Errorf("port 3389 not named: %q", results)
	}
	page := unit.Text(`main`)
	if found := keysIn(page, []string{"open", "closed", "timeout", "manual", "schedule", "server", "error"}, false); len(found) > 0 {
		t.Errorf("raw keys on the page: %v\n%s", found, page)
	}
	// The finding link leads to the finding the check raised.
	href, err := chromedp.Run(unit.Ctx, chromedp.Evaluate[string](`document.querySelector('#exposure-results a[href^="/findings/"]').getAttribute('href')`))
	if err != nil {
		t.Fatal(err)
	}
	var fid int64
	fmt.Sscanf(href, "/findings/%d", &fid)
	if f, err := e.DB.Finding(ctx, fid); err != nil || f.Source != fenghuo.FindingSourceExposure || f.SystemID != sys.ID {
		t.Errorf("linked finding %q: %+v %v", href, f, err)
	}
	// The unit may not change the county's policy: no form.
	unit.Do(chromedp.Navigate(srv.URL+"/exposure"), chromedp.WaitVisible(`#exposure-policy`))
	if n, _ := chromedp.Run(unit.Ctx, chromedp.Evaluate[int](`document.querySelectorAll('#exposure-policy form').length`)); n != 0 {
		t.Errorf("the unit is offered the policy form")
	}

	// The county turns scheduled checks on with its own port list.
	county := browsertest.NewSession(t, chromium, srv.URL, 1280, 1000, 120*time.Second)
	county.LogIn("county-cmd", apptest.Password)
	county.Do(chromedp.Navigate(srv.URL+"/exposure"), chromedp.WaitVisible(`#exposure-policy form`),
		chromedp.SetValue(`#ports`, "21, 22，3389"), chromedp.Click(`#exposure-policy input[name=scheduled]`),
		chromedp.SetValue(`#interval_hours`, "12"),
		browsertest.ClickAndLoad(`#exposure-policy button`), chromedp.WaitVisible(`.flash.ok`))
	pol, setBy, err := e.App.Exposure.Policy(ctx, e.Actor(t, commander), e.Orgs["county"].ID)
	if err != nil || setBy != e.Orgs["county"].ID || !pol.Scheduled || pol.IntervalHours != 12 || len(pol.Ports) != 3 || !pol.HighRisk(3389) {
		t.Errorf("policy after the form: %+v %d %v", pol, setBy, err)
	}
	if got := county.Text(`#exposure-policy`); !strings.Contains(got, "已开启，每 12 小时") {
		t.Errorf("policy panel: %q", got)
	}
	// A port that is not a number is refused in words, the typed list kept.
	county.Do(chromedp.SetValue(`#ports`, "21, RDP"), browsertest.ClickAndLoad(`#exposure-policy button`), chromedp.WaitVisible(`.flash.error`))
	if got := county.Text(`.flash.error`); !strings.Contains(got, "不是端口号") {
		t.Errorf("error: %q", got)
	}
}
