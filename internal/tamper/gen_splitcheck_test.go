package tamper

import (
	"fmt"
	"sort"
	"strings"
	"testing"
)

// The checks every sealed split's TestSealed*SplitWellFormed makes, in one
// place; none of them calls the detector.

// checkSplitDistinct fails when sp shares a spam host, spam or neutral
// wording, a site (host or name) or, with counts, a link count with one of
// the others: a split must be a sample of its own.
func checkSplitDistinct(t *testing.T, sp genSplit, others []genSplit, counts bool) {
	t.Helper()
	hosts, words, links, sites := map[string]string{}, map[string]string{}, map[int]string{}, map[string]string{}
	for _, o := range others {
		for _, h := range o.hosts {
			hosts[strings.ToLower(h)] = o.name
		}
		for _, w := range append(append([]string{}, o.spam...), o.neutral...) {
			words[w] = o.name
		}
		for _, n := range o.linkCounts {
			links[n] = o.name
		}
		for _, s := range o.sites {
			sites[s.host] = o.name
			sites[s.name] = o.name
		}
	}
	for _, h := range sp.hosts {
		if o, ok := hosts[strings.ToLower(h)]; ok {
			t.Errorf("host %s is also in the %s split", h, o)
		}
	}
	for _, w := range append(append([]string{}, sp.spam...), sp.neutral...) {
		if o, ok := words[w]; ok {
			t.Errorf("wording %s is also in the %s split", w, o)
		}
	}
	if counts {
		for _, n := range sp.linkCounts {
			if o, ok := links[n]; ok {
				t.Errorf("link count %d is also in the %s split", n, o)
			}
		}
	}
	for _, s := range sp.sites {
		for _, k := range []string{s.host, s.name} {
			if o, ok := sites[k]; ok {
				t.Errorf("site %s is also in the %s split", k, o)
			}
		}
	}
}

// names lists the names of a split's benign changes, whatever their type.
func names[T any](list []T, name func(T) string) []string {
	out := make([]string, len(list))
	for i, x := range list {
		out[i] = name(x)
	}
	return out
}

func sealed2ChangeName(b sealed2Change) string { return b.name }

// checkBenignNew fails for each change name that the generated splits'
// benign changes, or those named in earlier, already use.
func checkBenignNew(t *testing.T, changes []string, earlier ...[]string) {
	t.Helper()
	used := map[string]bool{}
	for split := 0; split <= 3; split++ {
		for _, b := range benignChanges(split) {
			used[b.name] = true
		}
	}
	for _, list := range [][]benignChange{finalBenign, sealedBenign, benign2} {
		for _, b := range list {
			used[b.name] = true
		}
	}
	for _, list := range earlier {
		for _, n := range list {
			used[n] = true
		}
	}
	for _, n := range changes {
		if used[n] {
			t.Errorf("benign change %s is also in another split", n)
		}
	}
}

// checkSplitPage fails when a page of case key does not parse, holds a
// format verb left by a doubled or missing percent sign (which would break
// the CSS or markup it sits in), or does not name its site.
func checkSplitPage(t *testing.T, key string, page []byte, site string) {
	t.Helper()
	if page == nil {
		return
	}
	if err := sealedParses(page); err != nil {
		t.Errorf("%s: does not parse: %v", key, err)
	}
	if strings.Contains(string(page), "%%") || strings.Contains(string(page), "%!") {
		t.Errorf("%s: a formatting error is left in the page", key)
	}
	if !strings.Contains(string(page), site) {
		t.Errorf("%s: the page does not name its site", key)
	}
}

