package store

import (
	"fmt"
	"testing"
	"time"
)

func TestIntakeSources(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		tr := mustTree(t, db)
		var a, b *IntakeSource
		must(t, db.WithTx(bg, func(tx *Tx) error {
			a = &IntakeSource{OrgID: tr.hospital.ID, Name: "wazuh-1", Kind: "wazuh", TokenHash: "h1", TokenHint: "fhi_aaaa",
				Addresses: []string{"192.0.2.0/24"}, Mapping: `{"fields":{}}`}
			if err := tx.CreateIntakeSource(bg, a); err != nil {
				return err
			}
			b = &IntakeSource{OrgID: tr.water.ID, Name: "suricata", Kind: "suricata", TokenHash: "h2", TokenHint: "fhi_bbbb"}
			return tx.CreateIntakeSource(bg, b)
		}))
		got, err := db.IntakeSourceByHash(bg, "h1")
		must(t, err)
		if got.ID != a.ID || got.Addresses[0] != "192.0.2.0/24" || got.Mapping != `{"fields":{}}` || got.Revoked() {
			t.Fatalf("by hash: %+v", got)
		}
		if _, err := db.IntakeSourceByHash(bg, "nope"); err == nil {
			t.Fatal("unknown hash found")
		}
		// Scope: the county sees its hospital's source, not the other county's.
		list, err := db.IntakeSources(bg, tr.countyA.Path, false, Page{})
		must(t, err)
		if list.Total != 1 || list.Items[0].ID != a.ID {
			t.Fatalf("county A sources: %+v", list)
		}
		list, err = db.IntakeSources(bg, tr.city.Path, false, Page{})
		must(t, err)
		if list.Total != 2 || list.Items[0].ID != b.ID {
			t.Fatalf("city sources (newest first): %+v", list)
		}
		bound, err := db.BoundIntakeSources(bg)
		must(t, err)
		if len(bound) != 1 || bound[0].ID != a.ID {
			t.Fatalf("bound: %+v", bound)
		}
		must(t, db.WithTx(bg, func(tx *Tx) error { return tx.RevokeIntakeSource(bg, a.ID, 7) }))
		if err := db.WithTx(bg, func(tx *Tx) error { return tx.RevokeIntakeSource(bg, a.ID, 7) }); err == nil {
			t.Fatal("revoked twice")
		}
		bound, err = db.BoundIntakeSources(bg)
		must(t, err)
		if len(bound) != 0 {
			t.Fatalf("a revoked source is still bound: %+v", bound)
		}
		list, err = db.IntakeSources(bg, tr.city.Path, false, Page{})
		must(t, err)
		all, err := db.IntakeSources(bg, tr.city.Path, true, Page{})
		must(t, err)
		if list.Total != 1 || all.Total != 2 {
			t.Fatalf("active %d, all %d", list.Total, all.Total)
		}
	})
}

func mustEvents(t *testing.T, db *DB, evs []*StoredEvent) {
	t.Helper()
	must(t, db.WithTx(bg, func(tx *Tx) error { return tx.InsertEvents(bg, evs) }))
}

