package tamper

import (
	"bytes"
	"regexp"
	"strings"
)

// Scripts that hide page content after the fact. Inline scripts are read
// before the walk, like <style> blocks, because the statement usually comes
// after the element it hides.

// elemRef matches a script's reference to one element: by id, by a simple
// selector (no attribute, pseudo-class or sibling parts) or the first of a
// class. elemSel turns the submatches (three groups) into a selector.
const elemRef = `(?:getElementById\(\s*["']([\w-]+)["']\s*\)|querySelector\(\s*["']([^"'\[\]:()+~,]+)["']\s*\)|getElementsByClassName\(\s*["']([\w-]+)["']\s*\)\s*\[\s*0\s*\])`

// jqRef matches $(…) / jQuery(…) with a simple selector.
const jqRef = `(?:\$|jQuery)\(\s*["']([^"'\[\]:()+~,]+)["']\s*\)`

func elemSel(id, sel, cls string) string {
	switch {
	case id != "":
		return "#" + id
	case cls != "":
		return "." + cls
	}
	return strings.TrimSpace(sel)
}

// styleHide is a statement on an element's style or attributes that hides
// it: display/visibility, opacity 0, cssText or a style attribute with a
// hiding declaration, the hidden attribute or property.
const styleHide = `(?:style\s*\.\s*(?:display|visibility)\s*=\s*["'](?:none|hidden)["']|style\s*\.\s*opacity\s*=\s*["']?(?:0(?:\.0*)?|\.0+)["']?\s*(?:[;,})\n]|$)|style\s*\.\s*filter\s*=\s*["']alpha\(\s*opacity\s*=\s*0\s*\)["']|style\s*\.\s*cssText\s*=\s*["'][^"']*(?:display\s*:\s*none|visibility\s*:\s*hidden|opacity\s*:\s*0(?:\.0*)?\s*(?:;|["'])|(?:left|top|text-indent|margin-left|margin-top)\s*:\s*-\d{4,}(?:\.\d*)?px|font-size\s*:\s*0(?:px)?\s*(?:;|["']))|setAttribute\(\s*["'](?:hidden|style)["'](?:\s*,\s*["'](?:[^"']*(?:display\s*:\s*none|visibility\s*:\s*hidden|(?:left|top|text-indent|margin-left|margin-top)\s*:\s*-\d{4,}(?:\.\d*)?px)[^"']*)?["'])?|hidden\s*=\s*(?:true|!0)|style\s*\.\s*setProperty\(\s*["'](?:display|visibility|opacity)["']\s*,\s*["'](?:none|hidden|0)["']|style\s*\[\s*["'](?:display|visibility)["']\s*\]\s*=\s*["'](?:none|hidden)["']|style\s*\.\s*contentVisibility\s*=\s*["']hidden["']|animate\(\s*\[(?:\s*\{\s*["']?opacity["']?\s*:\s*["']?0["']?\s*\}\s*,?)+\s*\]\s*,\s*\{[^}]*fill\s*:\s*["'](?:forwards|both)["'])`

// jqHide is a jQuery call that leaves an element hidden: hide, the fading
// and sliding effects that end hidden (whatever their duration), fadeTo
// or animate to opacity 0, css() with a hiding value.
const jqHide = `(?:hide|fadeOut|slideUp)\([^)]*\)|fadeTo\(\s*[^,()]*,\s*(?:0(?:\.0*)?|\.0+)\s*[,)]|animate\(\s*\{[^}]*opacity\s*:\s*["']?(?:0(?:\.0*)?|\.0+)["']?\s*[,}]|css\(\s*["'](?:display|visibility|opacity)["']\s*,\s*["']?(?:none|hidden|0)["']?\s*\)|toggle\(\s*false\s*\)`

