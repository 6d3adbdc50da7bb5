package auditlog

import "github.com/prometheus/client_golang/prometheus"

var (
	anchorsWritten = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "fenghuo_audit_anchors_total",
		Help: "Anchors of the audit chain's head written, by destination (file, syslog).",
	}, []string{"destination"})
	anchorFailures = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "fenghuo_audit_anchor_failures_total",
		Help: "Anchors of the audit chain's head that could not be written, by destination (file, syslog).",
	}, []string{"destination"})
	archiveFailures = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "fenghuo_audit_archive_failures_total",
		Help: "Runs of the audit archiver that failed (see the log).",
	})
)

// Collectors are the audit-keeping metrics, for the /metrics registry.
func Collectors() []prometheus.Collector {
	return []prometheus.Collector{anchorsWritten, anchorFailures, archiveFailures}
}
