package web_test

import (
	"context"
	"os"
	"path/filepath"
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

// Issue 15 item 1 in a real browser: the city's duty officer sees the
// school's initial report, forwarded by the county office, as "由甲县委网信
// 办…签名，未被改动"; the report exported from the console as DOCX checks
// on the verify page as signed by the city office, and the same file with
// one byte changed is named as changed. The signing keys page lists the
// county's and the school's keys and offers the trust file.
func TestChromiumSignedReportAndVerifyPage(t *testing.T) {
	chromium := apptest.Chromium(t)
	if chromium == "" {
		return
	}
	e, srv := console(t)
	ctx := context.Background()
	reporter, _ := e.User(t, "sig-rep", "school", fenghuo.RoleUnitReporter)
	countyDuty, _ := e.User(t, "sig-county", "county", fenghuo.RoleDutyOfficer)
	e.User(t, "sig-city", "city", fenghuo.RoleDutyOfficer)
	rep, duty := e.Actor(t, reporter), e.Actor(t, countyDuty)
	inc, err := e.App.Incidents.CreateIncident(ctx, rep, incident.IncidentInput{OrgID: e.Orgs["school"].ID, Title: "门户网站被篡改",
		DiscoveredAt: e.Clock.Now(), Facts: plan.Facts{"social_impact": "relatively_serious"}})
	if err != nil {
		t.Fatal(err)
	}
	fields, _ := e.App.Incidents.ReportForm(ctx, rep, inc.ID)
	content := map[string]string{}
	for _, f := range fields {
		content[f.ID] = "内容：" + f.Label.ZH
	}
	r, err := e.App.Incidents.SubmitReport(ctx, rep, inc.ID, incident.ReportInput{Kind: fenghuo.ReportInitial, Content: content,
		Signer: "张校长", ReporterName: "李老师", ReporterPhone: "0477-7581234"})
	if err != nil {
		t.Fatal(err)
	}
	inbox, _ := e.App.Incidents.Inbox(ctx, duty, store.Page{})
	if err := e.App.Incidents.ReceiveReport(ctx, duty, inbox.Items[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.App.Incidents.ForwardReport(ctx, duty, inbox.Items[0].ID, 0, "请市委网信办转报"); err != nil {
		t.Fatal(err)
	}

	b := browsertest.NewSession(t, chromium, srv.URL, 1280, 1000, 60*time.Second)
	b.LogIn("sig-city", apptest.Password)
	b.Do(chromedp.Navigate(srv.URL+"/incidents/"+itoa(inc.ID)+"/reports"), chromedp.WaitVisible(`#delivery-list`))
	row := b.Text(`#delivery-list tr[data-delivery]:last-child`)
	if !strings.Contains(row, "由甲县委网信办于") || !strings.Contains(row, "签名，未被改动") {
		t.Errorf("the city's delivery row: %q", row)
	}

	// The report as the console exports it, downloaded with the city's session.
	c := browser(t)
	login(t, c, srv, "sig-city", apptest.Password)
	resp, body := get(t, c, srv, "/incidents/"+itoa(inc.ID)+"/reports/"+itoa(r.ID)+"/docx")
	if resp.StatusCode != 200 || !strings.HasPrefix(body, "PK") {
		t.Fatalf("export: %d %.100q", resp.StatusCode, body)
	}
	dir := t.TempDir()
	good, bad := filepath.Join(dir, "初报.docx"), filepath.Join(dir, "改动.docx")
	changed := []byte(body)
	changed[len(changed)/2] ^= 0x01
	if err := os.WriteFile(good, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, changed, 0o600); err != nil {
		t.Fatal(err)
	}
	check := func(file string) string {
		b.Do(chromedp.Navigate(srv.URL+"/verify"), chromedp.WaitVisible(`#verify-form`),
			chromedp.SetUploadFiles(`#file`, []string{file}), browsertest.ClickAndLoad(`#verify-submit`), chromedp.WaitVisible(`#verify-result`))
		return b.Text(`#verify-result`)
	}
	if got := check(good); !strings.Contains(got, "签名有效") || !strings.Contains(got, "由测试市委网信办于") || !strings.Contains(got, "未被改动") {
		t.Errorf("verify the export: %q", got)
	}
	if got := check(bad); !strings.Contains(got, "验证未通过") || !strings.Contains(got, "内容在签名后被改动") {
		t.Errorf("verify the changed export: %q", got)
	}

	b.Do(chromedp.Navigate(srv.URL+"/signing-keys"), chromedp.WaitVisible(`#signing-keys`))
	keys := b.Text(`#signing-keys`)
	for _, want := range []string{"测试市委网信办", "甲县委网信办", "甲县第一中学", "本机构", "下级"} {
		if !strings.Contains(keys, want) {
			t.Errorf("signing keys page lacks %q: %q", want, keys)
		}
	}
	if got := b.Text(`#trust-download`); !strings.Contains(got, "下载信任文件") {
		t.Errorf("trust file link: %q", got)
	}
}
