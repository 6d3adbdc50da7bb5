package tamper

import (
	"math"
	"strconv"
	"strings"
)

// A small evaluator for the CSS values that decide visibility: lengths
// with calc()/min()/max()/clamp(), logical properties, transforms as
// matrices, clip-path basic shapes and clip:rect() with auto edges.
//
// There is no layout engine, so values are resolved against an assumed
// screen (an assumption, not a measurement of visitors): a 1366×768 viewport, a
// 16 px root and element font, and percentages of the viewport width (the
// containing block of a box pushed off-screen is usually the page).

const (
	viewportW = 1366.0
	viewportH = 768.0
	rootFont  = 16.0
)

// unitPx converts one CSS unit to pixels.
func unitPx(u string) (float64, bool) {
	switch u {
	case "", "px":
		return 1, true
	case "em", "rem":
		return rootFont, true
	case "pt":
		return 4.0 / 3, true
	case "pc":
		return 16, true
	case "in":
		return 96, true
	case "cm":
		return 96 / 2.54, true
	case "mm":
		return 96 / 25.4, true
	case "q":
		return 96 / 101.6, true
	case "ch", "ex":
		return rootFont / 2, true
	case "%":
		return viewportW / 100, true
	case "vw", "svw", "lvw", "dvw", "vi":
		return viewportW / 100, true
	case "vh", "svh", "lvh", "dvh", "vb":
		return viewportH / 100, true
	case "vmin":
		return viewportH / 100, true
	case "vmax":
		return viewportW / 100, true
	}
	return 0, false
}

// mathFunc reports whether v starts with a CSS math function.
func mathFunc(v string) bool {
	for _, f := range [...]string{"calc(", "-webkit-calc(", "-moz-calc(", "min(", "max(", "clamp("} {
		if strings.HasPrefix(v, f) {
			return true
		}
	}
	return false
}

// evalLength evaluates one CSS length (a dimension or a math function) in
// pixels.
func evalLength(v string) (float64, bool) {
	p := calcParser{s: v}
	f, ok := p.factor(0)
	if !ok {
		return 0, false
	}
	p.space()
	return f, p.i == len(p.s)
}

// calcParser evaluates calc() expressions; every dimension is converted
// to pixels on the way, so a product or quotient of a length and a
// number stays a length.
type calcParser struct {
	s string
	i int
}

const calcMaxDepth = 32

func (p *calcParser) space() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t' || p.s[p.i] == '\n' || p.s[p.i] == '\r') {
		p.i++
	}
}

func (p *calcParser) sum(depth int) (float64, bool) {
	v, ok := p.product(depth)
	for ok {
		p.space()
		if p.i >= len(p.s) || p.s[p.i] != '+' && p.s[p.i] != '-' {
			return v, true
		}
		sign := 1.0
		if p.s[p.i] == '-' {
			sign = -1
		}
		p.i++
		var t float64
		t, ok = p.product(depth)
		v += sign * t
	}
	return 0, false
}

func (p *calcParser) product(depth int) (float64, bool) {
	v, ok := p.factor(depth)
	for ok {
		p.space()
		if p.i >= len(p.s) || p.s[p.i] != '*' && p.s[p.i] != '/' {
			return v, true
		}
		op := p.s[p.i]
		p.i++
		var t float64
		if t, ok = p.factor(depth); !ok {
			return 0, false
		}
		if op == '*' {
			v *= t
		} else if t != 0 {
			v /= t
		} else {
			return 0, false
		}
	}
	return 0, false
}

