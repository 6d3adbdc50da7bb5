package directory

import (
	"context"
	"slices"

	"fenghuo/internal/app"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/plan"
	"fenghuo/internal/store"
)

// Org returns an org in the actor's subtree.
func (a *Service) Org(ctx context.Context, ac *app.Actor, id int64) (*fenghuo.Org, error) {
	return a.core.VisibleOrg(ctx, ac, id)
}

// ViewOrg is Org for a page or API answer that shows the org's contacts in
// full (the liaison's name and mobile, the duty phone, the fax): the view
// is audited as a read of personal data, "org.contact.read".
func (a *Service) ViewOrg(ctx context.Context, ac *app.Actor, id int64) (*fenghuo.Org, error) {
	o, err := a.Org(ctx, ac, id)
	if err != nil {
		return nil, err
	}
	if err := a.core.RecordRead(ctx, ac, "org.contact", "org", app.ObjectID(id), false, nil); err != nil {
		return nil, err
	}
	return o, nil
}

// Orgs lists the orgs of the actor's subtree (the actor's own org first).
func (a *Service) Orgs(ctx context.Context, ac *app.Actor, f store.OrgFilter, p store.Page) (store.ListResult[fenghuo.Org], error) {
	if err := app.Require(ac, fenghuo.PermOrgRead); err != nil {
		return store.ListResult[fenghuo.Org]{}, err
	}
	return a.core.DB().SubtreeOrgs(ctx, ac.Org.ID, f, p)
}

// ChildOrgs lists the direct children of an org in the actor's subtree.
func (a *Service) ChildOrgs(ctx context.Context, ac *app.Actor, id int64) ([]fenghuo.Org, error) {
	if _, err := a.Org(ctx, ac, id); err != nil {
		return nil, err
	}
	return a.core.DB().ChildOrgs(ctx, id)
}

// CreateOrg creates an org under a parent in the actor's subtree.
func (a *Service) CreateOrg(ctx context.Context, ac *app.Actor, o *fenghuo.Org) error {
	if o.ParentID == 0 {
		return fenghuo.FieldErrorf("parent_id", "Choose the parent organisation. / 请选择上级机构。")
	}
	if err := a.checkPlans(o.PlanIDs); err != nil {
		return err
	}
	return a.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		parent, err := tx.Org(ctx, o.ParentID)
		if err != nil {
			if fenghuo.ErrorCode(err) == fenghuo.ENOTFOUND {
				return fenghuo.FieldErrorf("parent_id", "The parent organisation does not exist. / 上级机构不存在。")
			}
			return err
		}
		if err := app.RequireAt(ac, fenghuo.PermOrgWrite, parent.Path, "Org", parent.ID); err != nil {
			return err
		}
		if o.Level.Rank() > parent.Level.Rank() {
			return fenghuo.FieldErrorf("level", "A %s cannot sit under a %s: choose a level at or below the parent's. / 下级机构的层级不能高于上级机构。", o.Level, parent.Level)
		}
		if err := checkSupervisor(ctx, tx, o, parent.Path); err != nil {
			return err
		}
		if err := tx.CreateOrg(ctx, o); err != nil {
			return err
		}
		return a.core.Record(ctx, tx, ac, "org.create", "org", app.ObjectID(o.ID), "success", map[string]any{"name": o.Name, "parent_id": o.ParentID})
	})
}

// UpdateOrg updates an org in the actor's subtree. o.Version must be the
// version the user saw; a concurrent change fails with ECONFLICT.
func (a *Service) UpdateOrg(ctx context.Context, ac *app.Actor, o *fenghuo.Org) error {
	if err := a.checkPlans(o.PlanIDs); err != nil {
		return err
	}
	return a.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		old, err := tx.Org(ctx, o.ID)
		if err != nil {
			return err
		}
		if err := app.RequireAt(ac, fenghuo.PermOrgWrite, old.Path, "Org", o.ID); err != nil {
			return err
		}
		if old.ID == ac.Org.ID && (o.Level != old.Level || o.Type != old.Type) {
			return fenghuo.FieldErrorf("level", "You cannot change the level or type of your own organisation; ask the organisation above. / 不能修改本机构的层级或类型，请由上级机构修改。")
		}
		o.ParentID, o.Path = old.ParentID, old.Path
		if err := checkSupervisor(ctx, tx, o, old.Path); err != nil {
			return err
		}
		if err := tx.UpdateOrg(ctx, o); err != nil {
			return err
		}
		return a.core.Record(ctx, tx, ac, "org.update", "org", app.ObjectID(o.ID), "success", map[string]any{"name": o.Name, "changes": orgChanges(old, o)})
	})
}

// orgChanges lists the fields an update changed, for the audit entry.
func orgChanges(a, b *fenghuo.Org) []string {
	var out []string
	add := func(field string, changed bool) {
		if changed {
			out = append(out, field)
		}
	}
	add("name", a.Name != b.Name)
	add("short_name", a.ShortName != b.ShortName)
	add("level", a.Level != b.Level)
	add("type", a.Type != b.Type)
	add("sector", a.Sector != b.Sector)
	add("operator_type", a.OperatorType != b.OperatorType)
	add("liaison", a.Liaison != b.Liaison)
	add("duty_phone", a.DutyPhone != b.DutyPhone)
	add("fax", a.Fax != b.Fax)
	add("report_email", a.ReportEmail != b.ReportEmail)
	add("address", a.Address != b.Address)
	add("plan_ids", !slices.Equal(a.PlanIDs, b.PlanIDs))
	add("supervisor_id", a.SupervisorID != b.SupervisorID)
	return out
}

// EffectivePlans returns the plans that govern an org (its own or the
// nearest ancestor's) and the org they come from.
func (a *Service) EffectivePlans(ctx context.Context, ac *app.Actor, id int64) ([]string, int64, error) {
	if _, err := a.Org(ctx, ac, id); err != nil {
		return nil, 0, err
	}
	return a.core.DB().EffectivePlans(ctx, id)
}

func (a *Service) checkPlans(ids []string) error {
	for _, id := range ids {
		if _, err := a.core.Plans().Get(id); err != nil {
			return fenghuo.FieldErrorf("plan_ids", "%s", fenghuo.ErrorMessage(err))
		}
	}
	return nil
}

// checkSupervisor checks an org's declared supervising department (主管部门):
// an org that plays the plans' competent-department role, outside the
// org's own subtree (path: the org's, or its parent's for a new one).
func checkSupervisor(ctx context.Context, tx *store.Tx, o *fenghuo.Org, path string) error {
	if o.SupervisorID == 0 {
		return nil
	}
	sup, err := tx.Org(ctx, o.SupervisorID)
	if fenghuo.ErrorCode(err) == fenghuo.ENOTFOUND {
		return fenghuo.FieldErrorf("supervisor_id", "The supervising department %d does not exist. / 所选主管部门不存在。", o.SupervisorID)
	}
	if err != nil {
		return err
	}
	if !slices.Contains(sup.PlanRoles, plan.RoleCompetentDepartment) {
		return fenghuo.FieldErrorf("supervisor_id", "%s is not a competent department in the plans: choose an org that plays that role, or leave it empty to go by sector. / %s不是主管部门，请选择主管部门，或留空按行业确定。", sup.Name, sup.Name)
	}
	if o.ID != 0 && fenghuo.InSubtree(path, sup.Path) {
		return fenghuo.FieldErrorf("supervisor_id", "An org's supervising department cannot be one of its own sub-units. / 主管部门不能是本单位的下级单位。")
	}
	return nil
}
