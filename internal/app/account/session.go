package account

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/auth"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// Session stages: a session is usable only when full; before that the user
// has passed the password and must still give a TOTP code or enrol one.
const (
	StageFull   = "full"
	StageTOTP   = "totp"
	StageEnroll = "enroll"
)

// LoginResult is the outcome of a successful password step.
type LoginResult struct {
	Token string
	Stage string
	// Landing is where the user goes after a log-in without a ?next=
	// target: the wall for a display account, home for everyone else.
	Landing string
}

// DisplaySessionLifetime is the absolute lifetime of a display account's
// session. A wall display has no idle timeout (nobody touches it; it
// refreshes itself), so its session ends only after this, or when the
// account is disabled, its roles change, or it is used from an address
// outside its binding.
const DisplaySessionLifetime = 30 * 24 * time.Hour

// errDisplayReadOnly refuses a display account anything but reading: even
// its password and second factor are the security administrator's to set.
var errDisplayReadOnly = fenghuo.Errorf(fenghuo.EFORBIDDEN, "A display account only shows the wall and changes nothing; its password is reset by the security administrator. / 大屏展示账号只用于展示，不能修改任何内容；其密码由安全管理员重置。")

// errAddress refuses an account bound to addresses (AllowedAddresses)
// used from another one.
func errAddress(ip string) error {
	return fenghuo.Errorf(fenghuo.EFORBIDDEN, "This account may only be used from the addresses it is bound to, and this computer's address (%s) is not one of them: ask the security administrator to add it. / 该账号只能在绑定的地址上使用，本机地址（%s）不在其中，请联系安全管理员添加。", ip, ip)
}

var errLogin = fenghuo.Errorf(fenghuo.EUNAUTHORIZED, "Wrong user name or password. / 用户名或密码错误。")

