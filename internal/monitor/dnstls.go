package monitor

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/miekg/dns"

	"fenghuo/internal/store"
)

// dnsAnswer is what the resolvers say about a host: its addresses, the
// CNAME chain and the name servers of its zone.
type dnsAnswer struct {
	Addrs []string `json:"addrs"`
	CNAME []string `json:"cname"`
	NS    []string `json:"ns"`
}

// resolve asks every resolver about host and returns the union of the
// answers, or the first error when no resolver answered.
func resolve(ctx context.Context, host string, resolvers []string) (dnsAnswer, error) {
	var ans dnsAnswer
	c := &dns.Client{Timeout: 5 * time.Second}
	zone := host
	if labels := dns.SplitDomainName(host); len(labels) > 2 {
		zone = strings.Join(labels[1:], ".")
	}
	var firstErr error
	answered := false
	for _, server := range resolvers {
		for _, q := range []struct {
			name string
			t    uint16
		}{{host, dns.TypeA}, {host, dns.TypeAAAA}, {zone, dns.TypeNS}} {
			m := new(dns.Msg)
			m.SetQuestion(dns.Fqdn(q.name), q.t)
			r, _, err := c.ExchangeContext(ctx, m, server)
			if err != nil {
				if firstErr == nil {
					firstErr = fmt.Errorf("resolver %s: %w", server, err)
				}
				continue
			}
			answered = true
			for _, rr := range r.Answer {
				switch v := rr.(type) {
				case *dns.A:
					ans.Addrs = append(ans.Addrs, v.A.String())
				case *dns.AAAA:
					ans.Addrs = append(ans.Addrs, v.AAAA.String())
				case *dns.CNAME:
					ans.CNAME = append(ans.CNAME, strings.ToLower(v.Target))
				case *dns.NS:
					ans.NS = append(ans.NS, strings.ToLower(v.Ns))
				}
			}
		}
	}
	if !answered {
		return ans, firstErr
	}
	ans.Addrs, ans.CNAME, ans.NS = uniq(ans.Addrs), uniq(ans.CNAME), uniq(ans.NS)
	return ans, nil
}

func uniq(s []string) []string {
	sort.Strings(s)
	return slices.Compact(s)
}

// newValues returns what b holds that the baseline a does not.
func newValues(a, b []string) []string {
	var out []string
	for _, v := range b {
		if !slices.Contains(a, v) {
			out = append(out, v)
		}
	}
	return out
}

// checkDNS compares the resolvers' answers for the monitor's host with the
// baseline learned at the first check, and returns the findings of a
// hijack: addresses, CNAME targets or name servers never seen before.
func checkDNS(ctx context.Context, m *store.Monitor) ([]string, error) {
	if len(m.Resolvers) == 0 {
		return nil, nil
	}
	u, err := url.Parse(m.URL)
	if err != nil {
		return nil, err
	}
	ans, err := resolve(ctx, u.Hostname(), m.Resolvers)
	if err != nil {
		return nil, err
	}
	if m.DNSBaseline == "" {
		b, _ := json.Marshal(ans)
		m.DNSBaseline = string(b)
		return nil, nil
	}
	var base dnsAnswer
	if err := json.Unmarshal([]byte(m.DNSBaseline), &base); err != nil {
		return nil, err
	}
	var out []string
	if v := newValues(base.Addrs, ans.Addrs); len(v) > 0 {
		out = append(out, "new addresses "+strings.Join(v, ", ")+" (baseline "+strings.Join(base.Addrs, ", ")+")")
	}
	if v := newValues(base.CNAME, ans.CNAME); len(v) > 0 {
		out = append(out, "new CNAME "+strings.Join(v, ", "))
	}
	if v := newValues(base.NS, ans.NS); len(v) > 0 {
		out = append(out, "new name servers "+strings.Join(v, ", "))
	}
	return out, nil
}

// certBaseline is what is kept of a site's certificate.
type certBaseline struct {
	SPKI     string    `json:"spki_sha256"`
	Issuer   string    `json:"issuer"`
	NotAfter time.Time `json:"not_after"`
}

// ExpiryWarning is how long before its end a certificate is reported.
const ExpiryWarning = 14 * 24 * time.Hour

// checkTLS compares the certificate the site presented with the baseline:
// a new public key or issuer is a change worth an alert (a hijacked site
// presents its own certificate); a certificate near its end is reported
// too. It returns (changed, expiring) descriptions.
func checkTLS(state *tls.ConnectionState, m *store.Monitor, now time.Time) (string, string) {
	if state == nil || len(state.PeerCertificates) == 0 {
		return "", ""
	}
	leaf := state.PeerCertificates[0]
	sum := sha256.Sum256(leaf.RawSubjectPublicKeyInfo)
	cur := certBaseline{SPKI: hex.EncodeToString(sum[:]), Issuer: leaf.Issuer.String(), NotAfter: leaf.NotAfter}
	expiring := ""
	if leaf.NotAfter.Sub(now) < ExpiryWarning {
		expiring = fmt.Sprintf("certificate expires %s", leaf.NotAfter.Format(time.RFC3339))
	}
	if m.TLSBaseline == "" {
		b, _ := json.Marshal(cur)
		m.TLSBaseline = string(b)
		return "", expiring
	}
	var base certBaseline
	if json.Unmarshal([]byte(m.TLSBaseline), &base) != nil {
		return "", expiring
	}
	changed := ""
	switch {
	case base.SPKI != cur.SPKI && base.Issuer != cur.Issuer:
		changed = fmt.Sprintf("new key and issuer %q (was %q)", cur.Issuer, base.Issuer)
	case base.SPKI != cur.SPKI:
		changed = "the certificate has a new public key (sha256 " + cur.SPKI[:16] + "…)"
	case base.Issuer != cur.Issuer:
		changed = fmt.Sprintf("new issuer %q (was %q)", cur.Issuer, base.Issuer)
	}
	return changed, expiring
}
