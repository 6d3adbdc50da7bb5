package export

import (
	"strconv"
	"strings"
	"time"
	"unicode"
)

// The official layout of GB/T 9704-2012 《党政机关公文格式》, shared by the
// DOCX and PDF writers: the four aftermath documents are turned into an
// officialDoc, which each writer lays out.
//
// From the standard: A4; 天头 (top margin) 37 mm, 订口 (left margin) 28 mm,
// text block 156 × 225 mm; body in 3号仿宋 (16 pt), 22 lines a page; the
// 发文机关标志 in red 小标宋, its top edge 35 mm below the text block's
// top; the 发文字号 two lines below it, centred, and a red rule as wide as
// the text block 4 mm under it; the title in 2号小标宋 two lines below the
// rule; 主送机关 a line below the title, flush left, ending with a
// full-width colon; paragraphs indented two characters; headings 一、
// (黑体), （一） (楷体), 1. (仿宋); the issuer and date at the right; page
// numbers "— 1 —" in 4号 7 mm below the text block, odd pages at the right
// and even pages at the left, one character in; the 版记 (抄送, 印发) between
// rules at the end.
const (
	officialTopMM      = 37.0
	officialLeftMM     = 28.0
	officialWidthMM    = 156.0
	officialHeightMM   = 225.0
	officialLines      = 22
	officialBodyPt     = 16.0 // 三号
	officialTitlePt    = 22.0 // 二号
	officialTablePt    = 12.0 // 小四, for tables
	officialPageNoPt   = 14.0 // 四号
	officialMastheadPt = 36.0 // 小初 at most; shrunk to fit the text block
	mastheadDropMM     = 35.0
	ruleGapMM          = 4.0
	pageNoGapMM        = 7.0
)

const notFilled = "（未填写）"

// mastheadSize is the masthead's type size: 小初 (36 pt), or smaller so that
// the whole name fits on one line of the text block.
func mastheadSize(s string) float64 {
	n := 0
	for _, r := range s {
		if isWide(r) {
			n += 2
		} else {
			n++
		}
	}
	if n == 0 {
		return officialMastheadPt
	}
	fit := officialWidthMM / 25.4 * 72 / (float64(n) / 2) // points per wide character
	return max(min(officialMastheadPt, float64(int(fit*2))/2), officialBodyPt)
}

// officialDoc is a document laid out per GB/T 9704-2012.
type officialDoc struct {
	masthead   string // 发文机关标志, red
	number     string // 发文字号
	version    int
	title      string
	recipients []string
	blocks     []officialBlock
	issuer     string // 发文机关署名
	date       time.Time
	approvals  []Approval
	// noApprovals leaves out the 审批记录 table: an end notice states its
	// approval in its text, and the aftermath chain does not apply to it.
	noApprovals bool
	copyTo      []string

	counters [3]int
}

// officialBlock is a heading (level 1–3, numbered), a paragraph (level 0),
// a table or a chart image.
type officialBlock struct {
	level int
	text  string
	table *officialTable
	image *officialImage
}

// officialImage is a PNG chart in the text block: the image, its size and
// its text alternative.
type officialImage struct {
	png          []byte
	widthMM      float64
	heightMM     float64
	alt, caption string
}

// officialTable has columns with relative widths; cells wrap.
type officialTable struct {
	header []string
	widths []float64 // fractions of the text block, summing to 1
	rows   [][]string
}

// heading adds a numbered heading: 一、 at level 1, （一） at 2, 1. at 3;
// a heading restarts the numbering of the levels below it.
func (d *officialDoc) heading(level int, text string) {
	d.counters[level-1]++
	for i := level; i < len(d.counters); i++ {
		d.counters[i] = 0
	}
	n := d.counters[level-1]
	var num string
	switch level {
	case 1:
		num = chineseNumeral(n) + "、"
	case 2:
		num = "（" + chineseNumeral(n) + "）"
	default:
		num = strconv.Itoa(n) + "."
	}
	d.blocks = append(d.blocks, officialBlock{level: level, text: num + cleanLine(text)})
}

// para adds one paragraph.
func (d *officialDoc) para(text string) {
	d.blocks = append(d.blocks, officialBlock{text: cleanLine(text)})
}

// section adds a level-1 heading and its text, one paragraph a line;
// empty text prints （未填写）, so that the structure stays for a hand to
// complete.
func (d *officialDoc) section(heading, text string) {
	d.heading(1, heading)
	d.paras(text)
}

func (d *officialDoc) paras(text string) {
	t := strings.TrimSpace(normalizeNewlines(text))
	if t == "" {
		d.para(notFilled)
		return
	}
	for _, line := range strings.Split(t, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			d.para(line)
		}
	}
}

// measures adds the table of measures with owner and deadline.
func (d *officialDoc) measures(ms []Measure) {
	if len(ms) == 0 {
		d.para(notFilled)
		return
	}
	t := &officialTable{header: []string{"序号", "措施", "责任单位或责任人", "完成时限"}, widths: []float64{0.08, 0.47, 0.23, 0.22}}
	for i, m := range ms {
		t.rows = append(t.rows, []string{strconv.Itoa(i + 1), m.Text, m.Owner, officialDateOr(m.Deadline, "")})
	}
	d.blocks = append(d.blocks, officialBlock{table: t})
}

