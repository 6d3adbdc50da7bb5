package tamper

import (
	"encoding/hex"
	"fmt"
	"math/rand"
	"strconv"
	"strings"
	"testing"
)

// A fourth tuning split for the classes the sealed2 split's first run
// missed (docs/tamper.md): CSS a browser entity-decodes, resolves (var(),
// unitless calc()) or reads from wrappers (@layer, @supports, nesting,
// :is(), data: stylesheets); size containment and empty clip paths;
// popovers, <progress>/<meter> fallback, SVG <switch> branches and
// unpainted SVG text; XOR- and hex-encoded writes, script-opened
// <template>/<dialog>, range deletion; javascript: frame documents and
// maps used only by hidden images; an opaque outline drawn inward over
// the box. Every class has several variants
// written from the class description, with its own hosts and wording; the
// benign changes are the patterns the same run raised false alarms on,
// in other forms: tracker frames in <noscript>, panels opened by
// :focus-within or a checked toggle, news quoting scam wording to warn
// of it, a popover a button opens, and an inset focus ring.

var genTuning4 = genSplit{
	name:  "tuning4",
	sites: genTuning.sites,
	hosts: []string{"www.lh6688.vip", "m.ssc-kaijiang.cc", "www.fapiao-dk.top", "bbs.qipai520.net", "www.sm-yuepao.shop",
		"45.88.109.3"},
	spam:       []string{"六合彩开奖", "时时彩平台", "代开发票", "信用卡套现", "网上赌场", "真人百家乐", "同城约炮", "棋牌游戏下载"},
	neutral:    []string{"二手回收", "空调维修", "婚纱摄影", "宠物寄养"},
	linkCounts: []int{3, 5, 8},
	idx:        0,
}

// hexHTML returns s as UTF-8 in bare hex pairs.
func hexHTML(s string) string { return hex.EncodeToString([]byte(s)) }

// xorList returns the UTF-16 code units of s XORed with k.
func xorList(s string, k int) string {
	var parts []string
	for _, u := range utf16Units(s) {
		parts = append(parts, strconv.Itoa(int(u)^k))
	}
	return strings.Join(parts, ", ")
}

