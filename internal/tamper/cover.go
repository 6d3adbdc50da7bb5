package tamper

import (
	"strconv"
	"strings"

	"golang.org/x/net/html/atom"
)

// Covers: links drawn under another element. Without a layout engine the
// walker judges the common shapes from declared values:
//
//   - a later child of the same parent, positioned absolute or fixed over
//     its containing block (every edge 0, or a corner at 0 with 100 % or a
//     size at least the covered box's), with an opaque background and a
//     z-index not lower than the covered child's;
//   - two children of a CSS grid placed in the same cell (grid-area, or
//     grid-row and grid-column starts, or one named area), the later or
//     higher one opaque;
//   - a positioned block pulled over its previous sibling by a negative
//     top margin at least that sibling's declared height.
//
// The cover must hold no links itself (a visible ad over a spam block
// would be a link too) and must not be hidden itself. A positioned cover
// counts only when its parent is its containing block (positioned, not
// <body>: a preloader over the page is removed by a script). Stacked
// carousel slides (same tag and a shared class) cover each other by
// design.

// boxInfo is what the cover checks read of an element's declared layout.
type boxInfo struct {
	pos                          string // position keyword
	z                            int
	opaque                       bool
	grid                         bool   // display:grid|inline-grid (a grid container)
	cell                         string // grid placement (row start, column start) or area name
	h, w                         float64
	hSet, wSet                   bool
	hFull, wFull                 bool // 100 %
	top0, bottom0, left0, right0 bool
	marginTop                    float64
	top                          float64 // a relative box's top offset
	stretch                      bool    // a grid item that fills its cell (align-self normal|stretch)
}

// coverSeg records a closed child of a frame: the links and text chunks
// it holds and its box.
type coverSeg struct {
	links0, links1   int
	chunks0, chunks1 int
	box              *boxInfo
	info             *elemInfo
	ord              int // child ordinal
	sel              *pathNode
	covered          bool // already hidden: a page of many covers stays linear
	hidden           bool // the child is hidden itself (covers nothing)
}

// layoutDecls: d sets a declaration the cover checks read.
func layoutDecls(d decls) bool {
	for k := range d {
		if layoutKey(k) {
			return true
		}
	}
	return false
}

func layoutKey(k string) bool {
	switch k {
	case "position", "z-index", "background", "background-color", "background-image", "display",
		"grid-area", "grid-row", "grid-column", "grid-row-start", "grid-column-start", "top", "bottom", "left", "right",
		"width", "height", "min-height", "min-width", "margin-top", "align-self":
		return true
	}
	return false
}

