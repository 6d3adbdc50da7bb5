package scheduler_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"fenghuo/internal/apptest"
	"fenghuo/internal/calendar"
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
