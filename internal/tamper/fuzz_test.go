package tamper

import (
	"encoding/json"
	"flag"
	"reflect"
	"slices"
	"testing"
)

// Fuzz targets for everything that analyses a page from outside. `go test`
// replays the committed seeds in testdata/fuzz/<Target>/ (hostile pages:
// case-folding traps, invalid UTF-8, NUL bytes, broken entities, 20,000-deep
// nesting, 30,000 links, multi-megabyte text and scripts; see
// hostile_test.go); `make fuzz` mutates them (scripts/fuzz.sh).

const fuzzURL = "http://www.example.gov.cn/"

// fuzzSeeds adds the in-code seeds every target shares: a few tampered
// pages and a realistic page.
func fuzzSeeds() [][]byte {
	return [][]byte{
		[]byte(`<div style="display:none"><a href="http://x.com/">博彩</a></div>`),
		[]byte(`<script>document.write(unescape('%3Ca href=%22http://a.b/%22%3Ex%3C/a%3E'))</script>`),
		[]byte(`<script>eval(function(p,a,c,k,e,d){}('0.1="2"',3,3,'location|href|http://x'.split('|'),0,{}))</script>`),
		[]byte(`<meta http-equiv="refresh" content="0;url=http://evil.example/"><title>t</title>`),
		[]byte(`<style>@media screen{.a{height:0;overflow:hidden}}</style><p class="a"><a href="//h.io">x</a></p>`),
		syntheticPage(1)[:4000],
	}
}

// skipHugeWhileFuzzing skips inputs over 1 MB under -fuzz. The fuzzer
// gives each input 10 s of wall time; on a busy shared machine the 2 MB
// seeds (a quarter second of CPU each, mutated copies alike) can exceed it
// and be reported as hangs. Plain go test replays them, and
// TestHostilePages runs them through every entry point.
func skipHugeWhileFuzzing(t *testing.T, args ...[]byte) {
	n := 0
	for _, a := range args {
		n += len(a)
	}
	if f := flag.Lookup("test.fuzz"); n > 1<<20 && f != nil && f.Value.String() != "" {
		t.Skip("over 1 MB: replayed by go test, not fuzzed")
	}
}

// checkReport asserts what holds for every report.
func checkReport(t *testing.T, what string, r Report) {
	t.Helper()
	if (r.Verdict == VerdictTampered) != (len(r.Findings) > 0) || r.Verdict != VerdictTampered && r.Verdict != VerdictClean {
		t.Fatalf("%s: verdict %q with %d findings", what, r.Verdict, len(r.Findings))
	}
	for _, f := range r.Findings {
		if _, ok := kindOrder[f.Kind]; !ok || f.Reason == "" {
			t.Fatalf("%s: finding without a known kind or a reason: %+v", what, f)
		}
	}
}

// subsetKinds asserts that every kind of r is among those of ref.
func subsetKinds(t *testing.T, what string, r, ref Report) {
	t.Helper()
	for _, k := range r.Kinds() {
		if !slices.Contains(ref.Kinds(), k) {
			t.Fatalf("%s: %s reported, but not by Analyze of the same page (%v)", what, k, ref.Findings)
		}
	}
}

// FuzzLearn learns baselines from one and from two snapshots. A page checked
// against the baseline learned from it alone reports nothing Analyze does not
// already report (the baseline makes its contents normal), and a baseline
// survives its JSON form.
func FuzzLearn(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add(s, syntheticPage(2)[:3000])
	}
	f.Fuzz(func(t *testing.T, a, b []byte) {
		skipHugeWhileFuzzing(t, a, b)
		pa := Page{URL: fuzzURL, HTML: a}
		base, err := Learn([]Page{pa})
		if err != nil {
			t.Fatal(err)
		}
		self := Check(base, pa, nil)
		checkReport(t, "check against own baseline", self)
		subsetKinds(t, "check against own baseline", self, Analyze(pa))

		js, err := json.Marshal(base)
		if err != nil {
			t.Fatal(err)
		}
		var back Baseline
		if err := json.Unmarshal(js, &back); err != nil {
			t.Fatalf("baseline JSON does not read back: %v", err)
		}
		pb := Page{HTML: b}
		if r1, r2 := Check(base, pb, nil), Check(&back, pb, nil); !reflect.DeepEqual(r1, r2) {
			t.Fatalf("baseline changed through JSON: %v vs %v", r1, r2)
		}

		two, err := Learn([]Page{pa, pb})
		if err != nil {
			t.Fatal(err)
		}
		checkReport(t, "check against two-page baseline", Check(two, pa, nil))
		two.Accept(pb)
		checkReport(t, "check after Accept", Check(two, pb, nil))
	})
}

