package ingest

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"fenghuo/internal/fenghuo"
)

func TestParseGeneric(t *testing.T) {
	tests := []struct {
		name string
		rec  string
		time time.Time
		want map[string]any
	}{
		{"nested flattened", `{"@timestamp":"2026-03-05T10:00:00+08:00","source":{"ip":"185.220.101.1","port":443},"user":{"name":"alice"},"ok":true,"tags":["a","b"],"n":null,"empty":"","o":{}}`,
			time.Date(2026, 3, 5, 2, 0, 0, 0, time.UTC),
			map[string]any{"source.ip": "185.220.101.1", "source.port": 443.0, "user.name": "alice", "ok": true,
				"tags": []string{"a", "b"}, "n": nil, "empty": nil, "o": nil, "@timestamp": "2026-03-05T10:00:00+08:00"}},
		{"arrays of objects", `{"time":1772676000,"answers":[{"data":"a","ttl":5},{"data":"b"}],"mixed":[1,"x",true,null,{"k":"v"}]}`,
			time.Date(2026, 3, 5, 2, 0, 0, 0, time.UTC),
			map[string]any{"answers.data": []string{"a", "b"}, "answers.ttl": []string{"5"}, "mixed": []string{"1", "x", "true"}, "mixed.k": []string{"v"}}},
		{"epoch ms", `{"timestamp":1772676000123}`, time.Date(2026, 3, 5, 2, 0, 0, 123e6, time.UTC), map[string]any{"timestamp": 1772676000123.0}},
		{"no time", `{"msg":"x"}`, testNow, map[string]any{"msg": "x"}},
		{"dotted and nested keys", `{"a":{"b":"1"},"a.b":"2"}`, testNow, map[string]any{"a.b": []string{"1", "2"}}},
		{"looks like neither", `{"rule":"x","agent":"y","event_type":1}`, testNow, map[string]any{"rule": "x", "event_type": 1.0}},
	}
	for _, tt := range tests {
		for _, format := range []string{FormatGeneric, FormatDetect} {
			ev, err := parseRecord(format, []byte(tt.rec), nil, testNow)
			if err != nil {
				t.Fatalf("%s %q: %v", tt.name, format, err)
			}
			if ev.Kind != KindGeneric || !ev.Time.Equal(tt.time) {
				t.Fatalf("%s %q: kind %q time %v want %v", tt.name, format, ev.Kind, ev.Time, tt.time)
			}
			checkValues(t, &ev)
			wantFields(t, ev, tt.want)
		}
	}
	if _, err := parseRecord(FormatGeneric, []byte(`{"time":"half past ten"}`), nil, testNow); err == nil {
		t.Fatal("unreadable time accepted")
	}
	_, err := parseRecord("splunk", []byte(`{}`), nil, testNow)
	if fenghuo.ErrorCode(err) != fenghuo.EINVALID || !strings.Contains(err.Error(), "未知的记录格式") {
		t.Fatalf("unknown format: %v", err)
	}
}

func TestMapping(t *testing.T) {
	m, err := ParseMapping([]byte(`{
		"time": "log.ts", "layouts": ["2006-01-02 15:04:05"], "zone": "+08:00",
		"fields": {"source.ip": "client.addr", "user.name": "login.user", "event.action": "op", "related.ip": "hops.ip", "source.port": "client.port"},
		"constants": {"event.category": ["authentication"], "event.module": "vpn", "event.severity": 3, "vpn.audited": true},
		"multi": ["event.category", "related.ip"]
	}`))
	if err != nil {
		t.Fatal(err)
	}
	rec := `{"log":{"ts":"2026-03-05 10:00:00"},"client":{"addr":"185.220.101.1","port":"50122"},"login":{"user":"alice"},"op":"login","hops":[{"ip":"10.0.0.1"},{"ip":"10.0.0.2"}],"extra":"kept"}`
	ev, err := parseRecord(FormatGeneric, []byte(rec), m, testNow)
	if err != nil {
		t.Fatal(err)
	}
	checkValues(t, &ev)
	if !ev.Time.Equal(time.Date(2026, 3, 5, 2, 0, 0, 0, time.UTC)) {
		t.Fatalf("time %v", ev.Time)
	}
	wantFields(t, ev, map[string]any{
		"source.ip": "185.220.101.1", "user.name": "alice", "event.action": "login", "source.port": "50122",
		"related.ip": []string{"10.0.0.1", "10.0.0.2"}, "event.category": []string{"authentication"},
		"event.module": "vpn", "event.severity": 3.0, "vpn.audited": true, "extra": "kept", "client.addr": "185.220.101.1",
	})

	m.DropUnmapped = true
	ev, err = parseRecord(FormatGeneric, []byte(rec), m, testNow)
	if err != nil {
		t.Fatal(err)
	}
	wantFields(t, ev, map[string]any{"extra": nil, "client.addr": nil, "user.name": "alice"})

	// A missing time field is an error naming it.
	_, err = parseRecord(FormatGeneric, []byte(`{"op":"x"}`), m, testNow)
	if err == nil || !strings.Contains(err.Error(), "log.ts") {
		t.Fatalf("missing time: %v", err)
	}
	// On a Wazuh alert a mapping adds fields.
	line := readLines(t, "testdata/wazuh/alerts.json")[0]
	ev, err = parseRecord(FormatWazuh, line, &Mapping{Fields: map[string]string{"organization.name": "agent.name"}, Constants: map[string]any{"labels.site": "hq"}}, testNow)
	if err != nil || ev.Str("organization.name") != "mail01" || ev.Str("labels.site") != "hq" || ev.Str("rule.id") != "5712" {
		t.Fatalf("mapping on wazuh: %v %v", err, ev.Fields)
	}
	// Layout "unix_ms".
	ev, err = parseRecord(FormatGeneric, []byte(`{"t":"1772676000123"}`), &Mapping{Time: "t", Layouts: []string{"unix_ms"}}, testNow)
	if err != nil || !ev.Time.Equal(time.Date(2026, 3, 5, 2, 0, 0, 123e6, time.UTC)) {
		t.Fatalf("unix_ms: %v %v", err, ev.Time)
	}
}

