// Package tamper detects website tampering by analysing page snapshots:
// hidden SEO links (黑链), spam text, malicious redirects, injected scripts
// and iframes, defacement, and cloaking towards search-engine spiders.
//
// It performs no I/O. A caller fetches a page a few times on different
// days, learns a Baseline from the snapshots, and later checks a fresh
// snapshot (optionally together with the copy served to Baiduspider)
// against it. Analyze offers the checks that need no baseline.
package tamper

import (
	"sort"
	"strings"
)

// Kinds of findings.
const (
	KindDefacement        = "defacement"
	KindHiddenLink        = "hidden_link"
	KindIllicitContent    = "illicit_content"
	KindMaliciousRedirect = "malicious_redirect"
	KindNewExternalScript = "new_external_script"
	KindHiddenIframe      = "hidden_iframe"
	KindCloaking          = "cloaking"
)

// Verdicts.
const (
	VerdictClean    = "clean"
	VerdictTampered = "tampered"
)

// Page is one fetched snapshot. URL supplies the site's own host; it may be
// empty, in which case the host is taken from the baseline or inferred from
// the page (SiteDomain meta, canonical link, most common link host).
type Page struct {
	URL  string
	HTML []byte
}

// Finding is one piece of evidence of tampering.
type Finding struct {
	Kind     string `json:"kind"`
	Reason   string `json:"reason"`
	ReasonZH string `json:"reason_zh,omitempty"`
	Excerpt  string `json:"excerpt"`
	Selector string `json:"selector"`
}

// Report is the verdict on one snapshot.
type Report struct {
	Verdict  string    `json:"verdict"`
	Findings []Finding `json:"findings"`
}

// Kinds returns the distinct finding kinds, sorted.
func (r Report) Kinds() []string {
	seen := map[string]bool{}
	var out []string
	for _, f := range r.Findings {
		if !seen[f.Kind] {
			seen[f.Kind] = true
			out = append(out, f.Kind)
		}
	}
	sort.Strings(out)
	return out
}

// SameAlert reports whether two reports raise the same alert: both
// tampered with the same kinds. The monitor re-fetches before alerting and
// uses this to confirm the change is persistent rather than a glitch;
// selectors and excerpts may legitimately differ between fetches.
func SameAlert(a, b Report) bool {
	if a.Verdict != VerdictTampered || b.Verdict != VerdictTampered {
		return false
	}
	ka, kb := a.Kinds(), b.Kinds()
	if len(ka) != len(kb) {
		return false
	}
	for i := range ka {
		if ka[i] != kb[i] {
			return false
		}
	}
	return true
}

// Analyze runs the checks that need no baseline: hidden links, illicit
// content, redirects, hidden iframes and scripts loaded by obfuscated code.
func Analyze(p Page) Report {
	pg := parsePage(p)
	e := &env{own: pg.host}
	return newReport(e.detect(pg, ""))
}

// Check judges a browser snapshot against the baseline. When spider (the
// copy served to Baiduspider) is given, the two are compared for cloaking
// and the spider copy is checked as well.
func Check(b *Baseline, browser Page, spider *Page) Report {
	if b == nil {
		return Analyze(browser)
	}
	// The parses are summaries only Check holds: their slices go back to
	// the pool (findings copy what they quote).
	pb := parsePageReusing(pagePool.Get().(*page), browser)
	defer pagePool.Put(pb)
	e := newEnv(b, pb)
	fs := e.detect(pb, "")
	fs = append(fs, e.defacement(pb)...)
	if spider != nil {
		ps := parsePageReusing(pagePool.Get().(*page), *spider)
		defer pagePool.Put(ps)
		fs = append(fs, e.cloaking(pb, ps)...)
		fs = appendNew(fs, e.detect(ps, "spider copy: "))
	}
	return newReport(fs)
}

// appendNew adds findings not already reported (same kind and excerpt).
func appendNew(fs, more []Finding) []Finding {
	seen := map[string]bool{}
	for _, f := range fs {
		seen[f.Kind+"\x00"+f.Excerpt] = true
	}
	for _, f := range more {
		if !seen[f.Kind+"\x00"+f.Excerpt] {
			fs = append(fs, f)
		}
	}
	return fs
}

var kindOrder = map[string]int{
	KindDefacement: 0, KindMaliciousRedirect: 1, KindCloaking: 2, KindHiddenLink: 3,
	KindHiddenIframe: 4, KindNewExternalScript: 5, KindIllicitContent: 6,
}

func newReport(fs []Finding) Report {
	r := Report{Verdict: VerdictClean, Findings: fs}
	if r.Findings == nil {
		r.Findings = []Finding{}
	}
	sort.SliceStable(r.Findings, func(i, j int) bool {
		a, b := r.Findings[i], r.Findings[j]
		if kindOrder[a.Kind] != kindOrder[b.Kind] {
			return kindOrder[a.Kind] < kindOrder[b.Kind]
		}
		return a.Selector < b.Selector
	})
	if len(r.Findings) > 0 {
		r.Verdict = VerdictTampered
	}
	return r
}

// hostList renders up to n hosts for a reason text.
func hostList(hosts []string, n int) string {
	if len(hosts) > n {
		return strings.Join(hosts[:n], ", ") + ", …"
	}
	return strings.Join(hosts, ", ")
}
