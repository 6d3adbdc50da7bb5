package store

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"fenghuo/internal/fenghuo"
)

func orgIDs(orgs []fenghuo.Org) []int64 {
	ids := []int64{}
	for _, o := range orgs {
		ids = append(ids, o.ID)
	}
	return ids
}

func TestOrgCRUD(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		tr := mustTree(t, db)
		got, err := db.Org(bg, tr.hospital.ID)
		must(t, err)
		if diff := cmp.Diff(tr.hospital, got); diff != "" {
			t.Fatalf("Org() differs from what CreateOrg returned (-want +got):\n%s", diff)
		}
		wantPath := "/" + itoa(tr.city.ID) + "/" + itoa(tr.countyA.ID) + "/" + itoa(tr.hospital.ID) + "/"
		if got.Path != wantPath || got.Version != 1 || got.OperatorType != fenghuo.OperatorOther {
			t.Fatalf("path %q version %d operator %q; want %q 1 other", got.Path, got.Version, got.OperatorType, wantPath)
		}

		got.Liaison = fenghuo.Liaison{Name: "张伟", Title: "信息科科长", Mobile: "13800000000"}
		got.DutyPhone, got.ReportEmail, got.Sector = "0415-2121234", "xxk@example.gov.cn", "health"
		got.PlanIDs = []string{"dandong-city", "national-rule"}
		got.PlanRoles = []string{"operator", "competent_department"}
		must(t, db.UpdateOrg(bg, got))
		if got.Version != 2 {
			t.Fatalf("version after update = %d, want 2", got.Version)
		}
		again, err := db.Org(bg, got.ID)
		must(t, err)
		if diff := cmp.Diff(got, again); diff != "" {
			t.Fatalf("after update (-want +got):\n%s", diff)
		}

		// A writer holding version 1 loses.
		stale := *tr.hospital
		stale.Name = "stale"
		wantCode(t, db.UpdateOrg(bg, &stale), fenghuo.ECONFLICT)
		_, err = db.Org(bg, 99999)
		wantCode(t, err, fenghuo.ENOTFOUND)
		missing := *again
		missing.ID = 99999
		wantCode(t, db.UpdateOrg(bg, &missing), fenghuo.ENOTFOUND)

		// Validation and a parent that does not exist.
		wantCode(t, db.CreateOrg(bg, &fenghuo.Org{Name: "x", Level: "village", Type: fenghuo.OrgOperator}), fenghuo.EINVALID)
		wantCode(t, db.CreateOrg(bg, &fenghuo.Org{ParentID: 99999, Name: "x", Level: fenghuo.LevelUnit, Type: fenghuo.OrgOperator}), fenghuo.ENOTFOUND)

		// Delete refuses an org with children, then works on a leaf.
		wantCode(t, db.DeleteOrg(bg, tr.countyB.ID, tr.countyB.Version), fenghuo.ECONFLICT)
		must(t, db.DeleteOrg(bg, tr.water.ID, tr.water.Version))
		_, err = db.Org(bg, tr.water.ID)
		wantCode(t, err, fenghuo.ENOTFOUND)
	})
}

func TestOrgSubtree(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		tr := mustTree(t, db)
		sub := func(root int64) []int64 {
			t.Helper()
			res, err := db.SubtreeOrgs(bg, root, OrgFilter{}, Page{})
			must(t, err)
			if res.Total != len(res.Items) {
				t.Fatalf("Total %d, %d items", res.Total, len(res.Items))
			}
			return orgIDs(res.Items)
		}
		// Own org and its children are in; the sibling county and the parent are not.
		if diff := cmp.Diff([]int64{tr.countyA.ID, tr.hospital.ID, tr.school.ID}, sub(tr.countyA.ID)); diff != "" {
			t.Errorf("subtree of countyA (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]int64{tr.hospital.ID}, sub(tr.hospital.ID)); diff != "" {
			t.Errorf("subtree of a leaf (-want +got):\n%s", diff)
		}
		if got := sub(tr.city.ID); len(got) != 6 || got[0] != tr.city.ID {
			t.Errorf("subtree of city = %v", got)
		}
		for _, c := range []struct {
			root, child *fenghuo.Org
			in          bool
		}{
			{tr.countyA, tr.hospital, true}, {tr.countyA, tr.countyA, true},
			{tr.countyA, tr.water, false}, {tr.countyA, tr.city, false}, {tr.hospital, tr.countyA, false},
		} {
			if got := fenghuo.InSubtree(c.root.Path, c.child.Path); got != c.in {
				t.Errorf("InSubtree(%s, %s) = %v", c.root.Name, c.child.Name, got)
			}
		}

		kids, err := db.ChildOrgs(bg, tr.city.ID)
		must(t, err)
		if len(kids) != 2 {
			t.Fatalf("children of city: %v", orgIDs(kids))
		}
		anc, err := db.OrgAncestors(bg, tr.hospital.ID)
		must(t, err)
		if diff := cmp.Diff([]int64{tr.city.ID, tr.countyA.ID}, orgIDs(anc)); diff != "" {
			t.Errorf("ancestors (-want +got):\n%s", diff)
		}

		found, err := db.SubtreeOrgs(bg, 0, OrgFilter{Query: "宽甸县"}, Page{})
		must(t, err)
		if found.Total != 3 {
			t.Errorf("search 宽甸县 found %v", orgIDs(found.Items))
		}
		found, err = db.SubtreeOrgs(bg, tr.countyB.ID, OrgFilter{Query: "宽甸县"}, Page{})
		must(t, err)
		if found.Total != 0 {
			t.Errorf("search is not limited to the subtree: %v", orgIDs(found.Items))
		}
		found, err = db.SubtreeOrgs(bg, 0, OrgFilter{Type: fenghuo.OrgOperator}, Page{Limit: 2, Offset: 1})
		must(t, err)
		if found.Total != 3 || len(found.Items) != 2 {
			t.Errorf("page 2 of operators: total %d items %v", found.Total, orgIDs(found.Items))
		}
	})
}

