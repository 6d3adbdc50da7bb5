package finding_test

import (
	"bytes"
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"fenghuo/internal/app"
	"fenghuo/internal/app/finding"
	"fenghuo/internal/app/services"
	"fenghuo/internal/apptest"
	"fenghuo/internal/calendar"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// newEnv is apptest's fixture with an evidence directory.
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

func TestFindingLifecycle(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	officer, _ := e.User(t, "county_officer", "county", fenghuo.RoleAnalyst)
	rep, _ := e.User(t, "school_rep", "school", fenghuo.RoleUnitReporter)
	other, _ := e.User(t, "school2_rep", "school2", fenghuo.RoleUnitReporter)
	office, unit, stranger := e.Actor(t, officer), e.Actor(t, rep), e.Actor(t, other)
	svc := e.App.Findings

	// An office records an external report on a unit of its subtree; a
	// unit cannot record one by hand.
	f, err := svc.RaiseManual(ctx, office, finding.ManualInput{OrgID: e.Orgs["school"].ID, Title: "门户网站存在SQL注入",
		Detail: "市公安局网安支队通报", Severity: fenghuo.SeverityCritical, Reference: "网安通报〔2026〕12号"})
	if err != nil {
		t.Fatal(err)
	}
	if f.Source != fenghuo.FindingSourceExternal || !f.DueAt.Equal(e.Clock.Now().Add(3*24*time.Hour)) {
		t.Fatalf("manual finding: %+v", f)
	}
	_, err = svc.RaiseManual(ctx, unit, finding.ManualInput{OrgID: e.Orgs["school"].ID, Title: "x", Severity: "low"})
	code(t, err, fenghuo.EFORBIDDEN)

	// The other county's unit does not see it.
	_, err = svc.Get(ctx, stranger, f.ID)
	code(t, err, fenghuo.ENOTFOUND)
	_, err = svc.Start(ctx, stranger, f.ID, 0, "")
	code(t, err, fenghuo.ENOTFOUND)

	// The unit starts work, naming its owner; submitting needs evidence.
	if _, err := svc.Start(ctx, unit, f.ID, rep.ID, "已安排技术人员"); err != nil {
		t.Fatal(err)
	}
	_, err = svc.Start(ctx, unit, f.ID, 0, "")
	code(t, err, fenghuo.ECONFLICT)
	_, err = svc.Submit(ctx, unit, f.ID, "已修复")
	code(t, err, fenghuo.EINVALID)
	// An executable is refused, a log file accepted.
	_, err = svc.AddEvidence(ctx, unit, f.ID, "fix.exe", strings.NewReader("MZ..."), "")
	code(t, err, fenghuo.EINVALID)
	ev, err := svc.AddEvidence(ctx, unit, f.ID, "waf.log", strings.NewReader("2026-11-20 WAF rule 942100 enabled\n"), "WAF规则")
	if err != nil {
		t.Fatal(err)
	}
	if len(ev.SM3) != 64 {
		t.Fatalf("evidence: %+v", ev)
	}
	// The office cannot verify before submission; the unit cannot verify.
	_, err = svc.Verify(ctx, office, f.ID, "")
	code(t, err, fenghuo.ECONFLICT)
	e.Clock.Advance(24 * time.Hour)
	sub, err := svc.Submit(ctx, unit, f.ID, "已修复注入点并启用WAF规则")
	if err != nil {
		t.Fatal(err)
	}
	if sub.State != fenghuo.FindingSubmitted || sub.ObligationID != 0 {
		t.Fatalf("submitted: %+v", sub)
	}
	_, err = svc.Verify(ctx, unit, f.ID, "")
	code(t, err, fenghuo.EFORBIDDEN)

	// The office sends it back with a reason: rectifying, a new duty due
	// at the original deadline (still ahead).
	_, err = svc.Reject(ctx, office, f.ID, "", time.Time{})
	code(t, err, fenghuo.EINVALID)
	back, err := svc.Reject(ctx, office, f.ID, "复测仍可注入", time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if back.State != fenghuo.FindingRectifying || back.ObligationID == 0 || !back.DueAt.Equal(f.DueAt) {
		t.Fatalf("rejected: %+v", back)
	}
	// Overdue: the scheduler escalates the duty to the county office.
	e.Clock.Advance(3 * 24 * time.Hour)
	if _, err := e.App.Scheduler.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	d, err := svc.Get(ctx, office, f.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d.Obligation == nil || d.Obligation.EscalatedAt.IsZero() || d.EscalatedToName != e.Orgs["county"].Name || !d.Overdue(e.Clock.Now()) {
		t.Fatalf("escalation: %+v", d.Obligation)
	}
	late, err := svc.List(ctx, office, finding.Filter{Overdue: true}, store.Page{})
	if err != nil || late.Total != 1 || late.Items[0].ID != f.ID || late.Items[0].OrgName != e.Orgs["school"].Name {
		t.Fatalf("overdue list: %+v %v", late, err)
	}
	if _, err := svc.Submit(ctx, unit, f.ID, "已彻底修复"); err != nil {
		t.Fatal(err)
	}
	done, err := svc.Verify(ctx, office, f.ID, "复测通过")
	if err != nil {
		t.Fatal(err)
	}
	if done.State != fenghuo.FindingClosed || done.ClosedBy != officer.ID {
		t.Fatalf("verified: %+v", done)
	}
	d, err = svc.Get(ctx, unit, f.ID)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, ev := range d.Events {
		kinds = append(kinds, ev.Kind+":"+ev.State)
	}
	want := "raised:open state:rectifying evidence:rectifying state:submitted state:rectifying state:submitted state:closed"
	if strings.Join(kinds, " ") != want {
		t.Fatalf("history: %s", strings.Join(kinds, " "))
	}
	// Every change left an audit entry.
	entries, err := e.DB.AuditEntries(ctx, store.AuditFilter{ObjectType: "finding"}, store.Page{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	actions := map[string]int{}
	for _, a := range entries.Items {
		actions[a.Action]++
	}
	for _, a := range []string{"finding.raise", "finding.start", "finding.evidence", "finding.submit", "finding.reject", "finding.verify"} {
		if actions[a] == 0 {
			t.Errorf("no audit entry %s: %v", a, actions)
		}
	}
}

func TestAcceptedRiskReopensOnExpiry(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	officer, _ := e.User(t, "county_officer", "county", fenghuo.RoleAnalyst)
	rep, _ := e.User(t, "school_rep", "school", fenghuo.RoleUnitReporter)
	office, unit := e.Actor(t, officer), e.Actor(t, rep)
	svc := e.App.Findings

	// The county sets its own SLA: high 5 days; the school inherits it.
	code(t, svc.SetSLA(ctx, unit, fenghuo.FindingSLA{Critical: 1, High: 5, Medium: 20, Low: 60}), fenghuo.EFORBIDDEN)
	code(t, svc.SetSLA(ctx, office, fenghuo.FindingSLA{Critical: 9, High: 5, Medium: 20, Low: 60}), fenghuo.EINVALID)
	if err := svc.SetSLA(ctx, office, fenghuo.FindingSLA{Critical: 1, High: 5, Medium: 20, Low: 60}); err != nil {
		t.Fatal(err)
	}
	v, err := svc.SLA(ctx, unit)
	if err != nil || v.SLA.High != 5 || v.SetBy != e.Orgs["county"].ID || v.CanSet {
		t.Fatalf("inherited SLA: %+v %v", v, err)
	}
	f, _, err := raise(t, e, office, finding.Input{OrgID: e.Orgs["school"].ID, Source: fenghuo.FindingSourceExposure,
		Key: "port/3389", Title: "远程桌面端口暴露在互联网", Severity: fenghuo.SeverityHigh})
	if err != nil {
		t.Fatal(err)
	}
	if !f.DueAt.Equal(e.Clock.Now().Add(5 * 24 * time.Hour)) {
		t.Fatalf("due %v", f.DueAt)
	}
	_, err = svc.Accept(ctx, unit, f.ID, "业务需要", e.Clock.Now().Add(30*24*time.Hour))
	code(t, err, fenghuo.EFORBIDDEN)
	_, err = svc.Accept(ctx, office, f.ID, "业务需要", e.Clock.Now().Add(400*24*time.Hour))
	code(t, err, fenghuo.EINVALID)
	acc, err := svc.Accept(ctx, office, f.ID, "已加VPN白名单，端口须对运维商开放", e.Clock.Now().Add(30*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if acc.State != fenghuo.FindingAccepted || acc.ObligationID != 0 {
		t.Fatalf("accepted: %+v", acc)
	}
	// Seen again by the exposure check while accepted: merged, still accepted.
	again, merged, err := raise(t, e, app.SystemActor(), finding.Input{OrgID: e.Orgs["school"].ID, Source: fenghuo.FindingSourceExposure,
		Key: "port/3389", Title: "远程桌面端口暴露在互联网", Severity: fenghuo.SeverityHigh})
	if err != nil || !merged || again.State != fenghuo.FindingAccepted {
		t.Fatalf("merge while accepted: %+v %v %v", again, merged, err)
	}
	// Past the expiry the scheduler reopens it with a new deadline.
	e.Clock.Advance(29 * 24 * time.Hour)
	if _, err := e.App.Scheduler.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	if g, _ := e.DB.Finding(ctx, f.ID); g.State != fenghuo.FindingAccepted {
		t.Fatalf("reopened early: %+v", g)
	}
	e.Clock.Advance(24*time.Hour + time.Minute)
	if _, err := e.App.Scheduler.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	g, err := e.DB.Finding(ctx, f.ID)
	if err != nil || g.State != fenghuo.FindingOpen || g.ObligationID == 0 || !g.DueAt.Equal(e.Clock.Now().Add(5*24*time.Hour)) || !g.AcceptedUntil.IsZero() {
		t.Fatalf("reopened: %+v %v", g, err)
	}
	if n, err := svc.ReopenExpired(ctx); err != nil || n != 0 {
		t.Fatalf("reopened twice: %d %v", n, err)
	}

	// The board: one open high finding at the school, in the 30–90 day
	// bucket (first seen 30 days ago); the trend shows it unclosed.
	b, err := svc.Board(ctx, office, 0)
	if err != nil {
		t.Fatal(err)
	}
	if b.Total.Open != 1 || b.Total.BySeverity[1] != 1 || b.Total.ByAge[2] != 1 || len(b.Units) != 1 || b.Units[0].Org.ID != e.Orgs["school"].ID {
		t.Fatalf("board: %+v", b)
	}
	if len(b.Weeks) != finding.TrendWeeks || b.Weeks[len(b.Weeks)-1].Unclosed != 1 || b.Weeks[0].Unclosed != 0 {
		t.Fatalf("trend: %+v", b.Weeks)
	}
	// The other county sees nothing of it.
	other, _ := e.User(t, "county2_officer", "county2", fenghuo.RoleAnalyst)
	b2, err := svc.Board(ctx, e.Actor(t, other), 0)
	if err != nil || b2.Total.Open != 0 {
		t.Fatalf("other board: %+v %v", b2, err)
	}
	_, err = svc.Board(ctx, e.Actor(t, other), e.Orgs["school"].ID)
	code(t, err, fenghuo.ENOTFOUND)
	var buf bytes.Buffer
	if err := svc.WriteBoardXLSX(ctx, office, 0, &buf, "zh"); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := x.GetRows("隐患清零")
	if err != nil || len(rows) < 3 || rows[1][0] != e.Orgs["school"].Name || rows[1][1] != "1" || rows[1][3] != "1" {
		t.Fatalf("xlsx rows: %v %v", rows, err)
	}
}

// The trend's points are the Mondays 00:00 and then now: a finding raised
// last Friday counts in the week that ended on Monday, one raised since
// Monday in this week so far; none is lost between the two (the last
// point once covered the 7 days before now and the Monday before that was
// skipped, so the days between them vanished from the trend).
func TestBoardTrendWeeks(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	officer, _ := e.User(t, "county_officer", "county", fenghuo.RoleAnalyst)
	office := e.Actor(t, officer)
	// Friday 20 November 2026 09:00 (apptest's clock).
	for i, day := range []time.Duration{0, 6 * 24 * time.Hour} {
		if i > 0 {
			e.Clock.Advance(day)
		}
		if _, _, err := raise(t, e, app.SystemActor(), finding.Input{OrgID: e.Orgs["school"].ID, Source: fenghuo.FindingSourceExternal,
			Key: "trend/" + strconv.Itoa(i), Title: "门户网站后台弱口令", Severity: fenghuo.SeverityHigh}); err != nil {
			t.Fatal(err)
		}
	}
	// Friday 27 November 09:00: the first was raised before Monday 23
	// November, the second (Thursday 26) after.
	e.Clock.Advance(24 * time.Hour)
	b, err := e.App.Findings.Board(ctx, office, 0)
	if err != nil {
		t.Fatal(err)
	}
	n := len(b.Weeks)
	if n != finding.TrendWeeks {
		t.Fatalf("%d points", n)
	}
	monday := time.Date(2026, 11, 23, 0, 0, 0, 0, calendar.Shanghai)
	last, prev := b.Weeks[n-1], b.Weeks[n-2]
	if !last.End.Equal(e.Clock.Now()) || !prev.End.Equal(monday) || !b.Weeks[0].End.Equal(monday.AddDate(0, 0, -7*(n-2))) {
		t.Errorf("points end %v, %v … %v; want the Mondays up to %v, then now", b.Weeks[0].End, prev.End, last.End, monday)
	}
	if prev.Raised != 1 || prev.Unclosed != 1 || last.Raised != 1 || last.Unclosed != 2 {
		t.Errorf("week to Monday %+v, this week %+v; want one raised in each", prev, last)
	}
	raised := 0
	for _, w := range b.Weeks {
		raised += w.Raised
	}
	if raised != 2 {
		t.Errorf("the trend counts %d raised, want 2: %+v", raised, b.Weeks)
	}
	// On a Monday at 00:00 that Monday is now, the last point: not twice.
	e.Clock.Set(time.Date(2026, 11, 30, 0, 0, 0, 0, calendar.Shanghai))
	if b, err = e.App.Findings.Board(ctx, office, 0); err != nil {
		t.Fatal(err)
	}
	if w := b.Weeks; !w[n-1].End.Equal(e.Clock.Now()) || !w[n-2].End.Equal(monday) || w[n-1].Raised != 1 || w[n-2].Raised != 1 {
		t.Errorf("on Monday 00:00: %+v", w[n-2:])
	}
}
