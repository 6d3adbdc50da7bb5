// Package directory holds the use cases of the org tree and the register of
// information systems: orgs, their plans, systems and the register import.
package directory

import "fenghuo/internal/app"

// Service is the directory capability.
type Service struct {
	core *app.Core
}

// New returns the directory capability over core.
func New(core *app.Core) *Service { return &Service{core: core} }
