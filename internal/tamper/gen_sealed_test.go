package tamper

// The sealed split: a measurement of the detector on pages nobody has run
// it on. It was written while another change to the detector was under
// way, and written WITHOUT calling Check, Analyze or Learn on any of its
// pages: TestSealedSplitWellFormed checks only that the split is what it
// claims to be (labels, counts, pages that parse, spam present in every
// tampered page and absent from every benign one), and
// TestGeneratedCorpusSealed, which does run the detector, was skipped
// until the detector work was done; its first run was the measurement and
// its counts are now floors. TestSealedSplitHiddenInChromium (with
// FENGHUO_TAMPER_BROWSER=1) checks, also without the detector, that a real
// Chromium shows none of the payloads.
//
// What the split holds, none of it shared with the other splits:
//
//   - six sites on six new templates: a market-regulation bureau portal
//     (notice list, service-guide table), a county media centre (video
//     column, live banner), a primary school's WeChat-style mobile article,
//     a water-supply company (outage notice table), a sports bureau (month
//     events calendar) and a public library OPAC front page (search form,
//     new books with call numbers, opening hours);
//   - new spam hosts (one an IP, one upper case), new wording across
//     gambling, porn, fake documents, drugs, weapons, cash-out, private
//     servers and loans, new link counts (9, 11, 14, 18, 22, 50);
//   - one new variant set per technique of `techniques`
//     (sealedTechniques), each a hiding method browsers honour: e.g.
//     `display:block;display:none`, `content-visibility:hidden`,
//     `opacity:1e-3`, `font-size:0rem`, `block-size:0`, `inset:` and
//     `calc()` offsets, `margin-inline-start`, `clip-path:ellipse(0 0)`,
//     `matrix(0,…)`/`rotateX(90deg)`/`scale:0`, `-webkit-text-fill-color`,
//     a cover drawn by `::after` or a grid sibling, `@supports`/`[id^=]`/
//     `:not()` rules, `hidden="until-found"`, noscript in a table, marquee
//     `0%`, details without summary, dialog forms, templates in tables,
//     `<audio>`/`<video><source>` fallbacks, SVG `foreignObject` and
//     `clipPath`, data-URI transparent pixels, named-entity URLs
//     (`&colon;&sol;`), `Object.assign`/`toggleAttribute`/
//     `requestAnimationFrame` hides, `createContextualFragment`,
//     `\u{…}`/reversed/TextDecoder writes, `outerHTML=""`/`replaceWith`,
//     and cloaking whose spider copy shows the links in plain sight;
//   - four techniques that `techniques` does not have (sealedExtras),
//     each from a public write-up:
//     punct-anchor-link — a link whose anchor is one punctuation mark in a
//     visible paragraph ("The link is hidden in a small character - for
//     example, a hyphen in the middle of a paragraph", Google's webmaster
//     guidelines on hidden text and links, quoted at
//     seopravish.blogspot.com/2007/09/googlequality-guidelines-1.html and
//     novo6123.blogspot.com/2008/10/message-from-google-about-hidden-text.html;
//     "uses the period on a sentence as an anchor",
//     nigatech.blogspot.com/2016/03/5-most-popular-kinds-of-search-engine.html);
//     alt-stuffed-spacer — spam words in the alt text of transparent
//     1×1 spacer images (mediamorphic.com/advice/advice-seo-spam4.php);
//     title-meta-hijack — spam in the title (entity-encoded) and the
//     keywords/description meta, with a script that puts the real title
//     back for visitors (the "pharma hack": blog.sucuri.net/2020/02/pharma-hack.html,
//     clearhaus.com/blog/pharma-hacking/, internet-thinking.com.au/pharma-hack-and-the-cloud/);
//     referrer-redirect — visitors who arrive from a search engine are sent
//     to the spam site, visitors who type the address see the page (Baidu's
//     烽火算法 on 跳转劫持, m.meyanliao.com/article/online/4403.html, and its
//     `document.referrer.includes('baidu.com')` example at
//     yunthe.com/news/630378.html);
//   - sixteen benign changes (sealedBenign): news only, and fifteen hard
//     ones, most of which hide links the way tampering does (carousel
//     slides with display:none linking public-sector sites, hidden tab
//     panes, a max-height accordion, an off-canvas menu, .sr-only links, a
//     focus skip link, a <template>, a hidden modal, noscript analytics
//     pixels, a display:none dropdown of government sites, lazy-loaded
//     images whose src is a transparent pixel, a hidden back-to-top link)
//     or name what the spam sells (anti-gambling and anti-porn campaign
//     news, a welfare-lottery notice).
//
// Composition: 6 sites × (33 technique variants + 4 extras) = 222 tampered
// pages carrying 146 hidden_link, 150 illicit_content, 6 cloaking and 6
// malicious_redirect labels, and 6 × 16 = 96 benign pages.
//
// Cases are built by genCases (the shared builder) plus sealedExtraCases
// for the four new techniques, and scored like runGenerated.

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"io"
	"math/rand"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"fenghuo/internal/browsertest"

	"github.com/chromedp/chromedp"
	"golang.org/x/net/html"
)

var genSealed = genSplit{
	name: "sealed",
	sites: []genSite{
		{"临江市市场监督管理局", "scjgj.linjiang.gov.cn", "局", tmplMarketBureau},
		{"清溪县融媒体中心", "www.qxrongmei.cn", "中心", tmplMediaCentre},
		{"桃源路小学", "m.tylxx.edu.cn", "学校", tmplSchoolWeChat},
		{"丰泽水务集团有限公司", "www.fzsw.com.cn", "集团", tmplWaterOutage},
		{"云溪区文化体育局", "tyj.yunxi.gov.cn", "局", tmplSportsCalendar},
		{"鹿鸣市图书馆", "opac.lmlib.org.cn", "馆", tmplLibraryOPAC},
	},
	hosts: []string{"www.ag8828.com", "m.sewu77.xyz", "www.bzkz-zj.com", "bingdu.ice-mall.top", "www.qzwb-shop.net",
		"tx.kaxian520.fun", "sf.mu-new.cn", "www.wdk520.cc", "47.243.101.58", "WWW.AMYH-365.COM"},
	spam: []string{"皇家赌场在线开户", "百家乐稳赢打法", "世界杯竞猜下注", "国产偷拍视频", "同城约炮平台", "代办身份证",
		"学历证书制作", "K粉货到付款", "大麻种子出售", "气枪铅弹出售", "花呗套现秒到", "奇迹MU私服开区", "黑户秒批贷款", "无抵押网贷口子"},
	neutral:    []string{"空调维修", "婚纱摄影", "宠物美容", "二手叉车"},
	linkCounts: []int{9, 11, 14, 18, 22, 50},
	idx:        5,
	variants:   sealedTechniques,
	benign:     sealedBenign,
}

func sealedStyled(tags []string, styles ...string) func(g *genCase) inject {
	return func(g *genCase) inject {
		tag := oneOf(g, tags...)
		return g.where(fmt.Sprintf(`<%s style="%s">%s</%s>`, tag, oneOf(g, styles...), g.payload, tag))
	}
}

// sealedBlocks are block containers that may hold the payload's <p>.
var sealedBlocks = []string{"div", "section", "article", "dd"}

// oneLine keeps a payload on one line (for text-indent and SVG text).
func oneLine(s string) string {
	return strings.NewReplacer("<p>", "", "</p>", "", "<br>", " ", "\n", " ").Replace(s)
}

// transparentGIF is the usual 1×1 transparent GIF.
const transparentGIF = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"

