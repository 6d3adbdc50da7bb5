package exposure

import (
	"context"
	"net"
	"net/netip"
	"testing"
	"time"

	"fenghuo/internal/fenghuo"
)

// A connect to an address and port the plan does not hold is refused
// without dialing; the plan holds only registered addresses.
func TestConnectRefusesWhatIsNotRegistered(t *testing.T) {
	dialed := 0
	dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
		dialed++
		return nil, &net.OpError{Op: "dial", Err: context.DeadlineExceeded}
	}
	resolve := func(ctx context.Context, host string) ([]netip.Addr, error) {
		return []netip.Addr{netip.MustParseAddr("198.51.100.7"), netip.MustParseAddr("169.254.169.254")}, nil
	}
	sys := &fenghuo.System{Exposure: []fenghuo.Exposure{
		{Kind: fenghuo.ExposureURL, Value: "https://www.example.cn:8443/login"},
		{Kind: fenghuo.ExposurePort, Value: "8080/tcp"},
		{Kind: fenghuo.ExposurePort, Value: "53/udp"},
		{Kind: fenghuo.ExposureIP, Value: "203.0.113.8/30"},
	}}
	pl := buildPlan(context.Background(), sys, fenghuo.ExposurePolicy{Ports: []int{3389}, IntervalHours: 1}, resolve)
	// 198.51.100.7 (resolved) and the four addresses of the /30, each on
	// 3389 and 8080; the URL's host also on its port 8443. The metadata
	// address a name resolved to is refused.
	if len(pl.probes) != 4*2+3 || pl.addrs != 5 || len(pl.refused) != 1 {
		t.Fatalf("plan: %d probes, %d addresses, refused %v", len(pl.probes), pl.addrs, pl.refused)
	}
	for _, pr := range pl.probes {
		if pr.Address.String() == "169.254.169.254" || pr.Port == 53 {
			t.Fatalf("planned %+v", pr)
		}
	}
	for _, bad := range []probe{
		{Target: "www.example.cn", Address: netip.MustParseAddr("169.254.169.254"), Port: 3389},
		{Target: "x", Address: netip.MustParseAddr("127.0.0.1"), Port: 3389},
		{Target: "www.example.cn", Address: netip.MustParseAddr("198.51.100.7"), Port: 22},
	} {
		state, _, msg := connect(context.Background(), dial, time.Second, pl.allowed, bad)
		if state != fenghuo.PortError || msg != ErrNotRegistered.Error() {
			t.Fatalf("%+v: %s %s", bad, state, msg)
		}
	}
	if dialed != 0 {
		t.Fatalf("dialed %d times for unregistered addresses", dialed)
	}
	state, _, _ := connect(context.Background(), dial, time.Second, pl.allowed, pl.probes[0])
	if state != fenghuo.PortTimeout || dialed != 1 {
		t.Fatalf("registered probe: %s, dialed %d", state, dialed)
	}
}

// The limiter spaces connects to one address by perTarget and all
// connects by global.
func TestLimiterSpacesConnects(t *testing.T) {
	l := &limiter{global: 2 * time.Millisecond, perTarget: 30 * time.Millisecond}
	a, b := netip.MustParseAddr("192.0.2.1"), netip.MustParseAddr("192.0.2.2")
	start := time.Now()
	for range 4 {
		if err := l.wait(context.Background(), a); err != nil {
			t.Fatal(err)
		}
	}
	if d := time.Since(start); d < 90*time.Millisecond {
		t.Fatalf("4 connects to one address in %v, want >= 90ms", d)
	}
	// Another address is not held back by the first one's spacing.
	start = time.Now()
	if err := l.wait(context.Background(), b); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 25*time.Millisecond {
		t.Fatalf("other address waited %v", d)
	}
	// A cancelled wait returns at once.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := l.wait(ctx, a); err == nil {
		t.Fatal("cancelled wait succeeded")
	}
}
