package tamper

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// portal renders a small but complete home page of a fictional bureau.
// Hand-written for these tests; the day changes the volatile parts and
// main/extraHead/extraBody inject the change under test.
type portal struct {
	day                         int
	title, main                 string
	extraHead, extraBody, links string
}

func (p portal) html() []byte {
	title := p.title
	if title == "" {
		title = "首页 - 梅林市水利局"
	}
	main := p.main
	if main == "" {
		var b strings.Builder
		b.WriteString(`<div class="col"><h3>工作动态</h3><ul class="items">`)
		for i := 0; i < 14; i++ {
			fmt.Fprintf(&b, `<li><a href="/gzdt/%d_%d.html">梅林水利第%d期河道巡查简报</a><span>2023-05-%02d</span></li>`, p.day, i, p.day*10+i, (p.day+i)%28+1)
		}
		b.WriteString(`</ul></div><div class="col"><h3>通知公告</h3><ul class="items">`)
		for i := 0; i < 12; i++ {
			fmt.Fprintf(&b, `<li><a href="/tzgg/%d_%d.html">关于做好第%d批水库安全度汛检查的通知</a></li>`, p.day, i, p.day+i)
		}
		b.WriteString(`</ul></div>`)
		main = b.String()
	}
	links := p.links
	if links == "" {
		links = `<a href="https://www.gov.cn/">中国政府网</a> <a href="http://slt.province.gov.cn/">省水利厅</a>`
	}
	return []byte(fmt.Sprintf(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>%s</title>
<meta name="keywords" content="梅林市水利局,水利,防汛">
<style>.menu .drop{display:none}.menu li:hover .drop{display:block}.skip{position:absolute;left:-9999px}.slide{display:none}.slide.on{display:block}</style>
<script src="/js/base.js?v=%d"></script>%s</head><body>
<a class="skip" href="#main">跳到正文</a>
<div class="top">今天是2023年5月%d日 访问量：%d</div>
<div class="head"><h1>梅林市水利局</h1></div>
<ul class="menu"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a><ul class="drop"><li><a href="/zwgk/a.html">机构职能</a></li><li><a href="/zwgk/b.html">规划计划</a></li></ul></li><li><a href="/hdjl/">互动交流</a><ul class="drop"><li><a href="/hdjl/xx.html">局长信箱</a></li></ul></li></ul>
<div class="banner"><div class="slide%s"><a href="/zt/1/">河长制专题</a></div><div class="slide%s"><a href="/zt/2/">节水型社会建设</a></div></div>
<div class="main" id="main">%s</div>
<div class="friend">友情链接：%s</div>
%s
<div class="foot"><p>主办：梅林市水利局 地址：梅林市滨江路8号</p><p><a href="https://beian.miit.gov.cn/">梅ICP备12345678号</a></p></div>
<script>var r=document.referrer;(new Image()).src="/stat.gif?r="+encodeURIComponent(r);</script>
</body></html>`, title, p.day, p.extraHead, p.day, 10000+p.day*37,
		map[bool]string{true: " on"}[p.day%2 == 0], map[bool]string{true: " on"}[p.day%2 == 1],
		main, links, p.extraBody))
}

const portalURL = "http://www.mlsl.gov.cn/"

func portalBaseline(t *testing.T) *Baseline {
	t.Helper()
	var pages []Page
	for d := 1; d <= 3; d++ {
		pages = append(pages, Page{URL: portalURL, HTML: portal{day: d}.html()})
	}
	b, err := Learn(pages)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func checkPortal(t *testing.T, b *Baseline, p portal) Report {
	t.Helper()
	if p.day == 0 {
		p.day = 7
	}
	return Check(b, Page{URL: portalURL, HTML: p.html()}, nil)
}

func TestBenignChangesAreClean(t *testing.T) {
	b := portalBaseline(t)
	cases := map[string]portal{
		"next day":             {},
		"new own-host script":  {extraHead: `<script src="http://www.mlsl.gov.cn/js/new.js"></script><script src="//static.mlsl.gov.cn/x.js"></script>`},
		"new visible gov link": {links: `<a href="https://www.gov.cn/">中国政府网</a> <a href="http://www.mwr.gov.cn/">水利部</a>`},
		"cookie banner":        {extraBody: `<div id="ck" style="display:none;position:fixed;bottom:0">本站使用Cookie <a href="/privacy.html">隐私政策</a></div>`},
		"hidden own links":     {extraBody: `<div style="display:none"><a href="/old/">旧版</a><a href="http://www.mlsl.gov.cn/m/">手机版</a></div>`},
		"hidden known link":    {extraBody: `<div hidden><a href="https://www.gov.cn/zhengce/">政策</a></div>`},
		"own-host redirect":    {extraBody: `<script>if(/mobile/i.test(navigator.userAgent)){location.href="/m/";}</script>`},
		"notice added":         {extraBody: `<div class="notice"><h3>重要通知</h3><p>端午节放假安排：6月22日至24日放假调休，共3天。</p></div>`},
		"anti-gambling news": {main: `<div class="col"><h3>工作动态</h3><ul class="items"><li><a href="/a.html">市水利局开展打击非法采砂和网络赌博宣传</a></li>` +
			strings.Repeat(`<li><a href="/b.html">梅林水利河道巡查简报</a></li>`, 20) + `</ul></div>`},
	}
	for name, p := range cases {
		t.Run(name, func(t *testing.T) {
			if rep := checkPortal(t, b, p); rep.Verdict != VerdictClean {
				t.Errorf("false alarm: %+v", rep.Findings)
			}
		})
	}
}

func TestHiddenLinkTechniques(t *testing.T) {
	b := portalBaseline(t)
	spam := `<a href="http://pills.example.net/">便宜药</a><a href="http://cars.example.org/a">二手车</a>`
	wrappers := map[string]string{
		"display none":     `<div style="display:none">%s</div>`,
		"visibility":       `<span style="visibility:hidden">%s</span>`,
		"opacity":          `<div style="opacity:0">%s</div>`,
		"font-size":        `<p style="font-size:0">%s</p>`,
		"zero height":      `<div style="height:0;overflow:hidden">%s</div>`,
		"off-screen":       `<div style="position:absolute;top:-5000px">%s</div>`,
		"text-indent":      `<div style="text-indent:-9999px;overflow:hidden">%s</div>`,
		"clip":             `<div style="position:absolute;clip:rect(0 0 0 0)">%s</div>`,
		"hidden attribute": `<section hidden>%s</section>`,
		"tiny marquee":     `<marquee width="1" height="1">%s</marquee>`,
		"stylesheet id":    `<style>#zz9{display:none}</style><div id="zz9">%s</div>`,
		"stylesheet class": `<style>div.q7 { position: absolute; left: -8000px }</style><div class="q7">%s</div>`,
		"inside a list":    `<ul><li>正常条目<em style="display:none">%s</em></li></ul>`,
	}
	for name, wrap := range wrappers {
		t.Run(name, func(t *testing.T) {
			rep := checkPortal(t, b, portal{extraBody: fmt.Sprintf(wrap, spam)})
			if !hasKind(rep, KindHiddenLink) {
				t.Fatalf("hidden link missed: %+v", rep)
			}
			// Analyze without a baseline sees it too.
			if rep := Analyze(Page{URL: portalURL, HTML: portal{day: 7, extraBody: fmt.Sprintf(wrap, spam)}.html()}); !hasKind(rep, KindHiddenLink) {
				t.Fatalf("Analyze missed it: %+v", rep)
			}
		})
	}
	// aria-hidden alone hides nothing on screen.
	if rep := checkPortal(t, b, portal{extraBody: `<div aria-hidden="true">` + spam + `</div>`}); hasKind(rep, KindHiddenLink) {
		t.Errorf("aria-hidden treated as hidden: %+v", rep.Findings)
	}
}

func TestScriptWrittenLinks(t *testing.T) {
	b := portalBaseline(t)
	html := `<a href="http://spam.example.com/">代开发票</a><a href="http://spam2.example.com/">百家乐</a>`
	var esc strings.Builder
	for _, c := range []byte(html) {
		fmt.Fprintf(&esc, "%%%02x", c)
	}
	rep := checkPortal(t, b, portal{extraBody: `<script>document.write(unescape("` + esc.String() + `"))</script>`})
	if !hasKind(rep, KindHiddenLink) || !hasKind(rep, KindIllicitContent) {
		t.Fatalf("obfuscated written links missed: %+v", rep)
	}
}

func TestIframeScriptAndRedirect(t *testing.T) {
	b := portalBaseline(t)
	tests := []struct {
		name string
		p    portal
		kind string
	}{
		{"zero-size iframe", portal{extraBody: `<iframe src="http://ads.example.biz/" width="0" height="0"></iframe>`}, KindHiddenIframe},
		{"iframe in hidden div", portal{extraBody: `<div style="display:none"><iframe src="//ads.example.biz/x" width="600" height="400"></iframe></div>`}, KindHiddenIframe},
		{"iframe styled off-screen", portal{extraBody: `<iframe src="http://ads.example.biz/" style="position:absolute;left:-3000px"></iframe>`}, KindHiddenIframe},
		{"new external script", portal{extraHead: `<script src="https://stat.example.xyz/t.js?id=1"></script>`}, KindNewExternalScript},
		{"script loaded by createElement", portal{extraBody: `<script>var s=document.createElement('script');s.src='http://stat.example.xyz/t.js';document.body.appendChild(s);</script>`}, KindNewExternalScript},
		{"meta refresh", portal{extraHead: `<meta http-equiv="Refresh" content="3; URL='http://casino.example.cc/'">`}, KindMaliciousRedirect},
		{"location assignment", portal{extraBody: `<script>self.location.href = "http://casino.example.cc/";</script>`}, KindMaliciousRedirect},
		{"referrer gated, unresolved target", portal{extraBody: `<script>var u=getU();if(document.referrer.indexOf("baidu")>0){window.location=u;}</script>`}, KindMaliciousRedirect},
		{"body onload", portal{extraBody: `<img src="/x.png" onerror="location.replace('http://casino.example.cc/')">`}, KindMaliciousRedirect},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := checkPortal(t, b, tt.p)
			if !hasKind(rep, tt.kind) {
				t.Fatalf("%s missed: %+v", tt.kind, rep)
			}
		})
	}
	// A visible iframe to a video site is content, not an attack.
	if rep := checkPortal(t, b, portal{extraBody: `<iframe src="https://player.video.example/v1" width="640" height="360"></iframe>`}); hasKind(rep, KindHiddenIframe) {
		t.Errorf("visible iframe flagged: %+v", rep.Findings)
	}
}

