package tamper

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"

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
	case atom.Canvas, atom.Video, atom.Audio:
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
		deco, cur := inline["text-decoration"], inline["cursor"]
		if strings.HasPrefix(deco, "none") && (cur == "text" || cur == "default") {
			return "disguise", "link styled as plain text (no underline, text cursor)"
		}
	}
	switch name {
	case "defs", "symbol", "clippath", "mask", "pattern", "marker":
		if c.inSVG {
			return "display", "inside SVG <" + name + "> (not rendered)"
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

var (
	reUseMap = regexp.MustCompile(`(?i)usemap\s*=\s*["']?#?([^"'\s>]+)`)
	// Script statements that hide an element picked by id or class.
	reHideByID = regexp.MustCompile(`(?:getElementById|querySelector)\(\s*["']#?([\w-]+)["']\s*\)\s*\.\s*(?:style\s*\.\s*(?:display|visibility)\s*=\s*["'](?:none|hidden)["']|style\s*\.\s*cssText\s*=\s*["'][^"']*(?:display\s*:\s*none|visibility\s*:\s*hidden)|setAttribute\(\s*["'](?:hidden|style)["'](?:\s*,\s*["'](?:[^"']*display\s*:\s*none[^"']*)?["'])?|hidden\s*=\s*(?:true|!0)|style\s*\.\s*setProperty\(\s*["'](?:display|visibility)["']\s*,\s*["'](?:none|hidden)["']|style\s*\[\s*["'](?:display|visibility)["']\s*\]\s*=\s*["'](?:none|hidden)["'])`)
	// Statements that take an element out of the page for visitors.
	reRemoveByID = regexp.MustCompile(`(?:getElementById|querySelector)\(\s*["']#?([\w-]+)["']\s*\)\s*\.\s*(?:remove\(\s*\)|(?:inner|outer)HTML\s*=\s*(?:""|''))|removeChild\(\s*document\s*\.\s*getElementById\(\s*["']([\w-]+)["']\s*\)\s*\)`)
	reJQRemove   = regexp.MustCompile(`(?:\$|jQuery)\(\s*["']([#.][\w-]+)["']\s*\)\s*\.\s*(?:remove\(\s*\)|empty\(\s*\)|html\(\s*(?:""|'')\s*\))`)
	// Statements that give an element a class the stylesheet hides.
	reClassSet  = regexp.MustCompile(`(?:getElementById|querySelector)\(\s*["']#?([\w-]+)["']\s*\)\s*\.\s*(?:className\s*=\s*["']([\w\s-]+)["']|classList\s*\.\s*add\(\s*["']([\w-]+)["'])|(?:\$|jQuery)\(\s*["']#([\w-]+)["']\s*\)\s*\.\s*addClass\(\s*["']([\w\s-]+)["']`)
	reHideByAll = regexp.MustCompile(`document\s*\.\s*all(?:\s*\.\s*([\w-]+)|\[\s*["']([\w-]+)["']\s*\])\s*\.\s*style\s*\.\s*(?:display|visibility)\s*=\s*["'](?:none|hidden)["']`)
	reJQCSSObj  = regexp.MustCompile(`(?:\$|jQuery)\(\s*["']([#.][\w-]+)["']\s*\)\s*\.\s*css\(\s*\{[^}]*["']?(?:display|visibility)["']?\s*:\s*["'](?:none|hidden)["']`)
	reVarByID   = regexp.MustCompile(`([\w$]+)\s*=\s*document\s*\.\s*(?:getElementById|querySelector)\(\s*["']#?([\w-]+)["']\s*\)`)
	reJQHide    = regexp.MustCompile(`(?:\$|jQuery)\(\s*["']([#.][\w-]+)["']\s*\)\s*\.\s*(?:hide\(\s*\)|css\(\s*["'](?:display|visibility)["']\s*,\s*["'](?:none|hidden)["']\s*\))`)
	reJQShow    = regexp.MustCompile(`(?:\$|jQuery)\(\s*["']([#.][\w-]+)["']\s*\)\s*\.\s*(?:show|fadeIn|slideDown)\(`)
	reShowByID  = regexp.MustCompile(`getElementById\(\s*["']([\w-]+)["']\s*\)\s*\.\s*style\s*\.\s*display\s*=\s*["'](?:block|inline|flex|)["']`)
	reVarHide   = regexp.MustCompile(`(?:^|[^\w$.])([\w$]+)\s*\.\s*style\s*\.\s*(?:display|visibility)\s*=\s*["'](?:none|hidden)["']`)
)

// collectScriptHides reads inline scripts before the walk, like
// collectCSS: a script after an element may hide it
// (document.getElementById("x").style.display="none", $("#x").hide()).
// Each such statement becomes a stylesheet rule; an element the scripts
// show again is left alone.
func (w *walker) collectScriptHides(data []byte) {
	if hasHideAPI(data) {
		w.scanScriptHides(data)
	}
	if bytes.Contains(data, []byte("semap")) || bytes.Contains(data, []byte("SEMAP")) {
		for _, m := range reUseMap.FindAllSubmatch(data, -1) {
			if w.usemaps == nil {
				w.usemaps = map[string]bool{}
			}
			w.usemaps[strings.ToLower(string(m[1]))] = true
		}
	}
}

// hideAPIs are the calls scriptHides understands; a page using none of
// them skips the pre-pass (a few fast substring searches).
var hideAPIs = [][]byte{[]byte("getElementById"), []byte("querySelector"), []byte("$("), []byte("jQuery("), []byte("document.all")}

func hasHideAPI(data []byte) bool {
	for _, api := range hideAPIs {
		if bytes.Contains(data, api) {
			return true
		}
	}
	return false
}

func (w *walker) scanScriptHides(data []byte) {
	for off := 0; off < len(data); {
		i := indexFold(data[off:], "<script")
		if i < 0 {
			break
		}
		i += off
		gt := indexByteFrom(data, i, '>')
		if gt < 0 {
			break
		}
		end := indexFold(data[gt+1:], "</script")
		if end < 0 {
			end = len(data) - gt - 1
		}
		code := data[gt+1 : gt+1+end]
		off = gt + 1 + end
		if len(code) == 0 || !hideHint(code) {
			continue
		}
		w.scriptHides(string(code))
	}
}

// hideHints: words one of the hiding statements must contain.
var hideHints = []string{"none", "hid", "remove", "empty", "HTML", "class", "Class", "html("}

func hideHint(code []byte) bool {
	for _, h := range hideHints {
		if bytes.Contains(code, []byte(h)) {
			return true
		}
	}
	return false
}

func indexByteFrom(data []byte, from int, c byte) int {
	for j := from; j < len(data); j++ {
		if data[j] == c {
			return j
		}
	}
	return -1
}

// maxHideScan bounds the script text searched for hiding statements and
// maxScriptHides the rules they add: hostile pages must not make the
// pre-pass cost more than the walk.
const (
	maxHideScan    = 256 << 10
	maxScriptHides = 256
)

func (w *walker) scriptHides(code string) {
	if len(code) > maxHideScan {
		code = code[:maxHideScan]
	}
	if !strings.Contains(code, "getElementById") && !strings.Contains(code, "querySelector") &&
		!strings.Contains(code, "$(") && !strings.Contains(code, "jQuery(") && !strings.Contains(code, "document.all") {
		return
	}
	shown := map[string]bool{}
	for _, m := range reJQShow.FindAllStringSubmatch(code, -1) {
		shown[m[1]] = true
	}
	for _, m := range reShowByID.FindAllStringSubmatch(code, -1) {
		shown["#"+m[1]] = true
	}
	var sels []string
	for _, m := range reHideByID.FindAllStringSubmatch(code, -1) {
		sels = append(sels, "#"+m[1])
	}
	for _, m := range reJQHide.FindAllStringSubmatch(code, -1) {
		sels = append(sels, m[1])
	}
	for _, m := range reJQCSSObj.FindAllStringSubmatch(code, -1) {
		sels = append(sels, m[1])
	}
	for _, m := range reHideByAll.FindAllStringSubmatch(code, -1) {
		sels = append(sels, "#"+m[1]+m[2])
	}
	if byVar := reVarByID.FindAllStringSubmatch(code, -1); len(byVar) > 0 {
		hiddenVars := map[string]bool{}
		for _, m := range reVarHide.FindAllStringSubmatch(code, -1) {
			hiddenVars[m[1]] = true
		}
		for _, m := range byVar {
			if hiddenVars[m[1]] {
				sels = append(sels, "#"+m[2])
			}
		}
	}
	type hide struct{ sel, prop, reason string }
	var hides []hide
	for _, sel := range sels {
		hides = append(hides, hide{sel, "display", "display:none set by a script"})
	}
	for _, m := range reRemoveByID.FindAllStringSubmatch(code, -1) {
		hides = append(hides, hide{"#" + m[1] + m[2], "display", removedByScript})
	}
	for _, m := range reJQRemove.FindAllStringSubmatch(code, -1) {
		hides = append(hides, hide{m[1], "display", removedByScript})
	}
	for _, m := range reClassSet.FindAllStringSubmatch(code, -1) {
		id, classes := m[1]+m[4], m[2]+m[3]+m[5]
		for _, cl := range strings.Fields(classes) {
			if prop, reason := w.ss.classHides(cl); prop != "" {
				hides = append(hides, hide{"#" + id, prop, reason + " (class ." + cl + " set by a script)"})
				break
			}
		}
	}
	for _, h := range hides {
		if shown[h.sel] || w.scriptHidden[h.sel] || len(w.scriptHidden) >= maxScriptHides {
			continue
		}
		if w.scriptHidden == nil {
			w.scriptHidden = map[string]bool{}
		}
		w.scriptHidden[h.sel] = true
		w.ss.addRule(h.sel, decls{"display": "none"}, h.prop, h.reason)
	}
}

// CSS values that hide beyond the basic declarations in hideReason.
func moreHideReason(d decls) (prop, reason string) {
	if f := strings.ReplaceAll(d["filter"], " ", ""); f != "" && (strings.Contains(f, "opacity(0)") || strings.Contains(f, "opacity(0%)")) {
		return "opacity", "filter:opacity(0)"
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
	// A carousel track (Swiper, Slick, Owl) is translated by whole slides,
	// with a transition or a width of several slides: it is not hiding.
	_, animated := d["transition"]
	if _, ok := d["transition-duration"]; ok {
		animated = true
	}
	wide := !lenAtMost(d["width"], 2000) && d["width"] != ""
	for _, k := range []string{"transform", "-webkit-transform", "-ms-transform", "-moz-transform"} {
		if animated || wide {
			break
		}
		if why := transformHides(d[k]); why != "" {
			return "transform", k + ":" + d[k] + " (" + why + ")"
		}
	}
	if cp := strings.ReplaceAll(d["clip-path"], " ", ""); strings.HasPrefix(cp, "polygon(") {
		if strings.Trim(cp[len("polygon("):], "0,%px)") == "" {
			return "clip", "clip-path:" + d["clip-path"]
		}
	}
	if m, ok := d["margin"]; ok && strings.Contains(m, "-") {
		f := strings.Fields(m)
		var top, left string
		switch len(f) {
		case 1:
			top, left = f[0], f[0]
		case 2, 3:
			top, left = f[0], f[1]
		case 4:
			top, left = f[0], f[3]
		}
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

// transformHides reads scale() to nothing and translate() far off-screen.
func transformHides(t string) string {
	t = strings.ReplaceAll(t, " ", "")
	if t == "" || t == "none" {
		return ""
	}
	for _, fn := range []string{"scale(", "scalex(", "scaley(", "scale3d("} {
		for rest := t; ; {
			i := strings.Index(rest, fn)
			if i < 0 {
				break
			}
			args := rest[i+len(fn):]
			if j := strings.IndexByte(args, ')'); j >= 0 {
				args = args[:j]
			}
			for _, a := range strings.Split(args, ",") {
				if f, err := strconv.ParseFloat(a, 64); err == nil && f >= -0.05 && f <= 0.05 {
					return "scaled to nothing"
				}
			}
			rest = rest[i+len(fn):]
		}
	}
	for _, fn := range []string{"translate(", "translatex(", "translatey(", "translate3d("} {
		if i := strings.Index(t, fn); i >= 0 {
			args := t[i+len(fn):]
			if j := strings.IndexByte(args, ')'); j >= 0 {
				args = args[:j]
			}
			for _, a := range strings.Split(args, ",") {
				if lenAtMost(a, -offscreenPx) {
					return "moved off-screen"
				}
			}
		}
	}
	if strings.HasPrefix(t, "matrix(") && strings.HasPrefix(t, "matrix(0,0,0,0") {
		return "scaled to nothing"
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
func (w *walker) colourHides(inline decls, c *ctx) (string, string) {
	col := inline["color"]
	if col == "" {
		col = w.attrs.val("color")
	}
	if col != "" {
		if v := parseColor(col); v.ok {
			c.color = v
		}
	}
	bg := inline["background-color"]
	if bg == "" {
		bg = inline["background"]
	}
	if bg == "" {
		bg = w.attrs.val("bgcolor")
	}
	if bg != "" {
		if strings.Contains(bg, "url(") || strings.Contains(bg, "gradient") {
			c.bg = rgb{}
		} else if v := parseColor(strings.Fields(bg + " x")[0]); v.ok {
			c.bg = v
		}
	}
	if sameColor(c.color, c.bg) && (col != "" || bg != "") {
		return "color", "text colour equals the background"
	}
	return "", ""
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
	return strings.HasPrefix(reason, removedByScript) || strings.HasPrefix(reason, "inside <noscript>") || strings.HasPrefix(reason, "inside a closed <details>") ||
		strings.HasPrefix(reason, "inside a closed <dialog>")
}

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

// removedByScript: an element a script removes or empties (a loading
// notice, an old-browser tip) is gone for visitors but read by spiders.
const removedByScript = "removed by a script"

// classHides returns the hiding a plain ".cls" rule gives.
func (ss *styleSheet) classHides(cls string) (string, string) {
	for _, r := range ss.byKey["."+cls] {
		if c := r.chain; r.prop != "" && len(c) == 1 && c[0].tag == "" && c[0].id == "" && len(c[0].classes) == 1 {
			return r.prop, r.reason
		}
	}
	return "", ""
}
