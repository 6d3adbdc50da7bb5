package intake

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"fenghuo/internal/ingest"
)

// The two places that wait for helper "parse" (internal/ingest/enrich.go,
// batch.go and mapping.go). Each is one line for the lead to swap.

// enrich adds what the platform knows to an event before it is stored and
// detected on (geo of source.ip, mail-server message fields).
//
// LEAD(parse): replace the body with `ingest.Enrich(ev)`.
var enrich = func(ev *ingest.Event) {}

// RecordError is one record of a batch that could not be read
// (ingest.RecordError once parse lands).
type RecordError struct {
	Line int
	Err  error
}

// DecodeBatch reads a batch sent to POST /api/v1/alerts: a JSON object, a
// JSON array of objects, or NDJSON (one object a line); at most limit
// records. mapping is the source's generic field mapping (JSON text, ""
// for none).
//
// LEAD(parse): replace the body with a call to ingest.DecodeBatch(format,
// contentType, body, m, limit) (decoding mapping into ingest.Mapping) and
// convert its []ingest.RecordError. Until then records are taken as generic
// JSON: nested objects are flattened to dotted keys, "@timestamp" (RFC 3339)
// is the event time; format and mapping are not applied.
func DecodeBatch(format, contentType string, body io.Reader, mapping string, limit int, received time.Time) ([]ingest.Event, []RecordError, error) {
	data, err := io.ReadAll(body)
	if err != nil {
		return nil, nil, err
	}
	var records [][]byte
	var lines []int
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) > 0 && trimmed[0] == '[' {
		var arr []json.RawMessage
		if err := json.Unmarshal(trimmed, &arr); err != nil {
			return nil, []RecordError{{Line: 1, Err: fmt.Errorf("not a JSON array: %w", err)}}, nil
		}
		for i, r := range arr {
			records, lines = append(records, r), append(lines, i+1)
		}
	} else {
		sc := bufio.NewScanner(bytes.NewReader(data))
		sc.Buffer(make([]byte, 0, 64<<10), ingest.MaxRaw*16)
		n := 0
		for sc.Scan() {
			n++
			line := bytes.TrimSpace(sc.Bytes())
			if len(line) == 0 {
				continue
			}
			records, lines = append(records, append([]byte(nil), line...)), append(lines, n)
		}
		if err := sc.Err(); err != nil {
			return nil, nil, err
		}
	}
	if len(records) > limit {
		return nil, nil, fmt.Errorf("%d records in one batch; send at most %d", len(records), limit)
	}
	var out []ingest.Event
	var bad []RecordError
	for i, rec := range records {
		ev, err := genericEvent(rec, received)
		if err != nil {
			bad = append(bad, RecordError{Line: lines[i], Err: err})
			continue
		}
		out = append(out, ev)
	}
	return out, bad, nil
}

func genericEvent(rec []byte, received time.Time) (ingest.Event, error) {
	var obj map[string]any
	dec := json.NewDecoder(bytes.NewReader(rec))
	if err := dec.Decode(&obj); err != nil || obj == nil {
		if err == nil {
			err = errors.New("null")
		}
		return ingest.Event{}, fmt.Errorf("not a JSON object: %w", err)
	}
	ev := ingest.Event{Received: received, Kind: ingest.KindGeneric, Fields: map[string]any{}}
	flatten("", obj, ev.Fields)
	if ts, ok := ev.Fields["@timestamp"].(string); ok {
		if t, err := time.Parse(time.RFC3339Nano, ts); err == nil {
			ev.Time = t
		}
		delete(ev.Fields, "@timestamp")
	}
	ev.Raw = rec
	if len(ev.Raw) > ingest.MaxRaw {
		ev.Raw, ev.RawTruncated = ev.Raw[:ingest.MaxRaw], true
	}
	return ev, nil
}

// flatten turns nested objects into dotted keys with the value types an
// ingest.Event allows.
func flatten(prefix string, obj map[string]any, out map[string]any) {
	for k, v := range obj {
		key := k
		if prefix != "" {
			key = prefix + "." + k
		}
		switch x := v.(type) {
		case map[string]any:
			flatten(key, x, out)
		case string:
			if x != "" {
				out[key] = x
			}
		case float64, bool:
			out[key] = x
		case []any:
			var list []string
			for _, e := range x {
				switch y := e.(type) {
				case string:
					list = append(list, y)
				case float64, bool:
					list = append(list, fmt.Sprint(y))
				}
			}
			if len(list) > 0 {
				out[key] = list
			}
		}
	}
}

// checkMapping validates a generic field mapping given as JSON text.
//
// LEAD(parse): also decode it into ingest.Mapping (json.Unmarshal with
// DisallowUnknownFields) so that a mapping is refused when it is saved.
func checkMapping(text string) error {
	if strings.TrimSpace(text) == "" {
		return nil
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(text), &m); err != nil || m == nil {
		return errors.New("the mapping must be a JSON object")
	}
	return nil
}
