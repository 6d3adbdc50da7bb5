// Package fuzzseed keeps the committed seed corpora of the fuzz targets
// (testdata/fuzz/<Target>/<name>, in the format of `go test -fuzz`) equal to
// the generators that make them. It is imported only by tests.
package fuzzseed

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// WriteEnv, when set, makes Check rewrite the corpus files instead of
// comparing them.
const WriteEnv = "FENGHUO_WRITE_FUZZ_SEEDS"

// Encode returns a corpus file holding args as []byte values.
func Encode(args ...[]byte) []byte {
	b := []byte("go test fuzz v1\n")
	for _, a := range args {
		b = fmt.Appendf(b, "[]byte(%q)\n", a)
	}
	return b
}

// Check compares testdata/fuzz/target/name with the seed args, failing the
// test when the file is missing or differs from what the generator makes
// now; with FENGHUO_WRITE_FUZZ_SEEDS=1 it writes the file instead.
func Check(tb testing.TB, target, name string, args ...[]byte) {
	tb.Helper()
	want := Encode(args...)
	path := filepath.Join("testdata", "fuzz", target, name)
	if os.Getenv(WriteEnv) != "" {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(path, want, 0o644); err != nil {
			tb.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(path)
	if err != nil {
		tb.Errorf("seed %s: %v (regenerate with %s=1)", path, err, WriteEnv)
		return
	}
	if !bytes.Equal(got, want) {
		tb.Errorf("seed %s differs from its generator (regenerate with %s=1 and commit)", path, WriteEnv)
	}
}
