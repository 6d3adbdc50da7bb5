// Package task holds the use cases of an incident's tasks: the playbook
// steps a plan sets going when an incident of a category is reported or a
// response level is activated (InstantiateTx, called in the caller's
// transaction), ad-hoc tasks, their state, comments and evidence. Every
// task has an obligation of kind "task", so the one scheduler reminds its
// owner, escalates it when overdue to the party the plan names, and the
// on-time statistics count it.
package task

import (
	"fenghuo/internal/app"
	"fenghuo/internal/app/incident"
)

// Service is the tasks capability.
type Service struct {
	core      *app.Core
	incidents *incident.Service
}

// New returns the tasks capability over core; incidents gives it the
// incident access rule and the evidence upload.
func New(core *app.Core, incidents *incident.Service) *Service {
	return &Service{core: core, incidents: incidents}
}
