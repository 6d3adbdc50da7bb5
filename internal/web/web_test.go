package web_test

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/monitor"
	"fenghuo/internal/server"
	"fenghuo/internal/store"
	"fenghuo/internal/tamper"
)

// console starts the real handler (middleware included) over a fresh app.
func console(t *testing.T) (*apptest.Env, *httptest.Server) {
	t.Helper()
	e := apptest.New(t)
	h, err := server.NewHandler(e.App, server.HandlerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return e, srv
}

// browser is an HTTP client with cookies that does not follow redirects.
func browser(t *testing.T) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func post(t *testing.T, c *http.Client, srv *httptest.Server, path string, form url.Values) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", srv.URL)
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(b)
}

func get(t *testing.T, c *http.Client, srv *httptest.Server, path string) (*http.Response, string) {
	t.Helper()
	resp, err := c.Get(srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	checkNoInline(t, path, string(b))
	return resp, string(b)
}

var (
	inlineScript = regexp.MustCompile(`(?i)<script(?:\s[^>]*)?>`)
	styleAttr    = regexp.MustCompile(`(?i)\sstyle\s*=`)
)

// checkNoInline fails when a page carries script or style the CSP forbids.
func checkNoInline(t *testing.T, path, body string) {
	t.Helper()
	for _, tag := range inlineScript.FindAllString(body, -1) {
		if !strings.Contains(tag, "src=") {
			t.Errorf("%s has an inline script: %s", path, tag)
		}
	}
	if styleAttr.MatchString(body) {
		t.Errorf("%s has a style attribute", path)
	}
}

func login(t *testing.T, c *http.Client, srv *httptest.Server, user, pw string) *http.Response {
	resp, _ := post(t, c, srv, "/login", url.Values{"username": {user}, "password": {pw}})
	return resp
}

func TestLoginFailuresLookAlikeAndThrottle(t *testing.T) {
	e, srv := console(t)
	e.User(t, "teacher", "school", fenghuo.RoleUnitReporter)
	c := browser(t)
	r1, b1 := post(t, c, srv, "/login", url.Values{"username": {"nobody"}, "password": {"wrong-password-1"}})
	r2, b2 := post(t, c, srv, "/login", url.Values{"username": {"teacher"}, "password": {"wrong-password-1"}})
	strip := func(s string) string { return regexp.MustCompile(`value="[^"]*"`).ReplaceAllString(s, "") }
	if r1.StatusCode != r2.StatusCode || strip(b1) != strip(b2) {
		t.Fatalf("unknown user and wrong password answer differently: %d / %d", r1.StatusCode, r2.StatusCode)
	}
	for i := 0; i < 4; i++ {
		post(t, c, srv, "/login", url.Values{"username": {"teacher"}, "password": {"wrong-password-1"}})
	}
	resp := login(t, c, srv, "teacher", apptest.Password)
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("sixth attempt: %d, want 429", resp.StatusCode)
	}
	res, _ := e.DB.AuditEntries(context.Background(), store.AuditFilter{ActionPrefix: "auth.login"}, store.Page{Limit: 50})
	if res.Total < 6 {
		t.Errorf("audit has %d log-in entries, want every attempt", res.Total)
	}
}

func TestAdminMustEnrolTOTP(t *testing.T) {
	e, srv := console(t)
	ctx := context.Background()
	u, _ := e.User(t, "secadmin", "city", fenghuo.RoleSecurityAdmin)
	// Start from an admin without a second factor, as after user create.
	if err := e.DB.SetTOTPSecret(ctx, u.ID, "", false); err != nil {
		t.Fatal(err)
	}
	c := browser(t)
	resp := login(t, c, srv, "secadmin", apptest.Password)
	if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, "/login/enroll") {
		t.Fatalf("admin log-in went to %q", loc)
	}
	if r, _ := get(t, c, srv, "/orgs"); r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login/enroll") {
		t.Fatalf("an admin reached a page before enrolling: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	_, page := get(t, c, srv, "/login/enroll")
	m := regexp.MustCompile(`id="totp-secret">([A-Z2-7]+)<`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no secret on the enrolment page")
	}
	code, _ := totp.GenerateCode(m[1], e.Clock.Now())
	resp, recovery := post(t, c, srv, "/login/enroll", url.Values{"code": {code}, "secret": {m[1]}})
	// The answer shows the ten recovery codes, this once, and leads on.
	if resp.StatusCode != http.StatusOK || strings.Count(recovery, `<li class="mono">`) != 10 || !strings.Contains(recovery, `id="recovery-continue" href="/"`) {
		t.Fatalf("enrol: %d\n%.2000s", resp.StatusCode, recovery)
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("the recovery codes may be cached: Cache-Control %q", cc)
	}
	if r, body := get(t, c, srv, "/"); r.StatusCode != 200 || !strings.Contains(body, "secadmin") {
		t.Fatalf("dashboard after enrolment: %d", r.StatusCode)
	}
}

