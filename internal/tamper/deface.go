package tamper

import (
	"fmt"
	"math/bits"
	"math/rand/v2"
	"strings"
	"unicode/utf8"
)

// Defacement replaces what visitors see. A redesign also replaces content,
// so the checks look for what a redesign keeps and a defacement does not:
// the stable frame of the page (header, navigation, footer, ICP line), the
// title naming the site, link-rich content columns, and wording that
// belongs to the site's vocabulary.

const (
	minRetention       = 0.5 // share of stable text that must survive
	minRetentionSingle = 0.3 // with a one-snapshot baseline, stable is a guess
	titleOverlapMin    = 0.34
	alienCoverageMax   = 0.5 // new text with fewer known bigrams is "unrelated"
)

func (e *env) defacement(pg *page) []Finding {
	b := e.base
	stableText := map[uint32]bool{}
	for _, s := range b.Stable {
		stableText[s.Text] = true
	}
	present := make(map[uint32]bool, len(pg.blocks))
	byPath := make(map[uint32]blockStat, len(pg.blocks))
	for _, bl := range pg.blocks {
		if bl.ownLen > 0 {
			present[bl.ownHash] = true
		}
		byPath[bl.path] = bl
	}
	isNew := func(c chunk) bool {
		if c.hidden != "" || c.viaScript || c.where != inBody {
			return false
		}
		if c.sel == nil {
			return true
		}
		bl, ok := byPath[c.sel.hash]
		return !ok || !stableText[bl.ownHash]
	}

	var fs []Finding
	// 1. The stable frame of the page is gone.
	total, kept, frameTotal, frameKept, frameLost := 0, 0, 0, 0, 0
	counted := map[uint32]bool{}
	for _, s := range b.Stable {
		if counted[s.Text] {
			continue
		}
		counted[s.Text] = true
		total += int(s.Len)
		if s.Frame {
			frameTotal += int(s.Len)
		}
		if present[s.Text] {
			kept += int(s.Len)
			if s.Frame {
				frameKept += int(s.Len)
			}
		} else if s.Frame {
			frameLost++
		}
	}
	limit := minRetention
	if b.Snapshots < 2 {
		limit = minRetentionSingle
	}
	// Both the whole stable text and the page frame (header, navigation,
	// footer) must be mostly gone: news churn alone never removes the frame.
	frameGone := frameTotal < 10 || float64(frameKept) < minRetention*float64(frameTotal)
	// On a small page the frame may be one block (a footer cell): an edit
	// of that one block is an edit, not a replaced page, unless nearly all
	// stable text went with it.
	if frameLost < 2 && float64(kept) >= minRetentionSingle*float64(total) {
		frameGone = false
	}
	if total >= 20 && float64(kept) < limit*float64(total) && frameGone && e.replaced(pg) {
		text := visibleText(pg, isNew, nil)
		fs = append(fs, Finding{
			Kind: KindDefacement,
			Reason: fmt.Sprintf("only %d%% of the page's stable text (header, navigation, footer) is still present; the page was replaced",
				100*kept/total),
			ReasonZH: "页面固定内容（页头、导航、页脚）大部分消失，疑似被篡改（黑页）",
			Excerpt:  truncate(text, 200),
			Selector: "body",
		})
		return fs
	}

	// 2. The title no longer names the site and is not spam (spam titles
	// are SEO hijacking, reported as illicit content).
	if f, ok := e.titleReplaced(pg); ok {
		fs = append(fs, f)
	}

	// 3. A link-rich column lost its links and now carries unrelated text.
	for _, r := range b.Regions {
		bl, found := byPath[r.Path]
		if !found || r.MinLinks < 10 || bl.links*4 >= int(r.MinLinks) {
			continue
		}
		text := visibleText(pg, isNew, bl.node)
		if alien, why := e.alienText(text); alien {
			fs = append(fs, Finding{
				Kind: KindDefacement,
				Reason: fmt.Sprintf("content column %s lost its links (%d, was at least %d) and now shows %s",
					bl.node, bl.links, r.MinLinks, why),
				ReasonZH: "主要栏目内容被替换为无关文字",
				Excerpt:  truncate(text, 200),
				Selector: bl.node.String(),
			})
			break
		}
	}
	return fs
}

// replaced reports whether a page whose stable blocks mostly changed was
// really replaced: its title no longer names the site, or its visible text
// is hacker wording or unrelated to the site's vocabulary. Stable blocks
// are compared by the hash of their own text, so on a small page a benign
// edit inside a large frame block (a tab strip added to the footer) can
// change most of the stable text while every word of the site is still
// there; a defacement replaces the words too.
func (e *env) replaced(pg *page) bool {
	if _, gone := e.titleReplaced(pg); gone {
		return true
	}
	all := visibleText(pg, func(c chunk) bool { return c.hidden == "" && !c.viaScript && c.where == inBody }, nil)
	alien, _ := e.alienText(all)
	return alien
}

// visibleText joins the raw text of visible chunks selected by keep under
// the selector prefix.
func visibleText(pg *page, keep func(chunk) bool, prefix *pathNode) string {
	var b strings.Builder
	for _, c := range pg.chunks {
		if !keep(c) || prefix != nil && (c.sel == nil || !c.sel.within(prefix)) {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strings.TrimSpace(c.raw))
		if b.Len() > 4000 {
			break
		}
	}
	return b.String()
}

