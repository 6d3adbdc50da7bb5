package directory

import (
	"context"

	"fenghuo/internal/app"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// TOTPPolicy is an org's "second factor for every account" setting.
type TOTPPolicy struct {
	// Required is the org's own setting.
	Required bool
	// RequiredFrom is the org, this one or an ancestor, whose setting
	// makes TOTP compulsory for every account of this org; 0 when none
	// does (administrators need it all the same).
	RequiredFrom int64
}

// OrgTOTPPolicy returns the TOTP policy of an org in the actor's subtree.
func (a *Service) OrgTOTPPolicy(ctx context.Context, ac *app.Actor, id int64) (TOTPPolicy, error) {
	if err := app.Require(ac, fenghuo.PermOrgRead); err != nil {
		return TOTPPolicy{}, err
	}
	if _, err := a.core.VisibleOrg(ctx, ac, id); err != nil {
		return TOTPPolicy{}, err
	}
	var p TOTPPolicy
	err := a.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		var err error
		if p.Required, err = tx.OrgRequiresTOTP(ctx, id); err != nil {
			return err
		}
		p.RequiredFrom, err = tx.TOTPRequiredFrom(ctx, id)
		return err
	})
	return p, err
}

// SetOrgTOTPPolicy turns "TOTP for every account" on or off for an org and
// its subtree. Only a system administrator of the org or an org above it
// may; the change is audited. Accounts that have not enrolled are taken
// through enrolment at their next log-in.
func (a *Service) SetOrgTOTPPolicy(ctx context.Context, ac *app.Actor, id int64, required bool) (TOTPPolicy, error) {
	o, err := a.core.DB().Org(ctx, id)
	if err != nil {
		return TOTPPolicy{}, err
	}
	if !fenghuo.InSubtree(ac.Org.Path, o.Path) {
		return TOTPPolicy{}, fenghuo.Errorf(fenghuo.ENOTFOUND, "Org %d not found. / 未找到（编号%[1]d）。", id)
	}
	if !ac.User.HasRole(fenghuo.RoleSystemAdmin) {
		a.core.RecordAlone(ctx, ac, "org.totp_policy.set", "org", app.ObjectID(id), "denied", map[string]bool{"required": required})
		return TOTPPolicy{}, app.ErrForbidden
	}
	var p TOTPPolicy
	err = a.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		var err error
		if err := tx.SetOrgRequiresTOTP(ctx, id, required, ac.User.ID); err != nil {
			return err
		}
		p.Required = required
		if p.RequiredFrom, err = tx.TOTPRequiredFrom(ctx, id); err != nil {
			return err
		}
		return a.core.Record(ctx, tx, ac, "org.totp_policy.set", "org", app.ObjectID(id), "success", map[string]bool{"required": required})
	})
	return p, err
}
