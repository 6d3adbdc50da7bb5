package store

import (
	"testing"

	"fenghuo/internal/fenghuo"
)

// Recovery codes are replaced as a set, used once each, and cleared with
// the TOTP secret by a reset, which also forces enrolment; another user's
// codes are not touched.
func TestRecoveryCodesReplaceUseAndClear(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		tr := mustTree(t, db)
		u := mustUser(t, db, tr.school.ID, "teacher", fenghuo.RoleUnitReporter)
		other := mustUser(t, db, tr.school.ID, "nurse", fenghuo.RoleUnitReporter)
		must(t, db.SetTOTPSecret(bg, u.ID, "sealed-u", true))
		must(t, db.SetTOTPStep(bg, u.ID, 7))
		must(t, db.WithTx(bg, func(tx *Tx) error {
			if err := tx.ReplaceRecoveryCodes(bg, u.ID, []string{"a1", "a2", "a3"}); err != nil {
				return err
			}
			return tx.ReplaceRecoveryCodes(bg, other.ID, []string{"o1", "o2"})
		}))
		// A new set replaces the old one entirely.
		must(t, db.WithTx(bg, func(tx *Tx) error { return tx.ReplaceRecoveryCodes(bg, u.ID, []string{"b1", "b2"}) }))
		got, err := db.RecoveryCodeHashes(bg, u.ID)
		must(t, err)
		if len(got) != 2 || got[0] != "b1" || got[1] != "b2" {
			t.Fatalf("after replacing: %q", got)
		}
		must(t, db.WithTx(bg, func(tx *Tx) error {
			if ok, err := tx.UseRecoveryCode(bg, u.ID, "a1"); err != nil || ok {
				t.Errorf("an old code was usable: %v %v", ok, err)
			}
			if ok, err := tx.UseRecoveryCode(bg, u.ID, "b1"); err != nil || !ok {
				t.Errorf("a current code: %v %v", ok, err)
			}
			if ok, err := tx.UseRecoveryCode(bg, u.ID, "b1"); err != nil || ok {
				t.Errorf("a code used twice: %v %v", ok, err)
			}
			return nil
		}))

		var removed int
		must(t, db.WithTx(bg, func(tx *Tx) error {
			var err error
			removed, err = tx.ClearSecondFactor(bg, u.ID)
			return err
		}))
		if removed != 1 {
			t.Errorf("reset removed %d codes, want 1", removed)
		}
		after, err := db.User(bg, u.ID)
		must(t, err)
		if after.TOTPEnabled || after.TOTPSecretSealed != "" || after.TOTPLastStep != 0 || !after.MustEnrollTOTP {
			t.Fatalf("after the reset: enabled %v, secret %q, step %d, must enrol %v",
				after.TOTPEnabled, after.TOTPSecretSealed, after.TOTPLastStep, after.MustEnrollTOTP)
		}
		if left, _ := db.RecoveryCodeHashes(bg, u.ID); len(left) != 0 {
			t.Errorf("codes left after the reset: %q", left)
		}
		if kept, _ := db.RecoveryCodeHashes(bg, other.ID); len(kept) != 2 {
			t.Errorf("another user's codes: %q", kept)
		}
		// Enrolling again clears the must-enrol flag.
		must(t, db.SetTOTPSecret(bg, u.ID, "sealed-new", true))
		if again, _ := db.User(bg, u.ID); !again.TOTPEnabled || again.MustEnrollTOTP {
			t.Errorf("after enrolling again: %+v", again)
		}
		must(t, db.WithTx(bg, func(tx *Tx) error {
			_, err := tx.ClearSecondFactor(bg, 99999)
			wantCode(t, err, fenghuo.ENOTFOUND)
			return nil
		}))
	})
}