// alienText decides whether text is unrelated to the site: defacement
// wording, or mostly bigrams the site never used.
func (e *env) alienText(text string) (bool, string) {
	norm := normalize(text)
	if utf8.RuneCountInString(norm) < 8 {
		return false, ""
	}
	n := 0
	defaceLex.scan(norm, func(int, int) { n++ })
	if n > 0 {
		return true, "hacker/protest wording"
	}
	hit, total := vocabCoverage(e.base.Vocab, norm)
	if total > 0 && float64(hit) < alienCoverageMax*float64(total) {
		return true, fmt.Sprintf("text unrelated to the site (%d%% familiar wording)", 100*hit/total)
	}
	return false, ""
}

func (e *env) titleReplaced(pg *page) (Finding, bool) {
	t := normalize(pg.title)
	if t == "" || len(e.base.Titles) == 0 {
		return Finding{}, false
	}
	refs := e.base.Titles
	if len(refs) > 1 {
		// The title changes between snapshots (it carries a headline):
		// only the part common to all of them, the site name, must stay.
		core := commonSubstring(refs)
		if utf8.RuneCountInString(core) < 2 {
			return Finding{}, false
		}
		refs = []string{core}
	}
	best := 0.0
	for _, old := range refs {
		if old == t || strings.Contains(t, old) {
			return Finding{}, false
		}
		if ov := overlap(old, t); ov > best {
			best = ov
		}
	}
	if best >= titleOverlapMin {
		return Finding{}, false
	}
	strong := false
	illicitLex.scan(t, func(i, _ int) {
		if illicitLex.terms[i].weight >= 3 && !e.terms[illicitLex.terms[i].text] {
			strong = true
		}
	})
	if strong {
		return Finding{}, false
	}
	return Finding{
		Kind:     KindDefacement,
		Reason:   fmt.Sprintf("page title replaced by text unrelated to the site's title (%.0f%% overlap)", 100*best),
		ReasonZH: "网页标题被替换为与本站无关的内容",
		Excerpt:  truncate(pg.title, 200),
		Selector: "html > head > title",
	}, true
}

// commonSubstring returns the longest substring shared by all strings (in
// runes; the earliest in ss[0] among equally long ones). Titles come from
// the page: one whose </title> is missing runs on for the whole page, so
// this must not be cubic in the length as the obvious search is. It binary
// searches the length (a common substring of length L has common prefixes
// of every shorter length) and tests each length with rolling hashes,
// confirming a hash match with strings.Contains.
func commonSubstring(ss []string) string {
	first := ss[0]
	offs := make([]int, 0, len(first)+1) // byte offset of each rune of first, then len(first)
	for i := range first {
		offs = append(offs, i)
	}
	offs = append(offs, len(first))
	hi := len(offs) - 1
	others := make([][]rune, len(ss)-1)
	for k, s := range ss[1:] {
		others[k] = []rune(s)
		hi = min(hi, len(others[k]))
	}
	firstRunes := []rune(first)
	// find returns the earliest substring of first of n runes found in
	// every other string.
	find := func(n int) (string, bool) {
		if n == 0 {
			return "", true
		}
		sets := make([]map[uint64]bool, len(others))
		for k, rs := range others {
			sets[k] = map[uint64]bool{}
			rollHashes(rs, n, func(_ int, h uint64) { sets[k][h] = true })
		}
		best, ok := "", false
		rollHashes(firstRunes, n, func(i int, h uint64) {
			if ok {
				return
			}
			for _, set := range sets {
				if !set[h] {
					return
				}
			}
			cand := first[offs[i]:offs[i+n]]
			for _, s := range ss[1:] {
				if !strings.Contains(s, cand) {
					return // a hash collision
				}
			}
			best, ok = cand, true
		})
		return best, ok
	}
	lo := 0 // find(lo) holds; find(hi+1) does not
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if _, ok := find(mid); ok {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	best, _ := find(lo)
	return best
}

// hashBase is random per process, so that no page can be built to make
// the hashes of its title collide (a collision costs a strings.Contains,
// never a wrong result).
var hashBase = 1<<20 + rand.Uint64N(1<<60)

// rollHashes calls f with the start and the polynomial hash (mod 2^61-1)
// of every window of n runes of rs, in order.
func rollHashes(rs []rune, n int, f func(start int, h uint64)) {
	if n > len(rs) {
		return
	}
	const mod = 1<<61 - 1
	mulmod := func(a, b uint64) uint64 {
		hi, lo := bits.Mul64(a, b)
		// a*b = hi*2^64 + lo; 2^64 ≡ 8 (mod 2^61-1)
		r := (hi << 3) | (lo >> 61)
		r += lo & mod
		for r >= mod {
			r -= mod
		}
		return r
	}
	base := hashBase
	pow := uint64(1) // base^(n-1)
	for i := 1; i < n; i++ {
		pow = mulmod(pow, base)
	}
	h := uint64(0)
	for i, r := range rs {
		if i >= n {
			h = (h + mod - mulmod(uint64(rs[i-n])+1, pow)) % mod
		}
		h = (mulmod(h, base) + uint64(r) + 1) % mod
		if i >= n-1 {
			f(i-n+1, h)
		}
	}
}

// overlap is the share of old's bigrams that also occur in s.
func overlap(old, s string) float64 {
	ob := bigrams(old)
	if len(ob) == 0 {
		return 0
	}
	sb := map[string]bool{}
	for _, g := range bigrams(s) {
		sb[g] = true
	}
	n := 0
	for _, g := range ob {
		if sb[g] {
			n++
		}
	}
	return float64(n) / float64(len(ob))
}
