package auth

import (
	"strings"
	"unicode"
)

// isMostlyPattern reports whether at least half of pw is made of walks like
// "qwer", "1qaz", "!@#$", "abcd", "4321", "aaaa" or, interleaved, "1q2w3e"
// and "q1w2e3", or whether pw is one chunk repeated ("Abc#12Abc#12"). Such
// passwords are the first guesses of every cracking tool, whatever their
// length and character classes.
func isMostlyPattern(pw string) bool {
	rs := []rune(strings.ToLower(pw))
	if len(rs) == 0 {
		return false
	}
	if isRepeated(rs) {
		return true
	}
	inWalk := make([]bool, len(rs))
	// Four characters make a walk; shorter ones ("wer", "ss") occur in
	// ordinary words and would refuse good passphrases. Interleaved walks
	// need six, three from each.
	markWalks(rs, 1, 4, inWalk)
	markWalks(rs, 2, 6, inWalk)
	n := 0
	for _, w := range inWalk {
		if w {
			n++
		}
	}
	return 2*n >= len(rs)
}

// markWalks marks in inWalk the characters of every walk of at least minLen
// characters in which each character follows the one gap places before it
// by the same kind of step (same key, next letter, key to the right, …).
func markWalks(rs []rune, gap, minLen int, inWalk []bool) {
	first, common := -1, stepKind(0) // first step of the current walk, and the kinds all its steps share
	for i := gap; i <= len(rs); i++ {
		var kind stepKind
		if i < len(rs) {
			kind = stepKinds(rs[i-gap], rs[i])
		}
		if first >= 0 && kind&common != 0 {
			common &= kind
			continue
		}
		if first >= 0 && i-first+gap >= minLen {
			for j := first - gap; j < i; j++ {
				inWalk[j] = true
			}
		}
		first, common = i, kind
		if kind == 0 {
			first = -1
		}
	}
}

// isRepeated reports whether rs is periodic with a period of at most half
// its length, i.e. the same chunk typed at least twice.
func isRepeated(rs []rune) bool {
	for period := 1; period <= len(rs)/2; period++ {
		periodic := true
		for i := period; i < len(rs); i++ {
			if rs[i] != rs[i-period] {
				periodic = false
				break
			}
		}
		if periodic {
			return true
		}
	}
	return false
}

// stepKind is a set of ways one character can follow another without
// thought: the same key, the next or previous letter or digit, or one of the
// six neighbouring keys.
type stepKind uint16

const (
	stepSame stepKind = 1 << iota
	stepNext
	stepPrevious
	stepKeyRight
	stepKeyLeft
	stepKeyDown     // e.g. 1 → q
	stepKeyDownLeft // e.g. 2 → q
	stepKeyUp       // e.g. q → 1
	stepKeyUpRight  // e.g. q → 2
)

func stepKinds(a, b rune) stepKind {
	var k stepKind
	if a == b {
		k |= stepSame
	}
	if (isASCIILetter(a) && isASCIILetter(b)) || (unicode.IsDigit(a) && unicode.IsDigit(b)) {
		switch b - a {
		case 1:
			k |= stepNext
		case -1:
			k |= stepPrevious
		}
	}
	return k | keyStep(a, b)
}

func isASCIILetter(r rune) bool { return r >= 'a' && r <= 'z' }

// keyboardRows is a US QWERTY keyboard, which is also what keyboards sold in
// China use. Each row sits about half a key to the right of the row above,
// so key (r+1, c) touches (r, c) and (r, c+1).
var keyboardRows = [...]string{"1234567890-=", "qwertyuiop[]", "asdfghjkl;'", "zxcvbnm,./"}

// shifted maps the upper symbol of a key to the key, so that "!@#$" is the
// same walk as "1234".
var shifted = strings.NewReplacer(`!`, "1", `@`, "2", `#`, "3", `$`, "4", `%`, "5", `^`, "6", `&`, "7",
	`*`, "8", `(`, "9", `)`, "0", `_`, "-", `+`, "=", `{`, "[", `}`, "]", `:`, ";", `"`, "'",
	`<`, ",", `>`, ".", `?`, "/")

type keyPos struct{ row, col int }

var keyPositions = func() map[rune]keyPos {
	m := make(map[rune]keyPos)
	for row, keys := range keyboardRows {
		for col, k := range keys {
			m[k] = keyPos{row, col}
		}
	}
	return m
}()

func keyPosition(r rune) (keyPos, bool) {
	if p, ok := keyPositions[r]; ok {
		return p, true
	}
	if s := shifted.Replace(string(r)); s != string(r) {
		p, ok := keyPositions[[]rune(s)[0]]
		return p, ok
	}
	return keyPos{}, false
}

// keyStep returns the direction from key a to key b when they touch.
func keyStep(a, b rune) stepKind {
	pa, okA := keyPosition(a)
	pb, okB := keyPosition(b)
	if !okA || !okB {
		return 0
	}
	switch dr, dc := pb.row-pa.row, pb.col-pa.col; {
	case dr == 0 && dc == 1:
		return stepKeyRight
	case dr == 0 && dc == -1:
		return stepKeyLeft
	case dr == 1 && dc == 0:
		return stepKeyDown
	case dr == 1 && dc == -1:
		return stepKeyDownLeft
	case dr == -1 && dc == 0:
		return stepKeyUp
	case dr == -1 && dc == 1:
		return stepKeyUpRight
	}
	return 0
}
