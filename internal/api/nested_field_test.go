package api

import (
	"reflect"
	"strings"
	"testing"
)

// Unknown fields of nested objects and lists are reported at their path
// with the fields allowed there; a top-level one is left to the decoder.
func TestUnknownFieldPath(t *testing.T) {
	type member struct {
		Role string `json:"role"`
		Name string `json:"name"`
	}
	type body struct {
		Level   string            `json:"level"`
		Command []member          `json:"command"`
		Lead    *member           `json:"lead"`
		Notes   map[string]member `json:"notes"`
	}
	for raw, want := range map[string]string{
		`{"level":"II","command":[{"role":"commander","name":"赵"},{"role":"member","nmae":"钱"}]}`: "command[1].nmae",
		`{"lead":{"role":"x","phone":"1"}}`:      "lead.phone",
		`{"notes":{"a":{"role":"x","bogus":1}}}`: "notes.a.bogus",
		`{"levle":"II"}`:                         "levle",
	} {
		path, allowed := unknownPath([]byte(raw), reflect.TypeOf(&body{}), "")
		if path != want {
			t.Errorf("%s: path %q, want %q", raw, path, want)
		}
		if want == "lead.phone" && strings.Join(allowed, ",") != "name,role" {
			t.Errorf("allowed %v", allowed)
		}
	}
}
