package sigma

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fenghuo/internal/ingest"
)

// Quick rejection must never drop a match sigma-go makes: over the
// built-in, benchmark and specification rules and many variants of events,
// every rule sigma-go matches must pass mayMatch; and it must reject most
// non-matching pairs, or it would not be worth having.
func TestQuickRejectionIsSound(t *testing.T) {
	sets, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	sets = append(sets, benchRules(t, 50))
	dirs, _ := filepath.Glob("testdata/spec/*")
	var events []*ingest.Event
	for _, dir := range dirs {
		s, err := LoadDir(os.DirFS(dir), ".", dir)
		if err != nil {
			t.Fatal(err)
		}
		sets = append(sets, s)
		data, err := os.ReadFile(filepath.Join(dir, "events.jsonl"))
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range splitLines(data) {
			ev, err := ingest.DecodeJSONEvent(line, time.Now())
			if err == nil {
				events = append(events, &ev)
			}
		}
	}
	events = append(events, benchEvents()...)
	for _, ev := range benchEvents() { // case variants
		up := &ingest.Event{Time: ev.Time, Kind: ev.Kind, Fields: map[string]any{}}
		for k, v := range ev.Fields {
			if s, ok := v.(string); ok {
				v = upper(s)
			}
			up.Fields[k] = v
		}
		events = append(events, up)
	}
	e, err := NewEngine(all, sets...)
	if err != nil {
		t.Fatal(err)
	}
	matched, rejected, pairs := 0, 0, 0
	for _, cs := range *e.sets.Load() {
		for _, r := range cs.rules {
			for _, ev := range events {
				fields := ev.Fields
				if r.derived {
					fields = withDerived(ev)
				}
				res, err := r.eval.Matches(context.Background(), fields)
				may := r.quick.mayMatch(&quickEvent{fields: fields})
				pairs++
				if err == nil && res.Match {
					matched++
					if !may {
						t.Errorf("rule %s (%s) matches an event that quick rejection drops: %v", r.ID, r.Title, ev.Fields)
					}
				} else if !may {
					rejected++
				}
			}
		}
	}
	if matched == 0 || rejected < (pairs-matched)/2 {
		t.Errorf("matched %d, rejected %d of %d pairs", matched, rejected, pairs)
	}
}

func splitLines(b []byte) [][]byte {
	var out [][]byte
	start := 0
	for i, c := range b {
		if c == '\n' {
			if i > start {
				out = append(out, b[start:i])
			}
			start = i + 1
		}
	}
	return out
}

func upper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 32
		}
	}
	return string(b)
}
