package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"fenghuo/internal/fenghuo"
	"fenghuo/internal/pii"
)

const userColumns = `u.id, u.org_id, u.username, u.display_name, u.email, u.mobile, u.roles, u.password_hash,
	u.totp_secret_sealed, u.totp_enabled, u.totp_last_step, u.disabled, u.must_enroll_totp, u.locale,
	u.password_changed_at, u.created_at, u.updated_at, u.version, u.allowed_addresses`

func (tx *Tx) scanUser(s scanner) (*fenghuo.User, error) {
	var u fenghuo.User
	var roles, addrs string
	var pwChanged, created, updated int64
	err := s.Scan(&u.ID, &u.OrgID, &u.Username, &u.DisplayName, &u.Email, &u.Mobile, &roles, &u.PasswordHash,
		&u.TOTPSecretSealed, &u.TOTPEnabled, &u.TOTPLastStep, &u.Disabled, &u.MustEnrollTOTP, &u.Locale,
		&pwChanged, &created, &updated, &u.Version, &addrs)
	if err != nil {
		return nil, err
	}
	if err := tx.openPersonal("users", u.ID, userContacts(&u)...); err != nil {
		return nil, err
	}
	u.PasswordChangedAt, u.CreatedAt, u.UpdatedAt = fromMS(pwChanged), fromMS(created), fromMS(updated)
	if err := unmarshalList(roles, &u.Roles); err != nil {
		return nil, fmt.Errorf("store: user %d roles: %w", u.ID, err)
	}
	if err := unmarshalList(addrs, &u.AllowedAddresses); err != nil {
		return nil, fmt.Errorf("store: user %d addresses: %w", u.ID, err)
	}
	return &u, nil
}

// userContacts are u's personal fields (personal.go).
func userContacts(u *fenghuo.User) []personal {
	return []personal{{"email", &u.Email}, {"mobile", &u.Mobile}}
}

func usernameTaken(err error, name string) error {
	if fenghuo.ErrorCode(err) == fenghuo.ECONFLICT {
		return fenghuo.Errorf(fenghuo.ECONFLICT, "User name %q is taken (names are compared without case). / 用户名已被使用。", name)
	}
	return err
}

// CreateUser validates u and inserts it, setting ID, timestamps and Version.
// User names are unique regardless of case: a clash is ECONFLICT.
func (db *DB) CreateUser(ctx context.Context, u *fenghuo.User) error {
	return db.WithTx(ctx, func(tx *Tx) error { return tx.CreateUser(ctx, u) })
}

// CreateUser is DB.CreateUser inside tx.
func (tx *Tx) CreateUser(ctx context.Context, u *fenghuo.User) error {
	if err := u.Validate(); err != nil {
		return err
	}
	if u.PasswordHash != "" && u.PasswordChangedAt.IsZero() {
		u.PasswordChangedAt = tx.now
	}
	// The sealed e-mail and mobile are bound to the row: written once it exists.
	err := tx.c.queryRow(ctx, `INSERT INTO users (org_id, username, username_key, display_name, roles,
		password_hash, totp_secret_sealed, totp_enabled, totp_last_step, disabled, must_enroll_totp, locale,
		password_changed_at, created_at, updated_at, version, allowed_addresses)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?) RETURNING id`,
		u.OrgID, u.Username, fenghuo.UsernameKey(u.Username), u.DisplayName, jsonText(u.Roles),
		u.PasswordHash, u.TOTPSecretSealed, b2i(u.TOTPEnabled), u.TOTPLastStep, b2i(u.Disabled),
		b2i(u.MustEnrollTOTP), u.Locale, ms(u.PasswordChangedAt), ms(tx.now), ms(tx.now), jsonText(u.AllowedAddresses)).Scan(&u.ID)
	if err != nil {
		return fmt.Errorf("store: create user: %w", usernameTaken(err, u.Username))
	}
	if err := tx.setPersonal(ctx, "users", u.ID, userContacts(u)...); err != nil {
		return err
	}
	u.CreatedAt, u.UpdatedAt, u.Version = tx.now, tx.now, 1
	return nil
}

// User returns the user with the given ID, or ENOTFOUND.
func (db *DB) User(ctx context.Context, id int64) (*fenghuo.User, error) {
	return view(ctx, db, func(tx *Tx) (*fenghuo.User, error) { return tx.User(ctx, id) })
}

