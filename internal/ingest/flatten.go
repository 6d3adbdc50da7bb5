package ingest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
)

// flatRecord holds a JSON object's leaves under dotted keys, still in their
// JSON form (string, json.Number, bool, or []any of those for arrays).
// Parsers take the leaves they map and pass the rest on under a prefix.
type flatRecord map[string]any

// flatten turns nested objects into dotted keys. Arrays of scalars become
// one multi-valued leaf; arrays of objects contribute each object's leaves
// to the same dotted keys (as Elasticsearch indexes them), so
// dns.answers[].rdata becomes the multi-valued "dns.answers.rdata".
func flatten(obj map[string]any) flatRecord {
	out := make(flatRecord, 48)
	flattenInto(out, "", obj, false)
	return out
}

func flattenInto(out flatRecord, prefix string, v any, inArray bool) {
	switch x := v.(type) {
	case map[string]any:
		// In key order, so that leaves merged into one key ({"a":{"b":1},
		// "a.b":2}) and the fields kept under MaxFields do not depend on
		// map iteration.
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			child := x[k]
			if k == "" {
				continue
			}
			key := k
			if prefix != "" {
				key = prefix + "." + k
			}
			if len(key) > maxKey {
				continue
			}
			flattenInto(out, key, child, inArray)
		}
	case []any:
		for _, child := range x {
			flattenInto(out, prefix, child, true)
		}
	case nil:
	default:
		if prefix == "" {
			return
		}
		if !inArray {
			if old, ok := out[prefix]; ok {
				// A key spelled both nested and dotted ({"a":{"b":1},"a.b":2})
				// keeps both values.
				out[prefix] = appendLeaf(old, x)
				return
			}
			out[prefix] = x
			return
		}
		out[prefix] = appendLeaf(out[prefix], x)
	}
}

func appendLeaf(old, v any) any {
	switch o := old.(type) {
	case nil:
		return []any{v}
	case []any:
		return append(o, v)
	default:
		return []any{o, v}
	}
}

func (f flatRecord) keys() []string {
	keys := make([]string, 0, len(f))
	for k := range f {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// takeStr removes a leaf and returns it as a string (the first value of a
// multi-valued leaf; numbers in their JSON spelling).
func (f flatRecord) takeStr(key string) string {
	v, ok := f[key]
	if !ok {
		return ""
	}
	delete(f, key)
	return leafString(v)
}

// takeNum removes a leaf and returns it as a number when it is one (or a
// string holding one).
func (f flatRecord) takeNum(key string) (float64, bool) {
	v, ok := f[key]
	if !ok {
		return 0, false
	}
	delete(f, key)
	return leafNumber(v)
}

// takeList removes a leaf and returns it as strings.
func (f flatRecord) takeList(key string) []string {
	v, ok := f[key]
	if !ok {
		return nil
	}
	delete(f, key)
	return leafStrings(v)
}

// rest stores every remaining leaf under prefix.
func (f flatRecord) rest(ev *Event, prefix string) {
	for _, k := range f.keys() {
		setValue(ev, prefix+k, finish(f[k]))
	}
}

// setValue sets a field unless v is nil (Event.Set would store the nil).
func setValue(ev *Event, key string, v any) {
	if v != nil {
		ev.Set(key, v)
	}
}

// finish converts a JSON leaf into an event value: string, float64, bool
// or []string; nil when there is nothing to keep.
func finish(v any) any {
	switch x := v.(type) {
	case string:
		if x == "" {
			return nil
		}
		return x
	case bool:
		return x
	case json.Number:
		if f, ok := leafNumber(x); ok {
			return f
		}
		return string(x)
	case float64:
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return nil
		}
		return x
	case []any:
		if s := leafStrings(x); len(s) > 0 {
			return s
		}
		return nil
	case []string:
		if len(x) == 0 {
			return nil
		}
		return x
	}
	return nil
}

func leafString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return string(x)
	case bool:
		return strconv.FormatBool(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case []any:
		for _, e := range x {
			if s := leafString(e); s != "" {
				return s
			}
		}
	case []string:
		if len(x) > 0 {
			return x[0]
		}
	}
	return ""
}

func leafNumber(v any) (float64, bool) {
	var s string
	switch x := v.(type) {
	case json.Number:
		s = string(x)
	case string:
		s = strings.TrimSpace(x)
	case float64:
		return x, !math.IsInf(x, 0) && !math.IsNaN(x)
	case []any:
		if len(x) > 0 {
			return leafNumber(x[0])
		}
		return 0, false
	default:
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, false
	}
	return f, true
}

func leafStrings(v any) []string {
	switch x := v.(type) {
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			if s := leafString(e); s != "" {
				out = append(out, s)
			}
		}
		if len(out) == 0 {
			return nil
		}
		return out
	case []string:
		return x
	}
	if s := leafString(v); s != "" {
		return []string{s}
	}
	return nil
}

// DecodeJSONEvent reads one JSON object, as the command-line checks take it
// from a JSONL file, into an event with the field names the intake gives a
// generic record: nested objects become dotted keys ({"source":{"ip":"x"}}
// is source.ip), arrays of scalars one multi-valued field, and arrays of
// objects contribute each object's leaves to the same dotted keys
// (dns.answers[].rdata is dns.answers.rdata). Strings, numbers and booleans
// keep their kind. The event time is @timestamp (or timestamp) in RFC 3339;
// without one it is received, and a value that is not a time is an error
// naming the field.
func DecodeJSONEvent(rec []byte, received time.Time) (Event, error) {
	dec := json.NewDecoder(bytes.NewReader(rec))
	dec.UseNumber()
	var obj map[string]any
	if err := dec.Decode(&obj); err != nil {
		return Event{}, fmt.Errorf("not a JSON object: %w", err)
	}
	if obj == nil {
		return Event{}, errors.New("not a JSON object: null")
	}
	ev := Event{Received: received, Time: received, Kind: KindGeneric, Fields: map[string]any{}}
	flatten(obj).rest(&ev, "")
	for _, k := range []string{"@timestamp", "timestamp"} {
		if s := ev.Str(k); s != "" {
			t, err := time.Parse(time.RFC3339Nano, s)
			if err != nil {
				return Event{}, fmt.Errorf("%s %q is not an RFC 3339 time", k, s)
			}
			ev.Time = t
			break
		}
	}
	raw := rec
	if len(raw) > MaxRaw {
		raw, ev.RawTruncated = raw[:MaxRaw], true
	}
	ev.Raw = append([]byte(nil), raw...)
	return ev, nil
}