func TestSiblingSystemIsInvisible(t *testing.T) {
	e, srv := console(t)
	ctx := context.Background()
	e.User(t, "reporter", "school", fenghuo.RoleUnitReporter)
	e.User(t, "county-an", "county", fenghuo.RoleAnalyst)
	his := &fenghuo.System{OrgID: e.Orgs["hospital"].ID, Name: "医院HIS系统"}
	if err := e.DB.CreateSystem(ctx, his); err != nil {
		t.Fatal(err)
	}
	path := "/systems/" + strconv.FormatInt(his.ID, 10)
	rep := browser(t)
	login(t, rep, srv, "reporter", apptest.Password)
	if r, _ := get(t, rep, srv, path); r.StatusCode != http.StatusNotFound {
		t.Errorf("a school reporter got the hospital's system: %d", r.StatusCode)
	}
	if _, list := get(t, rep, srv, "/systems"); strings.Contains(list, "医院HIS系统") {
		t.Error("the hospital's system is listed for the school")
	}
	r, _ := post(t, rep, srv, path, url.Values{"org_id": {strconv.FormatInt(e.Orgs["hospital"].ID, 10)}, "name": {"改名"}, "version": {"1"}})
	if r.StatusCode != http.StatusNotFound {
		t.Errorf("a school reporter changed the hospital's system: %d", r.StatusCode)
	}
	county := browser(t)
	login(t, county, srv, "county-an", apptest.Password)
	if r, body := get(t, county, srv, path); r.StatusCode != 200 || !strings.Contains(body, "医院HIS系统") {
		t.Errorf("the county cannot read its unit's system: %d", r.StatusCode)
	}
}

func TestCrossOriginPostRefused(t *testing.T) {
	_, srv := console(t)
	req, _ := http.NewRequest("POST", srv.URL+"/login", strings.NewReader("username=a&password=b"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site POST: %d, want 403", resp.StatusCode)
	}
	resp, _ = http.Get(srv.URL + "/login")
	resp.Body.Close()
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP %q", csp)
	}
}

func TestPagesRenderInBothLanguages(t *testing.T) {
	e, srv := console(t)
	ctx := context.Background()
	u, _ := e.User(t, "boss", "city", fenghuo.RoleCommander)
	sys := &fenghuo.System{OrgID: e.Orgs["school"].ID, Name: "校园网站", Exposure: []fenghuo.Exposure{{Kind: "url", Value: "https://www.school.edu.cn/"}}}
	e.DB.CreateSystem(ctx, sys)
	c := browser(t)
	login(t, c, srv, "boss", apptest.Password)
	pages := []string{"/", "/plans", "/plans/wushen-county", "/profile", "/monitors", "/incidents", "/incidents/new", "/inbox", "/reporting", "/systems/import", "/orgs", "/orgs/" + strconv.FormatInt(u.OrgID, 10), "/orgs/new", "/orgs/" + strconv.FormatInt(e.Orgs["school"].ID, 10) + "/edit",
		"/systems", "/systems/new", "/systems/" + strconv.FormatInt(sys.ID, 10), "/systems/" + strconv.FormatInt(sys.ID, 10) + "/edit"}
	for _, lang := range []string{"zh", "en"} {
		post(t, c, srv, "/lang", url.Values{"lang": {lang}, "back": {"/"}})
		for _, p := range pages {
			r, body := get(t, c, srv, p)
			if r.StatusCode != 200 {
				t.Errorf("%s (%s): %d", p, lang, r.StatusCode)
			}
			if m := regexp.MustCompile(`>[a-z]+\.[a-z_.]+<`).FindString(body); m != "" {
				t.Errorf("%s (%s) shows an untranslated key %s", p, lang, m)
			}
		}
	}
	// An open redirect through the language switch goes nowhere.
	r, _ := post(t, c, srv, "/lang", url.Values{"lang": {"zh"}, "back": {"//evil.example/"}})
	if loc := r.Header.Get("Location"); loc != "/" {
		t.Errorf("language switch redirected to %q", loc)
	}
}

