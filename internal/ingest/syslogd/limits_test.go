package syslogd

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"fenghuo/internal/ingest"
)

func dial(t *testing.T, network string, s *Server, transport string) net.Conn {
	t.Helper()
	c, err := net.Dial(network, s.Addr(transport).String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func write(t *testing.T, c net.Conn, data string) {
	t.Helper()
	if _, err := io.WriteString(c, data); err != nil {
		t.Fatal(err)
	}
}

// closedByServer waits for the server to close c.
func closedByServer(t *testing.T, c net.Conn, within time.Duration) {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(within))
	if _, err := io.Copy(io.Discard, c); err != nil {
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			t.Fatalf("the server did not close the connection within %v", within)
		}
	}
}

func msg(i int) string {
	return fmt.Sprintf("<13>1 2026-12-07T06:00:00Z web01 app %d - - message %d", i, i)
}

// A sink that takes its time holds the connection: while Accept runs on a
// batch the server reads one more batch and then no further, so the
// sender's writes stop, and nothing is counted as accepted until Accept
// has returned.
func TestBackpressureBlockingSink(t *testing.T) {
	t.Parallel()
	gate, entered := make(chan struct{}), make(chan struct{}, 1)
	sink := &recordingSink{gate: gate, entered: entered}
	s := startServer(t, Config{TCP: "-", Sink: sink, BatchSize: 10, BatchWait: time.Hour})
	c := dial(t, "tcp", s, "tcp")
	c.(*net.TCPConn).SetWriteBuffer(16 << 10)
	pad := strings.Repeat("x", 1000)
	const n = 8000 // 8 MB: more than the socket buffers hold
	var want []string
	for i := range n {
		want = append(want, fmt.Sprintf("%d %s", i, pad))
	}
	written := make(chan error, 1)
	go func() {
		var b strings.Builder
		for _, m := range want {
			b.WriteString("<13>1 2026-12-07T06:00:00Z web01 app - - - " + m + "\n")
		}
		_, err := io.WriteString(c, b.String())
		written <- err
	}()
	select {
	case <-entered:
	case <-time.After(10 * time.Second):
		t.Fatal("the first batch never reached the sink")
	}
	time.Sleep(time.Second)
	select {
	case err := <-written:
		t.Fatalf("the sender wrote everything (%v) while the first batch was not committed", err)
	default:
	}
	if st := s.Stats(); st.Received != 20 || st.Accepted != 0 {
		t.Fatalf("while the sink holds the first batch: received %d accepted %d, want 20 (that batch and the next) and 0", st.Received, st.Accepted)
	}
	close(gate)
	if err := <-written; err != nil {
		t.Fatal(err)
	}
	waitFor(t, 30*time.Second, "every message", func() bool { return s.Stats().Accepted == n })
	checkMessages(t, sink.events(), want)
}

// A Submitter (the intake) is handed the next batch while the previous one
// commits, in order, and the connection reads no further until the
// previous one has committed.
func TestSubmitterTakesTheNextBatchWhileOneCommits(t *testing.T) {
	t.Parallel()
	gate := make(chan struct{})
	sink := &submittingSink{gate: gate}
	s := startServer(t, Config{TCP: "-", Sink: sink, BatchSize: 10, BatchWait: time.Hour})
	c := dial(t, "tcp", s, "tcp")
	c.(*net.TCPConn).SetWriteBuffer(16 << 10)
	pad := strings.Repeat("x", 1000)
	const n = 4000
	var want []string
	var b strings.Builder
	for i := range n {
		want = append(want, fmt.Sprintf("%d %s", i, pad))
		b.WriteString("<13>1 2026-12-07T06:00:00Z web01 app - - - " + want[i] + "\n")
	}
	written := make(chan error, 1)
	go func() { _, err := io.WriteString(c, b.String()); written <- err }()
	waitFor(t, 10*time.Second, "two batches submitted", func() bool { return sink.submitted() == 2 })
	time.Sleep(time.Second)
	if got, st := sink.submitted(), s.Stats(); got != 2 || st.Received != 20 || st.Accepted != 0 {
		t.Fatalf("while the first batch is held: %d batches submitted, received %d, accepted %d; want 2, 20, 0", got, st.Received, st.Accepted)
	}
	close(gate)
	if err := <-written; err != nil {
		t.Fatal(err)
	}
	waitFor(t, 30*time.Second, "every message", func() bool { return s.Stats().Accepted == n })
	checkMessages(t, sink.events(), want)
}

