package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"strings"
	"time"
	"unicode"

	"github.com/emmansun/gmsm/sm3"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/hotp"
	"github.com/pquerna/otp/totp"

	"fenghuo/internal/fenghuo"
)

// TOTP settings (RFC 6238). SHA-1, 6 digits and 30 s are what every
// authenticator app supports; SM3 is not among the algorithms they know.
const (
	totpPeriod = 30
	totpSkew   = 1 // steps accepted either side of now, for clock drift
)

var totpOpts = hotp.ValidateOpts{Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// NewTOTPSecret returns a new base32 secret (160 bits) and the otpauth:// URL
// that an authenticator app reads from a QR code. Store the secret sealed
// (Sealer) and only after the person has entered one valid code.
func NewTOTPSecret(issuer, account string) (secret, otpauthURL string, err error) {
	if issuer == "" || account == "" || strings.Contains(issuer, ":") {
		return "", "", fenghuo.Errorf(fenghuo.EINVALID, "A TOTP secret needs an issuer without ':' and an account name.")
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: account,
		Period: totpPeriod, SecretSize: 20, Digits: totpOpts.Digits, Algorithm: totpOpts.Algorithm})
	if err != nil {
		return "", "", err
	}
	return key.Secret(), key.URL(), nil
}

// VerifyTOTP checks a 6-digit code against secret at now, allowing one step
// of clock drift either way. It refuses a code from lastUsedStep or earlier,
// so an observed code cannot be replayed within its window. On success the
// caller must store the returned step as the new lastUsedStep (0 before the
// first use).
func VerifyTOTP(secret, code string, now time.Time, lastUsedStep int64) (step int64, ok bool) {
	code = strings.TrimSpace(code)
	if len(code) != totpOpts.Digits.Length() || strings.Trim(code, "0123456789") != "" {
		return 0, false
	}
	current := now.Unix() / totpPeriod
	for s := current - totpSkew; s <= current+totpSkew; s++ {
		if s <= lastUsedStep || s < 0 {
			continue
		}
		want, err := hotp.GenerateCodeCustom(secret, uint64(s), totpOpts)
		if err != nil {
			return 0, false // malformed secret
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return s, true
		}
	}
	return 0, false
}

// RecoveryCodeCount is how many recovery codes a person gets at a time.
const RecoveryCodeCount = 10

// recoveryAlphabet is Crockford's base32: no I, L, O or U, so codes read off
// paper are not mistyped; HashRecoveryCode maps o to 0 and i, l to 1.
const recoveryAlphabet = "0123456789abcdefghjkmnpqrstvwxyz"

// NewRecoveryCodes returns RecoveryCodeCount one-time codes to show the
// person once ("k7m2-xq9p-4hrt"), and their hashes to store. Each code has
// 12 characters of 5 random bits, 60 bits in all, so an unsalted SM3 hash is
// enough: nobody can try 2^60 codes against a stolen table.
func NewRecoveryCodes() (codes, hashes []string) {
	for range RecoveryCodeCount {
		random := make([]byte, 12)
		rand.Read(random) // never fails since Go 1.24
		var b strings.Builder
		for i, r := range random {
			if i > 0 && i%4 == 0 {
				b.WriteByte('-')
			}
			b.WriteByte(recoveryAlphabet[r%32]) // 256 is a multiple of 32: no bias
		}
		codes = append(codes, b.String())
		hashes = append(hashes, HashRecoveryCode(b.String()))
	}
	return codes, hashes
}

// HashRecoveryCode returns the SM3 hex of code with case, spaces, dashes and
// Crockford's look-alikes ignored, so "K7M2 XQ9P 4HRT" matches "k7m2-xq9p-4hrt".
func HashRecoveryCode(code string) string {
	normalized := strings.Map(func(r rune) rune {
		switch r = unicode.ToLower(r); r {
		case '-', ' ':
			return -1
		case 'o':
			return '0'
		case 'i', 'l':
			return '1'
		}
		return r
	}, code)
	sum := sm3.Sum([]byte(normalized))
	return hex.EncodeToString(sum[:])
}

// IsRecoveryCode reports whether code has the shape of a recovery code
// (12 characters once dashes and spaces are dropped) rather than of a
// 6-digit TOTP code.
func IsRecoveryCode(code string) bool {
	n := 0
	for _, r := range code {
		if r != '-' && r != ' ' {
			n++
		}
	}
	return n == 12
}

// MatchRecoveryCode returns the index in hashes of code's hash. The caller
// deletes that hash in the same transaction that logs the person in, so each
// code works once. Every stored hash is compared, in constant time.
func MatchRecoveryCode(code string, hashes []string) (index int, ok bool) {
	h := []byte(HashRecoveryCode(code))
	index = -1
	for i, stored := range hashes {
		if subtle.ConstantTimeCompare(h, []byte(stored)) == 1 {
			index = i
		}
	}
	return index, index >= 0
}
