package tamper

import (
	"fmt"
	"math/rand"
	"sort"
	"strings"
	"testing"
)

// The generated corpus: benign site templates × hiding techniques, built
// deterministically. Every technique has variants (markup, hiding values,
// link counts, hosts, spam wording) split in two: the tuning half was used
// while developing the detector, the held-out half (other templates, other
// variants) only to measure it. See docs/tamper.md for the figures.

type genSplit struct {
	name       string
	sites      []genSite
	hosts      []string
	spam       []string
	neutral    []string
	linkCounts []int
	idx        int // 0 tuning, 1 held-out, 2 fresh: which variant pool techniques use
	// variants, when set, replaces every technique's generator (by name);
	// benign, when set, replaces the benign changes.
	variants map[string]func(g *genCase) inject
	benign   []benignChange
}

var genTuning = genSplit{
	name: "tuning",
	sites: []genSite{
		{"青山县人民政府", "www.qingshan.gov.cn", "县", tmplTableGov},
		{"江北区人民政府", "www.jiangbei.gov.cn", "区", tmplTableGov},
		{"城南第二中学", "www.cnez.edu.cn", "学校", tmplHTML5School},
		{"南湖职业技术学院", "www.nhvtc.net", "学院", tmplHTML5School},
		{"临川市中医院", "www.lczyy.com", "医院", tmplHospital},
		{"东港县人民医院", "www.dgxrmyy.cn", "医院", tmplHospital},
	},
	hosts:      []string{"www.am8899.com", "bet-365a.net", "www.lhc6688.cc", "sf-chuanqi.top", "www.dkfp168.com", "m.hg0088.xyz"},
	spam:       []string{"澳门赌场官网", "六合彩开奖结果", "真人百家乐", "北京赛车pk10", "成人视频在线观看", "代开发票", "传奇私服发布网", "办理毕业证", "重庆时时彩", "皇冠体育投注"},
	neutral:    []string{"网站建设", "源码下载", "免费模板", "外贸建站"},
	linkCounts: []int{1, 3, 8},
}

var genHeldOut = genSplit{
	name: "held-out",
	sites: []genSite{
		{"汇通供水集团", "www.htgs-water.com.cn", "集团", tmplBootstrapCompany},
		{"北岭燃气有限公司", "www.beilinggas.com", "公司", tmplBootstrapCompany},
		{"西河广播电视台", "www.xhgdtv.cn", "台", tmplBlog},
		{"云岭新闻网", "news.yunling.org", "网", tmplBlog},
		{"石桥县人民政府", "www.shiqiao.gov.cn", "县", tmplCountyPortal},
		{"白鹭镇人民政府", "bailu.hexi.gov.cn", "镇", tmplCountyPortal},
	},
	hosts:      []string{"vip.yl2277.club", "116.62.33.19:8080", "www.tyc666.me", "xn--6qq79v.xn--fiqs8s", "sp.daiyun88.io", "WWW.PJ9999.COM"},
	spam:       []string{"威尼斯人娱乐场", "棋牌游戏注册送彩金", "幸运飞艇开奖直播", "bet365体育在线", "日韩av无码", "试管代孕", "魔域私服新开", "办证刻章", "网络赌场", "葡京娱乐官网", "太阳城娱乐", "裸聊视频"},
	neutral:    []string{"仿站服务", "网站优化", "主机推荐", "域名注册"},
	linkCounts: []int{2, 5, 15},
	idx:        1,
}

// payload kinds and the labels they carry.
const (
	payloadSpamLinks    = iota // hidden_link + illicit_content
	payloadNeutralLinks        // hidden_link
	payloadSpamText            // illicit_content
)

type genCase struct {
	r       *rand.Rand
	split   int
	payload string // HTML to hide
	plain   string // the payload as text, for script string literals
	id      string // a fresh id or class name
	spider  string // cloaking: HTML of the spider copy (set by the technique)
}

// pick returns one of the variants of the split's pool (tuning,
// held-out, fresh).
func (g *genCase) pick(pools ...[]string) string {
	p := pools[len(pools)-1]
	if g.split < len(pools) {
		p = pools[g.split]
	}
	return p[g.r.Intn(len(p))]
}

// where puts a block at one of the body positions.
func (g *genCase) where(html string) inject {
	switch g.r.Intn(3) {
	case 0:
		return inject{top: html}
	case 1:
		return inject{foot: html}
	}
	return inject{end: html}
}

type technique struct {
	name      string
	linksOnly bool
	gen       func(g *genCase) inject
}