// sealedTechniques holds the sealed variant of every technique, by name.
// Each comment says why a browser does not show the payload.
var sealedTechniques = map[string]func(g *genCase) inject{
	// The last declaration wins; a comment is whitespace; tabs are spaces.
	"css-display-none": sealedStyled(sealedBlocks, "display:block;display:none", "display:/**/none", "margin:0 auto;\tdisplay:\tnone"),
	// content-visibility:hidden skips rendering the contents (Chrome 85,
	// Firefox 125, Safari 18); visibility:hidden with other properties.
	"css-visibility": sealedStyled(sealedBlocks, "content-visibility:hidden", "visibility:hidden;pointer-events:none;display:block"),
	// 1e-3 is a valid <number>; opacity is clamped to [0,1], so -0.5 is 0.
	"css-opacity": sealedStyled(sealedBlocks, "opacity:1e-3", "opacity:-0.5", "opacity:0.000;transition:none"),
	// Zero in units not used before; 0 is exempt from minimum font sizes.
	"css-tiny-font": sealedStyled(sealedBlocks, "font-size:0rem;line-height:0", "font-size:0.00vw;line-height:0", "font:normal 0px/0 Arial"),
	// Logical sizes (block-size is height in horizontal writing).
	"css-zero-box": sealedStyled(sealedBlocks, "block-size:0;overflow:hidden", "height:0;overflow-y:clip;width:100%", "inline-size:0;block-size:0;overflow:hidden"),
	// inset: top right bottom left; calc() beyond the viewport width.
	"css-offscreen": sealedStyled(sealedBlocks, "position:absolute;inset:-9999px auto auto -9999px", "position:absolute;left:calc(-100vw - 5000px);top:0"),
	// The indent covers more than the longest one-line payload (50 links).
	"css-text-indent": func(g *genCase) inject {
		tag := oneOf(g, "div", "dd")
		return g.where(fmt.Sprintf(`<%s style="%s">%s</%s>`, tag, oneOf(g, "text-indent:calc(-100% - 30000px);white-space:nowrap;overflow:hidden", "white-space:nowrap;text-indent:-6250em;overflow:hidden"), oneLine(g.payload), tag))
	},
	// A block shifted left by more than the payload's width.
	"css-margin": sealedStyled([]string{"div", "section"}, "margin-inline-start:-30000px", "margin:0 0 0 calc(-100vw - 20000px)"),
	// A zero ellipse; rect() with auto edges and zero width.
	"css-clip": sealedStyled(sealedBlocks, "clip-path: ellipse(0px 0px)", "position:absolute;clip:rect(auto 0px auto 0px)"),
	// A singular matrix and an edge-on rotation are not painted; scale is
	// the individual transform property.
	"css-transform": sealedStyled(sealedBlocks, "transform:matrix(0,0,0,0,0,0)", "transform:rotateX(90deg)", "scale:0"),
	"css-color": func(g *genCase) inject {
		if g.r.Intn(2) == 0 {
			// The glyph fill is transparent whatever the colour; the
			// anchors lose their underline (drawn in currentColor).
			return g.where(`<div style="-webkit-text-fill-color:transparent">` + strings.ReplaceAll(g.payload, "<a ", `<a style="text-decoration:none" `) + `</div>`)
		}
		return g.where(`<p style="color:hsl(210,20%,96%);background-color:hsl(210,20%,96%)">` + oneLine(strings.ReplaceAll(g.payload, "<a ", `<a style="color:hsl(210,20%,96%)" `)) + `</p>`)
	},
	"css-zindex": func(g *genCase) inject {
		if g.r.Intn(2) == 0 {
			// A positioned ::after paints over the non-positioned payload,
			// whose overflow is clipped to the cover's box.
			return inject{head: `<style>.cv` + g.id + `{position:relative;height:40px;overflow:hidden}.cv` + g.id + `::after{content:"";position:absolute;top:0;right:0;bottom:0;left:0;background:#fff}</style>`,
				foot: `<div class="cv` + g.id + `">` + g.payload + `</div>`}
		}
		// Both children share one grid cell; the positioned opaque one
		// with z-index 1 is on top.
		return g.where(`<div style="display:grid"><div style="grid-area:1/1;height:60px;overflow:hidden">` + g.payload + `</div><div style="grid-area:1/1;background:#ffffff;position:relative;z-index:1"></div></div>`)
	},
	"css-stylesheet-rule": func(g *genCase) inject {
		switch g.r.Intn(3) {
		case 0:
			return inject{head: `<style>@supports (display:grid){section.` + g.id + `{display:none}}</style>`, foot: `<section class="` + g.id + `">` + g.payload + `</section>`}
		case 1:
			return inject{head: `<style>[id^="` + g.id + `"]{visibility:hidden}</style>`, end: `<div id="` + g.id + `-box">` + g.payload + `</div>`}
		}
		return inject{head: `<style>.` + g.id + `:not(.show){position:absolute;left:-9000px}</style>`, top: `<div class="` + g.id + `">` + g.payload + `</div>`}
	},
	// until-found is hidden until find-in-page matches (and plain hidden
	// where it is not supported).
	"html-hidden-attr": func(g *genCase) inject {
		switch g.r.Intn(3) {
		case 0:
			return g.where(`<div hidden="until-found">` + g.payload + `</div>`)
		case 1:
			return g.where(`<footer hidden="hidden">` + g.payload + `</footer>`)
		}
		return g.where(`<ol hidden><li>` + g.payload + `</li></ol>`)
	},
	// With scripting on, <noscript> in the body renders nothing.
	"html-noscript": func(g *genCase) inject {
		if g.r.Intn(2) == 0 {
			return g.where(`<noscript><table class="fl"><tr><td>` + g.payload + `</td></tr></table></noscript>`)
		}
		return g.where(`<div class="bottom"><noscript><dl><dd>` + g.payload + `</dd></dl></noscript></div>`)
	},
	// A marquee clips its contents to its own box.
	"html-marquee": func(g *genCase) inject {
		return g.where(`<marquee ` + oneOf(g, `width="0%" height="0%"`, `style="max-width:0;max-height:0;overflow:hidden" behavior="alternate"`) + `>` + g.payload + `</marquee>`)
	},
	// A closed <details> shows only its summary (a default "Details" when
	// there is none).
	"html-details-closed": func(g *genCase) inject {
		return g.where(oneOf(g, `<details style="display:block"><div>`+g.payload+`</div></details>`,
			`<details class="fold"><summary hidden>.</summary><article>`+g.payload+`</article></details>`))
	},
	// A dialog without open is display:none whatever its other styles.
	"html-dialog-closed": func(g *genCase) inject {
		return g.where(oneOf(g, `<dialog aria-labelledby="t`+g.id+`"><form method="dialog"><div>`+g.payload+`</div></form></dialog>`,
			`<dialog style="width:600px;border:0">`+g.payload+`</dialog>`))
	},
	// Template contents are inert, also inside a table.
	"html-template": func(g *genCase) inject {
		return g.where(oneOf(g, `<table class="t"><template><tr><td>`+g.payload+`</td></tr></template></table>`,
			`<template data-role="row"><section>`+g.payload+`</section></template>`))
	},
	// Media fallback content is not rendered by browsers that support the
	// element; <audio> without controls is not rendered at all.
	"html-fallback-content": func(g *genCase) inject {
		return g.where(oneOf(g, `<video poster="/img/p.jpg" preload="none" width="320" height="180"><source src="/v/`+g.id+`.mp4" type="video/mp4">`+g.payload+`</video>`,
			`<audio preload="none"><source src="/a/`+g.id+`.mp3" type="audio/mpeg">`+g.payload+`</audio>`,
			`<canvas role="img" width="1" height="1"><nav>`+g.payload+`</nav></canvas>`))
	},
	// A zero-sized foreignObject clips (SVG UA style overflow:hidden);
	// clipPath children are never painted; text outside the viewBox is
	// clipped by the <svg>.
	"html-svg": func(g *genCase) inject {
		in := oneLine(g.payload)
		return g.where(oneOf(g, `<svg width="0" height="0" aria-hidden="true"><foreignObject width="0" height="0"><div>`+g.payload+`</div></foreignObject></svg>`,
			`<svg width="0" height="0"><clipPath id="c`+g.id+`"><text>`+in+`</text></clipPath></svg>`,
			`<svg viewBox="0 0 10 10" width="10" height="10"><text x="0" y="-100">`+in+`</text></svg>`))
	},
	// A transparent pixel, at natural size or half a pixel.
	"html-tiny-image-link": func(g *genCase) inject {
		var b strings.Builder
		for i, h := range g.hostList() {
			if i%2 == 0 {
				fmt.Fprintf(&b, `<a href="https://%s/" title="%s"><img src="%s" alt=""></a>`, h, g.textFor(i), transparentGIF)
			} else {
				fmt.Fprintf(&b, `<a href="http://%s/" title="%s"><img src="%s" style="width:0.5px;height:0.5px"></a>`, h, g.textFor(i), transparentGIF)
			}
		}
		return g.where(b.String())
	},
	// Areas are never rendered; a map used only by a transparent pixel
	// gives them a one-pixel target.
	"html-orphan-area": func(g *genCase) inject {
		var b strings.Builder
		used := g.r.Intn(2) == 0
		if used {
			b.WriteString(`<img src="` + transparentGIF + `" usemap="#u` + g.id + `" alt="">`)
		}
		b.WriteString(`<map name="u` + g.id + `">`)
		for i, h := range g.hostList() {
			if used {
				fmt.Fprintf(&b, `<area shape="poly" coords="0,0,1,0,1,1" href="https://%s/" alt="%s">`, h, g.textFor(i))
			} else {
				fmt.Fprintf(&b, `<area shape="rect" coords="0,0,1,1" tabindex="-1" href="http://%s/" title="%s">`, h, g.textFor(i))
			}
		}
		return g.where(b.String() + `</map>`)
	},
	"html-disguised-link": func(g *genCase) inject {
		st := oneOf(g, "all:unset", "color:currentColor;text-decoration-line:none;cursor:text")
		return g.where(`<div class="article-body">` + strings.ReplaceAll(g.payload, "<a ", `<a style="`+st+`" `) + `</div>`)
	},
	// Named references (&colon; &sol; &period;) and zero-padded numeric
	// ones, in a zero-height box.
	"html-entity-url": func(g *genCase) inject {
		var b strings.Builder
		named := g.r.Intn(2) == 0
		for i, h := range g.hostList() {
			u := "http://" + h + "/"
			var enc string
			if named {
				enc = strings.NewReplacer(":", "&colon;", "/", "&sol;", ".", "&period;").Replace(u)
			} else {
				var e strings.Builder
				for _, r := range u {
					fmt.Fprintf(&e, "&#%07d;", r)
				}
				enc = e.String()
			}
			fmt.Fprintf(&b, `<a href="%s">%s</a> `, enc, g.textFor(i))
		}
		return g.where(`<div style="height:0;overflow:hidden">` + b.String() + `</div>`)
	},
	"js-hide-by-id": func(g *genCase) inject {
		code := oneOf(g, `Object.assign(document.getElementById("`+g.id+`").style,{display:"none"});`,
			`document.getElementById("`+g.id+`").toggleAttribute("hidden",true);`,
			`requestAnimationFrame(function(){document.getElementById("`+g.id+`").style.visibility="hidden"});`,
			`document.querySelectorAll("[data-w='`+g.id+`']").forEach(function(e){e.style.display="none"});`)
		return inject{foot: `<div id="` + g.id + `" data-w="` + g.id + `">` + g.payload + `</div>`, end: `<script>` + code + `</script>`}
	},
	"js-split-write": func(g *genCase) inject {
		open := oneOf(g, `document.write('<div hidden>');`, `document.write("<"+"div style='clip-path:inset(50%);position:absolute'>");`)
		return g.where(`<script>` + open + `</script>` + g.payload + `<script>document.write("<\/div>");</script>`)
	},
	"js-write-hidden-block": func(g *genCase) inject {
		if g.r.Intn(2) == 0 {
			return g.where(`<script>document.currentScript.insertAdjacentHTML("afterend","` + jsString(`<div style="display:none">`+g.payload+`</div>`) + `");</script>`)
		}
		return g.where(`<script>document.body.append(document.createRange().createContextualFragment("` + jsString(`<section hidden>`+g.payload+`</section>`) + `"));</script>`)
	},
	// The decoded payload is written inside a hidden element.
	"js-encoded-write": func(g *genCase) inject {
		switch g.r.Intn(3) {
		case 0:
			var u strings.Builder
			for _, r := range g.plain {
				fmt.Fprintf(&u, `\u{%x}`, r)
			}
			return g.where(`<script>document.write('<div hidden>'+"` + u.String() + `"+'<\/div>');</script>`)
		case 1:
			// The plain text is reversed first and escaped after, so that
			// reversal cannot turn an escape like \" into "\.
			pr := []rune(g.plain)
			for i, j := 0, len(pr)-1; i < j; i, j = i+1, j-1 {
				pr[i], pr[j] = pr[j], pr[i]
			}
			return g.where(`<script>document.write("<div style='display:none'>"+"` + jsString(string(pr)) + `".split("").reverse().join("")+"<\/div>");</script>`)
		}
		return g.where(`<script>var b="` + b64(g.plain) + `";document.write('<div hidden>'+new TextDecoder().decode(Uint8Array.from(atob(b),function(c){return c.charCodeAt(0)}))+'<\/div>');</script>`)
	},
	"js-spider-only": func(g *genCase) inject {
		cond := oneOf(g, `/YisouSpider|Bytespider|Sogou web spider/i.test(navigator.userAgent)`,
			`["baiduspider","sogou","360spider"].some(function(b){return navigator.userAgent.toLowerCase().indexOf(b)>=0})`,
			`navigator.userAgent.search(/spider|bot/i)>-1`)
		return g.where(`<script>if(` + cond + `){document.write("` + jsString(g.plain) + `")}</script>`)
	},
	"html-frame-document": func(g *genCase) inject {
		if g.r.Intn(2) == 0 {
			return g.where(`<iframe hidden srcdoc="` + strings.ReplaceAll(g.payload, `"`, "&quot;") + `"></iframe>`)
		}
		return g.where(`<iframe style="opacity:0;position:absolute;width:1px;height:1px;border:0" src="data:text/html;charset=utf-8,` + percentEscape(g.payload) + `"></iframe>`)
	},
	"js-remove-or-class": func(g *genCase) inject {
		el := `<div id="` + g.id + `">` + g.payload + `</div>`
		switch g.r.Intn(3) {
		case 0:
			return inject{foot: el, end: `<script>document.getElementById("` + g.id + `").outerHTML="";</script>`}
		case 1:
			return inject{foot: el, end: `<script>document.getElementById("` + g.id + `").replaceWith(document.createComment(""));</script>`}
		}
		return inject{head: `<style>.x-` + g.id + `{display:none}</style>`, foot: el, end: `<script>document.getElementById("` + g.id + `").setAttribute("class","x-` + g.id + `");</script>`}
	},
	// Server-side cloaking where the spider copy shows the links openly:
	// only the spider gets them, so visitors never see them.
	"cloak-spider-copy": func(g *genCase) inject {
		g.spider = oneOf(g, `<div class="friend-links"><span>友情链接：</span>`+g.payload+`</div>`, `<section class="partners">`+g.payload+`</section>`)
		return inject{}
	},
}

