package ingest

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"fenghuo/internal/fenghuo"
)

// Record formats accepted by ParseRecord and DecodeBatch. FormatDetect
// ("") picks one from the record's shape.
const (
	FormatDetect       = ""
	FormatWazuh        = "wazuh"         // one line of Wazuh 4.x alerts.json
	FormatWazuhWebhook = "wazuh-webhook" // the body Wazuh 4.x integratord posts
	FormatSuricata     = "suricata"      // one Suricata 7.0 EVE JSON record
	FormatGeneric      = "generic"       // any JSON object, flattened, with an optional Mapping
)

// MaxFields bounds the fields of one event: a record with more leaves keeps
// the first MaxFields in key order and says so in event.fields_dropped.
const MaxFields = 1000

// maxKey bounds one field name; longer names are dropped (no tool sends
// them, and they would only bloat storage and rule evaluation).
const maxKey = 256

// ParseRecord turns one JSON record into an event. format is one of the
// Format constants; FormatDetect picks Wazuh when the record has "rule" and
// "agent" objects (or a webhook's "all_fields" holding them), Suricata when
// it has "event_type" and "src_ip" or "timestamp", and generic otherwise. m,
// when not nil, adds or overrides fields after the format's own mapping.
func ParseRecord(format string, rec []byte, m *Mapping) (Event, error) {
	return parseRecord(format, rec, m, time.Now().UTC())
}

func parseRecord(format string, rec []byte, m *Mapping, now time.Time) (Event, error) {
	ev := Event{Received: now, Fields: map[string]any{}}
	ev.Raw, ev.RawTruncated = keepRaw(rec)
	obj, err := decodeObject(rec)
	if err != nil {
		return ev, err
	}
	if format == FormatDetect {
		format = detectFormat(obj)
	}
	switch format {
	case FormatWazuh:
		err = parseWazuh(obj, &ev)
	case FormatWazuhWebhook:
		if inner, ok := obj["all_fields"].(map[string]any); ok {
			// integratord's shuffle.py (and custom scripts copied from
			// it) wraps the alert: {"severity", "title", "rule_id", …,
			// "all_fields": <the alert>}.
			obj = inner
		}
		err = parseWazuh(obj, &ev)
	case FormatSuricata:
		err = parseSuricata(obj, &ev)
	case FormatGeneric:
		err = parseGeneric(obj, &ev, m)
	default:
		return ev, fenghuo.Errorf(fenghuo.EINVALID,
			"Unknown record format %q (use wazuh, wazuh-webhook, suricata or generic). / 未知的记录格式“%s”（可用 wazuh、wazuh-webhook、suricata 或 generic）。",
			clip(format, 40), clip(format, 40))
	}
	if err != nil {
		return ev, err
	}
	if m != nil && format != FormatGeneric {
		if err := m.apply(obj, &ev); err != nil {
			return ev, err
		}
	}
	if ev.Time.IsZero() {
		ev.Time = ev.Received
	}
	capFields(&ev)
	return ev, nil
}

// detectFormat names the format a decoded record looks like.
func detectFormat(obj map[string]any) string {
	if isWazuhAlert(obj) {
		return FormatWazuh
	}
	if inner, ok := obj["all_fields"].(map[string]any); ok && isWazuhAlert(inner) {
		return FormatWazuhWebhook
	}
	if _, ok := obj["event_type"].(string); ok {
		_, ip := obj["src_ip"]
		_, ts := obj["timestamp"]
		if ip || ts {
			return FormatSuricata
		}
	}
	return FormatGeneric
}

func isWazuhAlert(obj map[string]any) bool {
	_, rule := obj["rule"].(map[string]any)
	_, agent := obj["agent"].(map[string]any)
	return rule && agent
}

// parseGeneric flattens any JSON object into dotted keys and takes its
// time from @timestamp, timestamp or time (or where m says).
func parseGeneric(obj map[string]any, ev *Event, m *Mapping) error {
	ev.Kind = KindGeneric
	flat := flatten(obj)
	if m == nil || !m.DropUnmapped {
		for _, k := range flat.keys() {
			setValue(ev, k, finish(flat[k]))
		}
	}
	m365Audit(obj, ev)
	if m != nil {
		if err := m.apply(obj, ev); err != nil {
			return err
		}
		if m.Time != "" {
			return nil
		}
	}
	for _, key := range []string{"@timestamp", "timestamp", "time"} {
		if v, ok := obj[key]; ok {
			t, err := parseTime(v, nil, time.UTC)
			if err != nil {
				return timeError(key, v)
			}
			ev.Time = t
			return nil
		}
	}
	return nil
}

// decodeObject decodes one JSON object, keeping numbers as json.Number so
// that identifiers (Suricata flow ids, Wazuh alert ids) keep every digit.
func decodeObject(rec []byte) (map[string]any, error) {
	rec = bytes.TrimPrefix(rec, []byte("\xef\xbb\xbf"))
	dec := json.NewDecoder(bytes.NewReader(rec))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fenghuo.Errorf(fenghuo.EINVALID, "The record is empty. / 记录为空。")
		}
		return nil, fenghuo.Errorf(fenghuo.EINVALID, "The record is not valid JSON (%s). / 记录不是有效的 JSON（%s）。",
			clip(err.Error(), 120), clip(err.Error(), 120))
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fenghuo.Errorf(fenghuo.EINVALID,
			"The record has more after its JSON object (one object per line). / 记录在 JSON 对象之后还有内容（每行一个对象）。")
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, fenghuo.Errorf(fenghuo.EINVALID, "The record is JSON but not an object ({…}). / 记录是 JSON 但不是对象（{…}）。")
	}
	return obj, nil
}

