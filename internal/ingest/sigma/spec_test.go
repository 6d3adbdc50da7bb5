package sigma

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestSpecificationExamples replays, for each example of the Sigma
// Correlation Rules Specification v2.1 (testdata/spec/<type>/rules.yml,
// written from the specification's sections, with events that meet and
// events that narrowly miss), the events and compares the matches with
// want.jsonl, in the output format of `fenghuo sigma check`.
func TestSpecificationExamples(t *testing.T) {
	dirs, err := filepath.Glob("testdata/spec/*")
	if err != nil || len(dirs) < 6 {
		t.Fatalf("spec cases: %v %v", dirs, err)
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			set, err := LoadDir(os.DirFS(dir), ".", "spec")
			if err != nil {
				t.Fatal(err)
			}
			e, err := NewEngine(all, set)
			if err != nil {
				t.Fatal(err)
			}
			f, err := os.Open(filepath.Join(dir, "events.jsonl"))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			var got bytes.Buffer
			err = CheckEvents(context.Background(), e, f, time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC), func(m CheckMatch) error {
				return json.NewEncoder(&got).Encode(m)
			})
			if err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(filepath.Join(dir, "want.jsonl"))
			if err != nil {
				t.Fatal(err)
			}
			if got.String() != string(want) {
				t.Errorf("matches:\n%s\nwant:\n%s", got.String(), want)
			}
		})
	}
}
