package inspection

import (
	"context"
	"strconv"

	"fenghuo/internal/app"
	"fenghuo/internal/checklist"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// ChecklistRow is one checklist a campaign may use: a built-in one or the
// newest version of one an office uploaded.
type ChecklistRow struct {
	ID      string
	Title   checklist.Text
	Label   string // the document's version with its digest
	Items   int
	Builtin bool
	// Version is the upload's number (0 for a built-in checklist); OrgName
	// the office that uploaded it.
	Version    int
	OrgName    string
	UploadedAt string
}

// Checklists lists the built-in checklists and the newest version of every
// uploaded one.
func (s *Service) Checklists(ctx context.Context, ac *app.Actor) ([]ChecklistRow, error) {
	if err := app.Require(ac, fenghuo.PermSystemRead); err != nil {
		return nil, err
	}
	var out []ChecklistRow
	for _, c := range checklist.Builtin() {
		out = append(out, ChecklistRow{ID: c.ID, Title: c.Title, Label: c.FullVersion(), Items: len(c.Items), Builtin: true})
	}
	err := s.core.DB().View(ctx, func(tx *store.Tx) error {
		vs, err := tx.LatestChecklistVersions(ctx)
		if err != nil {
			return err
		}
		for _, v := range vs {
			c, err := checklist.Parse(v.ChecklistID, []byte(v.YAML))
			if err != nil {
				return err
			}
			row := ChecklistRow{ID: v.ChecklistID, Title: c.Title, Label: v.Label, Items: len(c.Items), Version: v.Version,
				UploadedAt: v.UploadedAt.In(shanghai()).Format("2006-01-02 15:04")}
			if o, err := tx.Org(ctx, v.OrgID); err == nil {
				row.OrgName = o.Name
			}
			out = append(out, row)
		}
		return nil
	})
	return out, err
}

// Checklist returns a checklist by id: a built-in one, or an uploaded one
// at version (0: the newest) with its stored version.
func (s *Service) Checklist(ctx context.Context, ac *app.Actor, id string, version int) (*checklist.Checklist, *fenghuo.ChecklistVersion, error) {
	if err := app.Require(ac, fenghuo.PermSystemRead); err != nil {
		return nil, nil, err
	}
	var c *checklist.Checklist
	var v *fenghuo.ChecklistVersion
	err := s.core.DB().View(ctx, func(tx *store.Tx) error {
		var err error
		c, v, err = loadChecklist(ctx, tx, id, version)
		return err
	})
	return c, v, err
}

func loadChecklist(ctx context.Context, tx *store.Tx, id string, version int) (*checklist.Checklist, *fenghuo.ChecklistVersion, error) {
	if checklist.IsBuiltin(id) {
		c, err := checklist.BuiltinChecklist(id)
		return c, nil, err
	}
	v, err := tx.ChecklistVersion(ctx, id, version)
	if err != nil {
		return nil, nil, err
	}
	c, err := checklist.Parse(id+" v"+strconv.Itoa(v.Version), []byte(v.YAML))
	return c, v, err
}

// ChecklistVersions lists the uploaded versions of a checklist, newest
// first.
func (s *Service) ChecklistVersions(ctx context.Context, ac *app.Actor, id string) ([]fenghuo.ChecklistVersion, error) {
	if err := app.Require(ac, fenghuo.PermSystemRead); err != nil {
		return nil, err
	}
	var out []fenghuo.ChecklistVersion
	err := s.core.DB().View(ctx, func(tx *store.Tx) error {
		var err error
		out, err = tx.ChecklistVersions(ctx, id)
		return err
	})
	return out, err
}

// UploadChecklist validates a checklist document and stores it as the next
// version of its id, for the actor's office. A built-in id cannot be
// reused; a later version of an id must come from the office that uploaded
// the first one, or one above it.
func (s *Service) UploadChecklist(ctx context.Context, ac *app.Actor, data []byte, note string) (*fenghuo.ChecklistVersion, error) {
	if err := app.Require(ac, fenghuo.PermWarningIssue); err != nil {
		return nil, err
	}
	c, err := checklist.Parse("upload", data)
	if err != nil {
		return nil, err
	}
	if checklist.IsBuiltin(c.ID) {
		return nil, fenghuo.FieldErrorf("id", "%q is a built-in checklist: give your copy an id of its own. / “%s”是内置检查表的编号，请为您的检查表另起编号。", c.ID, c.ID)
	}
	v := &fenghuo.ChecklistVersion{ChecklistID: c.ID, Label: c.FullVersion(), Title: c.Title.ZH, YAML: string(data),
		OrgID: ac.Org.ID, UploadedBy: ac.User.ID, Note: note}
	err = s.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		if first, err := tx.ChecklistVersions(ctx, c.ID); err != nil {
			return err
		} else if len(first) > 0 {
			owner, err := tx.Org(ctx, first[len(first)-1].OrgID)
			if err != nil {
				return err
			}
			if !fenghuo.InSubtree(ac.Org.Path, owner.Path) {
				return fenghuo.Errorf(fenghuo.ECONFLICT, "Checklist %q belongs to %s; give yours another id. / 检查表“%s”属于%s，请另起编号。", c.ID, owner.Name, c.ID, owner.Name)
			}
		}
		if err := tx.CreateChecklistVersion(ctx, v); err != nil {
			return err
		}
		return s.core.Record(ctx, tx, ac, "checklist.upload", "checklist", c.ID, "success",
			map[string]any{"version": v.Version, "label": v.Label, "items": len(c.Items), "sm3": v.SM3})
	})
	if err != nil {
		return nil, err
	}
	return v, nil
}
