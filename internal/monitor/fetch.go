// Package monitor watches the websites of registered systems: availability,
// content (through the tamper package), DNS answers and TLS certificates.
package monitor

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"
)

// Profile is who a fetch pretends to be. Cloaked sites serve search-engine
// spiders, or visitors arriving from a search engine, a different page.
type Profile string

const (
	ProfileBrowser      Profile = "browser"
	ProfileBaiduspider  Profile = "baiduspider"
	ProfileBaiduReferer Profile = "baidu_referer"
)

// Profiles lists the fetch profiles of a content check.
var Profiles = []Profile{ProfileBrowser, ProfileBaiduspider, ProfileBaiduReferer}

const (
	browserUA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"
	spiderUA  = "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)"
	// MaxBody bounds what is read of a page; a portal home page is well
	// under a megabyte.
	MaxBody = 4 << 20
)

// Response is the result of one fetch.
type Response struct {
	URL        string
	FinalURL   string
	Status     int
	Body       []byte
	Latency    time.Duration
	Truncated  bool
	TLS        *tls.ConnectionState
	Err        error
	ErrKind    string // "dns", "connect", "blocked", "timeout", "tls", "http", ""
	RedirectTo string // a cross-host redirect the fetch did not follow
	// ETag and LastModified are the page's validators, for the next
	// conditional fetch.
	ETag, LastModified string
	// NotModified: a conditional fetch was answered 304 Not Modified (the
	// page is the copy the validators name; Body is empty).
	NotModified bool
}

// OK reports whether the site answered with a 2xx status, or with 304 to a
// conditional fetch.
func (r *Response) OK() bool {
	return r.Err == nil && (r.Status >= 200 && r.Status < 300 || r.NotModified)
}

// Validators are what a conditional fetch sends (If-None-Match,
// If-Modified-Since): those a site gave with the copy last seen.
type Validators struct{ ETag, LastModified string }

// NewClient returns an HTTP client for checks: no cookies, bounded
// redirects within the same host, the given timeout. A cross-host redirect
// is not followed: it is reported, because it may be the attack. It never
// connects to a link-local, unspecified or multicast address, nor to
// loopback unless allowLoopback (reach.go).
func NewClient(timeout time.Duration, roots *x509.CertPool, allowLoopback bool) *http.Client {
	tr := &http.Transport{
		Proxy: nil, // checks see the site as the network does, never through a proxy
		// Every connection, redirects included, passes the reach rule
		// (reach.go): never link-local or multicast, loopback only when
		// allowed.
		DialContext:           (&net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second, Control: reachControl(allowLoopback)}).DialContext,
		TLSClientConfig:       &tls.Config{MinVersion: tls.VersionTLS12, RootCAs: roots},
		TLSHandshakeTimeout:   timeout,
		ResponseHeaderTimeout: timeout,
		MaxIdleConnsPerHost:   2,
		IdleConnTimeout:       90 * time.Second,
		ForceAttemptHTTP2:     true,
	}
	return &http.Client{Transport: tr, Timeout: 2 * timeout, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if len(via) >= 5 {
			return errors.New("too many redirects")
		}
		if req.URL.Hostname() != via[0].URL.Hostname() {
			return http.ErrUseLastResponse
		}
		return nil
	}}
}

// Fetch gets url as profile p.
func Fetch(ctx context.Context, c *http.Client, rawURL string, p Profile) *Response {
	return FetchIf(ctx, c, rawURL, p, Validators{})
}

// FetchIf gets url as profile p, conditionally when v names validators: a
// site that answers 304 Not Modified sends no body.
func FetchIf(ctx context.Context, c *http.Client, rawURL string, p Profile, v Validators) *Response {
	r := &Response{URL: rawURL}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		r.Err, r.ErrKind = err, "http"
		return r
	}
	req.Header.Set("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8")
	req.Header.Set("Accept-Language", "zh-CN,zh;q=0.9")
	switch p {
	case ProfileBaiduspider:
		req.Header.Set("User-Agent", spiderUA)
	case ProfileBaiduReferer:
		req.Header.Set("User-Agent", browserUA)
		req.Header.Set("Referer", "https://www.baidu.com/s?wd="+url.QueryEscape(req.URL.Hostname()))
	default:
		req.Header.Set("User-Agent", browserUA)
	}
	if v.ETag != "" {
		req.Header.Set("If-None-Match", v.ETag)
	}
	if v.LastModified != "" {
		req.Header.Set("If-Modified-Since", v.LastModified)
	}
	start := time.Now()
	resp, err := c.Do(req)
	r.Latency = time.Since(start)
	if err != nil {
		r.Err, r.ErrKind = err, classify(err)
		return r
	}
	defer resp.Body.Close()
	r.Status = resp.StatusCode
	r.FinalURL = resp.Request.URL.String()
	r.TLS = resp.TLS
	r.ETag, r.LastModified = resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
	if resp.StatusCode == http.StatusNotModified && (v.ETag != "" || v.LastModified != "") {
		r.NotModified = true
	} else if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		r.RedirectTo = resp.Header.Get("Location")
	}
	body, err := readBody(resp)
	if err != nil {
		r.Err, r.ErrKind = err, classify(err)
		return r
	}
	if len(body) > MaxBody {
		body, r.Truncated = body[:MaxBody], true
	}
	r.Body = body
	r.Latency = time.Since(start)
	return r
}

// readBody reads up to MaxBody+1 bytes of a response, in one buffer sized
// from Content-Length when the site sends it (io.ReadAll would grow and copy
// a 100 KB page a dozen times).
func readBody(resp *http.Response) ([]byte, error) {
	lr := io.LimitReader(resp.Body, MaxBody+1)
	if n := resp.ContentLength; n > 0 && n <= MaxBody {
		buf := make([]byte, 0, n+1)
		for {
			if len(buf) == cap(buf) {
				buf = append(buf, 0)[:len(buf)] // a longer body than announced: grow
			}
			k, err := lr.Read(buf[len(buf):cap(buf)])
			buf = buf[:len(buf)+k]
			if err == io.EOF {
				return buf, nil
			}
			if err != nil {
				return buf, err
			}
		}
	}
	return io.ReadAll(lr)
}

// classify names the kind of a fetch error for the check history.
func classify(err error) string {
	var dnsErr *net.DNSError
	var certErr *tls.CertificateVerificationError
	var netErr net.Error
	switch {
	case errors.As(err, &dnsErr):
		return "dns"
	case errors.As(err, &certErr):
		return "tls"
	case errors.As(err, &netErr) && netErr.Timeout():
		return "timeout"
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	}
	if errors.Is(err, ErrBlockedAddress) {
		return "blocked"
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) {
		return "connect"
	}
	return "http"
}

// Describe is a one-line account of a failed fetch for people.
func (r *Response) Describe() string {
	switch {
	case r.Err != nil:
		return fmt.Sprintf("%s error: %v", r.ErrKind, r.Err)
	case r.RedirectTo != "":
		return fmt.Sprintf("HTTP %d redirect to %s", r.Status, r.RedirectTo)
	default:
		return fmt.Sprintf("HTTP %d", r.Status)
	}
}
