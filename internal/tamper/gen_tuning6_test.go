package tamper

import (
	"fmt"
	"math/rand"
	"regexp"
	"strings"
	"testing"
)

// A sixth tuning split, written from the class descriptions of what the
// sealed3/4/5 first runs missed (not from their pages): links on one thin
// mark (a hyphen, a dot), links a script builds from a data array (links
// created in a loop, innerHTML joined from a template, a container hidden
// by style, attribute or class, or a hidden container of the page),
// stylesheets a script injects, links covered by a picture or a
// background image (before or after them, sized by attributes, the
// containing block a farther ancestor), and text coloured like a
// background given by an ancestor several levels up, a stylesheet rule, a
// CSS variable or a background shorthand, in hex, short hex, rgb(), hsl()
// and named forms. The benign changes are the look-alikes: menus and
// carousels built by script, lazy tabs, galleries with captions, cookie
// banners, one-character pagination links, dark themes with light links
// and CSS-variable themes.

var genTuning6 = genSplit{
	name:  "tuning6",
	sites: genTuning.sites,
	hosts: []string{"www.yl-ylc88.vip", "m.hg0088-bet.cc", "www.banzheng-kz.top", "bbs.chuanqi-sf.net", "www.xinyongka-tx.shop",
		"45.197.12.88", "WWW.DAIKAI-FP.XYZ"},
	spam:       []string{"永利娱乐城", "皇冠体育投注", "办证刻章", "传奇私服", "信用卡套现", "代开发票", "六合彩开奖", "成人视频"},
	neutral:    []string{"管道疏通", "开锁换锁", "婚纱摄影", "二手回收"},
	linkCounts: []int{2, 4, 7, 11},
	idx:        0,
}

var reAnchor6 = regexp.MustCompile(`<a href="([^"]+)" target="_blank">([^<]*)</a>`)

// payloadLinks returns the payload's links as (url, text) pairs.
func payloadLinks(g *genCase) [][2]string {
	var out [][2]string
	for _, m := range reAnchor6.FindAllStringSubmatch(g.payload, -1) {
		out = append(out, [2]string{m[1], m[2]})
	}
	return out
}

// jsData writes the links as a JS array in one of several shapes.
func jsData(g *genCase, ls [][2]string) (data, url, text string) {
	var parts []string
	switch g.r.Intn(3) {
	case 0:
		for _, l := range ls {
			parts = append(parts, fmt.Sprintf(`["%s","%s"]`, l[0], l[1]))
		}
		return "[" + strings.Join(parts, ",") + "]", "d[0]", "d[1]"
	case 1:
		for _, l := range ls {
			parts = append(parts, fmt.Sprintf(`{url:'%s', name:'%s'}`, l[0], l[1]))
		}
		return "[\n  " + strings.Join(parts, ",\n  ") + "\n]", "d.url", "d.name"
	}
	for _, l := range ls {
		parts = append(parts, fmt.Sprintf(`{"t":"%s","u":"%s"}`, l[1], l[0]))
	}
	return "[" + strings.Join(parts, ",") + "]", "d.u", "d.t"
}