func TestEventsInsertSearchPrune(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		tr := mustTree(t, db)
		base := time.Date(2026, 11, 20, 1, 0, 0, 0, time.UTC)
		var evs []*StoredEvent
		for i := 0; i < 600; i++ { // more than one INSERT's worth
			org := tr.hospital.ID
			if i%3 == 0 {
				org = tr.water.ID
			}
			evs = append(evs, &StoredEvent{OrgID: org, SourceID: 1, At: base.Add(time.Duration(i) * time.Second), Received: base.Add(time.Hour),
				Kind: "generic", SourceIP: fmt.Sprintf("203.0.113.%d", i%5), UserName: "alice", Category: "authentication",
				Fields: fmt.Sprintf(`{"source.ip":"203.0.113.%d","event.category":["authentication","iam"],"labels":["x","iam"],"mail.subject":"s%d","n":%d}`, i%5, i%7, i),
				Raw:    fmt.Sprintf("raw %d \x00 \xff", i)})
		}
		mustEvents(t, db, evs)
		for i, e := range evs {
			if e.ID == 0 || (i > 0 && e.ID <= evs[i-1].ID) {
				t.Fatalf("event %d id %d (previous %d)", i, e.ID, evs[max(i-1, 0)].ID)
			}
		}
		// IDs follow the rows: each stored row is the one given at that index.
		var e599 *StoredEvent
		must(t, db.View(bg, func(tx *Tx) error { var err error; e599, err = tx.Event(bg, evs[599].ID); return err }))
		if e599.At != evs[599].At || e599.OrgID != evs[599].OrgID || e599.Raw != "raw 599 \uFFFD \uFFFD" {
			t.Fatalf("event 599 stored as %+v", e599)
		}
		// Indexed field, subtree scope, newest first, keyset pages.
		var seen []int64
		f := EventFilter{OrgPath: tr.countyA.Path, Match: map[string]string{"source.ip": "203.0.113.1"}, Limit: 30}
		for {
			page, err := db.SearchEvents(bg, f)
			must(t, err)
			for _, e := range page {
				if e.OrgID != tr.hospital.ID || e.SourceIP != "203.0.113.1" {
					t.Fatalf("out of scope or filter: %+v", e)
				}
				if len(seen) > 0 && e.ID >= seen[len(seen)-1] {
					t.Fatalf("not newest first: %d after %d", e.ID, seen[len(seen)-1])
				}
				seen = append(seen, e.ID)
			}
			if len(page) < f.Limit {
				break
			}
			f.AfterAt, f.AfterID = page[len(page)-1].At, page[len(page)-1].ID
		}
		want := 0
		for i := range evs {
			if i%3 != 0 && i%5 == 1 {
				want++
			}
		}
		if len(seen) != want {
			t.Fatalf("paged %d events, want %d", len(seen), want)
		}
		// JSON fields: a scalar, an element of a list, a number; time range.
		for _, c := range []struct {
			match map[string]string
			from  time.Time
		}{
			{map[string]string{"mail.subject": "s3"}, time.Time{}},
			{map[string]string{"labels": "iam"}, time.Time{}},
			{map[string]string{"n": "42"}, time.Time{}},
			{map[string]string{"user.name": "alice", "mail.subject": "s0"}, base.Add(300 * time.Second)},
		} {
			w := 0
			for i := range evs {
				ok := true
				if v, has := c.match["mail.subject"]; has && fmt.Sprintf("s%d", i%7) != v {
					ok = false
				}
				if v, has := c.match["n"]; has && fmt.Sprint(i) != v {
					ok = false
				}
				if !c.from.IsZero() && evs[i].At.Before(c.from) {
					ok = false
				}
				if ok {
					w++
				}
			}
			got, err := db.SearchEvents(bg, EventFilter{OrgPath: tr.city.Path, Match: c.match, From: c.from, Limit: MaxLimit})
			must(t, err)
			if len(got) != min(w, MaxLimit) {
				t.Errorf("%v from %v: %d events, want %d", c.match, c.from, len(got), min(w, MaxLimit))
			}
		}
		// A group sample goes with its event when the event is pruned.
		g := &AlertGroup{OrgID: tr.hospital.ID, RuleID: "r1", Entity: "source.ip=203.0.113.1", Kind: "sigma", Title: "t", Level: "high",
			Count: 1, FirstSeen: base, LastSeen: base}
		must(t, db.WithTx(bg, func(tx *Tx) error {
			if err := tx.CreateAlertGroup(bg, g); err != nil {
				return err
			}
			return tx.AddAlertSamples(bg, g.ID, []int64{evs[1].ID, evs[599].ID}, 20)
		}))
		newer := &StoredEvent{OrgID: tr.hospital.ID, At: base, Received: base.Add(48 * time.Hour), Kind: "generic", Fields: "{}"}
		mustEvents(t, db, []*StoredEvent{newer})
		n, err := db.PruneEvents(bg, base.Add(2*time.Hour), 500)
		must(t, err)
		if n != 500 {
			t.Fatalf("pruned %d, want a full batch of 500", n)
		}
		n, err = db.PruneEvents(bg, base.Add(2*time.Hour), 500)
		must(t, err)
		if n != 100 {
			t.Fatalf("pruned %d, want the last 100", n)
		}
		var ids []int64
		must(t, db.View(bg, func(tx *Tx) error { var err error; ids, err = tx.AlertSampleIDs(bg, g.ID); return err }))
		if len(ids) != 0 {
			t.Fatalf("samples of pruned events remain: %v", ids)
		}
		left, err := db.SearchEvents(bg, EventFilter{OrgPath: tr.city.Path})
		must(t, err)
		if len(left) != 1 || left[0].ID != newer.ID {
			t.Fatalf("left after pruning: %+v", left)
		}
	})
}

