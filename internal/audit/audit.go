// Package audit keeps the tamper-evident audit log: every change, every login
// success or failure and every export becomes an append-only Entry, and each
// entry is chained to the one before it with HMAC-SM3 (GB/T 39786-2021 asks
// for SM3 to protect the integrity of audit records; 等保 2.0 asks that audit
// records be protected and kept at least six months).
//
//	entry.Hash = HMAC-SM3(key, Canonical(entry) || entry.PrevHash)
//
// The chain is keyed rather than a plain hash chain so that someone who can
// write to the database but cannot read the key file cannot delete or edit an
// entry and then recompute every later hash to hide it.
//
// The package does no I/O except LoadOrCreateKey. The store persists entries
// exactly as Seal leaves them and hands them back to Verify in Seq order.
package audit

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"fenghuo/internal/fenghuo"
)

// HashSize is the size of an SM3 digest and so of Entry.Hash and PrevHash.
const HashSize = 32

// Outcomes of an audited action.
const (
	OutcomeSuccess = "success"
	OutcomeFailure = "failure"
	OutcomeDenied  = "denied"
)

// Kinds of entries, told apart by the action (the chain does not store
// them): a read views an object or exports data, a change is anything else
// (a change of data, a log-in, a verification).
const (
	KindRead   = "read"
	KindChange = "change"
)

// ExportPrefix begins the action of every export ("export.incidents").
const ExportPrefix = "export."

// IsRead reports whether an entry's action is a read: it ends in ".read"
// or is an export.
func IsRead(action string) bool {
	return strings.HasSuffix(action, "."+KindRead) || strings.HasPrefix(action, ExportPrefix)
}

// Kind is KindRead or KindChange.
func (e Entry) Kind() string {
	if IsRead(e.Action) {
		return KindRead
	}
	return KindChange
}

// Entry is one audit record. Seq is assigned by the store: 1 for the first
// entry, then each entry's Seq is one more than the one before it.
type Entry struct {
	Seq       int64     `json:"seq"`
	Time      time.Time `json:"time"`
	ActorID   int64     `json:"actor_id"`
	ActorName string    `json:"actor_name"`
	OrgID     int64     `json:"org_id"`
	// Action is dotted, object first: "org.create", "auth.login.failure".
	Action     string `json:"action"`
	ObjectType string `json:"object_type"`
	ObjectID   string `json:"object_id"`
	// Outcome is OutcomeSuccess, OutcomeFailure or OutcomeDenied.
	Outcome string `json:"outcome"`
	IP      string `json:"ip"`
	// Detail is JSON text. It is hashed byte for byte, so the store must keep
	// it as text (not PostgreSQL jsonb, which reorders keys).
	Detail   string `json:"detail"`
	PrevHash []byte `json:"-"`
	Hash     []byte `json:"-"`
}

// entryJSON is Entry as it appears in JSON: the hashes are hex, which is
// what people compare by eye and what exports carry.
type entryJSON struct {
	entryFields
	PrevHash string `json:"prev_hash"`
	Hash     string `json:"hash"`
}

// entryFields has Entry's fields without its methods, so that encoding it
// does not recurse into Entry.MarshalJSON.
type entryFields Entry

// MarshalJSON writes the entry with snake_case names and hex hashes.
func (e Entry) MarshalJSON() ([]byte, error) {
	return json.Marshal(entryJSON{
		entryFields: entryFields(e),
		PrevHash:    hex.EncodeToString(e.PrevHash),
		Hash:        hex.EncodeToString(e.Hash),
	})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (e *Entry) UnmarshalJSON(data []byte) error {
	var j entryJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return err
	}
	prev, err := hex.DecodeString(j.PrevHash)
	if err != nil {
		return fmt.Errorf("audit: prev_hash: %w", err)
	}
	hash, err := hex.DecodeString(j.Hash)
	if err != nil {
		return fmt.Errorf("audit: hash: %w", err)
	}
	*e = Entry(j.entryFields)
	e.PrevHash, e.Hash = nilIfEmpty(prev), nilIfEmpty(hash)
	return nil
}

func nilIfEmpty(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return b
}

// Anchor names one entry of the chain by its Seq and Hash. The head anchor
// (the last entry's) is what Verify needs to notice that entries were cut off
// the end of the log, which the chain alone cannot show.
type Anchor struct {
	Seq  int64
	Hash []byte
}

// String returns "seq:hexhash", the form people copy from one
// "fenghuo audit verify" run into the next.
func (a Anchor) String() string {
	return strconv.FormatInt(a.Seq, 10) + ":" + hex.EncodeToString(a.Hash)
}

// ParseAnchor reads what Anchor.String writes.
func ParseAnchor(s string) (Anchor, error) {
	seqText, hashText, ok := strings.Cut(s, ":")
	seq, err := strconv.ParseInt(seqText, 10, 64)
	if !ok || err != nil || seq < 0 {
		return Anchor{}, fenghuo.Errorf(fenghuo.EINVALID, "Audit anchor %q is not of the form seq:hash.", s)
	}
	hash, err := hex.DecodeString(hashText)
	if err != nil || len(hash) != HashSize {
		return Anchor{}, fenghuo.Errorf(fenghuo.EINVALID, "Audit anchor %q does not end in a %d-byte hex hash.", s, HashSize)
	}
	return Anchor{Seq: seq, Hash: hash}, nil
}

// MarshalText lets an Anchor travel in JSON and config files as a string.
func (a Anchor) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

// UnmarshalText reads what MarshalText writes.
func (a *Anchor) UnmarshalText(text []byte) error {
	parsed, err := ParseAnchor(string(text))
	if err != nil {
		return err
	}
	*a = parsed
	return nil
}

// Anchor returns the anchor of e.
func (e *Entry) Anchor() Anchor {
	return Anchor{Seq: e.Seq, Hash: e.Hash}
}

// Genesis returns the PrevHash of the first entry: HashSize zero bytes.
func Genesis() []byte {
	return make([]byte, HashSize)
}
