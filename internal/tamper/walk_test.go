package tamper

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// parseAttrs must read attributes as the tokenizer does.
func TestParseAttrsMatchesTokenizer(t *testing.T) {
	tags := []string{
		`<a href="http://x.example/?a=1&amp;b=2" TITLE='单引号' id=bare class = "c1  c2">`,
		`<div style="display:none" hidden>`,
		`<img src=/a.png onerror="location='http://x/'"/>`,
		`<iframe src="//f.example/" width=0 height="0" frameborder=0>`,
		`<META HTTP-EQUIV="Refresh" CONTENT="0;url=http://r.example/">`,
		`<p id="a" id="b" style=color:red>`,
		`<a href=x/>`,
	}
	for _, tag := range tags {
		z := html.NewTokenizer(strings.NewReader(tag))
		z.Next()
		want := map[string]string{}
		for _, a := range z.Token().Attr {
			if wantedAttr([]byte(a.Key)) != "" {
				if _, dup := want[a.Key]; !dup {
					want[a.Key] = a.Val
				}
			}
		}
		w := newWalker(&page{})
		_, rest := w.tagName([]byte(tag))
		got := parseAttrs(rest, nil, nil)
		if len(got) != len(want) {
			t.Errorf("%s: got %v, want %v", tag, got, want)
			continue
		}
		for _, a := range got {
			if want[a.Key] != a.Val {
				t.Errorf("%s: %s = %q, want %q", tag, a.Key, a.Val, want[a.Key])
			}
		}
	}
}

func TestImpliedEndTagsAndPaths(t *testing.T) {
	pg := parsePage(Page{URL: "http://a.example/", HTML: []byte(`<html><body>
<ul class="n"><li><a href="/1">一</a><li><a href="/2">二</a></ul>
<p>段落<div id="d"><a href="/3">三</a></div>
<table><tr><td><a href="/4">四</a><td><a href="/5">五</a></table>
</body></html>`)})
	want := []string{
		"html > body > ul.n > li > a",
		"html > body > ul.n > li:nth-of-type(2) > a",
		"html > body > div#d > a",
		"html > body > table > tr > td > a",
		"html > body > table > tr > td:nth-of-type(2) > a",
	}
	if len(pg.links) != len(want) {
		t.Fatalf("got %d links", len(pg.links))
	}
	for i, l := range pg.links {
		if got := l.sel.String(); got != want[i] {
			t.Errorf("link %d: %s, want %s", i, got, want[i])
		}
	}
}
