package intel

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/ingest/ioc"
	"fenghuo/internal/store"
)

// Rights: every reader of incidents reads the library it may see under
// TLP; recording, editing, revoking and importing indicators for an org
// takes incident.write over it (units record what they find, offices
// share what they learn).
const (
	permRead  = fenghuo.PermIncidentRead
	permWrite = fenghuo.PermIncidentWrite
)

// MaxImportBytes bounds an imported document.
const MaxImportBytes = 32 << 20

// MaxExport bounds the indicators of one export.
const MaxExport = 100_000

// Input is an indicator as a person writes it. OrgID is the owner (0: the
// actor's own org).
type Input struct {
	OrgID       int64
	Type        ioc.Type
	Value       string
	Name        string
	Description string
	Source      string
	Confidence  int
	TLP         ioc.TLP
	ValidFrom   time.Time
	ValidUntil  time.Time
}

// owner is the org an indicator is recorded for, with the right to do so.
func owner(ctx context.Context, tx *store.Tx, ac *app.Actor, orgID int64) (*fenghuo.Org, error) {
	if orgID == 0 {
		orgID = ac.Org.ID
	}
	org, err := tx.Org(ctx, orgID)
	if err != nil {
		return nil, err
	}
	if err := app.RequireAt(ac, permWrite, org.Path, "Org", orgID); err != nil {
		return nil, err
	}
	return org, nil
}

// List is the library the actor's org may see, newest first.
func (s *Service) List(ctx context.Context, ac *app.Actor, f store.IndicatorFilter, p store.Page) (store.ListResult[store.Indicator], error) {
	if err := app.Require(ac, permRead); err != nil {
		return store.ListResult[store.Indicator]{}, err
	}
	return s.core.DB().IndicatorsVisible(ctx, scope(ac), f, p)
}

// Owners lists the orgs whose indicators the actor may see (a filter).
func (s *Service) Owners(ctx context.Context, ac *app.Actor) ([]fenghuo.Org, error) {
	if err := app.Require(ac, permRead); err != nil {
		return nil, err
	}
	return s.core.DB().IndicatorOwners(ctx, scope(ac))
}

// visible returns an indicator the actor may see (ENOTFOUND otherwise, as
// for a row that does not exist).
func (s *Service) visible(ctx context.Context, tx *store.Tx, ac *app.Actor, id int64) (*store.Indicator, error) {
	in, err := tx.Indicator(ctx, id)
	if err != nil {
		return nil, err
	}
	own, err := tx.Org(ctx, in.OwnerOrg)
	if err != nil {
		return nil, err
	}
	if in.Revoked() && !fenghuo.InSubtree(ac.Org.Path, own.Path) || !in.Revoked() && !Visible(own.Path, in.TLP, ac.Org.Path) &&
		!fenghuo.InSubtree(ac.Org.Path, own.Path) {
		return nil, fenghuo.Errorf(fenghuo.ENOTFOUND, "Indicator %d not found. / 未找到。", id)
	}
	return in, nil
}

// Get returns one indicator the actor may see: shared with its org under
// TLP, or owned in its subtree (which it manages).
func (s *Service) Get(ctx context.Context, ac *app.Actor, id int64) (*store.Indicator, error) {
	if err := app.Require(ac, permRead); err != nil {
		return nil, err
	}
	var in *store.Indicator
	err := s.core.DB().View(ctx, func(tx *store.Tx) error {
		var err error
		in, err = s.visible(ctx, tx, ac, id)
		return err
	})
	return in, err
}

// CanManage reports whether the actor may edit or revoke an indicator
// owned by the org with the given path.
func CanManage(ac *app.Actor, ownerPath string) bool { return ac.CanAt(permWrite, ownerPath) }

// Create records one indicator for the owner org, with a new STIX id.
func (s *Service) Create(ctx context.Context, ac *app.Actor, in Input) (*store.Indicator, error) {
	row := &store.Indicator{Indicator: ioc.Indicator{Type: in.Type, Value: in.Value, Name: in.Name, Description: in.Description,
		Source: in.Source, Confidence: in.Confidence, TLP: in.TLP, ValidFrom: in.ValidFrom, ValidUntil: in.ValidUntil,
		STIXID: ioc.NewSTIXID(stixTypeOf(in.Type))}, CreatedBy: ac.User.ID}
	err := s.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		org, err := owner(ctx, tx, ac, in.OrgID)
		if err != nil {
			return err
		}
		row.OwnerOrg, row.OwnerName = org.ID, org.Name
		if row.Source == "" {
			row.Source = org.Name
		}
		if err := tx.CreateIndicator(ctx, row); err != nil {
			return err
		}
		return s.core.Record(ctx, tx, ac, "indicator.create", "indicator", app.ObjectID(row.ID), "success",
			map[string]any{"org_id": org.ID, "type": row.Type, "value": row.Value, "tlp": row.TLP, "confidence": row.Confidence})
	})
	if err != nil {
		return nil, err
	}
	s.reloadAfterChange(ctx)
	return row, nil
}

