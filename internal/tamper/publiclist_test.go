package tamper

import "testing"

// TestPublicLists: a hidden drop-down of public-sector links beside its
// label is left alone; anything a spammer could hide that way is not.
func TestPublicLists(t *testing.T) {
	page := func(label, items string) Page {
		return Page{URL: "http://www.own.gov.cn/", HTML: []byte(`<html><head><title>某县人民政府</title></head><body><p>正文内容</p><div class="links">` +
			label + `<ul style="display:none">` + items + `</ul></div></body></html>`)}
	}
	gov := `<li><a href="https://www.gov.cn/">中国政府网</a></li><li><a href="https://www.moe.gov.cn/">教育部</a></li>`
	cases := []struct {
		name, label, items string
		alarm              bool
	}{
		{"gov and a library", `<span>政府网站</span>`, gov + `<li><a href="https://www.nlc.cn/">国家图书馆</a></li>`, false},
		{"label in a sibling block", `<h4>相关链接</h4>`, gov + `<li><a href="https://www.chnmuseum.cn/">中国国家博物馆</a></li>`, false},
		{"no label", ``, gov + `<li><a href="https://www.nlc.cn/">国家图书馆</a></li>`, true},
		{"spam text", `<span>政府网站</span>`, gov + `<li><a href="https://www.nlc.cn/">百家乐</a></li>`, true},
		{"spam host named like an institution", `<span>政府网站</span>`, gov + `<li><a href="https://www.bet365-cn.com/">国家体育彩票中心</a></li><li><a href="https://www.am8899.com/">澳门赌场</a></li>`, true},
		{"neutral commercial text", `<span>政府网站</span>`, gov + `<li><a href="https://www.zx-gs.com/">装修公司</a></li>`, true},
		{"more others than public", `<span>政府网站</span>`, gov + `<li><a href="https://a.cn/">甲市图书馆</a></li><li><a href="https://b.cn/">乙市博物馆</a></li><li><a href="https://c.cn/">丙市科技馆</a></li>`, true},
		{"one public link only", `<span>政府网站</span>`, `<li><a href="https://www.gov.cn/">中国政府网</a></li><li><a href="https://www.nlc.cn/">国家图书馆</a></li>`, true},
	}
	for _, c := range cases {
		rp := Analyze(page(c.label, c.items))
		got := false
		for _, k := range rp.Kinds() {
			got = got || k == KindHiddenLink
		}
		if got != c.alarm {
			t.Errorf("%s: hidden_link reported %v, want %v (%+v)", c.name, got, c.alarm, rp.Findings)
		}
	}
}

func TestSpacerImage(t *testing.T) {
	for src, want := range map[string][2]int{
		transparentGIF: {1, 1},
		"data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==": {1, 1},
	} {
		w, h, ok := dataImageSize(src)
		if !ok || w != want[0] || h != want[1] {
			t.Errorf("dataImageSize(%.40q) = %d, %d, %v", src, w, h, ok)
		}
	}
	for _, bad := range []string{"", "/img/a.gif", "data:image/gif;base64,", "data:image/svg+xml,<svg/>", "data:image/gif;base64,!!!!"} {
		if _, _, ok := dataImageSize(bad); ok {
			t.Errorf("dataImageSize(%q) should fail", bad)
		}
	}
	spacer := []string{
		`<img src="` + transparentGIF + `" alt="x">`,
		`<img src="/a.gif" width="1" height="1">`,
		`<img src="/a.gif" style="width:0;height:0">`,
		`<img src="/a.gif" height="1" width="100%">`,
	}
	for _, tag := range spacer {
		if !spacerTag([]byte(tag[4:])) {
			t.Errorf("%s should be a spacer", tag)
		}
	}
	seen := []string{
		`<img src="/a.jpg" alt="x">`,
		`<img src="` + transparentGIF + `" width="200" height="100">`,
		`<img class="lazyload" src="` + transparentGIF + `" data-src="/a.jpg">`,
		`<img src="` + transparentGIF + `" data-original="/a.jpg">`,
	}
	for _, tag := range seen {
		if spacerTag([]byte(tag[4:])) {
			t.Errorf("%s should not be a spacer", tag)
		}
	}
}

func TestPseudoCover(t *testing.T) {
	covers := map[string]string{
		".a::after":    `content:"";position:absolute;inset:0;background:#fff`,
		"#b:before":    `content:" ";position:absolute;top:0;left:0;width:100%;height:100%;background-color:rgb(250,250,250)`,
		"div.c::after": `content:'';position:fixed;top:0;right:0;bottom:0;left:0;background:#ffffffff`,
	}
	for sel, body := range covers {
		if _, ok := pseudoCover(sel, parseDecls(body)); !ok {
			t.Errorf("%s{%s} should cover", sel, body)
		}
	}
	open := map[string]string{
		".a::after":  `content:"";position:absolute;inset:0;background:rgba(0,0,0,.35)`,
		".b::after":  `content:"";position:absolute;inset:0;z-index:1`,
		".c::after":  `position:absolute;inset:0;background:#fff`,
		".d::before": `content:"";position:absolute;top:0;left:0;width:20px;height:20px;background:#fff`,
		".e:hover":   `content:"";position:absolute;inset:0;background:#fff`,
		".f::after":  `content:"";position:absolute;inset:0;background:linear-gradient(#fff0,#fff)`,
	}
	for sel, body := range open {
		if _, ok := pseudoCover(sel, parseDecls(body)); ok {
			t.Errorf("%s{%s} should not cover", sel, body)
		}
	}
}