func TestDefacement(t *testing.T) {
	b := portalBaseline(t)
	hacked := Page{URL: portalURL, HTML: []byte(`<html><head><title>Owned</title></head><body style="background:#000">
<h1>Owned by Sh4d0w Crew</h1><p>your server is ours</p></body></html>`)}
	if rep := Check(b, hacked, nil); !hasKind(rep, KindDefacement) {
		t.Fatalf("replaced page missed: %+v", rep)
	}
	if rep := checkPortal(t, b, portal{title: "我们回来了！！！"}); !hasKind(rep, KindDefacement) {
		t.Fatalf("replaced title missed: %+v", rep)
	}
	if rep := checkPortal(t, b, portal{main: `<div class="msg"><h2>抗议强拆 还我土地</h2><p>当地官员欺压百姓，无人过问，我们要讨个说法！</p></div>`}); !hasKind(rep, KindDefacement) {
		t.Fatalf("replaced main column missed: %+v", rep)
	}
	// A redesign keeps the frame and fills the column with the site's own news.
	var redesign strings.Builder
	redesign.WriteString(`<div class="tabs"><span>工作动态</span><span>通知公告</span></div><table>`)
	for i := 0; i < 30; i++ {
		fmt.Fprintf(&redesign, `<tr><td><a href="/new/%d.html">梅林水利第%d期河道巡查简报</a></td><td>05-%02d</td></tr>`, i, 90+i, i%28+1)
	}
	redesign.WriteString(`</table>`)
	if rep := checkPortal(t, b, portal{main: redesign.String()}); rep.Verdict != VerdictClean {
		t.Fatalf("redesign flagged: %+v", rep.Findings)
	}
	// A spam title is SEO hijacking (illicit content), not defacement.
	rep := checkPortal(t, b, portal{title: "澳门赌场_百家乐官网"})
	if hasKind(rep, KindDefacement) || !hasKind(rep, KindIllicitContent) {
		t.Fatalf("spam title: %+v", rep.Kinds())
	}
}

