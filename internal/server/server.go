// Package server runs Fenghuo's HTTP server: the console, the JSON API,
// health and metrics, behind one set of middleware, with graceful shutdown.
package server

import (
	"context"
	"crypto/tls"
	"errors"
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
}

// Server is a running HTTP server.
type Server struct {
	opts Options
	http *http.Server
	ln   net.Listener
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
	}}
}

// Listen opens the listening socket, so the caller knows the address (":0"
// picks a free port) before serving.
func (s *Server) Listen() error {
	if s.opts.Listener != nil {
		s.ln = s.opts.Listener
		return nil
	}
	ln, err := net.Listen("tcp", s.opts.Listen)
	if err != nil {
		return err
	}
	s.ln = ln
	return nil
}

// Addr is the address the server listens on.
func (s *Server) Addr() string { return s.ln.Addr().String() }

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
	select {
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	case <-ctx.Done():
	}
	log := s.opts.Logger
	log.Info("shutting down: no new connections; draining requests in flight", "addr", s.Addr(), "timeout", s.opts.ShutdownTimeout)
	sctx, cancel := context.WithTimeout(context.Background(), s.opts.ShutdownTimeout)
	defer cancel()
	err := s.http.Shutdown(sctx)
	<-errc
	if err != nil {
		log.Warn("requests still running at the shutdown timeout were cut off", "err", err)
	} else {
		log.Info("http server stopped: requests drained")
	}
	return err
}