// approvalTable is the approval block: each stage with its body, decision
// and opinion, person and date.
func (d *officialDoc) approvalTable() *officialTable {
	t := &officialTable{header: []string{"审批环节", "审批单位", "审批意见", "审批人", "日期"}, widths: []float64{0.14, 0.22, 0.28, 0.14, 0.22}}
	for _, a := range d.approvals {
		// The decision word once; the opinion only when it says more
		// ("同意", never "同意：同意").
		opinion := strings.TrimSpace(a.Opinion)
		if opinion == a.Decision.name() {
			opinion = ""
		}
		t.rows = append(t.rows, []string{a.Stage.name(), a.Body, joinNonEmpty("：", a.Decision.name(), opinion), a.Person, officialDateOr(a.Date, "")})
	}
	return t
}

func (s ApprovalStage) name() string {
	switch s {
	case ApprovalUnit:
		return "事发单位"
	case ApprovalCompetent:
		return "主管部门"
	case ApprovalCAC:
		return "网信办"
	}
	return ""
}

func (d Decision) name() string {
	switch d {
	case DecisionApproved:
		return "同意"
	case DecisionReturned:
		return "退回修改"
	}
	return "待审批"
}

// recipientsLine is the 主送 line: the names joined by 、 and a full-width colon.
func (d *officialDoc) recipientsLine() string {
	var names []string
	for _, r := range d.recipients {
		if r = cleanLine(r); strings.TrimSpace(r) != "" {
			names = append(names, r)
		}
	}
	if len(names) == 0 {
		return ""
	}
	return strings.Join(names, "、") + "："
}

// signatureIndents gives the right indents, in characters, of the issuer
// and of the date, without a seal (GB/T 9704-2012 7.3.5.2): the issuer two
// characters in from the right, the date on the next line starting two
// characters to the right of the issuer's first character; when that would
// bring the date closer than two characters to the edge, the date is two
// characters in and the issuer moves left.
func signatureIndents(issuer, date string) (issuerRight, dateRight float64) {
	li, ld := charWidth(issuer), charWidth(date)
	if li-ld >= 2 {
		return 2, li - ld
	}
	return 4 + ld - li, 2
}

// charWidth counts characters, a Latin letter or digit as half.
func charWidth(s string) float64 {
	w := 0.0
	for _, r := range s {
		if isWide(r) {
			w++
		} else {
			w += 0.5
		}
	}
	return w
}

// copyToLine and printedLine are the 版记.
func (d *officialDoc) copyToLine() string {
	var names []string
	for _, c := range d.copyTo {
		if c = cleanLine(c); strings.TrimSpace(c) != "" {
			names = append(names, c)
		}
	}
	if len(names) == 0 {
		return ""
	}
	return "抄送：" + strings.Join(names, "，") + "。"
}

func (d *officialDoc) printedLines() (office, date string) {
	return cleanLine(d.issuer), officialDateOr(d.date, "") + optional(!d.date.IsZero(), "印发")
}

// officialDate is a date as official documents print it: Arabic numerals,
// no leading zeros (2026年12月7日), in China Standard Time.
func officialDate(t time.Time) string {
	c := t.In(chinaTime)
	return strconv.Itoa(c.Year()) + "年" + strconv.Itoa(int(c.Month())) + "月" + strconv.Itoa(c.Day()) + "日"
}

// officialDue writes a deadline for "请于…前完成": a deadline at local
// midnight is the end of the day before ("2027年1月6日24时", since
// "2027年1月7日前" reads as a day late); any other time gives its hour
// ("2026年12月20日18时", "…18时30分").
func officialDue(t time.Time) string {
	c := t.In(chinaTime)
	if c.Hour() == 0 && c.Minute() == 0 && c.Second() == 0 && c.Nanosecond() == 0 {
		return officialDate(c.AddDate(0, 0, -1)) + "24时"
	}
	s := officialDate(c) + strconv.Itoa(c.Hour()) + "时"
	if c.Minute() != 0 {
		s += strconv.Itoa(c.Minute()) + "分"
	}
	return s
}

func officialDateOr(t time.Time, blank string) string {
	if t.IsZero() {
		return blank
	}
	return officialDate(t)
}

var chineseDigits = []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"}

// chineseNumeral writes 1–99 in Chinese (十一, 二十); larger numbers stay
// Arabic.
func chineseNumeral(n int) string {
	switch {
	case n <= 0 || n > 99:
		return strconv.Itoa(n)
	case n < 10:
		return chineseDigits[n]
	case n == 10:
		return "十"
	case n < 20:
		return "十" + chineseDigits[n%10]
	case n%10 == 0:
		return chineseDigits[n/10] + "十"
	}
	return chineseDigits[n/10] + "十" + chineseDigits[n%10]
}

// cleanLine removes control characters (a tab becomes a space) so that no
// writer is handed bytes it cannot print; line breaks are the caller's.
func cleanLine(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t':
			return ' '
		case r == '\n':
			return r
		case unicode.IsControl(r), r == 0xFFFE, r == 0xFFFF:
			return -1
		}
		return r
	}, s)
}
