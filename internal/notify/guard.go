package notify

import (
	"errors"
	"net"
	"net/http"
	"syscall"
	"time"
)

// Webhook URLs are typed in by org managers, so a webhook must not become
// a way to make the server call itself or a cloud metadata service
// (server-side request forgery). The default client refuses, at connection
// time (after DNS, so a name that resolves inward is caught too, and on
// every redirect), loopback, link-local (169.254.0.0/16 and fe80::/10, where
// metadata services live), unspecified and multicast addresses. Private
// networks (10/8, 172.16/12, 192.168/16, fc00::/7) stay allowed: government
// intranets and 政务外网 receivers live there.

// errBlockedAddress is why a webhook was refused before it was sent.
var errBlockedAddress = errors.New("the webhook's address is this server itself or a link-local address, which webhooks may not reach")

// blockedIP reports whether a webhook may not connect to ip.
func blockedIP(ip net.IP, allowLoopback bool) bool {
	if ip4 := ip.To4(); ip4 != nil {
		ip = ip4
	}
	if ip.IsLoopback() {
		return !allowLoopback
	}
	return ip.IsUnspecified() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() || ip.IsMulticast() ||
		ip.IsInterfaceLocalMulticast()
}

func guardedClient(allowLoopback bool) *http.Client {
	dialer := &net.Dialer{
		Timeout: 10 * time.Second,
		Control: func(network, address string, _ syscall.RawConn) error {
			host, _, err := net.SplitHostPort(address)
			if err != nil {
				return err
			}
			ip := net.ParseIP(host)
			if ip == nil || blockedIP(ip, allowLoopback) {
				return errBlockedAddress
			}
			return nil
		},
	}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.Proxy = nil // a proxy would connect on our behalf, past the check
	transport.DialContext = dialer.DialContext
	return &http.Client{Timeout: defaultTimeout, Transport: transport}
}

var (
	defaultClient  = guardedClient(false)
	loopbackClient = guardedClient(true)
)
