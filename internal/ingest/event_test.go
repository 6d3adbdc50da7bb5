package ingest

import (
	"reflect"
	"testing"
)

func TestEventFields(t *testing.T) {
	var e Event
	e.Set("message", "")
	if _, ok := e.Fields["message"]; ok {
		t.Fatal("an empty string is stored")
	}
	e.Set("source.ip", "203.0.113.9")
	e.Set("event.category", []string{"authentication", "email"})
	e.Set("event.severity", 7.0)
	e.Set("event.ingested", true)
	for key, want := range map[string]string{"source.ip": "203.0.113.9", "event.category": "authentication", "event.severity": "7", "event.ingested": "true", "absent": ""} {
		if got := e.Str(key); got != want {
			t.Errorf("Str(%q) = %q, want %q", key, got, want)
		}
	}
	if got, want := e.Keys(), []string{"event.category", "event.ingested", "event.severity", "source.ip"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Keys() = %v, want %v", got, want)
	}
}
