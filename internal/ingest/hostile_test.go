package ingest

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// hostileRecords are JSON records no tool should send: they seed the fuzz
// targets and TestHostileRecords runs each through every format.
func hostileRecords() map[string][]byte {
	out := map[string][]byte{
		"deep-array":         []byte(strings.Repeat("[", 20000) + strings.Repeat("]", 20000)),
		"deep-object":        []byte(strings.Repeat(`{"a":`, 5000) + "1" + strings.Repeat("}", 5000)),
		"deep-wazuh-data":    []byte(`{"rule":{"id":"1"},"agent":{"id":"0"},"data":` + strings.Repeat(`{"x":[`, 2000) + `"v"` + strings.Repeat("]}", 2000) + "}"),
		"huge-numbers":       []byte(`{"timestamp":1e400,"event_type":"flow","src_ip":"1.2.3.4","src_port":1e309,"flow_id":-0,"x":123456789012345678901234567890}`),
		"neg-epoch":          []byte(`{"time":-62135596800}`),
		"year-zero":          []byte(`{"@timestamp":"0000-01-01T00:00:00Z"}`),
		"year-10000":         []byte(`{"timestamp":"10000-01-01T00:00:00Z","event_type":"dns"}`),
		"invalid-utf8":       []byte("{\"message\":\"\xff\xfe\xc0\xaf\xed\xa0\x80\",\"\xff\":\"x\",\"rule\":{\"id\":\"\xc3\"},\"agent\":{}}"),
		"nul-bytes":          []byte("{\"event_type\":\"alert\x00\",\"src_ip\":\"1.2.3.4\x00\",\"timestamp\":\"2026-03-05T10:00:00Z\",\"\x00\":\"\x00\"}"),
		"empty-keys":         []byte(`{"":1,"a":{"":2},".":3,"..":{"..":4},"a.":5}`),
		"dup-keys":           []byte(`{"rule":{"id":"1"},"rule":{"id":"2"},"agent":{},"agent":[]}`),
		"wrong-types-wazuh":  []byte(`{"rule":{"id":[1,2],"level":"high","groups":"syslog","mitre":{"id":"T1"}},"agent":{"id":{"x":1},"ip":5},"data":{"srcport":"http","srcip":["1.2.3.4"]},"timestamp":12}`),
		"wrong-types-eve":    []byte(`{"event_type":"alert","timestamp":"2026-03-05T10:00:00Z","alert":"x","http":[1,2],"dns":{"answers":"x","rrname":{}},"tls":{"version":7},"flow":{"bytes_toserver":"-1"},"fileinfo":{"filename":"\\\\..\\\\"}}`),
		"webhook-not-object": []byte(`{"all_fields":"x","rule_id":"1"}`),
		"webhook-nested":     []byte(`{"all_fields":{"all_fields":{"rule":{},"agent":{}}}}`),
		"big-message":        []byte(`{"message":"` + strings.Repeat("界", 50) + strings.Repeat("x", MaxRaw) + `"}`),
		"long-key":           []byte(`{"` + strings.Repeat("k", 1000) + `":1}`),
		"array-of-arrays":    []byte(`{"a":[[1,[2,[3]]],{"b":[{"c":[null,{}]}]}]}`),
		"time-layouts":       []byte(`{"timestamp":"2026-03-05 10:00:00.123 +0800"}`),
		"not-object":         []byte(`"just a string"`),
		"trailing":           []byte(`{"a":1}garbage`),
		"bom":                []byte("\xef\xbb\xbf{\"a\":1}"),
	}
	var many bytes.Buffer
	many.WriteString("{")
	for i := range 2500 {
		fmt.Fprintf(&many, `"k%d":{"v":%d},`, i, i)
	}
	many.WriteString(`"z":0}`)
	out["many-fields"] = many.Bytes()
	return out
}

func TestHostileRecords(t *testing.T) {
	for name, rec := range hostileRecords() {
		for _, format := range []string{FormatWazuh, FormatWazuhWebhook, FormatSuricata, FormatGeneric, FormatDetect} {
			ev, err := ParseRecord(format, rec, nil)
			if err != nil {
				if !strings.Contains(err.Error(), " / ") {
					t.Errorf("%s %q: error not bilingual: %v", name, format, err)
				}
				continue
			}
			checkEvent(t, &ev)
		}
	}
}