func TestCloaking(t *testing.T) {
	b := portalBaseline(t)
	browser := Page{URL: portalURL, HTML: portal{day: 7}.html()}
	spider := Page{URL: portalURL, HTML: portal{day: 7, title: "梅林市水利局_太阳城娱乐_真钱棋牌",
		extraBody: `<div style="position:absolute;left:-6000px"><a href="http://bet.example.top/">百家乐</a></div>`}.html()}
	rep := Check(b, browser, &spider)
	for _, k := range []string{KindCloaking, KindHiddenLink, KindIllicitContent} {
		if !hasKind(rep, k) {
			t.Errorf("cloaking case lacks %s: %v", k, rep.Kinds())
		}
	}
	same := Page{URL: portalURL, HTML: portal{day: 8}.html()}
	if rep := Check(b, browser, &same); rep.Verdict != VerdictClean {
		t.Errorf("identical spider copy flagged: %+v", rep.Findings)
	}
}

func TestBaselineJSONAndAccept(t *testing.T) {
	b := portalBaseline(t)
	data, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) > 10*1024 || b.MemoryBytes() > 10*1024 {
		t.Errorf("baseline too large: json %d, memory %d", len(data), b.MemoryBytes())
	}
	var back Baseline
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if len(back.Stable) != len(b.Stable) || len(back.Volatile) != len(b.Volatile) || len(back.Regions) != len(b.Regions) || string(back.Vocab) != string(b.Vocab) {
		t.Fatal("round trip lost data")
	}
	bad := strings.Replace(string(data), `"version":1`, `"version":99`, 1)
	if err := json.Unmarshal([]byte(bad), &back); err == nil {
		t.Error("future version accepted")
	}

	// Accepting a change makes it normal.
	changed := portal{extraHead: `<script src="https://cdn.partner.example/widget.js"></script>`}
	if rep := checkPortal(t, b, changed); !hasKind(rep, KindNewExternalScript) {
		t.Fatalf("precondition: %+v", rep)
	}
	b.Accept(Page{URL: portalURL, HTML: changed.html()})
	if rep := checkPortal(t, b, changed); rep.Verdict != VerdictClean {
		t.Fatalf("accepted change still alerts: %+v", rep.Findings)
	}
	if _, err := Learn(nil); err == nil {
		t.Error("Learn without snapshots must fail")
	}
}

