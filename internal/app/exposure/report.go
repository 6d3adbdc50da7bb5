package exposure

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"unicode/utf8"

	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// The exposure part of the remote probe protocol. A probe's report comes
// from another network and is hostile input: it is parsed strictly (no
// unknown field, no trailing data, bounded sizes, canonical addresses,
// known states) and every result must be a connect of the plan the server
// handed that probe.

// Limits of a probe's report.
const (
	// MaxProbeReport bounds the body of a report.
	MaxProbeReport = 1 << 20
	// maxReportItems bounds the work items of one report (a probe claims
	// at most probeClaim at a time).
	maxReportItems = 64
	maxErrorRunes  = 200
	maxLatencyMS   = 10 * 60 * 1000
)

// ProbeWork is what a probe is handed: the connects of one check.
type ProbeWork struct {
	WorkID   int64          `json:"work_id"`
	Connects []ProbeConnect `json:"connects"`
}

// ProbeConnect is one connect a probe is to make.
type ProbeConnect struct {
	Address string `json:"address"`
	Port    int    `json:"port"`
}

// ProbeReport is a probe's report on the work it was handed.
type ProbeReport struct {
	Items []ProbeReportItem `json:"items"`
}

// ProbeReportItem is the results of one work item.
type ProbeReportItem struct {
	WorkID  int64                `json:"work_id"`
	Results []ProbeConnectResult `json:"results"`
}

// ProbeConnectResult is what one connect of a probe found.
type ProbeConnectResult struct {
	Address   string `json:"address"`
	Port      int    `json:"port"`
	State     string `json:"state"`
	LatencyMS int64  `json:"latency_ms"`
	Error     string `json:"error,omitempty"`
}

// ErrBadReport wraps every reason a probe's report is refused.
var ErrBadReport = errors.New("exposure: probe report refused")

func badReport(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrBadReport}, args...)...)
}

// ParseProbeReport parses and checks a probe's report on its own: shape,
// sizes, addresses, ports, states. Whether each result belongs to the plan
// the probe was handed is checked by matchPlan.
func ParseProbeReport(body []byte) (*ProbeReport, error) {
	if len(body) > MaxProbeReport {
		return nil, badReport("larger than %d bytes", MaxProbeReport)
	}
	if !utf8.Valid(body) {
		return nil, badReport("not UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	var rep ProbeReport
	if err := dec.Decode(&rep); err != nil {
		return nil, badReport("body must be {\"items\":[{\"work_id\":…,\"results\":[{\"address\":…,\"port\":…,\"state\":…}]}]}: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, badReport("data after the report")
	}
	if rep.Items == nil {
		return nil, badReport("no items")
	}
	if len(rep.Items) > maxReportItems {
		return nil, badReport("more than %d items", maxReportItems)
	}
	seen := map[int64]bool{}
	for i := range rep.Items {
		it := &rep.Items[i]
		if it.WorkID < 1 {
			return nil, badReport("item %d: work_id must be positive", i)
		}
		if seen[it.WorkID] {
			return nil, badReport("work %d reported twice", it.WorkID)
		}
		seen[it.WorkID] = true
		if len(it.Results) > maxProbes {
			return nil, badReport("work %d: more than %d results", it.WorkID, maxProbes)
		}
		for j := range it.Results {
			r := &it.Results[j]
			a, err := netip.ParseAddr(r.Address)
			if err != nil || a.Zone() != "" || a.Is4In6() || a.String() != r.Address {
				return nil, badReport("work %d: %q is not an IP address as handed out", it.WorkID, r.Address)
			}
			if r.Port < 1 || r.Port > 65535 {
				return nil, badReport("work %d: port %d out of range", it.WorkID, r.Port)
			}
			switch r.State {
			case fenghuo.PortOpen, fenghuo.PortClosed, fenghuo.PortTimeout, fenghuo.PortError:
			default:
				return nil, badReport("work %d: state %q is not open, closed, timeout or error", it.WorkID, r.State)
			}
			if r.LatencyMS < 0 || r.LatencyMS > maxLatencyMS {
				return nil, badReport("work %d: latency_ms %d out of range", it.WorkID, r.LatencyMS)
			}
			if utf8.RuneCountInString(r.Error) > maxErrorRunes {
				return nil, badReport("work %d: error longer than %d characters", it.WorkID, maxErrorRunes)
			}
			r.Error = fenghuo.CleanText(r.Error, maxErrorRunes)
		}
	}
	return &rep, nil
}

// errNotInPlan is a result for a connect the probe was not handed.
var errNotInPlan = errors.New("not in the plan")

// matchPlan maps a probe's results onto the plan it was handed: one result
// per planned connect, in the plan's order. A result for an address and
// port not in the plan, or a second one for the same, refuses the whole
// item (errNotInPlan); a planned connect the probe did not report is an
// error result ("探针未报告").
func matchPlan(planned []store.ExposureConnect, rs []ProbeConnectResult) ([]fenghuo.ExposureResult, error) {
	index := make(map[string]int, len(planned))
	for i, c := range planned {
		index[c.Address+"|"+fmt.Sprint(c.Port)] = i
	}
	out := make([]fenghuo.ExposureResult, len(planned))
	got := make([]bool, len(planned))
	for _, r := range rs {
		i, ok := index[r.Address+"|"+fmt.Sprint(r.Port)]
		if !ok {
			return nil, fmt.Errorf("%w: %s port %d", errNotInPlan, r.Address, r.Port)
		}
		if got[i] {
			return nil, fmt.Errorf("%w: %s port %d reported twice", errNotInPlan, r.Address, r.Port)
		}
		got[i] = true
		out[i] = fenghuo.ExposureResult{Target: planned[i].Target, Address: r.Address, Port: r.Port, State: r.State,
			LatencyMS: r.LatencyMS, Error: r.Error}
	}
	for i, c := range planned {
		if !got[i] {
			out[i] = fenghuo.ExposureResult{Target: c.Target, Address: c.Address, Port: c.Port, State: fenghuo.PortError, Error: "探针未报告"}
		}
	}
	return out, nil
}
