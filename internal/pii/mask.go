package pii

import (
	"strings"
	"unicode/utf8"
)

// Mask returns the form of a personal value that lists and pages show to
// everyone: a phone keeps its first 3 and last 4 digits (138****5678), a
// short one only its last 2; an e-mail address keeps the first character
// of its local part and the domain (a***@example.cn); an ID number keeps
// its first 6 and last 4 characters (the region and the check digit).
// Separators stay where they are, so the shape of the number is familiar.
// An empty value stays empty.
func Mask(k Kind, value string) string {
	if value == "" {
		return ""
	}
	switch k {
	case Email:
		return maskEmail(value)
	case IDNumber:
		return maskKeep(value, 6, 4, func(rune) bool { return true })
	}
	digit := func(r rune) bool { return r >= '0' && r <= '9' }
	n := 0
	for _, r := range value {
		if digit(r) {
			n++
		}
	}
	if n >= 8 {
		return maskKeep(value, 3, 4, digit)
	}
	return maskKeep(value, 0, 2, digit)
}

// maskKeep replaces the characters that count (by counts) with '*',
// except the first head and the last tail of them; other characters stay.
func maskKeep(value string, head, tail int, counts func(rune) bool) string {
	n := 0
	for _, r := range value {
		if counts(r) {
			n++
		}
	}
	if head+tail >= n {
		// Too short to keep anything and hide something: hide it all.
		head, tail = 0, 0
	}
	var b strings.Builder
	i := 0
	for _, r := range value {
		if !counts(r) {
			b.WriteRune(r)
			continue
		}
		if i < head || i >= n-tail {
			b.WriteRune(r)
		} else {
			b.WriteByte('*')
		}
		i++
	}
	return b.String()
}

func maskEmail(value string) string {
	at := strings.LastIndexByte(value, '@')
	if at <= 0 {
		return maskKeep(value, 0, 0, func(rune) bool { return true })
	}
	first, _ := utf8.DecodeRuneInString(value)
	return string(first) + "***" + value[at:]
}

// Kept is the value an edit writes for a field that was shown masked: the
// stored value when the form or client sent its mask back unchanged, else
// what was sent (a new value, validated and sealed as any other). Edit
// forms and API answers carry masks, so without this an untouched field
// would overwrite the stored number with its mask.
func Kept(k Kind, stored, sent string) string {
	if stored != "" && sent != stored && sent == Mask(k, stored) {
		return stored
	}
	return sent
}
