package syslogd

import (
	"bytes"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/netip"
	"time"

	"fenghuo/internal/guard"
	"fenghuo/internal/ingest"
)

// acceptStreams accepts TCP or TLS connections up to MaxConns.
func (s *Server) acceptStreams(ln net.Listener, transport string) {
	defer s.wg.Done()
	for {
		c, err := ln.Accept()
		if err != nil {
			if s.isClosing() || errors.Is(err, net.ErrClosed) {
				return
			}
			// Out of file descriptors and the like: the listener lives on.
			s.log.Warn("syslog listener: accepting a connection failed", "transport", transport, "err", err)
			time.Sleep(50 * time.Millisecond)
			continue
		}
		select {
		case s.sem <- struct{}{}:
		default:
			s.refused.Add(1)
			connections.WithLabelValues(transport, "refused").Inc()
			c.Close()
			continue
		}
		s.mu.Lock()
		if s.closing {
			s.mu.Unlock()
			<-s.sem
			c.Close()
			return
		}
		s.conns[c] = struct{}{}
		s.wg.Add(1)
		s.mu.Unlock()
		s.connsN.Add(1)
		s.open.Add(1)
		connections.WithLabelValues(transport, "accepted").Inc()
		connectionsOpen.Inc()
		go s.serveStream(c, transport)
	}
}

// serveStream reads one connection until it ends, committing a batch at a
// time; a panic closes the connection and counts what was read and not
// committed.
func (s *Server) serveStream(c net.Conn, transport string) {
	addr := addrOf(c.RemoteAddr())
	st := &stream{s: s, c: c, transport: transport, addr: addr}
	defer func() {
		c.Close()
		s.mu.Lock()
		delete(s.conns, c)
		s.mu.Unlock()
		<-s.sem
		s.open.Add(-1)
		connectionsOpen.Dec()
		s.wg.Done()
	}()
	err := guard.Run(s.log, "syslogd", st.run, "transport", transport, "remote", addr.String())
	var pe *guard.PanicError
	if errors.As(err, &pe) {
		s.panics.Add(1)
		s.drop(DropPanic, len(st.batch)+len(st.submitting))
	}
	// The connection closes once the last batch handed over is committed
	// (a sender that closed first then sees the end after the commit).
	st.wait()
}

// stream is one TCP or TLS connection.
type stream struct {
	s          *Server
	c          net.Conn
	transport  string
	addr       netip.Addr
	batch      []ingest.Event
	submitting []ingest.Event // the batch in Submitter.Submit
	pending    *handover      // the batch handed over and not yet committed
	failed     bool           // a batch handed over failed (under s.mu)
	due        time.Time      // when the batch must be committed
	r          frameReader
}

// handover is a batch handed to the sink whose outcome is awaited.
type handover struct {
	done chan error
}

func (st *stream) run() error {
	s := st.s
	if s.tls != nil && st.transport == "tls" {
		tc := tls.Server(st.c, s.tls)
		s.mu.Lock()
		closing := s.closing
		if !closing {
			tc.SetDeadline(time.Now().Add(s.cfg.ReadTimeout))
		}
		s.mu.Unlock()
		if closing {
			return nil
		}
		if err := tc.Handshake(); err != nil {
			s.log.Debug("syslog TLS handshake failed", "remote", st.addr, "err", err)
			return nil
		}
		tc.SetDeadline(time.Time{})
		st.c = tc
	}
	st.r = frameReader{max: s.cfg.MaxMessage, buf: make([]byte, 0, min(4096, s.cfg.MaxMessage+maxHeader))}
	for {
		frame, oversized, err := st.r.next()
		if err != nil { // broken octet counting: nothing after it can be framed
			s.countReceived(st.transport, 1)
			s.drop(DropMalformed, 1)
			s.log.Debug("syslog framing broken; closing the connection", "remote", st.addr, "err", err)
			st.flush()
			return nil
		}
		if frame != nil || oversized {
			if !st.add(frame, oversized) {
				return nil
			}
			continue
		}
		// No whole frame buffered: wait for more bytes, until the batch is
		// due, the message under way has taken too long, or the sender has
		// been silent too long.
		now := time.Now()
		deadline := now.Add(s.cfg.IdleTimeout)
		if st.r.partial() {
			deadline = st.r.started.Add(s.cfg.ReadTimeout)
		}
		if len(st.batch) > 0 && st.due.Before(deadline) {
			deadline = st.due
		}
		s.mu.Lock()
		closing, failed := s.closing, st.failed
		if !closing && !failed {
			st.c.SetReadDeadline(deadline)
		}
		s.mu.Unlock()
		if failed {
			st.abandon()
			return nil
		}
		if closing {
			st.flush()
			return nil
		}
		err = st.r.fill(st.c)
		if err == nil {
			continue
		}
		var ne net.Error
		switch {
		case st.hasFailed():
			st.abandon()
			return nil
		case s.isClosing():
			st.drain()
			return nil
		case errors.As(err, &ne) && ne.Timeout() && len(st.batch) > 0 && !time.Now().Before(st.due):
			if !st.flush() {
				return nil
			}
		case errors.As(err, &ne) && ne.Timeout() && st.r.partial():
			if st.r.uncounted() {
				s.countReceived(st.transport, 1)
				s.drop(DropTimeout, 1)
			}
			s.log.Debug("syslog message not finished in time; closing the connection", "remote", st.addr, "timeout", s.cfg.ReadTimeout)
			st.flush()
			return nil
		case errors.Is(err, io.EOF) && st.r.mode == modeLF && st.r.partial() && !st.r.skipLine:
			// The last line of a sender that closed without a newline.
			last := st.r.rest()
			st.add(last, len(last) > s.cfg.MaxMessage)
			st.flush()
			return nil
		default:
			if errors.Is(err, io.EOF) && st.r.uncounted() {
				s.countReceived(st.transport, 1)
				s.drop(DropMalformed, 1) // an octet-counted frame cut short
			}
			st.flush()
			return nil
		}
	}
}

