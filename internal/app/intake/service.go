// Package intake receives the events the tools units already run send to
// Fenghuo (Wazuh, Suricata, syslog, generic JSON; issue 14): it registers
// each unit's sensors (intake sources with their tokens and bound syslog
// addresses), stores the normalised events for the deployment's retention,
// runs the detectors on them and gathers what they find into alert groups
// (one per unit, rule and entity over a window), which people triage:
// assign, dismiss with a reason, reopen, or promote to a draft incident
// whose GB/T 20986-2023 category comes from the rule's ATT&CK tags.
//
// Service is the ingest.Sink the HTTP intake and the syslog receiver hand
// their batches to, and the ingest.Resolver that maps a syslog sender's
// address to its source.
package intake

import (
	"sync"
	"sync/atomic"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/app/incident"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/ingest"
)

// Defaults of a deployment.
const (
	// DefaultRetention keeps events this long after they were received.
	DefaultRetention = 90 * 24 * time.Hour
	// MinRetention is the shortest retention a deployment may set.
	MinRetention = 24 * time.Hour
	// DefaultWindow: a match more than this after a group's last event
	// opens a new group.
	DefaultWindow = time.Hour
	// SampleEvents is how many of its latest events a group keeps linked.
	SampleEvents = 20
	// MaxBatch bounds the events of one Accept.
	MaxBatch = 10000
)

// Service is the intake capability.
type Service struct {
	core      *app.Core
	incidents *incident.Service
	detectors []ingest.Detector
	retention time.Duration
	window    time.Duration

	// bound is the syslog resolver's table, loaded on first use and
	// dropped whenever a source changes (and after boundTTL, so that a
	// change made through another replica is seen).
	bound atomic.Pointer[boundTable]
	// sourceLocks serialise detection per source: detectors see one
	// source's events in order, from one goroutine at a time.
	sourceLocks sync.Map // ingest.Source → *sync.Mutex
	// commits queues the batches waiting for the database (commit.go).
	commits committer
}

// New returns the intake capability over core; promotion opens incidents
// through incidents; every accepted event is shown to each detector.
func New(core *app.Core, incidents *incident.Service, detectors ...ingest.Detector) *Service {
	return &Service{core: core, incidents: incidents, detectors: detectors, retention: DefaultRetention, window: DefaultWindow}
}

// SetRetention sets how long events are kept (at least MinRetention).
func (s *Service) SetRetention(d time.Duration) error {
	if d < MinRetention {
		return fenghuo.FieldErrorf("retention", "Keep events at least one day (asked %s). / 事件保留期不得少于1天。", d)
	}
	s.retention = d
	return nil
}

// Retention is how long events are kept.
func (s *Service) Retention() time.Duration { return s.retention }

// SetWindow sets the de-duplication window of alert groups.
func (s *Service) SetWindow(d time.Duration) error {
	if d <= 0 {
		return fenghuo.FieldErrorf("window", "The alert window must be positive. / 告警合并时间窗须大于0。")
	}
	s.window = d
	return nil
}

var (
	_ ingest.Submitter = (*Service)(nil)
	_ ingest.Resolver  = (*Service)(nil)
)
