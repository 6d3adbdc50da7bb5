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
}

// New returns the audit-log capability over core.
func New(core *app.Core) *Service { return &Service{core: core} }
