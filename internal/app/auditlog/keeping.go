package auditlog

import (
	"context"
	"encoding/json"

	"fenghuo/internal/app"
	"fenghuo/internal/audit"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// KeepingState returns the retention, the archives and the last anchor, for
// audit administrators.
func (a *Service) KeepingState(ctx context.Context, ac *app.Actor) (*Keeping, error) {
	if err := app.Require(ac, fenghuo.PermAuditRead); err != nil {
		return nil, err
	}
	k := a.core.Config().AuditKeeping
	interval := k.AnchorInterval
	if interval == 0 {
		interval = app.DefaultAnchorInterval
	}
	out := &Keeping{RetentionDays: int(a.retention().Hours() / 24), ArchiveDir: k.ArchiveDir, AnchorFile: k.AnchorFile,
		AnchorSyslog: k.AnchorSyslog, AnchorIntervalSeconds: int64(interval.Seconds())}
	if s, err := a.signingKey(false); err == nil && s != nil {
		out.SigningKeyID = audit.PublicKeyID(s.PublicKey())
	}
	var err error
	if out.Archives, err = a.core.DB().AuditArchiveState(ctx); err != nil {
		return nil, err
	}
	if out.LastAnchor, err = a.lastAnchorRecord(ctx); err != nil {
		return nil, err
	}
	return out, nil
}

// keepingSettings are the settings whose changes are audited.
type keepingSettings struct {
	RetentionDays         int    `json:"retention_days"`
	ArchiveDir            string `json:"archive_dir"`
	AnchorFile            string `json:"anchor_file"`
	AnchorSyslog          string `json:"anchor_syslog"`
	AnchorIntervalSeconds int64  `json:"anchor_interval_seconds"`
}

const keepingSettingKey = "audit.keeping.settings"

// RecordKeepingSettings audits a change of the keeping settings: the server
// reads them from its configuration at start, so it compares them with
// those it ran with last (kept in the settings table) and, when they
// differ, appends an audit.settings.update entry with both, in the
// transaction that stores the new ones. It reports whether they changed.
func (a *Service) RecordKeepingSettings(ctx context.Context) (bool, error) {
	k := a.core.Config().AuditKeeping
	interval := k.AnchorInterval
	if interval == 0 {
		interval = app.DefaultAnchorInterval
	}
	now := keepingSettings{RetentionDays: int(a.retention().Hours() / 24), ArchiveDir: k.ArchiveDir, AnchorFile: k.AnchorFile,
		AnchorSyslog: k.AnchorSyslog, AnchorIntervalSeconds: int64(interval.Seconds())}
	b, _ := json.Marshal(now)
	changed := false
	err := a.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		prevText, err := tx.Setting(ctx, keepingSettingKey)
		if err != nil && fenghuo.ErrorCode(err) != fenghuo.ENOTFOUND {
			return err
		}
		if prevText == string(b) {
			return nil
		}
		changed = true
		detail := map[string]any{"new": now}
		var prev keepingSettings
		if prevText != "" && json.Unmarshal([]byte(prevText), &prev) == nil {
			detail["old"] = prev
		}
		if err := a.core.Record(ctx, tx, app.SystemActor(), "audit.settings.update", "audit", "keeping", audit.OutcomeSuccess, detail); err != nil {
			return err
		}
		return tx.SetSetting(ctx, keepingSettingKey, string(b))
	})
	return changed, err
}
