package tamper

import (
	"fmt"
	"sort"
	"strings"
)

// env carries what the detectors know about the site: its host and, in
// Check, the baseline.
type env struct {
	own         string
	base        *Baseline
	knownHosts  map[string]bool // any host the baseline links to or loads from
	scriptHosts map[string]bool
	frameHosts  map[string]bool
	redirHosts  map[string]bool
	terms       map[string]bool
}

func newEnv(b *Baseline, pg *page) *env {
	if pg.host == "" {
		pg.host = b.Host
	}
	e := &env{own: pg.host, base: b, knownHosts: map[string]bool{}, scriptHosts: map[string]bool{},
		frameHosts: map[string]bool{}, redirHosts: map[string]bool{}, terms: map[string]bool{}}
	if b.Host != "" && !sameSite(pg.host, b.Host) {
		// A page fetched under another name (mirror, IP) keeps its own host
		// but the baseline's host stays trusted.
		e.knownHosts[b.Host] = true
	}
	for _, h := range b.LinkHosts {
		e.knownHosts[h] = true
	}
	for _, k := range b.ScriptKeys {
		h := k
		if i := strings.IndexByte(k, '/'); i >= 0 {
			h = k[:i]
		}
		e.scriptHosts[h] = true
		e.knownHosts[h] = true
	}
	for _, h := range b.FrameHosts {
		e.frameHosts[h] = true
		e.knownHosts[h] = true
	}
	for _, h := range b.RedirectHosts {
		e.redirHosts[h] = true
	}
	for _, t := range b.Terms {
		e.terms[t] = true
	}
	return e
}

// foreign reports a host outside the site and unknown to the baseline.
func (e *env) foreign(host string) bool {
	return host != "" && host != "." && !sameSite(host, e.own) && !e.knownHosts[host]
}

// detect runs the checks that read one snapshot on its own (with the
// baseline's known hosts and terms when there is one).
func (e *env) detect(pg *page, prefix string) []Finding {
	var fs []Finding
	fs = append(fs, e.hiddenLinks(pg)...)
	fs = append(fs, e.hiddenFrames(pg)...)
	fs = append(fs, e.newScripts(pg)...)
	fs = append(fs, e.redirects(pg)...)
	fs = append(fs, e.illicit(pg)...)
	if prefix != "" {
		for i := range fs {
			fs[i].Reason = prefix + fs[i].Reason
			fs[i].ReasonZH = "蜘蛛版本：" + fs[i].ReasonZH
		}
	}
	return fs
}

// hiddenLinks reports links to foreign hosts inside invisible content,
// grouped by the element that hides them.
func (e *env) hiddenLinks(pg *page) []Finding {
	type group struct {
		how       string
		sel       *pathNode
		hosts     []string
		items     []string
		viaScript bool
		spam      bool
	}
	var order []*pathNode
	groups := map[*pathNode]*group{}
	ui := e.uiPanels(pg)
	lists := e.publicLists(pg)
	for _, l := range pg.links {
		if l.hidden == "" || !e.foreign(l.host) {
			continue
		}
		// A counter badge in <noscript> links an image, not words.
		if strings.HasPrefix(l.hidden, "inside <noscript>") && strings.TrimSpace(l.text) == "" {
			continue
		}
		if isPublicSector(l.host) && illicitScore(normalize(l.text), e.terms) == 0 {
			continue
		}
		// A panel a hover or focus rule opens (an app-download menu) is
		// part of the interface unless its links carry spam.
		if strings.Contains(l.hidden, revealedMark) && illicitScore(normalize(l.text+" "+l.title+" "+l.host), e.terms) == 0 {
			continue
		}
		if ui != nil && ui[l.hideSel] || lists != nil && lists[l.hideSel] {
			continue
		}
		g := groups[l.hideSel]
		if g == nil {
			g = &group{how: l.hidden, sel: l.hideSel}
			groups[l.hideSel] = g
			order = append(order, l.hideSel)
		}
		g.hosts = addString(g.hosts, l.host, 1000)
		g.items = append(g.items, fmt.Sprintf("%s → %s", truncate(l.text, 20), l.host))
		g.viaScript = g.viaScript || l.viaScript
		g.spam = g.spam || weakHide(l.hidden) && illicitScore(normalize(l.text+" "+l.title), e.terms) > 0
	}
	var fs []Finding
	for _, k := range order {
		g := groups[k]
		if weakHide(g.how) && len(g.hosts) < 2 && !g.spam {
			continue
		}
		via := ""
		if g.viaScript {
			via = " (written by script)"
		}
		fs = append(fs, Finding{
			Kind: KindHiddenLink,
			Reason: fmt.Sprintf("%d invisible link(s) to %d foreign host(s) (%s), hidden by %s%s",
				len(g.items), len(g.hosts), hostList(g.hosts, 3), g.how, via),
			ReasonZH: fmt.Sprintf("发现%d个指向外部站点的隐藏链接（黑链）", len(g.items)),
			Excerpt:  truncate(strings.Join(g.items, "; "), 200),
			Selector: g.sel.String(),
		})
	}
	return fs
}

