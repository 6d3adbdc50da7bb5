package tamper

import (
	"fmt"
	"math/rand"
	"strings"
)

// Benign site skeletons for the generated corpus (gen_corpus_test.go). Each
// template renders one day of a site's home page; the injections let a
// technique or a benign change put markup in the head, at the top of the
// body, in the footer or at the very end. Tuning and held-out templates
// differ in layout (tables and <font> tags, HTML5 sections, a Bootstrap-like
// grid, a WordPress-like blog …) and in the legitimate hiding they use.

type genSite struct {
	name, host, short string
	tmpl              func(s genSite, day int, in inject) string
}

type inject struct{ head, top, foot, end string }

func (a inject) plus(b inject) inject {
	return inject{a.head + b.head, a.top + b.top, a.foot + b.foot, a.end + b.end}
}

var genTopics = []string{"乡村振兴", "安全生产", "营商环境", "防汛抗旱", "森林防火", "民生实事", "河湖长制", "文明创建", "疫苗接种", "义务教育", "招生考试", "供水保障"}
var genVerbs = []string{"召开专题会议部署", "扎实推进", "开展专项行动", "举办业务培训", "深入调研", "通报表扬"}

// genNews returns n news list items for a day; items rotate like a live site.
func genNews(r *rand.Rand, s genSite, day, n int, item string) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		t := genTopics[(day+i*5+r.Intn(3))%len(genTopics)]
		v := genVerbs[r.Intn(len(genVerbs))]
		fmt.Fprintf(&b, item, fmt.Sprintf("/xw/2025/t%d_%d.html", day, 1000+r.Intn(9000)), s.short+v+t+"工作", day%28+1)
	}
	return b.String()
}

func dayRand(s genSite, day int) *rand.Rand {
	return rand.New(rand.NewSource(int64(len(s.host))*7919 + int64(day)*104729 + int64(s.host[4])))
}

// tmplTableGov: an old table layout with <font> and bgcolor attributes, a
// visible news ticker <marquee>, a dropdown hidden with a class rule.
func tmplTableGov(s genSite, day int, in inject) string {
	r := dayRand(s, day)
	return fmt.Sprintf(`<!DOCTYPE html PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN"><html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>%[1]s</title><meta name="keywords" content="%[1]s,政务公开,办事服务"><meta name="description" content="%[1]s门户网站">
<style>body{margin:0;font-size:12px}.menu .sub{display:none}.menu li:hover .sub{display:block}.bt{color:#fff;font-weight:bold}td.nav{background:#0b5ea8}</style>
<script src="/js/jquery-1.8.3.min.js"></script>%[4]s</head>
<body bgcolor="#FFFFFF"><table width="1000" align="center" cellpadding="0" cellspacing="0"><tr><td><img src="/images/top.jpg" width="1000" height="120" alt="%[1]s"></td></tr>
<tr><td class="nav" bgcolor="#0b5ea8" height="36"><ul class="menu"><li><a href="/"><font color="#FFFFFF">首页</font></a></li><li><a href="/zwgk/"><font color="#FFFFFF">政务公开</font></a><ul class="sub"><li><a href="/zwgk/zfxxgk/">信息公开目录</a></li><li><a href="/zwgk/ysjs/">预算决算</a></li></ul></li><li><a href="/bsfw/"><font color="#FFFFFF">办事服务</font></a></li><li><a href="/hdjl/"><font color="#FFFFFF">互动交流</font></a></li></ul></td></tr>
<tr><td><font color="#666666">今天是2025年5月%[2]d日</font> <marquee scrollamount="3" width="600" onmouseover="this.stop()" onmouseout="this.start()"><a href="/tzgg/%[2]d.html">关于做好2025年汛期安全工作的通知</a></marquee></td></tr>%[5]s
<tr><td><table width="100%%"><tr><td width="50%%" valign="top"><font size="3"><b>政务要闻</b></font><ul>%[3]s</ul></td><td valign="top"><font size="3"><b>通知公告</b></font><ul>%[6]s</ul></td></tr></table></td></tr>
<tr><td bgcolor="#0b5ea8" align="center" class="foot"><font color="#FFFFFF">主办：%[1]s办公室 地址：人民路%[2]d号</font><br><a href="https://beian.miit.gov.cn/"><font color="#FFFFFF">备案号：X ICP备%[7]d号</font></a> <a href="https://www.gov.cn/"><font color="#FFFFFF">中国政府网</font></a>%[8]s</td></tr></table>
<script>var _pv=new Image();_pv.src="/count.php?r="+encodeURIComponent(document.referrer);</script>%[9]s</body></html>`,
		s.name, day%28+1, genNews(r, s, day, 12, `<li><a href="%s" target="_blank">%s</a> <font color="#999999">05-%02d</font></li>`),
		in.head, in.top, genNews(r, s, day+3, 8, `<li><a href="%s">%s</a><span>05-%02d</span></li>`), 10000000+len(s.host)*31,
		in.foot, in.end)
}

