package server

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"fenghuo/internal/api"
	"fenghuo/internal/app"
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
	// handler never serves /metrics: per-route traffic and runtime details
	// are for the operators' network, not for anyone who reaches the
	// console.
	Metrics *http.ServeMux
}

// NewHandler composes the console, the API and health behind the common
// middleware (metrics go to opts.Metrics): panic recovery, logging and metrics, security
// headers and cross-origin (CSRF) protection.
func NewHandler(a *app.App, opts HandlerOptions) (http.Handler, error) {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))

	mux := http.NewServeMux()
	w, err := web.New(a, web.Options{Logger: opts.Logger, SecureCookies: opts.SecureCookies, AdminNetworks: opts.AdminNetworks})
	if err != nil {
		return nil, err
	}
	w.Routes(mux)
	api.New(a, api.Options{Logger: opts.Logger, SecureCookies: opts.SecureCookies, AdminNetworks: opts.AdminNetworks}).Routes(mux)
	// The remote probe protocol (fenghuo probe), authenticated by probe tokens.
	(&monitor.Service{DB: a.DB(), Now: a.Now, Log: opts.Logger}).ProbeRoutes(mux)
	mux.HandleFunc("GET /healthz", health(a))
	if opts.Metrics != nil {
		opts.Metrics.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	}

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

// health answers 200 when the database answers, 503 otherwise.
func health(a *app.App) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
		defer cancel()
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		if _, err := a.DB().SchemaVersion(ctx); err != nil {
			w.WriteHeader(http.StatusServiceUnavailable)
			w.Write([]byte(`{"status":"unavailable"}` + "\n"))
			return
		}
		w.Write([]byte(`{"status":"ok"}` + "\n"))
	}
}