var techniques4 = []technique3{
	// The parser decodes character references in attribute values.
	{"css-entity-style", false, false, func(g *genCase) inject {
		return styled3(g, oneOf(g, "div", "section", "p"), oneOf(g,
			"display&#58;none", "visibility&colon;hidden", "opacity&#x3A;0", "&#100;isplay:none"))
	}},
	// Custom properties on the element, and var() fallbacks.
	{"css-var", false, false, func(g *genCase) inject {
		return styled3(g, oneOf(g, "div", "section"), oneOf(g,
			"--off:none;display:var(--off)", "opacity:var(--o-"+g.id+", 0)", "visibility:var(--nv, hidden)",
			"--z: 0; opacity: var(--z)", "display:var(--a, var(--b, none))"))
	}},
	// Unitless arithmetic and opacity() in a filter chain.
	{"css-math-opacity", false, false, func(g *genCase) inject {
		return styled3(g, oneOf(g, "div", "aside"), oneOf(g,
			"opacity:calc(0.5 - 0.5)", "opacity:min(0, 0.8)", "opacity:clamp(0, 0, 1)",
			"filter:contrast(1) opacity(0.01)", "filter:opacity(2%) blur(0)"))
	}},
	// Size containment without a size: an empty, clipping box.
	{"css-contain", false, false, func(g *genCase) inject {
		return styled3(g, oneOf(g, "div", "article"), oneOf(g,
			"contain:strict", "contain:size paint", "contain:paint size style", "contain:strict;width:300px"))
	}},
	// Clip paths that draw nothing.
	{"css-clip-shape", false, false, func(g *genCase) inject {
		return styled3(g, oneOf(g, "div", "nav"), oneOf(g,
			"clip-path:path('M10 10 Z')", "clip-path:xywh(0 0 0% 0%)", `clip-path:path(evenodd, 'M0 0 M5 5 Z')`))
	}},
	// Hiding rules inside wrappers: layers, media and support queries,
	// nesting, :is()/:where().
	{"css-rule-wrappers", false, false, func(g *genCase) inject {
		cls := "x" + g.id
		rule := oneOf(g,
			`@layer theme{.`+cls+`{display:none}}`,
			`@layer reset, theme; .`+cls+`{visibility:hidden}`,
			`@media all and (min-width:1px){.`+cls+`{display:none}}`,
			`@supports (display:grid){div.`+cls+`{opacity:0}}`,
			`:is(div).`+cls+`{display:none}`,
			`.p`+g.id+`{ .`+cls+`{display:none} }`,
			`.p`+g.id+`{ color:#333; &>.`+cls+`{position:absolute;top:-8000px} }`)
		return inject{head: `<style>` + rule + `</style>`, foot: `<div class="p` + g.id + `"><div class="` + cls + `">` + g.payload + `</div></div>`}
	}},
	// Stylesheets carried in data: URLs.
	{"css-data-sheet", false, false, func(g *genCase) inject {
		rule := `#` + g.id + `{display:none}`
		head := oneOf(g,
			`<link href="data:text/css,`+percentEscape(rule)+`" rel="stylesheet">`,
			`<link rel="stylesheet" type="text/css" href="data:text/css;charset=utf-8;base64,`+b64(rule)+`">`,
			`<style>@import 'data:text/css;base64,`+b64(rule)+`';</style>`,
			`<style>@import url(data:text/css,`+percentEscape(rule)+`) screen;</style>`)
		return inject{head: head, foot: `<div id="` + g.id + `">` + g.payload + `</div>`}
	}},
	// Popovers no control opens; widget fallback content.
	{"html-popover-fallback", false, false, func(g *genCase) inject {
		return g.where(oneOf(g,
			`<section popover>`+g.payload+`</section>`,
			`<div popover="auto" id="pv`+g.id+`">`+g.payload+`</div>`,
			`<progress value="3" max="10">`+oneLine(g.payload)+`</progress>`,
			`<meter value="2" min="0" max="5">`+oneLine(g.payload)+`</meter>`))
	}},
	// SVG switch branches and text painted with nothing.
	{"svg-switch-paint", false, false, func(g *genCase) inject {
		in := oneLine(g.payload)
		return g.where(oneOf(g,
			`<svg width="240" height="24"><switch><g systemLanguage="ru"><text x="0" y="16">`+in+`</text></g></switch></svg>`,
			`<svg width="240" height="24"><switch><text x="0" y="16" requiredExtensions="http://example.org/ext">`+in+`</text></switch></svg>`,
			`<svg width="240" height="24"><text x="0" y="16" fill="none">`+in+`</text></svg>`,
			`<svg width="240" height="24"><text x="0" y="16" opacity="0">`+in+`</text></svg>`))
	}},
	// XOR-coded and hex-pair writes into hidden blocks.
	{"js-xor-hex", false, false, func(g *genCase) inject {
		k := 5 + g.r.Intn(90)
		return g.where(oneOf(g,
			fmt.Sprintf(`<script>(function(){var key=%d;var d=[%s];document.write("<div style='display:none'>"+d.map(x => String.fromCharCode(x ^ key)).join('')+"</div>")})();</script>`, k, xorList(g.plain, k)),
			`<script>document.write('<section hidden>'+decodeURIComponent('`+hexHTML(g.plain)+`'.replace(/../g, '%$&'))+'</section>');</script>`,
			fmt.Sprintf(`<script>document.write('<aside style="visibility:hidden">'+[%s].map(function(u){return String.fromCharCode(u^%d)}).join("")+'</aside>');</script>`, xorList(g.plain, k), k)))
	}},
	// Elements removed by ranges or replaced, or given a hiding class by
	// classList.toggle.
	{"js-range-remove", false, false, func(g *genCase) inject {
		el := `<div id="` + g.id + `">` + g.payload + `</div>`
		switch g.r.Intn(3) {
		case 0:
			return inject{foot: el, end: `<script>var rg=document.createRange();rg.selectNodeContents(document.getElementById('` + g.id + `'));rg.extractContents();</script>`}
		case 1:
			return inject{foot: el, end: `<script>var el=document.getElementById('` + g.id + `');el.parentNode.replaceChild(document.createComment('x'), el);</script>`}
		}
		return inject{head: `<style>.off` + g.id + `{visibility:hidden}</style>`, foot: el, end: `<script>document.getElementById('` + g.id + `').classList.toggle('off` + g.id + `');</script>`}
	}},
	// A script opens a container that swallows the markup after it.
	{"js-write-container", false, false, func(g *genCase) inject {
		open, end := oneOf(g, "<template>", "<dialog>", "<tem'+'plate>"), ""
		switch open {
		case "<dialog>":
			end = "<\\/dialog>"
		default:
			end = "<\\/template>"
		}
		return g.where(`<script>document.write('` + open + `')</script>` + g.payload + `<script>document.write('` + end + `')</script>`)
	}},
	// A javascript: URL whose string is the frame's document; an <embed>
	// of an HTML data: URL.
	{"frame-js-url", false, false, func(g *genCase) inject {
		return g.where(oneOf(g,
			`<iframe src="javascript:'`+percentEscape(oneLine(g.payload))+`'" width="1" height="1" frameborder="0"></iframe>`,
			`<iframe style="display:none" src="javascript:&quot;`+percentEscape(strings.ReplaceAll(oneLine(g.payload), `"`, `'`))+`&quot;"></iframe>`,
			`<embed src="data:text/html,`+percentEscape(g.payload)+`" type="text/html" width="0" height="0">`))
	}},
	// An opaque outline drawn inward over the box's own content.
	{"css-outline-cover", false, false, func(g *genCase) inject {
		return styled3(g, oneOf(g, "div", "section"), oneOf(g,
			"height:40px;overflow:hidden;outline:120px solid #ffffff;outline-offset:-120px",
			"max-height:48px;overflow:hidden;outline:solid 50px rgb(255,255,255);outline-offset:-50px",
			"block-size:80px;overflow:hidden;outline-style:solid;outline-width:60px;outline-color:#f7f7f7;outline-offset:-60px"))
	}},
	// A map whose only image is hidden.
	{"map-hidden-image", true, false, func(g *genCase) inject {
		var b strings.Builder
		b.WriteString(oneOf(g, `<img src="/img/map.png" usemap="#m`+g.id+`" hidden alt="">`, `<img src="/img/map.png" usemap="#m`+g.id+`" style="display:none" alt="">`))
		b.WriteString(`<map name="m` + g.id + `">`)
		for i, h := range g.hostList() {
			fmt.Fprintf(&b, `<area shape="rect" coords="0,0,%d,20" href="http://%s/" alt="%s">`, 20+i, h, g.textFor(i))
		}
		return g.where(b.String() + `</map>`)
	}},
}

