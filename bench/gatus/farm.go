package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// page is site i's ~100 KB home page (the shape of BenchmarkFullChecks'
// farm: navigation, a long news list, a footer).
func page(i int) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, `<!doctype html><html><head><meta charset="utf-8"><title>第%d号门户网站</title></head><body>`, i)
	b.WriteString(`<div id="nav"><ul>`)
	for c := 0; c < 40; c++ {
		fmt.Fprintf(&b, `<li><a href="/col/%d/">栏目%d</a><ul class="sub">`, c, c)
		for j := 0; j < 5; j++ {
			fmt.Fprintf(&b, `<li><a href="/col/%d/%d/">子栏目%d</a></li>`, c, j, j)
		}
		b.WriteString(`</ul></li>`)
	}
	b.WriteString(`</ul></div><div id="main">`)
	for n := 0; b.Len() < 95_000; n++ {
		fmt.Fprintf(&b, `<div class="item"><a href="/news/%d.html">关于做好第%d期网络安全宣传工作的通知（%d号站）</a><span>2026-11-%02d</span><p>为贯彻落实网络安全工作责任制，进一步提升全县网络安全防护能力，现就有关事项通知如下。</p></div>`, n, n, i, n%28+1)
	}
	b.WriteString(`</div><div id="footer">版权所有 <a href="https://beian.miit.gov.cn/">ICP备案</a></div></body></html>`)
	return []byte(b.String())
}

// farmCounts are the requests the farm answered, by who asked.
type farmCounts struct {
	Gatus       int64 `json:"gatus"`
	Browser     int64 `json:"browser"`
	Spider      int64 `json:"spider"`
	Referer     int64 `json:"referer"`
	NotModified int64 `json:"not_modified"`
	// GatusSites is how many sites Gatus has asked at least once since the
	// last reset (Gatus starts its endpoints 222 ms apart).
	GatusSites int `json:"gatus_sites"`
}

type farm struct {
	gatus, browser, spider, referer, notModified atomic.Int64
	mu                                           sync.Mutex
	gatusSites                                   map[int]bool
}

func (f *farm) reset() {
	f.gatus.Store(0)
	f.browser.Store(0)
	f.spider.Store(0)
	f.referer.Store(0)
	f.notModified.Store(0)
	f.mu.Lock()
	f.gatusSites = map[int]bool{}
	f.mu.Unlock()
}

func (f *farm) counts() farmCounts {
	f.mu.Lock()
	n := len(f.gatusSites)
	f.mu.Unlock()
	return farmCounts{Gatus: f.gatus.Load(), Browser: f.browser.Load(), Spider: f.spider.Load(),
		Referer: f.referer.Load(), NotModified: f.notModified.Load(), GatusSites: n}
}

// site serves one page as a static file server would (nginx): with an
// ETag and Last-Modified, answering a matching conditional request with
// 304 Not Modified. Gatus does not send conditional requests; Fenghuo does.
func (f *farm) site(i int) http.Handler {
	body := page(i)
	etag := fmt.Sprintf(`"%x"`, sha256.Sum256(body))
	mod := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch ua := r.UserAgent(); {
		case strings.HasPrefix(ua, "Gatus"):
			f.gatus.Add(1)
			f.mu.Lock()
			f.gatusSites[i] = true
			f.mu.Unlock()
		case strings.Contains(ua, "Baiduspider"):
			f.spider.Add(1)
		case r.Referer() != "":
			f.referer.Add(1)
		default:
			f.browser.Add(1)
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if r.Header.Get("If-None-Match") == etag {
			f.notModified.Add(1)
		}
		http.ServeContent(w, r, "", mod, bytes.NewReader(body))
	})
}

// farmInfo is what the farm process prints once it listens.
type farmInfo struct {
	Sites   []string `json:"sites"`
	Control string   `json:"control"`
}

// runFarm serves n sites, each on its own loopback address (127.0.2.x),
// as distinct hosts, and a control listener (/stats, /reset).
func runFarm(n int) error {
	f := &farm{gatusSites: map[int]bool{}}
	var info farmInfo
	for i := 0; i < n; i++ {
		ln, err := net.Listen("tcp", fmt.Sprintf("127.0.%d.%d:0", 2+i/250, 1+i%250))
		if err != nil {
			return err
		}
		srv := &http.Server{Handler: f.site(i), ReadHeaderTimeout: 10 * time.Second}
		go srv.Serve(ln)
		info.Sites = append(info.Sites, "http://"+ln.Addr().String()+"/")
	}
	ctl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/stats", func(w http.ResponseWriter, r *http.Request) { json.NewEncoder(w).Encode(f.counts()) })
	mux.HandleFunc("/reset", func(w http.ResponseWriter, r *http.Request) { f.reset() })
	go http.Serve(ctl, mux)
	info.Control = "http://" + ctl.Addr().String()
	if err := json.NewEncoder(os.Stdout).Encode(info); err != nil {
		return err
	}
	select {}
}
