package response_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/app/incident"
	"fenghuo/internal/app/response"
	"fenghuo/internal/apptest"
	"fenghuo/internal/export"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/plan"
	"fenghuo/internal/store"
)

// fixture is the apptest tree with the county's sibling offices the
// wushen-county plan names (public security, water authority, support
// team) and a county water-supply company with a grade II incident,
// reported.
type fixture struct {
	e                      *apptest.Env
	inc                    *fenghuo.Incident
	unit, county, city     *app.Actor
	psb, water, support    *fenghuo.Org
	waterCo                *fenghuo.Org
	countyOrg, cityOrg     *fenghuo.Org
	unitUser, countyUser   *fenghuo.User
	cityUser               *fenghuo.User
	supportActor           *app.Actor
	ctx                    context.Context
	countyDutyOfficerInbox []fenghuo.ResponseActivation
}

func org(t *testing.T, e *apptest.Env, key, parent string, o fenghuo.Org) *fenghuo.Org {
	t.Helper()
	o.ParentID = e.Orgs[parent].ID
	if err := e.DB.CreateOrg(context.Background(), &o); err != nil {
		t.Fatalf("org %s: %v", key, err)
	}
	e.Orgs[key] = &o
	return &o
}

func initialReport() incident.ReportInput {
	c := map[string]string{}
	for _, id := range []string{"unit_and_system", "event_details", "development", "preliminary_cause", "tracing_leads",
		"further_measures", "scene_protection", "other", "occurred_time", "unit", "people_affected_text", "expected_loss",
		"system_overview", "department", "system_name", "protection_level", "grade", "category", "occurred_at", "ended_at",
		"description", "scope", "measures", "result", "reporting_unit", "reporter", "phone"} {
		c[id] = "内容:" + id
	}
	return incident.ReportInput{Kind: fenghuo.ReportInitial, Content: c, Signer: "张经理", ReporterName: "李工", ReporterPhone: "0477-7581234"}
}

func newFixture(t *testing.T) *fixture {
	e := apptest.New(t)
	f := &fixture{e: e, ctx: context.Background()}
	f.psb = org(t, e, "psb", "city", fenghuo.Org{Name: "甲县公安局", Level: fenghuo.LevelCounty, Type: fenghuo.OrgPublicSecurity, PlanRoles: []string{"public_security"}})
	f.support = org(t, e, "support", "city", fenghuo.Org{Name: "甲县网络安全应急技术支撑队伍", Level: fenghuo.LevelCounty, Type: fenghuo.OrgSupport, PlanRoles: []string{"support_team"}})
	f.water = org(t, e, "water", "county", fenghuo.Org{Name: "甲县水务局", Level: fenghuo.LevelDepartment, Type: fenghuo.OrgRegulator, Sector: "water", PlanRoles: []string{"competent_department"}})
	f.waterCo = org(t, e, "waterco", "water", fenghuo.Org{Name: "甲县供水公司", Level: fenghuo.LevelUnit, Type: fenghuo.OrgOperator, Sector: "water", PlanRoles: []string{"operator"}})
	f.countyOrg, f.cityOrg = e.Orgs["county"], e.Orgs["city"]
	f.unitUser, _ = e.User(t, "water-rep", "waterco", fenghuo.RoleUnitReporter)
	f.countyUser, _ = e.User(t, "county-duty", "county", fenghuo.RoleDutyOfficer)
	f.cityUser, _ = e.User(t, "city-cmd", "city", fenghuo.RoleCommander)
	supportUser, _ := e.User(t, "support-duty", "support", fenghuo.RoleDutyOfficer)
	f.unit, f.county, f.city, f.supportActor = e.Actor(t, f.unitUser), e.Actor(t, f.countyUser), e.Actor(t, f.cityUser), e.Actor(t, supportUser)
	inc, err := e.App.Incidents.CreateIncident(f.ctx, f.unit, incident.IncidentInput{OrgID: f.waterCo.ID, Title: "供水调度系统遭勒索病毒加密",
		Category: "OMI", OccurredAt: e.Clock.Now().Add(-20 * time.Minute), DiscoveredAt: e.Clock.Now(),
		Facts: plan.Facts{"important_system": true, "outage_minutes": 90.0, "people_affected": 150000.0}})
	if err != nil {
		t.Fatal(err)
	}
	if inc.Grade != fenghuo.GradeII {
		t.Fatalf("grade %s, want II", inc.Grade)
	}
	if _, err := e.App.Incidents.SubmitReport(f.ctx, f.unit, inc.ID, initialReport()); err != nil {
		t.Fatal(err)
	}
	f.inc = inc
	return f
}

