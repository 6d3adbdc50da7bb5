// Package warning holds the use cases of early warnings (预警): issuing
// under the plan's issuer rules, proposals to the higher office, colour
// changes, lifting, and the targets' acknowledgements and measures.
package warning

import "fenghuo/internal/app"

// Service is the warnings capability.
type Service struct {
	core *app.Core
}

// New returns the warnings capability over core.
func New(core *app.Core) *Service { return &Service{core: core} }
