package audit

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// decodeCanonical reverses Canonical. That a decoder exists which consumes
// exactly the bytes given and returns the original fields is the proof that
// the encoding is injective: two different entries cannot share an encoding.
func decodeCanonical(b []byte) (Entry, error) {
	var e Entry
	if !bytes.HasPrefix(b, []byte(canonicalMagic)) {
		return e, errors.New("no magic")
	}
	b = b[len(canonicalMagic):]
	var ints [4]int64
	for i := range ints {
		if len(b) < 8 {
			return e, errors.New("short int")
		}
		ints[i] = int64(binary.BigEndian.Uint64(b))
		b = b[8:]
	}
	e.Seq, e.Time, e.ActorID, e.OrgID = ints[0], time.Unix(0, ints[1]).UTC(), ints[2], ints[3]
	for _, s := range []*string{&e.ActorName, &e.Action, &e.ObjectType, &e.ObjectID, &e.Outcome, &e.IP, &e.Detail} {
		if len(b) < 8 {
			return e, errors.New("short length")
		}
		n := binary.BigEndian.Uint64(b)
		b = b[8:]
		if uint64(len(b)) < n {
			return e, errors.New("short string")
		}
		*s, b = string(b[:n]), b[n:]
	}
	if len(b) != 0 {
		return e, errors.New("trailing bytes")
	}
	return e, nil
}

// fields is what Canonical covers, for comparing entries with cmp.
func fields(e Entry) Entry {
	e.Time = time.Unix(0, e.Time.UnixNano()).UTC()
	e.PrevHash, e.Hash = nil, nil
	return e
}

func drawEntry(t *rapid.T, label string) Entry {
	// Short strings over a tiny alphabet make neighbouring fields likely to
	// collide if lengths were not encoded ("ab"+"c" versus "a"+"bc").
	str := rapid.StringOfN(rapid.RuneFrom([]rune{'a', 'b', 0, 0xff, '中'}), 0, 4, -1)
	return Entry{
		Seq:        rapid.Int64().Draw(t, label+".seq"),
		Time:       time.Unix(0, rapid.Int64().Draw(t, label+".ns")).UTC(),
		ActorID:    rapid.Int64().Draw(t, label+".actor_id"),
		ActorName:  str.Draw(t, label+".actor_name"),
		OrgID:      rapid.Int64().Draw(t, label+".org_id"),
		Action:     str.Draw(t, label+".action"),
		ObjectType: str.Draw(t, label+".object_type"),
		ObjectID:   str.Draw(t, label+".object_id"),
		Outcome:    str.Draw(t, label+".outcome"),
		IP:         str.Draw(t, label+".ip"),
		Detail:     str.Draw(t, label+".detail"),
	}
}

func TestCanonicalRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		e := drawEntry(t, "e")
		got, err := decodeCanonical(Canonical(&e))
		if err != nil {
			t.Fatalf("decode: %v", err)
		}
		if diff := cmp.Diff(fields(e), got); diff != "" {
			t.Fatalf("round trip (-want +got):\n%s", diff)
		}
	})
}

func TestCanonicalDistinct(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a, b := drawEntry(t, "a"), drawEntry(t, "b")
		same := cmp.Equal(fields(a), fields(b))
		if equal := bytes.Equal(Canonical(&a), Canonical(&b)); equal != same {
			t.Fatalf("entries equal: %v, encodings equal: %v\n%+v\n%+v", same, equal, a, b)
		}
	})
}

func TestCanonicalFieldBoundaries(t *testing.T) {
	base := Entry{Seq: 1, Time: time.Unix(1, 0), ActorName: "ab", Action: "c"}
	shifted := base
	shifted.ActorName, shifted.Action = "a", "bc"
	if bytes.Equal(Canonical(&base), Canonical(&shifted)) {
		t.Fatal(`"ab"+"c" and "a"+"bc" encode the same`)
	}
	empty := base
	empty.ActorName, empty.Action = "", "abc"
	if bytes.Equal(Canonical(&base), Canonical(&empty)) {
		t.Fatal(`"ab"+"c" and ""+"abc" encode the same`)
	}
}

// FuzzCanonical runs the round trip over arbitrary fields
// (go test -fuzz=FuzzCanonical ./internal/audit explores further).
func FuzzCanonical(f *testing.F) {
	f.Add(int64(1), int64(0), int64(0), int64(0), "", "", "", "", "", "", "")
	f.Add(int64(42), int64(1795687262000000000), int64(7), int64(3), "alice", "org.update", "org", "3", "success", "10.0.0.1", `{"name":"x"}`)
	f.Add(int64(-1), int64(-1), int64(-1), int64(-1), "\x00", "\xff", "中", "\x00\x00\x00\x00\x00\x00\x00\x01", "a", "b", "c")
	f.Fuzz(func(t *testing.T, seq, ns, actorID, orgID int64, actorName, action, objectType, objectID, outcome, ip, detail string) {
		e := Entry{Seq: seq, Time: time.Unix(0, ns).UTC(), ActorID: actorID, ActorName: actorName, OrgID: orgID,
			Action: action, ObjectType: objectType, ObjectID: objectID, Outcome: outcome, IP: ip, Detail: detail}
		got, err := decodeCanonical(Canonical(&e))
		if err != nil {
			t.Fatalf("decode: %v", err)
		}
		if diff := cmp.Diff(fields(e), got); diff != "" {
			t.Fatalf("round trip (-want +got):\n%s", diff)
		}
	})
}
