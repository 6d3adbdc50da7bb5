package tamper

import (
	"bytes"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The walker streams tokens instead of building a DOM: on a 100 KB portal
// page html.Parse's tree construction costs more than all our analysis,
// and we only ever need the chain of open elements. Implied end tags are
// approximated for the common cases (p, li, td, tr, option, dt/dd).
const (
	maxDepth      = 256
	maxHiddenIDs  = 1024 // hidden elements remembered for scripts that insert into them
	maxAnchorText = 512  // anchor text only feeds excerpts and term checks
)

// ctx is the state an element passes to its content.
type ctx struct {
	path       *pathNode // the current element
	sel        *pathNode // innermost block, where text runs belong
	hidden     string
	hideSel    *pathNode
	hideProp   string // property family that hides, for descendants that undo it
	anchorHost string
	viaScript  bool
	obfuscated bool
	scriptLvl  int
	generic    bool // hidden by a container (script, <noscript>): an element's own hiding is more telling
	inSVG      bool
	svgBox     svgViewport // the innermost <svg>'s user-space viewport
	// fragment: markup browsers never render (<noscript> …). It is checked
	// but kept out of block fingerprints, so that baselines learned before
	// it was read stay valid.
	fragment  bool
	color, bg rgb // declared text colour and nearest declared background
}

type frame struct {
	a      atom.Atom
	name   string
	info   *elemInfo
	c      ctx // context for the element's content
	block  *blockAcc
	counts []sigCount // signatures of children seen so far
	link   int        // index into page.links for <a>, else -1
	raw    *strings.Builder
	atext  strings.Builder // anchor text, capped

	scriptOpened bool   // opened by document.write and left open
	mapName      string // <map name>
	// what an <a> contains, to tell a link with nothing to see
	tinyImages, bigImages, childElems int

	// covers (cover.go)
	box             *boxInfo
	links0, chunks0 int
	children        int
	picture         bool // a child is an image or shows a background image
	segs            []coverSeg
}

type sigCount struct {
	sig string
	n   int
}

// nth counts one more child with signature sig and returns its ordinal.
func (f *frame) nth(sig string) int {
	for i := range f.counts {
		if f.counts[i].sig == sig {
			f.counts[i].n++
			return f.counts[i].n
		}
	}
	if len(f.counts) < 64 {
		f.counts = append(f.counts, sigCount{sig, 1})
	}
	return 1
}

type blockAcc struct {
	node    *pathNode
	h       uint32
	ownLen  int
	links   int
	textLen int
}

type walker struct {
	free    []*frame // recycled frames: a page opens thousands of elements
	infos   slab[elemInfo]
	nodes   slab[pathNode]
	nameBuf []byte
	p       *page
	ss      *styleSheet
	stack   []*frame
	anc     []*elemInfo // stack infos, for CSS matching
	buf     strings.Builder
	bufCtx  ctx
	attrs   attrList

	openLink     *frame            // innermost open <a>
	usemaps      map[string]bool   // map names images refer to, read at the first <area>
	doc          []byte            // the top-level document, for usemaps
	scriptHidden map[string]bool   // selectors scripts hide (see prepass)
	keep         bool              // walking script-written markup: keep a hiding element open
	hiddenIDs    map[string]string // ids of hidden elements walked so far, with why
	kept         *frame
	strayEnds    []string
	boxRules     []*cssRule // scratch for boxOf
	fragBottom   []int
}

func newWalker(pg *page) *walker {
	return &walker{p: pg, ss: newStyleSheet()}
}

// stream processes one HTML document or fragment. Frames opened by the
// fragment are closed at its end; the caller's frames stay open.
func (w *walker) stream(data []byte, base ctx) {
	w.prepass(data)
	bottom := len(w.stack)
	z := html.NewTokenizer(bytes.NewReader(data))
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			w.flush()
			if w.keep && w.inFragment(bottom) {
				w.kept = w.keptOpen(bottom)
			}
			for len(w.stack) > bottom {
				w.pop()
			}
			return
		case html.TextToken:
			w.onText(string(z.Text()), base)
		case html.StartTagToken, html.SelfClosingTagToken:
			raw := z.Raw()
			name, rest := w.tagName(raw)
			w.attrs = parseAttrs(rest, w.attrs[:0], w.ss.attrNames)
			a := atom.Lookup(name)
			w.start(a, atomName(a, name), tt == html.SelfClosingTagToken, raw, base, bottom)
		case html.EndTagToken:
			name, _ := w.tagName(z.Raw())
			w.end(atomName(atom.Lookup(name), name), bottom)
		}
	}
}

