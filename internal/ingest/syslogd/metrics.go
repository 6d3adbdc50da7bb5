package syslogd

import "github.com/prometheus/client_golang/prometheus"

var (
	messagesReceived = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "fenghuo_syslog_messages_received_total",
		Help: "Syslog messages read, accepted or not, by transport (udp, tcp, tls).",
	}, []string{"transport"})
	messagesAccepted = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "fenghuo_syslog_messages_accepted_total",
		Help: "Syslog messages committed to the database, by transport (udp, tcp, tls).",
	}, []string{"transport"})
	messagesDropped = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "fenghuo_syslog_messages_dropped_total",
		Help: "Syslog messages dropped, by reason (unbound, oversized, malformed, queue_full, commit_failed, timeout, panic).",
	}, []string{"reason"})
	connections = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "fenghuo_syslog_connections_total",
		Help: "Syslog TCP and TLS connections, by transport and outcome (accepted, refused: over the connection limit).",
	}, []string{"transport", "outcome"})
	connectionsOpen = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "fenghuo_syslog_connections_open",
		Help: "Syslog TCP and TLS connections open now.",
	})
)

// Collectors are the syslog receiver's metrics, for the /metrics registry
// (recovered panics are counted in fenghuo_panics_recovered_total with
// component "syslogd").
func Collectors() []prometheus.Collector {
	return []prometheus.Collector{messagesReceived, messagesAccepted, messagesDropped, connections, connectionsOpen}
}
