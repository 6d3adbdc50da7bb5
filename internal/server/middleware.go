package server

import (
	"context"
	"fenghuo/internal/phrase"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"fenghuo/internal/server/clientip"
)

// Middleware wraps a handler.
type Middleware func(http.Handler) http.Handler

// Chain applies middleware so that the first one listed runs first.
func Chain(h http.Handler, mw ...Middleware) http.Handler {
	for i := len(mw) - 1; i >= 0; i-- {
		h = mw[i](h)
	}
	return h
}

// SecurityHeaders sets strict headers on every response: a CSP that allows
// no inline script or style and no other origin, no framing, no sniffing.
func SecurityHeaders(hsts bool) Middleware {
	const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
		"font-src 'self'; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			h := w.Header()
			h.Set("Content-Security-Policy", csp)
			h.Set("X-Content-Type-Options", "nosniff")
			h.Set("X-Frame-Options", "DENY")
			h.Set("Referrer-Policy", "same-origin")
			h.Set("Cross-Origin-Opener-Policy", "same-origin")
			h.Set("Cross-Origin-Resource-Policy", "same-origin")
			h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
			if hsts {
				h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
			}
			next.ServeHTTP(w, r)
		})
	}
}

// CrossOrigin rejects cross-origin unsafe requests (CSRF) with the
// standard library's Sec-Fetch-Site / Origin check. Requests that carry an
// API token in the Authorization header are not browser form posts and
// pass; the API authenticates them itself.
func CrossOrigin(trusted ...string) (Middleware, error) {
	cop := http.NewCrossOriginProtection()
	for _, o := range trusted {
		if err := cop.AddTrustedOrigin(o); err != nil {
			return nil, fmt.Errorf("trusted origin %q: %w", o, err)
		}
	}
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		plainError(w, r, "Cross-origin request refused. / 拒绝跨站请求。", http.StatusForbidden)
	}))
	return func(next http.Handler) http.Handler {
		protected := cop.Handler(next)
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("Authorization") != "" && r.Header.Get("Cookie") == "" {
				next.ServeHTTP(w, r)
				return
			}
			protected.ServeHTTP(w, r)
		})
	}, nil
}

// Recover turns a panic into a 500 and logs it with the stack.
func Recover(log *slog.Logger) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			defer func() {
				if v := recover(); v != nil {
					if v == http.ErrAbortHandler {
						panic(v)
					}
					log.Error("panic", "method", r.Method, "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
					plainError(w, r, "Internal error. / 内部错误。", http.StatusInternalServerError)
				}
			}()
			next.ServeHTTP(w, r)
		})
	}
}

type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// statusClientClosedRequest is nginx's status for a request the client
// abandoned before the answer.
const statusClientClosedRequest = 499

// Observe logs every request and records Prometheus metrics by route
// pattern (never by raw path, which would explode the label set).
func Observe(log *slog.Logger, reg prometheus.Registerer) Middleware {
	requests := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "fenghuo_http_requests_total", Help: "HTTP requests by route pattern and status.",
	}, []string{"method", "route", "status"})
	latency := prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "fenghuo_http_request_seconds", Help: "HTTP request latency by route pattern.",
		Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
	}, []string{"method", "route"})
	reg.MustRegister(requests, latency)
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			sw := &statusWriter{ResponseWriter: w}
			next.ServeHTTP(sw, r)
			if sw.status == 0 {
				sw.status = http.StatusOK
			}
			route := r.Pattern
			if route == "" {
				route = "unmatched"
			}
			d := time.Since(start)
			level, msg := slog.LevelInfo, "http"
			switch {
			case r.Context().Err() != nil && (sw.status >= 500 || sw.status == statusClientClosedRequest):
				// The client disconnected before the answer: whatever the
				// handler made of its cancelled context is not an error.
				sw.status, msg = statusClientClosedRequest, "http: client went away"
			case sw.status >= 500:
				level = slog.LevelError
			}
			requests.WithLabelValues(r.Method, route, strconv.Itoa(sw.status)).Inc()
			latency.WithLabelValues(r.Method, route).Observe(d.Seconds())
			log.Log(context.WithoutCancel(r.Context()), level, msg, "method", r.Method, "path", r.URL.Path, "status", sw.status,
				"bytes", sw.bytes, "ms", d.Milliseconds(), "ip", ClientIP(r))
		})
	}
}

// ClientIP is the peer address of the request.
func ClientIP(r *http.Request) string { return clientip.Of(r) }

// plainError answers a refusal made before any page or API handler runs,
// in the client's language (Accept-Language; Chinese by default): the
// message is written in both, the answer carries one.
func plainError(w http.ResponseWriter, r *http.Request, msg string, status int) {
	http.Error(w, phrase.InLang(msg, phrase.AcceptLanguage(r.Header.Get("Accept-Language"))), status)
}
