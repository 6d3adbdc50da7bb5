package directory

import (
	"context"
	"encoding/hex"
	"errors"
	"hash"
	"io"
	"log/slog"
	"strconv"

	"github.com/emmansun/gmsm/sm3"

	"fenghuo/internal/app"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/guard"
	"fenghuo/internal/sheets"
	"fenghuo/internal/store"
)

// systemOrg loads the owner org of a system and checks the actor's right
// over it.
func (a *Service) systemOrg(ctx context.Context, tx *store.Tx, ac *app.Actor, orgID int64, p fenghuo.Permission) (*fenghuo.Org, error) {
	o, err := tx.Org(ctx, orgID)
	if err != nil {
		if fenghuo.ErrorCode(err) == fenghuo.ENOTFOUND {
			return nil, fenghuo.FieldErrorf("org_id", "The owner unit does not exist. / 所属单位不存在。")
		}
		return nil, err
	}
	if !fenghuo.InSubtree(ac.Org.Path, o.Path) {
		return nil, fenghuo.FieldErrorf("org_id", "The owner unit does not exist. / 所属单位不存在。")
	}
	if !ac.Can(p) {
		return nil, app.ErrForbidden
	}
	return o, nil
}

// System returns a system whose owner is in the actor's subtree.
func (a *Service) System(ctx context.Context, ac *app.Actor, id int64) (*fenghuo.System, error) {
	return a.core.VisibleSystem(ctx, ac, id)
}

// Systems lists the systems of the actor's subtree (or of one org in it).
func (a *Service) Systems(ctx context.Context, ac *app.Actor, f store.SystemFilter, p store.Page) (store.ListResult[fenghuo.System], error) {
	if err := app.Require(ac, fenghuo.PermSystemRead); err != nil {
		return store.ListResult[fenghuo.System]{}, err
	}
	root := ac.Org.ID
	if f.OrgID != 0 {
		if _, err := a.Org(ctx, ac, f.OrgID); err != nil {
			return store.ListResult[fenghuo.System]{}, err
		}
		root = f.OrgID
	}
	return a.core.DB().SubtreeSystems(ctx, root, f, p)
}

// CountSystems counts the systems of the actor's subtree (the
// dashboard's figure) without reading any.
func (a *Service) CountSystems(ctx context.Context, ac *app.Actor) (int, error) {
	if err := app.Require(ac, fenghuo.PermSystemRead); err != nil {
		return 0, err
	}
	return a.core.DB().CountSubtreeSystems(ctx, ac.Org.ID, store.SystemFilter{})
}

// CreateSystem registers a system for a unit in the actor's subtree.
func (a *Service) CreateSystem(ctx context.Context, ac *app.Actor, s *fenghuo.System) error {
	return a.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		if _, err := a.systemOrg(ctx, tx, ac, s.OrgID, fenghuo.PermSystemWrite); err != nil {
			return err
		}
		if err := tx.CreateSystem(ctx, s); err != nil {
			return err
		}
		return a.core.Record(ctx, tx, ac, "system.create", "system", strconv.FormatInt(s.ID, 10), "success", map[string]any{"name": s.Name, "org_id": s.OrgID})
	})
}

// UpdateSystem changes a system; moving it to another unit needs the right
// over both units.
func (a *Service) UpdateSystem(ctx context.Context, ac *app.Actor, s *fenghuo.System) error {
	return a.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		old, err := tx.System(ctx, s.ID)
		if err != nil {
			return err
		}
		oldOrg, err := tx.Org(ctx, old.OrgID)
		if err != nil {
			return err
		}
		if err := app.RequireAt(ac, fenghuo.PermSystemWrite, oldOrg.Path, "System", s.ID); err != nil {
			return err
		}
		if s.OrgID != old.OrgID {
			if _, err := a.systemOrg(ctx, tx, ac, s.OrgID, fenghuo.PermSystemWrite); err != nil {
				return err
			}
		}
		if err := tx.UpdateSystem(ctx, s); err != nil {
			return err
		}
		return a.core.Record(ctx, tx, ac, "system.update", "system", strconv.FormatInt(s.ID, 10), "success", map[string]any{"name": s.Name, "org_id": s.OrgID})
	})
}

// DeleteSystem removes a system registered by mistake. (A system taken out
// of service is kept and marked retired instead.)
func (a *Service) DeleteSystem(ctx context.Context, ac *app.Actor, id int64, version int) error {
	return a.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		old, err := tx.System(ctx, id)
		if err != nil {
			return err
		}
		o, err := tx.Org(ctx, old.OrgID)
		if err != nil {
			return err
		}
		if err := app.RequireAt(ac, fenghuo.PermSystemWrite, o.Path, "System", id); err != nil {
			return err
		}
		if err := tx.DeleteSystem(ctx, id, version); err != nil {
			return err
		}
		return a.core.Record(ctx, tx, ac, "system.delete", "system", strconv.FormatInt(id, 10), "success", map[string]any{"name": old.Name})
	})
}

// ImportRow is one spreadsheet row to import: the system and its owner
// unit as the spreadsheet names it.
type ImportRow struct {
	Row    int
	OrgRef string
	System fenghuo.System
}

