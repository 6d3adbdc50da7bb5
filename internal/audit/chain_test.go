package audit

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"iter"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"fenghuo/internal/fenghuo"
)

var t0 = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

// MustChain returns a Chain with a fixed key, or one derived from seed.
func MustChain(tb testing.TB, seed byte) *Chain {
	tb.Helper()
	key := make([]byte, KeySize)
	for i := range key {
		key[i] = seed + byte(i)
	}
	c, err := NewChain(key)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// MustSealedLog seals n entries 1..n as the store would and returns them.
func MustSealedLog(tb testing.TB, c *Chain, n int) []Entry {
	tb.Helper()
	actions := []string{"org.create", "org.update", "auth.login.success", "auth.login.failure", "incident.export"}
	actors := []string{"alice", "bob", "王芳", ""}
	log := make([]Entry, 0, n)
	prev := Genesis()
	for i := 1; i <= n; i++ {
		e := Entry{
			Seq: int64(i), Time: t0.Add(time.Duration(i) * time.Second),
			ActorID: int64(i % 4), ActorName: actors[i%4], OrgID: int64(i % 7),
			Action: actions[i%5], ObjectType: "org", ObjectID: fmt.Sprint(i % 11),
			Outcome: OutcomeSuccess, IP: "10.0.0.1", Detail: fmt.Sprintf(`{"n":%d}`, i),
		}
		if err := c.Seal(prev, &e); err != nil {
			tb.Fatal(err)
		}
		log = append(log, e)
		prev = e.Hash
	}
	return log
}

// entries streams a slice the way the store streams rows.
func entries(log []Entry) iter.Seq2[Entry, error] {
	return func(yield func(Entry, error) bool) {
		for _, e := range log {
			if !yield(e, nil) {
				return
			}
		}
	}
}

func TestSealSetsHashes(t *testing.T) {
	c := MustChain(t, 1)
	log := MustSealedLog(t, c, 3)
	if !bytes.Equal(log[0].PrevHash, Genesis()) {
		t.Errorf("first PrevHash = %x, want Genesis", log[0].PrevHash)
	}
	for i := 1; i < len(log); i++ {
		if !bytes.Equal(log[i].PrevHash, log[i-1].Hash) {
			t.Errorf("entry %d PrevHash does not point at entry %d", log[i].Seq, log[i-1].Seq)
		}
	}
	if len(log[2].Hash) != HashSize {
		t.Errorf("hash has %d bytes", len(log[2].Hash))
	}
}

// TestSealGolden pins the format: if this hash changes, every existing log
// would read as altered, so a change needs a new canonical version instead.
// The value was computed independently, with Python's hmac over OpenSSL's
// SM3 and the byte layout documented on Canonical.
func TestSealGolden(t *testing.T) {
	e := Entry{Seq: 42, Time: time.Date(2026, 11, 22, 10, 1, 2, 0, time.UTC), ActorID: 7, ActorName: "alice",
		OrgID: 3, Action: "org.update", ObjectType: "org", ObjectID: "3", Outcome: OutcomeSuccess,
		IP: "192.0.2.1", Detail: `{"name":"某市网信办"}`}
	if err := MustChain(t, 0).Seal(Genesis(), &e); err != nil {
		t.Fatal(err)
	}
	const want = "f6fa436b63853b564565c424ed6c48ab8edc8aa60baac095653ce3a78376bd5e"
	if got := hex.EncodeToString(e.Hash); got != want {
		t.Errorf("hash = %s, want %s", got, want)
	}
}

func TestSealRefuses(t *testing.T) {
	good := Entry{Seq: 1, Time: t0, Action: "org.create", Outcome: OutcomeSuccess}
	tests := []struct {
		name   string
		prev   []byte
		modify func(*Entry)
	}{
		{"seq zero", Genesis(), func(e *Entry) { e.Seq = 0 }},
		{"zero time", Genesis(), func(e *Entry) { e.Time = time.Time{} }},
		{"time beyond 2262", Genesis(), func(e *Entry) { e.Time = time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC) }},
		{"no action", Genesis(), func(e *Entry) { e.Action = "" }},
		{"unknown outcome", Genesis(), func(e *Entry) { e.Outcome = "ok" }},
		{"detail not JSON", Genesis(), func(e *Entry) { e.Detail = "{oops" }},
		{"short prev", []byte{1, 2, 3}, func(*Entry) {}},
	}
	c := MustChain(t, 1)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := good
			tt.modify(&e)
			err := c.Seal(tt.prev, &e)
			if code := fenghuo.ErrorCode(err); code != fenghuo.EINVALID {
				t.Fatalf("Seal error = %v (code %q), want EINVALID", err, code)
			}
		})
	}
}

func TestSealNormalizes(t *testing.T) {
	shanghai := time.FixedZone("CST", 8*3600)
	e := Entry{Seq: 1, Time: time.Date(2026, 11, 22, 18, 1, 2, 123456789, shanghai), ActorName: "bad\x00name\xff",
		Action: "auth.login.failure", Outcome: OutcomeFailure}
	if err := MustChain(t, 1).Seal(Genesis(), &e); err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 11, 22, 10, 1, 2, 123456000, time.UTC); !e.Time.Equal(want) || e.Time.Location() != time.UTC {
		t.Errorf("Time = %v, want %v (UTC, microseconds)", e.Time, want)
	}
	if want := "bad\uFFFDname\uFFFD"; e.ActorName != want {
		t.Errorf("ActorName = %q, want %q", e.ActorName, want)
	}
}

func TestNewChainKeySize(t *testing.T) {
	if _, err := NewChain(make([]byte, 16)); err == nil {
		t.Fatal("NewChain accepted a 16-byte key")
	}
	a, b := MustChain(t, 1), MustChain(t, 2)
	if a.KeyID() == b.KeyID() || len(a.KeyID()) != 16 || a.KeyID() != MustChain(t, 1).KeyID() {
		t.Errorf("KeyIDs %s, %s: want 16 hex digits, stable, distinct per key", a.KeyID(), b.KeyID())
	}
}

func TestEntryJSON(t *testing.T) {
	e := MustSealedLog(t, MustChain(t, 1), 2)[1]
	data, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"seq":2`, `"actor_name":"王芳"`, `"object_type":"org"`,
		`"prev_hash":"` + hex.EncodeToString(e.PrevHash) + `"`, `"hash":"` + hex.EncodeToString(e.Hash) + `"`} {
		if !strings.Contains(string(data), want) {
			t.Errorf("JSON %s lacks %s", data, want)
		}
	}
	var back Entry
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(e, back); diff != "" {
		t.Errorf("JSON round trip (-want +got):\n%s", diff)
	}
}

func TestAnchorText(t *testing.T) {
	a := MustSealedLog(t, MustChain(t, 1), 5)[4].Anchor()
	back, err := ParseAnchor(a.String())
	if err != nil || !cmp.Equal(a, back) {
		t.Fatalf("ParseAnchor(%s) = %v, %v", a, back, err)
	}
	for _, bad := range []string{"", "5", "x:00", "5:zz", "-1:" + strings.Repeat("00", HashSize), "5:00"} {
		if _, err := ParseAnchor(bad); fenghuo.ErrorCode(err) != fenghuo.EINVALID {
			t.Errorf("ParseAnchor(%q) error = %v, want EINVALID", bad, err)
		}
	}
}
