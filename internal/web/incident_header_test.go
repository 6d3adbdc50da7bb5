package web

import (
	"testing"
	"time"

	"fenghuo/internal/fenghuo"
)

func TestCountdownText(t *testing.T) {
	for _, c := range []struct {
		d    time.Duration
		want string
	}{
		{2 * time.Hour, "2:00:00"},
		{time.Hour + 59*time.Minute + 59*time.Second + 400*time.Millisecond, "1:59:59"},
		{5 * time.Second, "0:00:05"},
		{-5*time.Minute - 3*time.Second, "-0:05:03"},
		{-26 * time.Hour, "-26:00:00"},
		{0, "0:00:00"},
	} {
		if got := countdownText(c.d); got != c.want {
			t.Errorf("countdownText(%v) = %q, want %q", c.d, got, c.want)
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
	if !hd.NextOverdue() || hd.Left() != "-0:02:00" {
		t.Errorf("overdue %v, left %q", hd.NextOverdue(), hd.Left())
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
