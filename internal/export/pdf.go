package export

import (
	_ "embed"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"
)

// cjkFont is WenQuanYi Micro Hei subset to GBK (fonts/build.sh makes it
// from the Debian package; Apache-2.0, see fonts/LICENSE). fpdf embeds
// only the glyphs a document uses, so a report is some 100 KB.
//
//go:embed fonts/wqy-microhei-gbk.ttf
var cjkFont []byte

const fontFamily = "wqymicrohei"

// Page geometry in millimetres (A4) and type sizes in points: 10.5 pt is
// 五号, the size of body text on Chinese official forms.
const (
	pageMargin  = 20.0
	labelWidth  = 42.0
	cellPad     = 1.6
	cellMargin  = 1.0
	lineHeight  = 5.6
	bodySize    = 10.5
	titleSize   = 20.0
	headingSize = 11.0
	smallSize   = 9.0
	boxSize     = 3.2
)

// WriteReportPDF writes the report form as a PDF laid out like the DOCX:
// title, the 附件2-style table, the eight items, signer and reporter, and a
// page number on each page. Long text wraps and continues on the next page;
// a table row split across pages repeats its label marked （续）.
func WriteReportPDF(w io.Writer, f ReportForm) error {
	p := newPDFWriter()
	p.pdf.SetTitle(joinNonEmpty(" ", docTitle, f.IncidentTitle), true)
	p.pdf.SetAuthor(f.ReportingUnit, true)
	p.pdf.SetCreator("Fenghuo", true)
	p.pdf.SetLang("zh-CN")
	created := f.SubmittedAt
	if created.IsZero() {
		created = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC) // same bytes on every export
	}
	p.pdf.SetCreationDate(created)
	p.pdf.SetModificationDate(created)
	p.pdf.AddPage()

	p.setFont(titleSize)
	p.bold(func() { p.cell(p.width, 12, docTitle, "C") })
	if s := f.subtitle(); s != "" {
		p.setFont(smallSize)
		p.pdf.SetTextColor(64, 64, 64)
		for _, line := range p.wrap(s, p.width) {
			p.cell(p.width, 5, line, "C")
		}
		p.pdf.SetTextColor(0, 0, 0)
	}
	p.y += 3
	for _, r := range f.rows() {
		p.row(r)
	}

	p.y += 6
	p.setFont(headingSize + 1)
	p.ensure(3 * lineHeight)
	p.bold(func() { p.cell(p.width, 7, itemsTitle, "L") })
	for _, it := range reportItems {
		p.setFont(headingSize)
		// Keep a heading with the first line of its text.
		p.ensure(float64(len(p.wrap(it.heading, p.width))+1)*lineHeight + 1.5)
		p.y += 1.5
		p.bold(func() { p.paragraph(it.heading, "") })
		p.setFont(bodySize)
		v := strings.TrimSpace(normalizeNewlines(f.Items[it.key]))
		if v == "" {
			p.pdf.SetTextColor(128, 128, 128)
			p.paragraph(emptyItem, "　　")
			p.pdf.SetTextColor(0, 0, 0)
			continue
		}
		for _, para := range strings.Split(v, "\n") {
			p.paragraph(para, "　　")
		}
	}
	p.footer(f.footerLines())
	if err := p.pdf.Output(w); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	return nil
}

// pdfWriter places text itself instead of relying on fpdf's automatic page
// breaks, so that a table row can be split with borders on both pages.
type pdfWriter struct {
	pdf         *fpdf.Fpdf
	left, width float64
	y, bottom   float64
	valueW      float64
	inBold      bool
}

func newPDFWriter() *pdfWriter {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.AddUTF8FontFromBytes(fontFamily, "", cjkFont)
	pdf.SetMargins(pageMargin, pageMargin, pageMargin)
	pdf.SetAutoPageBreak(false, pageMargin)
	pdf.SetCellMargin(cellMargin)
	pdf.AliasNbPages("{nb}")
	wPage, hPage := pdf.GetPageSize()
	p := &pdfWriter{pdf: pdf, left: pageMargin, width: wPage - 2*pageMargin}
	p.valueW = p.width - labelWidth
	p.bottom = hPage - pageMargin
	pdf.SetFooterFunc(func() {
		pdf.SetTextRenderingMode(0)
		p.setFont(smallSize)
		pdf.SetXY(p.left, hPage-pageMargin+6)
		pdf.CellFormat(p.width, 5, fmt.Sprintf("第 %d 页 / 共 {nb} 页", pdf.PageNo()), "", 0, "C", false, 0, "")
	})
	pdf.SetHeaderFunc(func() {
		p.y = pageMargin
		if p.inBold {
			pdf.SetTextRenderingMode(2)
		}
	})
	return p
}

func (p *pdfWriter) setFont(size float64) { p.pdf.SetFont(fontFamily, "", size) }

// bold strokes the glyph outlines as well as filling them: the embedded
// font has no bold face.
// The rendering mode is page state, so a page break inside draw sets it
// again on the new page (see newPDFWriter's header and footer).
func (p *pdfWriter) bold(draw func()) {
	p.pdf.SetLineWidth(0.25)
	p.pdf.SetTextRenderingMode(2)
	p.inBold = true
	draw()
	p.inBold = false
	p.pdf.SetTextRenderingMode(0)
	p.pdf.SetLineWidth(0.2)
}

// cell writes one line at the current y and moves down by h.
func (p *pdfWriter) cell(w, h float64, s, align string) {
	p.pdf.SetXY(p.left, p.y)
	p.pdf.CellFormat(w, h, s, "", 0, align, false, 0, "")
	p.y += h
}

// ensure starts a new page unless h millimetres are left on this one.
func (p *pdfWriter) ensure(h float64) {
	if p.y+h > p.bottom {
		p.pdf.AddPage()
	}
}