func TestOrgMove(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		tr := mustTree(t, db)
		// countyA (with its two units) moves under countyB.
		must(t, db.MoveOrg(bg, tr.countyA.ID, tr.countyB.ID, tr.countyA.Version))
		hosp, err := db.Org(bg, tr.hospital.ID)
		must(t, err)
		want := tr.countyB.Path + itoa(tr.countyA.ID) + "/" + itoa(tr.hospital.ID) + "/"
		if hosp.Path != want {
			t.Fatalf("hospital path %q, want %q", hosp.Path, want)
		}
		res, err := db.SubtreeOrgs(bg, tr.countyB.ID, OrgFilter{}, Page{})
		must(t, err)
		if res.Total != 5 {
			t.Fatalf("countyB subtree after move: %v", orgIDs(res.Items))
		}
		// Stale version, and a move into its own subtree, are refused.
		wantCode(t, db.MoveOrg(bg, tr.countyA.ID, 0, tr.countyA.Version), fenghuo.ECONFLICT)
		cb, err := db.Org(bg, tr.countyB.ID)
		must(t, err)
		wantCode(t, db.MoveOrg(bg, cb.ID, tr.hospital.ID, cb.Version), fenghuo.EINVALID)
		// Back to a root.
		ca, err := db.Org(bg, tr.countyA.ID)
		must(t, err)
		must(t, db.MoveOrg(bg, ca.ID, 0, ca.Version))
		roots, err := db.ChildOrgs(bg, 0)
		must(t, err)
		if len(roots) != 2 {
			t.Fatalf("roots after move: %v", orgIDs(roots))
		}
	})
}

func TestEffectivePlans(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		tr := mustTree(t, db)
		plans, from, err := db.EffectivePlans(bg, tr.hospital.ID)
		must(t, err)
		if len(plans) != 0 || from != 0 {
			t.Fatalf("no plans anywhere: got %v from %d", plans, from)
		}
		tr.city.PlanIDs = []string{"dandong-city"}
		must(t, db.UpdateOrg(bg, tr.city))
		tr.countyA.PlanIDs = []string{"wushen-county", "national-rule"}
		must(t, db.UpdateOrg(bg, tr.countyA))
		for _, c := range []struct {
			org  *fenghuo.Org
			want []string
			from int64
		}{
			{tr.hospital, []string{"wushen-county", "national-rule"}, tr.countyA.ID},
			{tr.water, []string{"dandong-city"}, tr.city.ID},
			{tr.city, []string{"dandong-city"}, tr.city.ID},
		} {
			plans, from, err := db.EffectivePlans(bg, c.org.ID)
			must(t, err)
			if diff := cmp.Diff(c.want, plans); diff != "" || from != c.from {
				t.Errorf("%s: from %d (want %d) (-want +got):\n%s", c.org.Name, from, c.from, diff)
			}
		}
	})
}

func TestOrgConcurrentUpdatesOneWins(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		tr := mustTree(t, db)
		const writers = 6
		errs := make(chan error, writers)
		for i := 0; i < writers; i++ {
			go func() {
				o := *tr.school
				o.ShortName = "一中" + itoa(int64(i))
				errs <- db.UpdateOrg(bg, &o)
			}()
		}
		won := 0
		for i := 0; i < writers; i++ {
			switch err := <-errs; fenghuo.ErrorCode(err) {
			case "":
				won++
			case fenghuo.ECONFLICT:
			default:
				t.Errorf("unexpected error: %v", err)
			}
		}
		if won != 1 {
			t.Fatalf("%d concurrent updates of version 1 succeeded, want exactly 1", won)
		}
	})
}

func TestOrgsByID(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		tr := mustTree(t, db)
		got, err := db.OrgsByID(bg, []int64{tr.school.ID, tr.water.ID, tr.school.ID, 999999})
		must(t, err)
		if len(got) != 2 || got[tr.school.ID].Name != tr.school.Name || got[tr.water.ID].Path != tr.water.Path {
			t.Errorf("OrgsByID = %v", got)
		}
		if none, err := db.OrgsByID(bg, nil); err != nil || len(none) != 0 {
			t.Errorf("no ids: %v %v", none, err)
		}
	})
}