func (p *calcParser) factor(depth int) (float64, bool) {
	if depth > calcMaxDepth {
		return 0, false
	}
	p.space()
	if p.i >= len(p.s) {
		return 0, false
	}
	if p.s[p.i] == '(' {
		p.i++
		v, ok := p.sum(depth + 1)
		return v, ok && p.close()
	}
	// a function name
	j := p.i
	for j < len(p.s) && (p.s[j] >= 'a' && p.s[j] <= 'z' || p.s[j] == '-' && j+1 < len(p.s) && p.s[j+1] >= 'a' && p.s[j+1] <= 'z') {
		j++
	}
	if j > p.i && j < len(p.s) && p.s[j] == '(' {
		name := p.s[p.i:j]
		p.i = j + 1
		var args []float64
		for {
			v, ok := p.sum(depth + 1)
			if !ok {
				return 0, false
			}
			args = append(args, v)
			p.space()
			if p.i < len(p.s) && p.s[p.i] == ',' {
				p.i++
				continue
			}
			break
		}
		if !p.close() {
			return 0, false
		}
		switch name {
		case "calc", "-webkit-calc", "-moz-calc":
			if len(args) == 1 {
				return args[0], true
			}
		case "min":
			m := args[0]
			for _, a := range args[1:] {
				m = math.Min(m, a)
			}
			return m, true
		case "max":
			m := args[0]
			for _, a := range args[1:] {
				m = math.Max(m, a)
			}
			return m, true
		case "clamp":
			if len(args) == 3 {
				return math.Max(args[0], math.Min(args[1], args[2])), true
			}
		}
		return 0, false
	}
	return p.dimension()
}

func (p *calcParser) close() bool {
	p.space()
	if p.i < len(p.s) && p.s[p.i] == ')' {
		p.i++
		return true
	}
	return false
}

// dimension reads a number with an optional unit (1e-3, -.5em, 100%).
func (p *calcParser) dimension() (float64, bool) {
	start := p.i
	j := p.i
	if j < len(p.s) && (p.s[j] == '-' || p.s[j] == '+') {
		j++
	}
	digits := false
	for j < len(p.s) && (p.s[j] >= '0' && p.s[j] <= '9' || p.s[j] == '.') {
		digits = digits || p.s[j] != '.'
		j++
	}
	if !digits {
		return 0, false
	}
	// an exponent, not the start of "em"/"ex"
	if j < len(p.s) && p.s[j] == 'e' {
		k := j + 1
		if k < len(p.s) && (p.s[k] == '-' || p.s[k] == '+') {
			k++
		}
		if k < len(p.s) && p.s[k] >= '0' && p.s[k] <= '9' {
			for k < len(p.s) && p.s[k] >= '0' && p.s[k] <= '9' {
				k++
			}
			j = k
		}
	}
	f, err := strconv.ParseFloat(p.s[start:j], 64)
	if err != nil {
		return 0, false
	}
	u := j
	for u < len(p.s) && (p.s[u] >= 'a' && p.s[u] <= 'z' || p.s[u] == '%') {
		u++
	}
	mult, ok := unitPx(p.s[j:u])
	if !ok {
		return 0, false
	}
	p.i = u
	return f * mult, true
}

// cssFields splits a value on white space outside parentheses:
// "0 0 0 calc(-100vw - 5px)" has four fields.
func cssFields(v string) []string {
	var out []string
	depth, start := 0, -1
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c == '(':
			depth++
		case c == ')':
			if depth > 0 {
				depth--
			}
		}
		space := depth == 0 && (c == ' ' || c == '\t' || c == '\n' || c == '\r')
		if space {
			if start >= 0 {
				out = append(out, v[start:i])
				start = -1
			}
		} else if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		out = append(out, v[start:])
	}
	return out
}

// cssArgs splits function arguments on commas outside parentheses.
func cssArgs(v string) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(v); i++ {
		switch v[i] {
		case '(':
			depth++
		case ')':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, strings.TrimSpace(v[start:i]))
				start = i + 1
			}
		}
	}
	return append(out, strings.TrimSpace(v[start:]))
}

// logicalProps maps logical properties to physical ones for the default
// horizontal, left-to-right writing mode.
var logicalProps = map[string]string{
	"block-size": "height", "inline-size": "width",
	"min-block-size": "min-height", "min-inline-size": "min-width",
	"max-block-size": "max-height", "max-inline-size": "max-width",
	"margin-block-start": "margin-top", "margin-block-end": "margin-bottom",
	"margin-inline-start": "margin-left", "margin-inline-end": "margin-right",
	"inset-block-start": "top", "inset-block-end": "bottom",
	"inset-inline-start": "left", "inset-inline-end": "right",
	"overflow-block": "overflow-y", "overflow-inline": "overflow-x",
	"-webkit-margin-start": "margin-left", "-webkit-margin-before": "margin-top",
}

