package web_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"fenghuo/internal/apptest"
	"fenghuo/internal/browsertest"
	"fenghuo/internal/fenghuo"
)

const vpnRule = `title: 管理员账号登录 VPN
id: 5d7c1b2a-9e8f-4a3b-8c6d-1e2f3a4b5c6d
logsource:
    product: vpn
detection:
    selection:
        event.action: login
        user.name|startswith: admin
    condition: selection
level: high
tags:
    - attack.initial_access
`

// The rules page over HTTP: a unit reporter sees the built-in sets in
// words, turns the mail set off, and uploads a rule with a mistake (told
// by line, the text kept) and then a good one; a viewer sees no switch;
// the other county's reporter cannot open the school's rules.
func TestRulesPage(t *testing.T) {
	e, srv := taskConsole(t)
	e.User(t, "school-rep", "school", fenghuo.RoleUnitReporter)
	e.User(t, "school-viewer", "school", fenghuo.RoleViewer)
	e.User(t, "school2-rep", "school2", fenghuo.RoleUnitReporter)
	c := browser(t)
	login(t, c, srv, "school-rep", apptest.Password)
	_, body := get(t, c, srv, "/rules")
	for _, want := range []string{"检测规则", "邮件系统", "同一地址邮件登录失败过多", "时间窗口内达到阈值", "凭据窃取", "已启用", "停用规则集", "上传规则", "共7条规则"} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	school := e.Orgs["school"].ID
	org := url.Values{"org": {itoa(school)}}
	r, _ := post(t, c, srv, "/rules/sets/mail", url.Values{"org": org["org"], "enabled": {"0"}})
	if r.StatusCode != 303 || !strings.Contains(r.Header.Get("Location"), "#set-mail") {
		t.Fatalf("turn off: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	_, body = get(t, c, srv, "/rules")
	if !strings.Contains(body, `data-set="mail"`) || !strings.Contains(body, "启用规则集") {
		t.Errorf("after turning off: %.500s", body)
	}
	if e.App.Detection.Enabled(school, "mail") {
		t.Error("the engine still runs mail for the school")
	}

	bad := strings.Replace(vpnRule, "startswith", "startwith", 1)
	r, body = post(t, c, srv, "/rules/custom", url.Values{"org": org["org"], "body": {bad}})
	if r.StatusCode != 400 || !strings.Contains(body, "规则无法加载") || !strings.Contains(body, "第8行：user.name: unknown modifier startwith") ||
		!strings.Contains(body, "startwith: admin") {
		t.Fatalf("bad upload: %d %.2000s", r.StatusCode, body)
	}
	if r, _ := post(t, c, srv, "/rules/custom", url.Values{"org": org["org"], "body": {vpnRule}}); r.StatusCode != 303 {
		t.Fatalf("good upload: %d", r.StatusCode)
	}
	_, body = get(t, c, srv, "/rules")
	if !strings.Contains(body, "甲县第一中学上传的规则") || !strings.Contains(body, "管理员账号登录 VPN") || !strings.Contains(body, "初始访问") {
		t.Errorf("uploaded set missing: %.3000s", body)
	}

	v := browser(t)
	login(t, v, srv, "school-viewer", apptest.Password)
	_, body = get(t, v, srv, "/rules")
	if strings.Contains(body, "停用规则集") || strings.Contains(body, `id="rule-upload"`) || !strings.Contains(body, "管理员账号登录 VPN") {
		t.Errorf("viewer's page: switches or upload shown, or rules missing")
	}
	o := browser(t)
	login(t, o, srv, "school2-rep", apptest.Password)
	if r, _ := get(t, o, srv, "/rules?org="+itoa(school)); r.StatusCode != 404 {
		t.Errorf("other county's school: %d", r.StatusCode)
	}
}

// TestChromiumRules: in a real browser, the unit turns a set off and on
// with its switch and uploads a rule; a broken rule shows its line next to
// the field.
func TestChromiumRules(t *testing.T) {
	chromium := apptest.Chromium(t)
	e, srv := taskConsole(t)
	e.User(t, "school-rep", "school", fenghuo.RoleUnitReporter)
	b := browsertest.NewSession(t, chromium, srv.URL, 1280, 1000, 150*time.Second)
	b.LogIn("school-rep", apptest.Password)
	b.Do(chromedp.Navigate(srv.URL+"/rules"), chromedp.WaitVisible(`#set-mail`))
	if n := b.Text(`#rule-upload .primary-action`); n != "上传规则" {
		t.Errorf("primary action %q", n)
	}
	b.Do(browsertest.ClickAndLoad(`#toggle-egress`), chromedp.WaitVisible(`#set-egress`))
	if s := b.Text(`#set-egress h2`); !strings.Contains(s, "已停用") {
		t.Errorf("egress after the switch: %q", s)
	}
	b.Do(browsertest.ClickAndLoad(`#toggle-egress`), chromedp.WaitVisible(`#set-egress`))
	if s := b.Text(`#set-egress h2`); !strings.Contains(s, "已启用") {
		t.Errorf("egress switched back: %q", s)
	}
	b.Do(chromedp.SetValue(`#rule-body`, strings.Replace(vpnRule, "level: high", "level: severe", 1)),
		browsertest.ClickAndLoad(`#rule-submit`), chromedp.WaitVisible(`#rule-problems`))
	if p := b.Text(`#rule-problems`); !strings.Contains(p, "第10行") || !strings.Contains(p, `level "severe"`) {
		t.Errorf("problems: %q", p)
	}
	b.Do(chromedp.SetValue(`#rule-body`, vpnRule), browsertest.ClickAndLoad(`#rule-submit`),
		chromedp.WaitVisible(`#set-custom-`+itoa(e.Orgs["school"].ID)))
	if s := b.Text(`#set-custom-` + itoa(e.Orgs["school"].ID)); !strings.Contains(s, "管理员账号登录 VPN") || !strings.Contains(s, "高") {
		t.Errorf("uploaded set: %q", s)
	}
	sets, err := e.App.Detection.RuleSets(context.Background(), e.Actor(t, mustUser(t, e, "school-rep")), e.Orgs["school"].ID)
	if err != nil || len(sets) != 4 {
		t.Fatalf("sets after upload: %d %v", len(sets), err)
	}
}
