package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"fenghuo/internal/app/period"
	"fenghuo/internal/apptest"
	"fenghuo/internal/browsertest"
	"fenghuo/internal/calendar"
	"fenghuo/internal/fenghuo"
)

// Issue 13 item 5 in Chromium: a refused intake keeps the times, the
// ticked system and the facts and shows both errors beside their fields;
// on the period board one click chases a missing unit and says whom it
// reached.
func TestChromiumFormsRespectThePerson(t *testing.T) {
	chromium := apptest.Chromium(t)
	e, srv := console(t)
	ctx := context.Background()
	e.Clock.Set(time.Date(2026, 11, 20, 7, 0, 0, 0, calendar.Shanghai))
	sys := &fenghuo.System{OrgID: e.Orgs["school"].ID, Name: "校园门户网站"}
	if err := e.DB.CreateSystem(ctx, sys); err != nil {
		t.Fatal(err)
	}
	boss, _ := e.User(t, "boss", "county", fenghuo.RoleCommander)
	e.User(t, "county-duty", "county", fenghuo.RoleDutyOfficer)
	e.User(t, "school-rep", "school", fenghuo.RoleUnitReporter)
	if _, err := e.App.Periods.CreatePeriod(ctx, e.Actor(t, boss), period.PeriodInput{Name: "冬季保障期", FirstDay: "2026-11-19",
		LastDay: "2026-11-21", Cutoff: "06:00", UnitIDs: []int64{e.Orgs["school"].ID}}); err != nil {
		t.Fatal(err)
	}

	tv := &fenghuo.Org{ParentID: e.Orgs["county"].ID, Name: "甲县融媒体中心", Level: fenghuo.LevelUnit, Type: fenghuo.OrgOperator,
		Sector: "broadcast", PlanRoles: []string{"operator"}, PlanIDs: []string{"dandong-broadcast", "cac-2025"}}
	if err := e.DB.CreateOrg(ctx, tv); err != nil {
		t.Fatal(err)
	}

	s := browsertest.NewSession(t, chromium, srv.URL, 1280, 1000, 120*time.Second)
	s.LogIn("county-duty", apptest.Password)
	// Choosing the broadcast unit reloads the form with its plan's facts.
	s.Do(chromedp.Navigate(srv.URL+"/incidents/new?unit="+itoa(e.Orgs["school"].ID)), chromedp.WaitVisible(`#org_id`))
	if n, err := chromedp.Run(s.Ctx, chromedp.Evaluate[int](`document.querySelectorAll('#fact-broadcast_interruption_scope').length`)); err != nil || n != 0 {
		t.Errorf("the school's form asks about broadcast signals (%d, %v)", n, err)
	}
	s.Do(chromedp.Evaluate[chromedp.Void](`(function(){var el=document.querySelector('#org_id'); el.value='`+itoa(tv.ID)+`'; el.dispatchEvent(new Event('change'));})()`),
		chromedp.WaitVisible(`#fact-broadcast_interruption_scope`))
	s.Do(chromedp.Navigate(srv.URL+"/incidents/new?unit="+itoa(e.Orgs["school"].ID)), chromedp.WaitVisible(`#title`),
		chromedp.SendKeys(`#title`, "门户首页被篡改"),
		chromedp.SetValue(`#occurred_at`, "2026-11-20T06:50"), chromedp.SetValue(`#discovered_at`, "2026-11-20T06:30"),
		chromedp.SetValue(`#channel`, "phone"),
		chromedp.Click(`input[name=system_ids][value="`+itoa(sys.ID)+`"]`),
		chromedp.SetValue(`#fact-important_system`, "true"), chromedp.SendKeys(`#fact-outage_minutes`, "90"),
		browsertest.ClickAndLoad(`form[action="/incidents"] button[type=submit]`), chromedp.WaitVisible(`.field-error`))
	kept, err := chromedp.Run(s.Ctx, chromedp.Evaluate[string](`[document.querySelector('#title').value, document.querySelector('#occurred_at').value,
		document.querySelector('#discovered_at').value, String(document.querySelector('input[name=system_ids]').checked),
		document.querySelector('#fact-important_system').value, document.querySelector('#fact-outage_minutes').value].join('|')`))
	if want := "门户首页被篡改|2026-11-20T06:50|2026-11-20T06:30|true|true|90"; err != nil || kept != want {
		t.Errorf("the refused form kept %q, want %q (%v)", kept, want, err)
	}
	errs, err := chromedp.Run(s.Ctx, chromedp.Evaluate[int](`document.querySelectorAll('.field-error').length`))
	if err != nil || errs != 2 {
		t.Errorf("%d field errors shown at once, want 2 (occurred after discovered; no caller): %v", errs, err)
	}
	for _, near := range []string{`#occurred_at + .field-error`, `#caller + .field-error`} {
		if s.Text(near) == "" {
			t.Errorf("no error beside %s", near)
		}
	}

	s.Do(chromedp.Navigate(srv.URL+"/periods/1?day=2026-11-20"), chromedp.WaitVisible(`#board-rows`),
		browsertest.ClickAndLoad(`#board-rows .chase button`), chromedp.WaitVisible(`.flash.ok`))
	if got := s.Text(`.flash.ok`); !strings.Contains(got, "已向甲县第一中学催报") || !strings.Contains(got, "school-rep") {
		t.Errorf("the chase flash says %q", got)
	}
	if got := s.Text(`#board-rows .chased`); !strings.Contains(got, "已催报") {
		t.Errorf("the board does not show the chase: %q", got)
	}
}
