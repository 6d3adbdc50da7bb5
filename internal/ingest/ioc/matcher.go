package ioc

import (
	"context"
	"net/netip"
	"sort"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"fenghuo/internal/ingest"
)

// Visibility reports whether an indicator owned by ownerOrg under label tlp
// may be seen by — and so match the events of — eventOrg.
type Visibility func(ownerOrg int64, tlp TLP, eventOrg int64) bool

// Fields that can carry each kind of value (ECS names as the parsers
// produce them; a field may hold one string or a []string).
var (
	ipFields = []string{"source.ip", "destination.ip", "client.ip", "server.ip", "host.ip", "related.ip",
		"source.nat.ip", "destination.nat.ip", "dns.resolved_ip", "data.srcip", "data.dstip"}
	domainFields = []string{"url.domain", "destination.domain", "source.domain", "server.domain", "client.domain",
		"dns.question.name", "tls.client.server_name", "http.request.host", "related.hosts"}
	urlFields   = []string{"url.full", "url.original", "http.request.referrer"}
	hashFields  = []string{"file.hash.md5", "file.hash.sha1", "file.hash.sha256", "process.hash.md5", "process.hash.sha1", "process.hash.sha256", "email.attachments.file.hash.md5", "email.attachments.file.hash.sha1", "email.attachments.file.hash.sha256", "related.hash"}
	emailFields = []string{"email.from.address", "email.sender.address", "email.reply_to.address", "email.to.address",
		"email.cc.address", "email.bcc.address", "user.email", "source.user.email", "destination.user.email"}
	cveFields = []string{"vulnerability.id", "data.vulnerability.cve"}
)

// Matcher finds indicators in events: one map lookup per value a field
// carries (and per parent of a domain, per network length present), never
// a scan of the indicators. It is immutable once built and safe for
// concurrent use.
type Matcher struct {
	inds     []Indicator
	visible  Visibility
	now      func() time.Time
	hashes   map[string][]int32
	addrs    map[netip.Addr][]int32
	nets     []netsOfLen // by prefix length, longest first
	domains  map[string][]int32
	urls     map[string][]int32
	emails   map[string][]int32
	cves     map[string][]int32
	counts   map[Type]int
	maxDepth int // the most labels any domain indicator has
}

type netsOfLen struct {
	bits int
	v4   bool
	m    map[netip.Prefix][]int32
}

// MatcherOptions configure a Matcher. A nil Visible lets every indicator
// match every event (offline use); a nil Now is time.Now.
type MatcherOptions struct {
	Visible Visibility
	Now     func() time.Time
}

// NewMatcher indexes indicators (already normalised, as Validate leaves
// them; one that does not normalise is left out).
func NewMatcher(inds []Indicator, opt MatcherOptions) *Matcher {
	m := &Matcher{visible: opt.Visible, now: opt.Now, hashes: map[string][]int32{}, addrs: map[netip.Addr][]int32{},
		domains: map[string][]int32{}, urls: map[string][]int32{}, emails: map[string][]int32{}, cves: map[string][]int32{},
		counts: map[Type]int{}}
	if m.now == nil {
		m.now = time.Now
	}
	nets := map[[2]int]map[netip.Prefix][]int32{}
	for _, in := range inds {
		v, err := Normalize(in.Type, in.Value)
		if err != nil {
			continue
		}
		in.Value = v
		i := int32(len(m.inds))
		m.inds = append(m.inds, in)
		m.counts[in.Type]++
		switch in.Type {
		case TypeMD5, TypeSHA1, TypeSHA256:
			m.hashes[v] = append(m.hashes[v], i)
		case TypeIPv4, TypeIPv6:
			if p, err := netip.ParsePrefix(v); err == nil {
				k := [2]int{p.Bits(), 0}
				if p.Addr().Is4() {
					k[1] = 1
				}
				if nets[k] == nil {
					nets[k] = map[netip.Prefix][]int32{}
				}
				nets[k][p] = append(nets[k][p], i)
			} else if a, err := netip.ParseAddr(v); err == nil {
				m.addrs[a] = append(m.addrs[a], i)
			}
		case TypeDomain:
			m.domains[v] = append(m.domains[v], i)
			if d := strings.Count(v, ".") + 1; d > m.maxDepth {
				m.maxDepth = d
			}
		case TypeURL:
			m.urls[v] = append(m.urls[v], i)
		case TypeEmail:
			m.emails[v] = append(m.emails[v], i)
		case TypeCVE:
			m.cves[v] = append(m.cves[v], i)
		}
	}
	for k, pm := range nets {
		m.nets = append(m.nets, netsOfLen{bits: k[0], v4: k[1] == 1, m: pm})
	}
	sort.Slice(m.nets, func(i, j int) bool { return m.nets[i].bits > m.nets[j].bits })
	return m
}

