package docsign

import (
	"bytes"
	"encoding/hex"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"fenghuo/internal/fuzzseed"
)

// A received file is outside input: VerifyFile must name a failure for any
// bytes, never panic, and call good only what a key really signed. `go
// test` replays the committed seeds in testdata/fuzz/FuzzVerifyFile/ (a
// signed DOCX and PDF, each with a changed byte, cut short, a garbled block
// and bytes appended); `make fuzz` mutates them. Signatures are random, so
// the seeds are written once by TestWriteVerifyFuzzSeeds under
// FENGHUO_WRITE_FUZZ_SEEDS=1 rather than compared with a generator.

// fuzzKeyHex is a fixed test key, so that the seeds name a known signer.
const fuzzKeyHex = "3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8"

var knownFailures = map[Failure]bool{OK: true, FailNotSigned: true, FailDamaged: true, FailChanged: true,
	FailSignature: true, FailKeyUnknown: true, FailKeyRevoked: true, FailKeyRetired: true, FailUnreadable: true}

func fuzzKey(tb testing.TB) Key {
	raw, _ := hex.DecodeString(fuzzKeyHex)
	priv, err := ParsePrivate(raw)
	if err != nil {
		tb.Fatal(err)
	}
	return Key{OfficeID: 7, Office: "乌审旗委网信办", Private: priv}
}

func FuzzVerifyFile(f *testing.F) {
	f.Add([]byte("PK\x05\x06"))
	f.Add([]byte("%PDF-1.7\n%%EOF\n%" + Marker + "e30=\n"))
	trust := trustOf(f, fuzzKey(f))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, tl := range []*TrustList{nil, trust} {
			r := VerifyFile(data, tl)
			if !knownFailures[r.Failure] {
				t.Fatalf("unnamed failure %q", r.Failure)
			}
			if r.Reason("zh") == "" || r.Reason("en") == "" {
				t.Fatal("no reason given")
			}
			if !r.Good() {
				continue
			}
			if r.Block == nil || KeyID(r.Block.PublicKey) != r.Block.KeyID {
				t.Fatalf("good without a consistent block: %+v", r.Block)
			}
			// Whatever verified must still verify after re-signing with the
			// same key: the signed part was found where SignFile puts it.
			if tl != nil {
				again, err := SignFile(fuzzKey(t), data, r.Block.SignedAt)
				if err != nil {
					t.Fatalf("verified file cannot be re-signed: %v", err)
				}
				if r2 := VerifyFile(again, tl); !r2.Good() {
					t.Fatalf("re-signed file fails: %s", r2.Reasons())
				}
			}
		}
	})
}

func TestWriteVerifyFuzzSeeds(t *testing.T) {
	if os.Getenv(fuzzseed.WriteEnv) == "" {
		// The seeds exist and are read by FuzzVerifyFile; check that they
		// are still what they claim.
		for name, want := range map[string]Failure{"signed-docx": OK, "signed-pdf": OK, "docx-byte-changed": FailChanged,
			"pdf-byte-changed": FailChanged, "docx-cut": FailUnreadable, "docx-garbled-block": FailDamaged, "pdf-appended": FailChanged} {
			raw, err := os.ReadFile(filepath.Join("testdata", "fuzz", "FuzzVerifyFile", name))
			if err != nil {
				t.Fatalf("seed %s: %v (write with %s=1)", name, err, fuzzseed.WriteEnv)
			}
			data := seedBytes(t, raw)
			if r := VerifyFile(data, trustOf(t, fuzzKey(t))); r.Failure != want {
				t.Errorf("seed %s: %s, want %q", name, r.Reasons(), want)
			}
		}
		return
	}
	k := fuzzKey(t)
	sd, err := SignFile(k, docx(t), signedAt)
	if err != nil {
		t.Fatal(err)
	}
	sp, err := SignFile(k, pdf(t), signedAt)
	if err != nil {
		t.Fatal(err)
	}
	flip := func(b []byte, at int) []byte { c := bytes.Clone(b); c[at] ^= 0x20; return c }
	seeds := map[string][]byte{
		"signed-docx":        sd,
		"signed-pdf":         sp,
		"docx-byte-changed":  flip(sd, len(sd)/2),
		"pdf-byte-changed":   flip(sp, len(sp)/2),
		"docx-cut":           sd[:len(sd)/3],
		"docx-garbled-block": flip(sd, len(sd)-5),
		"pdf-appended":       append(bytes.Clone(sp), "1 0 obj\n<<>>\nendobj\n%%EOF\n"...),
	}
	dir := filepath.Join("testdata", "fuzz", "FuzzVerifyFile")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, b := range seeds {
		if err := os.WriteFile(filepath.Join(dir, name), fuzzseed.Encode(b), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// seedBytes reads back a one-argument corpus file.
func seedBytes(tb testing.TB, raw []byte) []byte {
	tb.Helper()
	const head = "go test fuzz v1\n[]byte("
	if !bytes.HasPrefix(raw, []byte(head)) {
		tb.Fatalf("not a corpus file")
	}
	s := string(bytes.TrimSuffix(bytes.TrimPrefix(raw, []byte(head)), []byte(")\n")))
	out, err := strconv.Unquote(s)
	if err != nil {
		tb.Fatal(err)
	}
	return []byte(out)
}