// boxOf merges the layout declarations of matching rules (in specificity
// and source order) and the inline style. It returns nil when nothing
// declares a layout property.
func (w *walker) boxOf(e *elemInfo, inline decls) *boxInfo {
	ms := w.boxRules[:0]
	if w.ss.layoutRules && w.ss.layoutFor(e) {
		add := func(key string) {
			for _, r := range w.ss.byKey[key] {
				if r.layout && r.matches(e, w.anc) {
					ms = append(ms, r)
				}
			}
		}
		if e.id != "" {
			add("#" + e.id)
		}
		for _, c := range e.classes {
			add("." + c)
		}
		add(e.tag)
		add("*")
		for i := 1; i < len(ms); i++ {
			for j := i; j > 0 && (ms[j].spec < ms[j-1].spec || ms[j].spec == ms[j-1].spec && ms[j].order < ms[j-1].order); j-- {
				ms[j], ms[j-1] = ms[j-1], ms[j]
			}
		}
		w.boxRules = ms
	}
	if len(ms) == 0 && !layoutDecls(inline) {
		return nil
	}
	// d reads a property: the inline style, unless only a rule marks it
	// !important; else the last matching rule in cascade order, an
	// !important one first.
	d := func(k string) string {
		v, ok := inline[k]
		if ok && inline["!"+k] != "" {
			return v
		}
		for i := len(ms) - 1; i >= 0; i-- {
			if ms[i].decls["!"+k] != "" {
				return ms[i].decls[k]
			}
		}
		if ok {
			return v
		}
		for i := len(ms) - 1; i >= 0; i-- {
			if v, ok := ms[i].decls[k]; ok {
				return v
			}
		}
		return ""
	}
	if len(ms) == 0 {
		d = func(k string) string { return inline[k] }
	}
	b := &boxInfo{pos: d("position"), stretch: true}
	if z, err := strconv.Atoi(strings.TrimSpace(d("z-index"))); err == nil {
		b.z = z
	}
	b.opaque = opaqueBackground(d)
	switch d("display") {
	case "grid", "inline-grid", "-ms-grid":
		b.grid = true
	}
	b.cell = gridCell(d)
	zero := func(k string) bool { f, ok := parseLen(d(k)); return ok && f == 0 }
	b.top0, b.bottom0, b.left0, b.right0 = zero("top"), zero("bottom"), zero("left"), zero("right")
	size := func(keys ...string) (float64, bool, bool) {
		for _, k := range keys {
			v := d(k)
			if v == "" || v == "auto" {
				continue
			}
			if v == "100%" || v == "100vw" || v == "100vh" {
				return 0, true, true
			}
			if strings.HasSuffix(v, "%") {
				continue
			}
			if n, ok := parseLen(v); ok {
				return n, true, false
			}
		}
		return 0, false, false
	}
	b.h, b.hSet, b.hFull = size("height", "min-height")
	b.w, b.wSet, b.wFull = size("width", "min-width")
	if m, ok := parseLen(d("margin-top")); ok {
		b.marginTop = m
	}
	if b.pos == "relative" {
		if t, ok := parseLen(d("top")); ok {
			b.top = t
		}
	}
	if a := d("align-self"); a != "" && a != "stretch" && a != "normal" && a != "auto" {
		b.stretch = false
	}
	return b
}

// gridCell reads a grid item's placement: the row and column starts, or
// the name of a template area.
func gridCell(d func(string) string) string {
	row, col := d("grid-row-start"), d("grid-column-start")
	if v := d("grid-row"); v != "" {
		row, _, _ = strings.Cut(v, "/")
	}
	if v := d("grid-column"); v != "" {
		col, _, _ = strings.Cut(v, "/")
	}
	if v := d("grid-area"); v != "" {
		parts := strings.Split(v, "/")
		if len(parts) == 1 {
			name := strings.TrimSpace(v)
			if name != "" && name != "auto" && strings.Trim(name, "0123456789-") != "" && !strings.Contains(name, " ") {
				return "area " + name
			}
			row = parts[0]
		} else {
			row, col = parts[0], parts[1]
		}
	}
	row, col = strings.TrimSpace(row), strings.TrimSpace(col)
	if row == "" || col == "" || row == "auto" || col == "auto" || strings.Contains(row+col, "span") {
		return ""
	}
	return row + "," + col
}

// opaqueBackground: an opaque background colour, a gradient whose every
// colour stop is opaque, or an image.
func opaqueBackground(d func(string) string) bool {
	if c := d("background-color"); c != "" && opaqueColor(c) {
		return true
	}
	if img := d("background-image"); strings.Contains(img, "url(") {
		return true
	}
	bg := d("background")
	if bg == "" {
		return false
	}
	if strings.Contains(bg, "url(") {
		return true
	}
	if i := strings.Index(bg, "gradient("); i >= 0 {
		return gradientOpaque(bg[i+len("gradient("):])
	}
	for _, f := range cssFields(bg) {
		if opaqueColor(f) {
			return true
		}
	}
	return false
}

// gradientOpaque: every colour stop of the gradient's arguments is
// opaque (the first argument may be a direction or shape).
func gradientOpaque(args string) bool {
	if end := matchParen("("+args, 0); end > 0 && end <= len(args) {
		args = args[:end-1]
	}
	n := 0
	for i, a := range cssArgs(args) {
		f := cssFields(a)
		if len(f) == 0 {
			return false
		}
		if c := parseColor(f[0]); c.ok || c.transparent {
			if !opaqueColor(f[0]) {
				return false
			}
			n++
			continue
		}
		if i > 0 {
			return false
		}
	}
	return n >= 1
}