// Login checks a user name and password. Unknown names, wrong passwords and
// disabled accounts get the same answer after the same work, and every
// attempt counts against the name as typed, so the answers reveal nothing
// about which accounts exist. Repeated failures throttle, then lock, the
// name (auth.LockoutPolicy), and failures from one client address across
// all names throttle that address (auth.SourcePolicy).
//
// Parallel guesses are each counted: the decision to accept an attempt and
// the failure it causes are made in one write transaction that holds the
// name's and the address's throttle rows locked (see lockLogin). The
// password is hashed before that transaction, so that a slow hash never
// holds the lock; an attempt the locked check then refuses is answered as
// throttled whatever the password was. One made during a throttle wait
// counts as a failure all the same (see refuseLogin), so 20 parallel wrong
// guesses lock the name; one refused during a lock is not counted.
func (a *Service) Login(ctx context.Context, username, password, ip, userAgent string) (*LoginResult, error) {
	key := fenghuo.UsernameKey(username)
	ac := &app.Actor{User: fenghuo.User{Username: username}, IP: ip, Via: "console"}
	if key == "" || len(key) > 128 || len(password) > 1024 {
		auth.DummyVerify(password)
		return nil, errLogin
	}
	source := auth.SourceKey(ip)
	// Attempts at one name take turns in this process: each then sees the
	// failures of the one before in the shortcut below and is refused
	// without hashing, instead of 20 parallel guesses costing 20 hashes for
	// 5 answers. (Replicas are kept right by the locked check, not by this.)
	release, err := a.logins.lock(ctx, key)
	if err != nil {
		return nil, err
	}
	defer release()
	// A shortcut only: refuse at once, without hashing, what the locked
	// check below would refuse anyway.
	if err := a.loginAllowed(ctx, ac, key, source); err != nil {
		return nil, err
	}
	user, err := a.core.DB().UserByUsername(ctx, username)
	if err != nil && fenghuo.ErrorCode(err) != fenghuo.ENOTFOUND {
		return nil, err
	}
	ok := false
	herr := a.withHashSlot(ctx, func() {
		if user == nil || user.PasswordHash == "" {
			auth.DummyVerify(password)
			return
		}
		ok, err = auth.VerifyPassword(password, user.PasswordHash)
		if err != nil {
			a.core.Logger().Error("verify password", "user", user.ID, "err", err)
			ok = false
		}
	})
	if herr != nil {
		return nil, herr
	}
	var res *LoginResult
	var refused error // an answer whose audit entry the transaction commits
	err = a.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		now := a.core.Now()
		state, tat, err := a.lockLogin(ctx, tx, key, source, now)
		if err != nil {
			refused, err = a.refuseLogin(ctx, tx, ac, key, source, state, tat, now, err)
			return err
		}
		if !ok || user.Disabled {
			refused = errLogin
			return a.loginFailed(ctx, tx, ac, key, source, state, tat, now, "password")
		}
		if user.IsAdmin() && !a.adminAllowed(ip) {
			ac.User = *user
			refused = fenghuo.Errorf(fenghuo.EFORBIDDEN, "Administrators may not log in from this network. / 管理员账号不允许从该网络登录。")
			return a.core.Record(ctx, tx, ac, "auth.login.network", "user", strconv.FormatInt(user.ID, 10), "denied", map[string]string{"ip": ip})
		}
		if !user.AddressAllowed(ip) {
			// The password was right: the account is not locked for this,
			// but the refusal is audited with the address it came from.
			ac.User = *user
			refused = errAddress(ip)
			return a.core.Record(ctx, tx, ac, "auth.login.address", "user", strconv.FormatInt(user.ID, 10), "denied",
				map[string]any{"ip": ip, "allowed_addresses": user.AllowedAddresses})
		}
		ac.User, ac.Org = *user, fenghuo.Org{ID: user.OrgID}
		stage := StageFull
		switch {
		case user.TOTPEnabled:
			stage = StageTOTP
		case user.IsAdmin() || user.MustEnrollTOTP:
			stage = StageEnroll
		case !user.HasRole(fenghuo.RoleDisplay):
			// The org's policy, or an ancestor's, may require TOTP of
			// every account (a display account only shows the wall and
			// is bound to addresses instead).
			from, err := tx.TOTPRequiredFrom(ctx, user.OrgID)
			if err != nil {
				return err
			}
			if from != 0 {
				stage = StageEnroll
			}
		}
		if stage == StageFull {
			if err := tx.SetLoginState(ctx, key, store.LoginState(a.lockout.Succeed(auth.LoginState(state)))); err != nil {
				return err
			}
		}
		token := auth.NewSessionToken()
		if err := a.newSession(ctx, tx, token, user, stage, ip, userAgent); err != nil {
			return err
		}
		res = &LoginResult{Token: token, Stage: stage, Landing: "/"}
		if user.HasRole(fenghuo.RoleDisplay) {
			res.Landing = "/wall"
		}
		return a.core.Record(ctx, tx, ac, "auth.login.password", "user", strconv.FormatInt(user.ID, 10), "success", map[string]string{"next": stage})
	})
	if err != nil {
		return nil, err
	}
	if refused != nil {
		return nil, refused
	}
	return res, nil
}

// loginAllowed reads (without locking) whether the name and the address may
// try now, and answers a refusal, audited, before any password is hashed.
func (a *Service) loginAllowed(ctx context.Context, ac *app.Actor, key, source string) error {
	stored, err := a.core.DB().LoginState(ctx, key)
	if err != nil {
		return err
	}
	tat, err := a.core.DB().LoginSource(ctx, source)
	if err != nil {
		return err
	}
	now := a.core.Now()
	err = a.allow(auth.LoginState(stored), tat, now)
	if err == nil {
		return nil
	}
	if !a.lockout.TooSoon(auth.LoginState(stored), now) {
		a.core.RecordAlone(ctx, ac, "auth.login.throttled", "user", ac.User.Username, "denied", throttleDetail(err))
		return err
	}
	// Too soon after a failure: the attempt counts, under the same locks as
	// a checked guess (the state may have moved since the read above).
	var refused error
	err = a.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		state, tat, err := a.lockLogin(ctx, tx, key, source, now)
		if err == nil {
			return nil // allowed meanwhile: go on and check the password
		}
		refused, err = a.refuseLogin(ctx, tx, ac, key, source, state, tat, now, err)
		return err
	})
	if err != nil {
		return err
	}
	return refused
}

