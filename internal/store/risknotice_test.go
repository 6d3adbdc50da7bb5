package store

import (
	"testing"
	"time"

	"fenghuo/internal/fenghuo"
)

func TestRiskNoticeTargetsAreObligations(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		tr := mustTree(t, db)
		now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
		db.SetClock(func() time.Time { return now })
		n := &fenghuo.RiskNotice{OrgID: tr.city.ID, Title: "WebLogic 远程代码执行漏洞", Product: "WebLogic Server",
			ProductKey: "oracle/weblogic_server", Ranges: "12.2.1.3 - 12.2.1.4", RefIDs: []string{"cve-2020-14882"},
			Description: "未授权远程代码执行", Measures: "升级补丁", DueAt: now.Add(7 * 24 * time.Hour), CreatedBy: 1}
		must(t, db.WithTx(bg, func(tx *Tx) error { return tx.CreateRiskNotice(bg, n) }))
		if n.RectifyDays != fenghuo.DefaultRectifyDays || n.Severity != fenghuo.SeverityHigh || n.RefIDs[0] != "CVE-2020-14882" {
			t.Fatalf("defaults: %+v", n)
		}
		his := mustSystem(t, db, tr.hospital.ID, "HIS", fenghuo.Component{Name: "weblogic", Version: "12.2.1.3.0"})
		target := &fenghuo.RiskNoticeTarget{OrgID: tr.hospital.ID, OrgName: tr.hospital.Name,
			Matches: []fenghuo.RiskNoticeMatch{{SystemID: his.ID, SystemName: "HIS", Component: "weblogic", Version: "12.2.1.3.0"}}}
		must(t, db.WithTx(bg, func(tx *Tx) error {
			return tx.AddRiskNoticeTarget(bg, n, target, Duty{RecipientOrgID: tr.city.ID, Clause: "附件4 五"})
		}))
		o, err := obligationOf(db, target.ObligationID)
		must(t, err)
		if o.Kind != ObligationKindRiskNotice || o.SubjectID != n.ID || o.OwnerOrgID != tr.hospital.ID || o.RecipientOrgID != tr.city.ID ||
			!o.DueAt.Equal(n.DueAt) || o.IncidentID != 0 {
			t.Fatalf("obligation: %+v", o)
		}
		// One target per unit and notice.
		err = db.WithTx(bg, func(tx *Tx) error {
			return tx.AddRiskNoticeTarget(bg, n, &fenghuo.RiskNoticeTarget{OrgID: tr.hospital.ID}, Duty{})
		})
		wantCode(t, err, fenghuo.ECONFLICT)

		must(t, db.WithTx(bg, func(tx *Tx) error {
			got, err := tx.LockRiskNoticeTarget(bg, target.ID)
			if err != nil {
				return err
			}
			got.Answer, got.AnswerNote, got.AnsweredBy, got.AnsweredAt, got.FindingIDs = fenghuo.RiskAnswerAffected, "确认受影响", "周丽", now, []int64{7}
			return tx.UpdateRiskNoticeTarget(bg, got)
		}))
		var targets []fenghuo.RiskNoticeTarget
		must(t, db.View(bg, func(tx *Tx) error {
			var err error
			targets, err = tx.RiskNoticeTargets(bg, n.ID)
			return err
		}))
		if len(targets) != 1 || targets[0].Answer != fenghuo.RiskAnswerAffected || !targets[0].AnsweredAt.Equal(now) ||
			len(targets[0].FindingIDs) != 1 || targets[0].Reason() != "HIS：weblogic 12.2.1.3.0" {
			t.Fatalf("targets: %+v", targets)
		}

		// The issuer's subtree and the target's see the notice; a sibling
		// county's does not.
		for _, c := range []struct {
			org  *fenghuo.Org
			want int
		}{{tr.city, 1}, {tr.hospital, 1}, {tr.countyA, 1}, {tr.countyB, 0}, {tr.water, 0}} {
			res, err := db.RiskNoticesVisible(bg, c.org.Path, Page{})
			must(t, err)
			if res.Total != c.want || len(res.Items) != c.want {
				t.Errorf("%s sees %d notices, want %d", c.org.Name, res.Total, c.want)
			}
		}
		must(t, db.WithTx(bg, func(tx *Tx) error { return tx.SetRiskNoticeStatus(bg, n.ID, fenghuo.RiskNoticeClosed) }))
		wantCode(t, db.WithTx(bg, func(tx *Tx) error { return tx.SetRiskNoticeStatus(bg, 9999, fenghuo.RiskNoticeClosed) }), fenghuo.ENOTFOUND)

		// Components of active systems in a subtree.
		mustSystem(t, db, tr.water.ID, "SCADA", fenghuo.Component{Name: "WebLogic", Version: "14.1.1"})
		var comps []ComponentMatch
		must(t, db.View(bg, func(tx *Tx) error {
			var err error
			comps, err = tx.ActiveComponents(bg, tr.countyA.Path)
			return err
		}))
		if len(comps) != 1 || comps[0].SystemID != his.ID || comps[0].Component.Vendor != "Oracle" {
			t.Fatalf("components: %+v", comps)
		}
	})
}

func TestRiskNoticeValidation(t *testing.T) {
	base := fenghuo.RiskNotice{OrgID: 1, Title: "t", Product: "p", Ranges: "1", Description: "d", Measures: "m"}
	for _, mod := range []func(n *fenghuo.RiskNotice){
		func(n *fenghuo.RiskNotice) { n.Title = " " },
		func(n *fenghuo.RiskNotice) { n.Product = "" },
		func(n *fenghuo.RiskNotice) { n.RefIDs = []string{"CVE-20-1"} },
		func(n *fenghuo.RiskNotice) { n.Severity = "urgent" },
		func(n *fenghuo.RiskNotice) { n.RectifyDays = 91 },
		func(n *fenghuo.RiskNotice) { n.Measures = "" },
	} {
		n := base
		mod(&n)
		if err := n.Validate(); fenghuo.ErrorCode(err) != fenghuo.EINVALID {
			t.Errorf("%+v: %v", n, err)
		}
	}
	n := base
	n.RefIDs = []string{" cnvd-2020-12345 "}
	if err := n.Validate(); err != nil || n.RefIDs[0] != "CNVD-2020-12345" {
		t.Errorf("valid notice: %v %+v", err, n)
	}
}

func TestComponentsNormalisedOnSave(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		tr := mustTree(t, db)
		s := &fenghuo.System{OrgID: tr.school.ID, Name: "门户", Components: []fenghuo.Component{{Name: " weblogic ", Version: " 12.2.1.4 "}, {Name: "Acme CMS", Version: "v3"}}}
		must(t, db.CreateSystem(bg, s))
		got, err := db.System(bg, s.ID)
		must(t, err)
		if c := got.Components[0]; c.Name != "weblogic" || c.Version != "12.2.1.4" || c.Vendor != "Oracle" || got.Components[1].Vendor != "" {
			t.Fatalf("components: %+v", got.Components)
		}
		bad := &fenghuo.System{OrgID: tr.school.ID, Name: "x", Components: []fenghuo.Component{{Name: "Tomcat", Version: "latest"}}}
		wantCode(t, db.CreateSystem(bg, bad), fenghuo.EINVALID)
		dup := &fenghuo.System{OrgID: tr.school.ID, Name: "y", Components: []fenghuo.Component{{Name: "Tomcat", Version: "9.0"}, {Name: "Apache Tomcat", Version: "9.0"}}}
		wantCode(t, db.CreateSystem(bg, dup), fenghuo.EINVALID)
	})
}
