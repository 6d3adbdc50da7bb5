// Package pii seals the personal data of people (contact phones, e-mail
// addresses, ID numbers) before the store writes it, as GB/T 39786 asks SM4
// for personal data at rest, and gives the store a keyed SM3 digest of each
// value so that an exact search (a user by e-mail) works without the clear
// value in the database. Mask gives the form lists show.
//
// Both keys are derived from the server's sealer key (DATA_DIR/keys/
// sealer.key, kept by internal/keyfile), each for its one purpose, so that no
// new key file has to be backed up, restored or copied to replicas.
package pii

import (
	"crypto/hmac"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"

	"github.com/emmansun/gmsm/sm3"

	"fenghuo/internal/auth"
)

// SealedPrefix starts every sealed value (auth.Sealer's format): a stored
// value without it is plain text from before sealing (see the store's
// upgrade pass).
const SealedPrefix = "sm4gcm1:"

// MaxValue bounds a personal value: a phone number or an e-mail address,
// never a document.
const MaxValue = 320

// Codec seals, opens and digests personal values. It is safe for concurrent
// use.
type Codec struct {
	sealer    *auth.Sealer
	digestKey []byte
}

// New derives the codec's SM4 and HMAC-SM3 keys from the sealer key
// (auth.SealerKeySize bytes) by HMAC-SM3 with a label per purpose.
func New(sealerKey []byte) (*Codec, error) {
	if len(sealerKey) != auth.SealerKeySize {
		return nil, errors.New("pii: the sealer key has the wrong size")
	}
	sealer, err := auth.NewSealer(derive(sealerKey, "fenghuo pii seal v1")[:auth.SealerKeySize])
	if err != nil {
		return nil, err
	}
	return &Codec{sealer: sealer, digestKey: derive(sealerKey, "fenghuo pii digest v1")}, nil
}

func derive(key []byte, label string) []byte {
	m := hmac.New(sm3.New, key)
	m.Write([]byte(label))
	return m.Sum(nil)
}

// Binding names where a sealed value lives, "table.column" and the row's
// id. It is the associated data of the seal, so a value copied to another
// column or row by someone who can write to the database does not open.
type Binding struct {
	Column string // "users.mobile"
	Row    int64
}

func (b Binding) ad() []byte {
	return []byte("pii:" + b.Column + ":" + strconv.FormatInt(b.Row, 10))
}

// Seal encrypts value for its place. An empty value stays empty (nothing to
// hide, and "no phone" must stay cheap to test).
func (c *Codec) Seal(value string, b Binding) (string, error) {
	if value == "" {
		return "", nil
	}
	if len(value) > MaxValue {
		return "", errors.New("pii: value too long to be a phone number or an address")
	}
	return c.sealer.Seal([]byte(value), b.ad())
}

// ErrNotSealed is returned by Open for a non-empty value without
// SealedPrefix: plain text the upgrade pass has not sealed yet, or written
// around the store.
var ErrNotSealed = errors.New("pii: stored value is not sealed")

// Open decrypts what Seal returned for the same binding. An empty value
// opens as empty; anything else that is not a sealed value of this place
// is an error, never a panic.
func (c *Codec) Open(stored string, b Binding) (string, error) {
	if stored == "" {
		return "", nil
	}
	if !IsSealed(stored) {
		return "", ErrNotSealed
	}
	plain, err := c.sealer.Open(stored, b.ad())
	if err != nil {
		return "", err
	}
	return string(plain), nil
}

// IsSealed reports whether a stored value is in the sealed format (by its
// prefix only: Open says whether it opens).
func IsSealed(stored string) bool { return strings.HasPrefix(stored, SealedPrefix) }

// Kind says how a value is normalised for its digest and masked.
type Kind int

const (
	// Phone is a mobile, office line or fax number.
	Phone Kind = iota
	// Email is an e-mail address.
	Email
	// IDNumber is a resident identity card number (GB 11643).
	IDNumber
)

func (k Kind) String() string {
	switch k {
	case Phone:
		return "phone"
	case Email:
		return "email"
	case IDNumber:
		return "id"
	}
	return "kind" + strconv.Itoa(int(k))
}

// Normalize returns the form of value that Digest hashes: an e-mail
// address trimmed and in lower case; a phone number's digits only, without
// China's +86 in front of a mobile; an ID number trimmed, with a final x in
// upper case.
func Normalize(k Kind, value string) string {
	value = strings.TrimSpace(value)
	switch k {
	case Email:
		return strings.ToLower(value)
	case Phone:
		var d []byte
		for i := 0; i < len(value); i++ {
			if c := value[i]; c >= '0' && c <= '9' {
				d = append(d, c)
			}
		}
		s := string(d)
		if len(s) == 13 && strings.HasPrefix(s, "861") {
			s = s[2:]
		}
		return s
	case IDNumber:
		return strings.ToUpper(value)
	}
	return value
}

// Digest is the keyed SM3 digest (HMAC-SM3, hex) of value's normalised
// form, the same for the same person's number however it was typed, and
// "" for an empty value. Without the key it cannot be computed, so the
// column does not let anyone with a list of numbers test which are there.
func (c *Codec) Digest(k Kind, value string) string {
	n := Normalize(k, value)
	if n == "" {
		return ""
	}
	m := hmac.New(sm3.New, c.digestKey)
	m.Write([]byte(k.String()))
	m.Write([]byte{0})
	m.Write([]byte(n))
	return hex.EncodeToString(m.Sum(nil))
}
