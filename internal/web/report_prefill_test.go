package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"fenghuo/internal/app/incident"
	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/plan"
)

// Issue 13 item 5: the initial report form is filled in from intake,
// shows the report's statutory countdown, and after sending says which
// offices received it, in the flash and on the reports tab.
func TestInitialReportPrefilledAndSentTo(t *testing.T) {
	e, srv := console(t)
	ctx := context.Background()
	u, _ := e.User(t, "school-rep", "school", fenghuo.RoleUnitReporter)
	sys := &fenghuo.System{OrgID: e.Orgs["school"].ID, Name: "校园门户网站"}
	if err := e.DB.CreateSystem(ctx, sys); err != nil {
		t.Fatal(err)
	}
	inc, err := e.App.Incidents.CreateIncident(ctx, e.Actor(t, u), incident.IncidentInput{OrgID: e.Orgs["school"].ID, Title: "门户首页被篡改",
		Category: "IAI", SystemIDs: []int64{sys.ID}, OccurredAt: e.Clock.Now().Add(-30 * time.Minute), DiscoveredAt: e.Clock.Now(),
		Description: "首页被植入赌博链接", Measures: "已关闭网站并保存日志", Facts: plan.Facts{"people_affected": float64(3000), "social_impact": "relatively_serious"}})
	if err != nil {
		t.Fatal(err)
	}
	c := browser(t)
	login(t, c, srv, "school-rep", apptest.Password)
	id := strconv.FormatInt(inc.ID, 10)
	_, page := get(t, c, srv, "/incidents/"+id+"/reports/new?kind=initial")
	occurred := e.Clock.Now().Add(-30 * time.Minute).Format("2006-01-02 15:04")
	for field, want := range map[string]string{"c-unit_and_system": "甲县第一中学，校园门户网站", "c-occurred_time": occurred,
		"c-unit": "甲县第一中学", "c-people_affected_text": "3000人", "c-system_overview": "校园门户网站", "c-event_details": "首页被植入赌博链接"} {
		if !strings.Contains(section(t, page, `id="`+field+`"`, "</"), want) {
			t.Errorf("%s is not prefilled with %q", field, want)
		}
	}
	if !strings.Contains(section(t, page, `id="report-clocks"`, "</div></div>"), `class="countdown`) {
		t.Errorf("the form shows no countdown of the report")
	}

	form := url.Values{"kind": {"initial"}, "signer": {"张校长"}, "reporter_name": {"李老师"}, "reporter_phone": {"0477-7581234"}}
	for _, k := range []string{"unit_and_system", "event_details", "occurred_time", "unit", "people_affected_text", "expected_loss", "system_overview"} {
		form.Set("content."+k, "见附件："+k)
	}
	r, _ := post(t, c, srv, "/incidents/"+id+"/reports", form)
	if r.StatusCode != http.StatusSeeOther || !strings.Contains(r.Header.Get("Location"), "?sent=") {
		t.Fatalf("submit: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	_, page = get(t, c, srv, r.Header.Get("Location"))
	flash := section(t, page, `class="flash ok"`, "</div>")
	if !strings.Contains(flash, "初报已报送") || !strings.Contains(flash, e.Orgs["county"].Name) {
		t.Errorf("the flash does not say where the report went: %s", flash)
	}
	if !strings.Contains(section(t, page, `class="went-to"`, "</td>"), e.Orgs["county"].Name) {
		t.Errorf("the reports tab does not say where the report went")
	}
}