// The tokenizer's TagName and TagAttr copy every name and value; on a
// large page those copies cost more than our whole analysis, so tags are
// read from the raw token bytes instead, keeping only wanted attributes.

// tagName returns the lower-cased tag name of a raw start or end tag and
// the bytes after it. The name shares w.nameBuf.
func (w *walker) tagName(raw []byte) ([]byte, []byte) {
	i := 1
	if i < len(raw) && raw[i] == '/' {
		i++
	}
	j := i
	for j < len(raw) && !isTagSpace(raw[j]) && raw[j] != '/' && raw[j] != '>' {
		j++
	}
	w.nameBuf = append(w.nameBuf[:0], raw[i:j]...)
	for k, c := range w.nameBuf {
		if 'A' <= c && c <= 'Z' {
			w.nameBuf[k] = c + 'a' - 'A'
		}
	}
	return w.nameBuf, raw[j:]
}

func isTagSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
}

// atomName avoids allocating for known tag names.
func atomName(a atom.Atom, name []byte) string {
	if a != 0 {
		return a.String()
	}
	return string(name)
}

// parseAttrs reads attributes the way the HTML tokenizer does (quoted or
// bare values, case-insensitive names, first occurrence wins).
// extra names attributes kept besides those the walker reads (those of
// the page's attribute selectors).
func parseAttrs(s []byte, dst attrList, extra map[string]bool) attrList {
	var lower [32]byte
	i := 0
	for i < len(s) {
		for i < len(s) && (isTagSpace(s[i]) || s[i] == '/') {
			i++
		}
		if i >= len(s) || s[i] == '>' {
			break
		}
		ks := i
		for i < len(s) && !isTagSpace(s[i]) && s[i] != '=' && s[i] != '>' && (s[i] != '/' || i == ks) {
			i++
		}
		key := s[ks:i]
		for i < len(s) && isTagSpace(s[i]) {
			i++
		}
		var val []byte
		if i < len(s) && s[i] == '=' {
			i++
			for i < len(s) && isTagSpace(s[i]) {
				i++
			}
			if i < len(s) && (s[i] == '"' || s[i] == '\'') {
				q := s[i]
				i++
				vs := i
				for i < len(s) && s[i] != q {
					i++
				}
				val = s[vs:i]
				if i < len(s) {
					i++
				}
			} else {
				vs := i
				for i < len(s) && !isTagSpace(s[i]) && s[i] != '>' {
					i++
				}
				val = s[vs:i]
			}
		}
		if len(key) == 0 || len(key) > len(lower) {
			continue
		}
		lk := lower[:len(key)]
		for k, c := range key {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			lk[k] = c
		}
		name := wantedAttr(lk)
		if name == "" {
			if !extra[string(lk)] {
				continue
			}
			name = string(lk)
		}
		if _, dup := dst.get(name); dup {
			continue
		}
		v := string(val)
		if strings.IndexByte(v, '&') >= 0 {
			v = html.UnescapeString(v)
		}
		dst = append(dst, html.Attribute{Key: name, Val: v})
	}
	return dst
}

func (w *walker) top() *frame {
	if len(w.stack) == 0 {
		return nil
	}
	return w.stack[len(w.stack)-1]
}

func (w *walker) cur(base ctx) ctx {
	if f := w.top(); f != nil {
		return f.c
	}
	return base
}

var voidTags = map[atom.Atom]bool{
	atom.Area: true, atom.Base: true, atom.Br: true, atom.Col: true, atom.Embed: true, atom.Hr: true,
	atom.Img: true, atom.Input: true, atom.Link: true, atom.Meta: true, atom.Param: true,
	atom.Source: true, atom.Track: true, atom.Wbr: true, atom.Frame: true,
}

