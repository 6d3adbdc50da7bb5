package apptest

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"fenghuo/internal/app"
	"fenghuo/internal/app/incident"
	"fenghuo/internal/app/services"
	"fenghuo/internal/audit"
	"fenghuo/internal/auth"
	"fenghuo/internal/server"
	"fenghuo/internal/store"
)

// DemoServer is the real serve handler (console and API) over the demo
// region with historical incidents, on loopback, for the list-plan test and
// the scale benchmarks. Its clock is the real one: the history is dated
// back from now.
type DemoServer struct {
	App      *services.Services
	DB       *store.DB
	Chain    *audit.Chain
	URL      string
	Accounts map[string]string // user name → password
	History  *incident.DemoHistory
}

// OpenDemo opens the app over dsn; when the database is empty it seeds the
// demo region and n historical incidents (accounts is nil then for an
// existing database: its passwords were printed when it was seeded, so
// pass them back in).
func OpenDemo(tb testing.TB, dsn string, n int, accounts map[string]string) *DemoServer {
	tb.Helper()
	ctx := context.Background()
	db, a := OpenApp(tb, dsn)
	s := &DemoServer{App: a, DB: db, Chain: TestChain(tb), Accounts: accounts}
	if s.Accounts == nil {
		list, err := a.Demo.SeedDemo(ctx)
		if err != nil {
			tb.Fatal(err)
		}
		s.Accounts = map[string]string{}
		for _, acc := range list {
			s.Accounts[acc.Username] = acc.Password
		}
		if s.History, err = a.Demo.SeedDemoIncidents(ctx, n); err != nil {
			tb.Fatal(err)
		}
	}
	h, err := server.NewHandler(a, server.HandlerOptions{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		tb.Fatal(err)
	}
	srv := httptest.NewServer(h)
	tb.Cleanup(srv.Close)
	s.URL = srv.URL
	return s
}

// Console logs username in to the console and returns a client holding the
// session (redirects not followed).
func (s *DemoServer) Console(tb testing.TB, username string) *http.Client {
	tb.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	form := url.Values{"username": {username}, "password": {s.Accounts[username]}}
	req, _ := http.NewRequest("POST", s.URL+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", s.URL)
	resp, err := c.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther && resp.StatusCode != http.StatusFound {
		tb.Fatalf("log-in of %s: %s", username, resp.Status)
	}
	return c
}

// Token issues a read-only API token for username.
func (s *DemoServer) Token(tb testing.TB, username string) string {
	tb.Helper()
	ctx := context.Background()
	u, err := s.DB.UserByUsername(ctx, username)
	if err != nil {
		tb.Fatal(err)
	}
	o, err := s.DB.Org(ctx, u.OrgID)
	if err != nil {
		tb.Fatal(err)
	}
	if u.IsAdmin() && !u.TOTPEnabled {
		// Administrators' tokens need a second factor; the secret is never
		// used here, only the flag.
		if err := s.DB.SetTOTPSecret(ctx, u.ID, "unused", true); err != nil {
			tb.Fatal(err)
		}
		u.TOTPEnabled = true
	}
	tok, _, err := s.App.Accounts.CreateAPIToken(ctx, &app.Actor{User: *u, Org: *o, Via: "console"}, "scale test", auth.ScopeRead, 1)
	if err != nil {
		tb.Fatal(err)
	}
	return tok
}

// Get fetches path with c (and the bearer token, if any) and returns the
// status and body.
func (s *DemoServer) Get(tb testing.TB, c *http.Client, token, path string) (int, string) {
	tb.Helper()
	req, _ := http.NewRequest("GET", s.URL+path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}
