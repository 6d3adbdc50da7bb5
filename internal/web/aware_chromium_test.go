package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"fenghuo/internal/app/awareness"
	"fenghuo/internal/app/period"
	"fenghuo/internal/app/warning"
	"fenghuo/internal/apptest"
	"fenghuo/internal/browsertest"
	"fenghuo/internal/calendar"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// awarenessRegion puts the fixture tree under a province, adds a sector
// regulator (a city department with a unit of its own), and stores the
// open incidents the screens must show: the hospital's grade I whose
// initial report is 50 minutes overdue, its grade III due in 3 hours, and
// a grade IV of the sector's unit due in a day. A protection period runs
// from today for a week (the units' daily reports).
func awarenessRegion(t *testing.T, e *apptest.Env) *fenghuo.Incident {
	t.Helper()
	ctx := context.Background()
	mk := func(key string, o fenghuo.Org) {
		if err := e.DB.CreateOrg(ctx, &o); err != nil {
			t.Fatal(err)
		}
		e.Orgs[key] = &o
	}
	mk("province", fenghuo.Org{Name: "测试省委网信办", Level: fenghuo.LevelProvince, Type: fenghuo.OrgRegulator, PlanIDs: []string{"cac-2025"}, PlanRoles: []string{"cyberspace_office"}})
	city, err := e.DB.Org(ctx, e.Orgs["city"].ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.DB.MoveOrg(ctx, city.ID, e.Orgs["province"].ID, city.Version); err != nil {
		t.Fatal(err)
	}
	mk("sector", fenghuo.Org{ParentID: city.ID, Name: "测试市教育局", Level: fenghuo.LevelDepartment, Type: fenghuo.OrgRegulator, Sector: "education"})
	mk("academy", fenghuo.Org{ParentID: e.Orgs["sector"].ID, Name: "测试市实验中学", Level: fenghuo.LevelUnit, Type: fenghuo.OrgOperator, Sector: "education", PlanRoles: []string{"operator"}})
	now := e.Clock.Now()
	var grave *fenghuo.Incident
	open := func(unit string, g fenghuo.Grade, category, title string, at, due time.Time) *fenghuo.Incident {
		inc := &fenghuo.Incident{OrgID: e.Orgs[unit].ID, Title: title, Category: category, Taxonomy: "gbz-20986-2007", Status: fenghuo.StatusReported,
			DiscoveredAt: at, Grade: g, ComputedGrade: g, Channel: fenghuo.ChannelUnit}
		err := e.DB.WithTx(ctx, func(tx *store.Tx) error {
			if err := tx.CreateIncident(ctx, inc); err != nil {
				return err
			}
			parent := e.Orgs["county"].ID
			if unit == "academy" {
				parent = e.Orgs["sector"].ID
			}
			return tx.CreateObligation(ctx, &fenghuo.Obligation{Kind: "report", IncidentID: inc.ID, OwnerOrgID: inc.OrgID,
				RecipientOrgID: parent, RecipientName: "上级网信办", PlanID: "cac-2025", Clause: "4.1", Title: "初报", DueAt: due})
		})
		if err != nil {
			t.Fatal(err)
		}
		return inc
	}
	grave = open("hospital", fenghuo.GradeI, "MI", "医院HIS系统遭勒索病毒加密", now.Add(-110*time.Minute), now.Add(-50*time.Minute))
	open("hospital", fenghuo.GradeIII, "IAI", "医院官网首页被篡改", now.Add(-26*time.Hour), now.Add(3*time.Hour))
	open("academy", fenghuo.GradeIV, "NAI", "校园网遭扫描探测", now.Add(-3*24*time.Hour), now.Add(24*time.Hour))
	boss, _ := e.User(t, "aw-county-boss", "county", fenghuo.RoleCommander)
	today := now.In(calendar.Shanghai)
	if _, err := e.App.Periods.CreatePeriod(ctx, e.Actor(t, boss), period.PeriodInput{Name: "冬季重要保障期",
		FirstDay: today.Format("2006-01-02"), LastDay: today.AddDate(0, 0, 6).Format("2006-01-02")}); err != nil {
		t.Fatal(err)
	}
	// A yellow warning of the county to its two units, acknowledged by
	// the hospital; the hospital's portal monitor is down and defaced.
	w, err := e.App.Warnings.IssueWarning(ctx, e.Actor(t, boss), warning.WarningInput{Color: fenghuo.ColorYellow, Title: "勒索病毒攻击风险预警",
		Items: "近期勒索病毒活跃", Targeting: fenghuo.Targeting{OrgIDs: []int64{e.Orgs["school"].ID, e.Orgs["hospital"].ID}}})
	if err != nil {
		t.Fatal(err)
	}
	detail, err := e.App.Warnings.Warning(ctx, e.Actor(t, boss), w.ID)
	if err != nil {
		t.Fatal(err)
	}
	hospRep, _ := e.User(t, "aw-hosp-ack", "hospital", fenghuo.RoleUnitReporter)
	for _, tg := range detail.Targets {
		if tg.OrgID == e.Orgs["hospital"].ID {
			if _, err := e.App.Warnings.AckWarning(ctx, e.Actor(t, hospRep), tg.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	sys := &fenghuo.System{OrgID: e.Orgs["hospital"].ID, Name: "医院门户网站"}
	if err := e.DB.CreateSystem(ctx, sys); err != nil {
		t.Fatal(err)
	}
	m := &store.Monitor{SystemID: sys.ID, URL: "http://127.0.0.1:9/", Checks: []string{"availability", "content"}, Interval: time.Hour,
		Enabled: true, Agreement: 1, NextDueAt: now.Add(time.Hour)}
	if err := e.DB.CreateMonitor(ctx, m); err != nil {
		t.Fatal(err)
	}
	m.Status, m.DownSince = "down", now.Add(-20*time.Minute)
	if err := e.DB.SaveMonitorState(ctx, m); err != nil {
		t.Fatal(err)
	}
	if _, err := e.DB.RecordAlert(ctx, m.ID, sys.ID, "defacement", fmt.Sprintf("monitor:%d:defacement", m.ID), "[]", now); err != nil {
		t.Fatal(err)
	}
	return grave
}

// awarenessAPI reads GET /api/v1/awareness with a console session of user.
func awarenessAPI(t *testing.T, srv *httptest.Server, user string) awareness.Snapshot {
	t.Helper()
	c := browser(t)
	login(t, c, srv, user, apptest.Password)
	resp, body := get(t, c, srv, "/api/v1/awareness")
	if resp.StatusCode != 200 {
		t.Fatalf("%s: GET /api/v1/awareness: %d %.300s", user, resp.StatusCode, body)
	}
	var s awareness.Snapshot
	if err := json.Unmarshal([]byte(body), &s); err != nil {
		t.Fatal(err)
	}
	return s
}

// In a real Chromium, each level's home (unit, county, city, province,
// sector regulator) shows what GET /api/v1/awareness says for the same
// account: the open incidents by grade, the overdue count, the org tree's
// states; the overdue grade I duty leads the clocks, in red with how long,
// not ticking. The unit's home leads with 上报事件 and 报平安 and its
// navigation has no office items. The wall fits 1920×1080 without
// scrolling. With FENGHUO_SCREENSHOTS=DIR the screens are saved there.
func TestChromiumAwarenessPerLevel(t *testing.T) {
	chromium := apptest.Chromium(t)
	e, srv := console(t)
	awarenessRegion(t, e)
	dir := t.TempDir()
	if d := os.Getenv("FENGHUO_SCREENSHOTS"); d != "" {
		dir = d
	}
	levels := []struct{ user, org, shot, title string }{
		{"aw-unit", "hospital", "home-unit.png", "甲县人民医院"},
		{"aw-county", "county", "home-county.png", "县级态势感知"},
		{"aw-city", "city", "home-city.png", "市级态势感知"},
		{"aw-province", "province", "home-province.png", "省级态势感知"},
		{"aw-sector", "sector", "home-sector.png", "行业态势感知"},
	}
	for _, l := range levels {
		role := fenghuo.RoleCommander
		if l.org == "hospital" {
			role = fenghuo.RoleUnitReporter
		}
		e.User(t, l.user, l.org, role)
	}
	for _, l := range levels {
		t.Run(l.org, func(t *testing.T) {
			want := awarenessAPI(t, srv, l.user)
			b := browsertest.NewSession(t, chromium, srv.URL, 1280, 900, 120*time.Second)
			b.LogIn(l.user, apptest.Password)
			b.Do(chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(`#aware-clocks`))
			if h1 := b.Text(`main h1`); !strings.Contains(h1, l.title) {
				t.Errorf("title %q, want %q", h1, l.title)
			}
			count := func(sel string) int {
				n, err := chromedp.Run(b.Ctx, chromedp.Evaluate[int](`document.querySelectorAll('`+sel+`').length`))
				if err != nil {
					t.Fatal(err)
				}
				return n
			}
			// The overdue grade I duty: the first clock, red, with how long, not ticking.
			hasGradeI := false
			for _, d := range want.Overdue.Items {
				hasGradeI = hasGradeI || d.Grade == fenghuo.GradeI
			}
			if hasGradeI {
				first := b.Text(`#aware-clocks li.clock:first-child`)
				if !strings.Contains(first, "已逾期 50分钟") || !strings.Contains(first, "Ⅰ级") {
					t.Errorf("first clock %q, want the grade I duty overdue by 50 minutes", first)
				}
				color, err := chromedp.Run(b.Ctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector('#aware-clocks li.clock:first-child .countdown')).color`))
				if err != nil || color != "rgb(179, 38, 30)" {
					t.Errorf("overdue clock colour %q (%v), want red", color, err)
				}
				if count(`#aware-clocks li.clock:first-child [data-due]`) != 0 {
					t.Errorf("the overdue clock ticks")
				}
			} else if count(`#aware-clocks li.clock.late`) != 0 {
				t.Errorf("%s shows an overdue clock the API does not list", l.org)
			}
			if want.Overdue.Total > 0 && !strings.Contains(b.Text(`#aware-clocks h2`), "已逾期 "+strconv.Itoa(want.Overdue.Total)) {
				t.Errorf("overdue count %q, want %d", b.Text(`#aware-clocks h2`), want.Overdue.Total)
			}
			if l.org == "hospital" {
				if !strings.Contains(b.Text(`#unit-actions`), "上报事件") || !strings.Contains(b.Text(`#unit-actions`), "报平安") {
					t.Errorf("unit actions %q", b.Text(`#unit-actions`))
				}
				if n := count(`#my-incidents tbody tr`); n != want.OpenTotal {
					t.Errorf("unit lists %d open incidents, API %d", n, want.OpenTotal)
				}
				for _, href := range []string{"/inbox", "/orgs", "/plans"} {
					if count(`nav.side a[href="`+href+`"]`) != 0 {
						t.Errorf("unit navigation shows %s", href)
					}
				}
				if !strings.Contains(b.Text(`#later-reports`), "6 份后续日报") {
					t.Errorf("later daily reports: %q", b.Text(`#later-reports`))
				}
			} else {
				if got := b.Text(`#aware-incidents h2 a`); got != strconv.Itoa(want.OpenTotal) {
					t.Errorf("open total %q, API %d", got, want.OpenTotal)
				}
				for _, c := range want.ByGrade {
					if got := b.Text(`#aware-incidents li.gc.grade-` + c.Key + ` .gc-n`); got != strconv.Itoa(c.N) {
						t.Errorf("grade %s: page %q, API %d", c.Key, got, c.N)
					}
				}
				for _, w := range want.Warnings {
					if got := b.Text(`#aware-warnings`); !strings.Contains(got, fmt.Sprintf("已签收 %d/%d", w.Acked, w.Total)) {
						t.Errorf("warning %s: page %q, API %d/%d", w.Title, got, w.Acked, w.Total)
					}
				}
				if l.org == "county" && (len(want.Warnings) != 1 || want.Warnings[0].Acked != 1 || want.Warnings[0].Total != 2) {
					t.Errorf("county warnings %+v, want 1 of 2 acknowledged", want.Warnings)
				}
				if mon := want.Monitoring; mon != nil {
					tiles := b.Text(`#aware-monitoring`)
					for _, w := range []string{fmt.Sprintf("%d\n无法访问", mon.Down), fmt.Sprintf("%d\n疑似篡改", mon.Tampered)} {
						if !strings.Contains(tiles, w) {
							t.Errorf("monitoring %q lacks %q", tiles, w)
						}
					}
				}
				if n := count(`#aware-tree li.os`); n != len(want.Tree) {
					t.Errorf("tree: page %d orgs, API %d", n, len(want.Tree))
				}
				for i, node := range want.Tree {
					sel := fmt.Sprintf(`#aware-tree li.os:nth-child(%d)`, i+1)
					if count(sel+`.st-`+node.State) != 1 {
						t.Errorf("tree node %s: not shown as %s", node.Name, node.State)
					}
					if word := map[string]string{"red": "紧急", "orange": "关注", "green": "正常"}[node.State]; !strings.Contains(b.Text(sel), word) {
						t.Errorf("tree node %s lacks the word %s", node.Name, word)
					}
				}
				if found := keysIn(b.Text(`main`), rawKeys, true); len(found) > 0 {
					t.Errorf("raw keys on the page: %q", found)
				}
			}
			browsertest.Screenshot(t, b.Ctx, dir, l.shot)
			if l.org == "county" {
				// In English the same screen speaks English.
				b.Do(browsertest.ClickAndLoad(`header.top form[action="/lang"] button`), chromedp.WaitVisible(`#aware-clocks`))
				if h1 := b.Text(`main h1`); !strings.Contains(h1, "County situational awareness") {
					t.Errorf("English title %q", h1)
				}
				for sel, word := range map[string]string{"#aware-tree": "Urgent", "#aware-clocks h2": "Overdue", "#aware-warnings": "Acknowledged 1/2"} {
					if got := b.Text(sel); !strings.Contains(got, word) {
						t.Errorf("English %s %q lacks %q", sel, got, word)
					}
				}
				if first := b.Text(`#aware-clocks li.clock:first-child .countdown`); !strings.HasPrefix(first, "overdue 50 min") {
					t.Errorf("English overdue clock %q", first)
				}
			}
		})
	}

	// The wall of the city: the same numbers, one screen without scrolling.
	want := awarenessAPI(t, srv, "aw-city")
	b := browsertest.NewSession(t, chromium, srv.URL, 1920, 1080, 120*time.Second)
	b.LogIn("aw-city", apptest.Password)
	b.Do(chromedp.EmulateViewport(1920, 1080), chromedp.Navigate(srv.URL+"/wall"), chromedp.WaitVisible(`#wall-numbers`))
	if got := b.Text(`#wall-numbers .wn.total .wn-n`); got != strconv.Itoa(want.OpenTotal) {
		t.Errorf("wall open %q, API %d", got, want.OpenTotal)
	}
	if got := b.Text(`#wall-numbers .wn.grade-I .wn-n`); got != "1" {
		t.Errorf("wall grade I %q", got)
	}
	if got := b.Text(`#wall-clocks .wc.late .countdown.overdue`); !strings.HasPrefix(got, "已逾期") {
		t.Errorf("wall overdue clock %q", got)
	}
	if n, err := chromedp.Run(b.Ctx, chromedp.Evaluate[int](`document.querySelectorAll('nav, header.top').length`)); err != nil || n != 0 {
		t.Errorf("the wall has navigation chrome (%d, %v)", n, err)
	}
	// Nothing scrolls, and no block of the wall reaches past the screen
	// (the page itself hides overflow, so its scroll size alone says little).
	fits, err := chromedp.Run(b.Ctx, chromedp.Evaluate[bool](`document.documentElement.scrollHeight <= window.innerHeight &&
		document.documentElement.scrollWidth <= window.innerWidth &&
		[...document.querySelectorAll('#wall > *, .wn, .wc, .wr')].every(function (el) {
			var r = el.getBoundingClientRect(); return r.right <= window.innerWidth + 1 && r.bottom <= window.innerHeight + 1; })`))
	if err != nil || !fits {
		h, _ := chromedp.Run(b.Ctx, chromedp.Evaluate[int](`document.documentElement.scrollHeight`))
		t.Errorf("the wall scrolls at 1920×1080 (height %d, %v)", h, err)
	}
	browsertest.Screenshot(t, b.Ctx, dir, "wall.png")
}
