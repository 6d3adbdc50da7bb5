package ioc

import (
	"encoding/json"
	"os"
	"sort"
	"strings"
	"testing"
	"time"
)

func TestParsePattern(t *testing.T) {
	ok := map[string]string{
		"[ipv4-addr:value = '203.0.113.9']":                                         "ipv4=203.0.113.9",
		"[domain-name:value = 'a.example'] OR [url:value = 'http://b.example/x']":   "domain=a.example url=http://b.example/x",
		"[file:hashes.'SHA-256' = 'ab' OR file:hashes.'SHA-1' = 'cd']":              "sha256=ab sha1=cd",
		"[file:hashes.MD5 = 'ab' AND file:hashes.'SHA-256' = 'cd']":                 "md5=ab sha256=cd",
		"([ipv6-addr:value = '2001:db8::1'] OR [email-addr:value = 'x@y.example'])": "ipv6=2001:db8::1 email=x@y.example",
		"[domain-name:value IN ('a.example', 'b\\'q.example')]":                     "domain=a.example domain=b'q.example",
		"[network-traffic:dst_ref.value = '198.51.100.1']":                          "ipv4=198.51.100.1",
	}
	for p, want := range ok {
		terms, err := ParsePattern(p)
		if err != nil {
			t.Errorf("ParsePattern(%q): %v", p, err)
			continue
		}
		var got []string
		for _, x := range terms {
			got = append(got, string(x.Type)+"="+x.Value)
		}
		if strings.Join(got, " ") != want {
			t.Errorf("ParsePattern(%q) = %v, want %s", p, got, want)
		}
	}
	bad := []string{
		"[ipv4-addr:value = '1.2.3.4' AND domain-name:value = 'a.example']",
		"[ipv4-addr:value = '1.2.3.4'] AND [ipv4-addr:value = '1.2.3.5']",
		"[ipv4-addr:value = '1.2.3.4'] WITHIN 5 SECONDS",
		"[ipv4-addr:value != '1.2.3.4']",
		"[ipv4-addr:value MATCHES '^1']",
		"[process:name = 'x']",
		"[ipv4-addr:value = '1.2.3.4'",
		"[ipv4-addr:value = '1.2.3.4]",
		"",
		"[]",
	}
	for _, p := range bad {
		if terms, err := ParsePattern(p); err == nil {
			t.Errorf("ParsePattern(%q) = %v, want an error", p, terms)
		}
	}
}

func TestReadSTIXBundle(t *testing.T) {
	data, err := os.ReadFile("testdata/city-bundle.json")
	if err != nil {
		t.Fatal(err)
	}
	b, err := ReadSTIX(data, TLPAmber)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, in := range b.Indicators {
		got = append(got, in.STIXID[:14]+" "+string(in.Type)+" "+in.Value+" "+string(in.TLP))
	}
	want := []string{
		"indicator--a93 domain login-update.example.net AMBER",
		"indicator--8e2 ipv4 203.0.113.66 GREEN",
		"indicator--8e2 ipv4 198.51.100.0/24 GREEN",
		"indicator--3b6 sha256 aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f AMBER",
		"indicator--3b6 md5 4d186321c1a7f0f354b297e8914ab240 AMBER",
		"indicator--6f1 url http://files.example.org/update/setup.exe CLEAR",
		"vulnerabilit CVE-2021-44228 AMBER",
	}
	got[len(got)-1] = "vulnerabilit " + b.Indicators[len(b.Indicators)-1].Value + " " + string(b.Indicators[len(b.Indicators)-1].TLP)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("indicators:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	first := b.Indicators[0]
	if first.Source != "Example City Cyberspace Office" || first.Confidence != 85 || first.Name != "Phishing landing domain" ||
		!first.ValidFrom.Equal(time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC)) {
		t.Errorf("first indicator %+v", first)
	}
	if b.Indicators[3].ValidUntil.IsZero() || b.Indicators[5].Confidence != 50 {
		t.Errorf("valid_until / default confidence: %+v %+v", b.Indicators[3], b.Indicators[5])
	}
	var skipped []string
	for _, p := range b.Skipped {
		skipped = append(skipped, p.Object)
	}
	sort.Strings(skipped)
	if strings.Join(skipped, " ") != "indicator--0f7e3c42-9a51-4a7d-b3a4-1c2d3e4f5a6b indicator--c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f" {
		t.Errorf("skipped %+v", b.Skipped)
	}
	if b.Ignored != 4 { // identity, marking, malware, relationship
		t.Errorf("ignored %d", b.Ignored)
	}
	if _, err := ReadSTIX([]byte(`{"type":"report"}`), TLPAmber); err == nil {
		t.Error("a report read as a bundle")
	}
}

