package incident_test

import (
	"context"
	"fenghuo/internal/app/incident"
	"fenghuo/internal/app/response"
	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/plan"
	"fenghuo/internal/store"
	"io"
	"strings"
	"testing"
	"time"
)

// fullReport fills every item any built-in plan asks for.
func fullReport(kind string) incident.ReportInput {
	c := map[string]string{}
	for _, id := range []string{"unit_and_system", "event_details", "development", "preliminary_cause", "tracing_leads",
		"further_measures", "scene_protection", "other", "occurred_time", "unit", "people_affected_text", "expected_loss",
		"system_overview", "department", "system_name", "protection_level", "grade", "category", "occurred_at", "ended_at",
		"description", "scope", "measures", "result", "reporting_unit", "reporter", "phone"} {
		c[id] = "内容:" + id
	}
	return incident.ReportInput{Kind: kind, Content: c, Signer: "张校长", ReporterName: "李老师", ReporterPhone: "0477-7581234"}
}

// The issue-4 scenario through the app: a school's reporter files an
// initial report for a defaced portal that grades II under the county
// plan; the county office sees it due within 2 hours, acknowledges and
// forwards it to the city; the school files a follow-up and a final report.
func TestDefacedPortalScenario(t *testing.T) {
	e := apptest.New(t)
	ctx := context.Background()
	reporter, _ := e.User(t, "school-rep", "school", fenghuo.RoleUnitReporter)
	countyDuty, _ := e.User(t, "county-duty", "county", fenghuo.RoleDutyOfficer)
	cityAnalyst, _ := e.User(t, "city-analyst", "city", fenghuo.RoleAnalyst)
	sibling, _ := e.User(t, "other-rep", "school2", fenghuo.RoleUnitReporter)
	portal := &fenghuo.System{OrgID: e.Orgs["school"].ID, Name: "校园门户网站", ProtectionLevel: 2}
	if err := e.DB.CreateSystem(ctx, portal); err != nil {
		t.Fatal(err)
	}
	rep := e.Actor(t, reporter)
	occurred := e.Clock.Now().Add(-10 * time.Minute)
	inc, err := e.App.Incidents.CreateIncident(ctx, rep, incident.IncidentInput{
		OrgID: e.Orgs["school"].ID, Title: "学校门户网站首页被篡改", Category: "IAI", SystemIDs: []int64{portal.ID},
		OccurredAt: occurred, DiscoveredAt: e.Clock.Now(),
		Facts: plan.Facts{"social_impact": "serious", "defacement_homepage_minutes": 40.0},
	})
	if err != nil {
		t.Fatal(err)
	}
	if inc.Grade != fenghuo.GradeII || inc.Taxonomy != "gbz-20986-2007" {
		t.Fatalf("grade %s taxonomy %s, want II under the 2007 tree", inc.Grade, inc.Taxonomy)
	}
	obs, _ := e.App.Incidents.IncidentObligations(ctx, rep, inc.ID)
	var toCounty *fenghuo.Obligation
	for i, o := range obs {
		if o.RecipientOrgID == e.Orgs["county"].ID && o.PlanID == "wushen-county" {
			toCounty = &obs[i]
		}
	}
	if toCounty == nil || !toCounty.DueAt.Equal(occurred.Add(120*time.Minute)) {
		t.Fatalf("no 2-hour duty to the county office: %+v", obs)
	}
	// A sibling unit cannot see the incident.
	if _, err := e.App.Incidents.Incident(ctx, e.Actor(t, sibling), inc.ID); fenghuo.ErrorCode(err) != fenghuo.ENOTFOUND {
		t.Errorf("sibling sees the incident: %v", err)
	}
	// An initial report without the required items is refused with the field.
	bad := fullReport(fenghuo.ReportInitial)
	delete(bad.Content, "event_details")
	if _, err := e.App.Incidents.SubmitReport(ctx, rep, inc.ID, bad); err == nil || !strings.Contains(err.Error(), "event_details") {
		t.Errorf("incomplete initial report: %v", err)
	}
	e.Clock.Advance(20 * time.Minute)
	if _, err := e.App.Incidents.SubmitReport(ctx, rep, inc.ID, fullReport(fenghuo.ReportInitial)); err != nil {
		t.Fatal(err)
	}
	duty := e.Actor(t, countyDuty)
	inbox, err := e.App.Incidents.Inbox(ctx, duty, store.Page{})
	if err != nil || inbox.Total != 1 {
		t.Fatalf("county inbox: %+v %v", inbox, err)
	}
	if err := e.App.Incidents.ReceiveReport(ctx, duty, inbox.Items[0].ID); err != nil {
		t.Fatal(err)
	}
	to, err := e.App.Incidents.ForwardReport(ctx, duty, inbox.Items[0].ID, 0, "请市委网信办审阅")
	if err != nil || len(to) != 1 || to[0] != e.Orgs["city"].Name {
		t.Fatalf("forward: %v %v", to, err)
	}
	city := e.Actor(t, cityAnalyst)
	if _, err := e.App.Incidents.Incident(ctx, city, inc.ID); err != nil {
		t.Fatalf("city cannot see the forwarded incident: %v", err)
	}
	cityInbox, _ := e.App.Incidents.Inbox(ctx, city, store.Page{})
	if cityInbox.Total != 1 || cityInbox.Items[0].ForwardedFrom != inbox.Items[0].ID {
		t.Errorf("city inbox: %+v", cityInbox)
	}
	e.Clock.Advance(time.Hour)
	if _, err := e.App.Incidents.SubmitReport(ctx, rep, inc.ID, fullReport(fenghuo.ReportFollowUp)); err != nil {
		t.Fatal(err)
	}
	if _, err := e.App.Incidents.Transition(ctx, rep, inc.ID, fenghuo.StatusClosed, ""); err == nil {
		t.Error("closed without a final report")
	}
	if _, err := e.App.Incidents.SubmitReport(ctx, rep, inc.ID, fullReport(fenghuo.ReportFinal)); err != nil {
		t.Fatal(err)
	}
	reports, _, _ := e.App.Incidents.Reports(ctx, rep, inc.ID)
	if len(reports) != 3 {
		t.Errorf("%d reports, want initial, follow-up, final", len(reports))
	}
	// Only the county office's activation starts the response (R1), and
	// only its end lets the incident recover.
	if _, err := e.App.Incidents.Transition(ctx, rep, inc.ID, fenghuo.StatusResponding, ""); err == nil {
		t.Fatal("a reporter set the incident responding")
	}
	if _, err := e.App.Response.Act(ctx, duty, inc.ID, response.Input{Action: response.ActionActivate, Level: fenghuo.GradeII,
		Approval: "县网信委会议", Commander: "赵指挥"}); err != nil {
		t.Fatalf("activate: %v", err)
	}
	if _, err := e.App.Response.Act(ctx, duty, inc.ID, response.Input{Action: response.ActionEnd, Approval: "指挥部批准",
		Situation: "门户已恢复"}); err != nil {
		t.Fatalf("end: %v", err)
	}
	if _, err := e.App.Incidents.Transition(ctx, rep, inc.ID, fenghuo.StatusClosed, ""); err != nil {
		t.Fatalf("close: %v", err)
	}
	obs, _ = e.App.Incidents.IncidentObligations(ctx, rep, inc.ID)
	var onTime, deadlines int
	for _, o := range obs {
		if o.Kind == incident.KindReport && o.State == fenghuo.ObligationOnTime {
			onTime++
		}
		if o.Kind == incident.KindDeadline {
			deadlines++
		}
	}
	if onTime == 0 || deadlines == 0 {
		t.Errorf("obligations after closing: %+v", obs)
	}
	entries, broken, err := e.App.Incidents.Timeline(ctx, rep, inc.ID)
	if err != nil || broken != 0 || len(entries) < 8 {
		t.Errorf("timeline: %d entries, broken at %d, %v", len(entries), broken, err)
	}
}

