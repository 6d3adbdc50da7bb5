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