// benign4 are interface and editorial patterns that must stay clean.
var benign4 = []benignChange{
	// A tag manager's tracker frame in <noscript>, hidden.
	{"noscript-tracker-frame", func(g *genCase) inject {
		return inject{top: `<noscript><iframe src="https://tm.analytics-cdn.com/ns.html?id=TM-` + g.id + `" width="0" height="0" style="visibility:hidden;display:none"></iframe></noscript><script>(function(){var s=document.createElement("script");s.async=true;s.src="/js/tm.js";document.head.appendChild(s)})();</script>`}
	}},
	// A "more sites" menu opened by focus within it.
	{"focus-within-menu", func(g *genCase) inject {
		return inject{head: `<style>.more .more-list{display:none}.more:focus-within .more-list{display:block}</style>`,
			top: `<div class="more" tabindex="0"><span>相关网站</span><div class="more-list"><a href="https://www.12306.cn/">铁路12306</a> <a href="https://www.tianyancha.com/">天眼查</a> <a href="https://map.baidu.com/">百度地图</a></div></div>`}
	}},
	// A checkbox toggle opening a panel of partner links.
	{"checked-toggle-panel", func(g *genCase) inject {
		return inject{head: `<style>#tg` + g.id + `{display:none}.pnl{visibility:hidden}#tg` + g.id + `:checked ~ .pnl{visibility:visible}</style>`,
			foot: `<label for="tg` + g.id + `">友情链接</label><input type="checkbox" id="tg` + g.id + `"><div class="pnl"><a href="https://www.ctrip.com/">携程旅行</a> <a href="https://www.dianping.com/">大众点评</a></div>`}
	}},
	// News quoting scam wording to warn of it.
	{"anti-fraud-quotes", func(g *genCase) inject {
		return inject{top: `<div class="fz"><h4>反诈提醒</h4><p>凡是声称「网上赌场稳赚不赔」「时时彩平台内部计划」「代开发票低价」的，都是骗局，切勿轻信，谨防上当。</p></div>`}
	}},
	// An inset focus ring: a thin outline inside a button's edge.
	{"inset-focus-ring", func(g *genCase) inject {
		return inject{foot: `<div class="srch"><a href="/search/" style="display:inline-block;height:36px;padding:0 12px;outline:2px solid #1a5fb4;outline-offset:-2px">站内搜索</a> <a href="https://www.gov.cn/" style="height:30px;outline:3px double #333;outline-offset:-4px">中国政府网</a></div>`}
	}},
	// A popover a button opens.
	{"button-popover", func(g *genCase) inject {
		return inject{foot: `<button type="button" popovertarget="qr` + g.id + `">关注我们</button><div id="qr` + g.id + `" popover><img src="/img/wx-qr.png" alt="微信公众号"> <a href="https://weibo.com/">官方微博</a></div>`}
	}},
}

