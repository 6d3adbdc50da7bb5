package ingest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"fenghuo/internal/fenghuo"
)

// Mapping says how to read a JSON record from a tool Fenghuo has no parser
// for. It is data (kept with an intake source, edited as JSON), for example:
//
//	{
//	  "time": "log.ts", "layouts": ["2006-01-02 15:04:05"], "zone": "+08:00",
//	  "fields": {"source.ip": "client.addr", "user.name": "login.user", "event.action": "op"},
//	  "constants": {"event.category": ["authentication"], "event.module": "vpn"},
//	  "multi": ["event.category"],
//	  "drop_unmapped": false
//	}
//
// Source paths are dotted paths into the nested JSON ("client.addr" reads
// {"client":{"addr":…}} and also a key spelled "client.addr"); through
// arrays of objects a path collects every element's value. For Wazuh and
// Suricata records a mapping adds to (and may override) what their parser
// made.
type Mapping struct {
	// Time is the source path of the event time; empty means @timestamp,
	// timestamp or time for generic records and the format's own field
	// otherwise.
	Time string `json:"time,omitempty"`
	// Layouts are Go time layouts tried in order ("unix" and "unix_ms" for
	// epoch numbers); empty means RFC 3339 and the common variants.
	Layouts []string `json:"layouts,omitempty"`
	// Zone is the offset of times written without one: "UTC" (the default)
	// or a fixed offset such as "+08:00".
	Zone string `json:"zone,omitempty"`
	// Fields maps an ECS-style field name to the source path it comes from.
	Fields map[string]string `json:"fields,omitempty"`
	// Constants are set on every event: strings, numbers, booleans or lists
	// of strings.
	Constants map[string]any `json:"constants,omitempty"`
	// Multi names the fields always stored as lists of strings; any other
	// field takes the first value when its source holds several.
	Multi []string `json:"multi,omitempty"`
	// DropUnmapped keeps only mapped fields and constants of a generic
	// record instead of every flattened leaf as well.
	DropUnmapped bool `json:"drop_unmapped,omitempty"`
}

// fieldName is what an ECS-style field name may look like.
var fieldName = regexp.MustCompile(`^@?[A-Za-z0-9_][A-Za-z0-9_\-]*(\.[A-Za-z0-9_@][A-Za-z0-9_\-]*)*$`)

var zoneOffset = regexp.MustCompile(`^[+-](0\d|1[0-4]):[0-5]\d$`)

// ParseMapping decodes and checks a mapping, refusing unknown keys so that
// a misspelt "feilds" is not silently ignored.
func ParseMapping(b []byte) (*Mapping, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var m Mapping
	if err := dec.Decode(&m); err != nil {
		if key, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			key = clip(strings.Trim(key, `"`), 60)
			return nil, fenghuo.Errorf(fenghuo.EINVALID, "The field mapping has an unknown key “%s”: use time, layouts, zone, fields, constants, multi or drop_unmapped. / 字段映射含有未知的键“%s”，可用的键为 time、layouts、zone、fields、constants、multi、drop_unmapped。", key, key)
		}
		return nil, fenghuo.Errorf(fenghuo.EINVALID, "The field mapping is not valid JSON for a mapping (%s). / 字段映射不是有效的JSON映射，请检查括号、引号和键名（见接入文档的映射格式）。",
			clip(err.Error(), 120))
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	return &m, nil
}

