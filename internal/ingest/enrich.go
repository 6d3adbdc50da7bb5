package ingest

import (
	"net/netip"
	"slices"

	"github.com/phuslu/iploc"
)

// Enrich adds what can be known from an event's own fields, without I/O:
// the country of its public addresses (source, client, destination and
// server .geo.country_iso_code, from the IP2Location LITE data embedded in
// github.com/phuslu/iploc) and, for mail-server log lines, the ECS fields
// the mail decoders (mail.go) read from message and process.name, and the
// ECS related.ip, related.hosts, related.hash and related.user lists
// gathered from the fields that hold them. Fields the event already has are
// left as they are. Enrich is idempotent.
func Enrich(ev *Event) {
	if ev.Fields == nil {
		return
	}
	decodeMail(ev)
	for _, side := range []string{"source", "client", "destination", "server"} {
		if _, ok := ev.Fields[side+".geo.country_iso_code"]; ok {
			continue
		}
		ip, ok := ev.Fields[side+".ip"].(string)
		if !ok {
			continue
		}
		if cc := Country(ip); cc != "" {
			ev.Fields[side+".geo.country_iso_code"] = cc
		}
	}
	relate(ev)
}

// related gathers, per ECS related.* field, the fields whose values it
// collects, so that an indicator matcher can look in one place for an
// address, a domain, a hash or an account wherever the format put it.
var related = []struct {
	field string
	from  []string
}{
	{"related.ip", []string{"source.ip", "destination.ip", "client.ip", "server.ip", "host.ip", "dns.resolved_ip"}},
	{"related.hosts", []string{"url.domain", "dns.question.name", "tls.client.server_name", "host.name", "destination.domain", "source.domain"}},
	{"related.hash", []string{"file.hash.md5", "file.hash.sha1", "file.hash.sha256", "tls.client.ja3", "tls.server.ja3s", "tls.server.hash.sha1"}},
	{"related.user", []string{"user.name", "source.user.name", "destination.user.name"}},
}

// relate sets the related.* fields an event does not already have.
func relate(ev *Event) {
	for _, r := range related {
		if _, ok := ev.Fields[r.field]; ok {
			continue
		}
		var vals []string
		for _, f := range r.from {
			switch v := ev.Fields[f].(type) {
			case string:
				if !slices.Contains(vals, v) {
					vals = append(vals, v)
				}
			case []string:
				for _, s := range v {
					if s != "" && !slices.Contains(vals, s) {
						vals = append(vals, s)
					}
				}
			}
			if len(vals) >= 32 {
				break
			}
		}
		if vals != nil {
			ev.Fields[r.field] = vals
		}
	}
}

// Country returns the ISO 3166-1 alpha-2 code of a public address, "" for
// anything else: text that is not an address, private (RFC 1918, RFC 4193),
// loopback, link-local, multicast, unspecified and shared (RFC 6598)
// addresses, and addresses the data does not place.
func Country(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return ""
	}
	a = a.Unmap().WithZone("")
	if !a.IsGlobalUnicast() || a.IsPrivate() || sharedSpace.Contains(a) {
		return ""
	}
	cc := iploc.IPCountry(a)
	if len(cc) != 2 || cc == "ZZ" || cc[0] < 'A' || cc[0] > 'Z' || cc[1] < 'A' || cc[1] > 'Z' {
		return ""
	}
	return cc
}

// sharedSpace is the carrier-grade NAT range (RFC 6598): private in
// practice, though netip does not call it so.
var sharedSpace = netip.MustParsePrefix("100.64.0.0/10")

// addCategory appends an ECS event category once.
func addCategory(ev *Event, c string) {
	switch v := ev.Fields["event.category"].(type) {
	case []string:
		if !slices.Contains(v, c) {
			ev.Fields["event.category"] = append(slices.Clone(v), c)
		}
	case string:
		if v != c {
			ev.Fields["event.category"] = []string{v, c}
		}
	default:
		ev.Set("event.category", []string{c})
	}
}
