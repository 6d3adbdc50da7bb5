package checklist

import (
	"errors"
	"strings"
	"testing"

	"fenghuo/internal/fenghuo"
)

func TestBuiltinChecklistsParse(t *testing.T) {
	cs := Builtin()
	if len(cs) != len(BuiltinIDs) {
		t.Fatalf("%d built-in checklists", len(cs))
	}
	for _, c := range cs {
		for _, it := range c.Items {
			if it.Clause == "" || it.Quote == "" {
				t.Errorf("%s %s: every built-in item cites its clause and quotes it", c.ID, it.ID)
			}
			if it.Text.EN == "" || it.Verify.EN == "" || it.Evidence.EN == "" {
				t.Errorf("%s %s: missing English", c.ID, it.ID)
			}
		}
	}
}

// Every point issue 12 names is an item of the built-in lists, and each
// item's quote is words of the seed clause it cites.
func TestBuiltinChecklistsCoverTheSeeds(t *testing.T) {
	want := map[string][]string{
		"seed000-self-inspection": {"weak-passwords", "default-passwords", "stale-passwords", "zombie-systems",
			"unpatched-vulnerabilities", "needless-ports-services", "outdated-software", "wlan", "internet-exits"},
		"seed004-ransomware-hardening": {"high-risk-ports-network", "remote-access-ports", "sql-injection", "xss", "file-upload",
			"privilege-escalation", "third-party-patches", "os-patches-smb", "antivirus", "removable-media", "offline-backups"},
	}
	quotes := map[string][]string{
		"seed000-self-inspection":      {"弱口令", "“僵尸”系统", "已知漏洞不修复", "非必要端口及服务", "软件长期不更新", "无线局域网络", "互联网出入口"},
		"seed004-ransomware-hardening": {"Struts2", "Weblogic", "WannaCry", "SMB", "21、22、445、139、3389", "先杀后用", "线下或异地备份", "越权访问"},
	}
	for id, items := range want {
		c, err := BuiltinChecklist(id)
		if err != nil {
			t.Fatal(err)
		}
		var all strings.Builder
		for _, it := range c.Items {
			all.WriteString(it.Quote)
		}
		for _, item := range items {
			if _, ok := c.Item(item); !ok {
				t.Errorf("%s has no item %s", id, item)
			}
		}
		for _, q := range quotes[id] {
			if !strings.Contains(all.String(), q) {
				t.Errorf("%s quotes no %q", id, q)
			}
		}
	}
	remote, _ := mustBuiltin(t, "seed004-ransomware-hardening").Item("remote-access-ports")
	for _, port := range []string{"21", "22", "139", "445", "3389"} {
		if !strings.Contains(remote.Text.ZH, port) {
			t.Errorf("remote-access-ports does not name port %s", port)
		}
	}
	if _, err := BuiltinChecklist("nope"); fenghuo.ErrorCode(err) != fenghuo.ENOTFOUND {
		t.Errorf("unknown id: %v", err)
	}
}

func mustBuiltin(t *testing.T, id string) *Checklist {
	t.Helper()
	c, err := BuiltinChecklist(id)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestParseReportsFileLineAndKey(t *testing.T) {
	doc := `id: my-list
version: "1"
title: {zh: 自查表}
items:
  - id: a1
    text: {zh: 检查一}
    category: acount
    severity: high
    verify: {zh: 看}
    evidence: {zh: 截图}
  - id: a1
    text: {zh: 检查二}
    category: host
    severity: urgent
    verify: {zh: 看}
    evidence: {en: screenshot}
`
	_, err := Parse("mine.yaml", []byte(doc))
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("want a ValidationError, got %v", err)
	}
	got := err.Error()
	for _, want := range []string{
		`mine.yaml:7: items[0].category: unknown category "acount"; did you mean "account"?`,
		`mine.yaml:11: items[1].id: "a1" is already the id of items[0]`,
		`mine.yaml:14: items[1].severity: unknown severity "urgent"`,
		`mine.yaml:16: items[1].evidence.zh: is required`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in\n%s", want, got)
		}
	}
	if fenghuo.ErrorCode(err) != fenghuo.EINVALID {
		t.Errorf("code %q", fenghuo.ErrorCode(err))
	}
}

func TestParseRejects(t *testing.T) {
	for name, tc := range map[string]struct{ doc, want string }{
		"unknown key":  {"id: x1\nversion: \"1\"\ntitle: {zh: t}\nitem: []\n", `x:4: item: unknown key "item"; did you mean "items"?`},
		"no items":     {"id: x1\nversion: \"1\"\ntitle: {zh: t}\n", "items: a checklist needs at least one item"},
		"bad id":       {"id: X\nversion: \"1\"\ntitle: {zh: t}\nitems: []\n", "x:1: id: must be 2–63"},
		"bad yaml":     {"id: [\n", "not valid YAML"},
		"wrong type":   {"id: x1\nversion: \"1\"\ntitle: {zh: t}\nitems: 3\n", "wrong type"},
		"plus version": {"id: x1\nversion: 1+2\ntitle: {zh: t}\nitems: []\n", "x:2: version: must be"},
		"empty":        {"", "the document is empty"},
	} {
		_, err := Parse("x", []byte(tc.doc))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: want %q, got %v", name, tc.want, err)
		}
	}
}

func TestDigestFollowsTheText(t *testing.T) {
	c := mustBuiltin(t, "seed000-self-inspection")
	edited := strings.Replace(string(c.Raw()), `version: "2019.1"`, `version: "2019.2"`, 1)
	d, err := Parse("edited", []byte(edited))
	if err != nil {
		t.Fatal(err)
	}
	if d.Digest == c.Digest || d.FullVersion() != "2019.2+"+d.Digest {
		t.Errorf("digest %s vs %s, full %s", d.Digest, c.Digest, d.FullVersion())
	}
}
