package store

import (
	"testing"
	"time"

	"fenghuo/internal/fenghuo"
)

func TestChecklistVersionsNumberInOrder(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		tr := mustTree(t, db)
		for i, yaml := range []string{"id: mine\nversion: \"1\"\n", "id: mine\nversion: \"2\"\n"} {
			v := &fenghuo.ChecklistVersion{ChecklistID: "mine", Label: "x", Title: "我的表", YAML: yaml, OrgID: tr.city.ID, UploadedBy: 1}
			must(t, db.WithTx(bg, func(tx *Tx) error { return tx.CreateChecklistVersion(bg, v) }))
			if v.Version != i+1 || v.SM3 != PlanDigest(yaml) {
				t.Fatalf("version %d: %+v", i, v)
			}
		}
		other := &fenghuo.ChecklistVersion{ChecklistID: "other", Label: "1+aa", Title: "另一表", YAML: "x", OrgID: tr.countyA.ID}
		must(t, db.WithTx(bg, func(tx *Tx) error { return tx.CreateChecklistVersion(bg, other) }))
		must(t, db.View(bg, func(tx *Tx) error {
			latest, err := tx.LatestChecklistVersions(bg)
			must(t, err)
			if len(latest) != 2 || latest[0].ChecklistID != "mine" || latest[0].Version != 2 || latest[1].ChecklistID != "other" {
				t.Errorf("latest: %+v", latest)
			}
			v, err := tx.ChecklistVersion(bg, "mine", 1)
			must(t, err)
			if v.YAML != "id: mine\nversion: \"1\"\n" {
				t.Errorf("version 1: %+v", v)
			}
			v, err = tx.ChecklistVersion(bg, "mine", 0)
			must(t, err)
			if v.Version != 2 {
				t.Errorf("newest: %+v", v)
			}
			_, err = tx.ChecklistVersion(bg, "nope", 0)
			wantCode(t, err, fenghuo.ENOTFOUND)
			vs, err := tx.ChecklistVersions(bg, "mine")
			if len(vs) != 2 || vs[0].Version != 2 {
				t.Errorf("versions: %+v", vs)
			}
			return err
		}))
	})
}

