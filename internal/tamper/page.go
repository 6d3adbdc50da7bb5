package tamper

import (
	"strings"
	"sync"

	"golang.org/x/net/html/atom"
)

// A page is the one-pass summary of a snapshot that every detector reads:
// text runs with their visibility, links, scripts, frames, redirects and
// per-block fingerprints.
type page struct {
	host      string // own host from the URL or inferred
	hostHints []string
	title     string
	chunks    []chunk
	links     []linkRef
	scripts   []resRef
	frames    []resRef
	redirects []redirectRef
	blocks    []blockStat
}

// where tells how prominent a piece of text is.
type where uint8

const (
	inBody where = iota
	inTitle
	inMeta
)

type chunk struct {
	norm       string // normalised text (see normalize)
	raw        string
	sel        *pathNode // innermost block
	hidden     string    // why it is invisible, "" if visible
	hideSel    *pathNode
	anchorHost string // host of the enclosing link, if any
	viaScript  bool
	where      where
}

type linkRef struct {
	href, host, text string
	title            string
	hidden           string
	hideSel, sel     *pathNode
	viaScript        bool
}

// resRef is a script or frame reference.
type resRef struct {
	src, host, key string // key: host + path, no query
	hidden         string
	hideSel, sel   *pathNode
	viaScript      bool
	obfuscated     bool
	inNoscript     bool // inside <noscript>: loaded only by visitors without scripts
}

type redirectRef struct {
	target, host string
	how          string // "meta refresh", "script", "event handler"
	gate         string
	delay        bool
	obfuscated   bool
	sel          *pathNode
	excerpt      string
}

// blockStat fingerprints one block element: the hash of its own text (not
// its child blocks') and the size of its subtree.
type blockStat struct {
	node    *pathNode
	path    uint32 // node.hash
	ownHash uint32
	ownLen  int
	links   int
	textLen int
}

// pathNode is one step of an element path. Paths share their prefixes
// and hash incrementally, so the walker never builds the thousands of long
// selector strings a page has; String renders one only for a finding.
type pathNode struct {
	parent *pathNode
	sig    string
	hash   uint32 // hash32 of String()
}

func newPathNode(parent *pathNode, sig string) *pathNode {
	return initPathNode(new(pathNode), parent, sig)
}

// initPathNode fills n (from newPathNode, or a walker's slab).
func initPathNode(n *pathNode, parent *pathNode, sig string) *pathNode {
	n.parent, n.sig = parent, sig
	h := uint32(2166136261)
	sep := ""
	if parent != nil {
		h, sep = parent.hash, " > "
	}
	for _, part := range [2]string{sep, sig} {
		for i := 0; i < len(part); i++ {
			h ^= uint32(part[i])
			h *= 16777619
		}
	}
	n.hash = h
	return n
}

// String renders the path as a CSS-like locator.
func (n *pathNode) String() string {
	if n == nil {
		return ""
	}
	var parts []string
	for p := n; p != nil; p = p.parent {
		parts = append(parts, p.sig)
	}
	for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
		parts[i], parts[j] = parts[j], parts[i]
	}
	return strings.Join(parts, " > ")
}

// within reports whether n is anc or lies below it.
func (n *pathNode) within(anc *pathNode) bool {
	for p := n; p != nil; p = p.parent {
		if p == anc || p.hash == anc.hash {
			return true
		}
	}
	return false
}

// blockTags are the elements that start a new text block.
var blockTags = map[atom.Atom]bool{
	atom.Body: true, atom.Div: true, atom.Section: true, atom.Article: true, atom.Header: true,
	atom.Footer: true, atom.Nav: true, atom.Aside: true, atom.Main: true, atom.Ul: true, atom.Ol: true,
	atom.Li: true, atom.Dl: true, atom.Dt: true, atom.Dd: true, atom.Table: true, atom.Tbody: true,
	atom.Thead: true, atom.Tr: true, atom.Td: true, atom.Th: true, atom.P: true, atom.H1: true,
	atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true, atom.Form: true,
	atom.Fieldset: true, atom.Blockquote: true, atom.Pre: true, atom.Center: true, atom.Marquee: true,
	atom.Address: true, atom.Figure: true, atom.Figcaption: true, atom.Select: true,
}

