package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"fenghuo/internal/app"
	"fenghuo/internal/app/intake"
	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/ingest"
	"fenghuo/internal/server"
	"fenghuo/internal/store"
)

// failedLogins is the detector fixture of the alert page tests: every
// failed mail log-in is a high-level match keyed by the sending address,
// tagged as ATT&CK brute force (T1110, credential access).
type failedLogins struct{}

func (failedLogins) Detect(_ context.Context, _ ingest.Source, ev *ingest.Event) []ingest.Match {
	if ev.Str("event.outcome") != "failure" || ev.Str("source.ip") == "" {
		return nil
	}
	return []ingest.Match{{Kind: ingest.MatchSigma, RuleSet: "fixture", RuleID: "fixture-mail-bruteforce",
		Title: "邮箱口令暴力破解", Level: "high", Tags: []string{"attack.t1110", "attack.credential_access"},
		Entity: "source.ip=" + ev.Str("source.ip")}}
}

// alertsConsole is a console whose intake service runs the fixture
// detector, with an intake source for the school.
func alertsConsole(t *testing.T) (*apptest.Env, *httptest.Server, *store.IntakeSource) {
	t.Helper()
	e := apptest.New(t)
	e.App.Intake = intake.New(e.App.Core, e.App.Incidents, failedLogins{})
	h, err := server.NewHandler(e.App, server.HandlerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	rep, _ := e.User(t, "school-it", "school", fenghuo.RoleUnitReporter)
	src, _, err := e.App.Intake.CreateSource(context.Background(), e.Actor(t, rep), intake.SourceInput{OrgID: e.Orgs["school"].ID,
		Name: "学校邮件服务器", Kind: "mail", Addresses: []string{"192.0.2.25"}})
	if err != nil {
		t.Fatal(err)
	}
	return e, srv, src
}

// sendFailedLogins accepts n failed log-ins for one mailbox from addr,
// a minute apart, through the real pipeline.
func sendFailedLogins(t *testing.T, e *apptest.Env, src *store.IntakeSource, addr string, n int) {
	t.Helper()
	evs := make([]ingest.Event, n)
	for i := range evs {
		at := e.Clock.Now().Add(time.Duration(i-n) * time.Minute)
		evs[i] = ingest.Event{Time: at, Kind: ingest.KindSyslog, Fields: map[string]any{
			"source.ip": addr, "user.name": "zhang@school.example.cn", "event.outcome": "failure",
			"event.category": []string{"authentication"}, "host.name": "mail.school.example.cn", "process.name": "dovecot",
			"message": fmt.Sprintf("auth failed, user=<zhang@school.example.cn>, rip=%s <script>alert(1)</script>", addr)},
			Raw: []byte(fmt.Sprintf("<38>dovecot: auth failed rip=%s <b>raw</b>", addr))}
	}
	if err := e.App.Intake.Accept(context.Background(), ingest.Source{Org: src.OrgID, Sensor: src.Name, TokenID: src.ID}, evs); err != nil {
		t.Fatal(err)
	}
}

func firstGroup(t *testing.T, body string) string {
	t.Helper()
	m := regexp.MustCompile(`href="/alerts/(\d+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no alert group on the list")
	}
	return m[1]
}

// The list, the group page and the event search in words, and the
// triage's errors next to their fields in the reader's language, the
// values kept.
func TestAlertPages(t *testing.T) {
	e, srv, src := alertsConsole(t)
	sendFailedLogins(t, e, src, "203.0.113.9", 20)
	e.User(t, "county-duty", "county", fenghuo.RoleDutyOfficer)
	c := browser(t)
	login(t, c, srv, "county-duty", apptest.Password)

	resp, body := get(t, c, srv, "/alerts")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/alerts: %s", resp.Status)
	}
	for _, want := range []string{"邮箱口令暴力破解", "甲县第一中学", "source.ip=203.0.113.9", ">高<", ">待处置<", "检测规则", `data-live="alert-list"`} {
		if !strings.Contains(body, want) {
			t.Errorf("/alerts lacks %q", want)
		}
	}
	if !regexp.MustCompile(`data-value="open"><span class="facet-label">待处置</span> <span class="facet-count">1</span>`).MatchString(body) {
		t.Errorf("the state facet does not count the open group")
	}
	if !regexp.MustCompile(`>20</td>`).MatchString(body) {
		t.Errorf("the row does not count 20 events")
	}
	id := firstGroup(t, body)
	_, filtered := get(t, c, srv, "/alerts?state=dismissed")
	if strings.Contains(filtered, "/alerts/"+id+`"`) {
		t.Errorf("the dismissed facet lists an open group")
	}

	_, page := get(t, c, srv, "/alerts/"+id)
	for _, want := range []string{"升级为事件", "事件类别：凭据攻击事件", "保存了20条样本事件，这里显示最新的10条。", "凭据访问", "T1110", "dovecot", "zhang@school.example.cn", "&lt;script&gt;", "&lt;b&gt;raw&lt;/b&gt;", "20次"} {
		if !strings.Contains(page, want) {
			t.Errorf("group page lacks %q", want)
		}
	}
	if strings.Contains(page, "<script>alert(1)") {
		t.Error("an event's message is not escaped")
	}

	// Dismissing without a reason: the error beside the field, in Chinese
	// then in English, nothing else changed.
	resp, page = post(t, c, srv, "/alerts/"+id+"/dismiss", url.Values{"reason": {"  "}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(page, `id="alert-reason-error">请填写忽略原因`) {
		t.Errorf("dismiss without a reason (zh): %s", resp.Status)
	}
	u, _ := url.Parse(srv.URL)
	c.Jar.SetCookies(u, []*http.Cookie{{Name: "fh_lang", Value: "en", Path: "/"}})
	resp, page = post(t, c, srv, "/alerts/"+id+"/dismiss", url.Values{"reason": {""}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(page, `id="alert-reason-error">Say why the alert needs no action.`) || strings.Contains(page, "请填写忽略原因") {
		t.Errorf("dismiss without a reason (en): %s", resp.Status)
	}
	c.Jar.SetCookies(u, []*http.Cookie{{Name: "fh_lang", Value: "zh", Path: "/"}})

	// Assigning to an account outside the unit's line: the error beside the
	// select, the choice kept.
	other, _ := e.User(t, "other-county", "county2", fenghuo.RoleDutyOfficer)
	resp, page = post(t, c, srv, "/alerts/"+id+"/assign", url.Values{"user_id": {fmt.Sprint(other.ID)}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(page, `id="alert-assignee-error"`) {
		t.Errorf("assign to an account outside the scope: %s", resp.Status)
	}

	// 告警 in the navigation: for an office and a unit with a sensor, not
	// for a unit without one.
	e.User(t, "hospital-rep", "hospital", fenghuo.RoleUnitReporter)
	for user, want := range map[string]bool{"county-duty": true, "school-it": true, "hospital-rep": false} {
		uc := browser(t)
		login(t, uc, srv, user, apptest.Password)
		_, home := get(t, uc, srv, "/")
		if got := strings.Contains(home, `<a href="/alerts"`); got != want {
			t.Errorf("%s: 告警 in the navigation %v, want %v", user, got, want)
		}
	}

	// The search: by a field in words, by a field typed by hand, and a
	// time that is not one.
	_, found := get(t, c, srv, "/event-search?field=source.ip&value=203.0.113.9")
	if n := strings.Count(found, `class="event" id="event-`); n != 20 {
		t.Errorf("search by source address: %d events, want 20", n)
	}
	_, found = get(t, c, srv, "/event-search?field=other&name=process.name&value=dovecot")
	if n := strings.Count(found, `class="event" id="event-`); n != 20 {
		t.Errorf("search by a typed field: %d events, want 20", n)
	}
	resp, found = get(t, c, srv, "/event-search?field=source.ip&value=203.0.113.9&from=yesterday")
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(found, `id="es-from-error">请按日期和时间填写。`) || !strings.Contains(found, `value="yesterday"`) {
		t.Errorf("a bad start time: %s", resp.Status)
	}
	resp, found = get(t, c, srv, "/event-search?field=other&name=bad%20name&value=x")
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(found, `id="es-name-error"`) {
		t.Errorf("a bad field name: %s", resp.Status)
	}

	// Promoting leads to the draft incident it opened.
	resp, _ = post(t, c, srv, "/alerts/"+id+"/promote", nil)
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/incidents/") {
		t.Fatalf("promote: %s → %q", resp.Status, loc)
	}
	_, page = get(t, c, srv, "/alerts/"+id)
	if !strings.Contains(page, `href="`+loc+`"`) || !strings.Contains(page, "已升级为事件") {
		t.Errorf("the promoted group does not link its incident %s", loc)
	}
}

// Registering an intake source: errors beside their fields in both
// languages with every value kept; the token once with its examples.
func TestIntakeSourceForm(t *testing.T) {
	_, srv, _ := alertsConsole(t)
	c := browser(t)
	login(t, c, srv, "school-it", apptest.Password)
	form := url.Values{"name": {"门户入侵检测"}, "kind": {"suricata"}, "addresses": {"192.0.2.7\nnot-an-address"}, "mapping": {`{"fields": {"source.ip": "src"`}}
	resp, page := post(t, c, srv, "/intake-sources", form)
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("bad source: %s", resp.Status)
	}
	for _, want := range []string{`id="src-mapping-error">字段映射不是有效的JSON`, `id="src-addresses-error"`, `value="门户入侵检测"`, "not-an-address"} {
		if !strings.Contains(page, want) {
			t.Errorf("the refused form lacks %q", want)
		}
	}
	u, _ := url.Parse(srv.URL)
	c.Jar.SetCookies(u, []*http.Cookie{{Name: "fh_lang", Value: "en", Path: "/"}})
	form.Set("mapping", `{"feilds": {}}`)
	_, page = post(t, c, srv, "/intake-sources", form)
	if !strings.Contains(page, `id="src-mapping-error">The field mapping has an unknown key “feilds”`) || strings.Contains(page, "字段映射") {
		t.Errorf("the English page does not say which key is wrong: %s", regexp.MustCompile(`(?s)<main>.*</main>`).FindString(page))
	}
	c.Jar.SetCookies(u, []*http.Cookie{{Name: "fh_lang", Value: "zh", Path: "/"}})

	form.Set("addresses", "192.0.2.7")
	form.Set("mapping", "")
	resp, page = post(t, c, srv, "/intake-sources", form)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("create: %s", resp.Status)
	}
	m := regexp.MustCompile(`id="source-token-value">(fhi_[a-z2-7]+)<`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no token shown after creating the source")
	}
	if !strings.Contains(page, "Authorization: Bearer "+m[1]) || !strings.Contains(page, "/api/v1/alerts?format=suricata") || !strings.Contains(page, `omfwd`) {
		t.Error("the examples do not carry the token and the address")
	}
	_, list := get(t, c, srv, "/intake-sources")
	if strings.Contains(list, m[1]) || !strings.Contains(list, "门户入侵检测") {
		t.Error("the token is shown again, or the source is not listed")
	}

	// The token shown works as the example says; the event is found.
	req, _ := http.NewRequest("POST", srv.URL+"/api/v1/alerts?format=generic", strings.NewReader(`{"source.ip": "192.0.2.99", "message": "probe"}`+"\n"))
	req.Header.Set("Authorization", "Bearer "+m[1])
	req.Header.Set("Content-Type", "application/x-ndjson")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("posting with the shown token: %s", resp.Status)
	}
	if _, found := get(t, c, srv, "/event-search?field=source.ip&value=192.0.2.99"); !strings.Contains(found, "probe") {
		t.Error("the event sent with the new token is not found")
	}

	// Revoking: the source stays listed as revoked, without the button.
	id := regexp.MustCompile(`id="source-(\d+)" data-state="active">\s*<td>门户入侵检测`).FindStringSubmatch(list)
	if id == nil {
		t.Fatal("no row for the new source")
	}
	resp, _ = post(t, c, srv, "/intake-sources/"+id[1]+"/revoke", nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoke: %s", resp.Status)
	}
	_, list = get(t, c, srv, "/intake-sources")
	if !strings.Contains(list, `id="source-`+id[1]+`" data-state="revoked"`) || strings.Contains(list, `id="source-revoke-`+id[1]+`"`) {
		t.Error("the revoked source is not shown as revoked")
	}
}

// The alert pages with data, read as TestEveryPageInWords reads every page
// (whose walk reaches only a few pages of each shape): a county duty
// officer of the demo region, in Chinese and in English, on the list (the
// demo's groups and one more from the test's own detector), a group with
// its samples, the event search and the intake sources.
func TestAlertPagesInWords(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds the demo region")
	}
	ctx := context.Background()
	dsn := apptest.DSN(t)
	s := apptest.OpenDemo(t, dsn, 5, nil)
	s.App.Intake = intake.New(s.App.Core, s.App.Incidents, failedLogins{})
	duty, err := s.DB.UserByUsername(ctx, "qx-duty")
	if err != nil {
		t.Fatal(err)
	}
	orgs, err := s.DB.SubtreeOrgs(ctx, duty.OrgID, store.OrgFilter{}, store.Page{Limit: store.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	var unit *fenghuo.Org
	for i := range orgs.Items {
		if orgs.Items[i].Type == fenghuo.OrgOperator {
			unit = &orgs.Items[i]
			break
		}
	}
	if unit == nil {
		t.Fatal("no unit below qx-duty")
	}
	ac := &app.Actor{User: *duty, Org: orgs.Items[0], Via: "console"}
	if ac.Org.ID != duty.OrgID {
		o, err := s.DB.Org(ctx, duty.OrgID)
		if err != nil {
			t.Fatal(err)
		}
		ac.Org = *o
	}
	ac.User.Roles = []fenghuo.Role{fenghuo.RoleCommander} // the source is registered by an office that may
	src, _, err := s.App.Intake.CreateSource(ctx, ac, intake.SourceInput{OrgID: unit.ID, Name: "邮件服务器", Kind: "mail", Addresses: []string{"192.0.2.25"}})
	if err != nil {
		t.Fatal(err)
	}
	evs := make([]ingest.Event, 4)
	for i := range evs {
		evs[i] = ingest.Event{Time: time.Now().Add(-time.Duration(i) * time.Minute), Kind: ingest.KindSyslog, Fields: map[string]any{
			"source.ip": "203.0.113.9", "user.name": "zhang@example.cn", "event.outcome": "failure",
			"event.category": []string{"authentication"}, "process.name": "dovecot", "message": "auth failed, method=PLAIN"},
			Raw: []byte("<38>dovecot: auth failed, method=PLAIN")}
	}
	if err := s.App.Intake.Accept(ctx, ingest.Source{Org: unit.ID, Sensor: src.Name, TokenID: src.ID}, evs); err != nil {
		t.Fatal(err)
	}
	keys := codeKeys(t)
	w := &wordsCheck{keys: keys, data: regionData(t, dsn), seen: map[string]bool{}}
	for _, lang := range []string{"zh", "en"} {
		c := s.Console(t, "qx-duty")
		u, _ := url.Parse(s.URL)
		c.Jar.SetCookies(u, []*http.Cookie{{Name: "fh_lang", Value: lang, Path: "/"}})
		pages := []string{"/alerts", "", "/event-search?field=source.ip&value=203.0.113.9", "/intake-sources"}
		for i, p := range pages {
			if p == "" {
				p = "/alerts/" + firstGroup(t, read(t, c, s.URL+pages[0]))
				pages[i] = p
			}
			body := read(t, c, s.URL+p)
			doc, err := html.Parse(strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			texts, _ := visible(doc)
			w.check(t, lang, "qx-duty", p, texts)
		}
	}
}

func read(t *testing.T, c *http.Client, u string) string {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s: %s", u, resp.Status)
	}
	return string(b)
}
