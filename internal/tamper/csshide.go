package tamper

import (
	"math"
	"strconv"
	"strings"
)

// CSS values that hide beyond those in hideReason, and text drawn in the
// colour of its background.

// CSS values that hide beyond the basic declarations in hideReason.
func moreHideReason(d decls) (prop, reason string) {
	if f := d["filter"]; f != "" && filterOpacity(f) <= 0.05 {
		return "opacity", "filter:" + f
	}
	if o := d["outline-offset"]; o != "" && strings.Contains(o, "-") && outlineCovers(d) {
		return "cover", "covered by its own opaque outline drawn inward (outline-offset:" + o + ")"
	}
	if c := d["contain"]; c != "" && containEmpty(c, d) {
		return "height", "contain:" + c + " (sized as if empty, content clipped)"
	}
	if v, ok := d["font"]; ok {
		for _, tok := range strings.Fields(v) {
			size, _, _ := strings.Cut(tok, "/")
			if n, ok := parseLen(size); ok {
				if n <= tinyFontPx && (size == "0" || strings.TrimLeft(size, "0123456789.") != "") {
					return "font-size", "font:" + v
				}
				if strings.TrimLeft(size, "0123456789.") != "" {
					break // the first length is the size
				}
			}
		}
	}
	if c := d["color"]; c != "" && (strings.Contains(c, "transparent") || strings.Contains(c, "rgba") || len(c) == 9 || len(c) == 5) && parseColor(c).transparent {
		return "color", "transparent text (color:" + d["color"] + ")"
	}
	if d["content-visibility"] == "hidden" {
		return "display", "content-visibility:hidden"
	}
	if v, ok := d["zoom"]; ok {
		if f, err := strconv.ParseFloat(strings.TrimSuffix(v, "%"), 64); err == nil && (strings.HasSuffix(v, "%") && f <= 5 || !strings.HasSuffix(v, "%") && f > 0 && f <= 0.05) {
			return "transform", "zoom:" + v
		}
	}
	if why := transformsHide(d); why != "" {
		return "transform", why
	}
	if m, ok := d["margin"]; ok && strings.Contains(m, "-") {
		top, _, _, left := boxSides(m)
		if lenAtMost(top, -offscreenPx*2) || lenAtMost(left, -offscreenPx*2) {
			return "position", "pushed off-screen (margin:" + m + ")"
		}
	}
	if pos := d["position"]; pos == "absolute" || pos == "fixed" {
		if z, err := strconv.Atoi(strings.TrimSpace(d["z-index"])); err == nil && z < 0 {
			return "position", "stacked under the page (position:" + pos + "; z-index:" + d["z-index"] + ")"
		}
	}
	return "", ""
}

// transformsHide checks the transform properties (transform and the
// individual translate, rotate and scale) as one matrix. A carousel track
// (Swiper, Slick, Owl) is translated by whole slides, with a transition or
// a width of several slides: it is not hiding.
func transformsHide(d decls) string {
	m, any := individualTransforms(d)
	key := "translate/rotate/scale"
	for _, k := range [...]string{"transform", "-webkit-transform", "-ms-transform", "-moz-transform"} {
		t, ok := d[k]
		if !ok || t == "none" {
			continue
		}
		tm, ok := transformMatrix(t)
		if !ok {
			continue
		}
		m, any, key = m.mul(tm), true, k+":"+t
		break
	}
	if !any {
		return ""
	}
	if _, animated := d["transition"]; animated {
		return ""
	}
	if _, animated := d["transition-duration"]; animated {
		return ""
	}
	if wd := d["width"]; wd != "" && !lenAtMost(wd, 2000) {
		return ""
	}
	if why := matrixHides(m); why != "" {
		if key == "translate/rotate/scale" {
			key = strings.TrimSpace("translate:" + d["translate"] + " rotate:" + d["rotate"] + " scale:" + d["scale"])
		}
		return key + " (" + why + ")"
	}
	return ""
}

// rgb is a parsed CSS colour.
type rgb struct {
	r, g, b     uint8
	ok          bool
	transparent bool
}

