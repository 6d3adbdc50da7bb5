package web

import (
	"fenghuo/internal/plan"
)

// CategoryName is a category in words only (lists: 网页篡改事件, not
// "IAI"); a code no built-in taxonomy knows shows as itself.
func (v *view) CategoryName(taxonomy, code string) string {
	if code == "" {
		return translate(v.Lang, "incident.category.none")
	}
	if t, ok := plan.BuiltinTaxonomy(taxonomy); ok {
		if c, _, ok := t.Lookup(code); ok {
			return v.Words(c.Name, code)
		}
	}
	return code
}
