// Package services builds every capability of the application over one
// core, so that the server, the command line and the tests wire the use
// cases in one call.
package services

import (
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/app/account"
	"fenghuo/internal/app/aftermath"
	"fenghuo/internal/app/auditlog"
	"fenghuo/internal/app/awareness"
	"fenghuo/internal/app/demo"
	"fenghuo/internal/app/detection"
	"fenghuo/internal/app/directory"
	"fenghuo/internal/app/drill"
	"fenghuo/internal/app/exposure"
	"fenghuo/internal/app/finding"
	"fenghuo/internal/app/incident"
	"fenghuo/internal/app/inspection"
	"fenghuo/internal/app/intake"
	"fenghuo/internal/app/intel"
	"fenghuo/internal/app/monitoring"
	"fenghuo/internal/app/notification"
	"fenghuo/internal/app/period"
	"fenghuo/internal/app/planadmin"
	"fenghuo/internal/app/response"
	"fenghuo/internal/app/risknotice"
	"fenghuo/internal/app/scheduler"
	"fenghuo/internal/app/signing"
	"fenghuo/internal/app/statistics"
	"fenghuo/internal/app/task"
	"fenghuo/internal/app/warning"
	"fenghuo/internal/store"
)

// Services are the application's capabilities over one shared core. The
// router holds them; each handler uses the capability it serves.
type Services struct {
	Core          *app.Core
	Accounts      *account.Service
	Directory     *directory.Service
	AuditLog      *auditlog.Service
	Incidents     *incident.Service
	Monitoring    *monitoring.Service
	Warnings      *warning.Service
	Periods       *period.Service
	Notifications *notification.Service
	Scheduler     *scheduler.Service
	Demo          *demo.Service
	// Tasks: playbook and ad-hoc tasks of incidents (task capability).
	Tasks *task.Service
	// Response levels (R1).
	Response *response.Service
	// Aftermath: recovery plan, investigation and summary reports with
	// their approval chains, improvement measures, accountability records.
	Aftermath *aftermath.Service

	// Plans edited in the product (issue 11 item 7): review, versions,
	// and the registry's stored versions.
	PlanAdmin *planadmin.Service

	// Findings (隐患) ledger (issue 12, P1): RaiseTx is how inspections,
	// risk notices, monitoring and exposure checks record a finding.
	Findings *finding.Service

	// Risk notices (issue 12, P3): notices targeted by component version.
	RiskNotices *risknotice.Service
	// Exposure checks (issue 12, P4): high-risk ports on registered
	// exposure, raising findings.
	Exposure *exposure.Service
	// Drills, training and publicity, capability score card (issue 12, P5).
	Drills *drill.Service
	// Inspection campaigns (issue 12, P2): checklists as versions,
	// campaigns, units' answers; non-compliant answers raise findings.
	Inspections *inspection.Service
	// Situational awareness per level (issue 13 item 1): the home screens,
	// the wall and GET /api/v1/awareness.
	Awareness *awareness.Service
	// Statistics (issue 13 items 4 and 8): counts over a range for the
	// charts, the period grid and the monthly and annual 通报.
	Statistics *statistics.Service
	// Alerts from the tools units run (issue 14): intake sources, events,
	// alert groups and their triage; the ingest.Sink and ingest.Resolver
	// of the HTTP intake and the syslog receiver.
	Intake *intake.Service
	// Detection rules (issue 14 item 3): Sigma rule sets enabled per org and
	// uploaded rules; Detection.Detector() is the engine intake runs.
	Detection *detection.Service
	// IOC library (issue 14 item 5): indicators shared under TLP; its
	// Detector() is the IOC matcher the intake runs on every event.
	Intel *intel.Service
	// SM2 signing keys of the offices (issue 15 item 1): publication,
	// rotation, the signature on every export and the check of a received
	// document.
	Signing *signing.Service
}

// LeaseKeeping is the lease of the scheduler's keeping passes (the audit
// log's archives and anchors, the intake's retention): with several
// replicas on one database they run on one replica at a time.
const LeaseKeeping = "scheduler.keeping"

