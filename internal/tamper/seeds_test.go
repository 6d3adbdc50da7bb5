package tamper

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// TestWriteFuzzSeeds regenerates the committed seed corpora from the hostile
// pages of hostile_test.go:
//
//	FENGHUO_WRITE_FUZZ_SEEDS=1 go test ./internal/tamper/ -run TestWriteFuzzSeeds
//
// The multi-megabyte pages seed FuzzCheck only (every target parses pages
// the same way, and TestHostilePages runs all of them through every entry
// point), to keep the repository small.
func TestWriteFuzzSeeds(t *testing.T) {
	if os.Getenv("FENGHUO_WRITE_FUZZ_SEEDS") == "" {
		t.Skip("set FENGHUO_WRITE_FUZZ_SEEDS=1 to rewrite testdata/fuzz")
	}
	small, deep, links := smallHostilePages(), deepNesting(), manyLinks()
	site := portal{day: 6}.html()
	for _, h := range append(small, bigHostilePages()...) {
		writeSeed(t, "FuzzCheck", h.name, h.html)
	}
	for _, h := range append(small, deep[0]) {
		writeSeed(t, "FuzzLearn", h.name, h.html, site)
		writeSeed(t, "FuzzCheckBaseline", h.name, site, h.html)
		writeSeed(t, "FuzzCheckBaseline", "base-"+h.name, h.html, site)
		writeSeed(t, "FuzzCloakingBaseline", h.name, site, site, h.html)
	}
	for _, h := range append(append(small, deep...), links) {
		writeSeed(t, "FuzzCloaking", "spider-"+h.name, site, h.html)
	}
	for _, h := range small {
		writeSeed(t, "FuzzCloaking", "browser-"+h.name, h.html, site)
		writeSeed(t, "FuzzCloakingBaseline", "browser-"+h.name, site, h.html, site)
	}
}

// writeSeed writes one corpus file in the format of `go test -fuzz`.
func writeSeed(t *testing.T, target, name string, args ...[]byte) {
	t.Helper()
	b := []byte("go test fuzz v1\n")
	for _, a := range args {
		b = fmt.Appendf(b, "[]byte(%q)\n", a)
	}
	dir := filepath.Join("testdata", "fuzz", target)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
		t.Fatal(err)
	}
}