func TestSameAlert(t *testing.T) {
	a := Report{Verdict: VerdictTampered, Findings: []Finding{{Kind: KindHiddenLink, Selector: "x"}, {Kind: KindIllicitContent}}}
	b := Report{Verdict: VerdictTampered, Findings: []Finding{{Kind: KindIllicitContent}, {Kind: KindHiddenLink, Selector: "y"}}}
	c := Report{Verdict: VerdictTampered, Findings: []Finding{{Kind: KindHiddenLink}}}
	if !SameAlert(a, b) || SameAlert(a, c) || SameAlert(Report{Verdict: VerdictClean}, Report{Verdict: VerdictClean}) {
		t.Error("SameAlert mismatch")
	}
}

func TestEmptyURLInfersHost(t *testing.T) {
	page := []byte(`<html><head><meta name="SiteDomain" content="www.mlsl.gov.cn"><title>t</title></head><body>
<div style="display:none"><a href="http://www.mlsl.gov.cn/a">内部</a></div></body></html>`)
	if rep := Analyze(Page{HTML: page}); rep.Verdict != VerdictClean {
		t.Errorf("own absolute link treated as foreign: %+v", rep.Findings)
	}
}

func TestOneSnapshotBaselineToleratesNewsChurn(t *testing.T) {
	b, err := Learn([]Page{{URL: portalURL, HTML: portal{day: 1}.html()}})
	if err != nil {
		t.Fatal(err)
	}
	// Every news item differs on day 20; header, menu and footer remain.
	if rep := checkPortal(t, b, portal{day: 20}); rep.Verdict != VerdictClean {
		t.Fatalf("news churn flagged with a one-snapshot baseline: %+v", rep.Findings)
	}
	hacked := Page{URL: portalURL, HTML: []byte(`<title>x</title><body><h1>HACKED</h1></body>`)}
	if rep := Check(b, hacked, nil); !hasKind(rep, KindDefacement) {
		t.Fatalf("replaced page missed with a one-snapshot baseline: %+v", rep)
	}
}

func TestHeadlineInTitle(t *testing.T) {
	var pages []Page
	for d := 1; d <= 3; d++ {
		pages = append(pages, Page{URL: portalURL, HTML: portal{day: d, title: fmt.Sprintf("第%d期防汛简报 - 梅林市水利局", d)}.html()})
	}
	b, err := Learn(pages)
	if err != nil {
		t.Fatal(err)
	}
	if rep := checkPortal(t, b, portal{title: "汛期水库调度通知 - 梅林市水利局"}); rep.Verdict != VerdictClean {
		t.Fatalf("new headline in title flagged: %+v", rep.Findings)
	}
	if rep := checkPortal(t, b, portal{title: "我们回来了！！！"}); !hasKind(rep, KindDefacement) {
		t.Fatalf("title without the site name missed: %+v", rep)
	}
}

