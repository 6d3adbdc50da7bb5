package auth

import (
	"bytes"
	"strings"
	"testing"
)

func TestKeyBundleRoundTrip(t *testing.T) {
	keys := map[string][]byte{"audit.key": bytes.Repeat([]byte{1}, 32), "sealer.key": bytes.Repeat([]byte{2}, 16)}
	line, err := SealKeys("correct horse battery", keys)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(line, []byte(KeyBundlePrefix)) || bytes.Count(line, []byte("\n")) != 1 || line[len(line)-1] != '\n' {
		t.Fatalf("not one bundle line: %q", line)
	}
	if bytes.Contains(line, []byte("AQEBAQEB")) { // base64 of the audit key's bytes
		t.Error("the bundle holds a key in clear")
	}
	files, err := KeyBundleFiles(line)
	if err != nil || strings.Join(files, ",") != "audit.key,sealer.key" {
		t.Errorf("files %v %v", files, err)
	}
	got, err := OpenKeys(line, "correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	for name, k := range keys {
		if !bytes.Equal(got[name], k) {
			t.Errorf("%s: %x, want %x", name, got[name], k)
		}
	}
	if _, err := OpenKeys(line, "correct horse batterx"); err == nil || !strings.Contains(err.Error(), "passphrase does not open") {
		t.Errorf("wrong passphrase: %v", err)
	}
	flipped := bytes.Replace(line, []byte(`"sealed":"sm4gcm1:A`), []byte(`"sealed":"sm4gcm1:B`), 1)
	if bytes.Equal(flipped, line) {
		flipped = bytes.Replace(line, []byte(`"sealed":"sm4gcm1:`), []byte(`"sealed":"sm4gcm1:A`), 1)
	}
	if _, err := OpenKeys(flipped, "correct horse battery"); err == nil {
		t.Error("an altered bundle opened")
	}
	if _, err := SealKeys("short", keys); err == nil || !strings.Contains(err.Error(), "at least 12") {
		t.Errorf("short passphrase: %v", err)
	}
}
