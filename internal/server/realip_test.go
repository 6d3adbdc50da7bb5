package server

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"fenghuo/internal/server/clientip"
)

func TestRealIP(t *testing.T) {
	tests := []struct {
		name, peer string
		xff        []string
		want       string
	}{
		{"client behind the proxy", "127.0.0.1:5555", []string{"203.0.113.9"}, "203.0.113.9"},
		{"forged hops left of the proxy's", "127.0.0.1:5555", []string{"1.1.1.1, 203.0.113.9"}, "203.0.113.9"},
		{"two headers", "127.0.0.1:5555", []string{"1.1.1.1", "203.0.113.9"}, "203.0.113.9"},
		{"a chain of trusted proxies", "127.0.0.1:5555", []string{"203.0.113.9, 10.1.2.3"}, "203.0.113.9"},
		{"IPv6 client", "127.0.0.1:5555", []string{"2001:db8::1"}, "2001:db8::1"},
		{"IPv4-mapped client", "127.0.0.1:5555", []string{"::ffff:203.0.113.9"}, "203.0.113.9"},
		{"untrusted peer", "192.0.2.1:5555", []string{"203.0.113.9"}, "192.0.2.1"},
		{"garbage where the proxy writes", "127.0.0.1:5555", []string{"203.0.113.9, not-an-ip"}, "127.0.0.1"},
		{"only trusted hops", "127.0.0.1:5555", []string{"10.0.0.1"}, "127.0.0.1"},
		{"no header", "127.0.0.1:5555", nil, "127.0.0.1"},
		{"trusted IPv6 peer", "[::1]:5555", []string{"203.0.113.9"}, "203.0.113.9"},
	}
	mw, err := RealIP([]string{"127.0.0.1", "::1", "10.0.0.0/8"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range tests {
		var got string
		h := mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = clientip.Of(r) }))
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tc.peer
		for _, v := range tc.xff {
			r.Header.Add("X-Forwarded-For", v)
		}
		h.ServeHTTP(httptest.NewRecorder(), r)
		if got != tc.want {
			t.Errorf("%s: client %q, want %q", tc.name, got, tc.want)
		}
	}
	// Without trusted proxies the header means nothing.
	none, _ := RealIP(nil)
	var got string
	r := httptest.NewRequest("GET", "/", nil)
	r.RemoteAddr = "127.0.0.1:5555"
	r.Header.Set("X-Forwarded-For", "203.0.113.9")
	none(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = clientip.Of(r) })).ServeHTTP(httptest.NewRecorder(), r)
	if got != "127.0.0.1" {
		t.Errorf("no trusted proxies: client %q", got)
	}
	if _, err := RealIP([]string{"10.0.0.0/33"}); err == nil {
		t.Error("a bad CIDR was accepted")
	}
}
