package store

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"testing"

	"fenghuo/internal/audit"
	"fenghuo/internal/fenghuo"
)

// TestBackupTablesCoverSchema fails when a migration adds a table that
// backups neither carry nor deliberately leave out.
func TestBackupTablesCoverSchema(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		q := "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
		if db.Engine() == Postgres {
			q = "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
		}
		rows, err := db.read.Query(q)
		must(t, err)
		defer rows.Close()
		for rows.Next() {
			var name string
			must(t, rows.Scan(&name))
			covered := slices.Contains(notBackedUp, name) ||
				slices.ContainsFunc(backupTables, func(b backupTable) bool { return b.name == name })
			if !covered {
				t.Errorf("table %s is neither in backupTables nor in notBackedUp (backup.go)", name)
			}
		}
	})
}

// rowCounts counts the rows of every backed-up table.
func rowCounts(tb testing.TB, db *DB) map[string]int {
	tb.Helper()
	m := map[string]int{}
	for _, t := range backupTables {
		var n int
		must(tb, db.read.QueryRow("SELECT COUNT(*) FROM "+t.name).Scan(&n))
		m[t.name] = n
	}
	return m
}

// writeLoad keeps writing, each transaction an org, a system, an audit entry
// and the "load.n" setting, until ctx ends. It returns how many committed.
func writeLoad(ctx context.Context, tb testing.TB, db *DB, chain *audit.Chain, parent int64, started chan<- struct{}) int64 {
	var n atomic.Int64
	for i := 0; ctx.Err() == nil; i++ {
		err := db.WithTx(ctx, func(tx *Tx) error {
			o := &fenghuo.Org{ParentID: parent, Name: fmt.Sprintf("单位%04d", i), Level: fenghuo.LevelUnit, Type: fenghuo.OrgOperator}
			if err := tx.CreateOrg(ctx, o); err != nil {
				return err
			}
			s := &fenghuo.System{OrgID: o.ID, Name: "门户", Exposure: []fenghuo.Exposure{{Kind: "domain", Value: fmt.Sprintf("u%d.example.cn", i)}},
				Components: []fenghuo.Component{{Name: "nginx", Version: "1.24"}}}
			if err := tx.CreateSystem(ctx, s); err != nil {
				return err
			}
			if err := tx.AppendAudit(ctx, chain, &audit.Entry{Action: "org.create", ObjectType: "org", ObjectID: fmt.Sprint(o.ID), Outcome: audit.OutcomeSuccess}); err != nil {
				return err
			}
			return tx.SetSetting(ctx, "load.n", fmt.Sprint(i+1))
		})
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			tb.Errorf("load write %d: %v", i, err)
			break
		}
		if n.Add(1) == 20 && started != nil {
			close(started)
		}
	}
	return n.Load()
}

