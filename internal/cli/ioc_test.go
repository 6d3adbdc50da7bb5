package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestIOCMatch(t *testing.T) {
	var out, errOut bytes.Buffer
	env := &Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }}
	code := run(context.Background(), env, []string{"ioc", "match", "--stix", "../ingest/ioc/testdata/city-bundle.json",
		"--at", "2026-12-05T02:00:00Z", "testdata/ioc/events.jsonl"})
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	want := `{"event":1,"indicator":"indicator--a932fcc6-e032-476c-826f-cb970a5a1ade","value":"login-update.example.net"}
{"event":2,"indicator":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","value":"198.51.100.0/24"}
{"event":4,"indicator":"indicator--6f1bb7a9-2e4c-4f0a-8a55-6f1f0c6a2b31","value":"http://files.example.org/update/setup.exe"}
{"event":4,"indicator":"indicator--3b6a8d71-0c2f-4a33-9d1e-5b2f1b9a7c10","value":"4d186321c1a7f0f354b297e8914ab240"}
{"event":6,"indicator":"vulnerability--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061","value":"CVE-2021-44228"}
`
	if out.String() != want {
		t.Errorf("output:\n%s\nwant:\n%s", out.String(), want)
	}
	for _, s := range []string{"line 5: not a JSON object", "skipped indicator--0f7e3c42-9a51-4a7d-b3a4-1c2d3e4f5a6b", "skipped indicator--c1d2e3f4"} {
		if !strings.Contains(errOut.String(), s) {
			t.Errorf("stderr lacks %q:\n%s", s, errOut.String())
		}
	}
	// After the dropper's valid_until (2027-06-01) its hashes stop matching.
	out.Reset()
	errOut.Reset()
	if code := run(context.Background(), env, []string{"ioc", "match", "--stix", "../ingest/ioc/testdata/city-bundle.json",
		"--at", "2027-07-01T00:00:00Z", "testdata/ioc/events.jsonl"}); code != exitOK || strings.Contains(out.String(), "4d186321") {
		t.Errorf("expired indicator matched (exit %d):\n%s", code, out.String())
	}
	if code := run(context.Background(), env, []string{"ioc", "match", "testdata/ioc/events.jsonl"}); code != exitUsage {
		t.Errorf("no indicators: exit %d", code)
	}
}
