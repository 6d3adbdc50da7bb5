package auditlog

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"fenghuo/internal/audit"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// VerifyLog checks the whole audit log: the signed archives in the archive
// directory, the database's chain from the last archive's checkpoint on,
// and every anchor in the anchor file (the newest must still be reached);
// head is an anchor given by hand, or nil. It reads no more than one archive
// at a time.
func (a *Service) VerifyLog(ctx context.Context, head *audit.Anchor) (*audit.LogResult, error) {
	k := a.core.Config().AuditKeeping
	db := a.core.DB()
	src := audit.LogSources{Head: head}
	last, ok, err := db.LastAuditArchive(ctx)
	if err != nil {
		return nil, err
	}
	src.Checkpoint = audit.Anchor{Hash: audit.Genesis()}
	if ok {
		src.Checkpoint, src.CheckpointFile = last.Checkpoint(), last.File
	}
	if k.ArchiveDir != "" {
		names, err := archiveNames(k.ArchiveDir)
		if err != nil {
			return nil, err
		}
		for _, n := range names {
			path := filepath.Join(k.ArchiveDir, n)
			src.Archives = append(src.Archives, audit.ArchiveFile{Name: n, Read: func() ([]byte, error) { return os.ReadFile(path) }})
		}
	}
	if len(src.Archives) > 0 || ok {
		signer, err := a.signingKey(false)
		if err == nil && signer == nil {
			err = errors.New("none configured")
		}
		if err != nil {
			return nil, fenghuo.Errorf(fenghuo.EINVALID, "The audit log has archives, and checking them needs the audit-signing key (keys/audit-signing.key): %v. / 审计日志已有归档，校验归档需要审计签名密钥。", err)
		}
		src.PublicKey = signer.PublicKey()
	}
	if k.AnchorFile != "" {
		f, err := os.Open(k.AnchorFile)
		switch {
		case errors.Is(err, fs.ErrNotExist):
		case err != nil:
			return nil, err
		default:
			src.Anchors, err = audit.ReadAnchorLines(f, k.AnchorFile)
			f.Close()
			if err != nil {
				return nil, err
			}
		}
	}
	src.Database = db.AuditIterAfter(ctx, src.Checkpoint.Seq)
	return a.core.Chain().VerifyLog(src)
}

// Keeping is what the console and the API show of the log's keeping.
type Keeping struct {
	RetentionDays int
	ArchiveDir    string
	Archives      store.AuditArchiveState
	AnchorFile    string
	AnchorSyslog  string
	// AnchorInterval in seconds.
	AnchorIntervalSeconds int64
	// LastAnchor is the last anchor written by any replica, nil if none.
	LastAnchor *AnchorRecord
	// SigningKeyID names the audit-signing key (audit.PublicKeyID).
	SigningKeyID string
}