// FuzzCheck checks a page without a baseline: Check(nil, …) is Analyze.
func FuzzCheck(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		skipHugeWhileFuzzing(t, data)
		p := Page{URL: fuzzURL, HTML: data}
		r := Check(nil, p, nil)
		checkReport(t, "check without baseline", r)
		if len(data) > 1<<20 {
			return // the multi-megabyte seeds: one analysis is enough
		}
		if a := Analyze(p); !reflect.DeepEqual(a, r) {
			t.Fatalf("Check without baseline differs from Analyze: %v vs %v", r, a)
		}
		checkReport(t, "check without URL", Check(nil, Page{HTML: data}, nil))
	})
}

// FuzzCheckBaseline checks a page against a baseline learned from another
// page (fuzzed too) and against one learned from a realistic site.
func FuzzCheckBaseline(f *testing.F) {
	site, err := Learn([]Page{{URL: fuzzURL, HTML: syntheticPage(1)}, {URL: fuzzURL, HTML: syntheticPage(2)}})
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range fuzzSeeds() {
		f.Add(syntheticPage(3)[:3000], s)
	}
	f.Fuzz(func(t *testing.T, base, data []byte) {
		skipHugeWhileFuzzing(t, base, data)
		p := Page{URL: fuzzURL, HTML: data}
		checkReport(t, "check against the site's baseline", Check(site, p, nil))
		b, err := Learn([]Page{{URL: fuzzURL, HTML: base}})
		if err != nil {
			t.Fatal(err)
		}
		checkReport(t, "check against a fuzzed baseline", Check(b, p, nil))
		checkReport(t, "check without URL", Check(b, Page{HTML: data}, nil))
	})
}

// FuzzCloaking compares a browser copy with a spider copy without a stored
// baseline: Check(nil, …) ignores the spider copy, and the first check of a
// new monitor (cli webcheck, monitor service) learns from the browser copy
// itself. A spider served the browser's own page is no cloaking.
func FuzzCloaking(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add(syntheticPage(4)[:3000], s)
	}
	f.Fuzz(func(t *testing.T, browser, spider []byte) {
		skipHugeWhileFuzzing(t, browser, spider)
		pb, ps := Page{URL: fuzzURL, HTML: browser}, Page{URL: fuzzURL, HTML: spider}
		checkReport(t, "cloaking without baseline", Check(nil, pb, &ps))
		b, err := Learn([]Page{pb})
		if err != nil {
			t.Fatal(err)
		}
		checkReport(t, "cloaking against the browser copy's baseline", Check(b, pb, &ps))
		same := Check(b, pb, &pb)
		checkReport(t, "spider served the browser copy", same)
		if slices.Contains(same.Kinds(), KindCloaking) {
			t.Fatalf("identical copies reported as cloaking: %v", same.Findings)
		}
	})
}

// FuzzCloakingBaseline compares a browser copy with a spider copy against a
// baseline learned from a third page and against a realistic site's.
func FuzzCloakingBaseline(f *testing.F) {
	site, err := Learn([]Page{{URL: fuzzURL, HTML: syntheticPage(1)}, {URL: fuzzURL, HTML: syntheticPage(2)}})
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range fuzzSeeds() {
		f.Add(syntheticPage(5)[:3000], syntheticPage(5)[:3000], s)
	}
	f.Fuzz(func(t *testing.T, base, browser, spider []byte) {
		skipHugeWhileFuzzing(t, base, browser, spider)
		pb, ps := Page{URL: fuzzURL, HTML: browser}, Page{HTML: spider}
		checkReport(t, "cloaking against the site's baseline", Check(site, pb, &ps))
		b, err := Learn([]Page{{URL: fuzzURL, HTML: base}})
		if err != nil {
			t.Fatal(err)
		}
		checkReport(t, "cloaking against a fuzzed baseline", Check(b, pb, &ps))
		if same := Check(b, pb, &pb); slices.Contains(same.Kinds(), KindCloaking) {
			t.Fatalf("identical copies reported as cloaking: %v", same.Findings)
		}
	})
}
