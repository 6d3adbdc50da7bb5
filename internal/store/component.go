package store

import (
	"strings"

	"fenghuo/internal/fenghuo"
	"fenghuo/internal/version"
)

// NormaliseComponents checks and normalises a system's components before
// they are stored, so that risk notices can match them by product and
// version (issue 12): the version must read as a version (or be empty), a
// known product gets its vendor's name when none was given, and the same
// product listed twice with the same version is refused.
func NormaliseComponents(s *fenghuo.System) error {
	seen := map[string]bool{}
	for i := range s.Components {
		c := &s.Components[i]
		c.Name, c.Vendor, c.Version = strings.TrimSpace(c.Name), strings.TrimSpace(c.Vendor), strings.TrimSpace(c.Version)
		if c.Version != "" {
			if _, err := version.Parse(c.Version); err != nil {
				return fenghuo.FieldErrorf("components.version", "%s: %q is not a version such as 12.2.1.3 or 1.0.2k. / 组件“%s”的版本号“%s”格式不正确。", c.Name, c.Version, c.Name, c.Version)
			}
		}
		p := version.Normalize(c.Vendor, c.Name)
		if p.Known && c.Vendor == "" {
			c.Vendor = p.Vendor
		}
		key := p.Key + "@" + c.Version
		if seen[key] {
			return fenghuo.FieldErrorf("components", "%s %s is listed twice. / 组件“%s %s”重复。", c.Name, c.Version, c.Name, c.Version)
		}
		seen[key] = true
	}
	return nil
}
