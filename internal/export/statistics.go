package export

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"codeberg.org/go-pdf/fpdf"

	"fenghuo/internal/svgchart"
)

// StatisticsBulletin is an office's monthly or annual statistics (统计通报):
// incidents by grade, category and unit, and the units' reporting
// punctuality, over the range's buckets (months of a year, days of a
// month). It is an official document (GB/T 9704-2012 layout) with its
// charts as images, and a workbook with the same numbers.
type StatisticsBulletin struct {
	Header      DocumentHeader
	PeriodLabel string   // 2026年12月, 2026年
	BucketLabel string   // 日期 or 月份: the heading of the bucket column
	Buckets     []string // 2026-12-01 … or 2026-01 …
	Grades      []StatLine
	Categories  []StatLine
	Units       []StatUnit
	Punctuality []StatPunctuality // per bucket, every unit together
	Incidents   int
}

// StatLine is one grade or category: its name and its count per bucket.
type StatLine struct {
	Name   string
	Color  string // #rrggbb for the chart; empty: the palette's
	Values []int
	Total  int
}

// StatPunctuality counts report duties by outcome (see UnitRecord).
type StatPunctuality struct {
	OnTime, Late, Missed, Overdue int
}

// Due is every duty that fell due.
func (p StatPunctuality) Due() int { return p.OnTime + p.Late + p.Missed + p.Overdue }

// RateText is the on-time share as "97.5%" ("—" with nothing due).
func (p StatPunctuality) RateText() string {
	if p.Due() == 0 {
		return "—"
	}
	return strconv.FormatFloat(float64(p.OnTime)*100/float64(p.Due()), 'f', 1, 64) + "%"
}

// StatUnit is one unit's incidents and punctuality over the range.
type StatUnit struct {
	Name        string
	Incidents   int
	Punctuality StatPunctuality
}

// Charts are the bulletin's charts: incidents by grade over the buckets
// (stacked), by category, and reporting punctuality over the buckets.
func (b *StatisticsBulletin) Charts() []Chart {
	grade := Chart{Title: b.PeriodLabel + "网络安全事件数量（按级别）", Labels: b.Buckets,
		Alt: "按" + b.BucketLabel + "统计的事件数量柱状图，按事件级别分色堆叠，数值见表1"}
	for i, l := range b.Grades {
		grade.Series = append(grade.Series, ChartSeries{Name: l.Name, Color: colorOr(l.Color, i), Values: floats(l.Values)})
	}
	cat := Chart{Title: b.PeriodLabel + "网络安全事件数量（按类别）", Alt: "按事件类别统计的事件数量柱状图，数值见表2"}
	var totals []float64
	for _, l := range b.Categories {
		cat.Labels = append(cat.Labels, l.Name)
		totals = append(totals, float64(l.Total))
	}
	cat.Series = []ChartSeries{{Name: "事件数", Color: svgchart.Blue, Values: totals}}
	punct := Chart{Title: b.PeriodLabel + "事件报告及时性", Labels: b.Buckets,
		Alt: "按" + b.BucketLabel + "统计的报告义务柱状图：按时、迟报、漏报、超期未报堆叠，数值见表4"}
	var on, late, missed, overdue []float64
	for _, p := range b.Punctuality {
		on, late = append(on, float64(p.OnTime)), append(late, float64(p.Late))
		missed, overdue = append(missed, float64(p.Missed)), append(overdue, float64(p.Overdue))
	}
	punct.Series = []ChartSeries{{"按时报告", svgchart.Green, on}, {"迟报", svgchart.Orange, late},
		{"漏报", svgchart.Red, missed}, {"超期未报", svgchart.Purple, overdue}}
	return []Chart{grade, cat, punct}
}

func colorOr(c string, i int) string {
	if c != "" {
		return c
	}
	return svgchart.Palette[i%len(svgchart.Palette)]
}