// tmplMarketBureau: a market-regulation bureau portal: a notice list, a
// service-guide table whose window numbers change daily, a complaints
// counter, a site-group dropdown hidden until hover.
func tmplMarketBureau(s genSite, day int, in inject) string {
	r := dayRand(s, day)
	var guide strings.Builder
	for i, it := range [][2]string{{"个体工商户设立登记", "1个工作日"}, {"食品经营许可", "10个工作日"}, {"计量器具强制检定", "5个工作日"}, {"特种设备使用登记", "15个工作日"}} {
		fmt.Fprintf(&guide, `<tr><td>%d</td><td><a href="/bszn/%d.html">%s</a></td><td>%s</td><td>政务服务中心%d号窗口</td><td><a href="/bszn/%d.html#bg">表格下载</a></td></tr>`, i+1, 300+i, it[0], it[1], (day+i)%12+1, 300+i)
	}
	return fmt.Sprintf(`<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>%[1]s</title>
<style>.zq ul{display:none}.zq:hover ul{display:block}.guide td{border:1px solid #ccc}</style>%[4]s</head>
<body><div class="top"><a href="/"><img src="/images/logo.png" alt="%[1]s"></a><div class="zq"><span>站群导航</span><ul><li><a href="/qx/">区县分局</a></li><li><a href="/zsdw/">直属单位</a></li></ul></div></div>%[5]s
<div class="banner"><p>投诉举报请拨打12315，今日已受理%[6]d件</p></div>
<div class="cols"><div class="tzgg"><h2>通知公告</h2><ul>%[3]s</ul></div>
<div class="bszn"><h2>办事指南</h2><table class="guide"><tr><th>序号</th><th>事项名称</th><th>承诺时限</th><th>办理地点</th><th>表格</th></tr>%[7]s</table></div></div>
<div class="foot"><p>主办：%[1]s 地址：新华路%[8]d号</p><p><a href="https://beian.miit.gov.cn/">X ICP备%[9]d号</a> <a href="https://www.samr.gov.cn/">国家市场监督管理总局</a></p>%[10]s</div>%[11]s</body></html>`,
		s.name, day, genNews(r, s, day, 9, `<li><a href="%s">%s</a><span>2025-07-%02d</span></li>`), in.head, in.top, 30+(day*17)%90, guide.String(), 100+len(s.host), 41000000+len(s.host), in.foot, in.end)
}