// expandDecl calls set for the declaration and, for a logical property or
// a box shorthand, for the physical longhands it sets.
func expandDecl(k, v string, set func(k, v string)) {
	set(k, v)
	if phys, ok := logicalProps[k]; ok {
		set(phys, v)
		return
	}
	switch k {
	case "inset":
		t, r, b, l := boxSides(v)
		if t != "" {
			set("top", t)
			set("right", r)
			set("bottom", b)
			set("left", l)
		}
	case "inset-block", "margin-block", "inset-inline", "margin-inline":
		f := cssFields(v)
		if len(f) == 0 || len(f) > 2 {
			return
		}
		a, b := f[0], f[len(f)-1]
		switch k {
		case "inset-block":
			set("top", a)
			set("bottom", b)
		case "inset-inline":
			set("left", a)
			set("right", b)
		case "margin-block":
			set("margin-top", a)
			set("margin-bottom", b)
		case "margin-inline":
			set("margin-left", a)
			set("margin-right", b)
		}
	}
}

// boxSides reads a 1–4 value box shorthand (margin, inset).
func boxSides(v string) (t, r, b, l string) {
	f := cssFields(v)
	switch len(f) {
	case 1:
		return f[0], f[0], f[0], f[0]
	case 2:
		return f[0], f[1], f[0], f[1]
	case 3:
		return f[0], f[1], f[2], f[1]
	case 4:
		return f[0], f[1], f[2], f[3]
	}
	return "", "", "", ""
}

// displayWords are the keywords of the display property; a declaration
// with any other value is invalid and ignored, so an earlier one stands.
var displayWords = map[string]bool{
	"none": true, "block": true, "inline": true, "inline-block": true, "flex": true, "inline-flex": true,
	"grid": true, "inline-grid": true, "table": true, "inline-table": true, "list-item": true, "contents": true,
	"flow": true, "flow-root": true, "run-in": true, "ruby": true, "math": true, "table-row": true, "table-cell": true,
	"table-row-group": true, "table-header-group": true, "table-footer-group": true, "table-column": true,
	"table-column-group": true, "table-caption": true, "ruby-base": true, "ruby-text": true, "-webkit-box": true,
	"-webkit-inline-box": true, "-ms-flexbox": true, "-ms-inline-flexbox": true, "-webkit-flex": true,
	"-webkit-inline-flex": true, "-moz-box": true, "-moz-inline-box": true, "-ms-grid": true, "-ms-inline-grid": true,
	"inherit": true, "initial": true, "unset": true, "revert": true, "revert-layer": true,
}

// validDecl rejects values the browser would drop for the properties
// whose last valid declaration decides visibility.
func validDecl(k, v string) bool {
	switch k {
	case "display":
		for _, w := range strings.Fields(v) {
			if !displayWords[w] {
				return false
			}
		}
	case "visibility":
		switch v {
		case "visible", "hidden", "collapse", "inherit", "initial", "unset", "revert", "revert-layer":
		default:
			return false
		}
	case "opacity":
		if _, ok := parseOpacity(v); !ok {
			switch v {
			case "inherit", "initial", "unset", "revert", "revert-layer":
			default:
				return false
			}
		}
	}
	return true
}

// angleRad reads a CSS angle (deg, rad, grad, turn; 0 without a unit).
func angleRad(a string) (float64, bool) {
	for _, u := range [...]struct {
		s string
		m float64
	}{{"deg", math.Pi / 180}, {"grad", math.Pi / 200}, {"rad", 1}, {"turn", 2 * math.Pi}} {
		if strings.HasSuffix(a, u.s) {
			f, err := strconv.ParseFloat(strings.TrimSuffix(a, u.s), 64)
			return f * u.m, err == nil
		}
	}
	f, err := strconv.ParseFloat(a, 64)
	return 0, err == nil && f == 0
}

// mat4 is a CSS transform matrix, m[row][col]; points are columns.
type mat4 [4][4]float64

func identity() mat4 {
	return mat4{{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}}
}

func (a mat4) mul(b mat4) mat4 {
	var c mat4
	for i := 0; i < 4; i++ {
		for j := 0; j < 4; j++ {
			for k := 0; k < 4; k++ {
				c[i][j] += a[i][k] * b[k][j]
			}
		}
	}
	return c
}

