package aftermath_test

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/app/aftermath"
	"fenghuo/internal/app/incident"
	"fenghuo/internal/app/response"
	"fenghuo/internal/apptest"
	"fenghuo/internal/calendar"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/plan"
	"fenghuo/internal/store"
)

// scenario is a county water company with a grade-II incident whose
// response ended on Thursday 30 April 2026 at 16:00: the investigation is
// due 30 days later and the summary 20 working days later, across the
// 劳动节 holiday (1–5 May off) and the make-up working Saturday 9 May.
type scenario struct {
	e                             *apptest.Env
	inc                           *fenghuo.Incident
	water, authority, edu         *fenghuo.Org
	author, head, bureau, officer *app.Actor
	eduOfficer                    *app.Actor
}

var responseEnd = time.Date(2026, 4, 30, 16, 0, 0, 0, calendar.Shanghai)

func newScenario(t *testing.T) *scenario {
	t.Helper()
	ctx := context.Background()
	e := apptest.New(t)
	s := &scenario{e: e}
	mk := func(key string, o fenghuo.Org) *fenghuo.Org {
		o.ParentID = e.Orgs["county"].ID
		if err := e.DB.CreateOrg(ctx, &o); err != nil {
			t.Fatal(err)
		}
		e.Orgs[key] = &o
		return &o
	}
	// The education bureau is a competent department of the county too:
	// it must never be asked to approve a water company's documents.
	s.edu = mk("edu", fenghuo.Org{Name: "甲县教育局", Level: fenghuo.LevelDepartment, Type: fenghuo.OrgRegulator, Sector: "education",
		PlanRoles: []string{"competent_department"}})
	s.authority = mk("waterauth", fenghuo.Org{Name: "甲县水利局", Level: fenghuo.LevelDepartment, Type: fenghuo.OrgRegulator, Sector: "water",
		PlanRoles: []string{"competent_department"}})
	s.water = mk("water", fenghuo.Org{Name: "甲县自来水公司", Level: fenghuo.LevelUnit, Type: fenghuo.OrgOperator, Sector: "water",
		PlanRoles: []string{"operator"}})
	actor := func(name, org string, role fenghuo.Role) *app.Actor {
		u, _ := e.User(t, name, org, role)
		return e.Actor(t, u)
	}
	s.author = actor("water-rep", "water", fenghuo.RoleUnitReporter)
	s.head = actor("water-head", "water", fenghuo.RoleCommander)
	s.bureau = actor("water-bureau", "waterauth", fenghuo.RoleAnalyst)
	s.officer = actor("county-duty", "county", fenghuo.RoleDutyOfficer)
	s.eduOfficer = actor("edu-officer", "edu", fenghuo.RoleAnalyst)
	sys := &fenghuo.System{OrgID: s.water.ID, Name: "供水调度系统", ProtectionLevel: 3}
	if err := e.DB.CreateSystem(ctx, sys); err != nil {
		t.Fatal(err)
	}
	e.Clock.Set(responseEnd.Add(-7 * time.Hour))
	inc, err := e.App.Incidents.CreateIncident(ctx, s.author, incident.IncidentInput{
		OrgID: s.water.ID, Title: "自来水公司调度系统遭勒索病毒攻击", Category: "IAI", SystemIDs: []int64{sys.ID},
		OccurredAt: e.Clock.Now().Add(-10 * time.Minute), DiscoveredAt: e.Clock.Now(), Description: "调度服务器文件被加密",
		Facts: plan.Facts{"social_impact": "serious", "defacement_homepage_minutes": 40.0},
	})
	if err != nil {
		t.Fatal(err)
	}
	c := map[string]string{}
	for _, id := range []string{"unit_and_system", "event_details", "development", "preliminary_cause", "tracing_leads",
		"further_measures", "scene_protection", "other", "occurred_time", "unit", "people_affected_text", "expected_loss",
		"system_overview", "department", "system_name", "protection_level", "grade", "category", "occurred_at", "ended_at",
		"description", "scope", "measures", "result", "reporting_unit", "reporter", "phone"} {
		c[id] = "内容:" + id
	}
	if _, err := e.App.Incidents.SubmitReport(ctx, s.author, inc.ID, incident.ReportInput{Kind: fenghuo.ReportInitial, Content: c,
		Signer: "张经理", ReporterName: "李工", ReporterPhone: "0477-7580000"}); err != nil {
		t.Fatal(err)
	}
	// The response starts and ends as the plan says (the response
	// capability); its end starts the aftermath deadlines.
	if _, err := e.App.Response.Act(ctx, s.officer, inc.ID, response.Input{Action: response.ActionActivate, Level: inc.Grade,
		Approval: "甲网信委〔2026〕1号", Commander: "赵指挥", Phone: "0477-1234567", Reason: "启动应急响应"}); err != nil {
		t.Fatal(err)
	}
	e.Clock.Set(responseEnd)
	if _, err := e.App.Response.Act(ctx, s.officer, inc.ID, response.Input{Action: response.ActionEnd, Approval: "甲网信委〔2026〕2号",
		Situation: "系统已恢复", Reason: "处置完毕"}); err != nil {
		t.Fatal(err)
	}
	if s.inc, err = e.App.Incidents.Incident(ctx, s.officer, inc.ID); err != nil {
		t.Fatal(err)
	}
	return s
}