// tmplMediaCentre: a county media centre: a live banner, a news list, a
// video column with thumbnails and durations that change daily, and a
// <video> with its own fallback sentence.
func tmplMediaCentre(s genSite, day int, in inject) string {
	r := dayRand(s, day)
	var vids strings.Builder
	for i := 0; i < 4; i++ {
		n := day*4 + i
		fmt.Fprintf(&vids, `<li class="v"><a href="/sp/%d.html"><img src="/upload/sp/%d.jpg" alt="视频"><span class="dur">0%d:%02d</span></a><p><a href="/sp/%d.html">《清溪新闻》第%d期</a></p></li>`, n, n, 2+i, (day*7+i*13)%60, n, n)
	}
	return fmt.Sprintf(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>%[1]s</title>%[4]s</head>
<body><header><a href="/" class="logo">%[1]s</a><nav><a href="/xw/">新闻</a> <a href="/sp/">视频</a> <a href="/zb/">直播</a> <a href="/ds/">电视</a></nav></header>%[5]s
<div class="live"><a href="/zb/"><img src="/img/live.jpg" alt="直播"></a><p>正在直播：第%[2]d期《清溪新闻》</p></div>
<div class="main"><section class="news"><h2>清溪要闻</h2><ul>%[3]s</ul></section>
<section class="video"><h2>视频专栏</h2><ul>%[6]s</ul><video controls width="480" height="270" poster="/img/v%[2]d.jpg"><source src="/media/xw%[2]d.mp4" type="video/mp4">您的浏览器不支持视频播放。</video></section></div>
<footer><p>%[1]s 版权所有 新闻热线：0000-%[7]d</p><p><a href="https://beian.miit.gov.cn/">X ICP备%[8]d号</a></p>%[9]s</footer>%[10]s</body></html>`,
		s.name, day, genNews(r, s, day, 10, `<li><a href="%s">%s</a> <i>7月%d日</i></li>`), in.head, in.top, vids.String(), 7000000+len(s.host), 42000000+len(s.host), in.foot, in.end)
}

// tmplSchoolWeChat: a primary school article in the WeChat official
// account layout (viewport meta, rich_media blocks, read and like counts
// that change daily, a QR box shown only on wide screens).
func tmplSchoolWeChat(s genSite, day int, in inject) string {
	r := dayRand(s, day)
	return fmt.Sprintf(`<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1,maximum-scale=1,user-scalable=no"><title>%[1]s | 开学第%[2]d天：我们的校园生活</title>
<style>.rich_media_meta{color:#576b95}.qr_code_pc{display:none}@media (min-width:1024px){.qr_code_pc{display:block}}</style>%[4]s</head>
<body class="wx"><div class="rich_media">%[5]s<h1 class="rich_media_title">开学第%[2]d天：我们的校园生活</h1>
<div class="rich_media_meta_list"><span class="rich_media_meta">%[1]s</span> <em>2025-09-%02[6]d</em></div>
<div class="rich_media_content" id="js_content"><p>同学们在老师的带领下开展了丰富多彩的活动。</p><p><img data-src="/mmbiz/%[2]d-1.jpg" src="/mmbiz/%[2]d-1.jpg" style="width:100%%" alt=""></p><p>本周升旗仪式由%[7]d班承担，主题为“安全伴我行”。</p><ul>%[3]s</ul></div>
<div class="rich_media_tool"><a href="/yd/%[2]d.html">阅读原文</a> <span>阅读 %[8]d</span> <span>在看 %[9]d</span></div>
<div class="qr_code_pc"><img src="/img/qrcode.jpg" alt="微信扫一扫关注该公众号"><p>微信扫一扫<br>关注该公众号</p></div>
<div class="foot"><p>%[1]s 地址：桃源路%[10]d号</p><p><a href="https://beian.miit.gov.cn/">X ICP备%[11]d号</a></p>%[12]s</div></div>%[13]s</body></html>`,
		s.name, day, genNews(r, s, day, 5, `<li><a href="%s">%s</a> %d</li>`), in.head, in.top, day%28+1, 100+day%6*100+day%9, 300+day*37, 10+day%50, 18, 43000000+len(s.host), in.foot, in.end)
}

// tmplWaterOutage: a water-supply company: an outage notice table whose
// areas and hours change daily, payment links, a news list.
func tmplWaterOutage(s genSite, day int, in inject) string {
	r := dayRand(s, day)
	var rows strings.Builder
	areas := []string{"东城片区", "滨江路沿线", "开发区北区", "南湖新村", "工业园三期"}
	for i := 0; i < 3; i++ {
		fmt.Fprintf(&rows, `<tr><td>%s</td><td>7月%d日 %02d:00—%02d:00</td><td>%s</td><td><a href="/tsgg/%d-%d.html">详情</a></td></tr>`, areas[(day+i)%len(areas)], day%28+1, 8+i*4, 12+i*4, []string{"管网改造", "阀门检修", "水表更换"}[(day+i)%3], day, i)
	}
	return fmt.Sprintf(`<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>%[1]s - 停水公告</title>%[4]s</head>
<body><div class="hd"><a href="/"><img src="/img/logo.png" alt="%[1]s"></a><span>24小时客服热线：96%[6]d</span><a href="/pay/">网上缴费</a> <a href="/bz/">用水报装</a></div>%[5]s
<div class="notice"><h2>计划停水公告</h2><table class="outage"><tr><th>停水区域</th><th>停水时间</th><th>原因</th><th></th></tr>%[7]s</table><p>停水期间请提前储水，给您带来不便敬请谅解。</p></div>
<div class="news"><h2>水务动态</h2><ul>%[3]s</ul></div>
<div class="ft"><p>%[1]s 地址：滨江路%[8]d号</p><p><a href="https://beian.miit.gov.cn/">X ICP备%[9]d号</a> <a href="http://www.mwr.gov.cn/">中华人民共和国水利部</a></p>%[10]s</div>%[11]s</body></html>`,
		s.name, day, genNews(r, s, day, 6, `<li><a href="%s">%s</a> 07-%02d</li>`), in.head, in.top, 100+len(s.host), rows.String(), 60+day%9, 44000000+len(s.host), in.foot, in.end)
}

// tmplSportsCalendar: a sports bureau's month calendar of events with
// registration counts that change daily, and a notice list.
func tmplSportsCalendar(s genSite, day int, in inject) string {
	r := dayRand(s, day)
	events := []string{"全民健身长跑", "社区篮球联赛", "老年门球邀请赛", "青少年游泳培训", "乒乓球公开赛", "广场舞展演"}
	var cal strings.Builder
	cal.WriteString(`<tr><th>一</th><th>二</th><th>三</th><th>四</th><th>五</th><th>六</th><th>日</th></tr>`)
	for w := 0; w < 5; w++ {
		cal.WriteString("<tr>")
		for d := 0; d < 7; d++ {
			n := w*7 + d + 1
			switch {
			case n > 31:
				cal.WriteString("<td></td>")
			case n%5 == 0:
				fmt.Fprintf(&cal, `<td class="ev"><b>%d</b><a href="/ss/%d.html">%s</a><small>已报名%d人</small></td>`, n, n, events[(n/5)%len(events)], (n*13+day*3)%200)
			default:
				fmt.Fprintf(&cal, `<td><b>%d</b></td>`, n)
			}
		}
		cal.WriteString("</tr>")
	}
	return fmt.Sprintf(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>%[1]s - 赛事日历</title>%[4]s</head>
<body><div class="head"><a href="/">%[1]s</a> <a href="/ss/">赛事活动</a> <a href="/cg/">场馆预约</a> <a href="/tzgg/">通知公告</a></div>%[5]s
<h2>2025年8月赛事日历（更新于8月%[6]d日）</h2><table class="cal" border="1">%[7]s</table>
<div class="tz"><h3>通知公告</h3><ul>%[3]s</ul></div>
<div class="foot"><p>%[1]s 主办 联系电话：0000-%[8]d</p><p><a href="https://beian.miit.gov.cn/">X ICP备%[9]d号</a> <a href="https://www.sport.gov.cn/">国家体育总局</a></p>%[10]s</div>%[11]s</body></html>`,
		s.name, day, genNews(r, s, day, 7, `<li><a href="%s">%s</a> (08-%02d)</li>`), in.head, in.top, day%30+1, cal.String(), 8000000+len(s.host), 45000000+len(s.host), in.foot, in.end)
}

// tmplLibraryOPAC: a public library catalogue front page: a search form
// with a field <select>, new books with call numbers and copies on the
// shelf (changing daily), opening hours and notices.
func tmplLibraryOPAC(s genSite, day int, in inject) string {
	r := dayRand(s, day)
	books := [][3]string{{"人世间", "梁晓声", "I247.5/1234"}, {"三体", "刘慈欣", "I247.55/88"}, {"乡土中国", "费孝通", "C912.82/6"}, {"额尔古纳河右岸", "迟子建", "I247.5/2051"}, {"长安的荔枝", "马伯庸", "I247.5/3317"}, {"置身事内", "兰小欢", "F123.1/52"}}
	var nb strings.Builder
	for i := 0; i < 4; i++ {
		b := books[(day+i)%len(books)]
		fmt.Fprintf(&nb, `<tr><td><a href="/opac/item.php?marc_no=%010d">%s</a></td><td>%s</td><td>%s</td><td>%d/3</td></tr>`, (day+i)*7919%1000000, b[0], b[1], b[2], (day+i)%4)
	}
	return fmt.Sprintf(`<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>%[1]s书目检索系统</title>%[4]s</head>
<body><div id="header"><a href="/opac/">%[1]s OPAC</a> <a href="/reader/login.php">我的图书馆</a> <a href="/opac/newbook.php">新书通报</a></div>%[5]s
<form action="/opac/openlink.php" method="get"><select name="strSearchType"><option value="title">题名</option><option value="author">责任者</option><option value="isbn">ISBN/ISSN</option><option value="callno">索书号</option></select><input name="strText" placeholder="请输入检索词"><button type="submit">检索</button></form>
<h3>新书通报</h3><table class="nb"><tr><th>题名</th><th>责任者</th><th>索书号</th><th>在架</th></tr>%[6]s</table>
<div class="hours"><h3>开放时间</h3><p>周二至周日 9:00—20:30，今日入馆%[7]d人次</p></div>
<div class="gg"><h3>馆内公告</h3><ul>%[3]s</ul></div>
<div id="footer"><p>%[1]s 地址：文昌路%[8]d号</p><p><a href="https://beian.miit.gov.cn/">X ICP备%[9]d号</a> <a href="https://www.nlc.cn/">国家图书馆</a></p>%[10]s</div>%[11]s</body></html>`,
		s.name, day, genNews(r, s, day, 5, `<li><a href="%s">%s</a> %d日</li>`), in.head, in.top, nb.String(), 800+day*31%700, 200+len(s.host), 46000000+len(s.host), in.foot, in.end)
}

// sealedBenign are legitimate later edits, most of which hide links or
// text the way tampering does, and news that names what the spam sells.
var sealedBenign = []benignChange{
	{"news-only", func(g *genCase) inject { return inject{} }},
	// Carousel slides hidden by display:none, linking public-sector sites.
	{"carousel-gov-slides", func(g *genCase) inject {
		return inject{top: `<div class="slider"><div class="slide on"><a href="/zt/2025/"><img src="/img/s1.jpg" alt="专题"></a></div><div class="slide" style="display:none"><a href="https://www.samr.gov.cn/"><img src="/img/s2.jpg" alt="国家市场监督管理总局"></a></div><div class="slide" style="display:none"><a href="https://www.12315.cn/"><img src="/img/s3.jpg" alt="全国12315平台"></a></div></div><script>var sl=document.querySelectorAll(".slide"),si=0;setInterval(function(){sl[si].style.display="none";si=(si+1)%sl.length;sl[si].style.display="block"},5000);</script>`}
	}},
	{"aria-tab-panes", func(g *genCase) inject {
		return inject{foot: `<div role="tablist"><button role="tab" aria-selected="true" aria-controls="tp1">政策法规</button><button role="tab" aria-selected="false" aria-controls="tp2">解读回应</button></div><div role="tabpanel" id="tp1"><a href="/zcfg/1.html">政策法规一</a></div><div role="tabpanel" id="tp2" hidden><a href="/jdhy/1.html">政策解读</a> <a href="https://www.gov.cn/zhengce/">国务院政策文件库</a></div>`}
	}},
	{"accordion-max-height", func(g *genCase) inject {
		return inject{head: `<style>.acc .bd{max-height:0;overflow:hidden;transition:max-height .3s}.acc.open .bd{max-height:500px}</style>`,
			foot: `<div class="acc"><h4>常见问题</h4><div class="bd"><p>办理流程详见<a href="/faq/1.html">办事指南</a>，税费问题请咨询<a href="https://www.chinatax.gov.cn/">国家税务总局</a>。</p></div></div><script>document.querySelector(".acc h4").onclick=function(){this.parentNode.classList.toggle("open")};</script>`}
	}},
	{"off-canvas-menu", func(g *genCase) inject {
		return inject{head: `<style>.oc{position:fixed;top:0;left:0;width:260px;height:100%;transform:translateX(-100%);transition:transform .3s}.oc.show{transform:none}</style>`,
			top: `<button class="menu-btn" aria-controls="oc">菜单</button><nav class="oc" id="oc"><a href="/">首页</a> <a href="/gk/">信息公开</a> <a href="https://www.gjzwfw.gov.cn/">国家政务服务平台</a></nav>`,
			end: `<script>document.querySelector(".menu-btn").onclick=function(){document.getElementById("oc").classList.toggle("show")};</script>`}
	}},
	{"sr-only-links", func(g *genCase) inject {
		return inject{head: `<style>.sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0}</style>`,
			top: `<a href="/wza/"><i class="ico-wza"></i><span class="sr-only">无障碍阅读</span></a> <a href="https://www.12377.cn/"><img src="/img/jb.png" alt=""><span class="sr-only">违法和不良信息举报中心</span></a>`}
	}},
	{"skip-link-focus", func(g *genCase) inject {
		return inject{head: `<style>.skip{position:absolute;top:-40px;left:0;background:#000;color:#fff}.skip:focus{top:0}</style>`, top: `<a class="skip" href="#main">跳过导航，直达正文</a>`}
	}},
	{"template-rows", func(g *genCase) inject {
		return inject{end: `<template id="tpl-item"><li><a class="t" href="/xw/detail.html"></a><span class="d"></span></li></template>`}
	}},
	{"hidden-modal", func(g *genCase) inject {
		return inject{end: `<div class="modal fade" id="m-` + g.id + `" tabindex="-1" aria-hidden="true" style="display:none"><div class="modal-dialog"><p>在线留言</p><a href="/ly/add.html">我要留言</a> <a href="/ly/list.html">留言选登</a> <a href="https://liuyan.people.com.cn/">人民网领导留言板</a></div></div>`}
	}},
	{"noscript-analytics", func(g *genCase) inject {
		return inject{end: `<noscript><img src="https://pingjs.qq.com/ping.gif?si=500123456&amp;nojs=1" width="1" height="1" style="display:none" alt=""><img src="https://ia.51.la/go1?id=21987654&amp;pvFlag=1" style="border:none" width="0" height="0" alt=""></noscript>`}
	}},
	{"gov-sites-dropdown", func(g *genCase) inject {
		return inject{foot: `<div class="links" onmouseover="this.lastChild.style.display='block'" onmouseout="this.lastChild.style.display='none'"><span>政府网站</span><ul style="display:none"><li><a href="https://www.gov.cn/">中国政府网</a></li><li><a href="https://www.samr.gov.cn/">国家市场监督管理总局</a></li><li><a href="https://www.sport.gov.cn/">国家体育总局</a></li><li><a href="https://www.nlc.cn/">国家图书馆</a></li></ul></div>`}
	}},
	{"anti-gambling-campaign", func(g *genCase) inject {
		return inject{top: `<div class="tip"><a href="/xw/dbzx.html">我市开展打击跨境赌博和电信网络诈骗专项行动</a>：依法查处网络赌博、“跑分”洗钱、非法网络借贷、信用卡套现等违法犯罪活动，举报电话110。</div>`}
	}},
	{"anti-porn-campaign", func(g *genCase) inject {
		return inject{top: `<p class="notice">“净网2025”专项行动：严厉打击网上淫秽色情、贩卖毒品枪支、制售假证、私服外挂等违法信息，欢迎通过<a href="https://www.12377.cn/">违法和不良信息举报中心</a>举报。</p>`}
	}},
	{"welfare-lottery-notice", func(g *genCase) inject {
		return inject{foot: `<div class="notice"><a href="/tzgg/fc2025.html">关于2025年度福利彩票公益金资助项目的公示</a> 详见<a href="https://www.cwl.gov.cn/">中国福利彩票</a>。理性购彩，未成年人不得购买彩票。</div>`}
	}},
	// Lazy-loaded pictures: a transparent pixel until the real image is
	// loaded, sized by a stylesheet rule, linking own pages.
	{"lazy-image-list", func(g *genCase) inject {
		var b strings.Builder
		b.WriteString(`<ul class="pics">`)
		for i := 1; i <= 4; i++ {
			fmt.Fprintf(&b, `<li><a href="/hd/%d.html"><img class="lazy" src="%s" data-original="/upload/hd%d.jpg" alt="活动剪影%d"></a></li>`, i, transparentGIF, i, i)
		}
		return inject{head: `<style>.pics li img{width:220px;height:140px}</style>`, foot: b.String() + `</ul>`, end: `<script>document.querySelectorAll("img.lazy").forEach(function(i){i.src=i.getAttribute("data-original")});</script>`}
	}},
	{"back-to-top", func(g *genCase) inject {
		return inject{end: `<a href="#top" id="gotop" style="display:none" title="返回顶部">▲</a><script>window.onscroll=function(){document.getElementById("gotop").style.display=scrollY>300?"block":"none"};</script>`}
	}},
}

// sealedExtra is a technique that `techniques` does not have. gen returns
// what to inject and, when the technique edits the page's own markup, a
// function that rewrites the built page.
type sealedExtra struct {
	name  string
	kinds []string
	gen   func(g *genCase) (inject, func(page string) string)
}

var sealedPhrases = []string{"加强日常监管", "优化办事流程", "提升服务效能", "畅通投诉渠道", "强化部门协同"}

var titleRE = regexp.MustCompile(`<title>([^<]*)</title>`)

// sealedExtras: see the file comment for the sources.
var sealedExtras = []sealedExtra{
	// Each link's anchor is one punctuation mark, coloured like the prose
	// around it; the spam words ride in title (as in html-tiny-image-link).
	{"punct-anchor-link", []string{KindHiddenLink, KindIllicitContent}, func(g *genCase) (inject, func(string) string) {
		marks := []string{"。", "，", "、", "-", "·"}
		var b strings.Builder
		b.WriteString(`<p class="intro">为进一步优化营商环境`)
		for i, h := range g.hostList() {
			fmt.Fprintf(&b, `%s<a href="http://%s/" title="%s" style="color:inherit;text-decoration:none">%s</a>`, sealedPhrases[i%len(sealedPhrases)], h, g.textFor(i), marks[i%len(marks)])
		}
		b.WriteString(`请广大群众予以支持配合。</p>`)
		return g.where(b.String()), nil
	}},
	// Transparent 1×1 images whose alt text carries the spam; the image
	// loads (a data URI), so the alt text is never shown.
	{"alt-stuffed-spacer", []string{KindIllicitContent}, func(g *genCase) (inject, func(string) string) {
		var b strings.Builder
		for i := range g.hostList() {
			fmt.Fprintf(&b, `<img src="%s" width="1" height="1" alt="%s">`, transparentGIF, g.textFor(i))
		}
		return g.where(b.String()), nil
	}},
	// The title becomes entity-encoded spam and keywords/description
	// metas are added; a script puts the real title back for visitors.
	{"title-meta-hijack", []string{KindIllicitContent}, func(g *genCase) (inject, func(string) string) {
		n := len(g.hostList())
		if n > 4 {
			n = 4
		}
		var words []string
		for i := 0; i < n; i++ {
			words = append(words, g.textFor(i))
		}
		var enc strings.Builder
		for _, r := range strings.Join(words, "_") {
			fmt.Fprintf(&enc, "&#x%X;", r)
		}
		return inject{}, func(page string) string {
			m := titleRE.FindStringSubmatchIndex(page)
			orig := page[m[2]:m[3]]
			return page[:m[0]] + `<title>` + enc.String() + `</title><meta name="keywords" content="` + strings.Join(words, ",") + `"><meta name="description" content="` + strings.Join(words, "，") + `，24小时在线"><script>document.title="` + jsString(orig) + `";</script>` + page[m[1]:]
		}
	}},
	// Visitors arriving from a search engine are sent to the spam site.
	{"referrer-redirect", []string{KindMaliciousRedirect}, func(g *genCase) (inject, func(string) string) {
		h := g.firstHost()
		code := oneOf(g, `var r=document.referrer;if(/baidu\.com|sogou\.com|so\.com|sm\.cn/i.test(r)){window.location.href="https://`+h+`/"}`,
			`if(document.referrer.indexOf("baidu.com")>-1||document.referrer.indexOf("m.sm.cn")>-1){top.location.replace("http://`+h+`/?from=`+g.id+`")}`)
		return inject{head: `<script>` + code + `</script>`}, nil
	}},
}

// sealedExtraCases builds the extra techniques on every site, with spam
// links as payload.
func sealedExtraCases() []genLabelled {
	var out []genLabelled
	for si, s := range genSealed.sites {
		for ei, e := range sealedExtras {
			r := rand.New(rand.NewSource(int64(genSealed.idx*700000 + si*100 + ei + 31)))
			payload, p := buildPayload(r, genSealed, payloadSpamLinks, true)
			genCurrent = p
			g := &genCase{r: r, split: genSealed.idx, payload: payload, plain: payload, id: fmt.Sprintf("e%x", r.Int63()%0xfffff)}
			in, post := e.gen(g)
			page := s.tmpl(s, 60+ei, in)
			if post != nil {
				page = post(page)
			}
			out = append(out, genLabelled{site: s.host, name: e.name, kinds: e.kinds, html: []byte(page), baselineFor: s})
		}
	}
	return out
}

// sealedCases is the whole split: every technique's sealed variant and
// every benign change on every site (genCases), then the extras.
func sealedCases() []genLabelled {
	return append(genCases(genSealed), sealedExtraCases()...)
}

// scoreSealed checks every case like runGenerated does (Check on every
// case, with the spider copy when there is one; Check and Analyze on every
// benign case) and logs the per-kind table and the techniques with misses.
func scoreSealed(t *testing.T, name string, cases []genLabelled, sites int) (labelled, found map[string]int, falseAlarms int) {
	baselines := map[string]*Baseline{}
	labelled, found = map[string]int{}, map[string]int{}
	benign := 0
	byTech := map[string][2]int{}
	for _, c := range cases {
		b := baselines[c.site]
		if b == nil {
			b = genBaseline(t, c.baselineFor)
			baselines[c.site] = b
		}
		browser := Page{URL: "http://" + c.site + "/", HTML: c.html}
		var spider *Page
		if c.spider != nil {
			spider = &Page{URL: browser.URL, HTML: c.spider}
		}
		rep := Check(b, browser, spider)
		if len(c.kinds) == 0 {
			benign++
			if rep.Verdict != VerdictClean {
				falseAlarms++
				t.Logf("%s: false alarm on %s (%s): %+v", name, c.site, c.name, rep.Findings)
			}
			if rep := Analyze(browser); rep.Verdict != VerdictClean {
				falseAlarms++
				t.Logf("%s: Analyze flags benign %s (%s): %+v", name, c.site, c.name, rep.Findings)
			}
			continue
		}
		got := map[string]bool{}
		for _, k := range rep.Kinds() {
			got[k] = true
		}
		tt := byTech[c.name]
		for _, k := range c.kinds {
			labelled[k]++
			tt[1]++
			if got[k] {
				found[k]++
				tt[0]++
			} else {
				t.Logf("%s: miss %s on %s (%s); got %v", name, k, c.site, c.name, rep.Kinds())
			}
		}
		byTech[c.name] = tt
	}
	var tb strings.Builder
	fmt.Fprintf(&tb, "\n%-20s %6s %6s %8s   generated corpus, %s split (%d sites)\n", "kind", "cases", "found", "recall", name, sites)
	var kinds []string
	for k := range labelled {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		fmt.Fprintf(&tb, "%-20s %6d %6d %7.1f%%\n", k, labelled[k], found[k], 100*float64(found[k])/float64(labelled[k]))
	}
	fmt.Fprintf(&tb, "clean cases: %d, false alarms: %d (%s, Check and Analyze)\n", benign, falseAlarms, name)
	var names []string
	for n := range byTech {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if v := byTech[n]; v[0] < v[1] {
			fmt.Fprintf(&tb, "  technique %-24s %d/%d labels found\n", n, v[0], v[1])
		}
	}
	t.Log(tb.String())
	return labelled, found, falseAlarms
}

// sealedLabels is the number of labels per kind the split holds, and
// sealedBenignPages the number of benign pages (six sites × sixteen
// changes). TestSealedSplitWellFormed fails when the generator changes
// them.
var sealedLabels = map[string]int{
	KindHiddenLink:        146,
	KindIllicitContent:    150,
	KindCloaking:          6,
	KindMaliciousRedirect: 6,
}

const sealedBenignPages = 6 * 16

// TestGeneratedCorpusSealed measures the detector on the sealed split.
// Nobody ran the detector on it while the split was written. Its first run
// (after the detector changes of the tuning2 split, 2026-12-07) found
// hidden_link 104/146, illicit_content 144/150, cloaking 6/6,
// malicious_redirect 6/6 and 11 false alarms. The miss classes were then
// handled in general (generators in gen_tuning3_test.go; none of this
// split's cases was changed): the floors below are the counts after that
// work, so that a regression shows; it is no longer a first-run measure
// (docs/tamper.md).
func TestGeneratedCorpusSealed(t *testing.T) {
	labelled, found, falseAlarms := scoreSealed(t, genSealed.name, sealedCases(), len(genSealed.sites))
	for k, n := range sealedLabels {
		if labelled[k] != n {
			t.Errorf("sealed: %d %s labels scored, want %d", labelled[k], k, n)
		}
	}
	for k, floor := range sealedFloors {
		if found[k] < floor {
			t.Errorf("sealed: %s found %d/%d, below the floor %d", k, found[k], labelled[k], floor)
		}
	}
	if falseAlarms > sealedMaxFalseAlarms {
		t.Errorf("sealed: %d false alarms, more than the floor's %d", falseAlarms, sealedMaxFalseAlarms)
	}
}

// sealedFloors are the sealed split's current counts (the first run's
// were 104, 144, 6, 6 with 11 false alarms; docs/tamper.md has both rows);
// raise them as the detector improves.
var sealedFloors = map[string]int{
	KindHiddenLink:        146,
	KindIllicitContent:    150,
	KindCloaking:          6,
	KindMaliciousRedirect: 6,
}

const sealedMaxFalseAlarms = 0

// sealedDecodings returns the page and the forms a browser would decode
// from it (character references, percent escapes, base64, JS \u{…}
// escapes, reversed strings), so a spam string hidden by encoding can be
// found without running the detector.
func sealedDecodings(page string) []string {
	out := []string{page, html.UnescapeString(page)}
	pct := regexp.MustCompile(`(?:%[0-9A-Fa-f]{2})+`)
	out = append(out, pct.ReplaceAllStringFunc(page, func(m string) string {
		if s, err := url.PathUnescape(m); err == nil {
			return s
		}
		return m
	}))
	for _, m := range regexp.MustCompile(`[A-Za-z0-9+/]{16,}={0,2}`).FindAllString(page, -1) {
		if b, err := base64.StdEncoding.DecodeString(m); err == nil {
			out = append(out, string(b))
		}
	}
	out = append(out, regexp.MustCompile(`\\u\{([0-9a-fA-F]+)\}`).ReplaceAllStringFunc(page, func(m string) string {
		n, err := strconv.ParseInt(m[3:len(m)-1], 16, 32)
		if err != nil {
			return m
		}
		return string(rune(n))
	}))
	rs := []rune(page)
	for i, j := 0, len(rs)-1; i < j; i, j = i+1, j-1 {
		rs[i], rs[j] = rs[j], rs[i]
	}
	return append(out, string(rs))
}

// sealedHasSpam reports whether one of the split's hosts or words is in
// the page or in one of its decodings.
func sealedHasSpam(page string) bool {
	for _, d := range sealedDecodings(page) {
		d = strings.ToLower(d)
		for _, h := range genSealed.hosts {
			if strings.Contains(d, strings.ToLower(h)) {
				return true
			}
		}
		for _, w := range append(append([]string{}, genSealed.spam...), genSealed.neutral...) {
			if strings.Contains(d, strings.ToLower(w)) {
				return true
			}
		}
	}
	return false
}

// sealedParses parses a page with golang.org/x/net/html, both as a tree
// and token by token to the end.
func sealedParses(page []byte) error {
	if _, err := html.Parse(strings.NewReader(string(page))); err != nil {
		return err
	}
	z := html.NewTokenizer(strings.NewReader(string(page)))
	for z.Next() != html.ErrorToken {
	}
	if err := z.Err(); err != io.EOF {
		return err
	}
	return nil
}

// TestSealedSplitWellFormed checks the split without running the
// detector: every case labelled, the label counts, every page parses,
// spam in every tampered page (or its spider copy) and no spam host in any
// benign page.
func TestSealedSplitWellFormed(t *testing.T) {
	cases := sealedCases()
	labelled := map[string]int{}
	perTech := map[string]int{}
	benign := 0
	seen := map[string]bool{}
	for _, c := range cases {
		key := c.site + " " + c.name
		if seen[key] {
			t.Errorf("%s: two cases", key)
		}
		seen[key] = true
		if c.name == "" || c.site == "" {
			t.Errorf("case without a name or site: %q %q", c.site, c.name)
		}
		checkSplitPage(t, key, c.html, c.baselineFor.name)
		checkSplitPage(t, key, c.spider, c.baselineFor.name)
		if len(c.kinds) == 0 {
			benign++
			checkBenignFree(t, key, c.html, genSealed.hosts)
			continue
		}
		perTech[c.name]++
		for _, k := range c.kinds {
			labelled[k]++
		}
		if !sealedHasSpam(string(c.html) + string(c.spider)) {
			t.Errorf("%s: tampered page holds none of the split's spam hosts or words", key)
		}
		if c.spider != nil && sealedHasSpam(string(c.html)) {
			t.Errorf("%s: cloaking case whose browser copy holds the spam", key)
		}
	}
	checkSplitLabels(t, labelled, sealedLabels, false)
	if benign != sealedBenignPages || len(sealedBenign) != 16 {
		t.Errorf("%d benign pages from %d changes, want %d from 16", benign, len(sealedBenign), sealedBenignPages)
	}
	for _, tq := range techniques {
		if perTech[tq.name] != len(genSealed.sites) {
			t.Errorf("technique %s: %d cases, want one per site (%d)", tq.name, perTech[tq.name], len(genSealed.sites))
		}
	}
	for _, e := range sealedExtras {
		if perTech[e.name] != len(genSealed.sites) {
			t.Errorf("extra technique %s: %d cases, want %d", e.name, perTech[e.name], len(genSealed.sites))
		}
	}
	if len(sealedTechniques) != len(techniques) {
		t.Errorf("%d sealed variants for %d techniques", len(sealedTechniques), len(techniques))
	}
	t.Logf("sealed split: %d cases, %d benign, labels %v", len(cases), benign, labelled)
}

// sealedVisibleByDesign are the techniques whose anchor text a visitor
// does see (only the link is disguised as prose or punctuation): the
// browser check leaves them out.
var sealedVisibleByDesign = map[string]bool{"html-disguised-link": true, "punct-anchor-link": true}

// sealedMutateJS rotates the characters of every text node that holds a
// spam word or sits in a link to a spam host (also in same-origin frames),
// and of every alt text that holds a spam word, and returns how many it
// changed. Rotating keeps the characters and so the text's width: a hidden
// text changes no pixel, a visible one does.
const sealedMutateJS = `(function(words, hosts){
  var n = 0;
  function has(s, list){ s = (s || "").toLowerCase(); for (var i = 0; i < list.length; i++) if (s.indexOf(list[i]) >= 0) return true; return false; }
  function inLink(node){ for (var e = node.parentElement; e; e = e.parentElement) { var h = e.getAttribute("href") || e.getAttribute("xlink:href"); if (h && has(h, hosts)) return true; } return false; }
  function rot(s){ var a = Array.from(s); if (a.length < 2) return s; a.push(a.shift()); return a.join(""); }
  function walk(doc){
    var w = doc.createTreeWalker(doc.documentElement, NodeFilter.SHOW_TEXT), t;
    while ((t = w.nextNode())) { if (has(t.data, words) || inLink(t)) { var r = rot(t.data); if (r !== t.data) { t.data = r; n++; } } }
    doc.querySelectorAll("img[alt]").forEach(function(i){ if (has(i.alt, words)) { i.alt = rot(i.alt); n++; } });
    doc.querySelectorAll("iframe").forEach(function(f){ try { if (f.contentDocument) walk(f.contentDocument); } catch (e) {} });
  }
  walk(document);
  return n;
})(%s, %s)`

// sealedPixelsDiffer counts the pixels of two PNG screenshots whose colour
// differs by more than 8 levels in a channel (text drawn in its own
// background colour differs by one level from rounding: no one can read
// it) and returns their bounding box.
func sealedPixelsDiffer(a, b []byte) (int, image.Rectangle, error) {
	ia, err := png.Decode(bytes.NewReader(a))
	if err != nil {
		return 0, image.Rectangle{}, err
	}
	ib, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		return 0, image.Rectangle{}, err
	}
	if ia.Bounds() != ib.Bounds() {
		return ia.Bounds().Dx() * ia.Bounds().Dy(), ia.Bounds().Union(ib.Bounds()), nil
	}
	n := 0
	var box image.Rectangle
	r := ia.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			r1, g1, b1, _ := ia.At(x, y).RGBA()
			r2, g2, b2, _ := ib.At(x, y).RGBA()
			for _, p := range [][2]uint32{{r1, r2}, {g1, g2}, {b1, b2}} {
				if d := int(p[0]>>8) - int(p[1]>>8); d > 8 || d < -8 {
					n++
					box = box.Union(image.Rect(x, y, x+1, y+1))
					break
				}
			}
		}
	}
	return n, box, nil
}

