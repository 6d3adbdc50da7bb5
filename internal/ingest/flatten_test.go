package ingest

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestDecodeJSONEvent(t *testing.T) {
	received := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	rec := `{"@timestamp":"2026-12-07T08:30:00+08:00","source":{"ip":"185.220.101.1","port":51234},` +
		`"event":{"action":"login"},"tags":["mail","burst"],"ok":false,` +
		`"dns":{"answers":[{"rdata":"203.0.113.9"},{"rdata":"203.0.113.10"}]},"empty":"","nothing":null}`
	ev, err := DecodeJSONEvent([]byte(rec), received)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"@timestamp":        "2026-12-07T08:30:00+08:00",
		"source.ip":         "185.220.101.1",
		"source.port":       float64(51234),
		"event.action":      "login",
		"tags":              []string{"mail", "burst"},
		"ok":                false,
		"dns.answers.rdata": []string{"203.0.113.9", "203.0.113.10"},
	}
	if diff := cmp.Diff(want, ev.Fields); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
	if !ev.Time.Equal(time.Date(2026, 12, 7, 0, 30, 0, 0, time.UTC)) {
		t.Errorf("time %v, want the @timestamp", ev.Time)
	}
	if !ev.Received.Equal(received) || ev.Kind != KindGeneric || string(ev.Raw) != rec {
		t.Errorf("received %v kind %q raw %q", ev.Received, ev.Kind, ev.Raw)
	}

	ev, err = DecodeJSONEvent([]byte(`{"timestamp":"2026-12-07T01:02:03Z","a":1}`), received)
	if err != nil || !ev.Time.Equal(time.Date(2026, 12, 7, 1, 2, 3, 0, time.UTC)) {
		t.Errorf("timestamp field: %v, %v", ev.Time, err)
	}
	ev, err = DecodeJSONEvent([]byte(`{"a":1}`), received)
	if err != nil || !ev.Time.Equal(received) {
		t.Errorf("no time field: %v, %v; want the time received", ev.Time, err)
	}

	for rec, want := range map[string]string{
		`{"@timestamp":"yesterday"}`: `@timestamp "yesterday" is not an RFC 3339 time`,
		`[1,2]`:                      "not a JSON object",
		`null`:                       "not a JSON object",
		`{"a":`:                      "not a JSON object",
	} {
		if _, err := DecodeJSONEvent([]byte(rec), received); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want one containing %q", rec, err, want)
		}
	}

	long := `{"message":"` + strings.Repeat("x", MaxRaw) + `"}`
	ev, err = DecodeJSONEvent([]byte(long), received)
	if err != nil || len(ev.Raw) != MaxRaw || !ev.RawTruncated {
		t.Errorf("long record: raw %d bytes, truncated %v, err %v", len(ev.Raw), ev.RawTruncated, err)
	}
}
