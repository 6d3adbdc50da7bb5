package period

import (
	"context"
	"time"

	"fenghuo/internal/calendar"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// A daily report covers the 24 hours before its day's cut-off. A 平安
// (nothing happened) report from a unit with an open incident discovered in
// that window is not true: issue 11 item 5 refuses it when filed, and the
// board does not count one filed before the incident was registered as
// 按时报平安.

// BoardContradicted is a 平安 report that an incident of its window
// contradicts.
const BoardContradicted = "contradicted"

// reportWindow is the span a day's report covers: [cut-off − 24 h, cut-off).
func reportWindow(due time.Time) (from, to time.Time) { return due.Add(-24 * time.Hour), due }

// openIncidentsIn returns the open incidents of the subtree of scopeOrg
// discovered in [from, to), newest first, from the scope index (only that
// window's: not the pages of every older incident still open).
func openIncidentsIn(ctx context.Context, tx *store.Tx, scopeOrg int64, from, to time.Time) ([]store.IncidentRow, error) {
	return tx.OpenIncidentsDiscovered(ctx, scopeOrg, from, to)
}

// quietRefusal is the error for a 平安 report that inc contradicts.
func quietRefusal(unit *fenghuo.Org, day string, inc store.IncidentRow) error {
	at := inc.DiscoveredAt.In(calendar.Shanghai).Format("01-02 15:04")
	return fenghuo.FieldErrorf("quiet", "%s cannot report all quiet for %s: incident #%d, discovered %s, is open. List it in the report. / %s%s不能报平安：事件#%d「%s」于%s发现，尚未结束，请在日报中列出该事件。",
		unit.Name, day, inc.ID, at, unit.Name, day, inc.ID, inc.Title, at)
}
