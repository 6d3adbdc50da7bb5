// Package account holds the use cases of people and their credentials:
// users, log-in with its throttle, sessions, TOTP, API tokens and the
// password.
package account

import (
	"context"
	"net"

	"fenghuo/internal/app"
	"fenghuo/internal/auth"
)

// Service is the accounts capability.
type Service struct {
	core    *app.Core
	lockout auth.LockoutPolicy
	sources auth.SourcePolicy
	// hashSlots bounds concurrent password hashing: each argon2id run holds
	// 64 MiB, and a burst of log-ins must not exhaust memory.
	hashSlots chan struct{}
	// logins lets one log-in per name at a time through this process, so
	// that a burst of guesses at one name is refused before hashing
	// instead of after (see Login).
	logins nameGate
}

// New returns the accounts capability over core.
func New(core *app.Core) *Service {
	return &Service{core: core, lockout: auth.DefaultLockoutPolicy(), sources: auth.DefaultSourcePolicy(),
		hashSlots: make(chan struct{}, 4)}
}

// withHashSlot runs fn while holding one of the password-hashing slots.
func (a *Service) withHashSlot(ctx context.Context, fn func()) error {
	select {
	case a.hashSlots <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-a.hashSlots }()
	fn()
	return nil
}

// adminAllowed reports whether an administrator may log in from ip.
func (a *Service) adminAllowed(ip string) bool {
	if len(a.core.Config().AdminNetworks) == 0 {
		return true
	}
	addr := net.ParseIP(ip)
	for _, n := range a.core.Config().AdminNetworks {
		if addr != nil && n.Contains(addr) {
			return true
		}
	}
	return false
}
