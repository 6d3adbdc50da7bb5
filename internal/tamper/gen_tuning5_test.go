package tamper

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"
)

// A fifth tuning split: links covered by another element (a later
// positioned sibling, a grid item in the same cell, a block pulled up by a
// negative margin), filters and blend modes that paint everything one
// colour, disguised links in more spellings, and the hiding methods of
// public 暗链 write-ups in variations of spacing, case, quoting, order,
// !important, units and nesting depth. Every class has several variants
// written from the class description; the benign changes are the
// look-alikes: closed modals and lightboxes, sticky and fixed headers,
// captions over images, hero banners with overlaid text, carousels of
// stacked slides, a preloader, blend modes on pictures.

var genTuning5 = genSplit{
	name:  "tuning5",
	sites: genTuning.sites,
	hosts: []string{"www.bet365-cn.vip", "m.dafa888.cc", "www.jiazheng-bz.top", "bbs.youxi-sf.net", "www.daikuan-ks.shop",
		"103.44.52.17"},
	spam:       []string{"澳门赌场", "北京赛车pk10", "私服传奇", "办证刻章", "无抵押贷款", "代孕包成功", "网络彩票", "裸聊直播"},
	neutral:    []string{"家政保洁", "搬家公司", "驾校报名", "装修报价"},
	linkCounts: []int{3, 5, 8},
	idx:        0,
}

// opaqueBg are opaque backgrounds in several forms.
func opaqueBg(g *genCase) string {
	return oneOf(g, "background:#fff", "background-color:rgb(255,255,255)", "background:#FFFFFF none",
		"background:linear-gradient(#ffffff,#f6f6f6)", "background:url(/img/bg"+g.id+".png) no-repeat", "background:white")
}