// add takes one frame into the batch and commits the batch when it is
// full; false when the connection is to be closed.
func (st *stream) add(frame []byte, oversized bool) bool {
	st.s.countReceived(st.transport, 1)
	if oversized {
		st.s.drop(DropOversized, 1)
		return true
	}
	ev, ok := st.s.parse(frame)
	if !ok {
		return true
	}
	if len(st.batch) == 0 {
		st.due = time.Now().Add(st.s.cfg.BatchWait)
	}
	st.batch = append(st.batch, ev)
	if len(st.batch) >= st.s.cfg.BatchSize || !time.Now().Before(st.due) {
		return st.flush()
	}
	return true
}

// flush hands the batch to the sink and waits for the batch handed over
// before it: while one batch commits, a connection reads and hands over at
// most one more. A Submitter takes the new batch before the wait (its
// detectors work while the previous batch commits); a plain Sink gets one
// batch at a time. false when a batch was refused: the connection is to be
// closed (a batch already handed over still commits or fails on its own).
func (st *stream) flush() bool {
	if _, ok := st.s.cfg.Sink.(ingest.Submitter); !ok {
		if !st.wait() {
			st.s.drop(DropCommitFailed, len(st.batch))
			st.batch = nil
			return false
		}
		st.pending = st.hand()
		return true
	}
	next := st.hand()
	ok := st.wait()
	st.pending = next
	return ok
}

// hand gives the batch to the sink; nil when it is empty.
func (st *stream) hand() *handover {
	if len(st.batch) == 0 {
		return nil
	}
	batch := st.batch
	st.batch, st.submitting = nil, batch
	wait := st.s.submit(st.transport, st.addr, batch)
	st.submitting = nil
	h := &handover{done: make(chan error, 1)}
	go func() {
		err := wait()
		if err != nil {
			// Stop reading now: the connection is closed so that the
			// sender sees the failure and keeps what it has not written.
			st.s.mu.Lock()
			st.failed = true
			st.c.SetReadDeadline(time.Now())
			st.s.mu.Unlock()
		}
		h.done <- err
	}()
	return h
}

func (st *stream) hasFailed() bool {
	st.s.mu.Lock()
	defer st.s.mu.Unlock()
	return st.failed
}

// abandon ends a connection whose batch failed: what it read since is
// dropped with it.
func (st *stream) abandon() {
	st.wait()
	st.s.drop(DropCommitFailed, len(st.batch))
	st.batch = nil
}

// wait waits for the batch handed over, if any; false when it failed.
func (st *stream) wait() bool {
	if st.pending == nil {
		return true
	}
	err := <-st.pending.done
	st.pending = nil
	return err == nil
}

// drain commits the whole frames already read at shutdown.
func (st *stream) drain() {
	for {
		frame, oversized, err := st.r.next()
		if err != nil || (frame == nil && !oversized) {
			break
		}
		if !st.add(frame, oversized) {
			return
		}
	}
	st.flush()
}

// Framing modes of a connection (RFC 6587): decided by its first byte.
const (
	modeUnknown = iota
	modeOctet   // "LEN SP MSG", LEN in decimal
	modeLF      // MSG LF (non-transparent framing)
)

// maxLenDigits bounds the decimal length of an octet-counted frame;
// maxHeader is room enough for it, its space and a CR LF.
const (
	maxLenDigits = 10
	maxHeader    = maxLenDigits + 3
)

var errFraming = errors.New("octet-counted frame without a valid length")

// frameReader cuts a byte stream into frames. It keeps what it has read in
// buf[start:], so that a read interrupted by a deadline loses nothing.
type frameReader struct {
	max      int
	buf      []byte
	start    int
	mode     int
	skip     int  // octets of an oversized octet-counted frame still to discard
	skipLine bool // discarding an oversized line up to its LF
	started  time.Time
}

