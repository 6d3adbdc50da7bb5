package export

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"sync"

	"golang.org/x/image/font/opentype"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// Charts in documents are PNG images drawn by gonum.org/v1/plot with the
// embedded CJK font (the one the PDFs use), so Chinese labels render in
// Word, WPS and Excel without a font on the reader's machine.

// ChartSeries is one named series of a chart, one value per label.
type ChartSeries struct {
	Name   string
	Color  string // #rrggbb
	Values []float64
}

// Chart is a bar chart for a document: one bar per label, the series
// stacked; with one series the bars carry its colour.
type Chart struct {
	Title  string
	Labels []string
	Series []ChartSeries
	// Alt is the image's text alternative in the document.
	Alt string
}

const chartTypeface = "wqymicrohei"

var registerChartFont = sync.OnceValue(func() error {
	f, err := opentype.Parse(cjkFont)
	if err != nil {
		return fmt.Errorf("chart font: %w", err)
	}
	font.DefaultCache.Add(font.Collection{{Font: font.Font{Typeface: chartTypeface}, Face: f}})
	return nil
})

// Chart image size: 16 × 9 cm at 150 dpi fits the text block of A4.
const (
	chartWidthCM  = 15.0
	chartHeightCM = 8.5
	chartDPI      = 150
)

// PNG draws the chart.
func (c Chart) PNG() ([]byte, error) {
	if err := registerChartFont(); err != nil {
		return nil, err
	}
	p := plot.New()
	cjk := func(size vg.Length) font.Font { return font.Font{Typeface: chartTypeface, Size: size} }
	p.Title.Text = c.Title
	p.Title.TextStyle.Font = cjk(13)
	p.X.Tick.Label.Font, p.Y.Tick.Label.Font = cjk(9), cjk(9)
	p.Legend.TextStyle.Font = cjk(10)
	p.Legend.Top, p.Legend.Left = true, true
	if len(c.Labels) > 8 {
		p.X.Tick.Label.Rotation = 0.8
		p.X.Tick.Label.XAlign, p.X.Tick.Label.YAlign = draw.XRight, draw.YCenter
	}
	p.NominalX(c.Labels...)
	p.Add(plotter.NewGrid()) // under the bars
	p.Y.Min = 0
	width := vg.Points(max(4, min(28, 360/float64(max(len(c.Labels), 1)))))
	var below *plotter.BarChart
	top := 0.0
	sums := make([]float64, len(c.Labels))
	for _, s := range c.Series {
		vals := make(plotter.Values, len(c.Labels))
		for i := range vals {
			if i < len(s.Values) && s.Values[i] > 0 {
				vals[i] = s.Values[i]
			}
			sums[i] += vals[i]
			top = max(top, sums[i])
		}
		bars, err := plotter.NewBarChart(vals, width)
		if err != nil {
			return nil, fmt.Errorf("chart: %w", err)
		}
		bars.LineStyle.Width = 0
		bars.Color = hexColor(s.Color)
		if below != nil {
			bars.StackOn(below)
		}
		below = bars
		p.Add(bars)
		if len(c.Series) > 1 {
			p.Legend.Add(s.Name, bars)
		}
	}
	// Room above the tallest bar for the legend; whole-number ticks.
	p.Y.Max = max(1, top*1.25)
	p.Y.Tick.Marker = integerTicks{}
	img := vgimg.NewWith(vgimg.UseWH(vg.Length(chartWidthCM)*vg.Centimeter, vg.Length(chartHeightCM)*vg.Centimeter), vgimg.UseDPI(chartDPI),
		vgimg.UseBackgroundColor(color.White))
	p.Draw(draw.New(img))
	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("chart: %w", err)
	}
	return buf.Bytes(), nil
}

// integerTicks marks whole numbers only (counts have no halves).
type integerTicks struct{}

func (integerTicks) Ticks(min, max float64) []plot.Tick {
	// Steps of 1, 2, 5, 10, 20, 50, … until at most eight ticks.
	step := 1.0
	for i := 1; (max-min)/step > 8; i++ {
		step = []float64{1, 2, 5}[i%3] * math.Pow(10, float64(i/3))
	}
	var ts []plot.Tick
	for v := 0.0; v <= max; v += step {
		if v >= min {
			ts = append(ts, plot.Tick{Value: v, Label: fmt.Sprint(int(v))})
		}
	}
	return ts
}

// hexColor parses #rrggbb (grey when it is not one).
func hexColor(s string) color.Color {
	var r, g, b uint8
	if len(s) == 7 && s[0] == '#' {
		if _, err := fmt.Sscanf(s[1:], "%02x%02x%02x", &r, &g, &b); err == nil {
			return color.RGBA{r, g, b, 255}
		}
	}
	return color.RGBA{0x76, 0x76, 0x76, 255}
}
