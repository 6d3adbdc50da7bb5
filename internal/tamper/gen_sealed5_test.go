package tamper

// The fifth sealed split: a sample of the hidden-link (暗链) and cloaking
// attacks that public incident write-ups and public code show being used
// in the wild, measured on six kinds of site no other split has. Like the
// other sealed splits it was written WITHOUT calling Check, Analyze or
// Learn on any of its pages and without reading the detector's code, its
// documentation or the technique generators of the other splits: it is an
// independent sample, not aimed at or around the detector.
// TestSealed5SplitWellFormed checks only that the split is what it claims
// to be; TestSealed5SplitHiddenInChromium (FENGHUO_TAMPER_BROWSER=1) checks
// in a real Chromium that no payload shows; TestGeneratedCorpusSealed5,
// the only test that runs the detector on it, is skipped unless
// FENGHUO_TAMPER_SEALED5=1 and has no floors: its first run is the
// measurement.
//
// Techniques, with the write-ups and code that show each one used in the
// wild. The number of cases follows how often the write-ups show a
// technique: the common ones (sealed5Techniques with common=true) hold
// about 60 % of the tampered cases.
//
//   - offscreen-absolute — a block of links put off screen with
//     position:absolute and a large negative top or left (-999px,
//     -9999px): the sample page of the 渊照 暗链 scanner,
//     github.com/KaneTheo/YuanZhao tests/fixtures/sample.html
//     (`.off-screen { position: absolute; left: -9999px; }`,
//     `<section style="position:absolute;left:-2000px">`) and its README
//     ("绝对定位出屏（left: -9999px 等）"); a hidden layer "placed -1000px
//     left and -1000px up" that Google penalised,
//     www.ebusiness-strategies.co.uk/news160107gettingcaught.htm; "by
//     positioning the text outside the visible page",
//     www.dummies.com/web-design-development/search-engine-optimization/how-to-deal-with-hidden-text-or-links-on-a-web-page/.
//   - display-none-block — `<div style="display:none">` around the links,
//     the commonest 暗链 of all: YuanZhao sample.html (`<div
//     style="display:none">隐藏的暗链 <a href=…>`); a link-network test file
//     in public code (`<!--seo--><div style="display:none"><a …>`);
//     "hidden links … only visible to search engines",
//     benedictjacka.co.uk/2015/11/06/pharma-hack-after-action-report/ and
//     www.clearhaus.com/blog/pharma-hacking/ ("place hidden links in your
//     text. Neither of the changes will be visible to anyone but Google's
//     crawler robots").
//   - visibility-hidden — YuanZhao sample.html (`visibility:hidden`) and
//     README ("display: none / visibility: hidden").
//   - tiny-font — font-size:0 (and 0 with line-height:0, or 1px in the
//     background colour): YuanZhao sample.html (`<p style="font-size:0">`,
//     `.tiny-font { font-size: 0; }`); "Tiny text", the Hampshire page above.
//   - marquee — links in a marquee a few pixels wide and one pixel high
//     that scrolls thousands of pixels every twenty seconds, or a marquee
//     inside a hidden box: "a 1 pixel wide marquee tag full of keywords
//     … aiming at the poor googlebot", www.phpied.com/marquee-search-engine-spam/
//     (`<marquee width="1">…keywords</marquee>`).
//   - document-write-hidden — an inline script document.write()s a hidden
//     div of links: YuanZhao README (JavaScript 检测: "DOM 操作",
//     document.write in sample.html); "在网页HTML中插入恶意JS代码",
//     news.qdcygd.com/bzwd/202512/393589.html.
//   - colour-as-background — link text in the page's own background
//     colour: YuanZhao sample.html (`.same-color { color: #ffffff;
//     background-color: #fff; }`, "文字与背景同色"); "the same font color
//     as the background color (such as white text on a white
//     background)", the dummies.com page above; "text which is the same
//     colour as the background", www.hampshire.gov.uk/hantsweb/standards/technical/spamming.html.
//   - cloak-spider-links — the server gives search spiders a copy with the
//     links and visitors the clean page: github.com/cssxn/seo index.php
//     (`if (strpos($UA, 'Baiduspider/2.0')) … render('PC')`, 360Spider
//     templates); github.com/ada87/devPulign nobd/nobd.php (a different
//     page when the user agent is baiduspider); YuanZhao README ("对爬虫
//     返回暗链/灰产内容，对普通浏览器显示干净页面"); the WordPress pharma
//     hack "injects text and links only when Google is scanning the site",
//     www.forthgo.com/blog/2011/03/02/bitten-by-wordpress-pharma-hack/;
//     "a Cialis promoting page is delivered to googlebot whilst users get
//     the standard page", www.webmasterworld.com/google/4243741.htm;
//     .edu pages cloaked for casino terms,
//     www.re1y.com/blog/google-has-a-huge-cloaking-problem-blog.html.
//   - js-redirect — 快照劫持 and mobile hijack: visitors who come from a
//     search engine (document.referrer holds baidu/sogou/so.com/sm.cn) or
//     on a phone are sent to the spam site, others see the page:
//     烽火算法2.0 write-up, www.yunthe.com/news/630378.html
//     (`if (document.referrer.includes('baidu.com'))`); Baidu result links
//     arrive with a referrer, zuo11.com/blog/2020/12/search_referer.html;
//     hacked sites that redirect only visitors from search results,
//     medium.com/@Juha.Sompinmaeki/a-week-after-the-hijacked-search-results-179a92cc4814,
//     www.googlewatchdog.info/search/label/hack; "Malicious Redirects:
//     visitors who click on your link from a search result are secretly
//     redirected", hosterdojo.com/blog/preventing-ranking-drops-removing-seo-spam.
//   - meta-refresh — `<meta http-equiv="refresh" content="0;url=…">` to the
//     spam host: YuanZhao sample.html; github.com/498946975/Security
//     漏洞汇总/1、暗链接-html超链接自动跳转.md.
//   - hidden-iframe — a zero-size or hidden frame loading the spam site:
//     YuanZhao README ("Iframe：外部来源、隐藏尺寸（0x0/1x1）"); 烽火算法2.0
//     ("通过隐藏iframe自动提交"), www.yunthe.com/news/630378.html.
//   - external-script — a script from the spam host added to the page:
//     YuanZhao README ("Script 标签：外部可疑域名、缺少 SRI"); "在网页HTML中
//     插入恶意JS代码", news.qdcygd.com/bzwd/202512/393589.html.
//
// and, less often shown:
//
//   - text-indent — a negative text-indent on a nowrap box: YuanZhao
//     sample.html (`<article style="text-indent:-999px">`, "文本负缩进隐藏").
//   - opacity-zero — YuanZhao sample.html (`<span style="opacity:0">`).
//   - covered-by-layer — the links under an opaque box of the page's
//     background colour stacked above them: spammers hide links "by
//     layering an image or other element on top of the content",
//     www.dummies.com/web-design-development/search-engine-optimization/how-to-deal-with-hidden-text-or-links-on-a-web-page/.
//   - class-rule — the hiding rule in a <style> block, the links only
//     carrying the class: YuanZhao sample.html (`.hidden-div { display:
//     none; }` in the head) and README ("隐藏 class 名称（hidden/hide/
//     invisible/…）").
//   - js-dom-insert — a script builds the hidden block after the page
//     loads: github.com/tysonsawchuk/GoreandGiggles scripts/backlink-loader.js
//     ("Inject invisible backlink grid for SEO spidering … Not visible to
//     users – only to crawlers", a display:none container appended on
//     DOMContentLoaded).
//   - js-encoded-write — the document.write()n block encoded in the
//     script (percent escapes, base64 through atob, \u escapes,
//     String.fromCharCode): YuanZhao README ("十六进制/Unicode 编码混淆、
//     字符串拼接、数组 join 混淆").
//   - js-spider-write — a script writes the links only when the browser's
//     user agent is a spider: the UA switch of github.com/cssxn/seo and
//     ada87/devPulign done in the page (YuanZhao README: "Cookie/UserAgent/
//     Referrer 读取"; public code that tests navigator.userAgent for
//     Googlebot and only then fetches the content to insert).
//
// Sites: six kinds of template no other split has — a county emergency-
// management bureau (duty roster and warnings), a city water-supply
// company's outage notices, a district market-supervision bureau's food
// sampling results, a university library (opening hours, free seats, new
// books), a county natural-resources bureau's land-use disclosures, and a
// city radio-TV station's programme guide (dark theme) — each with its
// navigation, columns, public-sector friendly links and a footer with 备案号,
// and content that changes every day.
//
// Spam: new hosts (one an IP, one a deep subdomain, one with a port) and
// new wording in every category: gambling, lottery, porn, invoices and
// fake certificates, private game servers and cheats, loans and cash-out,
// drugs and guns.
//
// Benign changes (sealed5Benign): thirteen realistic edits of kinds public
// sites make: news only, a hover drop-down menu, tabs, a carousel, a
// collapsed "更多" list, a privacy drawer off screen, a print-only block,
// news quoting fraud wording in visible text, a collapsed box of
// public-sector friendly links, a lazy tab, a skip link, a mobile menu and
// the 我为政府网站找错 widget script.
//
// Composition: 19 techniques, 208 tampered pages (126, 61 %, from the
// twelve common techniques) carrying 160 hidden_link, 154 illicit_content,
// 12 cloaking, 12 malicious_redirect, 6 hidden_iframe and 6
// new_external_script labels (sealed5Labels); payloads rotate between
// spam links (hidden_link + illicit_content), links with neutral SEO
// anchors (hidden_link) and hidden spam text (illicit_content); and 6 × 13
// = 78 benign pages. Cases per technique: offscreen-absolute 22,
// display-none-block 20, document-write-hidden 12, cloak-spider-links 12,
// tiny-font 10, marquee 10, visibility-hidden 8, colour-as-background 8,
// js-redirect 8, hidden-iframe 6, external-script 6, meta-refresh 4 (the
// common ones); class-rule 14, js-encoded-write 14, text-indent 12,
// opacity-zero 12, covered-by-layer 10, js-dom-insert 10, js-spider-write
// 10.
//
// The Chromium check passed when the split was written (Chromium 156,
// 2026-12-07: 0 of 190 checked pages show their payload; the six control
// pages, one per site, do).

