package tamper

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"strings"
	"syscall"
	"testing"
	"time"
)

// processCPU returns user+system CPU time of the process in nanoseconds.
func processCPU() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return (time.Duration(ru.Utime.Nano()) + time.Duration(ru.Stime.Nano())).Nanoseconds()
}

var (
	benchOrgs   = []string{"县发展改革委", "县财政局", "县教育局", "县卫生健康委", "县交通运输局", "城关镇", "新安乡", "县市场监管局"}
	benchTopics = []string{"乡村振兴", "安全生产", "营商环境", "防汛抗旱", "森林防火", "民生实事", "河湖长制", "文明创建"}
	benchVerbs  = []string{"召开专题会议部署", "扎实推进", "开展专项行动推进", "举办业务培训班聚焦", "深入调研"}
)

// syntheticPage builds a portal home page of roughly 100 KB: head with CSS,
// navigation with dropdowns, a banner, news columns, sidebar and footer.
// day varies the volatile parts (date, counter, news) like a live site.
func syntheticPage(day int) []byte {
	r := rand.New(rand.NewSource(int64(day)))
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>首页 - 示例县人民政府</title>
<meta name="keywords" content="示例县,人民政府,政务公开"><meta name="description" content="示例县人民政府门户网站">
<meta name="csrf-token" content="` + fmt.Sprintf("%032x", r.Int63()) + `"><style>`)
	for i := 0; i < 60; i++ {
		fmt.Fprintf(&b, ".c%d{margin:%dpx;padding:%dpx;color:#333}\n", i, i%7, i%5)
	}
	b.WriteString(`.nav .sub{display:none}.nav li:hover .sub{display:block}.skip{position:absolute;left:-9999px}</style>
<script src="/js/jquery.min.js"></script><script src="https://hm.baidu.com/hm.js?abc"></script></head><body>
<a class="skip" href="#main">跳到主要内容</a>`)
	fmt.Fprintf(&b, `<div class="top"><span class="date">今天是2024年10月%d日</span><span class="counter">访问量 %d</span></div>`, day%28+1, 100000+day*137)
	b.WriteString(`<div class="header"><h1>示例县人民政府</h1></div><div class="nav"><ul>`)
	for i := 0; i < 8; i++ {
		fmt.Fprintf(&b, `<li><a href="/col%d/">栏目%d</a><ul class="sub">`, i, i)
		for j := 0; j < 6; j++ {
			fmt.Fprintf(&b, `<li><a href="/col%d/sub%d/">%s%s</a></li>`, i, j, benchTopics[(i+j)%8], "专栏")
		}
		b.WriteString(`</ul></li>`)
	}
	b.WriteString(`</ul></div><div class="banner">`)
	for i := 0; i < 4; i++ {
		style := "display:none"
		if i == day%4 {
			style = "display:block"
		}
		fmt.Fprintf(&b, `<div class="slide" style="%s"><a href="/zt/%d/"><img src="/img/b%d.jpg?v=%d" alt="专题%d"></a></div>`, style, i, i, day, i)
	}
	b.WriteString(`</div><div class="main" id="main">`)
	for col := 0; col < 12; col++ {
		fmt.Fprintf(&b, `<div class="box" id="col%d"><div class="hd"><h3>%s动态</h3><a href="/list%d/">更多</a></div><ul class="list">`, col, benchTopics[col%8], col)
		for i := 0; i < 36; i++ {
			org, topic, verb := benchOrgs[r.Intn(8)], benchTopics[r.Intn(8)], benchVerbs[r.Intn(5)]
			fmt.Fprintf(&b, `<li><a href="/xw/2024/t%d_%d.html" target="_blank" title="%s%s%s工作">%s%s%s工作</a><span class="d">2024-10-%02d</span></li>`+"\n",
				day, r.Intn(1e6), org, verb, topic, org, verb, topic, r.Intn(28)+1)
		}
		b.WriteString(`</ul></div>`)
	}
	b.WriteString(`</div><div class="links"><a href="https://www.gov.cn/">中国政府网</a><a href="https://www.example-province.gov.cn/">省人民政府</a></div>
<div class="footer"><p>主办单位：示例县人民政府办公室</p><p>地址：示例县人民路1号 电话：0000-1234567</p>
<p><a href="https://beian.miit.gov.cn/">示ICP备00000000号</a></p></div>
<script>(function(){var r=document.referrer||'';var i=new Image(1,1);i.src='/stat/pv.gif?r='+encodeURIComponent(r);})();</script>
</body></html>`)
	return []byte(b.String())
}

func benchBaseline(tb testing.TB) *Baseline {
	b, err := Learn([]Page{
		{URL: "http://www.example.gov.cn/", HTML: syntheticPage(1)},
		{URL: "http://www.example.gov.cn/", HTML: syntheticPage(2)},
		{URL: "http://www.example.gov.cn/", HTML: syntheticPage(3)},
	})
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func TestSyntheticPageIsClean(t *testing.T) {
	b := benchBaseline(t)
	p := Page{URL: "http://www.example.gov.cn/", HTML: syntheticPage(9)}
	if rep := Check(b, p, nil); rep.Verdict != VerdictClean {
		t.Fatalf("synthetic benign page flagged: %+v", rep.Findings)
	}
	if rep := Analyze(p); rep.Verdict != VerdictClean {
		t.Fatalf("Analyze flags synthetic benign page: %+v", rep.Findings)
	}
}

// BenchmarkCheck measures one Check of a ~100 KB page and reports the
// baseline's size (JSON and estimated memory).
func BenchmarkCheck(b *testing.B) {
	base := benchBaseline(b)
	html := syntheticPage(9)
	p := Page{URL: "http://www.example.gov.cn/", HTML: html}
	js, err := json.Marshal(base)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(html)))
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := processCPU()
	for i := 0; i < b.N; i++ {
		Check(base, p, nil)
	}
	// CPU time (all threads, GC included) per page: the budget is CPU, and
	// wall time on a shared 2-core machine is noisy.
	b.ReportMetric(float64(processCPU()-cpu0)/float64(b.N)/1e6, "cpu_ms/op")
	b.ReportMetric(float64(len(js)), "baseline_json_bytes")
	b.ReportMetric(float64(base.MemoryBytes()), "baseline_mem_bytes")
	b.ReportMetric(float64(len(html)), "page_bytes")
}

func BenchmarkLearn(b *testing.B) {
	for i := 0; i < b.N; i++ {
		benchBaseline(b)
	}
}

// BenchmarkHostile analyses the large hostile pages of the fuzz seeds
// (20,000-deep nesting, 30,000 links, 2 MB of text, 2 MB of script); the
// time per byte must not grow with the size (a script of many short
// literals mentioning location was quadratic).
func BenchmarkHostile(b *testing.B) {
	for _, h := range bigHostilePages() {
		b.Run(h.name, func(b *testing.B) {
			p := Page{URL: "http://www.example.gov.cn/", HTML: h.html}
			b.SetBytes(int64(len(h.html)))
			for i := 0; i < b.N; i++ {
				Analyze(p)
			}
		})
	}
}