// closesP lists start tags that implicitly end an open <p>.
func closesP(a atom.Atom) bool {
	switch a {
	case atom.Address, atom.Article, atom.Aside, atom.Blockquote, atom.Div, atom.Dl, atom.Fieldset,
		atom.Footer, atom.Form, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Header,
		atom.Hr, atom.Main, atom.Nav, atom.Ol, atom.P, atom.Pre, atom.Section, atom.Table, atom.Ul,
		atom.Figure, atom.Center, atom.Menu, atom.Details:
		return true
	}
	return false
}

// closeOpen pops up to and including the nearest open element in targets,
// unless a scope boundary comes first.
func (w *walker) closeOpen(bottom int, targets, boundaries []atom.Atom) {
	for i := len(w.stack) - 1; i >= bottom; i-- {
		a := w.stack[i].a
		for _, t := range targets {
			if a == t {
				for len(w.stack) > i {
					w.pop()
				}
				return
			}
		}
		for _, b := range boundaries {
			if a == b {
				return
			}
		}
	}
}

var (
	listScope  = []atom.Atom{atom.Ul, atom.Ol, atom.Menu, atom.Table, atom.Div}
	tableScope = []atom.Atom{atom.Table}
	rowScope   = []atom.Atom{atom.Tr, atom.Table}
	pScope     = []atom.Atom{atom.Div, atom.Li, atom.Td, atom.Th, atom.Table, atom.Body, atom.Marquee, atom.Section, atom.Article, atom.Form}
)

func (w *walker) start(a atom.Atom, name string, selfClosing bool, raw []byte, base ctx, bottom int) {
	switch {
	case a == atom.Html || a == atom.Body && w.hasOpen(atom.Body):
		if a == atom.Html && len(w.stack) == bottom && bottom == 0 {
			break // push html once
		}
		return
	case a == atom.Body:
		w.closeOpen(bottom, []atom.Atom{atom.Head}, nil)
	case a == atom.Li:
		w.closeOpen(bottom, []atom.Atom{atom.Li}, listScope)
	case a == atom.Dt || a == atom.Dd:
		w.closeOpen(bottom, []atom.Atom{atom.Dt, atom.Dd}, []atom.Atom{atom.Dl})
	case a == atom.Tr:
		w.closeOpen(bottom, []atom.Atom{atom.Tr}, tableScope)
	case a == atom.Td || a == atom.Th:
		w.closeOpen(bottom, []atom.Atom{atom.Td, atom.Th}, rowScope)
	case a == atom.Option:
		w.closeOpen(bottom, []atom.Atom{atom.Option}, []atom.Atom{atom.Select})
	case a == atom.A:
		w.closeOpen(bottom, []atom.Atom{atom.A}, nil)
	}
	if closesP(a) {
		w.closeOpen(bottom, []atom.Atom{atom.P}, pScope)
	}
	if len(w.stack)-bottom > maxDepth {
		return
	}
	f := w.enter(a, name, raw, base)
	if selfClosing || voidTags[a] || f == nil {
		if f != nil {
			w.pop()
		}
	}
}

func (w *walker) hasOpen(a atom.Atom) bool {
	for _, f := range w.stack {
		if f.a == a {
			return true
		}
	}
	return false
}

func (w *walker) end(name string, bottom int) {
	if name == "br" {
		return
	}
	for i := len(w.stack) - 1; i >= bottom; i-- {
		if w.stack[i].name == name {
			// Pop down to the matched element only: closing a script may
			// leave an element it wrote open on top (walkFragment).
			for target := w.stack[i]; ; {
				f := w.top()
				w.pop()
				if f == target {
					break
				}
			}
			return
		}
	}
	if w.inFragment(bottom) {
		w.strayEnds = append(w.strayEnds, name)
	}
}

// inFragment reports whether bottom is that of the fragment being walked.
func (w *walker) inFragment(bottom int) bool {
	return len(w.fragBottom) > 0 && w.fragBottom[len(w.fragBottom)-1] == bottom
}

