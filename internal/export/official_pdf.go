package export

import (
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"
)

// Geometry of the PDF in millimetres (official.go gives the standard's
// figures). The embedded font is a sans (文泉驿微米黑), the only CJK face
// compiled in: it stands in for 仿宋, 小标宋, 黑体 and 楷体, with titles and
// headings stroked to look bold.
const (
	officialPitch     = officialHeightMM / officialLines // 22 lines a page
	officialBottom    = officialTopMM + officialHeightMM
	officialTableLine = 6.0 // mm, 小四 in tables
	officialTablePad  = 1.5
	ptToMM            = 25.4 / 72
	bodyCharMM        = officialBodyPt * ptToMM
)

// WriteOfficialPDF writes an aftermath document or end notice as a PDF in
// the official layout (GB/T 9704-2012, see official.go): A4, the text block
// 156 × 225 mm at 37 mm from the top and 28 mm from the left, 22 lines of
// 16 pt text a page, the red masthead and rule, page numbers "— N —".
func WriteOfficialPDF(w io.Writer, doc OfficialDocument) error {
	d := doc.official()
	o := newOfficialPDF()
	o.pdf.SetTitle(d.title, true)
	o.pdf.SetAuthor(d.issuer, true)
	o.pdf.SetCreator("Fenghuo", true)
	o.pdf.SetLang("zh-CN")
	created := d.date
	if created.IsZero() {
		created = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC) // same bytes on every export
	}
	o.pdf.SetCreationDate(created)
	o.pdf.SetModificationDate(created)
	o.pdf.AddPage()
	o.head(&d)
	for _, bl := range d.blocks {
		switch {
		case bl.image != nil:
			o.image(bl.image)
		case bl.table != nil:
			o.table(bl.table)
		case bl.level == 0:
			o.paragraph(bl.text, 2, false)
		default:
			o.ensure(2 * officialPitch) // a heading stays with a line of its text
			o.paragraph(bl.text, 2, bl.level == 1)
		}
	}
	o.signature(&d)
	if !d.noApprovals {
		o.setFont(officialBodyPt)
		o.ensure(4 * officialPitch)
		if o.y > officialTopMM {
			o.y += officialPitch // a blank line, as in the DOCX
		}
		o.line("审批记录", "L", 0, 0, true)
		o.table(d.approvalTable())
	}
	o.colophon(&d)
	if err := o.pdf.Output(w); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	return nil
}

// officialPDF lays out lines on the 22-line grid itself, breaking pages
// where the text block ends.
type officialPDF struct{ *pdfWriter }

func newOfficialPDF() *officialPDF {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.AddUTF8FontFromBytes(fontFamily, "", cjkFont)
	wPage, _ := pdf.GetPageSize()
	pdf.SetMargins(officialLeftMM, officialTopMM, wPage-officialLeftMM-officialWidthMM)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetCellMargin(0)
	o := &officialPDF{&pdfWriter{pdf: pdf, left: officialLeftMM, width: officialWidthMM, y: officialTopMM, bottom: officialBottom}}
	pdf.SetHeaderFunc(func() {
		o.y = officialTopMM
		if o.inBold {
			pdf.SetTextRenderingMode(2)
		}
	})
	// Page numbers: 4号, 7 mm below the text block, odd pages one
	// character in from the right, even pages one in from the left.
	pdf.SetFooterFunc(func() {
		mode := o.inBold
		pdf.SetTextRenderingMode(0)
		pdf.SetTextColor(0, 0, 0)
		pdf.SetFont(fontFamily, "", officialPageNoPt)
		in := officialPageNoPt * ptToMM
		label := fmt.Sprintf("— %d —", pdf.PageNo())
		pdf.SetXY(officialLeftMM+in, officialBottom+pageNoGapMM)
		align := "LT"
		if pdf.PageNo()%2 == 1 {
			align = "RT"
		}
		pdf.CellFormat(officialWidthMM-2*in, officialPageNoPt*ptToMM, label, "", 0, align, false, 0, "")
		if mode {
			pdf.SetTextRenderingMode(2)
		}
	})
	return o
}

