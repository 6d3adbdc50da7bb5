package tamper

import (
	"math/rand"
	"strings"
	"testing"
	"unicode/utf8"
)

// commonSubstringNaive is the obvious search commonSubstring replaced
// (cubic in the length: a title without </title> runs on for the whole
// page and took minutes). It is the reference for the results.
func commonSubstringNaive(ss []string) string {
	first := []rune(ss[0])
	best := ""
	for i := range first {
		for j := len(first); j > i+utf8.RuneCountInString(best); j-- {
			cand := string(first[i:j])
			all := true
			for _, s := range ss[1:] {
				if !strings.Contains(s, cand) {
					all = false
					break
				}
			}
			if all {
				best = cand
				break
			}
		}
	}
	return best
}

func TestCommonSubstringMatchesNaive(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	alphabets := [][]rune{[]rune("ab"), []rune("abc"), []rune("首页示例县人民政府"), []rune("aȺİẞ\u2126\u212Aﬀΐ\uFFFD")}
	for n := 0; n < 3000; n++ {
		alpha := alphabets[n%len(alphabets)]
		ss := make([]string, 1+r.Intn(4))
		for i := range ss {
			rs := make([]rune, r.Intn(30))
			for j := range rs {
				rs[j] = alpha[r.Intn(len(alpha))]
			}
			ss[i] = string(rs)
		}
		if got, want := commonSubstring(ss), commonSubstringNaive(ss); got != want {
			t.Fatalf("commonSubstring(%q) = %q, want %q", ss, got, want)
		}
	}
	for _, tc := range [][]string{
		{"示例县人民政府门户网站首页", "关于开展安全检查的通知示例县人民政府门户网站", "示例县人民政府门户网站专题"},
		{"", "abc"}, {"abc", ""}, {"abc"}, {"abab", "baba"},
	} {
		if got, want := commonSubstring(tc), commonSubstringNaive(tc); got != want {
			t.Errorf("commonSubstring(%q) = %q, want %q", tc, got, want)
		}
	}
}

// TestLongTitles: baselines learned from pages whose </title> is missing
// hold titles as long as the page; checking against them must stay cheap
// (FuzzLearn found 7 KB pages that took 26 s of CPU). The seed
// testdata/fuzz/FuzzLearn/73be6ef26f5cb3ff is that input.
func TestLongTitles(t *testing.T) {
	var a, b strings.Builder
	a.WriteString("<html><head><title>示例县人民政府 ")
	b.WriteString("<html><head><title>示例县人民政府 ")
	for i := 0; i < 3000; i++ {
		a.WriteString("通知公告")
		b.WriteString("政务公开")
	}
	pa := Page{URL: fuzzURL, HTML: []byte(a.String())}
	pb := Page{URL: fuzzURL, HTML: []byte(b.String())}
	base, err := Learn([]Page{pa, pb})
	if err != nil {
		t.Fatal(err)
	}
	if len(base.Titles) != 2 {
		t.Fatalf("titles %d", len(base.Titles))
	}
	for _, p := range []Page{pa, pb} {
		checkReport(t, "long title", Check(base, p, nil))
	}
}

// A benign edit inside a large frame block (a tab strip added to the footer
// of a small calendar page whose month heading also rolled over) changes
// the hash of most stable text but keeps every word of the site: not a
// defacement (the sealed3 split's first run raised five such false
// alarms). Replacing the words is, even when the title is kept.
func TestDefacementNeedsReplacedWords(t *testing.T) {
	site := genSite{name: "示例市社会保险事业管理中心", host: "sbzx.example.gov.cn", short: "社保", tmpl: sealed3TmplBenefits}
	b := genBaseline(t, site)
	tab := inject{
		head: `<style>.tabc .pane{display:none}.tabc .pane.on{display:block}</style>`,
		foot: `<div class="tabs3"><span>通知公告</span><span>政策文件</span></div><div class="tabc"><div class="pane on"><a href="/tzgg/201.html">关于调整办公时间的通知</a></div><div class="pane"><a href="/zcwj/81.html">社保工作规则（修订）</a></div></div>`,
	}
	benign := Page{URL: "http://" + site.host + "/", HTML: []byte(site.tmpl(site, 40, tab))}
	if rep := Check(b, benign, nil); rep.Verdict != VerdictClean {
		t.Fatalf("a tab strip in the footer is reported: %+v", rep.Findings)
	}
	hacked := Page{URL: benign.URL, HTML: []byte(`<!DOCTYPE html><html><head><title>` + site.name + `—待遇发放日历</title></head><body>
<div class="w">Hacked by ShadowTeam — your security is zero, greetz to all crews</div>
<div class="main"><h1>HACKED BY SHADOW TEAM</h1><p>we were here, patch your server admin</p></div>
<div class="footer"><div class="w">contact: shadow@team — nothing is safe</div></div></body></html>`)}
	rep := Check(b, hacked, nil)
	found := false
	for _, k := range rep.Kinds() {
		found = found || k == KindDefacement
	}
	if !found {
		t.Fatalf("a replaced page keeping its title is not a defacement: %+v", rep.Findings)
	}
}
