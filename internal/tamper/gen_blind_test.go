package tamper

import (
	"fmt"
	"strings"
)

// The blind split: written after every other change to the detector,
// with its own templates, hosts, wording, link counts, benign changes and
// one variant set per technique (blindTechniques), and run once to
// measure; docs/tamper.md reports that first run.

var genBlind = genSplit{
	name: "blind",
	sites: []genSite{
		{"安平县人民法院", "www.apfy.gov.cn", "院", tmplCourt},
		{"海陵区人民检察院", "www.hljcy.gov.cn", "院", tmplCourt},
		{"北湾农村商业银行", "www.bwrcb.com", "行", tmplBank},
		{"中原数字金融服务", "www.zysjr.com.cn", "公司", tmplBank},
		{"南平市妇幼保健院", "m.npfy.org.cn", "院", tmplMobile},
		{"柳河县中心卫生院", "wsy.liuhe.gov.cn", "院", tmplMobile},
	},
	hosts:      []string{"www.hk6hc.com", "a1.ty88.pro", "yl.k8-bet.com", "www.qp777.vip", "103.45.66.12", "www.lhcbet.org", "jy.cs-fp.net", "www.sfwg.info"},
	spam:       []string{"香港六合彩资料", "澳门葡京赌场", "彩票平台", "真人视讯娱乐", "自拍偷拍", "三级片在线", "发票代开", "冰毒出售", "外挂辅助", "私服发布网", "高利贷放款", "代孕中介"},
	neutral:    []string{"防水补漏", "开锁公司", "搬家服务", "驾校报名"},
	linkCounts: []int{1, 2, 6, 20},
	idx:        3,
	variants:   blindTechniques,
}

func oneOf(g *genCase, vs ...string) string { return vs[g.r.Intn(len(vs))] }

func blindStyled(styles ...string) func(g *genCase) inject {
	return func(g *genCase) inject {
		tag := oneOf(g, "em", "article", "div")
		return g.where(fmt.Sprintf(`<%s style="%s">%s</%s>`, tag, oneOf(g, styles...), g.payload, tag))
	}
}