// coverFits: the cover's box spans the covered one in one axis: both
// edges at 0, or one at 0 with a full or large enough size.
func coverFits(lo, hi, full, set bool, size, need, screen float64) bool {
	if lo && hi {
		return true
	}
	if !lo && !hi {
		return false
	}
	return full || set && (need > 0 && size >= need || size >= screen)
}

// coverSegs runs when child f of parent p closes: it records f when it
// holds links or could cover, and hides what f covers or what covers f.
func (w *walker) coverSegs(f, p *frame) {
	// Every cover needs a declared layout on the parent (a containing
	// block, a grid) or on the covered child (a height).
	if p == nil || p.c.hidden != "" || f.box == nil && p.box == nil {
		return
	}
	links1 := len(w.p.links)
	hasLinks := links1 > f.links0
	if !hasLinks && (f.box == nil || !f.box.opaque) {
		return
	}
	w.flush()
	seg := coverSeg{links0: f.links0, links1: links1, chunks0: f.chunks0, chunks1: len(w.p.chunks), box: f.box, info: f.info, ord: p.children, sel: f.c.path,
		hidden: f.c.hidden != ""}
	cb := w.containingBlock(p)
	if hasLinks && cb {
		// An earlier positioned opaque box (a picture laid over the block)
		// paints above later children that are not positioned, or are
		// positioned lower.
		for i := range p.segs {
			s := &p.segs[i]
			if s.links1 != s.links0 || s.hidden || s.box == nil || !s.box.opaque || sameKind(s.info, f.info) {
				continue
			}
			if fb := f.box; fb != nil && fb.pos != "" && fb.pos != "static" && fb.z >= s.box.z {
				continue
			}
			if why := covers(p, &seg, s.box, seg.ord+1, true); why != "" && strings.HasPrefix(why, "covered by a later opaque box positioned") {
				w.coverHide(seg, "covered by an opaque box positioned over it before it (position:"+s.box.pos+")")
				seg.covered = true
				break
			}
		}
	}
	if hasLinks {
		// An earlier opaque grid item with a higher z-index in the same cell.
		if pb := p.box; pb != nil && pb.grid && f.box != nil && f.box.cell != "" {
			for i := range p.segs {
				s := &p.segs[i]
				if s.links1 == s.links0 && s.box != nil && s.box.opaque && s.box.cell == f.box.cell && s.box.z > f.box.z && s.box.stretch {
					w.coverHide(seg, "covered by an opaque grid item placed in the same cell with a higher z-index")
					break
				}
			}
		}
	} else if f.c.hidden == "" {
		for i := range p.segs {
			s := &p.segs[i]
			if s.links1 == s.links0 || s.covered || sameKind(s.info, f.info) {
				continue
			}
			if why := covers(p, s, f.box, seg.ord, cb); why != "" {
				w.coverHide(*s, why)
				s.covered = true
			}
		}
	}
	if len(p.segs) < 32 {
		p.segs = append(p.segs, seg)
	}
}

