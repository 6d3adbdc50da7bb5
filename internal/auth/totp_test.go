package auth

import (
	"encoding/base32"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"
)

// rfc6238Secret is the SHA-1 key of RFC 6238 Appendix B, "12345678901234567890".
var rfc6238Secret = base32.StdEncoding.EncodeToString([]byte("12345678901234567890"))

func TestVerifyTOTPVectors(t *testing.T) {
	// RFC 6238 Appendix B, SHA-1, last six of the eight digits.
	tests := []struct {
		unix int64
		code string
	}{
		{59, "287082"},
		{1111111109, "081804"},
		{1111111111, "050471"},
		{1234567890, "005924"},
		{2000000000, "279037"},
	}
	for _, tt := range tests {
		step, ok := VerifyTOTP(rfc6238Secret, tt.code, time.Unix(tt.unix, 0), 0)
		if !ok || step != tt.unix/30 {
			t.Errorf("VerifyTOTP(%s at %d) = %d, %v; want %d, true", tt.code, tt.unix, step, ok, tt.unix/30)
		}
	}
}

func TestVerifyTOTPWindowAndReplay(t *testing.T) {
	now := time.Unix(1234567890, 0) // step 41152263
	const step = 1234567890 / 30
	code := func(s int64) string {
		c, err := totp.GenerateCode(rfc6238Secret, time.Unix(s*30, 0))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	tests := []struct {
		name     string
		code     string
		lastUsed int64
		wantStep int64
		wantOK   bool
	}{
		{"current", code(step), 0, step, true},
		{"previous step (clock drift)", code(step - 1), 0, step - 1, true},
		{"next step (clock drift)", code(step + 1), 0, step + 1, true},
		{"two steps old", code(step - 2), 0, 0, false},
		{"two steps ahead", code(step + 2), 0, 0, false},
		{"replayed", code(step), step, 0, false},
		{"older than the last used", code(step - 1), step, 0, false},
		{"newer than the last used", code(step + 1), step, step + 1, true},
		{"spaces around", " " + code(step) + " ", 0, step, true},
		{"five digits", code(step)[:5], 0, 0, false},
		{"seven digits", code(step) + "0", 0, 0, false},
		{"letters", "abcdef", 0, 0, false},
		{"empty", "", 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, ok := VerifyTOTP(rfc6238Secret, tt.code, now, tt.lastUsed)
			if s != tt.wantStep || ok != tt.wantOK {
				t.Errorf("VerifyTOTP = %d, %v; want %d, %v", s, ok, tt.wantStep, tt.wantOK)
			}
		})
	}
	if _, ok := VerifyTOTP("not base32!", "123456", now, 0); ok {
		t.Error("a malformed secret verified")
	}
}

func TestNewTOTPSecret(t *testing.T) {
	secret, link, err := NewTOTPSecret("烽火 Fenghuo", "zhang.wei@example.gov.cn")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(secret)
	if err != nil || len(raw) != 20 {
		t.Fatalf("secret %q: %d bytes, %v; want 20", secret, len(raw), err)
	}
	u, err := url.Parse(link)
	if err != nil || u.Scheme != "otpauth" || u.Host != "totp" {
		t.Fatalf("URL %q", link)
	}
	q := u.Query()
	if q.Get("secret") != secret || q.Get("issuer") != "烽火 Fenghuo" || q.Get("digits") != "6" ||
		q.Get("period") != "30" || q.Get("algorithm") != "SHA1" {
		t.Errorf("URL query %v", q)
	}
	now := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	c, _ := totp.GenerateCode(secret, now)
	if _, ok := VerifyTOTP(secret, c, now, 0); !ok {
		t.Error("a code for the new secret does not verify")
	}
	other, _, _ := NewTOTPSecret("Fenghuo", "a")
	if other == secret {
		t.Error("two secrets are equal")
	}
	for _, bad := range [][2]string{{"", "a"}, {"Fenghuo", ""}, {"Feng:huo", "a"}} {
		if _, _, err := NewTOTPSecret(bad[0], bad[1]); err == nil {
			t.Errorf("NewTOTPSecret(%q, %q) succeeded", bad[0], bad[1])
		}
	}
}

func TestRecoveryCodes(t *testing.T) {
	codes, hashes := NewRecoveryCodes()
	if len(codes) != RecoveryCodeCount || len(hashes) != RecoveryCodeCount {
		t.Fatalf("%d codes, %d hashes", len(codes), len(hashes))
	}
	format := regexp.MustCompile(`^[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}$`)
	seen := map[string]bool{}
	for i, c := range codes {
		if !format.MatchString(c) || seen[c] {
			t.Errorf("code %q malformed or repeated", c)
		}
		seen[c] = true
		if hashes[i] != HashRecoveryCode(c) || len(hashes[i]) != 64 {
			t.Errorf("hash %d = %s", i, hashes[i])
		}
	}
	typed := strings.ToUpper(strings.ReplaceAll(codes[3], "-", " "))
	if i, ok := MatchRecoveryCode(typed, hashes); !ok || i != 3 {
		t.Errorf("MatchRecoveryCode(%q) = %d, %v; want 3, true", typed, i, ok)
	}
	if _, ok := MatchRecoveryCode("0000-0000-0000", hashes); ok {
		t.Error("an unknown code matched")
	}
	if _, ok := MatchRecoveryCode(codes[0], nil); ok {
		t.Error("a code matched an empty list")
	}
	if HashRecoveryCode("o1l0-ILOO") != HashRecoveryCode("0110-1100") {
		t.Error("look-alike letters are not folded")
	}
}

func TestIsRecoveryCode(t *testing.T) {
	codes, _ := NewRecoveryCodes()
	for _, c := range []string{codes[0], strings.ToUpper(codes[1]), strings.ReplaceAll(codes[2], "-", " ")} {
		if !IsRecoveryCode(c) {
			t.Errorf("%q not taken for a recovery code", c)
		}
	}
	for _, c := range []string{"123456", " 123 456 ", "", "k7m2-xq9p-4hr"} {
		if IsRecoveryCode(c) {
			t.Errorf("%q taken for a recovery code", c)
		}
	}
}