// User is DB.User inside tx.
func (tx *Tx) User(ctx context.Context, id int64) (*fenghuo.User, error) {
	u, err := tx.scanUser(tx.c.queryRow(ctx, "SELECT "+userColumns+" FROM users u WHERE u.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("User", id)
	} else if err != nil {
		return nil, fmt.Errorf("store: user %d: %w", id, err)
	}
	return u, nil
}

// UserByUsername finds a user by name, ignoring case, or returns ENOTFOUND.
func (db *DB) UserByUsername(ctx context.Context, name string) (*fenghuo.User, error) {
	return view(ctx, db, func(tx *Tx) (*fenghuo.User, error) { return tx.UserByUsername(ctx, name) })
}

// UserByUsername is DB.UserByUsername inside tx.
func (tx *Tx) UserByUsername(ctx context.Context, name string) (*fenghuo.User, error) {
	u, err := tx.scanUser(tx.c.queryRow(ctx, "SELECT "+userColumns+" FROM users u WHERE u.username_key = ?",
		fenghuo.UsernameKey(name)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fenghuo.Errorf(fenghuo.ENOTFOUND, "User %q not found. / 用户不存在。", name)
	} else if err != nil {
		return nil, fmt.Errorf("store: user %q: %w", name, err)
	}
	return u, nil
}

// UpdateUser writes u's account fields (org, user name, display name,
// e-mail, mobile, roles, locale, must-enrol flag, disabled, addresses) if the stored
// version is still u.Version, else ECONFLICT. Disabling also ends the
// user's sessions. Credentials change only through SetPassword,
// SetTOTPSecret and SetTOTPStep.
func (db *DB) UpdateUser(ctx context.Context, u *fenghuo.User) error {
	return db.WithTx(ctx, func(tx *Tx) error { return tx.UpdateUser(ctx, u) })
}

// UpdateUser is DB.UpdateUser inside tx.
func (tx *Tx) UpdateUser(ctx context.Context, u *fenghuo.User) error {
	if err := u.Validate(); err != nil {
		return err
	}
	res, err := tx.c.exec(ctx, `UPDATE users SET org_id = ?, username = ?, username_key = ?, display_name = ?,
		roles = ?, locale = ?, must_enroll_totp = ?, disabled = ?, allowed_addresses = ?,
		updated_at = ?, version = version + 1 WHERE id = ? AND version = ?`,
		u.OrgID, u.Username, fenghuo.UsernameKey(u.Username), u.DisplayName, jsonText(u.Roles),
		u.Locale, b2i(u.MustEnrollTOTP), b2i(u.Disabled), jsonText(u.AllowedAddresses), ms(tx.now), u.ID, u.Version)
	if err != nil {
		return fmt.Errorf("store: update user %d: %w", u.ID, usernameTaken(err, u.Username))
	}
	if err := tx.checkVersioned(ctx, res, "users", "User", u.ID); err != nil {
		return err
	}
	if err := tx.setPersonal(ctx, "users", u.ID, userContacts(u)...); err != nil {
		return err
	}
	u.Version++
	u.UpdatedAt = tx.now
	if u.Disabled {
		return tx.DeleteUserSessions(ctx, u.ID)
	}
	return nil
}

// touchUser runs an unconditional credential update on user id.
func (tx *Tx) touchUser(ctx context.Context, id int64, set string, args ...any) error {
	args = append(args, ms(tx.now), id)
	// set is a constant of the callers below, never input.
	res, err := tx.c.exec(ctx, "UPDATE users SET "+set+", updated_at = ?, version = version + 1 WHERE id = ?", args...)
	if err != nil {
		return fmt.Errorf("store: update user %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("User", id)
	}
	return nil
}

// SetPassword stores a new password hash (the auth package's encoding) and
// its time. Ending the user's sessions is the caller's step
// (DeleteUserSessions), in the same transaction.
func (db *DB) SetPassword(ctx context.Context, id int64, hash string) error {
	return db.WithTx(ctx, func(tx *Tx) error { return tx.SetPassword(ctx, id, hash) })
}

// SetPassword is DB.SetPassword inside tx.
func (tx *Tx) SetPassword(ctx context.Context, id int64, hash string) error {
	return tx.touchUser(ctx, id, "password_hash = ?, password_changed_at = ?", hash, ms(tx.now))
}

// SetTOTPSecret stores the sealed TOTP secret and whether it is in force,
// and forgets the last accepted step. Enabling clears MustEnrollTOTP.
func (db *DB) SetTOTPSecret(ctx context.Context, id int64, sealedSecret string, enabled bool) error {
	return db.WithTx(ctx, func(tx *Tx) error { return tx.SetTOTPSecret(ctx, id, sealedSecret, enabled) })
}

// SetTOTPSecret is DB.SetTOTPSecret inside tx.
func (tx *Tx) SetTOTPSecret(ctx context.Context, id int64, sealedSecret string, enabled bool) error {
	if enabled {
		return tx.touchUser(ctx, id, "totp_secret_sealed = ?, totp_enabled = 1, totp_last_step = 0, must_enroll_totp = 0", sealedSecret)
	}
	return tx.touchUser(ctx, id, "totp_secret_sealed = ?, totp_enabled = 0, totp_last_step = 0", sealedSecret)
}

// SetTOTPStep records that the code of time step was accepted. It fails with
// ECONFLICT when that step or a later one was already used, even by a
// concurrent log-in on another replica: each code works once.
func (db *DB) SetTOTPStep(ctx context.Context, id, step int64) error {
	return db.WithTx(ctx, func(tx *Tx) error { return tx.SetTOTPStep(ctx, id, step) })
}

// SetTOTPStep is DB.SetTOTPStep inside tx.
func (tx *Tx) SetTOTPStep(ctx context.Context, id, step int64) error {
	res, err := tx.c.exec(ctx, "UPDATE users SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?", step, id, step)
	if err != nil {
		return fmt.Errorf("store: totp step of user %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if _, err := tx.User(ctx, id); err != nil {
			return err
		}
		return fenghuo.Errorf(fenghuo.ECONFLICT, "The code was already used: wait for the next one. / 验证码已使用，请等待下一个。")
	}
	return nil
}

// SetUserDisabled disables or re-enables a user. Disabling also ends every
// session of the user in the same transaction.
func (db *DB) SetUserDisabled(ctx context.Context, id int64, disabled bool) error {
	return db.WithTx(ctx, func(tx *Tx) error { return tx.SetUserDisabled(ctx, id, disabled) })
}

// SetUserDisabled is DB.SetUserDisabled inside tx.
func (tx *Tx) SetUserDisabled(ctx context.Context, id int64, disabled bool) error {
	if err := tx.touchUser(ctx, id, "disabled = ?", b2i(disabled)); err != nil {
		return err
	}
	if disabled {
		return tx.DeleteUserSessions(ctx, id)
	}
	return nil
}

// UserFilter narrows SubtreeUsers.
type UserFilter struct {
	// OrgID keeps the users of exactly that org (within the subtree).
	OrgID int64
	// Query matches user name or display name, case-insensitively; an
	// e-mail address or a mobile also matches the account's exactly (by digest).
	Query           string
	Role            fenghuo.Role
	IncludeDisabled bool
}

// SubtreeUsers lists the users of orgID's subtree (0: all), by user name.
func (db *DB) SubtreeUsers(ctx context.Context, orgID int64, f UserFilter, p Page) (ListResult[fenghuo.User], error) {
	return view(ctx, db, func(tx *Tx) (ListResult[fenghuo.User], error) { return tx.SubtreeUsers(ctx, orgID, f, p) })
}

// SubtreeUsers is DB.SubtreeUsers inside tx.
func (tx *Tx) SubtreeUsers(ctx context.Context, orgID int64, f UserFilter, p Page) (ListResult[fenghuo.User], error) {
	var res ListResult[fenghuo.User]
	where := []string{"1 = 1"}
	var args []any
	if orgID != 0 {
		root, err := tx.Org(ctx, orgID)
		if err != nil {
			return res, err
		}
		where, args = append(where, "o.path LIKE ?"), append(args, root.Path+"%")
	}
	if f.Query != "" {
		q := "%" + likeEscape(strings.ToLower(f.Query)) + "%"
		cond := `u.username_key LIKE ? ESCAPE '\' OR lower(u.display_name) LIKE ? ESCAPE '\'`
		args = append(args, q, q)
		if kind, ok := searchKind(f.Query); ok {
			// An e-mail address or a mobile finds its account exactly, by
			// digest: the columns are sealed.
			col := "u.mobile_digest"
			if kind == pii.Email {
				col = "u.email_digest"
			}
			dc, arg := tx.digestMatch(col, kind, f.Query)
			cond, args = cond+" OR "+dc, append(args, arg...)
		}
		where = append(where, "("+cond+")")
	}
	if f.Role != "" {
		if !f.Role.Valid() {
			return res, fenghuo.FieldErrorf("role", "Role %q is unknown.", f.Role)
		}
		where, args = append(where, "u.roles LIKE ?"), append(args, `%"`+string(f.Role)+`"%`)
	}
	if f.OrgID != 0 {
		where, args = append(where, "u.org_id = ?"), append(args, f.OrgID)
	}
	if !f.IncludeDisabled {
		where = append(where, "u.disabled = 0")
	}
	from := " FROM users u JOIN orgs o ON o.id = u.org_id WHERE " + strings.Join(where, " AND ")
	if err := tx.c.queryRow(ctx, "SELECT COUNT(*)"+from, args...).Scan(&res.Total); err != nil {
		return res, fmt.Errorf("store: count users: %w", err)
	}
	p = p.norm()
	rows, err := tx.c.query(ctx, "SELECT "+userColumns+from+" ORDER BY u.username_key LIMIT ? OFFSET ?",
		append(args, p.Limit, p.Offset)...)
	if err != nil {
		return res, fmt.Errorf("store: list users: %w", err)
	}
	defer rows.Close()
	res.Items = []fenghuo.User{}
	for rows.Next() {
		u, err := tx.scanUser(rows)
		if err != nil {
			return res, err
		}
		res.Items = append(res.Items, *u)
	}
	return res, rows.Err()
}
