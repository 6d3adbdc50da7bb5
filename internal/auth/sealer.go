package auth

import (
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"strings"

	"github.com/emmansun/gmsm/sm4"

	"fenghuo/internal/fenghuo"
)

// SealerKeySize is the SM4 key size.
const SealerKeySize = 16

// sealedPrefix names the format of a sealed value: version 1 is SM4-GCM
// (GB/T 36624) with a 12-byte random nonce, as base64url of
// nonce || ciphertext || 16-byte tag. A new key or cipher gets a new prefix,
// so old values stay readable during a migration.
const sealedPrefix = "sm4gcm1:"

// MaxSealedPlaintext bounds what Seal accepts: it is for secrets (TOTP seeds,
// webhook secrets, SMTP passwords), not documents.
const MaxSealedPlaintext = 64 << 10

// Sealer encrypts small secrets before the store writes them, as GB/T 39786
// asks SM4 for sensitive data at rest: a copy of the database alone does not
// reveal them. It is safe for concurrent use.
type Sealer struct {
	aead cipher.AEAD
}

// NewSealer returns a Sealer with a SealerKeySize-byte key.
func NewSealer(key []byte) (*Sealer, error) {
	if len(key) != SealerKeySize {
		return nil, fenghuo.Errorf(fenghuo.EINVALID, "Sealing key has %d bytes; SM4 needs %d.", len(key), SealerKeySize)
	}
	block, err := sm4.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Sealer{aead: aead}, nil
}

// Seal encrypts plaintext and binds it to associatedData, which is not stored
// but must be given again to Open. Use the owner and purpose of the secret,
// e.g. "user:42:totp", so that someone who can write to the database cannot
// move a sealed secret to another row or account.
func (s *Sealer) Seal(plaintext, associatedData []byte) (string, error) {
	if len(plaintext) > MaxSealedPlaintext {
		return "", fenghuo.Errorf(fenghuo.EINVALID, "Secret of %d bytes is too large to seal (at most %d).", len(plaintext), MaxSealedPlaintext)
	}
	// Random 96-bit nonces are safe for far more values than this
	// application will ever seal under one key (NIST SP 800-38D §8.3).
	nonce := make([]byte, s.aead.NonceSize(), s.aead.NonceSize()+len(plaintext)+s.aead.Overhead())
	rand.Read(nonce) // never fails since Go 1.24
	sealed := s.aead.Seal(nonce, nonce, plaintext, associatedData)
	return sealedPrefix + base64.RawURLEncoding.EncodeToString(sealed), nil
}

// errCannotOpen is deliberately vague and not a *fenghuo.Error: the client
// sees a generic internal error, the operator's log says what happened.
var errCannotOpen = errors.New("auth: sealed value cannot be opened: wrong key, wrong associated data, or altered")

// Open decrypts what Seal returned, given the same associatedData.
func (s *Sealer) Open(sealed string, associatedData []byte) ([]byte, error) {
	body, ok := strings.CutPrefix(sealed, sealedPrefix)
	if !ok {
		return nil, errors.New("auth: sealed value has an unknown format")
	}
	raw, err := base64.RawURLEncoding.DecodeString(body)
	if err != nil || len(raw) < s.aead.NonceSize()+s.aead.Overhead() {
		return nil, errors.New("auth: sealed value is malformed")
	}
	nonce, ciphertext := raw[:s.aead.NonceSize()], raw[s.aead.NonceSize():]
	plaintext, err := s.aead.Open(nil, nonce, ciphertext, associatedData)
	if err != nil {
		return nil, errCannotOpen
	}
	return plaintext, nil
}
