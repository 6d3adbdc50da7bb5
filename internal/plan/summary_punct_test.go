package plan

import (
	"bytes"
	"strings"
	"testing"

	"fenghuo/internal/phrase"
)

// TestSummaryChinesePunctuation: the Chinese plan summary (fenghuo plan
// show) puts full-width punctuation between Chinese words in its own
// wording (the plan's words stay as the plan writes them), and no quote
// mark of the plan's words reaches either language's output.
func TestSummaryChinesePunctuation(t *testing.T) {
	reg := Builtin()
	for _, id := range reg.IDs() {
		p, err := reg.Get(id)
		if err != nil {
			t.Fatal(err)
		}
		for _, en := range []bool{false, true} {
			var buf bytes.Buffer
			var marked []string
			if err := writeSummary(&summary{w: &buf, en: en, marked: func(l string) { marked = append(marked, l) }}, p); err != nil {
				t.Fatal(err)
			}
			if strings.ContainsAny(buf.String(), string(quoteOpen)+string(quoteClose)) {
				t.Errorf("%s (en %v): a quote mark reached the output", id, en)
			}
			if en {
				continue
			}
			out := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
			if len(out) != len(marked) {
				t.Fatalf("%s: %d lines written, %d marked", id, len(out), len(marked))
			}
			for i, line := range out {
				// The line's own wording: the plan's words replaced by a
				// Chinese placeholder, so that punctuation next to them counts.
				own := phrase.FullWidthOutside(tightMarks(marked[i]), quoteOpen, quoteClose)
				if own != line {
					t.Errorf("%s: line %q written as %q", id, own, line)
				}
				if bad := phrase.ASCIIPunctNearCJK(withoutPlanWords(line, marked[i])); len(bad) > 0 {
					t.Errorf("%s: ASCII punctuation next to Chinese in %q (at %q)", id, line, bad)
				}
			}
		}
	}
}

// withoutPlanWords is a written line with each of the plan's words (the
// quoted parts of its marked form) replaced by 词: what the summary itself
// wrote, with a Chinese neighbour where the plan's words stood.
func withoutPlanWords(line, marked string) string {
	for {
		i := strings.IndexRune(marked, quoteOpen)
		if i < 0 {
			return line
		}
		j := strings.IndexRune(marked[i:], quoteClose)
		if j < 0 {
			return line
		}
		if w := marked[i+len(string(quoteOpen)) : i+j]; w != "" {
			line = strings.Replace(line, w, "词", 1)
		}
		marked = marked[i+j+len(string(quoteClose)):]
	}
}
