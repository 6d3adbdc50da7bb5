package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fenghuo/internal/phrase"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// errorBody is the shape of every error answer.
type errorBody struct {
	Error errorJSON `json:"error"`
}

type errorJSON struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
	// Fields lists every wrong field when there are several
	// (fenghuo.Invalid); the error itself is the first.
	Fields []fieldErrorJSON `json:"fields,omitempty"`
}

type fieldErrorJSON struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// statusClientClosedRequest is nginx's status for a request the client
// abandoned before the answer; it never reaches the client.
const statusClientClosedRequest = 499

var statusOf = map[string]int{
	fenghuo.EINVALID: http.StatusBadRequest, fenghuo.EUNAUTHORIZED: http.StatusUnauthorized,
	fenghuo.EFORBIDDEN: http.StatusForbidden, fenghuo.ENOTFOUND: http.StatusNotFound,
	fenghuo.ECONFLICT: http.StatusConflict, fenghuo.ETOOMANY: http.StatusTooManyRequests,
	fenghuo.ENOTIMPLEMENTED: http.StatusNotImplemented, fenghuo.EINTERNAL: http.StatusInternalServerError,
}

// retryAfter is implemented by errors that know when to try again (a
// throttled log-in); the API then sends Retry-After.
type retryAfter interface{ RetryAfter() time.Duration }

// error writes err as {"error":{…}} with the status of its code. Internal
// errors are logged with their detail and answered without it.
func (h *Handler) error(w http.ResponseWriter, r *http.Request, err error) {
	if r.Context().Err() != nil {
		// The client went away and took the request's context with it:
		// nothing failed here, and nobody reads the answer. The access
		// log records it as 499 (the status nginx uses for this).
		w.WriteHeader(statusClientClosedRequest)
		return
	}
	code := fenghuo.ErrorCode(err)
	status, ok := statusOf[code]
	if !ok || status == http.StatusInternalServerError {
		h.log.Error("api", "method", r.Method, "path", r.URL.Path, "err", err)
		writeError(w, r, http.StatusInternalServerError, &fenghuo.Error{Code: fenghuo.EINTERNAL, Message: "Internal error. / 内部错误。"})
		return
	}
	var ra retryAfter
	if errors.As(err, &ra) && ra.RetryAfter() > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int((ra.RetryAfter()+time.Second-1)/time.Second)))
	}
	var fe *fenghuo.Error
	if !errors.As(err, &fe) {
		fe = &fenghuo.Error{Code: code, Message: fenghuo.ErrorMessage(err)}
	}
	lang := answerLang(r)
	body := errorJSON{Code: fe.Code, Message: phrase.InLang(fe.Message, lang), Field: fe.Field}
	if all := fenghuo.FieldErrors(err); len(all) > 1 {
		for _, e := range all {
			body.Fields = append(body.Fields, fieldErrorJSON{Field: e.Field, Message: phrase.InLang(e.Message, lang)})
		}
	}
	writeJSON(w, status, errorBody{body})
}

func writeError(w http.ResponseWriter, r *http.Request, status int, fe *fenghuo.Error) {
	writeJSON(w, status, errorBody{errorJSON{Code: fe.Code, Message: phrase.InLang(fe.Message, answerLang(r)), Field: fe.Field}})
}

// answerLang is the language of the messages in an answer: the client's
// Accept-Language, Chinese when it states none (the platform's default).
// The application writes its messages in both languages; an answer
// carries one (console.md rule 1 holds for integrators too).
func answerLang(r *http.Request) string {
	return phrase.AcceptLanguage(r.Header.Get("Accept-Language"))
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v) // the status is sent; a broken connection is the client's
}

// maxBody bounds a request body: the largest legitimate one, a system with
// its exposure and components, is a few kilobytes.
const maxBody = 1 << 20

// decode reads a JSON body strictly: JSON content type, at most 1 MB, no
// unknown fields, exactly one value. Its errors say what to fix.
func decode(w http.ResponseWriter, r *http.Request, v any) error {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		return fenghuo.Errorf(fenghuo.EINVALID, "Send the body as JSON with \"Content-Type: application/json\". / 请以JSON格式提交（Content-Type: application/json）。")
	}
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		return bodyError(err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if fe := unknownFieldError(err, raw, v); fe != nil {
			return fe
		}
		return bodyError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return fenghuo.Errorf(fenghuo.EINVALID, "Send exactly one JSON object, with nothing after it. / 请求体只能包含一个JSON对象。")
	}
	return nil
}

