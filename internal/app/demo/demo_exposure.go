package demo

// Exposure checks in the demo region (issue 12, P4). The demo's addresses
// are in the documentation range 198.51.100.0/24 (RFC 5737), which belongs
// to nobody: the demo therefore runs its checks through the exposure
// service over a simulated network (simNet) that answers for those
// addresses as the story needs, and never sends a packet. The story: the
// Qingxi county office checks its subtree for the default high-risk ports
// plus Telnet (23); its e-government site has Remote Desktop (3389) open
// (a high finding); the first middle school's site had SSH (22) open, then
// closed it, so its finding carries "re-check: closed" for the county to
// verify. The county leaves scheduled checks off, so a demo server never
// connects to the documentation addresses on its own.

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"syscall"

	"fenghuo/internal/app"
	"fenghuo/internal/app/exposure"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// SetExposure gives the seeder the exposure-check capability (wired in
// services, after both exist).
func (a *Service) SetExposure(e *exposure.Service) { a.exposure = e }

// simNet is the demo's simulated network: names resolve to the address
// their system registered, and a port answers when the system registered
// it or the story opens it.
type simNet struct {
	names map[string]netip.Addr
	open  map[string]bool // "198.51.100.10:3389"
}

func (n *simNet) resolve(ctx context.Context, host string) ([]netip.Addr, error) {
	if a, ok := n.names[host]; ok {
		return []netip.Addr{a}, nil
	}
	return nil, fmt.Errorf("demo: no such host %s", host)
}

func (n *simNet) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	if n.open[addr] {
		c, s := net.Pipe()
		s.Close()
		return c, nil
	}
	return nil, &net.OpError{Op: "dial", Net: network, Err: syscall.ECONNREFUSED}
}

// seedDemoExposure sets the county's policy and runs the story's checks.
func (a *Service) seedDemoExposure(ctx context.Context, ids map[string]int64) error {
	if a.exposure == nil {
		return nil
	}
	county, err := a.core.DB().Org(ctx, ids["qingxi"])
	if err != nil {
		return err
	}
	// The county office's commander sets the policy, as the other demo
	// seeders act (see seedDemoDuty).
	office := &app.Actor{User: fenghuo.User{Username: "demo", DisplayName: "演示数据", Roles: []fenghuo.Role{fenghuo.RoleCommander}},
		Org: *county, Via: "system"}
	pol := fenghuo.DefaultExposurePolicy()
	pol.Ports = append(pol.Ports, 23)
	if err := a.exposure.SetPolicy(ctx, office, county.ID, pol); err != nil {
		return err
	}
	systems, err := a.core.DB().SubtreeSystems(ctx, county.ID, store.SystemFilter{Status: fenghuo.SystemActive}, store.Page{Limit: store.MaxLimit})
	if err != nil {
		return err
	}
	n := &simNet{names: map[string]netip.Addr{}, open: map[string]bool{}}
	var checkable []fenghuo.System
	var host = map[int64]string{}
	for _, s := range systems.Items {
		var ip netip.Addr
		var name string
		var ports []string
		for _, e := range s.Exposure {
			switch e.Kind {
			case fenghuo.ExposureIP:
				ip, _ = netip.ParseAddr(e.Value)
			case fenghuo.ExposureDomain:
				name = e.Value
			case fenghuo.ExposurePort:
				ports = append(ports, e.Value)
			}
		}
		if !ip.IsValid() {
			continue
		}
		if name != "" {
			n.names[name] = ip
			host[s.ID] = name
		}
		for _, p := range ports {
			n.open[net.JoinHostPort(ip.String(), p)] = true
		}
		checkable = append(checkable, s)
	}
	open := func(hostname, port string) {
		if a, ok := n.names[hostname]; ok {
			n.open[net.JoinHostPort(a.String(), port)] = true
		}
	}
	close := func(hostname, port string) {
		if a, ok := n.names[hostname]; ok {
			delete(n.open, net.JoinHostPort(a.String(), port))
		}
	}
	open("zwfw.qingxi.gov.cn", "3389")
	open("www.qxyz.edu.cn", "22")
	sim := a.exposure.WithNetwork(n.resolve, n.dial)
	for _, s := range checkable {
		if _, err := sim.RunNow(ctx, office, s.ID); err != nil {
			return fmt.Errorf("demo exposure check of %s: %w", s.Name, err)
		}
	}
	// The school closes SSH; the next check notes it on the finding.
	close("www.qxyz.edu.cn", "22")
	for _, s := range checkable {
		if host[s.ID] == "www.qxyz.edu.cn" {
			if _, err := sim.RunNow(ctx, office, s.ID); err != nil {
				return fmt.Errorf("demo exposure re-check of %s: %w", s.Name, err)
			}
		}
	}
	return nil
}
