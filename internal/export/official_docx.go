package export

import (
	"fmt"
	"io"
	"math"
	"strings"
)

// WriteOfficialDOCX writes an aftermath document or end notice as a Word
// document in the official layout (GB/T 9704-2012, see official.go). The
// same document gives the same bytes on every export.
func WriteOfficialDOCX(w io.Writer, doc OfficialDocument) error {
	d := doc.official()
	var media [][]byte
	for _, bl := range d.blocks {
		if bl.image != nil {
			media = append(media, bl.image.png)
		}
	}
	return writeDOCX(w, docxPackage{
		media:    media,
		core:     coreXML(d.title, d.issuer, d.date),
		document: officialDocumentXML(&d),
		styles:   officialStylesXML,
		fonts:    officialFontTableXML,
		oddEvenFooters: &[2]string{
			pageNumberFooter("right", "right"),
			pageNumberFooter("left", "left"),
		},
	})
}

// twips converts millimetres to twentieths of a point.
func twips(mm float64) int { return int(math.Round(mm / 25.4 * 1440)) }

// Page geometry in twips, from the millimetres of official.go.
var (
	officialTopTwips    = twips(officialTopMM)                                         // 2098
	officialLeftTwips   = twips(officialLeftMM)                                        // 1587
	officialTextTwips   = twips(officialWidthMM)                                       // 8844
	officialRightTwips  = pageWidthTwips - officialLeftTwips - officialTextTwips       // 26 mm
	officialBottomTwips = pageHeightTwips - officialTopTwips - twips(officialHeightMM) // 35 mm
	// 22 lines in 225 mm: 28.95 pt, the exact line spacing Word users set for 公文.
	officialLineTwips = twips(officialHeightMM) / officialLines
	// The footer's top edge: 7 mm below the text block, less nothing (the
	// page number's line starts there).
	officialFooterTwips = officialBottomTwips - twips(pageNoGapMM) - twips(officialPageNoPt*25.4/72)
)

const bodyCharTwips = int(officialBodyPt * 20) // one character of body text

// colophonIndent is one character of the 版记 (4号): 印发机关 左空一字, 印发日期
// 右空一字. The date is set by a right tab one character from the edge, and
// the paragraph itself has no right indent: LibreOffice drops a right tab
// that sits on the right indent and runs the date on.
const colophonIndent = int(officialPageNoPt * 20)

func halfPoints(pt float64) int { return int(math.Round(pt * 2)) }