// parsePage parses and summarises one snapshot in a single streaming pass.
func parsePage(p Page) *page { return parsePageReusing(nil, p) }

// pagePool keeps the large per-page slices of Check's parses for the next
// check: a monitor checks the same kind of page again and again, and
// re-allocating ~200 KB of summaries per page is most of the garbage.
var pagePool = sync.Pool{New: func() any { return new(page) }}

// parsePageReusing is parsePage that may reuse the slices of old (which
// must no longer be used by anyone).
func parsePageReusing(old *page, p Page) *page {
	pg := &page{host: urlHost(p.URL)}
	// Pre-size from typical density (one text run per ~100 bytes of
	// markup) to avoid repeated slice growth on large pages.
	n := len(p.HTML)
	if old != nil {
		pg.chunks, pg.links, pg.blocks = reuse(old.chunks), reuse(old.links), reuse(old.blocks)
	}
	if cap(pg.chunks) < n/100+8 {
		pg.chunks = make([]chunk, 0, n/100+8)
	}
	if cap(pg.links) < n/200+8 {
		pg.links = make([]linkRef, 0, n/200+8)
	}
	if cap(pg.blocks) < n/100+8 {
		pg.blocks = make([]blockStat, 0, n/100+8)
	}
	w := newWalker(pg)
	w.stream(p.HTML, ctx{})
	if pg.host == "" {
		pg.host = inferHost(pg)
	}
	return pg
}

// refreshURL extracts the URL of a meta refresh content ("5; url=…"). The
// content comes from the page: "url" is found in its own bytes, never in a
// lower-cased copy whose indexes differ (see ascii.go).
func refreshURL(content string) string {
	i := indexFoldASCII(content, "url")
	if i < 0 {
		return ""
	}
	rest := strings.TrimSpace(content[i+3:])
	if !strings.HasPrefix(rest, "=") {
		return ""
	}
	return strings.Trim(strings.TrimSpace(rest[1:]), `'"`)
}

// resourceKey normalises a script or frame URL to host + path (no query),
// so cache-busting versions do not look new.
func resourceKey(src string) string {
	s := strings.TrimSpace(src)
	if i := strings.IndexAny(s, "?#"); i >= 0 {
		s = s[:i]
	}
	s = strings.TrimPrefix(strings.TrimPrefix(strings.ToLower(s), "http:"), "https:")
	return strings.TrimPrefix(s, "//")
}

// inferHost guesses the site's host when the caller gave no URL: declared
// hints (SiteDomain meta, canonical, og:url) first, else the most common
// absolute host among links.
func inferHost(p *page) string {
	for _, h := range p.hostHints {
		if h != "" {
			return h
		}
	}
	counts := map[string]int{}
	best, bestN := "", 0
	for _, l := range p.links {
		if l.host == "" {
			continue
		}
		counts[l.host]++
		if counts[l.host] > bestN {
			best, bestN = l.host, counts[l.host]
		}
	}
	if bestN >= 3 {
		return best
	}
	return ""
}

// reuse empties a slice for reuse, dropping what it pointed to.
func reuse[T any](s []T) []T {
	clear(s[:cap(s)])
	return s[:0]
}

// slab hands out pointers to elements of large blocks, so that a walk's
// thousands of small nodes cost a few allocations instead of thousands.
type slab[T any] struct{ block []T }

func (s *slab[T]) new() *T {
	if len(s.block) == cap(s.block) {
		s.block = make([]T, 0, 256)
	}
	s.block = s.block[:len(s.block)+1]
	return &s.block[len(s.block)-1]
}