// signature builds the path step of an element: tag#id.classes, classes
// sorted so attribute order and class order do not matter.
func signature(e *elemInfo, name string, attrs attrList) (*elemInfo, string) {
	e.tag, e.id = name, strings.TrimSpace(attrs.val("id"))
	if cl := attrs.val("class"); cl != "" {
		e.classes = strings.Fields(cl)
	}
	sig := name
	if e.id != "" {
		sig += "#" + e.id
	}
	switch len(e.classes) {
	case 0:
	case 1:
		sig += "." + e.classes[0]
	default:
		cs := append([]string(nil), e.classes...)
		sort.Strings(cs)
		sig += "." + strings.Join(cs, ".")
	}
	return e, sig
}

// enter opens an element. It returns nil for elements that are handled
// entirely at their start tag and never pushed.
func (w *walker) enter(a atom.Atom, name string, raw []byte, base ctx) *frame {
	parent := w.top()
	c := w.cur(base)
	info, sig := signature(w.infos.new(), name, w.attrs)
	if w.ss.attrNames != nil {
		al := append(attrList(nil), w.attrs...)
		info.attrs = &al
	}
	if parent != nil {
		if n := parent.nth(sig); n > 1 && info.id == "" {
			sig += ":nth-of-type(" + strconv.Itoa(n) + ")"
		}
	}
	sel := initPathNode(w.nodes.new(), c.path, sig)

	switch a {
	case atom.Meta:
		w.meta(sel, raw, c)
		return nil
	case atom.Link:
		if equalFoldASCII(w.attrs.val("rel"), "canonical") {
			w.p.hostHints = append(w.p.hostHints, urlHost(w.attrs.val("href")))
		}
		return nil
	}
	inlineScript := false
	if a == atom.Script {
		w.flush()
		src := strings.TrimSpace(w.attrs.val("src"))
		if src != "" {
			w.p.scripts = append(w.p.scripts, resRef{src: src, host: urlHost(src), key: resourceKey(src),
				sel: sel, viaScript: c.viaScript, obfuscated: c.obfuscated})
		}
		typ := strings.ToLower(w.attrs.val("type"))
		// JSON-LD and templates are data, not code.
		inlineScript = src == "" && (typ == "" || strings.Contains(typ, "javascript") || typ == "module")
	}

	var inline decls
	if st, ok := w.attrs.get("style"); ok {
		inline = parseDecls(st)
	}
	if c.hidden == "" || c.generic {
		prop, reason := w.hiddenBy(a, info, inline)
		if reason == "" {
			prop, reason = w.elementHides(a, name, inline, c)
		}
		if reason != "" {
			c.hidden, c.hideSel, c.hideProp, c.generic = reason, sel, prop, false
		}
	} else if w.reshown(info, inline, c.hideProp) {
		c.hidden, c.hideSel, c.hideProp = "", nil, ""
	}
	box := w.boxOf(info, inline)
	if box != nil && (a == atom.Img || a == atom.Picture || a == atom.Video) {
		box.opaque = true // a picture laid over the links
		// Its size may come from the width and height attributes.
		if !box.hSet {
			if n, ok := parseLen(w.attrs.val("height")); ok {
				box.h, box.hSet = n, true
			}
		}
		if !box.wSet {
			if n, ok := parseLen(w.attrs.val("width")); ok {
				box.w, box.wSet = n, true
			}
		}
	}
	if parent != nil && box != nil && parent.picture && (box.pos == "absolute" || box.pos == "fixed" || parent.box != nil && parent.box.grid && box.cell != "") {
		c.bg = rgb{} // drawn over a picture (a caption): its backdrop is unknown
	}
	if parent != nil && (a == atom.Img || a == atom.Picture || a == atom.Video || box != nil && strings.Contains(inline["background"]+inline["background-image"], "url(")) {
		parent.picture = true
	}
	if prop, reason := w.colourHides(info, inline, &c); reason != "" && c.hidden == "" {
		c.hidden, c.hideSel, c.hideProp = reason, sel, prop
	}
	if unhidesSummary(a, c, parent) {
		c.hidden, c.hideSel, c.hideProp = "", nil, ""
	}
	if c.hidden != "" && info != nil && info.id != "" && !c.generic && len(w.hiddenIDs) < maxHiddenIDs {
		if w.hiddenIDs == nil {
			w.hiddenIDs = map[string]string{}
		}
		w.hiddenIDs[info.id] = c.hidden
	}
	if a == atom.Svg {
		c.inSVG = true
		c.svgBox = w.svgViewport()
	}
	if l := w.openLink; l != nil {
		switch {
		case a == atom.Img && w.tinyImage(inline):
			l.tinyImages++
		case a == atom.Img:
			l.bigImages++
		default:
			l.childElems++
		}
	}
	f := w.newFrame()
	f.a, f.name, f.info, f.link = a, name, info, -1
	f.box, f.links0, f.chunks0 = box, len(w.p.links), len(w.p.chunks)
	if parent != nil {
		parent.children++
	}
	if blockTags[a] {
		w.flush()
		f.block = &blockAcc{node: sel, h: 2166136261}
		c.sel = sel
	} else if c.sel == nil {
		c.sel = sel
	}
	c.path = sel

	switch a {
	case atom.A, atom.Area:
		w.flush()
		if a == atom.Area && c.hidden == "" {
			if seen, used := w.usedMaps()[strings.ToLower(w.openMapName())]; !used {
				c.hidden, c.hideSel, c.hideProp = "an image-map area no image uses", sel, "display"
			} else if !seen {
				c.hidden, c.hideSel, c.hideProp = "an image-map area only a spacer image uses", sel, "display"
			}
		}
		if href, ok := w.attrs.get("href"); ok {
			f.link = w.link(href, &c)
			if alt := w.attrs.val("alt"); a == atom.Area && alt != "" {
				f.atext.WriteString(alt)
				ac := c
				ac.fragment = true // alt text was never fingerprinted
				w.addChunk(alt, ac, inBody)
			}
		}
		if a == atom.A {
			w.openLink = f
		}
	case atom.Map:
		f.mapName = w.attrs.val("name")
	case atom.Iframe, atom.Frame, atom.Embed, atom.Object:
		w.frame(sel, c, inline)
		w.frameDocument(sel, c, inline)
	case atom.Body:
		for _, ev := range []string{"onload", "onpageshow"} {
			if code, ok := w.attrs.get(ev); ok {
				w.scriptCode(code, sel, c, "event handler")
			}
		}
	case atom.Img:
		if code, ok := w.attrs.get("onerror"); ok {
			w.scriptCode(code, sel, c, "event handler")
		}
		w.spacerText(raw, sel, c, inline)
	case atom.Title:
		f.raw = &strings.Builder{}
	case atom.Script:
		if inlineScript {
			f.raw = &strings.Builder{}
		}
	case atom.Template:
		c.hidden, c.hideSel, c.generic = "inside <template>", sel, false
	}
	f.c = c
	w.stack = append(w.stack, f)
	w.anc = append(w.anc, info)
	return f
}

