package tamper

// HTML keywords (tag and attribute names, "url=" in a meta refresh, "<style")
// are matched ASCII-case-insensitively, as browsers match them. Matching them
// in strings.ToLower(s) and using the index on s is wrong: lower-casing
// changes the length of invalid UTF-8 bytes (0xff becomes the 3-byte
// U+FFFD) and of some letters (Ⱥ is 2 bytes, ⱥ 3; İ becomes i + a combining
// dot), so the index points elsewhere in s or past its end. These helpers
// find keywords in the original bytes and fold only ASCII letters.

// lowerASCII lower-cases an ASCII letter and leaves every other byte alone.
func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// hasPrefixFoldASCII reports whether s starts with the lower-case ASCII
// prefix, ignoring the case of ASCII letters only.
func hasPrefixFoldASCII[T string | []byte](s T, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		if lowerASCII(s[i]) != prefix[i] {
			return false
		}
	}
	return true
}

// indexFoldASCII returns the byte index in s of the first occurrence of the
// lower-case ASCII needle, ignoring the case of ASCII letters only, or -1.
// The index is valid in s itself.
func indexFoldASCII[T string | []byte](s T, needle string) int {
	if len(needle) == 0 {
		return 0
	}
	first := needle[0]
	for i := 0; i+len(needle) <= len(s); i++ {
		if lowerASCII(s[i]) == first && hasPrefixFoldASCII(s[i:], needle) {
			return i
		}
	}
	return -1
}

// equalFoldASCII reports whether s equals the lower-case ASCII word,
// ignoring the case of ASCII letters only: "REFRESH" is refresh, "refreſh"
// (long s) and "\u212Aeywords" (Kelvin sign) are not, unlike strings.EqualFold.
func equalFoldASCII(s, word string) bool {
	return len(s) == len(word) && hasPrefixFoldASCII(s, word)
}

// toLowerASCII lower-cases the ASCII letters of s and keeps every other
// byte, so the result has the same length and indexes as s.
func toLowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				b[j] = lowerASCII(b[j])
			}
			return string(b)
		}
	}
	return s
}
