package auth

import "time"

// LoginState is what the store keeps per login name (not per account: see
// LockoutPolicy) between attempts.
type LoginState struct {
	Failures    int       // consecutive failures not yet forgotten
	LastFailure time.Time // time of the latest failure
	LockedUntil time.Time // zero, or the end of a lock
}

// LockoutPolicy throttles and then locks a login name after consecutive
// failures (等保 2.0 asks for login-failure handling). It is a pure function
// of stored state and the time, so several replicas sharing one database
// agree, and a restart forgets nothing.
//
// The caller's contract:
//   - Key the state by the normalised login name the person typed, and keep
//     state for names that match no account too: the same policy then answers
//     the same way for both, so the replies do not reveal which accounts
//     exist. (Check the password of an unknown name with DummyVerify.)
//   - Read the state locked, call Allow, and if allowed store Fail or
//     Succeed, all in one transaction, so that parallel guesses are each
//     counted. The password may be checked before that transaction (a slow
//     hash should not hold the lock), as long as the answer to an attempt
//     the locked Allow refuses does not depend on it.
//   - When Allow refuses, do not check the password. An attempt made during
//     a throttle wait (TooSoon) still counts as a failure (call Fail): a
//     burst of parallel guesses then reaches the lock instead of being
//     answered "wait 5 s" forever. An attempt refused while the name is
//     locked is not counted, so a lock is never extended by knocking on it.
//   - Reply to a refused attempt with the same message whether or not the
//     account exists, and with retryAfter rounded by RoundWait (as
//     Retry-After and in the message, the same figure) so a person knows
//     when to come back.
//   - Delete state for which Forgotten is true, e.g. in a daily job.
type LockoutPolicy struct {
	// ThrottleAfter failures, each further attempt must wait ThrottleDelay,
	// doubled for every failure beyond ThrottleAfter, at most MaxThrottle.
	ThrottleAfter int
	ThrottleDelay time.Duration
	MaxThrottle   time.Duration
	// LockAfter failures, the name is locked for LockFor.
	LockAfter int
	LockFor   time.Duration
	// ForgetAfter without a failure, the failures are forgotten.
	ForgetAfter time.Duration
}

// DefaultLockoutPolicy: after 5 failures wait 5 s, then 10, 20, 40, 80 s;
// after 10 failures locked 30 minutes; failures forgotten after 24 hours
// without one. A person who mistypes a few times barely notices; a guesser
// gets about 10 tries per half hour instead of thousands.
func DefaultLockoutPolicy() LockoutPolicy {
	return LockoutPolicy{
		ThrottleAfter: 5,
		ThrottleDelay: 5 * time.Second,
		MaxThrottle:   5 * time.Minute,
		LockAfter:     10,
		LockFor:       30 * time.Minute,
		ForgetAfter:   24 * time.Hour,
	}
}

// Allow reports whether an attempt may be checked now and, if not, how long
// until it may.
func (p LockoutPolicy) Allow(s LoginState, now time.Time) (ok bool, retryAfter time.Duration) {
	s = p.current(s, now)
	if now.Before(s.LockedUntil) {
		return false, s.LockedUntil.Sub(now)
	}
	if s.Failures >= p.ThrottleAfter && s.Failures < p.LockAfter {
		if next := s.LastFailure.Add(p.throttle(s.Failures)); now.Before(next) {
			return false, next.Sub(now)
		}
	}
	return true, 0
}

// TooSoon reports whether Allow refuses an attempt at now only because the
// throttle wait after the last failure has not passed (the name is not
// locked). Such an attempt counts as a failure without its password being
// checked.
func (p LockoutPolicy) TooSoon(s LoginState, now time.Time) bool {
	s = p.current(s, now)
	ok, _ := p.Allow(s, now)
	return !ok && !now.Before(s.LockedUntil)
}

// Fail returns the state after a failed attempt at now. After a lock has run
// out the failures are still counted, so the next failure locks again at
// once: one guess per LockFor until a success or ForgetAfter of quiet.
func (p LockoutPolicy) Fail(s LoginState, now time.Time) LoginState {
	s = p.current(s, now)
	s.Failures++
	s.LastFailure = now
	if s.Failures >= p.LockAfter {
		s.LockedUntil = now.Add(p.LockFor)
	}
	return s
}

// Succeed returns the state after a successful login: everything forgotten.
func (p LockoutPolicy) Succeed(LoginState) LoginState {
	return LoginState{}
}

// Forgotten reports whether s carries no information any more at now, so the
// store may delete it.
func (p LockoutPolicy) Forgotten(s LoginState, now time.Time) bool {
	return p.current(s, now) == LoginState{}
}

// current drops failures older than ForgetAfter, unless a lock still runs.
func (p LockoutPolicy) current(s LoginState, now time.Time) LoginState {
	if !now.Before(s.LockedUntil) && !now.Before(s.LastFailure.Add(p.ForgetAfter)) {
		return LoginState{}
	}
	return s
}

// throttle is the wait after the given number of failures.
func (p LockoutPolicy) throttle(failures int) time.Duration {
	d := p.ThrottleDelay
	for i := p.ThrottleAfter; i < failures && d < p.MaxThrottle; i++ {
		d *= 2
	}
	return min(d, p.MaxThrottle)
}
