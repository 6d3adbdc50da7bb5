package sigma

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"fenghuo/internal/ingest"
)

// Flatten turns a generic JSON object into an event with dotted field
// names ({"source":{"ip":"x"}} → "source.ip"), the shape rules read. Arrays
// of scalars become []string; arrays holding objects are kept as their JSON
// text. The event time is @timestamp (or timestamp), RFC 3339; without one
// it is received.
func Flatten(rec []byte, received time.Time) (ingest.Event, error) {
	dec := json.NewDecoder(bytes.NewReader(rec))
	dec.UseNumber()
	var obj map[string]any
	if err := dec.Decode(&obj); err != nil {
		return ingest.Event{}, fmt.Errorf("not a JSON object: %w", err)
	}
	ev := ingest.Event{Received: received, Time: received, Kind: ingest.KindGeneric, Fields: map[string]any{}}
	flattenInto(&ev, "", obj)
	for _, k := range []string{"@timestamp", "timestamp"} {
		if s := ev.Str(k); s != "" {
			t, err := time.Parse(time.RFC3339Nano, s)
			if err != nil {
				return ingest.Event{}, fmt.Errorf("%s %q is not an RFC 3339 time", k, s)
			}
			ev.Time = t
			break
		}
	}
	raw := rec
	if len(raw) > ingest.MaxRaw {
		raw, ev.RawTruncated = raw[:ingest.MaxRaw], true
	}
	ev.Raw = append([]byte(nil), raw...)
	return ev, nil
}

func flattenInto(ev *ingest.Event, prefix string, v any) {
	switch v := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			name := k
			if prefix != "" {
				name = prefix + "." + k
			}
			flattenInto(ev, name, v[k])
		}
	case []any:
		list := make([]string, 0, len(v))
		for _, x := range v {
			switch x := x.(type) {
			case string:
				list = append(list, x)
			case json.Number:
				list = append(list, x.String())
			case bool:
				list = append(list, strconv.FormatBool(x))
			case nil:
			default:
				b, _ := json.Marshal(v)
				ev.Set(prefix, string(b))
				return
			}
		}
		ev.Set(prefix, list)
	case json.Number:
		f, err := v.Float64()
		if err != nil {
			ev.Set(prefix, v.String())
			return
		}
		ev.Set(prefix, f)
	case string, bool:
		ev.Set(prefix, v)
	}
}

// CheckMatch is one line of `fenghuo sigma check` output.
type CheckMatch struct {
	Event  int    `json:"event"` // line number of the event, from 1
	RuleID string `json:"rule_id"`
	Title  string `json:"title"`
	Level  string `json:"level"`
}

// MaxLine bounds one event line of a JSONL file.
const MaxLine = 1 << 20

// CheckEvents runs the engine over JSONL events (one JSON object a line;
// blank lines are skipped but counted) as org 0 and calls emit for every
// match in order. A line that is not a JSON object stops the run with an
// error naming its line.
func CheckEvents(ctx context.Context, e *Engine, r io.Reader, received time.Time, emit func(CheckMatch) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), MaxLine)
	line := 0
	for sc.Scan() {
		line++
		text := bytes.TrimSpace(sc.Bytes())
		if len(text) == 0 {
			continue
		}
		ev, err := Flatten(text, received)
		if err != nil {
			return fmt.Errorf("line %d: %w", line, err)
		}
		for _, m := range e.Detect(ctx, ingest.Source{}, &ev) {
			if err := emit(CheckMatch{Event: line, RuleID: m.RuleID, Title: m.Title, Level: m.Level}); err != nil {
				return err
			}
		}
	}
	if err := sc.Err(); err != nil {
		if strings.Contains(err.Error(), "too long") {
			return fmt.Errorf("line %d: longer than %d bytes", line+1, MaxLine)
		}
		return err
	}
	return nil
}
