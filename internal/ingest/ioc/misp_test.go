package ioc

import (
	"os"
	"strings"
	"testing"
	"time"
)

func TestReadMISPEvent(t *testing.T) {
	data, err := os.ReadFile("testdata/misp-event.json")
	if err != nil {
		t.Fatal(err)
	}
	b, err := Read(data, TLPRed)
	if err != nil {
		t.Fatal(err)
	}
	if b.Format != "misp" {
		t.Errorf("format %q", b.Format)
	}
	var got []string
	for _, in := range b.Indicators {
		got = append(got, string(in.Type)+" "+in.Value+" "+string(in.TLP)+" "+in.STIXID)
	}
	want := []string{
		"ipv4 203.0.113.77 GREEN indicator--1a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d",
		"domain invoice-portal.example.com AMBER indicator--2b3c4d5e-6f7a-4b2c-9d3e-4f5a6b7c8d9e",
		"url https://invoice-portal.example.com/doc/Invoice_2026.zip AMBER indicator--3c4d5e6f-7a8b-4c3d-8e4f-5a6b7c8d9e0f",
		"cve CVE-2023-4966 AMBER indicator--5e6f7a8b-9c0d-4e5f-8a6b-7c8d9e0f1a2b",
		"sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 AMBER indicator--8b9c0d1e-2f3a-4b8c-9d0e-1f2a3b4c5d6e",
		"md5 0cc175b9c0f1b6a831c399e269772661 AMBER indicator--9c0d1e2f-3a4b-4c9d-8e0f-2a3b4c5d6e7f",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("indicators:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if in := b.Indicators[0]; in.Source != "Example Provincial CERT" || in.Description != "C2 server" ||
		!in.ValidFrom.Equal(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("first %+v", in)
	}
	if len(b.Skipped) != 2 || b.Skipped[0].Object != "4d5e6f7a-8b9c-4d4e-9f5a-6b7c8d9e0f1a" || !strings.Contains(b.Skipped[0].Reason, "to_ids") ||
		!strings.Contains(b.Skipped[1].Reason, `"text"`) {
		t.Errorf("skipped %+v", b.Skipped)
	}
}

func TestWriteMISPRoundTrip(t *testing.T) {
	now := time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC)
	inds := []Indicator{
		{STIXID: "indicator--a932fcc6-e032-476c-826f-cb970a5a1ade", Type: TypeDomain, Value: "login-update.example.net", TLP: TLPAmber},
		{Type: TypeIPv6, Value: "2001:db8::/32", TLP: TLPGreen},
		{Type: TypeSHA1, Value: "da39a3ee5e6b4b0d3255bfef95601890afd80709", TLP: TLPAmberStrict},
		{Type: TypeEmail, Value: "ceo@phish.example", TLP: TLPClear},
		{Type: TypeCVE, Value: "CVE-2021-44228", TLP: TLPClear},
	}
	out, err := WriteMISP(inds, "某市网信办", "威胁情报导出", now)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Read(out, TLPRed)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Indicators) != len(inds) || len(b.Skipped) != 0 {
		t.Fatalf("read back %+v skipped %+v\n%s", b.Indicators, b.Skipped, out)
	}
	for i, in := range b.Indicators {
		if in.Type != inds[i].Type || in.Value != inds[i].Value || in.TLP != inds[i].TLP || in.Source != "某市网信办" {
			t.Errorf("%d: %+v, wrote %+v", i, in, inds[i])
		}
	}
	if b.Indicators[0].STIXID != inds[0].STIXID {
		t.Errorf("uuid lost: %s", b.Indicators[0].STIXID)
	}
	if !strings.Contains(string(out), `"tlp:amber+strict"`) {
		t.Errorf("event not tagged with its narrowest label:\n%s", out)
	}
}

func TestReadRefusesOtherDocuments(t *testing.T) {
	for _, doc := range []string{`[]`, `{"type":"report"}`, `{"Event":{}}`, `not json`} {
		if _, err := Read([]byte(doc), TLPAmber); err == nil {
			t.Errorf("Read(%s) accepted", doc)
		}
	}
}
