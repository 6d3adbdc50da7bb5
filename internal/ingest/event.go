// Package ingest turns what outside tools send — syslog lines, Wazuh alerts,
// Suricata EVE records, JSON from anything else — into normalised events with
// ECS-style field names, and defines how detectors (Sigma rules, thresholds,
// indicators of compromise) report what they find in them. It does no I/O of
// its own beyond the bytes it is given: receivers, storage and alert groups
// live in internal/ingest/syslogd and internal/app/intake.
package ingest

import (
	"context"
	"fmt"
	"net/netip"
	"sort"
	"strconv"
	"time"
)

// Parser names: which parser produced an event (Event.Kind).
const (
	KindSyslog   = "syslog"
	KindWazuh    = "wazuh"
	KindSuricata = "suricata"
	KindGeneric  = "generic"
)

// MaxRaw bounds the original record kept with an event; longer records are
// cut (Event.RawTruncated says so).
const MaxRaw = 64 << 10

// Event is one normalised record from an outside tool.
//
// Fields holds ECS-style names as flat dotted keys ("source.ip",
// "user.name", "event.category", "rule.id", "message", "host.name" …), the
// shape github.com/bradleyjkemp/sigma-go evaluates directly. A value is a
// string, a float64, a bool or a []string (multi-valued fields such as
// event.category); nothing else.
type Event struct {
	Time         time.Time // when it happened (@timestamp); Received when the record has none
	Received     time.Time // when Fenghuo read it
	Kind         string    // KindSyslog, KindWazuh, KindSuricata or KindGeneric
	Fields       map[string]any
	Raw          []byte // the record as received, at most MaxRaw bytes
	RawTruncated bool
}

// Str returns a field as a string ("" when absent; a []string's first
// element; numbers and booleans formatted).
func (e *Event) Str(key string) string {
	switch v := e.Fields[key].(type) {
	case string:
		return v
	case []string:
		if len(v) > 0 {
			return v[0]
		}
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	}
	return ""
}

// Set stores a field, dropping empty strings so that "absent" has one form.
func (e *Event) Set(key string, v any) {
	if e.Fields == nil {
		e.Fields = map[string]any{}
	}
	if s, ok := v.(string); ok && s == "" {
		return
	}
	e.Fields[key] = v
}

// Keys returns the event's field names in order (for display and storage).
func (e *Event) Keys() []string {
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Source is where a batch of events came from: the unit (org) it belongs
// to and the sensor that sent it, as bound by an intake token or a syslog
// source address.
type Source struct {
	Org     int64
	Sensor  string
	TokenID int64
}

func (s Source) String() string { return fmt.Sprintf("org %d sensor %q", s.Org, s.Sensor) }

// Sink commits events. Accept returns nil only once every event of the
// batch is durable (committed to the database): receivers acknowledge a
// batch to its sender after Accept returns and not before.
type Sink interface {
	Accept(ctx context.Context, src Source, events []Event) error
}

// Submitter is a Sink that can take the next batch before the previous one
// has committed. Submit does at once the work that must follow the order
// of batches (the detectors see one source's events in order) and returns
// wait, which returns what Accept would have once the batch is committed
// (or has failed). A receiver reading one connection submits the next
// batch while the previous one commits; batches reach the sink in the
// order they were submitted.
type Submitter interface {
	Sink
	Submit(ctx context.Context, src Source, events []Event) (wait func() error)
}

// Resolver maps a syslog sender's address to the source it is bound to.
type Resolver interface {
	SourceOf(ctx context.Context, addr netip.Addr) (Source, bool)
}

// Match kinds.
const (
	MatchSigma     = "sigma"     // a Sigma rule matched one event
	MatchThreshold = "threshold" // a count over a window passed its limit
	MatchIOC       = "ioc"       // an event carried a known indicator
)

// Match is one detection on one event. Alert groups are keyed by
// (source org, RuleID, Entity) over a window.
type Match struct {
	Kind    string   // MatchSigma, MatchThreshold, MatchIOC
	RuleSet string   // the rule set the rule belongs to ("" for IOC matches)
	RuleID  string   // Sigma rule id, threshold rule id, or STIX indicator id
	Title   string   // the rule's title, or "IOC: <value>"
	Level   string   // informational, low, medium, high, critical (Sigma levels)
	Tags    []string // Sigma tags, e.g. attack.t1110, attack.credential_access
	// Entity names what the alert is about, for de-duplication:
	// "source.ip=203.0.113.9" or "user.name=alice@example.cn", or the
	// matched indicator value for IOC matches.
	Entity string
	// Count is how many events the match stands for (a threshold's events
	// in its window); 0 means one. Since is when the earliest of them
	// happened (zero: this event).
	Count int
	Since time.Time
	// Indicator fields, for MatchIOC.
	IndicatorID int64  // the IOC library row, when it came from the library
	Value       string // the value that matched
	Field       string // the event field it was found in
}

// Detector finds what matters in an event. Detect is called once per
// stored event, in order, from one goroutine per source at a time; it must
// not keep ev. Stateful detectors (thresholds) keep their windows keyed by
// src.Org.
type Detector interface {
	Detect(ctx context.Context, src Source, ev *Event) []Match
}
