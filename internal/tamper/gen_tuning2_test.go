package tamper

import (
	"fmt"
	"math/rand"
	"sort"
	"strings"
	"testing"
)

// A second tuning split for the hiding classes added after the final
// split's first run (docs/tamper.md, "Generated corpus"): each class has
// its own generator with several variants, written from the class
// description and public write-ups, not from the final split's pages. It
// runs on the tuning split's site templates with its own hosts, wording
// and link counts, and its own benign changes (interface panels, national
// public-sector links, warning notices that use the new phrases).

var genTuning2 = genSplit{
	name:  "tuning2",
	sites: genTuning.sites,
	hosts: []string{"www.qp7788.vip", "ag-yule.shop", "www.dsb1818.cc", "wx.zhengjian88.net", "www.av6699.top", "m.qiangzhi168.com"},
	spam: []string{"出售仿真枪", "猎枪出售", "代办假驾照", "假学历办理", "无码在线", "激情小说", "出售冰毒", "假身份证制作",
		"气枪货到付款", "日韩av", "麻古批发", "出售发票"},
	neutral:    []string{"友情链接", "网站导航", "站长工具", "建站教程"},
	linkCounts: []int{1, 3, 6, 12},
	idx:        0,
}

// techniques2 are the classes this split adds; linksOnly as in techniques.
var techniques2 = []technique{
	{"js-fade-slide", false, func(g *genCase) inject {
		id := g.id
		code := []string{
			`$("#` + id + `").fadeOut(0);`,
			`jQuery('#` + id + `').fadeTo(0, 0);`,
			`$(function(){ $("div#` + id + `").slideUp(0); });`,
			`$("#` + id + `").animate({opacity: 0}, 0);`,
			`$("#` + id + `").fadeOut("fast");`,
			`$('.` + id + `').slideUp();`,
		}[g.r.Intn(6)]
		el := `<div id="` + id + `" class="` + id + `">` + g.payload + `</div>`
		return inject{foot: el, end: `<script>` + code + `</script>`}
	}},
	{"js-opacity-visibility", false, func(g *genCase) inject {
		id := g.id
		code := []string{
			`document.getElementById("` + id + `").style.opacity=0;`,
			`var box=document.querySelector("#` + id + `");box.style.opacity = "0";`,
			`document.getElementsByClassName("` + id + `")[0].style.visibility="hidden";`,
			`document.getElementById('` + id + `').style.filter='alpha(opacity=0)';`,
			`document.querySelector("div.` + id + `").style.opacity=".0";`,
			`document.getElementById("` + id + `").style.setProperty("opacity","0");`,
		}[g.r.Intn(6)]
		return inject{foot: `<div id="` + id + `" class="` + id + `">` + g.payload + `</div>`, end: `<script>` + code + `</script>`}
	}},
	{"js-create-hidden", false, func(g *genCase) inject {
		lit := jsString(g.payload)
		var code string
		switch g.r.Intn(6) {
		case 0:
			code = `var d=document.createElement("div");d.style.display="none";d.innerHTML="` + lit + `";document.body.appendChild(d);`
		case 1:
			code = `var w = document.createElement('section'); w.style.cssText = 'position:absolute;left:-8000px;top:0'; w.innerHTML = "` + lit + `"; document.body.appendChild(w);`
		case 2:
			return inject{head: `<style>.` + g.id + `{height:0;overflow:hidden}</style>`, end: `<script>var c=document.createElement("div");c.className="` + g.id + `";c.innerHTML="` + lit + `";document.getElementById("ft").appendChild(c);</script><div id="ft"></div>`}
		case 3:
			code = `var h=document.createElement("p");h.setAttribute("style","visibility:hidden");h.insertAdjacentHTML("beforeend","` + lit + `");document.body.append(h);`
		case 4:
			code = `var n=document.createElement("div");n.hidden=true;n.innerHTML="` + lit + `";document.body.appendChild(n);`
		default:
			// a link built from parts inside a hidden box
			var b strings.Builder
			b.WriteString(`var box=document.createElement("div");box.style.opacity=0;`)
			for i, h := range g.hostList() {
				fmt.Fprintf(&b, `var a%d=document.createElement("a");a%d.href="http://%s/";a%d.textContent="%s";box.appendChild(a%d);`, i, i, h, i, g.textFor(i), i)
			}
			b.WriteString(`document.body.appendChild(box);`)
			code = b.String()
		}
		return g.where(`<script>` + code + `</script>`)
	}},
	{"js-remove-selector", false, func(g *genCase) inject {
		id := g.id
		code := []string{
			`document.querySelector("div.` + id + `").remove();`,
			`var n=document.getElementById("` + id + `");n.parentNode.removeChild(n);`,
			`document.getElementById("` + id + `").replaceChildren();`,
			`document.getElementById("` + id + `").outerHTML="";`,
			`document.getElementsByClassName("` + id + `")[0].remove();`,
			`$("div.` + id + `").detach();`,
		}[g.r.Intn(6)]
		return inject{foot: `<div id="` + id + `" class="` + id + `">` + g.payload + `</div>`, end: `<script>` + code + `</script>`}
	}},
	{"css-attribute-selector", false, func(g *genCase) inject {
		id := g.id
		switch g.r.Intn(6) {
		case 0:
			return inject{head: `<style>[data-` + id + `]{display:none}</style>`, foot: `<div data-` + id + `>` + g.payload + `</div>`}
		case 1:
			return inject{head: `<style>div[data-k="` + id + `"]{visibility:hidden}</style>`, foot: `<div data-k="` + id + `">` + g.payload + `</div>`}
		case 2:
			return inject{head: `<style>[class^="zz` + id + `"]{position:absolute;left:-9999px}</style>`, end: `<div class="zz` + id + `-box">` + g.payload + `</div>`}
		case 3:
			return inject{head: `<style>p[title*='` + id + `'] {font-size:0}</style>`, foot: `<p title="x` + id + `x">` + g.payload + `</p>`}
		case 4:
			return inject{head: `<style>ul[id$="` + id + `"] li{display:none}</style>`, foot: `<ul id="nav` + id + `"><li>` + g.payload + `</li></ul>`}
		}
		return inject{head: `<style>span[data-role~="gone"]{opacity:0}</style>`, foot: `<span data-role="x gone">` + g.payload + `</span>`}
	}},
	{"css-zero-clip-box", false, func(g *genCase) inject {
		id := g.id
		switch g.r.Intn(5) {
		case 0:
			return inject{head: `<style>.` + id + `{overflow:hidden}</style>`, foot: `<div class="` + id + `" style="height:0">` + g.payload + `</div>`}
		case 1:
			return inject{head: `<style>.a` + id + `{height:0px}.b` + id + `{overflow:hidden;width:300px}</style>`, foot: `<div class="a` + id + ` b` + id + `">` + g.payload + `</div>`}
		case 2:
			return g.where(`<marquee style="height:0;width:0" scrollamount="3">` + g.payload + `</marquee>`)
		case 3:
			return g.where(`<marquee behavior="alternate" style="width:1px;height:20px">` + g.payload + `</marquee>`)
		}
		return inject{head: `<style>#` + id + `{max-height:0}</style>`, foot: `<div id="` + id + `" style="overflow:hidden">` + g.payload + `</div>`}
	}},
	{"html-text-coloured-link", true, func(g *genCase) inject {
		switch g.r.Intn(5) {
		case 0:
			return g.where(`<p style="color:#555">` + strings.ReplaceAll(g.payload, "<a ", `<a style="color:#555;text-decoration:none" `) + `</p>`)
		case 1:
			return g.where(`<p>` + strings.ReplaceAll(g.payload, "<a ", `<a style="color:currentColor;text-decoration:none;cursor:pointer" `) + `</p>`)
		case 2:
			return g.where(`<font color="#333333">` + strings.ReplaceAll(g.payload, "<a ", `<a style="color:#333;text-decoration:none;cursor:auto" `) + `</font>`)
		case 3:
			return g.where(`<div>` + strings.ReplaceAll(g.payload, "<a ", `<a style="text-decoration: none; color: #2b2b2b" `) + `</div>`)
		}
		return g.where(`<span style="color:rgb(68,68,68)">` + strings.ReplaceAll(g.payload, "<a ", `<a style="color:#444;text-decoration-line:none" `) + `</span>`)
	}},
}