var (
	reUseMap = regexp.MustCompile(`(?i)usemap\s*=\s*["']?#?([^"'\s>]+)`)
	// Script statements that hide an element picked by id or selector.
	reHideByID = regexp.MustCompile(elemRef + `\s*\.\s*` + styleHide)
	// Statements that take an element out of the page for visitors.
	reRemoveByID = regexp.MustCompile(elemRef + `\s*\.\s*(?:remove\(\s*\)|(?:inner|outer)HTML\s*=\s*(?:""|''|` + "``" + `)|textContent\s*=\s*(?:""|'')|replaceChildren\(\s*\)|replaceWith\(\s*\))|removeChild\(\s*(?:document\s*\.\s*)?` + elemRef + `\s*\)`)
	reJQRemove   = regexp.MustCompile(jqRef + `\s*\.\s*(?:remove\(\s*\)|empty\(\s*\)|html\(\s*(?:""|'')\s*\)|detach\(\s*\))`)
	// Statements that give an element a class the stylesheet hides.
	reClassSet = regexp.MustCompile(elemRef + `\s*\.\s*(?:className\s*\+?=\s*["']([\w\s-]+)["']|classList\s*\.\s*(?:add\(\s*|toggle\(\s*|replace\(\s*["'][\w-]+["']\s*,\s*)["']([\w-]+)["']|setAttribute\(\s*["']class["']\s*,\s*["']([\w\s-]+)["'])|` + jqRef + `\s*\.\s*addClass\(\s*["']([\w\s-]+)["']`)
	// Object.assign(el.style, {display: "none"}) and el.toggleAttribute("hidden").
	reAssignHide   = regexp.MustCompile(`Object\s*\.\s*assign\(\s*(?:document\s*\.\s*)?` + elemRef + `\s*\.\s*style\s*,\s*\{[^}]*(?:["']?(?:display|visibility)["']?\s*:\s*["'](?:none|hidden)["']|["']?opacity["']?\s*:\s*["']?(?:0(?:\.0*)?|\.0+)["']?\s*[,}])`)
	reToggleHidden = regexp.MustCompile(elemRef + `\s*\.\s*toggleAttribute\(\s*["']hidden["']\s*(?:,\s*(?:true|!0)\s*)?\)`)
	// Every element of querySelectorAll(…) hidden or removed in a loop:
	// .forEach(function(e){e.style.display="none"}) or (e => e.remove()).
	reEachHide = regexp.MustCompile(`querySelectorAll\(\s*(?:"([^"]+)"|'([^']+)')\s*\)\s*\)?\s*\.\s*forEach\(\s*(?:function\s*\(\s*([\w$]+)|\(?\s*([\w$]+)\s*\)?\s*=>)`)
	// el.replaceWith(anything): the element is gone, whatever replaces it.
	reReplaceWith = regexp.MustCompile(elemRef + `\s*\.\s*replaceWith\(`)
	reHideByAll   = regexp.MustCompile(`document\s*\.\s*all(?:\s*\.\s*([\w-]+)|\[\s*["']([\w-]+)["']\s*\])\s*\.\s*style\s*\.\s*(?:display|visibility)\s*=\s*["'](?:none|hidden)["']`)
	reJQCSSObj    = regexp.MustCompile(jqRef + `\s*\.\s*css\(\s*\{[^}]*(?:["']?(?:display|visibility)["']?\s*:\s*["'](?:none|hidden)["']|["']?opacity["']?\s*:\s*["']?(?:0(?:\.0*)?|\.0+)["']?\s*[,}])`)
	reVarByID     = regexp.MustCompile(`([\w$]+)\s*=\s*document\s*\.\s*` + elemRef)
	reJQHide      = regexp.MustCompile(jqRef + `\s*\.\s*(?:` + jqHide + `)`)
	reJQShow      = regexp.MustCompile(jqRef + `\s*\.\s*(?:show|fadeIn|slideDown|fadeToggle|slideToggle|toggle)\(`)
	reShowByID    = regexp.MustCompile(`getElementById\(\s*["']([\w-]+)["']\s*\)\s*\.\s*style\s*\.\s*display\s*=\s*["'](?:block|inline|flex|)["']`)
	reVarHide     = regexp.MustCompile(`(?:^|[^\w$.])([\w$]+)\s*\.\s*` + styleHide)
	reVarRemove   = regexp.MustCompile(`(?:^|[^\w$.])([\w$]+)\s*\.\s*(?:remove\(\s*\)|outerHTML\s*=\s*(?:""|'')|parentNode\s*\.\s*removeChild\(\s*([\w$]+)\s*\)|parentNode\s*\.\s*replaceChild\([^;]*?,\s*([\w$]+)\s*\))`)
	// A range selecting an element whose contents are then deleted or
	// extracted.
	reRangeRemove = regexp.MustCompile(`selectNode(?:Contents)?\(\s*(?:document\s*\.\s*)?` + elemRef + `\s*\)`)
	// Handlers that run when a visitor interacts: what they hide was
	// visible until then (a close button, a tab switch).
	reInteract = regexp.MustCompile(`(?:\.\s*(?:on)?(?:click|dblclick|hover|mouseenter|mouseover|mouseleave|mouseout|focus|blur|keydown|keyup|submit|change|touchstart|tap)\s*(?:=|\()\s*(?:function\b|\(?\s*[\w$,\s]*\)?\s*=>)|\.\s*on\(\s*["'](?:click|dblclick|mouse\w+|hover|touch\w+|change|submit|key\w+|focus\w*|blur)[^"']*["']\s*,|addEventListener\(\s*["'](?:click|dblclick|mouse\w+|touch\w+|change|submit|key\w+|focus\w*|blur)["']\s*,)`)
)

