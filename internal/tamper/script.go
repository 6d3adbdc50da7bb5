package tamper

import (
	"html"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// The attacks we care about in inline scripts are static: a literal URL or
// a literal HTML string, usually hidden behind one or two encoding layers.
// Instead of running JavaScript we rewrite the known decoders applied to
// literals (atob, unescape, String.fromCharCode, Dean Edwards' packer, …)
// into plain literals until nothing changes, then read the result.

// jsLiteral reads a quoted JS string starting at s[i] (a quote) and returns
// its decoded value and the index just past the closing quote.
func jsLiteral(s string, i int) (string, int, bool) {
	q := s[i]
	var b strings.Builder
	j := i + 1
	for j < len(s) {
		c := s[j]
		switch {
		case c == q:
			return b.String(), j + 1, true
		case c == '\\' && j+1 < len(s):
			j++
			e := s[j]
			switch e {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'r':
				b.WriteByte('\r')
			case 'b', 'f', 'v':
				b.WriteByte(' ')
			case '0':
				b.WriteByte(0)
			case 'x':
				if j+2 < len(s) {
					if v, err := strconv.ParseUint(s[j+1:j+3], 16, 8); err == nil {
						b.WriteRune(rune(v))
						j += 2
						break
					}
				}
				b.WriteByte('x')
			case 'u':
				if j+1 < len(s) && s[j+1] == '{' {
					if k := strings.IndexByte(s[j:], '}'); k > 0 {
						if v, err := strconv.ParseUint(s[j+2:j+k], 16, 32); err == nil {
							b.WriteRune(rune(v))
							j += k
							break
						}
					}
				}
				if j+4 < len(s) {
					if v, err := strconv.ParseUint(s[j+1:j+5], 16, 16); err == nil {
						b.WriteRune(rune(v))
						j += 4
						break
					}
				}
				b.WriteByte('u')
			case '\n':
				// line continuation
			default:
				b.WriteByte(e)
			}
			j++
		case c == '\n' && q != '`':
			return "", j, false
		default:
			b.WriteByte(c)
			j++
		}
	}
	return "", j, false
}

// jsToken is a string literal found in code.
type jsToken struct {
	start, end int
	val        string
}

// scanLiterals finds the string literals of code, skipping comments and
// (heuristically) regular-expression literals.
func scanLiterals(code string) []jsToken {
	var out []jsToken
	prev := byte('(') // last significant character, to tell regex from division
	for i := 0; i < len(code); {
		c := code[i]
		switch {
		case c == '"' || c == '\'' || c == '`':
			v, end, ok := jsLiteral(code, i)
			if ok {
				out = append(out, jsToken{i, end, v})
			}
			i, prev = end, 'a'
			continue
		case c == '/' && i+1 < len(code) && code[i+1] == '/':
			if k := strings.IndexByte(code[i:], '\n'); k >= 0 {
				i += k
			} else {
				i = len(code)
			}
			continue
		case c == '/' && i+1 < len(code) && code[i+1] == '*':
			if k := strings.Index(code[i+2:], "*/"); k >= 0 {
				i += k + 4
			} else {
				i = len(code)
			}
			continue
		case c == '/' && strings.IndexByte("(,=:[!&|?{};+-*%<>~^", prev) >= 0:
			j := i + 1
			inClass := false
			for j < len(code) && code[j] != '\n' {
				if code[j] == '\\' {
					j += 2
					continue
				}
				if code[j] == '[' {
					inClass = true
				} else if code[j] == ']' {
					inClass = false
				} else if code[j] == '/' && !inClass {
					break
				}
				j++
			}
			i, prev = j+1, 'a'
			continue
		}
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			prev = c
		}
		i++
	}
	return out
}

// scriptFacts is what one inline script does once decoded.
type scriptFacts struct {
	obfuscated bool
	spiderOnly bool     // what it writes is gated on a spider user agent
	html       []string // HTML strings it writes (document.write, innerHTML …)
	scripts    []string // script URLs it loads (createElement, getScript)
	frames     []string // iframe URLs it creates
	redirects  []jsRedirect
	// hiddenClasses: classes given to an element the script creates (the
	// stylesheet decides whether they hide it); hiddenWrite: why what the
	// script writes is hidden, when it builds a hidden element itself.
	hiddenClasses []string
	hiddenWrite   string
	// targets: ids of page elements the script inserts into (what it
	// writes lands there, hidden if they are).
	targets []string
}

