package store

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"fenghuo/internal/audit"
	"fenghuo/internal/fenghuo"
)

func testChain(tb testing.TB) *audit.Chain {
	c, err := audit.NewChain(make([]byte, audit.KeySize))
	must(tb, err)
	return c
}

func TestAuditAppendListVerify(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		chain := testChain(t)
		head, err := db.AuditHead(bg)
		must(t, err)
		if head.Seq != 0 || string(head.Hash) != string(audit.Genesis()) {
			t.Fatalf("empty head: %v", head)
		}
		t0 := time.Date(2026, 3, 1, 9, 0, 0, 123456000, time.UTC)
		actions := []string{"auth.login.failure", "auth.login.success", "org.create", "org.update", "system.create", "auth.logout"}
		for i, a := range actions {
			outcome := audit.OutcomeSuccess
			if i == 0 {
				outcome = audit.OutcomeFailure
			}
			e := &audit.Entry{Time: t0.Add(time.Duration(i) * time.Minute), ActorID: int64(1 + i%2), ActorName: "alice",
				Action: a, ObjectType: "org", ObjectID: fmt.Sprint(i), Outcome: outcome, IP: "10.0.0.1", Detail: `{"n":` + fmt.Sprint(i) + `}`}
			must(t, db.AppendAudit(bg, chain, e))
			// SQLite numbers the entry at once; PostgreSQL's sealer does
			// (auditseal.go), by the time the head is read.
			if db.Engine() == SQLite && e.Seq != int64(i+1) {
				t.Fatalf("entry %d got seq %d", i, e.Seq)
			}
			if h, err := db.AuditHead(bg); err != nil || h.Seq != int64(i+1) {
				t.Fatalf("after entry %d the head is %v (%v)", i, h, err)
			}
		}
		// Several writers at once still make one unbroken chain.
		var wg sync.WaitGroup
		for w := 0; w < 4; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < 5; i++ {
					e := &audit.Entry{ActorID: 9, Action: "system.update", Outcome: audit.OutcomeSuccess}
					if err := db.AppendAudit(bg, chain, e); err != nil {
						t.Error(err)
					}
				}
			}()
		}
		wg.Wait()

		res, err := chain.Verify(db.AuditIter(bg), audit.VerifyOptions{})
		must(t, err)
		if !res.OK || res.Checked != 26 {
			t.Fatalf("verify: %+v %+v", res, res.Problem)
		}
		head, err = db.AuditHead(bg)
		must(t, err)
		if head.Seq != 26 || string(head.Hash) != string(res.Last.Hash) {
			t.Fatalf("head %v, last verified %v", head, res.Last)
		}

		list := func(f AuditFilter, p Page) []int64 {
			t.Helper()
			r, err := db.AuditEntries(bg, f, p)
			must(t, err)
			seqs := []int64{}
			for _, e := range r.Items {
				seqs = append(seqs, e.Seq)
			}
			return seqs
		}
		check := func(name string, got []int64, want ...int64) {
			t.Helper()
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("%s: got %v, want %v", name, got, want)
			}
		}
		check("auth prefix", list(AuditFilter{ActionPrefix: "auth"}, Page{}), 6, 2, 1)
		check("auth.login. prefix", list(AuditFilter{ActionPrefix: "auth.login."}, Page{}), 2, 1)
		check("exact", list(AuditFilter{ActionPrefix: "org.create"}, Page{}), 3)
		check("failure", list(AuditFilter{Outcome: audit.OutcomeFailure}, Page{}), 1)
		check("actor", list(AuditFilter{ActorID: 2, ObjectType: "org"}, Page{}), 6, 4, 2)
		check("object", list(AuditFilter{ObjectType: "org", ObjectID: "3"}, Page{}), 4)
		check("time", list(AuditFilter{From: t0.Add(time.Minute), To: t0.Add(3 * time.Minute)}, Page{}), 3, 2)
		check("page", list(AuditFilter{}, Page{Limit: 3, Offset: 2}), 24, 23, 22)

		got, err := db.AuditEntries(bg, AuditFilter{ObjectID: "0"}, Page{})
		must(t, err)
		if e := got.Items[0]; !e.Time.Equal(t0) || e.Detail != `{"n":0}` || e.IP != "10.0.0.1" {
			t.Errorf("entry 1 read back as %+v", e)
		}

		// An entry that does not follow the head is refused.
		stale := &audit.Entry{Seq: 3, Time: t0, Action: "x", Outcome: audit.OutcomeSuccess}
		must(t, chain.Seal(audit.Genesis(), stale))
		err = db.WithTx(bg, func(tx *Tx) error { return tx.InsertAudit(bg, stale) })
		wantCode(t, err, fenghuo.ECONFLICT)

		// Editing a row directly is caught by the verifier.
		_, err = db.write.Exec(db.d.rebind("UPDATE audit_entries SET actor_name = ? WHERE seq = ?"), "mallory", 4)
		must(t, err)
		res, err = chain.Verify(db.AuditIter(bg), audit.VerifyOptions{})
		must(t, err)
		if res.OK || res.Problem.Seq != 4 {
			t.Fatalf("tampering not found at 4: %+v %+v", res, res.Problem)
		}
	})
}

func TestAuditOrgScope(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		chain := testChain(t)
		tr := mustTree(t, db)
		for _, org := range []int64{tr.city.ID, tr.countyA.ID, tr.hospital.ID, tr.water.ID, 0} {
			must(t, db.AppendAudit(bg, chain, &audit.Entry{OrgID: org, Action: "x.y", Outcome: audit.OutcomeSuccess}))
		}
		count := func(f AuditFilter) int {
			t.Helper()
			r, err := db.AuditEntries(bg, f, Page{})
			must(t, err)
			return r.Total
		}
		for _, c := range []struct {
			f    AuditFilter
			want int
		}{
			{AuditFilter{OrgRootID: tr.countyA.ID}, 2},
			{AuditFilter{OrgRootID: tr.countyB.ID}, 1},
			{AuditFilter{OrgRootID: tr.city.ID}, 4},
			{AuditFilter{OrgRootID: tr.city.ID, IncludeNoOrg: true}, 5},
			{AuditFilter{OrgID: tr.countyA.ID}, 1},
		} {
			if got := count(c.f); got != c.want {
				t.Errorf("%+v: %d entries, want %d", c.f, got, c.want)
			}
		}
	})
}
