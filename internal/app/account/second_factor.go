package account

import (
	"context"
	"strconv"

	"fenghuo/internal/app"
	"fenghuo/internal/auth"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// LowRecoveryCodes is the count of unused recovery codes at or below which
// the profile warns that a new set should be drawn.
const LowRecoveryCodes = 2

var errRecoveryWrongCode = fenghuo.FieldErrorf("code", "The code is wrong or was already used: give the current code from the authenticator app. / 验证码错误或已使用，请输入动态验证码应用上当前的验证码。")

// RenewRecoveryCodes draws a new set of recovery codes for the actor
// without enrolling again. The person proves both factors once more: the
// password and a current code from the authenticator (a recovery code does
// not draw new ones; whoever lost the phone asks the security administrator
// for a reset). The old set is deleted in the transaction that stores the
// new one, so no code of it works afterwards; the new codes are returned to
// be shown once (only their SM3 hashes are kept). Wrong answers count
// against the name and the address like a failed log-in, under the same
// locks, so this form is no way round the lockout for guessing codes.
func (a *Service) RenewRecoveryCodes(ctx context.Context, ac *app.Actor, password, code string) ([]string, error) {
	const action = "auth.recovery_codes.renew"
	uid := strconv.FormatInt(ac.User.ID, 10)
	if ac.User.HasRole(fenghuo.RoleDisplay) {
		a.core.RecordAlone(ctx, ac, action, "user", uid, "denied", nil)
		return nil, errDisplayReadOnly
	}
	if ac.Scope != "" {
		return nil, fenghuo.Errorf(fenghuo.EFORBIDDEN, "Recovery codes are drawn with a log-in session (the console, or POST /api/v1/session), not with an API token. / 请使用登录会话（控制台或POST /api/v1/session）生成恢复码，不能使用API令牌。")
	}
	u, err := a.core.DB().User(ctx, ac.User.ID)
	if err != nil {
		return nil, err
	}
	if !u.TOTPEnabled {
		return nil, fenghuo.Errorf(fenghuo.ECONFLICT, "Two-factor authentication is not on: turning it on gives the first set of recovery codes. / 尚未启用双因素认证，启用时会生成第一组恢复码。")
	}
	if auth.IsRecoveryCode(code) {
		return nil, fenghuo.FieldErrorf("code", "Give the current code from the authenticator app: a recovery code does not draw new ones. / 请输入动态验证码应用上当前的验证码，恢复码不能用于生成新的恢复码。")
	}
	secret, err := a.openTOTP(u)
	if err != nil {
		return nil, err
	}
	ok := false
	if len(password) <= 1024 {
		herr := a.withHashSlot(ctx, func() {
			ok, err = auth.VerifyPassword(password, u.PasswordHash)
			if err != nil {
				a.core.Logger().Error("verify password", "user", u.ID, "err", err)
				ok = false
			}
		})
		if herr != nil {
			return nil, herr
		}
	}
	codes, hashes := auth.NewRecoveryCodes()
	key, source := fenghuo.UsernameKey(u.Username), auth.SourceKey(ac.IP)
	var refused error
	err = a.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		now := a.core.Now()
		state, tat, err := a.lockLogin(ctx, tx, key, source, now)
		if err != nil {
			refused, err = a.refuseLogin(ctx, tx, ac, key, source, state, tat, now, err)
			return err
		}
		failed := func(factor string, why error) error {
			refused = why
			next, err := a.countFailure(ctx, tx, key, source, state, tat, now)
			if err != nil {
				return err
			}
			return a.core.Record(ctx, tx, ac, action, "user", uid, "failure", map[string]any{"factor": factor, "failures": next.Failures})
		}
		if !ok {
			return failed("password", fenghuo.FieldErrorf("password", "The password is wrong. / 密码不正确。"))
		}
		// The last used step, read under the name's lock: a code is
		// accepted once, here as at log-in.
		fresh, err := tx.User(ctx, u.ID)
		if err != nil {
			return err
		}
		step, valid := auth.VerifyTOTP(secret, code, now, fresh.TOTPLastStep)
		if !valid {
			return failed("totp", errRecoveryWrongCode)
		}
		if err := tx.SetTOTPStep(ctx, u.ID, step); err != nil {
			return err
		}
		if err := tx.SetLoginState(ctx, key, store.LoginState(a.lockout.Succeed(auth.LoginState(state)))); err != nil {
			return err
		}
		old, err := tx.RecoveryCodeHashes(ctx, u.ID)
		if err != nil {
			return err
		}
		if err := tx.ReplaceRecoveryCodes(ctx, u.ID, hashes); err != nil {
			return err
		}
		return a.core.Record(ctx, tx, ac, action, "user", uid, "success",
			map[string]int{"recovery_codes": len(hashes), "replaced": len(old)})
	})
	if err != nil {
		return nil, err
	}
	if refused != nil {
		return nil, refused
	}
	return codes, nil
}