// benign2 are legitimate changes the new rules must leave alone.
var benign2 = []benignChange{
	{"carousel-partner-slides", func(g *genCase) inject {
		return inject{foot: `<div class="swiper"><div class="slide"><a href="/zt/2025/"><img src="/img/z1.jpg" alt="专题一"></a></div><div class="slide" style="display:none"><a href="https://www.hbmuseum.com/"><img src="/img/z2.jpg" alt="博物馆"></a></div><div class="slide" style="display:none"><a href="/zt/2024/"><img src="/img/z3.jpg" alt="专题三"></a></div></div>`}
	}},
	{"tab-panes-hidden-attr", func(g *genCase) inject {
		return inject{foot: `<div class="tabs"><div class="pane"><a href="/xw/1.html">本地新闻</a> <a href="https://www.ycwb.com/">羊城晚报</a></div><div class="pane" hidden><a href="https://www.dahe.cn/">大河网</a> <a href="/xw/2.html">县区动态</a></div></div>`}
	}},
	{"accordion-script-closed", func(g *genCase) inject {
		return inject{foot: `<div class="acc"><div class="acc-bd" id="ac1"><a href="https://www.ccb.com/">建设银行</a></div><div class="acc-bd" id="ac2"><a href="https://www.icbc.com.cn/">工商银行</a></div></div>`, end: `<script>document.getElementById("ac2").style.display="none";</script>`}
	}},
	{"hidden-slide-public-media", func(g *genCase) inject {
		return inject{top: `<div class="zt" style="display:none"><a href="http://www.people.com.cn/">人民网</a><a href="http://www.xinhuanet.com/">新华网</a><a href="https://www.12371.cn/">共产党员网</a></div>`}
	}},
	{"notice-weapons-campaign", func(g *genCase) inject {
		return inject{top: `<p class="tip">公安机关严厉打击非法出售枪支弹药、管制刀具等违法犯罪活动，欢迎群众举报。</p>`}
	}},
	{"notice-welfare-lottery", func(g *genCase) inject {
		return inject{foot: `<p>2025年度福利彩票公益金使用情况公告：本年度共使用福利彩票公益金120万元，用于养老服务和儿童福利。</p>`}
	}},
	{"notice-saohuang", func(g *genCase) inject {
		return inject{foot: `<p>扫黄打非办公室部署清理网上淫秽色情视频和低俗小说，净化网络文化环境。</p>`}
	}},
	{"privacy-no-sale", func(g *genCase) inject {
		return inject{foot: `<p class="ys">本站不会出售用户个人信息，办理身份证、驾驶证业务请到政务服务大厅。</p>`}
	}},
	{"blue-credit-link", func(g *genCase) inject {
		return inject{foot: `<p>技术支持：<a href="https://www.kaipusoft.com/" style="color:#06c;text-decoration:none">开普云</a></p>`}
	}},
	{"float-close-on-click", func(g *genCase) inject {
		return inject{foot: `<div id="fl"><a href="https://www.jszwfw.com.cn/">政务服务</a><a href="https://www.12306.cn/">铁路购票</a><span class="cl">×</span></div>`, end: `<script>$(".cl").click(function(){ $("#fl").fadeOut(300); });</script>`}
	}},
	{"script-built-own-modal", func(g *genCase) inject {
		return inject{end: `<script>var m=document.createElement("div");m.style.display="none";m.className="modal";m.innerHTML='<a href="/help/">帮助中心</a> <a href="/login/">登录</a>';document.body.appendChild(m);</script>`}
	}},
}

