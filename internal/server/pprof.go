package server

import (
	"log/slog"
	"net/http"
	"net/http/pprof"
	"strings"

	"fenghuo/internal/app/services"
	"fenghuo/internal/fenghuo"
)

// PprofHandler serves Go's profiler (net/http/pprof: /debug/pprof/ and
// its profiles) on a mux of its own, for the pprof_listen listener only:
// never on the console's. Every request, from loopback or not, needs
// "Authorization: Bearer fhk_…" with an admin-scope API token of a system
// administrator (account.ProfileToken): 401 without a valid token, 403 for
// another scope or role. A profile shows the program's code paths, memory
// and goroutines, not stored data; each request is logged with its user.
func PprofHandler(a *services.Services, log *slog.Logger) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /debug/pprof/", pprof.Index) // also heap, goroutine, allocs, block, mutex, threadcreate
	mux.HandleFunc("GET /debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("GET /debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("POST /debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("GET /debug/pprof/trace", pprof.Trace)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok {
			w.Header().Set("WWW-Authenticate", `Bearer realm="fenghuo pprof"`)
			plainError(w, r, errNoPprofToken, http.StatusUnauthorized)
			return
		}
		ac, err := a.Accounts.ProfileToken(r.Context(), strings.TrimSpace(token), ClientIP(r))
		switch {
		case err == nil:
			log.Info("pprof request", "path", r.URL.Path, "query", r.URL.RawQuery, "user", ac.User.Username, "user_id", ac.User.ID, "ip", ClientIP(r))
			mux.ServeHTTP(w, r)
		case fenghuo.ErrorCode(err) == fenghuo.EFORBIDDEN:
			log.Warn("pprof request refused", "path", r.URL.Path, "ip", ClientIP(r), "err", err)
			plainError(w, r, fenghuo.ErrorMessage(err), http.StatusForbidden)
		case fenghuo.ErrorCode(err) == fenghuo.EUNAUTHORIZED:
			w.Header().Set("WWW-Authenticate", `Bearer realm="fenghuo pprof"`)
			plainError(w, r, fenghuo.ErrorMessage(err), http.StatusUnauthorized)
		default:
			log.Error("pprof token check", "err", err)
			plainError(w, r, "Internal error. / 内部错误。", http.StatusInternalServerError)
		}
	})
	return Chain(h, Recover(log))
}

const errNoPprofToken = "The profiler needs \"Authorization: Bearer fhk_…\" with an admin-scope token of a system administrator. / 性能剖析需要系统管理员的 admin 权限令牌（Authorization: Bearer）。"