type jsRedirect struct {
	target string // "" when not statically resolvable
	gate   string // "referrer", "user-agent" or ""
	delay  bool
	code   string // excerpt
}

var (
	reAssignLoc = regexp.MustCompile(`(?:^|[^\w$.])((?:[\w$]+\s*\.\s*)*location(?:\s*\.\s*href)?)\s*=([^=][^;\n}]*)`)
	reCallLoc   = regexp.MustCompile(`(?:location\s*\.\s*(?:replace|assign)|\.navigate)\s*\(\s*([^)]*)\)`)
	reVarLit    = regexp.MustCompile(`([\w$]+)\s*=\s*("(?:[^"\\]|\\.)*")`)
	reHTMLish   = regexp.MustCompile(`(?i)<\s*(a|iframe|script|div|p|span|meta|marquee|font|ul|li|img|link|frameset|frame|style|h[1-6]|section|b|strong|center|template|dialog)\b`)
	reCreateEl  = regexp.MustCompile(`createElement\s*\(\s*"(script|iframe)"\s*\)`)
	reSrcSet    = regexp.MustCompile(`(?:\.src\s*=\s*|setAttribute\s*\(\s*"src"\s*,\s*)("(?:[^"\\]|\\.)*")`)
	reGetScript = regexp.MustCompile(`getScript\s*\(\s*("(?:[^"\\]|\\.)*")`)
	reReferrer  = regexp.MustCompile(`(?i)document\s*\.\s*referr?er`)
	reUA        = regexp.MustCompile(`(?i)navigator\s*\.\s*(userAgent|platform|appVersion)`)
	reDelay     = regexp.MustCompile(`set(Timeout|Interval)\s*\(`)
	reCloseOnly = regexp.MustCompile(`^\s*(?:</\s*[a-zA-Z]+\s*>\s*)+$`)
	reSpiderUA  = regexp.MustCompile(`(?i)spider|bot\b|googlebot|sogou|bingbot|slurp|baidu|haosou|yisou`)
	reNegated   = regexp.MustCompile(`!\s*/|!\s*\(|[^!=]==={0,1}\s*-1|<\s*0`)
	// An element the script builds: var d=document.createElement("div").
	reNewElem = regexp.MustCompile(`([\w$]+)\s*=\s*(?:document\s*\.\s*)?createElement\(\s*"(\w+)"\s*\)`)
	// What it does to one: style, classes, content, attributes.
	reElemStyle = regexp.MustCompile(`(?:^|[^\w$.])([\w$]+)\s*\.\s*(?:style\s*\.\s*(\w+)\s*=\s*("(?:[^"\\]|\\.)*"|[\w.-]+)|style\s*\.\s*cssText\s*=\s*"([^"]*)"|setAttribute\(\s*"style"\s*,\s*"([^"]*)"\s*\)|(hidden)\s*=\s*(?:true|!0)|setAttribute\(\s*"(hidden)"|className\s*=\s*"([\w\s-]*)"|classList\s*\.\s*add\(\s*"([\w-]+)"|setAttribute\(\s*"class"\s*,\s*"([\w\s-]*)")`)
	reDynHref   = regexp.MustCompile(`\.\s*href\s*=\s*[^"\s]|(?:setAttribute|attr|prop)\(\s*"href"\s*,\s*[^"\s]`)
	// An element written empty: <div style="display:none"></div>.
	reEmptyElem = regexp.MustCompile(`^\s*(<(\w+)\b[^>]*>)\s*</(\w+)\s*>\s*$`)
	// Links created one by one: createElement("a"), jQuery $("<a>").
	reCreateA  = regexp.MustCompile(`(?i)createElement\(\s*"a"\s*\)|\$\(\s*"<a\s*/?>"\s*\)`)
	reElemText = regexp.MustCompile(`(?:^|[^\w$.])([\w$]+)\s*\.\s*(?:innerHTML|innerText|textContent|text|outerHTML)\s*=\s*("(?:[^"\\]|\\.)*")|(?:^|[^\w$.])([\w$]+)\s*\.\s*(?:appendChild|append)\(\s*(?:document\s*\.\s*createTextNode\(\s*)?("(?:[^"\\]|\\.)*")`)
	// A template that starts a link and leaves its href to an expression:
	// '<li><a href="' + d.url + '">' + d.name + '</a></li>'.
	reHrefTpl  = regexp.MustCompile(`(?i)<a\b[^>]*\bhref\s*=\s*["']?\$\{`)
	reHrefHole = regexp.MustCompile(`(?i)<a\b[^>]*\bhref\s*=\s*["']?$`)
	// An element of the page the script puts content into.
	reInsertInto = regexp.MustCompile(`getElementById\(\s*"([\w-]+)"\s*\)|querySelector\(\s*"#([\w-]+)"\s*\)`)
	reElemHref   = regexp.MustCompile(`(?:^|[^\w$.])([\w$]+)\s*\.\s*(?:href\s*=\s*|setAttribute\(\s*"href"\s*,\s*)("(?:[^"\\]|\\.)*")`)
)