func floats(v []int) []float64 {
	out := make([]float64, len(v))
	for i, n := range v {
		out[i] = float64(n)
	}
	return out
}

// official lays the bulletin out: a summary paragraph, then per section a
// chart and the table of its numbers.
func (b StatisticsBulletin) official() officialDoc {
	d := b.Header.base(b.Header.IssuerOffice + b.PeriodLabel + "网络安全事件统计通报")
	d.noApprovals = true
	var due StatPunctuality
	for _, p := range b.Punctuality {
		due.OnTime, due.Late, due.Missed, due.Overdue = due.OnTime+p.OnTime, due.Late+p.Late, due.Missed+p.Missed, due.Overdue+p.Overdue
	}
	var byGrade []string
	for _, l := range b.Grades {
		byGrade = append(byGrade, fmt.Sprintf("%s%d起", l.Name, l.Total))
	}
	d.para(fmt.Sprintf("%s，本辖区共发生网络安全事件%d起，其中%s。应报告事项%d项，按时报告%d项，迟报%d项，漏报%d项，超期未报%d项，按时报告率%s。",
		b.PeriodLabel, b.Incidents, strings.Join(byGrade, "、"), due.Due(), due.OnTime, due.Late, due.Missed, due.Overdue, due.RateText()))
	charts := b.Charts()
	addChart := func(c Chart, n int) {
		png, err := c.PNG()
		if err != nil {
			d.para("（图" + strconv.Itoa(n) + "未能生成：" + err.Error() + "）")
			return
		}
		d.blocks = append(d.blocks, officialBlock{image: &officialImage{png: png, widthMM: chartWidthCM * 10, heightMM: chartHeightCM * 10,
			alt: c.Alt, caption: fmt.Sprintf("图%d　%s", n, c.Title)}})
	}

	d.heading(1, "事件级别分布")
	addChart(charts[0], 1)
	t := &officialTable{header: []string{b.BucketLabel}}
	for _, l := range b.Grades {
		t.header = append(t.header, l.Name)
	}
	t.header = append(t.header, "合计")
	for i, k := range b.Buckets {
		row, sum := []string{k}, 0
		for _, l := range b.Grades {
			row = append(row, strconv.Itoa(at(l.Values, i)))
			sum += at(l.Values, i)
		}
		t.rows = append(t.rows, append(row, strconv.Itoa(sum)))
	}
	total := []string{"合计"}
	for _, l := range b.Grades {
		total = append(total, strconv.Itoa(l.Total))
	}
	t.rows = append(t.rows, append(total, strconv.Itoa(b.Incidents)))
	t.widths = evenWidths(len(t.header), 0.22)
	d.para("表1　各" + b.BucketLabel + "事件数量（按级别）")
	d.blocks = append(d.blocks, officialBlock{table: t})

	d.heading(1, "事件类别分布")
	addChart(charts[1], 2)
	t = &officialTable{header: []string{"事件类别", "事件数", "占比"}, widths: []float64{0.5, 0.25, 0.25}}
	for _, l := range b.Categories {
		t.rows = append(t.rows, []string{l.Name, strconv.Itoa(l.Total), share(l.Total, b.Incidents)})
	}
	d.para("表2　事件数量（按类别）")
	d.blocks = append(d.blocks, officialBlock{table: t})

	d.heading(1, "各单位事件与报告情况")
	t = &officialTable{header: []string{"单位", "事件数", "按时报告", "迟报", "漏报", "超期未报", "按时率"},
		widths: []float64{0.3, 0.1, 0.12, 0.1, 0.1, 0.14, 0.14}}
	for _, u := range b.Units {
		p := u.Punctuality
		t.rows = append(t.rows, []string{u.Name, strconv.Itoa(u.Incidents), strconv.Itoa(p.OnTime), strconv.Itoa(p.Late),
			strconv.Itoa(p.Missed), strconv.Itoa(p.Overdue), p.RateText()})
	}
	d.para("表3　各单位事件数量与报告及时性")
	d.blocks = append(d.blocks, officialBlock{table: t})

	d.heading(1, "报告及时性")
	addChart(charts[2], 3)
	t = &officialTable{header: []string{b.BucketLabel, "按时报告", "迟报", "漏报", "超期未报", "按时率"},
		widths: []float64{0.24, 0.15, 0.15, 0.15, 0.15, 0.16}}
	for i, k := range b.Buckets {
		var p StatPunctuality
		if i < len(b.Punctuality) {
			p = b.Punctuality[i]
		}
		t.rows = append(t.rows, []string{k, strconv.Itoa(p.OnTime), strconv.Itoa(p.Late), strconv.Itoa(p.Missed), strconv.Itoa(p.Overdue), p.RateText()})
	}
	t.rows = append(t.rows, []string{"合计", strconv.Itoa(due.OnTime), strconv.Itoa(due.Late), strconv.Itoa(due.Missed), strconv.Itoa(due.Overdue), due.RateText()})
	d.para("表4　各" + b.BucketLabel + "报告及时性")
	d.blocks = append(d.blocks, officialBlock{table: t})
	return d
}

