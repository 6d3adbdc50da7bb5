package account

import (
	"context"
	"strconv"

	"fenghuo/internal/app"
	"fenghuo/internal/auth"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

func userID(id int64) string { return strconv.FormatInt(id, 10) }

// userInScope loads a user and checks the actor's right p over the user's
// org.
func (a *Service) userInScope(ctx context.Context, tx *store.Tx, ac *app.Actor, id int64, p fenghuo.Permission) (*fenghuo.User, *fenghuo.Org, error) {
	u, err := tx.User(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	o, err := tx.Org(ctx, u.OrgID)
	if err != nil {
		return nil, nil, err
	}
	if err := app.RequireAt(ac, p, o.Path, "User", id); err != nil {
		return nil, nil, err
	}
	return u, o, nil
}

// User returns an account in the actor's subtree. Anyone may read their own.
func (a *Service) User(ctx context.Context, ac *app.Actor, id int64) (*fenghuo.User, error) {
	if id == ac.User.ID {
		return a.core.DB().User(ctx, id)
	}
	var u *fenghuo.User
	err := a.core.DB().View(ctx, func(tx *store.Tx) error {
		var err error
		u, _, err = a.userInScope(ctx, tx, ac, id, fenghuo.PermUserRead)
		return err
	})
	return u, err
}

// Users lists the accounts of the actor's subtree.
func (a *Service) Users(ctx context.Context, ac *app.Actor, f store.UserFilter, p store.Page) (store.ListResult[fenghuo.User], error) {
	if err := app.Require(ac, fenghuo.PermUserRead); err != nil {
		return store.ListResult[fenghuo.User]{}, err
	}
	root := ac.Org.ID
	if f.OrgID != 0 {
		if _, err := a.core.VisibleOrg(ctx, ac, f.OrgID); err != nil {
			return store.ListResult[fenghuo.User]{}, err
		}
		root = f.OrgID
	}
	return a.core.DB().SubtreeUsers(ctx, root, f, p)
}

// CreateUser creates an account in the actor's subtree with an initial
// password that must pass the password policy. Administrator accounts must
// enrol TOTP at their first log-in.
func (a *Service) CreateUser(ctx context.Context, ac *app.Actor, u *fenghuo.User, password string) error {
	if err := u.Validate(); err != nil {
		return err
	}
	if err := app.Require(ac, fenghuo.PermUserWrite); err != nil {
		return err
	}
	if err := checkNewPassword(password, u); err != nil {
		return err
	}
	var hash string
	var err error
	if herr := a.withHashSlot(ctx, func() { hash, err = auth.HashPassword(password) }); herr != nil {
		return herr
	}
	if err != nil {
		return err
	}
	u.PasswordHash = hash
	u.MustEnrollTOTP = u.MustEnrollTOTP || u.IsAdmin()
	return a.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		o, err := tx.Org(ctx, u.OrgID)
		if err != nil {
			if fenghuo.ErrorCode(err) == fenghuo.ENOTFOUND {
				return fenghuo.FieldErrorf("org_id", "The organisation does not exist. / 所属机构不存在。")
			}
			return err
		}
		if !fenghuo.InSubtree(ac.Org.Path, o.Path) {
			return fenghuo.FieldErrorf("org_id", "The organisation does not exist. / 所属机构不存在。")
		}
		if err := app.Require(ac, fenghuo.PermUserWrite); err != nil {
			return err
		}
		if err := tx.CreateUser(ctx, u); err != nil {
			return err
		}
		return a.core.Record(ctx, tx, ac, "user.create", "user", userID(u.ID), "success",
			map[string]any{"username": u.Username, "org_id": u.OrgID, "roles": u.Roles, "allowed_addresses": u.AllowedAddresses})
	})
}

// UpdateUser changes an account's profile, roles, organisation or disabled
// flag. Disabling an account ends its sessions and revokes its API tokens
// at once. Nobody changes their own roles.
func (a *Service) UpdateUser(ctx context.Context, ac *app.Actor, u *fenghuo.User) error {
	if err := u.Validate(); err != nil {
		return err
	}
	return a.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		old, _, err := a.userInScope(ctx, tx, ac, u.ID, fenghuo.PermUserWrite)
		if err != nil {
			return err
		}
		if u.OrgID != old.OrgID {
			o, err := tx.Org(ctx, u.OrgID)
			if err != nil || !fenghuo.InSubtree(ac.Org.Path, o.Path) {
				return fenghuo.FieldErrorf("org_id", "The organisation does not exist. / 所属机构不存在。")
			}
		}
		if u.ID == ac.User.ID && (!sameRoles(u.Roles, old.Roles) || u.Disabled) {
			return fenghuo.FieldErrorf("roles", "You cannot change your own roles or disable yourself; ask another security administrator. / 不能修改自己的角色或停用自己。")
		}
		u.MustEnrollTOTP = old.MustEnrollTOTP || (u.IsAdmin() && !old.TOTPEnabled)
		// Credentials are not changed here.
		u.PasswordHash, u.TOTPSecretSealed, u.TOTPEnabled, u.TOTPLastStep = old.PasswordHash, old.TOTPSecretSealed, old.TOTPEnabled, old.TOTPLastStep
		u.PasswordChangedAt, u.CreatedAt = old.PasswordChangedAt, old.CreatedAt
		if err := tx.UpdateUser(ctx, u); err != nil {
			return err
		}
		if u.Disabled || !sameRoles(u.Roles, old.Roles) {
			// New rights take effect at the next log-in; a disabled user is out now.
			if err := tx.DeleteUserSessions(ctx, u.ID); err != nil {
				return err
			}
		}
		if u.Disabled {
			if err := tx.DeleteUserAPITokens(ctx, u.ID); err != nil {
				return err
			}
		}
		return a.core.Record(ctx, tx, ac, "user.update", "user", userID(u.ID), "success",
			map[string]any{"username": u.Username, "roles": u.Roles, "disabled": u.Disabled, "org_id": u.OrgID, "allowed_addresses": u.AllowedAddresses})
	})
}

func sameRoles(a, b []fenghuo.Role) bool {
	if len(a) != len(b) {
		return false
	}
	seen := map[fenghuo.Role]bool{}
	for _, r := range a {
		seen[r] = true
	}
	for _, r := range b {
		if !seen[r] {
			return false
		}
	}
	return true
}

// ResetPassword sets a new password for another account (a security
// administrator's task) and ends that account's sessions.
func (a *Service) ResetPassword(ctx context.Context, ac *app.Actor, id int64, password string) error {
	return a.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		u, _, err := a.userInScope(ctx, tx, ac, id, fenghuo.PermUserWrite)
		if err != nil {
			return err
		}
		if u.ID == ac.User.ID {
			return fenghuo.FieldErrorf("password", "Change your own password on your profile page. / 请在个人设置中修改自己的密码。")
		}
		if err := checkNewPassword(password, u); err != nil {
			return err
		}
		hash, err := auth.HashPassword(password)
		if err != nil {
			return err
		}
		if err := tx.SetPassword(ctx, u.ID, hash); err != nil {
			return err
		}
		if err := tx.DeleteUserSessions(ctx, u.ID); err != nil {
			return err
		}
		if err := tx.SetLoginState(ctx, fenghuo.UsernameKey(u.Username), store.LoginState{}); err != nil {
			return err
		}
		return a.core.Record(ctx, tx, ac, "user.password.reset", "user", userID(u.ID), "success", map[string]string{"username": u.Username})
	})
}
