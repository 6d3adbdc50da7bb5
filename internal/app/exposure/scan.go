package exposure

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"fenghuo/internal/fenghuo"
)

// A probe is one TCP connect: an address that a registered target (a
// domain, URL host or IP of the system) stands for, and a port.
type probe struct {
	Target  string
	Address netip.Addr
	Port    int
}

func (p probe) hostPort() string { return net.JoinHostPort(p.Address.String(), strconv.Itoa(p.Port)) }

// plan is what a check of one system may connect to: built from the
// system's registered exposure only. allowed is the closed set of
// address:port pairs; the dialer refuses anything else.
type plan struct {
	probes  []probe
	allowed map[string]bool
	refused []string
	addrs   int
}

// Limits of one check.
const (
	// maxBlock is the largest registered CIDR block expanded (a /28): a
	// larger one is refused, not scanned.
	maxBlock = 16
	// maxProbes bounds the connects of one check.
	maxProbes = 512
)

// buildPlan turns a system's registered exposure into probes. Domains and
// URL host names are resolved; an address a name resolves to that is
// loopback, link-local, multicast or unspecified is refused unless the
// unit registered that address itself (a name pointing at this server or
// its neighbours is not the unit's to have checked). Ports are the
// policy's high-risk ports, plus the TCP ports and URL ports the system
// registered.
func buildPlan(ctx context.Context, sys *fenghuo.System, pol fenghuo.ExposurePolicy, resolve Resolver) plan {
	p := plan{allowed: map[string]bool{}}
	ports := map[int]bool{}
	for _, n := range pol.Ports {
		ports[n] = true
	}
	registered := map[netip.Addr]bool{}
	var prefixes []netip.Prefix
	type named struct {
		target string
		port   int
	}
	var names []named
	type fixed struct {
		target string
		addrs  []netip.Addr
		port   int
	}
	var fixeds []fixed
	for _, e := range sys.Exposure {
		switch e.Kind {
		case fenghuo.ExposurePort:
			num, proto, _ := strings.Cut(e.Value, "/")
			if n, err := strconv.Atoi(num); err == nil && n >= 1 && n <= 65535 && proto != "udp" {
				ports[n] = true
			}
		case fenghuo.ExposureIP:
			if a, err := netip.ParseAddr(e.Value); err == nil {
				a = a.Unmap()
				registered[a] = true
				fixeds = append(fixeds, fixed{target: e.Value, addrs: []netip.Addr{a}})
				continue
			}
			pf, err := netip.ParsePrefix(e.Value)
			if err != nil {
				p.refused = append(p.refused, e.Value+"：不是IP地址或网段")
				continue
			}
			pf = pf.Masked()
			if bits := pf.Addr().BitLen() - pf.Bits(); bits > 4 {
				p.refused = append(p.refused, fmt.Sprintf("%s：网段超过%d个地址，未检测（请登记具体地址）", e.Value, maxBlock))
				continue
			}
			prefixes = append(prefixes, pf)
			var as []netip.Addr
			for a := pf.Addr(); pf.Contains(a); a = a.Next() {
				registered[a] = true
				as = append(as, a)
			}
			fixeds = append(fixeds, fixed{target: e.Value, addrs: as})
		case fenghuo.ExposureDomain:
			names = append(names, named{target: strings.TrimSuffix(e.Value, ".")})
		case fenghuo.ExposureURL:
			u, err := url.Parse(e.Value)
			if err != nil || u.Hostname() == "" {
				p.refused = append(p.refused, e.Value+"：网址无法解析")
				continue
			}
			port := 443
			if u.Scheme == "http" {
				port = 80
			}
			if u.Port() != "" {
				port, _ = strconv.Atoi(u.Port())
			}
			if a, err := netip.ParseAddr(u.Hostname()); err == nil {
				a = a.Unmap()
				registered[a] = true
				fixeds = append(fixeds, fixed{target: u.Hostname(), addrs: []netip.Addr{a}, port: port})
			} else {
				names = append(names, named{target: u.Hostname(), port: port})
			}
		}
	}
	// Names resolve to addresses; a special address counts only if the
	// unit registered it.
	for _, n := range names {
		addrs, err := resolve(ctx, n.target)
		if err != nil || len(addrs) == 0 {
			p.refused = append(p.refused, n.target+"：域名未能解析")
			continue
		}
		var ok []netip.Addr
		for _, a := range addrs {
			a = a.Unmap()
			if special(a) && !registered[a] {
				p.refused = append(p.refused, fmt.Sprintf("%s：解析到%s（本机、链路本地或保留地址，且未登记），不检测", n.target, a))
				continue
			}
			ok = append(ok, a)
		}
		if len(ok) > 0 {
			fixeds = append(fixeds, fixed{target: n.target, addrs: ok, port: n.port})
		}
	}
	sorted := make([]int, 0, len(ports))
	for n := range ports {
		sorted = append(sorted, n)
	}
	sort.Ints(sorted)
	// One connect per address and port: an address that several entries
	// name (an IP and the domain resolving to it) is tried once, its
	// target naming every entry, IP first.
	seenAddr := map[netip.Addr]bool{}
	seenProbe := map[string]int{}
	for _, f := range fixeds {
		ps := sorted
		if f.port != 0 && !ports[f.port] {
			ps = append(append([]int(nil), sorted...), f.port)
		}
		for _, a := range f.addrs {
			seenAddr[a] = true
			for _, port := range ps {
				pr := probe{Target: f.target, Address: a, Port: port}
				k := pr.hostPort()
				if i, ok := seenProbe[k]; ok {
					if !slices.Contains(strings.Split(p.probes[i].Target, "、"), f.target) {
						p.probes[i].Target += "、" + f.target
					}
					continue
				}
				if len(p.probes) >= maxProbes {
					p.refused = append(p.refused, fmt.Sprintf("超过单次检测上限%d次连接，其余未检测", maxProbes))
					p.addrs = len(seenAddr)
					return p
				}
				seenProbe[k] = len(p.probes)
				p.probes = append(p.probes, pr)
				p.allowed[pr.hostPort()] = true
			}
		}
	}
	p.addrs = len(seenAddr)
	return p
}