func TestAlertGroupsStore(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		tr := mustTree(t, db)
		base := time.Date(2026, 11, 20, 1, 0, 0, 0, time.UTC)
		var evs []*StoredEvent
		for i := 0; i < 30; i++ {
			evs = append(evs, &StoredEvent{OrgID: tr.hospital.ID, At: base, Received: base, Kind: "generic", Fields: "{}"})
		}
		mustEvents(t, db, evs)
		mk := func(org int64, rule, level, kind string, seen time.Time) *AlertGroup {
			g := &AlertGroup{OrgID: org, RuleID: rule, Entity: "user.name=alice", Kind: kind, Title: rule, Level: level,
				Tags: []string{"attack.t1110"}, Count: 1, FirstSeen: seen, LastSeen: seen}
			must(t, db.WithTx(bg, func(tx *Tx) error { return tx.CreateAlertGroup(bg, g) }))
			return g
		}
		g1 := mk(tr.hospital.ID, "r1", "high", "sigma", base)
		g2 := mk(tr.hospital.ID, "r1", "low", "sigma", base.Add(3*time.Hour))
		mk(tr.water.ID, "r1", "critical", "ioc", base.Add(time.Hour))
		// The latest group of a key, locked.
		must(t, db.WithTx(bg, func(tx *Tx) error {
			g, err := tx.LatestAlertGroup(bg, tr.hospital.ID, "r1", "user.name=alice")
			if err != nil {
				return err
			}
			if g.ID != g2.ID {
				t.Errorf("latest group %d, want %d", g.ID, g2.ID)
			}
			if _, err := tx.LatestAlertGroup(bg, tr.hospital.ID, "r2", "user.name=alice"); err == nil {
				t.Error("found a group of another rule")
			}
			g.Count, g.State, g.AssigneeID = 5, AlertAssigned, 9
			return tx.UpdateAlertGroup(bg, g)
		}))
		// Samples keep the newest 20.
		must(t, db.WithTx(bg, func(tx *Tx) error {
			for i := 0; i < 30; i += 10 {
				ids := []int64{}
				for _, e := range evs[i : i+10] {
					ids = append(ids, e.ID)
				}
				if err := tx.AddAlertSamples(bg, g1.ID, ids, 20); err != nil {
					return err
				}
			}
			ids, err := tx.AlertSampleIDs(bg, g1.ID)
			if err != nil {
				return err
			}
			if len(ids) != 20 || ids[0] != evs[29].ID || ids[19] != evs[10].ID {
				t.Errorf("samples %v", ids)
			}
			return nil
		}))
		res, err := db.AlertGroups(bg, AlertGroupFilter{OrgID: tr.countyA.ID}, Page{})
		must(t, err)
		if res.Total != 2 || res.Items[0].ID != g2.ID || res.Items[0].Count != 5 || res.Items[0].AssigneeID != 9 {
			t.Fatalf("county A groups: %+v", res)
		}
		res, err = db.AlertGroups(bg, AlertGroupFilter{OrgID: tr.city.ID, State: AlertOpen, Level: "critical"}, Page{})
		must(t, err)
		if res.Total != 1 || res.Items[0].OrgID != tr.water.ID || res.Items[0].Kind != "ioc" {
			t.Fatalf("open critical: %+v", res)
		}
		res, err = db.AlertGroups(bg, AlertGroupFilter{OrgID: tr.city.ID, From: base.Add(time.Hour), To: base.Add(2 * time.Hour)}, Page{})
		must(t, err)
		if res.Total != 1 {
			t.Fatalf("time range: %+v", res)
		}
		fc, err := db.AlertGroupFacets(bg, AlertGroupFilter{OrgID: tr.city.ID, State: AlertOpen})
		must(t, err)
		if fc.State[AlertOpen] != 2 || fc.State[AlertAssigned] != 1 || fc.Level["high"] != 1 || fc.Kind["sigma"] != 2 || fc.Kind["ioc"] != 1 {
			t.Fatalf("facets %+v", fc)
		}
		open, err := db.OpenAlertGroupCounts(bg, tr.city.ID)
		must(t, err)
		if len(open) != 3 || open["critical"] != 1 || open["high"] != 1 || open["low"] != 1 {
			t.Fatalf("open groups by level %v", open)
		}
		open, err = db.OpenAlertGroupCounts(bg, tr.countyB.ID)
		must(t, err)
		if len(open) != 1 || open["critical"] != 1 {
			t.Fatalf("county B open groups by level %v", open)
		}
		// A unit moving to another county takes its groups with it.
		h, err := db.Org(bg, tr.hospital.ID)
		must(t, err)
		must(t, db.MoveOrg(bg, h.ID, tr.countyB.ID, h.Version))
		for _, c := range []struct {
			org  int64
			want int
		}{{tr.countyA.ID, 0}, {tr.countyB.ID, 3}, {tr.city.ID, 3}, {tr.hospital.ID, 2}} {
			res, err := db.AlertGroups(bg, AlertGroupFilter{OrgID: c.org}, Page{})
			must(t, err)
			if res.Total != c.want {
				t.Errorf("org %d sees %d groups after the move, want %d", c.org, res.Total, c.want)
			}
		}
	})
}
