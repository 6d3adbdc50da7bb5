// Package docsign signs and verifies what the platform issues with SM2 (GB/T
// 32918) over SM3 digests, as GB/T 39786-2021 asks for the integrity and
// non-repudiation of important data: a signature block names the issuing
// office, its key and the time, and is embedded in the document it covers
// (ZIP comment of a DOCX/XLSX, a comment line after a PDF's %%EOF) or kept
// beside a record. It is pure: keys come from the caller, nothing is stored.
package docsign

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/sm3"
	"github.com/emmansun/gmsm/smx509"
)

// Marker opens an encoded block: a name and a format version, then one space
// and the block as base64 of compact JSON. Base64 has no spaces, so the
// marker cannot occur inside a block.
const Marker = "FENGHUO-SIG1 "

// MaxBlock bounds an encoded block; a real one is under 1 KiB. A ZIP comment
// holds at most 65,535 bytes.
const MaxBlock = 8 << 10

// Block is one signature: who signed, with which key, when, over what.
type Block struct {
	// OfficeID and Office are the signing org's id and Chinese name.
	OfficeID int64  `json:"office_id"`
	Office   string `json:"office"`
	// KeyID is the hex SM3 digest of PublicKey (see KeyID).
	KeyID string `json:"key_id"`
	// PublicKey is the office key's SubjectPublicKeyInfo DER.
	PublicKey []byte    `json:"public_key"`
	SignedAt  time.Time `json:"signed_at"`
	// Digest is the hex SM3 digest of the signed bytes.
	Digest string `json:"sm3"`
	// Signature is the ASN.1 SM2 signature of Statement(), with SM3 and the
	// default user ID of GB/T 32918 / GM/T 0009 ("1234567812345678").
	Signature []byte `json:"sig"`
}

// Key is an office's private signing key, with what a block says of it.
type Key struct {
	OfficeID int64
	Office   string
	Private  *sm2.PrivateKey
}

// statementMagic opens the signed statement, so that a signature made for
// another purpose with the same key never verifies as a Fenghuo signature.
const statementMagic = "FHSIG\x01"

// Statement is what the SM2 signature covers: the office, the time, the
// key and the digest of the content, each integer fixed-width and each
// string length-prefixed so that two different blocks never share one.
// Binding the office and the time in the signature means neither can be
// edited in a block without the signature failing.
func (b *Block) Statement() []byte {
	out := []byte(statementMagic)
	out = binary.BigEndian.AppendUint64(out, uint64(b.OfficeID))
	out = binary.BigEndian.AppendUint64(out, uint64(b.SignedAt.UnixNano()))
	for _, s := range [...]string{b.Office, b.KeyID, b.Digest} {
		out = binary.BigEndian.AppendUint64(out, uint64(len(s)))
		out = append(out, s...)
	}
	return out
}

// KeyID is the key id of a public key: the hex SM3 digest of its DER.
func KeyID(publicDER []byte) string {
	sum := sm3.Sum(publicDER)
	return hex.EncodeToString(sum[:])
}

// ShortKeyID is the key id as shown to people: its first 16 hex digits in
// groups of four, like an OpenPGP fingerprint's tail.
func ShortKeyID(id string) string {
	if len(id) > 16 {
		id = id[:16]
	}
	var parts []string
	for len(id) > 4 {
		parts = append(parts, id[:4])
		id = id[4:]
	}
	return strings.ToUpper(strings.Join(append(parts, id), " "))
}

// PublicDER returns the SubjectPublicKeyInfo DER of a private key's public half.
func PublicDER(priv *sm2.PrivateKey) ([]byte, error) {
	return smx509.MarshalPKIXPublicKey(&priv.PublicKey)
}

// ParsePublic parses a SubjectPublicKeyInfo DER holding an SM2 key.
func ParsePublic(der []byte) (*ecdsa.PublicKey, error) {
	k, err := smx509.ParsePKIXPublicKey(der)
	if err != nil {
		return nil, err
	}
	pub, ok := k.(*ecdsa.PublicKey)
	if !ok || !sm2.IsSM2PublicKey(pub) {
		return nil, errors.New("docsign: not an SM2 public key")
	}
	return pub, nil
}

// GenerateKey makes a new SM2 private key.
func GenerateKey() (*sm2.PrivateKey, error) { return sm2.GenerateKey(rand.Reader) }

// MarshalPrivate returns the private scalar (32 bytes), what a store seals.
func MarshalPrivate(priv *sm2.PrivateKey) []byte {
	return priv.D.FillBytes(make([]byte, 32))
}

// ParsePrivate is the inverse of MarshalPrivate.
func ParsePrivate(b []byte) (*sm2.PrivateKey, error) { return sm2.NewPrivateKey(b) }

// Sign signs content (the exact signed bytes) with k at time at.
func Sign(k Key, content []byte, at time.Time) (*Block, error) {
	if k.Private == nil {
		return nil, errors.New("docsign: no private key")
	}
	der, err := PublicDER(k.Private)
	if err != nil {
		return nil, err
	}
	sum := sm3.Sum(content)
	b := &Block{OfficeID: k.OfficeID, Office: k.Office, KeyID: KeyID(der), PublicKey: der,
		// JSON keeps RFC 3339 with nanoseconds; UTC so that the statement
		// and the text agree whatever the server's zone.
		SignedAt: at.UTC(), Digest: hex.EncodeToString(sum[:])}
	b.Signature, err = k.Private.Sign(rand.Reader, b.Statement(), sm2.DefaultSM2SignerOpts)
	if err != nil {
		return nil, fmt.Errorf("docsign: sign: %w", err)
	}
	return b, nil
}

// Encode returns the block as Marker + base64(JSON).
func (b *Block) Encode() string {
	raw, _ := json.Marshal(b) // only strings, numbers, bytes and a time: cannot fail
	return Marker + base64.StdEncoding.EncodeToString(raw)
}

// errDamaged is a block that cannot be decoded.
var errDamaged = errors.New("docsign: signature block damaged")

// Decode parses an encoded block (with its Marker).
func Decode(s string) (*Block, error) {
	body, ok := strings.CutPrefix(s, Marker)
	if !ok || len(s) > MaxBlock {
		return nil, errDamaged
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimRight(body, "\r\n"))
	if err != nil {
		return nil, errDamaged
	}
	var b Block
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil || dec.More() {
		return nil, errDamaged
	}
	if b.KeyID == "" || len(b.PublicKey) == 0 || len(b.Signature) == 0 || len(b.Digest) != 64 || b.SignedAt.IsZero() {
		return nil, errDamaged
	}
	return &b, nil
}

// check verifies b against the signed bytes, without a trust list.
func (b *Block) check(content []byte) Failure {
	if KeyID(b.PublicKey) != b.KeyID {
		return FailSignature
	}
	pub, err := ParsePublic(b.PublicKey)
	if err != nil {
		return FailSignature
	}
	if !sm2.VerifyASN1WithSM2(pub, nil, b.Statement(), b.Signature) {
		return FailSignature
	}
	sum := sm3.Sum(content)
	if hex.EncodeToString(sum[:]) != b.Digest {
		return FailChanged
	}
	return OK
}

// VerifyBytes checks a block kept beside a record (or a detached .sig)
// against the content it should cover, and against trust when given.
func VerifyBytes(b *Block, content []byte, trust *TrustList) Result {
	r := Result{Format: FormatDetached, Block: b, Failure: b.check(content)}
	r.applyTrust(trust)
	return r
}
