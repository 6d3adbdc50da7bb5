package account_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/app/account"
	"fenghuo/internal/app/services"
	"fenghuo/internal/apptest"
	"fenghuo/internal/audit"
	"fenghuo/internal/auth"
	"fenghuo/internal/calendar"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/plan"
	"fenghuo/internal/store"
)

// replicas returns n applications over the test's database, as n servers
// sharing one database would be: each has its own memory (the per-name
// turn-taking in Login is per process), so only the database's locks keep
// their counts right.
func replicas(t *testing.T, e *apptest.Env, n int) []*services.Services {
	t.Helper()
	apps := []*services.Services{e.App}
	for len(apps) < n {
		chain, err := audit.NewChain(make([]byte, audit.KeySize)) // apptest's key
		if err != nil {
			t.Fatal(err)
		}
		sealer, err := auth.NewSealer(make([]byte, auth.SealerKeySize))
		if err != nil {
			t.Fatal(err)
		}
		a := services.New(app.Deps{DB: e.DB, Plans: plan.Builtin(), Calendar: calendar.Default(), Audit: chain, Sealer: sealer, Config: app.DefaultConfig()})
		a.SetClock(e.Clock.Now)
		apps = append(apps, a)
	}
	return apps
}

// guess runs n log-ins at once (all released together), spread over the
// replicas, and counts the answers by code.
func guess(t *testing.T, apps []*services.Services, n int, name func(i int) string, password string, ip func(i int) string) map[string]int {
	t.Helper()
	var (
		mu      sync.Mutex
		answers = map[string]int{}
		start   = make(chan struct{})
		wg      sync.WaitGroup
	)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, err := apps[i%len(apps)].Accounts.Login(context.Background(), name(i), password, ip(i), "test")
			code := fenghuo.ErrorCode(err)
			if err == nil {
				code = "ok"
			}
			if code == fenghuo.EINTERNAL {
				t.Errorf("log-in %d: %v", i, err)
			}
			mu.Lock()
			answers[code]++
			mu.Unlock()
		}()
	}
	close(start)
	wg.Wait()
	return answers
}

// TestParallelGuessesAllCounted: 20 wrong passwords at once used to leave
// failures = 1 (each attempt wrote back its own stale copy), and the right
// password then got in. Now every attempt is counted under the name's row
// lock: the first five are checked (401); those made during the throttle
// wait that follows count as failures without being checked (429), so the
// tenth locks the name; the rest are refused by the lock and not counted,
// so knocking never extends it. The right password is then refused for the
// whole lock, from any address. The guesses go to 4 replicas over one
// database, so that the database's row locks, not one process's memory,
// must do the counting.
func TestParallelGuessesAllCounted(t *testing.T) {
	e := apptest.New(t)
	ctx := context.Background()
	e.User(t, "alice", "school", fenghuo.RoleUnitReporter)
	alice := func(int) string { return "alice" }
	oneIP := func(int) string { return "192.0.2.7" }

	state := func() store.LoginState {
		s, err := e.DB.LoginState(ctx, "alice")
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	apps := replicas(t, e, 4)
	got := guess(t, apps, 20, alice, "Wrong-Password-123", oneIP)
	if got[fenghuo.EUNAUTHORIZED] != 5 || got[fenghuo.ETOOMANY] != 15 || state().Failures != 10 {
		t.Fatalf("20 parallel guesses: answers %v, stored failures %d; want 5 checked, 15 refused, 10 failures", got, state().Failures)
	}
	if s := state(); !s.LockedUntil.Equal(e.Clock.Now().Add(30 * time.Minute)) {
		t.Fatalf("locked until %v, want 30 min after %v", s.LockedUntil, e.Clock.Now())
	}
	// Locked: the right password is refused from any address, and knocking
	// during the lock does not extend it.
	e.Clock.Advance(29 * time.Minute)
	guess(t, apps, 4, alice, "Wrong-Password-123", oneIP)
	_, err := e.App.Accounts.Login(ctx, "alice", apptest.Password, "198.51.100.1", "")
	var te *account.ThrottledError
	if fenghuo.ErrorCode(err) != fenghuo.ETOOMANY || !asThrottled(err, &te) || te.RetryAfter() != time.Minute {
		t.Fatalf("right password 29 min into the lock: %v, want throttled for 1 minute", err)
	}
	if !strings.Contains(err.Error(), "1 minute") || !strings.Contains(err.Error(), "1分钟") {
		t.Fatalf("message %q does not say the Retry-After figure", err)
	}
	e.Clock.Advance(time.Minute)
	if res, err := e.App.Accounts.Login(ctx, "alice", apptest.Password, "198.51.100.1", ""); err != nil || res.Stage != account.StageFull {
		t.Fatalf("after the lock: %v", err)
	}
	if state().Failures != 0 {
		t.Fatalf("a success left %d failures", state().Failures)
	}
	// The audit log has every counted guess and every refusal.
	entries, err := e.DB.AuditEntries(ctx, store.AuditFilter{ActionPrefix: "auth.login"}, store.Page{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, en := range entries.Items {
		count[en.Action]++
	}
	if count["auth.login.failure"] != 10 || count["auth.login.throttled"] != 10+4+1 {
		t.Fatalf("audit: %v", count)
	}
}

func asThrottled(err error, te **account.ThrottledError) bool {
	t, ok := err.(*account.ThrottledError)
	*te = t
	return ok
}

// TestPasswordSpraying: 40 different names from one address, at once: the
// first 20 failures are checked, the rest refused for the address, whatever
// the name; the right password from that address waits too, while another
// address logs in. One more guess is allowed per minute after that.
func TestPasswordSpraying(t *testing.T) {
	e := apptest.New(t)
	ctx := context.Background()
	e.User(t, "alice", "school", fenghuo.RoleUnitReporter)
	sprayer := func(int) string { return "203.0.113.9" }
	names := func(i int) string { return fmt.Sprintf("user%02d", i) }

	apps := replicas(t, e, 4)
	got := guess(t, apps, 40, names, "Spring2026!", sprayer)
	if got[fenghuo.EUNAUTHORIZED] != 20 || got[fenghuo.ETOOMANY] != 20 {
		t.Fatalf("40 names from one address: %v, want 20 checked, 20 refused", got)
	}
	_, err := e.App.Accounts.Login(ctx, "alice", apptest.Password, "203.0.113.9", "")
	var te *account.ThrottledError
	if !asThrottled(err, &te) || te.RetryAfter() != time.Minute {
		t.Fatalf("alice from the spraying address: %v, want throttled for 1 minute", err)
	}
	if !strings.Contains(err.Error(), "try again in 1 minute.") || !strings.Contains(err.Error(), "请1分钟后再试") {
		t.Fatalf("message %q does not say the Retry-After of %v", err, te.RetryAfter())
	}
	if res, err := e.App.Accounts.Login(ctx, "alice", apptest.Password, "198.51.100.1", ""); err != nil || res.Stage != account.StageFull {
		t.Fatalf("alice from another address: %v", err)
	}
	// A minute later the sprayer has one more guess, then waits again.
	e.Clock.Advance(time.Minute)
	got = guess(t, apps, 5, names, "Spring2026!", sprayer)
	if got[fenghuo.EUNAUTHORIZED] != 1 || got[fenghuo.ETOOMANY] != 4 {
		t.Fatalf("a minute later: %v, want 1 checked, 4 refused", got)
	}
}