func numArgs(args []string) ([]float64, bool) {
	out := make([]float64, len(args))
	for i, a := range args {
		f, err := strconv.ParseFloat(a, 64)
		if err != nil {
			return nil, false
		}
		out[i] = f
	}
	return out, true
}

// rotation3d is the rotation by angle a about the axis (x, y, z).
func rotation3d(x, y, z, a float64) (mat4, bool) {
	n := math.Sqrt(x*x + y*y + z*z)
	if n == 0 {
		return identity(), true
	}
	x, y, z = x/n, y/n, z/n
	s, c := math.Sin(a), math.Cos(a)
	t := 1 - c
	return mat4{
		{t*x*x + c, t*x*y - s*z, t*x*z + s*y, 0},
		{t*x*y + s*z, t*y*y + c, t*y*z - s*x, 0},
		{t*x*z - s*y, t*y*z + s*x, t*z*z + c, 0},
		{0, 0, 0, 1},
	}, true
}

// transformFunc returns the matrix of one transform function.
func transformFunc(name string, args []string) (mat4, bool) {
	m := identity()
	switch name {
	case "matrix":
		v, ok := numArgs(args)
		if !ok || len(v) != 6 {
			return m, false
		}
		m[0][0], m[1][0], m[0][1], m[1][1], m[0][3], m[1][3] = v[0], v[1], v[2], v[3], v[4], v[5]
	case "matrix3d":
		v, ok := numArgs(args)
		if !ok || len(v) != 16 {
			return m, false
		}
		for col := 0; col < 4; col++ {
			for row := 0; row < 4; row++ {
				m[row][col] = v[col*4+row]
			}
		}
	case "translate", "translatex", "translatey", "translate3d", "translatez":
		var xyz [3]float64
		for i, a := range args {
			if i > 2 {
				return m, false
			}
			f, ok := translateLen(a)
			if !ok {
				return m, false
			}
			xyz[i] = f
		}
		switch name {
		case "translatey":
			xyz = [3]float64{0, xyz[0], 0}
		case "translatez":
			xyz = [3]float64{0, 0, xyz[0]}
		}
		m[0][3], m[1][3], m[2][3] = xyz[0], xyz[1], xyz[2]
	case "scale", "scalex", "scaley", "scalez", "scale3d":
		v, ok := scaleArgs(args)
		if !ok || len(v) == 0 || len(v) > 3 {
			return m, false
		}
		switch {
		case name == "scalex":
			m[0][0] = v[0]
		case name == "scaley":
			m[1][1] = v[0]
		case name == "scalez":
			m[2][2] = v[0]
		case len(v) == 1:
			m[0][0], m[1][1] = v[0], v[0]
		default:
			m[0][0], m[1][1] = v[0], v[1]
			if len(v) == 3 {
				m[2][2] = v[2]
			}
		}
	case "rotate", "rotatez", "rotatex", "rotatey", "rotate3d":
		if len(args) == 0 {
			return m, false
		}
		a, ok := angleRad(args[len(args)-1])
		if !ok {
			return m, false
		}
		switch name {
		case "rotatex":
			return rotation3d(1, 0, 0, a)
		case "rotatey":
			return rotation3d(0, 1, 0, a)
		case "rotate3d":
			v, ok := numArgs(args[:len(args)-1])
			if !ok || len(v) != 3 {
				return m, false
			}
			return rotation3d(v[0], v[1], v[2], a)
		}
		return rotation3d(0, 0, 1, a)
	case "skew", "skewx", "skewy":
		var ax, ay float64
		for i, s := range args {
			a, ok := angleRad(s)
			if !ok || i > 1 {
				return m, false
			}
			if i == 0 && name != "skewy" {
				ax = a
			} else {
				ay = a
			}
		}
		m[0][1], m[1][0] = math.Tan(ax), math.Tan(ay)
	case "perspective":
		// changes depth only; the projected size is read without it
	default:
		return m, false
	}
	return m, true
}

// translateLen reads a translate() offset. Percentages are of the
// element's own size, which is unknown: it is taken as 600 px, so that
// translate(-100%) moves a block of text off-screen and the centring idiom
// translate(-50%,-50%) does not.
func translateLen(a string) (float64, bool) {
	if strings.HasSuffix(a, "%") && !mathFunc(a) {
		f, err := strconv.ParseFloat(strings.TrimSuffix(a, "%"), 64)
		return f * 6, err == nil
	}
	return parseLen(a)
}