func stixTypeOf(t ioc.Type) string {
	if t == ioc.TypeCVE {
		return "vulnerability"
	}
	return "indicator"
}

// Update edits an indicator owned in the actor's subtree (its type and
// owner stay).
func (s *Service) Update(ctx context.Context, ac *app.Actor, id int64, in Input) (*store.Indicator, error) {
	var row *store.Indicator
	err := s.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		var err error
		if row, err = s.visible(ctx, tx, ac, id); err != nil {
			return err
		}
		own, err := tx.Org(ctx, row.OwnerOrg)
		if err != nil {
			return err
		}
		if err := app.RequireAt(ac, permWrite, own.Path, "Indicator", id); err != nil {
			return err
		}
		if row.Revoked() {
			return fenghuo.Errorf(fenghuo.ECONFLICT, "This indicator was revoked and can no longer be edited. / 该指标已撤销，不能修改。")
		}
		if in.Type != "" && in.Type != row.Type {
			return fenghuo.FieldErrorf("type", "The type of an indicator cannot change: revoke it and add another. / 指标类型不能修改。")
		}
		before := row.Indicator
		row.Value, row.Name, row.Description, row.Source = in.Value, in.Name, in.Description, in.Source
		row.Confidence, row.TLP, row.ValidFrom, row.ValidUntil = in.Confidence, in.TLP, in.ValidFrom, in.ValidUntil
		if err := tx.UpdateIndicator(ctx, row); err != nil {
			return err
		}
		return s.core.Record(ctx, tx, ac, "indicator.update", "indicator", app.ObjectID(id), "success",
			map[string]any{"before": map[string]any{"value": before.Value, "tlp": before.TLP, "confidence": before.Confidence,
				"valid_until": before.ValidUntil}, "value": row.Value, "tlp": row.TLP, "confidence": row.Confidence, "valid_until": row.ValidUntil})
	})
	if err != nil {
		return nil, err
	}
	s.reloadAfterChange(ctx)
	return row, nil
}

// Revoke withdraws an indicator owned in the actor's subtree: it stops
// matching and leaves the lists; the row stays for the audit trail.
func (s *Service) Revoke(ctx context.Context, ac *app.Actor, id int64) error {
	err := s.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		row, err := s.visible(ctx, tx, ac, id)
		if err != nil {
			return err
		}
		own, err := tx.Org(ctx, row.OwnerOrg)
		if err != nil {
			return err
		}
		if err := app.RequireAt(ac, permWrite, own.Path, "Indicator", id); err != nil {
			return err
		}
		if err := tx.RevokeIndicator(ctx, id, ac.User.ID); err != nil {
			return err
		}
		return s.core.Record(ctx, tx, ac, "indicator.revoke", "indicator", app.ObjectID(id), "success",
			map[string]any{"type": row.Type, "value": row.Value})
	})
	if err != nil {
		return err
	}
	s.reloadAfterChange(ctx)
	return nil
}

// ImportResult is what an import did.
type ImportResult struct {
	Format    string // "stix" or "misp"
	Added     int
	Updated   int
	Unchanged int
	Skipped   []ioc.Problem
	Ignored   int // objects that carry no indicator
}

