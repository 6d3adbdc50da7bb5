package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
)

// Issue 13 item 5: the intake form asks only for the facts the unit's
// plans test, in words; a refused form keeps the times, the ticked systems
// and the facts, and shows every error at once beside its field.
func TestIntakeFormFactsAndErrors(t *testing.T) {
	e, srv := console(t)
	e.User(t, "duty", "county", fenghuo.RoleDutyOfficer)
	ctx := context.Background()
	sys := &fenghuo.System{OrgID: e.Orgs["school"].ID, Name: "校园门户网站"}
	if err := e.DB.CreateSystem(ctx, sys); err != nil {
		t.Fatal(err)
	}
	c := browser(t)
	login(t, c, srv, "duty", apptest.Password)
	school := strconv.FormatInt(e.Orgs["school"].ID, 10)
	_, page := get(t, c, srv, "/incidents/new?unit="+school)
	for _, absent := range []string{`name="fact.broadcast_interruption_scope"`, `name="fact.harmful_info_scope"`, "broadcast_interruption_scope", ">IAI", " MP01<"} {
		if strings.Contains(page, absent) {
			t.Errorf("the school's intake form shows %s", absent)
		}
	}
	for _, want := range []string{`name="fact.important_system"`, `name="fact.outage_minutes"`, "重要网络和信息系统"} {
		if !strings.Contains(page, want) {
			t.Errorf("the school's intake form lacks %s", want)
		}
	}

	form := url.Values{"org_id": {school}, "title": {""}, "channel": {"phone"}, "caller": {""},
		"occurred_at": {"2026-11-20T08:30"}, "discovered_at": {"2026-11-20T08:00"}, "system_ids": {strconv.FormatInt(sys.ID, 10)},
		"fact.outage_minutes": {"九十"}, "fact.people_affected": {"1200"}, "fact.important_system": {"true"}, "description": {"首页被篡改"}}
	r, page := post(t, c, srv, "/incidents", form)
	if r.StatusCode != http.StatusBadRequest {
		t.Fatalf("a bad intake was accepted: %d", r.StatusCode)
	}
	for _, want := range []string{`value="2026-11-20T08:30"`, `value="2026-11-20T08:00"`,
		`name="system_ids" value="` + strconv.FormatInt(sys.ID, 10) + `" checked`, `value="九十"`, `value="1200"`,
		`<option value="true" selected>`, ">首页被篡改</textarea>"} {
		if !strings.Contains(page, want) {
			t.Errorf("the refused intake form lost %s", want)
		}
	}
	// Four fields wrong: each has its message beside it.
	for field, next := range map[string]string{`id="title"`: `id="category"`, `id="occurred_at"`: `id="discovered_at"`,
		`id="caller"`: `id="description"`, `id="fact-outage_minutes"`: `class="fact"`} {
		if !strings.Contains(section(t, page, field, next), `class="field-error"`) {
			t.Errorf("no error beside %s", field)
		}
	}
	if n := strings.Count(page, `class="field-error"`); n != 4 {
		t.Errorf("%d field errors shown, want 4", n)
	}

	form.Set("title", "校园门户网站首页被篡改")
	form.Set("occurred_at", "2026-11-20T07:30")
	form.Set("caller", "李老师 13800000000")
	form.Set("fact.outage_minutes", "90")
	if r, _ = post(t, c, srv, "/incidents", form); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("the corrected intake: %d", r.StatusCode)
	}
}
