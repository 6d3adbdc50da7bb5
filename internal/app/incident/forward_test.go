package incident_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"fenghuo/internal/app/incident"
	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/plan"
	"fenghuo/internal/store"
)

// Issue 11 item 6: in a county inbox, "forward per plan" of a grade III
// incident whose cac-2025 4-hour duty to the provincial office (not on the
// platform) is still open goes up the chain to the city office, once; the
// city, the last office on the platform, is told in words to reach the
// province outside it.
func TestForwardGradeIIIPerPlan(t *testing.T) {
	e := apptest.New(t)
	ctx := context.Background()
	reporter, _ := e.User(t, "rep", "school", fenghuo.RoleUnitReporter)
	countyDuty, _ := e.User(t, "duty", "county", fenghuo.RoleDutyOfficer)
	rep := e.Actor(t, reporter)
	inc, err := e.App.Incidents.CreateIncident(ctx, rep, incident.IncidentInput{OrgID: e.Orgs["school"].ID, Title: "网站中断",
		DiscoveredAt: e.Clock.Now(), Facts: plan.Facts{"social_impact": "relatively_serious"}})
	if err != nil || inc.Grade != fenghuo.GradeIII {
		t.Fatalf("%v %+v", err, inc)
	}
	if _, err := e.App.Incidents.SubmitReport(ctx, rep, inc.ID, fullReport(fenghuo.ReportInitial)); err != nil {
		t.Fatal(err)
	}
	duty := e.Actor(t, countyDuty)
	inbox, _ := e.App.Incidents.Inbox(ctx, duty, store.Page{})
	if inbox.Total != 1 {
		t.Fatalf("inbox %+v", inbox)
	}
	if err := e.App.Incidents.ReceiveReport(ctx, duty, inbox.Items[0].ID); err != nil {
		t.Fatal(err)
	}
	to, err := e.App.Incidents.ForwardReport(ctx, duty, inbox.Items[0].ID, 0, "请市委网信办转报省委网信办")
	if err != nil || len(to) != 1 || to[0] != e.Orgs["city"].Name {
		t.Fatalf("forward per plan: %v %v", to, err)
	}
	if _, err := e.App.Incidents.ForwardReport(ctx, duty, inbox.Items[0].ID, 0, "again"); fenghuo.ErrorCode(err) != fenghuo.ECONFLICT {
		t.Errorf("second forward: %v", err)
	}
	if _, err := e.App.Incidents.ForwardReport(ctx, duty, inbox.Items[0].ID, e.Orgs["city"].ID, "again"); fenghuo.ErrorCode(err) != fenghuo.ECONFLICT {
		t.Errorf("second forward to a chosen office: %v", err)
	}
	cityDuty, _ := e.User(t, "cityduty", "city", fenghuo.RoleDutyOfficer)
	city := e.Actor(t, cityDuty)
	cityInbox, _ := e.App.Incidents.Inbox(ctx, city, store.Page{})
	if cityInbox.Total != 1 || cityInbox.Items[0].Note != "请市委网信办转报省委网信办" {
		t.Fatalf("city inbox: %+v", cityInbox)
	}
	if err := e.App.Incidents.ReceiveReport(ctx, city, cityInbox.Items[0].ID); err != nil {
		t.Fatal(err)
	}
	_, err = e.App.Incidents.ForwardReport(ctx, city, cityInbox.Items[0].ID, 0, "")
	var fe *fenghuo.Error
	if !errors.As(err, &fe) || !strings.Contains(fe.Message, "属地省级网信部门") || !strings.Contains(fe.Message, "《国家网络安全事件报告管理办法》") || strings.Contains(fe.Message, "cac-2025") {
		t.Errorf("city forward per plan: %v", err)
	}
}