// interactionSpans returns the byte ranges of code inside handlers that
// run on a visitor's interaction (click, hover, key, change).
func interactionSpans(code string) [][2]int {
	var out [][2]int
	for _, m := range reInteract.FindAllStringIndex(code, 64) {
		open := strings.IndexByte(code[m[1]:], '{')
		if open < 0 || open > 80 {
			continue
		}
		open += m[1]
		out = append(out, [2]int{m[0], matchBrace(code, open)})
	}
	return out
}

func inSpans(spans [][2]int, pos int) bool {
	for _, s := range spans {
		if s[0] <= pos && pos <= s[1] {
			return true
		}
	}
	return false
}

// prepass reads <style> blocks and inline scripts before the walk, in one
// scan of the tags: rules apply to elements before them, and a script
// after an element may hide it (document.getElementById("x").style.display
// ="none", $("#x").hide()). Each hiding statement becomes a stylesheet
// rule; an element the scripts show again is left alone.
func (w *walker) prepass(data []byte) {
	if w.doc == nil && len(w.fragBottom) == 0 {
		w.doc = data
	}
	for off := 0; off < len(data); {
		i := bytes.IndexByte(data[off:], '<')
		if i < 0 {
			return
		}
		i += off
		off = i + 1
		if i+6 <= len(data) && bytes.EqualFold(data[i+1:i+6], []byte("link ")) {
			w.linkedSheet(data[i+5:])
			continue
		}
		if i+6 > len(data) || data[i+1]|0x20 != 's' {
			continue
		}
		var closer string
		switch {
		case bytes.EqualFold(data[i+1:i+6], []byte("style")):
			closer = "</style"
		case i+7 <= len(data) && bytes.EqualFold(data[i+1:i+7], []byte("script")):
			closer = "</script"
		default:
			continue
		}
		gt := bytes.IndexByte(data[i:], '>')
		if gt < 0 {
			return
		}
		start := i + gt + 1
		end := indexFold(data[start:], closer)
		if end < 0 {
			end = len(data) - start
		}
		body := data[start : start+end]
		off = start + end
		if closer == "</style" {
			w.ss.add(string(body))
		} else if len(body) > 0 {
			if hideHint(body) {
				w.scriptHides(string(body))
			}
			if styleHint(body) {
				w.scriptStyles(string(body))
			}
		}
	}
}

// hiddenTag reports a tag's own hiding: the hidden attribute or an
// inline style that hides.
func hiddenTag(tag []byte) bool {
	attrs := parseAttrs(tag, nil, nil)
	if _, ok := attrs.get("hidden"); ok {
		return true
	}
	_, reason := hideReason(parseDecls(attrs.val("style")))
	return reason != ""
}

// linkedSheet reads a <link rel=stylesheet> whose href is a data: URL
// (tag holds the bytes after "<link").
func (w *walker) linkedSheet(tag []byte) {
	gt := bytes.IndexByte(tag, '>')
	if gt < 0 {
		return
	}
	tag = tag[:gt]
	if !bytes.Contains(bytes.ToLower(tag), []byte("data:text/css")) {
		return
	}
	attrs := parseAttrs(tag, nil, nil)
	if !strings.Contains(strings.ToLower(attrs.val("rel")), "stylesheet") {
		return
	}
	if css := dataCSS(attrs.val("href")); css != "" {
		w.ss.add(css)
	}
}

