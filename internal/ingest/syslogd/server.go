// Package syslogd receives syslog messages over UDP, TCP and TLS (RFC 5426,
// RFC 6587, RFC 5425), parses them with ingest.ParseSyslog, and hands them
// in batches to an ingest.Sink under the source their sender's address is
// bound to (ingest.Resolver).
//
// A TCP or TLS connection reads at most one more batch while its batch is
// being committed, and no further: the sender's bytes stay in its socket
// and then in its own queue until Sink.Accept has returned. A sink that is
// an ingest.Submitter (the intake) is handed that next batch at once, so
// that its detectors work while the previous batch commits. When a batch
// fails the connection is closed, so that the sender sees the failure and
// keeps what it has not yet written (plain TCP syslog has no
// acknowledgements: what a sender had already written to its socket when
// the connection broke is lost to it, which is why the failing batch, and
// the one read after it, are counted as dropped). UDP has no backpressure:
// datagrams wait in a bounded queue, and those that find it full are
// dropped and counted.
package syslogd

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"fenghuo/internal/guard"
	"fenghuo/internal/ingest"
)

// Defaults for the zero values of Config.
const (
	DefaultMaxMessage  = 64 << 10
	DefaultMaxConns    = 512
	DefaultBatchSize   = 256
	DefaultBatchWait   = 200 * time.Millisecond
	DefaultReadTimeout = 30 * time.Second
	DefaultIdleTimeout = 10 * time.Minute
	DefaultUDPQueue    = 4096
)

// Config says where to listen and how much to take.
type Config struct {
	Sink     ingest.Sink
	Resolver ingest.Resolver
	// Listen addresses; an empty one is not served. ":514" or
	// "127.0.0.1:0" (a free port: see Server.Addr).
	UDP, TCP, TLS string
	// TLSCert and TLSKey are PEM files for the TLS listener.
	TLSCert, TLSKey string
	// MaxMessage bounds one message in bytes; longer ones are dropped
	// and counted (DropOversized).
	MaxMessage int
	// MaxConns bounds open TCP and TLS connections together; more are
	// closed at once and counted.
	MaxConns int
	// BatchSize and BatchWait bound a batch: it is committed when it has
	// BatchSize messages or its first message has waited BatchWait.
	BatchSize int
	BatchWait time.Duration
	// ReadTimeout bounds the TLS handshake and the time from the first to
	// the last byte of one message (a sender trickling bytes to hold a
	// connection is cut off); IdleTimeout closes a connection that sends
	// nothing (senders reconnect when they have something to say).
	ReadTimeout, IdleTimeout time.Duration
	// UDPQueue bounds the datagrams waiting to be parsed and committed.
	UDPQueue int
	Logger   *slog.Logger
	Now      func() time.Time
}

// Reasons a message is dropped (Stats.Dropped, the reason label of
// fenghuo_syslog_messages_dropped_total).
const (
	DropUnbound      = "unbound"       // the sender's address is bound to no source
	DropOversized    = "oversized"     // longer than Config.MaxMessage
	DropMalformed    = "malformed"     // empty, or broken framing
	DropQueueFull    = "queue_full"    // UDP: the queue was full
	DropCommitFailed = "commit_failed" // Sink.Accept failed (the connection is closed)
	DropTimeout      = "timeout"       // a message not finished within ReadTimeout
	DropPanic        = "panic"         // lost to an internal error (recovered)
)

var dropReasons = []string{DropUnbound, DropOversized, DropMalformed, DropQueueFull, DropCommitFailed, DropTimeout, DropPanic}

// Stats are a server's counters since it started.
type Stats struct {
	Received uint64            // messages read (framed), accepted or not
	Accepted uint64            // messages committed by the sink
	Dropped  map[string]uint64 // messages dropped, by reason (Drop…)
	// Connections accepted and refused (over MaxConns), and open now.
	Connections, Refused uint64
	Open                 int64
	Panics               uint64 // recovered panics (each closed its connection)
}

// Server is a syslog receiver. Start it, then Shutdown.
type Server struct {
	cfg Config
	log *slog.Logger
	tls *tls.Config

	udp      *net.UDPConn
	tcp, tl  net.Listener
	queue    chan datagram
	sem      chan struct{}
	wg       sync.WaitGroup
	ctx      context.Context // for Sink and Resolver; cancelled when Shutdown gives up waiting
	cancel   context.CancelFunc
	mu       sync.Mutex
	closing  bool
	conns    map[net.Conn]struct{}
	received atomic.Uint64
	accepted atomic.Uint64
	dropped  [7]atomic.Uint64 // indexed like dropReasons
	connsN   atomic.Uint64
	refused  atomic.Uint64
	open     atomic.Int64
	panics   atomic.Uint64
	unbound  atomic.Int64 // when the last "unbound sender" line was logged (unix ns)
}