// refuseLogin handles an attempt that lockLogin refused with throttled in
// tx: one made during the name's throttle wait counts as a failure (so a
// burst of guesses reaches the lock) and is answered with the wait that
// follows from it; one refused while the name is locked or the address is
// throttled is only audited. It returns the refusal to answer and the error
// that ends tx (nil to commit).
func (a *Service) refuseLogin(ctx context.Context, tx *store.Tx, ac *app.Actor, key, source string, state store.LoginState, tat, now time.Time, throttledErr error) (refused, txErr error) {
	var te *ThrottledError
	if !errors.As(throttledErr, &te) {
		return nil, throttledErr
	}
	if !a.lockout.TooSoon(auth.LoginState(state), now) {
		return throttledErr, a.recordThrottled(ctx, tx, ac, throttledErr)
	}
	next := a.lockout.Fail(auth.LoginState(state), now)
	if err := tx.SetLoginState(ctx, key, store.LoginState(next)); err != nil {
		return nil, err
	}
	refused = a.allow(next, tat, now)
	if refused == nil { // cannot happen: a failure just now is never followed by an open door
		refused = throttledErr
	}
	return refused, a.core.Record(ctx, tx, ac, "auth.login.failure", "user", ac.User.Username, "failure",
		map[string]any{"factor": "too_soon", "failures": next.Failures, "retry_after_s": int(refused.(*ThrottledError).Wait / time.Second)})
}

// lockLogin reads the throttle state of the name and of the client address
// in tx, holding both rows locked until tx ends (name first, then address,
// in every transaction, so two log-ins never wait on each other in opposite
// orders), and returns a *ThrottledError when either refuses an attempt
// now. Whatever tx then stores is computed from this state, so no failure
// of a parallel attempt is overwritten.
func (a *Service) lockLogin(ctx context.Context, tx *store.Tx, key, source string, now time.Time) (store.LoginState, time.Time, error) {
	state, err := tx.LockLoginState(ctx, key)
	if err != nil {
		return state, time.Time{}, err
	}
	tat, err := tx.LockLoginSource(ctx, source)
	if err != nil {
		return state, tat, err
	}
	return state, tat, a.allow(auth.LoginState(state), tat, now)
}

// allow applies both policies; the longer wait wins.
func (a *Service) allow(state auth.LoginState, tat, now time.Time) error {
	okName, waitName := a.lockout.Allow(state, now)
	okSource, waitSource := a.sources.Allow(tat, now)
	if okName && okSource {
		return nil
	}
	return throttled(max(waitName, waitSource))
}

// recordThrottled audits a refusal from lockLogin in tx; any other error
// (the database's) is returned as it is, rolling tx back.
func (a *Service) recordThrottled(ctx context.Context, tx *store.Tx, ac *app.Actor, err error) error {
	var te *ThrottledError
	if !errors.As(err, &te) {
		return err
	}
	return a.core.Record(ctx, tx, ac, "auth.login.throttled", "user", ac.User.Username, "denied", throttleDetail(err))
}

func throttleDetail(err error) map[string]any {
	var te *ThrottledError
	if errors.As(err, &te) {
		return map[string]any{"retry_after_s": int(te.Wait / time.Second)}
	}
	return nil
}

// ThrottledError is ETOOMANY with the time to wait, for Retry-After.
type ThrottledError struct {
	Err *fenghuo.Error
	// Wait is rounded by auth.RoundWait: Retry-After and the message both
	// say exactly this.
	Wait time.Duration
}

func (e *ThrottledError) Error() string { return e.Err.Error() }

// Unwrap exposes the coded error.
func (e *ThrottledError) Unwrap() error { return e.Err }

// RetryAfter is how long to wait before trying again.
func (e *ThrottledError) RetryAfter() time.Duration { return e.Wait }

func throttled(wait time.Duration) error {
	wait = auth.RoundWait(wait)
	return &ThrottledError{Err: fenghuo.Errorf(fenghuo.ETOOMANY, "Too many failed attempts: try again in %s. / 尝试次数过多，请%s后再试。",
		WaitText(wait, "en"), WaitText(wait, "zh")), Wait: wait}
}

// WaitText says a wait rounded by auth.RoundWait in words, in English ("en")
// or Chinese (anything else): "5 seconds", "1 minute" / "5秒", "1分钟".
func WaitText(wait time.Duration, lang string) string {
	n, unit, zh := int(wait/time.Second), "second", "秒"
	if wait >= time.Minute && wait%time.Minute == 0 {
		n, unit, zh = int(wait/time.Minute), "minute", "分钟"
	}
	if lang != "en" {
		return strconv.Itoa(n) + zh
	}
	if n != 1 {
		unit += "s"
	}
	return strconv.Itoa(n) + " " + unit
}

