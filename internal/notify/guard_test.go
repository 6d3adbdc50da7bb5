package notify

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
)

func TestBlockedIP(t *testing.T) {
	for _, c := range []struct {
		ip      string
		blocked bool
	}{
		{"127.0.0.1", true}, {"::1", true}, {"169.254.169.254", true}, {"fe80::1", true}, {"0.0.0.0", true},
		{"224.0.0.1", true}, {"::ffff:127.0.0.1", true},
		{"10.1.2.3", false}, {"192.168.1.10", false}, {"172.16.0.5", false}, {"203.0.113.7", false}, {"2001:db8::1", false},
	} {
		if got := blockedIP(net.ParseIP(c.ip), false); got != c.blocked {
			t.Errorf("%s: blocked %v, want %v", c.ip, got, c.blocked)
		}
	}
	if blockedIP(net.ParseIP("127.0.0.1"), true) {
		t.Error("loopback blocked although allowed")
	}
}

// A webhook pointed at the server itself is refused before any byte is
// sent, for good (no retries), and says why.
func TestWebhookToLoopbackRefused(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	err := (&Sender{}).Send(context.Background(), Channel{Kind: KindWebhook, Target: srv.URL + "/admin", Secret: "k"}, Message{Title: "t"})
	if err == nil || !Permanent(err) || hits.Load() != 0 {
		t.Fatalf("err %v (permanent %v), hits %d", err, Permanent(err), hits.Load())
	}
	// A redirect inward is refused too.
	outer := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://169.254.169.254/latest/meta-data/", http.StatusTemporaryRedirect)
	}))
	defer outer.Close()
	err = (&Sender{AllowLoopback: true}).Send(context.Background(), Channel{Kind: KindWebhook, Target: outer.URL, Secret: "k"}, Message{Title: "t"})
	if err == nil || !Permanent(err) {
		t.Fatalf("redirect to a link-local address: %v", err)
	}
}
