package store

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"fenghuo/internal/fenghuo"
)

// SigningKey is one SM2 key of an office (0035). The private key stays
// sealed: only the app, holding the sealer, opens it to sign.
type SigningKey struct {
	ID            int64
	OrgID         int64
	KeyID         string // hex SM3 of PublicKey
	PublicKey     []byte // SubjectPublicKeyInfo DER
	PrivateSealed string
	CreatedBy     int64
	CreatedAt     time.Time
	RetiredAt     time.Time // zero while current
	RetiredBy     int64
}

// Current reports whether the key is its office's current one.
func (k *SigningKey) Current() bool { return k.RetiredAt.IsZero() }

const signingKeyColumns = "id, org_id, key_id, public_key, private_sealed, created_by, created_at, retired_at, retired_by"

func scanSigningKey(sc scanner) (*SigningKey, error) {
	var k SigningKey
	var pub string
	var created, retired int64
	if err := sc.Scan(&k.ID, &k.OrgID, &k.KeyID, &pub, &k.PrivateSealed, &k.CreatedBy, &created, &retired, &k.RetiredBy); err != nil {
		return nil, err
	}
	der, err := base64.StdEncoding.DecodeString(pub)
	if err != nil {
		return nil, fmt.Errorf("store: signing key %s: public key: %w", k.KeyID, err)
	}
	k.PublicKey, k.CreatedAt = der, fromMS(created)
	if retired != 0 {
		k.RetiredAt = fromMS(retired)
	}
	return &k, nil
}

