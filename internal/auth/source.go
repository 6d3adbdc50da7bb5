package auth

import (
	"net/netip"
	"time"
)

// SourcePolicy limits failed log-ins per client address, across every user
// name: LockoutPolicy alone counts per name, so one address trying a few
// passwords against many names (password spraying) was never slowed down.
//
// It is a token bucket kept as one timestamp (the generic cell rate
// algorithm): Burst failures may come at once, then one more per Interval.
// The stored state is the "theoretical arrival time" (TAT): the moment the
// bucket would be full again. Like LockoutPolicy it is a pure function of
// the stored state and the time, so replicas sharing a database agree and a
// restart forgets nothing; the caller's contract is the same (read the state
// locked, call Allow, check, store Fail, all in one transaction; do not call
// Fail for an attempt Allow refused).
type SourcePolicy struct {
	Burst    int
	Interval time.Duration
}

// DefaultSourcePolicy: 20 failed log-ins from one address at once, then one
// more per minute (60 an hour). An office behind one NAT address, whose
// people mistype now and then, is not held up; a sprayer gets 20 guesses,
// then 60 an hour instead of thousands.
func DefaultSourcePolicy() SourcePolicy {
	return SourcePolicy{Burst: 20, Interval: time.Minute}
}

// Allow reports whether an attempt from a source whose bucket is full again
// at tat may be checked now and, if not, how long until it may.
func (p SourcePolicy) Allow(tat, now time.Time) (ok bool, retryAfter time.Duration) {
	// The attempt is allowed while fewer than Burst failures are pending.
	limit := tat.Add(-time.Duration(p.Burst-1) * p.Interval)
	if now.Before(limit) {
		return false, limit.Sub(now)
	}
	return true, 0
}

// Fail returns the new TAT after a failed attempt at now.
func (p SourcePolicy) Fail(tat, now time.Time) time.Time {
	if tat.Before(now) {
		tat = now
	}
	return tat.Add(p.Interval)
}

// SourceKey is the address a throttle counts under: the IP address, with
// IPv4-mapped IPv6 as IPv4, and IPv6 cut to its /64 (one subscriber or host
// usually holds a whole /64, so counting single IPv6 addresses would let it
// rotate freely). Anything that is not an address counts as "unknown".
func SourceKey(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return "unknown"
	}
	a = a.Unmap().WithZone("")
	if a.Is6() {
		p, err := a.Prefix(64)
		if err == nil {
			return p.String()
		}
	}
	return a.String()
}

// RoundWait rounds a time to wait up to what a person is told and the
// Retry-After header says: whole seconds up to a minute, whole minutes
// beyond. Both come from the one rounded value, so they agree.
func RoundWait(d time.Duration) time.Duration {
	if d <= 0 {
		return time.Second
	}
	unit := time.Second
	if d > time.Minute {
		unit = time.Minute
	}
	return (d + unit - 1) / unit * unit
}
