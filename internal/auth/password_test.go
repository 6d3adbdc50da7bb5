package auth

import (
	"regexp"
	"strings"
	"testing"
)

// cheap parameters keep the tests that do not measure cost fast.
var cheap = PasswordParams{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

func TestHashAndVerifyPassword(t *testing.T) {
	encoded, err := HashPassword("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	phc := regexp.MustCompile(`^\$argon2id\$v=19\$m=65536,t=3,p=2\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`)
	if !phc.MatchString(encoded) {
		t.Fatalf("hash %q is not the expected PHC string", encoded)
	}
	tests := []struct {
		password string
		want     bool
	}{
		{"correct horse battery staple", true},
		{"correct horse battery stapl", false},
		{"Correct horse battery staple", false},
		{"", false},
	}
	for _, tt := range tests {
		if got, err := VerifyPassword(tt.password, encoded); err != nil || got != tt.want {
			t.Errorf("VerifyPassword(%q) = %v, %v; want %v", tt.password, got, err, tt.want)
		}
	}
	if NeedsRehash(encoded) {
		t.Error("NeedsRehash is true for a hash with the default parameters")
	}
}

func TestSaltsDiffer(t *testing.T) {
	a, _ := cheap.Hash("same password")
	b, _ := cheap.Hash("same password")
	if a == b {
		t.Fatal("two hashes of one password are equal: the salt is not random")
	}
}

func TestNeedsRehash(t *testing.T) {
	old, err := cheap.Hash("some password")
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := VerifyPassword("some password", old); !ok || err != nil {
		t.Fatalf("VerifyPassword with old parameters = %v, %v", ok, err)
	}
	for _, encoded := range []string{old, "", "$2a$10$bcryptbcryptbcryptbcrypt", "plaintext"} {
		if !NeedsRehash(encoded) {
			t.Errorf("NeedsRehash(%q) = false, want true", encoded)
		}
	}
}

func TestVerifyPasswordRefusesBadHashes(t *testing.T) {
	salt, key := strings.Repeat("A", 22), strings.Repeat("A", 43)
	tests := map[string]string{
		"empty":              "",
		"argon2i":            "$argon2i$v=19$m=65536,t=3,p=2$" + salt + "$" + key,
		"old version":        "$argon2id$v=16$m=65536,t=3,p=2$" + salt + "$" + key,
		"parameters swapped": "$argon2id$v=19$t=3,m=65536,p=2$" + salt + "$" + key,
		"extra parameter":    "$argon2id$v=19$m=65536,t=3,p=2,x=1$" + salt + "$" + key,
		"huge memory":        "$argon2id$v=19$m=4194304,t=3,p=2$" + salt + "$" + key,
		"huge time":          "$argon2id$v=19$m=65536,t=1000,p=2$" + salt + "$" + key,
		"no threads":         "$argon2id$v=19$m=65536,t=3,p=0$" + salt + "$" + key,
		"short salt":         "$argon2id$v=19$m=65536,t=3,p=2$AAAA$" + key,
		"short hash":         "$argon2id$v=19$m=65536,t=3,p=2$" + salt + "$AAAA",
		"bad base64":         "$argon2id$v=19$m=65536,t=3,p=2$" + salt + "$" + strings.Repeat("!", 43),
		"trailing field":     "$argon2id$v=19$m=65536,t=3,p=2$" + salt + "$" + key + "$",
	}
	for name, encoded := range tests {
		if ok, err := VerifyPassword("x", encoded); ok || err == nil {
			t.Errorf("%s: VerifyPassword = %v, %v; want an error", name, ok, err)
		}
	}
}

func TestHashRefusesBadParams(t *testing.T) {
	for _, p := range []PasswordParams{{}, {Memory: 64, Time: 1, Threads: 1, SaltLen: 4, KeyLen: 32},
		{Memory: 2 << 20, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}} {
		if _, err := p.Hash("x"); err == nil {
			t.Errorf("Hash with %+v succeeded", p)
		}
	}
}

// TestDummyVerifyCostsTheSame checks without a stopwatch that DummyVerify
// does the same work as verifying a real hash: same parameters, same salt
// and key sizes, and the full argon2id path (a well-formed hash).
func TestDummyVerifyCostsTheSame(t *testing.T) {
	p, salt, key, err := decodeHash(dummyHash)
	if err != nil {
		t.Fatalf("dummy hash does not parse: %v", err)
	}
	if p != DefaultPasswordParams() || len(salt) != int(p.SaltLen) || len(key) != int(p.KeyLen) {
		t.Fatalf("dummy hash params %+v, want %+v", p, DefaultPasswordParams())
	}
	real, _ := HashPassword("x")
	if rp, _, _, _ := decodeHash(real); rp != p {
		t.Fatalf("real hash params %+v differ from the dummy's %+v", rp, p)
	}
	if ok, err := VerifyPassword("", dummyHash); ok || err != nil {
		t.Fatalf("dummy hash verifies: %v, %v", ok, err)
	}
	DummyVerify("anything")
}

func BenchmarkHashPassword(b *testing.B) {
	for b.Loop() {
		if _, err := HashPassword("correct horse battery staple"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDummyVerify(b *testing.B) {
	for b.Loop() {
		DummyVerify("correct horse battery staple")
	}
}