// Len is the number of indicators indexed.
func (m *Matcher) Len() int { return len(m.inds) }

// Counts returns how many indicators of each type are indexed.
func (m *Matcher) Counts() map[Type]int {
	c := make(map[Type]int, len(m.counts))
	for k, v := range m.counts {
		c[k] = v
	}
	return c
}

// Level maps an indicator's confidence to a Sigma level.
func Level(confidence int) string {
	switch {
	case confidence >= 90:
		return "critical"
	case confidence >= 70:
		return "high"
	case confidence >= 40:
		return "medium"
	case confidence > 0:
		return "low"
	}
	return "informational"
}

// scan collects the matches of one event.
type scan struct {
	m    *Matcher
	src  ingest.Source
	now  time.Time
	seen []int32
	out  []ingest.Match
}

func (s *scan) hit(ids []int32, field, value string) {
	for _, i := range ids {
		if s.isSeen(i) {
			continue
		}
		in := &s.m.inds[i]
		if !in.ValidAt(s.now) || s.m.visible != nil && !s.m.visible(in.OwnerOrg, in.TLP, s.src.Org) {
			continue
		}
		s.seen = append(s.seen, i)
		s.out = append(s.out, ingest.Match{Kind: ingest.MatchIOC, RuleID: in.Ref(), Title: "IOC: " + in.Value,
			Level: Level(in.Confidence), Entity: in.Value, IndicatorID: in.ID, Value: value, Field: field})
	}
}

func (s *scan) isSeen(i int32) bool {
	for _, j := range s.seen {
		if j == i {
			return true
		}
	}
	return false
}

// Detect implements ingest.Detector: one match per indicator found in the
// event (the first field that carries it), for indicators in force now and
// visible to the event's org.
func (m *Matcher) Detect(_ context.Context, src ingest.Source, ev *ingest.Event) []ingest.Match {
	if len(m.inds) == 0 || ev == nil {
		return nil
	}
	s := scan{m: m, src: src, now: m.now()}
	if len(m.addrs) > 0 || len(m.nets) > 0 {
		each(ev, ipFields, s.ip)
	}
	if len(m.domains) > 0 {
		each(ev, domainFields, s.domain)
	}
	if len(m.urls) > 0 || len(m.domains) > 0 || len(m.addrs) > 0 || len(m.nets) > 0 {
		each(ev, urlFields, s.url)
	}
	if len(m.hashes) > 0 {
		each(ev, hashFields, func(field, v string) {
			if ids := m.hashes[strings.ToLower(strings.TrimSpace(v))]; ids != nil {
				s.hit(ids, field, v)
			}
		})
	}
	if len(m.emails) > 0 || len(m.domains) > 0 {
		each(ev, emailFields, s.email)
	}
	if len(m.cves) > 0 {
		each(ev, cveFields, func(field, v string) {
			if ids := m.cves[strings.ToUpper(strings.TrimSpace(v))]; ids != nil {
				s.hit(ids, field, v)
			}
		})
	}
	return s.out
}

// each calls f for every string a field of the list carries.
func each(ev *ingest.Event, fields []string, f func(field, v string)) {
	for _, k := range fields {
		switch v := ev.Fields[k].(type) {
		case string:
			if v != "" {
				f(k, v)
			}
		case []string:
			for _, x := range v {
				if x != "" {
					f(k, x)
				}
			}
		}
	}
}