// blindTechniques holds the blind variant of every technique, by name.
var blindTechniques = map[string]func(g *genCase) inject{
	"css-display-none": blindStyled("Display:None", "position:relative;display:none;z-index:9"),
	"css-visibility":   blindStyled("visibility:hidden;height:auto", "VISIBILITY: HIDDEN"),
	"css-opacity":      blindStyled("opacity:0.03", "opacity: 0%", "opacity:0.04;filter:alpha(opacity=4)"),
	"css-tiny-font":    blindStyled("font-size:1.5px", "font-size: 0.1rem", "font-size:0%"),
	"css-zero-box":     blindStyled("max-width:0;overflow:hidden;white-space:nowrap", "height:0;padding:0;overflow:hidden;border:0"),
	"css-offscreen":    blindStyled("position:absolute;right:-9999px", "position:fixed;bottom:-2000px"),
	"css-text-indent":  blindStyled("text-indent:-3000em", "text-indent: -99999px;"),
	"css-margin":       blindStyled("margin-top:-9999px;position:absolute", "margin: -10000px 0 0 -10000px"),
	"css-clip":         blindStyled("clip: rect(0, 0, 0, 0); position: absolute", "clip-path: inset(0 0 100% 0)"),
	"css-transform":    blindStyled("transform: scale(0.01, 0.01)", "transform:translate(-10000px, -10000px)"),
	"css-color": func(g *genCase) inject {
		if g.r.Intn(2) == 0 {
			return g.where(`<div style="background:#fafafa">` + strings.ReplaceAll(g.payload, "<a ", `<a style="color:#f9f9f9" `) + `</div>`)
		}
		return g.where(`<span style="color:rgb(255,255,255);background-color:rgb(255,255,255)">` + strings.ReplaceAll(g.payload, "<a ", `<a style="color:rgb(255,255,255)" `) + `</span>`)
	},
	"css-zindex": func(g *genCase) inject {
		return g.where(`<div style="position:fixed;z-index:-100;top:0;left:0">` + g.payload + `</div>`)
	},
	"css-stylesheet-rule": func(g *genCase) inject {
		switch g.r.Intn(3) {
		case 0:
			return inject{head: `<style>.foot-` + g.id + `{display:none}</style>`, foot: `<div class="row foot-` + g.id + ` clearfix">` + g.payload + `</div>`}
		case 1:
			return inject{head: `<style>div#` + g.id + ` > p { font-size:0 }</style>`, end: `<div id="` + g.id + `"><p>` + g.payload + `</p></div>`}
		}
		return inject{head: `<style>section .` + g.id + `{opacity:0}</style>`, top: `<section><div class="` + g.id + `">` + g.payload + `</div></section>`}
	},
	"html-hidden-attr": func(g *genCase) inject {
		return g.where(`<table hidden><tr><td>` + g.payload + `</td></tr></table>`)
	},
	"html-noscript": func(g *genCase) inject {
		return g.where(`<noscript><span>` + g.payload + `</span></noscript>`)
	},
	"html-marquee": func(g *genCase) inject {
		return g.where(`<marquee ` + oneOf(g, `height="1"`, `scrollamount="800"`) + `>` + g.payload + `</marquee>`)
	},
	"html-details-closed": func(g *genCase) inject {
		return g.where(`<details><div>` + g.payload + `</div></details>`)
	},
	"html-dialog-closed": func(g *genCase) inject {
		return g.where(`<dialog aria-modal="true"><ul><li>` + g.payload + `</li></ul></dialog>`)
	},
	"html-template": func(g *genCase) inject {
		return g.where(`<template><section>` + g.payload + `</section></template>`)
	},
	"html-fallback-content": func(g *genCase) inject {
		return g.where(oneOf(g, `<audio controls><source src="/a.ogg">`+g.payload+`</audio>`, `<canvas width="1" height="1">`+g.payload+`</canvas>`))
	},
	"html-svg": func(g *genCase) inject {
		return g.where(oneOf(g, `<svg viewBox="0 0 10 10" width="0"><text>`+g.payload+`</text></svg>`,
			`<svg><symbol id="s1"><text>`+g.payload+`</text></symbol></svg>`, `<svg><clipPath id="c1"><text>`+g.payload+`</text></clipPath></svg>`))
	},
	"html-tiny-image-link": func(g *genCase) inject {
		var b strings.Builder
		for i, h := range g.hostList() {
			fmt.Fprintf(&b, `<a href="http://%s/" title="%s"><img src="/p.gif" style="width:0;height:0"></a>`, h, g.textFor(i))
		}
		return g.where(b.String())
	},
	"html-orphan-area": func(g *genCase) inject {
		var b strings.Builder
		b.WriteString(`<map name="m` + g.id + `">`)
		for i, h := range g.hostList() {
			fmt.Fprintf(&b, `<area href="http://%s/" alt="%s" shape="default">`, h, g.textFor(i))
		}
		return g.where(b.String() + `</map>`)
	},
	"html-disguised-link": func(g *genCase) inject {
		return g.where(`<span>` + strings.ReplaceAll(g.payload, "<a ", `<a style="text-decoration:none;cursor:default;color:#666" `) + `</span>`)
	},
	"html-entity-url": func(g *genCase) inject {
		var b strings.Builder
		for i, h := range g.hostList() {
			var enc strings.Builder
			for _, r := range "http://" + h + "/" {
				fmt.Fprintf(&enc, "&#%04d;", r)
			}
			fmt.Fprintf(&b, `<a href="%s">%s</a> `, enc.String(), g.textFor(i))
		}
		return g.where(`<div style="height:0;overflow:hidden">` + b.String() + `</div>`)
	},
	"js-hide-by-id": func(g *genCase) inject {
		code := oneOf(g, `setTimeout(function(){document.getElementById("`+g.id+`").style.display="none"},0);`,
			`var d=document.querySelector('#`+g.id+`');d.style.visibility='hidden';`,
			`jQuery("#`+g.id+`").hide(0);`)
		return inject{foot: `<div id="` + g.id + `">` + g.payload + `</div>`, end: `<script>` + code + `</script>`}
	},
	"js-split-write": func(g *genCase) inject {
		open := oneOf(g, `document.write("<div style='visibility:hidden'>");`, `document.write("<div" + " style=\"display:none\">");`)
		return g.where(`<script>` + open + `</script>` + g.payload + `<script>document.write("</div>");</script>`)
	},
	"js-write-hidden-block": func(g *genCase) inject {
		if g.r.Intn(2) == 0 {
			return g.where(`<div id="` + g.id + `"></div><script>document.getElementById("` + g.id + `").insertAdjacentHTML("beforeend", '<span style="display:none">` + jsString(g.payload) + `</span>');</script>`)
		}
		return g.where(`<script>var h='<div style="display:none">'+"` + jsString(g.payload) + `"+'</div>';document.write(h);</script>`)
	},
	"js-encoded-write": func(g *genCase) inject {
		if g.r.Intn(2) == 0 {
			return g.where(`<script>document.write(String.fromCharCode(` + genCharCodes(g.plain) + `));</script>`)
		}
		return g.where(`<script>eval(unescape("` + percentEscape(`document.write("`+jsString(g.plain)+`")`) + `"));</script>`)
	},
	"js-spider-only": func(g *genCase) inject {
		return g.where(`<script>var ua=navigator.userAgent.toLowerCase();if(ua.indexOf('sogou')>=0||ua.indexOf('baiduspider')>=0){document.writeln("` + jsString(g.plain) + `")}</script>`)
	},
	"html-frame-document": func(g *genCase) inject {
		if g.r.Intn(2) == 0 {
			return g.where(`<iframe style="display:none" srcdoc="` + strings.ReplaceAll(g.payload, `"`, "&quot;") + `"></iframe>`)
		}
		return g.where(`<iframe width="1" height="1" src="data:text/html;charset=utf-8,` + percentEscape(g.payload) + `"></iframe>`)
	},
	"js-remove-or-class": func(g *genCase) inject {
		el := `<div id="` + g.id + `">` + g.payload + `</div>`
		if g.r.Intn(2) == 0 {
			return inject{head: `<style>.hide{display:none!important}</style>`, foot: el, end: `<script>$("#` + g.id + `").addClass("hide");</script>`}
		}
		return inject{foot: el, end: `<script>var n=document.getElementById("` + g.id + `");n.parentNode.removeChild(document.getElementById("` + g.id + `"));</script>`}
	},
	"cloak-spider-copy": func(g *genCase) inject {
		g.spider = `<div style="height:0;overflow:hidden">` + g.payload + `</div>`
		return inject{}
	},
}