var namedColors = map[string]rgb{
	"white": {255, 255, 255, true, false}, "black": {0, 0, 0, true, false}, "red": {255, 0, 0, true, false},
	"green": {0, 128, 0, true, false}, "blue": {0, 0, 255, true, false}, "gray": {128, 128, 128, true, false},
	"grey": {128, 128, 128, true, false}, "silver": {192, 192, 192, true, false}, "yellow": {255, 255, 0, true, false},
	"transparent": {transparent: true},
	"snow":        {255, 250, 250, true, false}, "ivory": {255, 255, 240, true, false}, "whitesmoke": {245, 245, 245, true, false},
	"ghostwhite": {248, 248, 255, true, false}, "floralwhite": {255, 250, 240, true, false}, "aliceblue": {240, 248, 255, true, false},
	"azure": {240, 255, 255, true, false}, "mintcream": {245, 255, 250, true, false}, "honeydew": {240, 255, 240, true, false},
	"seashell": {255, 245, 238, true, false}, "oldlace": {253, 245, 230, true, false}, "linen": {250, 240, 230, true, false},
	"beige": {245, 245, 220, true, false}, "cornsilk": {255, 248, 220, true, false}, "lavenderblush": {255, 240, 245, true, false},
	"gainsboro": {220, 220, 220, true, false}, "lightgray": {211, 211, 211, true, false}, "lightgrey": {211, 211, 211, true, false},
	"darkgray": {169, 169, 169, true, false}, "darkgrey": {169, 169, 169, true, false}, "dimgray": {105, 105, 105, true, false},
	"dimgrey": {105, 105, 105, true, false}, "navy": {0, 0, 128, true, false}, "maroon": {128, 0, 0, true, false},
	"olive": {128, 128, 0, true, false}, "teal": {0, 128, 128, true, false}, "purple": {128, 0, 128, true, false},
	"aqua": {0, 255, 255, true, false}, "fuchsia": {255, 0, 255, true, false}, "lime": {0, 255, 0, true, false},
	"orange": {255, 165, 0, true, false}, "darkblue": {0, 0, 139, true, false}, "darkgreen": {0, 100, 0, true, false},
	"darkred": {139, 0, 0, true, false}, "midnightblue": {25, 25, 112, true, false}, "lightyellow": {255, 255, 224, true, false},
	"darkslategray": {47, 79, 79, true, false}, "darkslategrey": {47, 79, 79, true, false},
}

// parseHSL reads hsl()/hsla() in the comma and space forms.
func parseHSL(s string) rgb {
	i, j := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
	if i < 0 || j < i {
		return rgb{}
	}
	parts := strings.FieldsFunc(s[i+1:j], func(r rune) bool { return r == ',' || r == ' ' || r == '/' })
	if len(parts) < 3 {
		return rgb{}
	}
	h, ok := angleRad(parts[0])
	if !ok {
		f, err := strconv.ParseFloat(parts[0], 64)
		if err != nil {
			return rgb{}
		}
		h = f * math.Pi / 180
	}
	var sl [2]float64
	for k := 1; k <= 2; k++ {
		f, err := strconv.ParseFloat(strings.TrimSuffix(parts[k], "%"), 64)
		if err != nil {
			return rgb{}
		}
		sl[k-1] = max(0, min(100, f)) / 100
	}
	if len(parts) >= 4 {
		if a, ok := parseOpacity(parts[3]); ok && a <= 0.05 {
			return rgb{transparent: true}
		}
	}
	deg := math.Mod(h*180/math.Pi, 360)
	if deg < 0 {
		deg += 360
	}
	c := (1 - math.Abs(2*sl[1]-1)) * sl[0]
	x := c * (1 - math.Abs(math.Mod(deg/60, 2)-1))
	m := sl[1] - c/2
	var r, g, b float64
	switch {
	case deg < 60:
		r, g = c, x
	case deg < 120:
		r, g = x, c
	case deg < 180:
		g, b = c, x
	case deg < 240:
		g, b = x, c
	case deg < 300:
		r, b = x, c
	default:
		r, b = c, x
	}
	u := func(v float64) uint8 { return uint8(max(0, min(255, (v+m)*255+0.5))) }
	return rgb{u(r), u(g), u(b), true, false}
}

