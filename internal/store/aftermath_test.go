package store

import (
	"testing"
	"time"

	"fenghuo/internal/fenghuo"
)

func fullBody(kind, text string) map[string]string {
	b := map[string]string{}
	for _, k := range fenghuo.AftermathSections(kind) {
		b[k] = text
	}
	return b
}

// The investigation report (001 §5.2) through the chain unit → competent
// department → 网信办, returned once and approved in its second version.
func TestAftermathDocumentVersionsAndApprovals(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		tr := mustTree(t, db)
		now := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
		db.SetClock(func() time.Time { return now })
		inc := mustIncidentAt(t, db, tr.water.ID, "勒索病毒", now)

		v1 := &fenghuo.AftermathDocument{IncidentID: inc.ID, Kind: fenghuo.DocInvestigation, AuthorID: 4, AuthorOrgID: tr.water.ID,
			Body: map[string]string{"cause": "3389 端口弱口令"}}
		must(t, db.WithTx(bg, func(tx *Tx) error { return tx.CreateDocumentVersion(bg, v1) }))
		if v1.Version != 1 || v1.State != fenghuo.DocDraft {
			t.Fatalf("v1: %+v", v1)
		}
		// While a version is open, no second one.
		wantCode(t, db.WithTx(bg, func(tx *Tx) error {
			return tx.CreateDocumentVersion(bg, &fenghuo.AftermathDocument{IncidentID: inc.ID, Kind: fenghuo.DocInvestigation})
		}), fenghuo.ECONFLICT)
		// Incomplete: not submitted, the first empty section named.
		err := db.WithTx(bg, func(tx *Tx) error { _, err := tx.SubmitDocument(bg, v1.ID); return err })
		if e, ok := err.(*fenghuo.Error); !ok || e.Field != "nature" {
			t.Fatalf("incomplete submit: %v", err)
		}
		must(t, db.WithTx(bg, func(tx *Tx) error {
			if _, err := tx.UpdateDocumentDraft(bg, v1.ID, fullBody(fenghuo.DocInvestigation, "初稿")); err != nil {
				return err
			}
			_, err := tx.SubmitDocument(bg, v1.ID)
			return err
		}))
		wantCode(t, db.WithTx(bg, func(tx *Tx) error {
			_, err := tx.UpdateDocumentDraft(bg, v1.ID, fullBody(fenghuo.DocInvestigation, "改"))
			return err
		}), fenghuo.ECONFLICT)
		// The competent department returns it; a return needs a reason.
		wantCode(t, db.WithTx(bg, func(tx *Tx) error {
			_, err := tx.DecideDocument(bg, &fenghuo.Approval{DocumentID: v1.ID, ApproverOrgID: tr.countyB.ID, Decision: fenghuo.DecisionReturn}, false)
			return err
		}), fenghuo.EINVALID)
		now = now.Add(time.Hour)
		must(t, db.WithTx(bg, func(tx *Tx) error {
			d, err := tx.DecideDocument(bg, &fenghuo.Approval{DocumentID: v1.ID, ApproverOrgID: tr.countyB.ID, Decision: fenghuo.DecisionReturn,
				Note: "责任分析不足", UserID: 9}, false)
			if err == nil && (d.State != fenghuo.DocReturned || !d.DecidedAt.Equal(now)) {
				t.Errorf("returned: %+v", d)
			}
			return err
		}))
		// Returned is final for the version.
		wantCode(t, db.WithTx(bg, func(tx *Tx) error {
			_, err := tx.DecideDocument(bg, &fenghuo.Approval{DocumentID: v1.ID, ApproverOrgID: tr.countyB.ID, Decision: fenghuo.DecisionApprove}, true)
			return err
		}), fenghuo.ECONFLICT)

		v2 := &fenghuo.AftermathDocument{IncidentID: inc.ID, Kind: fenghuo.DocInvestigation, AuthorID: 4, AuthorOrgID: tr.water.ID,
			Body: fullBody(fenghuo.DocInvestigation, "第二稿")}
		must(t, db.WithTx(bg, func(tx *Tx) error {
			if err := tx.CreateDocumentVersion(bg, v2); err != nil {
				return err
			}
			_, err := tx.SubmitDocument(bg, v2.ID)
			return err
		}))
		if v2.Version != 2 {
			t.Fatalf("v2: %+v", v2)
		}
		// Two steps: the department approves (not final), the office approves (final).
		must(t, db.WithTx(bg, func(tx *Tx) error {
			d, err := tx.DecideDocument(bg, &fenghuo.Approval{DocumentID: v2.ID, ApproverOrgID: tr.countyB.ID, Decision: fenghuo.DecisionApprove}, false)
			if err == nil && d.State != fenghuo.DocSubmitted {
				t.Errorf("after step 1: %+v", d)
			}
			return err
		}))
		must(t, db.WithTx(bg, func(tx *Tx) error {
			_, err := tx.DecideDocument(bg, &fenghuo.Approval{DocumentID: v2.ID, ApproverOrgID: tr.city.ID, Decision: fenghuo.DecisionApprove,
				Note: "同意"}, true)
			return err
		}))
		steps, err := db.Approvals(bg, v2.ID)
		must(t, err)
		if len(steps) != 2 || steps[0].StepOrder != 1 || steps[1].StepOrder != 2 || steps[1].ApproverOrgID != tr.city.ID {
			t.Fatalf("approvals: %+v", steps)
		}
		docs, err := db.IncidentDocuments(bg, inc.ID)
		must(t, err)
		if len(docs) != 2 || docs[0].Version != 1 || docs[0].State != fenghuo.DocReturned || docs[1].State != fenghuo.DocApproved ||
			docs[1].Body["cause"] != "第二稿" || docs[0].Body["cause"] != "初稿" {
			t.Fatalf("documents: %+v", docs)
		}
		// Approved: no new version, and it cannot be withdrawn.
		wantCode(t, db.WithTx(bg, func(tx *Tx) error {
			return tx.CreateDocumentVersion(bg, &fenghuo.AftermathDocument{IncidentID: inc.ID, Kind: fenghuo.DocInvestigation})
		}), fenghuo.ECONFLICT)
		wantCode(t, db.WithTx(bg, func(tx *Tx) error { _, err := tx.WithdrawDocument(bg, v2.ID); return err }), fenghuo.ECONFLICT)
		// A submitted version withdrawn by its author makes room for the next.
		s1 := &fenghuo.AftermathDocument{IncidentID: inc.ID, Kind: fenghuo.DocSummary, Body: fullBody(fenghuo.DocSummary, "总结")}
		must(t, db.WithTx(bg, func(tx *Tx) error {
			if err := tx.CreateDocumentVersion(bg, s1); err != nil {
				return err
			}
			if _, err := tx.WithdrawDocument(bg, s1.ID); fenghuo.ErrorCode(err) != fenghuo.ECONFLICT {
				t.Errorf("draft withdrawn: %v", err)
			}
			_, err := tx.SubmitDocument(bg, s1.ID)
			return err
		}))
		must(t, db.WithTx(bg, func(tx *Tx) error {
			d, err := tx.WithdrawDocument(bg, s1.ID)
			if err == nil && d.State != fenghuo.DocWithdrawn {
				t.Errorf("withdrawn: %+v", d)
			}
			return err
		}))
		s2 := &fenghuo.AftermathDocument{IncidentID: inc.ID, Kind: fenghuo.DocSummary}
		must(t, db.WithTx(bg, func(tx *Tx) error { return tx.CreateDocumentVersion(bg, s2) }))
		if s2.Version != 2 {
			t.Errorf("after a withdrawal: %+v", s2)
		}
		// Another kind has its own versions.
		rp := &fenghuo.AftermathDocument{IncidentID: inc.ID, Kind: fenghuo.DocRecoveryPlan}
		must(t, db.WithTx(bg, func(tx *Tx) error { return tx.CreateDocumentVersion(bg, rp) }))
		if rp.Version != 1 {
			t.Fatalf("recovery plan: %+v", rp)
		}
	})
}