func (s *scenario) doc(t *testing.T, ac *app.Actor, kind string) aftermath.DocumentView {
	t.Helper()
	ov, err := s.e.App.Aftermath.Documents(context.Background(), ac, s.inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ov.Documents {
		if d.Kind == kind {
			return d
		}
	}
	t.Fatalf("no %s", kind)
	return aftermath.DocumentView{}
}

func full(kind, prefix string) map[string]string {
	b := map[string]string{}
	for _, k := range fenghuo.AftermathSections(kind) {
		b[k] = prefix + k
	}
	return b
}

// §5.2 and §5.3 on the State Council calendar: from Thursday 30 April 2026
// 16:00, 30 days end at 24:00 on 30 May; 20 working days skip 1–5 May and
// count Saturday 9 May, ending at 24:00 on Monday 1 June (without the 调休
// Saturday it would be 2 June, on plain weekdays 26 May).
func TestDeadlinesFromTheResponseEnd(t *testing.T) {
	s := newScenario(t)
	inv := s.doc(t, s.author, fenghuo.DocInvestigation)
	sum := s.doc(t, s.author, fenghuo.DocSummary)
	if want := time.Date(2026, 5, 31, 0, 0, 0, 0, calendar.Shanghai); !inv.Due().Equal(want) {
		t.Errorf("investigation due %v, want %v (%+v)", inv.Due(), want, inv.Deadlines)
	}
	if want := time.Date(2026, 6, 2, 0, 0, 0, 0, calendar.Shanghai); !sum.Due().Equal(want) {
		t.Errorf("summary due %v, want %v (%+v)", sum.Due(), want, sum.Deadlines)
	}
	if !calendar.Default().IsWorkday(time.Date(2026, 5, 9, 12, 0, 0, 0, calendar.Shanghai)) {
		t.Fatal("the calendar lost the 调休 Saturday of 9 May 2026")
	}
	if rp := s.doc(t, s.author, fenghuo.DocRecoveryPlan); len(rp.Deadlines) != 0 || rp.Action != aftermath.ActionDraft {
		t.Errorf("recovery plan: deadlines %v action %q", rp.Deadlines, rp.Action)
	}
}

// The chain unit → water authority (not the education bureau) → county
// 网信办; a return sends the version back, the author writes version 2; the
// last approval closes the 30-day deadline on time; the export prints the
// fields and the approvals.
func TestApprovalChainVersionsAndExport(t *testing.T) {
	s := newScenario(t)
	ctx := context.Background()
	a := s.e.App.Aftermath
	kind := fenghuo.DocInvestigation
	d := s.doc(t, s.author, kind)
	if len(d.Chain.Stages) != 3 || d.Chain.Stages[0].Org.ID != s.water.ID || d.Chain.Stages[1].Org.ID != s.authority.ID ||
		d.Chain.Stages[2].Org.ID != s.e.Orgs["county"].ID {
		t.Fatalf("chain %+v", d.Chain)
	}
	// The water authority sees them (it approves) but may not draft.
	if _, err := a.Save(ctx, s.bureau, s.inc.ID, kind, full(kind, "x")); fenghuo.ErrorCode(err) != fenghuo.EFORBIDDEN {
		t.Errorf("authority drafted: %v", err)
	}
	v1, err := a.Save(ctx, s.author, s.inc.ID, kind, map[string]string{"cause": "弱口令被利用"})
	if err != nil {
		t.Fatal(err)
	}
	if d := s.doc(t, s.author, kind); d.Action != aftermath.ActionEdit || d.Current.Version != 1 {
		t.Errorf("incomplete draft: action %q", d.Action)
	}
	if _, err := a.Submit(ctx, s.author, s.inc.ID, v1.ID); err == nil || !strings.Contains(err.Error(), "nature") {
		t.Errorf("incomplete draft submitted: %v", err)
	}
	body := full(kind, "第一版")
	body["cause"] = "远程桌面弱口令被利用,勒索病毒加密调度服务器"
	if v1, err = a.Save(ctx, s.author, s.inc.ID, kind, body); err != nil || v1.Version != 1 {
		t.Fatalf("draft edited in place: %+v %v", v1, err)
	}
	if _, err := a.Submit(ctx, s.author, s.inc.ID, v1.ID); err != nil {
		t.Fatal(err)
	}
	// The author cannot approve; another member of the unit can.
	if _, err := a.Decide(ctx, s.author, s.inc.ID, v1.ID, fenghuo.DecisionApprove, ""); fenghuo.ErrorCode(err) != fenghuo.EFORBIDDEN {
		t.Errorf("author approved own document: %v", err)
	}
	if d := s.doc(t, s.head, kind); d.Action != aftermath.ActionApprove || d.Next != 0 {
		t.Errorf("unit head: action %q next %d", d.Action, d.Next)
	}
	if _, err := a.Decide(ctx, s.officer, s.inc.ID, v1.ID, fenghuo.DecisionApprove, ""); fenghuo.ErrorCode(err) != fenghuo.EFORBIDDEN {
		t.Errorf("county approved before the unit: %v", err)
	}
	if _, err := a.Decide(ctx, s.head, s.inc.ID, v1.ID, fenghuo.DecisionApprove, ""); err != nil {
		t.Fatal(err)
	}
	// The education bureau is no step of a water company's chain.
	if _, err := a.Decide(ctx, s.eduOfficer, s.inc.ID, v1.ID, fenghuo.DecisionApprove, ""); fenghuo.ErrorCode(err) != fenghuo.EFORBIDDEN &&
		fenghuo.ErrorCode(err) != fenghuo.ENOTFOUND {
		t.Errorf("education bureau decided: %v", err)
	}
	// The water authority returns it; a return needs a note.
	if _, err := a.Decide(ctx, s.bureau, s.inc.ID, v1.ID, fenghuo.DecisionReturn, " "); err == nil {
		t.Error("return without a note accepted")
	}
	if _, err := a.Decide(ctx, s.bureau, s.inc.ID, v1.ID, fenghuo.DecisionReturn, "责任认定不清"); err != nil {
		t.Fatal(err)
	}
	if d := s.doc(t, s.author, kind); d.Current.State != fenghuo.DocReturned || d.Action != aftermath.ActionRevise {
		t.Errorf("after return: %s %q", d.Current.State, d.Action)
	}
	body["responsibility"] = "运维外包单位未落实口令策略,负主要责任"
	v2, err := a.Save(ctx, s.author, s.inc.ID, kind, body)
	if err != nil || v2.Version != 2 || v2.ID == v1.ID {
		t.Fatalf("version 2: %+v %v", v2, err)
	}
	s.e.Clock.Advance(24 * time.Hour)
	if _, err := a.Submit(ctx, s.author, s.inc.ID, v2.ID); err != nil {
		t.Fatal(err)
	}
	for _, ac := range []*app.Actor{s.head, s.bureau} {
		if _, err := a.Decide(ctx, ac, s.inc.ID, v2.ID, fenghuo.DecisionApprove, ""); err != nil {
			t.Fatal(err)
		}
	}
	// Tracked measure proposed by the report.
	if _, err := a.AddImprovement(ctx, s.author, s.inc.ID, aftermath.ImprovementInput{DocumentID: v2.ID, Text: "关闭互联网远程桌面端口",
		OwnerOrgID: s.water.ID, DueAt: s.e.Clock.Now().Add(10 * 24 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	s.e.Clock.Advance(time.Hour)
	if _, err := a.Decide(ctx, s.officer, s.inc.ID, v2.ID, fenghuo.DecisionApprove, "同意,抓好整改"); err != nil {
		t.Fatal(err)
	}
	d = s.doc(t, s.author, kind)
	if d.Current.Version != 2 || d.Current.State != fenghuo.DocApproved || d.Action != aftermath.ActionExport || len(d.Versions) != 2 {
		t.Fatalf("final: %+v action %q", d.Current, d.Action)
	}
	for i, st := range d.Chain.Stages {
		if st.Decision == nil || st.Decision.Decision != fenghuo.DecisionApprove {
			t.Errorf("stage %d undecided: %+v", i, st)
		}
	}
	if len(d.Deadlines) != 1 || d.Deadlines[0].State != fenghuo.ObligationOnTime {
		t.Errorf("investigation deadline not closed on time: %+v", d.Deadlines)
	}
	// Versions: a further save of the approved report is refused.
	if _, err := a.Save(ctx, s.author, s.inc.ID, kind, body); fenghuo.ErrorCode(err) != fenghuo.ECONFLICT {
		t.Errorf("approved version changed: %v", err)
	}

	var docx bytes.Buffer
	name, err := a.Export(ctx, s.bureau, s.inc.ID, v2.ID, "docx", &docx)
	if err != nil || !strings.HasSuffix(name, ".docx") {
		t.Fatal(name, err)
	}
	text := docxText(t, docx.Bytes())
	for _, want := range []string{"调查评估报告", "远程桌面弱口令被利用", "运维外包单位未落实口令策略", "关闭互联网远程桌面端口",
		"甲县水利局", "甲县委网信办", "同意,抓好整改", "第2版"} {
		if !strings.Contains(text, want) {
			t.Errorf("DOCX lacks %q", want)
		}
	}
	if strings.Contains(text, "甲县教育局") {
		t.Error("DOCX names the education bureau")
	}
	var pdf bytes.Buffer
	if _, err := a.Export(ctx, s.author, s.inc.ID, v2.ID, "pdf", &pdf); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(pdf.Bytes(), []byte("%PDF-")) {
		t.Fatal("not a PDF")
	}
	if pt := pdfText(t, pdf.Bytes()); pt != "" {
		flat := strings.Join(strings.Fields(pt), "")
		for _, want := range []string{"调查评估报告", "远程桌面弱口令被利用", "甲县水利局", "同意"} {
			if !strings.Contains(flat, want) {
				t.Errorf("PDF lacks %q", want)
			}
		}
	}
	if _, err := a.Export(ctx, s.author, s.inc.ID, v2.ID, "odt", io.Discard); fenghuo.ErrorCode(err) != fenghuo.EINVALID {
		t.Errorf("odt: %v", err)
	}
	// Every change and export is in the audit log.
	entries, err := s.e.DB.AuditEntries(ctx, store.AuditFilter{}, store.Page{Limit: store.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for _, en := range entries.Items {
		counts[en.Action]++
	}
	if counts["aftermath.save"] != 3 || counts["aftermath.submit"] != 2 || counts["aftermath.decide"] != 5 ||
		counts["export.aftermath"] != 2 || counts["improvement.create"] != 1 {
		t.Errorf("audit counts %v", counts)
	}
}

// Every save of a submitted document is a new version: a save while the
// version waits for approval withdraws it from its chain (its decisions
// kept) and the chain starts again with the new version.
func TestSaveInApprovalMakesANewVersion(t *testing.T) {
	s := newScenario(t)
	ctx := context.Background()
	a := s.e.App.Aftermath
	kind := fenghuo.DocRecoveryPlan
	v1, err := a.Save(ctx, s.author, s.inc.ID, kind, full(kind, "初稿"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Submit(ctx, s.author, s.inc.ID, v1.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Decide(ctx, s.head, s.inc.ID, v1.ID, fenghuo.DecisionApprove, ""); err != nil {
		t.Fatal(err)
	}
	v2, err := a.Save(ctx, s.author, s.inc.ID, kind, full(kind, "修改稿"))
	if err != nil || v2.Version != 2 || v2.State != fenghuo.DocDraft {
		t.Fatalf("save in approval: %+v %v", v2, err)
	}
	d := s.doc(t, s.author, kind)
	if len(d.Versions) != 2 || d.Versions[1].State != fenghuo.DocWithdrawn || d.Current.ID != v2.ID {
		t.Fatalf("versions: %+v", d.Versions)
	}
	if _, err := a.Decide(ctx, s.bureau, s.inc.ID, v1.ID, fenghuo.DecisionApprove, ""); fenghuo.ErrorCode(err) != fenghuo.ECONFLICT {
		t.Errorf("decision on the withdrawn version: %v", err)
	}
	if ap, err := s.e.DB.Approvals(ctx, v1.ID); err != nil || len(ap) != 1 {
		t.Errorf("withdrawn version's decisions: %+v %v", ap, err)
	}
	if _, err := a.Submit(ctx, s.author, s.inc.ID, v2.ID); err != nil {
		t.Fatal(err)
	}
	if d := s.doc(t, s.head, kind); d.Next != 0 || d.Action != aftermath.ActionApprove {
		t.Errorf("the chain does not start again: next %d action %q", d.Next, d.Action)
	}
}

// The summary submitted after its 20 working days closes its deadline
// late; the recovery plan's chain stops at the competent department.
func TestLateSummaryAndRecoveryChain(t *testing.T) {
	s := newScenario(t)
	ctx := context.Background()
	a := s.e.App.Aftermath
	s.e.Clock.Set(time.Date(2026, 6, 2, 9, 0, 0, 0, calendar.Shanghai))
	v, err := a.Save(ctx, s.officer, s.inc.ID, fenghuo.DocSummary, full(fenghuo.DocSummary, "总结"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Submit(ctx, s.officer, s.inc.ID, v.ID); err != nil {
		t.Fatal(err)
	}
	for _, ac := range []*app.Actor{s.head, s.bureau, s.officer} {
		if _, err := a.Decide(ctx, ac, s.inc.ID, v.ID, fenghuo.DecisionApprove, ""); err != nil {
			t.Fatal(err)
		}
	}
	if d := s.doc(t, s.author, fenghuo.DocSummary); len(d.Deadlines) != 1 || d.Deadlines[0].State != fenghuo.ObligationLate {
		t.Errorf("late summary: %+v", d.Deadlines)
	}
	rp, err := a.Save(ctx, s.author, s.inc.ID, fenghuo.DocRecoveryPlan, full(fenghuo.DocRecoveryPlan, "恢复"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Submit(ctx, s.author, s.inc.ID, rp.ID); err != nil {
		t.Fatal(err)
	}
	for _, ac := range []*app.Actor{s.head, s.bureau} {
		if _, err := a.Decide(ctx, ac, s.inc.ID, rp.ID, fenghuo.DecisionApprove, ""); err != nil {
			t.Fatal(err)
		}
	}
	if d := s.doc(t, s.author, fenghuo.DocRecoveryPlan); d.Current.State != fenghuo.DocApproved || len(d.Chain.Stages) != 2 {
		t.Errorf("recovery plan: %s, chain %d", d.Current.State, len(d.Chain.Stages))
	}
}

// A unit without a competent department of its sector on the platform: the
// chain says so and goes unit → 网信办, never to another sector's bureau.
func TestChainWithoutCompetentDepartment(t *testing.T) {
	s := newScenario(t)
	ctx := context.Background()
	hospital := s.e.Orgs["hospital"]
	if err := s.e.DB.WithTx(ctx, func(tx *store.Tx) error {
		inc := &fenghuo.Incident{OrgID: hospital.ID, Title: "医院网站被篡改", Status: fenghuo.StatusReported, Grade: fenghuo.GradeIV,
			Channel: fenghuo.ChannelUnit, OccurredAt: s.e.Clock.Now(), DiscoveredAt: s.e.Clock.Now()}
		if err := tx.CreateIncident(ctx, inc); err != nil {
			return err
		}
		s.inc = inc
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	d := s.doc(t, s.officer, fenghuo.DocInvestigation)
	if len(d.Chain.Stages) != 2 || d.Chain.Stages[1].Org.ID != s.e.Orgs["county"].ID || len(d.Chain.Missing) != 1 ||
		d.Chain.Missing[0] != aftermath.StageCompetent {
		t.Errorf("chain %+v", d.Chain)
	}
}

// An improvement measure is an obligation of its owner: overdue, the
// scheduler escalates it to the owner and to the county office; done late,
// it counts as late. Records of §5.4 are kept by the offices only.
func TestImprovementEscalatesAndRecords(t *testing.T) {
	s := newScenario(t)
	ctx := context.Background()
	a := s.e.App.Aftermath
	if _, err := a.AddImprovement(ctx, s.author, s.inc.ID, aftermath.ImprovementInput{Text: "修订口令策略", OwnerOrgID: s.water.ID}); err == nil {
		t.Error("measure without a deadline accepted")
	}
	if _, err := a.AddImprovement(ctx, s.author, s.inc.ID, aftermath.ImprovementInput{Text: "修订口令策略", OwnerOrgID: s.edu.ID,
		DueAt: s.e.Clock.Now().Add(time.Hour)}); err == nil {
		t.Error("measure given to another sector's bureau")
	}
	due := s.e.Clock.Now().Add(7 * 24 * time.Hour)
	m, err := a.AddImprovement(ctx, s.author, s.inc.ID, aftermath.ImprovementInput{Text: "修订口令策略并全面排查弱口令",
		OwnerOrgID: s.water.ID, OwnerUserID: s.head.User.ID, DueAt: due})
	if err != nil {
		t.Fatal(err)
	}
	mine, err := a.MyImprovements(ctx, s.head, store.Page{Limit: 10})
	if err != nil || len(mine) != 1 || mine[0].ID != m.ID {
		t.Fatalf("owner's list: %+v %v", mine, err)
	}
	duties, err := s.e.App.Incidents.MyDuties(ctx, s.head, 50)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, o := range duties.Items {
		found = found || o.Kind == "improvement" && o.SubjectID == m.ID && o.RecipientOrgID == s.e.Orgs["county"].ID
	}
	if !found {
		t.Errorf("measure not among the owner's duties: %+v", duties.Items)
	}
	s.e.Clock.Set(due.Add(time.Hour))
	res, err := s.e.App.Scheduler.Tick(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if res.Escalated < 1 {
		t.Errorf("nothing escalated: %+v", res)
	}
	for _, org := range []int64{s.water.ID, s.e.Orgs["county"].ID} {
		ns, err := s.e.DB.Notifications(ctx, org, 0, 50)
		if err != nil {
			t.Fatal(err)
		}
		hit := false
		for _, n := range ns {
			hit = hit || n.Kind == "obligation.overdue" && strings.Contains(n.Title, "修订口令策略")
		}
		if !hit {
			t.Errorf("org %d not told of the overdue measure", org)
		}
	}
	if ov, _ := a.Documents(ctx, s.author, s.inc.ID); ov.Checks[1].Met || !strings.Contains(ov.Checks[1].Note, "逾期") {
		t.Errorf("三不放过 check: %+v", ov.Checks[1])
	}
	if _, err := a.FinishImprovement(ctx, s.eduOfficer, s.inc.ID, m.ID, fenghuo.ImprovementDone, "已完成"); err == nil {
		t.Error("another bureau closed the measure")
	}
	if _, err := a.FinishImprovement(ctx, s.head, s.inc.ID, m.ID, fenghuo.ImprovementDone, ""); err == nil {
		t.Error("done without a note")
	}
	if _, err := a.FinishImprovement(ctx, s.head, s.inc.ID, m.ID, fenghuo.ImprovementDone, "已修订并排查32台主机"); err != nil {
		t.Fatal(err)
	}
	obs, _ := s.e.App.Incidents.IncidentObligations(ctx, s.author, s.inc.ID)
	for _, o := range obs {
		if o.Kind == "improvement" && o.State != fenghuo.ObligationLate {
			t.Errorf("late measure closed as %s", o.State)
		}
	}
	rec := aftermath.RecordInput{Kind: fenghuo.RecordAccountability, SubjectOrgID: s.water.ID, Basis: "001 §5.4.2(1) 未采取必要防范措施", Decision: "约谈并通报批评"}
	if _, err := a.AddRecord(ctx, s.head, s.inc.ID, rec); fenghuo.ErrorCode(err) != fenghuo.EFORBIDDEN {
		t.Errorf("unit recorded its own accountability: %v", err)
	}
	if _, err := a.AddRecord(ctx, s.officer, s.inc.ID, aftermath.RecordInput{Kind: fenghuo.RecordReward, Subject: "李工"}); err == nil {
		t.Error("record without a basis accepted")
	}
	r, err := a.AddRecord(ctx, s.officer, s.inc.ID, rec)
	if err != nil || r.Subject != s.water.Name {
		t.Fatalf("record: %+v %v", r, err)
	}
	ov, err := a.Documents(ctx, s.bureau, s.inc.ID)
	if err != nil || len(ov.Records) != 1 || len(ov.Improvements) != 1 || !ov.Checks[1].Met || !ov.Checks[2].Met || ov.Checks[0].Met {
		t.Errorf("overview: %+v %v", ov, err)
	}
}

func docxText(t *testing.T, b []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			x, _ := io.ReadAll(rc)
			var out strings.Builder
			in := false
			for _, r := range string(x) {
				switch {
				case r == '<':
					in = true
				case r == '>':
					in = false
				case !in:
					out.WriteRune(r)
				}
			}
			return out.String()
		}
	}
	t.Fatal("no word/document.xml")
	return ""
}

// pdfText extracts a PDF's text with pdftotext; "" (and the check
// skipped) when the tool is missing.
func pdfText(t *testing.T, b []byte) string {
	t.Helper()
	tool, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Log("pdftotext missing: PDF text not checked")
		return ""
	}
	p := filepath.Join(t.TempDir(), "d.pdf")
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tool, "-enc", "UTF-8", p, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}
