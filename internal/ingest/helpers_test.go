package ingest

import (
	"bufio"
	"bytes"
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// testNow is the receive time of test records.
var testNow = time.Date(2026, 3, 5, 3, 0, 0, 0, time.UTC)

// readLines returns the non-blank lines of a testdata file.
func readLines(t testing.TB, name string) [][]byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var out [][]byte
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, MaxLine)
	for sc.Scan() {
		if l := bytes.TrimSpace(sc.Bytes()); len(l) > 0 {
			out = append(out, bytes.Clone(l))
		}
	}
	return out
}

// checkValues fails unless every value of ev is a string, float64, bool
// or []string, none empty (the contract of Event.Fields).
func checkValues(t testing.TB, ev *Event) {
	t.Helper()
	for k, v := range ev.Fields {
		if k == "" {
			t.Fatalf("empty field name in %v", ev.Fields)
		}
		switch x := v.(type) {
		case string:
			if x == "" {
				t.Fatalf("%s: empty string", k)
			}
		case float64, bool:
		case []string:
			if len(x) == 0 {
				t.Fatalf("%s: empty list", k)
			}
		default:
			t.Fatalf("%s: value %#v of type %T", k, v, v)
		}
	}
	if len(ev.Fields) > MaxFields {
		t.Fatalf("%d fields, more than MaxFields", len(ev.Fields))
	}
	if len(ev.Raw) > MaxRaw {
		t.Fatalf("raw of %d bytes", len(ev.Raw))
	}
}

// wantFields fails unless ev has every field of want with an equal value.
func wantFields(t *testing.T, ev Event, want map[string]any) {
	t.Helper()
	for k, w := range want {
		got, ok := ev.Fields[k]
		if w == nil {
			if ok {
				t.Errorf("%s = %#v, want absent", k, got)
			}
			continue
		}
		if !ok {
			t.Errorf("%s absent, want %#v", k, w)
			continue
		}
		if !reflect.DeepEqual(got, w) {
			t.Errorf("%s: %s", k, cmp.Diff(w, got))
		}
	}
}
