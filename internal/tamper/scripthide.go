package tamper

import (
	"bytes"
	"regexp"
	"strings"
)

// Scripts that hide page content after the fact. Inline scripts are read
// before the walk, like <style> blocks, because the statement usually comes
// after the element it hides.

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
	reJQHide    = regexp.MustCompile(`(?:\$|jQuery)\(\s*["']([#.][\w-]+)["']\s*\)\s*\.\s*(?:hide\([^)]*\)|css\(\s*["'](?:display|visibility)["']\s*,\s*["'](?:none|hidden)["']\s*\))`)
	reJQShow    = regexp.MustCompile(`(?:\$|jQuery)\(\s*["']([#.][\w-]+)["']\s*\)\s*\.\s*(?:show|fadeIn|slideDown)\(`)
	reShowByID  = regexp.MustCompile(`getElementById\(\s*["']([\w-]+)["']\s*\)\s*\.\s*style\s*\.\s*display\s*=\s*["'](?:block|inline|flex|)["']`)
	reVarHide   = regexp.MustCompile(`(?:^|[^\w$.])([\w$]+)\s*\.\s*style\s*\.\s*(?:display|visibility)\s*=\s*["'](?:none|hidden)["']`)
)

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
		} else if len(body) > 0 && hideHint(body) {
			w.scriptHides(string(body))
		}
	}
}

// usedMaps returns the <map> names images refer to (usemap="#name").
func (w *walker) usedMaps() map[string]bool {
	if w.usemaps == nil {
		w.usemaps = map[string]bool{}
		if bytes.Contains(w.doc, []byte("semap")) || bytes.Contains(w.doc, []byte("SEMAP")) {
			for _, m := range reUseMap.FindAllSubmatch(w.doc, -1) {
				w.usemaps[strings.ToLower(string(m[1]))] = true
			}
		}
	}
	return w.usemaps
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