// A sink that fails: the connection is closed and nothing is accepted.
func TestFailingSinkClosesTheConnection(t *testing.T) {
	t.Parallel()
	sink := &recordingSink{fail: errors.New("database is down")}
	s := startServer(t, Config{TCP: "-", Sink: sink, BatchSize: 5, BatchWait: time.Hour})
	c := dial(t, "tcp", s, "tcp")
	for i := range 5 {
		write(t, c, msg(i)+"\n")
	}
	closedByServer(t, c, 5*time.Second)
	st := s.Stats()
	if st.Accepted != 0 || st.Dropped[DropCommitFailed] != 5 || len(sink.events()) != 0 {
		t.Fatalf("stats %+v", st)
	}
}

// A full UDP queue drops datagrams and counts them.
func TestUDPQueueFull(t *testing.T) {
	t.Parallel()
	gate, entered := make(chan struct{}), make(chan struct{}, 1)
	sink := &recordingSink{gate: gate, entered: entered}
	s := startServer(t, Config{UDP: "-", Sink: sink, BatchSize: 1, UDPQueue: 8})
	c := dial(t, "udp", s, "udp")
	write(t, c, msg(0))
	<-entered // the committer holds datagram 0
	const n = 100
	for i := 1; i < n; i++ {
		write(t, c, msg(i))
	}
	waitFor(t, 10*time.Second, "every datagram read", func() bool { return s.Stats().Received == n })
	if st := s.Stats(); st.Dropped[DropQueueFull] != n-1-8 || st.Accepted != 0 {
		t.Fatalf("stats %+v: want %d dropped for a full queue", st, n-1-8)
	}
	close(gate)
	waitFor(t, 10*time.Second, "the queued datagrams", func() bool { return s.Stats().Accepted == 9 })
	var want []string
	for i := range 9 {
		want = append(want, fmt.Sprintf("message %d", i))
	}
	checkMessages(t, sink.events(), want)
	if st := s.Stats(); st.Received != st.Accepted+st.Dropped[DropQueueFull] {
		t.Fatalf("stats %+v do not add up", st)
	}
}

func TestMalformedAndOversized(t *testing.T) {
	t.Parallel()
	long := "<13>1 2026-12-07T06:00:00Z web01 app - - - " + strings.Repeat("y", 300)
	for _, tt := range []struct {
		name    string
		send    string
		want    []string
		reason  string
		closed  bool // the server closes the connection
		dropped uint64
	}{
		{"oversized line", long + "\n" + msg(1) + "\n", []string{"message 1"}, DropOversized, false, 1},
		{"oversized octet-counted frame", fmt.Sprintf("%d %s%d %s", len(long), long, len(msg(1)), msg(1)), []string{"message 1"}, DropOversized, false, 1},
		{"an oversized line split across reads", strings.Repeat("z", 5000) + "\n" + msg(2) + "\n", []string{"message 2"}, DropOversized, false, 1},
		{"broken octet counting", fmt.Sprintf("%d %s12x4 junk", len(msg(1)), msg(1)), []string{"message 1"}, DropMalformed, true, 1},
		{"a length with too many digits", "12345678901 x", nil, DropMalformed, true, 1},
		{"an octet-counted frame cut short", fmt.Sprintf("%d %s", len(msg(1))+10, msg(1)), nil, DropMalformed, true, 1},
		{"blank lines are no messages", "\n\r\n" + msg(1) + "\n\n", []string{"message 1"}, "", false, 0},
		{"a last line without newline", msg(1) + "\n" + msg(2), []string{"message 1", "message 2"}, "", true, 0},
		{"garbage is kept as a message", "\x01\x02 not syslog \xff\n", []string{"\x01\x02 not syslog \ufffd"}, "", false, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sink := &recordingSink{}
			s := startServer(t, Config{TCP: "-", Sink: sink, MaxMessage: 200, BatchWait: 20 * time.Millisecond})
			c := dial(t, "tcp", s, "tcp")
			for _, chunk := range chunks(tt.send, 700) {
				write(t, c, chunk)
			}
			if tt.closed {
				c.(*net.TCPConn).CloseWrite()
				closedByServer(t, c, 5*time.Second)
			}
			waitFor(t, 5*time.Second, "the messages", func() bool {
				st := s.Stats()
				return len(sink.events()) == len(tt.want) && st.Dropped[tt.reason] == tt.dropped
			})
			checkMessages(t, sink.events(), tt.want)
			st := s.Stats()
			if st.Received != st.Accepted+sum(st.Dropped) {
				t.Fatalf("stats %+v do not add up", st)
			}
		})
	}
	t.Run("UDP", func(t *testing.T) {
		t.Parallel()
		sink := &recordingSink{}
		s := startServer(t, Config{UDP: "-", Sink: sink, MaxMessage: 200, BatchWait: 20 * time.Millisecond})
		c := dial(t, "udp", s, "udp")
		write(t, c, long)
		write(t, c, "\r\n")
		write(t, c, msg(1)+"\n")
		waitFor(t, 5*time.Second, "the datagrams", func() bool { return s.Stats().Received == 3 && len(sink.events()) == 1 })
		checkMessages(t, sink.events(), []string{"message 1"})
		if st := s.Stats(); st.Dropped[DropOversized] != 1 || st.Dropped[DropMalformed] != 1 {
			t.Fatalf("stats %+v", st)
		}
	})
}

