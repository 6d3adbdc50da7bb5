package tamper

import (
	"fmt"
	"strings"
)

// The fresh split: templates, variants and benign changes written after
// the detector was tuned and the held-out split had been looked at, and
// run once to measure (docs/tamper.md reports that first run).

var genFresh = genSplit{
	name: "fresh",
	sites: []genSite{
		{"滨江区政务服务中心", "zwfw.binjiang.gov.cn", "中心", tmplSPAPortal},
		{"东湖科技馆", "www.dhkjg.org.cn", "馆", tmplSPAPortal},
		{"清源大学图书馆", "lib.qingyuan.edu.cn", "图书馆", tmplLibrary},
		{"南山市第三人民医院", "www.nssy.com.cn", "医院", tmplLibrary},
		{"桃源县文化和旅游局", "wlj.taoyuan.gov.cn", "局", tmplTourism},
		{"龙泉镇人民政府", "www.lqz.gov.cn", "镇", tmplTourism},
	},
	hosts:      []string{"www.js8888.net", "ag.hg3088.vip", "m.ylzz.biz", "45.77.120.8", "www.sifu-666.cn", "bbs.dy520.info", "www.zhenqian.shop"},
	spam:       []string{"金沙娱乐城", "百家乐技巧", "时时彩计划", "体育投注平台", "成人影院", "约炮软件", "代开增值税发票", "传奇私服", "假文凭办理", "老虎机游戏", "足球投注", "永利娱乐"},
	neutral:    []string{"空调维修", "二手车", "家装公司", "婚纱摄影"},
	linkCounts: []int{1, 4, 10, 30},
	idx:        2,
}

// tmplSPAPortal: a server-rendered single-page-app shell with its state
// serialised in an inline script (\u003C escapes) and a noscript notice.
func tmplSPAPortal(s genSite, day int, in inject) string {
	r := dayRand(s, day)
	news := genNews(r, s, day, 10, `<li class="news-item"><a href="%s" class="link">%s</a><span class="date">%02d日</span></li>`)
	return fmt.Sprintf(`<!DOCTYPE html><html lang="zh-CN" data-n-head-ssr><head><meta charset="utf-8"><title>%[1]s</title>
<link rel="preload" href="/_nuxt/app.%[2]d.js" as="script"><link rel="stylesheet" href="/_nuxt/css/app.%[2]d.css">%[4]s</head>
<body><noscript><strong>很抱歉，本站需要启用 JavaScript 才能正常使用。<a href="/help/browser.html">查看帮助</a></strong></noscript>
<div id="__nuxt"><div id="__layout"><div class="app"><header class="hd"><a href="/" class="brand">%[1]s</a><ul class="menu"><li><a href="/bs/">办事指南</a></li><li><a href="/yy/">在线预约</a></li><li><a href="/hd/">互动交流</a></li></ul></header>%[5]s
<main class="mn"><section class="card"><h2>最新动态</h2><ul>%[3]s</ul></section><section class="card"><h2>办件公示</h2><p>今日办件 %[6]d 件，满意率 99.%[7]d%%。</p></section></main>
<footer class="ft"><p>%[1]s 版权所有</p><p><a href="https://beian.miit.gov.cn/" target="_blank">X ICP备%[8]d号</a> <a href="https://bszs.conac.cn/">党政机关</a></p>%[9]s</footer></div></div></div>
<script>window.__NUXT__={layout:"default",data:[{notice:"\u003Cp\u003E%[1]s关于调整办公时间的通知\u003C\u002Fp\u003E",links:[{t:"政务服务网",u:"https:\u002F\u002Fwww.zjzwfw.gov.cn\u002F"}]}],serverRendered:true};</script>
<script src="/_nuxt/app.%[2]d.js" defer></script>%[10]s</body></html>`,
		s.name, 100+day%5, news, in.head, in.top, 300+day*7%200, day%10, 40000000+len(s.host), in.foot, in.end)
}

