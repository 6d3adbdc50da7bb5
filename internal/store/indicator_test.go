package store

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"fenghuo/internal/fenghuo"
	"fenghuo/internal/ingest/ioc"
)

func TestIndicatorLibraryVisibilityByTLP(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
		db.SetClock(func() time.Time { return now })
		prov := mustOrg(t, db, 0, "辽宁省网信办", fenghuo.LevelProvince, fenghuo.OrgRegulator)
		cityA := mustOrg(t, db, prov.ID, "丹东市网信办", fenghuo.LevelCity, fenghuo.OrgRegulator)
		cityB := mustOrg(t, db, prov.ID, "大连市网信办", fenghuo.LevelCity, fenghuo.OrgRegulator)
		county := mustOrg(t, db, cityA.ID, "宽甸县网信办", fenghuo.LevelCounty, fenghuo.OrgRegulator)
		unitA := mustOrg(t, db, county.ID, "宽甸县人民医院", fenghuo.LevelUnit, fenghuo.OrgOperator)
		unitB := mustOrg(t, db, cityB.ID, "大连港集团", fenghuo.LevelUnit, fenghuo.OrgOperator)
		other := mustOrg(t, db, 0, "吉林省网信办", fenghuo.LevelProvince, fenghuo.OrgRegulator)

		add := func(owner *fenghuo.Org, tlp ioc.TLP, value string) *Indicator {
			in := &Indicator{Indicator: ioc.Indicator{OwnerOrg: owner.ID, Type: ioc.TypeDomain, Value: value, TLP: tlp, Confidence: 80,
				STIXID: ioc.NewSTIXID("indicator")}, CreatedBy: 1}
			must(t, db.WithTx(bg, func(tx *Tx) error { return tx.CreateIndicator(bg, in) }))
			return in
		}
		add(cityA, ioc.TLPClear, "clear.example")
		add(cityA, ioc.TLPGreen, "green.example")
		amber := add(cityA, ioc.TLPAmber, "amber.example")
		add(cityA, ioc.TLPAmberStrict, "strict.example")
		add(cityA, ioc.TLPRed, "red.example")
		add(prov, ioc.TLPAmber, "province-amber.example")
		add(unitB, ioc.TLPGreen, "unitb-green.example")
		add(other, ioc.TLPGreen, "jilin-green.example")

		// The same owner, type and value again is a conflict; the value
		// is normalised first.
		err := db.WithTx(bg, func(tx *Tx) error {
			return tx.CreateIndicator(bg, &Indicator{Indicator: ioc.Indicator{OwnerOrg: cityA.ID, Type: ioc.TypeDomain, Value: "AMBER.example.", TLP: ioc.TLPGreen}})
		})
		wantCode(t, err, fenghuo.ECONFLICT)

		sees := func(o *fenghuo.Org, f IndicatorFilter) string {
			res, err := db.IndicatorsVisible(bg, ScopeOfPath(o.ID, o.Path), f, Page{})
			must(t, err)
			var vals []string
			for _, in := range res.Items {
				vals = append(vals, strings.TrimSuffix(in.Value, ".example"))
			}
			sort.Strings(vals)
			if res.Total != len(vals) {
				t.Errorf("%s: total %d, items %d", o.Name, res.Total, len(vals))
			}
			return strings.Join(vals, " ")
		}
		for _, c := range []struct {
			org  *fenghuo.Org
			want string
		}{
			{cityA, "amber clear green jilin-green? province-amber red strict unitb-green"},
			{county, "amber clear green province-amber unitb-green"},
			{unitA, "amber clear green province-amber unitb-green"},
			{cityB, "clear green province-amber unitb-green"},
			{unitB, "clear green province-amber unitb-green"},
			{prov, "clear green province-amber unitb-green"},
			{other, "clear jilin-green"},
		} {
			want := strings.ReplaceAll(c.want, " jilin-green?", "")
			if got := sees(c.org, IndicatorFilter{}); got != want {
				t.Errorf("%s sees %q, want %q", c.org.Name, got, want)
			}
		}
		if got := sees(unitA, IndicatorFilter{TLP: ioc.TLPAmber, OwnerID: cityA.ID}); got != "amber" {
			t.Errorf("filtered: %q", got)
		}

		// Revoked indicators leave the lists and the matcher's load.
		must(t, db.WithTx(bg, func(tx *Tx) error { return tx.RevokeIndicator(bg, amber.ID, 7) }))
		wantCode(t, db.WithTx(bg, func(tx *Tx) error { return tx.RevokeIndicator(bg, amber.ID, 7) }), fenghuo.ENOTFOUND)
		if got := sees(unitA, IndicatorFilter{}); got != "clear green province-amber unitb-green" {
			t.Errorf("revoked still listed: %q", got)
		}
		// Expired indicators stay listed but do not load.
		var exp *Indicator
		must(t, db.WithTx(bg, func(tx *Tx) error {
			var err error
			exp, err = tx.IndicatorByValue(bg, cityA.ID, ioc.TypeDomain, "green.example")
			if err != nil {
				return err
			}
			exp.ValidUntil = now.Add(-time.Minute)
			exp.Confidence = 30
			return tx.UpdateIndicator(bg, exp)
		}))
		active, err := db.ActiveIndicators(bg, now)
		must(t, err)
		var vals []string
		for _, in := range active {
			vals = append(vals, strings.TrimSuffix(in.Value, ".example"))
		}
		if strings.Join(vals, " ") != "clear strict red province-amber unitb-green jilin-green" {
			t.Errorf("active: %v", vals)
		}
		got, err := db.IndicatorsForExport(bg, ScopeOfPath(unitA.ID, unitA.Path), IndicatorFilter{}, 100)
		must(t, err)
		if len(got) != 4 || got[1].Value != "green.example" || got[1].Confidence != 30 || got[1].OwnerName != "丹东市网信办" ||
			!got[1].ValidUntil.Equal(now.Add(-time.Minute)) {
			t.Errorf("export: %+v", got)
		}
		// The library lists read the table through its indexes, with
		// enough rows elsewhere in the platform that a planner would
		// rather not read them all (PostgreSQL reads small tables whole).
		must(t, db.WithTx(bg, func(tx *Tx) error {
			for i := 0; i < 3000; i++ {
				in := &Indicator{Indicator: ioc.Indicator{OwnerOrg: other.ID, Type: ioc.TypeSHA256, TLP: ioc.TLPRed,
					Value: fmt.Sprintf("%064x", i)}}
				if err := tx.CreateIndicator(bg, in); err != nil {
					return err
				}
			}
			return nil
		}))
		var queries []string
		var qargs [][]any
		db.SetQueryLog(func(q string, a []any) { queries, qargs = append(queries, q), append(qargs, a) })
		_, err = db.IndicatorsVisible(bg, ScopeOfPath(unitA.ID, unitA.Path), IndicatorFilter{Type: ioc.TypeDomain}, Page{})
		must(t, err)
		_, err = db.IndicatorsVisible(bg, ScopeOfPath(unitA.ID, unitA.Path), IndicatorFilter{}, Page{Offset: 50})
		must(t, err)
		db.SetQueryLog(nil)
		must(t, db.Analyze(bg))
		for i, q := range queries {
			scans, plan, err := db.FullScans(bg, q, qargs[i], map[string]bool{"indicators": true})
			must(t, err)
			if len(scans) > 0 {
				t.Errorf("%s reads indicators whole:\n%s", q, plan)
			}
		}
		owners, err := db.IndicatorOwners(bg, ScopeOfPath(unitA.ID, unitA.Path))
		must(t, err)
		if len(owners) != 3 || owners[0].ID != prov.ID {
			t.Errorf("owners %+v", owners)
		}
	})
}