// bodyError turns a decoding error into an EINVALID naming the field.
func bodyError(err error) error {
	var (
		tooBig  *http.MaxBytesError
		typeErr *json.UnmarshalTypeError
		syntax  *json.SyntaxError
	)
	switch {
	case errors.As(err, &tooBig):
		return fenghuo.Errorf(fenghuo.EINVALID, "The body is larger than %d bytes. / 请求体超过1MB。", maxBody)
	case errors.Is(err, io.EOF):
		return fenghuo.Errorf(fenghuo.EINVALID, "The body is empty: send a JSON object. / 请求体为空。")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fenghuo.Errorf(fenghuo.EINVALID, "The body ends before the JSON does. / JSON不完整。")
	case errors.As(err, &syntax):
		return fenghuo.Errorf(fenghuo.EINVALID, "The body is not valid JSON at byte %d: %v. / JSON格式错误。", syntax.Offset, err)
	case errors.As(err, &typeErr):
		return fenghuo.FieldErrorf(typeErr.Field, "%s must be a JSON %s, not %s. / 字段类型错误。", typeErr.Field, jsonKind(typeErr.Type.String()), typeErr.Value)
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		name = strings.Trim(name, `"`)
		if readOnly[name] {
			return fenghuo.FieldErrorf(name, "%s is kept by the server: leave it out of the request. / %s为只读字段，请勿提交。", name, name)
		}
		return fenghuo.FieldErrorf(name, "Unknown field %q: see /api/v1/openapi.json for the fields of this request. / 未知字段%q。", name, name)
	}
	return fenghuo.Errorf(fenghuo.EINVALID, "The body is not valid: %v. / 请求体格式错误。", err)
}

// readOnly are fields of answers that requests may not carry.
var readOnly = map[string]bool{"id": true, "parent_id": true, "created_at": true, "updated_at": true, "totp_enabled": true,
	"must_enroll_totp": true, "password_changed_at": true}

func jsonKind(goType string) string {
	switch {
	case strings.HasPrefix(goType, "int"), strings.HasPrefix(goType, "uint"), strings.HasPrefix(goType, "float"):
		return "number"
	case goType == "string", strings.HasSuffix(goType, "Role"), strings.HasSuffix(goType, "Kind"):
		return "string"
	case goType == "bool":
		return "boolean"
	case strings.HasPrefix(goType, "[]"):
		return "array"
	}
	return "object"
}

// page reads ?limit=&offset= (default 50, at most 500).
func page(r *http.Request) (store.Page, error) {
	p := store.Page{Limit: store.DefaultLimit}
	q := r.URL.Query()
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > store.MaxLimit {
			return p, fenghuo.FieldErrorf("limit", "limit must be a whole number from 1 to %d. / limit应为1至%d。", store.MaxLimit, store.MaxLimit)
		}
		p.Limit = n
	}
	if s := q.Get("offset"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 || n > store.MaxOffset {
			return p, fenghuo.FieldErrorf("offset", "offset must be a whole number from 0 to %d; narrow the list with its filters to reach older items. / offset应为0至%d的整数，更早的记录请用筛选条件查找。", store.MaxOffset, store.MaxOffset)
		}
		p.Offset = n
	}
	return p, nil
}

// list is one page of results and the size of the whole list.
// Long lists count only up to store.CountCap: total_capped then says that
// there are more than total.
type list[T any] struct {
	Items       []T  `json:"items"`
	Total       int  `json:"total"`
	TotalCapped bool `json:"total_capped,omitempty"`
	Limit       int  `json:"limit"`
	Offset      int  `json:"offset"`
}

func pageOf[S, T any](res store.ListResult[S], p store.Page, conv func(S) T) list[T] {
	out := list[T]{Items: make([]T, 0, len(res.Items)), Total: res.Total, TotalCapped: res.Capped, Limit: p.Limit, Offset: p.Offset}
	for _, s := range res.Items {
		out.Items = append(out.Items, conv(s))
	}
	return out
}

// pageSlice pages a list the app returns whole, so that every list in the
// API has the same shape.
func pageSlice[S, T any](all []S, p store.Page, conv func(S) T) list[T] {
	lo := min(p.Offset, len(all))
	hi := min(lo+p.Limit, len(all))
	return pageOf(store.ListResult[S]{Items: all[lo:hi], Total: len(all)}, p, conv)
}

