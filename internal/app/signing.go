package app

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"fenghuo/internal/docsign"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// SM2 signatures on what offices issue (issue 15 item 1, GB/T 39786-2021:
// integrity and non-repudiation of important data). Each office has its own
// key, created the first time it signs; the private half is sealed with the
// server's SM4 sealer and opened only to sign. The core signs the records
// capabilities issue (SignRecord) and the documents the console and API
// export (internal/app/signing signs those and publishes the keys).

// signingKeyAD binds a sealed private key to its office and key id, so that
// a row moved to another office (or another key's row) cannot be opened.
func signingKeyAD(orgID int64, keyID string) []byte {
	return fmt.Appendf(nil, "org:%d:signing-key:%s", orgID, keyID)
}

// NewSigningKey makes a new SM2 key for org, sealed for the store.
func (a *Core) NewSigningKey(org *fenghuo.Org, byUser int64) (*store.SigningKey, error) {
	priv, err := docsign.GenerateKey()
	if err != nil {
		return nil, err
	}
	der, err := docsign.PublicDER(priv)
	if err != nil {
		return nil, err
	}
	k := &store.SigningKey{OrgID: org.ID, KeyID: docsign.KeyID(der), PublicKey: der, CreatedBy: byUser}
	k.PrivateSealed, err = a.sealer.Seal(docsign.MarshalPrivate(priv), signingKeyAD(org.ID, k.KeyID))
	if err != nil {
		return nil, err
	}
	return k, nil
}

// OfficeKey returns org's current signing key, opened for signing. An
// office without one gets its first key here, in tx, with its audit entry;
// when two signers of the same office get there at once, one key is made
// and both sign with it.
func (a *Core) OfficeKey(ctx context.Context, tx *store.Tx, ac *Actor, org *fenghuo.Org) (docsign.Key, error) {
	cur, err := tx.CurrentSigningKey(ctx, org.ID)
	if fenghuo.ErrorCode(err) == fenghuo.ENOTFOUND {
		k, err := a.NewSigningKey(org, ac.User.ID)
		if err != nil {
			return docsign.Key{}, err
		}
		added, err := tx.AddFirstSigningKey(ctx, k)
		if err != nil {
			return docsign.Key{}, err
		}
		if added {
			if err := a.Record(ctx, tx, ac, "signing_key.create", "org", ObjectID(org.ID), "success",
				map[string]any{"key_id": k.KeyID, "reason": "first signature"}); err != nil {
				return docsign.Key{}, err
			}
		}
		cur, err = tx.CurrentSigningKey(ctx, org.ID)
		if err != nil {
			return docsign.Key{}, err
		}
	} else if err != nil {
		return docsign.Key{}, err
	}
	return a.openKey(org, cur)
}

func (a *Core) openKey(org *fenghuo.Org, k *store.SigningKey) (docsign.Key, error) {
	raw, err := a.sealer.Open(k.PrivateSealed, signingKeyAD(k.OrgID, k.KeyID))
	if err != nil {
		return docsign.Key{}, fmt.Errorf("signing key %s of org %d: %w", k.KeyID, k.OrgID, err)
	}
	priv, err := docsign.ParsePrivate(raw)
	if err != nil {
		return docsign.Key{}, fmt.Errorf("signing key %s of org %d: %w", k.KeyID, k.OrgID, err)
	}
	return docsign.Key{OfficeID: org.ID, Office: org.Name, Private: priv}, nil
}

// Canonical is the stable JSON of a record as issued: encoding/json writes
// struct fields in declaration order and map keys sorted, with no spaces.
// Times are in UTC at millisecond precision, what the store keeps, so that
// the record read back encodes to the same bytes.
func Canonical(v any) ([]byte, error) { return json.Marshal(v) }

// CanonicalTime is a time as Canonical records it ("" for the zero time).
func CanonicalTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return time.UnixMilli(t.UnixMilli()).UTC().Format("2006-01-02T15:04:05.000Z")
}

// SignRecord signs the canonical content of a record org issues and keeps
// the signature with it (kind, objectID: store.Record*), in tx.
func (a *Core) SignRecord(ctx context.Context, tx *store.Tx, ac *Actor, org *fenghuo.Org, kind string, objectID int64, content any) error {
	raw, err := Canonical(content)
	if err != nil {
		return err
	}
	k, err := a.OfficeKey(ctx, tx, ac, org)
	if err != nil {
		return err
	}
	b, err := docsign.Sign(k, raw, a.now())
	if err != nil {
		return err
	}
	return tx.PutRecordSignature(ctx, &store.RecordSignature{Kind: kind, ObjectID: objectID, OrgID: org.ID, KeyID: b.KeyID,
		Block: b.Encode(), SignedAt: b.SignedAt})
}

// RecordCheck is what a record's signature says: who signed and whether
// the record is as signed. Signed is false for records issued before
// signatures existed (or by a path that does not sign).
type RecordCheck struct {
	Signed bool
	Result docsign.Result
}

// Words are the check in the reader's language: "由××签名，未被改动" or the
// named failure, without the key's fingerprint (pages show it apart);
// empty for an unsigned record.
func (c RecordCheck) Words(lang string) string {
	if !c.Signed {
		return ""
	}
	return c.Result.Words(lang)
}

// CheckRecord verifies a record's stored signature against its canonical
// content as read now, and the key against the keys in the database.
func (a *Core) CheckRecord(ctx context.Context, tx *store.Tx, kind string, objectID int64, content any) (RecordCheck, error) {
	s, err := tx.RecordSignature(ctx, kind, objectID)
	if fenghuo.ErrorCode(err) == fenghuo.ENOTFOUND {
		return RecordCheck{}, nil
	}
	if err != nil {
		return RecordCheck{}, err
	}
	raw, err := Canonical(content)
	if err != nil {
		return RecordCheck{}, err
	}
	b, err := docsign.Decode(s.Block)
	if err != nil {
		return RecordCheck{Signed: true, Result: docsign.Result{Format: docsign.FormatDetached, Failure: docsign.FailDamaged}}, nil
	}
	trust, err := TrustFromStore(ctx, tx, []int64{b.OfficeID})
	if err != nil {
		return RecordCheck{}, err
	}
	return RecordCheck{Signed: true, Result: docsign.VerifyBytes(b, raw, trust)}, nil
}

// TrustFromStore builds a trust list from the keys of the given offices
// (nil: every office) as the database holds them.
func TrustFromStore(ctx context.Context, tx *store.Tx, orgIDs []int64) (*docsign.TrustList, error) {
	keys, err := tx.SigningKeys(ctx, orgIDs)
	if err != nil {
		return nil, err
	}
	names := map[int64]string{}
	t := &docsign.TrustList{Format: docsign.TrustFormat, GeneratedAt: tx.Now().UTC(), Keys: []docsign.TrustedKey{}}
	for _, k := range keys {
		name, ok := names[k.OrgID]
		if !ok {
			if o, err := tx.Org(ctx, k.OrgID); err == nil {
				name = o.Name
			}
			names[k.OrgID] = name
		}
		t.Keys = append(t.Keys, docsign.TrustedKey{OfficeID: k.OrgID, Office: name, KeyID: k.KeyID, PublicKey: k.PublicKey,
			From: k.CreatedAt, RetiredAt: k.RetiredAt})
	}
	return t, nil
}
