package ingest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"time"

	"fenghuo/internal/fenghuo"
)

// Batch bounds.
const (
	// DefaultBatchLimit is the record limit DecodeBatch applies when given
	// none.
	DefaultBatchLimit = 10000
	// MaxLine bounds one record (an NDJSON line or an array element).
	MaxLine = 1 << 20
	// MaxBatch bounds a whole body.
	MaxBatch = 32 << 20
)

// RecordError is a record of a batch that could not be read; the rest of
// the batch is still decoded.
type RecordError struct {
	// Line locates the record: its line number (from 1) in an NDJSON
	// body, its position (from 1) in a JSON array, 1 for a single object.
	Line int
	Err  error
}

func (e RecordError) Error() string { return fmt.Sprintf("record %d: %v", e.Line, e.Err) }
func (e RecordError) Unwrap() error { return e.Err }

// DecodeBatch reads a body of records — one JSON object, a JSON array of
// objects, or NDJSON (one object per line; application/x-ndjson, or
// application/json holding several lines) — and parses each as ParseRecord
// does. A record that cannot be read is reported in the RecordErrors and
// skipped; the error is for a body that cannot be read at all (an unknown
// format or content type, broken array syntax, more than limit records or
// MaxBatch bytes), in which case no events are returned. limit ≤ 0 means
// DefaultBatchLimit.
func DecodeBatch(format, contentType string, body io.Reader, m *Mapping, limit int) ([]Event, []RecordError, error) {
	return decodeBatch(format, contentType, body, m, limit, time.Now().UTC())
}

// DecodeBatchAt is DecodeBatch with the time the batch was received (the
// time of records that carry none).
func DecodeBatchAt(format, contentType string, body io.Reader, m *Mapping, limit int, received time.Time) ([]Event, []RecordError, error) {
	return decodeBatch(format, contentType, body, m, limit, received.UTC())
}

func decodeBatch(format, contentType string, body io.Reader, m *Mapping, limit int, now time.Time) ([]Event, []RecordError, error) {
	if limit <= 0 {
		limit = DefaultBatchLimit
	}
	if !knownFormat(format) {
		return nil, nil, unknownFormat(format)
	}
	ndjson, err := batchKind(contentType)
	if err != nil {
		return nil, nil, err
	}
	data, err := io.ReadAll(io.LimitReader(body, MaxBatch+1))
	if err != nil {
		// The reader's own error (a size limit, a dropped connection), for
		// the caller to answer as it fits.
		return nil, nil, fmt.Errorf("ingest: reading the batch: %w", err)
	}
	if len(data) > MaxBatch {
		return nil, nil, fenghuo.Errorf(fenghuo.EINVALID, "The body is larger than %d MiB; send smaller batches. / 请求体超过 %d MiB，请分批发送。",
			MaxBatch>>20, MaxBatch>>20)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return nil, nil, fenghuo.Errorf(fenghuo.EINVALID, "The body holds no records. / 请求体中没有记录。")
	}
	b := batch{format: format, m: m, limit: limit, now: now}
	switch {
	case !ndjson && trimmed[0] == '[':
		err = b.array(trimmed)
	case !ndjson && len(trimmed) <= MaxLine && json.Valid(trimmed):
		// One object, possibly spread over several lines.
		b.record(1, trimmed)
	default:
		err = b.lines(data)
	}
	if err != nil {
		return nil, nil, err
	}
	return b.events, b.errs, nil
}

// batchKind reports whether a content type means NDJSON, and refuses types
// that are not JSON at all.
func batchKind(contentType string) (ndjson bool, err error) {
	if contentType == "" {
		return false, nil
	}
	mt, _, perr := mime.ParseMediaType(contentType)
	switch {
	case perr != nil:
	case mt == "application/json" || mt == "text/json" || mt == "text/plain":
		return false, nil
	case mt == "application/x-ndjson" || mt == "application/ndjson" || mt == "application/jsonl" ||
		mt == "application/x-jsonlines" || mt == "application/jsonlines":
		return true, nil
	}
	ct := clip(contentType, 60)
	return false, fenghuo.Errorf(fenghuo.EINVALID,
		"Content type %q is not JSON; send application/json (an object or an array) or application/x-ndjson (one object per line). / 内容类型“%s”不是 JSON；请使用 application/json（对象或数组）或 application/x-ndjson（每行一个对象）。",
		ct, ct)
}

type batch struct {
	format string
	m      *Mapping
	limit  int
	now    time.Time
	count  int
	events []Event
	errs   []RecordError
}

func (b *batch) tooMany() error {
	return fenghuo.Errorf(fenghuo.EINVALID, "The batch has more than %d records; send smaller batches. / 一批记录超过%d条，请分批发送。",
		b.limit, b.limit)
}

// record parses one record at position n.
func (b *batch) record(n int, rec []byte) {
	if len(rec) > MaxLine {
		b.errs = append(b.errs, RecordError{Line: n, Err: fenghuo.Errorf(fenghuo.EINVALID,
			"The record is longer than %d KiB. / 记录超过 %d KiB。", MaxLine>>10, MaxLine>>10)})
		return
	}
	ev, err := parseRecord(b.format, rec, b.m, b.now)
	if err != nil {
		b.errs = append(b.errs, RecordError{Line: n, Err: err})
		return
	}
	b.events = append(b.events, ev)
}

// lines reads NDJSON: blank lines are skipped, numbering counts them.
func (b *batch) lines(data []byte) error {
	line := 0
	for len(data) > 0 {
		line++
		var rec []byte
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			rec, data = data[:i], data[i+1:]
		} else {
			rec, data = data, nil
		}
		rec = bytes.TrimSpace(rec)
		if len(rec) == 0 {
			continue
		}
		b.count++
		if b.count > b.limit {
			return b.tooMany()
		}
		b.record(line, rec)
	}
	return nil
}

// array reads a JSON array of records.
func (b *batch) array(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	broken := func(err error) error {
		return fenghuo.Errorf(fenghuo.EINVALID, "The JSON array is broken after record %d (%s). / JSON 数组在第%d条记录之后损坏（%s）。",
			b.count, clip(err.Error(), 100), b.count, clip(err.Error(), 100))
	}
	if _, err := dec.Token(); err != nil {
		return broken(err)
	}
	for dec.More() {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return broken(err)
		}
		b.count++
		if b.count > b.limit {
			return b.tooMany()
		}
		b.record(b.count, raw)
	}
	if _, err := dec.Token(); err != nil {
		return broken(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return fenghuo.Errorf(fenghuo.EINVALID, "The body has more after its JSON array. / 请求体在 JSON 数组之后还有内容。")
	}
	return nil
}