func TestImprovementsAndAccountability(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		tr := mustTree(t, db)
		now := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
		db.SetClock(func() time.Time { return now })
		inc := mustIncidentAt(t, db, tr.water.ID, "勒索病毒", now)

		m := &fenghuo.Improvement{IncidentID: inc.ID, Text: "关闭 3389 端口", OwnerOrgID: tr.water.ID, DueAt: now.Add(7 * 24 * time.Hour), CreatedBy: 9}
		drop := &fenghuo.Improvement{IncidentID: inc.ID, Text: "更换防火墙", OwnerOrgID: tr.water.ID, DueAt: now.Add(30 * 24 * time.Hour)}
		must(t, db.WithTx(bg, func(tx *Tx) error {
			if err := tx.CreateImprovement(bg, m, Duty{RecipientOrgID: tr.countyB.ID}); err != nil {
				return err
			}
			return tx.CreateImprovement(bg, drop, Duty{})
		}))
		wantCode(t, db.WithTx(bg, func(tx *Tx) error {
			return tx.CreateImprovement(bg, &fenghuo.Improvement{IncidentID: inc.ID, Text: "x"}, Duty{})
		}), fenghuo.EINVALID)
		o, err := obligationOf(db, m.ObligationID)
		must(t, err)
		if o.Kind != ObligationKindImprovement || o.SubjectID != m.ID || o.OwnerOrgID != tr.water.ID || o.RecipientOrgID != tr.countyB.ID ||
			o.Title != "整改：关闭 3389 端口" || !o.DueAt.Equal(m.DueAt) {
			t.Fatalf("obligation: %+v", o)
		}
		open, err := db.OpenImprovementsOf(bg, tr.water.ID, Page{})
		must(t, err)
		if len(open) != 2 || open[0].ID != m.ID {
			t.Fatalf("open measures: %+v", open)
		}
		now = now.Add(24 * time.Hour)
		must(t, db.WithTx(bg, func(tx *Tx) error {
			if _, err := tx.SetImprovementState(bg, m.ID, fenghuo.ImprovementDone, 4, "已关闭"); err != nil {
				return err
			}
			_, err := tx.SetImprovementState(bg, drop.ID, fenghuo.ImprovementCancelled, 9, "改为上云")
			return err
		}))
		wantCode(t, db.WithTx(bg, func(tx *Tx) error {
			_, err := tx.SetImprovementState(bg, m.ID, fenghuo.ImprovementCancelled, 4, "")
			return err
		}), fenghuo.ECONFLICT)
		if o, err = obligationOf(db, m.ObligationID); err != nil || o.State != fenghuo.ObligationOnTime {
			t.Fatalf("done measure's obligation: %+v %v", o, err)
		}
		if o, err = obligationOf(db, drop.ObligationID); err != nil || o.State != fenghuo.ObligationCancelled {
			t.Fatalf("cancelled measure's obligation: %+v %v", o, err)
		}
		all, err := db.IncidentImprovements(bg, inc.ID)
		must(t, err)
		if len(all) != 2 || all[0].State != fenghuo.ImprovementDone || all[0].DoneBy != 4 || !all[0].DoneAt.Equal(now) {
			t.Fatalf("measures: %+v", all)
		}
		got, err := db.Improvement(bg, drop.ID)
		must(t, err)
		if got.State != fenghuo.ImprovementCancelled || got.DoneNote != "改为上云" {
			t.Fatalf("cancelled: %+v", got)
		}

		// §5.4: a reward and an accountability record.
		must(t, db.WithTx(bg, func(tx *Tx) error {
			for _, r := range []fenghuo.AccountabilityRecord{
				{IncidentID: inc.ID, Kind: fenghuo.RecordAccountability, Subject: "东港市自来水公司", SubjectOrgID: tr.water.ID,
					Basis: "001 §5.4.2(2) 迟报", Decision: "通报批评", DecidedOrgID: tr.countyB.ID, DecidedBy: 9},
				{IncidentID: inc.ID, Kind: fenghuo.RecordReward, Subject: "技术支撑队伍", Basis: "001 §5.4.1(1)", Decision: "表扬"},
			} {
				if err := tx.CreateAccountabilityRecord(bg, &r); err != nil {
					return err
				}
			}
			return nil
		}))
		wantCode(t, db.WithTx(bg, func(tx *Tx) error {
			return tx.CreateAccountabilityRecord(bg, &fenghuo.AccountabilityRecord{IncidentID: inc.ID, Kind: "fine"})
		}), fenghuo.EINVALID)
		recs, err := db.AccountabilityRecords(bg, inc.ID)
		must(t, err)
		if len(recs) != 2 || recs[0].Kind != fenghuo.RecordAccountability || recs[0].SubjectOrgID != tr.water.ID || !recs[0].At.Equal(now) ||
			recs[1].Decision != "表扬" {
			t.Fatalf("records: %+v", recs)
		}
	})
}
