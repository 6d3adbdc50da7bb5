package store

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"fenghuo/internal/fenghuo"
)

func mustSystem(tb testing.TB, db *DB, org int64, name string, comps ...fenghuo.Component) *fenghuo.System {
	tb.Helper()
	s := &fenghuo.System{OrgID: org, Name: name, ProtectionLevel: 2, Components: comps}
	if err := db.CreateSystem(bg, s); err != nil {
		tb.Fatalf("CreateSystem(%s): %v", name, err)
	}
	return s
}

func TestSystemCRUD(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		tr := mustTree(t, db)
		s := &fenghuo.System{
			OrgID: tr.hospital.ID, Name: "医院信息系统(HIS)", Department: "信息科", ResponsiblePerson: "张伟",
			ResponsiblePhone: "0415-5121234", ProtectionLevel: 3, CII: true,
			KeyKinds: []fenghuo.KeyKind{fenghuo.KindCII, fenghuo.KindImportantData, fenghuo.KindLevel3Plus},
			Exposure: []fenghuo.Exposure{
				{Kind: "domain", Value: "his.kdrmyy.example.cn"},
				{Kind: "url", Value: "https://his.kdrmyy.example.cn/login", Note: "门户"},
				{Kind: "ip", Value: "203.0.113.10"},
				{Kind: "port", Value: "443/tcp"},
			},
			Components: []fenghuo.Component{{Name: "Oracle WebLogic Server", Version: "12.1.3", Vendor: "Oracle"}, {Name: "OpenSSL", Version: "1.0.2k"}},
		}
		must(t, db.CreateSystem(bg, s))
		if s.Status != fenghuo.SystemActive || s.Version != 1 {
			t.Fatalf("defaults: %+v", s)
		}
		got, err := db.System(bg, s.ID)
		must(t, err)
		if diff := cmp.Diff(s, got); diff != "" {
			t.Fatalf("System (-want +got):\n%s", diff)
		}
		got.Exposure = got.Exposure[:1]
		got.Components = append(got.Components, fenghuo.Component{Name: "Apache Struts2", Version: "2.5.10"})
		got.Status = fenghuo.SystemRetired
		must(t, db.UpdateSystem(bg, got))
		again, err := db.System(bg, s.ID)
		must(t, err)
		if diff := cmp.Diff(got, again); diff != "" {
			t.Fatalf("after update (-want +got):\n%s", diff)
		}
		wantCode(t, db.UpdateSystem(bg, s), fenghuo.ECONFLICT)
		for _, bad := range []fenghuo.Exposure{{Kind: "url", Value: "his.example.cn"}, {Kind: "ip", Value: "300.1.1.1"},
			{Kind: "port", Value: "70000"}, {Kind: "domain", Value: "no_domain"}, {Kind: "mac", Value: "x"}} {
			b := &fenghuo.System{OrgID: tr.hospital.ID, Name: "x", Exposure: []fenghuo.Exposure{bad}}
			wantCode(t, db.CreateSystem(bg, b), fenghuo.EINVALID)
		}
		wantCode(t, db.CreateSystem(bg, &fenghuo.System{OrgID: tr.hospital.ID, Name: "x", ProtectionLevel: 6}), fenghuo.EINVALID)
		wantCode(t, db.CreateSystem(bg, &fenghuo.System{OrgID: tr.hospital.ID, Name: "x", KeyKinds: []fenghuo.KeyKind{"vip"}}), fenghuo.EINVALID)
		wantCode(t, db.CreateSystem(bg, &fenghuo.System{OrgID: 99999, Name: "x"}), fenghuo.ENOTFOUND)
		// An org with systems cannot be deleted.
		wantCode(t, db.DeleteOrg(bg, tr.hospital.ID, tr.hospital.Version), fenghuo.ECONFLICT)
		wantCode(t, db.DeleteSystem(bg, s.ID, 1), fenghuo.ECONFLICT)
		must(t, db.DeleteSystem(bg, s.ID, again.Version))
		_, err = db.System(bg, s.ID)
		wantCode(t, err, fenghuo.ENOTFOUND)
	})
}