// A report due at T and not filed is overdue at T at the unit and at the
// recipient — also when nothing ran between before T and after it.
func TestOverdueAfterRestart(t *testing.T) {
	e := apptest.New(t)
	ctx := context.Background()
	reporter, _ := e.User(t, "rep", "hospital", fenghuo.RoleUnitReporter)
	countyDuty, _ := e.User(t, "duty", "county", fenghuo.RoleDutyOfficer)
	rep := e.Actor(t, reporter)
	inc, err := e.App.Incidents.CreateIncident(ctx, rep, incident.IncidentInput{OrgID: e.Orgs["hospital"].ID, Title: "HIS系统中断",
		OccurredAt: e.Clock.Now(), DiscoveredAt: e.Clock.Now(),
		Facts: plan.Facts{"important_system": true, "outage_minutes": 90.0, "people_affected": 150000.0}})
	if err != nil || inc.Grade != fenghuo.GradeII {
		t.Fatalf("%v %+v", err, inc)
	}
	res, _ := e.App.Scheduler.Tick(ctx)
	if res.Reminded != 0 || res.Escalated != 0 {
		t.Fatalf("early tick: %+v", res)
	}
	// "The server stops" for three hours: nothing ticks until after T.
	e.Clock.Advance(3 * time.Hour)
	res, err = e.App.Scheduler.Tick(ctx)
	if err != nil || res.Escalated == 0 {
		t.Fatalf("tick after restart: %+v %v", res, err)
	}
	for _, u := range []*fenghuo.User{reporter, countyDuty} {
		list, err := e.App.Incidents.Incidents(ctx, e.Actor(t, u), store.IncidentFilter{Overdue: true}, store.Page{})
		if err != nil || list.Total != 1 {
			t.Errorf("%s sees %d overdue incidents (%v)", u.Username, list.Total, err)
		}
		notes, _ := e.DB.Notifications(ctx, u.OrgID, u.ID, 10)
		found := false
		for _, n := range notes {
			found = found || n.Kind == "obligation.overdue"
		}
		if !found {
			t.Errorf("%s was not told of the overdue report", u.Username)
		}
	}
	again, _ := e.App.Scheduler.Tick(ctx)
	if again.Escalated != 0 {
		t.Errorf("escalated twice: %+v", again)
	}
	recs, _ := e.App.Incidents.ReportingRecords(ctx, e.Actor(t, countyDuty))
	if len(recs) == 0 || recs[0].Overdue == 0 {
		t.Errorf("reporting record: %+v", recs)
	}
}

