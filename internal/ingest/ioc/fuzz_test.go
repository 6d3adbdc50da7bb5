package ioc

import (
	"context"
	"os"
	"testing"
	"time"

	"fenghuo/internal/fuzzseed"
	"fenghuo/internal/ingest"
)

// seedPatterns are the committed seeds of FuzzParsePattern.
var seedPatterns = map[string]string{
	"ipv4":         "[ipv4-addr:value = '203.0.113.9']",
	"or-list":      "[domain-name:value = 'a.example'] OR [url:value = 'http://b.example/x']",
	"hashes-and":   "[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f' AND file:hashes.MD5 = '4d186321c1a7f0f354b297e8914ab240']",
	"in-list":      "[domain-name:value IN ('a.example', 'b\\'q.example')]",
	"followedby":   "[ipv4-addr:value = '192.0.2.7'] FOLLOWEDBY [domain-name:value = 'x.example'] WITHIN 300 SECONDS",
	"unterminated": "[ipv4-addr:value = '1.2.3.4",
	"nested":       "(([ipv6-addr:value = '2001:db8::1']) OR [email-addr:value = 'x@y.example'])",
}

func seedDocs(tb testing.TB) map[string][]byte {
	docs := map[string][]byte{
		"broken-timestamp": []byte(`{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[{"type":"indicator","spec_version":"2.1","id":"indicator--11111111-1111-4111-8111-111111111111","created":5,"pattern":"[ipv4-addr:value = '1.2.3.4']","pattern_type":"stix","valid_from":"x"}]}`),
		"misp-bools":       []byte(`{"Event":{"info":"x","Attribute":[{"type":"ip-src","value":"10.0.0.0/8","to_ids":"1"},{"type":"sha1","value":"zz","to_ids":1}]}}`),
	}
	for name, file := range map[string]string{"stix-bundle": "testdata/city-bundle.json", "misp-event": "testdata/misp-event.json"} {
		b, err := os.ReadFile(file)
		if err != nil {
			tb.Fatal(err)
		}
		docs[name] = b
	}
	return docs
}

func TestFuzzSeeds(t *testing.T) {
	for name, p := range seedPatterns {
		fuzzseed.Check(t, "FuzzParsePattern", name, []byte(p))
	}
	for name, doc := range seedDocs(t) {
		fuzzseed.Check(t, "FuzzRead", name, doc)
	}
}

// FuzzParsePattern: any text either parses into terms of known types or
// is refused; never a panic.
func FuzzParsePattern(f *testing.F) {
	f.Fuzz(func(t *testing.T, p []byte) {
		terms, err := ParsePattern(string(p))
		if err == nil && len(terms) == 0 {
			t.Fatal("no error and no terms")
		}
		for _, x := range terms {
			if !ValidType(x.Type) {
				t.Fatalf("term of unknown type %q", x.Type)
			}
		}
	})
}

// FuzzRead: any document is read (STIX or MISP) or refused, never a panic;
// every indicator read is valid, exports again and matches itself.
func FuzzRead(f *testing.F) {
	f.Fuzz(func(t *testing.T, doc []byte) {
		b, err := Read(doc, TLPAmber)
		if err != nil {
			return
		}
		if len(b.Indicators) > 50 {
			b.Indicators = b.Indicators[:50]
		}
		for i := range b.Indicators {
			in := b.Indicators[i]
			if err := in.Validate(); err != nil {
				t.Fatalf("indicator read but invalid: %+v: %v", in, err)
			}
		}
		now := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
		if _, err := WriteSTIX(b.Indicators, "fuzz", now); err != nil {
			t.Fatalf("export: %v", err)
		}
		if _, err := WriteMISP(b.Indicators, "fuzz", "fuzz", now); err != nil {
			t.Fatalf("export: %v", err)
		}
		m := NewMatcher(b.Indicators, MatcherOptions{})
		_ = m.Detect(context.Background(), ingest.Source{}, &ingest.Event{Fields: map[string]any{"url.full": string(doc), "dns.question.name": string(doc)}})
	})
}
