package scheduler_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"fenghuo/internal/apptest"
	"fenghuo/internal/calendar"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// The yearly drill duty's reminder on 1 December (the default listing
// date) leads to the drills page, where the unit files its drill, and says
// how long is left in days. It once linked to /obligations, which the
// console does not serve, and read "剩余744小时0分钟".
func TestDrillDutyReminder(t *testing.T) {
	e := apptest.New(t)
	ctx := context.Background()
	if _, err := e.App.Scheduler.Tick(ctx); err != nil { // opens the 2026 duties
		t.Fatal(err)
	}
	e.Clock.Set(time.Date(2026, 12, 1, 0, 0, 0, 0, calendar.Shanghai))
	if _, err := e.App.Scheduler.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	ns, err := e.DB.Notifications(ctx, e.Orgs["school"].ID, -1, 100)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, n := range ns {
		if n.Kind == "obligation.reminder" && strings.Contains(n.Title, "2026年度应急演练") {
			found = true
			if n.Link != "/drills" || !strings.Contains(n.Title, "剩余31天") || strings.Contains(n.Title, "小时") {
				t.Errorf("drill reminder: %q → %q", n.Title, n.Link)
			}
		}
	}
	if !found {
		t.Errorf("no drill reminder on 1 December: %+v", ns)
	}
}

// A pass that runs only after the deadline (the server was down over both
// the reminder and the deadline) sends the overdue notice alone, not a
// reminder reading "剩余0分钟" beside it.
func TestNoReminderAfterTheDeadline(t *testing.T) {
	for _, engine := range schedEngines() {
		t.Run(string(engine), func(t *testing.T) {
			ctx := context.Background()
			t0 := time.Date(2026, 11, 20, 9, 0, 0, 0, calendar.Shanghai)
			e := newSchedEnv(t, engine, func() time.Time { return t0.Add(3 * time.Hour) })
			o := &fenghuo.Obligation{Kind: "warning_ack", OwnerOrgID: e.unit.ID, RecipientOrgID: e.county.ID,
				RecipientName: e.county.Name, Title: "签收预警", RemindAt: t0.Add(-time.Hour), DueAt: t0}
			if err := e.db.WithTx(ctx, func(tx *store.Tx) error { return tx.CreateObligation(ctx, o) }); err != nil {
				t.Fatal(err)
			}
			if _, err := e.app.Scheduler.Tick(ctx); err != nil {
				t.Fatal(err)
			}
			ns, err := e.db.Notifications(ctx, e.unit.ID, -1, 100)
			if err != nil {
				t.Fatal(err)
			}
			kinds := map[string]int{}
			for _, n := range ns {
				kinds[n.Kind]++
			}
			if kinds["obligation.reminder"] != 0 || kinds["obligation.overdue"] != 1 {
				t.Errorf("notices after a late pass: %v", kinds)
			}
		})
	}
}
