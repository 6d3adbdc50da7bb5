package export

import (
	"archive/zip"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"
)

// A4 in twips (1/20 pt), with 2.2 cm margins left and right.
const (
	pageWidthTwips  = 11906
	pageHeightTwips = 16838
	marginTwips     = 1247
	labelTwips      = 2700
	valueTwips      = pageWidthTwips - 2*marginTwips - labelTwips
	labelShade      = "D9D9D9"
)

// WriteReportDOCX writes the report form as a Word document: the title, a
// bordered two-column table laid out like seed 003 附件2 (labels shaded,
// choices as □/☑ checkboxes), the eight items of Art. 7 of the 2025
// reporting measures as numbered sections, and the signer and reporter.
// All user text is XML-escaped; characters XML cannot carry become U+FFFD.
func WriteReportDOCX(w io.Writer, f ReportForm) error {
	return writeDOCX(w, docxPackage{
		core:     coreXML(joinNonEmpty(" ", docTitle, f.IncidentTitle), f.ReportingUnit, f.SubmittedAt),
		document: documentXML(&f),
		styles:   stylesXML,
		fonts:    fontTableXML,
	})
}

// docxPackage is what one kind of Fenghuo Word document brings: its body,
// properties, styles and fonts, and for a document with numbered pages the
// odd-page and even-page footers. The other parts follow from it.
type docxPackage struct {
	core, document, styles, fonts string
	oddEvenFooters                *[2]string
	// media are PNG images the document shows (word/media/, related as
	// mediaRelID(i)).
	media [][]byte
}

// mediaRelID is the relationship id of the document's i-th image.
func mediaRelID(i int) string { return fmt.Sprintf("rId%d", 10+i) }

// writeDOCX packs a document with the parts every Fenghuo document shares.
func writeDOCX(w io.Writer, p docxPackage) error {
	footers := p.oddEvenFooters != nil
	types, rels := contentTypesXML(footers), documentRelsXML(footers)
	if len(p.media) > 0 {
		types = strings.Replace(types, `<Default Extension="xml"`, `<Default Extension="png" ContentType="image/png"/><Default Extension="xml"`, 1)
		var r strings.Builder
		for i := range p.media {
			fmt.Fprintf(&r, `<Relationship Id="%s" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image%d.png"/>`, mediaRelID(i), i+1)
		}
		rels = strings.Replace(rels, `</Relationships>`, r.String()+`</Relationships>`, 1)
	}
	parts := []docxPart{
		{"[Content_Types].xml", types},
		{"_rels/.rels", packageRelsXML},
		{"docProps/core.xml", p.core},
		{"docProps/app.xml", appXML},
		{"word/document.xml", p.document},
		{"word/_rels/document.xml.rels", rels},
		{"word/styles.xml", p.styles},
		{"word/settings.xml", settingsXML(footers)},
		{"word/fontTable.xml", p.fonts},
	}
	if footers {
		parts = append(parts,
			docxPart{"word/footer1.xml", p.oddEvenFooters[0]},
			docxPart{"word/footer2.xml", p.oddEvenFooters[1]})
	}
	for i, m := range p.media {
		parts = append(parts, docxPart{fmt.Sprintf("word/media/image%d.png", i+1), string(m)})
	}
	return writeParts(w, parts)
}

// docxPart is one file of a .docx package.
type docxPart struct{ name, body string }

