package auditlog

import (
	"context"

	"fenghuo/internal/app"
	"fenghuo/internal/audit"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// AuditEntries searches the audit log; f.Kind keeps reads or changes
// (audit.KindRead, audit.KindChange). Audit administrators see the entries
// of their org subtree (entries of failed log-ins for unknown names belong to
// no org and are shown to audit administrators of a root org only).
func (a *Service) AuditEntries(ctx context.Context, ac *app.Actor, f store.AuditFilter, p store.Page) (store.ListResult[audit.Entry], error) {
	if err := app.Require(ac, fenghuo.PermAuditRead); err != nil {
		return store.ListResult[audit.Entry]{}, err
	}
	switch f.Kind {
	case "", audit.KindRead, audit.KindChange:
	default:
		return store.ListResult[audit.Entry]{}, fenghuo.FieldErrorf("audit_kind", "audit_kind %q is unknown: use read or change (empty for both). / 类别应为 read（读取）或 change（变更），留空为全部。", f.Kind)
	}
	f.OrgRootID = ac.Org.ID
	f.IncludeNoOrg = ac.Org.ParentID == 0
	res, err := a.core.DB().AuditEntries(ctx, f, p)
	if err != nil {
		return res, err
	}
	return res, nil
}

// VerifyAudit checks the whole log (VerifyLog) and names the first entry
// that was altered, removed or reordered; from the console and the API it
// is audited.
func (a *Service) VerifyAudit(ctx context.Context, ac *app.Actor) (*audit.LogResult, error) {
	if ac != nil && ac.Via != "cli" && ac.Via != "system" {
		if err := app.Require(ac, fenghuo.PermAuditRead); err != nil {
			return nil, err
		}
	}
	res, err := a.VerifyLog(ctx, nil)
	if err != nil {
		return nil, err
	}
	if ac != nil && ac.Via != "cli" {
		outcome := "success"
		if !res.OK {
			outcome = "failure"
		}
		a.core.RecordAlone(ctx, ac, "audit.verify", "audit", "", outcome, map[string]any{"entries": res.Checked, "archives": res.Archives, "anchors": res.Anchors})
	}
	return res, nil
}

// VerifyAuditFrom verifies the log as VerifyAudit does; head, when given as
// "SEQ:HASH", is an anchor recorded by hand earlier, checked besides the
// anchor file's.
func (a *Service) VerifyAuditFrom(ctx context.Context, ac *app.Actor, head string) (*audit.LogResult, error) {
	var h *audit.Anchor
	if head != "" {
		anchor, err := audit.ParseAnchor(head)
		if err != nil {
			return nil, fenghuo.FieldErrorf("head", "%q is not an anchor printed by an earlier verification (SEQ:HASH). / 锚点格式不正确。", head)
		}
		h = &anchor
	}
	return a.VerifyLog(ctx, h)
}