// pathID reads a numeric path value; anything else names no object.
func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, fenghuo.Errorf(fenghuo.ENOTFOUND, "No object with %s %q. / 未找到%[1]s为“%[2]s”的对象。", name, r.PathValue(name))
	}
	return id, nil
}

// pathIDs reads the numeric path values of a nested object: its parent's
// (outer, e.g. the incident) and its own (inner, e.g. the document). The
// first that is not a number names no object, as in pathID.
func pathIDs(r *http.Request, outer, inner string) (int64, int64, error) {
	o, err := pathID(r, outer)
	if err != nil {
		return 0, 0, err
	}
	i, err := pathID(r, inner)
	if err != nil {
		return 0, 0, err
	}
	return o, i, nil
}

// queryInt reads an optional integer query parameter.
func queryInt(r *http.Request, name string, lo, hi int64) (int64, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < lo || n > hi {
		return 0, fenghuo.FieldErrorf(name, "%s must be a whole number from %d to %d. / %s应为%d至%d的整数。", name, lo, hi, name, lo, hi)
	}
	return n, nil
}

// queryBool reads an optional boolean query parameter.
func queryBool(r *http.Request, name string) (bool, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		return false, fenghuo.FieldErrorf(name, "%s must be true or false. / %s应为true或false。", name, name)
	}
	return b, nil
}

// requireVersion insists on the version the client last saw, the basis of
// optimistic locking: without it a stale client would overwrite silently.
func requireVersion(v int) error {
	if v <= 0 {
		return fenghuo.FieldErrorf("version", "Send the version you last read (GET the object first). / 请提供最近读取到的version。")
	}
	return nil
}

// created writes 201 with a Location header.
func created(w http.ResponseWriter, location string, v any) {
	w.Header().Set("Location", location)
	writeJSON(w, http.StatusCreated, v)
}

func itoa(id int64) string { return fmt.Sprint(id) }

// unknownFieldError names an unknown field of a nested object by its path
// in the request ("sections.bogus", "command[1].nmae") and the fields
// allowed there: encoding/json says only "unknown field \"bogus\"". It
// is nil when err is not about an unknown field below the top level.
func unknownFieldError(err error, raw []byte, v any) error {
	if !strings.HasPrefix(err.Error(), "json: unknown field ") {
		return nil
	}
	path, allowed := unknownPath(raw, reflect.TypeOf(v), "")
	if path == "" || !strings.ContainsAny(path, ".[") {
		return nil
	}
	return fenghuo.FieldErrorf(path, "Unknown field %s: the fields here are %s. / 未知字段%s，此处可用字段：%s。",
		path, strings.Join(allowed, ", "), path, strings.Join(allowed, "、"))
}

// unknownPath finds the first key of raw that type t has no field for,
// with the names t allows there.
func unknownPath(raw []byte, t reflect.Type, prefix string) (string, []string) {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil {
		return "", nil
	}
	join := func(k string) string {
		if prefix == "" {
			return k
		}
		return prefix + "." + k
	}
	switch t.Kind() {
	case reflect.Struct:
		var m map[string]json.RawMessage
		if json.Unmarshal(raw, &m) != nil {
			return "", nil
		}
		fields := jsonFields(t)
		names := make([]string, 0, len(fields))
		for n := range fields {
			names = append(names, n)
		}
		slices.Sort(names)
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			ft, ok := fields[k]
			if !ok {
				for n, f := range fields { // encoding/json matches names case-insensitively
					if strings.EqualFold(n, k) {
						ft, ok = f, true
					}
				}
			}
			if !ok {
				return join(k), names
			}
			if p, a := unknownPath(m[k], ft, join(k)); p != "" {
				return p, a
			}
		}
	case reflect.Map:
		var m map[string]json.RawMessage
		if json.Unmarshal(raw, &m) != nil {
			return "", nil
		}
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			if p, a := unknownPath(m[k], t.Elem(), join(k)); p != "" {
				return p, a
			}
		}
	case reflect.Slice, reflect.Array:
		var items []json.RawMessage
		if json.Unmarshal(raw, &items) != nil {
			return "", nil
		}
		for i, it := range items {
			if p, a := unknownPath(it, t.Elem(), fmt.Sprintf("%s[%d]", prefix, i)); p != "" {
				return p, a
			}
		}
	}
	return "", nil
}

// jsonFields maps the JSON names of a struct's fields (embedded structs
// flattened) to their types.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				for n, typ := range jsonFields(ft) {
					out[n] = typ
				}
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	return out
}