// scaleArgs reads scale factors (0.5 or 50%).
func scaleArgs(args []string) ([]float64, bool) {
	out := make([]float64, 0, len(args))
	for _, a := range args {
		f, ok := parseOpacity(a)
		if !ok {
			return nil, false
		}
		out = append(out, f)
	}
	return out, true
}

// transformMatrix composes a transform list ("rotatex(90deg) scale(2)").
func transformMatrix(t string) (mat4, bool) {
	m := identity()
	rest := strings.TrimSpace(t)
	for n := 0; rest != "" && n < 32; n++ {
		open := strings.IndexByte(rest, '(')
		if open <= 0 {
			return m, false
		}
		depth, end := 0, -1
		for i := open; i < len(rest); i++ {
			if rest[i] == '(' {
				depth++
			} else if rest[i] == ')' {
				depth--
				if depth == 0 {
					end = i
					break
				}
			}
		}
		if end < 0 {
			return m, false
		}
		name := strings.TrimSpace(rest[:open])
		inner := rest[open+1 : end]
		var args []string
		if strings.Contains(inner, ",") {
			args = cssArgs(inner)
		} else {
			args = cssFields(inner)
		}
		f, ok := transformFunc(name, args)
		if !ok {
			return m, false
		}
		m = m.mul(f)
		rest = strings.TrimSpace(rest[end+1:])
	}
	return m, rest == ""
}

// individualTransforms composes the translate, rotate and scale
// properties, which apply before transform, in that order.
func individualTransforms(d decls) (mat4, bool) {
	m := identity()
	any := false
	if v := d["translate"]; v != "" && v != "none" {
		if f, ok := transformFunc("translate", cssFields(v)); ok {
			m, any = m.mul(f), true
		}
	}
	if v := d["rotate"]; v != "" && v != "none" {
		f := cssFields(v)
		var r mat4
		ok := false
		switch {
		case len(f) == 1:
			r, ok = transformFunc("rotate", f)
		case len(f) == 2 && (f[0] == "x" || f[0] == "y" || f[0] == "z"):
			r, ok = transformFunc("rotate"+f[0], f[1:])
		case len(f) == 4:
			r, ok = transformFunc("rotate3d", f)
		}
		if ok {
			m, any = m.mul(r), true
		}
	}
	if v := d["scale"]; v != "" && v != "none" {
		if f, ok := transformFunc("scale", cssFields(v)); ok {
			m, any = m.mul(f), true
		}
	}
	return m, any
}

// matrixHides reads a composed transform: an axis (or the area) squashed
// to nothing, an edge-on rotation, a singular matrix, or a move far
// off-screen.
func matrixHides(m mat4) string {
	xa := math.Hypot(m[0][0], m[1][0])
	ya := math.Hypot(m[0][1], m[1][1])
	det := math.Abs(m[0][0]*m[1][1] - m[0][1]*m[1][0])
	switch {
	case xa <= 0.05 || ya <= 0.05:
		return "scaled to nothing"
	case det <= 0.0025:
		return "projected to nothing"
	case m[0][3] <= -offscreenPx || m[1][3] <= -offscreenPx:
		return "moved off-screen"
	}
	return ""
}

// pseudoCover reports a ::before/::after rule that draws an opaque box over
// the whole of its element: generated content, absolutely positioned with
// every edge at 0 (or at full width and height from the corner) and an
// opaque background colour. It returns the element's own selector.
func pseudoCover(sel string, d decls) (string, bool) {
	i := strings.LastIndexByte(sel, ':')
	if i <= 0 {
		return "", false
	}
	switch strings.ToLower(sel[i+1:]) {
	case "after", "before":
	default:
		return "", false
	}
	base := strings.TrimSuffix(sel[:i], ":")
	if base == "" {
		return "", false
	}
	if _, ok := d["content"]; !ok || d["content"] == "none" || d["content"] == "normal" {
		return "", false
	}
	if p := d["position"]; p != "absolute" && p != "fixed" {
		return "", false
	}
	zero := func(k string) bool { f, ok := parseLen(d[k]); return ok && f == 0 }
	full := func(k string) bool { return d[k] == "100%" }
	covers := zero("top") && zero("left") && (zero("right") && zero("bottom") || full("width") && full("height"))
	if !covers {
		return "", false
	}
	bg := d["background-color"]
	if bg == "" {
		bg = d["background"]
	}
	if f := cssFields(bg); len(f) == 1 {
		bg = f[0]
	}
	return base, opaqueColor(bg)
}

