package auth

import (
	"bytes"
	"encoding/hex"
	"strings"
	"testing"

	"fenghuo/internal/fenghuo"
)

func MustSealer(tb testing.TB, seed byte) *Sealer {
	tb.Helper()
	s, err := NewSealer(bytes.Repeat([]byte{seed}, SealerKeySize))
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// TestSealerIsStandardSM4GCM checks the cipher against GB/T 36624-2018
// Appendix C.5, so values sealed here can be opened by any conforming
// implementation (and by a hardware crypto card, should one be required).
func TestSealerIsStandardSM4GCM(t *testing.T) {
	s := MustSealer(t, 0)
	got := s.aead.Seal(nil, make([]byte, 12), make([]byte, 16), nil)
	if want := "7de2aa7f1110188218063be1bfeb6d89b851b5f39493752be508f1bb4482c557"; hex.EncodeToString(got) != want {
		t.Fatalf("SM4-GCM = %x, want %s", got, want)
	}
}

func TestSealOpen(t *testing.T) {
	s := MustSealer(t, 1)
	secret, ad := []byte("JBSWY3DPEHPK3PXP"), []byte("user:42:totp")
	sealed, err := s.Seal(secret, ad)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(sealed, "sm4gcm1:") || strings.Contains(sealed, string(secret)) {
		t.Fatalf("sealed = %q", sealed)
	}
	if again, _ := s.Seal(secret, ad); again == sealed {
		t.Error("sealing twice gave the same text: the nonce is not random")
	}
	got, err := s.Open(sealed, ad)
	if err != nil || !bytes.Equal(got, secret) {
		t.Fatalf("Open = %q, %v", got, err)
	}
	empty, _ := s.Seal(nil, ad)
	if got, err := s.Open(empty, ad); err != nil || len(got) != 0 {
		t.Errorf("Open(sealed empty) = %q, %v", got, err)
	}

	flipped := []byte(sealed)
	flipped[len(flipped)-5] ^= 1
	tests := map[string]struct {
		sealer *Sealer
		sealed string
		ad     []byte
	}{
		"other row":          {s, sealed, []byte("user:43:totp")},
		"no associated data": {s, sealed, nil},
		"other key":          {MustSealer(t, 2), sealed, ad},
		"altered":            {s, string(flipped), ad},
		"truncated":          {s, sealed[:20], ad},
		"unknown version":    {s, "sm4gcm9:" + strings.TrimPrefix(sealed, "sm4gcm1:"), ad},
		"plaintext":          {s, "JBSWY3DPEHPK3PXP", ad},
		"bad base64":         {s, "sm4gcm1:!!!", ad},
	}
	for name, tt := range tests {
		if got, err := tt.sealer.Open(tt.sealed, tt.ad); err == nil || got != nil {
			t.Errorf("%s: Open = %q, %v; want an error", name, got, err)
		} else if fenghuo.ErrorCode(err) != fenghuo.EINTERNAL {
			t.Errorf("%s: error code %q, want internal", name, fenghuo.ErrorCode(err))
		}
	}
}

func TestSealerLimits(t *testing.T) {
	if _, err := NewSealer(make([]byte, 32)); fenghuo.ErrorCode(err) != fenghuo.EINVALID {
		t.Errorf("NewSealer(32 bytes) = %v, want EINVALID", err)
	}
	if _, err := MustSealer(t, 1).Seal(make([]byte, MaxSealedPlaintext+1), nil); fenghuo.ErrorCode(err) != fenghuo.EINVALID {
		t.Errorf("Seal(too large) = %v, want EINVALID", err)
	}
}