import (
	"encoding/base64"
	"fmt"
	"math/rand"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

var genSealed5 = genSplit{
	name: "sealed5",
	sites: []genSite{
		{"青禾县应急管理局", "yjj.qinghe-xian.gov.cn", "局", sealed5TmplEmergency},
		{"澄江市自来水有限公司", "www.cjswater.com.cn", "公司", sealed5TmplWater},
		{"临溪区市场监督管理局", "scjg.linxiqu.gov.cn", "局", sealed5TmplFoodSampling},
		{"南屏大学图书馆", "lib.npu-nanping.edu.cn", "馆", sealed5TmplLibrary},
		{"石泉县自然资源局", "zrzyj.shiquanxian.gov.cn", "局", sealed5TmplLandUse},
		{"沧澜市广播电视台", "www.canglantv.cn", "台", sealed5TmplTVGuide},
	},
	hosts: []string{
		"www.yh5599.vip", "jy8828-bet.com", "cp1396.net", "www.k3jihua.cc",
		"av6868.xyz", "www.91luoliao.top", "fp-dk188.cn", "zhengjian520.com",
		"sf-mir2024.com", "wg.zhuli-km.net", "xyk-taoxian.com", "103.117.42.86",
		"hk.m.ag8088.vip", "gou-qz.shop:8443",
	},
	spam: []string{
		"永利皇宫线上娱乐", "pg电子试玩", "电子老虎机爆分", "足球外围投注",
		"福彩3D预测", "快3计划群", "双色球杀号",
		"附近的人约茶", "国产自拍偷拍", "午夜福利视频",
		"增值税发票代开", "驾驶证补办不用考", "四六级证书代办",
		"热血传奇sf", "外挂辅助卡盟", "梦幻西游私服",
		"POS机刷卡套现", "无视征信口子", "白条提现秒到",
		"溜冰货源微信", "K粉同城配送", "仿真枪出售", "秃鹰气狗出售",
	},
	neutral: []string{"企业网站制作", "百度快速排名", "整站优化公司", "小程序定制开发"},
	// Block sizes seen in the write-ups, from a handful of links to a
	// footer of dozens.
	linkCounts: []int{3, 5, 6, 8, 10, 12, 15, 20},
	idx:        5,
}

// sealed5Bg is the background a visitor sees behind the body of each site,
// which an attacker matches when hiding links in the background colour.
var sealed5Bg = map[string]string{
	"yjj.qinghe-xian.gov.cn":   "#ffffff",
	"www.cjswater.com.cn":      "#f4f8fb",
	"scjg.linxiqu.gov.cn":      "#ffffff",
	"lib.npu-nanping.edu.cn":   "#fbfaf6",
	"zrzyj.shiquanxian.gov.cn": "#ffffff",
	"www.canglantv.cn":         "#0f1b2d",
}

func sealed5BgOf(s genSite) string { return sealed5Bg[s.host] }

// sealed5Rand is the day's random source of a site's changing content.
func sealed5Rand(s genSite, day int) *rand.Rand {
	h := 0
	for _, c := range s.host {
		h = h*31 + int(c)
	}
	return rand.New(rand.NewSource(int64(h%100000 + day*7919)))
}

// sealed5Date is a date near the page's day, going back i days.
func sealed5Date(day, i int) string {
	d := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, day-i)
	return d.Format("2006-01-02")
}

func sealed5Pick(r *rand.Rand, list []string) string { return list[r.Intn(len(list))] }

// ---------------------------------------------------------------------------
// Site templates.

// sealed5TmplEmergency: a county emergency-management bureau, an older
// table layout with a duty roster and the day's warnings.
func sealed5TmplEmergency(s genSite, day int, in inject) string {
	r := sealed5Rand(s, day)
	leaders := []string{"王建国", "李红梅", "赵立新", "陈志强", "刘晓燕", "孙国平"}
	warnings := []string{"森林火险黄色预警", "暴雨蓝色预警", "地质灾害气象风险橙色预警", "大风蓝色预警", "道路结冰黄色预警", "寒潮蓝色预警"}
	news := []string{"召开全县安全生产工作例会", "开展危险化学品企业专项检查", "组织森林防灭火应急演练", "举办防灾减灾知识进社区活动", "部署冬春火灾防控工作", "检查汛后水毁工程修复进度", "开展非煤矿山安全隐患排查", "召开应急物资储备调度会", "督导烟花爆竹经营单位安全", "开展应急救援队伍拉练"}
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<title>` + s.name + `</title><meta name="keywords" content="应急管理,安全生产,防灾减灾" />
<style type="text/css">body{margin:0;font:12px/1.8 "宋体",SimSun;background:#ffffff;color:#333}.nav a{color:#fff;margin:0 12px;font-size:14px}.box h3{background:#c8102e;color:#fff;margin:0;padding:4px 8px;font-size:14px}.box ul{margin:6px 0;padding-left:18px}.foot{background:#7a0c1c;color:#f5d8dc;text-align:center;padding:10px 0}.foot a{color:#f5d8dc}</style>` + in.head + `</head>
<body>` + in.top + `
<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0">
<tr><td height="110" style="background:#c8102e;color:#fff;font-size:30px;font-weight:bold;padding-left:30px">` + s.name + `</td></tr>
<tr><td class="nav" height="36" style="background:#a40d25"><a href="/">首页</a><a href="/jgzn/">机构职能</a><a href="/zwgk/">政务公开</a><a href="/yjjy/">应急救援</a><a href="/fzjz/">防灾减灾</a><a href="/aqsc/">安全生产</a><a href="/hdjl/">互动交流</a></td></tr>
<tr><td><table width="100%" border="0" cellpadding="6" cellspacing="0"><tr><td width="320" valign="top" class="box"><h3>今日值班</h3><ul>`)
	fmt.Fprintf(&b, `<li>日期：%s</li><li>带班领导：%s</li><li>值班员：%s</li><li>值班电话：0736-73%05d</li>`, sealed5Date(day, 0), sealed5Pick(r, leaders), sealed5Pick(r, leaders), 21000+r.Intn(900))
	b.WriteString(`</ul><h3>预警信息</h3><ul>`)
	for i := 0; i < 2; i++ {
		fmt.Fprintf(&b, `<li><a href="/yjxx/%d.html">县气象局发布%s</a> <span>%s</span></li>`, day*10+i, sealed5Pick(r, warnings), sealed5Date(day, i))
	}
	b.WriteString(`</ul></td><td valign="top" class="box"><h3>工作动态</h3><ul>`)
	for i := 0; i < 8; i++ {
		fmt.Fprintf(&b, `<li><a href="/gzdt/%d.html">%s</a> <span style="float:right">%s</span></li>`, 5000+day*8+i, news[(day+i*3)%len(news)], sealed5Date(day, i))
	}
	b.WriteString(`</ul><h3>通知公告</h3><ul>`)
	for i := 0; i < 4; i++ {
		fmt.Fprintf(&b, `<li><a href="/tzgg/%d.html">关于做好第%d周安全防范工作的通知</a></li>`, 800+day+i, (day+i)%52+1)
	}
	b.WriteString(`</ul></td></tr></table></td></tr></table>
` + in.foot + `
<div class="foot"><p>友情链接：<select onchange="if(this.value)window.open(this.value)"><option value="">--政府网站--</option><option value="https://www.gov.cn/">中国政府网</option><option value="https://www.mem.gov.cn/">应急管理部</option><option value="http://yjt.hunan.gov.cn/">湖南省应急管理厅</option></select></p>
<p>主办：` + s.name + ` 地址：青禾县城关镇人民路8号 电话：0736-7321100</p>
<p><a href="https://beian.miit.gov.cn/" target="_blank">湘ICP备05008812号-2</a> 政府网站标识码：4307230011 <a href="http://www.beian.gov.cn/">湘公网安备 43072302000117号</a></p></div>
` + in.end + `
</body></html>`)
	return b.String()
}

// sealed5TmplWater: a city water company's outage notices, a div layout
// with a notice table that changes every day.
func sealed5TmplWater(s genSite, day int, in inject) string {
	r := sealed5Rand(s, day)
	areas := []string{"滨江路至解放路段", "城东工业园", "南湖新村一至六区", "人民北路沿线", "高铁新城片区", "西郊水厂供水范围", "建设街道办事处辖区", "湖滨花园小区"}
	reasons := []string{"DN600主管道抢修", "加压泵站设备检修", "管网改造碰口施工", "水表更换", "阀门更换"}
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>停水公告 - ` + s.name + `</title>
<style>body{margin:0;background:#f4f8fb;font-family:"Microsoft YaHei",sans-serif;color:#24323f}header{background:#0a6ebd;color:#fff;padding:14px 40px}header h1{margin:0;font-size:24px}nav{background:#085a9a}nav a{display:inline-block;color:#fff;padding:10px 18px;text-decoration:none}main{width:1040px;margin:16px auto;background:#fff;padding:16px 24px}table{border-collapse:collapse;width:100%}td,th{border:1px solid #d6e2ec;padding:6px}th{background:#e8f1f8}footer{background:#17324a;color:#b9c9d6;padding:14px 40px;font-size:13px}footer a{color:#b9c9d6}</style>` + in.head + `
</head><body>` + in.top + `
<header><h1>` + s.name + `</h1><p>供水服务热线：96116（24小时）</p></header>
<nav><a href="/">首页</a><a href="/gsgg/">停水公告</a><a href="/szgb/">水质公告</a><a href="/yyt/">网上营业厅</a><a href="/sfbz/">收费标准</a><a href="/bsdt/">报装指南</a></nav>
<main><h2>计划停水公告</h2><table><thead><tr><th>编号</th><th>停水区域</th><th>原因</th><th>停水时间</th><th>状态</th></tr></thead><tbody>`)
	for i := 0; i < 6; i++ {
		st := "待实施"
		if i > 2 {
			st = "已恢复供水"
		}
		fmt.Fprintf(&b, `<tr><td>TS%s-%02d</td><td>%s</td><td>%s</td><td>%s %02d:00—%02d:00</td><td>%s</td></tr>`, strings.ReplaceAll(sealed5Date(day, i), "-", ""), i+1, areas[(day+i)%len(areas)], sealed5Pick(r, reasons), sealed5Date(day, i-2), 8+r.Intn(6), 16+r.Intn(6), st)
	}
	b.WriteString(`</tbody></table><h2>今日出厂水水质</h2><p>`)
	fmt.Fprintf(&b, `浑浊度 %.2f NTU，余氯 %.2f mg/L，pH %.1f，检测时间 %s 08:00。`, 0.1+float64(r.Intn(20))/100, 0.3+float64(r.Intn(30))/100, 7.0+float64(r.Intn(8))/10, sealed5Date(day, 0))
	b.WriteString(`</p><p><a href="/szgb/">查看历史水质公告</a></p></main>
` + in.foot + `
<footer><p>相关链接：<a href="https://www.mwr.gov.cn/">水利部</a> | <a href="https://www.mohurd.gov.cn/">住房和城乡建设部</a> | <a href="http://www.cjs.gov.cn/">澄江市人民政府</a></p>
<p>` + s.name + ` 版权所有 地址：澄江市滨江路188号 <a href="https://beian.miit.gov.cn/">滇ICP备12004567号-1</a></p></footer>
` + in.end + `
</body></html>`)
	return b.String()
}

