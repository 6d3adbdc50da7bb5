package monitor

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"syscall"
)

// Monitored URLs are typed in by unit operators, so a monitor must not
// become a way to make the server fetch from itself or from a cloud
// metadata service (server-side request forgery) and show what it got on
// the monitor's page. The client refuses, at connection time (after DNS,
// so a name that resolves inward is caught too, and on every redirect):
// link-local addresses (169.254.0.0/16 and fe80::/10, where metadata
// services live), unspecified and multicast addresses always, and loopback
// unless the deployment allows it (--monitor-allow-loopback; the demo's
// own site farm listens on loopback). Private networks (10/8, 172.16/12,
// 192.168/16, fc00::/7) stay allowed: government intranets and 政务外网
// sites live there. The same rule as notification webhooks
// (internal/notify/guard.go).

// ErrBlockedAddress is why a check did not connect.
var ErrBlockedAddress = errors.New("the address is this server itself, link-local (a metadata service), unspecified or multicast, which monitors may not reach / 该地址为本机、链路本地（元数据服务）、未指定或组播地址，监测不可访问")

// Blocked reports whether a monitor may not connect to addr; loopback is
// blocked unless allowLoopback.
func Blocked(addr netip.Addr, allowLoopback bool) bool {
	addr = addr.Unmap()
	if addr.IsLoopback() {
		return !allowLoopback
	}
	return !addr.IsValid() || addr.IsUnspecified() || addr.IsLinkLocalUnicast() || addr.IsLinkLocalMulticast() ||
		addr.IsMulticast() || addr.IsInterfaceLocalMulticast()
}

// AlwaysBlocked reports whether a URL host that is an address literal can
// never be monitored, whatever the deployment allows; a name or an
// allowed address gives false (names are checked when they resolve).
func AlwaysBlocked(host string) bool {
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return false
	}
	return !addr.Unmap().IsLoopback() && Blocked(addr, true)
}

// reachControl is a net.Dialer Control that refuses blocked addresses.
func reachControl(allowLoopback bool) func(network, address string, _ syscall.RawConn) error {
	return func(network, address string, _ syscall.RawConn) error {
		host, _, err := net.SplitHostPort(address)
		if err != nil {
			return err
		}
		addr, err := netip.ParseAddr(host)
		if err != nil {
			return fmt.Errorf("dial %s: %w", address, ErrBlockedAddress)
		}
		if Blocked(addr, allowLoopback) {
			return fmt.Errorf("dial %s: %w", address, ErrBlockedAddress)
		}
		return nil
	}
}