// openMapName returns the name of the innermost open <map>.
func (w *walker) openMapName() string {
	for i := len(w.stack) - 1; i >= 0; i-- {
		if w.stack[i].a == atom.Map {
			return strings.TrimPrefix(w.stack[i].mapName, "#")
		}
	}
	return ""
}

func (w *walker) newFrame() *frame {
	if n := len(w.free); n > 0 {
		f := w.free[n-1]
		w.free = w.free[:n-1]
		return f
	}
	return &frame{}
}

// pop closes the top element.
func (w *walker) pop() {
	f := w.top()
	w.stack = w.stack[:len(w.stack)-1]
	w.anc = w.anc[:len(w.anc)-1]
	defer func() {
		w.coverSegs(f, w.top())
		counts, segs := f.counts[:0], f.segs[:0]
		*f = frame{counts: counts, segs: segs} // also resets atext
		w.free = append(w.free, f)
	}()
	switch f.a {
	case atom.Script:
		if f.raw != nil {
			w.scriptCode(f.raw.String(), f.c.path, f.c, "script")
		}
		return
	case atom.Title:
		if w.p.title == "" && f.raw != nil {
			w.p.title = f.raw.String()
			w.addChunk(w.p.title, ctx{sel: f.c.path, path: f.c.path}, inTitle)
		}
		return
	case atom.A, atom.Area:
		w.flush()
		if w.openLink == f {
			w.openLink = nil
		}
		// A title attribute repeating the anchor text adds nothing; one
		// that differs may carry spam (<a title="代开发票">).
		if f.link >= 0 {
			l := &w.p.links[f.link]
			l.text = f.atext.String()
			c := f.c
			why := invisibleAnchor(f, l)
			if why == "" && f.a == atom.A && l.host != "" {
				why = speckAnchor(f, l)
			}
			if f.a == atom.A && why != "" {
				l.hidden, l.hideSel = why, l.sel
				c.hidden, c.hideSel = why, l.sel
			}
			if l.title != "" && strings.TrimSpace(l.title) != strings.TrimSpace(l.text) {
				c.anchorHost = l.host
				w.addChunk(l.title, c, inBody)
			}
		}
	}
	if f.block != nil {
		w.flush()
		b := f.block
		if f.c.fragment {
			return
		}
		if !f.c.viaScript {
			w.p.blocks = append(w.p.blocks, blockStat{node: b.node, path: b.node.hash, ownHash: b.h, ownLen: b.ownLen, links: b.links, textLen: b.textLen})
		}
		if pb := w.innerBlock(); pb != nil {
			pb.links += b.links
			pb.textLen += b.textLen
		}
	}
}

