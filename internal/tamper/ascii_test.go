package tamper

import (
	"strings"
	"testing"
)

// TestRefreshURLCaseTraps: the meta refresh content comes from the page.
// "url" used to be found in strings.ToLower(content) and the index used on
// content; ȺȺȺȺurl lower-cases to 4 more bytes and panicked with
// "slice bounds out of range", taking the server down.
func TestRefreshURLCaseTraps(t *testing.T) {
	for _, trap := range caseTraps {
		r := strings.Repeat(trap, 4)
		for content, want := range map[string]string{
			r + "url":                             "",
			r + "url=":                            "",
			r + "url=http://evil.example/":        "http://evil.example/",
			"0;" + r + " URL = '//evil.example/'": "//evil.example/",
			"0; Url=" + r:                         r,
			r:                                     "",
			"0;" + r + "ur" + r + "l=x":           "",
		} {
			if got := refreshURL(content); got != want {
				t.Errorf("refreshURL(%q) = %q, want %q", content, got, want)
			}
		}
	}
	if got := refreshURL("5; URL=http://a.example/"); got != "http://a.example/" {
		t.Errorf("plain refresh: %q", got)
	}
}

// TestRefreshTrapPages runs the traps through a whole page: the redirect is
// still found, and a page without a real URL reports none.
func TestRefreshTrapPages(t *testing.T) {
	for _, trap := range caseTraps {
		r := strings.Repeat(trap, 4)
		page := func(content string) Page {
			return Page{URL: fuzzURL, HTML: []byte(`<html><head><meta http-equiv="refresh" content="` + content + `"></head><body>x</body></html>`)}
		}
		rep := Analyze(page("0;" + r + "url=http://casino.example.cc/"))
		if len(rep.Findings) != 1 || rep.Findings[0].Kind != KindMaliciousRedirect || !strings.Contains(rep.Findings[0].Reason, "casino.example.cc") {
			t.Errorf("trap %q: redirect not found: %+v", trap, rep.Findings)
		}
		if rep := Analyze(page(r + "url")); rep.Verdict != VerdictClean {
			t.Errorf("trap %q: no target, yet %+v", trap, rep.Findings)
		}
	}
}

// TestHTMLKeywordsFoldASCIIOnly: browsers match tag and attribute keywords
// ignoring ASCII case only. Unicode folding (strings.EqualFold, ToLower)
// made "refreſh" (long s) a refresh and "\u212Aeywords" (Kelvin sign) the
// keywords meta.
func TestHTMLKeywordsFoldASCIIOnly(t *testing.T) {
	for _, tc := range []struct {
		s, word string
		want    bool
	}{
		{"REFRESH", "refresh", true}, {"Refresh", "refresh", true}, {"refreſh", "refresh", false},
		{"\u212Aeywords", "keywords", false}, {"KEYWORDS", "keywords", true}, {"canonİcal", "canonical", false},
		{"\xffefresh", "refresh", false}, {"refresh\x00", "refresh", false},
	} {
		if got := equalFoldASCII(tc.s, tc.word); got != tc.want {
			t.Errorf("equalFoldASCII(%q, %q) = %v", tc.s, tc.word, got)
		}
	}
	for _, tc := range []struct {
		s, needle string
		want      int
	}{
		{"ȺȺȺȺurl", "url", 8}, {"\xff\xffURL", "url", 2}, {"İİUrL", "url", 4}, {"ẞẞurl", "url", 6},
		{"\u2126\u2126url", "url", 6}, {"\u212A\u212Aurl", "url", 6}, {"ﬀurl", "url", 3}, {"ΐurl", "url", 2}, {"ur", "url", -1},
		{"<ſtyle><STYLE>", "<style", 8}, {"", "url", -1},
	} {
		if got := indexFoldASCII(tc.s, tc.needle); got != tc.want {
			t.Errorf("indexFoldASCII(%q, %q) = %d, want %d", tc.s, tc.needle, got, tc.want)
		}
		if got := indexFold([]byte(tc.s), tc.needle); tc.needle[0] == '<' && got != tc.want {
			t.Errorf("indexFold(%q, %q) = %d, want %d", tc.s, tc.needle, got, tc.want)
		}
	}
	for _, tc := range []struct{ s, want string }{
		{"KeyWords", "keywords"}, {"\u212Aeywords", "\u212Aeywords"}, {"ȺB\xff", "Ⱥb\xff"}, {"İ", "İ"},
	} {
		if got := toLowerASCII(tc.s); got != tc.want {
			t.Errorf("toLowerASCII(%q) = %q, want %q", tc.s, got, tc.want)
		}
	}
}

