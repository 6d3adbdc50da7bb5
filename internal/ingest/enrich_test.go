package ingest

import "testing"

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
