package auditlog

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/audit"
	"fenghuo/internal/durable"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// archiveBatch is how many entries one archive file holds at most: about
// 5 MB, read whole when it is checked.
var archiveBatch = 10000

// archivePassEvery is how often the scheduler's archive pass looks for
// entries past the retention.
const archivePassEvery = time.Hour

// ArchiveRun says what one archive run did.
type ArchiveRun struct {
	// Files are the archive files recorded by this run (a file left by an
	// interrupted run and completed now among them).
	Files []string
	// Entries is how many entries left the database.
	Entries int64
	// Before is the time entries had to be older than.
	Before time.Time
}

// retention is the configured retention, never below six months.
func (a *Service) retention() time.Duration {
	r := a.core.Config().AuditKeeping.Retention
	if r == 0 {
		r = app.DefaultAuditRetention
	}
	return max(r, app.MinAuditRetention)
}

// Archive writes the entries older than the retention (and than before,
// when it is set and earlier) to signed archive files in the archive
// directory, archiveBatch entries per file, and removes each file's entries
// from the database once the file is durably written, recording the archive
// in the same transaction. A file left by an interrupted run (written, its
// entries not yet removed) is checked and completed first, so a crash
// between the two steps loses nothing and makes no duplicate. Each archive
// is audited (audit.archive).
func (a *Service) Archive(ctx context.Context, ac *app.Actor, before time.Time) (*ArchiveRun, error) {
	if ac == nil || (ac.Via != "cli" && ac.Via != "system") {
		return nil, app.ErrForbidden // the archive belongs to the server itself
	}
	k := a.core.Config().AuditKeeping
	if k.ArchiveDir == "" {
		return nil, fenghuo.Errorf(fenghuo.EINVALID, "Archiving needs an archive directory (audit_archive_dir). / 归档需要归档目录。")
	}
	// The key is created for the first archive; once archives exist a
	// missing key file is an error, never a new key.
	_, hasArchives, err := a.core.DB().LastAuditArchive(ctx)
	if err != nil {
		return nil, err
	}
	signer, err := a.signingKey(!hasArchives)
	if err != nil {
		return nil, fmt.Errorf("audit-signing key: %w", err)
	}
	if signer == nil {
		return nil, fenghuo.Errorf(fenghuo.EINVALID, "Archiving needs the audit-signing key. / 归档需要审计签名密钥。")
	}
	cutoff := a.core.Now().Add(-a.retention())
	if !before.IsZero() {
		if before.After(cutoff) {
			return nil, fenghuo.FieldErrorf("before", "%s is within the retention of %d days: entries after %s stay in the database. / 该日期在 %d 天的保存期限内，此后的审计记录须留在数据库中。",
				before.Format(time.DateOnly), int(a.retention().Hours()/24), cutoff.Format(time.DateOnly), int(a.retention().Hours()/24))
		}
		cutoff = before
	}
	if err := os.MkdirAll(k.ArchiveDir, 0o700); err != nil {
		return nil, fmt.Errorf("audit archive directory: %w", err)
	}
	run := &ArchiveRun{Before: cutoff}
	db := a.core.DB()
	for ctx.Err() == nil {
		var cp audit.Anchor
		if err := db.View(ctx, func(tx *store.Tx) error {
			var err error
			cp, err = tx.AuditCheckpoint(ctx)
			return err
		}); err != nil {
			return run, err
		}
		// A file written by an interrupted run continues the checkpoint.
		pending, err := a.pendingArchive(k.ArchiveDir, cp.Seq)
		if err != nil {
			return run, err
		}
		if pending != "" {
			done, err := a.completeArchive(ctx, ac, signer, run, pending, cp, cutoff)
			if err != nil || !done {
				return run, err
			}
			continue
		}
		entries, err := db.AuditEntriesToArchive(ctx, cp.Seq, cutoff, archiveBatch)
		if err != nil || len(entries) == 0 {
			return run, err
		}
		var buf bytes.Buffer
		h, err := a.core.Chain().WriteArchive(&buf, signer, cp, entries, a.core.Now())
		if err != nil {
			return run, err
		}
		name := audit.ArchiveName(cp.Seq+1, h.Last.Seq)
		if err := durable.CreateNew(filepath.Join(k.ArchiveDir, name), 0o640, buf.Bytes()); err != nil {
			return run, fmt.Errorf("audit archive %s: %w", name, err)
		}
		if _, err := a.completeArchive(ctx, ac, signer, run, name, cp, cutoff); err != nil {
			return run, err
		}
	}
	return run, ctx.Err()
}

