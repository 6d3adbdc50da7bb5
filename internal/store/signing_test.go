package store

import (
	"fmt"
	"sync"
	"testing"

	"fenghuo/internal/fenghuo"
)

func testSigningKey(org int64, n int) *SigningKey {
	return &SigningKey{OrgID: org, KeyID: fmt.Sprintf("%064x", n+int(org)*1000), PublicKey: []byte{0x30, byte(n)}, PrivateSealed: fmt.Sprintf("sm4gcm1:key%d", n), CreatedBy: 1}
}

func TestSigningKeysRotate(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		tr := mustTree(t, db)
		_, err := view(bg, db, func(tx *Tx) (*SigningKey, error) { return tx.CurrentSigningKey(bg, tr.countyA.ID) })
		wantCode(t, err, fenghuo.ENOTFOUND)

		first := testSigningKey(tr.countyA.ID, 1)
		var added bool
		must(t, db.WithTx(bg, func(tx *Tx) error { added, err = tx.AddFirstSigningKey(bg, first); return err }))
		if !added || first.ID == 0 {
			t.Fatalf("first key: added %v id %d", added, first.ID)
		}
		// A second "first" key is not added: the office has one.
		must(t, db.WithTx(bg, func(tx *Tx) error {
			added, err = tx.AddFirstSigningKey(bg, testSigningKey(tr.countyA.ID, 2))
			return err
		}))
		if added {
			t.Fatal("a second current key was added")
		}
		next := testSigningKey(tr.countyA.ID, 3)
		var old *SigningKey
		must(t, db.WithTx(bg, func(tx *Tx) error { old, err = tx.RotateSigningKey(bg, next, 9); return err }))
		if old == nil || old.KeyID != first.KeyID || old.RetiredAt.IsZero() || old.RetiredBy != 9 {
			t.Fatalf("retired: %+v", old)
		}
		cur, err := view(bg, db, func(tx *Tx) (*SigningKey, error) { return tx.CurrentSigningKey(bg, tr.countyA.ID) })
		must(t, err)
		if cur.KeyID != next.KeyID || !cur.Current() {
			t.Fatalf("current after rotation: %+v", cur)
		}
		back, err := view(bg, db, func(tx *Tx) (*SigningKey, error) { return tx.SigningKeyByID(bg, first.KeyID) })
		must(t, err)
		if back.Current() || string(back.PublicKey) != string(first.PublicKey) || back.PrivateSealed != first.PrivateSealed {
			t.Fatalf("retired key read back: %+v", back)
		}
		must(t, db.WithTx(bg, func(tx *Tx) error { _, err := tx.AddFirstSigningKey(bg, testSigningKey(tr.city.ID, 1)); return err }))
		keys, err := db.SigningKeys(bg, []int64{tr.countyA.ID})
		must(t, err)
		if len(keys) != 2 || keys[0].KeyID != first.KeyID || keys[1].KeyID != next.KeyID {
			t.Fatalf("county keys: %+v", keys)
		}
		all, err := db.SigningKeys(bg, nil)
		must(t, err)
		none, err := db.SigningKeys(bg, []int64{})
		must(t, err)
		if len(all) != 3 || len(none) != 0 {
			t.Fatalf("all %d, none %d", len(all), len(none))
		}
		use, err := db.KeyUse(bg)
		must(t, err)
		if use.SealedSecrets < 3 {
			t.Errorf("sealed private keys not counted as key use: %+v", use)
		}
	})
}

// Two signers needing an office's first key at once end with one key.
func TestFirstSigningKeyUnderConcurrency(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		tr := mustTree(t, db)
		const n = 8
		var wg sync.WaitGroup
		addedBy := make([]bool, n)
		errs := make([]error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = db.WithTx(bg, func(tx *Tx) error {
					var err error
					addedBy[i], err = tx.AddFirstSigningKey(bg, testSigningKey(tr.hospital.ID, i))
					if err != nil {
						return err
					}
					_, err = tx.CurrentSigningKey(bg, tr.hospital.ID)
					return err
				})
			}()
		}
		wg.Wait()
		winners := 0
		for i := range n {
			must(t, errs[i])
			if addedBy[i] {
				winners++
			}
		}
		keys, err := db.SigningKeys(bg, []int64{tr.hospital.ID})
		must(t, err)
		if winners != 1 || len(keys) != 1 {
			t.Fatalf("%d signers added a key, %d keys stored; want 1 and 1", winners, len(keys))
		}
	})
}

func TestRecordSignatures(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		tr := mustTree(t, db)
		_, err := view(bg, db, func(tx *Tx) (*RecordSignature, error) { return tx.RecordSignature(bg, RecordWarning, 5) })
		wantCode(t, err, fenghuo.ENOTFOUND)
		s := &RecordSignature{Kind: RecordWarning, ObjectID: 5, OrgID: tr.city.ID, KeyID: "k1", Block: "FENGHUO-SIG1 a", SignedAt: db.now()}
		must(t, db.WithTx(bg, func(tx *Tx) error { return tx.PutRecordSignature(bg, s) }))
		s.Block, s.KeyID = "FENGHUO-SIG1 b", "k2"
		must(t, db.WithTx(bg, func(tx *Tx) error { return tx.PutRecordSignature(bg, s) }))
		got, err := view(bg, db, func(tx *Tx) (*RecordSignature, error) { return tx.RecordSignature(bg, RecordWarning, 5) })
		must(t, err)
		if got.Block != "FENGHUO-SIG1 b" || got.KeyID != "k2" || got.OrgID != tr.city.ID {
			t.Fatalf("signature read back: %+v", got)
		}
	})
}