// keepRaw copies at most MaxRaw bytes of rec, cut on a UTF-8 boundary.
func keepRaw(rec []byte) ([]byte, bool) {
	if len(rec) <= MaxRaw {
		return bytes.Clone(rec), false
	}
	cut := MaxRaw
	for cut > MaxRaw-utf8.UTFMax && cut > 0 && !utf8.RuneStart(rec[cut]) {
		cut--
	}
	return bytes.Clone(rec[:cut]), true
}

// flatRecord holds a JSON object's leaves under dotted keys, still in their
// JSON form (string, json.Number, bool, or []any of those for arrays).
// Parsers take the leaves they map and pass the rest on under a prefix.
type flatRecord map[string]any

// flatten turns nested objects into dotted keys. Arrays of scalars become
// one multi-valued leaf; arrays of objects contribute each object's leaves
// to the same dotted keys (as Elasticsearch indexes them), so
// dns.answers[].rdata becomes the multi-valued "dns.answers.rdata".
func flatten(obj map[string]any) flatRecord {
	out := flatRecord{}
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

// take removes and returns a leaf in its final form (finish).
func (f flatRecord) take(key string) any {
	v, ok := f[key]
	if !ok {
		return nil
	}
	delete(f, key)
	return finish(v)
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

// Default time layouts, tried in order: RFC 3339, Wazuh's and Suricata's
// "+0800" offsets, space-separated forms, and Wazuh 2.x/3.x text.
var defaultLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999Z0700",
	"2006-01-02 15:04:05.999999999 -0700",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999",
	"2006 Jan 02 15:04:05",
	time.RFC1123Z,
	time.RFC1123,
}

// parseTime reads a time from a JSON value: a string in one of layouts
// (the default layouts when none are given; "unix", "unix_ms" name epoch
// numbers), or a number of seconds (or milliseconds, microseconds,
// nanoseconds by magnitude) since 1970. Times without a zone are in loc.
func parseTime(v any, layouts []string, loc *time.Location) (time.Time, error) {
	if len(layouts) == 0 {
		layouts = defaultLayouts
	}
	if list, ok := v.([]any); ok && len(list) > 0 {
		v = list[0]
	}
	var t time.Time
	switch x := v.(type) {
	case json.Number:
		f, ok := leafNumber(x)
		if !ok {
			return t, errBadTime
		}
		return epoch(f, layouts)
	case string:
		s := strings.TrimSpace(x)
		if s == "" || len(s) > 64 {
			return t, errBadTime
		}
		for _, l := range layouts {
			switch l {
			case "unix", "unix_ms":
				if f, ok := leafNumber(s); ok {
					return epoch(f, []string{l})
				}
				continue
			}
			if p, err := time.ParseInLocation(l, s, loc); err == nil {
				return sane(p)
			}
		}
		if f, ok := leafNumber(s); ok {
			return epoch(f, layouts)
		}
	}
	return t, errBadTime
}

var errBadTime = errors.New("bad time")

func epoch(f float64, layouts []string) (time.Time, error) {
	unit := 0 // by magnitude
	for _, l := range layouts {
		if l == "unix" {
			unit = 1
		} else if l == "unix_ms" {
			unit = 1000
		}
	}
	if unit == 0 {
		switch a := math.Abs(f); {
		case a < 1e11:
			unit = 1
		case a < 1e14:
			unit = 1000
		case a < 1e17:
			unit = 1e6
		default:
			unit = 1e9
		}
	}
	u := float64(unit)
	if math.IsNaN(f) || f < 0 || f/u > 253402300799 { // 9999-12-31
		return time.Time{}, errBadTime
	}
	// Whole seconds first, then the remainder in the record's unit, so
	// that 1772676000123 ms is .123 s exactly.
	sec := math.Floor(f / u)
	rem := f - sec*u
	return sane(time.Unix(int64(sec), int64(math.Round(rem*1e9/u))).UTC())
}

// sane refuses times outside years 1970–9999, which no event carries and
// which storage engines disagree about.
func sane(t time.Time) (time.Time, error) {
	if t.Year() < 1970 || t.Year() > 9999 {
		return time.Time{}, errBadTime
	}
	return t.UTC(), nil
}

func timeError(field string, v any) error {
	s := clip(leafString(v), 64)
	return fenghuo.Errorf(fenghuo.EINVALID, "%s %q is not a time this parser reads (RFC 3339, e.g. 2026-03-05T10:21:13+08:00). / %s“%s”不是可识别的时间（RFC 3339，例如 2026-03-05T10:21:13+08:00）。",
		field, s, field, s)
}

// clip shortens s to at most n runes for an error message.
func clip(s string, n int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}

// capFields keeps at most MaxFields fields: the ECS fields a parser set
// first, then the format's own leftovers (wazuh.*, suricata.eve.*), each in
// key order.
func capFields(ev *Event) {
	if len(ev.Fields) <= MaxFields {
		return
	}
	keys := ev.Keys()
	leftover := func(k string) bool {
		return strings.HasPrefix(k, "wazuh.") || strings.HasPrefix(k, "suricata.eve.")
	}
	sort.SliceStable(keys, func(i, j int) bool { return !leftover(keys[i]) && leftover(keys[j]) })
	for _, k := range keys[MaxFields-1:] {
		delete(ev.Fields, k)
	}
	ev.Fields["event.fields_dropped"] = float64(len(keys) - (MaxFields - 1))
}