// TestCaseTrapAttributes: keywords spelled with look-alike letters are not
// keywords. A refresh declared as "refreſh" does not redirect a browser; a
// javascript: link spelled with İ is an ordinary relative link; a spam meta
// named "\u212Aeywords" is no keywords meta.
func TestCaseTrapAttributes(t *testing.T) {
	rep := Analyze(Page{URL: fuzzURL, HTML: []byte(`<meta http-equiv="refreſh" content="0;url=http://evil.example/">x`)})
	if rep.Verdict != VerdictClean {
		t.Errorf("refreſh read as a refresh: %+v", rep.Findings)
	}
	rep = Analyze(Page{URL: fuzzURL, HTML: []byte(`<META HTTP-EQUIV="REFRESH" CONTENT="0;URL=http://evil.example/">x`)})
	if len(rep.Findings) != 1 || rep.Findings[0].Kind != KindMaliciousRedirect {
		t.Errorf("upper-case refresh missed: %+v", rep.Findings)
	}
	pg := parsePage(Page{URL: fuzzURL, HTML: []byte(`<a href="JAVASCRİPT:x">a</a><a href="JavaScript:x">b</a><a href="MAILTO:a@b">c</a><a href="/a">d</a>`)})
	if n := countOwnLinks(pg); n != 2 {
		t.Errorf("countOwnLinks = %d, want 2 (the İ link and /a)", n)
	}
	if !looksLikeURL(" HTTPS://a.example/") || looksLikeURL("HTTPſ://a") || looksLikeURL("\u212A://") {
		t.Error("looksLikeURL folds more than ASCII")
	}
	pg = parsePage(Page{URL: fuzzURL, HTML: []byte(`<meta name="\u212Aeywords" content="x"><meta NAME="KEYWORDS" content="y">`)})
	var metas []string
	for _, c := range pg.chunks {
		if c.where == inMeta {
			metas = append(metas, c.raw)
		}
	}
	if strings.Join(metas, ",") != "y" {
		t.Errorf("meta chunks %q, want only y", metas)
	}
	pg = parsePage(Page{HTML: []byte(`<link rel="canonİcal" href="http://a.example/"><link REL="CANONICAL" href="http://b.example/">`)})
	if strings.Join(pg.hostHints, ",") != "b.example" {
		t.Errorf("host hints %q, want only b.example", pg.hostHints)
	}
}

// TestHostilePages runs every entry point on every hostile page, the large
// ones included (they seed FuzzCheck only), with the fuzz invariants.
func TestHostilePages(t *testing.T) {
	site, err := Learn([]Page{{URL: fuzzURL, HTML: portal{day: 1}.html()}, {URL: fuzzURL, HTML: portal{day: 2}.html()}})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range append(smallHostilePages(), bigHostilePages()...) {
		p := Page{URL: fuzzURL, HTML: h.html}
		a := Analyze(p)
		checkReport(t, h.name, a)
		b, err := Learn([]Page{p})
		if err != nil {
			t.Fatal(err)
		}
		self := Check(b, p, &p)
		checkReport(t, h.name+" against own baseline", self)
		subsetKinds(t, h.name+" against own baseline", self, a)
		checkReport(t, h.name+" as browser copy", Check(site, p, &Page{HTML: portal{day: 3}.html()}))
		checkReport(t, h.name+" as spider copy", Check(site, Page{URL: fuzzURL, HTML: portal{day: 3}.html()}, &p))
	}
}