func (e *env) hiddenFrames(pg *page) []Finding {
	var fs []Finding
	for _, f := range pg.frames {
		// A frame in <noscript> is a tracker for visitors without scripts
		// (Google Tag Manager's ns.html): browsers with scripts never load
		// it. Links with text in <noscript> are still read as spam.
		if f.hidden == "" || f.inNoscript || !e.foreign(f.host) || e.frameHosts[f.host] {
			continue
		}
		fs = append(fs, Finding{
			Kind:     KindHiddenIframe,
			Reason:   fmt.Sprintf("invisible iframe loads foreign host %s (%s)", f.host, f.hidden),
			ReasonZH: "发现加载外部站点的隐藏 iframe",
			Excerpt:  truncate(f.src, 200),
			Selector: f.sel.String(),
		})
	}
	return fs
}

// nationalWidgetHost reports whether a script host is the central
// government portal (www.gov.cn and its subdomains), which serves the
// widgets every public-sector site is told to embed, such as the
// 我为政府网站找错 error-report script from zfwzgl.www.gov.cn. A site that
// adds one has not been tampered with; only the portal itself could change
// what it serves.
func nationalWidgetHost(host string) bool {
	return host == "www.gov.cn" || strings.HasSuffix(host, ".www.gov.cn")
}

// newScripts reports scripts from hosts the site never used. Without a
// baseline only scripts pulled in by obfuscated code are suspicious enough.
func (e *env) newScripts(pg *page) []Finding {
	var fs []Finding
	seen := map[string]bool{}
	for _, s := range pg.scripts {
		if s.host == "" || sameSite(s.host, e.own) || seen[s.key] {
			continue
		}
		if e.base == nil && !s.obfuscated {
			continue
		}
		if e.base != nil && e.scriptHosts[s.host] {
			continue
		}
		if nationalWidgetHost(s.host) && !s.viaScript && !s.obfuscated {
			continue
		}
		seen[s.key] = true
		how := "<script src>"
		if s.viaScript {
			how = "script written by another script"
		}
		fs = append(fs, Finding{
			Kind:     KindNewExternalScript,
			Reason:   fmt.Sprintf("new external script from %s, a host the site never loaded scripts from (%s)", s.host, how),
			ReasonZH: "页面新增来自陌生域名的外部脚本",
			Excerpt:  truncate(s.src, 200),
			Selector: s.sel.String(),
		})
	}
	return fs
}

// redirects reports navigation to foreign hosts: meta refresh, location
// assignments, also when the target is unreadable but the code only fires
// for visitors arriving from search engines.
func (e *env) redirects(pg *page) []Finding {
	var fs []Finding
	seen := map[string]bool{}
	for _, r := range pg.redirects {
		switch {
		case r.target != "" && r.host == "":
			continue // relative: own site
		case r.host != "" && (sameSite(r.host, e.own) || e.redirHosts[r.host]):
			continue
		case r.target == "" && r.gate != "referrer":
			continue
		}
		key := r.target + "|" + r.sel.String()
		if seen[key] {
			continue
		}
		seen[key] = true
		var notes []string
		if r.gate == "referrer" {
			notes = append(notes, "only for visitors coming from search engines (document.referrer check)")
		} else if r.gate == "user-agent" {
			notes = append(notes, "depends on the user agent")
		}
		if r.delay {
			notes = append(notes, "delayed by a timer")
		}
		if r.obfuscated {
			notes = append(notes, "target hidden by encoding")
		}
		target := r.host
		if target == "" {
			target = "an unresolved address"
		}
		reason := fmt.Sprintf("%s redirects visitors to %s", r.how, target)
		if len(notes) > 0 {
			reason += ": " + strings.Join(notes, ", ")
		}
		excerpt := r.excerpt
		if r.target != "" && !strings.Contains(excerpt, r.target) {
			excerpt = truncate(excerpt+" ⇒ "+r.target, 200)
		}
		fs = append(fs, Finding{Kind: KindMaliciousRedirect, Reason: reason,
			ReasonZH: "页面将访问者跳转到外部站点", Excerpt: excerpt, Selector: r.sel.String()})
	}
	return fs
}

// Illicit-content scoring: a term's weight times the prominence of where
// it appears. illicitThreshold lets one strong term in the title, meta
// tags or hidden content alert, but needs two in ordinary visible text.
const illicitThreshold = 8

