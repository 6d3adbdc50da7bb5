package tamper

// The third sealed split: a sample of hidden-link (暗链/黑链), cloaking and
// hijacking techniques as public incident write-ups and code show them
// used in the wild, written to measure the detector on pages nobody tuned
// it on. It was written WITHOUT calling Check, Analyze or Learn on any of
// its pages and without reading the detector's code or the technique
// generators of the other splits: TestSealed3SplitWellFormed checks only
// that the split is what it claims to be, TestSealed3SplitHiddenInChromium
// (FENGHUO_TAMPER_BROWSER=1) checks in a real Chromium that no payload
// shows, and TestGeneratedCorpusSealed3, the only test that runs the
// detector on it, is skipped unless FENGHUO_TAMPER_SEALED3=1 and has no
// floors: its first run is the measurement. The Chromium check passed when
// the split was written (Chromium 156, 2026-12-07: 0 of 204 tampered pages
// show their payload; the control page does; the 42 pages with nothing to
// rotate are the frames-free, script-only and cloaking browser copies).
//
// Sources (each technique below names the ones it follows; snippets were
// reproduced in form, with this split's own hosts and wording):
//
//	[thief]   "【黑帽SEO系列】暗链", thief.one/2016/10/12/黑帽SEO之暗链/ (the
//	          blog's markdown source is in a public repository): display:none
//	          div, color:#FFFFFF + font-size:1px, position:absolute
//	          top/left -999px, marquee height=1 width=5 scrollamount=3000
//	          scrolldelay=20000, document.write("<div style='display:none;'>")
//	          around the links, getElementById(...).style.display="none",
//	          a positioned cover layer (z-index:999) over the links.
//	[tamper]  a 网站篡改 incident write-up (markdown, "网站挂黑链 … 暗链",
//	          worked on the dingfanzu PHP site): position:absolute left/top
//	          -999px and top/right -999px, width/height 0, line-height:0 +
//	          font-size:0 anchors, marquee height=1 width=4, display:none and
//	          visibility:hidden, link colour equal to the background, a
//	          remote .js added to the page, 搜索引擎劫持
//	          `document.referrer.indexOf("baidu")` → location.href, and "设置
//	          当手机端访问的时候才会跳转".
//	[anlian]  a 暗链检测 write-up (markdown): 框架挂马 <iframe width=0
//	          height=0>, js 挂马 document.write("<iframe width='0'
//	          height='0' …>"), <script src> from a foreign host, 隐蔽挂马
//	          top.document.body.innerHTML = …+…, `<a style="display:none">`,
//	          text-indent:-469em, font-size:0px anchors and boxes, links "放在
//	          很小div块中", marquee height=1 width=8 scrollamount=3000, a meta
//	          description stuffed with 百家乐/博彩 words.
//	[testset] a public 暗链 regex test file (python, html sample of real
//	          snippets): `<div style="position:absolute; top:-999px;
//	          right:-999px;">`, `style=text-indent:-1213px`, `<a …
//	          style="visibility:hidden">`, document.write('<d'+'iv st'+'yle…')
//	          split strings, document.write("'<ifr'+'ame src=…' width='5'
//	          height='5'>").
//	[teaweb]  dengpang/teaweb internal/teaconfigs/agents/chrome_dp.go, a
//	          Chinese site monitor's 暗链 rules: document.referrer/indexOf/
//	          location.href, eval, `&#\d+;` entity-coded text, \u/\x escapes,
//	          display:none, position:absolute with negative offsets, white
//	          colour, font-size 0, marquee height/width.
//	[yuanzhao] BINBIN02/YuanZhao README.md (渊照 暗链扫描): links encoded
//	          with base64/eval/document.write/atob, colour, absolute-position
//	          and font-size hiding, display:none, visibility:hidden.
//	[seo-ua]  cssxn/seo index.php: a 寄生虫-style page that answers
//	          Baiduspider/360Spider with a spam template and people with the
//	          real page (server-side cloaking by User-Agent).
//	[copyweb] meikro/copy_web3 default.php: is_spider() (UA contains
//	          "spider") rewrites <title>, keywords and description for
//	          spiders only (快照劫持) and appends a friendly-link block of
//	          keyword links.
//
// What the split holds, none of it shared with the other splits (checked by
// TestSealed3SplitWellFormed):
//
//   - six sites on six new kinds of template: a county people's court's
//     hearing announcements (开庭公告, dates and courtrooms change daily), a
//     city social-insurance agency's benefit calendar (payment dates and
//     amounts), a city bus company's route notices (detours, stops), a
//     primary school's notice board, a state grain reserve depot (purchase
//     prices, storage figures) and a county archives' open catalogue;
//     each with navigation, columns and a footer with 备案号, 公网安备 and
//     public-sector friendly links;
//   - new spam hosts (one an IP, one upper case, one deep subdomain) and
//     wording in every category (博彩, 彩票, 色情, 代开发票/假证, 私服外挂,
//     贷款套现, 毒品/枪支), link counts 17 to 31 (hidden-link blocks in the
//     write-ups hold dozens of links);
//   - 34 techniques per site (sealed3Techniques), weighted as the write-ups
//     show them: off-screen absolute position (4), display:none (4),
//     visibility:hidden (2), zero or tiny boxes and zero font size (3),
//     colour equal to the background (2), marquee (1), document.write of a
//     hidden block (4), a script hiding a div (1), entity-coded links (1),
//     text-indent (1), a cover layer (1), body.innerHTML append (1), spider
//     cloaking (3), title stuffing (1), hidden iframes (2), a foreign script
//     (1), redirects by referrer and by phone User-Agent (2);
//   - twelve benign changes (sealed3Benign) of the kinds the brief lists.
//
// Labels: the payload of a hiding technique is spam links (hidden_link +
// illicit_content), neutral-anchor links for a paid-link client
// (hidden_link) or spam text (illicit_content); cloaking adds cloaking.
// Composition: 6 × 34 = 204 tampered pages carrying 152 hidden_link, 146
// illicit_content, 18 cloaking, 12 malicious_redirect, 12 hidden_iframe
// and 6 new_external_script labels (sealed3Labels), and 6 × 12 = 72 benign
// pages. Of the 162 payload cases, 28 hide neutral anchors and 10 spam
// text; the rest hide spam links.