// sealedChromium is the Chromium to use, or "".
func sealedChromium() string {
	if p := os.Getenv("FENGHUO_TEST_CHROMIUM"); p != "" {
		return p
	}
	for _, p := range []string{"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}

// TestSealedSplitHiddenInChromium checks, without the detector, that
// every tampered page of the split really hides its payload from a
// visitor: each page is served on loopback to headless Chromium, given a
// moment for its scripts, screenshotted, its spam texts rotated in place,
// and screenshotted again; the two must not differ. A control page with
// the payload left visible must differ. It takes minutes on two cores, so
// it runs only with FENGHUO_TAMPER_BROWSER=1 and a Chromium.
func TestSealedSplitHiddenInChromium(t *testing.T) {
	if os.Getenv("FENGHUO_TAMPER_BROWSER") != "1" {
		t.Skip("set FENGHUO_TAMPER_BROWSER=1 (and FENGHUO_TEST_CHROMIUM) to check in Chromium that the sealed split hides its payloads")
	}
	path := sealedChromium()
	if path == "" {
		t.Skip("no Chromium: set FENGHUO_TEST_CHROMIUM")
	}
	var pages []sealedPage
	for _, c := range sealedCases() {
		if len(c.kinds) == 0 || sealedVisibleByDesign[c.name] {
			continue
		}
		pages = append(pages, sealedPage{c.site + " " + c.name, c.html})
	}
	s := genSealed.sites[0]
	pages = append(pages, sealedPage{"control", []byte(s.tmpl(s, 99, inject{foot: `<div><a href="http://www.ag8828.com/">皇家赌场在线开户</a> 百家乐稳赢打法</div>`}))})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var i int
		if _, err := fmt.Sscanf(r.URL.Path, "/p/%d", &i); err != nil || i < 0 || i >= len(pages) {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(pages[i].html)
	}))
	defer srv.Close()
	shown, checked, untouched := sealedPayloadsShown(t, path, srv.URL, pages, genSealed, 15*time.Minute)
	t.Logf("sealed split in Chromium: %d of %d tampered pages show their payload; %d had no spam text in the rendered document to rotate",
		shown, checked, untouched)
}