func chunkMultiplier(c chunk, e *env) (float64, string) {
	switch {
	case c.where == inTitle:
		return 3, "title"
	case c.where == inMeta:
		return 2.5, "meta keywords/description"
	case c.hidden != "":
		return 2.5, "hidden content"
	case c.viaScript:
		return 2.5, "script-written content"
	case c.anchorHost != "" && c.anchorHost != "." && e.foreign(c.anchorHost) && !isPublicSector(c.anchorHost):
		return 2, "links to foreign sites"
	}
	return 1, "visible text"
}

// illicitScore is the plain weighted sum for a normalised string, skipping
// terms in known.
func illicitScore(norm string, known map[string]bool) float64 {
	s := 0.0
	illicitLex.scan(norm, func(i, pos int) {
		t := illicitLex.terms[i]
		if known[t.text] {
			return
		}
		w := t.weight
		if antiNear(norm, pos, pos+len(t.text)) {
			w *= 0.2
		}
		s += w
	})
	return s
}

type termHit struct {
	score float64
	count int
	where string
	sel   *pathNode
	text  string
}

// illicitHits scores every chunk; the result is keyed by term.
func (e *env) illicitHits(pg *page) (map[string]*termHit, float64) {
	hits := map[string]*termHit{}
	for _, c := range pg.chunks {
		mult, where := chunkMultiplier(c, e)
		var quoted []string
		if mult == 1 {
			quoted = warnedQuotes(c)
		}
		illicitLex.scan(c.norm, func(i, pos int) {
			t := illicitLex.terms[i]
			if e.terms[t.text] {
				return
			}
			m := mult
			if antiNear(c.norm, pos, pos+len(t.text)) || quotedTerm(quoted, t.text) {
				m *= 0.2
			}
			h := hits[t.text]
			if h == nil {
				h = &termHit{}
				hits[t.text] = h
			}
			h.count++
			if s := t.weight * m; s > h.score {
				h.score, h.where, h.sel, h.text = s, where, c.sel, c.raw
				if c.where != inBody {
					h.sel = c.sel
				} else if c.hideSel != nil {
					h.sel = c.hideSel
				}
			}
		})
	}
	total := 0.0
	for _, h := range hits {
		extra := h.count - 1
		if extra > 4 {
			extra = 4
		}
		total += h.score * (1 + 0.25*float64(extra))
	}
	return hits, total
}

// warnContext words mark a sentence that warns about what it quotes:
// 警方提示："……"都是诈骗话术.
var warnContext = []string{"提示", "提醒", "诈骗", "切勿", "骗局", "话术", "被骗", "上当", "警惕", "谨防", "识破"}

// quoteMarks pairs the opening and closing quotation marks of Chinese and
// Western text.
var quoteMarks = [][2]string{{"“", "”"}, {"「", "」"}, {"『", "』"}, {"‘", "’"}, {"\"", "\""}}

// warnedQuotes returns the normalised phrases quoted in a visible text run
// that also carries a warning word, nil otherwise: news about fraud cases
// quotes the scammers' wording to warn readers of it.
func warnedQuotes(c chunk) []string {
	if c.hidden != "" || c.viaScript || c.where != inBody || !strings.ContainsAny(c.raw, "“「『‘\"") {
		return nil
	}
	warned := false
	for _, w := range warnContext {
		if strings.Contains(c.norm, w) {
			warned = true
			break
		}
	}
	if !warned {
		return nil
	}
	var out []string
	for _, q := range quoteMarks {
		rest := c.raw
		for {
			i := strings.Index(rest, q[0])
			if i < 0 {
				break
			}
			rest = rest[i+len(q[0]):]
			j := strings.Index(rest, q[1])
			if j < 0 || j > 120 {
				break
			}
			if n := normalize(rest[:j]); n != "" {
				out = append(out, n)
			}
			rest = rest[j+len(q[1]):]
		}
	}
	return out
}

// quotedTerm reports whether term lies within one of the quoted phrases.
func quotedTerm(quoted []string, term string) bool {
	for _, q := range quoted {
		if strings.Contains(q, term) {
			return true
		}
	}
	return false
}

func (e *env) illicit(pg *page) []Finding {
	hits, total := e.illicitHits(pg)
	if total < illicitThreshold {
		return nil
	}
	type loc struct {
		terms []string
		sel   *pathNode
		text  string
		score float64
	}
	byWhere := map[string]*loc{}
	var wheres []string
	for t, h := range hits {
		l := byWhere[h.where]
		if l == nil {
			l = &loc{sel: h.sel, text: h.text}
			byWhere[h.where] = l
			wheres = append(wheres, h.where)
		}
		l.terms = append(l.terms, t)
		if h.score > l.score {
			l.score, l.sel, l.text = h.score, h.sel, h.text
		}
	}
	sort.Strings(wheres)
	var fs []Finding
	for _, w := range wheres {
		l := byWhere[w]
		sort.Strings(l.terms)
		fs = append(fs, Finding{
			Kind:     KindIllicitContent,
			Reason:   fmt.Sprintf("gambling/porn/fraud spam terms in %s: %s (page score %.0f)", w, strings.Join(l.terms, ", "), total),
			ReasonZH: "页面出现博彩、色情或诈骗等违规词：" + strings.Join(l.terms, "、"),
			Excerpt:  truncate(l.text, 200),
			Selector: l.sel.String(),
		})
	}
	return fs
}

