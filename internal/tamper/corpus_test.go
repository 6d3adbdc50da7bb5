package tamper

import (
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path"
	"sort"
	"strings"
	"sync"
	"testing"
)

// corpusPack is the labelled development corpus, packed (see
// testdata/corpus/README.md) so that every checkout can run it.
const corpusPack = "testdata/corpus/webtamper-dev.pack.gz"

var (
	corpusOnce  sync.Once
	corpusFiles map[string][]byte
	corpusErr   error
)

// loadCorpus unpacks the corpus once and checks every file's SHA-256.
func loadCorpus(tb testing.TB) map[string][]byte {
	tb.Helper()
	corpusOnce.Do(func() { corpusFiles, corpusErr = unpackCorpus(corpusPack) })
	if corpusErr != nil {
		tb.Fatalf("corpus %s: %v", corpusPack, corpusErr)
	}
	return corpusFiles
}

func unpackCorpus(file string) (map[string][]byte, error) {
	fh, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	zr, err := gzip.NewReader(fh)
	if err != nil {
		return nil, err
	}
	var pk struct {
		Format string `json:"format"`
		Files  []struct {
			Path   string   `json:"path"`
			SHA256 string   `json:"sha256"`
			Runs   [][2]int `json:"runs"`
		} `json:"files"`
		Lines []string `json:"lines"`
	}
	if err := json.NewDecoder(zr).Decode(&pk); err != nil {
		return nil, err
	}
	if pk.Format != "fenghuo line pack v1" {
		return nil, fmt.Errorf("unknown pack format %q", pk.Format)
	}
	out := make(map[string][]byte, len(pk.Files))
	for _, f := range pk.Files {
		var lines []string
		for _, r := range f.Runs {
			if r[0] < 0 || r[1] < 0 || r[0]+r[1] > len(pk.Lines) {
				return nil, fmt.Errorf("%s: run %v outside the line table", f.Path, r)
			}
			lines = append(lines, pk.Lines[r[0]:r[0]+r[1]]...)
		}
		data := []byte(strings.Join(lines, "\n"))
		sum := sha256.Sum256(data)
		if hex.EncodeToString(sum[:]) != f.SHA256 {
			return nil, fmt.Errorf("%s: SHA-256 mismatch after unpacking", f.Path)
		}
		out[f.Path] = data
	}
	return out, nil
}

type corpusLabel struct {
	Verdict    string   `json:"verdict"`
	Kinds      []string `json:"kinds"`
	Technique  string   `json:"technique"`
	SpiderFile string   `json:"spider_file"`
}

var allKinds = []string{KindDefacement, KindHiddenLink, KindIllicitContent, KindMaliciousRedirect,
	KindNewExternalScript, KindHiddenIframe, KindCloaking}

func mustRead(tb testing.TB, name string) []byte {
	tb.Helper()
	data, ok := loadCorpus(tb)[name]
	if !ok {
		tb.Fatalf("corpus has no file %s", name)
	}
	return data
}

// TestCorpus measures recall per kind and false alarms on the labelled
// development corpus. Run with -v to see the table.
func TestCorpus(t *testing.T) {
	raw := mustRead(t, "labels.json")
	var labels map[string]corpusLabel
	if err := json.Unmarshal(raw, &labels); err != nil {
		t.Fatal(err)
	}
	keys := make([]string, 0, len(labels))
	for k := range labels {
		keys = append(keys, k)
	}
	sort.Strings(keys)

	baselines := map[string]*Baseline{}
	learn := func(site string) *Baseline {
		if b, ok := baselines[site]; ok {
			return b
		}
		var pages []Page
		for i := 1; i <= 3; i++ {
			pages = append(pages, Page{HTML: mustRead(t, path.Join(site, "baseline", fmt.Sprintf("%d.html", i)))})
		}
		b, err := Learn(pages)
		if err != nil {
			t.Fatal(err)
		}
		// Round-trip through JSON so the test exercises the stored form.
		data, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		var back Baseline
		if err := json.Unmarshal(data, &back); err != nil {
			t.Fatal(err)
		}
		t.Logf("baseline %s: %d bytes JSON, ~%d bytes in memory", site, len(data), back.MemoryBytes())
		baselines[site] = &back
		return &back
	}

	labelled := map[string]int{}
	found := map[string]int{}
	extra := map[string]int{}
	clean, falseAlarms := 0, 0
	var misses []string
	for _, k := range keys {
		l := labels[k]
		site := strings.SplitN(k, "/", 2)[0]
		b := learn(site)
		browser := Page{HTML: mustRead(t, k+".html")}
		var spider *Page
		if l.SpiderFile != "" {
			spider = &Page{HTML: mustRead(t, l.SpiderFile)}
		}
		rep := Check(b, browser, spider)
		got := map[string]bool{}
		for _, kd := range rep.Kinds() {
			got[kd] = true
		}
		if l.Verdict == VerdictClean {
			clean++
			if rep.Verdict != VerdictClean {
				falseAlarms++
				t.Errorf("false alarm on %s (%s): %+v", k, l.Technique, rep.Findings)
			}
			continue
		}
		want := map[string]bool{}
		for _, kd := range l.Kinds {
			want[kd] = true
			labelled[kd]++
			if got[kd] {
				found[kd]++
			} else {
				misses = append(misses, fmt.Sprintf("%s (%s): missed %s; got %v", k, l.Technique, kd, rep.Kinds()))
			}
		}
		for kd := range got {
			if !want[kd] {
				extra[kd]++
				t.Logf("extra %s on %s (%s): %v", kd, k, l.Technique, rep.Findings)
			}
		}
	}
	var tb strings.Builder
	fmt.Fprintf(&tb, "\n%-20s %6s %6s %8s %6s\n", "kind", "cases", "found", "recall", "extra")
	failed := false
	for _, kd := range allKinds {
		r := 0.0
		if labelled[kd] > 0 {
			r = float64(found[kd]) / float64(labelled[kd])
		}
		fmt.Fprintf(&tb, "%-20s %6d %6d %7.1f%% %6d\n", kd, labelled[kd], found[kd], 100*r, extra[kd])
		if r < 0.95 {
			failed = true
		}
	}
	fmt.Fprintf(&tb, "clean cases: %d, false alarms: %d\n", clean, falseAlarms)
	t.Log(tb.String())
	for _, m := range misses {
		t.Log("miss: " + m)
	}
	if failed {
		t.Error("recall below 95% for at least one kind")
	}
}

// TestCorpusAnalyzeBenign checks the baseline-free mode on every benign
// page: legitimate hidden menus, slides and banners must not alert.
func TestCorpusAnalyzeBenign(t *testing.T) {
	raw := mustRead(t, "labels.json")
	var labels map[string]corpusLabel
	if err := json.Unmarshal(raw, &labels); err != nil {
		t.Fatal(err)
	}
	var files []string
	for k, l := range labels {
		if l.Verdict == VerdictClean {
			files = append(files, k+".html")
		}
	}
	for name := range loadCorpus(t) {
		if strings.Contains(name, "/baseline/") {
			files = append(files, name)
		}
	}
	sort.Strings(files)
	for _, f := range files {
		rep := Analyze(Page{HTML: mustRead(t, f)})
		if rep.Verdict != VerdictClean {
			t.Errorf("Analyze flags benign %s: %+v", f, rep.Findings)
		}
	}
}
