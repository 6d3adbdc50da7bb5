package ingest

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"fenghuo/internal/fenghuo"
)

func TestDecodeBatch(t *testing.T) {
	wazuh := readLines(t, "testdata/wazuh/alerts.json")
	eve := readLines(t, "testdata/suricata/eve.json")
	ndjson := string(bytes.Join(eve, []byte("\n")))
	tests := []struct {
		name, format, ct, body string
		kinds                  []string
		errLines               []int
	}{
		{"ndjson", "", "application/x-ndjson", ndjson + "\n", repeat(KindSuricata, len(eve)), nil},
		{"ndjson as json", "", "application/json; charset=utf-8", ndjson, repeat(KindSuricata, len(eve)), nil},
		{"crlf and blank lines", FormatSuricata, "", "\r\n" + string(eve[0]) + "\r\n\r\n" + string(eve[1]) + "\r\n", []string{KindSuricata, KindSuricata}, nil},
		{"single object", "", "application/json", string(wazuh[0]), []string{KindWazuh}, nil},
		{"pretty object", "", "", "{\n  \"rule\": {\"id\": \"1\"},\n  \"agent\": {\"id\": \"000\"}\n}\n", []string{KindWazuh}, nil},
		{"array", "", "application/json", "[" + string(wazuh[0]) + "," + string(eve[0]) + `,{"msg":"x"}]`, []string{KindWazuh, KindSuricata, KindGeneric}, nil},
		{"bom", "", "", "\xef\xbb\xbf" + string(eve[0]), []string{KindSuricata}, nil},
		{"bad lines kept apart", "", "application/x-ndjson", string(eve[0]) + "\nnot json\n\n[1]\n" + string(eve[1]) + "\n{\"timestamp\":\"soon\",\"event_type\":\"dns\"}", []string{KindSuricata, KindSuricata}, []int{2, 4, 6}},
		{"bad array elements", FormatWazuh, "", `[1, {"rule":{},"agent":{}}, "x", {"a":1}]`, []string{KindWazuh}, []int{1, 3, 4}},
		{"long line", "", "application/x-ndjson", `{"m":"` + strings.Repeat("x", MaxLine) + `"}` + "\n" + string(eve[0]), []string{KindSuricata}, []int{1}},
	}
	for _, tt := range tests {
		evs, errs, err := decodeBatch(tt.format, tt.ct, strings.NewReader(tt.body), nil, 0, testNow)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		var kinds []string
		for i := range evs {
			kinds = append(kinds, evs[i].Kind)
			checkValues(t, &evs[i])
			if len(evs[i].Raw) == 0 || !evs[i].Received.Equal(testNow) {
				t.Fatalf("%s: event %d without raw or received", tt.name, i)
			}
		}
		var lines []int
		for _, e := range errs {
			lines = append(lines, e.Line)
			if !strings.Contains(e.Error(), " / ") || fenghuo.ErrorCode(e.Err) != fenghuo.EINVALID {
				t.Errorf("%s: error not bilingual or not EINVALID: %v", tt.name, e)
			}
		}
		if strings.Join(kinds, ",") != strings.Join(tt.kinds, ",") || !equalInts(lines, tt.errLines) {
			t.Errorf("%s: kinds %v errors at %v (%v), want %v at %v", tt.name, kinds, lines, errs, tt.kinds, tt.errLines)
		}
	}
}

func TestDecodeBatchRefuses(t *testing.T) {
	line := readLines(t, "testdata/suricata/eve.json")[0]
	many := strings.Repeat(string(line)+"\n", 4)
	tests := []struct {
		name, ct, body string
		limit          int
		want           string
	}{
		{"limit ndjson", "application/x-ndjson", many, 3, "一批记录超过3条"},
		{"limit array", "", "[" + strings.TrimSuffix(strings.ReplaceAll(many, "\n", ","), ",") + "]", 3, "more than 3 records"},
		{"form content type", "application/x-www-form-urlencoded", many, 0, "application/x-ndjson"},
		{"bad content type", "application/json; charset", many, 0, "not JSON"},
		{"empty", "", " \n\t", 0, "no records"},
		{"broken array", "", `[{"a":1}, {"b":`, 0, "broken after record 1"},
		{"unknown format", "", `{"a":1}`, 0, "未知的记录格式“splunk”"},
		{"after array", "", `[{"a":1}] {"b":2}`, 0, "after its JSON array"},
	}
	for _, tt := range tests {
		format := ""
		if tt.name == "unknown format" {
			format = "splunk"
		}
		evs, errs, err := decodeBatch(format, tt.ct, strings.NewReader(tt.body), nil, tt.limit, testNow)
		if err == nil || evs != nil || errs != nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), " / ") {
			t.Errorf("%s: %v (%d events, %d errors), want %q", tt.name, err, len(evs), len(errs), tt.want)
		}
	}
	// The whole body is bounded.
	_, _, err := DecodeBatch("", "", io.MultiReader(strings.NewReader("["), neverEnding('x')), nil, 0)
	if err == nil || !strings.Contains(err.Error(), "MiB") {
		t.Fatalf("endless body: %v", err)
	}
	// A read error is reported.
	_, _, err = DecodeBatch("", "", io.MultiReader(strings.NewReader("{"), failing{}), nil, 0)
	if err == nil || !strings.Contains(err.Error(), "reading the batch") || !errors.Is(err, errFailing) {
		t.Fatalf("read error: %v", err)
	}
	// Exactly at the limit is fine.
	evs, _, err := DecodeBatch("", "application/x-ndjson", strings.NewReader(many), nil, 4)
	if err != nil || len(evs) != 4 {
		t.Fatalf("at limit: %v %d", err, len(evs))
	}
	var re RecordError = RecordError{Line: 3, Err: io.ErrUnexpectedEOF}
	if !errors.Is(re, io.ErrUnexpectedEOF) {
		t.Fatal("RecordError does not unwrap")
	}
}

type neverEnding byte

func (b neverEnding) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(b)
	}
	return len(p), nil
}

type failing struct{}

var errFailing = errors.New("connection reset")

func (failing) Read([]byte) (int, error) { return 0, errFailing }

func repeat(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
