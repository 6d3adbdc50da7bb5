package web

import (
	"strings"
	"testing"
	"time"

	"fenghuo/internal/app/response"
	"fenghuo/internal/store"
)

// An open duty gap reads as ongoing with how long, never "11:50 – 11:50";
// a closed one shows its real end.
func TestDutyGapWords(t *testing.T) {
	from := time.Date(2026, 12, 7, 3, 50, 0, 0, time.UTC) // 11:50 Beijing
	now := from.Add(2*time.Hour + 10*time.Minute)
	open := response.DutyCover{Duty: store.ResponseDuty{StartsAt: from}, UncoveredNow: true,
		Gaps: []response.Gap{{From: from, To: now}}}
	zh, en := &view{Lang: langZH, Now: now}, &view{Lang: langEN, Now: now}
	if got := zh.DutyGap(open, open.Gaps[0]); got != "自 2026-12-07 11:50 起无人值守，已 2 小时 10 分" {
		t.Errorf("open gap: %q", got)
	}
	if got := en.DutyGap(open, open.Gaps[0]); got != "Nobody on duty since 2026-12-07 11:50 (2 h 10 min so far)" {
		t.Errorf("open gap (en): %q", got)
	}
	// Just opened: still ongoing, not a zero-length stretch.
	fresh := response.DutyCover{Duty: store.ResponseDuty{StartsAt: from}, UncoveredNow: true, Gaps: []response.Gap{{From: from, To: from.Add(20 * time.Second)}}}
	if got := (&view{Lang: langZH, Now: from.Add(30 * time.Second)}).DutyGap(fresh, fresh.Gaps[0]); strings.Contains(got, "–") || !strings.Contains(got, "起无人值守") {
		t.Errorf("fresh gap: %q", got)
	}
	closed := response.DutyCover{Duty: store.ResponseDuty{StartsAt: from, EndsAt: now}, Gaps: []response.Gap{{From: from, To: from.Add(70 * time.Minute)}}}
	if got := zh.DutyGap(closed, closed.Gaps[0]); got != "无人值班时段 2026-12-07 11:50 – 13:00" {
		t.Errorf("closed gap: %q", got)
	}
	// An earlier gap of a still-uncovered duty is closed.
	two := response.DutyCover{Duty: store.ResponseDuty{StartsAt: from}, UncoveredNow: true,
		Gaps: []response.Gap{{From: from, To: from.Add(time.Hour)}, {From: from.Add(90 * time.Minute), To: now}}}
	if got := zh.DutyGap(two, two.Gaps[0]); got != "无人值班时段 2026-12-07 11:50 – 12:50" {
		t.Errorf("earlier gap: %q", got)
	}
	if got := zh.DutyGap(two, two.Gaps[1]); got != "自 2026-12-07 13:20 起无人值守，已 40 分" {
		t.Errorf("current gap: %q", got)
	}
}
