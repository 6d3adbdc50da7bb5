package ingest

import (
	"bytes"
	"testing"
)

func TestEnrichGeo(t *testing.T) {
	ev := Event{Fields: map[string]any{
		"source.ip":                        "185.220.101.1",
		"client.ip":                        "114.114.114.114",
		"destination.ip":                   "10.8.1.30",
		"server.ip":                        "2400:3200::1",
		"related.ip":                       []string{"8.8.8.8"},
		"host.ip":                          "8.8.8.8",
		"source.geo.country_iso_code.note": "x",
	}}
	Enrich(&ev)
	checkValues(t, &ev)
	wantFields(t, ev, map[string]any{
		"source.geo.country_iso_code":      "DE",
		"client.geo.country_iso_code":      "CN",
		"destination.geo.country_iso_code": nil, // private
		"server.geo.country_iso_code":      "CN",
		"host.geo.country_iso_code":        nil,
	})
	// A country already set is kept.
	ev = Event{Fields: map[string]any{"source.ip": "185.220.101.1", "source.geo.country_iso_code": "FR"}}
	Enrich(&ev)
	if ev.Str("source.geo.country_iso_code") != "FR" {
		t.Fatal("existing country replaced")
	}
	Enrich(&Event{}) // no fields: nothing to do, no panic
}

func TestCountry(t *testing.T) {
	for ip, want := range map[string]string{
		"185.220.101.1":       "DE",
		"114.114.114.114":     "CN",
		"::ffff:8.8.8.8":      "US",
		"10.1.2.3":            "",
		"172.16.0.1":          "",
		"192.168.1.1":         "",
		"127.0.0.1":           "",
		"::1":                 "",
		"fe80::1%eth0":        "",
		"fd00::1":             "",
		"100.64.1.1":          "",
		"169.254.1.1":         "",
		"224.0.0.1":           "",
		"0.0.0.0":             "",
		"255.255.255.255":     "",
		"203.0.113.9":         "", // documentation range: the data places it nowhere
		"not an address":      "",
		"":                    "",
		"185.220.101.1:443":   "",
		"2001:db8::1":         "",
		"1.1.1.1\x00":         "",
		"999.1.1.1":           "",
		"::ffff:10.0.0.1":     "",
		"2a01:4f8:c17:1a2::1": "DE",
	} {
		if got := Country(ip); got != want {
			t.Errorf("Country(%q) = %q, want %q", ip, got, want)
		}
	}
}

func TestEnrichRelated(t *testing.T) {
	line := readLines(t, "testdata/suricata/eve.json")[4] // dns answer
	ev, err := parseRecord(FormatSuricata, line, nil, testNow)
	if err != nil {
		t.Fatal(err)
	}
	Enrich(&ev)
	checkValues(t, &ev)
	wantFields(t, ev, map[string]any{
		"related.ip":    []string{"10.8.0.2", "10.8.1.55", "185.220.101.7"},
		"related.hosts": []string{"update.evil-domain.example"},
		"related.hash":  nil,
	})
	ev = Event{Fields: map[string]any{"file.hash.sha256": "ab", "file.hash.md5": "cd", "user.name": "u", "source.user.name": "u", "related.ip": []string{"1.2.3.4"}, "source.ip": "5.6.7.8"}}
	Enrich(&ev)
	wantFields(t, ev, map[string]any{
		"related.hash": []string{"cd", "ab"}, "related.user": []string{"u"}, "related.ip": []string{"1.2.3.4"},
	})
}

// TestEveryValueAllowed runs every test record through DecodeBatch and
// Enrich and checks each value is a string, float64, bool or []string.
func TestEveryValueAllowed(t *testing.T) {
	var body []byte
	for _, f := range []string{"testdata/wazuh/alerts.json", "testdata/suricata/eve.json", "testdata/m365/audit.json"} {
		for _, l := range readLines(t, f) {
			body = append(append(body, l...), '\n')
		}
	}
	for _, rec := range hostileRecords() {
		body = append(append(body, rec...), '\n')
	}
	evs, _, err := DecodeBatch("", "application/x-ndjson", bytes.NewReader(body), nil, 0)
	if err != nil || len(evs) < 16 {
		t.Fatalf("%v, %d events", err, len(evs))
	}
	for i := range evs {
		Enrich(&evs[i])
		checkValues(t, &evs[i])
	}
}