// ResetSecondFactor clears another person's second factor, for a lost or
// replaced phone: the TOTP secret and every recovery code are deleted, the
// person's sessions end, the throttle on the name is forgotten (the
// administrator has checked who is asking), and the next log-in goes
// through enrolment whatever the org's policy says. It is the security
// administrator's task (三权分立: accounts are theirs; user.write) over the
// person's org or an org below the administrator's own. Nobody resets their
// own second factor. Every attempt is audited with who and whom, refusals
// too; a refusal is the same 403 whether the account is outside the
// administrator's subtree or does not exist, so it says nothing about
// accounts elsewhere.
func (a *Service) ResetSecondFactor(ctx context.Context, ac *app.Actor, id int64) error {
	const action = "user.totp.reset"
	var refused error
	err := a.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		deny := func(why error, detail any) error {
			refused = why
			return a.core.Record(ctx, tx, ac, action, "user", userID(id), "denied", detail)
		}
		u, err := tx.User(ctx, id)
		if fenghuo.ErrorCode(err) == fenghuo.ENOTFOUND {
			return deny(errResetForbidden, nil)
		}
		if err != nil {
			return err
		}
		o, err := tx.Org(ctx, u.OrgID)
		if err != nil {
			return err
		}
		who := map[string]any{"username": u.Username, "org_id": u.OrgID}
		if !ac.CanAt(fenghuo.PermUserWrite, o.Path) {
			return deny(errResetForbidden, who)
		}
		if u.ID == ac.User.ID {
			return deny(fenghuo.Errorf(fenghuo.EFORBIDDEN, "Nobody resets their own second factor: ask another security administrator. / 不能重置自己的双因素认证，请联系其他安全管理员。"), who)
		}
		if u.HasRole(fenghuo.RoleDisplay) {
			refused = fenghuo.Errorf(fenghuo.EINVALID, "A display account has no second factor: it is bound to the addresses of its screen. / 大屏展示账号不使用双因素认证，而是绑定大屏电脑的地址。")
			return nil
		}
		had := u.TOTPEnabled
		removed, err := tx.ClearSecondFactor(ctx, u.ID)
		if err != nil {
			return err
		}
		if err := tx.DeleteUserSessions(ctx, u.ID); err != nil {
			return err
		}
		if err := tx.SetLoginState(ctx, fenghuo.UsernameKey(u.Username), store.LoginState{}); err != nil {
			return err
		}
		who["had_totp"], who["recovery_codes_removed"] = had, removed
		return a.core.Record(ctx, tx, ac, action, "user", userID(u.ID), "success", who)
	})
	if err != nil {
		return err
	}
	return refused
}

var errResetForbidden = fenghuo.Errorf(fenghuo.EFORBIDDEN, "Only a security administrator of the person's organisation or of an organisation above it may reset their second factor. / 只有该账号所属机构或其上级机构的安全管理员可以重置其双因素认证。")