var techniques6 = []technique3{
	// Links on one thin mark; the words ride in the title, if anywhere.
	{"speck-link", true, false, func(g *genCase) inject {
		var b strings.Builder
		b.WriteString(oneOf(g, `<p class="intro">`, `<div class="ft">`, `<P>`))
		for i, l := range payloadLinks(g) {
			mark := oneOf(g, "-", ".", "·", "、", "_", " - ", "&#45;", "&middot;", "|", "。", "--", "..", "&#8203;", "&zwnj;&zwnj;")
			title := ` title="` + l[1] + `"`
			if i%2 == 1 && g.r.Intn(2) == 0 {
				title = ""
			}
			fmt.Fprintf(&b, `%s<a href="%s"%s>%s</a>`, genTopics[i%len(genTopics)], l[0], title, mark)
		}
		b.WriteString(`。</p>`)
		return g.where(strings.Replace(b.String(), "</p>", "", 1) + "</p>")
	}},
	// A script builds the links from a data array into a hidden element
	// it creates or into a hidden element of the page.
	{"script-data-links", true, false, func(g *genCase) inject {
		data, u, t := jsData(g, payloadLinks(g))
		box := "box" + g.id
		hide := oneOf(g, box+`.style.display = 'none';`, box+`.style.visibility="hidden";`,
			box+`.setAttribute('style', 'position:absolute;left:-9999px');`, box+`.style.cssText="height:0;overflow:hidden";`,
			box+`.className = "h`+g.id+`";`, box+`.classList.add('h`+g.id+`');`, box+`.hidden = true;`)
		head := `<style>.h` + g.id + `{display:none}</style>`
		switch g.r.Intn(7) {
		case 4:
			// jQuery: links made with $("<a>") into a hidden wrapper.
			js := `var data = ` + data + `;
var $box = $('<div style="display:none"></div>').appendTo('body');
$.each(data, function (i, d) { $('<a>').attr('href', ` + u + `).text(` + t + `).appendTo($box); });`
			return inject{end: `<script>` + js + `</script>`}
		case 5:
			// An object keyed by URL, upper-case tag name.
			var kv []string
			for _, l := range payloadLinks(g) {
				kv = append(kv, fmt.Sprintf(`"%s": "%s"`, l[0], l[1]))
			}
			js := `var m = {` + strings.Join(kv, ", ") + `};
var ` + box + ` = document.createElement("DIV");
` + hide + `
for (var k in m) { var a = document.createElement("A"); a.setAttribute("href", k); a.innerText = m[k]; ` + box + `.appendChild(a); }
document.body.appendChild(` + box + `);`
			return inject{head: head, end: `<script>` + js + `</script>`}
		case 6:
			// An element of the page picked by querySelector("#…").
			js := `var data = ` + data + `;
var out = document.querySelector("#` + box + `");
data.forEach(function (d) { var a = document.createElement("a"); a.href = ` + u + `; a.textContent = ` + t + `; out.appendChild(a); });`
			return inject{foot: `<div id="` + box + `" hidden></div>`, end: `<script>` + js + `</script>`}
		case 0:
			js := `var data = ` + data + `;
var ` + box + ` = document.createElement('div');
` + hide + `
data.forEach(function (d) {
  var a = document.createElement('a');
  a.href = ` + u + `;
  a.textContent = ` + t + `;
  ` + box + `.appendChild(a);
});
document.body.appendChild(` + box + `);`
			return inject{head: head, end: `<script>` + js + `</script>`}
		case 1:
			js := `var list=` + data + `;var ` + box + `=document.createElement("div");` + hide +
				box + `.innerHTML=list.map(function(d){return '<a href="'+` + u + `+'" target="_blank">'+` + t + `+'</a>'}).join(' ');document.body.appendChild(` + box + `);`
			return inject{head: head, end: `<script>` + js + `</script>`}
		case 2:
			js := "const links = " + data + ";\nconst " + box + " = document.createElement(`div`);\n" + strings.ReplaceAll(hide, "'", "`") +
				"\n" + box + ".innerHTML = links.map(d => `<li><a href=\"${" + u + "}\">${" + t + "}</a></li>`).join('');\ndocument.body.append(" + box + ");"
			return inject{head: head, end: `<script>` + js + `</script>`}
		}
		// An element of the page, hidden, filled by a loop.
		st := oneOf(g, "display:none", "position:absolute;left:-9999px", "height:0;overflow:hidden", "visibility:hidden")
		js := `var arr = ` + data + `, html = "";
for (var i = 0; i < arr.length; i++) { var d = arr[i]; html += "<a href='" + ` + u + ` + "'>" + ` + t + ` + "</a> "; }
document.getElementById("` + box + `").innerHTML = html;`
		return inject{foot: `<div id="` + box + `" style="` + st + `"></div>`, end: `<script>` + js + `</script>`}
	}},
	// A script injects the stylesheet that hides a static block.
	{"script-injected-style", false, false, func(g *genCase) inject {
		cls := "s" + g.id
		sel := oneOf(g, "."+cls, "#"+cls, "div."+cls, ".w"+g.id+" ."+cls)
		rule := sel + oneOf(g, "{display:none}", "{ display: none !important; }", "{position:absolute;left:-9999px}",
			"{height:0;overflow:hidden}", "{font-size:0;line-height:0}", "{opacity:0}", "{POSITION:ABSOLUTE;TOP:-5000PX}")
		block := `<div class="w` + g.id + `"><div class="` + cls + `" id="` + cls + `">` + g.payload + `</div></div>`
		var js string
		switch g.r.Intn(9) {
		case 8:
			// An empty <style> of the page filled by the script.
			return inject{head: `<style id="st` + g.id + `"></style>`, foot: block, end: `<script>document.getElementById("st` + g.id + `").innerHTML = '` + rule + `';</script>`}
		case 6:
			// The selector from a variable, the rule from pieces.
			decl := rule[strings.IndexByte(rule, '{'):]
			js = `var cn = "` + cls + `";
var css = "." + cn + "` + decl + `";
var tag = document.createElement("style");
tag.innerHTML = css;
document.getElementsByTagName("head")[0].appendChild(tag);`
			block = `<div class="w` + g.id + `"><div class="` + cls + `">` + g.payload + `</div></div>`
		case 7:
			// Old IE API: addRule(selector, declarations).
			decl := strings.Trim(rule[strings.IndexByte(rule, '{'):], "{} ")
			js = `var ss=document.createElement("style");document.head.appendChild(ss);var sh=ss.sheet||ss.styleSheet;if(sh.addRule){sh.addRule("` + sel + `","` + decl + `")}else{sh.insertRule("` + rule + `",0)}`
		case 0:
			js = `var s=document.createElement('style');s.innerHTML='` + rule + `';document.head.appendChild(s);`
		case 1:
			js = "var st = document.createElement(\"style\");\nst.type = \"text/css\";\nst.appendChild(document.createTextNode(\"" + rule + "\"));\ndocument.getElementsByTagName(\"head\")[0].appendChild(st);"
		case 2:
			js = `document.write('<style type="text/css">` + rule + `<\/style>');`
		case 3:
			js = `document.head.insertAdjacentHTML("beforeend", "<style>` + rule + `</style>");`
		case 4:
			js = `var el = document.createElement("style"); document.head.appendChild(el); el.sheet.insertRule("` + rule + `", 0);`
		default:
			half := len(rule) / 2
			js = `(function(){var c=document.createElement('style');c.textContent='` + rule[:half] + `'+'` + rule[half:] + `';document.head.appendChild(c)})();`
		}
		if g.r.Intn(2) == 0 {
			return inject{head: `<script>` + js + `</script>`, foot: block}
		}
		return inject{foot: block, end: `<script>` + js + `</script>`}
	}},
	// Hidden markup a script writes in pieces: an opening hiding element in
	// one literal, the links in others (accumulated, joined, looped).
	{"script-write-pieces", true, false, func(g *genCase) inject {
		open := oneOf(g, `<div style="display:none">`, `<div style="position:absolute;left:-3000px">`, `<span style="visibility:hidden">`,
			`<div style="height:0;overflow:hidden">`, `<DIV STYLE="DISPLAY:NONE">`, `<p style="font-size:0px">`)
		tag := strings.ToLower(strings.Fields(strings.TrimPrefix(strings.ToLower(open), "<"))[0])
		tag = strings.TrimSuffix(tag, ">")
		closeTag := "</" + tag + ">"
		ls := payloadLinks(g)
		var js strings.Builder
		switch g.r.Intn(4) {
		case 0:
			js.WriteString("var h = '';\nh += '" + open + "';\n")
			for _, l := range ls {
				fmt.Fprintf(&js, "h += '<a href=\"%s\">%s</a> ';\n", l[0], l[1])
			}
			js.WriteString("h += '" + closeTag + "';\ndocument.write(h);")
		case 1:
			var parts []string
			for _, l := range ls {
				parts = append(parts, fmt.Sprintf(`'<a href="%s">%s</a>'`, l[0], l[1]))
			}
			js.WriteString(`var s = ['` + open + `', ` + strings.Join(parts, ", ") + `, '` + closeTag + `'].join('');document.write(s);`)
		case 2:
			var us, ts []string
			for _, l := range ls {
				us, ts = append(us, `"`+l[0]+`"`), append(ts, `"`+l[1]+`"`)
			}
			js.WriteString(`var u = [` + strings.Join(us, ",") + `], t = [` + strings.Join(ts, ",") + `];
document.write('` + open + `');
for (var i = 0; i < u.length; i++) { document.write('<a href="' + u[i] + '">' + t[i] + '</a>'); }
document.write('` + closeTag + `');`)
		default:
			js.WriteString(`document.writeln('` + open + `');`)
			for _, l := range ls {
				fmt.Fprintf(&js, `document.writeln('<a href="%s">%s</a>');`, l[0], l[1])
			}
			js.WriteString(`document.writeln('` + closeTag + `');`)
		}
		return g.where(`<script type="text/javascript">` + js.String() + `</script>`)
	}},
	// A picture or a background-image box laid over the links.
	{"cover-image", false, false, func(g *genCase) inject {
		h := oneOf(g, "60", "80", "48")
		links := `<div class="fl` + g.id + `" style="height:` + h + `px;overflow:hidden">` + g.payload + `</div>`
		img := `<img src="/img/ad` + g.id + `.jpg" alt="">`
		switch g.r.Intn(6) {
		case 5:
			// A picture moved up over the links by a relative offset.
			return g.where(`<div style="height:` + h + `px;overflow:hidden">` + g.payload + `</div><div style="position:relative;top:-` + h + `px;height:` + h + `px;background:url(/img/r` + g.id + `.jpg)"></div>`)
		case 0:
			// Later picture sized by its attributes.
			img = `<img src="/img/ad` + g.id + `.jpg" width="1200" height="` + h + `" style="position:absolute;top:0;left:0" alt="">`
			return g.where(`<div style="position:relative">` + links + img + `</div>`)
		case 1:
			// Earlier picture with a z-index, the links after it.
			img = `<img src="/img/ad` + g.id + `.png" style="position:absolute;z-index:` + oneOf(g, "2", "10", "99") + `;top:0;left:0;width:100%;height:100%" alt="">`
			return g.where(`<div style="position:relative;height:` + h + `px">` + img + links + `</div>`)
		case 2:
			// A background-image box by a class rule.
			return inject{head: `<style>.ov` + g.id + `{position:absolute;left:0;top:0;right:0;bottom:0;background-image:url(/img/bg` + g.id + `.jpg);background-size:cover}</style>`}.plus(
				g.where(`<div style="position:relative">` + links + `<div class="ov` + g.id + `"></div></div>`))
		case 3:
			// The containing block is the grandparent.
			return g.where(`<section style="position:relative;height:` + h + `px"><div class="in">` + links + `<span style="position:absolute;inset:0;background:url(/img/c` + g.id + `.gif) no-repeat #fff"></span></div></section>`)
		}
		// A <picture> over the links, both absolutely placed.
		return g.where(`<div style="position:relative;height:` + h + `px"><div style="position:absolute;top:0;left:0;z-index:1">` + g.payload + `</div><picture style="position:absolute;inset:0;z-index:3"><img src="/img/p` + g.id + `.jpg" alt=""></picture></div>`)
	}},
	// Text coloured like a background given elsewhere.
	{"colour-as-background", false, false, func(g *genCase) inject {
		type pair struct{ bg, fg string }
		p := []pair{{"#ffffff", "#fff"}, {"#FFF", "rgb(255,255,255)"}, {"white", "#FEFEFE"}, {"hsl(0,0%,100%)", "#ffffff"},
			{"#f5f5f5", "whitesmoke"}, {"rgb(240 248 255)", "aliceblue"}, {"#1d2b3a", "rgb(29, 43, 58)"}, {"hsl(210, 33%, 17%)", "#1d2b3a"}}[g.r.Intn(8)]
		cls := "c" + g.id
		depth := 1 + g.r.Intn(4)
		inner := strings.Repeat("<div>", depth) + `<p class="` + cls + `t">` + g.payload + `</p>` + strings.Repeat("</div>", depth)
		switch g.r.Intn(5) {
		case 0:
			// Inline background several levels up, colour on the links.
			return g.where(`<div style="background-color:` + p.bg + `;padding:8px">` + strings.ReplaceAll(inner, "<a ", `<a style="color:`+p.fg+`" `) + `</div>`)
		case 1:
			// Both by stylesheet rules.
			return inject{head: `<style>.` + cls + `{background:` + p.bg + `}.` + cls + ` a, .` + cls + ` p{color:` + p.fg + `}</style>`}.plus(g.where(`<div class="` + cls + `">` + inner + `</div>`))
		case 2:
			// A CSS variable from :root.
			return inject{head: `<style>:root{--` + cls + `:` + p.bg + `}.` + cls + `{background-color:var(--` + cls + `)}.` + cls + `t, .` + cls + `t a{color:var(--` + cls + `) !important}</style>`}.plus(g.where(`<div class="` + cls + `">` + inner + `</div>`))
		case 3:
			// A background shorthand with other parts.
			return inject{head: `<style>#` + cls + `{background:none repeat scroll 0 0 ` + p.bg + `}</style>`}.plus(g.where(`<div id="` + cls + `">` + strings.ReplaceAll(inner, "<p ", `<p style="color:`+p.fg+`" `) + `</div>`))
		}
		// Background by rule on an ancestor, colour by a descendant rule.
		return inject{head: `<style>div.` + cls + ` { BACKGROUND-COLOR : ` + strings.ToUpper(p.bg) + ` } .` + cls + ` .` + cls + `t a { color : ` + p.fg + ` }</style>`}.plus(g.where(`<div class="` + cls + `">` + inner + `</div>`))
	}},
}

