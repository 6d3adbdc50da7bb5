package app

import (
	"context"
	"io"

	"fenghuo/internal/audit"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// AuditEntries searches the audit log. Audit administrators see the entries
// of their org subtree (entries of failed log-ins for unknown names belong to
// no org and are shown to audit administrators of a root org only).
func (a *Core) AuditEntries(ctx context.Context, ac *Actor, f store.AuditFilter, p store.Page) (store.ListResult[audit.Entry], error) {
	if err := Require(ac, fenghuo.PermAuditRead); err != nil {
		return store.ListResult[audit.Entry]{}, err
	}
	f.OrgRootID = ac.Org.ID
	f.IncludeNoOrg = ac.Org.ParentID == 0
	res, err := a.db.AuditEntries(ctx, f, p)
	if err != nil {
		return res, err
	}
	return res, nil
}

// VerifyAudit checks the whole hash chain and names the first entry that
// was altered, removed or reordered.
func (a *Core) VerifyAudit(ctx context.Context, ac *Actor) (*audit.VerifyResult, error) {
	if ac != nil && ac.Via != "cli" && ac.Via != "system" {
		if err := Require(ac, fenghuo.PermAuditRead); err != nil {
			return nil, err
		}
	}
	res, err := a.chain.Verify(a.db.AuditIter(ctx), audit.VerifyOptions{})
	if err != nil {
		return nil, err
	}
	if ac != nil && ac.Via != "cli" {
		outcome := "success"
		if !res.OK {
			outcome = "failure"
		}
		a.RecordAlone(ctx, ac, "audit.verify", "audit", "", outcome, map[string]any{"entries": res.Checked})
	}
	return res, nil
}

// VerifyAuditFrom verifies the chain; head, when given as "SEQ:HASH", is the
// last anchor recorded earlier, so that a removed tail is caught too.
func (a *Core) VerifyAuditFrom(ctx context.Context, ac *Actor, head string) (*audit.VerifyResult, error) {
	opt := audit.VerifyOptions{}
	if head != "" {
		anchor, err := audit.ParseAnchor(head)
		if err != nil {
			return nil, fenghuo.FieldErrorf("head", "%q is not an anchor printed by an earlier verification (SEQ:HASH). / 锚点格式不正确。", head)
		}
		opt.Head = &anchor
	}
	return a.chain.Verify(a.db.AuditIter(ctx), opt)
}

// Backup writes a consistent copy of the database while it is in use, and
// audits it as an export.
func (a *Core) Backup(ctx context.Context, ac *Actor, w io.Writer) error {
	if err := a.db.Backup(ctx, w); err != nil {
		return err
	}
	return a.RecordAlone(ctx, ac, "export.backup", "database", "", "success", nil)
}