// Changing the facts re-grades the incident, re-computes its obligations,
// and the history keeps both grades.
func TestRegradeOnFactChange(t *testing.T) {
	e := apptest.New(t)
	ctx := context.Background()
	reporter, _ := e.User(t, "rep", "school", fenghuo.RoleUnitReporter)
	analyst, _ := e.User(t, "analyst1", "county", fenghuo.RoleAnalyst)
	rep := e.Actor(t, reporter)
	inc, err := e.App.Incidents.CreateIncident(ctx, rep, incident.IncidentInput{OrgID: e.Orgs["school"].ID, Title: "网站中断",
		DiscoveredAt: e.Clock.Now(), Facts: plan.Facts{"social_impact": "relatively_serious"}})
	if err != nil || inc.Grade != fenghuo.GradeIII {
		t.Fatalf("%v %+v", err, inc)
	}
	inc, err = e.App.Incidents.UpdateFacts(ctx, rep, inc.ID, inc.Version, plan.Facts{"social_impact": "especially_serious"}, "", nil)
	if err != nil || inc.Grade != fenghuo.GradeI {
		t.Fatalf("regrade: %v %+v", err, inc)
	}
	hist, _ := e.App.Incidents.GradeHistory(ctx, rep, inc.ID)
	if len(hist) != 2 || hist[0].Grade != fenghuo.GradeIII || hist[1].Grade != fenghuo.GradeI {
		t.Fatalf("history %+v", hist)
	}
	obs, _ := e.App.Incidents.IncidentObligations(ctx, rep, inc.ID)
	var open60, cancelled int
	for _, o := range obs {
		if o.State == fenghuo.ObligationOpen && !o.DueAt.IsZero() && o.DueAt.Sub(inc.DiscoveredAt) == time.Hour {
			open60++
		}
		if o.State == fenghuo.ObligationCancelled {
			cancelled++
		}
	}
	if open60 == 0 || cancelled == 0 {
		t.Errorf("obligations not re-computed: %+v", obs)
	}
	if _, err := e.App.Incidents.OverrideGrade(ctx, rep, inc.ID, fenghuo.GradeII, "单位自评"); err == nil {
		t.Error("a unit overrode its own grade")
	}
	inc, err = e.App.Incidents.OverrideGrade(ctx, e.Actor(t, analyst), inc.ID, fenghuo.GradeII, "经研判影响范围有限")
	if err != nil || inc.Grade != fenghuo.GradeII {
		t.Fatalf("override: %v", err)
	}
}

func TestReportExports(t *testing.T) {
	e := apptest.New(t)
	ctx := context.Background()
	reporter, _ := e.User(t, "rep", "school", fenghuo.RoleUnitReporter)
	rep := e.Actor(t, reporter)
	inc, err := e.App.Incidents.CreateIncident(ctx, rep, incident.IncidentInput{OrgID: e.Orgs["school"].ID, Title: "门户网站被篡改",
		Category: "IAI", DiscoveredAt: e.Clock.Now(), Facts: plan.Facts{"social_impact": "serious"}, Description: "首页出现赌博链接"})
	if err != nil {
		t.Fatal(err)
	}
	r, err := e.App.Incidents.SubmitReport(ctx, rep, inc.ID, fullReport(fenghuo.ReportInitial))
	if err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"docx", "pdf"} {
		var buf strings.Builder
		name, err := e.App.Incidents.ReportDocument(ctx, rep, inc.ID, r.ID, format, &buf)
		if err != nil || buf.Len() < 1000 || !strings.HasSuffix(name, "."+format) {
			t.Errorf("%s: %d bytes, %q, %v", format, buf.Len(), name, err)
		}
	}
	var xlsx strings.Builder
	if err := e.App.Incidents.IncidentsXLSX(ctx, rep, store.IncidentFilter{}, "zh", &xlsx); err != nil || xlsx.Len() < 1000 {
		t.Errorf("xlsx: %d bytes, %v", xlsx.Len(), err)
	}
	other, _ := e.User(t, "other", "school2", fenghuo.RoleUnitReporter)
	if _, err := e.App.Incidents.ReportDocument(ctx, e.Actor(t, other), inc.ID, r.ID, "pdf", io.Discard); fenghuo.ErrorCode(err) != fenghuo.ENOTFOUND {
		t.Errorf("a sibling exported the report: %v", err)
	}
}
