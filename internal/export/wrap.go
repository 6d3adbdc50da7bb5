package export

import (
	"strings"
	"unicode"
)

// wrap splits s into lines no wider than w (millimetres, less the cell
// margins) in the current font. It replaces fpdf's SplitText, which drops
// the character at every break between Chinese characters. Lines break
// between CJK characters and at spaces; a Latin word longer than a line is
// cut; closing punctuation (，。）…) never starts a line (避头点), and an
// opening one (（《“…) never ends one. Every "\n" starts a new line.
func (p *pdfWriter) wrap(s string, w float64) []string {
	limit := w - 2*cellMargin
	var lines []string
	for _, para := range strings.Split(normalizeNewlines(s), "\n") {
		r := []rune(para)
		start, width, lastBreak := 0, 0.0, -1
		for i := 0; i < len(r); {
			if i > start && canBreakBefore(r, i) {
				lastBreak = i
			}
			cw := p.pdf.GetStringWidth(string(r[i]))
			if width+cw <= limit || i == start {
				width += cw
				i++
				continue
			}
			brk := i
			if !canBreakBefore(r, i) {
				switch {
				case lastBreak > start:
					brk = lastBreak
				case isClosingPunct(r[i]):
					// Nowhere to break: let the punctuation hang.
					width += cw
					i++
					continue
				}
			}
			lines = append(lines, strings.TrimRight(string(r[start:brk]), " "))
			for brk < len(r) && r[brk] == ' ' {
				brk++
			}
			start, i, width, lastBreak = brk, brk, 0, -1
		}
		if start < len(r) || len(r) == 0 {
			lines = append(lines, string(r[start:]))
		}
	}
	return lines
}

// canBreakBefore reports whether a line may end before r[i].
func canBreakBefore(r []rune, i int) bool {
	prev, cur := r[i-1], r[i]
	if isClosingPunct(cur) || isOpeningPunct(prev) {
		return false
	}
	return prev == ' ' || isWide(cur) || isWide(prev)
}

// isWide reports whether r is a CJK character or full-width punctuation,
// between which Chinese text may break anywhere.
func isWide(r rune) bool {
	return unicode.Is(unicode.Han, r) || (r >= 0x3000 && r <= 0x30FF) || (r >= 0xFF00 && r <= 0xFFEF) ||
		(r >= 0x2160 && r <= 0x217F) // Ⅰ Ⅱ Ⅲ
}

func isClosingPunct(r rune) bool {
	return strings.ContainsRune("，。、；：！？）》」』】〕〉”’…%)]},.;:!?", r)
}

func isOpeningPunct(r rune) bool {
	return strings.ContainsRune("（《「『【〔〈“‘([{", r)
}