// usedMaps returns the <map> names images refer to (usemap="#name"), each
// with whether some image using it can be seen (is not a spacer): the
// areas of a map only spacers use are as invisible as an unused map's.
func (w *walker) usedMaps() map[string]bool {
	if w.usemaps == nil {
		w.usemaps = map[string]bool{}
		if bytes.Contains(w.doc, []byte("semap")) || bytes.Contains(w.doc, []byte("SEMAP")) {
			// Each <img> tag is read once, within 4 KB of its usemap (a
			// hostile page may repeat usemap in one tag or leave no '<').
			lastStart, lastSeen := -1, true
			for _, m := range reUseMap.FindAllSubmatchIndex(w.doc, maxUseMaps) {
				name := strings.ToLower(string(w.doc[m[2]:m[3]]))
				lo := max(0, m[0]-4096)
				start := bytes.LastIndexByte(w.doc[lo:m[0]], '<')
				end := bytes.IndexByte(w.doc[m[1]:min(len(w.doc), m[1]+4096)], '>')
				seen := true
				if start >= 0 && end >= 0 {
					start += lo
					switch {
					case start == lastStart:
						seen = lastSeen
					case hasPrefixFoldASCII(w.doc[start+1:], "img"):
						seen = !spacerTag(w.doc[start+4:m[1]+end]) && !hiddenTag(w.doc[start+4:m[1]+end])
					}
					lastStart, lastSeen = start, seen
				}
				w.usemaps[name] = w.usemaps[name] || seen
			}
		}
	}
	return w.usemaps
}

// maxUseMaps bounds the usemap attributes read from one document.
const maxUseMaps = 4096

// hideHints: words one of the hiding statements must contain.
var hideHints = []string{"none", "hid", "remove", "empty", "HTML", "class", "Class", "html(", "fade", "slideUp", "opacity", "replace", "detach", "toggle", "assign", "Contents", "animate", "cssText", "setAttribute("}

