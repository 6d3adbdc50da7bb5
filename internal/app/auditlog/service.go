// Package auditlog holds the use cases of the audit log itself: search and
// verification of the hash chain.
package auditlog

import (
	"fenghuo/internal/app"
)

// Service is the audit-log capability.
type Service struct {
	core *app.Core
}

// New returns the audit-log capability over core.
func New(core *app.Core) *Service { return &Service{core: core} }
