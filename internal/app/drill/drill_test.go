package drill_test

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"fenghuo/internal/app"
	"fenghuo/internal/app/drill"
	"fenghuo/internal/app/services"
	"fenghuo/internal/apptest"
	"fenghuo/internal/calendar"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

func newEnv(t *testing.T) *apptest.Env {
	t.Helper()
	e := apptest.New(t)
	cfg := app.DefaultConfig()
	cfg.EvidenceDir = filepath.Join(e.Dir, "evidence")
	e.App = services.New(app.Deps{DB: e.DB, Plans: e.App.Core.Plans(), Calendar: e.App.Core.Calendar(),
		Audit: apptest.TestChain(t), Sealer: e.App.Core.Sealer(), Config: cfg})
	e.App.SetClock(e.Clock.Now)
	return e
}

func code(t *testing.T, err error, want string) {
	t.Helper()
	if got := fenghuo.ErrorCode(err); got != want {
		t.Fatalf("error code %q, want %q (%v)", got, want, err)
	}
}

func actor(t *testing.T, e *apptest.Env, name, org string, role fenghuo.Role) *app.Actor {
	u, _ := e.User(t, name, org, role)
	return e.Actor(t, u)
}

func input(held time.Time) drill.DrillInput {
	return drill.DrillInput{Kind: fenghuo.DrillTabletop, HeldOn: held, Title: "校园网勒索病毒桌面推演",
		Participants: "信息中心、校办", Headcount: 9, PlanID: "wushen-county", Scenario: "教务系统服务器被加密",
		Result: "30分钟内完成初报，发现备份恢复流程缺少负责人", Improvements: "明确备份恢复负责人"}
}

