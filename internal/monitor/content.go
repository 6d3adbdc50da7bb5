package monitor

import (
	"crypto/sha256"
	"encoding/hex"

	"github.com/prometheus/client_golang/prometheus"

	"fenghuo/internal/store"
	"fenghuo/internal/tamper"
)

// identities are the copies a content check compares with the browser's.
// A check fetches one copy, in turn the browser's and each identity's
// (every one when confirming a change): a site that cloaks towards either
// identity is fetched as it within three intervals.
var identities = []Profile{ProfileBaiduspider, ProfileBaiduReferer}

// rotation is the order of the identities a check fetches as.
var rotation = []Profile{ProfileBrowser, ProfileBaiduspider, ProfileBaiduReferer}

// analysisVersion names the analysis that produced remembered findings:
// raised when tamper's detection changes, so that an unchanged page is
// analysed again by the new rules once.
const analysisVersion = 1

// fullEvery: every fullEvery-th check fetches every copy in full whatever
// the validators say; a site whose validators do not follow its bytes (the
// same ETag for a changed page) is caught then, and its monitor stops
// fetching conditionally.
const fullEvery = 10

// contentState is what a content check remembers between checks, stored
// in the monitor's content_state (state_codec.go): the browser copy's validators,
// digest and the findings of its analysis; for each other identity the
// digest of its last copy, the browser digest it was compared with and the
// findings of that comparison; whose turn is next.
type contentState struct {
	Version      int              `json:"v"`
	ETag         string           `json:"etag,omitempty"`
	LastModified string           `json:"last_modified,omitempty"`
	Digest       string           `json:"sha256,omitempty"`
	Findings     []tamper.Finding `json:"findings,omitempty"`
	Views        []viewState      `json:"views,omitempty"`
	Turn         int              `json:"turn"`
	// NoValidators: the site's validators were seen not to follow its
	// bytes; its copies are always fetched in full.
	NoValidators bool `json:"no_validators,omitempty"`
}

type viewState struct {
	Profile      Profile          `json:"profile"`
	ETag         string           `json:"etag,omitempty"`
	LastModified string           `json:"last_modified,omitempty"`
	Digest       string           `json:"sha256,omitempty"`
	Against      string           `json:"against,omitempty"`
	Findings     []tamper.Finding `json:"findings,omitempty"`
}

// loadContentState reads a monitor's remembered state; an unreadable one
// is forgotten (the next check analyses in full).
func loadContentState(m *store.Monitor) *contentState {
	st := &contentState{}
	if m.ContentState != "" && decodeState(m.ContentState, st) != nil {
		st = &contentState{}
	}
	return st
}

// known reports whether the state holds an analysis of the current rules.
func (st *contentState) known() bool { return st.Digest != "" && st.Version == analysisVersion }

// conditional reports whether this check may fetch conditionally: its copy
// is known, the site's validators follow its bytes, and it is not the turn
// of a full fetch.
func (st *contentState) conditional() bool {
	return st.known() && !st.NoValidators && st.Turn%fullEvery != fullEvery-1
}

// validators are what the browser fetch sends to be answered 304.
func (st *contentState) validators() Validators {
	if !st.conditional() {
		return Validators{}
	}
	return Validators{ETag: st.ETag, LastModified: st.LastModified}
}

// turnProfile is the identity this check fetches as: the browser until
// its copy is known, then each in turn.
func (st *contentState) turnProfile() Profile {
	if !st.known() {
		return ProfileBrowser
	}
	return rotation[st.Turn%len(rotation)]
}

// validatorsFor are what a fetch as p sends to be answered 304: the
// browser's remembered validators, or an identity's when its copy was
// compared with the browser's last known copy.
func (st *contentState) validatorsFor(p Profile) Validators {
	if p == ProfileBrowser {
		return st.validators()
	}
	if v := st.view(p); v != nil && st.conditional() && v.Against == st.Digest {
		return Validators{ETag: v.ETag, LastModified: v.LastModified}
	}
	return Validators{}
}

// remember keeps the validators of a full copy of the page, and notes a
// site whose validators stayed while its bytes changed (d is the copy's
// digest, old what was remembered with those validators).
func (st *contentState) remember(r *Response, d, old string, etag, lastModified *string) {
	if old != "" && d != old && sameValidators(r, *etag, *lastModified) {
		st.NoValidators = true
	}
	*etag, *lastModified = r.ETag, r.LastModified
}

func sameValidators(r *Response, etag, lastModified string) bool {
	if r.ETag != "" {
		return r.ETag == etag
	}
	return r.LastModified != "" && r.LastModified == lastModified
}

func (st *contentState) view(p Profile) *viewState {
	for i := range st.Views {
		if st.Views[i].Profile == p {
			return &st.Views[i]
		}
	}
	return nil
}

func (st *contentState) setView(p Profile, v viewState) {
	v.Profile = p
	if old := st.view(p); old != nil {
		*old = v
		return
	}
	st.Views = append(st.Views, v)
}

// report is the verdict on the latest copies: the browser's, and each
// identity's as last fetched (at most one interval ago).
func (st *contentState) report() tamper.Report {
	out := tamper.Report{Verdict: tamper.VerdictClean, Findings: []tamper.Finding{}}
	// The spider's comparison first: it holds the browser's findings too,
	// in the order a single analysis gives.
	if v := st.view(ProfileBaiduspider); v != nil && len(v.Findings) > 0 {
		out = MergeReports(out, tamper.Report{Findings: v.Findings})
	}
	out = MergeReports(out, tamper.Report{Findings: st.Findings})
	if v := st.view(ProfileBaiduReferer); v != nil {
		out = MergeReports(out, tamper.Report{Findings: v.Findings})
	}
	if out.Findings == nil {
		out.Findings = []tamper.Finding{}
	}
	return out
}

func digest(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

var (
	contentAnalyses = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "fenghuo_monitor_content_analyses_total",
		Help: "Page analyses run by content checks (a copy unchanged since the last check is not analysed again).",
	})
	contentUnchanged = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "fenghuo_monitor_content_unchanged_total",
		Help: "Content checks whose copies were all unchanged since the last check (304 Not Modified or the same bytes): the last verdict stands, nothing is analysed.",
	})
)