func TestReadSTIXReportsBrokenObjects(t *testing.T) {
	doc := `{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[
	{"type":"indicator","spec_version":"2.1","id":"indicator--11111111-1111-4111-8111-111111111111","created":5,"modified":"2026-12-01T02:00:00Z","pattern":"[ipv4-addr:value = '1.2.3.4']","pattern_type":"stix","valid_from":"2026-12-01T02:00:00Z"},
	{"type":"indicator","spec_version":"2.1","id":"indicator--22222222-2222-4222-8222-222222222222","created":"2026-12-01T02:00:00Z","modified":"2026-12-01T02:00:00Z","pattern":"[ipv4-addr:value = '999.2.3.4']","pattern_type":"stix","valid_from":"2026-12-01T02:00:00Z"},
	{"type":"indicator","spec_version":"2.1","id":"indicator--33333333-3333-4333-8333-333333333333","created":"2026-12-01T02:00:00Z","modified":"2026-12-01T02:00:00Z","pattern":"[ipv4-addr:value = '1.2.3.5']","pattern_type":"stix","valid_from":"2026-12-01T02:00:00Z"},
	{"no":"type"}]}`
	b, err := ReadSTIX([]byte(doc), TLPAmber)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Indicators) != 1 || b.Indicators[0].Value != "1.2.3.5" || len(b.Skipped) != 3 {
		t.Fatalf("indicators %+v skipped %+v", b.Indicators, b.Skipped)
	}
	if b.Skipped[0].Object != "indicator--11111111-1111-4111-8111-111111111111" || b.Skipped[2].Object != "objects[3]" {
		t.Errorf("skipped %+v", b.Skipped)
	}
}

func TestWriteSTIXRoundTrip(t *testing.T) {
	now := time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC)
	inds := []Indicator{
		{STIXID: "indicator--a932fcc6-e032-476c-826f-cb970a5a1ade", Type: TypeDomain, Value: "login-update.example.net", Confidence: 85, TLP: TLPAmber, Source: "x"},
		{Type: TypeIPv4, Value: "198.51.100.0/24", Confidence: 60, TLP: TLPAmberStrict, ValidUntil: now.Add(24 * time.Hour)},
		{Type: TypeSHA256, Value: "aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f", TLP: TLPRed},
		{Type: TypeURL, Value: "http://files.example.org/it's", TLP: TLPClear},
		{Type: TypeCVE, Value: "CVE-2021-44228", TLP: TLPGreen},
	}
	out, err := WriteSTIX(inds, "某市网信办", now)
	if err != nil {
		t.Fatal(err)
	}
	var env struct {
		Type    string           `json:"type"`
		Objects []map[string]any `json:"objects"`
	}
	if err := json.Unmarshal(out, &env); err != nil || env.Type != "bundle" {
		t.Fatalf("bundle %v: %s", err, out)
	}
	types := map[string]int{}
	for _, o := range env.Objects {
		types[o["type"].(string)]++
		if o["type"] != "marking-definition" && o["spec_version"] != "2.1" {
			t.Errorf("object without spec_version 2.1: %v", o)
		}
	}
	if types["identity"] != 1 || types["indicator"] != 4 || types["vulnerability"] != 1 || types["marking-definition"] != 5 {
		t.Errorf("object types %v", types)
	}
	back, err := ReadSTIX(out, TLPRed)
	if err != nil {
		t.Fatal(err)
	}
	if len(back.Indicators) != len(inds) || len(back.Skipped) != 0 {
		t.Fatalf("read back %+v skipped %+v", back.Indicators, back.Skipped)
	}
	for i, in := range back.Indicators {
		w := inds[i]
		if in.Type != w.Type || in.Value != w.Value || in.TLP != w.TLP || in.Source != "某市网信办" {
			t.Errorf("%d: read back %+v, wrote %+v", i, in, w)
		}
	}
	if back.Indicators[0].STIXID != inds[0].STIXID || back.Indicators[0].Confidence != 85 {
		t.Errorf("id or confidence lost: %+v", back.Indicators[0])
	}
	if !back.Indicators[1].ValidUntil.Equal(now.Add(24 * time.Hour)) {
		t.Errorf("valid_until lost: %+v", back.Indicators[1])
	}
}