func hideHint(code []byte) bool {
	for _, h := range hideHints {
		if bytes.Contains(code, []byte(h)) {
			return true
		}
	}
	return false
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
	if !strings.Contains(code, "getElementById") && !strings.Contains(code, "querySelector") && !strings.Contains(code, "getElementsByClassName") &&
		!strings.Contains(code, "$(") && !strings.Contains(code, "jQuery(") && !strings.Contains(code, "document.all") {
		return
	}
	var spans [][2]int
	if strings.Contains(code, "click") || strings.Contains(code, "mouse") || strings.Contains(code, "hover") ||
		strings.Contains(code, "Listener") || strings.Contains(code, "key") || strings.Contains(code, "change") ||
		strings.Contains(code, "touch") || strings.Contains(code, "submit") || strings.Contains(code, "focus") || strings.Contains(code, "tap") {
		spans = interactionSpans(code)
	}
	// all returns the matches that do not run only on interaction.
	all := func(re *regexp.Regexp) [][]string {
		idx := re.FindAllStringSubmatchIndex(code, -1)
		out := make([][]string, 0, len(idx))
		for _, ix := range idx {
			if spans != nil && inSpans(spans, ix[0]) {
				continue
			}
			m := make([]string, len(ix)/2)
			for k := range m {
				if ix[2*k] >= 0 {
					m[k] = code[ix[2*k]:ix[2*k+1]]
				}
			}
			out = append(out, m)
		}
		return out
	}
	shown := map[string]bool{}
	for _, m := range reJQShow.FindAllStringSubmatch(code, -1) {
		shown[strings.TrimSpace(m[1])] = true
	}
	for _, m := range reShowByID.FindAllStringSubmatch(code, -1) {
		shown["#"+m[1]] = true
	}
	var sels []string
	for _, m := range all(reHideByID) {
		sels = append(sels, elemSel(m[1], m[2], m[3]))
	}
	for _, m := range all(reJQHide) {
		sels = append(sels, strings.TrimSpace(m[1]))
	}
	for _, m := range all(reJQCSSObj) {
		sels = append(sels, strings.TrimSpace(m[1]))
	}
	for _, m := range all(reHideByAll) {
		sels = append(sels, "#"+m[1]+m[2])
	}
	type hide struct{ sel, prop, reason string }
	var hides []hide
	if byVar := reVarByID.FindAllStringSubmatch(code, -1); len(byVar) > 0 {
		hiddenVars, removedVars := map[string]bool{}, map[string]bool{}
		for _, m := range all(reVarHide) {
			hiddenVars[m[1]] = true
		}
		for _, m := range all(reVarRemove) {
			if arg := m[2] + m[3]; arg == "" || arg == m[1] {
				removedVars[m[1]] = true
			} else {
				removedVars[arg] = true
			}
		}
		for _, m := range byVar {
			sel := elemSel(m[2], m[3], m[4])
			if hiddenVars[m[1]] {
				sels = append(sels, sel)
			}
			if removedVars[m[1]] {
				hides = append(hides, hide{sel, "display", removedByScript})
			}
		}
	}
	for _, sel := range sels {
		hides = append(hides, hide{sel, "display", "hidden by a script"})
	}
	for _, m := range all(reRemoveByID) {
		hides = append(hides, hide{elemSel(m[1]+m[4], m[2]+m[5], m[3]+m[6]), "display", removedByScript})
	}
	if strings.Contains(code, "deleteContents(") || strings.Contains(code, "extractContents(") {
		for _, m := range all(reRangeRemove) {
			hides = append(hides, hide{elemSel(m[1], m[2], m[3]), "display", removedByScript})
		}
	}
	for _, m := range all(reJQRemove) {
		hides = append(hides, hide{strings.TrimSpace(m[1]), "display", removedByScript})
	}
	for _, m := range all(reAssignHide) {
		hides = append(hides, hide{elemSel(m[1], m[2], m[3]), "display", "hidden by a script"})
	}
	for _, m := range all(reToggleHidden) {
		hides = append(hides, hide{elemSel(m[1], m[2], m[3]), "display", "hidden by a script"})
	}
	for _, m := range all(reReplaceWith) {
		hides = append(hides, hide{elemSel(m[1], m[2], m[3]), "display", removedByScript})
	}
	for _, ix := range reEachHide.FindAllStringSubmatchIndex(code, 64) {
		if spans != nil && inSpans(spans, ix[0]) {
			continue
		}
		sub := func(k int) string {
			if ix[2*k] < 0 {
				return ""
			}
			return code[ix[2*k]:ix[2*k+1]]
		}
		sel, v := sub(1)+sub(2), sub(3)+sub(4)
		body := code[ix[1]:min(len(code), ix[1]+400)]
		switch {
		case regexp.QuoteMeta(v) != v:
		case strings.Contains(body, v+".remove()") || strings.Contains(body, v+".outerHTML=\"\"") || strings.Contains(body, v+".parentNode.removeChild("+v+")"):
			hides = append(hides, hide{sel, "display", removedByScript})
		case reVarHide.MatchString(body) && strings.Contains(body, v+"."):
			hides = append(hides, hide{sel, "display", "hidden by a script"})
		}
	}
	for _, m := range all(reClassSet) {
		sel := elemSel(m[1], m[2]+m[7], m[3])
		for _, cl := range strings.Fields(m[4] + m[5] + " " + m[6] + " " + m[8]) {
			if prop, reason := w.ss.classHides(cl); prop != "" {
				hides = append(hides, hide{sel, prop, reason + " (class ." + cl + " set by a script)"})
				break
			}
		}
	}
	for _, h := range hides {
		if h.sel == "" || shown[h.sel] || w.scriptHidden[h.sel] || len(w.scriptHidden) >= maxScriptHides {
			continue
		}
		if w.scriptHidden == nil {
			w.scriptHidden = map[string]bool{}
		}
		w.scriptHidden[h.sel] = true
		w.ss.addRule(h.sel, decls{"display": "none"}, h.prop, h.reason)
	}
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

// styleHint: the script may add a stylesheet (a <style> element it
// creates or writes, insertRule, a constructed sheet).
func styleHint(code []byte) bool {
	for _, h := range [...]string{"<style", "<STYLE", "3cstyle", "3Cstyle", "3CSTYLE", "insertRule", "addRule", "replaceSync", "adoptedStyleSheets", "cssText"} {
		if bytes.Contains(code, []byte(h)) {
			return true
		}
	}
	// A literal that ends a CSS rule: '.x{display:none}'.
	if bytes.Contains(code, []byte(`}'`)) || bytes.Contains(code, []byte(`}"`)) || bytes.Contains(code, []byte("}`")) {
		return true
	}
	i := bytes.Index(code, []byte("createElement"))
	return i >= 0 && (bytes.Contains(code[i:], []byte(`"style"`)) || bytes.Contains(code[i:], []byte(`'style'`)) ||
		bytes.Contains(code[i:], []byte("`style`")) || bytes.Contains(code[i:], []byte(`"STYLE"`)))
}

// scriptStyles reads the rules a script adds as a stylesheet before the
// walk, like a <style> block: the text of <style> elements it writes, or
// the CSS-like string literals of a script that creates a style element
// or inserts rules, joined in source order (rules are often built from
// pieces). Literals inside handlers that run on a visitor's interaction
// are left out: what they hide was visible until then.
func (w *walker) scriptStyles(code string) {
	if len(code) > maxHideScan {
		code = code[:maxHideScan]
	}
	flat, _ := deobfuscate(code)
	flat = canonicalQuotes(flat)
	if strings.Contains(flat, "+") {
		// Rules built from a variable: "#" + id + "{display:none}".
		if sub := inlineVars(flat); sub != flat {
			flat, _ = deobfuscate(sub)
		}
	}
	for _, m := range reAddRule.FindAllStringSubmatch(flat, 64) {
		w.ss.add(m[1] + "{" + m[2] + "}")
	}
	spans := interactionSpans(flat)
	var all, css strings.Builder
	for _, t := range scanLiterals(flat) {
		if spans != nil && inSpans(spans, t.start) {
			continue
		}
		all.WriteString(t.val)
		v := strings.TrimSpace(t.val)
		if v == "" || strings.ContainsAny(v, "<>") || looksLikeURL(v) {
			continue
		}
		if strings.ContainsAny(v, "{}:;") || v[0] == '.' || v[0] == '#' || v[0] == '[' {
			css.WriteString(t.val)
		}
	}
	text := all.String()
	if lo := strings.ToLower(text); strings.Contains(lo, "<style") {
		for n := 0; n < 16; n++ {
			i := strings.Index(lo, "<style")
			if i < 0 {
				break
			}
			gt := strings.IndexByte(lo[i:], '>')
			if gt < 0 {
				break
			}
			start := i + gt + 1
			end := strings.Index(lo[start:], "</style")
			if end < 0 {
				end = len(lo) - start
			}
			w.ss.add(text[start : start+end])
			lo, text = lo[start+end:], text[start+end:]
		}
		return
	}
	if css.Len() > 0 {
		w.ss.add(css.String())
	}
}

// reAddRule: sheet.addRule(selector, declarations).
var reAddRule = regexp.MustCompile(`addRule\(\s*"([^"]+)"\s*,\s*"([^"]+)"`)

// reConcatVar: an identifier next to a + in a concatenation.
var reConcatVar = regexp.MustCompile(`"\s*\+\s*([A-Za-z_$][\w$]*)\b|\b([A-Za-z_$][\w$]*)\s*\+\s*"`)

// inlineVars replaces variables that hold one string literal by that
// literal where they are concatenated with a literal, so that the
// decoder joins them.
func inlineVars(flat string) string {
	vars := map[string]string{}
	for _, m := range reVarLit.FindAllStringSubmatch(flat, 64) {
		if _, seen := vars[m[1]]; seen {
			vars[m[1]] = "" // assigned twice: not a constant
			continue
		}
		vars[m[1]] = m[2]
	}
	if len(vars) == 0 {
		return flat
	}
	return reConcatVar.ReplaceAllStringFunc(flat, func(x string) string {
		m := reConcatVar.FindStringSubmatch(x)
		name := m[1] + m[2]
		lit := vars[name]
		if lit == "" {
			return x
		}
		return strings.Replace(x, name, lit, 1)
	})
}