// benign6 are the look-alikes that must stay clean.
var benign6 = []benignChange{
	{"script-menu", func(g *genCase) inject {
		return inject{foot: `<ul id="nav` + g.id + `"></ul>`, end: `<script>var items=[["/zwgk/","政务公开"],["/bsfw/","办事服务"],["https://www.12306.cn/","铁路12306"],["https://map.baidu.com/","百度地图"]];var ul=document.getElementById("nav` + g.id + `");items.forEach(function(d){var li=document.createElement("li");var a=document.createElement("a");a.href=d[0];a.textContent=d[1];li.appendChild(a);ul.appendChild(li);});</script>`}
	}},
	{"jquery-partner-list", func(g *genCase) inject {
		return inject{foot: `<div class="partner-box"></div>`, end: `<script>var list={"https://www.ctrip.com/":"携程旅行","https://www.dianping.com/":"大众点评","http://www.people.com.cn/":"人民网"};var $m=$('<div class="partners"></div>').appendTo('.partner-box');for(var k in list){$('<a>').attr('href',k).text(list[k]).appendTo($m);}$('.partners a').css('margin-right','8px');</script>`}
	}},
	{"script-carousel", func(g *genCase) inject {
		return inject{head: `<style>.sl{display:none}.sl.on{display:block}</style>`, foot: `<div id="car` + g.id + `"></div>`,
			end: `<script>var slides=[{u:"https://www.ctrip.com/",t:"携程旅行"},{u:"https://www.dianping.com/",t:"大众点评"},{u:"http://www.xinhuanet.com/",t:"新华网专题"}];var c=document.getElementById("car` + g.id + `");c.innerHTML=slides.map(function(s,i){return '<div class="sl'+(i==0?' on':'')+'"><a href="'+s.u+'">'+s.t+'</a></div>'}).join("");</script>`}
	}},
	{"lazy-tabs", func(g *genCase) inject {
		return inject{foot: `<div class="tabs"><div class="pane act"><a href="https://www.ctrip.com/">携程旅行</a></div><div class="pane"><a href="https://www.dianping.com/">大众点评</a></div></div>`,
			end: `<script>var s=document.createElement("style");s.textContent=".pane{display:none}.pane.act{display:block}";document.head.appendChild(s);</script>`}
	}},
	{"gallery-captions", func(g *genCase) inject {
		return inject{foot: `<div class="gal"><figure style="position:relative;height:180px"><img src="/img/g1.jpg" style="position:absolute;inset:0;width:100%;height:100%" alt=""><figcaption style="position:relative;z-index:2;color:#fff">风光 <a href="https://www.ctrip.com/">携程旅行</a></figcaption></figure>` +
			`<figure style="position:relative"><img src="/img/g2.jpg" width="300" height="200" alt=""><figcaption>说明 <a href="https://www.dianping.com/">大众点评</a></figcaption><img src="/img/new.png" width="32" height="32" style="position:absolute;top:0;right:0" alt="new"></figure></div>`}
	}},
	{"cookie-banner", func(g *genCase) inject {
		return inject{end: `<div id="ck` + g.id + `" class="ck">本网站使用Cookie <a href="https://www.baidu.com/duty/">隐私说明</a></div><script>var st=document.createElement('style');st.innerHTML='.ck{position:fixed;bottom:0;left:0;right:0;background:#222;color:#fff;padding:8px}.ck a{color:#9cf}';document.head.appendChild(st);</script>`}
	}},
	{"pagination-marks", func(g *genCase) inject {
		return inject{foot: `<div class="page"><a href="?p=1">«</a> <a href="?p=1">1</a> <a href="?p=2">2</a> <a href="?p=2">»</a> <a href="javascript:zoom(-1)">-</a> <a href="javascript:zoom(1)">+</a> <a href="http://www.xinhuanet.com/politics/">更多»</a> <a href="https://www.ctrip.com/">»</a> <a href="https://www.dianping.com/">A</a></div>`}
	}},
	{"dark-theme", func(g *genCase) inject {
		return inject{head: `<style>.dk{background:#111;color:#ddd}.dk a{color:#fff}.ftb{background-color:#1d2b3a}.ftb a,.ftb p{color:#f0f0f0}body{background:#fff}</style>`,
			foot: `<div class="dk"><div><p><a href="https://www.ctrip.com/">携程旅行</a></p></div></div><div class="ftb"><div><p>友情链接 <a href="https://www.dianping.com/">大众点评</a></p></div></div>`}
	}},
	{"scheme-and-breakpoint", func(g *genCase) inject {
		return inject{head: `<style>.sv{background:#fff;color:#222}.sv a{color:#1d2b3a}@media (prefers-color-scheme: dark){.sv{background:#1d2b3a}}@media screen and (max-width:768px){.sb{background:#ffffff}}.sb{background:#0b3d91}.sb a{color:#fff}:root{--lk:#1d2b3a}@media (prefers-color-scheme: dark){:root{--bgk:#1d2b3a}}</style>`,
			foot: `<div class="sv"><p>合作 <a href="https://www.ctrip.com/">携程旅行</a></p></div><div class="sb"><a href="https://www.dianping.com/">大众点评</a></div>`}
	}},
	{"css-variable-theme", func(g *genCase) inject {
		return inject{head: `<style>:root{--bg:#ffffff;--fg:#333333;--link:#1a5fb4;--band:#0b3d91}.vt{background:var(--bg);color:var(--fg)}.vt a{color:var(--link)}.band{background:var(--band)}.band a{color:var(--bg)}</style>`,
			foot: `<div class="vt"><p>合作单位 <a href="https://www.ctrip.com/">携程旅行</a></p><div class="band"><a href="https://www.dianping.com/">大众点评</a></div></div>`}
	}},
}

