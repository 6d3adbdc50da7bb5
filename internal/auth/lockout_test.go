package auth

import (
	"testing"
	"time"
)

var now0 = time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)

// TestLockoutSchedule plays attempts against the default policy with a
// moving clock: each step either fails, succeeds, or only asks Allow.
func TestLockoutSchedule(t *testing.T) {
	type step struct {
		at        time.Duration // since now0
		action    string        // "fail", "succeed" or "" (ask only)
		wantAllow bool
		wantRetry time.Duration
	}
	fails := func(n int, from time.Duration) []step {
		var s []step
		for i := range n {
			s = append(s, step{at: from + time.Duration(i)*time.Second, action: "fail", wantAllow: true})
		}
		return s
	}
	nine := LoginState{Failures: 9, LastFailure: now0}
	tests := []struct {
		name  string
		start LoginState
		steps []step
	}{
		{"four failures are free", LoginState{}, append(fails(4, 0), step{at: 4 * time.Second, wantAllow: true})},
		{"fifth failure throttles 5 s", LoginState{}, append(fails(5, 0),
			step{at: 4 * time.Second, wantAllow: false, wantRetry: 5 * time.Second},
			step{at: 8 * time.Second, wantAllow: false, wantRetry: time.Second},
			step{at: 9 * time.Second, wantAllow: true})},
		{"throttle doubles", LoginState{}, append(fails(5, 0),
			step{at: 9 * time.Second, action: "fail", wantAllow: true}, // 6th
			step{at: 10 * time.Second, wantAllow: false, wantRetry: 9 * time.Second},
			step{at: 19 * time.Second, action: "fail", wantAllow: true}, // 7th
			step{at: 20 * time.Second, wantAllow: false, wantRetry: 19 * time.Second})},
		{"tenth failure locks 30 min", LoginState{}, append(fails(5, 0),
			step{at: 1 * time.Minute, action: "fail", wantAllow: true},
			step{at: 2 * time.Minute, action: "fail", wantAllow: true},
			step{at: 3 * time.Minute, action: "fail", wantAllow: true},
			step{at: 5 * time.Minute, action: "fail", wantAllow: true},
			step{at: 10 * time.Minute, action: "fail", wantAllow: true}, // 10th
			step{at: 11 * time.Minute, wantAllow: false, wantRetry: 29 * time.Minute},
			step{at: 40 * time.Minute, wantAllow: true},
			step{at: 40 * time.Minute, action: "fail", wantAllow: true}, // relocks at once
			step{at: 41 * time.Minute, wantAllow: false, wantRetry: 29 * time.Minute})},
		{"success resets", LoginState{}, append(fails(5, 0),
			step{at: 10 * time.Second, action: "succeed", wantAllow: true},
			step{at: 11 * time.Second, action: "fail", wantAllow: true},
			step{at: 12 * time.Second, wantAllow: true})},
		{"failures forgotten after 24 h", nine, []step{
			{at: 24 * time.Hour, action: "fail", wantAllow: true},
			{at: 24*time.Hour + time.Second, wantAllow: true}}},
		{"not forgotten within 24 h", nine, []step{
			{at: 23 * time.Hour, action: "fail", wantAllow: true},
			{at: 23*time.Hour + time.Minute, wantAllow: false, wantRetry: 29 * time.Minute}}},
	}
	p := DefaultLockoutPolicy()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := tt.start
			for i, st := range tt.steps {
				now := now0.Add(st.at)
				ok, retry := p.Allow(s, now)
				if ok != st.wantAllow || retry != st.wantRetry {
					t.Fatalf("step %d at %v: Allow = %v, %v; want %v, %v (state %+v)", i, st.at, ok, retry, st.wantAllow, st.wantRetry, s)
				}
				switch st.action {
				case "fail":
					s = p.Fail(s, now)
				case "succeed":
					s = p.Succeed(s)
				}
			}
		})
	}
}

func TestThrottleIsCapped(t *testing.T) {
	p := DefaultLockoutPolicy()
	p.LockAfter = 100 // throttle only
	var s LoginState
	for i := range 30 {
		s = p.Fail(s, now0.Add(time.Duration(i)*time.Hour))
	}
	if ok, retry := p.Allow(s, s.LastFailure); ok || retry != p.MaxThrottle {
		t.Fatalf("Allow = %v, %v; want wait of %v", ok, retry, p.MaxThrottle)
	}
}

func TestForgotten(t *testing.T) {
	p := DefaultLockoutPolicy()
	s := p.Fail(LoginState{}, now0)
	tests := []struct {
		state LoginState
		at    time.Time
		want  bool
	}{
		{LoginState{}, now0, true},
		{s, now0.Add(time.Hour), false},
		{s, now0.Add(24 * time.Hour), true},
		{LoginState{Failures: 10, LastFailure: now0, LockedUntil: now0.Add(48 * time.Hour)}, now0.Add(25 * time.Hour), false},
	}
	for i, tt := range tests {
		if got := p.Forgotten(tt.state, tt.at); got != tt.want {
			t.Errorf("%d: Forgotten = %v, want %v", i, got, tt.want)
		}
	}
}
