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

// A refused 平安 report in Chromium: the school has an open incident
// discovered today, so its quiet report is refused. The refusal reads in
// the console's language only (Chinese by default, English once chosen),
// sits next to the buttons as well as at the top, and what the reporter
// typed is still in the form.
func TestChromiumQuietRefusalKeepsNoteInOneLanguage(t *testing.T) {
	chromium := apptest.Chromium(t)
	e, srv := console(t)
	ransomwareIncident(t, e) // the school's open incident, discovered now
	boss, _ := e.User(t, "county-boss", "county", fenghuo.RoleCommander)
	today := e.Clock.Now().In(calendar.Shanghai).Format("2006-01-02")
	p, err := e.App.Periods.CreatePeriod(context.Background(), e.Actor(t, boss), period.PeriodInput{Name: "冬季重要保障期",
		FirstDay: today, LastDay: e.Clock.Now().In(calendar.Shanghai).AddDate(0, 0, 7).Format("2006-01-02")})
	if err != nil {
		t.Fatal(err)
	}
	board := srv.URL + "/periods/" + itoa(p.ID)
	school := browsertest.NewSession(t, chromium, srv.URL, 390, 844, 120*time.Second)
	school.LogIn("school-rep", apptest.Password)
	const note = "今日系统运行正常，值班人员在岗"
	school.Do(chromedp.Navigate(board), chromedp.WaitVisible(`#report-quiet`),
		chromedp.SendKeys(`#note`, note), browsertest.ClickAndLoad(`#report-quiet`), chromedp.WaitVisible(`#quiet-error`))
	top, next := school.Text(".flash.error"), school.Text("#quiet-error")
	for _, msg := range []string{top, next} {
		if !strings.Contains(msg, "不能报平安") || strings.Contains(msg, "cannot") || strings.Contains(msg, " / ") {
			t.Errorf("refusal not in Chinese only: %q", msg)
		}
	}
	if kept, err := chromedp.Run(school.Ctx, chromedp.Evaluate[string](`document.querySelector('#note').value`)); err != nil || kept != note {
		t.Errorf("the typed note is lost: %q %v", kept, err)
	}
	// In English the same refusal reads in English only.
	school.Do(chromedp.Navigate(board), chromedp.WaitVisible(`#report-quiet`), browsertest.ClickAndLoad(`form[action="/lang"] button`))
	school.WaitText("#report-quiet", "quiet", 10*time.Second)
	school.Do(chromedp.SendKeys(`#note`, "all normal"), browsertest.ClickAndLoad(`#report-quiet`), chromedp.WaitVisible(`#quiet-error`))
	if msg := school.Text("#quiet-error"); !strings.Contains(msg, "cannot report all quiet") || strings.Contains(msg, "不能报平安") {
		t.Errorf("English refusal: %q", msg)
	}
}