func chunks(s string, n int) []string {
	var out []string
	for len(s) > n {
		out = append(out, s[:n])
		s = s[n:]
	}
	return append(out, s)
}

func sum(m map[string]uint64) uint64 {
	var n uint64
	for _, v := range m {
		n += v
	}
	return n
}

// A sender trickling a message byte by byte is cut off after ReadTimeout;
// a silent one after IdleTimeout.
func TestSlowSenders(t *testing.T) {
	t.Parallel()
	sink := &recordingSink{}
	s := startServer(t, Config{TCP: "-", Sink: sink, ReadTimeout: 300 * time.Millisecond, IdleTimeout: 400 * time.Millisecond})
	c := dial(t, "tcp", s, "tcp")
	write(t, c, msg(1)+"\n") // a whole message first: it is kept
	start := time.Now()
	go func() {
		for _, b := range []byte(msg(2)) {
			if _, err := c.Write([]byte{b}); err != nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	}()
	closedByServer(t, c, 5*time.Second)
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("the trickling sender was cut off after %v", d)
	}
	waitFor(t, 5*time.Second, "the whole message", func() bool { return len(sink.events()) == 1 })
	if st := s.Stats(); st.Dropped[DropTimeout] != 1 {
		t.Fatalf("stats %+v", st)
	}
	idle := dial(t, "tcp", s, "tcp")
	start = time.Now()
	closedByServer(t, idle, 5*time.Second)
	if d := time.Since(start); d < 300*time.Millisecond || d > 3*time.Second {
		t.Errorf("the silent sender was cut off after %v", d)
	}
}

func TestMaxConnections(t *testing.T) {
	t.Parallel()
	sink := &recordingSink{}
	s := startServer(t, Config{TCP: "-", Sink: sink, MaxConns: 2})
	dial(t, "tcp", s, "tcp")
	dial(t, "tcp", s, "tcp")
	waitFor(t, 5*time.Second, "two open connections", func() bool { return s.Stats().Open == 2 })
	third := dial(t, "tcp", s, "tcp")
	closedByServer(t, third, 5*time.Second)
	if st := s.Stats(); st.Refused != 1 || st.Open != 2 {
		t.Fatalf("stats %+v", st)
	}
}

// panicOnce panics in its first Accept.
type panicOnce struct {
	recordingSink
	once sync.Once
}

func (p *panicOnce) Accept(ctx context.Context, src ingest.Source, events []ingest.Event) error {
	p.once.Do(func() { panic("sink exploded") })
	return p.recordingSink.Accept(ctx, src, events)
}

func TestPanicClosesOnlyItsConnection(t *testing.T) {
	t.Parallel()
	sink := &panicOnce{}
	s := startServer(t, Config{TCP: "-", UDP: "-", Sink: sink, BatchSize: 2, BatchWait: time.Hour})
	c := dial(t, "tcp", s, "tcp")
	write(t, c, msg(1)+"\n"+msg(2)+"\n")
	closedByServer(t, c, 5*time.Second)
	if st := s.Stats(); st.Panics != 1 || st.Dropped[DropPanic] != 2 {
		t.Fatalf("stats %+v", st)
	}
	c2 := dial(t, "tcp", s, "tcp")
	write(t, c2, msg(3)+"\n"+msg(4)+"\n")
	waitFor(t, 5*time.Second, "the next connection's messages", func() bool { return len(sink.events()) == 2 })
	checkMessages(t, sink.events(), []string{"message 3", "message 4"})
}

