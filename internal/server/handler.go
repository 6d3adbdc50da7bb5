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
	"fenghuo/internal/guard"
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
}

// NewHandler composes the console, the API, health and metrics behind the
// common middleware: panic recovery, logging and metrics, security
// headers and cross-origin (CSRF) protection.
func NewHandler(a *app.App, opts HandlerOptions) (http.Handler, error) {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	// Website checks and recovered panics (monitor.Collectors, guard.Collectors).
	reg.MustRegister(monitor.Collectors()...)
	reg.MustRegister(guard.Collectors()...)

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
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))

	cross, err := CrossOrigin(opts.TrustedOrigins...)
	if err != nil {
		return nil, err
	}
	return Chain(mux,
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
