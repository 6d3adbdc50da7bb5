// Package signing holds the use cases of the offices' SM2 signing keys
// (issue 15 item 1): the keys published to an office (its own, those of
// the offices above it and below it), rotation by a system administrator,
// the signature every exported document carries, and the check of a
// received document. The core signs issued records (app.Core.SignRecord).
package signing

import (
	"context"
	"slices"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/docsign"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// Service is the signing capability.
type Service struct {
	core *app.Core
}

// New returns the signing capability over core.
func New(core *app.Core) *Service { return &Service{core: core} }

// MaxDocument bounds a document signed at export or checked on upload.
const MaxDocument = 32 << 20

// PublishedKey is one office key as published to an office.
type PublishedKey struct {
	OrgID     int64
	Office    string
	KeyID     string
	PublicKey []byte
	From      time.Time
	RetiredAt time.Time // zero: current
	// Relation says where the office stands from the reader's: "self",
	// "above" or "below".
	Relation string
	// MayRotate: the reader may rotate this office's key (current keys only).
	MayRotate bool
}

// Published are the keys an office sees, with the trust file they make.
type Published struct {
	Keys []PublishedKey
	// Offices without a key yet that the reader may give one (rotation
	// creates the first key).
	Keyless []fenghuo.Org
	Trust   *docsign.TrustList
}

// Keys returns the keys published to the actor's office: its own, those of
// every office above it up to the root, and those of the offices below it.
// Siblings and their subtrees are not the actor's to see.
func (s *Service) Keys(ctx context.Context, ac *app.Actor) (*Published, error) {
	if err := app.Require(ac, fenghuo.PermOrgRead); err != nil {
		return nil, err
	}
	out := &Published{}
	err := s.core.DB().View(ctx, func(tx *store.Tx) error {
		rel := map[int64]string{}
		orgs := map[int64]*fenghuo.Org{}
		for _, id := range ac.Org.PathIDs() {
			o, err := tx.Org(ctx, id)
			if err != nil {
				return err
			}
			orgs[id], rel[id] = o, "above"
		}
		rel[ac.Org.ID] = "self"
		below, err := app.AllSubtree(ctx, tx, ac.Org.ID)
		if err != nil {
			return err
		}
		for i := range below {
			o := &below[i]
			if _, seen := rel[o.ID]; !seen {
				orgs[o.ID], rel[o.ID] = o, "below"
			}
		}
		ids := make([]int64, 0, len(rel))
		for id := range rel {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		keys, err := tx.SigningKeys(ctx, ids)
		if err != nil {
			return err
		}
		has := map[int64]bool{}
		for _, k := range keys {
			o := orgs[k.OrgID]
			has[k.OrgID] = true
			out.Keys = append(out.Keys, PublishedKey{OrgID: k.OrgID, Office: o.Name, KeyID: k.KeyID, PublicKey: k.PublicKey,
				From: k.CreatedAt, RetiredAt: k.RetiredAt, Relation: rel[k.OrgID], MayRotate: k.Current() && mayRotate(ac, o)})
		}
		for _, id := range ids {
			if o := orgs[id]; !has[id] && mayRotate(ac, o) {
				out.Keyless = append(out.Keyless, *o)
			}
		}
		out.Trust = trustOf(out.Keys, tx.Now())
		return nil
	})
	if err != nil {
		return nil, err
	}
	// The reader's own office first, then the chain above (root first),
	// then the offices below by path.
	order := map[string]int{"self": 0, "above": 1, "below": 2}
	slices.SortStableFunc(out.Keys, func(a, b PublishedKey) int {
		if d := order[a.Relation] - order[b.Relation]; d != 0 {
			return d
		}
		return 0
	})
	return out, nil
}

func trustOf(keys []PublishedKey, now time.Time) *docsign.TrustList {
	t := &docsign.TrustList{Format: docsign.TrustFormat, GeneratedAt: now.UTC(), Keys: []docsign.TrustedKey{}}
	for _, k := range keys {
		t.Keys = append(t.Keys, docsign.TrustedKey{OfficeID: k.OrgID, Office: k.Office, KeyID: k.KeyID, PublicKey: k.PublicKey,
			From: k.From, RetiredAt: k.RetiredAt})
	}
	return t
}

// mayRotate: a system administrator of the office or of an office above it.
func mayRotate(ac *app.Actor, o *fenghuo.Org) bool {
	return ac.User.HasRole(fenghuo.RoleSystemAdmin) && ac.Can(fenghuo.PermOrgWrite) && fenghuo.InSubtree(ac.Org.Path, o.Path)
}

// Rotate makes a new current key for an office and retires its current
// one (or gives a keyless office its first key). Signatures made with the
// retired key still verify, saying the key was retired since. Only a
// system administrator of the office or above may; audited.
func (s *Service) Rotate(ctx context.Context, ac *app.Actor, orgID int64) (*store.SigningKey, *store.SigningKey, error) {
	var made, old *store.SigningKey
	err := s.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		o, err := tx.Org(ctx, orgID)
		if err != nil {
			return err
		}
		if !fenghuo.InSubtree(ac.Org.Path, o.Path) {
			return fenghuo.Errorf(fenghuo.ENOTFOUND, "Org %d not found. / 未找到该机构。", orgID)
		}
		if !mayRotate(ac, o) {
			return fenghuo.Errorf(fenghuo.EFORBIDDEN, "Only a system administrator of the office or of an office above it rotates its signing key. / 只有本机构或上级机构的系统管理员可以轮换签名密钥。")
		}
		if made, err = s.core.NewSigningKey(o, ac.User.ID); err != nil {
			return err
		}
		if old, err = tx.RotateSigningKey(ctx, made, ac.User.ID); err != nil {
			return err
		}
		detail := map[string]any{"key_id": made.KeyID}
		action := "signing_key.create"
		if old != nil {
			action, detail["retired_key_id"] = "signing_key.rotate", old.KeyID
		}
		return s.core.Record(ctx, tx, ac, action, "org", app.ObjectID(o.ID), "success", detail)
	})
	if err != nil {
		return nil, nil, err
	}
	return made, old, nil
}

// SignDocument signs an exported DOCX, XLSX or PDF with the key of the
// actor's office (made on first need), at export time.
func (s *Service) SignDocument(ctx context.Context, ac *app.Actor, data []byte) ([]byte, error) {
	if ac == nil || ac.Org.ID == 0 {
		return nil, fenghuo.Errorf(fenghuo.EFORBIDDEN, "Only a user of an office exports signed documents. / 只有机构用户可以导出签名文件。")
	}
	var out []byte
	err := s.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		k, err := s.core.OfficeKey(ctx, tx, ac, &ac.Org)
		if err != nil {
			return err
		}
		out, err = docsign.SignFile(k, data, s.core.Now())
		return err
	})
	return out, err
}

// Check verifies a received document against the keys the database holds
// for every office: a key of an office outside the reader's view still
// says who signed; the document itself is not stored.
func (s *Service) Check(ctx context.Context, ac *app.Actor, data []byte) (docsign.Result, error) {
	if err := app.Require(ac, fenghuo.PermOrgRead); err != nil {
		return docsign.Result{}, err
	}
	var r docsign.Result
	err := s.core.DB().View(ctx, func(tx *store.Tx) error {
		trust, err := app.TrustFromStore(ctx, tx, nil)
		if err != nil {
			return err
		}
		r = docsign.VerifyFile(data, trust)
		return nil
	})
	return r, err
}
