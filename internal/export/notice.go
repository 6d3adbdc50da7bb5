package export

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// Notice is a document an office sends or files that is not an incident
// report: a warning notice (预警通报) and the like. It has the report
// form's look — title, a bordered table of labelled fields, numbered
// sections of prose, a signature block — in both DOCX and PDF.
type Notice struct {
	Title    string
	Subtitle string
	Fields   [][2]string // label, value: the table
	Sections []NoticeSection
	Footer   [][2]string // label, value: two to a line after the sections
	Author   string
	// Created dates the document's properties (zero: a fixed date, so that
	// one notice exports to the same bytes every time).
	Created time.Time
}

// NoticeSection is a heading and its paragraphs (one per line of Text).
type NoticeSection struct {
	Heading string
	Text    string
}

const emptySection = "（无）"

func (n *Notice) rows() []formRow {
	rows := make([]formRow, 0, len(n.Fields))
	for _, f := range n.Fields {
		rows = append(rows, formRow{Label: f[0], Text: f[1]})
	}
	return rows
}

// WriteNoticeDOCX writes the notice as a Word document.
func WriteNoticeDOCX(w io.Writer, n Notice) error {
	var b wordBuilder
	b.raw(xmlHeader + `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`)
	b.paragraph("Title", "", n.Title)
	if n.Subtitle != "" {
		b.paragraph("Subtitle", "", n.Subtitle)
	}
	b.formTable(n.rows())
	for _, s := range n.Sections {
		b.paragraph("Heading2", "", s.Heading)
		text := strings.TrimSpace(normalizeNewlines(s.Text))
		if text == "" {
			b.paragraph("BodyText", `<w:color w:val="808080"/>`, emptySection)
			continue
		}
		for _, line := range strings.Split(text, "\n") {
			b.paragraph("BodyText", "", line)
		}
	}
	if len(n.Footer) > 0 {
		b.footer(n.Footer)
	}
	b.end()
	return writeDOCX(w, docxPackage{
		core:     coreXML(n.Title, n.Author, n.Created),
		document: b.String(),
		styles:   stylesXML,
		fonts:    fontTableXML,
	})
}

// WriteNoticePDF writes the notice as a PDF with the embedded CJK font.
func WriteNoticePDF(w io.Writer, n Notice) error {
	p := newPDFWriter()
	p.pdf.SetTitle(n.Title, true)
	p.pdf.SetAuthor(n.Author, true)
	p.pdf.SetCreator("Fenghuo", true)
	p.pdf.SetLang("zh-CN")
	created := n.Created
	if created.IsZero() {
		created = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	p.pdf.SetCreationDate(created)
	p.pdf.SetModificationDate(created)
	p.pdf.AddPage()
	p.setFont(titleSize)
	p.bold(func() { p.cell(p.width, 12, n.Title, "C") })
	if n.Subtitle != "" {
		p.setFont(smallSize)
		p.pdf.SetTextColor(64, 64, 64)
		for _, line := range p.wrap(n.Subtitle, p.width) {
			p.cell(p.width, 5, line, "C")
		}
		p.pdf.SetTextColor(0, 0, 0)
	}
	p.y += 3
	for _, r := range n.rows() {
		p.row(r)
	}
	p.y += 4
	for _, s := range n.Sections {
		p.setFont(headingSize)
		p.ensure(float64(len(p.wrap(s.Heading, p.width))+1)*lineHeight + 1.5)
		p.y += 1.5
		p.bold(func() { p.paragraph(s.Heading, "") })
		p.setFont(bodySize)
		text := strings.TrimSpace(normalizeNewlines(s.Text))
		if text == "" {
			p.pdf.SetTextColor(128, 128, 128)
			p.paragraph(emptySection, "　　")
			p.pdf.SetTextColor(0, 0, 0)
			continue
		}
		for _, para := range strings.Split(text, "\n") {
			p.paragraph(para, "　　")
		}
	}
	if len(n.Footer) > 0 {
		p.footer(n.Footer)
	}
	if err := p.pdf.Output(w); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	return nil
}
