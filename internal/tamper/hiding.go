package tamper

import (
	"bytes"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html/atom"
)

// Hiding that is not a CSS declaration on the element: elements browsers
// never render (or render without their content), attribute tricks, links
// with nothing to click, and content that scripts hide or write only for
// spiders. Each is a way 暗链 write-ups describe for giving a spider links
// a visitor never sees (see docs/tamper.md).

// rawHidden lists elements whose content the tokenizer returns as raw text
// but a spider may read as markup, while browsers (with scripting on)
// never show it.
func rawHidden(a atom.Atom) bool {
	switch a {
	case atom.Noscript, atom.Noembed, atom.Noframes, atom.Iframe:
		return true
	}
	return false
}

// elementHides reports hiding that comes from the element itself rather
// than from CSS: unrendered elements, closed <details>/<dialog>, fallback
// content, tiny SVG/object boxes, SVG presentation attributes, marquees
// that are too small or too fast to read, and links styled as plain text.
func (w *walker) elementHides(a atom.Atom, name string, inline decls, c ctx) (prop, reason string) {
	switch a {
	case atom.Details:
		if _, open := w.attrs.get("open"); !open {
			return "details", "inside a closed <details>"
		}
	case atom.Dialog:
		if _, open := w.attrs.get("open"); !open {
			return "display", "inside a closed <dialog>"
		}
	case atom.Canvas, atom.Video, atom.Audio, atom.Progress, atom.Meter:
		return "display", "fallback content of <" + name + "> (never shown by current browsers)"
	case atom.Svg, atom.Object:
		wd, ht := w.attrs.val("width"), w.attrs.val("height")
		if wd != "" && lenAtMost(wd, 1) || ht != "" && lenAtMost(ht, 1) {
			return "height", "inside a tiny <" + name + "> (width=" + wd + " height=" + ht + ")"
		}
	case atom.Marquee:
		if n, err := strconv.Atoi(strings.TrimSpace(w.attrs.val("scrollamount"))); err == nil && n >= 500 {
			return "height", "inside a <marquee> scrolling too fast to read (scrollamount=" + strconv.Itoa(n) + ")"
		}
	case atom.A:
		if why := disguisedLink(inline, c); why != "" {
			return "disguise", "link styled as plain text (" + why + ")"
		}
	}
	if _, ok := w.attrs.get("popover"); ok && !w.popoverOpened() {
		return "display", "inside a popover no control opens (hidden until shown)"
	}
	if c.inSVG && c.path != nil && strings.HasPrefix(c.path.sig, "switch") {
		if why := switchBranchOff(w.attrs); why != "" {
			return "display", "SVG <switch> branch " + why
		}
	}
	switch name {
	case "defs", "symbol", "clippath", "mask", "pattern", "marker":
		if c.inSVG {
			return "display", "inside SVG <" + name + "> (not rendered)"
		}
	case "foreignobject":
		// SVG clips a foreignObject's HTML to its box.
		wd, ht := w.attrs.val("width"), w.attrs.val("height")
		if c.inSVG && (wd == "" || lenAtMost(wd, 1) || ht == "" || lenAtMost(ht, 1)) {
			return "height", "inside a zero-size SVG <foreignObject> (width=" + wd + " height=" + ht + ")"
		}
	case "text", "tspan":
		if c.inSVG && noPaint(w.attrs) {
			return "opacity", "SVG <" + name + "> painted with neither fill nor stroke"
		}
		if c.inSVG {
			if why := c.svgBox.outside(w.attrs.val("x"), w.attrs.val("y")); why != "" {
				return "position", "SVG <" + name + "> " + why
			}
		}
	}
	if c.inSVG || a == atom.Svg {
		if strings.EqualFold(strings.TrimSpace(w.attrs.val("display")), "none") {
			return "display", "SVG display=\"none\""
		}
		if v := strings.ToLower(strings.TrimSpace(w.attrs.val("visibility"))); v == "hidden" || v == "collapse" {
			return "visibility", "SVG visibility=\"hidden\""
		}
	}
	return "", ""
}

