// Package notification delivers what the core's NotifyOrg queued: the
// job runner that fans a notification out to its org's channels and sends
// each delivery with retries, the channels themselves, and the delivery log.
package notification

import "fenghuo/internal/app"

// Service is the notification-delivery capability.
type Service struct {
	core *app.Core
}

// New returns the notification-delivery capability over core.
func New(core *app.Core) *Service { return &Service{core: core} }
