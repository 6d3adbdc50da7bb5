package fenghuo

import (
	"testing"
	"unicode/utf8"
)

func TestCleanText(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"\xff博彩 → HTTP://\xff.casino.example/", "\uFFFD博彩 → HTTP://\uFFFD.casino.example/"},
		{"a\x00b\x1bc\td\ne\u0085f", "a b c\td\ne f"},
		{"Ⱥİẞ\u2126\u212Aﬀΐ", "Ⱥİẞ\u2126\u212Aﬀΐ"},
		{"一二三四五六", "一二三四…"},
	} {
		got := CleanText(c.in, 5)
		if c.in != "一二三四五六" {
			got = CleanText(c.in, 100)
		}
		if got != c.want {
			t.Errorf("CleanText(%q) = %q, want %q", c.in, got, c.want)
		}
		if !utf8.ValidString(got) {
			t.Errorf("CleanText(%q) is not valid UTF-8", c.in)
		}
		if err := checkText("description", got, 20000, false); err != nil {
			t.Errorf("CleanText(%q) = %q is still refused: %v", c.in, got, err)
		}
	}
}
