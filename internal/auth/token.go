package auth

import (
	"bytes"
	"crypto/rand"
	"encoding/base32"
	"encoding/base64"
	"encoding/hex"
	"strings"

	"github.com/emmansun/gmsm/sm3"

	"fenghuo/internal/fenghuo"
)

// NewSessionToken returns a new session token: 32 random bytes, base64url.
// Send it to the browser; store only HashToken of it, so a copy of the
// database does not let anyone take over a session.
func NewSessionToken() string {
	b := make([]byte, 32)
	rand.Read(b) // never fails since Go 1.24
	return base64.RawURLEncoding.EncodeToString(b)
}

// HashToken returns the SM3 hex of a session or API token, the form stored
// and looked up. Tokens carry 240 or 256 random bits, so no salt or slow hash
// is needed; SM3 is the hash GB/T 39786 asks for.
func HashToken(token string) string {
	sum := sm3.Sum([]byte(token))
	return hex.EncodeToString(sum[:])
}

// APITokenPrefix starts every API token, so that secret scanners and people
// recognise a leaked one.
const APITokenPrefix = "fhk_"

const (
	apiTokenRandom   = 30 // bytes: 240 bits
	apiTokenChecksum = 5  // bytes of SM3 over the random part
	apiTokenLength   = len(APITokenPrefix) + (apiTokenRandom+apiTokenChecksum)*8/5
	apiTokenHintLen  = len(APITokenPrefix) + 8
)

// apiTokenEncoding is lower-case base32: tokens are selected by a double
// click and survive copy and paste, with no padding or punctuation.
var apiTokenEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// NewAPIToken returns a new API token: "fhk_" and 56 base32 characters that
// hold 240 random bits and a 40-bit checksum. Show it once; store HashToken
// of it and APITokenHint to tell tokens apart in lists.
func NewAPIToken() string {
	b := make([]byte, apiTokenRandom, apiTokenRandom+apiTokenChecksum)
	rand.Read(b) // never fails since Go 1.24
	sum := sm3.Sum(b)
	return APITokenPrefix + apiTokenEncoding.EncodeToString(append(b, sum[:apiTokenChecksum]...))
}

// ParseAPIToken checks that token has the form NewAPIToken produces, so that
// typos and other systems' tokens are refused before any database lookup.
func ParseAPIToken(token string) error {
	bad := fenghuo.Errorf(fenghuo.EUNAUTHORIZED, "This is not a Fenghuo API token (they start with %q).", APITokenPrefix)
	if len(token) != apiTokenLength || !strings.HasPrefix(token, APITokenPrefix) {
		return bad
	}
	b, err := apiTokenEncoding.DecodeString(token[len(APITokenPrefix):])
	if err != nil || len(b) != apiTokenRandom+apiTokenChecksum {
		return bad
	}
	sum := sm3.Sum(b[:apiTokenRandom])
	if !bytes.Equal(sum[:apiTokenChecksum], b[apiTokenRandom:]) {
		return bad
	}
	return nil
}

// APITokenHint returns the start of token ("fhk_k7m2xq9p"), safe to store
// and show so a person can tell their tokens apart.
func APITokenHint(token string) string {
	if len(token) < apiTokenHintLen {
		return token
	}
	return token[:apiTokenHintLen]
}

// Scope limits what an API token may do. Scopes are ordered:
// admin includes write, write includes read. The metrics scope stands
// apart: it allows reading /metrics (for a Prometheus scraper that cannot
// reach the metrics listener) and nothing else, and no other scope allows
// that.
type Scope string

const (
	ScopeRead    Scope = "read"
	ScopeWrite   Scope = "write"
	ScopeAdmin   Scope = "admin"
	ScopeMetrics Scope = "metrics"
)

func (s Scope) rank() int {
	switch s {
	case ScopeRead:
		return 1
	case ScopeWrite:
		return 2
	case ScopeAdmin:
		return 3
	}
	return 0
}

// ParseScope returns the scope named s.
func ParseScope(s string) (Scope, error) {
	if sc := Scope(s); sc.rank() > 0 || sc == ScopeMetrics {
		return sc, nil
	}
	return "", fenghuo.Errorf(fenghuo.EINVALID, "Unknown token scope %q; use read, write, admin or metrics.", s)
}

// Allows reports whether a token with scope s may do what needs required.
// An unknown scope allows nothing and is allowed by nothing; metrics allows
// only metrics.
func (s Scope) Allows(required Scope) bool {
	if s == ScopeMetrics || required == ScopeMetrics {
		return s == required
	}
	return s.rank() > 0 && required.rank() > 0 && s.rank() >= required.rank()
}