// createdElements reads the elements a script builds with createElement:
// whether the script hides one (by its style, the hidden attribute or a
// class for the stylesheet to judge), the text it puts in them, and links
// it builds from parts (a.href=…; a.textContent=…). Elements appended to a
// hidden one are not tracked separately: a script that builds a hidden
// element is taken to write all its markup there.
func createdElements(flat string, f *scriptFacts) {
	made := map[string]string{}
	for _, m := range reNewElem.FindAllStringSubmatch(flat, 32) {
		made[m[1]] = strings.ToLower(m[2])
	}
	if len(made) == 0 {
		return
	}
	style := map[string]decls{}
	for _, m := range reElemStyle.FindAllStringSubmatch(flat, 256) {
		v := m[1]
		if _, ok := made[v]; !ok {
			continue
		}
		d := style[v]
		if d == nil {
			d = decls{}
			style[v] = d
		}
		switch {
		case m[2] == "cssText":
			// style.cssText="…" is read by the first alternative too.
			if lit, _, ok := jsLiteral(m[3], 0); ok {
				for k, val := range parseDecls(lit) {
					d[k] = val
				}
			}
		case m[2] != "":
			val := m[3]
			if lit, _, ok := jsLiteral(val, 0); ok && strings.HasPrefix(val, `"`) {
				val = lit
			}
			d[cssName(m[2])] = strings.ToLower(strings.TrimSpace(val))
		case m[4] != "" || m[5] != "":
			for k, val := range parseDecls(m[4] + m[5]) {
				d[k] = val
			}
		case m[6] != "" || m[7] != "":
			d["display"] = "none"
		default:
			f.hiddenClasses = append(f.hiddenClasses, strings.Fields(m[8]+" "+m[9]+" "+m[10])...)
		}
	}
	for v, d := range style {
		if _, reason := hideReason(d); reason != "" {
			f.hiddenWrite = "written into an element the script creates hidden (" + reason + ")"
			_ = v
			break
		}
	}
	texts := map[string]string{}
	for _, m := range reElemText.FindAllStringSubmatch(flat, 256) {
		v, lit := m[1]+m[3], m[2]+m[4]
		if _, ok := made[v]; !ok {
			continue
		}
		if t, _, ok := jsLiteral(lit, 0); ok {
			texts[v] += t
		}
	}
	for _, m := range reElemHref.FindAllStringSubmatch(flat, 64) {
		if made[m[1]] != "a" {
			continue
		}
		if href, _, ok := jsLiteral(m[2], 0); ok {
			f.html = append(f.html, `<a href="`+html.EscapeString(href)+`">`+html.EscapeString(texts[m[1]])+`</a>`)
			delete(texts, m[1])
		}
	}
	for _, t := range texts {
		if !reHTMLish.MatchString(t) && strings.TrimSpace(t) != "" {
			f.html = append(f.html, "<span>"+html.EscapeString(t)+"</span>")
		}
	}
}