// opaqueColor: a colour without transparency (alpha ≥ 0.95).
func opaqueColor(s string) bool {
	c := parseColor(s)
	if !c.ok {
		return false
	}
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "#") && (len(s) == 5 || len(s) == 9) {
		return strings.HasSuffix(s, "f") || strings.HasSuffix(s, "ff")
	}
	if open := strings.IndexByte(s, '('); open >= 0 {
		parts := strings.FieldsFunc(strings.TrimSuffix(s[open+1:], ")"), func(r rune) bool { return r == ',' || r == ' ' || r == '/' })
		if len(parts) >= 4 {
			a, ok := parseOpacity(parts[3])
			return ok && a >= 0.95
		}
	}
	return true
}

// clipPathHides reports basic shapes that clip everything: inset()
// eating the whole box, circle() or ellipse() of zero radius, a polygon
// of no area, rect()/xywh() of zero size.
func clipPathHides(cp string) bool {
	cp = strings.TrimSpace(cp)
	open := strings.IndexByte(cp, '(')
	end := strings.LastIndexByte(cp, ')')
	if open <= 0 || end < open {
		return false
	}
	name, inner := cp[:open], strings.TrimSpace(cp[open+1:end])
	switch name {
	case "inset":
		return insetHides(cp[:end+1])
	case "circle", "ellipse":
		radii, _, _ := strings.Cut(inner, " at ")
		if strings.HasPrefix(radii, "at ") {
			return false
		}
		for _, r := range cssFields(radii) {
			if f, ok := parseLen(r); ok && f <= 0.5 {
				return true
			}
		}
	case "polygon":
		args := cssArgs(inner)
		if len(args) > 0 && (strings.HasPrefix(args[0], "nonzero") || strings.HasPrefix(args[0], "evenodd")) {
			args = args[1:]
		}
		return zeroPolygon(args)
	case "xywh":
		f := cssFields(inner)
		if len(f) >= 4 {
			w, ok1 := parseLen(f[2])
			h, ok2 := parseLen(f[3])
			return ok1 && w <= 0.5 || ok2 && h <= 0.5
		}
	case "rect":
		return rectEmpty(inner)
	}
	return false
}

// maxPolygonPoints bounds the points read from one polygon().
const maxPolygonPoints = 1000

// zeroPolygon: one point repeated, or points on one line.
func zeroPolygon(pts []string) bool {
	if len(pts) == 0 || len(pts) > maxPolygonPoints {
		return false
	}
	xs, ys := make([]float64, 0, len(pts)), make([]float64, 0, len(pts))
	for _, p := range pts {
		f := cssFields(p)
		if len(f) != 2 {
			return false
		}
		x, ok1 := parseLen(f[0])
		y, ok2 := parseLen(f[1])
		if !ok1 || !ok2 {
			return false
		}
		xs, ys = append(xs, x), append(ys, y)
	}
	area := 0.0
	for i := range xs {
		j := (i + 1) % len(xs)
		area += xs[i]*ys[j] - xs[j]*ys[i]
	}
	return math.Abs(area)/2 <= 1
}

// rectEmpty reads rect(top right bottom left) as clip does: auto is the
// box's own edge (0 for top and left), so rect(auto 0 auto 0) is empty.
func rectEmpty(inner string) bool {
	inner = strings.ReplaceAll(inner, ",", " ")
	f := cssFields(inner)
	if len(f) != 4 {
		return false
	}
	edge := func(s string, autoZero bool) (float64, bool) {
		if s == "auto" {
			return 0, autoZero
		}
		return parseLen(s)
	}
	top, okT := edge(f[0], true)
	right, okR := edge(f[1], false)
	bottom, okB := edge(f[2], false)
	left, okL := edge(f[3], true)
	return okT && okB && bottom-top <= 1 || okL && okR && right-left <= 1
}