// paragraph wraps s to the page width, line by line across pages; indent
// goes before the first line (two ideographic spaces in Chinese prose).
func (p *pdfWriter) paragraph(s, indent string) {
	for _, line := range p.wrap(indent+s, p.width) {
		p.ensure(lineHeight)
		p.cell(p.width, lineHeight, line, "L")
	}
}

// pdfLine is one line of a table cell: text, or a row of checkboxes.
type pdfLine struct {
	text    string
	options []option
}

// row draws one table row, splitting it where the page ends.
func (p *pdfWriter) row(r formRow) {
	p.setFont(bodySize)
	var lines []pdfLine
	for _, opts := range p.flowOptions(r.Options) {
		lines = append(lines, pdfLine{options: opts})
	}
	if t := strings.TrimRight(normalizeNewlines(r.Text), "\n"); t != "" {
		for _, s := range p.wrap(t, p.valueW) {
			lines = append(lines, pdfLine{text: s})
		}
	}
	label := r.Label
	for start, first := 0, true; first || start < len(lines); first = false {
		labelLines := p.wrap(label, labelWidth)
		n := max(len(lines)-start, len(labelLines), 1)
		avail := int(math.Floor((p.bottom - p.y - 2*cellPad) / lineHeight))
		if avail < min(n, 2) && p.y > pageMargin+lineHeight {
			p.pdf.AddPage()
			continue
		}
		n = min(n, max(avail, 1))
		h := float64(n)*lineHeight + 2*cellPad
		p.pdf.SetFillColor(217, 217, 217)
		p.pdf.Rect(p.left, p.y, labelWidth, h, "FD")
		p.pdf.Rect(p.left+labelWidth, p.y, p.valueW, h, "D")
		top := p.y + (h-float64(min(len(labelLines), n))*lineHeight)/2
		for i := 0; i < len(labelLines) && i < n; i++ {
			p.pdf.SetXY(p.left, top+float64(i)*lineHeight)
			p.pdf.CellFormat(labelWidth, lineHeight, labelLines[i], "", 0, "C", false, 0, "")
		}
		for i := 0; i < n && start+i < len(lines); i++ {
			p.drawLine(lines[start+i], p.y+cellPad+float64(i)*lineHeight)
		}
		start += n
		p.y += h
		label = "（续）" + r.Label
	}
}

func (p *pdfWriter) drawLine(l pdfLine, y float64) {
	x := p.left + labelWidth
	if l.options == nil {
		p.pdf.SetXY(x, y)
		p.pdf.CellFormat(p.valueW, lineHeight, l.text, "", 0, "L", false, 0, "")
		return
	}
	x += cellMargin
	for _, o := range l.options {
		by := y + (lineHeight-boxSize)/2
		p.pdf.Rect(x, by, boxSize, boxSize, "D")
		if o.Ticked {
			p.pdf.SetXY(x, by)
			p.pdf.CellFormat(boxSize, boxSize, "✓", "", 0, "C", false, 0, "")
		}
		p.pdf.SetXY(x+boxSize+0.6, y)
		lw := p.pdf.GetStringWidth(o.Label) + 2*cellMargin
		p.pdf.CellFormat(lw, lineHeight, o.Label, "", 0, "L", false, 0, "")
		x += boxSize + 0.6 + lw + 3
	}
}

// flowOptions wraps checkbox options onto lines of the value column.
func (p *pdfWriter) flowOptions(opts []option) [][]option {
	var out [][]option
	var cur []option
	used, limit := 0.0, p.valueW-2*cellMargin
	for _, o := range opts {
		w := boxSize + 0.6 + p.pdf.GetStringWidth(o.Label) + 2*cellMargin + 3
		if len(cur) > 0 && used+w > limit {
			out, cur, used = append(out, cur), nil, 0
		}
		cur = append(cur, o)
		used += w
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// footer prints the signer and reporter two to a line, kept together on
// one page; a blank gets a rule to sign or write on, a long value (several
// recipients) wraps in its column.
func (p *pdfWriter) footer(lines [][2]string) {
	p.setFont(bodySize)
	colW := p.width / 2
	type footerRow struct {
		pair    [][2]string
		wrapped [][]string
		n       int
	}
	var rows []footerRow
	total := 8.0
	for i := 0; i < len(lines); i += 2 {
		r := footerRow{pair: lines[i:min(i+2, len(lines))], n: 1}
		r.wrapped = make([][]string, len(r.pair))
		for j, l := range r.pair {
			if l[1] != "" {
				lw := p.pdf.GetStringWidth(l[0]+"：") + 2*cellMargin
				r.wrapped[j] = p.wrap(l[1], colW-lw-2)
				r.n = max(r.n, len(r.wrapped[j]))
			}
		}
		rows = append(rows, r)
		total += float64(r.n)*lineHeight + 2
	}
	p.ensure(total)
	p.y += 8
	for _, r := range rows {
		for j, l := range r.pair {
			x := p.left + float64(j)*colW
			label := l[0] + "："
			lw := p.pdf.GetStringWidth(label) + 2*cellMargin
			p.pdf.SetXY(x, p.y)
			p.bold(func() { p.pdf.CellFormat(lw, lineHeight, label, "", 0, "L", false, 0, "") })
			if len(r.wrapped[j]) == 0 {
				p.pdf.Line(x+lw, p.y+lineHeight-0.8, x+colW-6, p.y+lineHeight-0.8)
			}
			for k, line := range r.wrapped[j] {
				p.pdf.SetXY(x+lw, p.y+float64(k)*lineHeight)
				p.pdf.CellFormat(colW-lw-2, lineHeight, line, "", 0, "L", false, 0, "")
			}
		}
		p.y += float64(r.n)*lineHeight + 2
	}
}