// Validate checks the mapping and reports the first thing wrong.
func (m *Mapping) Validate() error {
	bad := func(field, en, zh string, args ...any) error {
		return fenghuo.FieldErrorf(field, "%s / %s", fmt.Sprintf(en, args...), fmt.Sprintf(zh, args...))
	}
	if m.Zone != "" && m.Zone != "UTC" && !zoneOffset.MatchString(m.Zone) {
		return bad("zone", "Zone %q is not UTC or an offset such as +08:00.", "时区“%s”应为 UTC 或偏移量，例如 +08:00。", clip(m.Zone, 20))
	}
	for _, l := range m.Layouts {
		if l == "" || len(l) > 64 {
			return bad("layouts", "A time layout must be 1 to 64 characters.", "时间格式长度应为1到64个字符。")
		}
	}
	for _, name := range m.sortedFields() {
		if !fieldName.MatchString(name) || len(name) > maxKey {
			return bad("fields", "%q is not a field name (letters, digits, _ and - in dotted parts).", "“%s”不是有效的字段名（以点分隔的字母、数字、_ 和 -）。", clip(name, 40))
		}
		if p := m.Fields[name]; p == "" || len(p) > maxKey {
			return bad("fields", "Field %s needs a source path of 1 to %d characters.", "字段 %s 需要1到%d个字符的来源路径。", name, maxKey)
		}
	}
	names := make([]string, 0, len(m.Constants))
	for name := range m.Constants {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if !fieldName.MatchString(name) || len(name) > maxKey {
			return bad("constants", "%q is not a field name (letters, digits, _ and - in dotted parts).", "“%s”不是有效的字段名（以点分隔的字母、数字、_ 和 -）。", clip(name, 40))
		}
		if constantValue(m.Constants[name]) == nil {
			return bad("constants", "Constant %s must be a string, number, true/false or a list of strings.", "常量 %s 应为字符串、数字、布尔值或字符串列表。", name)
		}
	}
	for _, name := range m.Multi {
		if !fieldName.MatchString(name) {
			return bad("multi", "%q is not a field name.", "“%s”不是有效的字段名。", clip(name, 40))
		}
	}
	if m.Time != "" && len(m.Time) > maxKey {
		return bad("time", "The time path is longer than %d characters.", "时间字段路径超过%d个字符。", maxKey)
	}
	return nil
}

func (m *Mapping) sortedFields() []string {
	names := make([]string, 0, len(m.Fields))
	for name := range m.Fields {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

func (m *Mapping) location() *time.Location {
	if m.Zone == "" || m.Zone == "UTC" || !zoneOffset.MatchString(m.Zone) {
		return time.UTC
	}
	var h, min int
	fmt.Sscanf(m.Zone[1:], "%d:%d", &h, &min)
	off := h*3600 + min*60
	if m.Zone[0] == '-' {
		off = -off
	}
	return time.FixedZone(m.Zone, off)
}

// constantValue converts a JSON-decoded constant into an event value, nil
// when it has no allowed form.
func constantValue(v any) any {
	switch x := v.(type) {
	case string, bool:
		return finish(x)
	case float64:
		return finish(x)
	case json.Number:
		return finish(x)
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			s, ok := e.(string)
			if !ok {
				return nil
			}
			out = append(out, s)
		}
		if len(out) == 0 {
			return nil
		}
		return out
	case []string:
		return finish(x)
	}
	return nil
}

// apply sets the mapped fields, constants and time of obj on ev.
func (m *Mapping) apply(obj map[string]any, ev *Event) error {
	flat := flatten(obj)
	for _, name := range m.sortedFields() {
		v, ok := flat[m.Fields[name]]
		if !ok {
			continue
		}
		if slices.Contains(m.Multi, name) {
			if list := leafStrings(v); list != nil {
				ev.Set(name, list)
			}
			continue
		}
		if list, ok := v.([]any); ok && len(list) > 0 {
			v = list[0]
		}
		if f := finish(v); f != nil {
			ev.Set(name, f)
		}
	}
	names := make([]string, 0, len(m.Constants))
	for name := range m.Constants {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		v := constantValue(m.Constants[name])
		if s, ok := v.(string); ok && slices.Contains(m.Multi, name) {
			v = []string{s}
		}
		if v != nil {
			ev.Set(name, v)
		}
	}
	if m.Time != "" {
		v, ok := flat[m.Time]
		if !ok {
			return fenghuo.Errorf(fenghuo.EINVALID, "The record has no %s (the mapping's time field). / 记录缺少映射指定的时间字段 %s。",
				clip(m.Time, 60), clip(m.Time, 60))
		}
		t, err := parseTime(v, m.Layouts, m.location())
		if err != nil {
			return timeError(m.Time, v)
		}
		ev.Time = t
	}
	return nil
}