func (s *scan) ip(field, v string) {
	a, err := netip.ParseAddr(strings.TrimSpace(v))
	if err != nil {
		return
	}
	s.addr(field, v, a.Unmap().WithZone(""))
}

func (s *scan) addr(field, v string, a netip.Addr) {
	if ids := s.m.addrs[a]; ids != nil {
		s.hit(ids, field, v)
	}
	for _, n := range s.m.nets {
		if n.v4 != a.Is4() {
			continue
		}
		p, err := a.Prefix(n.bits)
		if err != nil {
			continue
		}
		if ids := n.m[p]; ids != nil {
			s.hit(ids, field, v)
		}
	}
}

// domain looks up a name and each of its parents (a domain indicator
// covers its subdomains), never the bare top-level label.
func (s *scan) domain(field, v string) {
	d := hostForm(v)
	if d == "" {
		return
	}
	if a, err := netip.ParseAddr(d); err == nil {
		s.addr(field, v, a.Unmap())
		return
	}
	if len(s.m.domains) == 0 {
		return
	}
	// Skip leading labels deeper than any indicator.
	for n := strings.Count(d, ".") + 1; n > s.m.maxDepth; n-- {
		d = d[strings.IndexByte(d, '.')+1:]
	}
	for {
		dot := strings.IndexByte(d, '.')
		if dot < 0 {
			return
		}
		if ids := s.m.domains[d]; ids != nil {
			s.hit(ids, field, v)
		}
		d = d[dot+1:]
	}
}

// hostForm is a field value as a lower-case ASCII host name.
func hostForm(v string) string {
	d := strings.TrimSuffix(strings.TrimSpace(v), ".")
	if d == "" {
		return ""
	}
	if !isASCII(d) {
		n, err := NormalizeDomain(d)
		if err != nil {
			return ""
		}
		return n
	}
	return strings.ToLower(d)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// url matches the canonical URL and its host (as a domain or address).
func (s *scan) url(field, v string) {
	if len(s.m.urls) > 0 {
		if c, err := NormalizeURL(v); err == nil {
			if ids := s.m.urls[c]; ids != nil {
				s.hit(ids, field, v)
			}
		}
	}
	host := v
	if i := strings.Index(host, "://"); i >= 0 {
		host = host[i+3:]
	}
	if i := strings.IndexAny(host, "/?#"); i >= 0 {
		host = host[:i]
	}
	if i := strings.LastIndexByte(host, '@'); i >= 0 {
		host = host[i+1:]
	}
	if strings.HasPrefix(host, "[") {
		if i := strings.IndexByte(host, ']'); i > 0 {
			host = host[1:i]
		}
	} else if i := strings.LastIndexByte(host, ':'); i >= 0 {
		host = host[:i]
	}
	if host != "" {
		s.domain(field, host)
	}
}

// email matches the address and its domain.
func (s *scan) email(field, v string) {
	e := strings.ToLower(strings.Trim(strings.TrimSpace(v), "<>"))
	at := strings.LastIndexByte(e, '@')
	if at <= 0 {
		return
	}
	if len(s.m.emails) > 0 {
		if !isASCII(e) {
			if n, err := normalizeEmail(e); err == nil {
				e = n
			}
		}
		if ids := s.m.emails[e]; ids != nil {
			s.hit(ids, field, v)
		}
	}
	s.domain(field, e[at+1:])
}

// Live is a Detector whose Matcher is replaced as the library changes
// (internal/app/intel swaps in a new one after each change and
// periodically); Detect uses the Matcher current when it is called.
type Live struct {
	cur atomic.Pointer[Matcher]
}

// Swap installs m.
func (l *Live) Swap(m *Matcher) { l.cur.Store(m) }

// Current returns the Matcher in use (nil before the first Swap).
func (l *Live) Current() *Matcher { return l.cur.Load() }

// Detect implements ingest.Detector.
func (l *Live) Detect(ctx context.Context, src ingest.Source, ev *ingest.Event) []ingest.Match {
	m := l.cur.Load()
	if m == nil {
		return nil
	}
	return m.Detect(ctx, src, ev)
}
