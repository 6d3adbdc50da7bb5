package phrase

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"
)

// TestEveryPhraseBothLanguages renders every sentence of the catalogue with
// Chinese arguments (as people type them) and with the platform's own
// words: the English has no Chinese outside quotation marks, and the
// Chinese and English name the same arguments.
func TestEveryPhraseBothLanguages(t *testing.T) {
	for _, key := range Keys() {
		zhNames := Placeholders(key)
		enNames := placeholdersOf(catalogue[key][1])
		sort.Strings(zhNames)
		sort.Strings(enNames)
		if strings.Join(zhNames, ",") != strings.Join(enNames, ",") {
			t.Errorf("%s: Chinese names %v, English %v", key, zhNames, enNames)
		}
		var kv []any
		for _, n := range zhNames {
			kv = append(kv, n, "甲县水务公司"+n) // typed text: Chinese only
		}
		p := New(key, kv...)
		zh, en := p.Render(ZH), p.Render(EN)
		if zh == "" || en == "" {
			t.Errorf("%s renders empty", key)
		}
		if strings.ContainsAny(zh, "{}") || strings.ContainsAny(en, "{}") {
			t.Errorf("%s: a placeholder is left: %q / %q", key, zh, en)
		}
		if HasHan(OutsideQuotes(en)) {
			t.Errorf("%s: English has Chinese outside quotes: %q", key, en)
		}
		if !HasHan(catalogue[key][0]) {
			t.Errorf("%s: Chinese sentence has no Chinese: %q", key, zh)
		}
		// Stored and read back, the phrase renders alike.
		b, err := json.Marshal(map[string]any{"phrase": p, "task": 7})
		if err != nil {
			t.Fatal(err)
		}
		back, ok := FromData(string(b))
		if !ok || back.Render(EN) != en || back.Render(ZH) != zh {
			t.Errorf("%s: read back %v %q", key, ok, back.Render(EN))
		}
	}
}

func placeholdersOf(s string) []string {
	var out []string
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			return out
		}
		j := strings.IndexByte(s[i:], '}')
		out = append(out, s[i+1:i+j])
		s = s[i+j+1:]
	}
}

// TestWordsArgumentsTranslate: the platform's words (a status, a report, a
// document kind) are in English in the English sentence, not quoted.
func TestWordsArgumentsTranslate(t *testing.T) {
	p := New("report.filed", "report", Report("follow_up", 2, 2), "to", "乌审县网信办、乌审县公安局")
	if got, want := p.Render(EN), "Follow-up report no. 2 (correction 1) filed, delivered to “乌审县网信办、乌审县公安局”"; got != want {
		t.Errorf("en %q, want %q", got, want)
	}
	if got, want := p.Render(ZH), "提交续报（第2次）（更正1），送达：乌审县网信办、乌审县公安局"; got != want {
		t.Errorf("zh %q, want %q", got, want)
	}
	s := New("status.changed", "from", Status("reported"), "to", Status("responding"))
	if got := s.Render(EN); got != "Status: reported → responding" {
		t.Errorf("status %q", got)
	}
	if _, ok := FromData(`{"task":1}`); ok {
		t.Error("data without a phrase read as one")
	}
	if _, ok := FromData(`{"phrase":{"key":"no.such"}}`); ok {
		t.Error("unknown key read as a phrase")
	}
}

// TestPunctuationCheck: the check finds ASCII marks between Chinese words
// and leaves times, numbers, URLs, ranges and English alone.
func TestPunctuationCheck(t *testing.T) {
	for s, want := range map[string]string{
		"动态验证码(6位)":              "动态验证码（6位）",
		"会话已过期,请重新登录。":           "会话已过期，请重新登录。",
		"请更正以下问题: 名称":            "请更正以下问题：名称",
		"确定吗?":                   "确定吗？",
		"24:00 前报告":              "24:00 前报告",
		"如 https://a.cn/?x=1、10": "如 https://a.cn/?x=1、10",
		"[2.5.0, 2.5.13)、<=1.0":  "[2.5.0, 2.5.13)、<=1.0",
		"Report (initial)":       "Report (initial)",
		"例如 21, 22, 135":         "例如 21, 22, 135",
		"%s:%d":                  "%s:%d",
	} {
		if got := FullWidth(s); got != want {
			t.Errorf("FullWidth(%q) = %q, want %q", s, got, want)
		}
		if left := ASCIIPunctNearCJK(FullWidth(s)); len(left) > 0 {
			t.Errorf("%q still has %q", s, left)
		}
		if (s == want) != (len(ASCIIPunctNearCJK(s)) == 0) {
			t.Errorf("check of %q disagrees with the conversion", s)
		}
	}
}

func TestAcceptLanguage(t *testing.T) {
	for header, want := range map[string]string{
		"":                        ZH,
		"en":                      EN,
		"en-US,en;q=0.9":          EN,
		"zh-CN,zh;q=0.9,en;q=0.8": ZH,
		"en-GB,zh-CN;q=0.5":       EN,
		"zh-CN;q=0.4,en;q=0.8":    EN,
		"en;q=0.5,zh;q=0.5":       EN,
		"zh;q=0.5,en;q=0.5":       ZH,
		"fr-FR,de":                ZH,
		"en;q=0":                  ZH,
		"*":                       ZH,
		"english, zh":             ZH,
	} {
		if got := AcceptLanguage(header); got != want {
			t.Errorf("AcceptLanguage(%q) = %q, want %q", header, got, want)
		}
	}
}