func parseColor(s string) rgb {
	s = strings.ToLower(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "!important")))
	if s == "" {
		return rgb{}
	}
	if c, ok := namedColors[s]; ok {
		return c
	}
	if strings.HasPrefix(s, "#") {
		h := s[1:]
		if len(h) == 3 || len(h) == 4 {
			h = string([]byte{h[0], h[0], h[1], h[1], h[2], h[2]})
		}
		if len(h) == 8 && h[6:] == "00" {
			return rgb{transparent: true}
		}
		if len(h) >= 6 {
			v, err := strconv.ParseUint(h[:6], 16, 32)
			if err == nil {
				return rgb{uint8(v >> 16), uint8(v >> 8), uint8(v), true, false}
			}
		}
		return rgb{}
	}
	if strings.HasPrefix(s, "hsl") {
		return parseHSL(s)
	}
	if strings.HasPrefix(s, "rgb") {
		i, j := strings.IndexByte(s, '('), strings.IndexByte(s, ')')
		if i < 0 || j < i {
			return rgb{}
		}
		parts := strings.FieldsFunc(s[i+1:j], func(r rune) bool { return r == ',' || r == ' ' || r == '/' })
		if len(parts) < 3 {
			return rgb{}
		}
		var v [3]uint8
		for k := 0; k < 3; k++ {
			f, err := strconv.ParseFloat(strings.TrimSuffix(parts[k], "%"), 64)
			if err != nil {
				return rgb{}
			}
			if strings.HasSuffix(parts[k], "%") {
				f *= 2.55
			}
			v[k] = uint8(max(0, min(255, f+0.5)))
		}
		if len(parts) >= 4 {
			if a, err := strconv.ParseFloat(parts[3], 64); err == nil && a <= 0.05 {
				return rgb{transparent: true}
			}
		}
		return rgb{v[0], v[1], v[2], true, false}
	}
	return rgb{}
}

// sameColor: a text colour this close to its background cannot be read.
func sameColor(a, b rgb) bool {
	if !a.ok || !b.ok {
		return false
	}
	d := func(x, y uint8) uint8 {
		if x > y {
			return x - y
		}
		return y - x
	}
	return d(a.r, b.r) <= 12 && d(a.g, b.g) <= 12 && d(a.b, b.b) <= 12
}

// colourHides tracks the text colour and the background an element sets
// (inline style, <font color>, bgcolor) and reports text drawn in the
// colour of the nearest declared background.
func (w *walker) colourHides(e *elemInfo, inline decls, c *ctx) (string, string) {
	col := inline["color"]
	if col == "" {
		col = w.attrs.val("color")
	}
	bg := inline["background-color"]
	if bg == "" {
		bg = inline["background"]
	}
	if bg == "" {
		bg = w.attrs.val("bgcolor")
	}
	img := inline["background-image"]
	ruleBg := false
	if w.ss.paintByKey != nil && e != nil && (col == "" || bg == "") {
		rc, rb, ri := w.ss.paint(e, w.anc)
		if col == "" {
			col = rc
		}
		if bg == "" && img == "" {
			bg, img, ruleBg = rb, ri, rb != ""
		}
	}
	if strings.Contains(col, "var(") {
		col = w.ss.globalVars(col)
	}
	if strings.Contains(bg, "var(") {
		bg = w.ss.globalVars(bg)
	}
	if col != "" {
		if v := parseColor(col); v.ok {
			c.color = v
		}
	}
	backdrop := c.bg
	if !ruleBg {
		if why := erased(inline, backdrop, bg); why != "" {
			return "opacity", why
		}
	}
	if bg != "" || img != "" {
		c.bg = backgroundColour(bg, img, c.bg)
	}
	if sameColor(c.color, c.bg) && (col != "" || bg != "") {
		return "color", "text colour equals the background"
	}
	return "", ""
}

// backgroundColour reads the colour a background declaration paints (the
// background shorthand in any order, background-color): an image or a
// gradient makes the backdrop unknown; a value without a colour keeps the
// inherited one.
func backgroundColour(bg, img string, inherited rgb) rgb {
	if strings.Contains(img, "url(") || strings.Contains(img, "gradient") ||
		strings.Contains(bg, "url(") || strings.Contains(bg, "gradient") {
		return rgb{}
	}
	for _, f := range cssFields(bg) {
		if v := parseColor(f); v.ok {
			return v
		} else if v.transparent {
			return inherited
		}
	}
	return inherited
}

// parseOpacity reads an opacity as a fraction (0.5 or 50%).
func parseOpacity(v string) (float64, bool) {
	v = strings.TrimSpace(v)
	if mathFunc(v) && !strings.Contains(v, "%") {
		// calc(1 - 1), min(0, 1): unitless arithmetic
		return evalLength(v)
	}
	pct := strings.HasSuffix(v, "%")
	f, err := strconv.ParseFloat(strings.TrimSuffix(v, "%"), 64)
	if err != nil {
		return 0, false
	}
	if pct {
		f /= 100
	}
	return f, true
}