// popoverOpened reports whether the document has a control (a button
// with popovertarget) that opens the popover being entered.
func (w *walker) popoverOpened() bool {
	id := w.attrs.val("id")
	if id == "" || w.doc == nil {
		return false
	}
	for _, q := range []string{`popovertarget="` + id + `"`, `popovertarget='` + id + `'`, `popovertarget=` + id + ` `, `popovertarget=` + id + `>`} {
		if bytes.Contains(w.doc, []byte(q)) {
			return true
		}
	}
	return false
}

// switchBranchOff reports a child of an SVG <switch> whose conditions
// fail for a Chinese or English visitor: a systemLanguage naming neither,
// or required extensions (no browser claims any).
func switchBranchOff(attrs attrList) string {
	if v, ok := attrs.get("systemlanguage"); ok {
		on := false
		for _, l := range strings.Split(strings.ToLower(v), ",") {
			l = strings.TrimSpace(l)
			if l == "zh" || l == "en" || strings.HasPrefix(l, "zh-") || strings.HasPrefix(l, "en-") {
				on = true
			}
		}
		if !on {
			return "for language " + strings.TrimSpace(v)
		}
	}
	if v, ok := attrs.get("requiredextensions"); ok && strings.TrimSpace(v) != "" {
		return "requiring extension " + strings.TrimSpace(v)
	}
	return ""
}

// noPaint: SVG text with a fill of no opacity (or none) and no stroke.
func noPaint(attrs attrList) bool {
	fill := strings.ToLower(strings.TrimSpace(attrs.val("fill")))
	noFill := fill == "none" || fill == "transparent"
	if v, ok := attrs.get("fill-opacity"); ok {
		if f, ok := parseOpacity(v); ok && f <= 0.05 {
			noFill = true
		}
	}
	if v, ok := attrs.get("opacity"); ok {
		if f, ok := parseOpacity(v); ok && f <= 0.05 {
			return true
		}
	}
	stroke := strings.ToLower(strings.TrimSpace(attrs.val("stroke")))
	return noFill && (stroke == "" || stroke == "none" || stroke == "transparent")
}

// svgViewport is the visible user-space rectangle of an <svg>.
type svgViewport struct {
	x, y, w, h float64
	ok         bool
}

// svgViewport reads the viewBox of the <svg> being entered, else its
// width and height (user units are pixels then).
func (w *walker) svgViewport() svgViewport {
	if vb := strings.FieldsFunc(w.attrs.val("viewbox"), func(r rune) bool { return r == ' ' || r == ',' }); len(vb) == 4 {
		var v [4]float64
		for i, s := range vb {
			f, err := strconv.ParseFloat(s, 64)
			if err != nil {
				return svgViewport{}
			}
			v[i] = f
		}
		return svgViewport{v[0], v[1], v[2], v[3], v[2] > 0 && v[3] > 0}
	}
	wd, ok1 := parseLen(w.attrs.val("width"))
	ht, ok2 := parseLen(w.attrs.val("height"))
	if !ok1 || !ok2 || strings.HasSuffix(w.attrs.val("width"), "%") || strings.HasSuffix(w.attrs.val("height"), "%") {
		return svgViewport{}
	}
	return svgViewport{0, 0, wd, ht, wd > 0 && ht > 0}
}

// outside reports SVG text whose anchor point puts it out of the
// viewport, which clips it: its baseline at or above the top edge (the
// glyphs are drawn above the baseline), more than a line below the
// bottom, or starting beyond the right edge.
func (b svgViewport) outside(xs, ys string) string {
	if !b.ok {
		return ""
	}
	first := func(s string) (float64, bool) {
		f := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' })
		if len(f) == 0 {
			return 0, false
		}
		v, err := strconv.ParseFloat(f[0], 64)
		return v, err == nil
	}
	if y, ok := first(ys); ok && (y <= b.y || y > b.y+b.h+rootFont) {
		return "placed outside the SVG viewport (y=" + ys + ")"
	}
	if x, ok := first(xs); ok && x >= b.x+b.w {
		return "placed outside the SVG viewport (x=" + xs + ")"
	}
	return ""
}

