package period_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"fenghuo/internal/app/period"
	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
)

// TestShiftChecks refuses shifts whose officer or leader is given twice,
// whose phone is not a number or whose times overlap another shift of the
// office, naming the field in English and Chinese; adjacent shifts and
// other offices' shifts are accepted.
func TestShiftChecks(t *testing.T) {
	e := apptest.New(t)
	ctx := context.Background()
	at := func(s string) time.Time { return apptest.ShanghaiTime(t, s) }
	e.Clock.Set(at("2026-09-18 10:00"))
	commander, _ := e.User(t, "county-commander", "county", fenghuo.RoleCommander)
	county := e.Actor(t, commander)
	officer, _ := e.User(t, "county-duty", "county", fenghuo.RoleDutyOfficer)
	cityCmd, _ := e.User(t, "city-commander", "city", fenghuo.RoleCommander)
	city := e.Actor(t, cityCmd)

	day := period.ShiftInput{StartAt: at("2026-09-25 08:30"), EndAt: at("2026-09-26 08:30")}
	refused := func(name string, in period.ShiftInput, field string) {
		t.Helper()
		_, err := e.App.Periods.AddShift(ctx, county, in)
		errs := fenghuo.FieldErrors(err)
		if len(errs) == 0 {
			t.Errorf("%s: accepted (%v), want a %s error", name, err, field)
			return
		}
		if errs[0].Field != field || !strings.Contains(errs[0].Message, ". / ") || !strings.HasSuffix(errs[0].Message, "。") {
			t.Errorf("%s: %+v, want field %s with an English. / 中文。 message", name, errs, field)
		}
	}
	both := day
	both.OfficerID, both.Officer = officer.ID, "孙值班"
	refused("officer twice", both, "officer")
	both = day
	both.Officer, both.LeaderID, both.Leader = "孙值班", commander.ID, "周主任"
	refused("leader twice", both, "leader")
	long := day
	long.Officer, long.Leader = "孙值班", strings.Repeat("周", 51)
	refused("long leader", long, "leader")
	for _, p := range []string{"call me", "0415", "123456789012345678901", "12-", "-12345", "138 0013 8000 ext", "++8613800138000"} {
		bad := day
		bad.Officer, bad.Phone = "孙值班", p
		refused("phone "+p, bad, "phone")
	}

	first := day
	first.OfficerID, first.LeaderID, first.Phone = officer.ID, commander.ID, "+86 (0415) 123-4567"
	s, err := e.App.Periods.AddShift(ctx, county, first)
	if err != nil {
		t.Fatalf("a good shift: %v", err)
	}
	if s.Officer == "" || s.Leader == "" || s.Phone != "+86 (0415) 123-4567" {
		t.Errorf("shift %+v", s)
	}
	for name, in := range map[string]period.ShiftInput{
		"inside":   {StartAt: at("2026-09-25 12:00"), EndAt: at("2026-09-25 13:00"), Officer: "钱值班"},
		"across":   {StartAt: at("2026-09-26 08:00"), EndAt: at("2026-09-26 20:00"), Officer: "钱值班"},
		"before":   {StartAt: at("2026-09-24 20:00"), EndAt: at("2026-09-25 08:31"), Officer: "钱值班"},
		"covering": {StartAt: at("2026-09-24 08:30"), EndAt: at("2026-09-27 08:30"), Officer: "钱值班"},
	} {
		refused("overlap "+name, in, "start_at")
	}
	// The next shift begins as the first ends; the city rosters the same
	// hours for itself; a mobile without separators is a phone.
	if _, err := e.App.Periods.AddShift(ctx, county, period.ShiftInput{StartAt: day.EndAt, EndAt: day.EndAt.Add(24 * time.Hour),
		Officer: "钱值班", Phone: "13800138000"}); err != nil {
		t.Errorf("the adjacent shift: %v", err)
	}
	if _, err := e.App.Periods.AddShift(ctx, city, period.ShiftInput{StartAt: day.StartAt, EndAt: day.EndAt, Officer: "李值班"}); err != nil {
		t.Errorf("the city's own shift: %v", err)
	}
}