func (f *fixture) activateII(t *testing.T) *response.Result {
	t.Helper()
	res, err := f.e.App.Response.Act(f.ctx, f.county, f.inc.ID, response.Input{Action: response.ActionActivate, Level: fenghuo.GradeII,
		Approval: "甲网信委〔2026〕3号", Commander: "赵指挥", Phone: "0477-1234567", Liaison: "钱联络", Reason: "供水中断,研判为重大事件"})
	if err != nil {
		t.Fatalf("county activates II: %v", err)
	}
	return res
}

// A unit account may not activate level II: the refusal quotes clause
// 4.2.2 and names the county office, and says it may propose it; its
// request waits in the county office's queue.
func TestUnitRefusedWithClause(t *testing.T) {
	f := newFixture(t)
	_, err := f.e.App.Response.Act(f.ctx, f.unit, f.inc.ID, response.Input{Action: response.ActionActivate, Level: fenghuo.GradeII})
	if fenghuo.ErrorCode(err) != fenghuo.EFORBIDDEN {
		t.Fatalf("unit activates II: %v, want EFORBIDDEN", err)
	}
	for _, want := range []string{"第4.2.2条", "旗委网信办", "经旗委网信委批准", "你单位可向其提出建议", "clause 4.2.2"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("refusal %q lacks %q", err, want)
		}
	}
	// The generic status change cannot start a response either.
	if _, err := f.e.App.Incidents.Transition(f.ctx, f.unit, f.inc.ID, fenghuo.StatusResponding, ""); err == nil || !strings.Contains(err.Error(), "启动应急响应") {
		t.Errorf("transition to responding: %v", err)
	}
	// A request without a reason is refused on the field, and nothing is recorded.
	var fe *fenghuo.Error
	if _, err := f.e.App.Response.Act(f.ctx, f.unit, f.inc.ID, response.Input{Action: response.ActionRequest, Level: fenghuo.GradeII, Reason: "  "}); !errors.As(err, &fe) || fe.Field != "reason" {
		t.Fatalf("request without a reason: %v, want a field error on reason", err)
	}
	res, err := f.e.App.Response.Act(f.ctx, f.unit, f.inc.ID, response.Input{Action: response.ActionRequest, Level: fenghuo.GradeII, Reason: "全县供水中断"})
	if err != nil || res.HandedUpTo == nil || res.HandedUpTo.ID != f.countyOrg.ID || res.Activation.State != fenghuo.ResponseRequested {
		t.Fatalf("request: %+v %v", res, err)
	}
	queue, err := f.e.App.Response.HandedUp(f.ctx, f.county, store.Page{})
	if err != nil || len(queue) != 1 || queue[0].IncidentID != f.inc.ID {
		t.Fatalf("county queue: %+v %v", queue, err)
	}
	v, err := f.e.App.Response.View(f.ctx, f.county, f.inc.ID)
	if err != nil || v.Primary != response.ActionActivate {
		t.Fatalf("county's action on the request: %q %v", v.Primary, err)
	}
	if v, _ := f.e.App.Response.View(f.ctx, f.unit, f.inc.ID); v.Primary != "" || v.Blocked.ZH == "" {
		t.Errorf("unit after requesting: primary %q blocked %q", v.Primary, v.Blocked.ZH)
	}
	// The county decides the request: it becomes the active level.
	act := f.activateII(t).Activation
	if act.ID != res.Activation.ID || act.State != fenghuo.ResponseActive || act.DecidedOrgID != f.countyOrg.ID {
		t.Errorf("decided request: %+v", act)
	}
	if queue, _ := f.e.App.Response.HandedUp(f.ctx, f.county, store.Page{}); len(queue) != 0 {
		t.Errorf("queue after the decision: %+v", queue)
	}
}

