package tamper

import (
	"fmt"
	"math/rand"
	"sort"
	"strings"
	"testing"
)

// The generated corpus: benign site templates × hiding techniques, built
// deterministically. Every technique has variants (markup, hiding values,
// link counts, hosts, spam wording) split in two: the tuning half was used
// while developing the detector, the held-out half (other templates, other
// variants) only to measure it. See docs/tamper.md for the figures.

type genSplit struct {
	name       string
	sites      []genSite
	hosts      []string
	spam       []string
	neutral    []string
	linkCounts []int
	idx        int // 0 tuning, 1 held-out, 2 fresh: which variant pool techniques use
}

var genTuning = genSplit{
	name: "tuning",
	sites: []genSite{
		{"青山县人民政府", "www.qingshan.gov.cn", "县", tmplTableGov},
		{"江北区人民政府", "www.jiangbei.gov.cn", "区", tmplTableGov},
		{"城南第二中学", "www.cnez.edu.cn", "学校", tmplHTML5School},
		{"南湖职业技术学院", "www.nhvtc.net", "学院", tmplHTML5School},
		{"临川市中医院", "www.lczyy.com", "医院", tmplHospital},
		{"东港县人民医院", "www.dgxrmyy.cn", "医院", tmplHospital},
	},
	hosts:      []string{"www.am8899.com", "bet-365a.net", "www.lhc6688.cc", "sf-chuanqi.top", "www.dkfp168.com", "m.hg0088.xyz"},
	spam:       []string{"澳门赌场官网", "六合彩开奖结果", "真人百家乐", "北京赛车pk10", "成人视频在线观看", "代开发票", "传奇私服发布网", "办理毕业证", "重庆时时彩", "皇冠体育投注"},
	neutral:    []string{"网站建设", "源码下载", "免费模板", "外贸建站"},
	linkCounts: []int{1, 3, 8},
}

var genHeldOut = genSplit{
	name: "held-out",
	sites: []genSite{
		{"汇通供水集团", "www.htgs-water.com.cn", "集团", tmplBootstrapCompany},
		{"北岭燃气有限公司", "www.beilinggas.com", "公司", tmplBootstrapCompany},
		{"西河广播电视台", "www.xhgdtv.cn", "台", tmplBlog},
		{"云岭新闻网", "news.yunling.org", "网", tmplBlog},
		{"石桥县人民政府", "www.shiqiao.gov.cn", "县", tmplCountyPortal},
		{"白鹭镇人民政府", "bailu.hexi.gov.cn", "镇", tmplCountyPortal},
	},
	hosts:      []string{"vip.yl2277.club", "116.62.33.19:8080", "www.tyc666.me", "xn--6qq79v.xn--fiqs8s", "sp.daiyun88.io", "WWW.PJ9999.COM"},
	spam:       []string{"威尼斯人娱乐场", "棋牌游戏注册送彩金", "幸运飞艇开奖直播", "bet365体育在线", "日韩av无码", "试管代孕", "魔域私服新开", "办证刻章", "网络赌场", "葡京娱乐官网", "太阳城娱乐", "裸聊视频"},
	neutral:    []string{"仿站服务", "网站优化", "主机推荐", "域名注册"},
	linkCounts: []int{2, 5, 15},
	idx:        1,
}

// payload kinds and the labels they carry.
const (
	payloadSpamLinks    = iota // hidden_link + illicit_content
	payloadNeutralLinks        // hidden_link
	payloadSpamText            // illicit_content
)

type genCase struct {
	r       *rand.Rand
	split   int
	payload string // HTML to hide
	plain   string // the payload as text, for script string literals
	id      string // a fresh id or class name
	spider  string // cloaking: HTML of the spider copy (set by the technique)
}

// pick returns one of the variants of the split's pool (tuning,
// held-out, fresh).
func (g *genCase) pick(pools ...[]string) string {
	p := pools[len(pools)-1]
	if g.split < len(pools) {
		p = pools[g.split]
	}
	return p[g.r.Intn(len(p))]
}

// where puts a block at one of the body positions.
func (g *genCase) where(html string) inject {
	switch g.r.Intn(3) {
	case 0:
		return inject{top: html}
	case 1:
		return inject{foot: html}
	}
	return inject{end: html}
}

type technique struct {
	name      string
	linksOnly bool
	gen       func(g *genCase) inject
}

// styled wraps the payload in an element with the given inline style.
func styled(tag, style string) func(g *genCase) inject {
	return func(g *genCase) inject {
		return g.where(fmt.Sprintf(`<%s style="%s">%s</%s>`, tag, style, g.payload, tag))
	}
}

