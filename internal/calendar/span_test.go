package calendar

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestParseSpan(t *testing.T) {
	tests := []struct {
		in   string
		want Span
	}{
		{"30m", Span{30, Minutes}},
		{"2h", Span{2, Hours}},
		{"30d", Span{30, CalendarDays}},
		{"20wd", Span{20, WorkingDays}},
		{"0m", Span{0, Minutes}},
		{"100000wd", Span{100000, WorkingDays}},
	}
	for _, tt := range tests {
		got, err := ParseSpan(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseSpan(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			continue
		}
		if got.String() != tt.in {
			t.Errorf("%#v.String() = %q, want %q", got, got.String(), tt.in)
		}
	}
}

func TestParseSpanRejects(t *testing.T) {
	for _, in := range []string{"", "20", "wd", "20 wd", " 20wd", "20WD", "-1h", "+1h", "1.5h", "20w", "20days", "2h30m", "100001m", "99999999999999999999h"} {
		if s, err := ParseSpan(in); err == nil {
			t.Errorf("ParseSpan(%q) = %v, want an error", in, s)
		} else if !strings.Contains(err.Error(), in) {
			t.Errorf("ParseSpan(%q) error %q does not quote the input", in, err)
		}
	}
}

func TestSpanJSON(t *testing.T) {
	type rule struct {
		Within Span `json:"within"`
	}
	b, err := json.Marshal(rule{Span{20, WorkingDays}})
	if err != nil || string(b) != `{"within":"20wd"}` {
		t.Fatalf("Marshal = %s, %v", b, err)
	}
	var r rule
	if err := json.Unmarshal([]byte(`{"within":"2h"}`), &r); err != nil || r.Within != (Span{2, Hours}) {
		t.Errorf("Unmarshal = %v, %v", r.Within, err)
	}
	if err := json.Unmarshal([]byte(`{"within":"2 hours"}`), &r); err == nil {
		t.Error("Unmarshal accepted a malformed span")
	}
	if _, err := json.Marshal(rule{}); err == nil {
		t.Error("Marshal accepted the zero Span, which has no unit")
	}
}

func TestUnitString(t *testing.T) {
	if WorkingDays.String() != "working days" || Unit(0).String() != "Unit(0)" {
		t.Errorf("Unit.String: %q, %q", WorkingDays, Unit(0))
	}
	if s := (Span{}).String(); !strings.HasPrefix(s, "invalid span") {
		t.Errorf("zero Span.String() = %q", s)
	}
}