// New checks cfg, fills in defaults and loads the TLS key pair.
func New(cfg Config) (*Server, error) {
	if cfg.Sink == nil || cfg.Resolver == nil {
		return nil, errors.New("syslogd: a sink and a resolver are needed")
	}
	if cfg.UDP == "" && cfg.TCP == "" && cfg.TLS == "" {
		return nil, errors.New("syslogd: no address to listen on")
	}
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	defDur := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&cfg.MaxMessage, DefaultMaxMessage)
	def(&cfg.MaxConns, DefaultMaxConns)
	def(&cfg.BatchSize, DefaultBatchSize)
	def(&cfg.UDPQueue, DefaultUDPQueue)
	defDur(&cfg.BatchWait, DefaultBatchWait)
	defDur(&cfg.ReadTimeout, DefaultReadTimeout)
	defDur(&cfg.IdleTimeout, DefaultIdleTimeout)
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Server{cfg: cfg, log: cfg.Logger, conns: map[net.Conn]struct{}{}, sem: make(chan struct{}, cfg.MaxConns)}
	if s.log == nil {
		s.log = slog.Default()
	}
	if cfg.TLS != "" {
		if cfg.TLSCert == "" || cfg.TLSKey == "" {
			return nil, errors.New("syslogd: the TLS listener needs a certificate and a key file")
		}
		pair, err := tls.LoadX509KeyPair(cfg.TLSCert, cfg.TLSKey)
		if err != nil {
			return nil, fmt.Errorf("syslogd: TLS certificate: %w", err)
		}
		// RFC 5425 requires TLS 1.2 at least.
		s.tls = &tls.Config{Certificates: []tls.Certificate{pair}, MinVersion: tls.VersionTLS12}
	}
	return s, nil
}

// Start binds every configured address and starts receiving. On error
// nothing is left open.
func (s *Server) Start() error {
	s.ctx, s.cancel = context.WithCancel(context.Background())
	fail := func(err error) error {
		if s.udp != nil {
			s.udp.Close()
		}
		if s.tcp != nil {
			s.tcp.Close()
		}
		if s.tl != nil {
			s.tl.Close()
		}
		s.cancel()
		return err
	}
	if s.cfg.UDP != "" {
		addr, err := net.ResolveUDPAddr("udp", s.cfg.UDP)
		if err != nil {
			return fail(fmt.Errorf("syslog UDP address %s: %w", s.cfg.UDP, err))
		}
		if s.udp, err = net.ListenUDP("udp", addr); err != nil {
			return fail(fmt.Errorf("cannot listen for syslog on UDP %s: %w", s.cfg.UDP, err))
		}
	}
	if s.cfg.TCP != "" {
		ln, err := net.Listen("tcp", s.cfg.TCP)
		if err != nil {
			return fail(fmt.Errorf("cannot listen for syslog on TCP %s: %w", s.cfg.TCP, err))
		}
		s.tcp = ln
	}
	if s.cfg.TLS != "" {
		ln, err := net.Listen("tcp", s.cfg.TLS)
		if err != nil {
			return fail(fmt.Errorf("cannot listen for syslog over TLS on %s: %w", s.cfg.TLS, err))
		}
		s.tl = ln
	}
	if s.udp != nil {
		s.queue = make(chan datagram, s.cfg.UDPQueue)
		s.wg.Add(2)
		go s.readUDP()
		go s.commitUDP()
	}
	if s.tcp != nil {
		s.wg.Add(1)
		go s.acceptStreams(s.tcp, "tcp")
	}
	if s.tl != nil {
		s.wg.Add(1)
		go s.acceptStreams(s.tl, "tls")
	}
	return nil
}

// Addr returns the bound address of a transport ("udp", "tcp" or "tls"),
// or nil when it is not served.
func (s *Server) Addr(transport string) net.Addr {
	switch {
	case transport == "udp" && s.udp != nil:
		return s.udp.LocalAddr()
	case transport == "tcp" && s.tcp != nil:
		return s.tcp.Addr()
	case transport == "tls" && s.tl != nil:
		return s.tl.Addr()
	}
	return nil
}

// Shutdown stops listening, lets every connection commit the messages it
// has read (a connection waiting for more is interrupted), commits what
// waits in the UDP queue, and returns when all is done, or when ctx ends:
// then the sink's context is cancelled and Shutdown waits for the
// goroutines to return.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	if s.closing {
		s.mu.Unlock()
		return nil
	}
	s.closing = true
	if s.tcp != nil {
		s.tcp.Close()
	}
	if s.tl != nil {
		s.tl.Close()
	}
	if s.udp != nil {
		s.udp.Close()
	}
	for c := range s.conns {
		c.SetReadDeadline(time.Now()) // interrupts a read; the loop sees closing
	}
	s.mu.Unlock()
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
		s.cancel()
		return nil
	case <-ctx.Done():
		s.cancel()
		s.mu.Lock()
		for c := range s.conns {
			c.Close()
		}
		s.mu.Unlock()
		<-done
		return fmt.Errorf("syslog receiver: stopped before every batch was committed: %w", ctx.Err())
	}
}