func styledPick(pools ...[]string) func(g *genCase) inject {
	return func(g *genCase) inject {
		tag := g.pick([]string{"div", "p"}, []string{"span", "section", "li"}, []string{"div", "ul", "font"})
		return g.where(fmt.Sprintf(`<%s style="%s">%s</%s>`, tag, g.pick(pools...), g.payload, tag))
	}
}

// jsString quotes s for a JS string literal.
func jsString(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "</", `<\/`).Replace(s)
}

func hexEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 128 {
			fmt.Fprintf(&b, `\x%02x`, r)
		} else {
			fmt.Fprintf(&b, `\u%04x`, r)
		}
	}
	return b.String()
}

func percentEscape(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

func genCharCodes(s string) string {
	var parts []string
	for _, r := range s {
		parts = append(parts, fmt.Sprint(int(r)))
	}
	return strings.Join(parts, ",")
}

// techniques are the hiding methods public write-ups on 暗链/黑链 and SEO
// spam describe (see docs/tamper.md for the list and sources).
var techniques = []technique{
	// CSS on the element itself.
	{"css-display-none", false, styledPick([]string{"display:none", "display: none;"}, []string{"DISPLAY: none !important", "display :none;color:red"}, []string{"display:NONE", "width:300px;display: none!important;"})},
	{"css-visibility", false, styledPick([]string{"visibility:hidden"}, []string{"visibility: collapse", "VISIBILITY:hidden;width:600px"}, []string{"visibility:hidden!important;position:absolute"})},
	{"css-opacity", false, styledPick([]string{"opacity:0", "filter:alpha(opacity=0);opacity:0"}, []string{"opacity:.02", "opacity:0.0;-moz-opacity:0", "filter:opacity(0)"}, []string{"opacity: 0.00", "opacity:0;filter:alpha(opacity:0)"})},
	{"css-tiny-font", false, styledPick([]string{"font-size:0", "font-size:1px;line-height:1px"}, []string{"font-size:0.5px", "font-size:0pt", "font:0/0 a"}, []string{"font-size:0.01em", "font-size:1pt;color:#999", "font: 0px/0 serif"})},
	{"css-zero-box", false, styledPick([]string{"height:0;overflow:hidden", "width:1px;height:1px;overflow:hidden"}, []string{"max-height:0;overflow-y:hidden", "height:0px;line-height:0;overflow:hidden;width:300px", "width:0;overflow:clip"}, []string{"height:1px;overflow:hidden;display:block", "overflow:hidden;width:0px;height:0px"})},
	{"css-offscreen", false, styledPick([]string{"position:absolute;left:-9999px", "position:absolute;top:-999px"}, []string{"position:fixed;left:-5000px;top:0", "position:absolute;top:-100em", "position:absolute;left:-100vw"}, []string{"position:absolute;top:-3000px;left:-3000px", "left:-999em;position:absolute"})},
	{"css-text-indent", false, styledPick([]string{"text-indent:-9999px"}, []string{"text-indent:-999em;overflow:hidden;white-space:nowrap", "TEXT-INDENT: -20000px"}, []string{"text-indent:-100000px;display:block"})},
	{"css-margin", false, styledPick([]string{"margin-left:-9999px"}, []string{"margin-top:-5000px", "margin:0 0 0 -3000px"}, []string{"margin-left:-20000px;position:absolute", "margin:-8000px 0 0 0"})},
	{"css-clip", false, styledPick([]string{"position:absolute;clip:rect(0 0 0 0)", "clip-path:inset(50%)"}, []string{"position:absolute;clip:rect(1px,1px,1px,1px)", "clip-path:polygon(0 0,0 0,0 0)", "clip-path:circle(0)"}, []string{"position:absolute;clip:rect(0px,0px,0px,0px)", "clip-path:inset(100%)"})},
	{"css-transform", false, styledPick([]string{"transform:scale(0)"}, []string{"transform:scale(0.001)", "transform:translateX(-9999px)", "-webkit-transform:scale(0,0)", "transform:translate(-200em,0)"}, []string{"transform:scale(0.0)", "transform:translateY(-8000px)"})},
	{"css-color", false, func(g *genCase) inject {
		switch g.split {
		case 0:
			return g.where(`<div style="color:#fff;background:#fff">` + strings.ReplaceAll(g.payload, "<a ", `<a style="color:#fff" `) + `</div>`)
		case 2:
			if g.r.Intn(2) == 0 {
				return g.where(`<div style="background:#000;padding:2px">` + strings.ReplaceAll(g.payload, "<a ", `<a style="color:#000" `) + `</div>`)
			}
			return g.where(`<p style="color:#FFF;background-color:white">` + strings.ReplaceAll(g.payload, "<a ", `<a style="color:#FFF" `) + `</p>`)
		}
		switch g.r.Intn(3) {
		case 0:
			return g.where(`<div style="background-color:#FFFFFF"><p>` + strings.ReplaceAll(g.payload, "<a ", `<a style="color:#fefefe" `) + `</p></div>`)
		case 1:
			return g.where(`<div style="color:transparent">` + strings.ReplaceAll(g.payload, "<a ", `<a style="color:transparent" `) + `</div>`)
		}
		return g.where(`<table bgcolor="#ffffff"><tr><td><font color="#FFFFFF">` + strings.ReplaceAll(g.payload, "<a ", `<a style="color:white" `) + `</font></td></tr></table>`)
	}},
	{"css-zindex", false, func(g *genCase) inject {
		z := g.pick([]string{"-1"}, []string{"-999", "-10"}, []string{"-2147483647", "-5"})
		return g.where(`<div style="position:relative"><img src="/images/ad.jpg" style="position:relative;z-index:2" alt=""><div style="position:absolute;top:0;left:0;z-index:` + z + `">` + g.payload + `</div></div>`)
	}},
	// A class or id hidden by a stylesheet rule far from the element.
	{"css-stylesheet-rule", false, func(g *genCase) inject {
		switch g.split {
		case 0:
			return inject{head: `<style>.` + g.id + `{display:none}</style>`, end: `<div class="` + g.id + `">` + g.payload + `</div>`}
		case 2:
			if g.r.Intn(2) == 0 {
				return inject{head: `<style>ul.` + g.id + ` li{display:none}</style>`, foot: `<ul class="` + g.id + `"><li>` + g.payload + `</li></ul>`}
			}
			return inject{head: `<style>#` + g.id + ` .lk{text-indent:-9999px;overflow:hidden}</style>`, end: `<div id="` + g.id + `"><p class="lk">` + g.payload + `</p></div>`}
		}
		switch g.r.Intn(3) {
		case 0:
			return inject{end: `<div id="` + g.id + `">` + g.payload + `</div><style>#` + g.id + `{position:absolute;left:-3000px}</style>`}
		case 1:
			return inject{head: `<style>@media all{div.w ` + "." + g.id + `{height:0;overflow:hidden}}</style>`, foot: `<div class="w"><p class="` + g.id + ` x">` + g.payload + `</p></div>`}
		}
		return inject{head: `<style type="text/css">` + "\n/* links */\n" + `.` + g.id + ` { visibility : hidden !important }</style>`, top: `<ul class="` + g.id + `"><li>` + g.payload + `</li></ul>`}
	}},

	// Not CSS: elements and attributes.
	{"html-hidden-attr", false, func(g *genCase) inject {
		if g.split == 2 {
			return g.where(`<ul hidden><li>` + g.payload + `</li></ul>`)
		}
		return g.where(g.pick([]string{`<div hidden>`}, []string{`<section hidden="hidden">`, `<p HIDDEN>`}) + g.payload + "</" + g.pick([]string{"div"}, []string{"section"}) + ">")
	}},
	{"html-noscript", false, func(g *genCase) inject {
		switch g.split {
		case 1:
			return g.where(`<div class="ft"><noscript><ul><li>` + g.payload + `</li></ul></noscript></div>`)
		case 2:
			return g.where(`<p class="c"><noscript><p>` + g.payload + `</p></noscript></p>`)
		}
		return g.where(`<noscript>` + g.payload + `</noscript>`)
	}},
	{"html-marquee", false, func(g *genCase) inject {
		attrs := g.pick([]string{`width="1" height="1"`, `scrollamount="3000" height="1"`}, []string{`height="0" width="0"`, `scrollamount="99999" scrolldelay="30000"`, `WIDTH=2 HEIGHT=2 direction=up`}, []string{`width="0"`, `scrollamount="20000" behavior="alternate"`})
		return g.where(`<marquee ` + attrs + `>` + g.payload + `</marquee>`)
	}},
	{"html-details-closed", false, func(g *genCase) inject {
		return g.where(g.pick([]string{`<details><summary></summary>`}, []string{`<details class="x"><summary style="list-style:none"></summary><div>`}, []string{`<details><summary>.</summary><p>`}) + g.payload + g.pick([]string{`</details>`}, []string{`</div></details>`}, []string{`</p></details>`}))
	}},
	{"html-dialog-closed", false, func(g *genCase) inject {
		return g.where(g.pick([]string{`<dialog>`}, []string{`<dialog id="d1" class="pop">`}, []string{`<dialog class="m"><p>`}) + g.payload + g.pick([]string{`</dialog>`}, []string{`</dialog>`}, []string{`</p></dialog>`}))
	}},
	{"html-template", false, func(g *genCase) inject {
		return g.where(g.pick([]string{`<template>`}, []string{`<template>`}, []string{`<template id="t9"><div class="row">`}) + g.payload + g.pick([]string{`</template>`}, []string{`</template>`}, []string{`</div></template>`}))
	}},
	{"html-fallback-content", false, func(g *genCase) inject {
		return g.where(g.pick([]string{`<canvas width="300" height="150">` + g.payload + `</canvas>`, `<noembed>` + g.payload + `</noembed>`},
			[]string{`<video src="/v/a.mp4" controls>` + g.payload + `</video>`, `<noframes><p>` + g.payload + `</p></noframes>`, `<iframe src="/ad.html" width="0" height="0" frameborder="0">` + g.payload + `</iframe>`, `<audio src="/a.mp3">` + g.payload + `</audio>`},
			[]string{`<object data="/flash/top.swf" type="application/x-shockwave-flash" width="0" height="0">` + g.payload + `</object>`, `<canvas id="cv">` + g.payload + `</canvas>`, `<noembed><div>` + g.payload + `</div></noembed>`}))
	}},
	{"html-svg", false, func(g *genCase) inject {
		links := strings.ReplaceAll(g.payload, "<a ", "<a ")
		return g.where(g.pick([]string{`<svg width="0" height="0"><a href="http://` + g.firstHost() + `/">` + `<text>` + links + `</text></a></svg>`},
			[]string{`<svg xmlns="http://www.w3.org/2000/svg"><defs><text id="t1">` + links + `</text></defs></svg>`, `<svg width="1" height="1" viewBox="0 0 1 1"><text>` + links + `</text></svg>`, `<svg><g display="none"><text>` + links + `</text></g></svg>`},
			[]string{`<svg height="0" width="0" style="position:absolute"><text>` + links + `</text></svg>`, `<svg><mask id="m1"><text>` + links + `</text></mask></svg>`, `<svg><g visibility="hidden"><text>` + links + `</text></g></svg>`}))
	}},
	{"html-tiny-image-link", true, func(g *genCase) inject {
		var b strings.Builder
		// Anchor text is empty; the spam rides in the title attribute.
		for i, h := range g.hostList() {
			fmt.Fprintf(&b, g.pick([]string{`<a href="http://%s/" title="%s"><img src="/images/dot.gif" width="1" height="1" alt=""></a>`}, []string{`<a href="https://%s/index.html" title="%s"><img src="/i/p.png" style="width:1px;height:1px" border="0"></a>`, `<a href="http://%s/" title="%s"></a>`}, []string{`<a href="http://%s/" title="%s"><img src="/1.gif" height="0" width="0"></a>`, `<a href="http://%s/" title="%s"><img src="/x.png" width="2" height="2"></a>`}), h, g.textFor(i))
		}
		return g.where(b.String())
	}},
	{"html-orphan-area", true, func(g *genCase) inject {
		var b strings.Builder
		b.WriteString(`<map name="` + g.id + `">`)
		for i, h := range g.hostList() {
			if g.split == 2 {
				fmt.Fprintf(&b, `<area shape="poly" coords="0,0,0,0" href="https://%s/" title="%s">`, h, g.textFor(i))
				continue
			}
			fmt.Fprintf(&b, `<area shape="rect" coords="%d,0,%d,1" href="http://%s/" alt="%s">`, i, i+1, h, g.textFor(i))
		}
		b.WriteString(`</map>`)
		return g.where(b.String())
	}},
	{"html-disguised-link", true, func(g *genCase) inject {
		st := g.pick([]string{"color:#333;text-decoration:none;cursor:text"}, []string{"COLOR: #000000; text-decoration: none; cursor: default; font-weight: normal"}, []string{"color:inherit;text-decoration:none;cursor:text"})
		return g.where(`<p>` + strings.ReplaceAll(g.payload, "<a ", `<a style="`+st+`" `) + `</p>`)
	}},
	{"html-entity-url", true, func(g *genCase) inject {
		var b strings.Builder
		for i, h := range g.hostList() {
			url := "http://" + h + "/"
			var enc strings.Builder
			for _, r := range url {
				fmt.Fprintf(&enc, g.pick([]string{"&#%d;"}, []string{"&#x%x;"}, []string{"&#x%X;"}), r)
			}
			fmt.Fprintf(&b, `<a href="%s">%s</a> `, enc.String(), g.textFor(i))
		}
		return g.where(`<div style="` + g.pick([]string{"display:none"}, []string{"position:absolute;left:-8000px"}, []string{"visibility:hidden"}) + `">` + b.String() + `</div>`)
	}},

	// Script.
	{"js-hide-by-id", false, func(g *genCase) inject {
		el := `<div id="` + g.id + `">` + g.payload + `</div>`
		code := g.pick([]string{`document.getElementById("` + g.id + `").style.display="none";`},
			[]string{`$("#` + g.id + `").hide();`, `document.getElementById('` + g.id + `').style.visibility='hidden';`,
				`var el=document.getElementById("` + g.id + `");el.style.display = 'none';`,
				`document.querySelector("#` + g.id + `").setAttribute("hidden","");`, `jQuery('#` + g.id + `').css('display','none');`},
			[]string{`document.getElementById("` + g.id + `").style.cssText="display:none";`, `window.onload=function(){document.getElementById("` + g.id + `").style.display="none"};`,
				`document.all["` + g.id + `"].style.display="none";`, `$("#` + g.id + `").css({"display":"none"});`})
		return inject{foot: el, end: `<script>` + code + `</script>`}
	}},
	{"js-split-write", false, func(g *genCase) inject {
		open := g.pick([]string{`document.write("<div style=\"display:none\">");`, `document.write('<div style="position:absolute;top:-1000px">');`},
			[]string{`document.writeln("<span style='position:absolute;left:-9999px'>");`, `document.write(unescape("` + percentEscape(`<div style="display:none">`) + `"));`, `document.write("<marquee height=1 width=1>");`},
			[]string{`document.write('<div style="height:0;overflow:hidden">');`, `document.write("<font style='font-size:0'>");`})
		closeTag := "</div>"
		switch {
		case strings.Contains(open, "span"):
			closeTag = "</span>"
		case strings.Contains(open, "marquee"):
			closeTag = "</marquee>"
		case strings.Contains(open, "font"):
			closeTag = "</font>"
		}
		return g.where(`<script>` + open + `</script>` + g.payload + `<script>document.write("` + jsString(closeTag) + `");</script>`)
	}},
	{"js-write-hidden-block", false, func(g *genCase) inject {
		html := `<div style="display:none">` + g.payload + `</div>`
		if g.split == 2 {
			if g.r.Intn(2) == 0 {
				return g.where(`<script>document.write("<div style=\"position:absolute;left:-6000px\">"+"` + jsString(g.payload) + `"+"</div>");</script>`)
			}
			return g.where(`<script>$("body").append('<div style="display:none">` + strings.ReplaceAll(jsString(g.payload), "'", `\'`) + `</div>');</script>`)
		}
		if g.split == 1 {
			html = `<p style="text-indent:-5000px">` + g.payload + `</p>`
			if g.r.Intn(2) == 0 {
				return g.where(`<div id="` + g.id + `"></div><script>document.getElementById("` + g.id + `").innerHTML="` + jsString(`<div hidden>`+g.payload+`</div>`) + `";</script>`)
			}
		}
		return g.where(`<script>document.write("` + jsString(html) + `");</script>`)
	}},
	{"js-encoded-write", false, func(g *genCase) inject {
		switch g.split {
		case 0:
			return g.where(g.pick([]string{
				`<script>document.write(unescape("` + percentEscape(g.plain) + `"));</script>`,
				`<script>document.write(atob("` + b64(g.plain) + `"));</script>`,
			}))
		case 2:
			var u strings.Builder
			for _, r := range g.plain {
				fmt.Fprintf(&u, "%%u%04X", r)
			}
			return g.where(g.pick(nil, nil, []string{
				`<script>var s="` + b64(g.plain) + `";document.write(atob(s));</script>`,
				`<script>document.write(unescape("` + u.String() + `"));</script>`,
			}))
		}
		return g.where(g.pick(nil, []string{
			`<script type="text/javascript">document.write("` + hexEscape(g.plain) + `")</script>`,
			`<script>var a=[` + genCharCodes(g.plain) + `];document.write(String.fromCharCode.apply(null,a));</script>`,
			`<script>window["document"].write(decodeURIComponent(escape(window.atob('` + b64(g.plain) + `'))));</script>`,
		}))
	}},
	{"js-spider-only", false, func(g *genCase) inject {
		cond := g.pick([]string{`/baiduspider/i.test(navigator.userAgent)`}, []string{`navigator.userAgent.toLowerCase().indexOf("spider")>-1`, `/(Baiduspider|Sogou|360Spider|Googlebot)/i.test(navigator.userAgent)`}, []string{`navigator.userAgent.indexOf("Baiduspider")!=-1`})
		return g.where(`<script>if(` + cond + `){document.write("` + jsString(g.plain) + `");}</script>`)
	}},
	// Added after the fresh split's first run (so measured only as tuned):
	// inline frame documents, and scripts that remove an element or give it
	// a class the stylesheet hides.
	{"html-frame-document", false, func(g *genCase) inject {
		attr := strings.ReplaceAll(g.payload, `"`, "&quot;")
		return g.where(g.pick(
			[]string{`<iframe width="0" height="0" frameborder="0" srcdoc="` + attr + `"></iframe>`},
			[]string{`<iframe style="display:none" src="data:text/html;base64,` + b64(g.payload) + `"></iframe>`},
			[]string{`<object type="text/html" width="1" height="1" data="data:text/html,` + percentEscape(g.payload) + `"></object>`}))
	}},
	{"js-remove-or-class", false, func(g *genCase) inject {
		el := `<div id="` + g.id + `">` + g.payload + `</div>`
		switch g.split {
		case 0:
			return inject{head: `<style>.hd` + g.id + `{display:none}</style>`, foot: el, end: `<script>document.getElementById("` + g.id + `").className="hd` + g.id + `";</script>`}
		case 1:
			return inject{foot: el, end: `<script>$(function(){$("#` + g.id + `").remove();});</script>`}
		}
		return inject{head: `<style>.x` + g.id + `{position:absolute;left:-9999px}</style>`, foot: el, end: `<script>document.querySelector("#` + g.id + `").classList.add("x` + g.id + `");</script>`}
	}},
	// Server-side cloaking: the spider copy alone carries hidden links.
	{"cloak-spider-copy", false, func(g *genCase) inject {
		g.spider = `<div style="` + g.pick([]string{"display:none"}, []string{"position:absolute;left:-6000px"}, []string{"visibility:hidden"}) + `">` + g.payload + `</div>`
		return inject{}
	}},
}

// b64 is standard base64 of s.
func b64(s string) string {
	const tbl = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	var b strings.Builder
	data := []byte(s)
	for i := 0; i < len(data); i += 3 {
		var n uint32
		k := 0
		for j := 0; j < 3; j++ {
			n <<= 8
			if i+j < len(data) {
				n |= uint32(data[i+j])
				k++
			}
		}
		for j := 0; j < 4; j++ {
			if j <= k {
				b.WriteByte(tbl[(n>>(18-6*j))&63])
			} else {
				b.WriteByte('=')
			}
		}
	}
	return b.String()
}

// genCase helpers: hosts and anchor texts of the current payload.
type genPayload struct {
	hosts []string
	texts []string
}

var genCurrent genPayload // set by buildCase; tests run the generator serially

func (g *genCase) hostList() []string { return genCurrent.hosts }
func (g *genCase) firstHost() string  { return genCurrent.hosts[0] }
func (g *genCase) textFor(i int) string {
	return genCurrent.texts[i%len(genCurrent.texts)]
}

// buildPayload makes the HTML to hide.
func buildPayload(r *rand.Rand, sp genSplit, kind int, linksOnly bool) (string, genPayload) {
	if linksOnly && kind == payloadSpamText {
		kind = payloadSpamLinks
	}
	n := sp.linkCounts[r.Intn(len(sp.linkCounts))]
	var p genPayload
	words := sp.spam
	if kind == payloadNeutralLinks {
		words = sp.neutral
	}
	off := r.Intn(len(words))
	for i := 0; i < n; i++ {
		p.hosts = append(p.hosts, sp.hosts[(off+i)%len(sp.hosts)])
		p.texts = append(p.texts, words[(off+i)%len(words)])
	}
	if kind == payloadSpamText {
		return "<p>" + strings.Join(p.texts, " ") + "，注册即送，24小时在线</p>", p
	}
	sep := []string{" ", "<br>", " | ", "\n"}[r.Intn(4)]
	var links []string
	for i := range p.hosts {
		scheme := []string{"http://", "https://", "//"}[r.Intn(3)]
		links = append(links, fmt.Sprintf(`<a href="%s%s/" target="_blank">%s</a>`, scheme, p.hosts[i], p.texts[i]))
	}
	return strings.Join(links, sep), p
}

type genLabelled struct {
	site, name  string
	kinds       []string // empty for benign
	html        []byte
	spider      []byte
	baselineFor genSite
}

// genBaseline learns a site from three benign days.
func genBaseline(tb testing.TB, s genSite) *Baseline {
	var pages []Page
	for day := 1; day <= 3; day++ {
		pages = append(pages, Page{URL: "http://" + s.host + "/", HTML: []byte(s.tmpl(s, day, inject{}))})
	}
	b, err := Learn(pages)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// genCases builds every labelled case of a split: each technique on each
// site with rotating payloads, and every benign change on each site.
func genCases(sp genSplit) []genLabelled {
	var out []genLabelled
	for si, s := range sp.sites {
		for ti, t := range techniques {
			r := rand.New(rand.NewSource(int64(sp.idx*900000 + si*1000 + ti*7 + 1)))
			kind := (si + ti) % 3
			payload, p := buildPayload(r, sp, kind, t.linksOnly)
			genCurrent = p
			if t.linksOnly && kind == payloadSpamText {
				kind = payloadSpamLinks
			}
			g := &genCase{r: r, split: sp.idx, payload: payload, plain: payload, id: fmt.Sprintf("k%x", r.Int63()%0xfffff)}
			in := t.gen(g)
			day := 10 + ti
			c := genLabelled{site: s.host, name: t.name, html: []byte(s.tmpl(s, day, in)), baselineFor: s}
			switch {
			case t.linksOnly || kind == payloadSpamLinks:
				c.kinds = []string{KindHiddenLink, KindIllicitContent}
				if kind == payloadNeutralLinks {
					c.kinds = []string{KindHiddenLink}
				}
			case kind == payloadNeutralLinks:
				c.kinds = []string{KindHiddenLink}
			default:
				c.kinds = []string{KindIllicitContent}
			}
			if g.spider != "" {
				c.spider = []byte(s.tmpl(s, day, inject{end: g.spider}))
				c.kinds = append(c.kinds, KindCloaking)
			}
			out = append(out, c)
		}
		for bi, bc := range benignChanges(sp.idx) {
			r := rand.New(rand.NewSource(int64(sp.idx*100000 + si*100 + bi + 77)))
			g := &genCase{r: r, split: sp.idx, id: fmt.Sprintf("b%x", r.Int63()%0xfffff)}
			out = append(out, genLabelled{site: s.host, name: bc.name, html: []byte(s.tmpl(s, 40+bi, bc.gen(g))), baselineFor: s})
		}
	}
	return out
}

type benignChange struct {
	name string
	gen  func(g *genCase) inject
}

// benignChanges are legitimate later edits that hide things: menus,
// slides, tabs, modals, skip links, tracking pixels, collapsed FAQs.
func benignChanges(split int) []benignChange {
	tune := []benignChange{
		{"news-only", func(g *genCase) inject { return inject{} }},
		{"new-dropdown", func(g *genCase) inject {
			return inject{head: `<style>.m2 .s{display:none}.m2 li:hover .s{display:block}</style>`, top: `<ul class="m2"><li><a href="/bmfw/">便民服务</a><ul class="s"><li><a href="/bmfw/sb/">社保查询</a></li><li><a href="http://www.12345.gov.cn/">12345热线</a></li></ul></li></ul>`}
		}},
		{"new-hidden-slide", func(g *genCase) inject {
			return inject{top: `<div class="sl" style="display:none"><a href="/zt/new/"><img src="/img/n.jpg" alt="新专题"></a></div>`}
		}},
		{"skip-link", func(g *genCase) inject {
			return inject{top: `<a href="#content" style="position:absolute;left:-10000px;top:auto;width:1px;height:1px;overflow:hidden">跳到主要内容</a>`}
		}},
		{"noscript-pixel", func(g *genCase) inject {
			return inject{end: `<noscript><img src="https://hm.baidu.com/hm.gif?si=abc&amp;nojs=1" width="0" height="0" style="display:none"></noscript>`}
		}},
		{"faq-details", func(g *genCase) inject {
			return inject{foot: `<details><summary>办事指南</summary><p>详见<a href="/bszn/">办事指南</a>和<a href="http://zwfw.gov.cn/">政务服务网</a>。</p></details>`}
		}},
		{"js-tabs", func(g *genCase) inject {
			return inject{foot: `<div id="` + g.id + `"><a href="/zcjd/1.html">政策解读一</a><a href="/zcjd/2.html">政策解读二</a></div>`, end: `<script>document.getElementById("` + g.id + `").style.display="none";</script>`}
		}},
		{"hidden-modal", func(g *genCase) inject {
			return inject{end: `<div class="pop" hidden><p>系统升级公告</p><a href="/tzgg/sj.html">详情</a></div>`}
		}},
		{"anti-gambling-notice", func(g *genCase) inject {
			return inject{top: `<p class="tip">严厉打击网络赌博违法犯罪活动，谨防网络博彩诈骗，发现线索请举报。</p>`}
		}},
		{"gap-trick", func(g *genCase) inject {
			return inject{head: `<style>.ib{font-size:0}.ib li{font-size:14px;display:inline-block}</style>`, foot: `<ul class="ib"><li><a href="/a/">网站地图</a></li><li><a href="https://www.12377.cn/">违法和不良信息举报</a></li></ul>`}
		}},
	}
	heldOut := []benignChange{
		{"news-only", func(g *genCase) inject { return inject{} }},
		{"closed-dialog", func(g *genCase) inject {
			return inject{end: `<dialog id="login"><form action="/login" method="post"><a href="/reg.html">注册</a> <a href="/pwd.html">找回密码</a></form></dialog>`}
		}},
		{"template-row", func(g *genCase) inject {
			return inject{end: `<template id="row"><tr><td><a href="/detail/"></a></td></tr></template>`}
		}},
		{"noscript-notice", func(g *genCase) inject {
			return inject{top: `<noscript><div class="warn">请启用浏览器的 JavaScript 功能，<a href="/help/">查看帮助</a></div></noscript>`}
		}},
		{"noscript-statcounter", func(g *genCase) inject {
			return inject{end: `<noscript><div class="statcounter"><a title="网站统计" href="https://www.cnzz.com/stat/website.php?web_id=1"><img src="https://icon.cnzz.com/img/pic.gif" alt="cnzz"></a></div></noscript>`}
		}},
		{"sr-only-label", func(g *genCase) inject {
			return inject{head: `<style>.visually-hidden{position:absolute!important;clip:rect(0 0 0 0);width:1px;height:1px;overflow:hidden}</style>`, top: `<a class="visually-hidden" href="/wza/">无障碍浏览</a>`}
		}},
		{"jquery-panels", func(g *genCase) inject {
			return inject{foot: `<div class="panel" id="p2"><a href="/xz/1.html">乡镇动态</a></div>`, end: `<script>$(".panel").hide();$("#p1").show();</script>`}
		}},
		{"visible-ticker", func(g *genCase) inject {
			return inject{top: `<marquee scrollamount="2" behavior="scroll"><a href="/tz/1.html">关于开展2025年防汛演练的通知</a></marquee>`}
		}},
		{"canvas-fallback", func(g *genCase) inject {
			return inject{foot: `<canvas id="c2" width="200" height="100">您的浏览器不支持 canvas，请查看<a href="/tjsj/2025/">统计数据</a>。</canvas>`}
		}},
		{"public-sector-details", func(g *genCase) inject {
			return inject{foot: `<details><summary>相关链接</summary><a href="https://www.gov.cn/">中国政府网</a> <a href="http://www.moe.gov.cn/">教育部</a></details>`}
		}},
		{"visible-partner", func(g *genCase) inject {
			return inject{foot: `<p>技术支持：<a href="https://www.hanweb.com/">大汉网络</a></p>`}
		}},
		{"cookie-banner", func(g *genCase) inject {
			return inject{end: `<div id="cb" style="display:none"><p>本站使用Cookie。<a href="/privacy/">了解更多</a></p></div><script>if(!document.cookie.match(/ok=1/)){document.getElementById("cb").style.display="block"}</script>`}
		}},
		{"aria-hidden-icons", func(g *genCase) inject {
			return inject{top: `<div class="share"><a href="https://weibo.com/u/123"><i class="icon-weibo" aria-hidden="true"></i><span>官方微博</span></a></div>`}
		}},
	}
	switch split {
	case 1:
		return heldOut
	case 2:
		return freshBenign
	}
	return tune
}

// runGenerated checks one split and returns the per-kind table.
func runGenerated(t *testing.T, sp genSplit) (recall map[string]float64, falseAlarms int) {
	cases := genCases(sp)
	baselines := map[string]*Baseline{}
	labelled, found := map[string]int{}, map[string]int{}
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
				t.Errorf("%s: false alarm on %s (%s): %+v", sp.name, c.site, c.name, rep.Findings)
			}
			if rep := Analyze(browser); rep.Verdict != VerdictClean {
				falseAlarms++
				t.Errorf("%s: Analyze flags benign %s (%s): %+v", sp.name, c.site, c.name, rep.Findings)
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
				t.Logf("%s: miss %s on %s (%s); got %v", sp.name, k, c.site, c.name, rep.Kinds())
			}
		}
		byTech[c.name] = tt
	}
	recall = map[string]float64{}
	var tb strings.Builder
	fmt.Fprintf(&tb, "\n%-20s %6s %6s %8s   generated corpus, %s split (%d sites)\n", "kind", "cases", "found", "recall", sp.name, len(sp.sites))
	var kinds []string
	for k := range labelled {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		recall[k] = float64(found[k]) / float64(labelled[k])
		fmt.Fprintf(&tb, "%-20s %6d %6d %7.1f%%\n", k, labelled[k], found[k], 100*recall[k])
	}
	fmt.Fprintf(&tb, "clean cases: %d, false alarms: %d (%s, Check and Analyze)\n", benign, falseAlarms, sp.name)
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
	return recall, falseAlarms
}

// TestGeneratedCorpus asserts recall ≥ 95% per kind and no false alarm on
// both halves of the generated corpus.
func TestGeneratedCorpus(t *testing.T) {
	for _, sp := range []genSplit{genTuning, genHeldOut, genFresh} {
		t.Run(sp.name, func(t *testing.T) {
			recall, fa := runGenerated(t, sp)
			for k, r := range recall {
				if r < 0.95 {
					t.Errorf("%s: recall for %s is %.1f%%, below 95%%", sp.name, k, 100*r)
				}
			}
			if fa != 0 {
				t.Errorf("%s: %d false alarm(s) on benign pages", sp.name, fa)
			}
		})
	}
}
