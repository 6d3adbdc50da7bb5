package tamper

import (
	"bytes"
	"sort"
	"strconv"
	"strings"
)

// decls is a parsed CSS declaration block: property → lower-cased value.
type decls map[string]string

func parseDecls(s string) decls {
	if strings.Contains(s, "/*") {
		s = stripCSSComments(s)
	}
	d := decls{}
	var custom map[string]string
	if strings.Contains(s, "var(") {
		custom = customProps(s)
	}
	anyImportant := false
	// The last valid declaration of a property wins, except that an
	// !important one is kept over later ordinary ones; "!prop" marks it.
	for _, part := range strings.Split(s, ";") {
		k, v, ok := strings.Cut(part, ":")
		if !ok {
			continue
		}
		k = strings.ToLower(strings.TrimSpace(k))
		v = strings.ToLower(strings.TrimSpace(v))
		imp := false
		if i := strings.LastIndexByte(v, '!'); i >= 0 && strings.TrimSpace(v[i+1:]) == "important" {
			v, imp = strings.TrimSpace(v[:i]), true
		}
		if strings.Contains(v, "var(") {
			v = resolveVars(v, custom)
		}
		if k == "" || v == "" || !validDecl(k, v) {
			continue
		}
		expandDecl(k, v, func(k, v string) {
			if !imp && anyImportant && d["!"+k] != "" {
				return
			}
			d[k] = v
			if imp {
				d["!"+k], anyImportant = "1", true
			}
		})
	}
	return d
}

// customProps collects the custom properties (--name: value) a
// declaration block sets.
func customProps(s string) map[string]string {
	var m map[string]string
	for _, part := range strings.Split(s, ";") {
		k, v, ok := strings.Cut(part, ":")
		k = strings.TrimSpace(k)
		if !ok || !strings.HasPrefix(k, "--") {
			continue
		}
		if m == nil {
			m = map[string]string{}
		}
		m[strings.ToLower(k)] = strings.ToLower(strings.TrimSpace(v))
	}
	return m
}

// resolveVars substitutes var(--name, fallback): the block's own custom
// property when it sets one, else the fallback. A reference that can be
// resolved neither way is left as it is (the declaration is then invalid
// for the properties validDecl checks).
func resolveVars(v string, custom map[string]string) string {
	for n := 0; n < 8; n++ {
		i := strings.Index(v, "var(")
		if i < 0 {
			return v
		}
		end := matchParen(v, i+3)
		if end < 0 {
			return v
		}
		name, fb, hasFB := strings.Cut(v[i+4:end], ",")
		name = strings.TrimSpace(name)
		val, ok := custom[name]
		if !ok && hasFB {
			val, ok = strings.TrimSpace(fb), true
		}
		if !ok {
			return v
		}
		v = v[:i] + val + v[end+1:]
	}
	return v
}

