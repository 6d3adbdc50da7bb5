package web_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"fenghuo/internal/app/intake"
	"fenghuo/internal/apptest"
	"fenghuo/internal/browsertest"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/ingest/syslogd"
	"fenghuo/internal/store"
)

// Issue 14's acceptance, tried as a new user would, with the real
// detectors (the built-in Sigma rule sets and the IOC library's matcher):
//
//   - the school registers its mail server as an intake source on the
//     console; a real rsyslogd reads the mail server's log (Dovecot lines)
//     and forwards it over TCP to the syslog receiver: twenty failed
//     log-ins for one mailbox from one foreign address within seconds make
//     exactly one alert group; the county's duty officer promotes it on the
//     console and lands on a draft incident of the school with the category
//     mapped from the rule's ATT&CK tags and the facts the platform knows;
//   - the city imports a STIX bundle on the 威胁情报 page; a Suricata 7.0
//     EVE dns record carrying its TLP:AMBER domain, sent by a unit of
//     another county of the city under its intake token, raises an IOC
//     alert at that unit, which sees it on its alert list; the same record
//     from a unit of another city raises nothing (AMBER stays in the tree).
func TestIssue14Acceptance(t *testing.T) {
	chromium := apptest.Chromium(t)
	rsyslogd := lookRsyslogd(t)
	ctx := context.Background()
	e, srv := console(t)
	// The app's clock at the wall's time: rsyslog stamps lines with it.
	e.Clock.Set(time.Now())
	city2 := &fenghuo.Org{Name: "丙市委网信办", Level: fenghuo.LevelCity, Type: fenghuo.OrgRegulator}
	if err := e.DB.CreateOrg(ctx, city2); err != nil {
		t.Fatal(err)
	}
	gas := &fenghuo.Org{ParentID: city2.ID, Name: "丙市燃气公司", Level: fenghuo.LevelUnit, Type: fenghuo.OrgOperator}
	if err := e.DB.CreateOrg(ctx, gas); err != nil {
		t.Fatal(err)
	}
	e.Orgs["gas"] = gas
	it, _ := e.User(t, "school-it", "school", fenghuo.RoleUnitReporter)
	e.User(t, "county-duty", "county", fenghuo.RoleDutyOfficer)
	e.User(t, "city-analyst", "city", fenghuo.RoleAnalyst)
	school2, _ := e.User(t, "school2-it", "school2", fenghuo.RoleUnitReporter)
	gasRep, _ := e.User(t, "gas-it", "gas", fenghuo.RoleUnitReporter)
	mail := &fenghuo.System{OrgID: e.Orgs["school"].ID, Name: "校园邮件系统",
		Exposure: []fenghuo.Exposure{{Kind: "domain", Value: "mail.school.example.cn"}}}
	if err := e.App.Directory.CreateSystem(ctx, e.Actor(t, it), mail); err != nil {
		t.Fatal(err)
	}
	recv, err := syslogd.New(syslogd.Config{Sink: e.App.Intake, Resolver: e.App.Intake, TCP: "127.0.0.1:0",
		BatchSize: 64, BatchWait: 50 * time.Millisecond, Now: e.App.Core.Now})
	if err != nil {
		t.Fatal(err)
	}
	if err := recv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { recv.Shutdown(context.Background()) })
	dir := t.TempDir()
	if d := os.Getenv("FENGHUO_SCREENSHOTS"); d != "" {
		dir = d
	}

	// The school's IT contact registers the mail server, which forwards
	// from this host.
	school := browsertest.NewSession(t, chromium, srv.URL, 1280, 1000, 180*time.Second)
	school.LogIn("school-it", apptest.Password)
	// 告警 is not in a unit's navigation until it has a source: the way
	// in is from its systems.
	school.Do(browsertest.ClickAndLoad(`nav.side a[href="/systems"]`), chromedp.WaitVisible(`#systems-intake-link`),
		browsertest.ClickAndLoad(`#systems-intake-link`), chromedp.WaitVisible(`#sources-none`),
		chromedp.WaitVisible(`#src-name`), // the form is open while there is no source
		chromedp.SendKeys(`#src-name`, "学校邮件服务器"), chromedp.SetValue(`#src-kind`, "mail"),
		chromedp.SendKeys(`#src-addresses`, "127.0.0.1"),
		browsertest.ClickAndLoad(`#src-create`), chromedp.WaitVisible(`#source-token-value`),
		browsertest.ClickAndLoad(`#source-token-done`), chromedp.WaitVisible(`#source-list`))

	// rsyslog on the mail server forwards Dovecot's log.
	const attacker, mailbox = "185.220.101.1", "zhang@school.example.cn"
	var lines []string
	for i := range 20 {
		lines = append(lines, fmt.Sprintf("imap-login: Disconnected (auth failed, 1 attempts in 2 secs): user=<%s>, method=PLAIN, rip=%s, lip=10.8.1.25, TLS, session=<acc14s%02d>",
			mailbox, attacker, i))
	}
	log := filepath.Join(dir, "mail.log")
	if err := os.WriteFile(log, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, port, _ := net.SplitHostPort(recv.Addr("tcp").String())
	runRsyslog(t, rsyslogd, dir, fmt.Sprintf(`global(workDirectory=%q localHostName="mail.school.example.cn")
module(load="imfile")
input(type="imfile" file=%q tag="dovecot:" facility="mail" severity="info" ruleset="forward")
ruleset(name="forward") {
	action(type="omfwd" target="127.0.0.1" port=%q protocol="tcp" tcp_framing="octet-counted" template="RSYSLOG_SyslogProtocol23Format")
}
`, dir, log, port))
	for end := time.Now().Add(30 * time.Second); recv.Stats().Accepted < 20; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("the receiver took %+v of the 20 lines", recv.Stats())
		}
	}

	// The county's duty officer sees one group and promotes it.
	county := browsertest.NewSession(t, chromium, srv.URL, 1280, 1000, 180*time.Second)
	county.LogIn("county-duty", apptest.Password)
	county.Do(browsertest.ClickAndLoad(`nav.side a[href="/alerts"]`), chromedp.WaitVisible(`#alert-list`))
	if n, err := chromedp.Run(county.Ctx, chromedp.Evaluate[int](`document.querySelectorAll('#alert-list tbody tr').length`)); err != nil || n != 1 {
		t.Fatalf("%d alert groups on the county's list (%v), want one: %s", n, err, county.Text(`#alert-list`))
	}
	row := county.Text(`#alert-list tbody tr`)
	for _, want := range []string{"同一地址邮件登录失败过多", "甲县第一中学", attacker, "20", "高"} {
		if !strings.Contains(row, want) {
			t.Errorf("the group's row lacks %q: %q", want, row)
		}
	}
	county.Do(browsertest.ClickAndLoad(`#alert-list a.alert-title`), chromedp.WaitVisible(`#alert-promote-button`))
	if got := county.Text(`#alert-samples`); !strings.Contains(got, mailbox) {
		t.Errorf("the group's samples do not name the mailbox: %.300q", got)
	}
	browsertest.Screenshot(t, county.Ctx, dir, "issue14-mail-group.png")
	county.Do(browsertest.ClickAndLoad(`#alert-promote-button`), chromedp.WaitVisible(`#incident-header`))
	page := county.Text(`main`)
	for _, want := range []string{"同一地址邮件登录失败过多", "甲县第一中学", "网络攻击事件", "告警次数：20", "级别：高", "凭据访问"} {
		if !strings.Contains(page, want) {
			t.Errorf("the draft incident's page lacks %q: %.600q", want, page)
		}
	}
	if got := county.Text(`#incident-systems`); got != "校园邮件系统" {
		t.Errorf("the draft's systems: %q", got)
	}
	groups, _, err := e.App.Intake.Groups(ctx, e.Actor(t, it), intake.GroupFilter{OrgID: e.Orgs["school"].ID}, store.Page{})
	if err != nil || groups.Total != 1 || groups.Items[0].State != store.AlertPromoted || groups.Items[0].Count != 20 {
		t.Fatalf("the school's groups: %+v %v", groups, err)
	}
	inc, err := e.DB.Incident(ctx, groups.Items[0].IncidentID)
	if err != nil {
		t.Fatal(err)
	}
	if inc.Status != fenghuo.StatusDraft || inc.OrgID != e.Orgs["school"].ID || inc.Category != "NAI" ||
		len(inc.SystemIDs) != 1 || inc.SystemIDs[0] != mail.ID || inc.Facts["important_system"] != true ||
		!strings.Contains(inc.Description, attacker) {
		t.Errorf("the draft incident: %+v", inc)
	}

	// The city shares a STIX bundle; its AMBER domain stays in the city's tree.
	cityS := browsertest.NewSession(t, chromium, srv.URL, 1280, 1000, 150*time.Second)
	cityS.LogIn("city-analyst", apptest.Password)
	bundle, err := filepath.Abs("testdata/intel/city-bundle.json")
	if err != nil {
		t.Fatal(err)
	}
	cityS.Do(chromedp.Navigate(srv.URL+"/intel"), chromedp.WaitVisible(`#intel-import`),
		chromedp.SetUploadFiles(`#file`, []string{bundle}),
		browsertest.ClickAndLoad(`#intel-import-submit`), chromedp.WaitVisible(`#import-result`))
	if added := cityS.Text("#import-added"); added != "7" {
		t.Fatalf("import: %s", cityS.Text("#import-result"))
	}
	const domain = "login-update.example.net"
	for _, u := range []struct {
		user *fenghuo.User
		org  string
		want int
	}{{school2, "school2", 1}, {gasRep, "gas", 0}} {
		_, token, err := e.App.Intake.CreateSource(ctx, e.Actor(t, u.user), intake.SourceInput{OrgID: e.Orgs[u.org].ID,
			Name: "suricata-" + u.org, Kind: "suricata"})
		if err != nil {
			t.Fatal(err)
		}
		eve := fmt.Sprintf(`{"timestamp":%q,"flow_id":1180000000001,"in_iface":"eth0","event_type":"dns","src_ip":"10.20.1.15","src_port":53211,"dest_ip":"10.20.0.53","dest_port":53,"proto":"UDP","dns":{"version":2,"type":"query","id":4411,"rrname":%q,"rrtype":"A","tx_id":0,"opcode":0}}`,
			e.App.Core.Now().Format("2006-01-02T15:04:05.000000-0700"), domain)
		req, _ := http.NewRequest("POST", srv.URL+"/api/v1/alerts?format=suricata", strings.NewReader(eve+"\n"))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/x-ndjson")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(body), `"accepted":1`) {
			t.Fatalf("%s's EVE record: %d %s", u.org, resp.StatusCode, body)
		}
		res, _, err := e.App.Intake.Groups(ctx, e.Actor(t, u.user), intake.GroupFilter{Kind: "ioc"}, store.Page{})
		if err != nil || res.Total != u.want {
			t.Fatalf("%s: %d IOC groups (%v), want %d", u.org, res.Total, err, u.want)
		}
		if u.want == 1 && (res.Items[0].OrgID != e.Orgs[u.org].ID || !strings.Contains(res.Items[0].Entity+res.Items[0].Title, domain)) {
			t.Errorf("the IOC group: %+v", res.Items[0])
		}
	}
	unit := browsertest.NewSession(t, chromium, srv.URL, 390, 844, 150*time.Second)
	unit.LogIn("school2-it", apptest.Password)
	unit.Do(browsertest.ClickAndLoad(`nav.side a[href="/alerts"]`), chromedp.WaitVisible(`#alert-list`))
	if got := unit.Text(`#alert-list`); !strings.Contains(got, domain) || !strings.Contains(got, "乙县第一中学") {
		t.Errorf("the unit's alert list: %q", got)
	}
	browsertest.Screenshot(t, unit.Ctx, dir, "issue14-ioc-alert-390.png")
}

func lookRsyslogd(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("rsyslogd"); err == nil {
		return p
	}
	for _, p := range []string{"/usr/sbin/rsyslogd", "/sbin/rsyslogd"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	t.Skip("rsyslogd is not installed (Debian package rsyslog; scripts/test.sh installs it)")
	return ""
}

// runRsyslog runs rsyslogd in the foreground with conf until the test ends.
func runRsyslog(t *testing.T, rsyslogd, dir, conf string) {
	t.Helper()
	path := filepath.Join(dir, "rsyslog.conf")
	if err := os.WriteFile(path, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	cmd := exec.Command(rsyslogd, "-n", "-f", path, "-i", filepath.Join(dir, "rsyslogd.pid"))
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-done
		}
		if t.Failed() {
			t.Logf("rsyslogd:\n%s", out.String())
		}
	})
}