// loginFailed stores a failed attempt, computed from the state lockLogin
// read and locked in tx, and audits it.
func (a *Service) loginFailed(ctx context.Context, tx *store.Tx, ac *app.Actor, key, source string, state store.LoginState, tat, now time.Time, factor string) error {
	next, err := a.countFailure(ctx, tx, key, source, state, tat, now)
	if err != nil {
		return err
	}
	return a.core.Record(ctx, tx, ac, "auth.login.failure", "user", ac.User.Username, "failure",
		map[string]any{"factor": factor, "failures": next.Failures})
}

// countFailure stores a failed check of a password or a code against the
// name and the address, computed from the state lockLogin read and locked
// in tx, and returns the name's new state.
func (a *Service) countFailure(ctx context.Context, tx *store.Tx, key, source string, state store.LoginState, tat, now time.Time) (auth.LoginState, error) {
	next := a.lockout.Fail(auth.LoginState(state), now)
	if err := tx.SetLoginState(ctx, key, store.LoginState(next)); err != nil {
		return next, err
	}
	return next, tx.SetLoginSource(ctx, source, a.sources.Fail(tat, now))
}

func (a *Service) newSession(ctx context.Context, tx *store.Tx, token string, user *fenghuo.User, stage, ip, ua string) error {
	now := a.core.Now()
	limit := a.core.Config().SessionAbsolute
	// A wall display's full session has no idle timeout and a long life.
	display := stage == StageFull && user.HasRole(fenghuo.RoleDisplay)
	switch {
	case stage != StageFull:
		limit = 10 * time.Minute // a half-done log-in does not linger
	case display:
		limit = DisplaySessionLifetime
	}
	return tx.CreateSession(ctx, &store.Session{
		IDHash: auth.HashToken(token), UserID: user.ID, Stage: stage, IdleExempt: display,
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(limit), IP: ip, UserAgent: truncate(ua, 300),
	})
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

var errSession = fenghuo.Errorf(fenghuo.EUNAUTHORIZED, "Your session has ended: please log in again. / 会话已结束，请重新登录。")

// Session returns the actor of a session token and the session's stage.
// Sessions end after the idle and absolute timeouts, and at once when the
// user is disabled (disabling deletes them too).
func (a *Service) Session(ctx context.Context, token, ip string) (*app.Actor, string, error) {
	return a.session(ctx, token, ip, true)
}

// session is Session; touch false reads without counting as activity
// (QuietSession).
func (a *Service) session(ctx context.Context, token, ip string, touch bool) (*app.Actor, string, error) {
	if token == "" {
		return nil, "", errSession
	}
	hash := auth.HashToken(token)
	// The session, its user and the user's org in one read transaction
	// (this runs for every console request).
	var s *store.Session
	var user *fenghuo.User
	var org *fenghuo.Org
	var userErr, orgErr error
	err := a.core.DB().View(ctx, func(tx *store.Tx) error {
		var err error
		if s, err = tx.Session(ctx, hash); err != nil {
			return err
		}
		if user, userErr = tx.User(ctx, s.UserID); userErr == nil {
			org, orgErr = tx.Org(ctx, user.OrgID)
		}
		return nil
	})
	if err != nil {
		if fenghuo.ErrorCode(err) == fenghuo.ENOTFOUND {
			return nil, "", errSession
		}
		return nil, "", err
	}
	now := a.core.Now()
	if s.Expired(now, a.core.Config().SessionIdle) {
		a.core.DB().DeleteSession(ctx, hash)
		return nil, "", errSession
	}
	if userErr != nil || user.Disabled {
		a.core.DB().DeleteSession(ctx, hash)
		return nil, "", errSession
	}
	if !user.AddressAllowed(ip) {
		// The session stays: whoever carried its cookie elsewhere is
		// refused and audited, and the screen at the bound address goes on.
		a.core.RecordAlone(ctx, &app.Actor{User: *user, Org: fenghuo.Org{ID: user.OrgID}, IP: ip, Via: "console"},
			"auth.session.address", "user", strconv.FormatInt(user.ID, 10), "denied", map[string]any{"ip": ip, "allowed_addresses": user.AllowedAddresses})
		return nil, "", errAddress(ip)
	}
	if orgErr != nil {
		return nil, "", orgErr
	}
	// Write the last-seen time at most once a minute: reads stay reads.
	if touch && now.Sub(s.LastSeenAt) > time.Minute {
		if err := a.core.DB().TouchSession(ctx, hash, now); err != nil {
			return nil, "", err
		}
	}
	return &app.Actor{User: *user, Org: *org, IP: ip, Via: "console", SessionHash: hash}, s.Stage, nil
}

// Logout ends a session.
func (a *Service) Logout(ctx context.Context, ac *app.Actor) error {
	return a.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		if err := tx.DeleteSession(ctx, ac.SessionHash); err != nil && fenghuo.ErrorCode(err) != fenghuo.ENOTFOUND {
			return err
		}
		return a.core.Record(ctx, tx, ac, "auth.logout", "user", strconv.FormatInt(ac.User.ID, 10), "success", nil)
	})
}

