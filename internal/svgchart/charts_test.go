package svgchart

import (
	"encoding/xml"
	"fmt"
	"html/template"
	"math"
	"strconv"
	"strings"
	"testing"
)

// point is one drawn datum as a test reads it back.
type point struct{ series, x, value, state string }

// readSVG parses out and returns its title, desc and data points; it fails
// the test when out is not well-formed XML or lacks the accessible name.
func readSVG(t testing.TB, out template.HTML) (title, desc string, points []point) {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(string(out)))
	var stack []string
	root := true
	for {
		tok, err := dec.Token()
		if err != nil {
			if err.Error() == "EOF" {
				break
			}
			t.Fatalf("not well-formed: %v\n%s", err, out)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			attrs := map[string]string{}
			for _, a := range e.Attr {
				attrs[a.Name.Local] = a.Value
			}
			if root {
				root = false
				if e.Name.Local != "svg" || attrs["role"] != "img" || attrs["aria-labelledby"] == "" {
					t.Fatalf("root is not an accessible image: %v", attrs)
				}
				if !strings.Contains(attrs["font-family"], "Microsoft YaHei") {
					t.Errorf("no Chinese font stack: %q", attrs["font-family"])
				}
			}
			if e.Name.Local == "script" || e.Name.Local == "foreignObject" {
				t.Fatalf("chart carries <%s>", e.Name.Local)
			}
			for k := range attrs {
				if strings.HasPrefix(strings.ToLower(k), "on") {
					t.Fatalf("chart carries an event handler %s", k)
				}
			}
			if v, ok := attrs["data-value"]; ok {
				points = append(points, point{attrs["data-series"], attrs["data-x"], v, attrs["data-state"]})
			}
			stack = append(stack, e.Name.Local)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) == 2 && stack[1] == "title" {
				title += string(e)
			}
			if len(stack) == 2 && stack[1] == "desc" {
				desc += string(e)
			}
		}
	}
	return title, desc, points
}

func TestTimeSeriesStackedCarriesEveryValue(t *testing.T) {
	c := TimeSeries{Title: "事件趋势", Desc: "按级别", X: []string{"2026-10", "2026-11", "2026-12"}, Stacked: true,
		Series: []Series{{Name: "特别重大", Color: Red, Values: []float64{1, 0, 2}}, {Name: "一般", Values: []float64{4, 5, 0}}}}
	title, desc, pts := readSVG(t, c.SVG())
	if title != "事件趋势" || desc != "按级别" {
		t.Fatalf("title %q desc %q", title, desc)
	}
	got := map[string]string{}
	for _, p := range pts {
		got[p.series+"|"+p.x] = p.value
	}
	want := map[string]string{"特别重大|2026-10": "1", "特别重大|2026-12": "2", "一般|2026-10": "4", "一般|2026-11": "5"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("points %v, want %v (zero values draw no bar)", got, want)
	}
}

func TestTimeSeriesLinesCarryZeros(t *testing.T) {
	c := TimeSeries{Title: "t", X: []string{"a", "b"}, Series: []Series{{Name: "s", Values: []float64{0, 3}}}}
	_, _, pts := readSVG(t, c.SVG())
	if len(pts) != 2 || pts[0].value != "0" || pts[1].value != "3" {
		t.Fatalf("points %v", pts)
	}
	// No data at all still gives a valid, named image.
	readSVG(t, TimeSeries{Title: "empty"}.SVG())
}

func TestBarsAndHostileLabels(t *testing.T) {
	hostile := `<script>alert(1)</script>"' onload="x" &amp; 单位`
	c := Bars{Title: hostile, Desc: hostile, Series: "incidents", Bars: []Bar{{Label: hostile, Value: 7}, {Label: "县网信办", Value: 2.5}}}
	out := c.SVG()
	if strings.Contains(string(out), "<script") || strings.Contains(string(out), `" onload`) {
		t.Fatalf("label not escaped:\n%s", out)
	}
	title, _, pts := readSVG(t, out)
	if title != hostile {
		t.Fatalf("title %q, want the label as text", title)
	}
	if len(pts) != 2 || pts[0].x != hostile || pts[0].value != "7" || pts[1].value != "2.5" || pts[0].series != "incidents" {
		t.Fatalf("points %v", pts)
	}
}