// tmplCourt: a court or procuratorate portal: tab panels hidden inline,
// a visible video iframe, a logo using image replacement.
func tmplCourt(s genSite, day int, in inject) string {
	r := dayRand(s, day)
	return fmt.Sprintf(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>%[1]s</title>
<style>.logo a{display:block;width:400px;height:80px;background:url(/img/logo.png) no-repeat;text-indent:-9999px}.tabs .pane{display:none}.tabs .pane.cur{display:block}</style>%[4]s</head>
<body><div class="logo"><a href="/">%[1]s</a></div><div class="nav"><a href="/">首页</a><a href="/spgk/">审判公开</a><a href="/ssfw/">诉讼服务</a><a href="/fyxw/">法院新闻</a></div>%[5]s
<div class="tabs"><div class="pane cur"><h3>法院新闻</h3><ul>%[3]s</ul></div><div class="pane"><h3>公告送达</h3><ul><li><a href="/ggsd/%[2]d.html">公告送达（%[2]d）</a></li></ul></div></div>
<div class="video"><iframe src="https://v.qq.com/txp/iframe/player.html?vid=x%[2]d" width="480" height="270" frameborder="0" allowfullscreen></iframe></div>
<div class="links"><a href="https://www.court.gov.cn/">最高人民法院</a> <a href="http://wenshu.court.gov.cn/">中国裁判文书网</a></div>
<div class="footer"><p>%[1]s 版权所有 地址：法治大道%[6]d号</p><p><a href="https://beian.miit.gov.cn/">X ICP备%[7]d号</a></p>%[8]s</div>%[9]s</body></html>`,
		s.name, day, genNews(r, s, day, 12, `<li><a href="%s">%s</a><span>%02d日</span></li>`), in.head, in.top, day%30+1, 60000000+len(s.host), in.foot, in.end)
}

// tmplBank: an enterprise page with a notice bar closed by script, a
// modal with the hidden attribute, an SVG sprite and a floating service
// button.
func tmplBank(s genSite, day int, in inject) string {
	r := dayRand(s, day)
	return fmt.Sprintf(`<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>%[1]s-首页</title><link rel="stylesheet" href="/css/index.css?%[2]d">%[4]s</head>
<body><svg style="position:absolute;width:0;height:0"><symbol id="i-phone" viewBox="0 0 16 16"><path d="M0 0h16v16H0z"></path></symbol></svg>
<div id="notice" class="notice">关于%[6]d日系统升级暂停部分业务的公告 <a href="/gg/%[6]d.html">详情</a> <span onclick="document.getElementById('notice').style.display='none'">×</span></div>
<header class="hd"><a class="brand" href="/">%[1]s</a><nav><a href="/grjr/">个人金融</a><a href="/gsjr/">公司金融</a><a href="/wyyh/">网上银行</a></nav></header>%[5]s
<section class="news"><h2>本行动态</h2><ul>%[3]s</ul></section>
<div class="modal" id="risk" hidden><p>风险提示：理财非存款，投资需谨慎。</p><a href="/fxts/">了解更多</a></div>
<a class="float-kf" href="/kf/"><svg width="16" height="16"><use href="#i-phone"></use></svg>在线客服</a>
<footer><p>%[1]s 客服热线：96%[7]d</p><p><a href="https://beian.miit.gov.cn/">X ICP备%[8]d号</a> <a href="http://www.pbc.gov.cn/">中国人民银行</a></p>%[9]s</footer>%[10]s</body></html>`,
		s.name, day, genNews(r, s, day, 10, `<li><a href="%s">%s</a><i>%02d</i></li>`), in.head, in.top, day%28+1, 100+len(s.host), 70000000+len(s.host), in.foot, in.end)
}

// tmplMobile: a mobile page with an off-canvas menu (hidden attribute),
// lazy images, aria-hidden icons and a collapsed department list.
func tmplMobile(s genSite, day int, in inject) string {
	r := dayRand(s, day)
	return fmt.Sprintf(`<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>%[1]s</title>%[4]s</head>
<body><header><button class="menu-btn" aria-label="菜单"><i class="icon-menu" aria-hidden="true"></i></button><h1>%[1]s</h1></header>
<nav id="drawer" hidden><a href="/yygh/">预约挂号</a><a href="/ksdh/">科室导航</a><a href="/zjjs/">专家介绍</a></nav>%[5]s
<main><img class="lazy" data-src="/img/b%[2]d.jpg" src="/img/blank.gif" alt="院区风貌"><h2>医院动态</h2><ul>%[3]s</ul>
<details><summary>科室列表</summary><ul><li><a href="/ks/ek/">儿科</a></li><li><a href="/ks/fk/">妇科</a></li></ul></details></main>
<footer><p>%[1]s 地址：健康路%[6]d号</p><p><a href="https://beian.miit.gov.cn/">X ICP备%[7]d号</a></p>%[8]s</footer>
<script>document.querySelector(".menu-btn").onclick=function(){var d=document.getElementById("drawer");d.hidden=!d.hidden};</script>%[9]s</body></html>`,
		s.name, day%5, genNews(r, s, day, 9, `<li><a href="%s">%s</a> <small>%02d</small></li>`), in.head, in.top, day%40+1, 80000000+len(s.host), in.foot, in.end)
}

var blindBenign = []benignChange{
	{"news-only", func(g *genCase) inject { return inject{} }},
	{"offcanvas-menu", func(g *genCase) inject {
		return inject{top: `<nav class="side" hidden><a href="/zwgk/">政务公开</a><a href="https://www.gov.cn/">中国政府网</a></nav>`}
	}},
	{"float-ad-removed", func(g *genCase) inject {
		return inject{foot: `<div id="fad"><a href="https://www.12345hotline.com.cn/">12345便民服务</a><span class="x">关闭</span></div>`, end: `<script>document.querySelector(".x").onclick=function(){document.getElementById("fad").remove()};</script>`}
	}},
	{"hidden-tab-panel", func(g *genCase) inject {
		return inject{foot: `<div class="tab-c" style="display:none"><a href="/bszn/1.html">办事指南一</a><a href="/bszn/2.html">办事指南二</a></div>`}
	}},
	{"render-template", func(g *genCase) inject {
		return inject{end: `<template id="card"><div class="card"><a class="t" href="/news/"></a><p class="d"></p></div></template>`}
	}},
	{"noscript-own-link", func(g *genCase) inject {
		return inject{top: `<noscript><a href="/nojs/index.html">无脚本版本</a></noscript>`}
	}},
	{"video-embed", func(g *genCase) inject {
		return inject{foot: `<iframe src="https://player.bilibili.com/player.html?bvid=BV1x" width="640" height="360" frameborder="0"></iframe>`}
	}},
	{"video-fallback-download", func(g *genCase) inject {
		return inject{foot: `<video src="/media/xc.mp4" controls width="480">您的浏览器不支持视频播放，请安装<a href="https://www.google.cn/chrome/">新版浏览器</a>。</video>`}
	}},
	{"consent-dialog", func(g *genCase) inject {
		return inject{end: `<dialog id="consent"><p>我们使用Cookie。</p><a href="/privacy.html">隐私政策</a></dialog>`}
	}},
	{"details-public-links", func(g *genCase) inject {
		return inject{foot: `<details><summary>政务链接</summary><a href="http://www.ndrc.gov.cn/">国家发展改革委</a> <a href="http://www.mof.gov.cn/">财政部</a></details>`}
	}},
	{"banner-white-on-red", func(g *genCase) inject {
		return inject{top: `<div style="background:#c00;color:#fff;padding:4px"><a href="https://www.12371.cn/" style="color:#fff">共产党员网</a> 学习贯彻党的二十届三中全会精神</div>`}
	}},
	{"anti-gambling-news", func(g *genCase) inject {
		return inject{top: `<p><a href="/xw/dj.html">我县开展打击跨境赌博专项行动，破获网络赌博案件3起</a></p>`}
	}},
}