// pendingSession loads a session in the given stage.
func (a *Service) pendingSession(ctx context.Context, token, stage string) (*store.Session, *fenghuo.User, error) {
	s, err := a.core.DB().Session(ctx, auth.HashToken(token))
	if err != nil || s.Stage != stage || !a.core.Now().Before(s.ExpiresAt) {
		return nil, nil, errSession
	}
	u, err := a.core.DB().User(ctx, s.UserID)
	if err != nil || u.Disabled {
		return nil, nil, errSession
	}
	return s, u, nil
}

// VerifyTOTP completes a log-in with the second factor and returns a new
// session token (the old one is discarded, so a token seen before the
// second factor is worth nothing after it). Wrong codes count against the
// name and the address like wrong passwords, in the same locked
// transaction as the check.
func (a *Service) VerifyTOTP(ctx context.Context, token, code, ip, ua string) (string, error) {
	s, u, err := a.pendingSession(ctx, token, StageTOTP)
	if err != nil {
		return "", err
	}
	key, source := fenghuo.UsernameKey(u.Username), auth.SourceKey(ip)
	ac := &app.Actor{User: *u, Org: fenghuo.Org{ID: u.OrgID}, IP: ip, Via: "console"}
	secret, err := a.openTOTP(u)
	if err != nil {
		return "", err
	}
	newToken := auth.NewSessionToken()
	var refused error
	err = a.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		now := a.core.Now()
		state, tat, err := a.lockLogin(ctx, tx, key, source, now)
		if err != nil {
			refused, err = a.refuseLogin(ctx, tx, ac, key, source, state, tat, now, err)
			return err
		}
		// The last used step, read under the name's lock: two requests with
		// the same code cannot both pass.
		fresh, err := tx.User(ctx, u.ID)
		if err != nil {
			return err
		}
		factor := "totp"
		if auth.IsRecoveryCode(code) {
			// A recovery code instead of the authenticator's: each works
			// once, deleted here under the name's lock.
			factor = "recovery_code"
			hashes, err := tx.RecoveryCodeHashes(ctx, u.ID)
			if err != nil {
				return err
			}
			i, ok := auth.MatchRecoveryCode(code, hashes)
			if ok {
				ok, err = tx.UseRecoveryCode(ctx, u.ID, hashes[i])
				if err != nil {
					return err
				}
			}
			if !ok {
				refused = fenghuo.Errorf(fenghuo.EUNAUTHORIZED, "The code is wrong or was already used. / 验证码错误或已使用。")
				return a.loginFailed(ctx, tx, ac, key, source, state, tat, now, factor)
			}
			if err := a.core.Record(ctx, tx, ac, "auth.recovery_code.use", "user", strconv.FormatInt(u.ID, 10), "success",
				map[string]int{"remaining": len(hashes) - 1}); err != nil {
				return err
			}
		} else {
			step, ok := auth.VerifyTOTP(secret, code, now, fresh.TOTPLastStep)
			if !ok {
				refused = fenghuo.Errorf(fenghuo.EUNAUTHORIZED, "The code is wrong or was already used. / 验证码错误或已使用。")
				return a.loginFailed(ctx, tx, ac, key, source, state, tat, now, factor)
			}
			if err := tx.SetTOTPStep(ctx, u.ID, step); err != nil {
				return err
			}
		}
		if err := tx.SetLoginState(ctx, key, store.LoginState(a.lockout.Succeed(auth.LoginState(state)))); err != nil {
			return err
		}
		if err := tx.DeleteSession(ctx, s.IDHash); err != nil {
			return err
		}
		if err := a.newSession(ctx, tx, newToken, u, StageFull, ip, ua); err != nil {
			return err
		}
		return a.core.Record(ctx, tx, ac, "auth.login.success", "user", strconv.FormatInt(u.ID, 10), "success", map[string]string{"factor": factor})
	})
	if err != nil {
		return "", err
	}
	if refused != nil {
		return "", refused
	}
	return newToken, nil
}