// tmplLibrary: mega menus hidden with visibility/opacity until hover, an
// accordion collapsed with max-height:0, a partner carousel track moved by
// translate3d, icon links using image replacement.
func tmplLibrary(s genSite, day int, in inject) string {
	r := dayRand(s, day)
	return fmt.Sprintf(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>%[1]s</title>
<style>.mega{visibility:hidden;opacity:0;position:absolute}.nav li:hover .mega{visibility:visible;opacity:1}.acc .bd{max-height:0;overflow:hidden;transition:max-height .3s}.acc.open .bd{max-height:500px}
.ico{display:inline-block;width:24px;height:24px;text-indent:-9999px;overflow:hidden}.ico-wb{background:url(/img/wb.png)}</style>%[4]s</head>
<body><div class="topbar"><a class="ico ico-wb" href="https://weibo.com/%[6]d">官方微博</a></div>
<div class="nav"><ul><li><a href="/zy/">资源</a><div class="mega"><a href="/zy/db/">数据库</a><a href="/zy/ebook/">电子图书</a></div></li><li><a href="/fw/">服务</a><div class="mega"><a href="/fw/jy/">借阅</a></div></li></ul></div>%[5]s
<div class="acc"><h3>开放时间</h3><div class="bd"><p>周一至周日 8:00-22:00，<a href="/kfsj/">节假日安排</a></p></div></div>
<div class="news"><h2>通知公告</h2><ul>%[3]s</ul></div>
<div class="swiper partners"><div class="swiper-wrapper" style="transform:translate3d(-%[7]dpx,0px,0px);transition-duration:0ms"><div class="swiper-slide"><a href="https://www.cnki.net/">中国知网</a></div><div class="swiper-slide"><a href="https://www.wanfangdata.com.cn/">万方数据</a></div><div class="swiper-slide"><a href="http://www.nlc.cn/">国家图书馆</a></div></div></div>
<div class="foot"><p>%[1]s 地址：学府路%[8]d号</p><p><a href="https://beian.miit.gov.cn/">X ICP备%[6]d号</a></p>%[9]s</div>%[10]s</body></html>`,
		s.name, day, genNews(r, s, day, 14, `<li><a href="%s" title="%s">详情</a> <i>%02d</i></li>`), in.head, in.top, 50000000+len(s.host), 1200*(day%3), day%50+1, in.foot, in.end)
}

// tmplTourism: an older layout with <font> on dark table cells, a visible
// photo scroller and a "friendly links" select box.
func tmplTourism(s genSite, day int, in inject) string {
	r := dayRand(s, day)
	return fmt.Sprintf(`<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"><title>%[1]s--首页</title>
<meta name="keywords" content="%[1]s,旅游,文化"><script language="javascript" src="/js/common.js"></script>%[4]s</head>
<body topmargin="0" leftmargin="0" bgcolor="#f5f5f5"><table width="980" border="0" align="center" cellpadding="0" cellspacing="0" bgcolor="#ffffff">
<tr><td height="40" bgcolor="#2d6a2d"><font color="#ffffff" size="2">&nbsp;%[1]s欢迎您！今天是%[2]d月%[6]d日</font></td></tr>%[5]s
<tr><td><marquee behavior="scroll" direction="left" scrollamount="4" onmouseover="this.stop()" onmouseout="this.start()"><a href="/tp/1.html"><img src="/tp/1.jpg" width="160" height="100" border="0"></a><a href="/tp/2.html"><img src="/tp/2.jpg" width="160" height="100" border="0"></a></marquee></td></tr>
<tr><td><table width="100%%"><tr><td valign="top"><b>文旅资讯</b><ul>%[3]s</ul></td><td width="240" valign="top"><b>友情链接</b><br><select onchange="if(this.value)window.open(this.value)"><option value="">--请选择--</option><option value="http://www.mct.gov.cn/">文化和旅游部</option><option value="https://www.ctrip.com/">携程旅行</option></select></td></tr></table></td></tr>
<tr><td bgcolor="#2d6a2d" align="center"><font color="#FFFFFF">%[1]s 主办 电话：0000-%[7]d</font><br><a href="https://beian.miit.gov.cn/"><font color="#ffffff">X ICP备%[7]d号</font></a>%[8]s</td></tr></table>%[9]s</body></html>`,
		s.name, 5, genNews(r, s, day, 16, `<li><a href="%s" target="_blank"><font color="#333333">%s</font></a> [%02d]</li>`), in.head, in.top, day%28+1, 7000000+len(s.host), in.foot, in.end)
}

var freshBenign = []benignChange{
	{"news-only", func(g *genCase) inject { return inject{} }},
	{"new-partner-in-carousel", func(g *genCase) inject {
		return inject{foot: `<div class="swiper"><div class="swiper-wrapper" style="transform:translate3d(-2400px,0px,0px);transition-duration:300ms"><div class="swiper-slide"><a href="https://www.superlib.com/">超星数字图书馆</a></div><div class="swiper-slide"><a href="https://www.cqvip.com/">维普资讯</a></div></div></div>`}
	}},
	{"new-icon-link", func(g *genCase) inject {
		return inject{top: `<a href="https://www.douyin.com/user/x" style="display:inline-block;width:24px;height:24px;background:url(/img/dy.png) no-repeat;text-indent:-9999px;overflow:hidden">官方抖音</a>`}
	}},
	{"faq-one-payment-link", func(g *genCase) inject {
		return inject{foot: `<details><summary>如何在线缴费？</summary><p>可通过<a href="https://www.alipay.com/">支付宝</a>生活缴费办理。</p></details>`}
	}},
	{"noscript-browser-upgrade", func(g *genCase) inject {
		return inject{top: `<noscript><p>您的浏览器禁用了脚本，建议使用<a href="https://www.microsoft.com/zh-cn/edge">新版浏览器</a>访问。</p></noscript>`}
	}},
	{"state-json-link", func(g *genCase) inject {
		return inject{end: `<script>window.__STATE__={"banner":"\u003Ca href=\u0022https:\u002F\u002Fwww.12306.cn\u002F\u0022\u003E购票\u003C\u002Fa\u003E","n":3};</script>`}
	}},
	{"accordion-menu", func(g *genCase) inject {
		return inject{foot: `<div class="acc2"><h4>专题专栏</h4><ul style="max-height:0;overflow:hidden;transition:max-height .3s"><li><a href="/zt/a/">主题教育</a></li><li><a href="/zt/b/">乡村振兴</a></li></ul></div>`}
	}},
	{"mega-menu-visibility", func(g *genCase) inject {
		return inject{top: `<div class="sub" style="visibility:hidden;opacity:0"><a href="/gk/ld/">领导信息</a><a href="/gk/jg/">机构设置</a></div>`}
	}},
	{"friend-link-select", func(g *genCase) inject {
		return inject{foot: `<select onchange="window.open(this.value)"><option>友情链接</option><option value="https://www.qunar.com/">去哪儿</option><option value="http://www.cnta.gov.cn/">旅游局</option></select>`}
	}},
	{"visible-tech-support", func(g *genCase) inject {
		return inject{foot: `<p style="color:#999">技术支持：<a href="http://www.trs.com.cn/" style="color:#999">拓尔思</a></p>`}
	}},
	{"anti-fraud-warning", func(g *genCase) inject {
		return inject{top: `<div class="warn"><p>警惕网络赌博、刷单返利诈骗，切勿下载来历不明的博彩APP，如遇诈骗请拨打96110。</p></div>`}
	}},
	{"print-only-style", func(g *genCase) inject {
		return inject{head: `<style>@media print{.noprint{display:none}}</style>`, foot: `<div class="noprint"><a href="https://www.wps.cn/">下载WPS阅读附件</a></div>`}
	}},
}

var _ = strings.Contains
