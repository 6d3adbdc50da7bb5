package server

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"fenghuo/internal/api"
	"fenghuo/internal/app/auditlog"
	"fenghuo/internal/app/exposure"
	"fenghuo/internal/app/services"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/guard"
	"fenghuo/internal/ingest/syslogd"
	"fenghuo/internal/monitor"
	"fenghuo/internal/web"
)

// HandlerOptions configure the composed handler.
type HandlerOptions struct {
	Logger         *slog.Logger
	SecureCookies  bool
	HSTS           bool
	TrustedOrigins []string
	// AdminNetworks, when set, are the only networks administrators may
	// log in from.
	AdminNetworks []string
	// TrustedProxies are the reverse proxies (addresses or CIDRs) whose
	// X-Forwarded-For names the client; see RealIP.
	TrustedProxies []string
	// Metrics, when set, gets the Prometheus endpoint GET /metrics, to be
	// served on a listener of its own (Options.MetricsListen). The main
	// handler serves /metrics only to a metrics-scope API token: per-route
	// traffic and runtime details are for the operators, not for anyone who
	// reaches the console.
	Metrics *http.ServeMux
	// Stopping, when closed, ends the console's open event streams
	// (GET /events), which would otherwise hold a graceful shutdown for its
	// whole timeout; the pages reconnect to whichever server answers next.
	Stopping <-chan struct{}
}

// NewHandler composes the console, the API, health and metrics (for a
// metrics token; see also opts.Metrics) behind the common middleware:
// panic recovery, logging and metrics, security headers and cross-origin
// (CSRF) protection.
func NewHandler(a *services.Services, opts HandlerOptions) (http.Handler, error) {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	// Website checks and recovered panics (monitor.Collectors, guard.Collectors).
	reg.MustRegister(monitor.Collectors()...)
	reg.MustRegister(guard.Collectors()...)
	// Exposure checks (issue 12, P4).
	reg.MustRegister(exposure.Collectors()...)
	// The syslog receiver (issue 14): messages received, accepted, dropped by reason; connections.
	reg.MustRegister(syslogd.Collectors()...)
	// The audit log's anchors and archives (issue 15 item 4).
	reg.MustRegister(auditlog.Collectors()...)
	// Statements slower than slow_query (issue 16 item 6; store.SetSlowQuery).
	db := a.Core.DB()
	reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "fenghuo_db_slow_queries_total",
		Help: "Database statements slower than the slow_query threshold (each also logged at warn with its SQL text)."},
		func() float64 { return float64(db.SlowQueries()) }))
	// Audit entries committed but not yet chained by the sealer (PostgreSQL;
	// store/auditseal.go): normally 0 or a few for milliseconds.
	reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "fenghuo_audit_unsealed_entries",
		Help: "Audit entries committed but not yet sealed into the chain (PostgreSQL seals them in batches; SQLite always 0)."},
		func() float64 {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			n, _, err := db.AuditUnsealed(ctx)
			if err != nil {
				return -1
			}
			return float64(n)
		}))
	reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "fenghuo_audit_unsealed_oldest_seconds",
		Help: "Age of the oldest audit entry not yet sealed into the chain (0 when none)."},
		func() float64 {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			_, oldest, err := db.AuditUnsealed(ctx)
			if err != nil || oldest.IsZero() {
				return 0
			}
			return time.Since(oldest).Seconds()
		}))

	mux := http.NewServeMux()
	w, err := web.New(a, web.Options{Logger: opts.Logger, SecureCookies: opts.SecureCookies, AdminNetworks: opts.AdminNetworks,
		Stopping: opts.Stopping})
	if err != nil {
		return nil, err
	}
	w.Routes(mux)
	api.New(a, api.Options{Logger: opts.Logger, SecureCookies: opts.SecureCookies, AdminNetworks: opts.AdminNetworks}).Routes(mux)
	// The remote probe protocol (fenghuo probe), authenticated by probe tokens.
	probes := &monitor.Service{DB: a.Core.DB(), Now: a.Core.Now, Log: opts.Logger}
	probes.ProbeRoutes(mux)
	// Exposure checks from remote probes (issue 12 item 5).
	a.Exposure.ProbeRoutes(mux, probes.ProbeAuth)
	mux.HandleFunc("GET /healthz", health(a))
	metrics := promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
	if opts.Metrics != nil {
		opts.Metrics.Handle("GET /metrics", metrics)
	}
	mux.Handle("GET /metrics", metricsToken(a, metrics))

	cross, err := CrossOrigin(opts.TrustedOrigins...)
	if err != nil {
		return nil, err
	}
	realIP, err := RealIP(opts.TrustedProxies)
	if err != nil {
		return nil, err
	}
	return Chain(mux,
		realIP,
		Recover(opts.Logger),
		Observe(opts.Logger, reg),
		SecurityHeaders(opts.HSTS),
		cross,
	), nil
}

// metricsToken serves /metrics on the console's listener only to a bearer
// API token with the metrics scope (for a scraper that cannot reach the
// metrics listener): 401 without a valid token, 403 with another scope.
func metricsToken(a *services.Services, metrics http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		var err error = errNoMetricsToken
		if ok {
			err = a.Accounts.MetricsToken(r.Context(), strings.TrimSpace(token), ClientIP(r))
		}
		switch {
		case err == nil:
			metrics.ServeHTTP(w, r)
		case fenghuo.ErrorCode(err) == fenghuo.EFORBIDDEN:
			plainError(w, r, fenghuo.ErrorMessage(err), http.StatusForbidden)
		case fenghuo.ErrorCode(err) == fenghuo.EUNAUTHORIZED:
			w.Header().Set("WWW-Authenticate", `Bearer realm="fenghuo metrics"`)
			plainError(w, r, fenghuo.ErrorMessage(err), http.StatusUnauthorized)
		default:
			plainError(w, r, "Internal error. / 内部错误。", http.StatusInternalServerError)
		}
	})
}

var errNoMetricsToken = fenghuo.Errorf(fenghuo.EUNAUTHORIZED,
	"/metrics needs \"Authorization: Bearer fhk_…\" with a metrics-scope token, or the --metrics-listen address. / 读取 /metrics 需要 metrics 令牌或使用 --metrics-listen 地址。")

// health answers 200 when the database answers, 503 otherwise.
func health(a *services.Services) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
		defer cancel()
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		if _, err := a.Core.DB().SchemaVersion(ctx); err != nil {
			w.WriteHeader(http.StatusServiceUnavailable)
			w.Write([]byte(`{"status":"unavailable"}` + "\n"))
			return
		}
		w.Write([]byte(`{"status":"ok"}` + "\n"))
	}
}