// Import reads a STIX 2.1 bundle or a MISP event (told apart by shape)
// into the owner org's library in one transaction: an indicator already
// held (same type and value) is updated, a new one added, a revoked one
// left revoked (skipped with the reason); objects that cannot be read or
// represented are skipped with their ids. Unmarked objects take the TLP
// given (AMBER when empty).
func (s *Service) Import(ctx context.Context, ac *app.Actor, orgID int64, data []byte, unmarked ioc.TLP) (*ImportResult, error) {
	if err := app.Require(ac, permWrite); err != nil {
		return nil, err
	}
	if len(data) > MaxImportBytes {
		return nil, fenghuo.FieldErrorf("file", "The file is larger than %d MiB. / 文件超过%d MiB。", MaxImportBytes>>20, MaxImportBytes>>20)
	}
	if unmarked == "" {
		unmarked = ioc.TLPAmber
	}
	if t, ok := ioc.ParseTLP(string(unmarked)); ok {
		unmarked = t
	} else {
		return nil, fenghuo.FieldErrorf("tlp", "Choose a TLP label: CLEAR, GREEN, AMBER, AMBER+STRICT or RED. / 请选择TLP等级。")
	}
	batch, err := ioc.Read(data, unmarked)
	if err != nil {
		return nil, fenghuo.FieldErrorf("file", "%s / 文件既不是STIX 2.1数据包，也不是MISP事件。", err.Error())
	}
	res := &ImportResult{Format: batch.Format, Skipped: batch.Skipped, Ignored: batch.Ignored}
	err = s.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		org, err := owner(ctx, tx, ac, orgID)
		if err != nil {
			return err
		}
		for _, in := range batch.Indicators {
			if in.Source == "" {
				in.Source = org.Name
			}
			in.OwnerOrg = org.ID
			if in.STIXID == "" {
				in.STIXID = ioc.NewSTIXID(stixTypeOf(in.Type))
			}
			old, err := tx.IndicatorByValue(ctx, org.ID, in.Type, in.Value)
			switch {
			case fenghuo.ErrorCode(err) == fenghuo.ENOTFOUND:
				row := &store.Indicator{Indicator: in, CreatedBy: ac.User.ID}
				if err := tx.CreateIndicator(ctx, row); err != nil {
					return err
				}
				res.Added++
			case err != nil:
				return err
			case old.Revoked():
				res.Skipped = append(res.Skipped, ioc.Problem{Object: in.STIXID,
					Reason: fmt.Sprintf("%s %s was revoked in the library; it stays revoked", in.Type, in.Value)})
			case same(old.Indicator, in):
				res.Unchanged++
			default:
				in.ID = old.ID
				old.Indicator = in
				if err := tx.UpdateIndicator(ctx, old); err != nil {
					return err
				}
				res.Updated++
			}
		}
		return s.core.Record(ctx, tx, ac, "indicator.import", "indicator", "", "success",
			map[string]any{"org_id": org.ID, "format": res.Format, "added": res.Added, "updated": res.Updated,
				"unchanged": res.Unchanged, "skipped": len(res.Skipped)})
	})
	if err != nil {
		return nil, err
	}
	s.reloadAfterChange(ctx)
	return res, nil
}

func same(a, b ioc.Indicator) bool {
	return a.STIXID == b.STIXID && a.Name == b.Name && a.Description == b.Description && a.Source == b.Source &&
		a.Confidence == b.Confidence && a.TLP == b.TLP && a.ValidFrom.Equal(b.ValidFrom) && a.ValidUntil.Equal(b.ValidUntil)
}

// Export formats.
const (
	FormatSTIX = "stix"
	FormatMISP = "misp"
)

// Export writes the indicators the actor may see (narrowed by f) as a STIX
// 2.1 bundle issued by the actor's org, or as one MISP event; the export
// is audited. It returns the document and a file name.
func (s *Service) Export(ctx context.Context, ac *app.Actor, format string, f store.IndicatorFilter) ([]byte, string, error) {
	if err := app.Require(ac, permRead); err != nil {
		return nil, "", err
	}
	format = strings.ToLower(strings.TrimSpace(format))
	if format == "" {
		format = FormatSTIX
	}
	if format != FormatSTIX && format != FormatMISP {
		return nil, "", fenghuo.FieldErrorf("format", "Choose stix or misp. / 请选择导出格式：stix 或 misp。")
	}
	rows, err := s.core.DB().IndicatorsForExport(ctx, scope(ac), f, MaxExport)
	if err != nil {
		return nil, "", err
	}
	inds := make([]ioc.Indicator, len(rows))
	for i := range rows {
		inds[i] = rows[i].Indicator
	}
	now := s.core.Now()
	var doc []byte
	if format == FormatSTIX {
		doc, err = ioc.WriteSTIX(inds, ac.Org.Name, now)
	} else {
		doc, err = ioc.WriteMISP(inds, ac.Org.Name, ac.Org.Name+" 威胁情报 "+now.Format("2006-01-02"), now)
	}
	if err != nil {
		return nil, "", err
	}
	if err := s.core.RecordExport(ctx, ac, "indicators."+format, len(inds)); err != nil {
		return nil, "", err
	}
	return doc, fmt.Sprintf("fenghuo-indicators-%s.%s.json", now.Format("20060102"), format), nil
}
