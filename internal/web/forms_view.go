package web

import (
	"fmt"
	"strconv"
	"strings"

	"fenghuo/internal/app/period"
	"fenghuo/internal/calendar"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/plan"
	"fenghuo/internal/store"
)

// CategoryName is a category in words only (lists: 网页篡改事件, not
// "IAI"), from the given taxonomy or, when it is empty or does not know
// the code (counts carry the code alone), any built-in one; a code no
// built-in taxonomy knows shows as itself.
func (v *view) CategoryName(taxonomy, code string) string {
	if code == "" {
		return translate(v.Lang, "incident.category.none")
	}
	for _, id := range append([]string{taxonomy}, plan.TaxonomyIDs()...) {
		if t, ok := plan.BuiltinTaxonomy(id); ok {
			if c, _, ok := t.Lookup(code); ok {
				return v.Words(c.Name, code)
			}
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

// sentFlash confirms a report just filed (?sent=ID on the reports tab):
// its kind and the offices it was delivered to, "初报已报送：甲县委网信办、…".
// An unknown id says nothing.
func sentFlash(lang, sent string, reports []fenghuo.Report, deliveries []store.Delivery, orgs map[int64]string) string {
	id, err := strconv.ParseInt(sent, 10, 64)
	if err != nil {
		return ""
	}
	kind := ""
	for _, r := range reports {
		if r.ID == id {
			kind = translate(lang, "report.kind."+r.Kind)
		}
	}
	if kind == "" {
		return ""
	}
	to := reportRecipients(id, deliveries, orgs)
	if len(to) == 0 {
		return fmt.Sprintf(translate(lang, "report.sent.nowhere"), kind)
	}
	sep := "、"
	if lang == langEN {
		sep = ", "
	}
	return fmt.Sprintf(translate(lang, "report.sent.to"), kind, strings.Join(to, sep))
}

// reportRecipients names the offices a report was delivered to by its
// filer (not those an office sent it on to).
func reportRecipients(reportID int64, deliveries []store.Delivery, orgs map[int64]string) []string {
	var to []string
	for _, d := range deliveries {
		if d.ReportID == reportID && d.ForwardedFrom == 0 {
			to = append(to, orgs[d.ToOrgID])
		}
	}
	return to
}

// ReportRecipients is reportRecipients for the reports tab's rows.
func (v *view) ReportRecipients(reportID int64, deliveries []store.Delivery, orgs map[int64]string) string {
	to := reportRecipients(reportID, deliveries, orgs)
	if len(to) == 0 {
		return "—"
	}
	if v.Lang == langEN {
		return strings.Join(to, ", ")
	}
	return strings.Join(to, "、")
}

// chaseFlash says whom a chase (催报) reached, in the reader's language.
func chaseFlash(lang string, r *period.ChaseResult) string {
	sep := "、"
	if lang == langEN {
		sep = ", "
	}
	var parts []string
	if len(r.Accounts) > 0 {
		parts = append(parts, fmt.Sprintf(translate(lang, "chase.accounts"), len(r.Accounts), strings.Join(r.Accounts, sep)))
	} else {
		parts = append(parts, translate(lang, "chase.noaccounts"))
	}
	if len(r.Channels) > 0 {
		parts = append(parts, translate(lang, "chase.channels")+strings.Join(r.Channels, sep))
	}
	if r.Email != "" {
		parts = append(parts, translate(lang, "chase.email")+r.Email)
	}
	join := "；"
	if lang == langEN {
		join = "; "
	}
	return fmt.Sprintf(translate(lang, "chase.done"), r.Unit, strings.Join(parts, join))
}
