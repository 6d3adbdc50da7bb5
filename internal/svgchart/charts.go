package svgchart

import (
	"html/template"
	"math"
)

// Series is one named line or stack of a time series, one value per X.
type Series struct {
	Name   string
	Color  string // #rrggbb; empty takes the palette's next colour
	Values []float64
}

// TimeSeries is values over time: X holds the period labels (days, weeks
// or months), each series one value per label. Stacked draws a bar per
// label with the series stacked; otherwise one line per series.
type TimeSeries struct {
	Title, Desc string
	X           []string
	Series      []Series
	Stacked     bool
}

// SVG draws the time series.
func (c TimeSeries) SVG() template.HTML {
	const w, h, left, right, top, bottom = 720.0, 280.0, 44.0, 12.0, 36.0, 40.0
	var d doc
	d.open("series", c.Title, c.Desc, w, h)
	max := 0.0
	for i := range c.X {
		sum := 0.0
		for _, s := range c.Series {
			v := at(s.Values, i)
			sum += v
			max = math.Max(max, v)
		}
		if c.Stacked {
			max = math.Max(max, sum)
		}
	}
	topV, step := niceMax(max)
	plotW, plotH := w-left-right, h-top-bottom
	y := func(v float64) float64 { return top + plotH - v/topV*plotH }
	// Legend: a swatch and the name of each series.
	lx := left
	for i, s := range c.Series {
		d.printf(`<rect x="%s" y="8" width="12" height="12" fill="%s"/>`, coord(lx), seriesColor(s.Color, i))
		name := truncate(s.Name, 14)
		d.text(lx+16, 18, "start", name, "")
		lx += 16 + textWidth(name) + 14
	}
	// Y grid and ticks.
	for v := 0.0; v <= topV+step/2; v += step {
		d.printf(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s"/>`, coord(left), coord(y(v)), coord(w-right), coord(y(v)), Grid)
		d.text(left-6, y(v)+4, "end", num(v), ` fill="`+Muted+`"`)
	}
	n := len(c.X)
	if n == 0 {
		d.text(left+plotW/2, top+plotH/2, "middle", "—", ` fill="`+Muted+`"`)
		return d.close()
	}
	slot := plotW / float64(n)
	// X labels: at most about twelve, evenly spaced.
	every := int(math.Ceil(float64(n) / 12))
	for i, label := range c.X {
		if i%every == 0 {
			d.text(left+slot*(float64(i)+0.5), h-bottom+16, "middle", truncate(label, 10), ` fill="`+Muted+`"`)
		}
	}
	if c.Stacked {
		bw := math.Max(slot*0.7, 1)
		for i, label := range c.X {
			base := 0.0
			for si, s := range c.Series {
				v := at(s.Values, i)
				if v <= 0 {
					continue
				}
				d.printf(`<rect x="%s" y="%s" width="%s" height="%s" fill="%s"%s><title>%s</title></rect>`,
					coord(left+slot*float64(i)+(slot-bw)/2), coord(y(base+v)), coord(bw), coord(y(base)-y(base+v)),
					seriesColor(s.Color, si), datum(s.Name, label, num(v)), esc(label+" "+s.Name+" "+num(v)))
				base += v
			}
		}
		return d.close()
	}
	for si, s := range c.Series {
		color := seriesColor(s.Color, si)
		d.printf(`<polyline fill="none" stroke="%s" stroke-width="2" points="`, color)
		for i := range c.X {
			d.printf("%s,%s ", coord(left+slot*(float64(i)+0.5)), coord(y(at(s.Values, i))))
		}
		d.printf(`"/>`)
		for i, label := range c.X {
			v := at(s.Values, i)
			d.printf(`<circle cx="%s" cy="%s" r="3" fill="%s"%s><title>%s</title></circle>`,
				coord(left+slot*(float64(i)+0.5)), coord(y(v)), color, datum(s.Name, label, num(v)), esc(label+" "+s.Name+" "+num(v)))
		}
	}
	return d.close()
}

func at(v []float64, i int) float64 {
	if i < len(v) && !math.IsNaN(v[i]) && !math.IsInf(v[i], 0) && v[i] > 0 {
		return v[i]
	}
	return 0
}

// Bar is one category's value.
type Bar struct {
	Label string
	Value float64
	Color string
}

// Bars is a horizontal bar chart by category (long Chinese names read
// best on the left of a horizontal bar).
type Bars struct {
	Title, Desc string
	Series      string // the data-series of every bar
	Bars        []Bar
}

// SVG draws the bar chart.
func (c Bars) SVG() template.HTML {
	const w, rowH, top = 720.0, 26.0, 8.0
	labelW := 60.0
	for _, b := range c.Bars {
		labelW = math.Max(labelW, math.Min(textWidth(truncate(b.Label, 16))+12, 220))
	}
	h := top*2 + rowH*float64(max(len(c.Bars), 1))
	var d doc
	d.open("bars", c.Title, c.Desc, w, h)
	max := 0.0
	for _, b := range c.Bars {
		max = math.Max(max, at([]float64{b.Value}, 0))
	}
	topV, _ := niceMax(max)
	plotW := w - labelW - 56
	if len(c.Bars) == 0 {
		d.text(w/2, top+rowH/2+4, "middle", "—", ` fill="`+Muted+`"`)
	}
	for i, b := range c.Bars {
		v := at([]float64{b.Value}, 0)
		yy := top + rowH*float64(i)
		d.text(labelW-6, yy+rowH/2+4, "end", truncate(b.Label, 16), "")
		bw := v / topV * plotW
		d.printf(`<rect x="%s" y="%s" width="%s" height="%s" fill="%s"%s><title>%s</title></rect>`,
			coord(labelW), coord(yy+4), coord(bw), coord(rowH-8), seriesColor(b.Color, 0), datum(c.Series, b.Label, num(v)),
			esc(b.Label+" "+num(v)))
		d.text(labelW+bw+6, yy+rowH/2+4, "start", num(v), "")
	}
	return d.close()
}

// LegendEntry names one state of a heat grid or history bar.
type LegendEntry struct {
	Key, Label, Color string
}

// HeatGrid is rows × columns of states (a unit × day grid): each cell's
// state is a legend key; the legend under the grid names the colours.
type HeatGrid struct {
	Title, Desc string
	Rows, Cols  []string
	// ColLabels, when set, are the column heads drawn (short forms such
	// as 12-07); Cols stay the data-x values.
	ColLabels []string
	Cells     [][]string // [row][col] legend key; "" draws nothing
	Legend    []LegendEntry
}

// SVG draws the grid.
func (c HeatGrid) SVG() template.HTML {
	const cell, gap, top = 18.0, 2.0, 24.0
	labelW := 60.0
	for _, r := range c.Rows {
		labelW = math.Max(labelW, math.Min(textWidth(truncate(r, 14))+12, 200))
	}
	gw := labelW + (cell+gap)*float64(len(c.Cols)) + 8
	gh := top + (cell+gap)*float64(len(c.Rows))
	w, h := math.Max(gw, 320), gh+36
	colors, labels := map[string]string{}, map[string]string{}
	for i, l := range c.Legend {
		colors[l.Key], labels[l.Key] = seriesColor(l.Color, i), l.Label
	}
	var d doc
	d.open("grid", c.Title, c.Desc, w, h)
	every := int(math.Ceil(float64(len(c.Cols)) / 16))
	for j, col := range c.Cols {
		if j < len(c.ColLabels) {
			col = c.ColLabels[j]
		}
		if j%every == 0 {
			d.text(labelW+(cell+gap)*float64(j)+cell/2, top-8, "middle", truncate(col, 5), ` fill="`+Muted+`" font-size="10"`)
		}
	}
	for i, row := range c.Rows {
		yy := top + (cell+gap)*float64(i)
		d.text(labelW-6, yy+cell-4, "end", truncate(row, 14), "")
		for j, col := range c.Cols {
			key := ""
			if i < len(c.Cells) && j < len(c.Cells[i]) {
				key = c.Cells[i][j]
			}
			if key == "" {
				continue
			}
			color, ok := colors[key]
			if !ok {
				color = Grey
			}
			label := labels[key]
			if label == "" {
				label = key
			}
			d.printf(`<rect x="%s" y="%s" width="%s" height="%s" rx="2" fill="%s"%s><title>%s</title></rect>`,
				coord(labelW+(cell+gap)*float64(j)), coord(yy), coord(cell), coord(cell), color, datum(row, col, key),
				esc(row+" "+col+" "+label))
		}
	}
	d.legend(c.Legend, 8, gh+16)
	return d.close()
}

// legend writes the swatches of entries in a row from (x, y).
func (d *doc) legend(entries []LegendEntry, x, y float64) {
	for i, l := range entries {
		d.printf(`<rect x="%s" y="%s" width="12" height="12" fill="%s"/>`, coord(x), coord(y-10), seriesColor(l.Color, i))
		d.text(x+16, y, "start", truncate(l.Label, 12), "")
		x += 16 + textWidth(truncate(l.Label, 12)) + 14
	}
}

// Segment is one check of a history bar: its time label, its state (a
// legend key such as "up" or "down") and a value (a response time).
type Segment struct {
	X     string
	State string
	Value float64
}

// History is a row of segments, oldest first (the Uptime Kuma bar).
type History struct {
	Title, Desc string
	Series      string
	Segments    []Segment
	Legend      []LegendEntry
	Small       bool // a list row: no legend, short bar
}

// SVG draws the history bar.
func (c History) SVG() template.HTML {
	segW, gap, barH := 8.0, 2.0, 28.0
	if c.Small {
		segW, gap, barH = 4, 1, 16
	}
	w := math.Max((segW+gap)*float64(len(c.Segments)), 40)
	h := barH
	if !c.Small {
		h += 24
	}
	colors, labels := map[string]string{}, map[string]string{}
	for i, l := range c.Legend {
		colors[l.Key], labels[l.Key] = seriesColor(l.Color, i), l.Label
	}
	var d doc
	d.open("history", c.Title, c.Desc, w, h)
	for i, s := range c.Segments {
		color, ok := colors[s.State]
		if !ok {
			color = Grey
		}
		label := labels[s.State]
		if label == "" {
			label = s.State
		}
		d.printf(`<rect x="%s" y="0" width="%s" height="%s" rx="1" fill="%s"%s data-state="%s"><title>%s</title></rect>`,
			coord((segW+gap)*float64(i)), coord(segW), coord(barH), color, datum(c.Series, s.X, num(s.Value)), esc(s.State),
			esc(s.X+" "+label))
	}
	if !c.Small {
		d.legend(c.Legend, 0, barH+18)
	}
	return d.close()
}

// Sparkline is a small line without axes (a trend in a table cell).
type Sparkline struct {
	Title  string
	Series string
	X      []string
	Values []float64
}

// SVG draws the sparkline.
func (c Sparkline) SVG() template.HTML {
	const w, h = 120.0, 24.0
	var d doc
	d.open("spark", c.Title, c.Title, w, h)
	max := 0.0
	for i := range c.Values {
		max = math.Max(max, at(c.Values, i))
	}
	if max == 0 {
		max = 1
	}
	n := len(c.Values)
	x := func(i int) float64 {
		if n < 2 {
			return w / 2
		}
		return 2 + (w-4)*float64(i)/float64(n-1)
	}
	y := func(v float64) float64 { return h - 2 - v/max*(h-4) }
	d.printf(`<polyline fill="none" stroke="%s" stroke-width="1.5" points="`, Blue)
	for i := range c.Values {
		d.printf("%s,%s ", coord(x(i)), coord(y(at(c.Values, i))))
	}
	d.printf(`"/>`)
	for i := range c.Values {
		label := ""
		if i < len(c.X) {
			label = c.X[i]
		}
		d.printf(`<circle cx="%s" cy="%s" r="1.5" fill="%s"%s/>`, coord(x(i)), coord(y(at(c.Values, i))), Blue, datum(c.Series, label, num(at(c.Values, i))))
	}
	return d.close()
}