var techniques5 = []technique3{
	// A later, empty, positioned sibling over the links' box.
	{"cover-positioned-sibling", false, false, func(g *genCase) inject {
		box := oneOf(g, "top:0;left:0;right:0;bottom:0", "inset:0", "inset: 0px", "top:0;left:0;width:100%;height:100%",
			"left:0;top:0;width:2000px;height:900px", "TOP:0;Left:0;width:100%;height:100% !important")
		pos := oneOf(g, "absolute", "absolute", "fixed")
		z := oneOf(g, "", ";z-index:2", ";z-index:999")
		h := oneOf(g, "60px", "3em", "4rem")
		if pos == "fixed" {
			box = "top:0;left:0;right:0;bottom:0"
		}
		links := `<div style="height:` + h + `;overflow:hidden">` + g.payload + `</div>`
		switch g.r.Intn(3) {
		case 0:
			// A picture laid over the links.
			return g.where(`<div style="position:relative;height:` + h + `">` + links + `<img src="/img/banner` + g.id + `.jpg" alt="" style="position:` + pos + `;` + box + z + `"></div>`)
		case 1:
			cls := "cv" + g.id
			return g.where(`<style>.` + cls + `{position:` + pos + `;` + box + `;` + opaqueBg(g) + z + `}</style><div style="position:relative;height:` + h + `">` + links + `<div class="` + cls + `"></div></div>`)
		}
		return g.where(`<div style="position:relative;height:` + h + `">` + links + `<span style="display:block;position:` + pos + `;` + box + `;` + opaqueBg(g) + z + `"></span></div>`)
	}},
	// Two items of a CSS grid in one cell, the later or higher one opaque.
	{"cover-grid-cell", false, false, func(g *genCase) inject {
		var a, b string
		switch g.r.Intn(4) {
		case 0:
			a, b = "grid-area:1/1", "grid-area:1 / 1"
		case 1:
			a, b = "grid-row:1;grid-column:1", "grid-area:1/1/2/2"
		case 2:
			a, b = "grid-area:m", "grid-area:m"
		default:
			a, b = "grid-row-start:1;grid-column-start:1", "grid-row:1 / 2;grid-column:1 / 2"
		}
		cover := `<div style="` + b + `;` + opaqueBg(g) + `;position:relative;z-index:1"></div>`
		links := `<div style="` + a + `;height:50px;overflow:hidden">` + g.payload + `</div>`
		grid := oneOf(g, "display:grid", "display:grid;grid-template-areas:'m'", "display:inline-grid;grid-template-columns:1fr")
		if g.r.Intn(3) == 0 {
			// The cover first, on top by its z-index.
			cover = strings.Replace(cover, "z-index:1", "z-index:5", 1)
			return g.where(`<div style="` + grid + `">` + cover + links + `</div>`)
		}
		return g.where(`<div style="` + grid + `">` + links + cover + `</div>`)
	}},
	// An opaque positioned block pulled over the links by a negative margin.
	{"cover-negative-margin", false, false, func(g *genCase) inject {
		h := oneOf(g, "40px", "2.5em", "3rem")
		return g.where(`<div style="height:` + h + `;overflow:hidden">` + g.payload + `</div><div style="position:relative;margin-top:-` + h + `;height:` + h + `;` + opaqueBg(g) + `"></div>`)
	}},
	// Filters and blend modes that paint the box in one colour.
	{"css-erase-filter", false, false, func(g *genCase) inject {
		return g.where(oneOf(g,
			`<div style="filter:contrast(0)">`+g.payload+`</div>`,
			`<div style="background:#fff;filter:brightness(0)">`+g.payload+`</div>`,
			`<div style="background:#ffffff"><p style="filter:brightness(50)">`+g.payload+`</p></div>`,
			`<div style="background-color:#fff"><div style="color:#333;mix-blend-mode:screen">`+g.payload+`</div></div>`,
			`<section style="background:#000"><div style="mix-blend-mode:multiply">`+g.payload+`</div></section>`))
	}},
	// Links made to look like text, in more spellings.
	{"html-disguised-link-2", true, false, func(g *genCase) inject {
		st := oneOf(g, "color:unset;text-decoration:none", "color:CanvasText;text-decoration-line:none",
			"text-decoration:underline transparent;color:inherit", "color:initial;text-decoration-color:transparent",
			"TEXT-DECORATION: NONE; CURSOR: DEFAULT")
		return g.where(`<p class="intro">` + linkStyle(g.payload, st) + `</p>`)
	}},
	// Off-screen by text-indent, in spellings and units.
	{"rw-text-indent", false, false, func(g *genCase) inject {
		st := oneOf(g, "text-indent:-9999px", "TEXT-INDENT: -9999PX", "text-indent : -999em", "text-indent:-200rem;overflow:hidden",
			"text-indent:-100vw", "overflow:hidden;text-indent:-9999px !important", "text-indent:-5000%")
		return g.where(oneOf(g, `<div style="`+st+`">`+oneLine(g.payload)+`</div>`, `<p style='`+st+`'>`+oneLine(g.payload)+`</p>`))
	}},
	// A <style> in the body moving a block off-screen.
	{"rw-body-style-offscreen", false, false, func(g *genCase) inject {
		cls := "k" + g.id
		rule := oneOf(g, `.`+cls+`{position:absolute;left:-9999px}`, `.`+cls+` { POSITION : absolute ; top : -9999px }`,
			`div.`+cls+`{left:-999em;position:absolute !important}`, `#`+cls+`{position:fixed;left:-100vw;top:0}`,
			`.w`+g.id+` .`+cls+`{position:absolute;left:-5000px;top:-5000px}`)
		return g.where(`<style type="text/css">` + rule + `</style><div class="w` + g.id + `"><div class="` + cls + `" id="` + cls + `">` + g.payload + `</div></div>`)
	}},
	// A display:none wrapper around paragraphs, at several depths.
	{"rw-none-wrapper", false, false, func(g *genCase) inject {
		open := oneOf(g, `<div style="display:none">`, `<DIV STYLE="DISPLAY:NONE">`, `<div style="display: none;">`, `<div style='display:none !important'>`, `<div style="color:#333;display:none">`)
		depth := 1 + g.r.Intn(4)
		return g.where(open + strings.Repeat("<div>", depth) + `<p>` + oneLine(g.payload) + `</p>` + strings.Repeat("</div>", depth) + `</div>`)
	}},
	// A zero-height clipping parent.
	{"rw-zero-height", false, false, func(g *genCase) inject {
		st := oneOf(g, "height:0;overflow:hidden", "overflow:hidden;height:0px", "HEIGHT:0PX;OVERFLOW:HIDDEN", "height:0em;overflow:hidden",
			"height:1px;overflow:hidden;", "max-height:0;overflow:hidden", "height:0 !important;overflow:hidden !important", "width:0;height:0;overflow:hidden")
		return g.where(`<div style="` + st + `"><ul><li>` + oneLine(g.payload) + `</li></ul></div>`)
	}},
	// Links in a tiny marquee.
	{"rw-tiny-marquee", false, false, func(g *genCase) inject {
		return g.where(oneOf(g,
			`<marquee width="1" height="1">`+oneLine(g.payload)+`</marquee>`,
			`<MARQUEE HEIGHT=1 WIDTH=1 scrollamount=3>`+oneLine(g.payload)+`</MARQUEE>`,
			`<marquee style="width:1px;height:1px">`+oneLine(g.payload)+`</marquee>`,
			`<marquee scrollamount="5000">`+oneLine(g.payload)+`</marquee>`,
			`<marquee height='0' behavior=alternate>`+oneLine(g.payload)+`</marquee>`))
	}},
	// Offsets the other way round: far positive offsets, offsets set by a
	// script's cssText or style attribute.
	{"rw-offset-variants", false, false, func(g *genCase) inject {
		switch g.r.Intn(3) {
		case 0:
			return styled3(g, oneOf(g, "div", "p"), oneOf(g, "position:absolute;left:12000px;top:0", "position: absolute; top: 30000px",
				"position:absolute;right:9999px", "position:absolute;left:99999px", "position:fixed;top:20000px;left:0", "position:absolute;bottom:9999px"))
		case 1:
			return inject{foot: `<div id="` + g.id + `">` + g.payload + `</div>`, end: `<script>document.getElementById("` + g.id + `").style.cssText = "` +
				oneOf(g, "position:absolute;left:-9999px", "position:absolute;top:-5000px;", "text-indent:-99999px;overflow:hidden", "font-size:0;line-height:0") + `";</script>`}
		}
		return inject{foot: `<div id="` + g.id + `">` + g.payload + `</div>`, end: `<script>document.getElementById('` + g.id + `').setAttribute('style', '` +
			oneOf(g, "position:absolute;left:-9999px", "position:absolute; top:-2000px") + `');</script>`}
	}},
	// document.write with concatenation, unescape, fromCharCode, timers.
	{"rw-script-write", false, false, func(g *genCase) inject {
		html := `<div style="display:none">` + oneLine(g.payload) + `</div>`
		esc := percentEscape(html)
		var codes []string
		for _, u := range utf16Units(html) {
			codes = append(codes, fmt.Sprint(u))
		}
		half := len(html) / 2
		for half > 0 && (html[half]&0xC0) == 0x80 {
			half--
		}
		js := jsQuote(html[:half]) + " + " + jsQuote(html[half:])
		return g.where(`<script>` + oneOf(g,
			`document.write(unescape("`+esc+`"));`,
			`document.writeln( unescape('`+esc+`') )`,
			`document.write(String.fromCharCode(`+strings.Join(codes, ",")+`));`,
			`document.write(`+js+`);`,
			`setTimeout(function(){document.write(unescape("`+esc+`"))},0);`,
			`var s="";s+=`+jsQuote(html[:half])+`;s+=`+jsQuote(html[half:])+`;document.write(s);`) + `</script>`)
	}},
}