// wrapText wraps to a width in millimetres (wrap subtracts cell margins,
// which the official layout does not use).
func (o *officialPDF) wrapText(s string, w float64) []string {
	return o.wrap(s, w+2*cellMargin)
}

// line writes one line of the grid; in and right are indents in mm.
func (o *officialPDF) line(s, align string, in, right float64, bold bool) {
	o.ensure(officialPitch)
	o.pdf.SetXY(o.left+in, o.y)
	draw := func() { o.pdf.CellFormat(o.width-in-right, officialPitch, s, "", 0, align, false, 0, "") }
	if bold {
		o.bold(draw)
	} else {
		draw()
	}
	o.y += officialPitch
}

// paragraph writes text indented by indent characters on its first line,
// lines after it flush left (GB/T 9704-2012 7.3.3: 左空二字, 回行顶格).
func (o *officialPDF) paragraph(s string, indent int, bold bool) {
	o.setFont(officialBodyPt)
	for _, l := range o.wrapText(strings.Repeat("　", indent)+s, o.width) {
		o.line(l, "L", 0, 0, bold)
	}
}

// head draws the version, the red masthead, the number, the red rule, the
// title and the recipients.
func (o *officialPDF) head(d *officialDoc) {
	o.setFont(officialBodyPt)
	if d.version > 0 {
		o.pdf.SetXY(o.left, o.y)
		o.bold(func() {
			o.pdf.CellFormat(o.width, officialPitch, fmt.Sprintf("第%d版", d.version), "", 0, "L", false, 0, "")
		})
	}
	y := officialTopMM + mastheadDropMM
	if m := cleanLine(d.masthead); m != "" {
		size := mastheadSize(m)
		o.setFont(size)
		o.pdf.SetTextColor(255, 0, 0)
		o.pdf.SetDrawColor(255, 0, 0) // the stroke that makes it bold
		h := size * ptToMM * 1.15
		for _, l := range o.wrapText(m, o.width) {
			o.pdf.SetXY(o.left, y)
			o.bold(func() { o.pdf.CellFormat(o.width, h, l, "", 0, "CT", false, 0, "") })
			y += h
		}
		o.pdf.SetTextColor(0, 0, 0)
		o.pdf.SetDrawColor(0, 0, 0)
		y += 2 * officialPitch // 下空二行
	}
	o.y = y
	o.setFont(officialBodyPt)
	for _, l := range o.wrapText(cleanLine(d.number), o.width) {
		o.line(l, "C", 0, 0, false)
	}
	// The rule lies 4 mm under the number's glyphs, which sit in the middle
	// of their line.
	rule := o.y - (officialPitch-bodyCharMM)/2 + ruleGapMM
	o.pdf.SetDrawColor(255, 0, 0)
	o.pdf.SetLineWidth(0.5)
	o.pdf.Line(o.left, rule, o.left+o.width, rule)
	o.pdf.SetDrawColor(0, 0, 0)
	o.pdf.SetLineWidth(0.2)
	o.y = rule + 2*officialPitch - (officialPitch-bodyCharMM)/2

	o.setFont(officialTitlePt)
	for _, l := range o.wrapText(d.title, o.width) {
		o.line(l, "C", 0, 0, true)
	}
	o.y += officialPitch // 空一行
	o.setFont(officialBodyPt)
	if r := d.recipientsLine(); r != "" {
		for _, l := range o.wrapText(r, o.width) {
			o.line(l, "L", 0, 0, false)
		}
	}
}

// signature writes the issuer and the date at the right, a blank line
// below the text, both on one page.
func (o *officialPDF) signature(d *officialDoc) {
	o.setFont(officialBodyPt)
	date := officialDateOr(d.date, "　　年　月　日")
	issuerRight, dateRight := signatureIndents(d.issuer, date)
	issuer := o.wrapText(cleanLine(d.issuer), o.width-issuerRight*bodyCharMM)
	o.ensure(float64(len(issuer)+2) * officialPitch)
	o.y += officialPitch
	for _, l := range issuer {
		o.line(l, "R", 0, issuerRight*bodyCharMM, false)
	}
	o.line(date, "R", 0, dateRight*bodyCharMM, false)
}