func TestSubtreeSystemsAndComponents(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		tr := mustTree(t, db)
		wl := fenghuo.Component{Name: "Oracle WebLogic Server", Version: "12.1.3.0"}
		his := mustSystem(t, db, tr.hospital.ID, "HIS", wl)
		portal := mustSystem(t, db, tr.school.ID, "门户网站", fenghuo.Component{Name: "weblogic", Version: "10.3.6"}, fenghuo.Component{Name: "Apache Struts2", Version: "2.5.10"})
		scada := mustSystem(t, db, tr.water.ID, "SCADA", fenghuo.Component{Name: "WebLogic", Version: "12.1"})
		portal.CII, portal.ProtectionLevel, portal.KeyKinds = true, 3, []fenghuo.KeyKind{fenghuo.KindPublicInfo}
		portal.Exposure = []fenghuo.Exposure{{Kind: "domain", Value: "www.kdyz.example.cn"}}
		must(t, db.UpdateSystem(bg, portal))
		for i := 0; i < 7; i++ {
			mustSystem(t, db, tr.countyA.ID, fmt.Sprintf("办公系统%02d", i))
		}

		names := func(org int64, f SystemFilter, p Page) (int, []string) {
			t.Helper()
			res, err := db.SubtreeSystems(bg, org, f, p)
			must(t, err)
			// The dashboard's count reads the same systems.
			if n, err := db.CountSubtreeSystems(bg, org, f); err != nil || n != res.Total {
				t.Errorf("CountSubtreeSystems(%d, %+v) = %d, %v; the list's total is %d", org, f, n, err, res.Total)
			}
			out := []string{}
			for _, s := range res.Items {
				out = append(out, s.Name)
			}
			return res.Total, out
		}
		if n, got := names(tr.countyB.ID, SystemFilter{}, Page{}); n != 1 || got[0] != "SCADA" {
			t.Errorf("countyB systems: %d %v", n, got)
		}
		if n, _ := names(tr.countyA.ID, SystemFilter{}, Page{}); n != 9 {
			t.Errorf("countyA has %d systems, want 9", n)
		}
		if n, got := names(tr.countyA.ID, SystemFilter{}, Page{Limit: 3, Offset: 3}); n != 9 || fmt.Sprint(got) != "[办公系统02 办公系统03 办公系统04]" {
			t.Errorf("page: %d %v", n, got)
		}
		if n, got := names(tr.countyA.ID, SystemFilter{OrgID: tr.hospital.ID}, Page{}); n != 1 || got[0] != "HIS" {
			t.Errorf("one org: %d %v", n, got)
		}
		if _, got := names(0, SystemFilter{CIIOnly: true}, Page{}); fmt.Sprint(got) != "[门户网站]" {
			t.Errorf("CII: %v", got)
		}
		if _, got := names(0, SystemFilter{KeyKind: fenghuo.KindPublicInfo, MinLevel: 3}, Page{}); fmt.Sprint(got) != "[门户网站]" {
			t.Errorf("kind+level: %v", got)
		}
		if _, got := names(0, SystemFilter{Query: "www.kdyz.example.cn"}, Page{}); fmt.Sprint(got) != "[门户网站]" {
			t.Errorf("by exposure: %v", got)
		}
		if _, got := names(tr.countyA.ID, SystemFilter{Component: "WEBLOGIC"}, Page{}); fmt.Sprint(got) != "[HIS 门户网站]" {
			t.Errorf("by component: %v", got)
		}
		res, err := db.SubtreeSystems(bg, tr.school.ID, SystemFilter{}, Page{})
		must(t, err)
		if len(res.Items) != 1 || len(res.Items[0].Components) != 2 || len(res.Items[0].Exposure) != 1 {
			t.Errorf("children not loaded in list: %+v", res.Items)
		}

		ids := func(ms []ComponentMatch) []int64 {
			out := []int64{}
			for _, m := range ms {
				out = append(out, m.SystemID)
			}
			return out
		}
		all, err := db.SystemsByComponent(bg, 0, "weblogic", "")
		must(t, err)
		if diff := cmp.Diff([]int64{his.ID, portal.ID, scada.ID}, ids(all)); diff != "" {
			t.Errorf("weblogic anywhere (-want +got):\n%s", diff)
		}
		v121, err := db.SystemsByComponent(bg, 0, "WebLogic", "12.1")
		must(t, err)
		if diff := cmp.Diff([]int64{his.ID, scada.ID}, ids(v121)); diff != "" {
			t.Errorf("weblogic 12.1 (-want +got):\n%s", diff)
		}
		inB, err := db.SystemsByComponent(bg, tr.countyB.ID, "weblogic", "")
		must(t, err)
		if diff := cmp.Diff([]int64{scada.ID}, ids(inB)); diff != "" || inB[0].Component.Version != "12.1" {
			t.Errorf("weblogic in countyB (-want +got):\n%s", diff)
		}
		_, err = db.SystemsByComponent(bg, 0, " ", "")
		wantCode(t, err, fenghuo.EINVALID)
	})
}
