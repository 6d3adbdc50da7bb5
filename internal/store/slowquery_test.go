package store

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"fenghuo/internal/fenghuo"
)

// syncBuffer is a bytes.Buffer safe for the logger's concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestSlowQueryLog: with a threshold of 1ns every statement is slow, and
// each is logged at warn with its SQL text, engine and duration, and
// counted; the arguments (here an org's name and a user name, personal
// data in real use) appear nowhere in the log. With a threshold of an
// hour, or off, nothing is logged or counted.
func TestSlowQueryLog(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		buf := &syncBuffer{}
		log := slog.New(slog.NewJSONHandler(buf, nil))
		const orgName, userName = "慢查询秘密单位", "secret-probe-zhang"
		runs := 0
		run := func() {
			t.Helper()
			runs++
			o := mustOrg(t, db, 0, orgName+strings.Repeat("甲", runs), fenghuo.LevelCity, fenghuo.OrgRegulator) // exec
			if _, err := db.UserByUsername(bg, userName); fenghuo.ErrorCode(err) != fenghuo.ENOTFOUND {        // queryRow … Scan
				t.Fatalf("UserByUsername: %v", err)
			}
			if _, err := db.ChildOrgs(bg, o.ID); err != nil { // query
				t.Fatal(err)
			}
		}

		run() // off: the default
		db.SetSlowQuery(time.Hour, log)
		run()
		if buf.String() != "" || db.SlowQueries() != 0 {
			t.Fatalf("off, then a threshold of an hour, logged %d statements:\n%s", db.SlowQueries(), buf.String())
		}

		db.SetSlowQuery(time.Nanosecond, log)
		run()
		n := db.SlowQueries()
		if n < 3 {
			t.Fatalf("a threshold of 1ns counted %d statements, want at least 3", n)
		}
		kinds := map[string]bool{}
		lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
		if uint64(len(lines)) != n {
			t.Errorf("%d records for %d slow statements", len(lines), n)
		}
		for _, line := range lines {
			var rec map[string]any
			if err := json.Unmarshal([]byte(line), &rec); err != nil {
				t.Fatalf("%v: %s", err, line)
			}
			sql, _ := rec["sql"].(string)
			if rec["level"] != "WARN" || rec["msg"] != "slow database statement" || rec["engine"] != string(db.Engine()) ||
				sql == "" || rec["duration_ms"] == nil || rec["threshold_ms"] != 0.0 {
				t.Errorf("record: %s", line)
			}
			kinds[rec["kind"].(string)] = true
		}
		for _, k := range []string{"exec", "row", "query"} {
			if !kinds[k] {
				t.Errorf("no %s statement logged:\n%s", k, buf.String())
			}
		}
		for _, want := range []string{"INSERT INTO orgs", "username_key = ", "FROM orgs WHERE parent_id = "} {
			if !strings.Contains(buf.String(), want) {
				t.Errorf("no statement with %q logged:\n%s", want, buf.String())
			}
		}
		// The arguments are never logged; the JSON handler writes Chinese as is.
		for _, secret := range []string{orgName, userName, fenghuo.UsernameKey(userName)} {
			if strings.Contains(buf.String(), secret) {
				t.Errorf("an argument value %q is in the slow-statement log:\n%s", secret, buf.String())
			}
		}

		db.SetSlowQuery(0, log)
		before := buf.String()
		run()
		if buf.String() != before || db.SlowQueries() != n {
			t.Errorf("turned off, still logged: %d → %d", n, db.SlowQueries())
		}
	})
}

// Below the threshold, timing a statement allocates nothing.
func TestSlowQueryUnderThresholdAllocatesNothing(t *testing.T) {
	var count atomic.Uint64
	s := &slowQuery{threshold: time.Hour, log: slog.New(slog.NewTextHandler(io.Discard, nil)), engine: SQLite, count: &count}
	if n := testing.AllocsPerRun(100, func() { s.done("query", "SELECT 1", s.start()) }); n != 0 || count.Load() != 0 {
		t.Errorf("%v allocations, %d counted", n, count.Load())
	}
	s.threshold = time.Nanosecond
	s.done("query", "SELECT 1", s.start().Add(-time.Millisecond))
	if count.Load() != 1 {
		t.Errorf("a statement over the threshold was not counted")
	}
}