// Messages from an address bound to no source are dropped and counted;
// the connection stays open.
func TestUnboundSender(t *testing.T) {
	t.Parallel()
	sink := &recordingSink{}
	s := startServer(t, Config{TCP: "-", UDP: "-", Sink: sink, Resolver: staticResolver{}, BatchSize: 2, BatchWait: 20 * time.Millisecond})
	c := dial(t, "tcp", s, "tcp")
	for i := range 5 {
		write(t, c, msg(i)+"\n")
	}
	u := dial(t, "udp", s, "udp")
	write(t, u, msg(9))
	waitFor(t, 5*time.Second, "the drops", func() bool { return s.Stats().Dropped[DropUnbound] == 6 })
	write(t, c, msg(5)+"\n") // still open
	waitFor(t, 5*time.Second, "the drops", func() bool { return s.Stats().Dropped[DropUnbound] == 7 })
	sink.mu.Lock()
	calls := sink.calls
	sink.mu.Unlock()
	if st := s.Stats(); st.Accepted != 0 || calls != 0 {
		t.Fatalf("stats %+v, sink called %d times", st, calls)
	}
}

// Shutdown commits what has been read, from every transport.
func TestShutdownDrains(t *testing.T) {
	t.Parallel()
	sink := &recordingSink{}
	s, err := New(Config{TCP: "127.0.0.1:0", UDP: "127.0.0.1:0", Sink: sink, Resolver: loopback(), BatchSize: 1000, BatchWait: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	c := dial(t, "tcp", s, "tcp")
	u := dial(t, "udp", s, "udp")
	for i := range 7 {
		write(t, c, msg(i)+"\n")
		write(t, u, msg(100+i))
	}
	waitFor(t, 5*time.Second, "every message read", func() bool { return s.Stats().Received == 14 })
	if len(sink.events()) != 0 {
		t.Fatal("committed before the batch was due")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	if st := s.Stats(); st.Accepted != 14 || len(sink.events()) != 14 || st.Open != 0 {
		t.Fatalf("stats %+v", st)
	}
	if _, err := net.Dial("tcp", s.Addr("tcp").String()); err == nil {
		t.Error("still listening after shutdown")
	}
}

// A shutdown that cannot wait for a stuck sink cancels the sink's context.
func TestShutdownGivesUp(t *testing.T) {
	t.Parallel()
	entered := make(chan struct{}, 1)
	sink := &recordingSink{gate: make(chan struct{}), entered: entered}
	s, err := New(Config{TCP: "127.0.0.1:0", Sink: sink, Resolver: loopback(), BatchSize: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	c := dial(t, "tcp", s, "tcp")
	write(t, c, msg(1)+"\n")
	<-entered
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if err := s.Shutdown(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("shutdown: %v", err)
	}
	if st := s.Stats(); st.Accepted != 0 || st.Dropped[DropCommitFailed] != 1 {
		t.Fatalf("stats %+v", st)
	}
}

func TestMetrics(t *testing.T) {
	reg := prometheus.NewRegistry()
	reg.MustRegister(Collectors()...)
	sink := &recordingSink{}
	s := startServer(t, Config{UDP: "-", Sink: sink})
	c := dial(t, "udp", s, "udp")
	write(t, c, msg(1))
	write(t, c, "")
	waitFor(t, 5*time.Second, "the datagrams", func() bool { return s.Stats().Received == 2 && len(sink.events()) == 1 })
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]float64{}
	for _, f := range families {
		for _, m := range f.GetMetric() {
			name := f.GetName()
			for _, l := range m.GetLabel() {
				name += "," + l.GetValue()
			}
			found[name] = m.GetCounter().GetValue() + m.GetGauge().GetValue()
		}
	}
	for _, name := range []string{"fenghuo_syslog_messages_received_total,udp", "fenghuo_syslog_messages_accepted_total,udp",
		"fenghuo_syslog_messages_dropped_total,malformed"} {
		if found[name] < 1 {
			t.Errorf("%s = %v (metrics %v)", name, found[name], found)
		}
	}
}

func TestConfigRefused(t *testing.T) {
	sink := &recordingSink{}
	for _, cfg := range []Config{
		{TCP: "127.0.0.1:0"},
		{Sink: sink, Resolver: loopback()},
		{Sink: sink, Resolver: loopback(), TLS: "127.0.0.1:0"},
		{Sink: sink, Resolver: loopback(), TLS: "127.0.0.1:0", TLSCert: "missing.pem", TLSKey: "missing.key"},
	} {
		if _, err := New(cfg); err == nil {
			t.Errorf("New(%+v) accepted", cfg)
		}
	}
	// A port in use: nothing is left listening.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	s, err := New(Config{Sink: sink, Resolver: loopback(), UDP: "127.0.0.1:0", TCP: ln.Addr().String()})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start(); err == nil {
		t.Fatal("started on a port in use")
	}
}

// Many senders at once: every message arrives, each sender's in order.
func TestConcurrentSenders(t *testing.T) {
	t.Parallel()
	sink := &recordingSink{}
	s := startServer(t, Config{TCP: "-", TLS: "", Sink: sink, BatchSize: 7, BatchWait: 10 * time.Millisecond})
	const senders, each = 20, 50
	var wg sync.WaitGroup
	for k := range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := net.Dial("tcp", s.Addr("tcp").String())
			if err != nil {
				t.Error(err)
				return
			}
			defer c.Close()
			for i := range each {
				m := fmt.Sprintf("<13>1 2026-12-07T06:00:00Z web01 app %d - - %d", k, i)
				if k%2 == 0 {
					fmt.Fprintf(c, "%d %s", len(m), m)
				} else {
					fmt.Fprintf(c, "%s\n", m)
				}
			}
		}()
	}
	wg.Wait()
	waitFor(t, 10*time.Second, "every message", func() bool { return len(sink.events()) == senders*each })
	next := map[float64]int{}
	for _, ev := range sink.events() {
		pid := ev.Fields["process.pid"].(float64)
		if got := ev.Str("message"); got != fmt.Sprint(next[pid]) {
			t.Fatalf("sender %v: message %q, want %d", pid, got, next[pid])
		}
		next[pid]++
	}
	if st := s.Stats(); st.Accepted != senders*each || st.Connections != senders {
		t.Fatalf("stats %+v", st)
	}
}

// A sender that stops in the middle of an oversized message is cut off
// once; the message is counted once, as oversized.
func TestOversizedThenSilent(t *testing.T) {
	t.Parallel()
	sink := &recordingSink{}
	s := startServer(t, Config{TCP: "-", Sink: sink, MaxMessage: 100, ReadTimeout: 200 * time.Millisecond})
	c := dial(t, "tcp", s, "tcp")
	write(t, c, "500 "+strings.Repeat("x", 300))
	closedByServer(t, c, 5*time.Second)
	if st := s.Stats(); st.Received != 1 || st.Dropped[DropOversized] != 1 || sum(st.Dropped) != 1 {
		t.Fatalf("stats %+v", st)
	}
}

// TLS 1.2 at least (RFC 5425 §4.2 and current practice); the server's
// certificate is the one configured.
func TestTLSVersions(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cert, key := writeCertificates(t, dir)
	sink := &recordingSink{}
	s := startServer(t, Config{TLS: "-", TLSCert: cert, TLSKey: key, Sink: sink, BatchWait: 10 * time.Millisecond})
	old, err := tls.Dial("tcp", s.Addr("tls").String(), &tls.Config{MaxVersion: tls.VersionTLS11, InsecureSkipVerify: true})
	if err == nil {
		old.Close()
		t.Fatal("a TLS 1.1 client was accepted")
	}
	pool := x509.NewCertPool()
	ca, err := os.ReadFile(filepath.Join(dir, "ca.pem"))
	if err != nil || !pool.AppendCertsFromPEM(ca) {
		t.Fatal("ca.pem", err)
	}
	for _, v := range []uint16{tls.VersionTLS12, tls.VersionTLS13} {
		c, err := tls.Dial("tcp", s.Addr("tls").String(), &tls.Config{MinVersion: v, MaxVersion: v, RootCAs: pool, ServerName: "syslog.fenghuo.test"})
		if err != nil {
			t.Fatalf("TLS %x: %v", v, err)
		}
		write(t, c, msg(int(v))+"\n")
		c.Close()
	}
	waitFor(t, 5*time.Second, "both messages", func() bool { return len(sink.events()) == 2 })
	got := map[string]bool{}
	for _, ev := range sink.events() { // two connections: either may be committed first
		got[ev.Str("message")] = true
	}
	if !got[fmt.Sprintf("message %d", tls.VersionTLS12)] || !got[fmt.Sprintf("message %d", tls.VersionTLS13)] {
		t.Fatalf("messages %v", got)
	}
}