// ImportError is a problem of one row.
type ImportError struct {
	Row     int    `json:"row"`
	Column  string `json:"column,omitempty"`
	Message string `json:"message"`
}

// ImportSystems stores every row or none: owner units are resolved by ID or
// by name within the actor's subtree, every system is validated, and any
// problem in any row aborts the whole import with the list of problems.
func (a *Service) ImportSystems(ctx context.Context, ac *app.Actor, rows []ImportRow) ([]ImportError, error) {
	if err := app.Require(ac, fenghuo.PermSystemWrite); err != nil {
		return nil, err
	}
	var orgs []fenghuo.Org
	err := a.core.DB().View(ctx, func(tx *store.Tx) error {
		var err error
		orgs, err = app.AllSubtree(ctx, tx, ac.Org.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	byName := map[string]int64{}
	byID := map[int64]bool{}
	for _, o := range orgs {
		byName[o.Name] = o.ID
		if o.ShortName != "" {
			byName[o.ShortName] = o.ID
		}
		byID[o.ID] = true
	}
	var problems []ImportError
	for i := range rows {
		r := &rows[i]
		if id, err := strconv.ParseInt(r.OrgRef, 10, 64); err == nil && byID[id] {
			r.System.OrgID = id
		} else if id, ok := byName[r.OrgRef]; ok {
			r.System.OrgID = id
		} else {
			problems = append(problems, ImportError{Row: r.Row, Column: "所属单位 / owner unit",
				Message: "No organisation of that name in your scope: write the unit's full name as registered. / 所属单位不存在或不在您的管辖范围内，请填写已登记的单位全称。"})
			continue
		}
		err := r.System.Validate()
		if err == nil {
			err = store.NormaliseComponents(&r.System) // risk notices (P3): versions that read as versions
		}
		if err != nil {
			var col string
			if fe, ok := err.(*fenghuo.Error); ok {
				col = fe.Field
			}
			problems = append(problems, ImportError{Row: r.Row, Column: col, Message: fenghuo.ErrorMessage(err)})
		}
	}
	if len(problems) > 0 {
		return problems, fenghuo.Errorf(fenghuo.EINVALID, "%d problem(s) in the spreadsheet: nothing was imported. / 表格中有%d处错误，未导入任何数据。", len(problems), len(problems))
	}
	return nil, a.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		for i := range rows {
			if err := tx.CreateSystem(ctx, &rows[i].System); err != nil {
				return err
			}
		}
		return a.core.Record(ctx, tx, ac, "system.import", "system", "", "success", map[string]any{"rows": len(rows)})
	})
}

// ImportSystemsFile reads a register as units hand it in (XLSX or CSV,
// UTF-8 or GBK, told apart by the file name) and imports it with
// ImportSystems: all rows or none. On problems it returns them with an
// EINVALID error; an unreadable file is an error without problems.
func (a *Service) ImportSystemsFile(ctx context.Context, ac *app.Actor, filename string, r io.Reader) (int, []ImportError, error) {
	if err := app.Require(ac, fenghuo.PermSystemWrite); err != nil {
		return 0, nil, err
	}
	// The file comes from outside: a panic while reading it is an error for
	// this upload (logged with the SM3 of what was read), not a crash.
	read := sm3.New()
	var rows []sheets.SystemRow
	var pe *guard.PanicError
	err := guard.Run(a.core.Logger(), "register_import", func() error {
		var err error
		rows, err = parseSystems(filename, io.TeeReader(r, read), sheets.DefaultMaxBytes)
		return err
	}, "file", filename, "input_sm3", lazyDigest{read})
	if errors.As(err, &pe) {
		return 0, nil, fenghuo.Errorf(fenghuo.EINVALID, "The file could not be read: it is malformed in a way the reader does not handle (logged for the administrators). Save it again as .xlsx or UTF-8 .csv and upload it. / 文件无法解析（已记录），请另存为xlsx或UTF-8编码的csv后重新上传。")
	}
	if err != nil {
		return 0, nil, err
	}
	var in []ImportRow
	var problems []ImportError
	for _, row := range rows {
		for _, e := range row.Errors {
			problems = append(problems, ImportError{Row: e.Row, Column: e.Column, Message: e.Message})
		}
		in = append(in, ImportRow{Row: row.Row, OrgRef: row.OrgRef, System: row.System})
	}
	if len(problems) > 0 {
		return 0, problems, fenghuo.Errorf(fenghuo.EINVALID, "%d problem(s) in the spreadsheet: nothing was imported. / 表格中有%d处错误，未导入任何数据。", len(problems), len(problems))
	}
	if problems, err := a.ImportSystems(ctx, ac, in); err != nil {
		return 0, problems, err
	}
	return len(in), nil, nil
}

// parseSystems reads a register file; a variable so that a test can make it
// crash.
var parseSystems = sheets.ParseSystems

// lazyDigest logs the SM3 of what a reader passed on, when the log line is
// written.
type lazyDigest struct{ h hash.Hash }

func (d lazyDigest) LogValue() slog.Value { return slog.StringValue(hex.EncodeToString(d.h.Sum(nil))) }
