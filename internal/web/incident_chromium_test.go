package web_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"fenghuo/internal/apptest"
	"fenghuo/internal/browsertest"
	"fenghuo/internal/fenghuo"
)

// The issue-4 scenario in a real Chromium: a school's reporter files an
// initial report for a defaced portal whose facts grade II under the county
// plan; the county office sees it with a 2-hour countdown, acknowledges and
// forwards it to the city; the school files a follow-up and a final report;
// both exports open and show the Chinese text.
func TestChromiumIncidentScenario(t *testing.T) {
	chromium := apptest.Chromium(t)
	e, srv := console(t)
	e.User(t, "school-rep", "school", fenghuo.RoleUnitReporter)
	e.User(t, "county-duty", "county", fenghuo.RoleDutyOfficer)
	portal := &fenghuo.System{OrgID: e.Orgs["school"].ID, Name: "甲县一中门户网站", ProtectionLevel: 2}
	if err := e.DB.CreateSystem(context.Background(), portal); err != nil {
		t.Fatal(err)
	}
	school := browsertest.NewSession(t, chromium, srv.URL, 1280, 1000, 150*time.Second)
	fill := func(b *browsertest.Session, kind string) {
		b.Do(browsertest.ClickAndLoad(`a[href$="kind=`+kind+`"]`), chromedp.WaitVisible(`#signer`))
		// Every item of the plans' forms gets text; the datetime and text items too.
		ids, err := chromedp.Run(b.Ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('[name^="content."]')).map(e => e.id)`))
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range ids {
			b.Do(chromedp.SendKeys(`#`+id, "首页被植入赌博链接,已断网处置。"))
		}
		b.Do(chromedp.SetValue(`#signer`, "张校长"), chromedp.SetValue(`#reporter_phone`, "0477-7581234"),
			browsertest.ClickAndLoad(`form.stack button[type=submit]`), chromedp.WaitVisible(`#report-list`))
	}

	school.LogIn("school-rep", apptest.Password)
	school.Do(chromedp.Navigate(srv.URL+"/incidents/new"), chromedp.WaitVisible(`#title`),
		chromedp.SendKeys(`#title`, "学校门户网站首页被篡改"),
		chromedp.SetValue(`#category`, "IAI"),
		chromedp.SendKeys(`#description`, "首页出现赌博信息"),
		chromedp.SetValue(`#fact-social_impact`, "serious"),
		chromedp.SetValue(`#fact-defacement_homepage_minutes`, "40"),
		browsertest.ClickAndLoad(`form.stack button[type=submit]`), chromedp.WaitVisible(`#obligation-list`))
	if h1 := school.Text("h1"); !strings.Contains(h1, "Ⅱ级") {
		t.Fatalf("incident page heading %q, want grade Ⅱ级", h1)
	}
	fill(school, "initial")

	county := browsertest.NewSession(t, chromium, srv.URL, 1280, 1000, 150*time.Second)
	county.LogIn("county-duty", apptest.Password)
	county.Do(chromedp.Navigate(srv.URL+"/inbox"), chromedp.WaitVisible(`#inbox`))
	inbox := county.Text("#inbox")
	if !strings.Contains(inbox, "学校门户网站首页被篡改") {
		t.Fatalf("county inbox: %q", inbox)
	}
	// The 2-hour report to the county is met (the unit filed on time): the
	// row says so with its deadline, and nothing ticks for a closed duty
	// (console.md rule 2: past items stop ticking).
	if due := county.Text("#inbox .due-at"); !strings.Contains(due, "11:00") {
		t.Errorf("inbox deadline %q, want the 11:00 deadline", due)
	}
	if n, _ := chromedp.Run(county.Ctx, chromedp.Evaluate[int](`document.querySelectorAll('#inbox .countdown').length`)); n != 0 {
		t.Errorf("a met deadline still ticks in the inbox (%d countdowns)", n)
	}
	county.Do(browsertest.ClickAndLoad(`#inbox form[action$="/receive"] button`), chromedp.WaitVisible(`#inbox form[action$="/forward"]`),
		browsertest.ClickAndLoad(`#inbox form[action$="/forward"] button`), chromedp.WaitVisible(`#inbox`))

	school.Do(chromedp.Reload(), chromedp.WaitVisible(`#report-list`))
	fill(school, "follow_up")
	fill(school, "final")
	if reports := school.Text("#report-list"); strings.Count(reports, "DOCX") != 3 {
		t.Errorf("reports: %q", reports)
	}
	deliveries := school.Text("#delivery-list")
	if !strings.Contains(deliveries, e.Orgs["city"].Name) {
		t.Errorf("the report did not reach the city: %q", deliveries)
	}

	// Both exports open and carry the Chinese text.
	attr, err := chromedp.Run(school.Ctx, chromedp.AttributeValue(`#report-list a[href$="/pdf"]`, "href"))
	if err != nil {
		t.Fatal(err)
	}
	href := attr.Value
	pdf := fetchWithBrowserSession(t, school.Ctx, srv.URL+href)
	if !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Fatalf("PDF export: %q", pdf[:min(20, len(pdf))])
	}
	if path, err := exec.LookPath("pdftotext"); err == nil {
		cmd := exec.Command(path, "-", "-")
		cmd.Stdin = bytes.NewReader(pdf)
		out, err := cmd.Output()
		if err != nil || !strings.Contains(string(out), "首页出现赌博信息") || !strings.Contains(string(out), "网络安全事件报告") {
			t.Errorf("PDF text lacks the report's Chinese text (%v): %.200s", err, out)
		}
	}
	docx := fetchWithBrowserSession(t, school.Ctx, srv.URL+strings.Replace(href, "/pdf", "/docx", 1))
	if !bytes.HasPrefix(docx, []byte("PK")) {
		t.Errorf("DOCX export is not a zip")
	}
}

// fetchWithBrowserSession downloads url with the browser's session cookie.
func fetchWithBrowserSession(t *testing.T, ctx context.Context, url string) []byte {
	t.Helper()
	cookie, err := chromedp.Run(ctx, sessionCookieAction())
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("GET", url, nil)
	req.AddCookie(&http.Cookie{Name: "fh_session", Value: cookie})
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	buf.ReadFrom(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %.200s", url, resp.StatusCode, buf.String())
	}
	return buf.Bytes()
}

// sessionCookieAction reads the HttpOnly session cookie through the
// DevTools protocol (page script cannot see it, by design).
func sessionCookieAction() chromedp.Action[string] {
	return func(ctx context.Context, tgt *chromedp.Target) (string, error) {
		res, err := cdp.Call(ctx, tgt, network.GetCookies, network.GetCookiesParams{})
		if err != nil {
			return "", err
		}
		for _, c := range res.Cookies {
			if c.Name == "fh_session" {
				return c.Value, nil
			}
		}
		return "", errors.New("no session cookie")
	}
}