// cssName turns a style property as scripts name it (fontSize) into CSS
// (font-size).
func cssName(js string) string {
	var b strings.Builder
	for _, r := range js {
		if 'A' <= r && r <= 'Z' {
			b.WriteByte('-')
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// analyzeScript decodes an inline script and extracts its effects. depth
// limits recursion into code hidden in string literals (setTimeout("…")).
func analyzeScript(code string, depth int) scriptFacts {
	var f scriptFacts
	if len(code) > maxScriptBytes {
		code = code[:maxScriptBytes]
	}
	flat, obf := deobfuscate(code)
	// Markup spelled in \x or \u00XX escapes hides from text search.
	if !obf && strings.Contains(code, `\`) && escapedAlnum(code) >= 8 {
		obf = true
	}
	flat = canonicalQuotes(flat)
	f.obfuscated = obf
	lits := scanLiterals(flat)
	vars := map[string]string{}
	for _, m := range reVarLit.FindAllStringSubmatch(flat, -1) {
		if v, _, ok := jsLiteral(m[2], 0); ok {
			vars[m[1]] = v
		}
	}
	// Once for the whole code, not per literal: a script of many short
	// literals that mention location made this quadratic.
	delay := reDelay.MatchString(flat)
	for _, t := range lits {
		if len(t.val) > 3 && reHTMLish.MatchString(t.val) || reCloseOnly.MatchString(t.val) {
			f.html = append(f.html, t.val)
		}
		if depth > 0 && strings.Contains(t.val, "location") && len(t.val) < 4096 {
			inner := analyzeScript(t.val, depth-1)
			for _, r := range inner.redirects {
				r.delay = r.delay || delay
				f.redirects = append(f.redirects, r)
			}
		}
	}
	if strings.Contains(flat, "createElement") {
		createdElements(flat, &f)
	}
	dataLinks(flat, lits, &f)
	if len(f.html) > 0 {
		for _, m := range reInsertInto.FindAllStringSubmatch(flat, 16) {
			f.targets = append(f.targets, m[1]+m[2])
		}
	}
	if m := reCreateEl.FindStringSubmatch(flat); m != nil {
		for _, s := range reSrcSet.FindAllStringSubmatch(flat, -1) {
			if v, _, ok := jsLiteral(s[1], 0); ok {
				if m[1] == "script" {
					f.scripts = append(f.scripts, v)
				} else {
					f.frames = append(f.frames, v)
				}
			}
		}
	}
	for _, s := range reGetScript.FindAllStringSubmatch(flat, -1) {
		if v, _, ok := jsLiteral(s[1], 0); ok {
			f.scripts = append(f.scripts, v)
		}
	}
	gate := ""
	switch {
	case reReferrer.MatchString(flat) && strings.Contains(flat, "if"):
		gate = "referrer"
	case reUA.MatchString(flat) && strings.Contains(flat, "if"):
		gate = "user-agent"
	}
	if gate == "user-agent" && len(f.html) > 0 && reSpiderUA.MatchString(flat) && !reNegated.MatchString(flat) {
		f.spiderOnly = true
	}
	add := func(expr, excerpt string) {
		f.redirects = append(f.redirects, jsRedirect{target: resolveExpr(expr, vars), gate: gate, delay: delay, code: excerpt})
	}
	for _, m := range reAssignLoc.FindAllStringSubmatch(flat, -1) {
		add(m[2], m[0])
	}
	for _, m := range reCallLoc.FindAllStringSubmatch(flat, -1) {
		add(m[1], m[0])
	}
	return f
}

// resolveExpr finds the URL an assignment's right-hand side evaluates to,
// when that is a literal, a variable holding a literal, or a concatenation
// starting with a literal URL.
func resolveExpr(expr string, vars map[string]string) string {
	expr = strings.TrimSpace(expr)
	if expr == "" {
		return ""
	}
	if toks := scanLiterals(expr); len(toks) > 0 {
		if toks[0].start == 0 || looksLikeURL(toks[0].val) {
			return toks[0].val
		}
	}
	id := strings.TrimRight(expr, " )")
	if v, ok := vars[id]; ok {
		return v
	}
	return ""
}

func looksLikeURL(s string) bool {
	s = strings.TrimSpace(s)
	return hasPrefixFoldASCII(s, "http://") || hasPrefixFoldASCII(s, "https://") || strings.HasPrefix(s, "//")
}

// urlHost returns the lower-cased host of an absolute or protocol-relative
// URL, or "" for relative URLs and non-web schemes.
func urlHost(raw string) string {
	raw = strings.TrimSpace(raw)
	if raw == "" || raw[0] == '/' && (len(raw) == 1 || raw[1] != '/' && raw[1] != '\\') || raw[0] == '#' || raw[0] == '.' {
		return "" // relative: the common case, no need to parse
	}
	u, err := url.Parse(raw)
	if err != nil {
		// Be lenient with junk after the host.
		if i := strings.Index(raw, "//"); i >= 0 {
			h := raw[i+2:]
			if j := strings.IndexAny(h, "/?#\\ "); j >= 0 {
				h = h[:j]
			}
			return strings.ToLower(strings.TrimSuffix(h, "."))
		}
		return ""
	}
	if u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https" {
		return ""
	}
	return strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
}

// maxDataLinks bounds the links read from one script's data.
const maxDataLinks = 512

// dataLinks reads links a script builds from data: URL literals (an array
// of strings or of objects) put into a link template with a hole for the
// href, or into a.href of links it creates in a loop. Each URL is paired
// with the text literal next to it (after it, else before it; object keys
// are skipped), and the links are written where the template stands (or
// after what the script writes).
func dataLinks(flat string, lits []jsToken, f *scriptFacts) {
	hole, tpl := -1, false
	for i, h := range f.html {
		if reHrefHole.MatchString(h) {
			hole = i
			break
		}
		if reHrefTpl.MatchString(h) {
			hole, tpl = i, true
			break
		}
	}
	if hole < 0 && !(reCreateA.MatchString(flat) && reDynHref.MatchString(flat)) {
		return
	}
	isKey := func(t jsToken) bool {
		rest := strings.TrimLeft(flat[t.end:], " \t\r\n")
		return strings.HasPrefix(rest, ":")
	}
	isText := func(t jsToken) bool {
		v := strings.TrimSpace(t.val)
		return v != "" && !looksLikeURL(v) && !strings.ContainsAny(v, "<>") && !isKey(t) && len(v) < 200
	}
	// Parallel arrays: a run of URL literals followed by as many texts
	// (var u = ["http://…", …], t = ["…", …]) pair by position.
	parallel := map[int]string{}
	for i := 0; i < len(lits); {
		if !looksLikeURL(lits[i].val) || isKey(lits[i]) {
			i++
			continue
		}
		j := i
		for j < len(lits) && looksLikeURL(lits[j].val) && !isKey(lits[j]) {
			j++
		}
		if k := j - i; k >= 2 && j+k <= len(lits) {
			ok := true
			for x := j; x < j+k; x++ {
				ok = ok && isText(lits[x])
			}
			if ok {
				for x := 0; x < k; x++ {
					parallel[i+x] = lits[j+x].val
				}
			}
		}
		i = j
	}
	var b strings.Builder
	n := 0
	for i, t := range lits {
		if !looksLikeURL(t.val) || n >= maxDataLinks {
			continue
		}
		text, paired := parallel[i]
		if isKey(t) {
			// {"http://…": "text"}: the URL is the key, the text its value.
			if i+1 >= len(lits) || !isText(lits[i+1]) {
				continue
			}
			text, paired = lits[i+1].val, true
		}
		for j := i + 1; !paired && j < len(lits) && j <= i+3; j++ {
			if looksLikeURL(lits[j].val) {
				break
			}
			if isText(lits[j]) {
				text = lits[j].val
				break
			}
		}
		if !paired && text == "" {
			for j := i - 1; j >= 0 && j >= i-3; j-- {
				if looksLikeURL(lits[j].val) {
					break
				}
				if isText(lits[j]) {
					text = lits[j].val
					break
				}
			}
		}
		b.WriteString(`<a href="` + html.EscapeString(strings.TrimSpace(t.val)) + `">` + html.EscapeString(text) + `</a> `)
		n++
	}
	if n == 0 {
		return
	}
	if hole < 0 {
		// An empty element the script writes ($('<div style="display:none"></div>'))
		// is the container the links are appended to.
		for i, h := range f.html {
			if m := reEmptyElem.FindStringSubmatch(h); m != nil && strings.EqualFold(m[2], m[3]) {
				f.html[i] = m[1] + b.String() + "</" + m[2] + ">"
				return
			}
		}
		f.html = append(f.html, b.String())
		return
	}
	h := f.html[hole]
	lo := strings.ToLower(h)
	if tpl {
		k := reHrefTpl.FindStringIndex(lo)[0]
		rest := ""
		if e := strings.Index(lo[k:], "</a>"); e >= 0 {
			rest = h[k+e+4:]
		}
		f.html[hole] = h[:k] + b.String() + rest
		return
	}
	k := strings.LastIndex(lo, "<a")
	f.html[hole] = h[:k] + b.String()
}