func TestCampaignTargetsAnswersAndVisibility(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		tr := mustTree(t, db)
		now := time.Date(2026, 9, 1, 9, 0, 0, 0, time.UTC)
		db.SetClock(func() time.Time { return now })
		c := &fenghuo.Campaign{OrgID: tr.countyA.ID, Kind: fenghuo.CampaignSelf, Title: "国庆前自查", ChecklistID: "seed000-self-inspection",
			ChecklistVersion: "2019.1+abcd", ChecklistYAML: "id: x", Scope: fenghuo.Targeting{Subtrees: []int64{tr.countyA.ID}},
			StartsAt: now, DueAt: now.Add(14 * 24 * time.Hour), CreatedBy: 3}
		bad := *c
		bad.DueAt = now
		err := db.WithTx(bg, func(tx *Tx) error { return tx.CreateCampaign(bg, &bad) })
		wantCode(t, err, fenghuo.EINVALID)
		must(t, db.WithTx(bg, func(tx *Tx) error {
			if err := tx.CreateCampaign(bg, c); err != nil {
				return err
			}
			for _, org := range []int64{tr.hospital.ID, tr.school.ID} {
				tg := &fenghuo.CampaignTarget{CampaignID: c.ID, OrgID: org, Reason: "属于宽甸县网信办"}
				if err := tx.AddCampaignTarget(bg, tg); err != nil {
					return err
				}
				if err := tx.SetCampaignTargetObligation(bg, tg.ID, 100+org); err != nil {
					return err
				}
			}
			return nil
		}))
		// Answers: one replaced, one not applicable without a reason refused.
		answer := func(org int64, item, ans, reason string) error {
			return db.WithTx(bg, func(tx *Tx) error {
				return tx.SaveInspectionAnswer(bg, &fenghuo.InspectionAnswer{CampaignID: c.ID, OrgID: org, ItemID: item, Answer: ans, Reason: reason, AnsweredBy: 5})
			})
		}
		must(t, answer(tr.hospital.ID, "weak-passwords", fenghuo.AnswerCompliant, ""))
		must(t, answer(tr.hospital.ID, "weak-passwords", fenghuo.AnswerNonCompliant, ""))
		must(t, answer(tr.hospital.ID, "wlan", fenghuo.AnswerNotApplicable, "无无线网络"))
		wantCode(t, answer(tr.hospital.ID, "zombie-systems", fenghuo.AnswerNotApplicable, " "), fenghuo.EINVALID)
		wantCode(t, answer(tr.hospital.ID, "zombie-systems", "maybe", ""), fenghuo.EINVALID)
		must(t, answer(tr.school.ID, "wlan", fenghuo.AnswerCompliant, ""))
		must(t, db.WithTx(bg, func(tx *Tx) error {
			as, err := tx.InspectionAnswers(bg, c.ID, tr.hospital.ID)
			if err != nil {
				return err
			}
			if len(as) != 2 || as[0].ItemID != "weak-passwords" || as[0].Answer != fenghuo.AnswerNonCompliant {
				t.Fatalf("answers: %+v", as)
			}
			if err := tx.SetInspectionAnswerFinding(bg, as[0].ID, 77); err != nil {
				return err
			}
			tg, err := tx.CampaignTarget(bg, c.ID, tr.hospital.ID)
			if err != nil {
				return err
			}
			if tg.ObligationID != 100+tr.hospital.ID || tg.OrgName != "宽甸县人民医院" || tg.Submitted() {
				t.Errorf("target: %+v", tg)
			}
			if err := tx.SubmitCampaignTarget(bg, tg.ID, 5); err != nil {
				return err
			}
			wantCode(t, tx.SubmitCampaignTarget(bg, tg.ID, 5), fenghuo.ECONFLICT)
			_, err = tx.CampaignTarget(bg, c.ID, tr.water.ID)
			wantCode(t, err, fenghuo.ENOTFOUND)
			ts, err := tx.CampaignTargets(bg, c.ID)
			if err != nil {
				return err
			}
			if len(ts) != 2 {
				t.Fatalf("targets: %+v", ts)
			}
			for _, tg := range ts {
				switch tg.OrgID {
				case tr.hospital.ID:
					if tg.Answered != 2 || tg.NonCompliant != 1 || tg.Findings != 1 || !tg.Submitted() || !tg.SubmittedAt.Equal(now) {
						t.Errorf("hospital: %+v", tg)
					}
				case tr.school.ID:
					if tg.Answered != 1 || tg.NonCompliant != 0 || tg.Submitted() {
						t.Errorf("school: %+v", tg)
					}
				}
			}
			got, err := tx.Campaign(bg, c.ID)
			if err != nil {
				return err
			}
			if got.Title != c.Title || len(got.Scope.Subtrees) != 1 || !got.DueAt.Equal(c.DueAt) || got.State != fenghuo.CampaignOpen {
				t.Errorf("campaign: %+v", got)
			}
			return tx.SetCampaignState(bg, c.ID, fenghuo.CampaignClosed)
		}))
		// The issuer's ancestors and the targets' subtree see it; a sibling county does not.
		for _, tc := range []struct {
			path string
			want int
		}{{tr.city.Path, 1}, {tr.countyA.Path, 1}, {tr.hospital.Path, 1}, {tr.countyB.Path, 0}, {tr.water.Path, 0}} {
			res, err := db.CampaignsVisible(bg, tc.path, Page{})
			must(t, err)
			if res.Total != tc.want || len(res.Items) != tc.want {
				t.Errorf("%s sees %d campaigns, want %d", tc.path, res.Total, tc.want)
			}
		}
	})
}
