package api_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fenghuo/internal/app/notification"
	"fenghuo/internal/app/period"
	"fenghuo/internal/calendar"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/notify"
	"fenghuo/internal/notify/notifytest"
)

// POST /api/v1/periods/{id}/chase reminds a unit that has not filed the
// day's report (催报) through the same use case as the console's board: a
// city duty officer chases a county unit, whose report address gets the
// mail on a loopback SMTP server and whose signed webhook hears of it; the
// answer says whom it reached and when. A sibling county cannot see the
// period, the unit's own county may not chase, a unit that filed is not
// chased, and the fourth chase of a day is refused.
func TestChasePeriodUnit(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	smtp := notifytest.StartSMTP(t, &notifytest.SMTPServer{StartTLS: true})
	e.App.Core.SetNotifier(&notify.Sender{SMTP: notifytest.SMTPConfig(smtp, "starttls"), AllowLoopback: true}, "https://fenghuo.example.gov.cn")
	var mu sync.Mutex
	var hooked []string
	var rejected int
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		mu.Lock()
		defer mu.Unlock()
		if !notify.VerifyWebhook("chase-s3cret", req.Header.Get(notify.HeaderTimestamp), body, req.Header.Get(notify.HeaderSignature)) {
			rejected++
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		hooked = append(hooked, string(body))
	}))
	t.Cleanup(hook.Close)

	e.Clock.Set(time.Date(2026, 11, 20, 9, 30, 0, 0, calendar.Shanghai))
	late := e.Unit(t, "late", "甲县保障单位乙", "late-duty@example.gov.cn", "")
	filed := e.Unit(t, "filed", "甲县保障单位甲", "filed@example.gov.cn", "")
	rep := e.user(t, "late-rep", "late", fenghuo.RoleUnitReporter)
	filer := e.user(t, "filed-rep", "filed", fenghuo.RoleUnitReporter)
	commander := e.Actor(t, e.user(t, "city-boss", "city", fenghuo.RoleCommander))
	if _, err := e.App.Notifications.CreateChannel(ctx, commander, notification.ChannelInput{OrgID: late.ID, Kind: notify.KindWebhook,
		Name: "乙单位值班系统", Target: hook.URL + "/hook", Secret: "chase-s3cret", Events: []string{"period"}}); err != nil {
		t.Fatal(err)
	}
	p, err := e.App.Periods.CreatePeriod(ctx, commander, period.PeriodInput{OrgID: e.Orgs["city"].ID, Name: "冬季保障期",
		FirstDay: "2026-11-19", LastDay: "2026-11-22", Cutoff: "08:00", UnitIDs: []int64{late.ID, filed.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.App.Periods.FileDailyReport(ctx, e.Actor(t, filer), period.DailyReportInput{PeriodID: p.ID, Day: "2026-11-20", Quiet: true}); err != nil {
		t.Fatal(err)
	}
	path := "/api/v1/periods/" + itoa(p.ID) + "/chase"
	e.user(t, "city-duty", "city", fenghuo.RoleDutyOfficer)
	duty := e.login(t, "city-duty")
	now := e.Clock.Now()

	r := e.do(t, duty, "POST", path, map[string]any{"org_id": late.ID}).want(t, http.StatusOK)
	var got struct {
		PeriodID int64     `json:"period_id"`
		OrgID    int64     `json:"org_id"`
		Unit     string    `json:"unit"`
		Day      string    `json:"day"`
		At       time.Time `json:"at"`
		Accounts []string  `json:"accounts"`
		Channels []string  `json:"channels"`
		Email    string    `json:"email"`
		Reached  string    `json:"reached"`
	}
	r.json(t, &got)
	if got.PeriodID != p.ID || got.OrgID != late.ID || got.Unit != "甲县保障单位乙" || got.Day != "2026-11-20" || !got.At.Equal(now) {
		t.Errorf("chase answer: %s (now %s)", r.Body, now)
	}
	if !slices.Equal(got.Accounts, []string{rep.DisplayName}) || !slices.Equal(got.Channels, []string{"乙单位值班系统"}) ||
		got.Email != "late-duty@example.gov.cn" || !strings.Contains(got.Reached, "乙单位值班系统") || !strings.Contains(got.Reached, "late-duty@example.gov.cn") {
		t.Errorf("whom the chase reached: %s", r.Body)
	}

	// The notice goes out through the job queue: mail and webhook.
	for i := 0; i < 20; i++ {
		n, err := e.App.Notifications.RunJobs(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
	}
	var mailed bool
	for _, m := range smtp.Mails() {
		subject, body, _ := notifytest.ParseMail(t, m.Data)
		if slices.Contains(m.To, "late-duty@example.gov.cn") && strings.Contains(subject, "催报") && strings.Contains(body, "2026-11-20") && m.TLS {
			mailed = true
		}
		if slices.Contains(m.To, "filed@example.gov.cn") && strings.Contains(subject, "催报") {
			t.Errorf("the unit that filed was mailed: %s", subject)
		}
	}
	if !mailed {
		t.Errorf("no chase mail to the unit's report address among %d mails", len(smtp.Mails()))
	}
	// The unit's webhook heard of the period when it was set, and now of
	// the chase.
	mu.Lock()
	chased := 0
	for _, h := range hooked {
		if strings.Contains(h, "催报：冬季保障期 2026-11-20日报未报送") {
			chased++
		}
	}
	if chased != 1 || rejected != 0 {
		t.Errorf("webhook: %q (rejected %d)", hooked, rejected)
	}
	mu.Unlock()
	if ns, err := e.DB.Notifications(ctx, late.ID, 0, 10); err != nil || len(ns) == 0 || ns[0].Kind != "period.chase" {
		t.Errorf("in-app notices of the unit: %v %+v", err, ns)
	}

	// A sibling county does not see the city's period of another county's
	// unit; the unit's own county sees it but is not the office.
	e.user(t, "county2-duty", "county2", fenghuo.RoleDutyOfficer)
	if r := e.do(t, e.login(t, "county2-duty"), "POST", path, map[string]any{"org_id": late.ID}); r.Status != http.StatusNotFound {
		t.Errorf("a sibling county's officer chased: %d %s", r.Status, r.Body)
	}
	e.user(t, "county-duty", "county", fenghuo.RoleDutyOfficer)
	if r := e.do(t, e.login(t, "county-duty"), "POST", path, map[string]any{"org_id": late.ID}); r.Status != http.StatusForbidden {
		t.Errorf("the unit's county (not the office) chased: %d %s", r.Status, r.Body)
	}

	// A unit that filed is not chased; the message names it, in one language.
	for _, c := range []struct{ lang, want, not string }{{"", "无需催报", "is not missing"}, {"en", "is not missing the report", "无需催报"}} {
		as := duty
		as.lang = c.lang
		r := e.do(t, as, "POST", path, map[string]any{"org_id": filed.ID, "day": "2026-11-20"}).want(t, http.StatusBadRequest)
		if code, field := r.errBody(t); code == "" || field != "org_id" || !strings.Contains(string(r.Body), c.want) ||
			strings.Contains(string(r.Body), c.not) || !strings.Contains(string(r.Body), "甲县保障单位甲") {
			t.Errorf("chasing a unit that filed (%q): %s", c.lang, r.Body)
		}
	}
	for _, c := range []struct {
		body  any
		field string
	}{
		{map[string]any{}, "org_id"},
		{map[string]any{"org_id": e.Orgs["school2"].ID}, "org_id"},
		{map[string]any{"org_id": late.ID, "day": "20.11.2026"}, "day"},
		{map[string]any{"org_id": late.ID, "day": "2026-12-01"}, "day"},
	} {
		r := e.do(t, duty, "POST", path, c.body).want(t, http.StatusBadRequest)
		if _, field := r.errBody(t); field != c.field {
			t.Errorf("%v: field %q, want %q: %s", c.body, field, c.field, r.Body)
		}
	}
	if r := e.do(t, duty, "POST", "/api/v1/periods/999999/chase", map[string]any{"org_id": late.ID}); r.Status != http.StatusNotFound {
		t.Errorf("an unknown period: %d", r.Status)
	}

	// Three chases a unit a day, then the office is told to call.
	e.do(t, duty, "POST", path, map[string]any{"org_id": late.ID}).want(t, http.StatusOK)
	e.do(t, duty, "POST", path, map[string]any{"org_id": late.ID}).want(t, http.StatusOK)
	if r := e.do(t, duty, "POST", path, map[string]any{"org_id": late.ID}); r.Status != http.StatusTooManyRequests {
		t.Errorf("a fourth chase in a day: %d %s", r.Status, r.Body)
	}
	// The day before is a day of its own.
	e.do(t, duty, "POST", path, map[string]any{"org_id": late.ID, "day": "2026-11-19"}).want(t, http.StatusOK)
}