// special reports whether a is an address no registered name may send a
// check to: loopback, link-local, multicast, unspecified or broadcast.
func special(a netip.Addr) bool {
	return a.IsLoopback() || a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() || a.IsMulticast() ||
		a.IsUnspecified() || a.IsInterfaceLocalMulticast() || a == netip.AddrFrom4([4]byte{255, 255, 255, 255})
}

// Resolver returns the addresses of a host name.
type Resolver func(ctx context.Context, host string) ([]netip.Addr, error)

// Dialer opens a TCP connection.
type Dialer func(ctx context.Context, network, address string) (net.Conn, error)

// ErrNotRegistered is returned for a connect to an address and port that
// the system's registered exposure does not name: it is never attempted.
var ErrNotRegistered = errors.New("exposure: refused: the address is not registered by the unit")

// limiter spaces connects: globally (at most one every Global) and per
// address (at most one every PerTarget).
type limiter struct {
	mu        sync.Mutex
	global    time.Duration
	perTarget time.Duration
	next      time.Time
	nextAddr  map[netip.Addr]time.Time
}

// wait blocks until a connect to a may start, or ctx ends.
func (l *limiter) wait(ctx context.Context, a netip.Addr) error {
	l.mu.Lock()
	now := time.Now()
	at := now
	if l.next.After(at) {
		at = l.next
	}
	if t := l.nextAddr[a]; t.After(at) {
		at = t
	}
	l.next = at.Add(l.global)
	if l.nextAddr == nil {
		l.nextAddr = map[netip.Addr]time.Time{}
	}
	l.nextAddr[a] = at.Add(l.perTarget)
	// Forget addresses whose spacing has passed, so the map stays small.
	if len(l.nextAddr) > 4096 {
		for k, t := range l.nextAddr {
			if t.Before(now) {
				delete(l.nextAddr, k)
			}
		}
	}
	l.mu.Unlock()
	d := time.Until(at)
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// connect tries one probe: open, closed (refused), timeout or error. A
// probe outside allowed is refused before any packet is sent.
func connect(ctx context.Context, dial Dialer, timeout time.Duration, allowed map[string]bool, pr probe) (state string, latency time.Duration, msg string) {
	if !allowed[pr.hostPort()] {
		return fenghuo.PortError, 0, ErrNotRegistered.Error()
	}
	cctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	start := time.Now()
	c, err := dial(cctx, "tcp", pr.hostPort())
	latency = time.Since(start)
	if err == nil {
		c.Close()
		return fenghuo.PortOpen, latency, ""
	}
	var ne net.Error
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return fenghuo.PortClosed, latency, ""
	case errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()):
		return fenghuo.PortTimeout, latency, ""
	}
	return fenghuo.PortError, latency, fenghuo.CleanText(err.Error(), 200)
}