// insetHides reports clip-path:inset() that clips everything: top and
// bottom (or left and right) insets adding up to 100% or more.
func insetHides(cp string) bool {
	if !strings.HasPrefix(cp, "inset(") {
		return false
	}
	args := strings.TrimSuffix(strings.TrimPrefix(cp, "inset("), ")")
	if i := strings.Index(args, "round"); i >= 0 {
		args = args[:i]
	}
	f := strings.Fields(args)
	pct := make([]float64, 0, 4)
	for _, a := range f {
		if a == "0" || a == "0px" {
			a = "0%"
		}
		if !strings.HasSuffix(a, "%") {
			return false // lengths need the box size
		}
		v, err := strconv.ParseFloat(strings.TrimSuffix(a, "%"), 64)
		if err != nil {
			return false
		}
		pct = append(pct, v)
	}
	var t, r, b, l float64
	switch len(pct) {
	case 1:
		t, r, b, l = pct[0], pct[0], pct[0], pct[0]
	case 2:
		t, r, b, l = pct[0], pct[1], pct[0], pct[1]
	case 3:
		t, r, b, l = pct[0], pct[1], pct[2], pct[1]
	case 4:
		t, r, b, l = pct[0], pct[1], pct[2], pct[3]
	default:
		return false
	}
	return t+b >= 100 || l+r >= 100
}

// filterOpacity multiplies the opacity() functions of a filter chain
// (brightness(1) opacity(0.001) → 0.001); 1 when it has none.
func filterOpacity(f string) float64 {
	o := 1.0
	for n := 0; n < 16; n++ {
		i := strings.Index(f, "opacity(")
		if i < 0 {
			break
		}
		f = f[i+len("opacity("):]
		j := strings.IndexByte(f, ')')
		if j < 0 {
			break
		}
		if v, ok := parseOpacity(f[:j]); ok {
			o *= v
		}
		f = f[j+1:]
	}
	return o
}

// containEmpty: size containment lays the box out as if it had no content
// (zero height without a size of its own) and paint containment clips
// what overflows it, so nothing of the content shows.
func containEmpty(c string, d decls) bool {
	f := strings.Fields(c)
	has := func(w string) bool {
		for _, x := range f {
			if x == w {
				return true
			}
		}
		return false
	}
	if !has("strict") && !(has("size") && has("paint")) {
		return false
	}
	for _, p := range []string{"height", "block-size", "min-height", "min-block-size", "contain-intrinsic-size", "contain-intrinsic-height", "contain-intrinsic-block-size"} {
		if v, ok := d[p]; ok && !lenAtMost(v, 1) {
			return false
		}
	}
	return true
}

// outlineCovers: an opaque outline drawn inward by a negative
// outline-offset paints over the element's content; bands |offset| thick
// (at most the outline's width) from each edge cover a box whose declared
// height is at most twice that.
func outlineCovers(d decls) bool {
	off, ok := parseLen(d["outline-offset"])
	if !ok || off >= 0 {
		return false
	}
	width, style, colour := d["outline-width"], d["outline-style"], d["outline-color"]
	for _, f := range cssFields(d["outline"]) {
		switch {
		case f == "none" || f == "hidden" || f == "solid" || f == "double" || f == "dotted" || f == "dashed" ||
			f == "groove" || f == "ridge" || f == "inset" || f == "outset" || f == "auto":
			style = f
		case strings.IndexAny(f[:1], "0123456789.") == 0 || mathFunc(f):
			width = f
		default:
			colour = f
		}
	}
	if style != "solid" && style != "double" || colour == "" || !opaqueColor(colour) {
		return false
	}
	w, ok := parseLen(width)
	if !ok {
		return false
	}
	band := min(w, -off)
	for _, p := range []string{"height", "max-height", "block-size", "max-block-size"} {
		if h, ok := parseLen(d[p]); ok && d[p] != "" && h <= 2*band {
			return true
		}
	}
	return false
}