func (a *Service) openTOTP(u *fenghuo.User) (string, error) {
	if u.TOTPSecretSealed == "" {
		return "", fenghuo.Errorf(fenghuo.EINVALID, "No authenticator is set up for this account. / 该账号尚未设置动态验证码。")
	}
	b, err := a.core.Sealer().Open(u.TOTPSecretSealed, totpAD(u.ID))
	if err != nil {
		return "", fmt.Errorf("open TOTP secret of user %d: %w", u.ID, err)
	}
	return string(b), nil
}

// totpAD binds a sealed TOTP secret to its user, so it cannot be copied to
// another account in the database.
func totpAD(userID int64) []byte { return []byte("totp:" + strconv.FormatInt(userID, 10)) }

// BeginTOTPEnrollment gives the user of a session in the enrol stage (or a
// logged-in user turning TOTP on) a new secret to add to an authenticator.
func (a *Service) BeginTOTPEnrollment(ctx context.Context, userID int64) (secret, otpauthURL string, err error) {
	u, err := a.core.DB().User(ctx, userID)
	if err != nil {
		return "", "", err
	}
	if u.HasRole(fenghuo.RoleDisplay) {
		return "", "", errDisplayReadOnly
	}
	if u.TOTPEnabled {
		return "", "", fenghuo.Errorf(fenghuo.ECONFLICT, "Two-factor authentication is already on. / 已启用双因素认证。")
	}
	secret, otpauthURL, err = auth.NewTOTPSecret(a.core.Config().TOTPIssuer, u.Username)
	if err != nil {
		return "", "", err
	}
	sealed, err := a.core.Sealer().Seal([]byte(secret), totpAD(u.ID))
	if err != nil {
		return "", "", err
	}
	if err := a.core.DB().SetTOTPSecret(ctx, u.ID, sealed, false); err != nil {
		return "", "", err
	}
	return secret, otpauthURL, nil
}

// EnrollmentUser returns the user of a session in the enrol stage.
func (a *Service) EnrollmentUser(ctx context.Context, token string) (*fenghuo.User, error) {
	_, u, err := a.pendingSession(ctx, token, StageEnroll)
	return u, err
}

// ConfirmTOTPEnrollment turns TOTP on once the user proves the
// authenticator works, and returns the user's new recovery codes, to be
// shown once: only their SM3 hashes are stored. For a session in the enrol
// stage it finishes the log-in and returns a new full session token.
func (a *Service) ConfirmTOTPEnrollment(ctx context.Context, token, code, ip, ua string) (string, []string, error) {
	hash := auth.HashToken(token)
	s, err := a.core.DB().Session(ctx, hash)
	if err != nil || !a.core.Now().Before(s.ExpiresAt) {
		return "", nil, errSession
	}
	u, err := a.core.DB().User(ctx, s.UserID)
	if err != nil || u.Disabled {
		return "", nil, errSession
	}
	if u.TOTPEnabled {
		return "", nil, fenghuo.Errorf(fenghuo.ECONFLICT, "Two-factor authentication is already on. / 已启用双因素认证。")
	}
	secret, err := a.openTOTP(u)
	if err != nil {
		return "", nil, err
	}
	ac := &app.Actor{User: *u, Org: fenghuo.Org{ID: u.OrgID}, IP: ip, Via: "console"}
	step, ok := auth.VerifyTOTP(secret, code, a.core.Now(), u.TOTPLastStep)
	if !ok {
		a.core.RecordAlone(ctx, ac, "auth.totp.enroll", "user", strconv.FormatInt(u.ID, 10), "failure", nil)
		return "", nil, fenghuo.FieldErrorf("code", "The code does not match: check the authenticator's clock and try the next code. / 验证码不匹配，请核对手机时间后重试。")
	}
	codes, hashes := auth.NewRecoveryCodes()
	newToken := token
	err = a.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		if err := tx.SetTOTPSecret(ctx, u.ID, u.TOTPSecretSealed, true); err != nil {
			return err
		}
		if err := tx.ReplaceRecoveryCodes(ctx, u.ID, hashes); err != nil {
			return err
		}
		if err := tx.SetTOTPStep(ctx, u.ID, step); err != nil {
			return err
		}
		if s.Stage == StageEnroll {
			newToken = auth.NewSessionToken()
			if err := tx.DeleteSession(ctx, hash); err != nil {
				return err
			}
			if err := a.newSession(ctx, tx, newToken, u, StageFull, ip, ua); err != nil {
				return err
			}
			if err := tx.SetLoginState(ctx, fenghuo.UsernameKey(u.Username), store.LoginState{}); err != nil {
				return err
			}
		}
		return a.core.Record(ctx, tx, ac, "auth.totp.enroll", "user", strconv.FormatInt(u.ID, 10), "success",
			map[string]int{"recovery_codes": len(hashes)})
	})
	if err != nil {
		return "", nil, err
	}
	return newToken, codes, nil
}