// unhidesSummary: the <summary> of a closed <details> stays visible.
func unhidesSummary(a atom.Atom, c ctx, parent *frame) bool {
	return a == atom.Summary && parent != nil && parent.a == atom.Details && c.hideProp == "details" && c.hideSel == parent.c.path
}

// hiddenFragment walks markup a spider reads but browsers do not render
// (the raw content of <noscript>, <noembed>, <noframes>, <iframe>) as if it
// stood there, hidden.
func (w *walker) hiddenFragment(s string, f *frame, reason string) {
	if f.c.scriptLvl > 2 || strings.TrimSpace(s) == "" {
		return
	}
	sc := f.c
	if sc.hidden == "" || sc.generic {
		sc.hidden, sc.hideSel, sc.hideProp, sc.generic = reason, f.c.path, "display", true
	}
	sc.scriptLvl++
	sc.fragment = true
	sc.sel = f.c.path
	w.walkFragment([]byte(s), sc, false)
}

// walkFragment streams a fragment in a context of its own so that its
// elements close at its end. With keep (markup written by a script), a
// hiding element the fragment leaves open stays open on the page, as
// document.write("<div style=display:none>") … document.write("</div>")
// does in a browser, and an end tag the fragment cannot match closes such
// an element.
func (w *walker) walkFragment(data []byte, sc ctx, keep bool) {
	saved := w.stack
	w.stack = append([]*frame(nil), w.stack...)
	w.stack = append(w.stack, &frame{name: "#fragment", info: &elemInfo{tag: "#fragment"}, c: sc, link: -1})
	w.anc = append(w.anc, &elemInfo{tag: "#fragment"})
	bottom := len(w.stack)
	w.flush()
	prevKeep, prevStray := w.keep, w.strayEnds
	w.keep, w.kept, w.strayEnds = keep, nil, nil
	w.fragBottom = append(w.fragBottom, bottom)
	w.stream(data, sc)
	w.fragBottom = w.fragBottom[:len(w.fragBottom)-1]
	kept, stray := w.kept, w.strayEnds
	w.keep, w.kept, w.strayEnds = prevKeep, nil, prevStray
	w.flush()
	w.stack = saved
	w.anc = w.anc[:len(saved)]
	for _, name := range stray {
		if t := w.top(); t != nil && t.scriptOpened && t.name == name {
			w.pop()
		}
	}
	if kept != nil && len(w.stack) < maxDepth {
		f := w.newFrame()
		f.a, f.name, f.info, f.link, f.scriptOpened = kept.a, kept.name, kept.info, -1, true
		f.c = kept.c
		f.c.viaScript, f.c.obfuscated, f.c.scriptLvl, f.c.generic = false, false, w.cur(ctx{}).scriptLvl, false
		w.stack = append(w.stack, f)
		w.anc = append(w.anc, f.info)
	}
}

// keptOpen copies the outermost element of a script-written fragment that
// hides its content by itself and is still open at the fragment's end.
func (w *walker) keptOpen(bottom int) *frame {
	for _, f := range w.stack[bottom:] {
		if f.c.hidden != "" && !f.c.generic && f.c.hideSel == f.c.path {
			cp := *f
			return &cp
		}
	}
	return nil
}

// tinyImage reports an <img> drawn at most 2×2 pixels.
func (w *walker) tinyImage(inline decls) bool {
	for _, v := range []string{w.attrs.val("width"), w.attrs.val("height"), inline["width"], inline["height"]} {
		if v != "" && lenAtMost(v, 2) {
			return true
		}
	}
	return false
}

// invisibleAnchor decides at </a> whether a link had anything to see: no
// text, and either only ≤2px images or nothing at all (and no class or id a
// stylesheet could give an icon).
func invisibleAnchor(f *frame, l *linkRef) string {
	if l.hidden != "" || strings.TrimSpace(l.text) != "" || f.bigImages > 0 {
		return ""
	}
	if f.tinyImages > 0 {
		return "its only content is a tiny image"
	}
	if f.childElems == 0 && f.info != nil && f.info.id == "" && len(f.info.classes) == 0 {
		return "an empty link (nothing to click)"
	}
	return ""
}

