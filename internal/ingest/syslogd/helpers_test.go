package syslogd

import (
	"context"
	"fmt"
	"net/netip"
	"sync"
	"testing"
	"time"

	"fenghuo/internal/ingest"
)

// recordingSink records the batches it commits. When gate is set, Accept
// waits for it to be closed; fail makes Accept fail; panics makes it
// panic.
type recordingSink struct {
	mu      sync.Mutex
	batches []recordedBatch
	calls   int
	gate    chan struct{}
	entered chan struct{} // receives once per call to Accept, when set
	fail    error
	panics  bool
}

type recordedBatch struct {
	src    ingest.Source
	events []ingest.Event
}

func (k *recordingSink) Accept(ctx context.Context, src ingest.Source, events []ingest.Event) error {
	k.mu.Lock()
	k.calls++
	gate, entered := k.gate, k.entered
	k.mu.Unlock()
	if entered != nil {
		select {
		case entered <- struct{}{}:
		default:
		}
	}
	if gate != nil {
		select {
		case <-gate:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if k.panics {
		panic("sink exploded")
	}
	if k.fail != nil {
		return k.fail
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	k.batches = append(k.batches, recordedBatch{src: src, events: events})
	return nil
}

// submittingSink is an ingest.Submitter: Submit records the batch in the
// order given and returns at once; the batch commits when the gate opens.
type submittingSink struct {
	recordingSink
	gate chan struct{}
	n    int
}

func (k *submittingSink) Submit(ctx context.Context, src ingest.Source, events []ingest.Event) func() error {
	k.mu.Lock()
	k.n++
	k.batches = append(k.batches, recordedBatch{src: src, events: events})
	k.mu.Unlock()
	return func() error {
		select {
		case <-k.gate:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func (k *submittingSink) submitted() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.n
}

// events returns every committed event in commit order.
func (k *recordingSink) events() []ingest.Event {
	k.mu.Lock()
	defer k.mu.Unlock()
	var all []ingest.Event
	for _, b := range k.batches {
		all = append(all, b.events...)
	}
	return all
}

func (k *recordingSink) sources() []ingest.Source {
	k.mu.Lock()
	defer k.mu.Unlock()
	var all []ingest.Source
	for _, b := range k.batches {
		all = append(all, b.src)
	}
	return all
}

// staticResolver binds fixed addresses.
type staticResolver map[netip.Addr]ingest.Source

func (r staticResolver) SourceOf(_ context.Context, addr netip.Addr) (ingest.Source, bool) {
	src, ok := r[addr]
	return src, ok
}

var loopbackSource = ingest.Source{Org: 7, Sensor: "loopback-sensor", TokenID: 3}

func loopback() staticResolver {
	return staticResolver{netip.MustParseAddr("127.0.0.1"): loopbackSource, netip.MustParseAddr("::1"): loopbackSource}
}

// startServer starts a receiver on free loopback ports for every transport
// whose address is set to "-" in cfg, and shuts it down at the end.
func startServer(t testing.TB, cfg Config) *Server {
	t.Helper()
	for _, a := range []*string{&cfg.UDP, &cfg.TCP, &cfg.TLS} {
		if *a == "-" {
			*a = "127.0.0.1:0"
		}
	}
	if cfg.Resolver == nil {
		cfg.Resolver = loopback()
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := s.Shutdown(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
	})
	return s
}

// port returns the port of a transport as a string.
func port(s *Server, transport string) string {
	ap := netip.MustParseAddrPort(s.Addr(transport).String())
	return fmt.Sprint(ap.Port())
}

// waitFor polls cond until it holds or d has passed.
func waitFor(t testing.TB, d time.Duration, what string, cond func() bool) {
	t.Helper()
	end := time.Now().Add(d)
	for !cond() {
		if time.Now().After(end) {
			t.Fatalf("timed out after %v waiting for %s", d, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// lines makes n numbered messages.
func lines(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s %03d 告警 user=alice", prefix, i)
	}
	return out
}

// checkMessages asserts the events carry want as their messages, in order.
func checkMessages(t *testing.T, got []ingest.Event, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d events, want %d", len(got), len(want))
	}
	for i, ev := range got {
		if m := ev.Str("message"); m != want[i] {
			t.Fatalf("event %d: message %q, want %q", i, m, want[i])
		}
	}
}
