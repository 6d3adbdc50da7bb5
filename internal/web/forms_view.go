package web

import (
	"fmt"

	"fenghuo/internal/calendar"
	"fenghuo/internal/plan"
	"fenghuo/internal/store"
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

// ForwardedLine says where and when this office sent a report on:
// "已上报 14:05 至 测试市委网信办" (the date too when not today).
func (v *view) ForwardedLine(d store.Delivery, to string) string {
	at := d.SentAt.In(calendar.Shanghai)
	when := at.Format("15:04")
	if now := v.Now.In(calendar.Shanghai); v.Now.IsZero() || at.Format("2006-01-02") != now.Format("2006-01-02") {
		when = at.Format("01-02 15:04")
	}
	return fmt.Sprintf(v.T("inbox.forwarded.line"), when, to)
}
