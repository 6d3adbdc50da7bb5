package tamper

import (
	"fmt"
	"strings"
)

// The hiding techniques of the generated corpus, one generator each, with
// a variant pool per split (tuning, held-out, fresh).

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