// pendingArchive returns the archive file that starts right after the
// checkpoint, if there is one: written, its entries not yet removed.
func (a *Service) pendingArchive(dir string, cpSeq int64) (string, error) {
	names, err := archiveNames(dir)
	if err != nil {
		return "", err
	}
	for _, n := range names {
		if first, _, _ := audit.ParseArchiveName(n); first == cpSeq+1 {
			return n, nil
		}
	}
	return "", nil
}

// completeArchive checks the archive file name (it must be intact and
// continue cp), then removes its entries from the database and records it.
// done is false when its entries are still within the retention (the
// retention grew since it was written): they stay until they are older.
func (a *Service) completeArchive(ctx context.Context, ac *app.Actor, signer *audit.Signer, run *ArchiveRun, name string, cp audit.Anchor, cutoff time.Time) (done bool, err error) {
	k := a.core.Config().AuditKeeping
	path := filepath.Join(k.ArchiveDir, name)
	data, err := os.ReadFile(path)
	if err != nil {
		return false, err
	}
	check, err := a.core.Chain().CheckArchive(name, data, signer.PublicKey(), cp)
	if err != nil {
		return false, err
	}
	h, problem := check.Header, check.Problem
	if problem != nil {
		return false, fenghuo.Errorf(fenghuo.ECONFLICT, "Archive %s cannot be completed: %s Nothing was removed from the database; move the file away and archive again. / 归档文件 %s 无法完成：%s 数据库中的记录未删除；请移走该文件后重新归档。",
			name, problem.Message, name, problem.MessageZH)
	}
	if !check.Newest.Before(cutoff) {
		// Written under a shorter retention (or --before) than now applies:
		// its entries stay in the database until they are old enough.
		a.core.Logger().Info("audit archive waits: its entries are within the retention", "file", name, "newest", check.Newest)
		return false, nil
	}
	rec := store.AuditArchive{FirstSeq: h.After.Seq + 1, LastSeq: h.Last.Seq, LastHash: h.Last.Hash, File: name, Entries: h.Entries, Created: h.Created}
	err = a.core.DB().RecordAuditArchive(ctx, rec, cutoff)
	if fenghuo.ErrorCode(err) == fenghuo.ECONFLICT {
		last, ok, lerr := a.core.DB().LastAuditArchive(ctx)
		if lerr != nil {
			return false, lerr
		}
		if ok && last.LastSeq >= rec.FirstSeq {
			// Another replica recorded (some of) these entries meanwhile; a
			// file of ours that the database does not name would overlap
			// its own. The next round starts from its checkpoint.
			if last.File != name {
				if rerr := os.Remove(path); rerr != nil && !errors.Is(rerr, fs.ErrNotExist) {
					return false, rerr
				}
			}
			return true, nil
		}
	}
	if err != nil {
		return false, err
	}
	run.Files = append(run.Files, name)
	run.Entries += rec.Entries
	return true, a.core.RecordAlone(ctx, ac, "audit.archive", "audit", name, audit.OutcomeSuccess,
		map[string]any{"file": name, "first": rec.FirstSeq, "last": rec.LastSeq, "entries": rec.Entries, "dir": k.ArchiveDir})
}

// archiveNames lists the archive files of dir in seq order.
func archiveNames(dir string) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range ents {
		if _, _, ok := audit.ParseArchiveName(e.Name()); ok && e.Type().IsRegular() {
			names = append(names, e.Name())
		}
	}
	return names, nil // ReadDir sorts by name, which is seq order
}

// ArchivePass is the scheduler's archive pass: at most hourly, it archives
// what is past the retention. Problems are logged, never returned, so that
// the obligations of the same pass still run.
func (a *Service) ArchivePass(ctx context.Context) (int, error) {
	if a.core.Config().AuditKeeping.ArchiveDir == "" {
		return 0, nil
	}
	now := a.core.Now()
	a.mu.Lock()
	due := a.lastArchivePass.IsZero() || now.Sub(a.lastArchivePass) >= archivePassEvery
	if due {
		a.lastArchivePass = now
	}
	a.mu.Unlock()
	if !due {
		return 0, nil
	}
	run, err := a.Archive(ctx, app.SystemActor(), time.Time{})
	if err != nil {
		archiveFailures.Inc()
		a.core.Logger().Error("audit archive", "err", err)
		return 0, nil
	}
	if len(run.Files) > 0 {
		a.core.Logger().Info("audit entries archived", "files", len(run.Files), "entries", run.Entries, "before", run.Before)
	}
	return int(run.Entries), nil
}
