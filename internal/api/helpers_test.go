package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"fenghuo/internal/app"
	"fenghuo/internal/app/services"
	"fenghuo/internal/apptest"
	"fenghuo/internal/audit"
	"fenghuo/internal/auth"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/server"
)

// env is the real application behind the real middleware, as served.
type env struct {
	*apptest.Env
	h       http.Handler
	secrets map[string]string // TOTP secret by user name, for administrators
}

func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{Env: apptest.New(t), secrets: map[string]string{}}
	// apptest's app has no evidence directory, so uploads would fail: serve
	// a second app over the same database, keys and clock that has one.
	// (Drop this once apptest sets Config.EvidenceDir.)
	cfg := app.DefaultConfig()
	cfg.EvidenceDir = filepath.Join(e.Dir, "evidence")
	chain, err := audit.NewChain(make([]byte, audit.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	sealer, err := auth.NewSealer(make([]byte, auth.SealerKeySize))
	if err != nil {
		t.Fatal(err)
	}
	e.App = services.New(app.Deps{DB: e.DB, Plans: e.App.Core.Plans(), Calendar: e.App.Core.Calendar(), Audit: chain, Sealer: sealer, Config: cfg})
	e.App.SetClock(e.Clock.Now)
	// Only errors reach the test log: a 500 should say why.
	log := slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelError}))
	h, err := server.NewHandler(e.App, server.HandlerOptions{Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	e.h = h
	return e
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(b []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(b)))
	return len(b), nil
}

// cred is how a request authenticates: a session cookie or an API token.
type cred struct {
	cookie string
	token  string
	// lang, when set, is sent as Accept-Language.
	lang string
}

// resp is a recorded answer.
type resp struct {
	Status int
	Header http.Header
	Body   []byte
}

func (r resp) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("answer is not JSON (%v): %s", err, r.Body)
	}
}

// errBody decodes an error answer.
func (r resp) errBody(t *testing.T) (code, field string) {
	t.Helper()
	var b struct {
		Error struct{ Code, Message, Field string }
	}
	r.json(t, &b)
	if b.Error.Code == "" || b.Error.Message == "" {
		t.Fatalf("error answer without code or message: %s", r.Body)
	}
	return b.Error.Code, b.Error.Field
}

// rawBody is a request body sent as it is, with its own content type.
type rawBody struct {
	contentType string
	data        []byte
}

// upload is a multipart/form-data body with one file in the field "file".
func upload(filename, content string) rawBody {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", filename)
	fw.Write([]byte(content))
	mw.WriteField("note", "test")
	mw.Close()
	return rawBody{mw.FormDataContentType(), buf.Bytes()}
}

// do sends a request; body is marshalled to JSON unless it is a string or
// a rawBody.
func (e *env) do(t *testing.T, c cred, method, path string, body any) resp {
	t.Helper()
	var rd io.Reader
	contentType := "application/json"
	if body != nil {
		if s, ok := body.(string); ok {
			rd = strings.NewReader(s)
		} else if rb, ok := body.(rawBody); ok {
			rd, contentType = bytes.NewReader(rb.data), rb.contentType
		} else {
			b, err := json.Marshal(body)
			if err != nil {
				t.Fatal(err)
			}
			rd = bytes.NewReader(b)
		}
	}
	req := httptest.NewRequest(method, path, rd)
	if body != nil {
		req.Header.Set("Content-Type", contentType)
	}
	if c.cookie != "" {
		req.AddCookie(&http.Cookie{Name: "fh_session", Value: c.cookie})
	}
	if c.lang != "" {
		req.Header.Set("Accept-Language", c.lang)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	if cc := rec.Header().Get("Cache-Control"); cc != "no-store" {
		t.Errorf("%s %s: Cache-Control %q, want no-store", method, path, cc)
	}
	if ct := rec.Header().Get("Content-Type"); rec.Code != http.StatusNoContent && !strings.HasPrefix(ct, "application/json") &&
		!(rec.Code == http.StatusOK && (strings.HasPrefix(path, "/api/v1/evidence/") || strings.HasPrefix(path, "/api/v1/finding-evidence/") || strings.HasPrefix(path, "/api/v1/inspection-evidence/") /* inspect2 */ || (strings.HasPrefix(path, "/api/v1/drills/") && strings.HasSuffix(path, "/file")) /* drill summaries (issue 12, P5) */ || strings.HasPrefix(path, "/api/v1/systems/export.xlsx") ||
			strings.HasPrefix(path, "/api/v1/incidents/export.xlsx") || strings.Contains(path, "/export.xlsx") || strings.HasPrefix(path, "/api/v1/statistics/bulletin/") /* 统计通报 (issue 13) */ || (strings.Contains(path, "/reports/") || strings.Contains(path, "/notice/") || strings.Contains(path, "/documents/versions/")) && (strings.HasSuffix(path, "/pdf") || strings.HasSuffix(path, "/docx")))) {
		t.Errorf("%s %s: %d with Content-Type %q, want JSON: %s", method, path, rec.Code, ct, rec.Body)
	}
	return resp{Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
}

// want fails unless the answer has the status.
func (r resp) want(t *testing.T, status int) resp {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
	}
	return r
}

// user creates an account; administrators' TOTP secrets are kept.
func (e *env) user(t *testing.T, name, orgKey string, role fenghuo.Role) *fenghuo.User {
	t.Helper()
	u, secret := e.User(t, name, orgKey, role)
	if secret != "" {
		e.secrets[name] = secret
	}
	return u
}

// login logs a user in through POST /api/v1/session and returns the
// cookie. For administrators it moves the clock one TOTP step first, since
// a code is accepted once.
func (e *env) login(t *testing.T, name string) cred {
	t.Helper()
	body := map[string]string{"username": name, "password": apptest.Password}
	if secret, ok := e.secrets[name]; ok {
		e.Clock.Advance(30 * time.Second)
		code, err := totp.GenerateCode(secret, e.Clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		body["totp_code"] = code
	}
	r := e.do(t, cred{}, "POST", "/api/v1/session", body).want(t, http.StatusOK)
	for _, c := range (&http.Response{Header: r.Header}).Cookies() {
		if c.Name == "fh_session" && c.Value != "" {
			if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode {
				t.Fatalf("session cookie must be HttpOnly and SameSite=Lax: %+v", c)
			}
			return cred{cookie: c.Value}
		}
	}
	t.Fatalf("no session cookie after log-in: %v", r.Header)
	return cred{}
}

// token issues an API token for u directly through the app.
func (e *env) token(t *testing.T, u *fenghuo.User, scope auth.Scope, days int) (string, int64) {
	t.Helper()
	tok, rec, err := e.App.Accounts.CreateAPIToken(context.Background(), e.Actor(t, u), "test", scope, days)
	if err != nil {
		t.Fatal(err)
	}
	return tok, rec.ID
}

// system registers a system for the org with the given key.
func (e *env) system(t *testing.T, orgKey, name string) *fenghuo.System {
	t.Helper()
	s := &fenghuo.System{OrgID: e.Orgs[orgKey].ID, Name: name, ProtectionLevel: 3, Status: fenghuo.SystemActive,
		Components: []fenghuo.Component{{Name: "Struts2", Version: "2.5.10"}}}
	if err := e.DB.CreateSystem(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	return s
}