// sealed5TmplFoodSampling: a district market-supervision bureau's food
// sampling results, a gov portal column page with a results table.
func sealed5TmplFoodSampling(s genSite, day int, in inject) string {
	r := sealed5Rand(s, day)
	foods := []string{"鲜鸡蛋", "豇豆", "芹菜", "鲈鱼", "猪肉", "韭菜", "大米", "食用植物油", "酱油", "馒头", "牛奶", "豆腐"}
	shops := []string{"临溪区城南农贸市场", "惠民超市临溪店", "东门生鲜店", "临溪区第一中学食堂", "佳和便利店", "四季鲜果蔬批发部"}
	items := []string{"克伦特罗", "毒死蜱", "腐霉利", "恩诺沙星", "铅(以Pb计)", "苯甲酸及其钠盐"}
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>食品安全监督抽检信息公告_` + s.name + `</title>
<link rel="stylesheet" href="/static/css/zwgk.css"><style>body{margin:0;background:#ffffff;font:14px/1.7 "Microsoft YaHei"}#hd{height:96px;background:#1f5fa8;color:#fff;padding:0 30px;font-size:26px;line-height:96px}#menu{background:#174a83}#menu a{color:#fff;display:inline-block;padding:8px 16px}.w{width:1100px;margin:0 auto}.crumb{color:#888;padding:8px 0}.tb{border-collapse:collapse;width:100%}.tb td,.tb th{border:1px solid #ccd;padding:5px}.bhg{color:#c00}#ft{background:#eef2f7;border-top:3px solid #1f5fa8;padding:12px 0;text-align:center;color:#555}</style>` + in.head + `</head>
<body>` + in.top + `
<div id="hd">` + s.name + `</div>
<div id="menu"><div class="w"><a href="/">网站首页</a><a href="/xxgk/">信息公开</a><a href="/spaq/">食品安全</a><a href="/tsjb/">投诉举报</a><a href="/djzc/">登记注册</a><a href="/zlbz/">质量标准</a></div></div>
<div class="w"><div class="crumb">当前位置：首页 &gt; 食品安全 &gt; 抽检信息</div>`)
	fmt.Fprintf(&b, `<h2>%s食品安全监督抽检信息公告（%d年第%d期）</h2><p>发布时间：%s　来源：食品安全抽检监测科</p>`, s.name, 2026, day%40+1, sealed5Date(day, 0))
	b.WriteString(`<table class="tb"><tr><th>序号</th><th>样品名称</th><th>被抽样单位</th><th>抽样日期</th><th>检验项目</th><th>结论</th></tr>`)
	for i := 0; i < 8; i++ {
		res := "合格"
		if r.Intn(9) == 0 {
			res = `<span class="bhg">不合格</span>`
		}
		fmt.Fprintf(&b, `<tr><td>%d</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>`, i+1, foods[(day*3+i)%len(foods)], sealed5Pick(r, shops), sealed5Date(day, 3+i%3), sealed5Pick(r, items), res)
	}
	fmt.Fprintf(&b, `</table><p>本期共抽检样品%d批次，合格%d批次。对不合格产品，已责令经营者下架并依法立案调查。</p><p><a href="/spaq/cj/%d.xlsx">附件：抽检结果明细表</a></p></div>`, 40+day%17, 38+day%17, 2026000+day)
	b.WriteString(in.foot + `
<div id="ft"><p>网站地图 | 联系我们 | <a href="https://www.samr.gov.cn/">国家市场监督管理总局</a> | <a href="http://www.12315.cn/">全国12315平台</a></p>
<p>主办单位：` + s.name + `　<a href="https://beian.miit.gov.cn/">苏ICP备10211834号</a>　政府网站标识码：3204120013</p></div>
` + in.end + `
</body></html>`)
	return b.String()
}

// sealed5TmplLibrary: a university library home page, HTML5 with cards:
// opening hours, free seats, new books, database trials.
func sealed5TmplLibrary(s genSite, day int, in inject) string {
	r := sealed5Rand(s, day)
	books := []string{"《数据密集型应用系统设计》", "《中国近代史纲要》", "《材料力学（第6版）》", "《深度学习》", "《乡土中国》", "《有机化学》", "《统计学习方法》", "《宋词选》", "《线性代数及其应用》", "《传热学》"}
	rooms := []string{"一楼自习区", "二楼社科阅览室", "三楼理工阅览室", "四楼研讨间", "五楼古籍阅览室"}
	var b strings.Builder
	b.WriteString(`<!doctype html>
<html lang="zh-cmn-Hans"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>` + s.name + `</title>
<style>body{margin:0;background:#fbfaf6;font-family:"PingFang SC","Microsoft YaHei";color:#2b2b2b}.top{background:#6b1f2a;color:#fff;padding:18px 48px;display:flex;justify-content:space-between}.top a{color:#fff}.menu{background:#fff;border-bottom:1px solid #e3ddd0;padding:0 48px}.menu a{display:inline-block;padding:12px 14px;color:#6b1f2a;text-decoration:none}.grid{display:grid;grid-template-columns:1fr 1fr 1fr;gap:18px;padding:18px 48px}.card{background:#fff;border:1px solid #e3ddd0;padding:12px 16px}.card h2{font-size:17px;margin:0 0 8px;color:#6b1f2a}.search{padding:18px 48px}.search input{width:560px;padding:8px}.foot{background:#3d1118;color:#d9c7ca;padding:16px 48px;font-size:13px}.foot a{color:#d9c7ca}</style>` + in.head + `</head>
<body>` + in.top + `
<div class="top"><strong>` + s.name + `</strong><span><a href="/my/">我的图书馆</a> | <a href="/en/">English</a></span></div>
<div class="menu"><a href="/">首页</a><a href="/zy/">资源</a><a href="/fw/">服务</a><a href="/gk/">概况</a><a href="/px/">信息素养</a><a href="/zx/">咨询</a></div>
<div class="search"><form action="/opac/search" method="get"><input name="q" placeholder="馆藏目录 / 电子资源 / 学位论文"> <button>检索</button></form></div>
<div class="grid"><section class="card"><h2>今日开放</h2>`)
	fmt.Fprintf(&b, `<p>%s</p><ul>`, sealed5Date(day, 0))
	for i, room := range rooms {
		fmt.Fprintf(&b, `<li>%s 8:00—22:00 空座 %d/%d</li>`, room, r.Intn(120), 120+i*20)
	}
	b.WriteString(`</ul></section><section class="card"><h2>新书通报</h2><ul>`)
	for i := 0; i < 6; i++ {
		fmt.Fprintf(&b, `<li><a href="/opac/item/%d">%s</a></li>`, 700000+day*6+i, books[(day+i)%len(books)])
	}
	b.WriteString(`</ul></section><section class="card"><h2>通知</h2><ul>`)
	fmt.Fprintf(&b, `<li><a href="/tz/%d.html">关于开通数据库试用的通知（试用至%s）</a></li><li><a href="/tz/%d.html">第%d期信息素养讲座报名</a></li><li><a href="/tz/%d.html">超期图书归还提醒</a></li>`, 300+day, sealed5Date(day+30, 0), 301+day, day%20+1, 302+day)
	b.WriteString(`</ul></section></div>
` + in.foot + `
<div class="foot"><p>常用链接：<a href="https://www.nlc.cn/">国家图书馆</a> · <a href="http://www.calis.edu.cn/">CALIS</a> · <a href="https://www.cnki.net/">中国知网</a> · <a href="http://www.moe.gov.cn/">教育部</a></p>
<p>` + s.name + ` 地址：南屏市学府路1号 服务台 0591-8772 0101 <a href="https://beian.miit.gov.cn/">闽ICP备05002314号</a></p></div>
` + in.end + `
</body></html>`)
	return b.String()
}

// sealed5TmplLandUse: a county natural-resources bureau's land-use
// disclosure column, parcel table with public notice periods.
func sealed5TmplLandUse(s genSite, day int, in inject) string {
	r := sealed5Rand(s, day)
	uses := []string{"城镇住宅用地", "工业用地", "商服用地", "公共管理与公共服务用地", "物流仓储用地", "农村宅基地"}
	towns := []string{"城关镇", "池河镇", "后柳镇", "喜河镇", "两河镇", "中池镇"}
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html>
<html><head><meta charset="UTF-8"><title>土地利用信息公示 - ` + s.name + `</title>
<style>body{margin:0;background:#ffffff;font:14px/1.8 "SimSun"}.head{background:#2e7d32;height:90px;color:#fff;font-size:28px;padding-left:40px;line-height:90px}.navbar{background:#1b5e20;height:38px}.navbar li{float:left;list-style:none}.navbar a{color:#fff;display:block;padding:0 20px;line-height:38px}.main{width:1080px;margin:10px auto;overflow:hidden}.left{float:left;width:220px}.left li{border-bottom:1px dashed #ccc}.right{float:right;width:830px}.gs td,.gs th{border:1px solid #9ccc9c;padding:4px 6px}.gs{border-collapse:collapse;width:100%}.bottom{clear:both;background:#e8f5e9;border-top:2px solid #2e7d32;padding:10px;text-align:center}</style>` + in.head + `</head>
<body>` + in.top + `
<div class="head">` + s.name + `</div>
<ul class="navbar" style="margin:0;padding:0"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li><li><a href="/tdgl/">土地管理</a></li><li><a href="/chgl/">测绘地理信息</a></li><li><a href="/kczy/">矿产资源</a></li><li><a href="/gtkj/">国土空间规划</a></li></ul>
<div class="main"><div class="left"><h3>土地管理</h3><ul><li><a href="/tdgl/gy/">供地公示</a></li><li><a href="/tdgl/zs/">征收公告</a></li><li><a href="/tdgl/jg/">土地出让结果</a></li><li><a href="/tdgl/bp/">建设用地批复</a></li></ul></div>
<div class="right">`)
	fmt.Fprintf(&b, `<h2>%s国有建设用地使用权供应结果公示（%s）</h2><table class="gs"><tr><th>宗地编号</th><th>位置</th><th>面积（平方米）</th><th>用途</th><th>供地方式</th><th>公示期</th></tr>`, s.name, sealed5Date(day, 0))
	for i := 0; i < 6; i++ {
		fmt.Fprintf(&b, `<tr><td>SQ2026-%03d</td><td>%s%s村</td><td>%d.%02d</td><td>%s</td><td>%s</td><td>%s至%s</td></tr>`, day*6+i, towns[(day+i)%len(towns)], []string{"东风", "新民", "红星", "胜利", "团结"}[r.Intn(5)], 1200+r.Intn(30000), r.Intn(100), sealed5Pick(r, uses), []string{"挂牌出让", "划拨", "协议出让"}[r.Intn(3)], sealed5Date(day, i), sealed5Date(day+10, i))
	}
	b.WriteString(`</table><p>公示期内如有异议，请以书面形式向` + s.name + `土地利用科反映。联系电话：0915-6321458</p></div></div>
` + in.foot + `
<div class="bottom"><p>友情链接：<a href="https://www.mnr.gov.cn/">自然资源部</a> | <a href="http://zrzyt.shaanxi.gov.cn/">陕西省自然资源厅</a> | <a href="http://www.shiquan.gov.cn/">石泉县人民政府</a></p>
<p>主办：` + s.name + `　<a href="https://beian.miit.gov.cn/">陕ICP备06001487号-3</a>　政府网站标识码：6109220017</p></div>
` + in.end + `
</body></html>`)
	return b.String()
}

// sealed5TmplTVGuide: a city radio-TV station's programme guide, a dark
// theme with channels and times that change every day.
func sealed5TmplTVGuide(s genSite, day int, in inject) string {
	r := sealed5Rand(s, day)
	shows := []string{"沧澜新闻联播", "民生直通车", "今日关注", "天气预报", "乡村大舞台", "法治在线", "健康有约", "经典电视剧：山海情", "少儿动画剧场", "体育快讯", "城市夜话", "戏曲天地"}
	channels := []string{"沧澜新闻综合频道", "沧澜公共频道", "沧澜交通广播 FM98.6"}
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html>
<html lang="zh"><head><meta charset="utf-8"><title>节目单 | ` + s.name + `</title>
<style>body{margin:0;background:#0f1b2d;color:#dfe7f2;font-family:"Microsoft YaHei",sans-serif}a{color:#8fc1ff}.bar{display:flex;align-items:center;gap:24px;background:#091221;padding:12px 40px}.bar b{font-size:22px;color:#fff}.bar a{text-decoration:none}.wrap{width:1060px;margin:0 auto;padding:12px 0}.ch{display:inline-block;vertical-align:top;width:340px;margin-right:10px}.ch h3{border-bottom:2px solid #e0a030;padding-bottom:4px}.ch li{list-style:none;padding:3px 0}.ch .t{color:#e0a030;margin-right:10px}.ft{background:#091221;color:#7f8da3;padding:14px 40px;font-size:13px}.ft a{color:#7f8da3}</style>` + in.head + `</head>
<body>` + in.top + `
<div class="bar"><b>` + s.name + `</b><a href="/">首页</a><a href="/news/">新闻</a><a href="/tv/">电视</a><a href="/radio/">广播</a><a href="/live/">直播</a><a href="/jmd/">节目单</a></div>
<div class="wrap">`)
	fmt.Fprintf(&b, `<h2>节目单 %s</h2>`, sealed5Date(day, 0))
	for ci, ch := range channels {
		fmt.Fprintf(&b, `<div class="ch"><h3>%s</h3><ul>`, ch)
		h := 6
		for i := 0; i < 7; i++ {
			fmt.Fprintf(&b, `<li><span class="t">%02d:%02d</span>%s</li>`, h, (r.Intn(4))*15, shows[(day+ci*5+i*2)%len(shows)])
			h += 2 + r.Intn(2)
		}
		b.WriteString(`</ul></div>`)
	}
	fmt.Fprintf(&b, `<p>直播热线：0771-2%06d　新闻线索请拨打 12345 转 %d</p></div>`, 300000+r.Intn(9999), 800+day%100)
	b.WriteString(in.foot + `
<div class="ft"><p>网站链接：<a href="https://www.nrta.gov.cn/">国家广播电视总局</a> · <a href="https://www.cctv.com/">央视网</a> · <a href="http://www.canglan.gov.cn/">沧澜市人民政府</a></p>
<p>` + s.name + ` 版权所有 信息网络传播视听节目许可证 2007201 <a href="https://beian.miit.gov.cn/">桂ICP备09004521号</a></p></div>
` + in.end + `
</body></html>`)
	return b.String()
}

// ---------------------------------------------------------------------------
// Payloads and techniques.

const (
	sealed5SpamLinks = iota
	sealed5NeutralLinks
	sealed5SpamText
)

// sealed5Case is what a technique generator gets: the payload to hide (as
// links or spam text), its hosts and words, and the site.
type sealed5Case struct {
	r       *rand.Rand
	site    genSite
	bg      string
	kind    int
	links   []string // each link's markup (or the text sentence)
	hosts   []string
	words   []string
	id      string
	inline  string // the payload on one line (no <br>)
	payload string // the payload with the technique's chosen separator
}

func sealed5NewCase(r *rand.Rand, s genSite, kind int) *sealed5Case {
	sp := genSealed5
	n := sp.linkCounts[r.Intn(len(sp.linkCounts))]
	c := &sealed5Case{r: r, site: s, bg: sealed5BgOf(s), kind: kind, id: fmt.Sprintf("%c%x", 'a'+rune(r.Intn(26)), r.Int63()%0xffffff)}
	words := sp.spam
	if kind == sealed5NeutralLinks {
		words = sp.neutral
	}
	ho, wo := r.Intn(len(sp.hosts)), r.Intn(len(words))
	for i := 0; i < n; i++ {
		c.hosts = append(c.hosts, sp.hosts[(ho+i)%len(sp.hosts)])
		c.words = append(c.words, words[(wo+i)%len(words)])
	}
	if kind == sealed5SpamText {
		if n > 6 {
			c.words = c.words[:6]
		}
		t := fmt.Sprintf(`<span>%s，官方直营，加微信 wx%04d 咨询</span>`, strings.Join(c.words, " "), r.Intn(10000))
		c.links = []string{t}
		c.inline, c.payload = t, t
		return c
	}
	for i := range c.hosts {
		var a string
		switch r.Intn(4) {
		case 0:
			a = fmt.Sprintf(`<a href="http://%s/" target="_blank">%s</a>`, c.hosts[i], c.words[i])
		case 1:
			a = fmt.Sprintf(`<a href="https://%s/" title="%s">%s</a>`, c.hosts[i], c.words[i], c.words[i])
		case 2:
			a = fmt.Sprintf(`<a href="http://%s/?id=%d">%s</a>`, c.hosts[i], 1000+r.Intn(9000), c.words[i])
		default:
			a = fmt.Sprintf(`<a href="http://%s/%s.html" rel="dofollow">%s</a>`, c.hosts[i], []string{"index", "news", "vip", "m"}[r.Intn(4)], c.words[i])
		}
		c.links = append(c.links, a)
	}
	c.inline = strings.Join(c.links, []string{" ", " | ", "&nbsp;", "、"}[r.Intn(4)])
	c.payload = strings.Join(c.links, []string{" ", "<br>", " | ", "\n", "<br/>"}[r.Intn(5)])
	return c
}

// jsString is the payload as a JavaScript single-quoted string literal.
func (c *sealed5Case) jsString(html string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`, "\n", " ").Replace(html) + "'"
}

// where puts a block after the body opens, before the footer or at the end.
func (c *sealed5Case) where(html string) inject {
	switch c.r.Intn(3) {
	case 0:
		return inject{top: html}
	case 1:
		return inject{foot: html}
	}
	return inject{end: html}
}

type sealed5Technique struct {
	name   string
	common bool
	count  int
	// labels: "links" (hidden_link/illicit_content from the payload),
	// "cloak" (the same plus cloaking), or a single kind.
	labels string
	gen    func(c *sealed5Case) (in inject, spider string)
}

var sealed5Techniques = []sealed5Technique{
	{"offscreen-absolute", true, 22, "links", func(c *sealed5Case) (inject, string) {
		styles := []string{
			"position:absolute;top:-999px;left:-999px",
			"position:absolute;left:-9999px;top:0",
			"position:absolute;top:-1000px",
			"position: absolute; left: -3000px; width: 1000px",
			"position:absolute;left:-2000px;top:-2000px;overflow:hidden",
			"POSITION: absolute; TOP: -899px",
		}
		tags := []string{"div", "div", "span", "section", "p"}
		tag := tags[c.r.Intn(len(tags))]
		return c.where(fmt.Sprintf(`<%s style="%s">%s</%s>`, tag, styles[c.r.Intn(len(styles))], c.payload, tag)), ""
	}},
	{"display-none-block", true, 20, "links", func(c *sealed5Case) (inject, string) {
		switch c.r.Intn(4) {
		case 0:
			return c.where(`<div style="display:none">` + c.payload + `</div>`), ""
		case 1:
			return c.where(`<!--seo--><div style="display: none;">` + c.payload + `</div><!--/seo-->`), ""
		case 2:
			return c.where(`<div style="DISPLAY: none"><ul><li>` + strings.Join(c.links, `</li><li>`) + `</li></ul></div>`), ""
		}
		return c.where(`<span style="display:none;">` + c.inline + `</span>`), ""
	}},
	{"visibility-hidden", true, 8, "links", func(c *sealed5Case) (inject, string) {
		st := []string{"visibility:hidden;position:absolute", "visibility: hidden; height: 0", "visibility:hidden;width:0;height:0;overflow:hidden"}[c.r.Intn(3)]
		return c.where(fmt.Sprintf(`<div style="%s">%s</div>`, st, c.payload)), ""
	}},
	{"tiny-font", true, 10, "links", func(c *sealed5Case) (inject, string) {
		switch c.r.Intn(3) {
		case 0:
			return c.where(`<p style="font-size:0">` + c.inline + `</p>`), ""
		case 1:
			return c.where(`<div style="font-size:0px;line-height:0;height:0;overflow:hidden">` + c.payload + `</div>`), ""
		}
		return c.where(fmt.Sprintf(`<div style="font-size:0;color:%s">%s</div>`, c.bg, c.payload)), ""
	}},
	{"marquee", true, 10, "links", func(c *sealed5Case) (inject, string) {
		switch c.r.Intn(3) {
		case 0:
			return c.where(fmt.Sprintf(`<marquee height="1" width="%d" scrollamount="3000" scrolldelay="20000">%s</marquee>`, 3+c.r.Intn(5), c.inline)), ""
		case 1:
			return c.where(`<div style="display:none"><marquee direction="up" scrollamount="2">` + c.payload + `</marquee></div>`), ""
		}
		return c.where(`<div style="position:absolute;top:-600px;left:-600px"><marquee behavior="scroll" scrollamount="6">` + c.inline + `</marquee></div>`), ""
	}},
	{"document-write-hidden", true, 12, "links", func(c *sealed5Case) (inject, string) {
		var js string
		switch c.r.Intn(3) {
		case 0:
			js = `document.write('<div style="display:none">');` + "\n" + `document.write(` + c.jsString(c.inline) + `);` + "\n" + `document.write('</div>');`
		case 1:
			js = `document.writeln(` + c.jsString(`<div style="position:absolute;top:-1200px;left:-1200px">`+c.inline+`</div>`) + `);`
		default:
			js = `var s=` + c.jsString(`<span style="visibility:hidden">`+c.inline+`</span>`) + `;document.write(s);`
		}
		return c.where(`<script type="text/javascript">` + js + `</script>`), ""
	}},
	{"colour-as-background", true, 8, "links", func(c *sealed5Case) (inject, string) {
		if c.r.Intn(2) == 0 {
			colored := make([]string, len(c.links))
			for i, l := range c.links {
				colored[i] = strings.Replace(l, "<a ", fmt.Sprintf(`<a style="color:%s;text-decoration:none" `, c.bg), 1)
				if c.kind == sealed5SpamText {
					colored[i] = fmt.Sprintf(`<span style="color:%s">%s</span>`, c.bg, l)
				}
			}
			return c.where(`<p>` + strings.Join(colored, " ") + `</p>`), ""
		}
		cls := c.id
		return inject{head: fmt.Sprintf(`<style>.%s,.%s a{color:%s;text-decoration:none;font-size:12px}</style>`, cls, cls, c.bg)}.plus(c.where(fmt.Sprintf(`<div class="%s">%s</div>`, cls, c.payload))), ""
	}},
	{"cloak-spider-links", true, 12, "cloak", func(c *sealed5Case) (inject, string) {
		switch c.r.Intn(3) {
		case 0:
			return inject{}, `<div class="link">友情链接：` + c.inline + `</div>`
		case 1:
			return inject{}, `<div id="` + c.id + `"><h3>热门推荐</h3><ul><li>` + strings.Join(c.links, `</li><li>`) + `</li></ul></div>`
		}
		return inject{}, `<p>` + c.payload + `</p>`
	}},
	{"js-redirect", true, 8, KindMaliciousRedirect, func(c *sealed5Case) (inject, string) {
		h := c.hosts[0]
		var js string
		switch c.r.Intn(3) {
		case 0:
			js = `var s=document.referrer;if(s.indexOf("baidu")>0||s.indexOf("sogou")>0||s.indexOf("soso")>0||s.indexOf("sm.cn")>0||s.indexOf("so.com")>0){self.location="http://` + h + `/";}`
		case 1:
			js = `if(/(iPhone|iPod|Android|ios|Mobile)/i.test(navigator.userAgent)){window.location.href="https://` + h + `/?ch=m";}`
		default:
			js = `var ua=navigator.userAgent.toLowerCase();if(ua.indexOf("spider")<0&&/baidu|google|bing|sogou/.test(document.referrer)){setTimeout(function(){top.location.replace("http://` + h + `/")},100);}`
		}
		if c.r.Intn(2) == 0 {
			return inject{head: `<script type="text/javascript">` + js + `</script>`}, ""
		}
		return c.where(`<script>` + js + `</script>`), ""
	}},
	{"meta-refresh", true, 4, KindMaliciousRedirect, func(c *sealed5Case) (inject, string) {
		return inject{head: fmt.Sprintf(`<meta http-equiv="refresh" content="%d;url=http://%s/">`, c.r.Intn(3), c.hosts[0])}, ""
	}},
	{"hidden-iframe", true, 6, KindHiddenIframe, func(c *sealed5Case) (inject, string) {
		h := c.hosts[0]
		f := []string{
			`<iframe src="http://` + h + `/" width="0" height="0" frameborder="0"></iframe>`,
			`<iframe src="http://` + h + `/index.html" style="display:none"></iframe>`,
			`<iframe src="https://` + h + `/" width="300" height="250" style="visibility:hidden;position:absolute"></iframe>`,
			`<div style="position:absolute;left:-1500px;top:-1500px"><iframe src="http://` + h + `/" width="500" height="400"></iframe></div>`,
		}[c.r.Intn(4)]
		return c.where(f), ""
	}},
	{"external-script", true, 6, KindNewExternalScript, func(c *sealed5Case) (inject, string) {
		h := c.hosts[0]
		tag := []string{
			`<script type="text/javascript" src="http://` + h + `/js/tj.js"></script>`,
			`<script src="https://` + h + `/jquery.min.js?v=3.6" charset="gb2312"></script>`,
			`<script language="javascript" src="http://` + h + `/c.js"></script>`,
		}[c.r.Intn(3)]
		if c.r.Intn(2) == 0 {
			return inject{head: tag}, ""
		}
		return inject{end: tag}, ""
	}},

	{"text-indent", false, 12, "links", func(c *sealed5Case) (inject, string) {
		st := []string{"text-indent:-9999px;white-space:nowrap;overflow:hidden", "text-indent: -99999px; overflow: hidden; white-space: nowrap; height: 20px"}[c.r.Intn(2)]
		return c.where(fmt.Sprintf(`<div style="%s">%s</div>`, st, c.inline)), ""
	}},
	{"opacity-zero", false, 12, "links", func(c *sealed5Case) (inject, string) {
		st := []string{"opacity:0", "opacity:0;filter:alpha(opacity=0);position:absolute", "opacity: 0.0; height: 1px; overflow: hidden"}[c.r.Intn(3)]
		return c.where(fmt.Sprintf(`<div style="%s">%s</div>`, st, c.payload)), ""
	}},
	{"covered-by-layer", false, 10, "links", func(c *sealed5Case) (inject, string) {
		h := 24 + 8*c.r.Intn(4)
		if c.r.Intn(2) == 0 {
			return c.where(fmt.Sprintf(`<div style="position:relative;height:%dpx;overflow:hidden"><div style="position:absolute;top:0;left:0;z-index:1">%s</div><div style="position:absolute;top:0;left:0;right:0;bottom:0;z-index:2;background:%s"></div></div>`, h, c.payload, c.bg)), ""
		}
		return c.where(fmt.Sprintf(`<div style="position:relative;height:%dpx;overflow:hidden"><div style="position:absolute;z-index:-1;top:0;left:0">%s</div><div style="position:relative;height:100%%;background-color:%s"></div></div>`, h, c.inline, c.bg)), ""
	}},
	{"class-rule", false, 14, "links", func(c *sealed5Case) (inject, string) {
		rule := []string{"display:none", "position:absolute;left:-9999px", "visibility:hidden;height:0;overflow:hidden", "display: none !important"}[c.r.Intn(4)]
		cls := []string{"hidden-div", "hide", "f-link", c.id}[c.r.Intn(4)]
		return inject{head: fmt.Sprintf(`<style type="text/css">.%s{%s}</style>`, cls, rule)}.plus(c.where(fmt.Sprintf(`<div class="%s">%s</div>`, cls, c.payload))), ""
	}},
	{"js-dom-insert", false, 10, "links", func(c *sealed5Case) (inject, string) {
		var js string
		if c.r.Intn(2) == 0 {
			js = `document.addEventListener("DOMContentLoaded",function(){var d=document.createElement("div");d.style.display="none";d.innerHTML=` + c.jsString(c.inline) + `;document.body.appendChild(d);});`
		} else {
			js = `window.onload=function(){var d=document.createElement("div");d.style.cssText="position:absolute;left:-8000px;top:0";d.innerHTML=` + c.jsString(c.inline) + `;document.body.appendChild(d);};`
		}
		return c.where(`<script>` + js + `</script>`), ""
	}},
	{"js-encoded-write", false, 14, "links", func(c *sealed5Case) (inject, string) {
		block := `<div style="display:none">` + c.inline + `</div>`
		var js string
		switch c.r.Intn(4) {
		case 0:
			js = `document.write(decodeURIComponent("` + url.PathEscape(block) + `"));`
		case 1:
			js = `document.write(decodeURIComponent(escape(window.atob("` + base64.StdEncoding.EncodeToString([]byte(block)) + `"))));`
		case 2:
			var e strings.Builder
			for _, r := range block {
				fmt.Fprintf(&e, `\u%04x`, r)
			}
			js = `var _0x=["` + e.String() + `"];document.write(_0x[0]);`
		default:
			var n []string
			for _, r := range block {
				n = append(n, strconv.Itoa(int(r)))
			}
			js = `document.write(String.fromCharCode(` + strings.Join(n, ",") + `));`
		}
		return c.where(`<script type="text/javascript">` + js + `</script>`), ""
	}},
	{"js-spider-write", false, 10, "links", func(c *sealed5Case) (inject, string) {
		var js string
		if c.r.Intn(2) == 0 {
			js = `if(/baiduspider|sogou|360spider|yisouspider|bytespider/i.test(navigator.userAgent)){document.write(` + c.jsString(c.inline) + `);}`
		} else {
			js = `var ua=navigator.userAgent.toLowerCase();if(ua.indexOf("spider")>-1||ua.indexOf("bot")>-1){document.getElementById("` + c.id + `").innerHTML=` + c.jsString(c.inline) + `;}`
			return c.where(`<div id="` + c.id + `"></div><script>` + js + `</script>`), ""
		}
		return c.where(`<script>` + js + `</script>`), ""
	}},
}

// sealed5Labelled is a case of the split with what the well-formedness
// test needs to know about it.
type sealed5Labelled struct {
	genLabelled
	technique sealed5Technique
	quotes    bool // a benign page whose visible text quotes spam wording
}

// sealed5All builds every case: each technique count times, rotating
// sites and payload kinds, then every benign change on every site.
func sealed5All() []sealed5Labelled {
	var out []sealed5Labelled
	sites := genSealed5.sites
	n := 0
	for ti, t := range sealed5Techniques {
		for j := 0; j < t.count; j++ {
			s := sites[(j+ti)%len(sites)]
			r := rand.New(rand.NewSource(int64(5_000_000 + ti*1000 + j)))
			kind := sealed5SpamLinks
			switch k := (j*7 + ti*3) % 20; {
			case k >= 17:
				kind = sealed5SpamText
			case k >= 14:
				kind = sealed5NeutralLinks
			}
			if t.labels == "cloak" && kind == sealed5SpamText {
				kind = sealed5SpamLinks
			}
			c := sealed5NewCase(r, s, kind)
			in, spider := t.gen(c)
			day := 10 + n%30
			n++
			lc := sealed5Labelled{technique: t}
			lc.site, lc.name, lc.baselineFor = s.host, t.name, s
			lc.html = []byte(s.tmpl(s, day, in))
			switch t.labels {
			case "links", "cloak":
				switch kind {
				case sealed5SpamLinks:
					lc.kinds = []string{KindHiddenLink, KindIllicitContent}
				case sealed5NeutralLinks:
					lc.kinds = []string{KindHiddenLink}
				default:
					lc.kinds = []string{KindIllicitContent}
				}
				if t.labels == "cloak" {
					lc.spider = []byte(s.tmpl(s, day, inject{foot: spider}))
					lc.kinds = append(lc.kinds, KindCloaking)
				}
			default:
				lc.kinds = []string{t.labels}
			}
			out = append(out, lc)
		}
	}
	for si, s := range sites {
		for bi, bc := range sealed5Benign {
			r := rand.New(rand.NewSource(int64(5_100_000 + si*100 + bi)))
			c := sealed5NewCase(r, s, sealed5NeutralLinks)
			lc := sealed5Labelled{quotes: bc.quotes}
			lc.site, lc.name, lc.baselineFor = s.host, bc.name, s
			lc.html = []byte(s.tmpl(s, 40+bi, bc.gen(c)))
			out = append(out, lc)
		}
	}
	return out
}

// sealed5Cases is the split in the shape the shared scorer takes.
func sealed5Cases() []genLabelled {
	var out []genLabelled
	for _, c := range sealed5All() {
		out = append(out, c.genLabelled)
	}
	return out
}

type sealed5BenignChange struct {
	name   string
	quotes bool
	gen    func(c *sealed5Case) inject
}

// sealed5Benign are legitimate edits public sites make that hide or move
// things, none of them carrying the split's spam hosts.
var sealed5Benign = []sealed5BenignChange{
	{"day-change-only", false, func(c *sealed5Case) inject { return inject{} }},
	{"hover-dropdown-menu", false, func(c *sealed5Case) inject {
		return inject{head: `<style>.dd{position:relative;display:inline-block}.dd ul{display:none;position:absolute;background:#fff;margin:0;padding:4px;list-style:none;z-index:9}.dd:hover ul{display:block}</style>`,
			top: `<div class="dd"><a href="/bsfw/">办事服务</a><ul><li><a href="/bsfw/zn/">办事指南</a></li><li><a href="/bsfw/bg/">表格下载</a></li><li><a href="https://www.gjzwfw.gov.cn/">国家政务服务平台</a></li></ul></div>`}
	}},
	{"notice-tabs", false, func(c *sealed5Case) inject {
		return inject{head: `<style>.tabc{display:none}.tabc.on{display:block}</style>`,
			foot: `<div class="tabs"><span onclick="sw(0)">通知公告</span> <span onclick="sw(1)">政策解读</span><div class="tabc on"><a href="/tzgg/">查看全部通知</a></div><div class="tabc"><a href="/zcjd/1.html">政策解读：新修订条例要点</a> <a href="/zcjd/2.html">图解：办事流程</a></div></div><script>function sw(i){var t=document.querySelectorAll(".tabc");for(var k=0;k<t.length;k++)t[k].className=k==i?"tabc on":"tabc";}</script>`}
	}},
	{"image-carousel", false, func(c *sealed5Case) inject {
		return inject{head: `<style>.sl li{display:none}.sl li.cur{display:block}</style>`,
			top: fmt.Sprintf(`<ul class="sl"><li class="cur"><a href="/zt/%d/">专题：安全生产月</a></li><li><a href="/zt/%d/">专题：宪法宣传周</a></li><li><a href="/zt/%d/">专题：文明城市创建</a></li></ul>`, 11, 12, 13)}
	}},
	{"collapsed-more-list", false, func(c *sealed5Case) inject {
		return inject{foot: `<ul class="more"><li><a href="/gzdt/a1.html">召开年度工作总结会</a></li><li><a href="/gzdt/a2.html">开展业务培训</a></li><li style="display:none" class="x"><a href="/gzdt/a3.html">走访慰问困难群众</a></li><li style="display:none" class="x"><a href="/gzdt/a4.html">召开党风廉政建设会议</a></li></ul><a href="javascript:;" onclick="var x=document.querySelectorAll('.x');for(var i=0;i<x.length;i++)x[i].style.display='list-item'">更多</a>`}
	}},
	{"privacy-drawer-offscreen", false, func(c *sealed5Case) inject {
		return inject{head: `<style>#pd{position:fixed;left:0;right:0;bottom:0;background:#fff;border-top:1px solid #ccc;padding:10px;transform:translateY(110%);transition:transform .3s}#pd.show{transform:none}</style>`,
			end: `<div id="pd">本网站使用必要的 Cookie 以保障服务，详见<a href="/ysxy.html">隐私政策</a>。<button onclick="this.parentNode.className=''">知道了</button></div>`}
	}},
	{"print-only-block", false, func(c *sealed5Case) inject {
		return inject{head: `<style>.po{display:none}@media print{.po{display:block}}</style>`,
			foot: `<div class="po">本页打印自 ` + c.site.name + ` 网站 http://` + c.site.host + `/ ，以网站发布为准。</div>`}
	}},
	{"fraud-warning-news", true, func(c *sealed5Case) inject {
		w := genSealed5.spam
		return inject{top: fmt.Sprintf(`<div class="notice"><strong>防骗提醒：</strong>近期有不法分子以“%s”“%s”“%s”为诱饵实施诈骗，请广大群众提高警惕，切勿轻信，发现线索请拨打110或96110反诈专线。</div>`, w[c.r.Intn(len(w))], w[(c.r.Intn(len(w)))], w[c.r.Intn(len(w))])}
	}},
	{"collapsed-gov-links", false, func(c *sealed5Case) inject {
		return inject{foot: `<div class="yqlj"><a href="javascript:;" onclick="var b=document.getElementById('yq');b.style.display=b.style.display=='none'?'block':'none'">省市县政府网站 ▾</a><div id="yq" style="display:none"><a href="https://www.gov.cn/">中国政府网</a> <a href="https://www.12377.cn/">中国互联网违法和不良信息举报中心</a> <a href="https://www.12315.cn/">全国12315平台</a> <a href="https://www.12345.gov.cn/">12345政务服务便民热线</a></div></div>`}
	}},
	{"lazy-loaded-tab", false, func(c *sealed5Case) inject {
		return inject{foot: `<div class="lt"><button onclick="var p=document.getElementById('lp');p.hidden=false;p.innerHTML=document.getElementById('lt').innerHTML">历年数据</button><div id="lp" hidden></div><template id="lt"><table><tr><td>2024年</td><td><a href="/sj/2024.html">查看</a></td></tr><tr><td>2025年</td><td><a href="/sj/2025.html">查看</a></td></tr></table></template></div>`}
	}},
	{"skip-to-content", false, func(c *sealed5Case) inject {
		return inject{head: `<style>.skip{position:absolute;left:-9999px;top:0}.skip:focus{left:10px}</style>`, top: `<a class="skip" href="#main">跳转到主要内容</a>`}
	}},
	{"mobile-menu", false, func(c *sealed5Case) inject {
		return inject{head: `<style>.mnav{display:none}@media (max-width:640px){.mnav{display:block}}</style>`,
			top: `<nav class="mnav"><a href="/">首页</a> <a href="/zwgk/">公开</a> <a href="/hdjl/">互动</a> <a href="/m/">手机版</a></nav>`}
	}},
	{"gov-error-report-widget", false, func(c *sealed5Case) inject {
		return inject{end: `<script id="_jiucuo_" sitecode="4307230011" src="https://zfwzgl.www.gov.cn/exposure/jiucuo.js"></script>`}
	}},
}

// sealed5Labels is the number of labels per kind the split holds, and
// sealed5BenignPages its benign pages; TestSealed5SplitWellFormed fails
// when the generator changes them.
var sealed5Labels = map[string]int{
	KindHiddenLink:        160,
	KindIllicitContent:    154,
	KindCloaking:          12,
	KindMaliciousRedirect: 12,
	KindHiddenIframe:      6,
	KindNewExternalScript: 6,
}

const sealed5BenignPages = 6 * 13

var (
	sealed5FromCharCode = regexp.MustCompile(`String\.fromCharCode\(([0-9,]+)\)`)
	sealed5UEscape      = regexp.MustCompile(`\\u([0-9a-fA-F]{4})`)
)

// sealed5Decodings adds to sealedDecodings the split's own encodings
// (\uXXXX escapes, String.fromCharCode lists, decodeURIComponent of
// percent escapes), so that spam hidden by them is found without running
// the detector.
func sealed5Decodings(page string) []string {
	out := sealedDecodings(page)
	out = append(out, sealed5UEscape.ReplaceAllStringFunc(page, func(m string) string {
		n, _ := strconv.ParseUint(m[2:], 16, 32)
		return string(rune(n))
	}))
	for _, m := range sealed5FromCharCode.FindAllStringSubmatch(page, -1) {
		var b strings.Builder
		for _, d := range strings.Split(m[1], ",") {
			n, _ := strconv.Atoi(d)
			b.WriteRune(rune(n))
		}
		out = append(out, b.String())
	}
	if u, err := url.PathUnescape(page); err == nil {
		out = append(out, u)
	}
	return out
}

func sealed5HasHost(page string) bool {
	for _, d := range sealed5Decodings(page) {
		d = strings.ToLower(d)
		for _, h := range genSealed5.hosts {
			if strings.Contains(d, strings.ToLower(h)) {
				return true
			}
		}
	}
	return false
}

func sealed5HasWords(page string) bool {
	words := append(append([]string{}, genSealed5.spam...), genSealed5.neutral...)
	for _, d := range sealed5Decodings(page) {
		d = strings.ToLower(d)
		for _, w := range words {
			if strings.Contains(d, strings.ToLower(w)) {
				return true
			}
		}
	}
	return false
}

// sealed5Others are the other splits, whose hosts, wording and sites this
// split must not reuse.
func sealed5Others() []genSplit {
	return []genSplit{genTuning, genHeldOut, genFresh, genBlind, genFinal, genSealed, genTuning2, genTuning3, genTuning4, genTuning5, genSealed2, genSealed3, genSealed4}
}

// TestSealed5SplitWellFormed checks the split without running the
// detector: nothing reused from the other splits, every case labelled,
// the label counts and the mix, every page parses and names its site,
// spam in every tampered page (or its spider copy) and none in the
// browser copy of a cloaking case, and no spam host (nor spam wording,
// except in the fraud-warning news) in any benign page.
func TestSealed5SplitWellFormed(t *testing.T) {
	checkSplitDistinct(t, genSealed5, sealed5Others(), false)

	cases := sealed5All()
	labelled := map[string]int{}
	perTech := map[string]int{}
	common, tampered, benign := 0, 0, 0
	seen := map[string]string{}
	for i, c := range cases {
		key := fmt.Sprintf("%s %s #%d", c.site, c.name, i)
		if o, ok := seen[string(c.html)+string(c.spider)]; ok {
			t.Errorf("%s: the same page as %s", key, o)
		}
		seen[string(c.html)+string(c.spider)] = key
		checkSplitPage(t, key, c.html, c.baselineFor.name)
		checkSplitPage(t, key, c.spider, c.baselineFor.name)
		if len(c.kinds) == 0 {
			benign++
			if sealed5HasHost(string(c.html)) {
				t.Errorf("%s: benign page holds a spam host", key)
			}
			if !c.quotes && sealed5HasWords(string(c.html)) {
				t.Errorf("%s: benign page holds spam wording", key)
			}
			if c.quotes && !sealed5HasWords(string(c.html)) {
				t.Errorf("%s: the fraud-warning news quotes no spam wording", key)
			}
			continue
		}
		tampered++
		if c.technique.common {
			common++
		}
		perTech[c.name]++
		for _, k := range c.kinds {
			labelled[k]++
		}
		all := string(c.html) + string(c.spider)
		if !sealed5HasHost(all) && !sealed5HasWords(all) {
			t.Errorf("%s: tampered page holds none of the split's spam hosts or words", key)
		}
		for _, k := range c.kinds {
			if (k == KindHiddenLink || k == KindMaliciousRedirect || k == KindHiddenIframe || k == KindNewExternalScript) && !sealed5HasHost(all) {
				t.Errorf("%s: labelled %s but no spam host in the page", key, k)
			}
			if k == KindIllicitContent && !sealed5HasWords(all) {
				t.Errorf("%s: labelled %s but no spam wording in the page", key, k)
			}
		}
		if c.spider != nil && (sealed5HasHost(string(c.html)) || sealed5HasWords(string(c.html))) {
			t.Errorf("%s: cloaking case whose browser copy holds the spam", key)
		}
	}
	checkSplitLabels(t, labelled, sealed5Labels, true)
	if benign != sealed5BenignPages || benign < 70 {
		t.Errorf("%d benign pages, want %d (>= 70)", benign, sealed5BenignPages)
	}
	if share := float64(common) / float64(tampered); share < 0.55 || share > 0.65 {
		t.Errorf("the common techniques hold %.0f %% of the tampered cases, want about 60 %%", 100*share)
	}
	for _, tq := range sealed5Techniques {
		if perTech[tq.name] != tq.count {
			t.Errorf("technique %s: %d cases, want %d", tq.name, perTech[tq.name], tq.count)
		}
	}
	t.Logf("sealed5 split: %d cases, %d tampered (%d from the common techniques), %d benign, labels %v, per technique %v", len(cases), tampered, common, benign, labelled, perTech)
}

// TestGeneratedCorpusSealed5 measures the detector on the sealed5 split
// with the shared scorer. Nobody ran the detector on the split while it
// was written; it runs only with FENGHUO_TAMPER_SEALED5=1 and has no
// floors yet: its first run is the measurement.
func TestGeneratedCorpusSealed5(t *testing.T) {
	labelled, found, falseAlarms := scoreSealed(t, genSealed5.name, sealed5Cases(), len(genSealed5.sites))
	for k, n := range sealed5Labels {
		if labelled[k] != n {
			t.Errorf("sealed5: %d %s labels scored, want %d", labelled[k], k, n)
		}
	}
	for k, floor := range sealed5Floors {
		if found[k] < floor {
			t.Errorf("sealed5: %s found %d/%d, below the floor %d", k, found[k], labelled[k], floor)
		}
	}
	if falseAlarms > sealed5MaxFalseAlarms {
		t.Errorf("sealed5: %d false alarms, more than the %d allowed", falseAlarms, sealed5MaxFalseAlarms)
	}
}

// sealed5Floors are the sealed5 split's first-run counts (2026-12-07, the
// static detector of main after the round-4 cover work and the defacement
// fix, run once by the lead after the split was committed): 146/160 hidden_link (91.2 %), 151/154 illicit_content (98.1 %), every other kind 100 %, 6 false alarms (the national 政府网站找错 widget's script reported as a new external script). The
// test now always runs; raise the floors only when the detector improves.
// Raised after round 5 (tamper7: colours from rules, variables and more
// colour forms; script-built links; markup written in pieces) to 160/160
// hidden_link and 152/154 illicit_content.
var sealed5Floors = map[string]int{
	KindHiddenLink:        160,
	KindIllicitContent:    152,
	KindCloaking:          12,
	KindMaliciousRedirect: 12,
	KindHiddenIframe:      6,
	KindNewExternalScript: 6,
}

// The first run's six false alarms were one class (the central portal's
// widget script; TestNationalWidgetScriptIsKnown): none is raised now.
const sealed5MaxFalseAlarms = 0

// sealed5NotChecked are the techniques the browser check leaves out: a
// redirect has nothing to show (and would leave the page), and what an
// external script does lives on the spam host, not in the page.
var sealed5NotChecked = map[string]bool{"js-redirect": true, "meta-refresh": true, "external-script": true}

// sealed5ExtPage is served in place of a spam host's page in the hidden
// frames: visible spam, so that a frame that shows changes pixels when its
// text is rotated.
const sealed5ExtPage = `<!DOCTYPE html><html><head><meta charset="utf-8"></head><body style="background:#fff"><p style="font-size:20px"><a href="http://www.yh5599.vip/">永利皇宫线上娱乐</a> 福彩3D预测 外挂辅助卡盟</p></body></html>`

// TestSealed5SplitHiddenInChromium checks, without the detector, that
// every tampered page of the split hides its payload from a visitor, as
// TestSealed2SplitHiddenInChromium does: screenshot, rotate the spam texts
// in place (also in same-origin frames), screenshot again; the two must
// not differ, and a control page with the payload visible must differ.
// Frames that load a spam host load a loopback page of visible spam
// instead. It runs only with FENGHUO_TAMPER_BROWSER=1 and a Chromium.
func TestSealed5SplitHiddenInChromium(t *testing.T) {
	if os.Getenv("FENGHUO_TAMPER_BROWSER") != "1" {
		t.Skip("set FENGHUO_TAMPER_BROWSER=1 (and FENGHUO_TEST_CHROMIUM) to check in Chromium that the sealed5 split hides its payloads")
	}
	path := sealedChromium()
	if path == "" {
		t.Skip("no Chromium: set FENGHUO_TEST_CHROMIUM")
	}
	var pages []sealedPage
	for i, c := range sealed5All() {
		if len(c.kinds) == 0 || sealed5NotChecked[c.name] {
			continue
		}
		pages = append(pages, sealedPage{fmt.Sprintf("%s %s #%d", c.site, c.name, i), c.html})
	}
	for _, s := range genSealed5.sites {
		pages = append(pages, sealedPage{"control " + s.host, []byte(s.tmpl(s, 99, inject{foot: `<div><a href="http://www.yh5599.vip/">永利皇宫线上娱乐</a> 福彩3D预测</div>`}))})
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if strings.HasPrefix(r.URL.Path, "/ext/") {
			w.Write([]byte(sealed5ExtPage))
			return
		}
		var i int
		if _, err := fmt.Sscanf(r.URL.Path, "/p/%d", &i); err != nil || i < 0 || i >= len(pages) {
			http.NotFound(w, r)
			return
		}
		body := string(pages[i].html)
		for _, h := range genSealed5.hosts {
			for _, scheme := range []string{"http://", "https://", "//"} {
				body = strings.ReplaceAll(body, `src="`+scheme+h+`/`, `src="http://`+r.Host+`/ext/`)
			}
		}
		w.Write([]byte(body))
	}))
	defer srv.Close()
	shown, checked, untouched := sealedPayloadsShown(t, path, srv.URL, pages, genSealed5, 20*time.Minute)
	t.Logf("sealed5 split in Chromium: %d of %d checked tampered pages show their payload (left out: js-redirect, meta-refresh, external-script); %d had no spam text in the rendered document to rotate (a cloaking case's browser copy holds none)",
		shown, checked, untouched)
}
