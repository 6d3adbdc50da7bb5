package web

import (
	"testing"
	"time"

	"fenghuo/internal/calendar"
	"fenghuo/internal/fenghuo"
)

func TestCountdownText(t *testing.T) {
	for _, c := range []struct {
		d      time.Duration
		zh, en string
	}{
		{2 * time.Hour, "2:00:00", "2:00:00"},
		{time.Hour + 59*time.Minute + 59*time.Second + 400*time.Millisecond, "1:59:59", "1:59:59"},
		{5 * time.Second, "0:00:05", "0:00:05"},
		{0, "0:00:00", "0:00:00"},
		{23*time.Hour + 59*time.Minute + 59*time.Second, "23:59:59", "23:59:59"},
		// Beyond a day: days, then hours and minutes (was "705:35:46").
		{705*time.Hour + 35*time.Minute + 46*time.Second, "29天 09:35", "29 d 09:35"},
		{24 * time.Hour, "1天 00:00", "1 d 00:00"},
		// Overdue: how long, in words (was "-3:11:08").
		{-(3*time.Hour + 11*time.Minute + 8*time.Second), "已逾期 3小时11分", "overdue 3 h 11 min"},
		{-5*time.Minute - 3*time.Second, "已逾期 5分钟", "overdue 5 min"},
		{-26 * time.Hour, "已逾期 1天2小时", "overdue 1 d 2 h"},
	} {
		if got := countdownText(langZH, c.d); got != c.zh {
			t.Errorf("countdownText(zh, %v) = %q, want %q", c.d, got, c.zh)
		}
		if got := countdownText(langEN, c.d); got != c.en {
			t.Errorf("countdownText(en, %v) = %q, want %q", c.d, got, c.en)
		}
	}
}

func TestDueTimeMidnight(t *testing.T) {
	sh := calendar.Shanghai
	for _, c := range []struct {
		at   time.Time
		want string
	}{
		{time.Date(2027, 1, 7, 0, 0, 0, 0, sh), "2027-01-06 24:00"},
		{time.Date(2027, 3, 1, 0, 0, 0, 0, sh), "2027-02-28 24:00"},
		{time.Date(2027, 1, 7, 0, 1, 0, 0, sh), "2027-01-07 00:01"},
		{time.Date(2027, 1, 6, 16, 0, 0, 0, time.UTC), "2027-01-06 24:00"},
		{time.Date(2027, 1, 6, 17, 30, 0, 0, sh), "2027-01-06 17:30"},
		{time.Time{}, "—"},
	} {
		if got := dueTime(c.at); got != c.want {
			t.Errorf("dueTime(%v) = %q, want %q", c.at, got, c.want)
		}
	}
}

func TestNextDeadline(t *testing.T) {
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	obs := []fenghuo.Obligation{
		{ID: 1, State: fenghuo.ObligationOpen, DueAt: now.Add(2 * time.Hour)},
		{ID: 2, State: "on_time", DueAt: now.Add(-3 * time.Hour)},            // done: ignored
		{ID: 3, State: fenghuo.ObligationOpen, DueAt: now.Add(-time.Minute)}, // overdue: first
		{ID: 4, State: fenghuo.ObligationOpen, Urgency: "immediately"},       // no due time
		{ID: 5, State: fenghuo.ObligationOpen, DueAt: now.Add(-2 * time.Minute)},
		{ID: 6, State: fenghuo.ObligationOpen, Kind: "task"}, // a task without a deadline: to do, not urgent
		{ID: 7, State: fenghuo.ObligationOpen, Kind: "task"},
	}
	next, immediate, untimed, overdue := nextDeadline(obs, now)
	if next == nil || next.ID != 5 || immediate != 1 || untimed != 2 || overdue != 2 {
		t.Fatalf("next %+v, immediate %d, untimed %d, overdue %d; want #5, 1, 2, 2", next, immediate, untimed, overdue)
	}
	hd := &incidentHeader{Next: next, Now: now}
	if !hd.NextOverdue() || hd.Left(langZH) != "已逾期 2分钟" {
		t.Errorf("overdue %v, left %q", hd.NextOverdue(), hd.Left(langZH))
	}
	if next, _, _, _ := nextDeadline(obs[1:2], now); next != nil {
		t.Errorf("a done obligation is the next deadline: %+v", next)
	}
}

func TestResponseLabel(t *testing.T) {
	zh, en := &view{Lang: langZH}, &view{Lang: langEN}
	none := &incidentHeader{}
	if got := zh.ResponseLabel(none); got != "未启动" {
		t.Errorf("no response: %q", got)
	}
	active := &fenghuo.ResponseActivation{Level: fenghuo.GradeII, State: fenghuo.ResponseActive}
	hd := &incidentHeader{Response: active, LastResponse: active}
	if got := zh.ResponseLabel(hd); got != "Ⅱ级响应（已启动）" {
		t.Errorf("active: %q", got)
	}
	if got := en.ResponseLabel(hd); got != "Level II response (in force)" {
		t.Errorf("active (en): %q", got)
	}
	ended := &fenghuo.ResponseActivation{Level: fenghuo.GradeIII, State: fenghuo.ResponseEnded}
	if got := zh.ResponseLabel(&incidentHeader{LastResponse: ended}); got != "Ⅲ级响应（已结束）" {
		t.Errorf("ended: %q", got)
	}
	refused := &fenghuo.ResponseActivation{Level: fenghuo.GradeI, State: fenghuo.ResponseRefused}
	if got := zh.ResponseLabel(&incidentHeader{LastResponse: refused}); got != "未启动" {
		t.Errorf("refused only: %q", got)
	}
	for k, m := range incidentPageMessages {
		if m[0] == "" || m[1] == "" {
			t.Errorf("%s lacks words", k)
		}
		if translate(langZH, k) != m[0] {
			t.Errorf("%s is not in the console's messages", k)
		}
	}
}
