// Package version compares the versions units write in the systems register
// (12.2.1.3.0, 1.0.2k, 2.5.10.1, 7.1.1.Final, 2.5.10-rc1) and matches them
// against the affected ranges of a risk notice (风险通报), and normalises
// vendor and product names ("WebLogic Server", "Oracle WebLogic Server" and
// "weblogic" are one product). It imports only the standard library.
package version

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// MaxLen is the longest version text accepted.
const MaxLen = 100

// element classes, in their order: a pre-release qualifier (rc1 sorts before
// the release), the end of the version, a post-release letter (OpenSSL's
// 1.0.2k sorts after 1.0.2), a number.
const (
	classPre = iota
	classEnd
	classPost
	classNum
)

type element struct {
	class int
	// num is a number without leading zeros (digits only), compared by
	// length then text, so that 20231231235959 does not overflow.
	num string
	// rank orders pre-release words: dev < alpha < beta < milestone < pre < rc.
	rank int
	// word is a post-release letter run ("k", "p").
	word string
}

// preRanks are the pre-release words; a lone letter is a post-release
// letter as in OpenSSL (1.0.2a … 1.0.2m), never a pre-release.
var preRanks = map[string]int{
	"dev": 0, "snapshot": 0, "nightly": 0,
	"alpha":     1,
	"beta":      2,
	"milestone": 3,
	"pre":       4, "preview": 4, "ea": 4,
	"rc": 5, "cr": 5,
}

// releaseWords say "this is the release" and weigh nothing: 7.1.1.Final
// equals 7.1.1.
var releaseWords = map[string]bool{"final": true, "ga": true, "release": true, "stable": true, "lts": true}

// Version is a parsed version. The zero Version is not valid; use Parse.
type Version struct {
	raw   string
	elems []element // canonical: zeros that end a run of numbers are dropped
}

// Parse reads a version: an optional "v", then digits, with runs of digits
// and letters separated by ".", "-", "_", "+" or "~". It must start with a
// digit. Text before the first digit other than "v" is refused, so that
// "latest" or "see vendor" is not taken for a version.
func Parse(s string) (Version, error) {
	raw := strings.TrimSpace(s)
	if raw == "" {
		return Version{}, errors.New("empty version")
	}
	if len(raw) > MaxLen {
		return Version{}, fmt.Errorf("version longer than %d characters", MaxLen)
	}
	t := strings.ToLower(raw)
	if t[0] == 'v' {
		t = t[1:]
	}
	if t == "" || t[0] < '0' || t[0] > '9' {
		return Version{}, fmt.Errorf("version %q does not start with a number", raw)
	}
	var elems []element
	for i := 0; i < len(t); {
		c := t[i]
		switch {
		case isDigit(c):
			j := i
			for j < len(t) && isDigit(t[j]) {
				j++
			}
			n := strings.TrimLeft(t[i:j], "0")
			elems = append(elems, element{class: classNum, num: n})
			i = j
		case isLetter(c):
			j := i
			for j < len(t) && isLetter(t[j]) {
				j++
			}
			w := t[i:j]
			if r, ok := preRanks[w]; ok {
				elems = append(elems, element{class: classPre, rank: r})
			} else if !releaseWords[w] {
				elems = append(elems, element{class: classPost, word: w})
			}
			i = j
		case c == '.' || c == '-' || c == '_' || c == '+' || c == '~':
			if i+1 == len(t) || isSep(t[i+1]) {
				return Version{}, fmt.Errorf("version %q has an empty part", raw)
			}
			i++
		default:
			r, _ := utf8.DecodeRuneInString(t[i:]) // the character, not its first byte (、 read as 'ã')
			return Version{}, fmt.Errorf("version %q has the character %q: use digits, letters and . - _ + ~", raw, r)
		}
	}
	return Version{raw: raw, elems: canonical(elems)}, nil
}

// MustParse is Parse for versions known to be valid (tables, tests).
func MustParse(s string) Version {
	v, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return v
}

func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLetter(c byte) bool { return c >= 'a' && c <= 'z' }
func isSep(c byte) bool    { return c == '.' || c == '-' || c == '_' || c == '+' || c == '~' }

// canonical drops the zeros that end each run of numbers, so that 12.2.1.3
// and 12.2.1.3.0, or 1.0-rc1 and 1.0.0-rc1, are the same version.
func canonical(in []element) []element {
	out := make([]element, 0, len(in))
	for i, e := range in {
		out = append(out, e)
		if i+1 < len(in) && in[i+1].class == classNum {
			continue
		}
		// a run of numbers ended: drop its trailing zeros
		for len(out) > 0 && out[len(out)-1].class == classNum && out[len(out)-1].num == "" {
			out = out[:len(out)-1]
		}
	}
	return out
}

// String is the version as written.
func (v Version) String() string { return v.raw }

// IsZero reports whether v was never parsed.
func (v Version) IsZero() bool { return v.raw == "" }

// Compare returns -1, 0 or +1 as a is older than, the same as or newer than b.
func Compare(a, b Version) int {
	for i := 0; i < len(a.elems) || i < len(b.elems); i++ {
		if c := compareElem(at(a.elems, i), at(b.elems, i)); c != 0 {
			return c
		}
	}
	return 0
}

func at(es []element, i int) element {
	if i < len(es) {
		return es[i]
	}
	return element{class: classEnd}
}

func compareElem(a, b element) int {
	if a.class != b.class {
		return cmpInt(a.class, b.class)
	}
	switch a.class {
	case classNum:
		if len(a.num) != len(b.num) {
			return cmpInt(len(a.num), len(b.num))
		}
		return strings.Compare(a.num, b.num)
	case classPre:
		return cmpInt(a.rank, b.rank)
	case classPost:
		return strings.Compare(a.word, b.word)
	}
	return 0
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// nextPrefix returns the version just past every version that starts with
// the dotted numbers given: ["2","5"] → 2.6, for the wildcard 2.5.x.
func nextPrefix(nums []string) Version {
	parts := append([]string(nil), nums...)
	last := strings.TrimLeft(parts[len(parts)-1], "0")
	parts[len(parts)-1] = addOne(last)
	return MustParse(strings.Join(parts, "."))
}

// addOne adds one to a decimal number without leading zeros ("" is 0).
func addOne(n string) string {
	b := []byte(n)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] < '9' {
			b[i]++
			return string(b)
		}
		b[i] = '0'
	}
	return "1" + string(b)
}
