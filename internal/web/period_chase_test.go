package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"fenghuo/internal/app/period"
	"fenghuo/internal/apptest"
	"fenghuo/internal/calendar"
	"fenghuo/internal/fenghuo"
)

// Issue 13 item 5: the protection-period board lists missing units first,
// chases one in one click (an in-app notice through the notification
// capability, audited, at most three times a unit a day, saying whom it
// reached), and a past day's cut-off no longer ticks.
func TestPeriodBoardChase(t *testing.T) {
	e, srv := console(t)
	ctx := context.Background()
	e.Clock.Set(time.Date(2026, 11, 20, 7, 0, 0, 0, calendar.Shanghai))
	a := e.Unit(t, "ua", "甲县保障单位A", "", "")
	b := e.Unit(t, "ub", "甲县保障单位B", "b@example.test", "")
	e.Unit(t, "uc", "甲县保障单位C", "", "")
	ra, _ := e.User(t, "rep-a", "ua", fenghuo.RoleUnitReporter)
	rb, _ := e.User(t, "rep-b", "ub", fenghuo.RoleUnitReporter)
	boss, _ := e.User(t, "boss", "county", fenghuo.RoleCommander)
	e.User(t, "duty", "county", fenghuo.RoleDutyOfficer)
	p, err := e.App.Periods.CreatePeriod(ctx, e.Actor(t, boss), period.PeriodInput{Name: "冬季保障期", FirstDay: "2026-11-18",
		LastDay: "2026-11-22", Cutoff: "08:00", UnitIDs: []int64{a.ID, b.ID, e.Orgs["uc"].ID}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.App.Periods.FileDailyReport(ctx, e.Actor(t, ra), period.DailyReportInput{PeriodID: p.ID, Day: "2026-11-20", Quiet: true}); err != nil {
		t.Fatal(err)
	}
	e.Clock.Set(time.Date(2026, 11, 20, 9, 0, 0, 0, calendar.Shanghai))
	base := "/periods/" + itoa(p.ID)

	c := browser(t)
	login(t, c, srv, "duty", apptest.Password)
	_, page := get(t, c, srv, base+"?day=2026-11-20")
	rows := section(t, page, `id="board-rows"`, `</table>`)
	if i, j := strings.Index(rows, "甲县保障单位B"), strings.Index(rows, "甲县保障单位A"); i < 0 || j < 0 || i > j {
		t.Errorf("the missing unit is not listed before the one that reported (%d, %d)", i, j)
	}
	if !strings.Contains(page, `id="day-closed"`) || strings.Contains(section(t, page, `id="count-pending"`, "</div></div>"), "data-due") {
		t.Errorf("the day past its cut-off still ticks")
	}
	if _, future := get(t, c, srv, base+"?day=2026-11-21"); !strings.Contains(section(t, future, `id="count-pending"`, "</div></div>"), `class="countdown"`) {
		t.Errorf("a coming day has no countdown")
	}
	if n := strings.Count(rows, `class="inline-form chase"`); n != 2 {
		t.Errorf("%d chase buttons, want one per missing unit (2)", n)
	}

	chase := func(org int64) (*http.Response, string) {
		return post(t, c, srv, base+"/chase?day=2026-11-20", url.Values{"org_id": {itoa(org)}})
	}
	r, page := chase(b.ID)
	if r.StatusCode != http.StatusOK {
		t.Fatalf("chase: %d", r.StatusCode)
	}
	flash := section(t, page, `class="flash ok"`, "</div>")
	if !strings.Contains(flash, "已向甲县保障单位B催报") || !strings.Contains(flash, rb.DisplayName) || !strings.Contains(flash, "b@example.test") {
		t.Errorf("the flash does not say whom the chase reached: %s", flash)
	}
	if !strings.Contains(section(t, section(t, page, `id="board-rows"`, `</table>`), "甲县保障单位B", "</tr>"), "已催报 ") {
		t.Errorf("the board does not show the chase")
	}
	ns, err := e.DB.Notifications(ctx, b.ID, 0, 10)
	if err != nil || len(ns) == 0 || ns[0].Kind != "period.chase" || !strings.Contains(ns[0].Title, "催报") {
		t.Errorf("notifications of B: %v %+v", err, ns)
	}
	if r, _ := chase(a.ID); r.StatusCode != http.StatusBadRequest {
		t.Errorf("chasing a unit that reported: %d", r.StatusCode)
	}
	chase(b.ID)
	chase(b.ID)
	if r, _ := chase(b.ID); r.StatusCode != http.StatusTooManyRequests {
		t.Errorf("a fourth chase of one unit in a day: %d", r.StatusCode)
	}
	rep := browser(t)
	login(t, rep, srv, "rep-a", apptest.Password)
	if r, _ := post(t, rep, srv, base+"/chase?day=2026-11-20", url.Values{"org_id": {itoa(b.ID)}}); r.StatusCode != http.StatusForbidden && r.StatusCode != http.StatusNotFound {
		t.Errorf("a unit chased another: %d", r.StatusCode)
	}
}
