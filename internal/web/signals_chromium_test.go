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
)

// Issue 11 item 6 in Chromium: the county forwards a grade III report
// "as the plans require" (the cac-2025 duty to the provincial office is
// open): it goes to the city and the row offers no second forward; at the
// city, the last office on the platform, the same choice fails with a
// message in words (no field key) and the typed note is still there.
func TestChromiumInboxForwardPerPlan(t *testing.T) {
	chromium := apptest.Chromium(t)
	e, srv := console(t)
	ctx := context.Background()
	reporter, _ := e.User(t, "school-rep", "school", fenghuo.RoleUnitReporter)
	e.User(t, "county-duty", "county", fenghuo.RoleDutyOfficer)
	e.User(t, "city-duty", "city", fenghuo.RoleDutyOfficer)
	rep := e.Actor(t, reporter)
	inc, err := e.App.Incidents.CreateIncident(ctx, rep, incident.IncidentInput{OrgID: e.Orgs["school"].ID, Title: "学校网站中断",
		DiscoveredAt: e.Clock.Now(), Facts: plan.Facts{"social_impact": "relatively_serious"}})
	if err != nil || inc.Grade != fenghuo.GradeIII {
		t.Fatalf("%v %+v", err, inc)
	}
	fields, err := e.App.Incidents.ReportForm(ctx, rep, inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	content := map[string]string{}
	for _, f := range fields {
		content[f.ID] = "网站无法访问,已切换备用服务器。"
	}
	if _, err := e.App.Incidents.SubmitReport(ctx, rep, inc.ID, incident.ReportInput{Kind: fenghuo.ReportInitial, Content: content,
		Signer: "张校长", ReporterName: "李老师", ReporterPhone: "0477-7581234"}); err != nil {
		t.Fatal(err)
	}

	county := browsertest.NewSession(t, chromium, srv.URL, 1280, 1000, 120*time.Second)
	county.LogIn("county-duty", apptest.Password)
	county.Do(chromedp.Navigate(srv.URL+"/inbox"), chromedp.WaitVisible(`#inbox`),
		chromedp.Click(`#inbox form[action$="/receive"] button`), chromedp.WaitVisible(`#inbox form[action$="/forward"]`),
		chromedp.SendKeys(`#inbox form[action$="/forward"] input[name=note]`, "请市委网信办转报"),
		chromedp.Click(`#inbox form[action$="/forward"] button`), chromedp.WaitVisible(`#inbox .forwarded`))
	if got := county.Text(`#inbox .forwarded`); !strings.Contains(got, "已上报至") || !strings.Contains(got, e.Orgs["city"].Name) {
		t.Errorf("forwarded row says %q", got)
	}
	forms, err := chromedp.Run(county.Ctx, chromedp.Evaluate[int](`document.querySelectorAll('#inbox form[action$="/forward"]').length`))
	if err != nil || forms != 0 {
		t.Errorf("the row still offers %d forward forms after the forward", forms)
	}

	city := browsertest.NewSession(t, chromium, srv.URL, 1280, 1000, 120*time.Second)
	city.LogIn("city-duty", apptest.Password)
	city.Do(chromedp.Navigate(srv.URL+"/inbox"), chromedp.WaitVisible(`#inbox`),
		chromedp.Click(`#inbox form[action$="/receive"] button`), chromedp.WaitVisible(`#inbox form[action$="/forward"]`),
		chromedp.SendKeys(`#inbox form[action$="/forward"] input[name=note]`, "已电话报省委网信办值班室"),
		chromedp.Click(`#inbox form[action$="/forward"] button`), chromedp.WaitVisible(`#inbox [role=alert]`))
	msg := city.Text(`#inbox [role=alert]`)
	if strings.Contains(msg, "to_org_id") || !strings.Contains(msg, "属地省级网信部门") || strings.Contains(msg, "The plans") {
		t.Errorf("error in the row: %q", msg)
	}
	note, err := chromedp.Run(city.Ctx, chromedp.Value(`#inbox form[action$="/forward"] input[name=note]`))
	if err != nil || note != "已电话报省委网信办值班室" {
		t.Errorf("typed note lost: %q", note)
	}
}