// CurrentSigningKey returns the office's current key (ENOTFOUND: none yet).
func (tx *Tx) CurrentSigningKey(ctx context.Context, orgID int64) (*SigningKey, error) {
	k, err := scanSigningKey(tx.c.queryRow(ctx, "SELECT "+signingKeyColumns+" FROM signing_keys WHERE org_id = ? AND retired_at = 0", orgID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fenghuo.Errorf(fenghuo.ENOTFOUND, "Office %d has no signing key yet. / 该机构尚无签名密钥。", orgID)
	}
	if err != nil {
		return nil, fmt.Errorf("store: current signing key of org %d: %w", orgID, err)
	}
	return k, nil
}

// AddFirstSigningKey stores k as the office's current key unless it already
// has one. It reports whether k was stored; when another transaction made
// the office's first key at the same time, the unique index on current keys
// lets only one in and the other gets false (then read CurrentSigningKey).
func (tx *Tx) AddFirstSigningKey(ctx context.Context, k *SigningKey) (bool, error) {
	k.CreatedAt = tx.now
	res, err := tx.c.exec(ctx, `INSERT INTO signing_keys (org_id, key_id, public_key, private_sealed, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		k.OrgID, k.KeyID, base64.StdEncoding.EncodeToString(k.PublicKey), k.PrivateSealed, k.CreatedBy, ms(tx.now))
	if err != nil {
		return false, fmt.Errorf("store: add signing key of org %d: %w", k.OrgID, err)
	}
	n, err := res.RowsAffected()
	if err != nil || n == 0 {
		return false, err
	}
	got, err := tx.CurrentSigningKey(ctx, k.OrgID)
	if err != nil {
		return false, err
	}
	k.ID = got.ID
	return true, nil
}

// RotateSigningKey retires the office's current key (if any) and stores k
// as the current one, in tx. It returns the retired key (nil when there
// was none).
func (tx *Tx) RotateSigningKey(ctx context.Context, k *SigningKey, byUser int64) (*SigningKey, error) {
	old, err := tx.CurrentSigningKey(ctx, k.OrgID)
	if err != nil && fenghuo.ErrorCode(err) != fenghuo.ENOTFOUND {
		return nil, err
	}
	if old != nil {
		res, err := tx.c.exec(ctx, "UPDATE signing_keys SET retired_at = ?, retired_by = ? WHERE id = ? AND retired_at = 0", ms(tx.now), byUser, old.ID)
		if err != nil {
			return nil, fmt.Errorf("store: retire signing key %s: %w", old.KeyID, err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return nil, fenghuo.Errorf(fenghuo.ECONFLICT, "The key was rotated at the same moment by someone else. / 密钥刚被他人轮换，请刷新后重试。")
		}
		old.RetiredAt, old.RetiredBy = fromMS(ms(tx.now)), byUser
	}
	k.CreatedAt = tx.now
	err = tx.c.queryRow(ctx, `INSERT INTO signing_keys (org_id, key_id, public_key, private_sealed, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
		k.OrgID, k.KeyID, base64.StdEncoding.EncodeToString(k.PublicKey), k.PrivateSealed, k.CreatedBy, ms(tx.now)).Scan(&k.ID)
	if err != nil {
		return nil, fmt.Errorf("store: add signing key of org %d: %w", k.OrgID, err)
	}
	return old, nil
}

// SigningKeyByID returns a key by its key id, current or retired.
func (tx *Tx) SigningKeyByID(ctx context.Context, keyID string) (*SigningKey, error) {
	k, err := scanSigningKey(tx.c.queryRow(ctx, "SELECT "+signingKeyColumns+" FROM signing_keys WHERE key_id = ?", keyID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fenghuo.Errorf(fenghuo.ENOTFOUND, "Signing key %s not found. / 未找到该签名密钥。", keyID)
	}
	if err != nil {
		return nil, fmt.Errorf("store: signing key %s: %w", keyID, err)
	}
	return k, nil
}

// SigningKeys returns the keys of the given offices (all offices when
// orgIDs is nil), oldest first within an office.
func (db *DB) SigningKeys(ctx context.Context, orgIDs []int64) ([]SigningKey, error) {
	return view(ctx, db, func(tx *Tx) ([]SigningKey, error) { return tx.SigningKeys(ctx, orgIDs) })
}

// SigningKeys is DB.SigningKeys inside tx.
func (tx *Tx) SigningKeys(ctx context.Context, orgIDs []int64) ([]SigningKey, error) {
	q := "SELECT " + signingKeyColumns + " FROM signing_keys"
	var args []any
	if orgIDs != nil {
		if len(orgIDs) == 0 {
			return []SigningKey{}, nil
		}
		q += " WHERE org_id IN (" + placeholders(len(orgIDs)) + ")"
		for _, id := range orgIDs {
			args = append(args, id)
		}
	}
	rows, err := tx.c.query(ctx, q+" ORDER BY org_id, created_at, id", args...)
	if err != nil {
		return nil, fmt.Errorf("store: signing keys: %w", err)
	}
	defer rows.Close()
	out := []SigningKey{}
	for rows.Next() {
		k, err := scanSigningKey(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *k)
	}
	return out, rows.Err()
}

// RecordSignature is the signature block of an issued record.
type RecordSignature struct {
	Kind     string // RecordDelivery, RecordWarning, RecordRiskNotice, RecordEndNotice
	ObjectID int64
	OrgID    int64
	KeyID    string
	Block    string // docsign encoded block
	SignedAt time.Time
}

// The kinds of signed records.
const (
	RecordDelivery   = "report_delivery"
	RecordWarning    = "warning"
	RecordRiskNotice = "risk_notice"
	RecordEndNotice  = "end_notice"
)

// PutRecordSignature stores s, replacing the record's earlier signature (a
// warning raised, lowered or lifted is signed again as issued then).
func (tx *Tx) PutRecordSignature(ctx context.Context, s *RecordSignature) error {
	_, err := tx.c.exec(ctx, `INSERT INTO record_signatures (kind, object_id, org_id, key_id, block, signed_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (kind, object_id) DO UPDATE SET org_id = excluded.org_id, key_id = excluded.key_id, block = excluded.block, signed_at = excluded.signed_at`,
		s.Kind, s.ObjectID, s.OrgID, s.KeyID, s.Block, ms(s.SignedAt))
	if err != nil {
		return fmt.Errorf("store: signature of %s %d: %w", s.Kind, s.ObjectID, err)
	}
	return nil
}

// RecordSignature returns the signature of a record (ENOTFOUND: unsigned).
func (tx *Tx) RecordSignature(ctx context.Context, kind string, objectID int64) (*RecordSignature, error) {
	s := RecordSignature{Kind: kind, ObjectID: objectID}
	var at int64
	err := tx.c.queryRow(ctx, "SELECT org_id, key_id, block, signed_at FROM record_signatures WHERE kind = ? AND object_id = ?", kind, objectID).
		Scan(&s.OrgID, &s.KeyID, &s.Block, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fenghuo.Errorf(fenghuo.ENOTFOUND, "The %s %d carries no signature. / 该记录没有签名。", kind, objectID)
	}
	if err != nil {
		return nil, fmt.Errorf("store: signature of %s %d: %w", kind, objectID, err)
	}
	s.SignedAt = fromMS(at)
	return &s, nil
}
