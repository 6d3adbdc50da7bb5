package pii

import (
	"bytes"
	"strings"
	"testing"

	"fenghuo/internal/auth"
	"fenghuo/internal/fuzzseed"
)

func mustCodec(tb testing.TB, fill byte) *Codec {
	tb.Helper()
	c, err := New(bytes.Repeat([]byte{fill}, auth.SealerKeySize))
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

func TestSealOpenRoundTrip(t *testing.T) {
	c := mustCodec(t, 7)
	at := Binding{Column: "users.mobile", Row: 42}
	for _, v := range []string{"13812345678", "a@example.cn", "0477-8000000", "张三@例子.中国"} {
		s, err := c.Seal(v, at)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(s, SealedPrefix) || strings.Contains(s, v) {
			t.Fatalf("Seal(%q) = %q: not sealed", v, s)
		}
		again, _ := c.Seal(v, at)
		if again == s {
			t.Errorf("two seals of %q are equal: the nonce is not fresh", v)
		}
		got, err := c.Open(s, at)
		if err != nil || got != v {
			t.Fatalf("Open = %q, %v; want %q", got, err, v)
		}
	}
	if s, err := c.Seal("", at); s != "" || err != nil {
		t.Errorf("Seal(\"\") = %q, %v", s, err)
	}
	if v, err := c.Open("", at); v != "" || err != nil {
		t.Errorf("Open(\"\") = %q, %v", v, err)
	}
	if _, err := c.Seal(strings.Repeat("1", MaxValue+1), at); err == nil {
		t.Error("an over-long value was sealed")
	}
}

// A sealed value opens only in its own column and row, and only with the
// key it was sealed with.
func TestOpenRefusesAnotherPlaceOrKey(t *testing.T) {
	c := mustCodec(t, 7)
	at := Binding{Column: "users.mobile", Row: 42}
	s, err := c.Seal("13812345678", at)
	if err != nil {
		t.Fatal(err)
	}
	for _, other := range []Binding{{"users.mobile", 43}, {"users.email", 42}, {"orgs.liaison_mobile", 42}} {
		if v, err := c.Open(s, other); err == nil {
			t.Errorf("Open at %v = %q, want an error", other, v)
		}
	}
	if v, err := mustCodec(t, 8).Open(s, at); err == nil {
		t.Errorf("Open with another key = %q, want an error", v)
	}
	if _, err := c.Open("13812345678", at); err != ErrNotSealed {
		t.Errorf("Open of plain text: %v, want ErrNotSealed", err)
	}
	// The derived key is not the sealer key itself: a secret sealed by the
	// server's Sealer does not open here, nor the other way round.
	key := bytes.Repeat([]byte{7}, auth.SealerKeySize)
	sealer, _ := auth.NewSealer(key)
	byServer, _ := sealer.Seal([]byte("13812345678"), at.ad())
	if _, err := c.Open(byServer, at); err == nil {
		t.Error("a value sealed with the sealer key itself opened")
	}
	if _, err := New(key[:8]); err == nil {
		t.Error("New accepted a short key")
	}
}

func TestDigest(t *testing.T) {
	c := mustCodec(t, 7)
	same := [][2]string{
		{"13812345678", "138 1234 5678"},
		{"13812345678", "+86 138-1234-5678"},
		{"0477-8000000", "04778000000"},
	}
	for _, p := range same {
		if c.Digest(Phone, p[0]) != c.Digest(Phone, p[1]) {
			t.Errorf("Digest(%q) != Digest(%q)", p[0], p[1])
		}
	}
	if c.Digest(Email, "Li.Ming@Example.CN ") != c.Digest(Email, "li.ming@example.cn") {
		t.Error("e-mail digest depends on case or spaces")
	}
	d := c.Digest(Phone, "13812345678")
	if len(d) != 64 || strings.Contains(d, "13812345678") {
		t.Errorf("Digest = %q", d)
	}
	if d == c.Digest(Phone, "13812345679") {
		t.Error("two numbers have one digest")
	}
	if d == mustCodec(t, 8).Digest(Phone, "13812345678") {
		t.Error("the digest does not depend on the key")
	}
	if c.Digest(Email, "1@x.cn") == c.Digest(Phone, "1@x.cn") {
		t.Error("the digest does not depend on the kind")
	}
	if c.Digest(Phone, "") != "" || c.Digest(Phone, " - ") != "" {
		t.Error("an empty value has a digest")
	}
}

func TestMask(t *testing.T) {
	for _, tc := range []struct {
		kind     Kind
		in, want string
	}{
		{Phone, "13812345678", "138****5678"},
		{Phone, "138-1234-5678", "138-****-5678"},
		{Phone, "0477-8000000", "047*-***0000"},
		{Phone, "12345", "***45"},
		{Phone, "12", "**"},
		{Phone, "", ""},
		{Email, "alice@example.cn", "a***@example.cn"},
		{Email, "张三@例子.中国", "张***@例子.中国"},
		{Email, "@example.cn", "***********"},
		{Email, "noatsign", "********"},
		{IDNumber, "11010519491231002X", "110105********002X"},
		{IDNumber, "1234567890", "**********"},
	} {
		if got := Mask(tc.kind, tc.in); got != tc.want {
			t.Errorf("Mask(%v, %q) = %q, want %q", tc.kind, tc.in, got, tc.want)
		}
	}
}

func TestKept(t *testing.T) {
	for _, tc := range []struct {
		kind               Kind
		stored, sent, want string
	}{
		{Phone, "13812345678", "138****5678", "13812345678"}, // mask sent back: keep
		{Phone, "13812345678", "13900000000", "13900000000"}, // a new number
		{Phone, "13812345678", "", ""},                       // cleared
		{Phone, "13812345678", "13812345678", "13812345678"}, // the full value again
		{Phone, "13812345678", "139****5678", "139****5678"}, // another mask is not this one's: sent as is (validation refuses it)
		{Phone, "", "", ""},
		{Phone, "", "**", "**"}, // nothing stored: nothing to keep
		{Email, "alice@example.cn", "a***@example.cn", "alice@example.cn"},
		{Email, "alice@example.cn", "a***@example.com", "a***@example.com"},
		{Email, "alice@example.cn", "bob@example.cn", "bob@example.cn"},
	} {
		if got := Kept(tc.kind, tc.stored, tc.sent); got != tc.want {
			t.Errorf("Kept(%v, %q, %q) = %q, want %q", tc.kind, tc.stored, tc.sent, got, tc.want)
		}
	}
}

// openSeeds are hostile stored values: the committed corpus of FuzzOpen.
func openSeeds(c *Codec) map[string][]byte {
	good, _ := c.Seal("13812345678", Binding{Column: "users.mobile", Row: 1})
	return map[string][]byte{
		"good":        []byte(good),
		"plain":       []byte("13812345678"),
		"prefix-only": []byte(SealedPrefix),
		"short":       []byte(SealedPrefix + "AAAA"),
		"bad-base64":  []byte(SealedPrefix + "!!!!****"),
		"truncated":   []byte(good[:len(good)-5]),
		"flipped":     []byte(good[:len(good)-1] + "A"),
		"huge":        []byte(SealedPrefix + strings.Repeat("A", 100000)),
		"nul":         []byte(SealedPrefix + "\x00\xff"),
	}
}

func TestWriteFuzzSeeds(t *testing.T) {
	for name, v := range openSeeds(mustCodec(t, 7)) {
		if name == "good" || name == "truncated" || name == "flipped" {
			continue // random nonces: covered by FuzzOpen's f.Add instead
		}
		fuzzseed.Check(t, "FuzzOpen", name, v)
	}
}

// FuzzOpen: no stored value, however hostile, makes Open panic, and what
// opens is what was sealed (only the codec's own values open).
func FuzzOpen(f *testing.F) {
	c := mustCodec(f, 7)
	for _, v := range openSeeds(c) {
		f.Add(v)
	}
	at := Binding{Column: "users.mobile", Row: 1}
	f.Fuzz(func(t *testing.T, stored []byte) {
		v, err := c.Open(string(stored), at)
		if err == nil && len(stored) > 0 && v != "13812345678" {
			t.Fatalf("Open(%q) = %q: a value opened that the codec never sealed", stored, v)
		}
		Mask(Phone, string(stored))
		Mask(Email, string(stored))
		Mask(IDNumber, string(stored))
		c.Digest(Phone, string(stored))
	})
}
