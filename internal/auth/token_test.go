package auth

import (
	"encoding/base64"
	"regexp"
	"strings"
	"testing"

	"fenghuo/internal/fenghuo"
)

func TestSessionToken(t *testing.T) {
	a, b := NewSessionToken(), NewSessionToken()
	raw, err := base64.RawURLEncoding.DecodeString(a)
	if err != nil || len(raw) != 32 || a == b {
		t.Fatalf("tokens %q, %q: want distinct base64url of 32 bytes", a, b)
	}
}

func TestHashToken(t *testing.T) {
	// GB/T 32905-2016 Appendix A.1: SM3("abc").
	if got, want := HashToken("abc"), "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"; got != want {
		t.Fatalf("HashToken(abc) = %s, want %s", got, want)
	}
}

func TestAPIToken(t *testing.T) {
	tok := NewAPIToken()
	if !regexp.MustCompile(`^fhk_[a-z2-7]{56}$`).MatchString(tok) {
		t.Fatalf("token %q has the wrong shape", tok)
	}
	if err := ParseAPIToken(tok); err != nil {
		t.Fatalf("ParseAPIToken(new token) = %v", err)
	}
	if tok == NewAPIToken() {
		t.Fatal("two tokens are equal")
	}
	if hint := APITokenHint(tok); hint != tok[:12] {
		t.Errorf("hint %q", hint)
	}
	flip := func(s string, i int) string {
		c := byte('a')
		if s[i] == 'a' {
			c = 'b'
		}
		return s[:i] + string(c) + s[i+1:]
	}
	for name, bad := range map[string]string{
		"empty":           "",
		"other prefix":    "ghp_" + tok[4:],
		"upper case":      strings.ToUpper(tok),
		"short":           tok[:len(tok)-1],
		"long":            tok + "a",
		"random changed":  flip(tok, 10),
		"checksum broken": flip(tok, len(tok)-2),
		"session token":   NewSessionToken(),
	} {
		if err := ParseAPIToken(bad); fenghuo.ErrorCode(err) != fenghuo.EUNAUTHORIZED {
			t.Errorf("%s: ParseAPIToken = %v, want EUNAUTHORIZED", name, err)
		}
	}
}

func TestScopeAllows(t *testing.T) {
	tests := []struct {
		have, need Scope
		want       bool
	}{
		{ScopeRead, ScopeRead, true},
		{ScopeRead, ScopeWrite, false},
		{ScopeRead, ScopeAdmin, false},
		{ScopeWrite, ScopeRead, true},
		{ScopeWrite, ScopeWrite, true},
		{ScopeWrite, ScopeAdmin, false},
		{ScopeAdmin, ScopeRead, true},
		{ScopeAdmin, ScopeAdmin, true},
		{"root", ScopeRead, false},
		{ScopeAdmin, "", false},
		// metrics stands apart: it reads /metrics and nothing else, and
		// nothing else reads /metrics.
		{ScopeMetrics, ScopeMetrics, true},
		{ScopeMetrics, ScopeRead, false},
		{ScopeMetrics, ScopeAdmin, false},
		{ScopeAdmin, ScopeMetrics, false},
		{ScopeRead, ScopeMetrics, false},
		{"", ScopeMetrics, false},
	}
	for _, tt := range tests {
		if got := tt.have.Allows(tt.need); got != tt.want {
			t.Errorf("%q.Allows(%q) = %v, want %v", tt.have, tt.need, got, tt.want)
		}
	}
	if s, err := ParseScope("metrics"); err != nil || s != ScopeMetrics {
		t.Errorf("ParseScope(metrics) = %q, %v", s, err)
	}
	if s, err := ParseScope("write"); err != nil || s != ScopeWrite {
		t.Errorf("ParseScope(write) = %q, %v", s, err)
	}
	if _, err := ParseScope("Write"); fenghuo.ErrorCode(err) != fenghuo.EINVALID {
		t.Errorf("ParseScope(Write) = %v, want EINVALID", err)
	}
}
