package syslogd

import (
	"bytes"
	"errors"
	"net"
	"net/netip"
	"time"

	"fenghuo/internal/guard"
	"fenghuo/internal/ingest"
)

// datagram is one UDP message waiting in the queue.
type datagram struct {
	addr netip.Addr
	data []byte
}

// readUDP reads datagrams into the queue; a full queue drops them.
func (s *Server) readUDP() {
	defer s.wg.Done()
	defer close(s.queue) // the committer drains what is left, then ends
	// One byte more than a message may have shows that it has more.
	buf := make([]byte, min(s.cfg.MaxMessage, 65535)+1)
	for {
		n, from, err := s.udp.ReadFromUDPAddrPort(buf)
		if err != nil {
			if s.isClosing() || errors.Is(err, net.ErrClosed) {
				return
			}
			s.log.Warn("syslog UDP read failed", "err", err)
			time.Sleep(10 * time.Millisecond)
			continue
		}
		s.countReceived("udp", 1)
		if n > s.cfg.MaxMessage {
			s.drop(DropOversized, 1)
			continue
		}
		select {
		case s.queue <- datagram{addr: from.Addr().Unmap(), data: bytes.Clone(buf[:n])}:
		default:
			s.drop(DropQueueFull, 1)
		}
	}
}

// commitUDP parses queued datagrams and commits them in batches per
// sender, when a sender's batch is full or BatchWait after the first
// message of the oldest one.
func (s *Server) commitUDP() {
	defer s.wg.Done()
	pending := map[netip.Addr][]ingest.Event{}
	size := 0
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	flush := func(addr netip.Addr) {
		batch := pending[addr]
		delete(pending, addr)
		size -= len(batch)
		err := guard.Run(s.log, "syslogd", func() error { return s.commit("udp", addr, batch) }, "transport", "udp", "remote", addr.String())
		var pe *guard.PanicError
		if errors.As(err, &pe) {
			s.panics.Add(1)
			s.drop(DropPanic, len(batch))
		}
	}
	flushAll := func() {
		for addr := range pending {
			flush(addr)
		}
		timer.Stop()
	}
	for {
		select {
		case d, ok := <-s.queue:
			if !ok {
				flushAll()
				return
			}
			var ev ingest.Event
			var parsed bool
			err := guard.Run(s.log, "syslogd", func() error { ev, parsed = s.parse(d.data); return nil }, "transport", "udp", "remote", d.addr.String(), "digest", guard.Digest(d.data))
			if err != nil {
				s.panics.Add(1)
				s.drop(DropPanic, 1)
				continue
			}
			if !parsed {
				continue
			}
			if size == 0 {
				timer.Reset(s.cfg.BatchWait)
			}
			pending[d.addr] = append(pending[d.addr], ev)
			size++
			if len(pending[d.addr]) >= s.cfg.BatchSize {
				flush(d.addr)
			}
		case <-timer.C:
			flushAll()
		}
	}
}
