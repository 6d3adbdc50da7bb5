package monitor_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"fenghuo/internal/monitor"
)

func TestBlocked(t *testing.T) {
	for _, c := range []struct {
		addr          string
		allowLoopback bool
		want          bool
	}{
		{"127.0.0.1", false, true},
		{"127.0.0.1", true, false},
		{"::1", false, true},
		{"::ffff:127.0.0.1", false, true},
		{"169.254.169.254", true, true}, // cloud metadata
		{"fe80::1", true, true},
		{"0.0.0.0", true, true},
		{"::", true, true},
		{"224.0.0.1", true, true},
		{"ff02::1", true, true},
		{"10.1.2.3", false, false}, // intranets and 政务外网 stay reachable
		{"192.168.1.10", false, false},
		{"fd00::10", false, false},
		{"203.0.113.9", false, false},
	} {
		if got := monitor.Blocked(netip.MustParseAddr(c.addr), c.allowLoopback); got != c.want {
			t.Errorf("Blocked(%s, loopback allowed %v) = %v, want %v", c.addr, c.allowLoopback, got, c.want)
		}
	}
	for host, want := range map[string]bool{"169.254.169.254": true, "[fe80::1]": false, "fe80::1": true, "127.0.0.1": false, "www.gov.cn": false, "10.0.0.1": false} {
		if got := monitor.AlwaysBlocked(host); got != want {
			t.Errorf("AlwaysBlocked(%q) = %v, want %v", host, got, want)
		}
	}
}

// A check of this server's own address fails as blocked unless loopback
// is allowed, also when the URL names the address through a name that
// resolves to it; a link-local address is refused before any packet
// leaves, whatever is allowed.
func TestClientReach(t *testing.T) {
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("<html>ok</html>")) }))
	defer site.Close()
	ctx := context.Background()
	port := site.URL[strings.LastIndex(site.URL, ":"):]
	for _, u := range []string{site.URL, "http://localhost" + port} {
		r := monitor.Fetch(ctx, monitor.NewClient(2*time.Second, nil, false), u, monitor.ProfileBrowser)
		if r.OK() || r.ErrKind != "blocked" || !errors.Is(r.Err, monitor.ErrBlockedAddress) {
			t.Errorf("%s without loopback: ok %v kind %q err %v, want blocked", u, r.OK(), r.ErrKind, r.Err)
		}
	}
	if r := monitor.Fetch(ctx, monitor.NewClient(2*time.Second, nil, true), site.URL, monitor.ProfileBrowser); !r.OK() {
		t.Errorf("loopback allowed: %s", r.Describe())
	}
	r := monitor.Fetch(ctx, monitor.NewClient(2*time.Second, nil, true), "http://169.254.169.254/latest/meta-data/", monitor.ProfileBrowser)
	if r.ErrKind != "blocked" || !strings.Contains(r.Describe(), "link-local") {
		t.Errorf("metadata address: kind %q, %s", r.ErrKind, r.Describe())
	}
}
