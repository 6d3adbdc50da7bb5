package auth

import (
	"testing"
	"time"
)

func TestSourcePolicy(t *testing.T) {
	p := SourcePolicy{Burst: 3, Interval: time.Minute}
	var tat time.Time
	now := now0
	for i := range 3 {
		if ok, _ := p.Allow(tat, now); !ok {
			t.Fatalf("failure %d refused", i+1)
		}
		tat = p.Fail(tat, now)
	}
	if ok, wait := p.Allow(tat, now); ok || wait != time.Minute {
		t.Fatalf("after the burst: %v %v, want refused for 1 min", ok, wait)
	}
	now = now.Add(40 * time.Second)
	if ok, wait := p.Allow(tat, now); ok || wait != 20*time.Second {
		t.Fatalf("40 s later: %v %v", ok, wait)
	}
	now = now.Add(20 * time.Second)
	if ok, _ := p.Allow(tat, now); !ok {
		t.Fatal("a minute later: refused")
	}
	tat = p.Fail(tat, now)
	if ok, _ := p.Allow(tat, now); ok {
		t.Fatal("one failure per minute after the burst, got two")
	}
	// A quiet hour fills the bucket again, and no more.
	now = now.Add(time.Hour)
	for i := range 3 {
		if ok, _ := p.Allow(tat, now); !ok {
			t.Fatalf("after an hour, failure %d refused", i+1)
		}
		tat = p.Fail(tat, now)
	}
	if ok, _ := p.Allow(tat, now); ok {
		t.Fatal("the bucket holds more than Burst")
	}
}

func TestSourceKey(t *testing.T) {
	for in, want := range map[string]string{
		"192.0.2.7":            "192.0.2.7",
		"::ffff:192.0.2.7":     "192.0.2.7",
		"2001:db8:1:2::1":      "2001:db8:1:2::/64",
		"2001:db8:1:2:ffff::9": "2001:db8:1:2::/64",
		"2001:db8:1:3::1":      "2001:db8:1:3::/64",
		"fe80::1%eth0":         "fe80::/64",
		"":                     "unknown",
		"not-an-address":       "unknown",
		"192.0.2.7:8080":       "unknown",
	} {
		if got := SourceKey(in); got != want {
			t.Errorf("SourceKey(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRoundWait(t *testing.T) {
	for in, want := range map[time.Duration]time.Duration{
		0:                                time.Second,
		time.Millisecond:                 time.Second,
		4*time.Second + time.Millisecond: 5 * time.Second,
		5 * time.Second:                  5 * time.Second,
		time.Minute:                      time.Minute,
		time.Minute + time.Millisecond:   2 * time.Minute,
		29*time.Minute + 59*time.Second:  30 * time.Minute,
	} {
		if got := RoundWait(in); got != want {
			t.Errorf("RoundWait(%v) = %v, want %v", in, got, want)
		}
	}
}
