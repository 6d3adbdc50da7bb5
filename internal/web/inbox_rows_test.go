package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"fenghuo/internal/app/incident"
	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/plan"
	"fenghuo/internal/store"
)

// Issue 13 item 5: an inbox row names the report's kind, shows the
// office's own onward duty, and once forwarded says where and when
// instead of offering the forward form again.
func TestInboxKindOnwardAndForwarded(t *testing.T) {
	e, srv := console(t)
	ctx := context.Background()
	reporter, _ := e.User(t, "school-rep", "school", fenghuo.RoleUnitReporter)
	duty, _ := e.User(t, "county-duty", "county", fenghuo.RoleDutyOfficer)
	rep := e.Actor(t, reporter)
	inc, err := e.App.Incidents.CreateIncident(ctx, rep, incident.IncidentInput{OrgID: e.Orgs["school"].ID, Title: "学校网站中断",
		DiscoveredAt: e.Clock.Now(), Facts: plan.Facts{"social_impact": "serious"}})
	if err != nil {
		t.Fatal(err)
	}
	fields, err := e.App.Incidents.ReportForm(ctx, rep, inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	content := map[string]string{}
	for _, f := range fields {
		content[f.ID] = "网站无法访问，已切换备用服务器。"
	}
	if _, err := e.App.Incidents.SubmitReport(ctx, rep, inc.ID, incident.ReportInput{Kind: fenghuo.ReportInitial, Content: content,
		Signer: "张校长", ReporterName: "李老师", ReporterPhone: "0477-7581234"}); err != nil {
		t.Fatal(err)
	}
	inbox, err := e.App.Incidents.Inbox(ctx, e.Actor(t, duty), store.Page{})
	if err != nil || len(inbox.Items) != 1 {
		t.Fatalf("inbox %v %+v", err, inbox)
	}
	if err := e.App.Incidents.ReceiveReport(ctx, e.Actor(t, duty), inbox.Items[0].ID); err != nil {
		t.Fatal(err)
	}
	c := browser(t)
	login(t, c, srv, "county-duty", apptest.Password)
	_, page := get(t, c, srv, "/inbox")
	row := section(t, page, "学校网站中断", "</tr>")
	if !strings.Contains(section(t, row, `class="report-kind"`, "</td>"), "初报") {
		t.Errorf("the row does not say 初报: %s", row)
	}
	onward := section(t, row, `class="onward"`, "</td>")
	// Grade II under the county plan: the county sends on to the city
	// at once (4.1(3), 立即); not the school's own clocks.
	if !strings.Contains(onward, "向测试市委网信办续报上级") || !strings.Contains(onward, "立即") || strings.Contains(onward, "旗公安局") {
		t.Errorf("the onward cell is not the county's own duty: %s", onward)
	}
	if !strings.Contains(row, `action="/inbox/`) {
		t.Fatalf("no forward form before forwarding: %s", row)
	}
	if r, _ := post(t, c, srv, "/inbox/"+itoa(inbox.Items[0].ID)+"/forward", url.Values{"to_org_id": {"0"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("forward: %d", r.StatusCode)
	}
	_, page = get(t, c, srv, "/inbox")
	row = section(t, page, "学校网站中断", "</tr>")
	if strings.Contains(row, `/forward"`) {
		t.Errorf("a forwarded row still offers the forward form: %s", row)
	}
	want := "已上报 " + e.Clock.Now().Format("15:04") + " 至 " + e.Orgs["city"].Name
	if !strings.Contains(row, want) {
		t.Errorf("the forwarded row does not say %q: %s", want, row)
	}
	if strings.Contains(section(t, row, `class="onward"`, "</td>"), "立即") {
		t.Errorf("the onward duty is still shown as due after forwarding: %s", row)
	}
}