func TestHeatGridAndHistory(t *testing.T) {
	g := HeatGrid{Title: "报送情况", Rows: []string{"甲单位", "乙单位"}, Cols: []string{"12-01", "12-02"},
		Cells:  [][]string{{"filed", "missing"}, {"late", ""}},
		Legend: []LegendEntry{{"filed", "已报", Green}, {"late", "迟报", Orange}, {"missing", "未报", Red}}}
	_, _, pts := readSVG(t, g.SVG())
	if fmt.Sprint(pts) != fmt.Sprint([]point{{"甲单位", "12-01", "filed", ""}, {"甲单位", "12-02", "missing", ""}, {"乙单位", "12-01", "late", ""}}) {
		t.Fatalf("grid points %v", pts)
	}
	hb := History{Title: "可用性", Series: "site", Legend: []LegendEntry{{"up", "正常", Green}, {"down", "故障", Red}},
		Segments: []Segment{{"10:00", "up", 120}, {"10:05", "down", 0}}}
	for _, small := range []bool{false, true} {
		hb.Small = small
		_, _, pts = readSVG(t, hb.SVG())
		if len(pts) != 2 || pts[0].state != "up" || pts[0].value != "120" || pts[1].state != "down" {
			t.Fatalf("history points %v", pts)
		}
	}
	_, _, pts = readSVG(t, Sparkline{Title: "趋势", Series: "n", X: []string{"a", "b", "c"}, Values: []float64{1, math.NaN(), 3}}.SVG())
	if len(pts) != 3 || pts[1].value != "0" || pts[2].value != "3" {
		t.Fatalf("sparkline points %v", pts)
	}
}

func TestColoursMeetContrast(t *testing.T) {
	for _, c := range append([]string{Ink, Muted, Red, Orange, Gold, Blue, Green, Grey, Purple, Teal}, Palette...) {
		need := 3.0 // graphical objects (WCAG 1.4.11)
		if c == Ink || c == Muted || c == Grey {
			need = 4.5 // text colours
		}
		if r := contrast(c, "#ffffff"); r < need {
			t.Errorf("%s on white: %.2f:1, need %.1f:1", c, r, need)
		}
	}
	if safeColor(`#fff" onload="x`) || !safeColor("#1e63b8") {
		t.Fatal("safeColor lets markup through or refuses a colour")
	}
}

func contrast(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

func luminance(hex string) float64 {
	var ch [3]float64
	for i := range ch {
		v, _ := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
		c := float64(v) / 255
		if c <= 0.03928 {
			ch[i] = c / 12.92
		} else {
			ch[i] = math.Pow((c+0.055)/1.055, 2.4)
		}
	}
	return 0.2126*ch[0] + 0.7152*ch[1] + 0.0722*ch[2]
}

func TestNiceMax(t *testing.T) {
	for _, c := range []struct{ in, top, step float64 }{{0, 1, 1}, {3, 3, 1}, {7, 8, 2}, {23, 30, 10}, {100, 100, 50}, {0.4, 0.4, 0.1}} {
		top, step := niceMax(c.in)
		if math.Abs(top-c.top) > 1e-9 || math.Abs(step-c.step) > 1e-9 {
			t.Errorf("niceMax(%v) = %v, %v; want %v, %v", c.in, top, step, c.top, c.step)
		}
	}
}

// FuzzLabels: whatever the labels, every chart is well-formed XML with the
// labels as text, never markup.
func FuzzLabels(f *testing.F) {
	f.Add("县网信办", "12-01", 3.0)
	f.Add(`<script>x</script>`, `"><g onload="1`, -1.0)
	f.Add("\x00\xff\ufffe", "&amp;", math.Inf(1))
	f.Fuzz(func(t *testing.T, label, x string, v float64) {
		legend := []LegendEntry{{Key: label, Label: label}}
		for _, out := range []template.HTML{
			TimeSeries{Title: label, Desc: x, X: []string{x, label}, Series: []Series{{Name: label, Values: []float64{v, 1}}}}.SVG(),
			TimeSeries{Title: label, X: []string{x}, Stacked: true, Series: []Series{{Name: label, Color: x, Values: []float64{v}}}}.SVG(),
			Bars{Title: label, Series: x, Bars: []Bar{{Label: label, Value: v, Color: x}}}.SVG(),
			HeatGrid{Title: label, Rows: []string{label}, Cols: []string{x}, Cells: [][]string{{label}}, Legend: legend}.SVG(),
			History{Title: label, Series: x, Segments: []Segment{{X: x, State: label, Value: v}}, Legend: legend}.SVG(),
			Sparkline{Title: label, Series: x, X: []string{x}, Values: []float64{v}}.SVG(),
		} {
			_, _, pts := readSVG(t, out)
			if len(pts) == 0 && v > 0 && !math.IsInf(v, 0) {
				t.Fatalf("no datum drawn for %v", v)
			}
		}
	})
}