// jsQuote writes s as a double-quoted JS string.
func jsQuote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "</", `<\/`).Replace(s) + `"`
}

// benign5 are look-alikes of covers that must stay clean.
var benign5 = []benignChange{
	{"closed-modal", func(g *genCase) inject {
		return inject{head: `<style>.modal{display:none;position:fixed;top:0;left:0;right:0;bottom:0;background:#fff;z-index:1000}.modal.open{display:block}</style>`,
			foot: `<div class="ft-links"><a href="https://www.12306.cn/">铁路12306</a></div><div class="modal" id="m` + g.id + `"><p>提示</p><a href="/service/">办事服务</a></div>`}
	}},
	{"lightbox", func(g *genCase) inject {
		return inject{foot: `<div class="gallery" style="position:relative"><a href="https://www.ctrip.com/">携程旅行</a> <img src="/img/p1.jpg" alt=""></div><div class="lb" style="display:none;position:fixed;inset:0;background:rgba(0,0,0,.85)"><img src="/img/p1-big.jpg" alt=""></div>`}
	}},
	{"sticky-header", func(g *genCase) inject {
		return inject{top: `<div class="wrap"><div class="links"><a href="https://map.baidu.com/">百度地图</a> <a href="https://www.tianyancha.com/">天眼查</a></div><header style="position:sticky;top:0;left:0;right:0;height:60px;background:#fff;z-index:10">导航</header><div style="position:fixed;top:0;left:0;right:0;height:48px;background:#1a5fb4">顶部</div></div>`}
	}},
	{"caption-over-image", func(g *genCase) inject {
		return inject{foot: `<figure style="position:relative;height:200px"><a href="https://www.dianping.com/"><img src="/img/a.jpg" alt="店铺"></a><figcaption style="position:absolute;left:0;right:0;bottom:0;height:40px;background:rgba(0,0,0,.6);color:#fff">图片说明</figcaption></figure>`}
	}},
	{"hero-overlay", func(g *genCase) inject {
		return inject{top: `<section class="hero" style="position:relative;height:320px;background:url(/img/hero.jpg)"><div class="hero-in" style="position:absolute;inset:0;background:linear-gradient(rgba(0,0,0,.5),transparent)"><h2>欢迎访问</h2><a href="https://www.ctrip.com/">旅游服务</a></div></section>` +
			`<div style="display:grid"><img style="grid-area:1/1" src="/img/b.jpg" alt=""><div style="grid-area:1/1;align-self:end;color:#fff">图片标题 <a href="https://www.dianping.com/">详情</a></div></div>`}
	}},
	{"stacked-carousel", func(g *genCase) inject {
		return inject{foot: `<ul class="slides" style="position:relative;height:300px"><li class="slide" style="position:absolute;inset:0;background:url(/img/s1.jpg)"><a href="https://www.ctrip.com/">携程旅行</a></li><li class="slide" style="position:absolute;inset:0;background:url(/img/s2.jpg)"></li><li class="slide" style="position:absolute;inset:0;background:url(/img/s3.jpg)"><a href="https://www.dianping.com/">大众点评</a></li></ul>` +
			`<div style="display:grid"><div class="sl" style="grid-area:1/1;background:#eee"><a href="https://map.baidu.com/">百度地图</a></div><div class="sl" style="grid-area:1/1;background:#ddd"></div></div>`}
	}},
	{"preloader", func(g *genCase) inject {
		return inject{foot: `<div class="partners"><a href="https://www.tianyancha.com/">天眼查</a></div>`,
			end: `<div id="loading" style="position:fixed;inset:0;background:#fff;z-index:9999"></div><script>window.onload=function(){document.getElementById("loading").remove()}</script>`}
	}},
	{"small-offsets", func(g *genCase) inject {
		return inject{foot: `<ul class="nav2" style="position:relative"><li style="position:relative;top:-2px"><a href="https://www.12306.cn/">铁路12306</a><ul style="position:absolute;left:100%;top:0;background:#fff"><li><a href="/a/">子栏目</a></li></ul></li><li style="position:relative;left:-20px"><a href="https://www.ctrip.com/">携程旅行</a></li></ul><div id="tip` + g.id + `">提示</div><script>document.getElementById("tip` + g.id + `").style.cssText="position:absolute;left:10px;top:80px";document.getElementById("tip` + g.id + `").setAttribute("style","color:#c00")</script>`}
	}},
	{"blend-picture", func(g *genCase) inject {
		return inject{foot: `<div class="prod"><img src="/img/c.jpg" style="mix-blend-mode:multiply" alt=""><div style="mix-blend-mode:screen"><a href="https://www.12306.cn/">铁路12306</a></div><div style="filter:brightness(1.1) contrast(1.2)"><a href="https://www.ctrip.com/">携程旅行</a></div></div>`}
	}},
}

