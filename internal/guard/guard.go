// Package guard keeps a panic in the handling of one item (a monitored
// page, a probe report, an imported file, an obligation, a job) from taking
// the process down: the panic becomes an error for that item, is counted in
// /metrics and logged with a digest of the input (never the input itself),
// and the loop goes on with the next item.
package guard

import (
	"encoding/hex"
	"fmt"
	"log/slog"
	"runtime/debug"

	"github.com/emmansun/gmsm/sm3"
	"github.com/prometheus/client_golang/prometheus"
)

// Recovered counts recovered panics by component.
var Recovered = prometheus.NewCounterVec(prometheus.CounterOpts{
	Name: "fenghuo_panics_recovered_total",
	Help: "Panics recovered while handling one item (a check, a probe report, an import, an obligation, a job), by component.",
}, []string{"component"})

// Collectors are the metrics of this package, for the /metrics registry.
func Collectors() []prometheus.Collector { return []prometheus.Collector{Recovered} }

// PanicError is a recovered panic.
type PanicError struct {
	Component string
	Value     any
}

func (e *PanicError) Error() string {
	return fmt.Sprintf("%s: internal error while processing (panic: %s)", e.Component, Reason(e.Value))
}

// Reason is a one-line text of a panic value, bounded in length: it is
// stored and shown, so it must not grow with the input.
func Reason(v any) string {
	s := fmt.Sprint(v)
	if err, ok := v.(error); ok {
		s = err.Error()
	}
	if r := []rune(s); len(r) > 200 {
		s = string(r[:200]) + "…"
	}
	return s
}

// Run calls fn and turns a panic in it into a *PanicError, counted under
// component and logged with its stack and attrs (digests and IDs, never the
// input). Other errors pass through unchanged.
func Run(log *slog.Logger, component string, fn func() error, attrs ...any) (err error) {
	defer func() {
		v := recover()
		if v == nil {
			return
		}
		Recovered.WithLabelValues(component).Inc()
		if log == nil {
			log = slog.Default()
		}
		log.Error("recovered panic; the item is failed and processing goes on",
			append([]any{"component", component, "panic", Reason(v), "stack", string(debug.Stack())}, attrs...)...)
		err = &PanicError{Component: component, Value: v}
	}()
	return fn()
}

// Digest is the SM3 hex of an input, for logs that must identify what
// crashed without copying it.
func Digest(b []byte) string {
	sum := sm3.Sum(b)
	return hex.EncodeToString(sum[:])
}
