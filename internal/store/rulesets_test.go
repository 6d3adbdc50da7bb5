package store

import (
	"testing"

	"fenghuo/internal/fenghuo"
)

func TestRuleSetStatesAndCustomRules(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		tr := mustTree(t, db)
		must(t, db.WithTx(bg, func(tx *Tx) error {
			if err := tx.SetRuleSetState(bg, &RuleSetState{OrgID: tr.hospital.ID, RuleSet: "mail", Enabled: false, UpdatedBy: 1}); err != nil {
				return err
			}
			if err := tx.SetRuleSetState(bg, &RuleSetState{OrgID: tr.hospital.ID, RuleSet: "ids", Enabled: true, UpdatedBy: 1}); err != nil {
				return err
			}
			// Changing one's mind replaces the row.
			return tx.SetRuleSetState(bg, &RuleSetState{OrgID: tr.school.ID, RuleSet: "egress", Enabled: true, UpdatedBy: 2})
		}))
		must(t, db.WithTx(bg, func(tx *Tx) error {
			return tx.SetRuleSetState(bg, &RuleSetState{OrgID: tr.school.ID, RuleSet: "egress", Enabled: false, UpdatedBy: 2})
		}))
		off, err := db.DisabledRuleSets(bg)
		must(t, err)
		if len(off) != 2 || off[0].OrgID != tr.hospital.ID || off[0].RuleSet != "mail" || off[1].OrgID != tr.school.ID || off[1].UpdatedBy != 2 {
			t.Fatalf("disabled: %+v", off)
		}
		must(t, db.View(bg, func(tx *Tx) error {
			states, err := tx.RuleSetStates(bg, tr.hospital.ID)
			if err != nil {
				return err
			}
			if len(states) != 2 || states[0].RuleSet != "ids" || !states[0].Enabled || states[1].Enabled {
				t.Errorf("hospital states: %+v", states)
			}
			return nil
		}))

		r := &CustomRule{OrgID: tr.countyA.ID, RuleID: "r-1", Title: "自定义规则", Level: "high", Body: "title: x\n", CreatedBy: 3}
		must(t, db.WithTx(bg, func(tx *Tx) error { return tx.CreateCustomRule(bg, r) }))
		dup := *r
		err = db.WithTx(bg, func(tx *Tx) error { return tx.CreateCustomRule(bg, &dup) })
		if fenghuo.ErrorCode(err) != fenghuo.ECONFLICT {
			t.Fatalf("duplicate rule id: %v", err)
		}
		other := &CustomRule{OrgID: tr.countyB.ID, RuleID: "r-1", Title: "另一单位的同名规则", Level: "low", Body: "title: y\n", CreatedBy: 4}
		must(t, db.WithTx(bg, func(tx *Tx) error { return tx.CreateCustomRule(bg, other) }))
		must(t, db.View(bg, func(tx *Tx) error {
			got, err := tx.CustomRule(bg, r.ID)
			if err != nil {
				return err
			}
			if got.Title != "自定义规则" || got.Body != "title: x\n" || got.CreatedAt.IsZero() {
				t.Errorf("rule: %+v", got)
			}
			list, err := tx.CustomRules(bg, tr.countyA.ID)
			if err != nil {
				return err
			}
			n, err := tx.CountCustomRules(bg, tr.countyA.ID)
			if len(list) != 1 || n != 1 || err != nil {
				t.Errorf("county A: %+v %d %v", list, n, err)
			}
			return nil
		}))
		all, err := db.AllCustomRules(bg, 0, 1)
		must(t, err)
		if len(all) != 1 || all[0].ID != r.ID {
			t.Fatalf("first page: %+v", all)
		}
		all, err = db.AllCustomRules(bg, all[0].ID, 10)
		must(t, err)
		if len(all) != 1 || all[0].ID != other.ID {
			t.Fatalf("second page: %+v", all)
		}
		must(t, db.WithTx(bg, func(tx *Tx) error { return tx.DeleteCustomRule(bg, r.ID) }))
		err = db.WithTx(bg, func(tx *Tx) error { return tx.DeleteCustomRule(bg, r.ID) })
		if fenghuo.ErrorCode(err) != fenghuo.ENOTFOUND {
			t.Fatalf("delete twice: %v", err)
		}
	})
}