// New builds the core and every capability over it.
func New(d app.Deps) *Services {
	c := app.New(d)
	incidents := incident.New(c)
	warnings := warning.New(c)
	periods := period.New(c, warnings)
	s := &Services{Core: c, Accounts: account.New(c), Directory: directory.New(c), AuditLog: auditlog.New(c),
		Incidents: incidents, Monitoring: monitoring.New(c, incidents),
		Warnings: warnings, Periods: periods, Notifications: notification.New(c), Scheduler: scheduler.New(c), Demo: demo.New(c, incidents, warnings, periods)}
	// Task capability: report playbooks are instantiated when an incident is created or re-graded.
	s.Tasks = task.New(c, incidents)
	incidents.SetReportHook(s.Tasks.OnReported)
	// Response levels (R1): activation instantiates activation playbooks and standby tasks.
	s.Response = response.New(c, incidents, s.Tasks)
	// Aftermath.
	s.Aftermath = aftermath.New(c)
	// Plans edited in the product.
	s.PlanAdmin = planadmin.New(c)
	// Demo story (issue 11): the demo's response, tasks and documents go through these capabilities.
	s.Demo.UseResponse(s.Tasks, s.Response, s.Aftermath)
	// Findings ledger (issue 12, P1).
	s.Findings = finding.New(c)
	// Risk notices (issue 12, P3).
	s.RiskNotices = risknotice.New(c, s.Findings)
	s.Scheduler.OnOverdue(store.ObligationKindRiskNotice, s.RiskNotices.OverdueTx)
	s.Scheduler.AddPass("finding_acceptance_expiry", s.Findings.ReopenExpired)
	s.Demo.SetFindings(s.Findings)
	// Exposure checks (issue 12, P4).
	s.Exposure = exposure.New(c, s.Findings)
	s.Demo.SetExposure(s.Exposure)
	// Drills, training and publicity, capability score card (issue 12, P5).
	s.Drills = drill.New(c)
	s.Scheduler.AddPass("drill_year_duties", s.Drills.OpenDrillDuties)
	s.Demo.SetDrills(s.Drills)
	// Inspection campaigns (issue 12, P2): a non-compliant answer is a
	// finding of source "inspection" in the findings ledger.
	s.Inspections = inspection.New(c)
	s.Inspections.SetFindingRaiser(inspection.LedgerRaiser(s.Findings))
	s.Demo.SetInspections(s.Inspections)
	// Demo site farm monitors (issue 13 item 7).
	s.Demo.SetMonitoring(s.Monitoring)
	// Situational awareness (issue 13 item 1): reads through the capabilities above.
	s.Awareness = awareness.New(c, s.Warnings, s.Periods, s.Drills)
	// Statistics (issue 13 items 4 and 8).
	s.Statistics = statistics.New(c, periods)
	// Detection rules (issue 14 item 3) and the IOC library (item 5): the
	// Sigma engine and the IOC matcher are the detectors intake runs on
	// every event. The intel pass loads the matcher at start and refreshes it.
	s.Detection = detection.New(c)
	s.Intel = intel.New(c)
	s.Scheduler.AddPass("intel_matcher_refresh", s.Intel.RefreshPass)
	// Alerts (issue 14): events pruned after the retention by the scheduler.
	s.Intake = intake.New(c, incidents, s.Detection.Detector(), s.Intel.Detector())
	s.Scheduler.AddLeasedPass("intake_retention", LeaseKeeping, s.Intake.Prune)
	// Audit log keeping (issue 15 item 4): entries past the retention go to
	// signed archives (hourly), then the head is anchored outside the
	// database (every AnchorInterval).
	// With several replicas these run on the one holding LeaseKeeping.
	s.Scheduler.AddLeasedPass("audit_archive", LeaseKeeping, s.AuditLog.ArchivePass)
	s.Scheduler.AddLeasedPass("audit_anchor", LeaseKeeping, s.AuditLog.AnchorPass)
	// Demo alerts (issue 14 item 8): the demo's sensors send through intake.
	s.Demo.SetAlerts(s.Intake, s.Intel)
	// Signing keys (issue 15 item 1).
	s.Signing = signing.New(c)
	return s
}

// SetClock moves every capability's clock (tests move time instead of
// sleeping).
func (s *Services) SetClock(now func() time.Time) { s.Core.SetClock(now) }