func (w *walker) innerBlock() *blockAcc {
	for i := len(w.stack) - 1; i >= 0; i-- {
		if w.stack[i].block != nil {
			return w.stack[i].block
		}
	}
	return nil
}

func (w *walker) onText(s string, base ctx) {
	f := w.top()
	if f != nil && f.raw != nil {
		f.raw.WriteString(s)
		return
	}
	if f != nil && rawHidden(f.a) {
		w.hiddenFragment(s, f, "inside <"+f.name+"> (read by spiders, not shown)")
		return
	}
	if f != nil && f.a == atom.Textarea && f.c.hidden != "" {
		w.hiddenFragment(s, f, f.c.hidden)
		return
	}
	if f != nil && (f.a == atom.Script || f.a == atom.Style || f.a == atom.Textarea || f.a == atom.Xmp) {
		return
	}
	if strings.TrimSpace(s) == "" {
		return
	}
	c := w.cur(base)
	if w.buf.Len() > 0 && (w.bufCtx.sel != c.sel || w.bufCtx.hidden != c.hidden || w.bufCtx.anchorHost != c.anchorHost) {
		w.flush()
	}
	if w.buf.Len() == 0 {
		w.bufCtx = c
	}
	w.buf.WriteString(s)
	for i := len(w.stack) - 1; i >= 0; i-- {
		if f := w.stack[i]; f.link >= 0 {
			if f.atext.Len() < maxAnchorText {
				f.atext.WriteString(s)
			}
			break
		}
	}
}

// flush turns the pending text run into a chunk.
func (w *walker) flush() {
	if w.buf.Len() == 0 {
		return
	}
	raw := w.buf.String()
	w.buf.Reset()
	w.addChunk(raw, w.bufCtx, inBody)
}

func (w *walker) addChunk(raw string, c ctx, wh where) {
	norm := normalize(raw)
	if norm == "" {
		return
	}
	w.p.chunks = append(w.p.chunks, chunk{norm: norm, raw: raw, sel: c.sel, hidden: c.hidden,
		hideSel: c.hideSel, anchorHost: c.anchorHost, viaScript: c.viaScript, where: wh})
	if wh != inBody || c.viaScript || c.fragment {
		return
	}
	if b := w.innerBlock(); b != nil {
		for i := 0; i < len(norm); i++ {
			b.h ^= uint32(norm[i])
			b.h *= 16777619
		}
		n := utf8.RuneCountInString(norm)
		b.ownLen += n
		b.textLen += n
	}
}