// The county office activates level II: approval and commander required,
// the incident responding, command structure, switches, recipients,
// standby duty, situation report and 24-hour duty with its gap.
func TestCountyActivatesII(t *testing.T) {
	f := newFixture(t)
	_, err := f.e.App.Response.Act(f.ctx, f.county, f.inc.ID, response.Input{Action: response.ActionActivate, Level: fenghuo.GradeII, Commander: "赵指挥"})
	if fe, ok := err.(*fenghuo.Error); !ok || fe.Field != "approval" || !strings.Contains(fe.Message, "旗委网信委") {
		t.Fatalf("activation without the approval: %v", err)
	}
	_, err = f.e.App.Response.Act(f.ctx, f.county, f.inc.ID, response.Input{Action: response.ActionActivate, Level: fenghuo.GradeII, Approval: "会议纪要"})
	if fe, ok := err.(*fenghuo.Error); !ok || fe.Field != "commander" {
		t.Fatalf("activation without a commander: %v", err)
	}
	start := f.e.Clock.Now()
	act := f.activateII(t).Activation
	inc, _ := f.e.App.Incidents.Incident(f.ctx, f.county, f.inc.ID)
	if inc.Status != fenghuo.StatusResponding || inc.ResponseLevel != fenghuo.GradeII || !inc.ResponseStartedAt.Equal(start) {
		t.Fatalf("incident after activation: %s %s %v", inc.Status, inc.ResponseLevel, inc.ResponseStartedAt)
	}
	if _, err := f.e.App.Incidents.Transition(f.ctx, f.county, f.inc.ID, fenghuo.StatusRecovering, ""); err == nil || !strings.Contains(err.Error(), "结束应急响应") {
		t.Errorf("generic transition out of an active response: %v", err)
	}
	v, err := f.e.App.Response.View(f.ctx, f.county, f.inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if v.Current.ID != act.ID || v.Primary != response.ActionEnd || v.Level.Clause != "4.2.2" {
		t.Errorf("view: current %+v primary %q clause %q", v.Current, v.Primary, v.Level.Clause)
	}
	roles := map[string][]string{}
	for _, m := range v.Members {
		roles[m.Role] = append(roles[m.Role], m.Name)
	}
	if got := roles[fenghuo.CommandCommander]; len(got) != 1 || got[0] != "赵指挥" || len(roles[fenghuo.CommandLiaison]) != 1 ||
		len(roles[fenghuo.CommandOnsiteTeam]) != 1 || !strings.Contains(roles[fenghuo.CommandOnsiteTeam][0], f.support.Name) {
		t.Errorf("command structure: %v", roles)
	}
	keys := map[string]bool{}
	for _, s := range v.Switches {
		keys[s.Key] = true
	}
	for _, k := range []string{plan.SwitchCommandPost, plan.SwitchDuty24h, plan.SwitchSituationReports, plan.SwitchSupportStandby} {
		if !keys[k] {
			t.Errorf("switch %s not applied: %+v", k, v.Switches)
		}
	}
	if len(v.Approvals) != 1 || v.Approvals[0].Reference != "甲网信委〔2026〕3号" || v.Approvals[0].Body != "旗委网信委" {
		t.Errorf("approval: %+v", v.Approvals)
	}
	got := map[int64]bool{}
	for _, r := range v.Recipients {
		got[r.OrgID] = true
	}
	for _, o := range []*fenghuo.Org{f.water, f.psb, f.support, f.cityOrg} {
		if !got[o.ID] {
			t.Errorf("%s not among the recipients %+v", o.Name, v.Recipients)
		}
	}
	// The support team has a standby duty; the water authority a
	// situation report due 24 h after activation, to the county office.
	standby := 0
	duties, _ := f.e.App.Incidents.MyDuties(f.ctx, f.supportActor, 10)
	for _, o := range duties.Items {
		if o.Kind == "task" && o.RuleID == response.StandbyStep+"support_team" && strings.Contains(o.Title, "待命") && o.RecipientOrgID == f.countyOrg.ID {
			standby++
		}
	}
	if standby != 1 {
		t.Errorf("support team duties: %+v", duties.Items)
	}
	// The plan's activation playbook (response-ii, §4.2.2) became tasks
	// tied to the activation, set up the command owned by the activator.
	var tasks []fenghuo.Task
	f.e.DB.View(f.ctx, func(tx *store.Tx) error {
		var err error
		tasks, err = tx.IncidentTasks(f.ctx, f.inc.ID)
		return err
	})
	playbook := map[string]fenghuo.Task{}
	for _, tk := range tasks {
		if tk.ActivationID == act.ID && tk.PlaybookID == "response-ii" {
			playbook[tk.StepID] = tk
		}
	}
	if tk, ok := playbook["set-up-command"]; !ok || tk.OwnerOrgID != f.countyOrg.ID {
		t.Errorf("activation playbook tasks: %+v", playbook)
	}
	obs, _ := f.e.App.Incidents.IncidentObligations(f.ctx, f.county, f.inc.ID)
	var sit *fenghuo.Obligation
	for i := range obs {
		if obs[i].Kind == incident.KindSituationReport {
			sit = &obs[i]
		}
	}
	if sit == nil || sit.OwnerOrgID != f.water.ID || sit.RecipientOrgID != f.countyOrg.ID || !sit.DueAt.Equal(start.Add(24*time.Hour)) {
		t.Fatalf("situation report: %+v", sit)
	}
	// A follow-up report answers it and opens the next, a day later.
	f.e.Clock.Advance(3 * time.Hour)
	follow := initialReport()
	follow.Kind = fenghuo.ReportFollowUp
	if _, err := f.e.App.Incidents.SubmitReport(f.ctx, f.unit, f.inc.ID, follow); err != nil {
		t.Fatal(err)
	}
	obs, _ = f.e.App.Incidents.IncidentObligations(f.ctx, f.county, f.inc.ID)
	var done, next int
	for _, o := range obs {
		if o.Kind != incident.KindSituationReport {
			continue
		}
		if o.State == fenghuo.ObligationOnTime {
			done++
		}
		if o.State == fenghuo.ObligationOpen && o.DueAt.Equal(start.Add(48*time.Hour)) {
			next++
		}
	}
	if done != 1 || next != 1 {
		t.Errorf("after the follow-up: %d done, %d next: %+v", done, next, obs)
	}
	// 24-hour duty: the county office has nobody rostered, so a gap shows
	// on the response page and the duty page until a shift covers now.
	if len(v.Duties) != 1 || v.Duties[0].Duty.OrgID != f.countyOrg.ID {
		t.Fatalf("duties: %+v", v.Duties)
	}
	if dv, err := f.e.App.Periods.Duty(f.ctx, f.county, f.countyOrg.ID); err != nil || !anyContains(dv.Now.Gaps, "应急响应要求24小时值班") {
		t.Errorf("duty page gaps: %+v %v", dv, err)
	}
	now := f.e.Clock.Now()
	if err := f.e.DB.WithTx(f.ctx, func(tx *store.Tx) error {
		return tx.CreateDutyShift(f.ctx, &fenghuo.DutyShift{OrgID: f.countyOrg.ID, StartAt: now.Add(-time.Hour), EndAt: now.Add(8 * time.Hour), Officer: "孙值班"})
	}); err != nil {
		t.Fatal(err)
	}
	if dv, _ := f.e.App.Periods.Duty(f.ctx, f.county, f.countyOrg.ID); len(dv.Now.Gaps) != 0 {
		t.Errorf("duty gaps with a shift on: %v", dv.Now.Gaps)
	}
	v, _ = f.e.App.Response.View(f.ctx, f.county, f.inc.ID)
	if c := v.Duties[0]; c.UncoveredNow || len(c.Gaps) != 1 || !c.Gaps[0].From.Equal(start) || !c.Gaps[0].To.Equal(now.Add(-time.Hour)) {
		t.Errorf("cover: %+v", c)
	}
}

func anyContains(list []string, s string) bool {
	for _, v := range list {
		if strings.Contains(v, s) {
			return true
		}
	}
	return false
}

// A county office asking for level I hands it up to the city office, whose
// queue holds it; the city activates it.
func TestCountyHandsUpLevelI(t *testing.T) {
	f := newFixture(t)
	res, err := f.e.App.Response.Act(f.ctx, f.county, f.inc.ID, response.Input{Action: response.ActionActivate, Level: fenghuo.GradeI, Reason: "影响超出本县"})
	if err != nil || res.HandedUpTo == nil || res.HandedUpTo.ID != f.cityOrg.ID || res.Activation.State != fenghuo.ResponseRequested {
		t.Fatalf("county activates I: %+v %v", res, err)
	}
	if !strings.Contains(res.Message, f.cityOrg.Name) {
		t.Errorf("message %q does not name the city office", res.Message)
	}
	queue, _ := f.e.App.Response.HandedUp(f.ctx, f.city, store.Page{})
	if len(queue) != 1 || queue[0].Level != fenghuo.GradeI {
		t.Fatalf("city queue: %+v", queue)
	}
	inc, _ := f.e.App.Incidents.Incident(f.ctx, f.county, f.inc.ID)
	if inc.Status == fenghuo.StatusResponding {
		t.Error("a handed-up level set the incident responding")
	}
	out, err := f.e.App.Response.Act(f.ctx, f.city, f.inc.ID, response.Input{Action: response.ActionActivate, Level: fenghuo.GradeI, Commander: "周指挥"})
	if err != nil || out.Activation.ID != res.Activation.ID || out.Activation.State != fenghuo.ResponseActive {
		t.Fatalf("city activates I: %+v %v", out, err)
	}
}

// Level changes keep the history; the end notice reaches everyone notified
// at any activation, the incident recovers and its deadlines run; the
// notice exports as DOCX and PDF.
func TestChangeAndEnd(t *testing.T) {
	f := newFixture(t)
	first := f.activateII(t).Activation
	// The county may not raise to I itself: refused, naming the city office.
	if _, err := f.e.App.Response.Act(f.ctx, f.county, f.inc.ID, response.Input{Action: response.ActionChange, Level: fenghuo.GradeI, Reason: "扩大"}); fenghuo.ErrorCode(err) != fenghuo.EFORBIDDEN || !strings.Contains(err.Error(), "市委网信办") {
		t.Fatalf("county raises to I: %v", err)
	}
	f.e.Clock.Advance(2 * time.Hour)
	if _, err := f.e.App.Response.Act(f.ctx, f.city, f.inc.ID, response.Input{Action: response.ActionChange, Level: fenghuo.GradeI}); err == nil {
		t.Error("change without a reason accepted")
	}
	second, err := f.e.App.Response.Act(f.ctx, f.city, f.inc.ID, response.Input{Action: response.ActionChange, Level: fenghuo.GradeI,
		Reason: "影响扩大至全市", Commander: "周指挥"})
	if err != nil {
		t.Fatal(err)
	}
	v, _ := f.e.App.Response.View(f.ctx, f.city, f.inc.ID)
	if len(v.History) != 2 || v.History[0].State != fenghuo.ResponseSuperseded || v.History[0].EndedAt.IsZero() ||
		v.History[1].PreviousID != first.ID || v.Current.ID != second.Activation.ID || v.Incident.ResponseLevel != fenghuo.GradeI {
		t.Fatalf("history: %+v", v.History)
	}
	if v.Primary != response.ActionEnd {
		t.Errorf("city's action: %q", v.Primary)
	}
	// The county's duty of level II ended; level I's duty runs.
	if ds, _ := f.e.DB.ResponseDuties(f.ctx, first.ID); len(ds) != 1 || ds[0].EndsAt.IsZero() {
		t.Errorf("level II duties after the change: %+v", ds)
	}
	// Recipients: level II's carried over, level I's added.
	want := map[int64]bool{f.water.ID: true, f.psb.ID: true, f.support.ID: true, f.cityOrg.ID: true, f.countyOrg.ID: true}
	for _, r := range v.Recipients {
		delete(want, r.OrgID)
	}
	if len(want) != 0 {
		t.Errorf("recipients missing %v: %+v", want, v.Recipients)
	}
	// The county may not end level I.
	if _, err := f.e.App.Response.Act(f.ctx, f.county, f.inc.ID, response.Input{Action: response.ActionEnd, Situation: "x"}); fenghuo.ErrorCode(err) != fenghuo.EFORBIDDEN || !strings.Contains(err.Error(), "4.3.1") {
		t.Errorf("county ends I: %v", err)
	}
	if _, err := f.e.App.Response.Act(f.ctx, f.city, f.inc.ID, response.Input{Action: response.ActionEnd}); err == nil {
		t.Error("end without the situation accepted")
	}
	f.e.Clock.Advance(24 * time.Hour)
	endAt := f.e.Clock.Now()
	res, err := f.e.App.Response.Act(f.ctx, f.city, f.inc.ID, response.Input{Action: response.ActionEnd,
		Situation: "系统已从离线备份恢复,供水恢复正常。", Requirements: "30日内提交调查评估报告。"})
	if err != nil || res.Activation.State != fenghuo.ResponseEnded {
		t.Fatalf("end: %+v %v", res, err)
	}
	v, _ = f.e.App.Response.View(f.ctx, f.city, f.inc.ID)
	// The end notice is signed by the office that ended the response (issue 15 item 1).
	if s := v.EndSignature; !s.Signed || !s.Result.Good() || s.Result.Block.OfficeID != f.city.Org.ID || !strings.Contains(s.Words("zh"), "未被改动") {
		t.Errorf("end notice signature: %v %s", s.Signed, s.Result.Reasons())
	}
	for _, r := range v.Recipients {
		if r.EndSentAt.IsZero() || (r.OrgID != 0 && r.Delivery != fenghuo.DeliveryDelivered) {
			t.Errorf("recipient %s: sent %v delivery %s", r.Name, r.EndSentAt, r.Delivery)
		}
		if r.OrgID == 0 {
			continue
		}
		ns, err := f.e.DB.Notifications(f.ctx, r.OrgID, 0, 50)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, n := range ns {
			found = found || (n.Kind == "response.ended" && strings.Contains(n.Title, "结束通知"))
		}
		if !found {
			t.Errorf("%s got no end notice: %+v", r.Name, ns)
		}
	}
	inc := v.Incident
	if inc.Status != fenghuo.StatusRecovering || !inc.ResponseEndedAt.Equal(endAt) {
		t.Errorf("incident after the end: %s %v", inc.Status, inc.ResponseEndedAt)
	}
	obs, _ := f.e.App.Incidents.IncidentObligations(f.ctx, f.city, f.inc.ID)
	var investigation time.Time
	for _, o := range obs {
		if o.Kind == incident.KindDeadline && strings.HasPrefix(o.RuleID, "investigation") {
			investigation = o.DueAt
		}
		if (strings.Contains(o.Title, "待命") || o.Kind == incident.KindSituationReport) && o.State == fenghuo.ObligationOpen {
			t.Errorf("still open after the end: %+v", o)
		}
	}
	if investigation.IsZero() || investigation.Sub(endAt) < 29*24*time.Hour || investigation.Sub(endAt) > 31*24*time.Hour {
		t.Errorf("investigation due %v, response ended %v", investigation, endAt)
	}
	n, err := f.e.App.Response.EndNotice(f.ctx, f.city, f.inc.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if n.ResponseLevel != "Ⅰ级" || n.IssuerOffice != f.cityOrg.Name || len(n.Recipients) != len(v.Recipients) ||
		!strings.Contains(n.Situation, "离线备份") || !strings.Contains(n.Requirements, "30日") || n.InvestigationDue.IsZero() {
		t.Errorf("end notice: %+v", n)
	}
	var docx, pdf bytes.Buffer
	if err := export.WriteOfficialDOCX(&docx, n); err != nil || docx.Len() == 0 {
		t.Errorf("docx: %v", err)
	}
	if err := export.WriteOfficialPDF(&pdf, n); err != nil || !bytes.HasPrefix(pdf.Bytes(), []byte("%PDF")) {
		t.Errorf("pdf: %v", err)
	}
}