func officialDocumentXML(d *officialDoc) string {
	var b wordBuilder
	b.raw(xmlHeader + `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ` +
		`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" ` +
		`xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"><w:body>`)
	// The version takes the place of the 份号, at the top left; the line is
	// kept when empty so that the masthead stays 35 mm down.
	version := ""
	if d.version > 0 {
		version = fmt.Sprintf("第%d版", d.version)
	}
	b.styled("Version", "", "", version)
	if d.masthead != "" {
		sz := halfPoints(mastheadSize(d.masthead))
		b.styled("Masthead", fmt.Sprintf(`<w:spacing w:before="%d" w:line="240" w:lineRule="auto"/>`, twips(mastheadDropMM)-officialLineTwips),
			fmt.Sprintf(`<w:sz w:val="%d"/><w:szCs w:val="%d"/>`, sz, sz), cleanLine(d.masthead))
	}
	// The red rule is the number's bottom border, 4 mm (11 pt) below it.
	b.styled("DocNumber", "", "", cleanLine(d.number))
	b.styled("DocTitle", "", "", cleanLine(d.title))
	if r := d.recipientsLine(); r != "" {
		b.styled("Recipients", "", "", r)
	}
	images := 0
	for _, bl := range d.blocks {
		switch {
		case bl.image != nil:
			b.officialImage(bl.image, images)
			images++
		case bl.table != nil:
			b.officialTable(bl.table)
		case bl.level == 0:
			b.styled("BodyText", "", "", bl.text)
		default:
			b.styled(fmt.Sprintf("Heading%d", bl.level), "", "", bl.text)
		}
	}
	date := officialDateOr(d.date, "　　年　月　日")
	issuerRight, dateRight := signatureIndents(d.issuer, date)
	b.styled("Signature", fmt.Sprintf(`<w:spacing w:before="%d"/><w:ind w:rightChars="%d" w:right="%d"/>`,
		officialLineTwips, int(issuerRight*100), int(issuerRight*float64(bodyCharTwips))), "", cleanLine(d.issuer))
	b.styled("Signature", fmt.Sprintf(`<w:ind w:rightChars="%d" w:right="%d"/>`,
		int(dateRight*100), int(dateRight*float64(bodyCharTwips))), "", date)

	if !d.noApprovals {
		b.styled("ApprovalHeading", "", "", "审批记录")
		b.officialTable(d.approvalTable())
	}

	// 版记: 抄送 between a thick and a thin rule, then the printer and date
	// above a thick rule.
	if c := d.copyToLine(); c != "" {
		b.styled("Colophon", fmt.Sprintf(`<w:pBdr><w:top w:val="single" w:sz="8" w:space="1" w:color="000000"/><w:bottom w:val="single" w:sz="4" w:space="1" w:color="000000"/></w:pBdr><w:spacing w:before="%d"/><w:ind w:right="%d"/>`,
			officialLineTwips, colophonIndent), "", c)
	}
	office, printed := d.printedLines()
	b.raw(`<w:p><w:pPr><w:pStyle w:val="Colophon"/>`)
	if d.copyToLine() == "" {
		fmt.Fprintf(&b.sb, `<w:pBdr><w:top w:val="single" w:sz="8" w:space="1" w:color="000000"/><w:bottom w:val="single" w:sz="8" w:space="1" w:color="000000"/></w:pBdr>`+
			`<w:tabs><w:tab w:val="right" w:pos="%d"/></w:tabs><w:spacing w:before="%d"/></w:pPr>`, officialTextTwips-colophonIndent, officialLineTwips)
	} else {
		fmt.Fprintf(&b.sb, `<w:pBdr><w:bottom w:val="single" w:sz="8" w:space="1" w:color="000000"/></w:pBdr>`+
			`<w:tabs><w:tab w:val="right" w:pos="%d"/></w:tabs></w:pPr>`, officialTextTwips-colophonIndent)
	}
	b.run("", office)
	b.raw(`<w:r><w:tab/></w:r>`)
	b.run("", printed)
	b.raw(`</w:p>`)

	fmt.Fprintf(&b.sb, `<w:sectPr><w:footerReference w:type="default" r:id="rId4"/><w:footerReference w:type="even" r:id="rId5"/>`+
		`<w:pgSz w:w="%d" w:h="%d"/><w:pgMar w:top="%d" w:right="%d" w:bottom="%d" w:left="%d" w:header="851" w:footer="%d" w:gutter="0"/>`+
		`<w:docGrid w:type="lines" w:linePitch="%d"/></w:sectPr>`,
		pageWidthTwips, pageHeightTwips, officialTopTwips, officialRightTwips, officialBottomTwips, officialLeftTwips,
		officialFooterTwips, officialLineTwips)
	b.raw(`</w:body></w:document>`)
	return b.String()
}

// styled writes a paragraph of a style with extra paragraph and run
// properties (pPr after pStyle, in schema order: the caller passes spacing
// before ind).
func (b *wordBuilder) styled(style, pPr, rPr, s string) {
	b.raw(`<w:p><w:pPr><w:pStyle w:val="` + style + `"/>` + pPr + `</w:pPr>`)
	if s != "" {
		b.run(rPr, s)
	}
	b.raw(`</w:p>`)
}

// officialTable writes a bordered table with a repeated header row.
func (b *wordBuilder) officialTable(t *officialTable) {
	border := `w:val="single" w:sz="4" w:space="0" w:color="000000"`
	widths := make([]int, len(t.widths))
	total := 0
	for i, f := range t.widths {
		widths[i] = int(f * float64(officialTextTwips))
		total += widths[i]
	}
	widths[len(widths)-1] += officialTextTwips - total
	fmt.Fprintf(&b.sb, `<w:tbl><w:tblPr><w:tblW w:w="%d" w:type="dxa"/><w:jc w:val="center"/><w:tblBorders>`+
		`<w:top %[2]s/><w:left %[2]s/><w:bottom %[2]s/><w:right %[2]s/><w:insideH %[2]s/><w:insideV %[2]s/>`+
		`</w:tblBorders><w:tblLayout w:type="fixed"/><w:tblLook w:val="0000"/></w:tblPr><w:tblGrid>`, officialTextTwips, border)
	for _, w := range widths {
		fmt.Fprintf(&b.sb, `<w:gridCol w:w="%d"/>`, w)
	}
	b.raw(`</w:tblGrid>`)
	row := func(cells []string, header bool) {
		b.raw(`<w:tr>`)
		if header {
			b.raw(`<w:trPr><w:tblHeader/></w:trPr>`)
		}
		for i, w := range widths {
			fmt.Fprintf(&b.sb, `<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>`, w)
			text := ""
			if i < len(cells) {
				text = strings.TrimSpace(cleanLine(normalizeNewlines(cells[i])))
			}
			style := "TableText"
			if header {
				style = "TableHeader"
			}
			lines := strings.Split(text, "\n")
			for _, line := range lines {
				b.styled(style, "", "", line)
			}
			b.raw(`</w:tc>`)
		}
		b.raw(`</w:tr>`)
	}
	row(t.header, true)
	for _, r := range t.rows {
		row(r, false)
	}
	b.raw(`</w:tbl>`)
}