import (
	"fmt"
	"math/rand"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

var genSealed3 = genSplit{
	name: "sealed3",
	sites: []genSite{
		{"岚山县人民法院", "www.lsxfy.gov.cn", "法院", sealed3TmplCourt},
		{"桐江市社会保险事业管理中心", "sbzx.tongjiang.gov.cn", "社保", sealed3TmplBenefits},
		{"柳湾市公共交通集团有限公司", "www.lwbus.com.cn", "公交", sealed3TmplBus},
		{"溪南区枫林路小学", "www.xnflxx.edu.cn", "学校", sealed3TmplSchool},
		{"南岭国家粮食储备库", "www.nlgrain.com.cn", "粮库", sealed3TmplGrain},
		{"溪口县档案馆", "da.xikou.gov.cn", "档案馆", sealed3TmplArchives},
	},
	hosts: []string{"www.yh5577.vip", "m.hjdc68.com", "js.qp-dashen.net", "www.ddz-sfz.cc", "www.kuaidai-hh.com",
		"www.mir2sf.top", "121.41.208.66", "www.fpdk-888.cn", "WWW.LSP91.XYZ", "a1.img.bcdyc.site"},
	spam: []string{"威尼斯人线上开户", "百家乐稳赢技巧", "极速赛车开奖记录", "福彩3D精准预测", "幸运28在线投注", "同城约炮软件",
		"无码高清资源站", "代开增值税专票", "办理学历证书", "冰雪传奇私服", "绝地求生外挂辅助", "信用卡套现手续费低", "黑户贷款秒批",
		"麻古货到付款", "仿真气枪出售", "麻将胡了电子游戏"},
	neutral:    []string{"二手叉车回收", "地坪漆施工", "婚纱摄影工作室", "空压机维修"},
	linkCounts: []int{17, 21, 24, 26, 29, 31},
	idx:        9,
}

// sealed3FooterBG is each site's footer background: links coloured with it
// vanish in the footer.
var sealed3FooterBG = map[string]string{
	"www.lsxfy.gov.cn":      "#8b1a1a",
	"sbzx.tongjiang.gov.cn": "#1f5fa8",
	"www.lwbus.com.cn":      "#0a6e4f",
	"www.xnflxx.edu.cn":     "#2d6a9f",
	"www.nlgrain.com.cn":    "#6b4f1d",
	"da.xikou.gov.cn":       "#3b3b3b",
}

// ---------------------------------------------------------------------------
// Payloads.

type sealed3Payload struct {
	kind    int // payloadSpamLinks, payloadNeutralLinks, payloadSpamText
	hosts   []string
	texts   []string
	schemes []string
	sep     string
}

func sealed3NewPayload(r *rand.Rand, kind int) sealed3Payload {
	sp := genSealed3
	n := sp.linkCounts[r.Intn(len(sp.linkCounts))]
	words := sp.spam
	if kind == payloadNeutralLinks {
		words = sp.neutral
	}
	p := sealed3Payload{kind: kind, sep: []string{" ", " | ", "<br>", "&nbsp;", "\n"}[r.Intn(5)]}
	hoff, woff := r.Intn(len(sp.hosts)), r.Intn(len(words))
	for i := 0; i < n; i++ {
		p.hosts = append(p.hosts, sp.hosts[(hoff+i)%len(sp.hosts)])
		p.texts = append(p.texts, words[(woff+i)%len(words)])
		p.schemes = append(p.schemes, []string{"http://", "http://", "https://", "//"}[r.Intn(4)])
	}
	return p
}

func (p sealed3Payload) url(i int) string { return p.schemes[i] + p.hosts[i] + "/" }

// anchors renders the links, each with attr (e.g. ` style="…"`).
func (p sealed3Payload) anchors(attr string) string {
	var out []string
	for i := range p.hosts {
		out = append(out, fmt.Sprintf(`<a href="%s" target="_blank"%s>%s</a>`, p.url(i), attr, p.texts[i]))
	}
	return strings.Join(out, p.sep)
}

// html is the payload to hide: the links, or the spam as text.
func (p sealed3Payload) html() string {
	if p.kind == payloadSpamText {
		return "<p>" + strings.Join(p.texts, "，") + "，信誉平台，注册即送，微信客服24小时在线</p>"
	}
	return p.anchors("")
}

// kinds are the labels the payload carries.
func (p sealed3Payload) kinds() []string {
	switch p.kind {
	case payloadNeutralLinks:
		return []string{KindHiddenLink}
	case payloadSpamText:
		return []string{KindIllicitContent}
	}
	return []string{KindHiddenLink, KindIllicitContent}
}

// sealed3JS quotes s for a single-quoted JavaScript string.
func sealed3JS(s string) string {
	return strings.NewReplacer(`\`, `\\`, `'`, `\'`, "\n", `\n`).Replace(s)
}

// sealed3Escape is JavaScript's escape(): what unescape() in the page
// reverses.
func sealed3Escape(s string) string {
	var b strings.Builder
	for _, c := range s {
		switch {
		case c < 128 && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("@*_+-./", c)):
			b.WriteRune(c)
		case c < 256:
			fmt.Fprintf(&b, "%%%02X", c)
		default:
			fmt.Fprintf(&b, "%%u%04X", c)
		}
	}
	return b.String()
}

// sealed3Entities writes every character as a decimal reference.
func sealed3Entities(s string) string {
	var b strings.Builder
	for _, c := range s {
		fmt.Fprintf(&b, "&#%d;", c)
	}
	return b.String()
}

// ---------------------------------------------------------------------------
// Techniques.

type sealed3Ctx struct {
	r    *rand.Rand
	p    sealed3Payload
	site genSite
	day  int
	id   string
}

// where puts a block at the top of the body, in the footer or at the end.
func (c *sealed3Ctx) where(html string, footer bool) inject {
	n := 3
	if !footer {
		n = 2
	}
	switch c.r.Intn(n) {
	case 0:
		return inject{top: html}
	case 1:
		return inject{end: html}
	}
	return inject{foot: html}
}

func (c *sealed3Ctx) pick(v ...string) string { return v[c.r.Intn(len(v))] }

// sealed3Out is what a technique makes: the browser page's injection, and
// for cloaking the spider's whole page; post rewrites the rendered page.
type sealed3Out struct {
	in     inject
	spider string
	post   func(page string) string
}

type sealed3Technique struct {
	name    string
	sources string
	// payload: the technique hides a payload (links or text); links: the
	// payload must be links (the hiding is on each anchor).
	payload, links bool
	// kinds, for techniques without a payload; cloak adds cloaking.
	kinds []string
	cloak bool
	gen   func(c *sealed3Ctx) sealed3Out
}

func sealed3In(in inject) sealed3Out { return sealed3Out{in: in} }

var sealed3Techniques = []sealed3Technique{
	// Off-screen absolute position: the most shown.
	{name: "abs-offscreen-top-left", sources: "thief, tamper, teaweb", payload: true, gen: func(c *sealed3Ctx) sealed3Out {
		v := c.pick("-999", "-1000", "-9999")
		return sealed3In(c.where(fmt.Sprintf(`<div style="position: absolute; top: %spx;left: %spx;">%s</div>`, v, v, c.p.html()), true))
	}},
	{name: "abs-offscreen-top-right", sources: "tamper, testset", payload: true, gen: func(c *sealed3Ctx) sealed3Out {
		return sealed3In(c.where(`<div style="position:absolute; top:-999px;right:-999px;">`+c.p.html()+`</div>`, true))
	}},
	{name: "abs-offscreen-far-left", sources: "thief, yuanzhao", payload: true, gen: func(c *sealed3Ctx) sealed3Out {
		v := c.pick("-3000", "-5000", "-8000")
		return sealed3In(c.where(fmt.Sprintf(`<div style="position:absolute;left:%spx;top:%spx;width:960px">%s</div>`, v, c.pick("0", "-200", "-100"), c.p.html()), true))
	}},
	{name: "abs-offscreen-class", sources: "teaweb, yuanzhao", payload: true, gen: func(c *sealed3Ctx) sealed3Out {
		cls := c.pick("yqlj_box", "flink2", "links_bot")
		in := c.where(`<div class="`+cls+`">`+c.p.html()+`</div>`, true)
		in.head = `<style type="text/css">.` + cls + `{position:absolute;top:-2000px;left:-2000px;overflow:hidden}</style>`
		return sealed3In(in)
	}},
	// display:none.
	{name: "display-none-div", sources: "thief, tamper, teaweb", payload: true, gen: func(c *sealed3Ctx) sealed3Out {
		return sealed3In(c.where(fmt.Sprintf(`<div style="%s">%s</div>`, c.pick("display:none;", "display: none", "DISPLAY:none"), c.p.html()), true))
	}},
	{name: "display-none-footer-span", sources: "tamper, anlian", payload: true, gen: func(c *sealed3Ctx) sealed3Out {
		// A <p> cannot hold the spam-text payload's own <p> (the parser
		// closes it): that variant is for links only.
		tag := c.pick("span", "font")
		if c.p.kind != payloadSpamText {
			tag = c.pick("span", "p", "font")
		}
		return sealed3In(inject{foot: fmt.Sprintf(`<%s style="display:none">%s</%s>`, tag, c.p.html(), tag)})
	}},
	{name: "display-none-class", sources: "yuanzhao, teaweb", payload: true, gen: func(c *sealed3Ctx) sealed3Out {
		cls := c.pick("hot_link", "zxlj", "ft_links")
		in := c.where(`<div class="`+cls+`">`+c.p.html()+`</div>`, true)
		in.head = `<style>.` + cls + ` {display:none}</style>`
		return sealed3In(in)
	}},
	{name: "display-none-anchors", sources: "anlian, testset", payload: true, links: true, gen: func(c *sealed3Ctx) sealed3Out {
		return sealed3In(c.where(c.p.anchors(` style="display:none"`), true))
	}},
	// visibility:hidden.
	{name: "visibility-hidden-div", sources: "tamper, testset", payload: true, gen: func(c *sealed3Ctx) sealed3Out {
		return sealed3In(c.where(`<div style="visibility:hidden;">`+c.p.html()+`</div>`, true))
	}},
	{name: "visibility-hidden-anchors", sources: "testset, yuanzhao", payload: true, links: true, gen: func(c *sealed3Ctx) sealed3Out {
		return sealed3In(c.where(c.p.anchors(` style="visibility:hidden"`), true))
	}},
	// Zero or tiny boxes, zero font size.
	{name: "tiny-box-overflow", sources: "tamper, anlian", payload: true, gen: func(c *sealed3Ctx) sealed3Out {
		st := c.pick("width:0px;height:0px;overflow:hidden;", "height:0;overflow:hidden", "width:1px;height:1px;overflow:hidden")
		return sealed3In(c.where(`<div style="`+st+`">`+c.p.html()+`</div>`, true))
	}},
	{name: "font-size-zero-box", sources: "anlian, teaweb", payload: true, gen: func(c *sealed3Ctx) sealed3Out {
		return sealed3In(c.where(`<div style="`+c.pick("font-size:0px;", "font-size:0;line-height:0")+`">`+c.p.html()+`</div>`, true))
	}},
	{name: "font-size-zero-anchors", sources: "tamper, anlian", payload: true, links: true, gen: func(c *sealed3Ctx) sealed3Out {
		return sealed3In(c.where(`<span style="font-size:0">`+c.p.anchors(` style="line-height:0px; font-size:0px;"`)+`</span>`, true))
	}},
	// Colour equal to the background.
	{name: "white-tiny-anchors", sources: "thief, teaweb", payload: true, links: true, gen: func(c *sealed3Ctx) sealed3Out {
		return sealed3In(c.where(`<div style="color:#fff;font-size:1px;line-height:1px">`+c.p.anchors(` style="color:#FFFFFF;font-size:1px;line-height:1px;"`)+`</div>`, false))
	}},
	{name: "footer-colour-anchors", sources: "tamper, anlian", payload: true, links: true, gen: func(c *sealed3Ctx) sealed3Out {
		bg := sealed3FooterBG[c.site.host]
		return sealed3In(inject{foot: `<span style="color:` + bg + `">` + c.p.anchors(` style="color:`+bg+`;text-decoration:none"`) + `</span>`})
	}},
	// Marquee.
	{name: "marquee-flash", sources: "thief, tamper, anlian, teaweb", payload: true, gen: func(c *sealed3Ctx) sealed3Out {
		w := c.pick("4", "5", "8")
		return sealed3In(c.where(`<marquee height=1 width=`+w+` scrollamount=3000 scrolldelay=20000>`+c.p.html()+`</marquee>`, true))
	}},
	// document.write of a hidden block.
	{name: "docwrite-hidden-wrapper", sources: "thief, testset", payload: true, gen: func(c *sealed3Ctx) sealed3Out {
		html := `<script language="javascript" type="text/javascript">
document.write("<div style='display:none;'>");
</script><div>
` + c.p.html() + `
<script language="javascript" type="text/javascript">
document.write("</div>");
</script></div>`
		return sealed3In(c.where(html, true))
	}},
	{name: "docwrite-offscreen-block", sources: "thief, yuanzhao", payload: true, gen: func(c *sealed3Ctx) sealed3Out {
		v := c.pick("-1200", "-2500", "-6000")
		w := c.pick("document.write", "document.writeln")
		return sealed3In(c.where(fmt.Sprintf(`<script type="text/javascript">%s('<div style="position:absolute;left:%spx;top:%spx">%s</div>');</script>`, w, v, v, sealed3JS(c.p.html())), true))
	}},
	{name: "docwrite-split-tags", sources: "testset", payload: true, gen: func(c *sealed3Ctx) sealed3Out {
		return sealed3In(c.where(`<script>document.write('<d'+'iv st'+'yle="dis'+'play:no'+'ne">'+'`+sealed3JS(c.p.html())+`'+'</d'+'iv>');</script>`, true))
	}},
	{name: "docwrite-unescape", sources: "yuanzhao, teaweb", payload: true, gen: func(c *sealed3Ctx) sealed3Out {
		enc := sealed3Escape(`<div style="display:none">` + c.p.html() + `</div>`)
		return sealed3In(c.where(`<script language="javascript">document.write(unescape("`+enc+`"));</script>`, true))
	}},
	{name: "script-hides-div", sources: "thief", payload: true, gen: func(c *sealed3Ctx) sealed3Out {
		return sealed3In(c.where(`<div id="`+c.id+`">`+c.p.html()+`</div>
<script language=javascript>
document.getElementById("`+c.id+`").style.display="none"
</script>`, true))
	}},
	{name: "entity-coded-hidden", sources: "teaweb", payload: true, links: true, gen: func(c *sealed3Ctx) sealed3Out {
		var out []string
		for i := range c.p.hosts {
			out = append(out, fmt.Sprintf(`<a href="%s">%s</a>`, sealed3Entities("http://"+c.p.hosts[i]+"/"), sealed3Entities(c.p.texts[i])))
		}
		return sealed3In(c.where(`<div style="display:none">`+strings.Join(out, " ")+`</div>`, true))
	}},
	{name: "text-indent-offscreen", sources: "anlian, testset", payload: true, gen: func(c *sealed3Ctx) sealed3Out {
		v := c.pick("-469em", "-99999px", "-20000px")
		return sealed3In(c.where(`<div style="text-indent:`+v+`;white-space:nowrap;overflow:hidden">`+strings.ReplaceAll(c.p.html(), "<br>", " ")+`</div>`, true))
	}},
	{name: "cover-layer", sources: "thief, anlian", payload: true, gen: func(c *sealed3Ctx) sealed3Out {
		html := `<div class="father" style="position:relative;height:36px;overflow:hidden">
<div class="topLever" style="position:absolute;left:0;top:0;z-index:999;width:100%;height:36px;background:#fff;line-height:36px;text-align:center">欢迎访问` + c.site.name + `网站</div>
<div class="hideContent">` + c.p.html() + `</div></div>`
		return sealed3In(c.where(html, false))
	}},
	{name: "body-innerhtml-append", sources: "anlian, testset", payload: true, gen: func(c *sealed3Ctx) sealed3Out {
		return sealed3In(inject{end: `<script>top.document.body.innerHTML=top.document.body.innerHTML+'<div style="display:none">` + sealed3JS(c.p.html()) + `</div>';</script>`})
	}},
	// Cloaking: the spider's copy differs.
	{name: "cloak-spider-friend-links", sources: "copyweb, seo-ua", payload: true, cloak: true, gen: func(c *sealed3Ctx) sealed3Out {
		block := `<div class='fflink'>` + c.p.html() + `</div>`
		return sealed3Out{spider: c.site.tmpl(c.site, c.day, c.where(block, true))}
	}},
	{name: "cloak-spider-doorway", sources: "seo-ua", payload: true, links: true, cloak: true, gen: func(c *sealed3Ctx) sealed3Out {
		t := c.p.texts
		var items []string
		for i := range c.p.hosts {
			items = append(items, fmt.Sprintf(`<li><a href="%s">%s</a> <span>%d-%02d</span></li>`, c.p.url(i), t[i], 11, 1+(c.day+i)%28))
		}
		page := fmt.Sprintf(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>%s_%s-%s</title><meta name="keywords" content="%s,%s"><meta name="description" content="%s提供%s、%s最新信息"></head><body><h1>%s</h1><p>%s是%s官方推荐的%s平台，%s。</p><ul>%s</ul><p>%s版权所有</p></body></html>`,
			t[0], t[1%len(t)], c.site.name, t[0], t[1%len(t)], c.site.name, t[0], t[1%len(t)], t[0], t[0], c.site.name, t[1%len(t)], t[2%len(t)], strings.Join(items, ""), c.site.name)
		return sealed3Out{spider: page}
	}},
	{name: "cloak-spider-title", sources: "copyweb", kinds: []string{KindIllicitContent}, cloak: true, gen: func(c *sealed3Ctx) sealed3Out {
		w := genSealed3.spam
		o := c.r.Intn(len(w))
		title := w[o] + "_" + w[(o+1)%len(w)] + "_" + w[(o+2)%len(w)]
		page := c.site.tmpl(c.site, c.day, inject{})
		page = sealed3Title.ReplaceAllLiteralString(page, "<title>"+title+"</title>\r\n<meta name=\"keywords\" content="+w[o]+","+w[(o+3)%len(w)]+" />\r\n<meta name=\"description\" content="+w[(o+4)%len(w)]+"，"+w[(o+5)%len(w)]+" />")
		return sealed3Out{spider: page}
	}},
	// Title stuffing for every visitor, title restored by script (快照劫持).
	{name: "title-stuffing-restored", sources: "copyweb, anlian", kinds: []string{KindIllicitContent}, gen: func(c *sealed3Ctx) sealed3Out {
		w := genSealed3.spam
		o := c.r.Intn(len(w))
		var orig string
		return sealed3Out{
			in: inject{head: fmt.Sprintf(`<meta name="description" content="%s（%s）%s旗下%s门户，在这里我们为您提供%s、%s等服务，欢迎您的光临">`, w[o], genSealed3.hosts[c.r.Intn(len(genSealed3.hosts))], w[(o+1)%len(w)], w[(o+2)%len(w)], w[(o+3)%len(w)], w[(o+4)%len(w)])},
			post: func(page string) string {
				if m := sealed3Title.FindStringSubmatch(page); m != nil {
					orig = m[1]
				}
				page = sealed3Title.ReplaceAllLiteralString(page, "<title>"+w[o]+"-"+w[(o+1)%len(w)]+"</title>")
				return strings.Replace(page, "</head>", `<script>document.title="`+orig+`";</script></head>`, 1)
			},
		}
	}},
	// Hidden frames, a foreign script, redirects.
	{name: "iframe-zero-size", sources: "anlian, testset", kinds: []string{KindHiddenIframe}, gen: func(c *sealed3Ctx) sealed3Out {
		h := genSealed3.hosts[c.r.Intn(len(genSealed3.hosts))]
		f := c.pick(`<iframe src="http://%s/" width=0 height=0 frameborder=0></iframe>`, `<iframe src="http://%s/index.html" width="0" height="0" style="display:none"></iframe>`, `<IFRAME src="http://%s/" marginWidth=0 marginheight=0 frameBorder=0 width="0" scrolling=no height=0></iframe>`)
		return sealed3In(c.where(fmt.Sprintf(f, h), true))
	}},
	{name: "iframe-docwrite", sources: "anlian, testset", kinds: []string{KindHiddenIframe}, gen: func(c *sealed3Ctx) sealed3Out {
		h := genSealed3.hosts[c.r.Intn(len(genSealed3.hosts))]
		return sealed3In(c.where(`<script>document.write("<iframe width='0' height='0' src='http://`+h+`/tj.html'></iframe>");</script>`, true))
	}},
	{name: "foreign-script", sources: "tamper, anlian", kinds: []string{KindNewExternalScript}, gen: func(c *sealed3Ctx) sealed3Out {
		h := genSealed3.hosts[c.r.Intn(len(genSealed3.hosts))]
		tag := fmt.Sprintf(`<script language=javascript src="http://%s/%s"></script>`, h, c.pick("js/tj.js", "common.js", "jquery.min.js"))
		if c.r.Intn(2) == 0 {
			return sealed3In(inject{head: tag})
		}
		return sealed3In(inject{end: tag})
	}},
	{name: "referrer-redirect", sources: "tamper, teaweb", kinds: []string{KindMaliciousRedirect}, gen: func(c *sealed3Ctx) sealed3Out {
		h := genSealed3.hosts[c.r.Intn(len(genSealed3.hosts))]
		return sealed3In(inject{head: `<script>
var s = document.referrer;
if (s.indexOf("google") != -1 || s.indexOf("baidu") != -1 || s.indexOf("sogou") != -1 || s.indexOf("so.com") != -1) {
    window.location.href = "http://` + h + `/";
}
</script>`})
	}},
	{name: "phone-ua-redirect", sources: "tamper", kinds: []string{KindMaliciousRedirect}, gen: func(c *sealed3Ctx) sealed3Out {
		h := genSealed3.hosts[c.r.Intn(len(genSealed3.hosts))]
		return sealed3In(c.where(`<script type="text/javascript">
function Redirect(){ window.location.href="https://`+h+`/m/"; }
if(/Android|webOS|iPhone|iPod|BlackBerry/i.test(navigator.userAgent)){ setTimeout(Redirect, 300); }
</script>`, false))
	}},
}

var sealed3Title = regexp.MustCompile(`<title>([^<]*)</title>`)

// ---------------------------------------------------------------------------
// Benign changes: legitimate later edits, some of which hide things.

type sealed3Change struct {
	name string
	gen  func(r *rand.Rand, s genSite) inject
}

var sealed3Benign = []sealed3Change{
	{"next-day-only", func(r *rand.Rand, s genSite) inject { return inject{} }},
	{"hover-department-menu", func(r *rand.Rand, s genSite) inject {
		return inject{
			head: `<style>.nav3{list-style:none;margin:0;padding:0}.nav3>li{position:relative;display:inline-block;padding:0 12px}.nav3 li ul{display:none;position:absolute;left:0;top:100%;background:#fff;border:1px solid #ddd;list-style:none;padding:4px 0;z-index:20}.nav3 li:hover ul{display:block}</style>`,
			top:  `<ul class="nav3"><li><a href="/jgsz/">机构设置</a><ul><li><a href="/jgsz/bgs/">办公室</a></li><li><a href="/jgsz/ywk/">业务科</a></li><li><a href="/jgsz/xxzx/">信息中心</a></li></ul></li><li><a href="/ldxx/">领导信息</a></li></ul>`,
		}
	}},
	{"tab-panes-script", func(r *rand.Rand, s genSite) inject {
		return inject{
			head: `<style>.tabc .pane{display:none}.tabc .pane.on{display:block}.tabs3 span{cursor:pointer;padding:4px 10px}</style>`,
			foot: `<div class="tabs3"><span onclick="sw3(0)">通知公告</span><span onclick="sw3(1)">政策文件</span></div><div class="tabc"><div class="pane on"><a href="/tzgg/` + strconv.Itoa(200+r.Intn(50)) + `.html">关于调整办公时间的通知</a></div><div class="pane"><a href="/zcwj/` + strconv.Itoa(80+r.Intn(20)) + `.html">` + s.short + `工作规则（修订）</a></div></div>`,
			end:  `<script>function sw3(i){var p=document.querySelectorAll(".tabc .pane");for(var k=0;k<p.length;k++){p[k].className=k==i?"pane on":"pane"}}</script>`,
		}
	}},
	{"photo-carousel", func(r *rand.Rand, s genSite) inject {
		n := 30 + r.Intn(40)
		return inject{
			top: fmt.Sprintf(`<div class="slides" id="sl3"><div class="slide"><a href="/tpxw/%d.html"><img src="/upload/tp/%d.jpg" alt="%s开展主题活动"></a></div><div class="slide" style="display:none"><a href="/tpxw/%d.html"><img src="/upload/tp/%d.jpg" alt="%s召开工作会议"></a></div></div>`, n, n, s.short, n+1, n+1, s.short),
			end: `<script>(function(){var i=0,s=document.querySelectorAll("#sl3 .slide");setInterval(function(){s[i].style.display="none";i=(i+1)%s.length;s[i].style.display="block"},5000)})()</script>`,
		}
	}},
	{"collapsed-more-list", func(r *rand.Rand, s genSite) inject {
		var li []string
		for i := 0; i < 7; i++ {
			cls := ""
			if i >= 3 {
				cls = ` class="more-item"`
			}
			li = append(li, fmt.Sprintf(`<li%s><a href="/gzdt/%d.html">%s工作动态（第%d期）</a></li>`, cls, 500+i, s.short, 40+i))
		}
		return inject{
			head: `<style>.more-item{display:none}.showall .more-item{display:list-item}</style>`,
			foot: `<ul id="ml3">` + strings.Join(li, "") + `</ul><a href="javascript:;" onclick="document.getElementById('ml3').className='showall';this.style.display='none'">展开更多</a>`,
		}
	}},
	{"cookie-consent-slide-up", func(r *rand.Rand, s genSite) inject {
		return inject{
			end: `<div id="cookie3" style="position:fixed;left:0;right:0;bottom:-200px;background:#333;color:#fff;padding:12px;transition:bottom .3s">本网站使用Cookie改善浏览体验，继续访问即表示同意。<a href="/yszc/" style="color:#9cf">隐私政策</a> <button onclick="document.cookie='c3=1;path=/';this.parentNode.style.bottom='-200px'">同意</button></div><script>if(document.cookie.indexOf("c3=1")<0){setTimeout(function(){document.getElementById("cookie3").style.bottom="0"},800)}</script>`,
		}
	}},
	{"print-only-contact", func(r *rand.Rand, s genSite) inject {
		return inject{
			head: `<style>.print-only{display:none}@media print{.print-only{display:block}.nav,.noprint{display:none}}</style>`,
			foot: `<div class="print-only">本页打印自` + s.name + `网站 https://` + s.host + `/ ，咨询电话：0` + strconv.Itoa(700+r.Intn(99)) + `-12345</div>`,
		}
	}},
	{"fraud-warning-news", func(r *rand.Rand, s genSite) inject {
		w := genSealed3.spam
		o := r.Intn(len(w))
		return inject{top: fmt.Sprintf(`<div class="notice"><b>反诈提醒：</b>近期有不法分子通过短信、网页推送“%s”“%s”“%s”等信息实施诈骗和网络赌博，请广大群众提高警惕，切勿点击不明链接，发现线索请拨打110或登录<a href="https://www.12377.cn/">违法和不良信息举报中心</a>举报。</div>`, w[o], w[(o+5)%len(w)], w[(o+11)%len(w)])}
	}},
	{"select-friendly-links", func(r *rand.Rand, s genSite) inject {
		return inject{foot: `<select onchange="if(this.value){window.open(this.value)}" class="yqlj-sel"><option value="">—— 政府网站 ——</option><option value="https://www.gov.cn/">中国政府网</option><option value="http://www.mohrss.gov.cn/">人力资源和社会保障部</option><option value="http://www.court.gov.cn/">最高人民法院</option><option value="https://www.saac.gov.cn/">国家档案局</option></select>`}
	}},
	{"hover-friendly-link-panel", func(r *rand.Rand, s genSite) inject {
		return inject{
			head: `<style>.yqlj3{position:relative;display:inline-block}.yqlj3 .panel{display:none;position:absolute;bottom:100%;left:0;background:#fff;border:1px solid #ccc;padding:6px;white-space:nowrap}.yqlj3:hover .panel{display:block}</style>`,
			foot: `<div class="yqlj3"><span>市县政府网站 ▲</span><div class="panel"><a href="http://www.hunan.gov.cn/">湖南省人民政府</a> <a href="http://www.gd.gov.cn/">广东省人民政府</a> <a href="http://www.zj.gov.cn/">浙江省人民政府</a></div></div>`,
		}
	}},
	{"lazy-hidden-tab", func(r *rand.Rand, s genSite) inject {
		return inject{foot: `<section class="tab-pane" id="xxgk3" hidden data-src="/xxgk/list.json"><h3>信息公开目录</h3><a href="/xxgk/zn/">信息公开指南</a> <a href="/xxgk/nb/">信息公开年报</a></section><a href="#xxgk3" onclick="document.getElementById('xxgk3').hidden=false">信息公开</a>`}
	}},
	{"offcanvas-mobile-nav", func(r *rand.Rand, s genSite) inject {
		return inject{
			top: `<nav id="mnav3" style="position:fixed;top:0;left:-280px;width:260px;height:100%;background:#fff;box-shadow:0 0 8px #999;transition:left .3s;z-index:50"><a href="/">首页</a> <a href="/tzgg/">通知公告</a> <a href="/bszn/">办事指南</a> <a href="/lxwm/">联系我们</a></nav><button class="mbtn" onclick="var n=document.getElementById('mnav3');n.style.left=n.style.left=='0px'?'-280px':'0px'">≡ 菜单</button>`,
		}
	}},
}

// ---------------------------------------------------------------------------
// Cases.

// sealed3Cases builds every labelled case: each technique on each site,
// and every benign change on each site.
func sealed3Cases() []genLabelled {
	var out []genLabelled
	for si, s := range genSealed3.sites {
		for ti, t := range sealed3Techniques {
			r := rand.New(rand.NewSource(int64(3_000_000 + si*1000 + ti*13)))
			// Spam links most of the time; neutral anchors (a paid-link
			// client) one case in six, spam text one in twelve, spread so
			// that each technique gets a mix across the sites.
			kind := payloadSpamLinks
			if t.payload {
				switch k := (si*5 + ti*7) % 12; {
				case k < 2:
					kind = payloadNeutralLinks
				case k == 2 && !t.links:
					kind = payloadSpamText
				}
			}
			c := &sealed3Ctx{r: r, p: sealed3NewPayload(r, kind), site: s, day: 10 + ti, id: fmt.Sprintf("c%x", r.Int63()%0xfffff)}
			o := t.gen(c)
			page := s.tmpl(s, c.day, o.in)
			if o.post != nil {
				page = o.post(page)
			}
			lc := genLabelled{site: s.host, name: t.name, html: []byte(page), baselineFor: s}
			if t.payload {
				lc.kinds = c.p.kinds()
			} else {
				lc.kinds = append([]string{}, t.kinds...)
			}
			if t.cloak {
				lc.kinds = append(lc.kinds, KindCloaking)
			}
			if o.spider != "" {
				lc.spider = []byte(o.spider)
			}
			out = append(out, lc)
		}
		for bi, b := range sealed3Benign {
			r := rand.New(rand.NewSource(int64(3_500_000 + si*100 + bi)))
			out = append(out, genLabelled{site: s.host, name: b.name, html: []byte(s.tmpl(s, 40+bi, b.gen(r, s))), baselineFor: s})
		}
	}
	return out
}

// sealed3Labels is the number of labels per kind the split holds, and
// sealed3BenignPages the number of benign pages; TestSealed3SplitWellFormed
// fails when the generator changes them.
var sealed3Labels = map[string]int{
	KindHiddenLink:        152,
	KindIllicitContent:    146,
	KindCloaking:          18,
	KindMaliciousRedirect: 12,
	KindHiddenIframe:      12,
	KindNewExternalScript: 6,
}

const sealed3BenignPages = 6 * 12

// ---------------------------------------------------------------------------
// Templates: six new kinds of site. Content changes with the day.

func sealed3Date(day, back int) string {
	d := 200 + day - back
	return fmt.Sprintf("2026-%02d-%02d", 1+(d/28)%12, 1+d%28)
}

func sealed3Head(s genSite, title, style string, in inject) string {
	return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>` + title + `</title>
<meta name="SiteName" content="` + s.name + `">
<meta name="SiteDomain" content="` + s.host + `">
<style>body{margin:0;background:#fff;color:#333;font:14px/1.7 "Microsoft YaHei",sans-serif}a{color:#1a3d6d;text-decoration:none}.w{width:1000px;margin:0 auto}` + style + `</style>
` + in.head + `
</head>
<body>
` + in.top
}

func sealed3Footer(s genSite, in inject, lines, links string) string {
	bg := sealed3FooterBG[s.host]
	return `<div class="footer" style="background:` + bg + `;color:#eee;padding:14px 0;margin-top:20px"><div class="w">
<div class="flinks">友情链接：` + links + `</div>
` + in.foot + `
` + lines + `
</div></div>
` + in.end + `
</body>
</html>`
}

func sealed3TmplCourt(s genSite, day int, in inject) string {
	var rows strings.Builder
	causes := []string{"民间借贷纠纷", "买卖合同纠纷", "离婚纠纷", "机动车交通事故责任纠纷", "劳动争议", "盗窃罪", "物业服务合同纠纷", "危险驾驶罪"}
	for i := 0; i < 8; i++ {
		k := (day*3 + i) % len(causes)
		fmt.Fprintf(&rows, `<tr><td>(2026)湘0%d民初%d号</td><td>%s</td><td>%s %02d:%02d</td><td>第%d法庭</td><td>%s</td></tr>`,
			421+i%3, 1200+day*11+i, causes[k], sealed3Date(day, -i-1), 9+i%6, (i%2)*30, 1+(day+i)%6, []string{"王某某诉李某某", "张某与刘某", "某小额贷款公司诉陈某", "公诉机关岚山县人民检察院"}[(day+i)%4])
	}
	return sealed3Head(s, "开庭公告_"+s.name, `.top{background:#8b1a1a;color:#fff;height:80px}.top h1{margin:0;line-height:80px;font-size:26px}.nav{background:#a52a2a}.nav a{color:#fff;display:inline-block;padding:0 16px;line-height:38px}table.kt{width:100%;border-collapse:collapse}.kt td,.kt th{border:1px solid #e3c8c8;padding:5px 8px}.kt th{background:#f6e9e9}.side{float:right;width:240px}.main{float:left;width:740px}.clear{clear:both}`, in) + `
<div class="top"><div class="w"><h1>` + s.name + `</h1></div></div>
<div class="nav"><div class="w"><a href="/">网站首页</a><a href="/fygk/">法院概况</a><a href="/ktgg/">开庭公告</a><a href="/sswd/">诉讼指南</a><a href="/cpws/">裁判文书</a><a href="/zxgk/">执行公开</a><a href="/xwzx/">新闻中心</a></div></div>
<div class="w">
<div class="main"><p class="pos">当前位置：首页 &gt; 开庭公告</p>
<h2>开庭公告</h2>
<table class="kt"><tr><th>案号</th><th>案由</th><th>开庭时间</th><th>法庭</th><th>当事人</th></tr>` + rows.String() + `</table>
<p>根据《中华人民共和国民事诉讼法》第一百三十九条规定，人民法院审理民事案件，应当在开庭三日前通知当事人和其他诉讼参与人。公开审理的，应当公告当事人姓名、案由和开庭的时间、地点。更新时间：` + sealed3Date(day, 0) + `</p>
</div>
<div class="side"><h3>诉讼服务</h3><ul><li><a href="/ssfw/lian/">网上立案</a></li><li><a href="/ssfw/jf/">诉讼费缴纳</a></li><li><a href="/ssfw/yy/">预约法官</a></li><li><a href="/ssfw/ajcx/">案件查询</a></li></ul><p>诉讼服务热线：12368</p></div>
<div class="clear"></div></div>
` + sealed3Footer(s, in, `<p>主办：`+s.name+` 地址：岚山县迎宾大道18号 邮编：414300</p><p>湘ICP备15009321号-1 湘公网安备43062102000118号</p>`,
		`<a href="http://www.court.gov.cn/">最高人民法院</a> <a href="http://www.hunancourt.gov.cn/">湖南法院网</a> <a href="https://wenshu.court.gov.cn/">中国裁判文书网</a> <a href="http://tingshen.court.gov.cn/">中国庭审公开网</a>`)
}

func sealed3TmplBenefits(s genSite, day int, in inject) string {
	var cal strings.Builder
	items := []string{"城镇职工基本养老金", "城乡居民基础养老金", "失业保险金", "工伤保险定期待遇", "遗属待遇", "高龄津贴"}
	for i, it := range items {
		fmt.Fprintf(&cal, `<tr><td>%s</td><td>%s</td><td>%d人</td><td>%d.%02d万元</td><td>%s</td></tr>`, it, sealed3Date(day, -(i*2+3)), 1200+(day*37+i*211)%9000, 100+(day*13+i*7)%800, (day+i)%100, []string{"已发放", "待发放", "发放中"}[(day+i)%3])
	}
	return sealed3Head(s, s.name+"—待遇发放日历", `.hd{border-bottom:3px solid #1f5fa8;height:90px}.hd h1{color:#1f5fa8;font-size:24px;margin:0;line-height:90px}.menu{background:#f0f5fb}.menu a{display:inline-block;padding:0 18px;line-height:40px}.cal{width:100%;border-collapse:collapse}.cal td,.cal th{border:1px solid #cfdcec;padding:6px}.tip{background:#fffbe6;border:1px solid #f0e0a0;padding:8px}.col{display:flex;gap:20px}.col>div{flex:1}`, in) + `
<div class="hd"><div class="w"><h1>` + s.name + `</h1></div></div>
<div class="menu"><div class="w"><a href="/">首页</a><a href="/zcfg/">政策法规</a><a href="/dyff/">待遇发放</a><a href="/cbjf/">参保缴费</a><a href="/bszn/">办事指南</a><a href="/wsbs/">网上办事</a></div></div>
<div class="w">
<h2>` + fmt.Sprintf("2026年%d月", 1+((200+day)/28)%12) + `社会保险待遇发放日历</h2>
<table class="cal"><tr><th>待遇项目</th><th>发放日期</th><th>发放人数</th><th>发放金额</th><th>状态</th></tr>` + cal.String() + `</table>
<p class="tip">温馨提示：待遇资格认证可通过“掌上12333”App或社保经办窗口办理；社保工作人员不会通过电话要求您转账。</p>
<div class="col"><div><h3>通知公告</h3><ul><li><a href="/tzgg/` + strconv.Itoa(3000+day) + `.html">关于` + sealed3Date(day, 2) + `系统升级暂停业务办理的公告</a></li><li><a href="/tzgg/` + strconv.Itoa(2990+day) + `.html">2026年度社会保险缴费基数申报的通知</a></li></ul></div>
<div><h3>办事指南</h3><ul><li><a href="/bszn/tx.html">退休申报</a></li><li><a href="/bszn/zy.html">关系转移接续</a></li><li><a href="/bszn/sy.html">失业保险金申领</a></li></ul></div></div>
</div>
` + sealed3Footer(s, in, `<p>`+s.name+` 版权所有 联系电话：0574-12333</p><p>浙ICP备12047733号 浙公网安备33028102001377号 网站标识码：3302000019</p>`,
		`<a href="http://www.mohrss.gov.cn/">人力资源和社会保障部</a> <a href="https://si.12333.gov.cn/">国家社会保险公共服务平台</a> <a href="https://www.zjzwfw.gov.cn/">浙江政务服务网</a>`)
}

func sealed3TmplBus(s genSite, day int, in inject) string {
	routes := []string{"1路", "7路", "12路", "26路", "K3路", "夜班N2路"}
	var notices strings.Builder
	for i := 0; i < 5; i++ {
		rt := routes[(day+i)%len(routes)]
		fmt.Fprintf(&notices, `<li><span class="d">%s</span><a href="/xlgg/%d.html">关于%s因道路施工临时绕行的公告</a></li>`, sealed3Date(day, i*2), 700+day*5+i, rt)
	}
	stops := []string{"火车站", "人民广场", "市一医院", "柳湾中学", "建设路口", "滨江公园", "汽车南站"}
	var st strings.Builder
	for i := 0; i < 5; i++ {
		fmt.Fprintf(&st, `<span class="stop">%s</span>→`, stops[(day+i)%len(stops)])
	}
	return sealed3Head(s, s.name+"_线路公告", `.hdr{background:#0a6e4f;color:#fff;padding:18px 0}.hdr h1{margin:0;font-size:24px}.nav a{display:inline-block;padding:8px 14px;color:#0a6e4f}.grid{display:grid;grid-template-columns:2fr 1fr;gap:24px}.d{color:#999;margin-right:10px}.stop{background:#e8f5ef;padding:2px 6px;border-radius:3px}.box{border:1px solid #cde5da;padding:10px}`, in) + `
<header class="hdr"><div class="w"><h1>` + s.name + `</h1><span>服务热线 0772-96111</span></div></header>
<nav class="nav w"><a href="/">首页</a><a href="/xlcx/">线路查询</a><a href="/xlgg/">线路公告</a><a href="/gjk/">公交卡服务</a><a href="/shiwu/">失物招领</a><a href="/about/">关于我们</a></nav>
<div class="w grid">
<div><h2>线路公告</h2><ul>` + notices.String() + `</ul>
<div class="box"><h3>` + routes[day%len(routes)] + `临时绕行示意</h3><p>` + st.String() + `终点</p><p>实施时间：` + sealed3Date(day, -1) + ` 至 ` + sealed3Date(day, -15) + `，首末班时间不变。</p></div></div>
<aside><div class="box"><h3>实时运营</h3><p>今日投入运营车辆 ` + strconv.Itoa(420+day%37) + ` 辆，准点率 ` + strconv.Itoa(90+day%9) + `%</p></div><div class="box"><h3>便民服务</h3><a href="/gjk/cz.html">公交卡充值网点</a><br><a href="/gjk/lnk.html">老年卡办理</a></div></aside>
</div>
` + sealed3Footer(s, in, `<p>`+s.name+` 地址：柳湾市城中区解放北路66号</p><p>桂ICP备10028364号-2 桂公网安备45020202000291号</p>`,
		`<a href="https://www.mot.gov.cn/">交通运输部</a> <a href="http://jtt.gxzf.gov.cn/">广西交通运输厅</a> <a href="http://www.liuwan.gov.cn/">柳湾市人民政府</a>`)
}

func sealed3TmplSchool(s genSite, day int, in inject) string {
	topics := []string{"关于做好冬季校园安全工作的通知", "一年级新生入学报名须知", "校园开放日活动安排", "“双减”课后服务课程表", "期中家长会通知", "秋季运动会秩序册", "流感防控告家长书", "图书漂流活动倡议"}
	var cards strings.Builder
	for i := 0; i < 6; i++ {
		fmt.Fprintf(&cards, `<div class="card"><a href="/tzgg/%d.html">%s</a><p>%s · 校办</p></div>`, 900+day*6+i, topics[(day+i)%len(topics)], sealed3Date(day, i))
	}
	return sealed3Head(s, s.name+" - 通知公告", `.banner{background:#2d6a9f;color:#fff;padding:20px 0}.banner h1{margin:0;font-size:26px}.menu{border-bottom:1px solid #ddd}.menu a{display:inline-block;padding:10px 14px}.cards{display:flex;flex-wrap:wrap;gap:12px}.card{width:300px;border:1px solid #e2e8f0;border-radius:6px;padding:10px}.card p{color:#888;margin:4px 0 0}.week{background:#f7fafc;padding:8px}`, in) + `
<div class="banner"><div class="w"><h1>` + s.name + `</h1><p>快乐学习 健康成长</p></div></div>
<div class="menu w"><a href="/">学校首页</a><a href="/xxgk/">学校概况</a><a href="/tzgg/">通知公告</a><a href="/jxky/">教学科研</a><a href="/dyhd/">德育活动</a><a href="/jxhd/">家校互动</a></div>
<div class="w"><h2>通知公告</h2><div class="cards">` + cards.String() + `</div>
<div class="week"><b>本周值周：</b>` + []string{"三（2）班", "四（1）班", "五（3）班", "二（4）班"}[day%4] + `　<b>本周食谱：</b>` + []string{"番茄炒蛋、清炒时蔬", "红烧鸡腿、冬瓜汤", "鱼香肉丝、紫菜蛋汤"}[day%3] + `</div></div>
` + sealed3Footer(s, in, `<p>`+s.name+` 地址：溪南区枫林路28号 电话：0591-83301234</p><p>闽ICP备13006627号-1 闽公网安备35010202000533号</p>`,
		`<a href="http://www.moe.gov.cn/">教育部</a> <a href="https://www.smartedu.cn/">国家智慧教育公共服务平台</a> <a href="http://jyt.fujian.gov.cn/">福建省教育厅</a>`)
}

func sealed3TmplGrain(s genSite, day int, in inject) string {
	var price strings.Builder
	grains := []string{"早籼稻（三等）", "中晚籼稻（三等）", "粳稻（三等）", "小麦（三等）", "玉米（二等）"}
	for i, g := range grains {
		fmt.Fprintf(&price, `<tr><td>%s</td><td>%d.%02d</td><td>%d</td><td>%s</td></tr>`, g, 1+(i%2), 20+(day*3+i*7)%70, 1000+(day*53+i*97)%4000, []string{"收购中", "暂停收购", "轮换出库"}[(day+i)%3])
	}
	return sealed3Head(s, s.name+"-首页", `.top{background:#6b4f1d;color:#f5e6c8;padding:16px 0}.top h1{margin:0;font-size:24px}.nav a{display:inline-block;padding:8px 16px;color:#6b4f1d;font-weight:bold}.pr{width:100%;border-collapse:collapse}.pr td,.pr th{border:1px solid #e5d7bb;padding:6px}.two{display:flex;gap:20px}.two>div{flex:1}.num{font-size:22px;color:#b5651d}`, in) + `
<div class="top"><div class="w"><h1>` + s.name + `</h1><span>守住管好“天下粮仓”</span></div></div>
<div class="nav w"><a href="/">首页</a><a href="/qygk/">企业概况</a><a href="/sgxx/">收购信息</a><a href="/cbgl/">储备管理</a><a href="/aqsc/">安全生产</a><a href="/djgz/">党建工作</a></div>
<div class="w"><div class="two"><div><h2>今日收购价格（元/斤）</h2><table class="pr"><tr><th>品种</th><th>价格</th><th>今日收购量（吨）</th><th>状态</th></tr>` + price.String() + `</table><p>价格执行时间：` + sealed3Date(day, 0) + `，按国家最低收购价政策执行，质价相符。</p></div>
<div><h2>仓储概况</h2><p>设计仓容 <span class="num">` + strconv.Itoa(24+day%3) + `</span> 万吨，当前储粮温度 <span class="num">` + strconv.Itoa(12+day%6) + `℃</span></p><ul><li><a href="/aqsc/` + strconv.Itoa(400+day) + `.html">开展冬季储粮安全专项检查</a></li><li><a href="/cbgl/` + strconv.Itoa(300+day) + `.html">完成第` + strconv.Itoa(1+day%4) + `批次轮换出库</a></li></ul></div></div></div>
` + sealed3Footer(s, in, `<p>`+s.name+` 地址：南岭市粮储路1号 售粮咨询：0738-8221100</p><p>湘ICP备18011245号-1 湘公网安备43130202000061号</p>`,
		`<a href="http://www.lswz.gov.cn/">国家粮食和物资储备局</a> <a href="http://www.sinograin.com.cn/">中国储备粮管理集团</a> <a href="http://www.moa.gov.cn/">农业农村部</a>`)
}

func sealed3TmplArchives(s genSite, day int, in inject) string {
	var rows strings.Builder
	fonds := []string{"溪口县人民委员会", "溪口县计划委员会", "溪口县水利电力局", "溪口县供销合作社", "溪口县文化局", "溪口县粮食局"}
	for i := 0; i < 8; i++ {
		fmt.Fprintf(&rows, `<tr><td>%03d</td><td>%s</td><td>%d—%d</td><td>%d卷</td><td><a href="/kfml/%d.html">查看目录</a></td></tr>`, 10+(day+i)%60, fonds[(day+i)%len(fonds)], 1956+(day+i)%20, 1966+(day+i)%20, 40+(day*17+i*29)%400, 100+day*8+i)
	}
	return sealed3Head(s, s.name+"—开放档案目录", `.head{background:#3b3b3b;color:#fff;padding:16px 0}.head h1{margin:0;font-size:24px;letter-spacing:2px}.nav a{display:inline-block;padding:9px 15px;color:#333}.cat{width:100%;border-collapse:collapse}.cat td,.cat th{border:1px solid #ddd;padding:6px}.search{background:#f4f4f4;padding:10px;margin:10px 0}`, in) + `
<div class="head"><div class="w"><h1>` + s.name + `</h1></div></div>
<div class="nav w"><a href="/">首页</a><a href="/dagk/">馆藏概况</a><a href="/kfml/">开放目录</a><a href="/cdly/">查档利用</a><a href="/dawh/">档案文化</a><a href="/zcfg/">政策法规</a></div>
<div class="w"><form class="search" action="/search/" method="get">全宗名称 <input name="q" type="text"> 年度 <select name="y"><option>全部</option><option>1950—1959</option><option>1960—1969</option></select> <button type="submit">检索</button></form>
<h2>开放档案目录（第` + strconv.Itoa(1+day%5) + `批）</h2><table class="cat"><tr><th>全宗号</th><th>全宗名称</th><th>起止年度</th><th>开放数量</th><th>操作</th></tr>` + rows.String() + `</table>
<p>依据《中华人民共和国档案法》，本馆向社会开放档案，公民持有效身份证件可到查档大厅查阅。最近更新：` + sealed3Date(day, 0) + `　本周接待查档 ` + strconv.Itoa(30+day%40) + ` 人次</p></div>
` + sealed3Footer(s, in, `<p>`+s.name+` 地址：溪口县文昌路9号 查档电话：0576-86012345</p><p>浙ICP备09031874号 浙公网安备33108102000145号 网站标识码：3310830027</p>`,
		`<a href="https://www.saac.gov.cn/">国家档案局</a> <a href="http://www.zjda.gov.cn/">浙江档案网</a> <a href="https://www.gov.cn/">中国政府网</a>`)
}

// ---------------------------------------------------------------------------
// Tests.

// TestGeneratedCorpusSealed3 measures the detector on the sealed3 split.
// Nobody ran the detector on it while it was written; it has no floors.
func TestGeneratedCorpusSealed3(t *testing.T) {
	labelled, found, falseAlarms := scoreSealed(t, genSealed3.name, sealed3Cases(), len(genSealed3.sites))
	for k, n := range sealed3Labels {
		if labelled[k] != n {
			t.Errorf("sealed3: %d %s labels scored, want %d", labelled[k], k, n)
		}
	}
	for k, floor := range sealed3Floors {
		if found[k] < floor {
			t.Errorf("sealed3: %s found %d/%d, below the floor %d", k, found[k], labelled[k], floor)
		}
	}
	if falseAlarms > sealed3MaxFalseAlarms {
		t.Errorf("sealed3: %d false alarms, more than the %d allowed", falseAlarms, sealed3MaxFalseAlarms)
	}
}

// sealed3Floors are the sealed3 split's first-run counts (2026-12-07, the
// detector of main after the tamper5 round, run once by the lead after the
// split was committed): 146/152 hidden_link (96.1 %), 146/146 illicit_content, every other kind 100 %, 5 false alarms (defacement on one site's benign pages). The test now always runs; raise the
// floors only when the detector improves. Raised after round 5 (tamper7:
// picture covers, an earlier positioned cover, a farther containing block)
// to 152/152 hidden_link.
var sealed3Floors = map[string]int{
	KindHiddenLink:        152,
	KindIllicitContent:    146,
	KindCloaking:          18,
	KindMaliciousRedirect: 12,
	KindHiddenIframe:      12,
	KindNewExternalScript: 6,
}

// The first run's five false alarms (defacement on one small site's benign
// pages) were a class: stable blocks compared by the hash of their own text
// (TestDefacementNeedsReplacedWords); none is raised now.
const sealed3MaxFalseAlarms = 0

var (
	sealed3PctU  = regexp.MustCompile(`%u([0-9A-Fa-f]{4})|%([0-9A-Fa-f]{2})`)
	sealed3JSEsc = regexp.MustCompile(`\\u([0-9A-Fa-f]{4})|\\x([0-9A-Fa-f]{2})`)
)

// sealed3Decodings adds to sealedDecodings JavaScript's escape() form
// (%uXXXX) and \uXXXX / \xXX string escapes.
func sealed3Decodings(page string) []string {
	out := sealedDecodings(page)
	dec := func(re *regexp.Regexp) string {
		return re.ReplaceAllStringFunc(page, func(m string) string {
			sm := re.FindStringSubmatch(m)
			h := sm[1]
			if h == "" {
				h = sm[2]
			}
			n, err := strconv.ParseUint(h, 16, 32)
			if err != nil {
				return m
			}
			return string(rune(n))
		})
	}
	return append(out, dec(sealed3PctU), dec(sealed3JSEsc))
}

// sealed3HasSpam reports whether one of the split's hosts or words is in
// the page or one of its decodings.
func sealed3HasSpam(page string) bool {
	words := append(append([]string{}, genSealed3.spam...), genSealed3.neutral...)
	for _, d := range sealed3Decodings(page) {
		d = strings.ToLower(d)
		for _, h := range genSealed3.hosts {
			if strings.Contains(d, strings.ToLower(h)) {
				return true
			}
		}
		for _, w := range words {
			if strings.Contains(d, strings.ToLower(w)) {
				return true
			}
		}
	}
	return false
}

// sealed3Others are the other splits, whose hosts, wording, link counts
// and sites this split must not reuse.
func sealed3Others() []genSplit {
	return []genSplit{genTuning, genHeldOut, genFresh, genBlind, genFinal, genSealed, genTuning2, genSealed2, genTuning3, genTuning4}
}

// TestSealed3SplitWellFormed checks the split without running the
// detector: nothing reused from the other splits, every case labelled, the
// label counts, every page parses, spam in every tampered page (or its
// spider copy), none in the browser copy of a cloaking case, and no spam
// host in any benign page.
func TestSealed3SplitWellFormed(t *testing.T) {
	checkSplitDistinct(t, genSealed3, sealed3Others(), true)
	for _, s := range genSealed3.sites {
		if sealed3FooterBG[s.host] == "" {
			t.Errorf("site %s has no footer colour", s.host)
		}
	}
	checkBenignNew(t, names(sealed3Benign, func(b sealed3Change) string { return b.name }), names(sealed2Benign, sealed2ChangeName))
	techNames := map[string]bool{}
	for _, tq := range sealed3Techniques {
		if techNames[tq.name] {
			t.Errorf("technique %s twice", tq.name)
		}
		techNames[tq.name] = true
		if tq.sources == "" {
			t.Errorf("technique %s names no source", tq.name)
		}
		if !tq.payload && len(tq.kinds) == 0 {
			t.Errorf("technique %s carries no label", tq.name)
		}
	}

	cases := sealed3Cases()
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
		checkSplitPage(t, key, c.html, c.baselineFor.name)
		checkSplitPage(t, key, c.spider, c.baselineFor.name)
		if len(c.kinds) == 0 {
			benign++
			checkBenignFree(t, key, c.html, genSealed3.hosts)
			continue
		}
		perTech[c.name]++
		for _, k := range c.kinds {
			labelled[k]++
		}
		if !sealed3HasSpam(string(c.html) + string(c.spider)) {
			t.Errorf("%s: tampered page holds none of the split's spam hosts or words", key)
		}
		if c.spider != nil && sealed3HasSpam(string(c.html)) {
			t.Errorf("%s: cloaking case whose browser copy holds the spam", key)
		}
	}
	checkSplitLabels(t, labelled, sealed3Labels, true)
	if benign != sealed3BenignPages || benign < 70 {
		t.Errorf("%d benign pages, want %d (>= 70)", benign, sealed3BenignPages)
	}
	for _, tq := range sealed3Techniques {
		if perTech[tq.name] != len(genSealed3.sites) {
			t.Errorf("technique %s: %d cases, want one per site (%d)", tq.name, perTech[tq.name], len(genSealed3.sites))
		}
	}
	t.Logf("sealed3 split: %d cases, %d benign, labels %v", len(cases), benign, labelled)
}

// sealed3ExtPage is what the browser check serves in place of a spam
// host's page or script: visible spam, so that a frame that shows changes
// pixels when its text is rotated.
const sealed3ExtPage = `<!DOCTYPE html><html><head><meta charset="utf-8"></head><body style="background:#fff"><p style="font-size:20px"><a href="http://www.yh5577.vip/">威尼斯人线上开户</a> 百家乐稳赢技巧 冰雪传奇私服</p></body></html>`

// TestSealed3SplitHiddenInChromium checks, without the detector, that every
// tampered page of the split hides its payload from a visitor: screenshot,
// rotate the spam texts in place (also in same-origin frames), screenshot
// again; the two must not differ, and a control page with the payload
// visible must. Every src pointing at a spam host is served from loopback
// instead (the test never leaves the machine). It runs only with
// FENGHUO_TAMPER_BROWSER=1 and a Chromium.
func TestSealed3SplitHiddenInChromium(t *testing.T) {
	if os.Getenv("FENGHUO_TAMPER_BROWSER") != "1" {
		t.Skip("set FENGHUO_TAMPER_BROWSER=1 (and FENGHUO_TEST_CHROMIUM) to check in Chromium that the sealed3 split hides its payloads")
	}
	path := sealedChromium()
	if path == "" {
		t.Skip("no Chromium: set FENGHUO_TEST_CHROMIUM")
	}
	var pages []sealedPage
	for _, c := range sealed3Cases() {
		if len(c.kinds) == 0 {
			continue
		}
		pages = append(pages, sealedPage{c.site + " " + c.name, c.html})
	}
	s := genSealed3.sites[0]
	pages = append(pages, sealedPage{"control", []byte(s.tmpl(s, 99, inject{foot: `<div><a href="http://www.yh5577.vip/">威尼斯人线上开户</a> 百家乐稳赢技巧</div>`}))})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if strings.HasPrefix(r.URL.Path, "/ext/") {
			w.Write([]byte(sealed3ExtPage))
			return
		}
		var i int
		if _, err := fmt.Sscanf(r.URL.Path, "/p/%d", &i); err != nil || i < 0 || i >= len(pages) {
			http.NotFound(w, r)
			return
		}
		body := string(pages[i].html)
		for _, h := range genSealed3.hosts {
			for _, q := range []string{`"`, `'`} {
				for _, scheme := range []string{"http://", "https://", "//"} {
					body = strings.ReplaceAll(body, `src=`+q+scheme+h+`/`, `src=`+q+`http://`+r.Host+`/ext/`)
				}
			}
		}
		w.Write([]byte(body))
	}))
	defer srv.Close()
	shown, checked, untouched := sealedPayloadsShown(t, path, srv.URL, pages, genSealed3, 15*time.Minute)
	t.Logf("sealed3 split in Chromium: %d of %d tampered pages show their payload; %d had no spam text in the rendered document to rotate",
		shown, checked, untouched)
}