// RecoveryCodesLeft is how many unused recovery codes the user has.
func (a *Service) RecoveryCodesLeft(ctx context.Context, userID int64) (int, error) {
	hashes, err := a.core.DB().RecoveryCodeHashes(ctx, userID)
	return len(hashes), err
}

// ChangePassword changes the actor's own password after checking the
// current one, ends every other session of the user and returns a new
// token for this one.
func (a *Service) ChangePassword(ctx context.Context, ac *app.Actor, current, next, ua string) (string, error) {
	if ac.User.HasRole(fenghuo.RoleDisplay) {
		a.core.RecordAlone(ctx, ac, "user.password.change", "user", strconv.FormatInt(ac.User.ID, 10), "denied", nil)
		return "", errDisplayReadOnly
	}
	u, err := a.core.DB().User(ctx, ac.User.ID)
	if err != nil {
		return "", err
	}
	if ok, _ := auth.VerifyPassword(current, u.PasswordHash); !ok {
		a.core.RecordAlone(ctx, ac, "user.password.change", "user", strconv.FormatInt(u.ID, 10), "failure", nil)
		return "", fenghuo.FieldErrorf("current", "The current password is wrong. / 当前密码不正确。")
	}
	if err := checkNewPassword(next, u); err != nil {
		return "", err
	}
	hash, err := auth.HashPassword(next)
	if err != nil {
		return "", err
	}
	token := auth.NewSessionToken()
	err = a.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		if err := tx.SetPassword(ctx, u.ID, hash); err != nil {
			return err
		}
		if err := tx.DeleteUserSessions(ctx, u.ID); err != nil {
			return err
		}
		if err := a.newSession(ctx, tx, token, u, StageFull, ac.IP, ua); err != nil {
			return err
		}
		return a.core.Record(ctx, tx, ac, "user.password.change", "user", strconv.FormatInt(u.ID, 10), "success", nil)
	})
	return token, err
}

// checkNewPassword applies the password policy with the user's own names
// as forbidden inputs.
func checkNewPassword(pw string, u *fenghuo.User) error {
	err := auth.CheckPassword(pw, u.Username, u.Email, u.DisplayName)
	var pe *auth.PasswordError
	if errors.As(err, &pe) {
		return &fenghuo.Error{Code: fenghuo.EINVALID, Field: "password", Message: pe.MessageEN + " / " + pe.MessageZH}
	}
	return err
}

// nameGate is a lock per log-in name, held only while someone holds or
// waits for it. The zero value is ready.
type nameGate struct {
	mu    sync.Mutex
	names map[string]*gateEntry
}

type gateEntry struct {
	turn chan struct{} // holds a token while the name is taken
	refs int
}

// lock waits for name's turn (or ctx's end) and returns its release.
func (g *nameGate) lock(ctx context.Context, name string) (func(), error) {
	g.mu.Lock()
	if g.names == nil {
		g.names = map[string]*gateEntry{}
	}
	e := g.names[name]
	if e == nil {
		e = &gateEntry{turn: make(chan struct{}, 1)}
		g.names[name] = e
	}
	e.refs++
	g.mu.Unlock()
	done := func() {
		g.mu.Lock()
		if e.refs--; e.refs == 0 {
			delete(g.names, name)
		}
		g.mu.Unlock()
	}
	select {
	case e.turn <- struct{}{}:
		return func() { <-e.turn; done() }, nil
	case <-ctx.Done():
		done()
		return nil, ctx.Err()
	}
}