// covers reports how box c (a later child, ordinal ord) covers segment s.
func covers(p *frame, s *coverSeg, c *boxInfo, ord int, cb bool) string {
	sb := s.box
	sz := 0
	if sb != nil {
		sz = sb.z
	}
	// An earlier grid item in the same cell.
	if p.box != nil && p.box.grid && c.cell != "" && sb != nil && sb.cell == c.cell && c.z >= sz && c.stretch &&
		(!c.hSet || !sb.hSet || c.h >= sb.h) {
		return "covered by an opaque grid item placed later in the same cell (grid-area " + c.cell + ")"
	}
	needH, needW := 0.0, 0.0
	if sb != nil && sb.hSet && !sb.hFull {
		needH = sb.h
	}
	if sb != nil && sb.wSet && !sb.wFull {
		needW = sb.w
	}
	if pb := p.box; pb != nil {
		if needH == 0 && pb.hSet && !pb.hFull {
			needH = pb.h
		}
		if needW == 0 && pb.wSet && !pb.wFull {
			needW = pb.w
		}
	}
	positioned := c.pos == "absolute" || c.pos == "fixed"
	// The parent is the containing block: a cover over the page (a
	// preloader) or the viewport's top is not judged.
	if positioned && c.z >= 0 && cb && (sb == nil || sb.pos == "" || sb.pos == "static" || sz <= c.z) &&
		coverFits(c.top0, c.bottom0, c.hFull, c.hSet, c.h, needH, 768) &&
		coverFits(c.left0, c.right0, c.wFull, c.wSet, c.w, needW, coverPageWidth) {
		return "covered by a later opaque box positioned over it (position:" + c.pos + ")"
	}
	// A positioned block pulled up over its previous sibling, by a
	// negative margin or a relative offset.
	if (c.pos == "relative" || positioned) && c.z >= sz && c.marginTop < 0 && s.ord == ord-1 && sb != nil && sb.hSet && !sb.hFull &&
		-c.marginTop >= sb.h && c.hSet && c.h >= sb.h {
		return "covered by an opaque block pulled over it by a negative margin (margin-top:" + strconv.FormatFloat(c.marginTop, 'f', -1, 64) + "px)"
	}
	if c.pos == "relative" && c.z >= sz && c.top < 0 && s.ord == ord-1 && sb != nil && sb.hSet && !sb.hFull &&
		-c.top >= sb.h && c.hSet && c.h >= sb.h {
		return "covered by an opaque block moved over it by a relative offset (top:" + strconv.FormatFloat(c.top, 'f', -1, 64) + "px)"
	}
	return ""
}

// coverHide marks the links and text of segment s hidden.
func (w *walker) coverHide(s coverSeg, why string) {
	for i := s.links0; i < s.links1 && i < len(w.p.links); i++ {
		if l := &w.p.links[i]; l.hidden == "" {
			l.hidden, l.hideSel = why, s.sel
		}
	}
	for i := s.chunks0; i < s.chunks1 && i < len(w.p.chunks); i++ {
		if c := &w.p.chunks[i]; c.hidden == "" {
			c.hidden, c.hideSel = why, s.sel
		}
	}
}

func bodyLike(a atom.Atom) bool { return a == atom.Body || a == atom.Html || a == atom.Head }

// sameKind: stacked slides of one carousel share tag and a class.
func sameKind(a, b *elemInfo) bool {
	if a == nil || b == nil || a.tag != b.tag {
		return false
	}
	for _, x := range a.classes {
		for _, y := range b.classes {
			if x == y {
				return true
			}
		}
	}
	return false
}

// layoutFor: a rule that sets a layout declaration is keyed by one of the
// element's id, classes or tag (or by *).
func (ss *styleSheet) layoutFor(e *elemInfo) bool {
	if ss.layoutKeys["*"] || ss.layoutKeys[e.tag] || e.id != "" && ss.layoutKeys["#"+e.id] {
		return true
	}
	for _, c := range e.classes {
		if ss.layoutKeys["."+c] {
			return true
		}
	}
	return false
}

// containingBlock: the parent, or an ancestor up to three levels above
// it, is positioned (and is not <body>): an absolutely positioned child
// is laid out over that box, which holds its siblings. With a farther
// ancestor the box's size is unknown, so only covers that span it
// (edges at 0, 100 %) count (the parent's declared size is then not used).
func (w *walker) containingBlock(p *frame) bool {
	if positionedFrame(p) {
		return true
	}
	n := 0
	for i := len(w.stack) - 1; i >= 0 && n < 4; i-- {
		f := w.stack[i]
		if f == p {
			continue
		}
		n++
		if bodyLike(f.a) || f.c.hidden != "" {
			return false
		}
		if positionedFrame(f) {
			return true
		}
	}
	return false
}

func positionedFrame(f *frame) bool {
	return f != nil && f.box != nil && f.box.pos != "" && f.box.pos != "static" && !bodyLike(f.a)
}

// coverPageWidth: a cover at least this wide spans a box whose width is
// not declared (the classic 960 px page column; the assumed screen is
// wider, but content columns are not).
const coverPageWidth = 960