// tmplHTML5School: HTML5 sections, an off-screen skip link, a carousel
// whose inactive slides are hidden, a collapsed FAQ and a noscript pixel.
func tmplHTML5School(s genSite, day int, in inject) string {
	r := dayRand(s, day)
	var slides strings.Builder
	for i := 0; i < 4; i++ {
		st := "display:none"
		if i == day%4 {
			st = "display:block"
		}
		fmt.Fprintf(&slides, `<li class="slide" style="%s"><a href="/zt/%d/"><img src="/img/b%d.jpg?v=%d" alt="专题%d"></a></li>`, st, i, i, day, i)
	}
	return fmt.Sprintf(`<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>%[1]s</title><meta name="viewport" content="width=device-width">
<link rel="stylesheet" href="/css/main.css?v=%[2]d"><style>.skip{position:absolute;left:-9999px;top:auto}.skip:focus{left:0}.nav .drop{display:none}.nav li:hover .drop{display:block}</style>%[4]s</head>
<body><a class="skip" href="#main">跳到主要内容</a><header class="site-header"><h1><a href="/">%[1]s</a></h1><nav class="nav"><ul><li><a href="/xxgk/">学校概况</a><ul class="drop"><li><a href="/xxgk/xzjy/">校长寄语</a></li><li><a href="/xxgk/lsyg/">历史沿革</a></li></ul></li><li><a href="/jxky/">教学科研</a></li><li><a href="/zsks/">招生考试</a></li></ul></nav></header>%[5]s
<section class="banner"><ul>%[6]s</ul></section><main id="main"><section class="news"><h2>校园新闻</h2><ul>%[3]s</ul></section>
<section class="faq"><h2>常见问题</h2><details><summary>如何查询录取结果？</summary><p>请登录<a href="/zsks/cx/">录取查询系统</a>。</p></details></section></main>
<footer class="site-footer"><p>地址：%[1]s 邮编：%[7]d</p><p><a href="https://beian.miit.gov.cn/">X ICP备%[7]d号</a> <a href="http://www.moe.gov.cn/">教育部</a></p>%[8]s</footer>
<noscript><img src="https://hm.baidu.com/hm.gif?si=%[7]d" width="1" height="1" alt=""></noscript>
<script>(function(){var s=document.createElement("script");s.src="https://hm.baidu.com/hm.js?%[7]d";document.head.appendChild(s);})();</script>%[9]s</body></html>`,
		s.name, day, genNews(r, s, day, 15, `<li><a href="%s">%s</a><time>2025-05-%02d</time></li>`), in.head, in.top, slides.String(), 410000+len(s.host), in.foot, in.end)
}