func TestDrillDutyRecordAndListing(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	s := e.App.Drills
	rep := actor(t, e, "school_rep", "school", fenghuo.RoleUnitReporter)
	hospRep := actor(t, e, "hosp_rep", "hospital", fenghuo.RoleUnitReporter)
	viewer := actor(t, e, "school_viewer", "school", fenghuo.RoleViewer)
	officer := actor(t, e, "county_officer", "county", fenghuo.RoleAnalyst)
	other := actor(t, e, "county2_officer", "county2", fenghuo.RoleAnalyst)

	// 20 November 2026: the scheduler opens one duty per unit for 2026,
	// due at the year's end, reminded from 1 December, escalated to the
	// county office; no incident.
	if _, err := e.App.Scheduler.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	var duty *fenghuo.Obligation
	must(t, e.DB.View(ctx, func(tx *store.Tx) error {
		var err error
		duty, err = tx.DrillDuty(ctx, e.Orgs["school"].ID, 2026)
		return err
	}))
	if duty.State != fenghuo.ObligationOpen || duty.IncidentID != 0 || duty.RecipientOrgID != e.Orgs["county"].ID ||
		!duty.DueAt.Equal(time.Date(2027, 1, 1, 0, 0, 0, 0, calendar.Shanghai)) ||
		!duty.RemindAt.Equal(time.Date(2026, 12, 1, 0, 0, 0, 0, calendar.Shanghai)) {
		t.Fatalf("duty: %+v", duty)
	}
	n, err := s.OpenDrillDuties(ctx)
	must(t, err)
	if n != 0 {
		t.Fatalf("a second pass opened %d duties", n)
	}

	// Before 1 December nobody is listed.
	m, err := s.UnitsWithoutDrill(ctx, officer, 2026, store.Page{})
	must(t, err)
	if m.Shown || len(m.Units.Items) != 0 {
		t.Fatalf("listed before the date: %+v", m)
	}

	// Rights: a viewer cannot file, a unit cannot file for a sibling, a
	// future date is refused, an unknown playbook is named.
	_, err = s.RecordDrill(ctx, viewer, input(e.Clock.Now().Add(-time.Hour)))
	code(t, err, fenghuo.EFORBIDDEN)
	in := input(e.Clock.Now().Add(-time.Hour))
	in.OrgID = e.Orgs["school"].ID
	_, err = s.RecordDrill(ctx, hospRep, in)
	code(t, err, fenghuo.ENOTFOUND)
	_, err = s.RecordDrill(ctx, rep, input(e.Clock.Now().Add(24*time.Hour))) // tomorrow (later today is today)
	code(t, err, fenghuo.EINVALID)
	in = input(e.Clock.Now().Add(-time.Hour))
	in.PlaybookID = "no-such-playbook"
	_, err = s.RecordDrill(ctx, rep, in)
	code(t, err, fenghuo.EINVALID)
	in = input(e.Clock.Now().Add(-time.Hour))
	in.Filename, in.File = "summary.exe", strings.NewReader("MZ")
	_, err = s.RecordDrill(ctx, rep, in)
	code(t, err, fenghuo.EINVALID)

	// The school files its drill with a written summary.
	in = input(e.Clock.Now().Add(-time.Hour))
	in.Filename, in.File = "演练总结.txt", strings.NewReader("演练总结：30分钟内完成初报。")
	d, err := s.RecordDrill(ctx, rep, in)
	must(t, err)
	if d.FiledToOrgID != e.Orgs["county"].ID || d.Year != 2026 || d.File.SM3 == "" || d.File.Name != "演练总结.txt" {
		t.Fatalf("drill: %+v", d)
	}
	must(t, e.DB.View(ctx, func(tx *store.Tx) error {
		var err error
		duty, err = tx.DrillDuty(ctx, e.Orgs["school"].ID, 2026)
		return err
	}))
	if duty.State != fenghuo.ObligationOnTime {
		t.Fatalf("duty after the drill: %+v", duty)
	}
	entries, err := e.DB.AuditEntries(ctx, store.AuditFilter{ActionPrefix: "drill.create"}, store.Page{})
	must(t, err)
	if entries.Total != 1 || entries.Items[0].ActorID != rep.User.ID || entries.Items[0].ObjectID != app.ObjectID(d.ID) {
		t.Fatalf("audit: %+v", entries)
	}

	// The county sees it and can download the summary; the other county
	// cannot even learn it exists.
	_, f, err := s.OpenDrillFile(ctx, officer, d.ID)
	must(t, err)
	body, _ := io.ReadAll(f)
	f.Close()
	if !strings.Contains(string(body), "30分钟内完成初报") {
		t.Fatalf("file: %q", body)
	}
	_, err = s.Drill(ctx, other, d.ID)
	code(t, err, fenghuo.ENOTFOUND)
	list, err := s.Drills(ctx, other, 2026, store.Page{})
	must(t, err)
	if list.Total != 0 {
		t.Fatalf("county2 sees %+v", list)
	}

	// From 1 December the hospital is listed; its duty is reminded.
	e.Clock.Set(time.Date(2026, 12, 2, 9, 0, 0, 0, calendar.Shanghai))
	m, err = s.UnitsWithoutDrill(ctx, officer, 2026, store.Page{})
	must(t, err)
	if !m.Shown || m.Units.Total != 1 || m.Units.Items[0].ID != e.Orgs["hospital"].ID {
		t.Fatalf("missing: %+v", m)
	}
	res, err := e.App.Scheduler.Tick(ctx)
	must(t, err)
	if res.Reminded < 2 { // the hospital's and 乙县第一中学's duties
		t.Fatalf("tick: %+v", res)
	}
}