func TestBackupDuringWritesRestores(t *testing.T) {
	for _, src := range engines() {
		for _, dst := range engines() {
			t.Run(string(src)+"-to-"+string(dst), func(t *testing.T) {
				db := MustOpenDB(t, src)
				chain := testChain(t)
				tr := mustTree(t, db)
				u := mustUser(t, db, tr.hospital.ID, "alice", fenghuo.RoleAnalyst)
				must(t, db.CreateAPIToken(bg, &APIToken{UserID: u.ID, Name: "ci", TokenHash: "th", Scopes: []string{"read"}}))
				must(t, db.CreateSession(bg, &Session{IDHash: "sess", UserID: u.ID, ExpiresAt: db.now().Add(3600e9)}))
				// A moved org gets a parent with a higher ID than itself: the
				// restore order must still satisfy the foreign key.
				late := mustOrg(t, db, 0, "后建上级", fenghuo.LevelCounty, fenghuo.OrgRegulator)
				must(t, db.MoveOrg(bg, tr.countyA.ID, late.ID, tr.countyA.Version))

				ctx, stop := context.WithCancel(bg)
				started := make(chan struct{})
				var wg sync.WaitGroup
				var written int64
				wg.Add(1)
				go func() { defer wg.Done(); written = writeLoad(ctx, t, db, chain, tr.water.ID, started) }()
				<-started
				var buf bytes.Buffer
				err := db.Backup(bg, &buf)
				stop()
				wg.Wait()
				must(t, err)

				restored := MustOpenDB(t, dst)
				must(t, restored.Restore(bg, bytes.NewReader(buf.Bytes())))
				// A PostgreSQL source may carry entries committed but not yet
				// sealed (audit_pending): the restored store seals them, on
				// either engine, once it has the key.
				before := rowCounts(t, restored)
				if src == SQLite && before["audit_pending"] != 0 {
					t.Errorf("an SQLite backup carries %d unsealed entries", before["audit_pending"])
				}
				restored.UseAuditChain(chain)
				_, err = restored.SealPendingAudit(bg)
				must(t, err)
				got := rowCounts(t, restored)
				if got["audit_entries"] != before["audit_entries"]+before["audit_pending"] {
					t.Errorf("sealing the restored pending entries: %d sealed and %d pending became %d", before["audit_entries"], before["audit_pending"], got["audit_entries"])
				}

				// The copy is one snapshot: as many load orgs, systems and
				// audit entries as the counter it carries says.
				v, err := restored.Setting(bg, "load.n")
				must(t, err)
				var n int
				fmt.Sscan(v, &n)
				t.Logf("backup holds %d of %d load transactions", n, written)
				if n < 20 || int64(n) > written {
					t.Fatalf("backup holds %d load transactions; %d were written, at least 20 before the backup", n, written)
				}
				want := map[string]int{"settings": 1, "orgs": 7 + n, "systems": n, "system_exposures": n, "system_components": n,
					"users": 1, "api_tokens": 1, "audit_entries": n, "audit_head": 1, "audit_pending": 0}
				keys := make([]string, 0, len(want))
				for k := range want {
					keys = append(keys, k)
				}
				sort.Strings(keys)
				for _, k := range keys {
					if got[k] != want[k] {
						t.Errorf("restored %s: %d rows, want %d", k, got[k], want[k])
					}
				}
				res, err := chain.Verify(restored.AuditIter(bg), audit.VerifyOptions{})
				must(t, err)
				if !res.OK || res.Checked != int64(n) {
					t.Fatalf("restored audit chain: %+v %+v", res, res.Problem)
				}
				// Sessions are not carried over; the restored database keeps working.
				if s, _ := restored.UserSessions(bg, u.ID); len(s) != 0 {
					t.Errorf("sessions were restored: %+v", s)
				}
				hosp, err := restored.Org(bg, tr.hospital.ID)
				must(t, err)
				if hosp.Path != late.Path+itoa(tr.countyA.ID)+"/"+itoa(tr.hospital.ID)+"/" {
					t.Errorf("restored path %q", hosp.Path)
				}
				o := mustOrg(t, restored, tr.city.ID, "恢复后新建", fenghuo.LevelUnit, fenghuo.OrgOperator)
				if o.ID <= late.ID {
					t.Errorf("new org after restore got ID %d, not past the restored ones", o.ID)
				}
				must(t, restored.AppendAudit(bg, chain, &audit.Entry{Action: "backup.restore", Outcome: audit.OutcomeSuccess}))

				// A second restore into the now non-empty database is refused.
				wantCode(t, restored.Restore(bg, bytes.NewReader(buf.Bytes())), fenghuo.ECONFLICT)
			})
		}
	}
}

func TestRestoreRejectsGarbage(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		wantCode(t, db.Restore(bg, bytes.NewReader([]byte("hello"))), fenghuo.EINVALID)
		var buf bytes.Buffer
		must(t, db.backupJSON(bg, &buf))
		cut := buf.Bytes()[:buf.Len()/2]
		if err := db.Restore(bg, bytes.NewReader(cut)); err == nil {
			t.Fatal("a truncated archive restored")
		}
		must(t, db.Restore(bg, bytes.NewReader(buf.Bytes())))
	})
}
