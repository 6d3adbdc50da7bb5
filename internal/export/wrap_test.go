package export

import (
	"strings"
	"testing"
)

// TestWrap: no character is lost or duplicated at a break (fpdf's
// SplitText drops one at every break between Chinese characters), lines
// fit, and closing punctuation never starts a line.
func TestWrap(t *testing.T) {
	p := newPDFWriter()
	p.pdf.AddPage()
	p.setFont(bodySize)
	const width = 60.0
	for _, s := range []string{
		strings.Repeat("攻击者利用上传漏洞写入网页木马，篡改首页。", 12),
		"The attacker used CVE-2024-12345 against https://portal.example.edu.cn/index.php?id=1 and then 植入暗链（约300条）。",
		strings.Repeat("x", 200),
		"短",
		"第一行\n\n第三行",
		"",
	} {
		lines := p.wrap(s, width)
		if got, want := strings.Join(lines, ""), strings.ReplaceAll(strings.ReplaceAll(s, "\n", ""), " ", ""); strings.ReplaceAll(got, " ", "") != want {
			t.Errorf("wrap lost text:\n got %q\nwant %q", got, want)
		}
		if n := strings.Count(s, "\n") + 1; len(lines) < n {
			t.Errorf("%q: %d lines for %d paragraphs", s, len(lines), n)
		}
		for i, l := range lines {
			r := []rune(l)
			if len(r) > 1 && p.pdf.GetStringWidth(string(r[:len(r)-1])) > width-2*cellMargin {
				t.Errorf("line %d too wide: %q", i, l)
			}
			if i > 0 && len(r) > 0 && isClosingPunct(r[0]) && lines[i-1] != "" {
				t.Errorf("line %d starts with %q", i, r[0])
			}
		}
	}
}
