// Package api is Fenghuo's JSON API under /api/v1, described by the OpenAPI
// document it serves at /api/v1/openapi.json. Handlers parse the request,
// let the app authorise and do the work, and write JSON; every rule about
// who may do what lives in internal/app.
package api

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"strings"

	"fenghuo/internal/app"
	"fenghuo/internal/app/account"
	"fenghuo/internal/app/services"
	"fenghuo/internal/app/signing"
	"fenghuo/internal/docsign"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/server/clientip"
)

// Options configure the API.
type Options struct {
	Logger *slog.Logger
	// SecureCookies marks the session cookie Secure even when TLS ends at a
	// proxy in front of the server.
	SecureCookies bool
	// AdminNetworks, when set, are the only networks administrators may use
	// the API from, as for the console log-in.
	AdminNetworks []string
}

// Handler serves the API.
type Handler struct {
	app      *services.Services
	log      *slog.Logger
	secure   bool
	adminNet []*net.IPNet
	// adminNetBroken fails closed when AdminNetworks holds a bad CIDR, so a
	// typo never opens the admin side to every network.
	adminNetBroken bool
	routes         []Route
}

// New returns the API handler.
func New(a *services.Services, opts Options) *Handler {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	h := &Handler{app: a, log: opts.Logger, secure: opts.SecureCookies}
	for _, n := range opts.AdminNetworks {
		_, ipn, err := net.ParseCIDR(n)
		if err != nil {
			h.log.Error("api: bad admin network; administrators are refused until it is fixed", "network", n, "err", err)
			h.adminNetBroken = true
			continue
		}
		h.adminNet = append(h.adminNet, ipn)
	}
	h.routes = h.table()
	h.routes = append(h.routes, h.aftermathRoutes()...)  // aftermath
	h.routes = append(h.routes, h.drillRoutes()...)      // drills, training, capability (issue 12, P5)
	h.routes = append(h.routes, h.drillRunRoutes()...)   // drill mode (issue 12 item 6)
	h.routes = append(h.routes, h.awarenessRoutes()...)  // situational awareness (issue 13 item 1)
	h.routes = append(h.routes, h.statisticsRoutes()...) // statistics, period grid, 统计通报 (issue 13 items 4, 8)
	h.routes = append(h.routes, h.alertRoutes()...)      // alerts, events, intake sources (issue 14)
	h.routes = append(h.routes, h.ruleSetRoutes()...)    // detection rules (issue 14 item 3)
	return h
}

// Routes registers every route of the route table on mux, and a JSON 404/405
// for anything else under /api/v1/ (instead of the console's HTML page).
func (h *Handler) Routes(mux *http.ServeMux) {
	for _, rt := range h.routes {
		next := rt.handler
		if !rt.Public {
			next = h.authed(next)
		}
		mux.HandleFunc(rt.Method+" "+rt.Pattern, noStore(next))
	}
	// One fallback per method rather than a method-less "/api/v1/", which
	// would conflict with a console catch-all such as "GET /".
	for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
		mux.HandleFunc(m+" "+Prefix+"/", noStore(h.unmatched))
	}
}

// Prefix is where the API is mounted.
const Prefix = "/api/v1"

// Table returns the route table: what Routes serves and what the OpenAPI
// document describes.
func (h *Handler) Table() []Route { return h.routes }

func noStore(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		// Answers carry accounts, systems and audit entries: never cache them.
		w.Header().Set("Cache-Control", "no-store")
		next(w, r)
	}
}

// unmatched answers a path or method the table does not serve.
func (h *Handler) unmatched(w http.ResponseWriter, r *http.Request) {
	var allow []string
	for _, rt := range h.routes {
		if matchTemplate(rt.Pattern, r.URL.Path) && !contains(allow, rt.Method) {
			allow = append(allow, rt.Method)
		}
	}
	if len(allow) > 0 {
		w.Header().Set("Allow", strings.Join(allow, ", "))
		writeError(w, r, http.StatusMethodNotAllowed, &fenghuo.Error{Code: "method_not_allowed",
			Message: "Use " + strings.Join(allow, " or ") + " on this path. / 该路径不支持此方法。"})
		return
	}
	h.error(w, r, fenghuo.Errorf(fenghuo.ENOTFOUND, "No API route %s %s: see /api/v1/openapi.json. / 接口不存在。", r.Method, r.URL.Path))
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// matchTemplate reports whether path fits a pattern such as
// /api/v1/orgs/{id}, each {name} standing for one non-empty segment.
func matchTemplate(pattern, path string) bool {
	ps, xs := strings.Split(pattern, "/"), strings.Split(path, "/")
	if len(ps) != len(xs) {
		return false
	}
	for i := range ps {
		if strings.HasPrefix(ps[i], "{") {
			if xs[i] == "" {
				return false
			}
		} else if ps[i] != xs[i] {
			return false
		}
	}
	return true
}

type actorKey struct{}

func actor(r *http.Request) *app.Actor {
	ac, _ := r.Context().Value(actorKey{}).(*app.Actor)
	return ac
}

// authed resolves the caller: an API token (Authorization: Bearer fhk_…)
// first, else the console session cookie, which must have passed the
// second factor.
func (h *Handler) authed(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ac, err := h.caller(r)
		if err == nil && ac.User.IsAdmin() && !h.adminAllowed(ac.IP) {
			err = fenghuo.Errorf(fenghuo.EFORBIDDEN, "Administrators may not use the API from this network. / 管理员账号不允许从该网络访问。")
		}
		if err != nil {
			h.error(w, r, err)
			return
		}
		// Every document the API exports carries the SM2 signature of the
		// caller's office (issue 15 item 1), signed here in one place.
		sw := docsign.NewResponseSigner(w, signing.MaxDocument, func(b []byte) ([]byte, error) {
			return h.app.Signing.SignDocument(r.Context(), ac, b)
		})
		next(sw, r.WithContext(context.WithValue(r.Context(), actorKey{}, ac)))
		if err := sw.Finish(); err != nil {
			h.error(w, r, err)
		}
	}
}

func (h *Handler) caller(r *http.Request) (*app.Actor, error) {
	ip := clientip.Of(r)
	if authz := r.Header.Get("Authorization"); authz != "" {
		token, ok := strings.CutPrefix(authz, "Bearer ")
		if !ok {
			return nil, fenghuo.Errorf(fenghuo.EUNAUTHORIZED, "Send the token as \"Authorization: Bearer fhk_…\". / 请以Bearer方式提供API令牌。")
		}
		return h.app.Accounts.TokenActor(r.Context(), strings.TrimSpace(token), ip)
	}
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return nil, fenghuo.Errorf(fenghuo.EUNAUTHORIZED, "Log in with POST /api/v1/session or send an API token. / 请先登录或提供API令牌。")
	}
	ac, stage, err := h.app.Accounts.Session(r.Context(), c.Value, ip)
	if err != nil {
		return nil, err
	}
	if stage != account.StageFull {
		return nil, fenghuo.Errorf(fenghuo.EUNAUTHORIZED, "Finish the log-in with the second factor first. / 请先完成双因素认证。")
	}
	ac.Via = "api"
	return ac, nil
}

// adminAllowed reports whether an administrator may act from ip.
func (h *Handler) adminAllowed(ip string) bool {
	if h.adminNetBroken {
		return false
	}
	if len(h.adminNet) == 0 {
		return true
	}
	addr := net.ParseIP(ip)
	for _, n := range h.adminNet {
		if addr != nil && n.Contains(addr) {
			return true
		}
	}
	return false
}
