package audit

import (
	"encoding/binary"
	"encoding/json"
	"strings"
	"time"
	"unicode/utf8"

	"fenghuo/internal/fenghuo"
)

// canonicalMagic opens every encoding: a name and a version byte, so that a
// later format can never produce bytes that a v1 verifier reads as v1.
const canonicalMagic = "FHAUDIT\x01"

// Canonical returns the bytes of e that the chain hashes (format v1):
//
//	"FHAUDIT" 0x01
//	Seq, Time (UTC nanoseconds since 1970), ActorID, OrgID  — each int64 big-endian
//	ActorName, Action, ObjectType, ObjectID, Outcome, IP, Detail
//	                                       — each uint64 big-endian byte length, then the bytes
//
// Integers have fixed widths and every string carries its length, so two
// different entries never encode to the same bytes (canonical_test.go decodes
// the encoding back to prove it). PrevHash and Hash are not part of it.
func Canonical(e *Entry) []byte {
	strs := [...]string{e.ActorName, e.Action, e.ObjectType, e.ObjectID, e.Outcome, e.IP, e.Detail}
	n := len(canonicalMagic) + 4*8 + len(strs)*8
	for _, s := range strs {
		n += len(s)
	}
	b := make([]byte, 0, n)
	b = append(b, canonicalMagic...)
	for _, v := range [...]int64{e.Seq, e.Time.UnixNano(), e.ActorID, e.OrgID} {
		b = binary.BigEndian.AppendUint64(b, uint64(v))
	}
	for _, s := range strs {
		b = binary.BigEndian.AppendUint64(b, uint64(len(s)))
		b = append(b, s...)
	}
	return b
}

// normalize prepares e for sealing so that what is hashed is exactly what
// either supported database will store and return:
//   - Time becomes UTC at microsecond precision, because PostgreSQL timestamps
//     keep microseconds; a nanosecond would be lost and the entry would then
//     read as altered.
//   - Invalid UTF-8 and NUL bytes become U+FFFD, because PostgreSQL text
//     refuses both. They can arrive in a typed user name on a failed login,
//     and that entry must still be written.
//
// It refuses entries that cannot be sealed meaningfully.
func normalize(e *Entry) error {
	if e.Seq < 1 {
		return fenghuo.Errorf(fenghuo.EINVALID, "Audit entry has Seq %d; the store numbers entries from 1.", e.Seq)
	}
	t := e.Time.UTC().Truncate(time.Microsecond)
	if e.Time.IsZero() || !time.Unix(0, t.UnixNano()).Equal(t) {
		return fenghuo.Errorf(fenghuo.EINVALID, "Audit entry %d has no usable time (%v).", e.Seq, e.Time)
	}
	e.Time = t
	for _, s := range []*string{&e.ActorName, &e.Action, &e.ObjectType, &e.ObjectID, &e.Outcome, &e.IP, &e.Detail} {
		*s = storableText(*s)
	}
	if e.Action == "" {
		return fenghuo.Errorf(fenghuo.EINVALID, "Audit entry %d has no action.", e.Seq)
	}
	switch e.Outcome {
	case OutcomeSuccess, OutcomeFailure, OutcomeDenied:
	default:
		return fenghuo.Errorf(fenghuo.EINVALID, "Audit entry %d has outcome %q; want success, failure or denied.", e.Seq, e.Outcome)
	}
	if e.Detail != "" && !json.Valid([]byte(e.Detail)) {
		return fenghuo.Errorf(fenghuo.EINVALID, "Audit entry %d has a detail that is not JSON.", e.Seq)
	}
	return nil
}

// storableText replaces what PostgreSQL text cannot hold.
func storableText(s string) string {
	if utf8.ValidString(s) && !strings.ContainsRune(s, 0) {
		return s
	}
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "\uFFFD")
}
