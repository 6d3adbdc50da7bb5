package api_test

import (
	"strings"
	"testing"

	"fenghuo/internal/fenghuo"
)

func TestRuleSetsAPI(t *testing.T) {
	e := newEnv(t)
	e.user(t, "rules_analyst", "county", fenghuo.RoleAnalyst)
	c := e.login(t, "rules_analyst")

	r := e.do(t, c, "GET", "/api/v1/rule-sets", nil)
	if r.Status != 200 || !strings.Contains(string(r.Body), `"name":"mail","builtin":true,"enabled":true,"rule_count":7`) ||
		!strings.Contains(string(r.Body), `"title":"同一地址邮件登录失败过多","description":"五分钟内同一来源地址邮件登录失败（发信认证、收信登录、网页邮箱）达二十次以上。","title_en":"Many failed mail log-ins from one address"`) ||
		!strings.Contains(string(r.Body), `"level":"high","tags":["attack.credential_access","attack.t1110"],"threshold":true,"window":"5m"`) {
		t.Fatalf("list: %d %s", r.Status, r.Body)
	}

	bad := "title: 坏规则\nid: bad-1\ndetection:\n    selection:\n        message|containz: a\n    condition: selection\n"
	r = e.do(t, c, "POST", "/api/v1/custom-rules", map[string]any{"body": bad})
	if code, field := r.errBody(t); r.Status != 400 || code != "invalid" || field != "body" || !strings.Contains(string(r.Body), "line 5: message: unknown modifier containz") {
		t.Fatalf("bad rule: %d %s", r.Status, r.Body)
	}
	good := "title: 管理员 VPN 登录\nid: good-1\nlogsource:\n    product: vpn\ndetection:\n    selection:\n        user.name|startswith: admin\n    condition: selection\nlevel: medium\n"
	r = e.do(t, c, "POST", "/api/v1/custom-rules", map[string]any{"body": good})
	var created struct {
		ID    int64
		Title string
	}
	r.json(t, &created)
	if r.Status != 201 || created.Title != "管理员 VPN 登录" {
		t.Fatalf("upload: %d %s", r.Status, r.Body)
	}
	r = e.do(t, c, "GET", "/api/v1/rule-sets", nil)
	if !strings.Contains(string(r.Body), `"name":"custom:`) || !strings.Contains(string(r.Body), `"title":"管理员 VPN 登录","level":"medium"`) {
		t.Fatalf("list with the upload: %s", r.Body)
	}
	if r = e.do(t, c, "PUT", "/api/v1/rule-sets/mail/state", map[string]any{}); r.Status != 400 {
		t.Fatalf("state without enabled: %d %s", r.Status, r.Body)
	}
	if r = e.do(t, c, "PUT", "/api/v1/rule-sets/mail/state", map[string]any{"enabled": false}); r.Status != 204 {
		t.Fatalf("disable: %d %s", r.Status, r.Body)
	}
	r = e.do(t, c, "GET", "/api/v1/rule-sets", nil)
	if !strings.Contains(string(r.Body), `"name":"mail","builtin":true,"enabled":false`) {
		t.Fatalf("after disabling: %s", r.Body)
	}
	if r = e.do(t, c, "DELETE", "/api/v1/custom-rules/"+itoa(created.ID), nil); r.Status != 204 {
		t.Fatalf("delete: %d %s", r.Status, r.Body)
	}
}
