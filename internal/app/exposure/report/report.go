// Package report parses and checks a remote probe's report on the
// exposure checks it was handed (issue 12 item 5). A report comes from
// another network and is hostile input: it is parsed strictly and every
// result must be a connect of the plan the server handed that probe. The
// package depends on nothing heavy so that its fuzz target builds fast.
package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"unicode/utf8"

	"fenghuo/internal/fenghuo"
)

// The exposure part of the remote probe protocol: parsed strictly (no
// unknown field, no trailing data, bounded sizes, canonical addresses,
// known states).

// Limits of a probe's report.
const (
	// MaxBody bounds the body of a report.
	MaxBody = 1 << 20
	// MaxItems bounds the work items of one report (a probe is handed
	// at most 16 at a time).
	MaxItems = 64
	// MaxResults bounds the results of one item (the most connects of
	// one check).
	MaxResults = 512
	// MaxErrorRunes and MaxLatencyMS bound a result's fields.
	MaxErrorRunes = 200
	MaxLatencyMS  = 10 * 60 * 1000
)

// Work is what a probe is handed: the connects of one check.
type Work struct {
	WorkID   int64     `json:"work_id"`
	Connects []Connect `json:"connects"`
}

// Connect is one connect a probe is to make.
type Connect struct {
	Address string `json:"address"`
	Port    int    `json:"port"`
}

// Report is a probe's report on the work it was handed.
type Report struct {
	Items []Item `json:"items"`
}

// Item is the results of one work item.
type Item struct {
	WorkID  int64    `json:"work_id"`
	Results []Result `json:"results"`
}

// Result is what one connect of a probe found.
type Result struct {
	Address   string `json:"address"`
	Port      int    `json:"port"`
	State     string `json:"state"`
	LatencyMS int64  `json:"latency_ms"`
	Error     string `json:"error,omitempty"`
}

// ErrBad wraps every reason a probe's report is refused.
var ErrBad = errors.New("exposure: probe report refused")

func badReport(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrBad}, args...)...)
}

// Parse parses and checks a probe's report on its own: shape,
// sizes, addresses, ports, states. Whether each result belongs to the plan
// the probe was handed is checked by Match.
func Parse(body []byte) (*Report, error) {
	if len(body) > MaxBody {
		return nil, badReport("larger than %d bytes", MaxBody)
	}
	if !utf8.Valid(body) {
		return nil, badReport("not UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	var rep Report
	if err := dec.Decode(&rep); err != nil {
		return nil, badReport("body must be {\"items\":[{\"work_id\":…,\"results\":[{\"address\":…,\"port\":…,\"state\":…}]}]}: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, badReport("data after the report")
	}
	if rep.Items == nil {
		return nil, badReport("no items")
	}
	if len(rep.Items) > MaxItems {
		return nil, badReport("more than %d items", MaxItems)
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
		if len(it.Results) > MaxResults {
			return nil, badReport("work %d: more than %d results", it.WorkID, MaxResults)
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
			if r.LatencyMS < 0 || r.LatencyMS > MaxLatencyMS {
				return nil, badReport("work %d: latency_ms %d out of range", it.WorkID, r.LatencyMS)
			}
			if utf8.RuneCountInString(r.Error) > MaxErrorRunes {
				return nil, badReport("work %d: error longer than %d characters", it.WorkID, MaxErrorRunes)
			}
			r.Error = fenghuo.CleanText(r.Error, MaxErrorRunes)
		}
	}
	return &rep, nil
}

// ErrNotInPlan is a result for a connect the probe was not handed.
var ErrNotInPlan = errors.New("not in the plan")

// Match maps a probe's results onto the plan it was handed: one result
// per planned connect, in the plan's order. A result for an address and
// port not in the plan, or a second one for the same, refuses the whole
// item (ErrNotInPlan); a planned connect the probe did not report is an
// error result ("探针未报告").
func Match(planned []fenghuo.ExposureConnect, rs []Result) ([]fenghuo.ExposureResult, error) {
	index := make(map[string]int, len(planned))
	for i, c := range planned {
		index[c.Address+"|"+fmt.Sprint(c.Port)] = i
	}
	out := make([]fenghuo.ExposureResult, len(planned))
	got := make([]bool, len(planned))
	for _, r := range rs {
		i, ok := index[r.Address+"|"+fmt.Sprint(r.Port)]
		if !ok {
			return nil, fmt.Errorf("%w: %s port %d", ErrNotInPlan, r.Address, r.Port)
		}
		if got[i] {
			return nil, fmt.Errorf("%w: %s port %d reported twice", ErrNotInPlan, r.Address, r.Port)
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