// matchParen returns the index of the parenthesis closing the one at
// open, or -1.
func matchParen(s string, open int) int {
	depth := 0
	for i := open; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// tinyFontPx: text this small cannot be read (1pt is 1.33px).
const tinyFontPx = 2

// offscreenPx is how far out an element must be pushed to count as hidden;
// legitimate layouts rarely use offsets beyond a few hundred pixels.
const offscreenPx = 500

// farPx: a positive offset that puts a box beyond any screen.
const farPx = 5000

// parseLen turns a CSS length into pixels: the first value of v, a
// dimension or a math function (calc(), min(), max(), clamp()), resolved
// against the assumed screen of cssvalue.go (percentages of the viewport
// width, 16 px em and rem).
func parseLen(v string) (float64, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if !mathFunc(v) {
		if i := strings.IndexAny(v, " \t\n"); i >= 0 {
			v = v[:i]
		}
		if f, err := strconv.ParseFloat(v, 64); err == nil {
			return f, true // a unitless number (0, or a quirks-mode px)
		}
	} else if f := cssFields(v); len(f) > 0 {
		v = f[0]
	}
	return evalLength(v)
}

func lenAtMost(v string, max float64) bool {
	f, ok := parseLen(v)
	return ok && f <= max
}

// hideReason says whether the declarations make an element's content
// invisible, returning the property family (for override checks) and a
// human-readable reason.
func hideReason(d decls) (prop, reason string) {
	if len(d) == 0 {
		return "", ""
	}
	if d["display"] == "none" {
		return "display", "display:none"
	}
	if v := d["visibility"]; v == "hidden" || v == "collapse" {
		return "visibility", "visibility:hidden"
	}
	if v, ok := d["opacity"]; ok {
		if f, ok := parseOpacity(v); ok && f <= 0.05 {
			return "opacity", "opacity:" + v
		}
	}
	if strings.Contains(strings.ReplaceAll(d["filter"], " ", ""), "opacity=0)") {
		return "opacity", "filter:alpha(opacity=0)"
	}
	if v, ok := d["font-size"]; ok && lenAtMost(v, tinyFontPx) && !imageReplaced(d) {
		return "font-size", "font-size:" + v
	}
	ov := d["overflow"] + d["overflow-y"] + d["overflow-x"]
	if strings.Contains(ov, "hidden") || strings.Contains(ov, "clip") {
		for _, p := range []string{"height", "width", "max-height", "max-width"} {
			if v, ok := d[p]; ok && lenAtMost(v, 1) {
				return "height", p + ":" + v + " with overflow:hidden"
			}
		}
	}
	pos := d["position"]
	if pos == "absolute" || pos == "fixed" {
		for _, p := range []string{"left", "top", "right", "bottom"} {
			if v, ok := d[p]; ok && lenAtMost(v, -offscreenPx) {
				return "position", "positioned off-screen (" + p + ":" + v + ")"
			}
		}
		if c := d["clip"]; strings.HasPrefix(c, "rect(") && rectEmpty(strings.TrimSuffix(c[len("rect("):], ")")) {
			return "clip", "clip:" + d["clip"]
		}
		// Far to the right or below (left/top), or far to the left or
		// above (right/bottom): beyond any screen.
		for _, p := range []string{"left", "top", "right", "bottom"} {
			if v, ok := d[p]; ok && !strings.HasSuffix(v, "%") {
				if n, ok := parseLen(v); ok && n >= farPx {
					return "position", "positioned off-screen (" + p + ":" + v + ")"
				}
			}
		}
	}
	for _, p := range []string{"margin-left", "margin-top"} {
		if v, ok := d[p]; ok && lenAtMost(v, -offscreenPx*2) {
			return "position", "pushed off-screen (" + p + ":" + v + ")"
		}
	}
	if v, ok := d["text-indent"]; ok && lenAtMost(v, -offscreenPx) && !imageReplaced(d) {
		return "text-indent", "text-indent:" + v
	}
	for _, k := range [...]string{"clip-path", "-webkit-clip-path"} {
		if cp, ok := d[k]; ok && clipPathHides(cp) {
			return "clip", k + ":" + cp
		}
	}
	if c := d["color"]; c != "" && c != "inherit" && (c == d["background-color"] || c == d["background"]) {
		return "color", "text colour equals background (" + c + ")"
	}
	return moreHideReason(d)
}

// showsProp reports whether d sets the property family prop to a visible
// value, overriding a hiding rule of that family.
func showsProp(d decls, prop string) bool {
	switch prop {
	case "display":
		v, ok := d["display"]
		return ok && v != "none"
	case "visibility":
		return d["visibility"] == "visible"
	case "opacity":
		f, ok := parseOpacity(d["opacity"])
		return ok && f > 0.05
	case "font-size":
		v, ok := d["font-size"]
		return ok && !lenAtMost(v, tinyFontPx)
	case "height":
		v, ok := d["height"]
		return ok && !lenAtMost(v, 1) || strings.Contains(d["overflow"], "visible")
	case "position":
		_, ok := d["left"]
		return ok && !lenAtMost(d["left"], -offscreenPx) || d["position"] == "static" || d["position"] == "relative"
	case "text-indent":
		v, ok := d["text-indent"]
		return ok && !lenAtMost(v, -offscreenPx)
	}
	return false
}

// compound is one simple selector such as div.a.b#x.
type compound struct {
	tag, id string
	classes []string
	attrs   []attrSel
	not     []compound // :not(…) arguments, each a simple compound
}

// attrSel is an attribute selector: [name], [name=v], [name^=v] …
type attrSel struct {
	name, op, val string
}

func (a attrSel) matches(e *elemInfo) bool {
	if e.attrs == nil {
		return false
	}
	v, ok := e.attrs.get(a.name)
	if !ok {
		return false
	}
	switch a.op {
	case "":
		return true
	case "=":
		return v == a.val
	case "^=":
		return a.val != "" && strings.HasPrefix(v, a.val)
	case "$=":
		return a.val != "" && strings.HasSuffix(v, a.val)
	case "*=":
		return a.val != "" && strings.Contains(v, a.val)
	case "~=":
		for _, f := range strings.Fields(v) {
			if f == a.val {
				return true
			}
		}
	case "|=":
		return v == a.val || strings.HasPrefix(v, a.val+"-")
	}
	return false
}

type cssRule struct {
	chain   []compound // outermost first
	spec    int
	order   int
	prop    string // hiding family, "" if the rule hides nothing
	reason  string
	decls   decls
	display string // selector text for messages
	layout  bool   // sets a property the cover checks read
}

// styleSheet keeps only what matters for visibility: rules indexed by the
// key of their rightmost compound.
type styleSheet struct {
	byKey map[string][]*cssRule
	n     int
	// attrNames: attributes named in attribute selectors, which the walker
	// then keeps on the elements (it drops attributes it does not read).
	attrNames map[string]bool
	// clipRules: some rule sets overflow or a box size, so a zero-size
	// clipping box may be split over rules and the inline style.
	clipRules bool
	// layoutRules: some rule sets a property the cover checks read.
	layoutRules bool
	layoutKeys  map[string]bool // index keys of those rules
	// paintByKey: rules that set a text colour or a background, by key;
	// vars: custom properties rules set, page-wide ("" when ambiguous).
	paintByKey  map[string][]*cssRule
	vars        map[string]string
	conditional int // inside @media with a feature (max-width, prefers-color-scheme …)
	// reveals: rules that show elements on hover, focus, a checked
	// toggle … (without those states), see revealSelector.
	reveals []*cssRule
}

func newStyleSheet() *styleSheet { return &styleSheet{byKey: map[string][]*cssRule{}} }

// add parses CSS text. Selectors with pseudo-classes (:hover, :focus)
// and sibling combinators are skipped: the first describe interactive
// states (dropdowns) that are legitimately hidden until used, the rest
// are rare in injected markup. Attribute selectors ([data-k], [k="v"],
// ^= $= *= ~= |=) are read.
func (ss *styleSheet) add(css string) {
	ss.addNested(stripCSSComments(css), nil, 0)
}

// maxCSSNesting bounds nested at-rules and style rules.
const maxCSSNesting = 8

// addNested reads rules inside at-rule blocks (@media, @supports, @layer,
// @container, @scope) and nested style rules (.a{.b{…}}, &), with parents
// the enclosing selectors (nil at top level).
func (ss *styleSheet) addNested(css string, parents []string, depth int) {
	if depth > maxCSSNesting {
		return
	}
	for len(css) > 0 {
		open := strings.IndexByte(css, '{')
		if open < 0 {
			ss.imports(css)
			return
		}
		prelude := css[:open]
		// Statements before the block: @import, @layer a, b; or, inside a
		// nested block, the parent's own declarations.
		if semi := strings.LastIndexByte(prelude, ';'); semi >= 0 {
			ss.imports(prelude[:semi+1])
			prelude = prelude[semi+1:]
		}
		prelude = strings.TrimSpace(prelude)
		end := matchBrace(css, open)
		body := css[open+1 : end]
		if end < len(css) {
			css = css[end+1:]
		} else {
			css = ""
		}
		if strings.HasPrefix(prelude, "@") {
			switch {
			case strings.HasPrefix(prelude, "@media"):
				if strings.Contains(prelude, "print") && !strings.Contains(prelude, "screen") {
					continue
				}
				// Colours under a media feature (a narrow screen, a dark
				// scheme) are one variant of the page: not compared.
				feature := strings.Contains(prelude, "(")
				if feature {
					ss.conditional++
				}
				ss.addNested(body, parents, depth+1)
				if feature {
					ss.conditional--
				}
			case strings.HasPrefix(prelude, "@supports"), strings.HasPrefix(prelude, "@layer"),
				strings.HasPrefix(prelude, "@container"), strings.HasPrefix(prelude, "@scope"):
				ss.addNested(body, parents, depth+1)
			}
			continue
		}
		sels := nestSelectors(prelude, parents)
		own, nested := body, strings.IndexByte(body, '{') >= 0
		if nested {
			own = topLevelDecls(body)
		}
		d := parseDecls(own)
		if strings.Contains(own, "--") {
			ss.noteVars(d)
		}
		prop, reason := hideReason(d)
		for _, sel := range sels {
			if base, ok := pseudoCover(sel, d); ok {
				ss.addRule(base, decls{}, "cover", "covered by an opaque box its "+sel[len(base):]+" draws over it")
				continue
			}
			if base, ok := revealSelector(sel); ok && prop == "" {
				if len(d) > 0 {
					ss.addReveal(base, d)
				}
				continue
			}
			ss.addRule(unwrapWhere(sel), d, prop, reason)
		}
		if nested {
			ss.addNested(body, sels, depth+1)
		}
	}
}

// nestSelectors expands a (possibly nested) selector list against its
// parents: & stands for the parent, otherwise the parent is an ancestor.
func nestSelectors(prelude string, parents []string) []string {
	var out []string
	for _, sel := range strings.Split(prelude, ",") {
		sel = strings.TrimSpace(sel)
		if sel == "" {
			continue
		}
		if parents == nil {
			out = append(out, sel)
			continue
		}
		for _, p := range parents {
			if len(out) >= 64 {
				return out
			}
			if strings.Contains(sel, "&") {
				out = append(out, strings.ReplaceAll(sel, "&", p))
			} else {
				out = append(out, p+" "+sel)
			}
		}
	}
	return out
}

// topLevelDecls drops the nested blocks of a declaration block, keeping
// its own declarations.
func topLevelDecls(body string) string {
	var b strings.Builder
	for len(body) > 0 {
		open := strings.IndexByte(body, '{')
		if open < 0 {
			b.WriteString(body)
			break
		}
		pre := body[:open]
		if semi := strings.LastIndexByte(pre, ';'); semi >= 0 {
			b.WriteString(pre[:semi+1])
		}
		end := matchBrace(body, open)
		if end >= len(body) {
			break
		}
		body = body[end+1:]
	}
	return b.String()
}

// imports reads @import statements of data: stylesheets.
func (ss *styleSheet) imports(stmts string) {
	for n := 0; n < 16; n++ {
		i := strings.Index(stmts, "@import")
		if i < 0 {
			return
		}
		stmts = stmts[i+len("@import"):]
		u := strings.TrimSpace(stmts)
		u = strings.TrimPrefix(u, "url(")
		u = strings.TrimLeft(u, " \t\"'")
		end := strings.IndexAny(u, "\"')")
		if end < 0 {
			end = len(u)
		}
		if css := dataCSS(u[:end]); css != "" {
			ss.addNested(stripCSSComments(css), nil, maxCSSNesting-2)
		}
	}
}

// dataCSS decodes a data:text/css URL; "" for anything else.
func dataCSS(src string) string {
	src = strings.TrimSpace(src)
	if len(src) < 14 || !strings.EqualFold(src[:13], "data:text/css") {
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

// unwrapWhere replaces :where(x) and :is(x) of one selector argument by
// the argument itself (:where() adds no specificity; the difference does
// not matter for hiding).
func unwrapWhere(sel string) string {
	for _, f := range [...]string{":where(", ":is(", ":matches(", ":-webkit-any("} {
		for n := 0; n < 8; n++ {
			i := strings.Index(sel, f)
			if i < 0 {
				break
			}
			end := matchParen(sel, i+len(f)-1)
			if end < 0 {
				return sel
			}
			arg := strings.TrimSpace(sel[i+len(f) : end])
			if strings.ContainsAny(arg, ",") {
				return sel
			}
			sel = sel[:i] + arg + sel[end+1:]
		}
	}
	return sel
}

// interactionStates are the pseudo-classes and attribute states through
// which an interface opens a panel: hovering, focusing, a checked toggle,
// a fragment target, an expanded button.
var interactionStates = []string{":hover", ":focus-within", ":focus-visible", ":focus", ":checked", ":target", ":active",
	"[aria-expanded=true]", `[aria-expanded="true"]`, "[open]"}

// revealSelector reports a selector that describes an interaction state
// (.app:hover .dl) and returns it without the states, and with only the
// compounds after the last sibling combinator.
func revealSelector(sel string) (string, bool) {
	if !strings.ContainsAny(sel, ":[") {
		return "", false
	}
	if strings.Contains(sel, ":not(") {
		return "", false // :not([open]) describes the closed state
	}
	found := false
	for _, st := range interactionStates {
		if strings.Contains(sel, st) {
			found = true
			sel = strings.ReplaceAll(sel, st, "")
		}
	}
	if !found {
		return "", false
	}
	if i := strings.LastIndexAny(sel, "+~"); i >= 0 {
		sel = sel[i+1:]
	}
	sel = strings.TrimSpace(strings.ReplaceAll(sel, ">", " "))
	if sel == "" {
		return "", false
	}
	return sel, true
}

func (ss *styleSheet) addRule(sel string, d decls, prop, reason string) {
	chain, spec, ok := parseChain(sel)
	if !ok {
		return
	}
	for _, c := range chain {
		attrs := c.attrs
		for _, n := range c.not {
			attrs = append(attrs[:len(attrs):len(attrs)], n.attrs...)
		}
		for _, a := range attrs {
			if ss.attrNames == nil {
				ss.attrNames = map[string]bool{}
			}
			if len(ss.attrNames) < 64 {
				ss.attrNames[a.name] = true
			}
		}
	}
	if clipDecls(d) {
		ss.clipRules = true
	}
	layout := layoutDecls(d)
	ss.n++
	r := &cssRule{chain: chain, spec: spec, order: ss.n, prop: prop, reason: reason, decls: d, display: sel, layout: layout}
	last := chain[len(chain)-1]
	key := "*"
	switch {
	case last.id != "":
		key = "#" + last.id
	case len(last.classes) > 0:
		key = "." + last.classes[0]
	case last.tag != "" && last.tag != "*":
		key = last.tag
	}
	if layout {
		ss.layoutRules = true
		if ss.layoutKeys == nil {
			ss.layoutKeys = map[string]bool{}
		}
		ss.layoutKeys[key] = true
	}
	ss.byKey[key] = append(ss.byKey[key], r)
	if paintDecls(d) && ss.conditional == 0 {
		if ss.paintByKey == nil {
			ss.paintByKey = map[string][]*cssRule{}
		}
		ss.paintByKey[key] = append(ss.paintByKey[key], r)
	}
}

// parseChain parses a selector of compounds and descendant or child
// combinators; ok is false for what the matcher cannot read.
func parseChain(sel string) (chain []compound, spec int, ok bool) {
	if sel == "" {
		return nil, 0, false
	}
	for _, tok := range selectorTokens(sel) {
		var nots []compound
		if strings.Contains(tok, ":not(") {
			var ok bool
			var s int
			if tok, nots, s, ok = splitNots(tok); !ok {
				return nil, 0, false
			}
			spec += s
		}
		if strings.ContainsAny(outsideBrackets(tok), ":+~()]") {
			return nil, 0, false
		}
		c, s, ok := parseCompound(tok)
		if !ok {
			return nil, 0, false
		}
		c.not = nots
		chain = append(chain, c)
		spec += s
	}
	return chain, spec, len(chain) > 0
}

// revealedMark ends the reason of an element a stylesheet hides and an
// interaction rule shows again: a dropdown or hover panel.
const revealedMark = "; shown on hover/focus by rule "

// addReveal keeps a rule that shows elements in an interaction state.
func (ss *styleSheet) addReveal(sel string, d decls) {
	chain, _, ok := parseChain(sel)
	if !ok || len(ss.reveals) >= 256 {
		return
	}
	ss.reveals = append(ss.reveals, &cssRule{chain: chain, decls: d, display: sel})
}

// revealedBy returns the selector of an interaction rule that shows e
// again in the property family prop, "" if none.
func (ss *styleSheet) revealedBy(e *elemInfo, anc []*elemInfo, prop string) string {
	for _, r := range ss.reveals {
		if showsProp(r.decls, prop) && r.matches(e, anc) {
			return r.display
		}
	}
	return ""
}

func parseCompound(tok string) (compound, int, bool) {
	var c compound
	spec := 0
	i := 0
	for i < len(tok) && tok[i] != '.' && tok[i] != '#' && tok[i] != '[' {
		i++
	}
	c.tag = strings.ToLower(tok[:i])
	if c.tag != "" && c.tag != "*" {
		spec++
	}
	for i < len(tok) {
		kind := tok[i]
		if kind == '[' {
			j := strings.IndexByte(tok[i:], ']')
			if j < 0 {
				return c, 0, false
			}
			a, ok := parseAttrSel(tok[i+1 : i+j])
			if !ok {
				return c, 0, false
			}
			c.attrs = append(c.attrs, a)
			spec += 100
			i += j + 1
			continue
		}
		j := i + 1
		for j < len(tok) && tok[j] != '.' && tok[j] != '#' && tok[j] != '[' {
			j++
		}
		name := tok[i+1 : j]
		if name == "" {
			return c, 0, false
		}
		if kind == '.' {
			c.classes = append(c.classes, name)
			spec += 100
		} else {
			c.id = name
			spec += 10000
		}
		i = j
	}
	return c, spec, true
}

// splitNots takes the :not(…) parts out of a compound ("div.a:not(.b)"),
// each of whose arguments must be one simple compound, and returns what
// is left ("*" when nothing is), the arguments and their specificity.
func splitNots(tok string) (string, []compound, int, bool) {
	var nots []compound
	spec := 0
	for {
		i := strings.Index(tok, ":not(")
		if i < 0 {
			break
		}
		j := strings.IndexByte(tok[i:], ')')
		if j < 0 {
			return "", nil, 0, false
		}
		arg := tok[i+len(":not(") : i+j]
		if arg == "" || strings.ContainsAny(outsideBrackets(arg), ":+~() ,>") {
			return "", nil, 0, false
		}
		c, s, ok := parseCompound(arg)
		if !ok {
			return "", nil, 0, false
		}
		nots, spec = append(nots, c), spec+s
		tok = tok[:i] + tok[i+j+1:]
	}
	if tok == "" {
		tok = "*"
	}
	return tok, nots, spec, true
}

// parseAttrSel reads the inside of [name op "value" i].
func parseAttrSel(s string) (attrSel, bool) {
	s = strings.TrimSpace(s)
	k := strings.IndexAny(s, "=^$*~|")
	if k < 0 {
		name := strings.ToLower(s)
		return attrSel{name: name}, name != ""
	}
	a := attrSel{name: strings.ToLower(strings.TrimSpace(s[:k]))}
	rest := s[k:]
	if rest[0] == '=' {
		a.op, rest = "=", rest[1:]
	} else if len(rest) > 1 && rest[1] == '=' {
		a.op, rest = rest[:2], rest[2:]
	} else {
		return a, false
	}
	rest = strings.TrimSpace(rest)
	if n := len(rest); n >= 2 && (rest[n-1] == 'i' || rest[n-1] == 's') && (rest[n-2] == ' ' || rest[n-2] == '"' || rest[n-2] == '\'') {
		rest = strings.TrimSpace(rest[:n-1])
	}
	if n := len(rest); n >= 2 && (rest[0] == '"' || rest[0] == '\'') && rest[n-1] == rest[0] {
		rest = rest[1 : n-1]
	}
	a.val = rest
	return a, a.name != ""
}

// outsideBrackets returns sel without the contents of [...] parts.
func outsideBrackets(sel string) string {
	if !strings.Contains(sel, "[") {
		return sel
	}
	var b strings.Builder
	depth := 0
	for i := 0; i < len(sel); i++ {
		switch c := sel[i]; {
		case c == '[':
			depth++
			b.WriteByte(c)
		case c == ']' && depth > 0:
			depth--
		case depth == 0:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// selectorTokens splits a selector into compounds at whitespace and '>'
// outside attribute brackets.
func selectorTokens(sel string) []string {
	if !strings.Contains(sel, "[") {
		return strings.Fields(strings.ReplaceAll(sel, ">", " "))
	}
	var out []string
	start, depth := -1, 0
	for i := 0; i < len(sel); i++ {
		c := sel[i]
		switch {
		case c == '[':
			depth++
		case c == ']' && depth > 0:
			depth--
		}
		sep := depth == 0 && (c == ' ' || c == '\t' || c == '\n' || c == '>')
		if sep {
			if start >= 0 {
				out = append(out, sel[start:i])
				start = -1
			}
		} else if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		out = append(out, sel[start:])
	}
	return out
}

func stripCSSComments(s string) string {
	if !strings.Contains(s, "/*") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(s, "/*")
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		j := strings.Index(s[i+2:], "*/")
		if j < 0 {
			return b.String()
		}
		s = s[i+2+j+2:]
	}
}

// matchBrace returns the index of the '}' closing the '{' at open, or
// len(s) when unbalanced.
func matchBrace(s string, open int) int {
	depth := 0
	for i := open; i < len(s); i++ {
		switch s[i] {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return len(s)
}

// elemInfo is the part of an element CSS matching needs.
type elemInfo struct {
	tag, id string
	classes []string
	attrs   *attrList // only when the stylesheet has attribute selectors
}

func (c compound) matches(e *elemInfo) bool {
	if c.tag != "" && c.tag != "*" && c.tag != e.tag {
		return false
	}
	if c.id != "" && c.id != e.id {
		return false
	}
	for _, a := range c.attrs {
		if !a.matches(e) {
			return false
		}
	}
	for _, n := range c.not {
		if n.matches(e) {
			return false
		}
	}
	for _, want := range c.classes {
		found := false
		for _, have := range e.classes {
			if have == want {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// matches checks the rule against e with ancestors anc (outermost first);
// child combinators are treated as descendant ones, which can only widen
// the set of hidden elements, never hide visible spam.
func (r *cssRule) matches(e *elemInfo, anc []*elemInfo) bool {
	if !r.chain[len(r.chain)-1].matches(e) {
		return false
	}
	k := len(anc) - 1
	for ci := len(r.chain) - 2; ci >= 0; ci-- {
		for k >= 0 && !r.chain[ci].matches(anc[k]) {
			k--
		}
		if k < 0 {
			return false
		}
		k--
	}
	return true
}

// shows reports whether a matching rule (without pseudo-classes) sets the
// property family prop to a visible value.
func (ss *styleSheet) shows(e *elemInfo, anc []*elemInfo, prop string) bool {
	if ss == nil || len(ss.byKey) == 0 {
		return false
	}
	check := func(key string) bool {
		for _, r := range ss.byKey[key] {
			if showsProp(r.decls, prop) && r.matches(e, anc) {
				return true
			}
		}
		return false
	}
	if e.id != "" && check("#"+e.id) {
		return true
	}
	for _, c := range e.classes {
		if check("." + c) {
			return true
		}
	}
	return check(e.tag) || check("*")
}

// hidden returns the hiding reason the stylesheet gives e, unless a more
// specific (or later) matching rule or the inline style shows it again.
func (ss *styleSheet) hidden(e *elemInfo, anc []*elemInfo, inline decls) (prop, reason string) {
	if ss == nil || len(ss.byKey) == 0 {
		return "", ""
	}
	var cands []*cssRule
	collect := func(key string) { cands = append(cands, ss.byKey[key]...) }
	if e.id != "" {
		collect("#" + e.id)
	}
	for _, c := range e.classes {
		collect("." + c)
	}
	collect(e.tag)
	collect("*")
	var best *cssRule
	if ss.clipRules {
		if prop, reason := clipBox(cands, e, anc, inline); reason != "" {
			return prop, reason
		}
	}
	for _, r := range cands {
		if r.prop != "" && (best == nil || r.spec > best.spec || r.spec == best.spec && r.order > best.order) && r.matches(e, anc) {
			best = r
		}
	}
	// The inline style shows the element again unless the rule's
	// declaration is !important and the inline one is not.
	if best == nil || showsProp(inline, best.prop) && (best.decls["!"+best.prop] == "" || inline["!"+best.prop] != "") {
		return "", ""
	}
	if best.prop == "text-indent" || best.prop == "font-size" {
		// Image replacement split over rules (.ir{text-indent:-9999px}
		// .logo{background:url(…)}): the element shows as its image.
		if imageReplaced(inline) {
			return "", ""
		}
		for _, r := range cands {
			if imageReplaced(r.decls) && r.matches(e, anc) {
				return "", ""
			}
		}
	}
	for _, r := range cands {
		if r.prop == "" && (r.spec > best.spec || r.spec == best.spec && r.order > best.order) &&
			showsProp(r.decls, best.prop) && r.matches(e, anc) {
			return "", ""
		}
	}
	if ss.reveals != nil {
		if by := ss.revealedBy(e, anc, best.prop); by != "" {
			return best.prop, best.reason + " (stylesheet rule " + best.display + revealedMark + by + ")"
		}
	}
	return best.prop, best.reason + " (stylesheet rule " + best.display + ")"
}

// indexFold finds the ASCII lower-case needle, whose first byte is not a
// letter, in data ignoring ASCII case (see indexFoldASCII; this one jumps
// between candidates with bytes.IndexByte, which matters on large pages).
func indexFold(data []byte, needle string) int {
	for off := 0; ; {
		i := bytes.IndexByte(data[off:], needle[0])
		if i < 0 {
			return -1
		}
		i += off
		if i+len(needle) > len(data) {
			return -1
		}
		if hasPrefixFoldASCII(data[i:], needle) {
			return i
		}
		off = i + 1
	}
}

// clipKeys are the declarations of a clipping box.
var clipKeys = [...]string{"overflow", "overflow-x", "overflow-y", "height", "width", "max-height", "max-width"}

func clipDecls(d decls) bool {
	for _, k := range clipKeys {
		if _, ok := d[k]; ok {
			return true
		}
	}
	return false
}

// clipBox reports a zero-size box with overflow:hidden whose declarations
// come from more than one place (a rule and the inline style, or two
// rules): each alone hides nothing, the element shows nothing. Rules apply
// in specificity and source order, the inline style last.
func clipBox(cands []*cssRule, e *elemInfo, anc []*elemInfo, inline decls) (string, string) {
	var ms []*cssRule
	for _, r := range cands {
		if clipDecls(r.decls) && r.matches(e, anc) {
			ms = append(ms, r)
		}
	}
	if len(ms) == 0 || len(ms) == 1 && !clipDecls(inline) {
		return "", ""
	}
	sort.Slice(ms, func(i, j int) bool {
		return ms[i].spec < ms[j].spec || ms[i].spec == ms[j].spec && ms[i].order < ms[j].order
	})
	d := decls{}
	for _, r := range ms {
		for _, k := range clipKeys {
			if v, ok := r.decls[k]; ok {
				d[k] = v
			}
		}
	}
	for _, k := range clipKeys {
		if v, ok := inline[k]; ok {
			d[k] = v
		}
	}
	ov := d["overflow"] + d["overflow-y"] + d["overflow-x"]
	if !strings.Contains(ov, "hidden") && !strings.Contains(ov, "clip") {
		return "", ""
	}
	for _, p := range []string{"height", "width", "max-height", "max-width"} {
		if v, ok := d[p]; ok && lenAtMost(v, 1) {
			return "height", p + ":" + v + " with overflow:hidden (stylesheet rule " + ms[len(ms)-1].display + ")"
		}
	}
	return "", ""
}
