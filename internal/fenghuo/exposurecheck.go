package fenghuo

import (
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// DefaultHighRiskPorts are the ports a unit's registered exposure is
// checked for when no office on its path set its own list (seed 004 §3:
// remote-administration and file-sharing services left open to the
// network): FTP, SSH, RPC, NetBIOS, SMB and Remote Desktop.
var DefaultHighRiskPorts = []int{21, 22, 135, 139, 445, 3389}

// DefaultExposureInterval is how often a system's exposure is checked when
// no office set an interval.
const DefaultExposureInterval = 24 * time.Hour

// ExposurePolicy is what an office sets for the exposure checks of its
// subtree: the high-risk ports (TCP), whether systems are checked on a
// schedule and how often, and from where (Vantages: this server and/or
// remote probes by name; none listed means this server). Its units and sub-offices inherit it unless they
// set their own. Connecting to a unit's addresses is the office's decision:
// with no policy set (the default) systems are checked only on demand.
type ExposurePolicy struct {
	Ports         []int `json:"ports"`
	Scheduled     bool  `json:"scheduled"`
	IntervalHours int   `json:"interval_hours"`
	// Vantages are where the connects are made from: VantageServer and
	// the names of registered remote probes (fenghuo probe). Empty: the
	// server only.
	Vantages []string `json:"vantages,omitempty"`
}

// VantageServer names this server as the vantage point of a check.
const VantageServer = "server"

// ProbeVantage is the vantage of a check made by the remote probe name.
func ProbeVantage(name string) string { return "probe:" + name }

// VantageProbe returns the probe name of a probe vantage ("" for the
// server).
func VantageProbe(v string) string {
	name, _ := strings.CutPrefix(v, "probe:")
	if name == v {
		return ""
	}
	return name
}

// FromServer reports whether the server itself connects.
func (p ExposurePolicy) FromServer() bool {
	if len(p.Vantages) == 0 {
		return true
	}
	for _, v := range p.Vantages {
		if v == VantageServer {
			return true
		}
	}
	return false
}

// ProbeNames are the remote probes the policy has connect from.
func (p ExposurePolicy) ProbeNames() []string {
	var out []string
	for _, v := range p.Vantages {
		if v != VantageServer {
			out = append(out, v)
		}
	}
	return out
}

// DefaultExposurePolicy is used where no office on the path set one.
func DefaultExposurePolicy() ExposurePolicy {
	return ExposurePolicy{Ports: append([]int(nil), DefaultHighRiskPorts...), IntervalHours: int(DefaultExposureInterval / time.Hour)}
}

// Interval is the policy's check interval.
func (p ExposurePolicy) Interval() time.Duration { return time.Duration(p.IntervalHours) * time.Hour }

// Validate checks 1 to 64 distinct TCP ports and an interval of 1 hour to
// 30 days, and sorts the ports.
func (p *ExposurePolicy) Validate() error {
	if len(p.Ports) == 0 || len(p.Ports) > 64 {
		return FieldErrorf("ports", "List 1 to 64 high-risk ports. / 高危端口应为1至64个。")
	}
	seen := map[int]bool{}
	for _, n := range p.Ports {
		if n < 1 || n > 65535 {
			return FieldErrorf("ports", "Port %d is out of range: use 1 to 65535. / 端口应为1至65535。", n)
		}
		if seen[n] {
			return FieldErrorf("ports", "Port %d is listed twice. / 端口%d重复。", n, n)
		}
		seen[n] = true
	}
	sort.Ints(p.Ports)
	if len(p.Vantages) > 16 {
		return FieldErrorf("vantages", "Name at most 16 vantage points. / 检测位置最多16个。")
	}
	seenV := map[string]bool{}
	for i, v := range p.Vantages {
		v = strings.TrimSpace(v)
		if v == "" || utf8.RuneCountInString(v) > 100 || CleanText(v, 100) != v || strings.ContainsAny(v, "\t\n,，、") {
			return FieldErrorf("vantages", "A vantage point is \"server\" or a probe's name (1 to 100 characters, no commas). / 检测位置应为“server”（本平台服务器）或探针名称（1至100字，不含逗号）。")
		}
		if seenV[v] {
			return FieldErrorf("vantages", "Vantage point %s is listed twice. / 检测位置%s重复。", v, v)
		}
		seenV[v] = true
		p.Vantages[i] = v
	}
	if p.IntervalHours < 1 || p.IntervalHours > 24*30 {
		return FieldErrorf("interval_hours", "Check between every hour and every 30 days (1 to 720 hours). / 检测间隔应为1至720小时。")
	}
	return nil
}

// HighRisk reports whether port n is on the policy's list.
func (p ExposurePolicy) HighRisk(n int) bool {
	for _, v := range p.Ports {
		if v == n {
			return true
		}
	}
	return false
}

// Port states an exposure check records.
const (
	PortOpen    = "open"    // the TCP connection was accepted
	PortClosed  = "closed"  // refused (RST)
	PortTimeout = "timeout" // no answer within the timeout (filtered)
	PortError   = "error"   // another network error (unreachable, …)
)

// Exposure check causes and states.
const (
	ExposureCauseSchedule = "schedule"
	ExposureCauseManual   = "manual"

	ExposureRunDone   = "done"
	ExposureRunFailed = "failed"
)

// ExposureRun is one exposure check of a system: every registered address
// tried on every port of the policy (and the ports the system registered),
// from one vantage point.
type ExposureRun struct {
	ID       int64
	OrgID    int64
	SystemID int64
	Cause    string
	Vantage  string // VantageServer, or ProbeVantage(name)
	State    string
	// Addresses and Probes count what was tried; OpenHighRisk the
	// high-risk ports found open.
	Addresses    int
	Probes       int
	OpenHighRisk int
	// Refused lists registered entries that were not checked, with why
	// (a domain that did not resolve, a block too large, an address a
	// domain resolved to that is not the unit's to check).
	Refused    []string
	Error      string
	CreatedBy  int64
	StartedAt  time.Time
	FinishedAt time.Time
}

// ExposureResult is what one TCP connect to one address and port found.
type ExposureResult struct {
	ID       int64
	RunID    int64
	OrgID    int64
	SystemID int64
	// Target is the registered entry (domain, IP, URL host) the address
	// came from; Address the IP connected to.
	Target  string
	Address string
	Port    int
	State   string
	// Vantage is where the connect was made from (as its run's).
	Vantage   string
	HighRisk  bool
	FindingID int64
	LatencyMS int64
	Error     string
	At        time.Time
}

// ExposureConnect is one planned TCP connect of an exposure check: the
// registered target it stands for, the address and the port. A check's
// plan is the closed set of its connects, from whichever vantage.
type ExposureConnect struct {
	Target  string `json:"target"`
	Address string `json:"address"`
	Port    int    `json:"port"`
}
