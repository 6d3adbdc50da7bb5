package web_test

import (
	"context"
	"fmt"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"fenghuo/internal/app/account"
	"fenghuo/internal/app/exposure"
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
	// 立即检测 queues the check: the page says 检测中 at once and updates
	// itself when the checker (Serve, in the server) has run it.
	unit.Do(browsertest.ClickAndLoad(`#exposure-systems a`), chromedp.WaitVisible(`#run-check`),
		browsertest.ClickAndLoad(`#run-check button`), chromedp.WaitVisible(`#exposure-checking`))
	if got := unit.Text(`#exposure-checking`); !strings.Contains(got, "检测中") || !strings.Contains(got, "排队") {
		t.Errorf("checking: %q", got)
	}
	if n, err := e.App.Exposure.RunDue(ctx, 10); err != nil || n != 1 {
		t.Fatalf("the checker ran %d queued checks: %v", n, err)
	}
	unit.Do(chromedp.WaitVisible(`#exposure-results`))
	if n, _ := chromedp.Run(unit.Ctx, chromedp.Evaluate[int](`document.querySelectorAll('#exposure-checking').length`)); n != 0 {
		t.Errorf("still 检测中 after the check")
	}
	if got := unit.Text(`#open-count`); !strings.Contains(got, "1 个高危端口开放") {
		t.Errorf("summary: %q", got)
	}
	results := unit.Text(`#exposure-results`)
	for _, want := range []string{"开放", "关闭", "查看隐患", fmt.Sprint(hot), "高危", "本平台服务器"} {
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
	if got := county.Text(`#exposure-policy`); !strings.Contains(got, "已开启,每 12 小时") {
		t.Errorf("policy panel: %q", got)
	}
	// A vantage point that is no registered probe is refused in words.
	county.Do(chromedp.SetValue(`#vantages`, "server, 移动探针"), browsertest.ClickAndLoad(`#exposure-policy button`), chromedp.WaitVisible(`.flash.error`))
	if got := county.Text(`.flash.error`); !strings.Contains(got, "未登记名为“移动探针”的探针") {
		t.Errorf("vantage error: %q", got)
	}
	// A port that is not a number is refused in words, the typed list kept.
	county.Do(chromedp.WaitVisible(`#vantages`), chromedp.SetValue(`#vantages`, "server"), chromedp.SetValue(`#ports`, "21, RDP"),
		browsertest.ClickAndLoad(`#exposure-policy button`), chromedp.WaitVisible(`.flash.error`))
	if got := county.Text(`.flash.error`); !strings.Contains(got, "不是端口号") {
		t.Errorf("error: %q", got)
	}
}

// A port open only to another network, in Chromium: the county names a
// registered remote probe as a vantage point in its policy form; the unit's
// 立即检测 shows 检测中, then 等待探针报告 once the server's own check is
// stored (closed from here); the real probe client reports over loopback
// and the page, refreshing itself, shows the port open from the probe.
func TestChromiumExposureFromProbe(t *testing.T) {
	chromium := apptest.Chromium(t)
	e, srv := console(t)
	ctx := context.Background()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
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
	// The server's network does not reach the port.
	e.App.Exposure.Dial = func(ctx context.Context, network, addr string) (net.Conn, error) {
		return nil, &net.OpError{Op: "dial", Net: network, Err: syscall.ECONNREFUSED}
	}
	e.App.Exposure.SetRate(0, 0)
	_, token, err := e.App.Monitoring.RegisterProbe(ctx, account.CLIActor(), "联通探针", "联通")
	if err != nil {
		t.Fatal(err)
	}
	e.User(t, "county-cmd", "county", fenghuo.RoleCommander)
	e.User(t, "school-rep", "school", fenghuo.RoleUnitReporter)
	sys := &fenghuo.System{OrgID: e.Orgs["school"].ID, Name: "学校门户网站",
		Exposure: []fenghuo.Exposure{{Kind: fenghuo.ExposureIP, Value: "127.0.0.1"}}}
	if err := e.DB.CreateSystem(ctx, sys); err != nil {
		t.Fatal(err)
	}

	county := browsertest.NewSession(t, chromium, srv.URL, 1280, 1000, 120*time.Second)
	county.LogIn("county-cmd", apptest.Password)
	county.Do(chromedp.Navigate(srv.URL+"/exposure"), chromedp.WaitVisible(`#exposure-policy form`),
		chromedp.SetValue(`#ports`, fmt.Sprint(hot)), chromedp.SetValue(`#vantages`, "server，联通探针"),
		browsertest.ClickAndLoad(`#exposure-policy button`), chromedp.WaitVisible(`.flash.ok`))
	if got := county.Text(`#policy-vantages`); !strings.Contains(got, "本平台服务器") || !strings.Contains(got, "探针「联通探针」") {
		t.Errorf("policy vantages: %q", got)
	}

	unit := browsertest.NewSession(t, chromium, srv.URL, 1280, 1000, 120*time.Second)
	unit.LogIn("school-rep", apptest.Password)
	unit.Do(chromedp.Navigate(fmt.Sprintf("%s/exposure/systems/%d", srv.URL, sys.ID)), chromedp.WaitVisible(`#run-check`),
		browsertest.ClickAndLoad(`#run-check button`), chromedp.WaitVisible(`#exposure-checking`))
	if n, err := e.App.Exposure.RunDue(ctx, 10); err != nil || n != 1 {
		t.Fatalf("the checker ran %d: %v", n, err)
	}
	// The server's check is stored; the probe has not reported yet.
	unit.WaitText(`#exposure-live`, "等待探针报告：探针「联通探针」", 30*time.Second)
	if got := unit.Text(`#exposure-checking`); strings.Contains(got, "排队") {
		t.Errorf("the server's check still shown as queued: %q", got)
	}
	client := exposure.NewProbeClient(srv.URL, token, nil)
	client.SetRate(0, 0)
	if n, err := client.Round(ctx); err != nil || n != 1 {
		t.Fatalf("probe round: %d %v", n, err)
	}
	unit.WaitText(`#exposure-results`, "探针「联通探针」", 30*time.Second)
	if n, _ := chromedp.Run(unit.Ctx, chromedp.Evaluate[int](`document.querySelectorAll('#exposure-checking').length`)); n != 0 {
		t.Errorf("still 检测中 after the probe's report")
	}
	results := unit.Text(`#exposure-results`)
	if !strings.Contains(results, "本平台服务器") || !strings.Contains(results, "开放") || !strings.Contains(results, "关闭") {
		t.Errorf("results by vantage: %q", results)
	}
	if got := unit.Text(`#open-count`); !strings.Contains(got, "1 个高危端口开放") {
		t.Errorf("summary: %q", got)
	}
}
