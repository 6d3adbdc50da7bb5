package web_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"fenghuo/internal/apptest"
	"fenghuo/internal/browsertest"
)

// rawKeys are stored values that must never reach a page as they are
// (design/console.md rule 1): obligation states and urgencies, incident
// statuses, report kinds, intake channels, plan and org roles, org types
// and levels, plan and taxonomy ids, response switches, fact keys and
// fact values.
var rawKeys = []string{
	"open", "on_time", "late", "done_late", "missed", "cancelled", "timely", "immediately",
	"draft", "reported", "assessing", "responding", "recovering", "closed",
	"initial", "follow_up", "final", "report", "forward", "deadline", "warning_ack", "daily_report",
	"unit", "phone", "wechat", "monitoring", "public",
	"operator", "cyberspace_office", "competent_department", "public_security", "leading_group",
	"regulator", "county", "city", "province",
	"duty_officer", "unit_reporter", "commander", "analyst",
	"cac-2025", "wushen-county", "national-2017", "dandong-broadcast", "gbz-20986-2007", "gbt-20986-2023",
	"initial-grade-ii", "duty_24h", "support_standby", "command_post", "plan_activated",
	"important_system", "outage_minutes", "people_affected", "social_impact", "data_threat", "economic_loss_cny",
	"serious", "especially_serious", "relatively_serious", "significant", "general",
	"red", "orange", "yellow", "blue", "created", "facts changed",
	// Tasks, responses and aftermath documents.
	"in_progress", "not_applicable", "requested", "recovery_plan", "investigation", "handling_opinion", "approve",
	"delivered", "pending", "ransomware", "standby_switch",
}

// keysIn returns the raw keys (and bare grades such as "II" without 级)
// that text shows as whole words.
func keysIn(text string, keys []string, grades bool) []string {
	var found []string
	for _, k := range keys {
		re := regexp.MustCompile(`(^|[^A-Za-z0-9_-])` + regexp.QuoteMeta(k) + `($|[^A-Za-z0-9_-])`)
		if re.MatchString(text) {
			found = append(found, k)
		}
	}
	if grades {
		if m := regexp.MustCompile(`(^|[^A-Za-z])(I|II|III|IV)($|[^A-Za-z级])`).FindString(text); m != "" {
			found = append(found, "grade "+strings.TrimSpace(m))
		}
	}
	return found
}

// In a real Chromium over the demo region: a county duty officer reads the
// incident pages, the incident list, the inbox, home and the plan page in
// Chinese and sees words, never stored keys; in English the same pages show
// the English words.
func TestChromiumNoRawKeys(t *testing.T) {
	chromium := apptest.Chromium(t)
	s := apptest.OpenDemo(t, apptest.DSN(t), 40, nil)
	b := browsertest.NewSession(t, chromium, s.URL, 1280, 1000, 180*time.Second)
	b.LogIn("qx-duty", s.Accounts["qx-duty"])

	b.Do(chromedp.Navigate(s.URL+"/inbox"), chromedp.WaitVisible(`#inbox`))
	links, err := chromedp.Run(b.Ctx, chromedp.Evaluate[[]string](
		`Array.from(new Set(Array.from(document.querySelectorAll('#inbox a[href^="/incidents/"]')).map(a => a.getAttribute('href')))).slice(0, 4)`))
	if err != nil || len(links) == 0 {
		t.Fatalf("no incidents in the county inbox (%v)", err)
	}
	pages := append([]string{"/plans/cac-2025", "/", "/incidents", "/inbox", "/plans/wushen-county"}, links...)
	// Each incident's other tabs (the reports moved to their own tab).
	for _, l := range links {
		pages = append(pages, l+"/reports", l+"/tasks", l+"/response", l+"/timeline", l+"/evidence", l+"/documents")
	}
	read := func(p string) string {
		// WaitReady, not WaitVisible: a long plan page may not count as
		// visible to Chromium while it lays out.
		b.Do(chromedp.Navigate(s.URL+p), chromedp.WaitReady(`main`))
		return b.Text(`main`)
	}

	var zh strings.Builder
	for _, p := range pages {
		text := read(p)
		zh.WriteString(text)
		if found := keysIn(text, rawKeys, true); len(found) > 0 {
			t.Errorf("%s (中文) shows raw keys %q", p, found)
		}
	}
	// The words are there instead: report kinds, states, the plans' titles.
	for _, want := range []string{"初报", "按时完成", "《乌审旗网络安全事件应急预案》", "级"} {
		if !strings.Contains(zh.String(), want) {
			t.Errorf("the Chinese pages never show %q", want)
		}
	}

	b.Do(chromedp.Navigate(s.URL+"/"), chromedp.WaitVisible(`form[action="/lang"] button`),
		browsertest.ClickAndLoad(`form[action="/lang"] button`), chromedp.WaitVisible(`html[lang="en"]`))
	// English words are words too; only keys that no English sentence
	// contains are checked.
	var enKeys []string
	for _, k := range rawKeys {
		if strings.ContainsAny(k, "_-") {
			enKeys = append(enKeys, k)
		}
	}
	var en strings.Builder
	for _, p := range pages {
		text := read(p)
		en.WriteString(text)
		if found := keysIn(text, enKeys, false); len(found) > 0 {
			t.Errorf("%s (English) shows raw keys %q", p, found)
		}
		// The labelled values (not the stored Chinese text such as titles,
		// timeline entries and quoted clauses) are in English.
		labelled, err := chromedp.Run(b.Ctx, chromedp.Evaluate[string](
			`Array.from(document.querySelectorAll('#incident-status, #incident-channel, #obligation-list, #report-list td:first-child, #incident-list td:nth-child(4), #incident-list td:nth-child(6), #inbox .badge, #my-duties td:last-child')).map(e => e.innerText).join('\n')`))
		if err != nil {
			t.Fatal(err)
		}
		for _, zhWord := range []string{"初报", "续报", "终报", "按时完成", "待完成", "及时", "立即", "处置中", "已结束", "已报告"} {
			if strings.Contains(labelled, zhWord) {
				t.Errorf("%s (English) shows the Chinese label %q", p, zhWord)
			}
		}
	}
	for _, want := range []string{"initial report", "done on time", "Wushen Banner cybersecurity incident emergency plan", "Grade "} {
		if !strings.Contains(en.String(), want) {
			t.Errorf("the English pages never show %q", want)
		}
	}
}
