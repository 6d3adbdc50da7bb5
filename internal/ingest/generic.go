package ingest

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"sort"
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
// MaxFields (ECS fields first, see capFields) and counts the rest in
// event.fields_dropped.
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
	ev := Event{Received: now, Fields: make(map[string]any, 48)}
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
		return ev, unknownFormat(format)
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

// knownFormat reports whether format is one ParseRecord reads.
func knownFormat(format string) bool {
	switch format {
	case FormatDetect, FormatWazuh, FormatWazuhWebhook, FormatSuricata, FormatGeneric:
		return true
	}
	return false
}

func unknownFormat(format string) error {
	f := clip(format, 40)
	return fenghuo.Errorf(fenghuo.EINVALID,
		"Unknown record format %q (use wazuh, wazuh-webhook, suricata or generic). / 未知的记录格式“%s”（可用 wazuh、wazuh-webhook、suricata 或 generic）。", f, f)
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