func TestInheritedHidingUndone(t *testing.T) {
	b := portalBaseline(t)
	// font-size:0 on the list removes inline-block gaps; items restore it.
	gapTrick := `<style>.partners ul{font-size:0}.partners li{display:inline-block;font-size:14px}</style>
<div class="partners"><ul><li><a href="http://www.partner-bank.example/">合作银行</a></li><li><a href="http://www.partner-water.example/">供水集团</a></li></ul></div>`
	if rep := checkPortal(t, b, portal{extraBody: gapTrick}); hasKind(rep, KindHiddenLink) {
		t.Errorf("font-size gap trick flagged: %+v", rep.Findings)
	}
	shownAgain := `<div style="visibility:hidden"><p style="visibility:visible"><a href="http://www.partner-bank.example/">合作银行</a></p></div>`
	if rep := checkPortal(t, b, portal{extraBody: shownAgain}); hasKind(rep, KindHiddenLink) {
		t.Errorf("visibility restored by a child flagged: %+v", rep.Findings)
	}
	// display:none cannot be undone by a descendant.
	notUndone := `<div style="display:none"><p style="display:block"><a href="http://www.partner-bank.example/">合作银行</a></p></div>`
	if rep := checkPortal(t, b, portal{extraBody: notUndone}); !hasKind(rep, KindHiddenLink) {
		t.Errorf("display:none ancestor ignored: %+v", rep)
	}
}

// A portal with hundreds of menu items keeps only its longest stable
// blocks (the memory budget), and still tells a replaced page from news
// churn.
func TestLargePortalBaselineIsBounded(t *testing.T) {
	page := func(day int, body string) Page {
		var b strings.Builder
		b.WriteString(`<html><head><title>示例市人民政府门户网站</title></head><body><div class="header"><h1>示例市人民政府</h1></div><ul class="nav">`)
		for i := 0; i < 600; i++ {
			fmt.Fprintf(&b, `<li><a href="/m/%d/">%s栏目%d</a></li>`, i, benchTopics[i%8], i)
		}
		b.WriteString(`</ul><div class="main"><ul class="news">`)
		for i := 0; i < 20; i++ {
			fmt.Fprintf(&b, `<li><a href="/news/%d.html">示例市召开第%d次%s工作会议</a><span>2026-11-%02d</span></li>`, day*100+i, day*20+i, benchTopics[(day+i)%8], day)
		}
		b.WriteString(`</ul>` + body + `</div><div class="footer"><p>主办:示例市人民政府办公室 地址:示例市人民路1号</p><p>ICP备12345678号</p></div></body></html>`)
		return Page{URL: "https://www.example.gov.cn/", HTML: []byte(b.String())}
	}
	b, err := Learn([]Page{page(1, ""), page(2, ""), page(3, "")})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Stable) != maxStable || b.MemoryBytes() > 10*1024 {
		t.Fatalf("baseline keeps %d stable blocks, %d bytes", len(b.Stable), b.MemoryBytes())
	}
	if rep := Check(b, page(4, ""), nil); rep.Verdict != VerdictClean {
		t.Fatalf("news churn flagged: %+v", rep.Findings)
	}
	hacked := Page{URL: "https://www.example.gov.cn/", HTML: []byte(`<html><head><title>Hacked</title></head><body><h1>Hacked by X</h1></body></html>`)}
	if rep := Check(b, hacked, nil); !hasKind(rep, KindDefacement) {
		t.Fatalf("replaced page missed: %+v", rep)
	}
}

// The central portal's widgets (the 我为政府网站找错 script every public-sector
// site embeds) are not a new external script; a look-alike host is.
func TestNationalWidgetScriptIsKnown(t *testing.T) {
	page := func(extra string) Page {
		return Page{URL: "http://www.example-county.gov.cn/", HTML: []byte(`<html><head><title>示例县人民政府</title></head><body><div class="nav"><a href="/">首页</a> <a href="/zwgk/">政务公开</a></div><p>示例县人民政府门户网站欢迎您。</p>` + extra + `</body></html>`)}
	}
	b, err := Learn([]Page{page(""), page(""), page("")})
	if err != nil {
		t.Fatal(err)
	}
	if rep := Check(b, page(`<script id="_jiucuo_" sitecode="1234000001" src="https://zfwzgl.www.gov.cn/exposure/jiucuo.js"></script>`), nil); rep.Verdict != VerdictClean {
		t.Fatalf("the national error-report widget is reported: %+v", rep.Findings)
	}
	rep := Check(b, page(`<script src="https://zfwzgl.www.gov.cn.evil-cdn.cc/exposure/jiucuo.js"></script>`), nil)
	if len(rep.Kinds()) == 0 || rep.Kinds()[0] != KindNewExternalScript {
		t.Fatalf("a look-alike script host is not reported: %+v", rep.Findings)
	}
}
