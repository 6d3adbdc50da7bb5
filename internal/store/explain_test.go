package store

import (
	"reflect"
	"sort"
	"testing"
)

func TestTableAliases(t *testing.T) {
	got := tableAliases(`SELECT m.id, s.org_id FROM monitors m, incident_scope, obligations b JOIN systems AS s ON s.id = m.system_id
		LEFT JOIN orgs o ON o.id = s.org_id
		WHERE m.id IN (SELECT s.id FROM orgs s WHERE s.path LIKE 'x%') AND EXISTS (SELECT 1 FROM jobs WHERE jobs.id = 1)
		ORDER BY m.id`)
	want := map[string][]string{"m": {"monitors"}, "s": {"systems", "orgs"}, "o": {"orgs"}, "incident_scope": {"incident_scope"},
		"b": {"obligations"}, "jobs": {"jobs"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("aliases\n got %v\nwant %v", got, want)
	}
}

// TestFullScansSeeAliases: a full scan of a big table is caught whether
// the query names the table or an alias of it, and the scan of a
// subquery's rows is not taken for its table's.
func TestFullScansSeeAliases(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		big := map[string]bool{"monitors": true, "obligations": true}
		for _, q := range []string{
			"SELECT id FROM monitors WHERE url LIKE '%x%'",
			"SELECT m.id FROM monitors m WHERE m.url LIKE '%x%'",
			"SELECT s.id FROM systems s JOIN monitors AS m ON m.system_id = s.id WHERE m.url LIKE '%x%'",
		} {
			scans, plan, err := db.FullScans(bg, q, nil, big)
			must(t, err)
			if !reflect.DeepEqual(scans, []string{"monitors"}) {
				t.Errorf("%s: scans %v, want [monitors]\n%s", q, scans, plan)
			}
		}
		// Two aliases, one of them a subquery named like its inner table:
		// the unindexed inner scan of obligations is caught once.
		q := `SELECT b.id, o.name FROM (SELECT id, owner_org_id FROM obligations b WHERE b.title LIKE '%x%' ORDER BY b.due_at LIMIT 5) b
			JOIN orgs o ON o.id = b.owner_org_id ORDER BY b.id`
		scans, plan, err := db.FullScans(bg, q, nil, big)
		must(t, err)
		sort.Strings(scans)
		if !reflect.DeepEqual(scans, []string{"obligations"}) {
			t.Errorf("%s: scans %v, want [obligations]\n%s", q, scans, plan)
		}
		if db.d.engine != SQLite {
			return
		}
		// On SQLite the same subquery through an index: the outer "SCAN b"
		// reads the co-routine, not obligations.
		q = `SELECT b.id, o.name FROM (SELECT id, owner_org_id FROM obligations b WHERE b.state = 'open' ORDER BY b.due_at LIMIT 5) b
			JOIN orgs o ON o.id = b.owner_org_id ORDER BY b.id`
		scans, plan, err = db.FullScans(bg, q, nil, big)
		must(t, err)
		if len(scans) > 0 {
			t.Errorf("%s: scans %v, want none\n%s", q, scans, plan)
		}
	})
}