// pageNumberFooter is a footer with "— N —" in 4号 宋体, one character in
// from the right (odd pages) or left (even pages).
func pageNumberFooter(jc, side string) string {
	return xmlHeader + `<w:ftr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">` +
		fmt.Sprintf(`<w:p><w:pPr><w:pStyle w:val="PageNumber"/><w:ind w:%s="%d"/><w:jc w:val="%s"/></w:pPr>`, side, halfPoints(officialPageNoPt)*10, jc) +
		`<w:r><w:t xml:space="preserve">— </w:t></w:r><w:fldSimple w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>` +
		`<w:r><w:t xml:space="preserve"> —</w:t></w:r></w:p></w:ftr>`
}

// The fonts GB/T 9704-2012 names: 仿宋 for the body, 小标宋 for the masthead
// and title, 黑体 and 楷体 for the first two heading levels, 宋体 for page
// numbers. A reader without one substitutes a CJK font of the same kind
// (the table gives each its GB2312 charset and panose class).
func officialFonts(eastAsia string) string {
	return `<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="` + eastAsia + `" w:cs="Times New Roman" w:hint="eastAsia"/>`
}

const (
	fangSong     = "仿宋"
	xiaoBiaoSong = "方正小标宋简体"
	heiTi        = "黑体"
	kaiTi        = "楷体"
	songTi       = "宋体"
	officialRed  = "FF0000"
)

const officialFontTableXML = xmlHeader + `<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">` +
	`<w:font w:name="仿宋"><w:altName w:val="FangSong"/><w:panose1 w:val="02010609060101010101"/><w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>` +
	`<w:font w:name="方正小标宋简体"><w:altName w:val="FZXiaoBiaoSong-B05S"/><w:panose1 w:val="02010601030101010101"/><w:charset w:val="86"/><w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>` +
	`<w:font w:name="黑体"><w:altName w:val="SimHei"/><w:panose1 w:val="02010609060101010101"/><w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>` +
	`<w:font w:name="楷体"><w:altName w:val="KaiTi"/><w:panose1 w:val="02010609060101010101"/><w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>` +
	`<w:font w:name="宋体"><w:altName w:val="SimSun"/><w:panose1 w:val="02010600030101010101"/><w:charset w:val="86"/><w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>` +
	`<w:font w:name="Times New Roman"><w:panose1 w:val="02020603050405020304"/><w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>` +
	`</w:fonts>`

func sizeRPr(pt float64) string {
	return fmt.Sprintf(`<w:sz w:val="%d"/><w:szCs w:val="%d"/>`, halfPoints(pt), halfPoints(pt))
}

// exactLine is the 22-lines-a-page spacing.
var exactLine = fmt.Sprintf(`w:line="%d" w:lineRule="exact"`, officialLineTwips)

