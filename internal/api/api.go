// Package api is Fenghuo's JSON API under /api/v1, described by the OpenAPI
// document it serves at /api/v1/openapi.json.
package api

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"fenghuo/internal/app"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/server/clientip"
	"fenghuo/internal/store"
)

// Options configure the API.
type Options struct {
	Logger *slog.Logger
}

// Handler serves the API.
type Handler struct {
	app *app.App
	log *slog.Logger
}

// New returns the API handler.
func New(a *app.App, opts Options) *Handler {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	return &Handler{app: a, log: opts.Logger}
}

type actorKey struct{}

func actor(r *http.Request) *app.Actor {
	ac, _ := r.Context().Value(actorKey{}).(*app.Actor)
	return ac
}

// authed resolves the caller: an API token (Authorization: Bearer fhk_…)
// or a console session cookie in its full stage.
func (h *Handler) authed(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ip := clientip.Of(r)
		var ac *app.Actor
		var err error
		if auth := r.Header.Get("Authorization"); auth != "" {
			token, ok := strings.CutPrefix(auth, "Bearer ")
			if !ok {
				h.error(w, r, fenghuo.Errorf(fenghuo.EUNAUTHORIZED, "Use \"Authorization: Bearer <token>\". / 请使用Bearer令牌。"))
				return
			}
			ac, err = h.app.TokenActor(r.Context(), strings.TrimSpace(token), ip)
		} else {
			var stage string
			c, cerr := r.Cookie("fh_session")
			if cerr != nil {
				h.error(w, r, fenghuo.Errorf(fenghuo.EUNAUTHORIZED, "Log in (POST /api/v1/session) or send an API token. / 请先登录或提供API令牌。"))
				return
			}
			ac, stage, err = h.app.Session(r.Context(), c.Value, ip)
			if err == nil && stage != app.StageFull {
				err = fenghuo.Errorf(fenghuo.EUNAUTHORIZED, "Finish the log-in with the second factor first. / 请先完成双因素认证。")
			}
			if ac != nil {
				ac.Via = "api"
			}
		}
		if err != nil {
			h.error(w, r, err)
			return
		}
		next(w, r.WithContext(context.WithValue(r.Context(), actorKey{}, ac)))
	}
}

// errorBody is every error's shape.
type errorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Field   string `json:"field,omitempty"`
	} `json:"error"`
}

var statusOf = map[string]int{
	fenghuo.EINVALID: http.StatusBadRequest, fenghuo.EUNAUTHORIZED: http.StatusUnauthorized,
	fenghuo.EFORBIDDEN: http.StatusForbidden, fenghuo.ENOTFOUND: http.StatusNotFound,
	fenghuo.ECONFLICT: http.StatusConflict, fenghuo.ETOOMANY: http.StatusTooManyRequests,
	fenghuo.ENOTIMPLEMENTED: http.StatusNotImplemented, fenghuo.EINTERNAL: http.StatusInternalServerError,
}

// error writes err as {"error":{…}} with its status; internal errors are
// logged and answered without detail.
func (h *Handler) error(w http.ResponseWriter, r *http.Request, err error) {
	code := fenghuo.ErrorCode(err)
	status, ok := statusOf[code]
	if !ok {
		status, code = http.StatusInternalServerError, fenghuo.EINTERNAL
	}
	if status == http.StatusInternalServerError {
		h.log.Error("api", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	var body errorBody
	body.Error.Code, body.Error.Message = code, fenghuo.ErrorMessage(err)
	var fe *fenghuo.Error
	if errors.As(err, &fe) {
		body.Error.Field = fe.Field
		if fe.Field != "" {
			body.Error.Message = fe.Message
		}
	}
	writeJSON(w, status, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	enc.Encode(v)
}

// maxBody bounds a request body.
const maxBody = 1 << 20

// decode reads a JSON body strictly: JSON content type, at most 1 MB, no
// unknown fields, one value.
func decode(r *http.Request, v any) error {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		return fenghuo.Errorf(fenghuo.EINVALID, "Send the body as JSON with Content-Type: application/json. / 请以JSON格式提交。")
	}
	dec := json.NewDecoder(io.LimitReader(r.Body, maxBody+1))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) || strings.Contains(err.Error(), "too large") {
			return fenghuo.Errorf(fenghuo.EINVALID, "The body is not complete JSON or is larger than 1 MB. / 请求体不完整或超过1MB。")
		}
		return fenghuo.Errorf(fenghuo.EINVALID, "The body is not valid: %v. / 请求体格式错误。", err)
	}
	if dec.More() {
		return fenghuo.Errorf(fenghuo.EINVALID, "Send one JSON value. / 只能提交一个JSON对象。")
	}
	return nil
}

// page reads ?limit=&offset=.
func page(r *http.Request) (store.Page, error) {
	var p store.Page
	q := r.URL.Query()
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > store.MaxLimit {
			return p, fenghuo.FieldErrorf("limit", "limit must be 1 to %d. / limit应为1至%d。", store.MaxLimit, store.MaxLimit)
		}
		p.Limit = n
	}
	if s := q.Get("offset"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return p, fenghuo.FieldErrorf("offset", "offset must be 0 or more. / offset不能为负。")
		}
		p.Offset = n
	}
	if p.Limit == 0 {
		p.Limit = store.DefaultLimit
	}
	return p, nil
}

// list is a page of results.
type list[T any] struct {
	Items  []T `json:"items"`
	Total  int `json:"total"`
	Limit  int `json:"limit"`
	Offset int `json:"offset"`
}

func pageOf[S, T any](res store.ListResult[S], p store.Page, conv func(S) T) list[T] {
	out := list[T]{Items: make([]T, 0, len(res.Items)), Total: res.Total, Limit: p.Limit, Offset: p.Offset}
	for _, s := range res.Items {
		out.Items = append(out.Items, conv(s))
	}
	return out
}

// pathID reads a numeric path value.
func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, fenghuo.Errorf(fenghuo.ENOTFOUND, "%s %q not found. / 未找到。", name, r.PathValue(name))
	}
	return id, nil
}