func TestScoreCardFromMeasuredFacts(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	s := e.App.Drills
	rep := actor(t, e, "school_rep", "school", fenghuo.RoleUnitReporter)
	officer := actor(t, e, "county_officer", "county", fenghuo.RoleAnalyst)

	// Only an office sets weights; weights are validated.
	_, err := s.SetConfig(ctx, rep, drill.DefaultConfig())
	code(t, err, fenghuo.EFORBIDDEN)
	bad := drill.DefaultConfig()
	bad.Weights = fenghuo.ScoreWeights{fenghuo.TermDrill: 0}
	_, err = s.SetConfig(ctx, officer, bad)
	code(t, err, fenghuo.EINVALID)
	cfg := drill.DefaultConfig()
	cfg.Weights = fenghuo.ScoreWeights{fenghuo.TermDrill: 50, fenghuo.TermReporting: 50}
	cfg.ListingMonth, cfg.ListingDay = 11, 1
	_, err = s.SetConfig(ctx, officer, cfg)
	must(t, err)
	got, err := s.Config(ctx, rep) // the unit inherits its office's
	must(t, err)
	if got.Weights[fenghuo.TermDrill] != 50 || got.OrgID != e.Orgs["county"].ID {
		t.Fatalf("config: %+v", got)
	}

	_, err = s.RecordDrill(ctx, rep, input(e.Clock.Now().Add(-24*time.Hour)))
	must(t, err)
	// A report duty of the hospital, met late, and one of the school met on time.
	must(t, e.DB.WithTx(ctx, func(tx *store.Tx) error {
		for _, o := range []fenghuo.Obligation{
			{Kind: "report", OwnerOrgID: e.Orgs["hospital"].ID, Title: "初报", DueAt: e.Clock.Now().Add(-48 * time.Hour), State: fenghuo.ObligationLate},
			{Kind: "report", OwnerOrgID: e.Orgs["school"].ID, Title: "初报", DueAt: e.Clock.Now().Add(-48 * time.Hour), State: fenghuo.ObligationOnTime},
		} {
			if err := tx.CreateObligation(ctx, &o); err != nil {
				return err
			}
		}
		return nil
	}))

	card, err := s.ScoreCard(ctx, officer, 2026)
	must(t, err)
	scores := map[int64]drill.UnitScore{}
	for _, u := range card.Units {
		scores[u.Org.ID] = u
	}
	if len(card.Units) != 2 { // the county's two units, not county2's
		t.Fatalf("units: %+v", card.Units)
	}
	if sc := scores[e.Orgs["school"].ID]; !sc.Scored || sc.Score != 100 {
		t.Fatalf("school: %+v", sc)
	}
	// Hospital: drill 0/1 (listing date 1 November has passed), reporting 0/1.
	if sc := scores[e.Orgs["hospital"].ID]; !sc.Scored || sc.Score != 0 || sc.Measures[1].Due != 1 {
		t.Fatalf("hospital: %+v", sc)
	}

	var buf bytes.Buffer
	must(t, s.ExportScoreCard(ctx, officer, 2026, &buf))
	f, err := excelize.OpenReader(&buf)
	must(t, err)
	rows, err := f.GetRows(f.GetSheetName(0))
	must(t, err)
	if len(rows) != 5 || !strings.Contains(rows[1][0], "50×年度演练") || rows[3][0] != "甲县第一中学" && rows[4][0] != "甲县第一中学" {
		t.Fatalf("xlsx rows: %q", rows)
	}
	entries, err := e.DB.AuditEntries(ctx, store.AuditFilter{ActionPrefix: "export.capability_scorecard"}, store.Page{})
	must(t, err)
	if entries.Total != 1 {
		t.Fatalf("export not audited: %+v", entries)
	}

	// Activities: recorded for the actor's own org and listed by year.
	_, err = s.RecordActivity(ctx, rep, drill.ActivityInput{Category: fenghuo.ActivityTraining, HeldOn: e.Clock.Now().Add(-time.Hour),
		Kind: "应急知识培训", Audience: "全体教职工", Count: 60, Summary: "网络安全事件报告流程"})
	must(t, err)
	acts, err := s.Activities(ctx, officer, 2026, store.Page{})
	must(t, err)
	if acts.Total != 1 || acts.Items[0].Count != 60 {
		t.Fatalf("activities: %+v", acts)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// A drill held today is filed at any hour of today: the console sends the
// date as its noon (Beijing time), which was refused as "in the future"
// every morning; tomorrow is refused.
func TestDrillHeldTodayIsFiledInTheMorning(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	rep := actor(t, e, "school_rep", "school", fenghuo.RoleUnitReporter)
	e.Clock.Set(time.Date(2026, 11, 20, 8, 30, 0, 0, calendar.Shanghai))
	noon := time.Date(2026, 11, 20, 12, 0, 0, 0, calendar.Shanghai)
	if _, err := e.App.Drills.RecordDrill(ctx, rep, input(noon)); err != nil {
		t.Fatalf("a drill held this morning, filed at 08:30: %v", err)
	}
	_, err := e.App.Drills.RecordDrill(ctx, rep, input(time.Date(2026, 11, 21, 0, 0, 0, 0, calendar.Shanghai)))
	code(t, err, fenghuo.EINVALID)
	if _, err := e.App.Drills.RecordActivity(ctx, rep, drill.ActivityInput{Category: "training", HeldOn: noon, Kind: "全员网络安全培训",
		Audience: "全体教职工", Count: 80, Summary: "钓鱼邮件识别"}); err != nil {
		t.Fatalf("an activity held today: %v", err)
	}
}