func TestAdminPages(t *testing.T) {
	e, srv := console(t)
	_, secret := e.User(t, "sec1", "city", fenghuo.RoleSecurityAdmin)
	_, auditSecret := e.User(t, "aud1", "city", fenghuo.RoleAuditAdmin)
	c := browser(t)
	loginTOTP(t, c, srv, e, "sec1", secret)
	for _, p := range []string{"/users", "/users/new"} {
		if r, _ := get(t, c, srv, p); r.StatusCode != 200 {
			t.Errorf("%s: %d", p, r.StatusCode)
		}
	}
	r, body := post(t, c, srv, "/users", url.Values{"org_id": {strconv.FormatInt(e.Orgs["school"].ID, 10)}, "username": {"newbie"},
		"display_name": {"新人"}, "roles": {"unit_reporter"}, "password": {"password123456"}})
	if r.StatusCode != http.StatusBadRequest || !strings.Contains(body, "field-error") {
		t.Errorf("a common password was accepted: %d", r.StatusCode)
	}
	r, _ = post(t, c, srv, "/users", url.Values{"org_id": {strconv.FormatInt(e.Orgs["school"].ID, 10)}, "username": {"newbie"},
		"display_name": {"新人"}, "roles": {"unit_reporter"}, "password": {"Qingxi-Reporter-2026!"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Errorf("create user: %d", r.StatusCode)
	}
	if r, _ := get(t, c, srv, "/audit"); r.StatusCode != http.StatusForbidden {
		t.Errorf("a security admin reads the audit log: %d", r.StatusCode)
	}
	a := browser(t)
	loginTOTP(t, a, srv, e, "aud1", auditSecret)
	if r, body := get(t, a, srv, "/audit?action=user.create"); r.StatusCode != 200 || !strings.Contains(body, "user.create") {
		t.Errorf("audit search: %d", r.StatusCode)
	}
	if r, body := post(t, a, srv, "/audit/verify", nil); r.StatusCode != 200 || !strings.Contains(body, "flash ok") {
		t.Errorf("verify: %d", r.StatusCode)
	}
	if r, _ := get(t, a, srv, "/users"); r.StatusCode != http.StatusForbidden {
		t.Errorf("an audit admin lists users: %d", r.StatusCode)
	}
}

func loginTOTP(t *testing.T, c *http.Client, srv *httptest.Server, e *apptest.Env, user, secret string) {
	t.Helper()
	resp := login(t, c, srv, user, apptest.Password)
	if !strings.HasPrefix(resp.Header.Get("Location"), "/login/totp") {
		t.Fatalf("%s: log-in went to %q", user, resp.Header.Get("Location"))
	}
	code, _ := totp.GenerateCode(secret, e.Clock.Now())
	resp, _ = post(t, c, srv, "/login/totp", url.Values{"code": {code}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
		t.Fatalf("%s: TOTP step: %d %s", user, resp.StatusCode, resp.Header.Get("Location"))
	}
}

func TestImportSystemsAllOrNothing(t *testing.T) {
	e, srv := console(t)
	ctx := context.Background()
	e.User(t, "analyst9", "county", fenghuo.RoleAnalyst)
	c := browser(t)
	login(t, c, srv, "analyst9", apptest.Password)
	upload := func(csv string) (int, string) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		fw, _ := mw.CreateFormFile("file", "systems.csv")
		fw.Write([]byte(csv))
		mw.Close()
		req, _ := http.NewRequest("POST", srv.URL+"/systems/import", &buf)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Origin", srv.URL)
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp.StatusCode, string(b)
	}
	bad := "所属单位,系统名称,等保级别\n甲县第一中学,成绩系统,3\n甲县人民医院,HIS,六级\n乙县第一中学,越权系统,2\n"
	code, body := upload(bad)
	if code != http.StatusBadRequest || !strings.Contains(body, "import-problems") {
		t.Fatalf("bad import: %d", code)
	}
	if res, _ := e.App.Directory.Systems(ctx, e.Actor(t, mustUser(t, e, "analyst9")), store.SystemFilter{}, store.Page{}); res.Total != 0 {
		t.Fatalf("a failed import stored %d systems", res.Total)
	}
	code, body = upload("所属单位,系统名称,等保级别,组件\n甲县第一中学,成绩系统,3,Apache Struts2 2.5.10\n甲县人民医院,HIS,三级,\n")
	if code != 200 || !strings.Contains(body, "import-done") {
		t.Fatalf("good import: %d %.300s", code, body)
	}
	if r, _ := get(t, c, srv, "/systems/export.xlsx"); r.StatusCode != 200 || r.Header.Get("Content-Disposition") == "" {
		t.Errorf("export: %d", r.StatusCode)
	}
}

func mustUser(t *testing.T, e *apptest.Env, name string) *fenghuo.User {
	u, err := e.DB.UserByUsername(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestMonitorPages(t *testing.T) {
	e, srv := console(t)
	ctx := context.Background()
	e.User(t, "boss2", "city", fenghuo.RoleCommander)
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte("<html><head><title>测试站点</title></head><body><h1>测试站点</h1><p>内容</p></body></html>"))
	}))
	defer site.Close()
	sys := &fenghuo.System{OrgID: e.Orgs["school"].ID, Name: "测试站点"}
	e.DB.CreateSystem(ctx, sys)
	c := browser(t)
	login(t, c, srv, "boss2", apptest.Password)
	r, _ := post(t, c, srv, "/monitors", url.Values{"system_id": {strconv.FormatInt(sys.ID, 10)}, "url": {site.URL + "/"}, "interval": {"5"}, "content": {"1"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("create monitor: %d", r.StatusCode)
	}
	if r, _ := post(t, c, srv, "/monitors", url.Values{"system_id": {strconv.FormatInt(sys.ID, 10)}, "url": {"ftp://x"}, "interval": {"5"}}); r.StatusCode != http.StatusBadRequest {
		t.Errorf("a bad URL was accepted: %d", r.StatusCode)
	}
	svc := &monitor.Service{DB: e.DB, Sink: e.App.Monitoring.MonitorSink(), Now: e.Clock.Now, AllowLoopback: true}
	e.Clock.Advance(10 * time.Minute)
	if n, err := svc.RunOnce(ctx); err != nil || n != 1 {
		t.Fatalf("run: %d %v", n, err)
	}
	_, list := get(t, c, srv, "/monitors")
	if !strings.Contains(list, site.URL) || !strings.Contains(list, "badge ok") {
		t.Fatalf("monitor list does not show the site up")
	}
	ms, _ := e.DB.MonitorsOf(ctx, e.Orgs["city"].Path)
	_, page := get(t, c, srv, "/monitors/"+strconv.FormatInt(ms[0].ID, 10))
	if !strings.Contains(page, "<svg") || !strings.Contains(page, "学习基线") {
		t.Errorf("monitor page lacks the chart or the history")
	}
	if r, _ := post(t, c, srv, "/monitors/"+strconv.FormatInt(ms[0].ID, 10)+"/accept", nil); r.StatusCode != http.StatusSeeOther {
		t.Errorf("accept change: %d", r.StatusCode)
	}
}

// A check whose analysis crashes shows on the monitor's page as a failed
// check with its reason, in both languages.
func TestFailedCheckShown(t *testing.T) {
	e, srv := console(t)
	ctx := context.Background()
	e.User(t, "boss3", "city", fenghuo.RoleCommander)
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte("<html><head><title>测试站点</title></head><body><h1>测试站点</h1><p>内容</p></body></html>"))
	}))
	defer site.Close()
	sys := &fenghuo.System{OrgID: e.Orgs["school"].ID, Name: "测试站点"}
	e.DB.CreateSystem(ctx, sys)
	m := &store.Monitor{SystemID: sys.ID, URL: site.URL + "/", Interval: 5 * time.Minute, NextDueAt: e.Clock.Now()}
	if err := e.DB.CreateMonitor(ctx, m); err != nil {
		t.Fatal(err)
	}
	svc := &monitor.Service{DB: e.DB, Sink: e.App.Monitoring.MonitorSink(), Now: e.Clock.Now, AllowLoopback: true}
	for i := 0; i < 4; i++ {
		if i == 3 {
			svc.Analyse = func(*tamper.Baseline, tamper.Page, *tamper.Page) tamper.Report { panic("analyser crashed") }
		}
		if n, err := svc.RunOnce(ctx); err != nil || n != 1 {
			t.Fatalf("round %d: %d %v", i, n, err)
		}
		e.Clock.Advance(5 * time.Minute)
	}
	c := browser(t)
	login(t, c, srv, "boss3", apptest.Password)
	for lang, want := range map[string]string{"zh": "检查失败", "en": "Check failed"} {
		post(t, c, srv, "/lang", url.Values{"lang": {lang}, "back": {"/"}})
		_, page := get(t, c, srv, "/monitors/"+strconv.FormatInt(m.ID, 10))
		if !strings.Contains(page, want) || !strings.Contains(page, "internal error while analysing the page: analyser crashed") {
			t.Errorf("%s: the monitor page does not show the failed check and its reason", lang)
		}
		if _, list := get(t, c, srv, "/monitors"); !strings.Contains(list, want) || !strings.Contains(list, "analyser crashed") {
			t.Errorf("%s: the monitor list does not show the failed check with its reason", lang)
		}
	}
}
