// Package auditlog holds the use cases of the audit log itself: search and
// verification of the hash chain, and its keeping: the archives of entries
// past the retention and the anchors of the chain's head written outside
// the database.
package auditlog

import (
	"sync"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/audit"
)

// Service is the audit-log capability.
type Service struct {
	core *app.Core

	// mu guards when the scheduler's passes last ran in this process (their
	// state proper is in the database, the archives and the anchor file).
	mu              sync.Mutex
	lastArchivePass time.Time
	lastAnchorPass  time.Time
	// lastAnchor is the head this process anchored last.
	lastAnchor audit.Anchor
	// signer is the audit-signing key once loaded (signingKey).
	signer *audit.Signer
}

// signingKey returns the audit-signing key: the configured one, or the
// one in the configured key file, created when create is set and the file
// does not exist (the first archive). Without either it returns nil.
func (a *Service) signingKey(create bool) (*audit.Signer, error) {
	k := a.core.Config().AuditKeeping
	if k.Signer != nil {
		return k.Signer, nil
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.signer != nil || k.SigningKeyFile == "" {
		return a.signer, nil
	}
	var err error
	if create {
		a.signer, err = audit.LoadOrCreateSigningKey(k.SigningKeyFile)
	} else {
		a.signer, err = audit.LoadSigningKey(k.SigningKeyFile)
	}
	return a.signer, err
}

// New returns the audit-log capability over core.
func New(core *app.Core) *Service { return &Service{core: core} }
