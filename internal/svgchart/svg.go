// Package svgchart draws the console's charts as SVG on the server: no
// script, no library in the browser. Every chart is an accessible image
// (role="img" named by its <title> and <desc>), every label is escaped,
// and every drawn datum carries data-series, data-x and data-value, so a
// test can read the numbers back from the page and a screen reader user
// finds the same numbers in the table the page puts under each chart.
package svgchart

import (
	"fmt"
	"hash/fnv"
	"html/template"
	"math"
	"strconv"
	"strings"
)

// FontFamily lists fonts with Chinese glyphs first, so labels render on
// Windows, macOS and Linux desktops alike.
const FontFamily = `'PingFang SC','Microsoft YaHei','Noto Sans CJK SC','WenQuanYi Micro Hei',sans-serif`

// Colours with at least 3:1 contrast against the white plot area (WCAG
// 1.4.11, graphical objects); text is Ink, 14.8:1 on white.
const (
	Ink    = "#1d2733"
	Muted  = "#5f6b7a"
	Grid   = "#dde3ea"
	Red    = "#b3261e" // grade I, down, missing
	Orange = "#b35c00" // grade II, late
	Gold   = "#8a6d00" // grade III
	Blue   = "#1e63b8" // grade IV
	Green  = "#1e7b3c" // up, on time
	Grey   = "#767676" // no data (4.5:1 on white)
	Purple = "#6a3d9a"
	Teal   = "#00767a"
)

// Palette is the order series take colours in when they bring none.
var Palette = []string{Blue, Orange, Green, Red, Purple, Teal, Gold, Grey}

// doc collects one SVG document.
type doc struct {
	sb strings.Builder
}

// esc escapes s for XML text and attribute values (both quote kinds);
// invalid UTF-8 and characters XML 1.0 cannot carry become U+FFFD.
func esc(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF {
			return r
		}
		return '\uFFFD'
	}, strings.ToValidUTF8(s, "\uFFFD"))
	return template.HTMLEscapeString(s)
}

func num(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "0"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// coord formats a drawing coordinate with one decimal.
func coord(v float64) string { return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64) }

func (d *doc) printf(format string, args ...any) { fmt.Fprintf(&d.sb, format, args...) }

// open writes the root element with the chart's accessible name.
func (d *doc) open(kind, title, desc string, w, h float64) {
	id := chartID(kind, title, desc)
	d.printf(`<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-%s" viewBox="0 0 %s %s" width="%s" height="%s" role="img" aria-labelledby="%s-t %s-d" font-family="%s" font-size="12" fill="%s">`,
		kind, coord(w), coord(h), coord(w), coord(h), id, id, FontFamily, Ink)
	d.printf(`<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, id, esc(title), id, esc(desc))
}

func (d *doc) close() template.HTML {
	d.sb.WriteString(`</svg>`)
	return template.HTML(d.sb.String()) // #nosec: every label went through esc
}

// chartID is a stable id for the title and desc, unique enough on a page
// that shows several charts.
func chartID(kind, title, desc string) string {
	h := fnv.New32a()
	h.Write([]byte(kind + "\x00" + title + "\x00" + desc))
	return fmt.Sprintf("c%s%08x", kind[:1], h.Sum32())
}

// datum writes the data-* attributes of one drawn value.
func datum(series, x string, value string) string {
	return fmt.Sprintf(` data-series="%s" data-x="%s" data-value="%s"`, esc(series), esc(x), esc(value))
}

// text writes a label.
func (d *doc) text(x, y float64, anchor, s string, extra string) {
	d.printf(`<text x="%s" y="%s" text-anchor="%s"%s>%s</text>`, coord(x), coord(y), anchor, extra, esc(s))
}

// niceMax rounds m up to 1, 2 or 5 times a power of ten and returns it with
// the tick step (four to five ticks).
func niceMax(m float64) (top, step float64) {
	if m <= 0 || math.IsNaN(m) || math.IsInf(m, 0) {
		return 1, 1
	}
	raw := m / 4
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, f := range []float64{1, 2, 5, 10} {
		if f*p >= raw {
			step = f * p
			break
		}
	}
	if step < 1 && m >= 1 {
		step = 1
	}
	top = math.Ceil(m/step) * step
	return top, step
}

// seriesColor gives series i its own colour or the palette's.
func seriesColor(own string, i int) string {
	if own != "" && safeColor(own) {
		return own
	}
	return Palette[i%len(Palette)]
}

// safeColor accepts #rgb and #rrggbb only, so a colour never carries markup.
func safeColor(c string) bool {
	if len(c) != 4 && len(c) != 7 || c[0] != '#' {
		return false
	}
	for _, r := range c[1:] {
		if !strings.ContainsRune("0123456789abcdefABCDEF", r) {
			return false
		}
	}
	return true
}

// truncate shortens a label to n runes with an ellipsis (the full label is
// in the table under the chart and in the bar's tooltip).
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// textWidth estimates a label's width at 12 px: CJK glyphs are square,
// Latin about half as wide.
func textWidth(s string) float64 {
	w := 0.0
	for _, r := range s {
		if r > 0x2e80 {
			w += 12
		} else {
			w += 7
		}
	}
	return w
}