var officialStylesXML = xmlHeader + `<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">` +
	`<w:docDefaults><w:rPrDefault><w:rPr>` + officialFonts(fangSong) + sizeRPr(officialBodyPt) +
	`<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>` +
	`<w:pPrDefault><w:pPr><w:spacing w:after="0" ` + exactLine + `/></w:pPr></w:pPrDefault></w:docDefaults>` +
	`<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>` +
	`<w:pPr><w:widowControl w:val="0"/><w:jc w:val="both"/></w:pPr><w:rPr>` + officialFonts(fangSong) + sizeRPr(officialBodyPt) + `</w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Version"><w:name w:val="Version"/><w:basedOn w:val="Normal"/>` +
	`<w:pPr><w:jc w:val="left"/></w:pPr><w:rPr>` + officialFonts(heiTi) + `</w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Masthead"><w:name w:val="Masthead"/><w:basedOn w:val="Normal"/>` +
	`<w:pPr><w:jc w:val="center"/></w:pPr><w:rPr>` + officialFonts(xiaoBiaoSong) + `<w:color w:val="` + officialRed + `"/>` + sizeRPr(officialMastheadPt) + `</w:rPr></w:style>` +
	fmt.Sprintf(`<w:style w:type="paragraph" w:styleId="DocNumber"><w:name w:val="Document Number"/><w:basedOn w:val="Normal"/>`+
		`<w:pPr><w:pBdr><w:bottom w:val="single" w:sz="12" w:space="%d" w:color="`+officialRed+`"/></w:pBdr><w:spacing w:before="%d"/><w:jc w:val="center"/></w:pPr></w:style>`,
		int(math.Round(ruleGapMM/25.4*72)), 2*officialLineTwips) +
	fmt.Sprintf(`<w:style w:type="paragraph" w:styleId="DocTitle"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:qFormat/>`+
		`<w:pPr><w:spacing w:before="%d" w:after="%d"/><w:jc w:val="center"/></w:pPr><w:rPr>`+officialFonts(xiaoBiaoSong)+sizeRPr(officialTitlePt)+`</w:rPr></w:style>`,
		2*officialLineTwips, officialLineTwips) +
	`<w:style w:type="paragraph" w:styleId="Recipients"><w:name w:val="Recipients"/><w:basedOn w:val="Normal"/><w:pPr><w:jc w:val="left"/></w:pPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="BodyText"><w:name w:val="Body Text"/><w:basedOn w:val="Normal"/>` +
	fmt.Sprintf(`<w:pPr><w:ind w:firstLineChars="200" w:firstLine="%d"/></w:pPr></w:style>`, 2*bodyCharTwips) +
	fmt.Sprintf(`<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:qFormat/>`+
		`<w:pPr><w:keepNext/><w:ind w:firstLineChars="200" w:firstLine="%d"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr>`+officialFonts(heiTi)+`</w:rPr></w:style>`, 2*bodyCharTwips) +
	fmt.Sprintf(`<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:qFormat/>`+
		`<w:pPr><w:keepNext/><w:ind w:firstLineChars="200" w:firstLine="%d"/><w:outlineLvl w:val="1"/></w:pPr><w:rPr>`+officialFonts(kaiTi)+`</w:rPr></w:style>`, 2*bodyCharTwips) +
	fmt.Sprintf(`<w:style w:type="paragraph" w:styleId="Heading3"><w:name w:val="heading 3"/><w:basedOn w:val="Normal"/><w:qFormat/>`+
		`<w:pPr><w:keepNext/><w:ind w:firstLineChars="200" w:firstLine="%d"/><w:outlineLvl w:val="2"/></w:pPr></w:style>`, 2*bodyCharTwips) +
	`<w:style w:type="paragraph" w:styleId="Signature"><w:name w:val="Signature"/><w:basedOn w:val="Normal"/><w:pPr><w:keepNext/><w:jc w:val="right"/></w:pPr></w:style>` +
	fmt.Sprintf(`<w:style w:type="paragraph" w:styleId="ApprovalHeading"><w:name w:val="Approval Heading"/><w:basedOn w:val="Normal"/>`+
		`<w:pPr><w:keepNext/><w:spacing w:before="%d"/><w:jc w:val="left"/></w:pPr><w:rPr>`+officialFonts(heiTi)+`</w:rPr></w:style>`, officialLineTwips) +
	`<w:style w:type="paragraph" w:styleId="TableText"><w:name w:val="Table Text"/><w:basedOn w:val="Normal"/>` +
	`<w:pPr><w:snapToGrid w:val="0"/><w:spacing w:before="40" w:after="40" w:line="300" w:lineRule="auto"/><w:jc w:val="left"/></w:pPr><w:rPr>` + sizeRPr(officialTablePt) + `</w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="TableHeader"><w:name w:val="Table Header"/><w:basedOn w:val="TableText"/>` +
	`<w:pPr><w:jc w:val="center"/></w:pPr><w:rPr>` + officialFonts(heiTi) + `</w:rPr></w:style>` +
	fmt.Sprintf(`<w:style w:type="paragraph" w:styleId="Colophon"><w:name w:val="Colophon"/><w:basedOn w:val="Normal"/>`+
		`<w:pPr><w:spacing w:before="0"/><w:ind w:left="%d"/><w:jc w:val="left"/></w:pPr><w:rPr>`+sizeRPr(officialPageNoPt)+`</w:rPr></w:style>`,
		colophonIndent) +
	`<w:style w:type="paragraph" w:styleId="PageNumber"><w:name w:val="Page Number"/><w:basedOn w:val="Normal"/>` +
	`<w:pPr><w:spacing w:line="240" w:lineRule="auto"/></w:pPr><w:rPr>` + officialFonts(songTi) + sizeRPr(officialPageNoPt) + `</w:rPr></w:style>` +
	`<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>` +
	`<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>` +
	`<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>` +
	`</w:styles>`