// countOwnLinks counts anchors pointing into the site.
func countOwnLinks(pg *page) int {
	n := 0
	for _, l := range pg.links {
		if l.viaScript {
			continue
		}
		h := l.href
		if hasPrefixFoldASCII(h, "javascript:") || strings.HasPrefix(h, "#") || hasPrefixFoldASCII(h, "mailto:") || h == "" {
			continue
		}
		if sameSite(l.host, pg.host) {
			n++
		}
	}
	return n
}

// uiPanels returns the hiding elements that are panels of an interface
// component: a carousel slide, a tab pane, an accordion panel. Such a
// panel carries a class (components style their panels by class) and is
// hidden with display:none, visibility:hidden or the hidden
// attribute (inline, by rule or by script), a sibling with the same tag
// and classes (or those and more: the open panel's .active) is visible and
// holds links itself, the panel holds no more
// than twice as many foreign links as that sibling (at least two), and
// none of them has spam in its text, title or host. A visitor opens it by
// clicking; a spam block hidden among list items carries more links, spam
// wording or a spam host.
func (e *env) uiPanels(pg *page) map[*pathNode]bool {
	type panel struct {
		links int
		spam  bool
	}
	var cands map[*pathNode]*panel
	for _, l := range pg.links {
		if l.hidden == "" || l.hideSel == nil || l.hideSel.parent == nil || !e.foreign(l.host) || !uiHiding(l.hidden) ||
			!strings.Contains(baseSig(l.hideSel.sig), ".") {
			continue
		}
		if cands == nil {
			cands = map[*pathNode]*panel{}
		}
		p := cands[l.hideSel]
		if p == nil {
			p = &panel{}
			cands[l.hideSel] = p
		}
		p.links++
		p.spam = p.spam || illicitScore(normalize(l.text+" "+l.title+" "+l.host), e.terms) > 0
	}
	if cands == nil {
		return nil
	}
	// visible links per (parent, sibling signature)
	type key struct {
		parent *pathNode
		sig    string
	}
	visible := map[key]int{}
	want := map[*pathNode]bool{}
	for n := range cands {
		want[n.parent] = true
	}
	for _, l := range pg.links {
		if l.hidden != "" {
			continue
		}
		for n := l.sel; n != nil && n.parent != nil; n = n.parent {
			if want[n.parent] {
				visible[key{n.parent, baseSig(n.sig)}]++
				break
			}
		}
	}
	out := map[*pathNode]bool{}
	for n, p := range cands {
		sig := baseSig(n.sig)
		v := visible[key{n.parent, sig}]
		if v == 0 {
			// The open panel marked by an extra class (.pane.active).
			for k, c := range visible {
				if k.parent == n.parent && sigExtends(k.sig, sig) {
					v += c
				}
			}
		}
		if v > 0 && !p.spam && p.links <= max(2, 2*v) {
			out[n] = true
		}
	}
	return out
}

// uiHiding: the ways interface components hide their closed panels.
func uiHiding(reason string) bool {
	return strings.HasPrefix(reason, "display:none") || strings.HasPrefix(reason, "visibility:hidden") ||
		strings.HasPrefix(reason, "hidden attribute") || strings.HasPrefix(reason, "hidden by a script")
}

// baseSig drops the :nth-of-type() ordinal and the id from a path step:
// panels of one component share tag and classes, their ids differ.
func baseSig(sig string) string {
	if i := strings.Index(sig, ":nth-of-type("); i >= 0 {
		sig = sig[:i]
	}
	if i := strings.IndexByte(sig, '#'); i >= 0 {
		j := strings.IndexByte(sig[i:], '.')
		if j < 0 {
			return sig[:i]
		}
		return sig[:i] + sig[i+j:]
	}
	return sig
}

// sigExtends: signature v (tag.classes) has the tag and every class of h,
// and more.
func sigExtends(v, h string) bool {
	vs, hs := strings.Split(v, "."), strings.Split(h, ".")
	if len(vs) <= len(hs) || vs[0] != hs[0] {
		return false
	}
	for _, c := range hs[1:] {
		found := false
		for _, x := range vs[1:] {
			if x == c {
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
