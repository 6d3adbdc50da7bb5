package store

import (
	"fmt"
	"sync"
	"testing"

	"fenghuo/internal/audit"
)

// Two handles on one database stand for two replicas: their writers append
// at once, entries a stopped replica committed unsealed are picked up by
// the other, and the log is one unbroken chain with nothing left pending.
func TestAuditSealedAcrossReplicas(t *testing.T) {
	for _, e := range engines() {
		t.Run(string(e), func(t *testing.T) {
			dsn := MustNewDSN(t, e)
			replicas := []*DB{MustOpenDSN(t, dsn), MustOpenDSN(t, dsn)}
			chain := testChain(t)
			var wg sync.WaitGroup
			for r, db := range replicas {
				for w := range 4 {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for i := range 10 {
							err := db.WithTx(bg, func(tx *Tx) error {
								if err := tx.SetSetting(bg, fmt.Sprintf("load.%d.%d", r, w), fmt.Sprint(i)); err != nil {
									return err
								}
								return tx.AppendAudit(bg, chain, &audit.Entry{ActorName: fmt.Sprintf("r%dw%d", r, w), Action: "org.update",
									ObjectID: fmt.Sprint(i), Outcome: audit.OutcomeSuccess})
							})
							if err != nil {
								t.Error(err)
								return
							}
						}
					}()
				}
			}
			wg.Wait()
			// What a replica killed between its commit and its sealer's
			// round leaves behind (on SQLite only a restore brings such rows).
			for i := range 3 {
				_, err := replicas[1].write.Exec(replicas[1].d.rebind(`INSERT INTO audit_pending (at_us, actor_name, action, object_id, outcome)
					VALUES (?, 'killed', 'org.update', ?, 'success')`), 1_800_000_000_000_000+int64(i), fmt.Sprint(i))
				must(t, err)
			}
			if e == SQLite {
				// SQLite seals such rows when a process takes the key, as
				// serve does at start after a restore.
				MustOpenDSN(t, dsn).UseAuditChain(chain)
			}
			res, err := chain.Verify(replicas[0].AuditIter(bg), audit.VerifyOptions{})
			must(t, err)
			if !res.OK || res.Checked != 83 {
				t.Fatalf("verify: %+v %+v", res, res.Problem)
			}
			n, oldest, err := replicas[1].AuditUnsealed(bg)
			must(t, err)
			if n != 0 || !oldest.IsZero() {
				t.Errorf("after a read %d entries are still unsealed (oldest %v)", n, oldest)
			}
			head, err := replicas[1].AuditHead(bg)
			must(t, err)
			if head.Seq != 83 || head.String() != res.Last.String() {
				t.Errorf("head %v, verified up to %v", head, res.Last)
			}
		})
	}
}