func at(v []int, i int) int {
	if i < len(v) {
		return v[i]
	}
	return 0
}

func share(n, of int) string {
	if of == 0 {
		return "—"
	}
	return strconv.FormatFloat(float64(n)*100/float64(of), 'f', 1, 64) + "%"
}

// evenWidths gives the first column first and shares the rest evenly.
func evenWidths(n int, first float64) []float64 {
	w := []float64{first}
	for i := 1; i < n; i++ {
		w = append(w, (1-first)/float64(n-1))
	}
	return w
}

// officialImage writes a chart as an inline picture centred in its own
// paragraph (single line spacing: the body's exact spacing would clip
// it), its caption under it. The picture's descr is its text alternative.
func (b *wordBuilder) officialImage(img *officialImage, i int) {
	const emuPerMM = 36000
	cx, cy := int(img.widthMM*emuPerMM), int(img.heightMM*emuPerMM)
	b.raw(`<w:p><w:pPr><w:spacing w:before="120" w:after="0" w:line="240" w:lineRule="auto"/><w:jc w:val="center"/></w:pPr><w:r><w:drawing>`)
	fmt.Fprintf(&b.sb, `<wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="%d" cy="%d"/><wp:docPr id="%d" name="chart%d" descr="`, cx, cy, i+1, i+1)
	b.text(img.alt)
	b.raw(`"/><a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">` +
		`<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">`)
	fmt.Fprintf(&b.sb, `<pic:nvPicPr><pic:cNvPr id="%d" name="image%d.png"/><pic:cNvPicPr/></pic:nvPicPr>`, i+1, i+1)
	fmt.Fprintf(&b.sb, `<pic:blipFill><a:blip r:embed="%s"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>`, mediaRelID(i))
	fmt.Fprintf(&b.sb, `<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="%d" cy="%d"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>`, cx, cy)
	b.raw(`</a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>`)
	b.raw(`<w:p><w:pPr><w:pStyle w:val="TableText"/><w:jc w:val="center"/></w:pPr>`)
	b.run("", img.caption)
	b.raw(`</w:p>`)
}

// image draws a chart centred in the text block, its caption under it.
func (o *officialPDF) image(img *officialImage) {
	o.ensure(img.heightMM + officialPitch)
	name := fmt.Sprintf("chart%p", img)
	o.pdf.RegisterImageOptionsReader(name, fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(img.png))
	o.pdf.ImageOptions(name, o.left+(o.width-img.widthMM)/2, o.y, img.widthMM, img.heightMM, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	o.y += img.heightMM
	o.setFont(officialTablePt)
	o.line(img.caption, "C", 0, 0, false)
	o.setFont(officialBodyPt)
}