// genCase helpers: hosts and anchor texts of the current payload.
type genPayload struct {
	hosts []string
	texts []string
}

var genCurrent genPayload // set by buildCase; tests run the generator serially

func (g *genCase) hostList() []string { return genCurrent.hosts }
func (g *genCase) firstHost() string  { return genCurrent.hosts[0] }
func (g *genCase) textFor(i int) string {
	return genCurrent.texts[i%len(genCurrent.texts)]
}

// buildPayload makes the HTML to hide.
func buildPayload(r *rand.Rand, sp genSplit, kind int, linksOnly bool) (string, genPayload) {
	if linksOnly && kind == payloadSpamText {
		kind = payloadSpamLinks
	}
	n := sp.linkCounts[r.Intn(len(sp.linkCounts))]
	var p genPayload
	words := sp.spam
	if kind == payloadNeutralLinks {
		words = sp.neutral
	}
	off := r.Intn(len(words))
	for i := 0; i < n; i++ {
		p.hosts = append(p.hosts, sp.hosts[(off+i)%len(sp.hosts)])
		p.texts = append(p.texts, words[(off+i)%len(words)])
	}
	if kind == payloadSpamText {
		return "<p>" + strings.Join(p.texts, " ") + "，注册即送，24小时在线</p>", p
	}
	sep := []string{" ", "<br>", " | ", "\n"}[r.Intn(4)]
	var links []string
	for i := range p.hosts {
		scheme := []string{"http://", "https://", "//"}[r.Intn(3)]
		links = append(links, fmt.Sprintf(`<a href="%s%s/" target="_blank">%s</a>`, scheme, p.hosts[i], p.texts[i]))
	}
	return strings.Join(links, sep), p
}

type genLabelled struct {
	site, name  string
	kinds       []string // empty for benign
	html        []byte
	spider      []byte
	baselineFor genSite
}

