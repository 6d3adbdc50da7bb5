package ingest

import (
	"bytes"
	"strings"
	"testing"
)

// Fuzz targets for every parser. `go test` replays the committed seeds in
// testdata/fuzz/<Target>/ (the records of testdata/ and the hostile
// records of hostile_test.go, written by TestWriteFuzzSeeds); `make fuzz`
// mutates them (scripts/fuzz.sh). No input may panic, and every event that
// comes out must keep the contract of Event.Fields.

// checkEvent asserts what holds for every parsed event.
func checkEvent(t *testing.T, ev *Event) {
	t.Helper()
	checkValues(t, ev)
	if ev.Time.IsZero() || ev.Received.IsZero() {
		t.Fatalf("event without time: %v %v", ev.Time, ev.Received)
	}
	switch ev.Kind {
	case KindWazuh, KindSuricata, KindGeneric:
	default:
		t.Fatalf("kind %q", ev.Kind)
	}
	Enrich(ev)
	checkValues(t, ev)
}

func fuzzParse(f *testing.F, format string) {
	f.Fuzz(func(t *testing.T, rec []byte) {
		ev, err := ParseRecord(format, rec, nil)
		if err != nil {
			if !strings.Contains(err.Error(), " / ") {
				t.Fatalf("error not bilingual: %v", err)
			}
			return
		}
		checkEvent(t, &ev)
		if !bytes.HasPrefix(rec, ev.Raw) || ev.RawTruncated != (len(rec) > MaxRaw) {
			t.Fatalf("raw %d of %d bytes, truncated %v", len(ev.Raw), len(rec), ev.RawTruncated)
		}
	})
}

func FuzzParseRecordWazuh(f *testing.F)        { fuzzParse(f, FormatWazuh) }
func FuzzParseRecordWazuhWebhook(f *testing.F) { fuzzParse(f, FormatWazuhWebhook) }
func FuzzParseRecordSuricata(f *testing.F)     { fuzzParse(f, FormatSuricata) }
func FuzzParseRecordGeneric(f *testing.F)      { fuzzParse(f, FormatGeneric) }
func FuzzParseRecordDetect(f *testing.F)       { fuzzParse(f, FormatDetect) }

// FuzzParseMapping takes a mapping document and a record.
func FuzzParseMapping(f *testing.F) {
	f.Fuzz(func(t *testing.T, doc, rec []byte) {
		m, err := ParseMapping(doc)
		if err != nil {
			return
		}
		for _, format := range []string{FormatGeneric, FormatDetect} {
			ev, err := ParseRecord(format, rec, m)
			if err == nil {
				checkEvent(t, &ev)
			}
		}
	})
}

// FuzzDecodeBatch takes a content type and a body.
func FuzzDecodeBatch(f *testing.F) {
	f.Fuzz(func(t *testing.T, contentType, body []byte) {
		evs, errs, err := DecodeBatch("", string(contentType), bytes.NewReader(body), nil, 50)
		if err != nil {
			if evs != nil || errs != nil || !strings.Contains(err.Error(), " / ") {
				t.Fatalf("failed batch with %d events, %d errors: %v", len(evs), len(errs), err)
			}
			return
		}
		if len(evs)+len(errs) > 50 {
			t.Fatalf("%d events and %d errors over the limit", len(evs), len(errs))
		}
		for i := range evs {
			checkEvent(t, &evs[i])
		}
		last := 0
		for _, e := range errs {
			if e.Line <= last || e.Err == nil || !strings.Contains(e.Error(), " / ") {
				t.Fatalf("record error out of order or without message: %v after %d", e, last)
			}
			last = e.Line
		}
	})
}

// FuzzEnrich takes a message, a program name and an address.
func FuzzEnrich(f *testing.F) {
	f.Fuzz(func(t *testing.T, message, program, ip []byte) {
		ev := Event{Fields: map[string]any{}}
		ev.Set("message", string(message))
		ev.Set("process.name", string(program))
		ev.Set("source.ip", string(ip))
		ev.Set("client.ip", string(ip))
		Enrich(&ev)
		checkValues(t, &ev)
		n := len(ev.Fields)
		Enrich(&ev)
		if len(ev.Fields) != n {
			t.Fatalf("Enrich not idempotent: %d then %d fields", n, len(ev.Fields))
		}
		if cc := ev.Str("source.geo.country_iso_code"); cc != "" && (len(cc) != 2 || cc == "ZZ") {
			t.Fatalf("country %q", cc)
		}
	})
}