// next returns the next whole frame (valid until the next fill), or
// oversized when a frame too long was skipped, or neither when more bytes
// are needed.
func (r *frameReader) next() (frame []byte, oversized bool, err error) {
	data := r.buf[r.start:]
	if r.mode == modeUnknown {
		trimmed := bytes.TrimLeft(data, "\r\n")
		r.start += len(data) - len(trimmed)
		data = trimmed
		if len(data) == 0 {
			return nil, false, nil
		}
		r.mode = modeLF
		if data[0] >= '1' && data[0] <= '9' {
			r.mode = modeOctet
		}
	}
	if r.mode == modeOctet {
		return r.nextOctet()
	}
	return r.nextLine()
}

func (r *frameReader) nextOctet() ([]byte, bool, error) {
	if r.skip > 0 {
		if r.nextOctetSkip(); r.skip > 0 {
			return nil, false, nil
		}
	}
	data := r.buf[r.start:]
	// Some senders end each octet-counted frame with a newline as well.
	trimmed := bytes.TrimLeft(data, "\r\n")
	r.start += len(data) - len(trimmed)
	data = trimmed
	length, i := 0, 0
	for ; i < len(data) && data[i] != ' '; i++ {
		c := data[i]
		if c < '0' || c > '9' || i >= maxLenDigits || (i == 0 && c == '0') {
			return nil, false, errFraming
		}
		length = length*10 + int(c-'0')
	}
	if i == len(data) { // the length is not complete yet
		r.mark(len(data))
		return nil, false, nil
	}
	if i == 0 {
		return nil, false, errFraming
	}
	if length > r.max {
		r.start += i + 1
		r.skip = length
		r.started = time.Now() // discarding it must not take longer than reading it
		r.nextOctetSkip()
		return nil, true, nil
	}
	if len(data) < i+1+length {
		r.mark(len(data))
		return nil, false, nil
	}
	frame := data[i+1 : i+1+length]
	r.start += i + 1 + length
	r.started = time.Time{}
	return frame, false, nil
}

// nextOctetSkip discards what is buffered of an oversized frame.
func (r *frameReader) nextOctetSkip() {
	n := min(r.skip, len(r.buf)-r.start)
	r.skip -= n
	r.start += n
	if r.skip == 0 {
		r.started = time.Time{}
	}
}

func (r *frameReader) nextLine() ([]byte, bool, error) {
	data := r.buf[r.start:]
	i := bytes.IndexByte(data, '\n')
	if r.skipLine {
		if i < 0 {
			r.start = len(r.buf)
			return nil, false, nil
		}
		r.skipLine = false
		r.started = time.Time{}
		r.start += i + 1
		data = data[i+1:]
		i = bytes.IndexByte(data, '\n')
	}
	for i == 0 || (i == 1 && data[0] == '\r') { // empty lines
		r.start += i + 1
		data = data[i+1:]
		i = bytes.IndexByte(data, '\n')
	}
	if i < 0 {
		if len(data) > r.max+1 { // +1: a CR before the LF is not the message's
			r.skipLine = true
			r.start = len(r.buf)
			r.started = time.Now() // discarding it must not take longer than reading it
			return nil, true, nil
		}
		r.mark(len(data))
		return nil, false, nil
	}
	r.start += i + 1
	r.started = time.Time{}
	line := data[:i]
	if i > 0 && line[i-1] == '\r' { // CR LF
		line = line[:i-1]
	}
	if len(line) > r.max {
		return nil, true, nil
	}
	return line, false, nil
}

// mark notes when the frame under way began.
func (r *frameReader) mark(buffered int) {
	if buffered > 0 && r.started.IsZero() {
		r.started = time.Now()
	}
}

// partial says a frame has begun and not ended.
func (r *frameReader) partial() bool {
	return !r.started.IsZero() || r.skip > 0 || r.skipLine
}

// uncounted says a frame has begun that is not counted yet (one being
// discarded as oversized was counted when it was found too long).
func (r *frameReader) uncounted() bool {
	return !r.started.IsZero() && r.skip == 0 && !r.skipLine
}

// rest returns what is buffered and not framed.
func (r *frameReader) rest() []byte { return r.buf[r.start:] }

// fill reads more bytes, keeping the unframed ones.
func (r *frameReader) fill(c io.Reader) error {
	if r.start > 0 {
		n := copy(r.buf, r.buf[r.start:])
		r.buf = r.buf[:n]
		r.start = 0
	}
	if len(r.buf) == cap(r.buf) {
		limit := r.max + maxHeader
		if cap(r.buf) >= limit { // next() frames or skips anything this long
			return errFraming
		}
		grown := make([]byte, len(r.buf), min(2*cap(r.buf), limit))
		copy(grown, r.buf)
		r.buf = grown
	}
	n, err := c.Read(r.buf[len(r.buf):cap(r.buf)])
	r.buf = r.buf[:len(r.buf)+n]
	if n > 0 {
		return nil
	}
	if err == nil {
		err = io.ErrNoProgress
	}
	return err
}