// tuning5Cases builds every class on every site three times, then the
// benign changes.
func tuning5Cases() []tuning3Case {
	sp := genTuning5
	var out []tuning3Case
	for si, s := range sp.sites {
		for ti, tq := range techniques5 {
			for rep := 0; rep < 3; rep++ {
				r := rand.New(rand.NewSource(int64(950000 + si*1000 + ti*13 + rep*191 + 7)))
				kind := (si + ti + rep) % 3
				payload, p := buildPayload(r, sp, kind, tq.linksOnly)
				genCurrent = p
				if tq.linksOnly && kind == payloadSpamText {
					kind = payloadSpamLinks
				}
				g := &genCase{r: r, split: sp.idx, payload: payload, plain: payload, id: fmt.Sprintf("t%x", r.Int63()%0xfffff)}
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
		for bi, bc := range benign5 {
			r := rand.New(rand.NewSource(int64(960000 + si*100 + bi)))
			g := &genCase{r: r, split: sp.idx, id: fmt.Sprintf("b%x", r.Int63()%0xfffff)}
			out = append(out, tuning3Case{site: s, tech: "", rep: bi, html: []byte(s.tmpl(s, 40+bi, bc.gen(g)))})
		}
	}
	return out
}

// TestGeneratedCorpusTuning5 runs the fifth tuning split through Check
// and, for benign pages, Analyze, and asserts recall ≥ 95 % per kind, every
// class found at least twice in three, and no false alarm.
func TestGeneratedCorpusTuning5(t *testing.T) {
	scoreTuning(t, genTuning5, tuning5Cases(), benign5)
}

// TestManyCovers: thousands of covers over one block of thousands of
// links are judged once each (the block is hidden by the first), and a
// grid of many same-cell items stays fast.
func TestManyCovers(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<html><body><div style="position:relative;height:40px"><div style="height:40px;overflow:hidden">`)
	for i := 0; i < 5000; i++ {
		fmt.Fprintf(&b, `<a href="http://s%d.example-spam.top/">x%d</a>`, i%7, i)
	}
	b.WriteString(`</div>`)
	for i := 0; i < 5000; i++ {
		b.WriteString(`<i style="position:absolute;inset:0;background:#fff"></i>`)
	}
	b.WriteString(`</div><div style="display:grid">`)
	for i := 0; i < 5000; i++ {
		fmt.Fprintf(&b, `<div style="grid-area:1/1;background:#fff"><a href="http://g%d.example-spam.top/">g</a></div>`, i%5)
	}
	b.WriteString(`</div></body></html>`)
	rp := Analyze(Page{URL: "http://www.example.gov.cn/", HTML: []byte(b.String())})
	hidden := false
	for _, f := range rp.Findings {
		if f.Kind == KindHiddenLink && strings.Contains(f.Reason, "covered by a later opaque box") {
			hidden = true
		}
	}
	if !hidden {
		t.Fatalf("the covered block is not reported: %+v", rp.Findings)
	}
}