// sealedPage is one page the Chromium check of a sealed split renders; a
// page whose name starts with "control" holds a visible payload.
type sealedPage struct {
	name string
	html []byte
}

// sealedPayloadsShown renders each page (served at baseURL/p/i) in Chromium,
// rotates every text of the split's spam and neutral wording and hosts, and
// reports each tampered page whose pixels change (its payload shows) and
// each control page whose pixels do not (the check is broken). It returns
// how many tampered pages showed their payload, how many were checked, and
// how many had no spam text in the rendered document to rotate.
func sealedPayloadsShown(t *testing.T, path, baseURL string, pages []sealedPage, sp genSplit, budget time.Duration) (shown, checked, untouched int) {
	t.Helper()
	ctx := browsertest.New(t, path, 1024, 768, budget)
	var words, hosts []string
	for _, w := range append(append([]string{}, sp.spam...), sp.neutral...) {
		words = append(words, strings.ToLower(w))
	}
	for _, h := range sp.hosts {
		hosts = append(hosts, strings.ToLower(h))
	}
	wj, _ := json.Marshal(words)
	hj, _ := json.Marshal(hosts)
	mutate := fmt.Sprintf(sealedMutateJS, wj, hj)
	// Two animation frames: what was changed has been painted. Video
	// controls lose their (animated) loading spinner, which would differ
	// between two screenshots of the same page.
	settle := chromedp.Evaluate[bool](`document.querySelectorAll("video").forEach(function(v){v.removeAttribute("controls")});
new Promise(function(r){requestAnimationFrame(function(){requestAnimationFrame(function(){r(true)})})})`, chromedp.EvalAwaitPromise)
	for i, p := range pages {
		pctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		var before, after []byte
		var n int
		err := chromedp.Do(pctx, chromedp.Navigate(fmt.Sprintf("%s/p/%d", baseURL, i)), chromedp.Sleep(200*time.Millisecond))
		if err == nil {
			_, err = chromedp.Run(pctx, settle)
		}
		if err == nil {
			before, err = chromedp.Run(pctx, chromedp.FullScreenshot(100))
		}
		if err == nil {
			n, err = chromedp.Run(pctx, chromedp.Evaluate[int](mutate))
		}
		if err == nil {
			_, err = chromedp.Run(pctx, settle)
		}
		if err == nil {
			after, err = chromedp.Run(pctx, chromedp.FullScreenshot(100))
		}
		cancel()
		if err != nil {
			t.Fatalf("%s: %v", p.name, err)
		}
		d, box, err := sealedPixelsDiffer(before, after)
		if err != nil {
			t.Fatalf("%s: %v", p.name, err)
		}
		if strings.HasPrefix(p.name, "control") {
			if d == 0 {
				t.Errorf("%s: a visible payload (%d texts rotated) changed no pixel: the check is broken", p.name, n)
			}
			continue
		}
		checked++
		if n == 0 {
			untouched++
		}
		if d > 0 {
			shown++
			t.Errorf("%s: the payload shows: rotating %d spam text(s) changed %d pixels in %v", p.name, n, d, box)
		}
	}
	return shown, checked, untouched
}
