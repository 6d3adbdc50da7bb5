package web_test

import (
	"context"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"fenghuo/internal/app/incident"
	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/plan"
	"fenghuo/internal/store"
)

// defacedPortal files the issue-4 incident (a school portal defaced for 40
// minutes, serious social impact: grade II under the county plan) as the
// school's reporter.
func defacedPortal(t *testing.T, e *apptest.Env) *fenghuo.Incident {
	t.Helper()
	reporter, _ := e.User(t, "school-rep", "school", fenghuo.RoleUnitReporter)
	inc, err := e.App.Incidents.CreateIncident(context.Background(), e.Actor(t, reporter), incident.IncidentInput{
		OrgID: e.Orgs["school"].ID, Title: "学校门户网站首页被篡改", Category: "IAI", DiscoveredAt: e.Clock.Now(),
		Facts:       plan.Facts{"social_impact": "serious", "defacement_homepage_minutes": 40},
		Description: "首页出现赌博信息"})
	if err != nil {
		t.Fatal(err)
	}
	return inc
}

// The header of an incident: grade in words and colour, status, response
// level, the owning unit and the next deadline as a countdown from the
// server's clock; then the tabs, the current one marked.
func TestIncidentHeader(t *testing.T) {
	e, srv := console(t)
	inc := defacedPortal(t, e)
	c := browser(t)
	login(t, c, srv, "school-rep", apptest.Password)
	path := "/incidents/" + strconv.FormatInt(inc.ID, 10)
	r, body := get(t, c, srv, path)
	if r.StatusCode != 200 {
		t.Fatalf("%s: %d", path, r.StatusCode)
	}
	header := section(t, body, `id="incident-header"`, "</section>")
	for _, want := range []string{`badge big grade-II`, "重大(Ⅱ级)", ">草稿<", ">未启动<", "甲县第一中学", `data-due="`, `id="incident-countdown"`} {
		if !strings.Contains(header, want) {
			t.Errorf("header lacks %q:\n%s", want, header)
		}
	}
	// The countdown starts from the server's clock: the initial report is
	// due within the plan's span of the discovery, not yet overdue.
	if m := regexp.MustCompile(`id="incident-countdown" data-due="[^"]+">([0-9]+):([0-9]{2}):([0-9]{2})<`).FindStringSubmatch(header); m == nil {
		t.Errorf("no countdown in h:mm:ss: %s", header)
	}
	if strings.Contains(header, "is-overdue") {
		t.Errorf("a fresh incident's deadline is shown overdue")
	}
	tabs := section(t, body, `id="incident-tabs"`, "</nav>")
	for _, tab := range []string{path + `" class="active" aria-current="page">事件要素`, path + `/reports">报告`, path + `/tasks">处置任务`,
		path + `/response">应急响应`, path + `/timeline">时间线`, path + `/evidence">证据`, path + `/documents">后续文档`} {
		if !strings.Contains(tabs, `href="`+tab) {
			t.Errorf("tabs lack %s:\n%s", tab, tabs)
		}
	}

	// An activated response shows with its level; past the deadline the
	// countdown turns red.
	ctx := context.Background()
	if err := e.DB.WithTx(ctx, func(tx *store.Tx) error {
		return tx.CreateActivation(ctx, &fenghuo.ResponseActivation{IncidentID: inc.ID, PlanID: "wushen-county", Level: fenghuo.GradeII,
			State: fenghuo.ResponseActive, DecidedOrgID: e.Orgs["county"].ID})
	}); err != nil {
		t.Fatal(err)
	}
	e.Clock.Advance(3 * time.Hour)
	login(t, c, srv, "school-rep", apptest.Password) // the session went idle
	_, body = get(t, c, srv, path)
	header = section(t, body, `id="incident-header"`, "</section>")
	for _, want := range []string{"Ⅱ级响应（已启动）", "is-overdue", "已超时", `class="countdown big overdue"`} {
		if !strings.Contains(header, want) {
			t.Errorf("header lacks %q after the deadline:\n%s", want, header)
		}
	}
	if m := regexp.MustCompile(`id="incident-countdown" data-due="[^"]+">-[0-9]+:`).FindString(header); m == "" {
		t.Errorf("the overdue countdown is not negative: %s", header)
	}

	// Outside the actor's scope the page is not found.
	e.User(t, "other-rep", "school2", fenghuo.RoleUnitReporter)
	o := browser(t)
	login(t, o, srv, "other-rep", apptest.Password)
	if r, _ := get(t, o, srv, path); r.StatusCode != http.StatusNotFound {
		t.Errorf("a sibling school sees the incident: %d", r.StatusCode)
	}
}

// section cuts the part of a page from the element opening with start to
// the first end after it.
func section(t *testing.T, body, start, end string) string {
	t.Helper()
	i := strings.Index(body, start)
	if i < 0 {
		t.Fatalf("no %s in the page", start)
	}
	j := strings.Index(body[i:], end)
	if j < 0 {
		t.Fatalf("%s is not closed", start)
	}
	return body[i : i+j]
}
