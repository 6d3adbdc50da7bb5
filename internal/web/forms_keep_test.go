package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"fenghuo/internal/app/aftermath"
	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
)

// A refused form keeps everything typed and shows the error beside the
// field: the new-warning form (text, the targeted units ticked), and a
// target's "measures done" note on the warning page.
func TestWarningFormsKeepInput(t *testing.T) {
	e, srv := console(t)
	e.User(t, "cmd", "county", fenghuo.RoleCommander)
	e.User(t, "rep", "school", fenghuo.RoleUnitReporter)
	cmd := browser(t)
	login(t, cmd, srv, "cmd", apptest.Password)
	school := strconv.FormatInt(e.Orgs["school"].ID, 10)
	form := url.Values{"color": {"orange"}, "title": {"Struts2 远程代码执行漏洞"}, "category": {"有害程序事件"}, "scope": {"全县"},
		"items": {"S2-066 正被利用"}, "measures": {"升级到 6.4.0 或以上|24"}, "ack_minutes": {"1"}, "org_ids": {school}, "propose": {"0"}}
	r, page := post(t, cmd, srv, "/warnings", form)
	if r.StatusCode != http.StatusBadRequest {
		t.Fatalf("a 1-minute acknowledgement was accepted: %d", r.StatusCode)
	}
	f := section(t, page, `id="warning-form"`, `</form>`)
	for _, want := range []string{`value="Struts2 远程代码执行漏洞"`, `value="有害程序事件"`, `value="全县"`, ">S2-066 正被利用</textarea>",
		`name="org_ids" value="` + school + `" checked`} {
		if !strings.Contains(f, want) {
			t.Errorf("the refused warning form lost %s", want)
		}
	}
	ack := section(t, f, `id="ack_minutes"`, `<fieldset>`)
	if !strings.Contains(ack, `class="field-error"`) || !strings.Contains(ack, "5分钟至7天") {
		t.Errorf("no error beside the acknowledgement field: %s", ack)
	}

	form.Set("ack_minutes", "60")
	r, _ = post(t, cmd, srv, "/warnings", form)
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("issue: %d", r.StatusCode)
	}
	loc := r.Header.Get("Location")
	id, _ := strconv.ParseInt(strings.TrimPrefix(loc, "/warnings/"), 10, 64)
	d, err := e.App.Warnings.Warning(context.Background(), e.Actor(t, mustUser(t, e, "cmd")), id)
	if err != nil || len(d.Targets) != 1 {
		t.Fatalf("warning %d: %v %+v", id, err, d)
	}
	rep := browser(t)
	login(t, rep, srv, "rep", apptest.Password)
	note := "已升级到 6.4.0；" + strings.Repeat("核", 2000)
	r, page = post(t, rep, srv, loc+"/done", url.Values{"target_id": {itoa(d.Targets[0].ID)}, "note": {note}})
	if r.StatusCode != http.StatusBadRequest {
		t.Fatalf("a 2008-character note was accepted: %d", r.StatusCode)
	}
	row := section(t, page, `action="`+loc+`/done"`, `</form>`)
	if !strings.Contains(row, `value="`+note+`"`) || !strings.Contains(row, `id="done-error"`) {
		t.Errorf("the refused done note was lost or its error is not beside it: %.300s", row)
	}
}

// The improvement measure's "done" note survives a refusal, shown in the
// measure's row with the error beside it.
func TestImprovementDoneNoteKept(t *testing.T) {
	e, srv := console(t)
	inc := docScenario(t, e)
	ctx := context.Background()
	m, err := e.App.Aftermath.AddImprovement(ctx, e.Actor(t, mustUser(t, e, "county-duty")), inc.ID, aftermath.ImprovementInput{
		Text: "关闭互联网远程桌面端口", OwnerOrgID: e.Orgs["water"].ID, DueAt: e.Clock.Now().Add(10 * 24 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	c := browser(t)
	login(t, c, srv, "water-rep", apptest.Password)
	base := "/incidents/" + itoa(inc.ID) + "/documents"
	const note = "已关闭3389端口，改由堡垒机运维"
	r, page := post(t, c, srv, base+"/finish", url.Values{"improvement_id": {itoa(m.ID)}, "state": {"finished"}, "note": {note}})
	if r.StatusCode != http.StatusBadRequest {
		t.Fatalf("an unknown state was accepted: %d", r.StatusCode)
	}
	row := section(t, page, `name="improvement_id" value="`+itoa(m.ID)+`"`, `</form>`)
	if !strings.Contains(row, `value="`+note+`"`) || !strings.Contains(row, `id="finish-error"`) {
		t.Errorf("the refused done note was lost or its error is not beside it: %s", row)
	}
}

// The profile's new-token form keeps its name, scope and expiry after a
// refusal, with the error beside the expiry.
func TestTokenFormKeepsInput(t *testing.T) {
	e, srv := console(t)
	e.User(t, "duty", "county", fenghuo.RoleDutyOfficer)
	c := browser(t)
	login(t, c, srv, "duty", apptest.Password)
	r, page := post(t, c, srv, "/profile/tokens", url.Values{"name": {"值班监控脚本"}, "scope": {"write"}, "days": {"400"}})
	if r.StatusCode != http.StatusBadRequest {
		t.Fatalf("a 400-day token was accepted: %d", r.StatusCode)
	}
	for _, want := range []string{`value="值班监控脚本"`, `<option value="write" selected>`, `value="400"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the refused token form lost %s", want)
		}
	}
	if days := section(t, page, `id="tdays"`, `</form>`); !strings.Contains(days, `class="field-error"`) {
		t.Errorf("no error beside the expiry: %s", days)
	}
}
