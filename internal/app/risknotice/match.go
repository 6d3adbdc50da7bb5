package risknotice

import (
	"sort"

	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
	"fenghuo/internal/version"
)

// Affected is what a notice is about: a product and the versions of it
// that are affected.
type Affected struct {
	Product version.Product
	Ranges  version.Set
}

// ParseAffected reads a notice's vendor, product and ranges, with errors
// that name the field.
func ParseAffected(vendor, product, ranges string) (Affected, error) {
	p := version.Normalize(vendor, product)
	if p.Key == "" {
		return Affected{}, fenghuo.FieldErrorf("product", "Name the affected product, e.g. WebLogic Server. / 请填写受影响的产品名称。")
	}
	set, err := version.ParseSet(ranges)
	if err != nil {
		return Affected{}, fenghuo.FieldErrorf("ranges", "Affected versions: %v. Write one range a line, e.g. 12.2.1.3 - 12.2.1.4, [2.5.0, 2.5.13), <=1.0.2k or 2.5.x. / 受影响版本格式不正确。", err)
	}
	return Affected{Product: p, Ranges: set}, nil
}

// Runs reports whether a registered component is an affected version of
// the product. A component without a version, or whose version does not
// read, of the same product is reported with known false: the unit is
// asked too, since nobody can tell.
func (a Affected) Runs(c fenghuo.Component) (affected, known bool) {
	if !version.Normalize(c.Vendor, c.Name).Same(a.Product) {
		return false, true
	}
	v, err := version.Parse(c.Version)
	if err != nil {
		return true, false
	}
	return a.Ranges.Contains(v), true
}

// Targets groups the components that run an affected version (or the
// product with no readable version) by unit, the issuer itself excluded.
func (a Affected) Targets(comps []store.ComponentMatch, issuerID int64, names map[int64]string) []fenghuo.RiskNoticeTarget {
	byOrg := map[int64]*fenghuo.RiskNoticeTarget{}
	for _, m := range comps {
		if m.OrgID == issuerID {
			continue
		}
		hit, known := a.Runs(m.Component)
		if !hit {
			continue
		}
		t := byOrg[m.OrgID]
		if t == nil {
			t = &fenghuo.RiskNoticeTarget{OrgID: m.OrgID, OrgName: names[m.OrgID]}
			byOrg[m.OrgID] = t
		}
		ver := m.Component.Version
		switch {
		case !known && ver == "":
			ver = "版本未登记"
		case !known:
			ver += "（版本无法识别）"
		}
		t.Matches = append(t.Matches, fenghuo.RiskNoticeMatch{SystemID: m.SystemID, SystemName: m.SystemName,
			Component: m.Component.Name, Version: ver})
	}
	out := make([]fenghuo.RiskNoticeTarget, 0, len(byOrg))
	for _, t := range byOrg {
		out = append(out, *t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].OrgID < out[j].OrgID })
	return out
}