// tuning4Cases builds every class on every site three times, then the
// benign changes.
func tuning4Cases() []tuning3Case {
	sp := genTuning4
	var out []tuning3Case
	for si, s := range sp.sites {
		for ti, tq := range techniques4 {
			for rep := 0; rep < 3; rep++ {
				r := rand.New(rand.NewSource(int64(910000 + si*1000 + ti*11 + rep*173 + 5)))
				kind := (si + ti + rep) % 3
				payload, p := buildPayload(r, sp, kind, tq.linksOnly)
				genCurrent = p
				if tq.linksOnly && kind == payloadSpamText {
					kind = payloadSpamLinks
				}
				g := &genCase{r: r, split: sp.idx, payload: payload, plain: payload, id: fmt.Sprintf("u%x", r.Int63()%0xfffff)}
				in := tq.gen(g)
				c := tuning3Case{site: s, tech: tq.name, rep: rep, html: []byte(s.tmpl(s, 10+ti, in))}
				switch kind {
				case payloadSpamLinks:
					c.kinds = []string{KindHiddenLink, KindIllicitContent}
				case payloadNeutralLinks:
					c.kinds = []string{KindHiddenLink}
				default:
					c.kinds = []string{KindIllicitContent}
				}
				out = append(out, c)
			}
		}
		for bi, bc := range benign4 {
			r := rand.New(rand.NewSource(int64(920000 + si*100 + bi)))
			g := &genCase{r: r, split: sp.idx, id: fmt.Sprintf("v%x", r.Int63()%0xfffff)}
			out = append(out, tuning3Case{site: s, tech: "", rep: bi, html: []byte(s.tmpl(s, 40+bi, bc.gen(g)))})
		}
	}
	return out
}

// TestGeneratedCorpusTuning4 runs the fourth tuning split through Check
// and, for benign pages, Analyze, and asserts recall ≥ 95 % per kind, every
// class found at least twice in three, and no false alarm.
func TestGeneratedCorpusTuning4(t *testing.T) {
	scoreTuning(t, genTuning4, tuning4Cases(), benign4)
}