func (s *Server) isClosing() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closing
}

// Stats returns the server's counters.
func (s *Server) Stats() Stats {
	st := Stats{Received: s.received.Load(), Accepted: s.accepted.Load(), Dropped: map[string]uint64{},
		Connections: s.connsN.Load(), Refused: s.refused.Load(), Open: s.open.Load(), Panics: s.panics.Load()}
	for i, r := range dropReasons {
		if n := s.dropped[i].Load(); n > 0 {
			st.Dropped[r] = n
		}
	}
	return st
}

func (s *Server) countReceived(transport string, n int) {
	s.received.Add(uint64(n))
	messagesReceived.WithLabelValues(transport).Add(float64(n))
}

func (s *Server) drop(reason string, n int) {
	if n <= 0 {
		return
	}
	for i, r := range dropReasons {
		if r == reason {
			s.dropped[i].Add(uint64(n))
		}
	}
	messagesDropped.WithLabelValues(reason).Add(float64(n))
}

var errCommitPanicked = errors.New("syslogd: the sink panicked on a batch")

// commit hands one batch from one sender to the sink, under the source the
// sender's address is bound to, and waits for the outcome. A batch from an
// unbound address is dropped (and counted); an error means the sink
// refused the batch.
func (s *Server) commit(transport string, addr netip.Addr, batch []ingest.Event) error {
	if len(batch) == 0 {
		return nil
	}
	return s.submit(transport, addr, batch)()
}

// submit hands a batch to the sink and returns a function that waits for
// its outcome and counts it. A Submitter takes the batch at once (its
// detectors run now, in the caller); a plain Sink's Accept runs when wait
// is called.
func (s *Server) submit(transport string, addr netip.Addr, batch []ingest.Event) (wait func() error) {
	src, ok := s.cfg.Resolver.SourceOf(s.ctx, addr)
	if !ok {
		s.drop(DropUnbound, len(batch))
		s.logUnbound(addr)
		return func() error { return nil }
	}
	var outcome func() error
	if sub, ok := s.cfg.Sink.(ingest.Submitter); ok {
		outcome = sub.Submit(s.ctx, src, batch)
	} else {
		outcome = func() error { return s.cfg.Sink.Accept(s.ctx, src, batch) }
	}
	return func() error {
		err := guard.Run(s.log, "syslogd", outcome, "transport", transport, "remote", addr.String())
		var pe *guard.PanicError
		switch {
		case errors.As(err, &pe):
			s.panics.Add(1)
			s.drop(DropPanic, len(batch))
			return errCommitPanicked // counted here, not again by a caller's guard
		case err != nil:
			s.drop(DropCommitFailed, len(batch))
			s.log.Warn("syslog batch not committed; closing the connection so the sender keeps the rest",
				"transport", transport, "remote", addr, "source", src.String(), "messages", len(batch), "err", err)
			return err
		}
		s.accepted.Add(uint64(len(batch)))
		messagesAccepted.WithLabelValues(transport).Add(float64(len(batch)))
		return nil
	}
}

// logUnbound says at most once a minute that messages from an address no
// source is bound to are being dropped (a sender aimed at Fenghuo before
// its intake source was set up would otherwise fill the log).
func (s *Server) logUnbound(addr netip.Addr) {
	now := s.cfg.Now().UnixNano()
	last := s.unbound.Load()
	if now-last < int64(time.Minute) || !s.unbound.CompareAndSwap(last, now) {
		return
	}
	s.log.Warn("syslog messages from an address bound to no intake source are dropped (logged once a minute)",
		"remote", addr, "dropped_unbound_total", s.dropped[0].Load())
}

// parse turns one frame into an event; false when it is dropped.
func (s *Server) parse(frame []byte) (ingest.Event, bool) {
	if len(frame) > s.cfg.MaxMessage {
		s.drop(DropOversized, 1)
		return ingest.Event{}, false
	}
	ev, err := ingest.ParseSyslog(frame, s.cfg.Now())
	if err != nil {
		s.drop(DropMalformed, 1)
		return ingest.Event{}, false
	}
	return ev, true
}

func addrOf(a net.Addr) netip.Addr {
	if ap, err := netip.ParseAddrPort(a.String()); err == nil {
		return ap.Addr().Unmap()
	}
	return netip.Addr{}
}