// writeParts zips the parts in order ([Content_Types].xml first).
func writeParts(w io.Writer, parts []docxPart) error {
	zw := zip.NewWriter(w)
	for _, p := range parts {
		// A fixed time keeps the bytes of one document the same on every export.
		hdr := &zip.FileHeader{Name: p.name, Method: zip.Deflate, Modified: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)}
		pw, err := zw.CreateHeader(hdr)
		if err != nil {
			return fmt.Errorf("docx: %s: %w", p.name, err)
		}
		if _, err := io.WriteString(pw, p.body); err != nil {
			return fmt.Errorf("docx: %s: %w", p.name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("docx: %w", err)
	}
	return nil
}

func coreXML(title, creator string, created time.Time) string {
	var b wordBuilder
	b.raw(xmlHeader + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ` +
		`xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" ` +
		`xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>`)
	b.text(title)
	b.raw(`</dc:title><dc:creator>`)
	b.text(creator)
	b.raw(`</dc:creator><dc:language>zh-CN</dc:language>`)
	if !created.IsZero() {
		b.raw(`<dcterms:created xsi:type="dcterms:W3CDTF">` + created.UTC().Format(time.RFC3339) + `</dcterms:created>`)
	}
	b.raw(`</cp:coreProperties>`)
	return b.String()
}

func documentXML(f *ReportForm) string {
	var b wordBuilder
	b.raw(xmlHeader + `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`)
	b.paragraph("Title", "", docTitle)
	if s := f.subtitle(); s != "" {
		b.paragraph("Subtitle", "", s)
	}
	b.formTable(f.rows())

	b.paragraph("Heading1", "", itemsTitle)
	for _, it := range reportItems {
		b.paragraph("Heading2", "", it.heading)
		v := strings.TrimSpace(normalizeNewlines(f.Items[it.key]))
		if v == "" {
			b.paragraph("BodyText", `<w:color w:val="808080"/>`, emptyItem)
			continue
		}
		for _, line := range strings.Split(v, "\n") {
			b.paragraph("BodyText", "", line)
		}
	}
	b.footer(f.footerLines())
	b.end()
	return b.String()
}

// end closes the document with the A4 page setup.
func (b *wordBuilder) end() {
	fmt.Fprintf(&b.sb, `<w:sectPr><w:pgSz w:w="%d" w:h="%d"/><w:pgMar w:top="1440" w:right="%d" w:bottom="1440" w:left="%d" w:header="851" w:footer="992" w:gutter="0"/></w:sectPr>`,
		pageWidthTwips, pageHeightTwips, marginTwips, marginTwips)
	b.raw(`</w:body></w:document>`)
}

// wordBuilder writes WordprocessingML; every piece of user text goes
// through text, which escapes it.
type wordBuilder struct{ sb strings.Builder }

func (b *wordBuilder) String() string { return b.sb.String() }
func (b *wordBuilder) raw(s string)   { b.sb.WriteString(s) }

// text escapes s for XML character data (< & > ' " and characters XML
// forbids, which become U+FFFD).
func (b *wordBuilder) text(s string) {
	_ = xml.EscapeText(&b.sb, []byte(s))
}

// run writes one run; tabs become <w:tab/> and line breaks <w:br/>.
func (b *wordBuilder) run(rPr, s string) {
	b.raw(`<w:r>`)
	if rPr != "" {
		b.raw(`<w:rPr>` + rPr + `</w:rPr>`)
	}
	for i, line := range strings.Split(normalizeNewlines(s), "\n") {
		if i > 0 {
			b.raw(`<w:br/>`)
		}
		for j, seg := range strings.Split(line, "\t") {
			if j > 0 {
				b.raw(`<w:tab/>`)
			}
			if seg != "" {
				b.raw(`<w:t xml:space="preserve">`)
				b.text(seg)
				b.raw(`</w:t>`)
			}
		}
	}
	b.raw(`</w:r>`)
}

func (b *wordBuilder) paragraph(style, rPr, s string) {
	b.raw(`<w:p>`)
	if style != "" {
		b.raw(`<w:pPr><w:pStyle w:val="` + style + `"/></w:pPr>`)
	}
	b.run(rPr, s)
	b.raw(`</w:p>`)
}

func (b *wordBuilder) formTable(rows []formRow) {
	border := `w:val="single" w:sz="6" w:space="0" w:color="000000"`
	fmt.Fprintf(&b.sb, `<w:tbl><w:tblPr><w:tblW w:w="%d" w:type="dxa"/><w:jc w:val="center"/><w:tblBorders>`+
		`<w:top %[2]s/><w:left %[2]s/><w:bottom %[2]s/><w:right %[2]s/><w:insideH %[2]s/><w:insideV %[2]s/>`+
		`</w:tblBorders><w:tblLayout w:type="fixed"/><w:tblLook w:val="0000"/></w:tblPr>`+
		`<w:tblGrid><w:gridCol w:w="%d"/><w:gridCol w:w="%d"/></w:tblGrid>`,
		labelTwips+valueTwips, border, labelTwips, valueTwips)
	for _, r := range rows {
		b.raw(`<w:tr><w:trPr><w:trHeight w:val="520"/></w:trPr>`)
		fmt.Fprintf(&b.sb, `<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/><w:shd w:val="clear" w:color="auto" w:fill="%s"/><w:vAlign w:val="center"/></w:tcPr>`,
			labelTwips, labelShade)
		b.paragraph("Label", "", r.Label)
		fmt.Fprintf(&b.sb, `</w:tc><w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>`, valueTwips)
		b.cellValue(r)
		b.raw(`</w:tc></w:tr>`)
	}
	b.raw(`</w:tbl>`)
}

// cellValue writes the checkboxes on one paragraph (Word wraps them), then
// each line of text as its own paragraph. A cell needs one paragraph at
// least, even when empty.
func (b *wordBuilder) cellValue(r formRow) {
	n := 0
	if len(r.Options) > 0 {
		b.raw(`<w:p>`)
		for i, o := range r.Options {
			box := boxEmpty
			if o.Ticked {
				box = boxTicked
			}
			b.run(symbolFonts, box)
			label := o.Label
			if i < len(r.Options)-1 {
				label += "　"
			}
			b.run("", label)
		}
		b.raw(`</w:p>`)
		n++
	}
	if t := strings.TrimRight(normalizeNewlines(r.Text), "\n"); t != "" {
		for _, line := range strings.Split(t, "\n") {
			b.paragraph("", "", line)
			n++
		}
	}
	if n == 0 {
		b.raw(`<w:p/>`)
	}
}

// footer lists the signer and reporter two to a line, in a borderless
// table so that a long value wraps within its column; blanks are
// underlined to be filled by hand.
func (b *wordBuilder) footer(lines [][2]string) {
	half := (labelTwips + valueTwips) / 2
	b.raw(`<w:p><w:pPr><w:spacing w:before="240"/></w:pPr></w:p>`)
	fmt.Fprintf(&b.sb, `<w:tbl><w:tblPr><w:tblW w:w="%d" w:type="dxa"/><w:tblLayout w:type="fixed"/><w:tblLook w:val="0000"/></w:tblPr>`+
		`<w:tblGrid><w:gridCol w:w="%d"/><w:gridCol w:w="%d"/></w:tblGrid>`, 2*half, half, half)
	for i := 0; i < len(lines); i += 2 {
		b.raw(`<w:tr><w:trPr><w:cantSplit/></w:trPr>`)
		for j := i; j < i+2; j++ {
			fmt.Fprintf(&b.sb, `<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/></w:tcPr><w:p><w:pPr><w:keepNext/></w:pPr>`, half)
			if j < len(lines) {
				b.run(headingFonts, lines[j][0]+"：")
				if v := lines[j][1]; v != "" {
					b.run("", v)
				} else {
					b.run(`<w:u w:val="single"/>`, "　　　　　　　　")
				}
			}
			b.raw(`</w:p></w:tc>`)
		}
		b.raw(`</w:tr>`)
	}
	b.raw(`</w:tbl><w:p/>`)
}

func normalizeNewlines(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}
