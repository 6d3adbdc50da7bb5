package sigma

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"fenghuo/internal/fuzzseed"
	"fenghuo/internal/ingest"
)

// hostileRules are rule files that once tripped, or could trip, a loader:
// they seed FuzzLoadRule (testdata/fuzz/FuzzLoadRule, kept equal to this
// list by TestWriteRuleFuzzSeeds).
func hostileRules() map[string][]byte {
	return map[string][]byte{
		"valid":             []byte("title: t\nid: a\ndetection:\n  s:\n    message|contains: x\n  condition: s\n"),
		"correlation":       []byte("title: c\nid: c\ncorrelation:\n  type: event_count\n  rules: [r]\n  group-by: [source.ip]\n  timespan: 5m\n  condition: {gte: 2}\n---\ntitle: r\nid: r\ndetection:\n  s:\n    a: 1\n  condition: s\n"),
		"null-value":        []byte("title: t\nid: a\ndetection:\n  s:\n    user.name: null\n  condition: s\n"),
		"keywords":          []byte("title: t\nid: a\ndetection:\n  k:\n    - evil\n  condition: k\n"),
		"aggregation":       []byte("title: t\nid: a\ndetection:\n  s:\n    a: 1\n  condition: s | count() by b > 3\n"),
		"cycle":             []byte("title: a\nid: a\ncorrelation: {type: temporal, rules: [b], group-by: [x], timespan: 1m}\n---\ntitle: b\nid: b\ncorrelation: {type: temporal, rules: [a], group-by: [x], timespan: 1m}\n"),
		"bad-timespan":      []byte("title: c\nid: c\ncorrelation: {type: event_count, rules: [r], timespan: 99999999999d, condition: {gte: 1}}\n"),
		"scalar-detection":  []byte("title: t\nid: a\ndetection: 3\n"),
		"alias-bomb":        []byte("a: &a [x, x, x, x]\nb: &b [*a, *a, *a, *a]\nc: &c [*b, *b, *b, *b]\ntitle: t\nid: a\ndetection:\n  s:\n    f: *c\n  condition: s\n"),
		"empty":             []byte(""),
		"docs-only":         []byte("---\n---\n"),
		"placeholder":       []byte("title: t\nid: a\ndetection:\n  s:\n    f: '%admins%'\n  condition: s\n"),
		"mapping-value":     []byte("title: t\nid: a\ndetection:\n  s:\n    f: {x: 1}\n  condition: s\n"),
		"deep-condition":    []byte("title: t\nid: a\ndetection:\n  s:\n    f: 1\n  condition: " + strings.Repeat("(", 200) + "s" + strings.Repeat(")", 200) + "\n"),
		"bad-regex":         []byte("title: t\nid: a\ndetection:\n  s:\n    f|re: '('\n  condition: s\n"),
		"modifier-not-last": []byte("title: t\nid: a\ndetection:\n  s:\n    f|contains|base64: x\n  condition: s\n"),
	}
}

func TestWriteRuleFuzzSeeds(t *testing.T) {
	for name, doc := range hostileRules() {
		fuzzseed.Check(t, "FuzzLoadRule", name, doc)
	}
}

// FuzzLoadRule: any input either loads (and then evaluates on an event
// without panicking) or is refused with located *Error values.
func FuzzLoadRule(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		rules, corrs, err := Parse("fuzz.yml", data)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error without a location: %v", err)
			}
			return
		}
		set := &RuleSet{Name: "fuzz", Rules: rules, Correlations: corrs}
		if set.Check() != nil {
			return
		}
		eng, err := NewEngine(func(int64, string) bool { return true }, set)
		if err != nil {
			return
		}
		ev := &ingest.Event{Time: time.Unix(0, 0), Kind: ingest.KindGeneric, Fields: map[string]any{
			"message": "x", "f": "1", "a": float64(1), "user.name": "u", "event.category": []string{"network"},
		}}
		eng.Detect(context.Background(), ingest.Source{}, ev)
	})
}
