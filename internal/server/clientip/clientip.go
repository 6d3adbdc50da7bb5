// Package clientip tells the address of the peer of a request.
package clientip

import (
	"net"
	"net/http"
)

// Of is the client address of the request: the peer, or, when the peer is
// a configured trusted proxy, the client it forwarded for (server.RealIP
// has then already put that into RemoteAddr). X-Forwarded-For is never
// read here.
func Of(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
