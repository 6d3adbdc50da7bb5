package app

import (
	"context"
	"io"
)

// Backup writes a consistent copy of the database while it is in use, and
// audits it as an export.
func (a *Core) Backup(ctx context.Context, ac *Actor, w io.Writer) error {
	if err := a.db.Backup(ctx, w); err != nil {
		return err
	}
	return a.RecordAlone(ctx, ac, "export.backup", "database", "", "success", nil)
}
