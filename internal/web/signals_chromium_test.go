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
		browsertest.ClickAndLoad(`#inbox form[action$="/receive"] button`), chromedp.WaitVisible(`#inbox form[action$="/forward"]`),
		chromedp.SendKeys(`#inbox form[action$="/forward"] input[name=note]`, "请市委网信办转报"),
		browsertest.ClickAndLoad(`#inbox form[action$="/forward"] button`), chromedp.WaitVisible(`#inbox .forwarded`))
	if got := county.Text(`#inbox .forwarded`); !strings.Contains(got, "已上报 ") || !strings.Contains(got, " 至 ") || !strings.Contains(got, e.Orgs["city"].Name) {
		t.Errorf("forwarded row says %q", got)
	}
	forms, err := chromedp.Run(county.Ctx, chromedp.Evaluate[int](`document.querySelectorAll('#inbox form[action$="/forward"]').length`))
	if err != nil || forms != 0 {
		t.Errorf("the row still offers %d forward forms after the forward", forms)
	}

	city := browsertest.NewSession(t, chromium, srv.URL, 1280, 1000, 120*time.Second)
	city.LogIn("city-duty", apptest.Password)
	city.Do(chromedp.Navigate(srv.URL+"/inbox"), chromedp.WaitVisible(`#inbox`),
		browsertest.ClickAndLoad(`#inbox form[action$="/receive"] button`), chromedp.WaitVisible(`#inbox form[action$="/forward"]`),
		chromedp.SendKeys(`#inbox form[action$="/forward"] input[name=note]`, "已电话报省委网信办值班室"),
		browsertest.ClickAndLoad(`#inbox form[action$="/forward"] button`), chromedp.WaitVisible(`#inbox [role=alert]`))
	msg := city.Text(`#inbox [role=alert]`)
	if strings.Contains(msg, "to_org_id") || !strings.Contains(msg, "属地省级网信部门") || strings.Contains(msg, "The plans") {
		t.Errorf("error in the row: %q", msg)
	}
	note, err := chromedp.Run(city.Ctx, chromedp.Value(`#inbox form[action$="/forward"] input[name=note]`))
	if err != nil || note != "已电话报省委网信办值班室" {
		t.Errorf("typed note lost: %q", note)
	}
}

// Issue 11 item 6 in Chromium: a unit whose competent department the
// platform cannot tell (no declared supervisor, no department of its
// sector) is asked on the report form: submitting without a choice keeps
// what was typed and says so in words; with the water authority chosen,
// the report goes there and not to education.
func TestChromiumReportChoosesCompetentDepartment(t *testing.T) {
	chromium := apptest.Chromium(t)
	e, srv := console(t)
	ctx := context.Background()
	for _, d := range []struct{ key, name, sector string }{{"edu", "甲县教育局", "education"}, {"waterauth", "甲县水利局", "water"}} {
		o := &fenghuo.Org{ParentID: e.Orgs["county"].ID, Name: d.name, Level: fenghuo.LevelDepartment, Type: fenghuo.OrgRegulator,
			Sector: d.sector, PlanRoles: []string{"competent_department"}}
		if err := e.DB.CreateOrg(ctx, o); err != nil {
			t.Fatal(err)
		}
		e.Orgs[d.key] = o
	}
	data := e.Unit(t, "data", "甲县大数据局", "", "")
	reporter, _ := e.User(t, "data-rep", "data", fenghuo.RoleUnitReporter)
	inc, err := e.App.Incidents.CreateIncident(ctx, e.Actor(t, reporter), incident.IncidentInput{OrgID: data.ID, Title: "数据共享平台遭勒索",
		DiscoveredAt: e.Clock.Now(), OccurredAt: e.Clock.Now(), Facts: plan.Facts{"social_impact": "serious"}})
	if err != nil {
		t.Fatal(err)
	}
	b := browsertest.NewSession(t, chromium, srv.URL, 1280, 1000, 120*time.Second)
	b.LogIn("data-rep", apptest.Password)
	b.Do(chromedp.Navigate(srv.URL+"/incidents/"+itoa(inc.ID)+"/reports/new?kind=initial"), chromedp.WaitVisible(`#competent`))
	if got := b.Text(`#competent`); !strings.Contains(got, "甲县教育局") || !strings.Contains(got, "甲县水利局") || !strings.Contains(got, "选择主管部门") {
		t.Fatalf("the choice shows %q", got)
	}
	ids, err := chromedp.Run(b.Ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('[name^="content."]')).map(e => e.id)`))
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		b.Do(chromedp.SendKeys(`#`+id, "平台文件被加密,已隔离。"))
	}
	b.Do(chromedp.SetValue(`#signer`, "张局长"), chromedp.SetValue(`#reporter_phone`, "0477-7581234"),
		browsertest.ClickAndLoad(`form.stack button[type=submit]`), chromedp.WaitVisible(`#competent .field-error`))
	if msg := b.Text(`#competent .field-error`); strings.Contains(msg, "competent_department_id") || !strings.Contains(msg, "请从以下选择") {
		t.Errorf("error without a choice: %q", msg)
	}
	signer, err := chromedp.Run(b.Ctx, chromedp.Value(`#signer`))
	if err != nil || signer != "张局长" {
		t.Errorf("signer lost: %q %v", signer, err)
	}
	b.Do(chromedp.Click(`#competent input[value="`+itoa(e.Orgs["waterauth"].ID)+`"]`),
		browsertest.ClickAndLoad(`form.stack button[type=submit]`), chromedp.WaitVisible(`#report-list`))
	_, ds, err := e.App.Incidents.Reports(ctx, e.Actor(t, reporter), inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	sent := map[int64]bool{}
	for _, d := range ds {
		sent[d.ToOrgID] = true
	}
	if !sent[e.Orgs["waterauth"].ID] || sent[e.Orgs["edu"].ID] {
		t.Errorf("delivered to %v", sent)
	}
}
