package account

import (
	"context"

	"fenghuo/internal/app"
	"fenghuo/internal/auth"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// CLIActor acts for the operator at the server's console, who holds the
// data directory and so already controls everything in it.
func CLIActor() *app.Actor {
	return &app.Actor{User: fenghuo.User{Username: "cli", DisplayName: "命令行"}, Via: "cli"}
}

// CreateAccountFromCLI creates an account from the command line, creating
// the root organisation first when the database has none: this is how the
// first administrator comes to exist (there is no default account).
// rootName and rootLevel are used only for that first organisation.
func (a *Service) CreateAccountFromCLI(ctx context.Context, u *fenghuo.User, password, rootName string, rootLevel fenghuo.OrgLevel) (*fenghuo.Org, error) {
	if err := checkNewPassword(password, u); err != nil {
		return nil, err
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return nil, err
	}
	u.PasswordHash = hash
	u.MustEnrollTOTP = u.MustEnrollTOTP || u.IsAdmin()
	var org *fenghuo.Org
	err = a.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		ac := CLIActor()
		if u.OrgID == 0 {
			n, err := tx.CountOrgs(ctx)
			if err != nil {
				return err
			}
			if n > 0 {
				return fenghuo.FieldErrorf("org", "The database already has organisations: name the account's organisation with --org ID. / 请用 --org 指定所属机构。")
			}
			if rootName == "" {
				return fenghuo.FieldErrorf("org-name", "The database is empty: name the top organisation with --org-name (e.g. 某某市委网信办). / 数据库为空,请用 --org-name 指定顶级机构名称。")
			}
			org = &fenghuo.Org{Name: rootName, Level: rootLevel, Type: fenghuo.OrgRegulator, Sector: "government", PlanRoles: []string{"cyberspace_office"}, PlanIDs: []string{"cac-2025"}}
			if err := tx.CreateOrg(ctx, org); err != nil {
				return err
			}
			if err := a.core.Record(ctx, tx, ac, "org.create", "org", app.ObjectID(org.ID), "success", map[string]string{"name": org.Name}); err != nil {
				return err
			}
			u.OrgID = org.ID
		} else {
			var err error
			if org, err = tx.Org(ctx, u.OrgID); err != nil {
				return err
			}
		}
		if err := u.Validate(); err != nil {
			return err
		}
		if err := tx.CreateUser(ctx, u); err != nil {
			return err
		}
		return a.core.Record(ctx, tx, ac, "user.create", "user", userID(u.ID), "success", map[string]any{"username": u.Username, "roles": u.Roles})
	})
	return org, err
}