func TestParseMappingRefuses(t *testing.T) {
	for name, doc := range map[string]string{
		"unknown key":     `{"feilds":{}}`,
		"bad zone":        `{"zone":"Asia/Shanghai"}`,
		"bad field name":  `{"fields":{"source ip":"a"}}`,
		"empty path":      `{"fields":{"source.ip":""}}`,
		"object constant": `{"constants":{"a":{"b":1}}}`,
		"mixed list":      `{"constants":{"a":["x",1]}}`,
		"null constant":   `{"constants":{"a":null}}`,
		"empty layout":    `{"layouts":[""]}`,
		"not json":        `{`,
	} {
		if _, err := ParseMapping([]byte(doc)); err == nil {
			t.Errorf("%s: accepted", name)
		} else if !strings.Contains(err.Error(), " / ") {
			t.Errorf("%s: message not bilingual: %v", name, err)
		}
	}
}

func TestRawTruncated(t *testing.T) {
	rec := `{"message":"` + strings.Repeat("界", MaxRaw/3+10) + `"}`
	ev, err := parseRecord(FormatGeneric, []byte(rec), nil, testNow)
	if err != nil {
		t.Fatal(err)
	}
	if !ev.RawTruncated || len(ev.Raw) > MaxRaw || len(ev.Raw) < MaxRaw-3 || !strings.HasPrefix(rec, string(ev.Raw)) {
		t.Fatalf("raw %d truncated %v", len(ev.Raw), ev.RawTruncated)
	}
	if s := ev.Str("message"); len(s) != len(rec)-len(`{"message":""}`) {
		t.Fatalf("message cut to %d", len(s))
	}
}

func TestMaxFields(t *testing.T) {
	var b strings.Builder
	b.WriteString("{")
	for i := range 3000 {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`"k` + strconv.Itoa(i) + `":1`)
	}
	b.WriteString("}")
	ev, err := parseRecord(FormatGeneric, []byte(b.String()), nil, testNow)
	if err != nil {
		t.Fatal(err)
	}
	checkValues(t, &ev)
	if len(ev.Fields) != MaxFields || ev.Fields["event.fields_dropped"] != float64(3000-MaxFields+1) {
		t.Fatalf("%d fields, dropped %v", len(ev.Fields), ev.Fields["event.fields_dropped"])
	}
}

func TestMaxFieldsKeepsECS(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"rule":{"id":"1","level":3},"agent":{"name":"a"},"data":{"srcip":"185.220.101.1"`)
	for i := range 1500 {
		b.WriteString(`,"k` + strconv.Itoa(i) + `":1`)
	}
	b.WriteString("}}")
	ev, err := parseRecord(FormatWazuh, []byte(b.String()), nil, testNow)
	if err != nil {
		t.Fatal(err)
	}
	checkValues(t, &ev)
	wantFields(t, ev, map[string]any{"rule.id": "1", "source.ip": "185.220.101.1", "host.name": "a", "event.severity": 3.0})
	if len(ev.Fields) != MaxFields {
		t.Fatalf("%d fields", len(ev.Fields))
	}
}
