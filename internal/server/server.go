// Package server runs Fenghuo's HTTP server: the console, the JSON API,
// health and metrics, behind one set of middleware, with graceful shutdown.
package server

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// Options configure the HTTP server.
type Options struct {
	Listen  string
	TLSCert string
	TLSKey  string
	Logger  *slog.Logger
	// Listener, when set, is a socket bound earlier (serve binds before it
	// opens any data); Listen then uses it instead of binding Listen.
	Listener net.Listener
	// ShutdownTimeout bounds how long in-flight requests may finish.
	ShutdownTimeout time.Duration
	// MetricsListen, when set, is a second address that serves Metrics
	// (GET /metrics, see HandlerOptions.Metrics) in plain HTTP and nothing
	// else, as Prometheus exporters do: bind it to loopback or to the
	// monitoring network.
	MetricsListen string
	// MetricsListener, when set, is the metrics socket bound earlier.
	MetricsListener net.Listener
	Metrics         http.Handler
	// PprofListen, when set, is a third address that serves Pprof (Go's
	// profiler, see PprofHandler) and nothing else.
	PprofListen string
	// PprofListener, when set, is the profiler's socket bound earlier.
	PprofListener net.Listener
	Pprof         http.Handler
}

// Server is a running HTTP server.
type Server struct {
	opts    Options
	http    *http.Server
	ln      net.Listener
	metrics *http.Server
	mln     net.Listener
	pprof   *http.Server
	pln     net.Listener
}

// New prepares a server for handler; Listen opens the socket.
func New(opts Options, handler http.Handler) *Server {
	if opts.ShutdownTimeout == 0 {
		opts.ShutdownTimeout = 15 * time.Second
	}
	return &Server{opts: opts, http: &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute, // uploads of evidence and spreadsheets
		WriteTimeout:      5 * time.Minute, // exports
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(opts.Logger.Handler(), slog.LevelWarn),
		TLSConfig:         &tls.Config{MinVersion: tls.VersionTLS12},
	}, metrics: sideServer(opts.Metrics, 30*time.Second, opts.Logger),
		// A CPU profile or trace runs for ?seconds= (30 by default); the
		// profiler refuses one longer than the write timeout.
		pprof: sideServer(opts.Pprof, 10*time.Minute, opts.Logger)}
}

// sideServer is the server of a listener beside the console's (metrics,
// profiler): small requests, its own write timeout.
func sideServer(h http.Handler, writeTimeout time.Duration, log *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}

// Listen opens the listening socket, so the caller knows the address (":0"
// picks a free port) before serving.
func (s *Server) Listen() error {
	ln := s.opts.Listener
	if ln == nil {
		var err error
		if ln, err = net.Listen("tcp", s.opts.Listen); err != nil {
			return err
		}
	}
	if s.opts.Metrics != nil {
		switch {
		case s.opts.MetricsListener != nil:
			s.mln = s.opts.MetricsListener
		case s.opts.MetricsListen != "":
			mln, err := net.Listen("tcp", s.opts.MetricsListen)
			if err != nil {
				ln.Close()
				return fmt.Errorf("metrics listener: %w", err)
			}
			s.mln = mln
		}
	}
	if s.opts.Pprof != nil {
		switch {
		case s.opts.PprofListener != nil:
			s.pln = s.opts.PprofListener
		case s.opts.PprofListen != "":
			pln, err := net.Listen("tcp", s.opts.PprofListen)
			if err != nil {
				ln.Close()
				if s.mln != nil && s.opts.MetricsListener == nil {
					s.mln.Close()
				}
				return fmt.Errorf("pprof listener: %w", err)
			}
			s.pln = pln
		}
	}
	s.ln = ln
	return nil
}

// Addr is the address the server listens on.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// MetricsAddr is the address of the metrics listener, "" without one.
func (s *Server) MetricsAddr() string {
	if s.mln == nil {
		return ""
	}
	return s.mln.Addr().String()
}

// PprofAddr is the address of the profiler's listener, "" without one.
func (s *Server) PprofAddr() string {
	if s.pln == nil {
		return ""
	}
	return s.pln.Addr().String()
}

// Serve serves until ctx is done, then shuts down gracefully: the listener
// closes at once and requests in flight get ShutdownTimeout to finish.
func (s *Server) Serve(ctx context.Context) error {
	if s.ln == nil {
		if err := s.Listen(); err != nil {
			return err
		}
	}
	errc := make(chan error, 1)
	go func() {
		var err error
		if s.opts.TLSCert != "" {
			err = s.http.ServeTLS(s.ln, s.opts.TLSCert, s.opts.TLSKey)
		} else {
			err = s.http.Serve(s.ln)
		}
		errc <- err
	}()
	merrc := make(chan error, 1)
	if s.mln != nil {
		go func() { merrc <- s.metrics.Serve(s.mln) }()
	}
	perrc := make(chan error, 1)
	if s.pln != nil {
		go func() { perrc <- s.pprof.Serve(s.pln) }()
	}
	var err error
	mainDone := false
	select {
	case err = <-errc:
		mainDone = true
	case err = <-merrc:
		err = fmt.Errorf("metrics listener: %w", err)
	case err = <-perrc:
		err = fmt.Errorf("pprof listener: %w", err)
	case <-ctx.Done():
	}
	log := s.opts.Logger
	log.Info("shutting down: no new connections; draining requests in flight", "addr", s.Addr(), "timeout", s.opts.ShutdownTimeout)
	sctx, cancel := context.WithTimeout(context.Background(), s.opts.ShutdownTimeout)
	defer cancel()
	if s.mln != nil {
		s.metrics.Shutdown(sctx)
	}
	if s.pln != nil {
		// A CPU profile in progress is cut off rather than held for.
		s.pprof.Close()
	}
	if !mainDone {
		serr := s.http.Shutdown(sctx)
		<-errc
		if serr != nil {
			log.Warn("requests still running at the shutdown timeout were cut off", "err", serr)
		} else {
			log.Info("http server stopped: requests drained")
		}
		if err == nil {
			err = serr
		}
	}
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}