// TestGeneratedCorpusTuning2 runs the second tuning split: every new
// technique on every site, and the benign changes, through Check and
// Analyze, and asserts recall ≥ 95% per kind and no false alarm.
func TestGeneratedCorpusTuning2(t *testing.T) {
	sp := genTuning2
	labelled, found := map[string]int{}, map[string]int{}
	byTech := map[string][2]int{}
	falseAlarms, benign := 0, 0
	for si, s := range sp.sites {
		b := genBaseline(t, s)
		url := "http://" + s.host + "/"
		for ti, tq := range techniques2 {
			for rep := 0; rep < 3; rep++ {
				r := rand.New(rand.NewSource(int64(500000 + si*1000 + ti*7 + rep*131 + 1)))
				kind := (si + ti + rep) % 3
				payload, p := buildPayload(r, sp, kind, tq.linksOnly)
				genCurrent = p
				if tq.linksOnly && kind == payloadSpamText {
					kind = payloadSpamLinks
				}
				g := &genCase{r: r, split: sp.idx, payload: payload, plain: payload, id: fmt.Sprintf("k%x", r.Int63()%0xfffff)}
				in := tq.gen(g)
				html := s.tmpl(s, 10+ti, in)
				var kinds []string
				switch kind {
				case payloadSpamLinks:
					kinds = []string{KindHiddenLink, KindIllicitContent}
				case payloadNeutralLinks:
					kinds = []string{KindHiddenLink}
				default:
					kinds = []string{KindIllicitContent}
				}
				rp := Check(b, Page{URL: url, HTML: []byte(html)}, nil)
				got := map[string]bool{}
				for _, k := range rp.Kinds() {
					got[k] = true
				}
				tt := byTech[tq.name]
				for _, k := range kinds {
					labelled[k]++
					tt[1]++
					if got[k] {
						found[k]++
						tt[0]++
					} else {
						t.Logf("tuning2: miss %s on %s (%s #%d): got %v", k, s.host, tq.name, rep, rp.Kinds())
					}
				}
				byTech[tq.name] = tt
			}
		}
		for bi, bc := range benign2 {
			r := rand.New(rand.NewSource(int64(600000 + si*100 + bi)))
			g := &genCase{r: r, split: sp.idx, id: fmt.Sprintf("b%x", r.Int63()%0xfffff)}
			page := Page{URL: url, HTML: []byte(s.tmpl(s, 40+bi, bc.gen(g)))}
			benign++
			if rp := Check(b, page, nil); rp.Verdict != VerdictClean {
				falseAlarms++
				t.Errorf("tuning2: false alarm on %s (%s): %+v", s.host, bc.name, rp.Findings)
			}
			if rp := Analyze(page); rp.Verdict != VerdictClean {
				falseAlarms++
				t.Errorf("tuning2: Analyze flags benign %s (%s): %+v", s.host, bc.name, rp.Findings)
			}
		}
	}
	var kinds []string
	for k := range labelled {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	var tb strings.Builder
	fmt.Fprintf(&tb, "\n%-20s %6s %6s %8s   generated corpus, %s split (%d sites)\n", "kind", "cases", "found", "recall", sp.name, len(sp.sites))
	for _, k := range kinds {
		rc := float64(found[k]) / float64(labelled[k])
		fmt.Fprintf(&tb, "%-20s %6d %6d %7.1f%%\n", k, labelled[k], found[k], 100*rc)
		if rc < 0.95 {
			t.Errorf("tuning2: recall for %s is %.1f%%, below 95%%", k, 100*rc)
		}
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
}