// checkSplitLabels fails unless the cases carry exactly the labels want
// declares, and, when big, at least the 140 hidden_link and 100
// illicit_content labels a measurement split needs.
func checkSplitLabels(t *testing.T, labelled, want map[string]int, big bool) {
	t.Helper()
	for k, n := range want {
		if labelled[k] != n {
			t.Errorf("%d %s labels, want %d", labelled[k], k, n)
		}
	}
	for k := range labelled {
		if _, ok := want[k]; !ok {
			t.Errorf("unexpected label %s (%d cases)", k, labelled[k])
		}
	}
	if big && (labelled[KindHiddenLink] < 140 || labelled[KindIllicitContent] < 100) {
		t.Errorf("hidden_link %d (want >= 140), illicit_content %d (want >= 100)", labelled[KindHiddenLink], labelled[KindIllicitContent])
	}
}

// checkBenignFree fails when a benign page holds one of the split's spam
// hosts.
func checkBenignFree(t *testing.T, key string, page []byte, hosts []string) {
	t.Helper()
	low := strings.ToLower(string(page))
	for _, h := range hosts {
		if strings.Contains(low, strings.ToLower(h)) {
			t.Errorf("%s: benign page holds spam host %s", key, h)
		}
	}
}

// scoreTuning runs a tuning split's cases through Check and, for benign
// pages (tech ""), Analyze, and asserts recall >= 95 % per kind, every
// class found at least twice in three, and no false alarm. benign names
// the benign changes by the cases' rep.
func scoreTuning(t *testing.T, sp genSplit, cases []tuning3Case, benign []benignChange) {
	t.Helper()
	labelled, found := map[string]int{}, map[string]int{}
	byTech := map[string][2]int{}
	falseAlarms, clean := 0, 0
	baselines := map[string]*Baseline{}
	for _, c := range cases {
		s := c.site
		b := baselines[s.host]
		if b == nil {
			b = genBaseline(t, s)
			baselines[s.host] = b
		}
		page := Page{URL: "http://" + s.host + "/", HTML: c.html}
		if c.tech == "" {
			name := benign[c.rep].name
			clean++
			if rp := Check(b, page, nil); rp.Verdict != VerdictClean {
				falseAlarms++
				t.Errorf("%s: false alarm on %s (%s): %+v", sp.name, s.host, name, rp.Findings)
			}
			if rp := Analyze(page); rp.Verdict != VerdictClean {
				falseAlarms++
				t.Errorf("%s: Analyze flags benign %s (%s): %+v", sp.name, s.host, name, rp.Findings)
			}
			continue
		}
		rp := Check(b, page, nil)
		got := map[string]bool{}
		for _, k := range rp.Kinds() {
			got[k] = true
		}
		tt := byTech[c.tech]
		for _, k := range c.kinds {
			labelled[k]++
			tt[1]++
			if got[k] {
				found[k]++
				tt[0]++
			} else {
				t.Logf("%s: miss %s on %s (%s #%d): got %v", sp.name, k, s.host, c.tech, c.rep, rp.Kinds())
			}
		}
		byTech[c.tech] = tt
	}
	var kinds []string
	for k := range labelled {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	var tb strings.Builder
	fmt.Fprintf(&tb, "\n%-20s %6s %6s %8s   generated corpus, %s split (%d sites)\n", "kind", "cases", "found", "recall", sp.name, len(sp.sites))
	for _, k := range kinds {
		rc := float64(found[k]) / float64(labelled[k])
		fmt.Fprintf(&tb, "%-20s %6d %6d %7.1f%%\n", k, labelled[k], found[k], 100*rc)
		if rc < 0.95 {
			t.Errorf("%s: recall for %s is %.1f%%, below 95%%", sp.name, k, 100*rc)
		}
	}
	fmt.Fprintf(&tb, "clean cases: %d, false alarms: %d (%s, Check and Analyze)\n", clean, falseAlarms, sp.name)
	var names []string
	for n := range byTech {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		v := byTech[n]
		if v[0] < v[1] {
			fmt.Fprintf(&tb, "  technique %-24s %d/%d labels found\n", n, v[0], v[1])
		}
		if 3*v[0] < 2*v[1] {
			t.Errorf("%s: class %s found %d/%d labels", sp.name, n, v[0], v[1])
		}
	}
	t.Log(tb.String())
}
