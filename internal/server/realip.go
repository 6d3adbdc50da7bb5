package server

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// RealIP believes X-Forwarded-For only from the given reverse proxies: for
// a request whose peer is one of them, the client is the rightmost address
// in X-Forwarded-For that is not itself a trusted proxy (everything left of
// it was written by the client and may be forged), and r.RemoteAddr becomes
// that address, so clientip.Of, the audit log, the admin networks and the
// log-in throttle per address all see the client. From any other peer the
// header is ignored. With no trusted proxies this does nothing, and behind
// a proxy every request would seem to come from the proxy: the per-address
// log-in throttle would then count all users together (see
// docs/security.md).
func RealIP(trusted []string) (Middleware, error) {
	var nets []netip.Prefix
	for _, s := range trusted {
		p, err := parsePrefix(s)
		if err != nil {
			return nil, err
		}
		nets = append(nets, p)
	}
	isTrusted := func(a netip.Addr) bool {
		a = a.Unmap()
		for _, p := range nets {
			if p.Contains(a) {
				return true
			}
		}
		return false
	}
	return func(next http.Handler) http.Handler {
		if len(nets) == 0 {
			return next
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if client, ok := forwardedClient(r, isTrusted); ok {
				r2 := *r
				r2.RemoteAddr = net.JoinHostPort(client.String(), "0")
				r = &r2
			}
			next.ServeHTTP(w, r)
		})
	}, nil
}

// forwardedClient returns the client a trusted proxy forwarded r for.
func forwardedClient(r *http.Request, isTrusted func(netip.Addr) bool) (netip.Addr, bool) {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return netip.Addr{}, false
	}
	peer, err := netip.ParseAddr(host)
	if err != nil || !isTrusted(peer) {
		return netip.Addr{}, false
	}
	var hops []string
	for _, h := range r.Header.Values("X-Forwarded-For") {
		hops = append(hops, strings.Split(h, ",")...)
	}
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			return netip.Addr{}, false // garbage where a proxy should have written an address
		}
		if !isTrusted(a) {
			return a.Unmap().WithZone(""), true
		}
	}
	return netip.Addr{}, false
}

// parsePrefix reads a CIDR, or a single address as its own /32 or /128.
func parsePrefix(s string) (netip.Prefix, error) {
	s = strings.TrimSpace(s)
	if p, err := netip.ParsePrefix(s); err == nil {
		return p.Masked(), nil
	}
	if a, err := netip.ParseAddr(s); err == nil {
		return netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()), nil
	}
	return netip.Prefix{}, fmt.Errorf("trusted proxy %q is not an address or CIDR such as 10.0.0.0/8", s)
}
