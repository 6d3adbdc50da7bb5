package store

import (
	"testing"
	"time"

	"fenghuo/internal/audit"
	"fenghuo/internal/fenghuo"
)

func TestRecordAuditArchive(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		chain := testChain(t)
		t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		var log []audit.Entry
		for i := range 30 {
			e := &audit.Entry{Time: t0.Add(time.Duration(i) * time.Hour), Action: "org.update", Outcome: audit.OutcomeSuccess}
			must(t, db.AppendAudit(bg, chain, e))
		}
		// As stored and sealed (on PostgreSQL by the sealer, auditseal.go).
		for e, err := range db.AuditIter(bg) {
			must(t, err)
			log = append(log, e)
		}
		cutoff := t0.Add(20 * time.Hour) // entries 1-20 are older
		old, err := db.AuditEntriesToArchive(bg, 0, cutoff, 100)
		must(t, err)
		if len(old) != 20 || old[0].Seq != 1 || old[19].Seq != 20 {
			t.Fatalf("entries to archive: %d", len(old))
		}
		if more, _ := db.AuditEntriesToArchive(bg, 5, cutoff, 10); len(more) != 10 || more[0].Seq != 6 {
			t.Fatalf("after 5, limit 10: %d", len(more))
		}

		a := AuditArchive{FirstSeq: 1, LastSeq: 10, LastHash: log[9].Hash, File: audit.ArchiveName(1, 10), Entries: 10, Created: t0.Add(48 * time.Hour)}
		for name, bad := range map[string]struct {
			a      AuditArchive
			before time.Time
		}{
			"not from the start":     {AuditArchive{FirstSeq: 2, LastSeq: 10, LastHash: log[9].Hash, File: "x", Entries: 9}, cutoff},
			"another last hash":      {AuditArchive{FirstSeq: 1, LastSeq: 10, LastHash: log[8].Hash, File: "x", Entries: 10}, cutoff},
			"within the retention":   {a, t0.Add(5 * time.Hour)},
			"more than the database": {AuditArchive{FirstSeq: 1, LastSeq: 31, LastHash: log[9].Hash, File: "x", Entries: 31}, t0.Add(99 * time.Hour)},
		} {
			if err := db.RecordAuditArchive(bg, bad.a, bad.before); fenghuo.ErrorCode(err) != fenghuo.ECONFLICT {
				t.Errorf("%s: %v, want ECONFLICT", name, err)
			}
		}
		if use, _ := db.KeyUse(bg); use.AuditEntries != 30 || use.AuditArchives != 0 {
			t.Fatalf("nothing may have been removed: %+v", use)
		}
		must(t, db.RecordAuditArchive(bg, a, cutoff))
		if err := db.RecordAuditArchive(bg, a, cutoff); fenghuo.ErrorCode(err) != fenghuo.ECONFLICT {
			t.Errorf("the same archive twice: %v", err)
		}
		use, err := db.KeyUse(bg)
		must(t, err)
		if use.AuditEntries != 20 || use.AuditArchives != 1 || use.New() {
			t.Fatalf("after archiving 10: %+v", use)
		}
		last, ok, err := db.LastAuditArchive(bg)
		must(t, err)
		if !ok || last.File != a.File || last.Checkpoint().String() != log[9].Anchor().String() || !last.Created.Equal(a.Created) {
			t.Fatalf("last archive %+v", last)
		}
		must(t, db.RecordAuditArchive(bg, AuditArchive{FirstSeq: 11, LastSeq: 20, LastHash: log[19].Hash, File: audit.ArchiveName(11, 20), Entries: 10}, cutoff))
		st, err := db.AuditArchiveState(bg)
		must(t, err)
		if st.Archives != 2 || st.ArchivedEntries != 20 || st.Last.LastSeq != 20 {
			t.Fatalf("state %+v", st)
		}
		var cp audit.Anchor
		must(t, db.View(bg, func(tx *Tx) error { cp, err = tx.AuditCheckpoint(bg); return err }))
		res, err := chain.Verify(db.AuditIterAfter(bg, cp.Seq), audit.VerifyOptions{After: cp})
		must(t, err)
		if !res.OK || res.Checked != 10 || res.Last.Seq != 30 {
			t.Fatalf("the database's chain from the checkpoint: %+v", res)
		}
		// Appending goes on from the head.
		e := &audit.Entry{Action: "org.update", Outcome: audit.OutcomeSuccess}
		must(t, db.AppendAudit(bg, chain, e))
		if h, err := db.AuditHead(bg); err != nil || h.Seq != 31 {
			t.Errorf("next seq %v (%v)", h, err)
		}
	})
}
