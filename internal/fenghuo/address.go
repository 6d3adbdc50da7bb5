package fenghuo

import (
	"net/netip"
	"strings"
)

// maxAllowedAddresses bounds an account's address list: a display is one
// screen, perhaps behind a pair of gateways, not a directory of networks.
const maxAllowedAddresses = 16

// NormalizeAddresses checks a list of client addresses, each a single IP
// address (IPv4 or IPv6) or a CIDR prefix, and returns it normalised: blank
// entries dropped, prefixes masked to their network ("10.1.2.3/24" becomes
// "10.1.2.0/24"), IPv4-mapped IPv6 addresses unmapped, duplicates removed.
func NormalizeAddresses(list []string) ([]string, error) {
	var out []string // nil when empty, as the store reads an empty list
	seen := map[string]bool{}
	for _, raw := range list {
		s := strings.TrimSpace(raw)
		if s == "" {
			continue
		}
		var norm string
		if strings.Contains(s, "/") {
			p, err := netip.ParsePrefix(s)
			if err != nil {
				return nil, FieldErrorf("allowed_addresses", "%q is neither an IP address nor a CIDR prefix such as 10.20.0.15 or 10.20.0.0/24. / “%s”不是IP地址或网段（例如10.20.0.15或10.20.0.0/24）。", s, s)
			}
			if p.Addr().Is4In6() {
				p = netip.PrefixFrom(p.Addr().Unmap(), max(p.Bits()-96, 0))
			}
			p = p.Masked()
			if p.Bits() == p.Addr().BitLen() {
				norm = p.Addr().String()
			} else {
				norm = p.String()
			}
		} else {
			a, err := netip.ParseAddr(s)
			if err != nil || a.Zone() != "" {
				return nil, FieldErrorf("allowed_addresses", "%q is neither an IP address nor a CIDR prefix such as 10.20.0.15 or 10.20.0.0/24. / “%s”不是IP地址或网段（例如10.20.0.15或10.20.0.0/24）。", s, s)
			}
			norm = a.Unmap().String()
		}
		if !seen[norm] {
			seen[norm] = true
			out = append(out, norm)
		}
	}
	if len(out) > maxAllowedAddresses {
		return nil, FieldErrorf("allowed_addresses", "Give at most %d addresses. / 最多填写%d个地址。", maxAllowedAddresses, maxAllowedAddresses)
	}
	return out, nil
}

// AddressAllowed reports whether the user may work from the client address
// ip: always when the user has no address list, otherwise only when ip is
// one of the addresses or inside one of the prefixes. An address that does
// not parse is never allowed for a bound account.
func (u *User) AddressAllowed(ip string) bool {
	if len(u.AllowedAddresses) == 0 {
		return true
	}
	a, err := netip.ParseAddr(strings.TrimSpace(ip))
	if err != nil {
		return false
	}
	a = a.Unmap().WithZone("")
	for _, s := range u.AllowedAddresses {
		if strings.Contains(s, "/") {
			if p, err := netip.ParsePrefix(s); err == nil && p.Contains(a) {
				return true
			}
		} else if b, err := netip.ParseAddr(s); err == nil && b == a {
			return true
		}
	}
	return false
}