// tmplHospital: jQuery tabs (the inactive panel hidden by script), a modal
// with the hidden attribute, aria-hidden icons.
func tmplHospital(s genSite, day int, in inject) string {
	r := dayRand(s, day)
	return fmt.Sprintf(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>%[1]s-首页</title><meta name="keywords" content="%[1]s,预约挂号,专家门诊">
<link href="/static/css/style.css" rel="stylesheet"><script src="/static/js/jquery.min.js"></script>%[4]s</head>
<body><div class="top"><div class="w"><span>咨询电话：0000-%[7]d</span><a href="/yygh/"><i class="icon-phone" aria-hidden="true"></i>预约挂号</a></div></div>
<div class="head w"><a href="/" class="logo"><img src="/static/img/logo.png" alt="%[1]s"></a></div>%[5]s
<div class="tabs w"><ul class="tab-hd"><li class="on">医院新闻</li><li>健康科普</li></ul><div class="tab-bd" id="tab1"><ul>%[3]s</ul></div><div class="tab-bd" id="tab2"><ul>%[6]s</ul></div></div>
<div class="modal" id="notice" hidden><div class="modal-box"><p>门诊时间调整通知</p><a href="/tzgg/mzsj.html">查看详情</a></div></div>
<div class="foot"><div class="w"><p>%[1]s 版权所有 地址：健康路%[8]d号</p><p><a href="https://beian.miit.gov.cn/">X ICP备%[7]d号</a> <a href="http://www.nhc.gov.cn/">国家卫生健康委员会</a></p>%[9]s</div></div>
<script>$(function(){$("#tab2").hide();$(".tab-hd li").click(function(){var i=$(this).index();$(".tab-bd").hide().eq(i).show();});});</script>%[10]s</body></html>`,
		s.name, day, genNews(r, s, day, 14, `<li><a href="%s">%s</a><em>05-%02d</em></li>`), in.head, in.top,
		genNews(r, s, day+7, 10, `<li><a href="%s">%s</a><em>05-%02d</em></li>`), 6000000+len(s.host), day%9+1, in.foot, in.end)
}

// tmplBootstrapCompany (held out): a Bootstrap-like grid with a collapsed
// navbar, .d-none and .sr-only utility classes, a closed <dialog>, a cookie
// banner hidden until consent, a visible partner strip with external links.
func tmplBootstrapCompany(s genSite, day int, in inject) string {
	r := dayRand(s, day)
	return fmt.Sprintf(`<!DOCTYPE html><html lang="zh"><head><meta charset="UTF-8"><title>%[1]s | 官方网站</title>
<style>.sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);border:0}.d-none{display:none!important}.collapse:not(.show){display:none}.navbar-dark .nav-link{color:#fff}.navbar-dark{background-color:#1f3b63}</style>%[4]s</head>
<body><nav class="navbar navbar-dark"><a class="navbar-brand" href="/">%[1]s</a><button class="navbar-toggler" aria-label="菜单"><span class="sr-only">切换导航</span></button><div class="collapse navbar-collapse" id="nav"><ul class="navbar-nav"><li><a class="nav-link" href="/about/">关于我们</a></li><li><a class="nav-link" href="/service/">供水服务</a></li><li><a class="nav-link" href="/news/">新闻中心</a></li></ul></div></nav>%[5]s
<div class="container"><div class="row"><div class="col-md-8"><h2>企业新闻</h2><ul class="list-unstyled">%[3]s</ul></div><div class="col-md-4"><h2>停水公告</h2><p>%[6]d日夜间部分区域计划停水，详见<a href="/tsgg/%[6]d.html">公告</a>。</p><div class="d-none" id="msg-ok">提交成功</div></div></div>
<div class="partners"><span>合作单位：</span><a href="https://www.chinawater.com.cn/">中国水网</a> <a href="https://www.95598.cn/">国家电网</a></div></div>
<dialog id="pay"><p>缴费方式</p><a href="/pay/wx.html">微信缴费</a> <a href="/pay/online.html">网上营业厅</a></dialog>
<div class="cookie d-none" id="cookie"><p>本网站使用 Cookie 改善体验。<a href="/privacy.html">隐私政策</a></p></div>
<footer class="bg-dark"><p>© 2025 %[1]s</p><p><a href="https://beian.miit.gov.cn/">X ICP备%[7]d号-1</a></p>%[8]s</footer>
<script src="/assets/js/bootstrap.bundle.min.js"></script><script>if(!localStorage.getItem("ok")){document.getElementById("cookie").classList.remove("d-none")}</script>%[9]s</body></html>`,
		s.name, 0, genNews(r, s, day, 16, `<li><a href="%s">%s</a> <small>2025-05-%02d</small></li>`), in.head, in.top, day%28+1, 20000000+len(s.host), in.foot, in.end)
}

// tmplBlog (held out): WordPress-like markup: screen-reader-text, an SVG
// sprite hidden with display:none, a <template>, a video with fallback
// text, a noscript notice with a link.
func tmplBlog(s genSite, day int, in inject) string {
	r := dayRand(s, day)
	return fmt.Sprintf(`<!DOCTYPE html><html lang="zh-CN"><head><meta charset="UTF-8"><title>%[1]s – 新闻资讯</title><link rel='stylesheet' id='theme-css' href='/wp-content/themes/tv/style.css?ver=5.%[2]d' media='all'>
<style>.screen-reader-text{border:0;clip:rect(1px,1px,1px,1px);clip-path:inset(50%%);height:1px;margin:-1px;overflow:hidden;padding:0;position:absolute!important;width:1px}</style>%[4]s</head>
<body class="home blog"><svg xmlns="http://www.w3.org/2000/svg" style="display:none"><symbol id="icon-search" viewBox="0 0 24 24"><path d="M10 2a8 8 0 1 0 0 16"></path></symbol></svg>
<a class="skip-link screen-reader-text" href="#content">跳到主要内容</a><header id="masthead"><p class="site-title"><a href="/" rel="home">%[1]s</a></p><nav id="site-navigation"><ul id="primary-menu"><li><a href="/category/news/">新闻</a></li><li><a href="/category/tv/">电视节目</a></li><li><a href="/live/">直播</a></li></ul></nav></header>%[5]s
<div id="content" class="site-content"><main id="main">%[3]s
<video controls width="480" src="/media/live-%[2]d.mp4">您的浏览器不支持 video 标签，请<a href="/media/live-%[2]d.mp4">下载视频</a>。</video></main>
<template id="tpl-item"><article class="post"><h2 class="entry-title"><a href="/p/0/"></a></h2></article></template></div>
<footer id="colophon"><div class="site-info"><a href="https://cn.wordpress.org/">自豪地采用WordPress</a> <a href="https://beian.miit.gov.cn/">X ICP备%[6]d号</a></div>%[7]s</footer>
<noscript><p>本站部分功能需要启用 JavaScript，<a href="/help/js.html">查看帮助</a>。</p></noscript>%[8]s</body></html>`,
		s.name, day, genNews(r, s, day, 12, `<article class="post"><h2 class="entry-title"><a href="%s">%s</a></h2><span class="posted-on">2025年5月%d日</span></article>`),
		in.head, in.top, 30000000+len(s.host), in.foot, in.end)
}

// tmplCountyPortal (held out): a county portal with white text on a
// declared dark bar, a vertical ticker, a chart <canvas> with fallback
// text and an image map with own links.
func tmplCountyPortal(s genSite, day int, in inject) string {
	r := dayRand(s, day)
	return fmt.Sprintf(`<html><head><meta charset="gbk"><title>%[1]s网站</title><meta name="SiteDomain" content="%[2]s">
<style>.bar{background:#8b0000;color:#ffffff}.bar a{color:#ffffff}#ticker{height:120px}.menu2{display:none}</style>%[4]s</head>
<body><div class="bar"><a href="/">首页</a> | <a href="/xxgk/">信息公开</a> | <a href="/zmhd/">政民互动</a> <span class="menu2"><a href="/xxgk/zcwj/">政策文件</a></span></div>%[5]s
<div class="main"><div class="left"><h3>工作动态</h3><ul>%[3]s</ul></div><div class="right"><h3>公示公告</h3><marquee id="ticker" direction="up" scrollamount="2" height="120"><p><a href="/gsgg/%[6]d.html">%[1]s第%[6]d期项目公示</a></p></marquee>
<canvas id="chart" width="300" height="160">您的浏览器不支持图表，请查看<a href="/tjsj/">统计数据</a>。</canvas>
<img src="/images/map.png" usemap="#xz" width="300" height="200" alt="行政区划"><map name="xz"><area shape="rect" coords="0,0,150,100" href="/xz/cgz/" alt="城关镇"><area shape="rect" coords="150,0,300,100" href="/xz/xaxiang/" alt="新安乡"></map></div></div>
<div class="bar foot"><p>%[1]s主办 联系电话：0000-%[7]d</p><p><a href="https://beian.miit.gov.cn/">X ICP备%[7]d号</a> <a href="http://www.gov.cn/">中国政府网</a></p>%[8]s</div>%[9]s</body></html>`,
		s.name, s.host, genNews(r, s, day, 18, `<li><a href="%s" title="%s">·</a> 05-%02d</li>`), in.head, in.top, day, 5000000+len(s.host), in.foot, in.end)
}