// speckAnchor reports a link whose only content is one or two thin marks
// (a hyphen, a dot, a comma …) or invisible characters: a few pixels of ink a visitor takes for
// punctuation, while a spider follows the link. Arrows, digits and
// letters (pagination "»", "1", a font-size "A") are not specks, and a
// link with an image or a class (an icon) is not either; only links to
// foreign hosts are ever reported.
func speckAnchor(f *frame, l *linkRef) string {
	if l.hidden != "" || f.bigImages > 0 || f.tinyImages > 0 || f.childElems > 0 {
		return ""
	}
	t := strings.TrimFunc(l.text, func(r rune) bool { return unicode.IsSpace(r) || r == '\u00a0' || isInvisible(r) })
	if t == "" && l.text != "" {
		return "its only text is invisible characters"
	}
	if t == "" || utf8.RuneCountInString(t) > 2 {
		return ""
	}
	for _, r := range t {
		if !speckRune(r) {
			return ""
		}
	}
	return "its only text is a thin mark (\"" + t + "\"), too small to notice"
}

// speckRune: marks a few pixels wide that read as punctuation.
func speckRune(r rune) bool {
	switch r {
	case '-', '.', ',', '_', '\'', '`', '|', ':', ';', '~', '·', '、', '。', '，', '．', '‐', '‑', '–', '¸', '˙', '･', '・', '－':
		return true
	}
	return false
}

// frameDocument walks the document a frame carries inline (srcdoc, or a
// data:text/html URL): hidden when the frame is, visible otherwise.
func (w *walker) frameDocument(sel *pathNode, c ctx, inline decls) {
	doc := w.attrs.val("srcdoc")
	if doc == "" {
		src := w.attrs.val("src")
		if src == "" {
			src = w.attrs.val("data")
		}
		doc = dataHTML(src)
		if doc == "" {
			doc = javascriptURLDoc(src)
		}
	}
	if doc == "" || c.scriptLvl > 2 {
		return
	}
	sc := c
	if sc.hidden == "" {
		wd, ht := w.attrs.val("width"), w.attrs.val("height")
		if wd == "" {
			wd = inline["width"]
		}
		if ht == "" {
			ht = inline["height"]
		}
		if wd != "" && lenAtMost(wd, 2) || ht != "" && lenAtMost(ht, 2) {
			sc.hidden, sc.hideSel, sc.hideProp = "inside a zero-size frame's inline document", sel, "display"
		}
	}
	sc.scriptLvl++
	sc.fragment = true
	sc.sel, sc.path = sel, sel
	w.walkFragment([]byte(doc), sc, false)
}

// dataHTML decodes a data:text/html URL, "" for anything else.
func dataHTML(src string) string {
	src = strings.TrimSpace(src)
	if len(src) < 15 || !strings.EqualFold(src[:14], "data:text/html") {
		return ""
	}
	meta, payload, ok := strings.Cut(src[5:], ",")
	if !ok {
		return ""
	}
	if strings.Contains(strings.ToLower(meta), ";base64") {
		return decodeBase64(payload)
	}
	return percentDecode(payload)
}

// javascriptURLDoc returns the document a javascript: URL whose code is
// one string literal gives a frame: the string itself.
func javascriptURLDoc(src string) string {
	src = strings.TrimSpace(src)
	if len(src) < 13 || !strings.EqualFold(src[:11], "javascript:") {
		return ""
	}
	code := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(percentDecode(src[11:])), ";"))
	if len(code) < 2 || (code[0] != '\'' && code[0] != '"' && code[0] != '`') || code[len(code)-1] != code[0] {
		return ""
	}
	body := code[1 : len(code)-1]
	if strings.ContainsRune(body, rune(code[0])) && !strings.Contains(body, "\\"+code[:1]) {
		return "" // not a single literal
	}
	return strings.ReplaceAll(body, "\\"+code[:1], code[:1])
}

