// Package clientip tells the address of the peer of a request.
package clientip

import (
	"net"
	"net/http"
)

// Of is the peer address of the request. Fenghuo does not trust
// X-Forwarded-For: a deployment behind a proxy terminates TLS on the same
// host or configures the proxy to connect from a fixed address.
func Of(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
