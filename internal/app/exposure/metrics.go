package exposure

import "github.com/prometheus/client_golang/prometheus"

var (
	checks = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "fenghuo_exposure_checks_total",
		Help: "Exposure checks of a system, by outcome (done, failed, panic).",
	}, []string{"outcome"})
	probes = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "fenghuo_exposure_probes_total",
		Help: "TCP connects of exposure checks, by what they found (open, closed, timeout, error).",
	}, []string{"state"})
	openHighRisk = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "fenghuo_exposure_open_high_risk_total",
		Help: "High-risk ports found open by exposure checks (each raises or merges into a finding).",
	})
	refusedEntries = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "fenghuo_exposure_refused_total",
		Help: "Registered entries or resolved addresses an exposure check refused to connect to (unresolved, too large, special address).",
	})
	probeWork = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "fenghuo_exposure_probe_work_total",
		Help: "Exposure checks handed to remote probes, by step (handed, claimed, reported, dropped).",
	}, []string{"step"})
	reportsRefused = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "fenghuo_exposure_probe_reports_refused_total",
		Help: "Probe reports on exposure checks refused whole, by reason (malformed, unknown_work, not_in_plan, panic).",
	}, []string{"reason"})
	recheckClosed = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "fenghuo_exposure_recheck_closed_total",
		Help: "Findings noted 're-check: closed' because their port was found closed.",
	})
)

// Collectors are the exposure-check metrics, for the /metrics registry.
func Collectors() []prometheus.Collector {
	return []prometheus.Collector{checks, probes, openHighRisk, refusedEntries, recheckClosed, probeWork, reportsRefused}
}
