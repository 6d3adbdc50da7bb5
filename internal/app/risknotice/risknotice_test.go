package risknotice_test

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"fenghuo/internal/app/risknotice"
	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
)

func system(t *testing.T, e *apptest.Env, org *fenghuo.Org, name string, comps ...fenghuo.Component) *fenghuo.System {
	t.Helper()
	s := &fenghuo.System{OrgID: org.ID, Name: name, Components: comps}
	if err := e.DB.CreateSystem(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	return s
}

func unit(t *testing.T, e *apptest.Env, key, parent, name string) *fenghuo.Org {
	t.Helper()
	o := &fenghuo.Org{ParentID: e.Orgs[parent].ID, Name: name, Level: fenghuo.LevelUnit, Type: fenghuo.OrgOperator}
	if err := e.DB.CreateOrg(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	e.Orgs[key] = o
	return o
}

var weblogic = risknotice.Input{Title: "Oracle WebLogic Server 远程代码执行漏洞", Product: "WebLogic Server",
	Ranges: "12.2.1.3 - 12.2.1.4", RefIDs: []string{"CVE-2020-14882"}, Description: "攻击者可经T3/IIOP协议远程执行代码。",
	Measures: "安装Oracle 2020年10月补丁；暂时关闭T3协议"}

// The acceptance of issue 12: a city office's notice for WebLogic Server
// 12.2.1.3–12.2.1.4 reaches exactly the units running an affected version
// (not 14.1.1, not Tomcat); one answers affected and a finding is raised
// due the notice's deadline; another does nothing and is escalated to the
// city after 7 days.
func TestWebLogicNoticeTargetsAffectedVersionsOnly(t *testing.T) {
	e := apptest.New(t)
	ctx := context.Background()
	hospital, school, school2 := e.Orgs["hospital"], e.Orgs["school"], e.Orgs["school2"]
	water := unit(t, e, "water", "county", "甲县自来水公司")
	bus := unit(t, e, "bus", "county2", "乙县公交公司")
	tax := unit(t, e, "tax", "county2", "乙县税务服务中心")
	his := system(t, e, hospital, "HIS系统", fenghuo.Component{Name: "Oracle WebLogic Server", Version: "12.2.1.3.0"},
		fenghuo.Component{Name: "OpenSSL", Version: "1.0.2k"})
	system(t, e, school, "选课系统", fenghuo.Component{Name: "WebLogic Server", Version: "14.1.1.0"})
	system(t, e, water, "营业收费系统", fenghuo.Component{Name: "Apache Tomcat", Version: "12.2.1.3"}) // a Tomcat with a WebLogic-like version
	busSys := system(t, e, bus, "调度系统", fenghuo.Component{Name: "weblogic", Vendor: "Oracle", Version: "12.2.1.4"})
	system(t, e, school2, "门户", fenghuo.Component{Name: "WebLogic", Version: "12.2.1.2"})
	retired := system(t, e, tax, "旧系统", fenghuo.Component{Name: "WebLogic", Version: "12.2.1.3"})
	retired.Status = fenghuo.SystemRetired
	if err := e.DB.UpdateSystem(ctx, retired); err != nil {
		t.Fatal(err)
	}

	cityUser, _ := e.User(t, "city-analyst", "city", fenghuo.RoleAnalyst)
	city := e.Actor(t, cityUser)
	hospitalUser, _ := e.User(t, "his-reporter", "hospital", fenghuo.RoleUnitReporter)
	hosp := e.Actor(t, hospitalUser)
	busUser, _ := e.User(t, "bus-reporter", "bus", fenghuo.RoleUnitReporter)
	busActor := e.Actor(t, busUser)
	countyUser, _ := e.User(t, "county-commander", "county", fenghuo.RoleCommander)
	county := e.Actor(t, countyUser)

	// A unit reporter cannot issue.
	if _, _, err := e.App.RiskNotices.Issue(ctx, hosp, weblogic); fenghuo.ErrorCode(err) != fenghuo.EFORBIDDEN {
		t.Fatalf("unit issued: %v", err)
	}
	bad := weblogic
	bad.Ranges = "12.2.1.4 - 12.2.1.3"
	if _, err := e.App.RiskNotices.Preview(ctx, city, bad); fenghuo.ErrorCode(err) != fenghuo.EINVALID || !strings.Contains(err.Error(), "ranges") {
		t.Fatalf("backwards range: %v", err)
	}

	n, targets, err := e.App.RiskNotices.Issue(ctx, city, weblogic)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, tg := range targets {
		ids = append(ids, tg.OrgID)
	}
	if !slices.Equal(ids, []int64{hospital.ID, bus.ID}) {
		t.Fatalf("targets %v, want hospital %d and bus %d", ids, hospital.ID, bus.ID)
	}
	if r := targets[0].Reason(); r != "HIS系统：Oracle WebLogic Server 12.2.1.3.0" {
		t.Errorf("reason %q", r)
	}
	if n.ProductKey != "oracle/weblogic_server" || n.RectifyDays != 7 || !n.DueAt.Equal(e.Clock.Now().Add(7*24*time.Hour)) {
		t.Errorf("notice: %+v", n)
	}
	// The hospital reads it signed by the city office, unchanged (issue 15 item 1).
	if d, err := e.App.RiskNotices.Notice(ctx, hosp, n.ID); err != nil || !d.Signature.Result.Good() ||
		d.Signature.Result.Block.OfficeID != city.Org.ID || !strings.Contains(d.Signature.Words("en"), "unchanged") {
		t.Errorf("signature as the hospital reads it: %v %+v", err, d)
	}

	// The hospital answers: affected. A finding per affected system, due
	// the notice's deadline; the obligation is answered on time.
	if _, err := e.App.RiskNotices.AnswerNotice(ctx, busActor, targets[0].ID, risknotice.Answer{Answer: fenghuo.RiskAnswerAffected}); fenghuo.ErrorCode(err) != fenghuo.ENOTFOUND {
		t.Fatalf("another unit answered for the hospital: %v", err)
	}
	if _, err := e.App.RiskNotices.AnswerNotice(ctx, hosp, targets[0].ID, risknotice.Answer{Answer: fenghuo.RiskAnswerNotAffected}); fenghuo.ErrorCode(err) != fenghuo.EINVALID {
		t.Fatalf("not affected without a reason: %v", err)
	}
	e.Clock.Advance(2 * time.Hour)
	got, err := e.App.RiskNotices.AnswerNotice(ctx, hosp, targets[0].ID, risknotice.Answer{Answer: fenghuo.RiskAnswerAffected, Note: "已联系厂商"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.FindingIDs) != 1 {
		t.Fatalf("findings %v", got.FindingIDs)
	}
	f, err := e.DB.Finding(ctx, got.FindingIDs[0])
	if err != nil || f.OrgID != hospital.ID || f.SystemID != his.ID || f.Source != fenghuo.FindingSourceRiskNotice ||
		!f.DueAt.Equal(n.DueAt) || f.Severity != fenghuo.SeverityHigh {
		t.Fatalf("finding %+v %v", f, err)
	}
	if _, err := e.App.RiskNotices.AnswerNotice(ctx, hosp, targets[0].ID, risknotice.Answer{Answer: fenghuo.RiskAnswerAffected}); fenghuo.ErrorCode(err) != fenghuo.ECONFLICT {
		t.Fatalf("answered twice: %v", err)
	}

	// The bus company says nothing. After 7 days the scheduler escalates
	// its duty to the city.
	e.Clock.Advance(7 * 24 * time.Hour)
	if _, err := e.App.Scheduler.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	d, err := e.App.RiskNotices.Notice(ctx, city, n.ID)
	if err != nil {
		t.Fatal(err)
	}
	p := d.Progress
	// Its register says it runs an affected version: the silence raises
	// its finding (by its SLA from now), so the clear-to-zero view shows it.
	if p.Targets != 2 || p.Affected != 1 || p.Unanswered != 1 || p.Overdue != 1 || p.FindingsOpen != 2 || !d.CanManage {
		t.Fatalf("board %+v", p)
	}
	busRow := d.Targets[0]
	if busRow.OrgID != bus.ID {
		busRow = d.Targets[1]
	}
	if busRow.Obligation.EscalatedAt.IsZero() || busRow.Obligation.RecipientOrgID != e.Orgs["city"].ID || busRow.Matches[0].SystemID != busSys.ID {
		t.Fatalf("bus not escalated: %+v", busRow.Obligation)
	}
	if len(busRow.FindingIDs) != 1 {
		t.Fatalf("the silent unit's findings: %v", busRow.FindingIDs)
	}
	bf, err := e.DB.Finding(ctx, busRow.FindingIDs[0])
	if err != nil || bf.OrgID != bus.ID || bf.SystemID != busSys.ID || bf.Source != fenghuo.FindingSourceRiskNotice ||
		bf.State != fenghuo.FindingOpen || !bf.DueAt.After(e.Clock.Now()) || !strings.Contains(bf.Detail, "逾期未答复") {
		t.Fatalf("presumed finding %+v %v", bf, err)
	}
	// A second pass escalates nothing more and raises nothing twice.
	if _, err := e.App.Scheduler.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	if d2, err := e.App.RiskNotices.Notice(ctx, city, n.ID); err != nil || d2.Progress.FindingsOpen != 2 {
		t.Fatalf("after a second pass: %+v %v", d2.Progress, err)
	}
	var escalated bool
	list, err := e.DB.Notifications(ctx, e.Orgs["city"].ID, 0, 50)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range list {
		escalated = escalated || x.Kind == "obligation.overdue" && strings.Contains(x.Title, weblogic.Title)
	}
	if !escalated {
		t.Error("the city was not told of the overdue answer")
	}

	// The county sees its own unit's row only; the hospital its own.
	if d, err := e.App.RiskNotices.Notice(ctx, county, n.ID); err != nil || len(d.Targets) != 1 || d.Targets[0].OrgID != hospital.ID || d.CanManage {
		t.Fatalf("county view: %+v %v", d, err)
	}
	school2User, _ := e.User(t, "school2-reporter", "school2", fenghuo.RoleUnitReporter)
	if _, err := e.App.RiskNotices.Notice(ctx, e.Actor(t, school2User), n.ID); fenghuo.ErrorCode(err) != fenghuo.ENOTFOUND {
		t.Fatalf("an untargeted unit sees the notice: %v", err)
	}

	// The notice as the office sends it.
	var buf bytes.Buffer
	name, err := e.App.RiskNotices.Document(ctx, city, n.ID, "docx", &buf)
	if err != nil || name != "risk-notice-1.docx" || buf.Len() < 1000 {
		t.Fatalf("docx %q %d %v", name, buf.Len(), err)
	}
	if err := e.App.RiskNotices.Close(ctx, county, n.ID, "完成"); fenghuo.ErrorCode(err) != fenghuo.ENOTFOUND {
		t.Fatalf("the county closed the city's notice: %v", err)
	}
	if err := e.App.RiskNotices.Close(ctx, city, n.ID, "整改完成"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.App.RiskNotices.AnswerNotice(ctx, busActor, busRow.ID, risknotice.Answer{Answer: fenghuo.RiskAnswerNotAffected, Note: "x"}); fenghuo.ErrorCode(err) != fenghuo.ECONFLICT {
		t.Fatalf("answered a closed notice: %v", err)
	}
}

func TestNoticeWithNoAffectedUnitIsNotSent(t *testing.T) {
	e := apptest.New(t)
	ctx := context.Background()
	system(t, e, e.Orgs["school"], "门户", fenghuo.Component{Name: "Apache Tomcat", Version: "9.0.27"}, fenghuo.Component{Name: "weblogic"})
	u, _ := e.User(t, "county-analyst", "county", fenghuo.RoleAnalyst)
	ac := e.Actor(t, u)
	in := weblogic
	in.Product, in.Ranges = "Tomcat", "[9.0.0, 9.0.27)"
	if _, _, err := e.App.RiskNotices.Issue(ctx, ac, in); fenghuo.ErrorCode(err) != fenghuo.EINVALID {
		t.Fatalf("sent to nobody: %v", err)
	}
	// A component of the product without a version is asked: nobody can tell.
	targets, err := e.App.RiskNotices.Preview(ctx, ac, weblogic)
	if err != nil || len(targets) != 1 || targets[0].Matches[0].Version != "版本未登记" {
		t.Fatalf("preview %+v %v", targets, err)
	}
}
