package account

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/auth"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// CreateAPIToken issues an API token for the actor's own account. The
// token is returned once; only its hash is stored.
func (a *Service) CreateAPIToken(ctx context.Context, ac *app.Actor, name string, scope auth.Scope, days int) (string, *store.APIToken, error) {
	if ac.User.HasRole(fenghuo.RoleDisplay) {
		return "", nil, errDisplayReadOnly
	}
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 100 {
		return "", nil, fenghuo.FieldErrorf("name", "Say what the token is for, in up to 100 characters. / 请填写令牌用途（不超过100字）。")
	}
	if _, err := auth.ParseScope(string(scope)); err != nil {
		return "", nil, fenghuo.FieldErrorf("scope", "Choose read, write, admin or metrics. / 权限应为 read、write、admin 或 metrics。")
	}
	if (scope == auth.ScopeAdmin || scope == auth.ScopeMetrics) && !ac.User.IsAdmin() {
		return "", nil, fenghuo.FieldErrorf("scope", "Only administrators may issue admin and metrics tokens. / 只有管理员可以创建 admin 或 metrics 令牌。")
	}
	if days < 1 || days > 366 {
		return "", nil, fenghuo.FieldErrorf("expires_days", "A token is valid for 1 to 366 days. / 有效期应为1至366天。")
	}
	if ac.Scope != "" {
		return "", nil, fenghuo.Errorf(fenghuo.EFORBIDDEN, "Tokens are issued from the console, not with another token. / 请在控制台创建令牌。")
	}
	token := auth.NewAPIToken()
	t := &store.APIToken{UserID: ac.User.ID, Name: name, TokenHash: auth.HashToken(token), Scopes: []string{string(scope)},
		CreatedAt: a.core.Now(), ExpiresAt: a.core.Now().Add(time.Duration(days) * 24 * time.Hour)}
	err := a.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		if err := tx.CreateAPIToken(ctx, t); err != nil {
			return err
		}
		return a.core.Record(ctx, tx, ac, "token.create", "api_token", strconv.FormatInt(t.ID, 10), "success",
			map[string]any{"name": name, "scope": scope, "expires_days": days})
	})
	if err != nil {
		return "", nil, err
	}
	return token, t, nil
}

// APITokens lists the actor's own tokens.
func (a *Service) APITokens(ctx context.Context, ac *app.Actor) ([]store.APIToken, error) {
	return a.core.DB().UserAPITokens(ctx, ac.User.ID)
}

// RevokeAPIToken deletes one of the actor's own tokens.
func (a *Service) RevokeAPIToken(ctx context.Context, ac *app.Actor, id int64) error {
	return a.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		if err := tx.DeleteAPIToken(ctx, ac.User.ID, id); err != nil {
			return err
		}
		return a.core.Record(ctx, tx, ac, "token.revoke", "api_token", strconv.FormatInt(id, 10), "success", nil)
	})
}

var errToken = fenghuo.Errorf(fenghuo.EUNAUTHORIZED, "The API token is missing, unknown, expired or revoked. / API令牌无效或已过期。")

// TokenActor returns the actor of an API token. A metrics token is refused
// here: it reads /metrics (MetricsToken) and nothing else.
func (a *Service) TokenActor(ctx context.Context, token, ip string) (*app.Actor, error) {
	ac, err := a.tokenActor(ctx, token, ip)
	if err == nil && ac.Scope == auth.ScopeMetrics {
		return nil, fenghuo.Errorf(fenghuo.EFORBIDDEN, "This token may only read /metrics. / 该令牌只能读取 /metrics。")
	}
	return ac, err
}

// MetricsToken checks that token is a valid API token with the metrics
// scope, for a Prometheus scraper reading /metrics on the console's
// listener: EUNAUTHORIZED for no valid token, EFORBIDDEN for another scope.
func (a *Service) MetricsToken(ctx context.Context, token, ip string) error {
	ac, err := a.tokenActor(ctx, token, ip)
	if err != nil {
		return err
	}
	if !ac.Scope.Allows(auth.ScopeMetrics) {
		return fenghuo.Errorf(fenghuo.EFORBIDDEN, "/metrics needs a token with the metrics scope. / 读取 /metrics 需要 metrics 权限的令牌。")
	}
	return nil
}

// ProfileToken checks that token is a valid admin-scope API token of a
// system administrator, for Go's profiler on its own listener
// (pprof_listen): EUNAUTHORIZED for no valid token, EFORBIDDEN for another
// scope or another role. It returns the token's actor, for the log.
func (a *Service) ProfileToken(ctx context.Context, token, ip string) (*app.Actor, error) {
	ac, err := a.tokenActor(ctx, token, ip)
	if err != nil {
		return nil, err
	}
	if ac.Scope != auth.ScopeAdmin || !ac.User.HasRole(fenghuo.RoleSystemAdmin) {
		return nil, fenghuo.Errorf(fenghuo.EFORBIDDEN, "The profiler needs an admin-scope token of a system administrator. / 性能剖析需要系统管理员的 admin 权限令牌。")
	}
	return ac, nil
}

func (a *Service) tokenActor(ctx context.Context, token, ip string) (*app.Actor, error) {
	if auth.ParseAPIToken(token) != nil {
		return nil, errToken
	}
	// The token, its user and the user's org in one read transaction: this
	// runs for every API request (three transactions were a quarter of
	// serve's CPU in the writes benchmark on PostgreSQL).
	var t *store.APIToken
	var u *fenghuo.User
	var o *fenghuo.Org
	err := a.core.DB().View(ctx, func(tx *store.Tx) error {
		var err error
		if t, err = tx.APITokenByHash(ctx, auth.HashToken(token)); err != nil {
			return errToken
		}
		if u, err = tx.User(ctx, t.UserID); err != nil {
			return errToken
		}
		o, err = tx.Org(ctx, u.OrgID)
		return err
	})
	if errors.Is(err, errToken) {
		return nil, errToken
	}
	if err != nil {
		return nil, err
	}
	now := a.core.Now()
	if !t.ExpiresAt.IsZero() && !now.Before(t.ExpiresAt) {
		return nil, errToken
	}
	if u.Disabled {
		return nil, errToken
	}
	if !u.AddressAllowed(ip) {
		a.core.RecordAlone(ctx, &app.Actor{User: *u, Org: fenghuo.Org{ID: u.OrgID}, IP: ip, Via: "api"},
			"auth.token.address", "user", strconv.FormatInt(u.ID, 10), "denied", map[string]any{"ip": ip, "allowed_addresses": u.AllowedAddresses})
		return nil, errAddress(ip)
	}
	if u.IsAdmin() && !u.TOTPEnabled {
		// An administrator who never completed the second factor has no API either.
		return nil, errToken
	}
	scope := auth.ScopeRead
	if len(t.Scopes) > 0 {
		scope = auth.Scope(t.Scopes[0])
	}
	if now.Sub(t.LastUsedAt) > time.Minute {
		a.core.DB().TouchAPIToken(ctx, t.ID, now)
	}
	return &app.Actor{User: *u, Org: *o, IP: ip, Via: "api", Scope: scope}, nil
}