// erased reports a filter or blend mode that paints the element in one
// colour: contrast(0) turns everything one grey, brightness(0) on an
// element with its own background turns it all black, a large brightness
// all white over a white page; screen, lighten, color-dodge and
// plus-lighter over a declared white backdrop,
// multiply, darken and color-burn over a black one.
func erased(inline decls, backdrop rgb, bg string) string {
	if f := inline["filter"]; f != "" {
		for _, fn := range [...]string{"contrast(", "brightness("} {
			i := strings.Index(f, fn)
			if i < 0 {
				continue
			}
			arg, _, ok := strings.Cut(f[i+len(fn):], ")")
			if !ok {
				continue
			}
			v, ok := parseOpacity(strings.TrimSpace(arg))
			if !ok {
				if n, err := strconv.ParseFloat(strings.TrimSpace(arg), 64); err == nil {
					v, ok = n, true
				}
			}
			if !ok {
				continue
			}
			switch {
			case fn == "contrast(" && v <= 0.05:
				return "filter:" + f + " (painted in one grey)"
			case fn == "brightness(" && v <= 0.05 && bg != "" && opaqueColor(strings.Fields(bg + " x")[0]):
				return "filter:" + f + " (painted all black)"
			case fn == "brightness(" && v >= 20 && whiteish(backdrop):
				return "filter:" + f + " (painted white on white)"
			}
		}
	}
	switch m := inline["mix-blend-mode"]; m {
	case "screen", "lighten", "color-dodge", "plus-lighter":
		if whiteish(backdrop) {
			return "mix-blend-mode:" + m + " over a white background"
		}
	case "multiply", "darken", "color-burn":
		if backdrop.ok && max(backdrop.r, backdrop.g, backdrop.b) <= 12 {
			return "mix-blend-mode:" + m + " over a black background"
		}
	}
	return ""
}

// whiteish: a declared white background (an undeclared one may be an
// image or a dark stylesheet colour).
func whiteish(c rgb) bool {
	return c.ok && min(c.r, c.g, c.b) >= 243
}

// paint returns the text colour and the background (colour, image) that
// the most specific matching stylesheet rules give e; "" when no rule sets
// them.
func (ss *styleSheet) paint(e *elemInfo, anc []*elemInfo) (col, bg, img string) {
	var bc, bb *cssRule
	better := func(r, than *cssRule) bool {
		if than == nil {
			return true
		}
		ri, ti := r.paintImportant(), than.paintImportant()
		if ri != ti {
			return ri
		}
		return r.spec > than.spec || r.spec == than.spec && r.order > than.order
	}
	look := func(key string) {
		for _, r := range ss.paintByKey[key] {
			_, hasC := r.decls["color"]
			hasB := r.decls["background"] != "" || r.decls["background-color"] != "" || r.decls["background-image"] != ""
			if (hasC && better(r, bc) || hasB && better(r, bb)) && r.matches(e, anc) {
				if hasC && better(r, bc) {
					bc = r
				}
				if hasB && better(r, bb) {
					bb = r
				}
			}
		}
	}
	if e.id != "" {
		look("#" + e.id)
	}
	for _, c := range e.classes {
		look("." + c)
	}
	look(e.tag)
	look("*")
	if bc != nil {
		col = bc.decls["color"]
	}
	if bb != nil {
		bg = bb.decls["background-color"]
		if bg == "" {
			bg = bb.decls["background"]
		}
		img = bb.decls["background-image"]
	}
	return col, bg, img
}

// paintImportant: the rule marks a colour or background !important.
func (r *cssRule) paintImportant() bool {
	return r.decls["!color"] != "" || r.decls["!background"] != "" || r.decls["!background-color"] != ""
}

// paintDecls: d sets a text colour or a background.
func paintDecls(d decls) bool {
	return d["color"] != "" || d["background"] != "" || d["background-color"] != "" || d["background-image"] != ""
}

// noteVars records the custom properties a rule sets, page-wide: a
// property given two different values (a theme switch) is ambiguous and
// never resolved.
func (ss *styleSheet) noteVars(d decls) {
	if ss.conditional > 0 {
		// A theme variant (prefers-color-scheme, a breakpoint) gives the
		// property a second value: ambiguous.
		for k := range d {
			if strings.HasPrefix(k, "--") {
				if ss.vars == nil {
					ss.vars = map[string]string{}
				}
				if len(ss.vars) < 256 {
					ss.vars[k] = ""
				}
			}
		}
		return
	}
	for k, v := range d {
		if !strings.HasPrefix(k, "--") {
			continue
		}
		if ss.vars == nil {
			ss.vars = map[string]string{}
		}
		if old, ok := ss.vars[k]; ok && old != v {
			v = ""
		}
		if len(ss.vars) < 256 {
			ss.vars[k] = v
		}
	}
}

// globalVars resolves var() in a colour against the page's custom
// properties when each has one value page-wide (else the fallback).
func (ss *styleSheet) globalVars(v string) string {
	known := map[string]string{}
	for k, x := range ss.vars {
		if x != "" && !strings.Contains(x, "var(") {
			known[k] = x
		}
	}
	return resolveVars(v, known)
}
