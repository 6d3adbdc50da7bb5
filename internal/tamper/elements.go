package tamper

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Handlers for the elements that carry evidence: meta tags, links, frames
// and inline scripts, plus the visibility test every element goes through.

// attrList holds the current tag's attributes; tags have a handful, so a
// slice beats a map.
type attrList []html.Attribute

func (l attrList) get(key string) (string, bool) {
	for _, a := range l {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func (l attrList) val(key string) string {
	v, _ := l.get(key)
	return v
}

// wantedAttr returns the attribute name as a constant string if the
// walker reads it, "" otherwise; skipping alt, target and the rest saves
// most attribute allocations.
func wantedAttr(k []byte) string {
	switch string(k) {
	case "id":
		return "id"
	case "class":
		return "class"
	case "style":
		return "style"
	case "href":
		return "href"
	case "src":
		return "src"
	case "data":
		return "data"
	case "title":
		return "title"
	case "name":
		return "name"
	case "property":
		return "property"
	case "content":
		return "content"
	case "http-equiv":
		return "http-equiv"
	case "rel":
		return "rel"
	case "type":
		return "type"
	case "width":
		return "width"
	case "height":
		return "height"
	case "hidden":
		return "hidden"
	case "onload":
		return "onload"
	case "onpageshow":
		return "onpageshow"
	case "onerror":
		return "onerror"
	case "open":
		return "open"
	case "scrollamount":
		return "scrollamount"
	case "alt":
		return "alt"
	case "color":
		return "color"
	case "bgcolor":
		return "bgcolor"
	case "display":
		return "display"
	case "visibility":
		return "visibility"
	case "srcdoc":
		return "srcdoc"
	case "x":
		return "x"
	case "y":
		return "y"
	case "viewbox":
		return "viewbox"
	case "popover":
		return "popover"
	case "systemlanguage":
		return "systemlanguage"
	case "requiredextensions":
		return "requiredextensions"
	case "fill-opacity":
		return "fill-opacity"
	case "fill":
		return "fill"
	case "stroke":
		return "stroke"
	case "opacity":
		return "opacity"
	}
	return ""
}

// hiddenBy evaluates attributes, inline style and stylesheet rules. It
// returns the property family and a reason.
func (w *walker) hiddenBy(a atom.Atom, e *elemInfo, inline decls) (string, string) {
	if _, ok := w.attrs.get("hidden"); ok {
		return "display", "hidden attribute"
	}
	if prop, reason := hideReason(inline); reason != "" {
		return prop, reason
	}
	if a == atom.Marquee {
		// A marquee clips its content to its box, set by attribute or style.
		wd, ht := w.attrs.val("width"), w.attrs.val("height")
		if v := inline["width"]; v != "" {
			wd = v
		}
		if v := inline["height"]; v != "" {
			ht = v
		}
		if wd != "" && lenAtMost(wd, 2) || ht != "" && lenAtMost(ht, 2) {
			return "height", "tiny <marquee> (width=" + wd + " height=" + ht + ")"
		}
	}
	return w.ss.hidden(e, w.anc, inline)
}

// reshown reports whether an element undoes an inherited hiding. Only
// font-size and visibility can be reset by a descendant; font-size:0 on a
// list with font-size restored on its items is a common layout trick to
// remove gaps between inline blocks, not a way to hide content.
func (w *walker) reshown(e *elemInfo, inline decls, prop string) bool {
	if prop != "font-size" && prop != "visibility" {
		return false
	}
	return showsProp(inline, prop) || w.ss.shows(e, w.anc, prop)
}

func (w *walker) meta(sel *pathNode, raw []byte, c ctx) {
	name := toLowerASCII(w.attrs.val("name"))
	if name == "" {
		name = toLowerASCII(w.attrs.val("property"))
	}
	content := w.attrs.val("content")
	switch name {
	case "keywords", "description", "og:description", "og:title":
		w.addChunk(content, ctx{sel: sel, path: sel}, inMeta)
	case "sitedomain", "og:url":
		h := urlHost(content)
		if h == "" && !strings.Contains(content, "/") {
			h = strings.ToLower(strings.TrimSpace(content))
		}
		w.p.hostHints = append(w.p.hostHints, h)
	}
	if equalFoldASCII(w.attrs.val("http-equiv"), "refresh") {
		if target := refreshURL(content); target != "" {
			w.p.redirects = append(w.p.redirects, redirectRef{target: target, host: urlHost(target),
				how: "meta refresh", sel: sel, excerpt: truncate(string(raw), 200), obfuscated: c.obfuscated})
		}
	}
}

func (w *walker) link(href string, c *ctx) int {
	href = strings.TrimSpace(href)
	host := urlHost(href)
	w.p.links = append(w.p.links, linkRef{href: href, host: host, title: w.attrs.val("title"), hidden: c.hidden,
		hideSel: c.hideSel, sel: c.path, viaScript: c.viaScript})
	if b := w.innerBlock(); b != nil && !c.viaScript && !c.fragment {
		b.links++
	}
	c.anchorHost = host
	if host == "" {
		c.anchorHost = "."
	}
	return len(w.p.links) - 1
}

func (w *walker) frame(sel *pathNode, c ctx, inline decls) {
	src := w.attrs.val("src")
	if src == "" {
		src = w.attrs.val("data")
	}
	if src == "" {
		return
	}
	hidden, hideSel := c.hidden, c.hideSel
	if hidden == "" {
		wd, ht := w.attrs.val("width"), w.attrs.val("height")
		if wd == "" {
			wd = inline["width"]
		}
		if ht == "" {
			ht = inline["height"]
		}
		if wd != "" && lenAtMost(wd, 2) || ht != "" && lenAtMost(ht, 2) {
			hidden, hideSel = "zero size (width="+wd+" height="+ht+")", sel
		}
	}
	w.p.frames = append(w.p.frames, resRef{src: src, host: urlHost(src), key: resourceKey(src),
		hidden: hidden, hideSel: hideSel, sel: sel, viaScript: c.viaScript, obfuscated: c.obfuscated,
		inNoscript: w.inNoscript()})
}

// inNoscript reports whether the walker is inside the raw content of a
// <noscript> element.
func (w *walker) inNoscript() bool {
	for i := len(w.stack) - 1; i >= 0; i-- {
		f := w.stack[i]
		if f.name == "#fragment" && f.c.path != nil && strings.HasPrefix(f.c.path.sig, "noscript") {
			return true
		}
	}
	return false
}

// scriptCode analyses inline code and walks the HTML it writes as if it
// stood at the script's position.
func (w *walker) scriptCode(code string, sel *pathNode, c ctx, how string) {
	if c.scriptLvl > 2 || strings.TrimSpace(code) == "" {
		return
	}
	f := analyzeScript(code, 2)
	obf := f.obfuscated || c.obfuscated
	for _, r := range f.redirects {
		w.p.redirects = append(w.p.redirects, redirectRef{target: r.target, host: urlHost(r.target), how: how,
			gate: r.gate, delay: r.delay, obfuscated: obf, sel: sel, excerpt: truncate(r.code, 160)})
	}
	for _, s := range f.scripts {
		w.p.scripts = append(w.p.scripts, resRef{src: s, host: urlHost(s), key: resourceKey(s), sel: sel, viaScript: true, obfuscated: obf})
	}
	for _, s := range f.frames {
		w.p.frames = append(w.p.frames, resRef{src: s, host: urlHost(s), key: resourceKey(s), sel: sel,
			viaScript: true, obfuscated: obf, hidden: "created by script", hideSel: sel})
	}
	if len(f.html) == 0 {
		return
	}
	sc := c
	sc.viaScript, sc.obfuscated, sc.scriptLvl = true, obf, c.scriptLvl+1
	switch {
	case sc.hidden == "" && f.spiderOnly:
		sc.hidden, sc.hideSel, sc.hideProp, sc.generic = "written only for search-engine spiders (user-agent check)", sel, "display", true
	case sc.hidden == "" && f.hiddenWrite != "":
		sc.hidden, sc.hideSel, sc.hideProp, sc.generic = f.hiddenWrite, sel, "display", true
	case sc.hidden == "" && len(f.hiddenClasses) > 0 && w.classesHide(f.hiddenClasses) != "":
		sc.hidden, sc.hideSel, sc.hideProp, sc.generic = "written into an element the script creates hidden ("+w.classesHide(f.hiddenClasses)+")", sel, "display", true
	case sc.hidden == "" && obf:
		sc.hidden, sc.hideSel, sc.hideProp, sc.generic = "written by an obfuscated script", sel, "display", true
	}
	if sc.hidden == "" {
		for _, id := range f.targets {
			if why, ok := w.hiddenIDs[id]; ok {
				sc.hidden, sc.hideSel, sc.hideProp, sc.generic = "written into #"+id+", which is hidden ("+why+")", sel, "display", true
				break
			}
		}
	}
	sc.sel, sc.path = sel, sel
	// Written markup is parsed in a context of its own so that its frames
	// close at its end; only an element that hides its content may stay
	// open (see walkFragment).
	base := sc
	for _, h := range f.html {
		w.walkFragment([]byte(h), sc, true)
		// A hiding element one piece leaves open holds the next pieces
		// (h += '<div style="display:none">'; h += links; …).
		sc = base
		if t := w.top(); t != nil && t.scriptOpened && t.c.hidden != "" && sc.hidden == "" {
			sc.hidden, sc.hideSel, sc.hideProp, sc.generic = t.c.hidden, t.c.hideSel, t.c.hideProp, false
		}
	}
}

// classesHide returns the hiding a plain class rule gives any of classes.
func (w *walker) classesHide(classes []string) string {
	for _, cl := range classes {
		if _, reason := w.ss.classHides(cl); reason != "" {
			return reason + " (class ." + cl + ")"
		}
	}
	return ""
}
