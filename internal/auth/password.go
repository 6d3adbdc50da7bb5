// Package auth holds the pure parts of authentication: password hashing and
// policy, login throttling and lockout as a policy over stored state, TOTP
// second factors and recovery codes, session and API tokens, and sealing of
// secrets at rest with SM4-GCM. It does no I/O except reading or creating key
// files; the store persists the strings and structs it produces.
package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
)

// PasswordParams are the argon2id cost parameters.
type PasswordParams struct {
	Memory  uint32 // KiB
	Time    uint32 // passes over the memory
	Threads uint8
	SaltLen uint32 // bytes
	KeyLen  uint32 // bytes
}

// DefaultPasswordParams returns the parameters for new hashes: 64 MiB,
// 3 passes, 2 lanes (RFC 9106 §4's second recommended option, with 2 lanes
// because a county server may have only two cores). One hash took 75–95 ms
// on a 2-core AMD EPYC virtual machine (BenchmarkHashPassword); expect
// 150–300 ms on older servers. Each hash holds 64 MiB while it runs, so the
// server must bound how many run at once (see docs/security.md).
func DefaultPasswordParams() PasswordParams {
	return PasswordParams{Memory: 64 * 1024, Time: 3, Threads: 2, SaltLen: 16, KeyLen: 32}
}

// Limits on parameters read back from storage, so that a corrupted or
// planted hash cannot make one verification take gigabytes or minutes.
const (
	maxMemory  = 1024 * 1024 // 1 GiB
	maxTime    = 16
	maxSaltLen = 64
	maxKeyLen  = 64
)

var b64 = base64.RawStdEncoding // PHC strings use unpadded standard base64

// HashPassword hashes password with DefaultPasswordParams.
func HashPassword(password string) (string, error) {
	return DefaultPasswordParams().Hash(password)
}

// Hash returns the PHC string of password:
// $argon2id$v=19$m=65536,t=3,p=2$<salt>$<hash>.
func (p PasswordParams) Hash(password string) (string, error) {
	if p.Memory < 8*uint32(p.Threads) || p.Memory > maxMemory || p.Time < 1 || p.Time > maxTime ||
		p.Threads < 1 || p.SaltLen < 8 || p.SaltLen > maxSaltLen || p.KeyLen < 16 || p.KeyLen > maxKeyLen {
		return "", fmt.Errorf("auth: unusable argon2id parameters %+v", p)
	}
	salt := make([]byte, p.SaltLen)
	rand.Read(salt) // never fails since Go 1.24
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return p.encode(salt, key), nil
}

func (p PasswordParams) encode(salt, key []byte) string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// VerifyPassword reports whether password matches the PHC string encoded.
// The comparison is constant-time. An error means the stored string is not a
// usable argon2id hash, which is the server's fault, not the user's.
func VerifyPassword(password, encoded string) (bool, error) {
	p, salt, key, err := decodeHash(encoded)
	if err != nil {
		return false, err
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

// NeedsRehash reports whether encoded was made with other parameters than
// DefaultPasswordParams (or cannot be read), so that the caller re-hashes the
// password it has just verified and stores the new string.
func NeedsRehash(encoded string) bool {
	p, _, _, err := decodeHash(encoded)
	return err != nil || p != DefaultPasswordParams()
}

// dummyHash is a well-formed hash with the default parameters that no
// password matches (its key is all zeros, its salt fixed).
var dummyHash = DefaultPasswordParams().encode(make([]byte, 16), make([]byte, 32))

// DummyVerify does the work of VerifyPassword against a hash with the
// default parameters and discards the answer. Call it when the account does
// not exist, so that the reply takes as long as for a real account.
func DummyVerify(password string) {
	_, _ = VerifyPassword(password, dummyHash)
}

func decodeHash(encoded string) (p PasswordParams, salt, key []byte, err error) {
	bad := func(why string) (PasswordParams, []byte, []byte, error) {
		return PasswordParams{}, nil, nil, fmt.Errorf("auth: stored password hash is not usable argon2id: %s", why)
	}
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return bad("not $argon2id$v=..$m=..,t=..,p=..$salt$hash")
	}
	if parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return bad("version " + parts[2])
	}
	var m, t, threads uint64
	for i, kv := range strings.Split(parts[3], ",") {
		name, value, _ := strings.Cut(kv, "=")
		n, perr := strconv.ParseUint(value, 10, 32)
		switch {
		case perr != nil:
			return bad("parameter " + kv)
		case i == 0 && name == "m":
			m = n
		case i == 1 && name == "t":
			t = n
		case i == 2 && name == "p":
			threads = n
		default:
			return bad("parameter " + kv)
		}
	}
	if m > maxMemory || t < 1 || t > maxTime || threads < 1 || threads > 255 || m < 8*threads {
		return bad("parameters out of range")
	}
	if salt, err = b64.DecodeString(parts[4]); err != nil || len(salt) < 8 || len(salt) > maxSaltLen {
		return bad("salt")
	}
	if key, err = b64.DecodeString(parts[5]); err != nil || len(key) < 16 || len(key) > maxKeyLen {
		return bad("hash")
	}
	p = PasswordParams{Memory: uint32(m), Time: uint32(t), Threads: uint8(threads),
		SaltLen: uint32(len(salt)), KeyLen: uint32(len(key))}
	return p, salt, key, nil
}