// TestMemoOrgs checks that a transaction keeping its orgs (the demo
// seeder's) answers Org, ChildOrgs, OrgAncestors and EffectivePlans as the
// engine does, and that a caller changing an answer does not change the
// next one.
func TestMemoOrgs(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		tr := mustTree(t, db)
		type answers struct {
			Org       *fenghuo.Org
			Children  []fenghuo.Org
			Ancestors []fenghuo.Org
			Plans     []string
		}
		read := func(tx *Tx) answers {
			var a answers
			var err error
			a.Org, err = tx.Org(bg, tr.hospital.ID)
			must(t, err)
			a.Children, err = tx.ChildOrgs(bg, tr.countyA.ID)
			must(t, err)
			a.Ancestors, err = tx.OrgAncestors(bg, tr.hospital.ID)
			must(t, err)
			a.Plans, _, err = tx.EffectivePlans(bg, tr.hospital.ID)
			must(t, err)
			return a
		}
		var plain answers
		must(t, db.View(bg, func(tx *Tx) error { plain = read(tx); return nil }))
		if len(plain.Children) == 0 || len(plain.Ancestors) != 2 {
			t.Fatalf("the tree: %d children, %d ancestors", len(plain.Children), len(plain.Ancestors))
		}
		must(t, db.View(bg, func(tx *Tx) error {
			tx.MemoOrgs()
			for i := 0; i < 3; i++ {
				got := read(tx)
				if diff := cmp.Diff(plain, got); diff != "" {
					t.Fatalf("read %d with MemoOrgs differs (-plain +memo):\n%s", i, diff)
				}
				got.Org.PlanRoles = append(got.Org.PlanRoles[:0], "changed")
				got.Children[0].Name = "changed"
				got.Ancestors[0].PlanIDs = []string{"changed"}
			}
			return nil
		}))
	})
}

// TestRefreshStatistics: after a bulk load the planner has statistics (on
// SQLite, rows in sqlite_stat1, which nothing else writes).
func TestRefreshStatistics(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		mustTree(t, db)
		must(t, db.RefreshStatistics(bg))
		if db.d.engine == Postgres {
			return
		}
		var n int
		must(t, db.read.QueryRowContext(bg, "SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'orgs'").Scan(&n))
		if n == 0 {
			t.Fatal("no statistics for orgs after RefreshStatistics")
		}
	})
}

// TestAllSubtreeOrgs: every org of a subtree in one statement and in
// SubtreeOrgs' order (paging SubtreeOrgs stops at MaxOffset), full rows
// with their contacts; SubtreeNodes the same orgs as tree nodes.
func TestAllSubtreeOrgs(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		tr := mustTree(t, db)
		for _, root := range []*fenghuo.Org{nil, tr.city, tr.countyA, tr.hospital} {
			var id int64
			path := "/"
			if root != nil {
				id, path = root.ID, root.Path
			}
			paged, err := db.SubtreeOrgs(bg, id, OrgFilter{}, Page{Limit: MaxLimit})
			must(t, err)
			statements := 0
			db.SetQueryLog(func(string, []any) { statements++ })
			var all []fenghuo.Org
			must(t, db.View(bg, func(tx *Tx) error {
				var err error
				all, err = tx.AllSubtreeOrgs(bg, id)
				return err
			}))
			db.SetQueryLog(nil)
			if diff := cmp.Diff(paged.Items, all); diff != "" {
				t.Errorf("AllSubtreeOrgs(%d) differs from SubtreeOrgs (-want +got):\n%s", id, diff)
			}
			if want := map[bool]int{true: 1, false: 2}[id == 0]; statements != want { // the root's row, then its subtree
				t.Errorf("AllSubtreeOrgs(%d) took %d statements, want %d", id, statements, want)
			}
			nodes, err := db.SubtreeNodes(bg, path)
			must(t, err)
			want := map[int64]OrgNode{}
			for _, o := range all {
				want[o.ID] = OrgNode{ID: o.ID, ParentID: o.ParentID, Name: o.Name, Level: o.Level}
			}
			got := map[int64]OrgNode{}
			for _, n := range nodes {
				got[n.ID] = n
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("SubtreeNodes(%s) (-want +got):\n%s", path, diff)
			}
		}
	})
}

// TestOptimizeAtOpen: serve's PRAGMA optimize at open leaves statistics
// of a database with data (on SQLite, rows in sqlite_stat1 for orgs, which
// nothing else writes but RefreshStatistics); the periodic one runs.
func TestOptimizeAtOpen(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		mustTree(t, db)
		must(t, db.Optimize(bg, true))
		must(t, db.Optimize(bg, false))
		if db.d.engine == Postgres {
			return
		}
		var n int
		must(t, db.read.QueryRowContext(bg, "SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'orgs'").Scan(&n))
		if n == 0 {
			t.Fatal("no statistics for orgs after PRAGMA optimize at open")
		}
	})
}