// table draws a bordered table in 小四; a row longer than the page
// continues on the next, and the header row is repeated on every page.
func (o *officialPDF) table(t *officialTable) {
	o.setFont(officialTablePt)
	widths := make([]float64, len(t.widths))
	for i, f := range t.widths {
		widths[i] = f * o.width
	}
	wrapRow := func(cells []string) ([][]string, int) {
		out := make([][]string, len(widths))
		n := 1
		for i, w := range widths {
			text := ""
			if i < len(cells) {
				text = strings.TrimSpace(cleanLine(normalizeNewlines(cells[i])))
			}
			out[i] = o.wrap(text, w)
			n = max(n, len(out[i]))
		}
		return out, n
	}
	header, hn := wrapRow(t.header)
	rowHeight := func(n int) float64 { return float64(n)*officialTableLine + 2*officialTablePad }
	draw := func(cells [][]string, from, n int, bold bool) {
		h := rowHeight(n)
		x := o.left
		for i, w := range widths {
			o.pdf.Rect(x, o.y, w, h, "D")
			for k := 0; k < n && from+k < len(cells[i]); k++ {
				o.pdf.SetXY(x+cellMargin, o.y+officialTablePad+float64(k)*officialTableLine)
				align := "L"
				if bold {
					align = "C"
				}
				text := cells[i][from+k]
				cell := func() { o.pdf.CellFormat(w-2*cellMargin, officialTableLine, text, "", 0, align, false, 0, "") }
				if bold {
					o.bold(cell)
				} else {
					cell()
				}
			}
			x += w
		}
		o.y += h
	}
	o.ensure(rowHeight(hn) + rowHeight(1))
	o.setFont(officialTablePt)
	draw(header, 0, hn, true)
	for _, r := range t.rows {
		cells, n := wrapRow(r)
		for start := 0; start < n; {
			avail := int(math.Floor((o.bottom - o.y - 2*officialTablePad) / officialTableLine))
			if avail < min(n-start, 2) {
				o.pdf.AddPage()
				o.setFont(officialTablePt)
				draw(header, 0, hn, true)
				continue
			}
			k := min(n-start, avail)
			draw(cells, start, k, false)
			start += k
		}
	}
	o.setFont(officialBodyPt)
}

// colophon draws the 版记 at the foot of the last page: 抄送 between a
// thick and a thin rule, the issuer and the date of printing above a thick
// one (GB/T 9704-2012 8.1).
func (o *officialPDF) colophon(d *officialDoc) {
	o.setFont(officialPageNoPt)
	in := officialPageNoPt * ptToMM
	var copyLines []string
	if c := d.copyToLine(); c != "" {
		copyLines = o.wrapText(c, o.width-2*in)
	}
	office, printed := d.printedLines()
	// The issuer at the left and the date at the right share a line when
	// they fit; otherwise each wraps on lines of its own.
	var printLines [][2]string
	if o.pdf.GetStringWidth(office)+o.pdf.GetStringWidth(printed)+2*in <= o.width-2*in {
		printLines = [][2]string{{office, printed}}
	} else {
		for _, l := range o.wrapText(office, o.width-2*in) {
			printLines = append(printLines, [2]string{l, ""})
		}
		printLines = append(printLines, [2]string{"", printed})
	}
	h := float64(len(copyLines)+len(printLines)) * officialPitch
	if o.y+h+officialPitch > o.bottom {
		o.pdf.AddPage()
		o.setFont(officialPageNoPt)
	}
	o.y = o.bottom - h
	rule := func(width float64) {
		o.pdf.SetLineWidth(width)
		o.pdf.Line(o.left, o.y, o.left+o.width, o.y)
		o.pdf.SetLineWidth(0.2)
	}
	rule(0.35)
	for _, l := range copyLines {
		o.line(l, "L", in, in, false)
	}
	if len(copyLines) > 0 {
		rule(0.25)
	}
	for _, l := range printLines {
		o.pdf.SetXY(o.left+in, o.y)
		o.pdf.CellFormat(o.width-2*in, officialPitch, l[0], "", 0, "L", false, 0, "")
		o.pdf.SetXY(o.left+in, o.y)
		o.pdf.CellFormat(o.width-2*in, officialPitch, l[1], "", 0, "R", false, 0, "")
		o.y += officialPitch
	}
	rule(0.35)
}