// genBaseline learns a site from three benign days.
func genBaseline(tb testing.TB, s genSite) *Baseline {
	var pages []Page
	for day := 1; day <= 3; day++ {
		pages = append(pages, Page{URL: "http://" + s.host + "/", HTML: []byte(s.tmpl(s, day, inject{}))})
	}
	b, err := Learn(pages)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// genCases builds every labelled case of a split: each technique on each
// site with rotating payloads, and every benign change on each site.
func genCases(sp genSplit) []genLabelled {
	var out []genLabelled
	for si, s := range sp.sites {
		for ti, t := range techniques {
			r := rand.New(rand.NewSource(int64(sp.idx*900000 + si*1000 + ti*7 + 1)))
			kind := (si + ti) % 3
			payload, p := buildPayload(r, sp, kind, t.linksOnly)
			genCurrent = p
			if t.linksOnly && kind == payloadSpamText {
				kind = payloadSpamLinks
			}
			g := &genCase{r: r, split: sp.idx, payload: payload, plain: payload, id: fmt.Sprintf("k%x", r.Int63()%0xfffff)}
			gen := t.gen
			if sp.variants != nil {
				if gen = sp.variants[t.name]; gen == nil {
					panic(sp.name + " split: no variant for technique " + t.name)
				}
			}
			in := gen(g)
			day := 10 + ti
			c := genLabelled{site: s.host, name: t.name, html: []byte(s.tmpl(s, day, in)), baselineFor: s}
			switch {
			case t.linksOnly || kind == payloadSpamLinks:
				c.kinds = []string{KindHiddenLink, KindIllicitContent}
				if kind == payloadNeutralLinks {
					c.kinds = []string{KindHiddenLink}
				}
			case kind == payloadNeutralLinks:
				c.kinds = []string{KindHiddenLink}
			default:
				c.kinds = []string{KindIllicitContent}
			}
			if g.spider != "" {
				c.spider = []byte(s.tmpl(s, day, inject{end: g.spider}))
				c.kinds = append(c.kinds, KindCloaking)
			}
			out = append(out, c)
		}
		benign := sp.benign
		if benign == nil {
			benign = benignChanges(sp.idx)
		}
		for bi, bc := range benign {
			r := rand.New(rand.NewSource(int64(sp.idx*100000 + si*100 + bi + 77)))
			g := &genCase{r: r, split: sp.idx, id: fmt.Sprintf("b%x", r.Int63()%0xfffff)}
			out = append(out, genLabelled{site: s.host, name: bc.name, html: []byte(s.tmpl(s, 40+bi, bc.gen(g))), baselineFor: s})
		}
	}
	return out
}

type benignChange struct {
	name string
	gen  func(g *genCase) inject
}

// benignChanges are legitimate later edits that hide things: menus,
// slides, tabs, modals, skip links, tracking pixels, collapsed FAQs.
func benignChanges(split int) []benignChange {
	tune := []benignChange{
		{"news-only", func(g *genCase) inject { return inject{} }},
		{"new-dropdown", func(g *genCase) inject {
			return inject{head: `<style>.m2 .s{display:none}.m2 li:hover .s{display:block}</style>`, top: `<ul class="m2"><li><a href="/bmfw/">便民服务</a><ul class="s"><li><a href="/bmfw/sb/">社保查询</a></li><li><a href="http://www.12345.gov.cn/">12345热线</a></li></ul></li></ul>`}
		}},
		{"new-hidden-slide", func(g *genCase) inject {
			return inject{top: `<div class="sl" style="display:none"><a href="/zt/new/"><img src="/img/n.jpg" alt="新专题"></a></div>`}
		}},
		{"skip-link", func(g *genCase) inject {
			return inject{top: `<a href="#content" style="position:absolute;left:-10000px;top:auto;width:1px;height:1px;overflow:hidden">跳到主要内容</a>`}
		}},
		{"noscript-pixel", func(g *genCase) inject {
			return inject{end: `<noscript><img src="https://hm.baidu.com/hm.gif?si=abc&amp;nojs=1" width="0" height="0" style="display:none"></noscript>`}
		}},
		{"faq-details", func(g *genCase) inject {
			return inject{foot: `<details><summary>办事指南</summary><p>详见<a href="/bszn/">办事指南</a>和<a href="http://zwfw.gov.cn/">政务服务网</a>。</p></details>`}
		}},
		{"js-tabs", func(g *genCase) inject {
			return inject{foot: `<div id="` + g.id + `"><a href="/zcjd/1.html">政策解读一</a><a href="/zcjd/2.html">政策解读二</a></div>`, end: `<script>document.getElementById("` + g.id + `").style.display="none";</script>`}
		}},
		{"hidden-modal", func(g *genCase) inject {
			return inject{end: `<div class="pop" hidden><p>系统升级公告</p><a href="/tzgg/sj.html">详情</a></div>`}
		}},
		{"anti-gambling-notice", func(g *genCase) inject {
			return inject{top: `<p class="tip">严厉打击网络赌博违法犯罪活动，谨防网络博彩诈骗，发现线索请举报。</p>`}
		}},
		{"gap-trick", func(g *genCase) inject {
			return inject{head: `<style>.ib{font-size:0}.ib li{font-size:14px;display:inline-block}</style>`, foot: `<ul class="ib"><li><a href="/a/">网站地图</a></li><li><a href="https://www.12377.cn/">违法和不良信息举报</a></li></ul>`}
		}},
	}
	heldOut := []benignChange{
		{"news-only", func(g *genCase) inject { return inject{} }},
		{"closed-dialog", func(g *genCase) inject {
			return inject{end: `<dialog id="login"><form action="/login" method="post"><a href="/reg.html">注册</a> <a href="/pwd.html">找回密码</a></form></dialog>`}
		}},
		{"template-row", func(g *genCase) inject {
			return inject{end: `<template id="row"><tr><td><a href="/detail/"></a></td></tr></template>`}
		}},
		{"noscript-notice", func(g *genCase) inject {
			return inject{top: `<noscript><div class="warn">请启用浏览器的 JavaScript 功能，<a href="/help/">查看帮助</a></div></noscript>`}
		}},
		{"noscript-statcounter", func(g *genCase) inject {
			return inject{end: `<noscript><div class="statcounter"><a title="网站统计" href="https://www.cnzz.com/stat/website.php?web_id=1"><img src="https://icon.cnzz.com/img/pic.gif" alt="cnzz"></a></div></noscript>`}
		}},
		{"sr-only-label", func(g *genCase) inject {
			return inject{head: `<style>.visually-hidden{position:absolute!important;clip:rect(0 0 0 0);width:1px;height:1px;overflow:hidden}</style>`, top: `<a class="visually-hidden" href="/wza/">无障碍浏览</a>`}
		}},
		{"jquery-panels", func(g *genCase) inject {
			return inject{foot: `<div class="panel" id="p2"><a href="/xz/1.html">乡镇动态</a></div>`, end: `<script>$(".panel").hide();$("#p1").show();</script>`}
		}},
		{"visible-ticker", func(g *genCase) inject {
			return inject{top: `<marquee scrollamount="2" behavior="scroll"><a href="/tz/1.html">关于开展2025年防汛演练的通知</a></marquee>`}
		}},
		{"canvas-fallback", func(g *genCase) inject {
			return inject{foot: `<canvas id="c2" width="200" height="100">您的浏览器不支持 canvas，请查看<a href="/tjsj/2025/">统计数据</a>。</canvas>`}
		}},
		{"public-sector-details", func(g *genCase) inject {
			return inject{foot: `<details><summary>相关链接</summary><a href="https://www.gov.cn/">中国政府网</a> <a href="http://www.moe.gov.cn/">教育部</a></details>`}
		}},
		{"visible-partner", func(g *genCase) inject {
			return inject{foot: `<p>技术支持：<a href="https://www.hanweb.com/">大汉网络</a></p>`}
		}},
		{"cookie-banner", func(g *genCase) inject {
			return inject{end: `<div id="cb" style="display:none"><p>本站使用Cookie。<a href="/privacy/">了解更多</a></p></div><script>if(!document.cookie.match(/ok=1/)){document.getElementById("cb").style.display="block"}</script>`}
		}},
		{"aria-hidden-icons", func(g *genCase) inject {
			return inject{top: `<div class="share"><a href="https://weibo.com/u/123"><i class="icon-weibo" aria-hidden="true"></i><span>官方微博</span></a></div>`}
		}},
	}
	switch split {
	case 1:
		return heldOut
	case 2:
		return freshBenign
	case 3:
		return blindBenign
	}
	return tune
}

// runGenerated checks one split and returns the per-kind table.
func runGenerated(t *testing.T, sp genSplit) (recall map[string]float64, labelled, found map[string]int, falseAlarms int) {
	cases := genCases(sp)
	baselines := map[string]*Baseline{}
	labelled, found = map[string]int{}, map[string]int{}
	benign := 0
	byTech := map[string][2]int{}
	for _, c := range cases {
		b := baselines[c.site]
		if b == nil {
			b = genBaseline(t, c.baselineFor)
			baselines[c.site] = b
		}
		browser := Page{URL: "http://" + c.site + "/", HTML: c.html}
		var spider *Page
		if c.spider != nil {
			spider = &Page{URL: browser.URL, HTML: c.spider}
		}
		rep := Check(b, browser, spider)
		if len(c.kinds) == 0 {
			benign++
			if rep.Verdict != VerdictClean {
				falseAlarms++
				t.Logf("%s: false alarm on %s (%s): %+v", sp.name, c.site, c.name, rep.Findings)
			}
			if rep := Analyze(browser); rep.Verdict != VerdictClean {
				falseAlarms++
				t.Logf("%s: Analyze flags benign %s (%s): %+v", sp.name, c.site, c.name, rep.Findings)
			}
			continue
		}
		got := map[string]bool{}
		for _, k := range rep.Kinds() {
			got[k] = true
		}
		tt := byTech[c.name]
		for _, k := range c.kinds {
			labelled[k]++
			tt[1]++
			if got[k] {
				found[k]++
				tt[0]++
			} else {
				t.Logf("%s: miss %s on %s (%s); got %v", sp.name, k, c.site, c.name, rep.Kinds())
			}
		}
		byTech[c.name] = tt
	}
	recall = map[string]float64{}
	var tb strings.Builder
	fmt.Fprintf(&tb, "\n%-20s %6s %6s %8s   generated corpus, %s split (%d sites)\n", "kind", "cases", "found", "recall", sp.name, len(sp.sites))
	var kinds []string
	for k := range labelled {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		recall[k] = float64(found[k]) / float64(labelled[k])
		fmt.Fprintf(&tb, "%-20s %6d %6d %7.1f%%\n", k, labelled[k], found[k], 100*recall[k])
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
	return recall, labelled, found, falseAlarms
}

// TestGeneratedCorpus asserts recall ≥ 95% per kind and no false alarm on
// both halves of the generated corpus.
func TestGeneratedCorpus(t *testing.T) {
	for _, sp := range []genSplit{genTuning, genHeldOut, genFresh, genBlind} {
		t.Run(sp.name, func(t *testing.T) {
			recall, _, _, fa := runGenerated(t, sp)
			for k, r := range recall {
				if r < 0.95 {
					t.Errorf("%s: recall for %s is %.1f%%, below 95%%", sp.name, k, 100*r)
				}
			}
			if fa != 0 {
				t.Errorf("%s: %d false alarm(s) on benign pages", sp.name, fa)
			}
		})
	}
}