// tuning6Cases builds every class on every site three times, then the
// benign changes.
func tuning6Cases() []tuning3Case {
	sp := genTuning6
	var out []tuning3Case
	for si, s := range sp.sites {
		for ti, tq := range techniques6 {
			for rep := 0; rep < 3; rep++ {
				r := rand.New(rand.NewSource(int64(970000 + si*1000 + ti*17 + rep*211 + 3)))
				kind := (si + ti + rep) % 3
				if tq.linksOnly && kind == payloadSpamText {
					kind = payloadSpamLinks
				}
				payload, p := buildPayload(r, sp, kind, tq.linksOnly)
				genCurrent = p
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
		for bi, bc := range benign6 {
			r := rand.New(rand.NewSource(int64(980000 + si*100 + bi)))
			g := &genCase{r: r, split: sp.idx, id: fmt.Sprintf("b%x", r.Int63()%0xfffff)}
			out = append(out, tuning3Case{site: s, tech: "", rep: bi, html: []byte(s.tmpl(s, 40+bi, bc.gen(g)))})
		}
	}
	return out
}

// TestGeneratedCorpusTuning6 runs the sixth tuning split through Check
// and, for benign pages, Analyze, and asserts recall ≥ 95 % per kind, every
// class found at least twice in three, and no false alarm.
func TestGeneratedCorpusTuning6(t *testing.T) {
	scoreTuning(t, genTuning6, tuning6Cases(), benign6)
}
