package docsign

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"time"
)

// TrustFormat names the trust file's format.
const TrustFormat = "fenghuo-signing-keys/1"

// TrustedKey is one published office key.
type TrustedKey struct {
	OfficeID  int64     `json:"office_id"`
	Office    string    `json:"office"`
	KeyID     string    `json:"key_id"`
	PublicKey []byte    `json:"public_key"`
	From      time.Time `json:"from"`
	// RetiredAt is when a rotation retired the key: signatures made before
	// it still stand.
	RetiredAt time.Time `json:"retired_at,omitzero"`
	// RevokedAt is when the key was declared compromised: no signature by
	// it stands.
	RevokedAt time.Time `json:"revoked_at,omitzero"`
}

// TrustList is the set of keys a verifier trusts: the published file a
// console downloads, or the keys of the database.
type TrustList struct {
	Format      string       `json:"format"`
	GeneratedAt time.Time    `json:"generated_at"`
	Keys        []TrustedKey `json:"keys"`
}

// MaxTrustFile bounds a trust file read from outside.
const MaxTrustFile = 8 << 20

// ReadTrustList parses a trust file, checking that each key's id is the
// digest of its public key.
func ReadTrustList(r io.Reader) (*TrustList, error) {
	raw, err := io.ReadAll(io.LimitReader(r, MaxTrustFile+1))
	if err != nil {
		return nil, err
	}
	if len(raw) > MaxTrustFile {
		return nil, fmt.Errorf("trust file is over %d bytes", MaxTrustFile)
	}
	var t TrustList
	if err := json.NewDecoder(bytes.NewReader(raw)).Decode(&t); err != nil {
		return nil, fmt.Errorf("trust file is not JSON: %w", err)
	}
	if t.Format != TrustFormat {
		return nil, fmt.Errorf("trust file format is %q, want %q", t.Format, TrustFormat)
	}
	for i, k := range t.Keys {
		if KeyID(k.PublicKey) != k.KeyID {
			return nil, fmt.Errorf("trust file key %d (%s): its id is not the SM3 digest of its public key", i+1, k.KeyID)
		}
		if _, err := ParsePublic(k.PublicKey); err != nil {
			return nil, fmt.Errorf("trust file key %d (%s): %w", i+1, k.KeyID, err)
		}
	}
	return &t, nil
}

// Find returns the trusted key with the given id, or nil.
func (t *TrustList) Find(keyID string) *TrustedKey {
	for i := range t.Keys {
		if t.Keys[i].KeyID == keyID {
			return &t.Keys[i]
		}
	}
	return nil
}

// applyTrust checks a signature that verified against trust (nil: none).
func (r *Result) applyTrust(trust *TrustList) {
	if r.Failure != OK {
		return
	}
	if trust == nil {
		r.Trust = TrustUnchecked
		return
	}
	k := trust.Find(r.Block.KeyID)
	switch {
	case k == nil || k.OfficeID != r.Block.OfficeID || !bytes.Equal(k.PublicKey, r.Block.PublicKey):
		// A key published for another office does not vouch for this one.
		r.Failure = FailKeyUnknown
	case !k.RevokedAt.IsZero():
		r.Failure, r.RetiredAt = FailKeyRevoked, k.RevokedAt
	case !k.RetiredAt.IsZero() && r.Block.SignedAt.After(k.RetiredAt):
		r.Failure, r.RetiredAt = FailKeyRetired, k.RetiredAt
	case !k.RetiredAt.IsZero():
		r.Trust, r.RetiredAt = TrustRetired, k.RetiredAt
	default:
		r.Trust = TrustCurrent
	}
}

// WriteTrustList writes t as the trust file, indented for people to read.
func WriteTrustList(w io.Writer, t *TrustList) error {
	if t.Format == "" {
		t.Format = TrustFormat
	}
	if t.Keys == nil {
		t.Keys = []TrustedKey{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(t)
}
