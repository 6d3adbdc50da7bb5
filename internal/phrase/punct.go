package phrase

import (
	"regexp"
	"unicode"
)

// asciiGrade is a grade in Latin letters before 级 ("II级"), not part of a
// longer Latin word.
var asciiGrade = regexp.MustCompile(`(^|[^A-Za-z])(IV|III|II|I)级`)

var gradeNumeral = map[string]string{"I": "Ⅰ", "II": "Ⅱ", "III": "Ⅲ", "IV": "Ⅳ"}

// GradeNumerals writes the grades before 级 in Chinese text with their
// Roman numeral characters, as the plans do ("II级" becomes "Ⅱ级"), so
// that a page never shows both forms.
func GradeNumerals(s string) string {
	return asciiGrade.ReplaceAllStringFunc(s, func(m string) string {
		sub := asciiGrade.FindStringSubmatch(m)
		return sub[1] + gradeNumeral[sub[2]] + "级"
	})
}

// Chinese text uses full-width punctuation between Chinese words (，；：？
// （）), as the platform's own sentences do; ASCII punctuation next to a
// Chinese character is a slip. Times (24:00), numbers, format verbs and
// URLs between ASCII characters are left alone.

// wide is the full-width form of the ASCII marks checked.
var wide = map[rune]rune{',': '，', ';': '；', ':': '：', '?': '？', '(': '（', ')': '）'}

// cjk reports whether r is a Chinese character or Chinese punctuation.
func cjk(r rune) bool {
	return unicode.Is(unicode.Han, r) || (r >= 0x3000 && r <= 0x303F) || (r >= 0xFF00 && r <= 0xFFEF)
}

// ASCIIPunctNearCJK lists the ASCII marks , ; : ? ( ) in s that touch a
// Chinese character (a , ; : ? across spaces), each with a little context.
func ASCIIPunctNearCJK(s string) []string {
	rs := []rune(s)
	var out []string
	for _, i := range slips(rs) {
		lo, hi := max(0, i-4), min(len(rs), i+5)
		out = append(out, string(rs[lo:hi]))
	}
	return out
}

// FullWidth converts the marks ASCIIPunctNearCJK finds to full width (a
// converted , ; : ? drops the spaces after it; a bracket pair converts
// together).
func FullWidth(s string) string { return FullWidthOutside(s, 0, 0) }

// FullWidthOutside is FullWidth leaving alone the text between the marks
// open and close (which it removes): a plan's or a person's words quoted in
// a platform line stay as written, while the line's own punctuation next
// to them is converted.
func FullWidthOutside(s string, open, close rune) string {
	var rs []rune
	var kept []bool
	in := false
	for _, r := range s {
		switch {
		case open != 0 && r == open:
			in = true
			continue
		case close != 0 && r == close:
			in = false
			continue
		}
		rs = append(rs, r)
		kept = append(kept, in)
	}
	idx := slips(rs)
	conv := map[int]bool{}
	for _, i := range idx {
		conv[i] = !kept[i]
	}
	// Brackets convert in pairs.
	var stack []int
	for i, r := range rs {
		switch r {
		case '(':
			stack = append(stack, i)
		case ')':
			if len(stack) > 0 {
				o := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				if (conv[o] || conv[i]) && !kept[o] && !kept[i] {
					conv[o], conv[i] = true, true
				}
			}
		}
	}
	var out []rune
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if !conv[i] {
			out = append(out, r)
			continue
		}
		if r == '(' { // a full-width bracket brings its own space
			for len(out) > 0 && out[len(out)-1] == ' ' && !kept[i-1] {
				out = out[:len(out)-1]
			}
		}
		out = append(out, wide[r])
		if r != '(' && r != ')' {
			for i+1 < len(rs) && rs[i+1] == ' ' && !kept[i+1] {
				i++
			}
		}
	}
	return string(out)
}

func slips(rs []rune) []int {
	// A bracket without its partner ("[2.5.0, 2.5.13)", a range) is not
	// prose punctuation.
	paired := map[int]bool{}
	var stack []int
	for i, r := range rs {
		switch r {
		case '(':
			stack = append(stack, i)
		case ')':
			if len(stack) > 0 {
				paired[stack[len(stack)-1]], paired[i] = true, true
				stack = stack[:len(stack)-1]
			}
		}
	}
	var out []int
	for i, r := range rs {
		if _, ok := wide[r]; !ok {
			continue
		}
		if (r == '(' || r == ')') && !paired[i] {
			continue
		}
		skip := r != '(' && r != ')'
		prev, next := rune(0), rune(0)
		for j := i - 1; j >= 0; j-- {
			if rs[j] == ' ' && skip {
				continue
			}
			prev = rs[j]
			break
		}
		for j := i + 1; j < len(rs); j++ {
			if rs[j] == ' ' && skip {
				continue
			}
			next = rs[j]
			break
		}
		if cjk(prev) || cjk(next) {
			out = append(out, i)
		}
	}
	return out
}