// imageReplaced reports the image-replacement idiom: text pushed away or
// shrunk on an element that shows a background image instead (an icon
// link). The link is visible as the image.
func imageReplaced(d decls) bool {
	return strings.Contains(d["background"], "url(") || strings.Contains(d["background-image"], "url(")
}

// weakHide lists hiding a visitor can undo (open a <details>, run without
// JavaScript): legitimate pages put the odd external link there, so such
// links count only in numbers or with spam wording.
func weakHide(reason string) bool {
	for _, p := range weakHides {
		if strings.HasPrefix(reason, p) {
			return true
		}
	}
	return false
}

// weakHides: besides what a visitor can open or a script removes (an
// old-browser tip), fallback content often links to a player or browser
// download, or to the frame's own target.
var weakHides = []string{removedByScript, "inside <noscript>", "inside <noembed>", "inside <noframes>", "inside <iframe>",
	"fallback content of", "inside a closed <details>", "inside a closed <dialog>"}

// escapedAlnum counts letters and digits written as \xHH or \u00HH: JSON
// serialisers escape <, > and & that way, only obfuscators escape words.
func escapedAlnum(code string) int {
	n := 0
	for i := 0; i+3 < len(code); i++ {
		if code[i] != '\\' {
			continue
		}
		var hex string
		switch {
		case code[i+1] == 'x':
			hex = code[i+2 : i+4]
		case code[i+1] == 'u' && i+5 < len(code) && code[i+2:i+4] == "00":
			hex = code[i+4 : i+6]
		default:
			continue
		}
		v, err := strconv.ParseUint(hex, 16, 8)
		if err == nil && ('0' <= v && v <= '9' || 'a' <= v && v <= 'z' || 'A' <= v && v <= 'Z') {
			n++
		}
	}
	return n
}

// disguisedLink reports a link made to look like the text around it: no
// underline, and a text cursor or the colour of the surrounding text
// (inherit/currentColor, the declared colour of its parent, or the
// near-black grey of body text when the parent declares none). Browsers
// draw links blue and underlined, so a visitor reads it as plain text
// whatever the cursor does on hover.
func disguisedLink(inline decls, c ctx) string {
	if all := inline["all"]; all == "unset" || all == "inherit" || all == "initial" {
		if _, col := inline["color"]; !col {
			if _, d := inline["text-decoration"]; !d {
				return "all:" + all + " (no underline, colour of the surrounding text)"
			}
		}
	}
	deco := inline["text-decoration"]
	if deco == "" {
		deco = inline["text-decoration-line"]
	}
	// An underline drawn in a transparent colour or zero thick is none.
	if !strings.HasPrefix(deco, "none") && !decorationInvisible(deco, inline) {
		return ""
	}
	if cur := inline["cursor"]; cur == "text" || cur == "default" {
		return "no underline, text cursor"
	}
	col := strings.TrimSpace(strings.TrimSuffix(inline["color"], "!important"))
	switch {
	case col == "":
		return ""
	case col == "inherit" || col == "currentcolor" || col == "unset":
		return "no underline, colour of the surrounding text"
	case col == "canvastext" || col == "initial":
		col = "#000" // the default text colour
	}
	v := parseColor(col)
	if !v.ok {
		return ""
	}
	if c.color.ok {
		if sameColor(v, c.color) {
			return "no underline, colour of the surrounding text"
		}
		return ""
	}
	hi, lo := max(v.r, v.g, v.b), min(v.r, v.g, v.b)
	if hi <= 0x66 && hi-lo <= 0x10 {
		return "no underline, body-text grey " + col
	}
	return ""
}

// decorationInvisible: an underline in a transparent colour
// (text-decoration:underline transparent, text-decoration-color) or of no
// thickness.
func decorationInvisible(deco string, inline decls) bool {
	for _, f := range cssFields(deco) {
		if c := parseColor(f); c.transparent {
			return true
		}
	}
	if c := inline["text-decoration-color"]; c != "" && parseColor(c).transparent {
		return true
	}
	if t := inline["text-decoration-thickness"]; t != "" {
		if n, ok := parseLen(t); ok && n == 0 {
			return true
		}
	}
	return false
}
