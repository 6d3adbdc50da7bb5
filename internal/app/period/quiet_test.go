package period_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"fenghuo/internal/app/incident"
	"fenghuo/internal/app/period"
	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/plan"
)

// Issue 11 item 5: a 平安 report from a unit with an open incident
// discovered in the report's window is refused, naming the incident; one
// filed before an office registered such an incident is no longer counted
// as 按时报平安 on the board; an incident of an earlier window, or a closed
// one, does not stop a 平安 report.
func TestQuietReportWithOpenIncident(t *testing.T) {
	e := apptest.New(t)
	ctx := context.Background()
	at := func(s string) time.Time { return apptest.ShanghaiTime(t, s) }
	e.Clock.Set(at("2026-09-20 10:00"))
	reporter, _ := e.User(t, "rep", "school", fenghuo.RoleUnitReporter)
	hospitalRep, _ := e.User(t, "hrep", "hospital", fenghuo.RoleUnitReporter)
	duty, _ := e.User(t, "duty", "county", fenghuo.RoleDutyOfficer)
	commander, _ := e.User(t, "cmd", "county", fenghuo.RoleCommander)
	p, err := e.App.Periods.CreatePeriod(ctx, e.Actor(t, commander), period.PeriodInput{Name: "国庆保障期", FirstDay: "2026-09-21",
		LastDay: "2026-09-25", UnitIDs: []int64{e.Orgs["school"].ID, e.Orgs["hospital"].ID}})
	if err != nil {
		t.Fatal(err)
	}
	rep, hosp := e.Actor(t, reporter), e.Actor(t, hospitalRep)
	// 09-21: an incident of the day before the window (09-20 10:00) does not
	// stop the school's 平安 for 09-22 (window 09-21 13:00 – 09-22 13:00).
	if _, err := e.App.Incidents.CreateIncident(ctx, rep, incident.IncidentInput{OrgID: e.Orgs["school"].ID, Title: "旧事件",
		DiscoveredAt: e.Clock.Now(), Facts: plan.Facts{"social_impact": "relatively_serious"}}); err != nil {
		t.Fatal(err)
	}
	e.Clock.Set(at("2026-09-22 09:00"))
	if _, err := e.App.Periods.FileDailyReport(ctx, rep, period.DailyReportInput{PeriodID: p.ID, Day: "2026-09-22", Quiet: true}); err != nil {
		t.Fatalf("quiet with an incident of an earlier window: %v", err)
	}
	if _, err := e.App.Periods.FileDailyReport(ctx, hosp, period.DailyReportInput{PeriodID: p.ID, Day: "2026-09-22", Quiet: true}); err != nil {
		t.Fatal(err)
	}
	// The county duty officer registers, at 10:00, a phone report of an
	// incident at the hospital discovered at 08:00: the hospital's 平安 of
	// 08:00–13:00's window is belied.
	e.Clock.Set(at("2026-09-22 10:00"))
	inc, err := e.App.Incidents.CreateIncident(ctx, e.Actor(t, duty), incident.IncidentInput{OrgID: e.Orgs["hospital"].ID, Title: "HIS系统异常",
		Channel: fenghuo.ChannelPhone, Caller: "王医生 0477-7000000", DiscoveredAt: at("2026-09-22 08:00"),
		Facts: plan.Facts{"social_impact": "relatively_serious"}})
	if err != nil {
		t.Fatal(err)
	}
	b, err := e.App.Periods.DailyBoard(ctx, e.Actor(t, commander), p.ID, "2026-09-22")
	if err != nil {
		t.Fatal(err)
	}
	if b.OnTime != 1 || b.Contradicted != 1 {
		t.Errorf("board: %d on time, %d contradicted; want 1 and 1", b.OnTime, b.Contradicted)
	}
	for _, r := range b.Rows {
		if r.Org.ID == e.Orgs["hospital"].ID && (r.State != period.BoardContradicted || r.Contradicting != inc.ID) {
			t.Errorf("hospital row: %s #%d", r.State, r.Contradicting)
		}
	}
	// A corrected 平安 is refused with the incident named; listing it works.
	_, err = e.App.Periods.FileDailyReport(ctx, hosp, period.DailyReportInput{PeriodID: p.ID, Day: "2026-09-22", Quiet: true})
	var fe *fenghuo.Error
	if fenghuo.ErrorCode(err) != fenghuo.EINVALID || !asError(err, &fe) || fe.Field != "quiet" || !strings.Contains(fe.Message, "HIS系统异常") {
		t.Fatalf("quiet with an open incident of the window: %v", err)
	}
	if _, err := e.App.Periods.FileDailyReport(ctx, hosp, period.DailyReportInput{PeriodID: p.ID, Day: "2026-09-22", IncidentIDs: []int64{inc.ID}}); err != nil {
		t.Fatal(err)
	}
}

func asError(err error, target **fenghuo.Error) bool { return errors.As(err, target) }
