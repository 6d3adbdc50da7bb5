package tamper

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
)

// BaselineVersion is the current serialisation version.
const BaselineVersion = 1

// vocabBits sizes the bigram sketch of the site's vocabulary. 16 Kbit
// (2 KB) keeps the false-positive rate near 20 % for a large portal, which
// is enough to tell the site's own wording from unrelated text.
const vocabBits = 1 << 14

// Baseline is what the detector remembers about a page: hashes and host
// lists, never the page text, so that it stays a few kilobytes.
type Baseline struct {
	Version       int        `json:"version"`
	Host          string     `json:"host"`
	Snapshots     int        `json:"snapshots"`
	Titles        []string   `json:"titles"` // normalised
	LinkHosts     []string   `json:"link_hosts"`
	ScriptKeys    []string   `json:"scripts"` // host + path of foreign scripts
	FrameHosts    []string   `json:"frame_hosts"`
	RedirectHosts []string   `json:"redirect_hosts"`
	Terms         []string   `json:"terms"` // lexicon terms the site itself uses
	Stable        stableList `json:"stable"`
	Volatile      hashList   `json:"volatile"` // block paths whose text changes
	Regions       regionList `json:"regions"`
	OwnLinksMin   int        `json:"own_links_min"`
	Vocab         []byte     `json:"vocab"`
}

// stableBlock is a block whose text was identical in every snapshot.
// Frame marks blocks near the top or bottom of the document (header,
// navigation, footer): they outlive news churn even when a one-snapshot
// baseline cannot tell stable from volatile.
type stableBlock struct {
	Path, Text uint32
	Len        uint16
	Frame      bool
}

// inFrame reports whether the i-th of n blocks (document order of
// closing) lies in the first or last 15 % of the page.
func inFrame(i, n int) bool {
	return n > 0 && (i*100 < n*15 || i*100 >= n*85)
}

// region is a link-rich container (news column, navigation) whose collapse
// signals that content was replaced.
type region struct {
	Path     uint32
	MinLinks uint16
}

// ErrNoSnapshots is returned by Learn without input.
var ErrNoSnapshots = errors.New("tamper: at least one snapshot is needed to learn a baseline")

// Learn builds a baseline from benign snapshots of one page. More
// snapshots (taken on different days) separate stable blocks from
// volatile ones better; with one snapshot everything counts as stable and
// the defacement check is more tolerant. Callers should Analyze the
// snapshots first: whatever they contain is treated as normal.
func Learn(pages []Page) (*Baseline, error) {
	if len(pages) == 0 {
		return nil, ErrNoSnapshots
	}
	b := &Baseline{Version: BaselineVersion, Vocab: make([]byte, vocabBits/8)}
	parsed := make([]*page, len(pages))
	for i, p := range pages {
		parsed[i] = parsePage(p)
		if b.Host == "" {
			b.Host = parsed[i].host
		}
	}
	for _, pg := range parsed {
		if pg.host == "" {
			pg.host = b.Host
		}
	}
	b.learnBlocks(parsed)
	for i, pg := range parsed {
		b.absorb(pg)
		if own := countOwnLinks(pg); i == 0 || own < b.OwnLinksMin {
			b.OwnLinksMin = own
		}
	}
	return b, nil
}

// learnBlocks classifies blocks as stable or volatile and finds regions.
func (b *Baseline) learnBlocks(pages []*page) {
	type seen struct {
		frame bool
		text  uint32
		len   int
		count int
		same  bool
		links int
		lmin  int
	}
	byPath := map[uint32]*seen{}
	for _, pg := range pages {
		for i, bl := range pg.blocks {
			ph := bl.path
			s := byPath[ph]
			if s == nil {
				s = &seen{text: bl.ownHash, len: bl.ownLen, same: true, lmin: bl.links, frame: inFrame(i, len(pg.blocks))}
				byPath[ph] = s
			} else if s.text != bl.ownHash {
				s.same = false
			}
			s.count++
			if bl.links < s.lmin {
				s.lmin = bl.links
			}
		}
	}
	for ph, s := range byPath {
		if s.count == len(pages) && s.lmin >= 10 {
			b.Regions = append(b.Regions, region{Path: ph, MinLinks: clamp16(s.lmin)})
		}
		if s.len == 0 && s.same {
			continue
		}
		if s.same && s.count == len(pages) {
			b.Stable = append(b.Stable, stableBlock{Path: ph, Text: s.text, Len: clamp16(s.len), Frame: s.frame})
		} else {
			b.Volatile = append(b.Volatile, ph)
		}
	}
	b.sortBlocks()
}

// maxStable bounds the stable blocks a baseline keeps. Past it, the
// longest are kept: retention is weighed by text length, so the short
// blocks dropped (a portal's hundreds of two-word menu items) hardly move
// it, and a monitored page stays within its memory budget.
const maxStable = 320

func (b *Baseline) sortBlocks() {
	if len(b.Stable) > maxStable {
		sort.Slice(b.Stable, func(i, j int) bool {
			if b.Stable[i].Len != b.Stable[j].Len {
				return b.Stable[i].Len > b.Stable[j].Len
			}
			return b.Stable[i].Path < b.Stable[j].Path
		})
		b.Stable = append(stableList(nil), b.Stable[:maxStable]...)
	}
	sort.Slice(b.Stable, func(i, j int) bool { return b.Stable[i].Path < b.Stable[j].Path })
	sort.Slice(b.Volatile, func(i, j int) bool { return b.Volatile[i] < b.Volatile[j] })
	sort.Slice(b.Regions, func(i, j int) bool { return b.Regions[i].MinLinks > b.Regions[j].MinLinks })
	if len(b.Regions) > 24 {
		b.Regions = b.Regions[:24]
	}
}

func clamp16(n int) uint16 {
	if n > 65535 {
		return 65535
	}
	return uint16(n)
}

// absorb adds the page's hosts, scripts, titles, terms and vocabulary.
func (b *Baseline) absorb(pg *page) {
	b.Snapshots++
	b.Titles = addString(b.Titles, normalize(pg.title), 4)
	for _, l := range pg.links {
		if l.host != "" && !sameSite(l.host, b.Host) {
			b.LinkHosts = addString(b.LinkHosts, l.host, 256)
		}
	}
	for _, s := range pg.scripts {
		if s.host != "" && !sameSite(s.host, b.Host) {
			b.ScriptKeys = addString(b.ScriptKeys, s.key, 64)
		}
	}
	for _, f := range pg.frames {
		if f.host != "" && !sameSite(f.host, b.Host) {
			b.FrameHosts = addString(b.FrameHosts, f.host, 64)
		}
	}
	for _, r := range pg.redirects {
		if r.host != "" && !sameSite(r.host, b.Host) {
			b.RedirectHosts = addString(b.RedirectHosts, r.host, 16)
		}
	}
	for _, c := range pg.chunks {
		illicitLex.scan(c.norm, func(i, _ int) {
			b.Terms = addString(b.Terms, illicitLex.terms[i].text, 128)
		})
		if c.hidden == "" && !c.viaScript {
			addVocab(b.Vocab, c.norm)
		}
	}
}

func addString(list []string, s string, max int) []string {
	if s == "" || len(list) >= max {
		return list
	}
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

func bigramBit(a, b rune) uint32 {
	h := uint32(2166136261)
	for _, r := range [2]rune{a, b} {
		h ^= uint32(r)
		h *= 16777619
		h ^= uint32(r >> 8)
		h *= 16777619
	}
	return h % vocabBits
}

func addVocab(v []byte, norm string) {
	if len(v) < vocabBits/8 {
		return
	}
	prev := rune(-1)
	for _, r := range norm {
		if prev >= 0 {
			bit := bigramBit(prev, r)
			v[bit/8] |= 1 << (bit % 8)
		}
		prev = r
	}
}

// vocabCoverage is the share of the bigrams of norm found in the sketch.
func vocabCoverage(v []byte, norm string) (hit, total int) {
	if len(v) < vocabBits/8 {
		return 0, 0
	}
	prev := rune(-1)
	for _, r := range norm {
		if prev >= 0 {
			bit := bigramBit(prev, r)
			total++
			if v[bit/8]&(1<<(bit%8)) != 0 {
				hit++
			}
		}
		prev = r
	}
	return hit, total
}

// Accept folds a snapshot the operator confirmed as legitimate (say a
// redesign) into the baseline: blocks that changed become volatile,
// vanished ones are forgotten, new ones become stable, and the page's
// hosts, scripts, terms and wording become known.
func (b *Baseline) Accept(p Page) {
	pg := parsePage(p)
	if pg.host == "" {
		pg.host = b.Host
	}
	cur := map[uint32]blockStat{}
	frame := map[uint32]bool{}
	for i, bl := range pg.blocks {
		cur[bl.path] = bl
		frame[bl.path] = inFrame(i, len(pg.blocks))
	}
	vol := map[uint32]bool{}
	for _, v := range b.Volatile {
		vol[v] = true
	}
	var stable stableList
	known := map[uint32]bool{}
	for _, s := range b.Stable {
		known[s.Path] = true
		bl, ok := cur[s.Path]
		switch {
		case !ok:
		case bl.ownHash == s.Text:
			stable = append(stable, s)
		default:
			vol[s.Path] = true
		}
	}
	for ph, bl := range cur {
		if !known[ph] && !vol[ph] && bl.ownLen > 0 {
			stable = append(stable, stableBlock{Path: ph, Text: bl.ownHash, Len: clamp16(bl.ownLen), Frame: frame[ph]})
		}
	}
	var regions regionList
	for _, r := range b.Regions {
		if bl, ok := cur[r.Path]; ok {
			if l := clamp16(bl.links); l < r.MinLinks {
				r.MinLinks = l
			}
			regions = append(regions, r)
		}
	}
	b.Stable, b.Regions = stable, regions
	b.Volatile = b.Volatile[:0]
	for v := range vol {
		b.Volatile = append(b.Volatile, v)
	}
	b.sortBlocks()
	b.absorb(pg)
	if own := countOwnLinks(pg); own < b.OwnLinksMin {
		b.OwnLinksMin = own
	}
}

// MarshalJSON/UnmarshalJSON: the baseline is plain JSON; the hash lists are
// packed little-endian and base64-encoded to stay compact.

// UnmarshalJSON rejects baselines from a newer, unknown version.
func (b *Baseline) UnmarshalJSON(data []byte) error {
	type plain Baseline
	var p plain
	if err := json.Unmarshal(data, &p); err != nil {
		return err
	}
	if p.Version < 1 || p.Version > BaselineVersion {
		return fmt.Errorf("tamper: unsupported baseline version %d", p.Version)
	}
	*b = Baseline(p)
	return nil
}

type hashList []uint32
type stableList []stableBlock
type regionList []region

func (h hashList) MarshalJSON() ([]byte, error) {
	buf := make([]byte, 4*len(h))
	for i, v := range h {
		binary.LittleEndian.PutUint32(buf[4*i:], v)
	}
	return json.Marshal(buf)
}

func (h *hashList) UnmarshalJSON(data []byte) error {
	buf, err := unpackJSON(data, 4)
	if err != nil {
		return err
	}
	*h = make(hashList, len(buf)/4)
	for i := range *h {
		(*h)[i] = binary.LittleEndian.Uint32(buf[4*i:])
	}
	return nil
}

const stableUnit = 11 // path, text, len, flags

func (s stableList) MarshalJSON() ([]byte, error) {
	buf := make([]byte, stableUnit*len(s))
	for i, v := range s {
		o := stableUnit * i
		binary.LittleEndian.PutUint32(buf[o:], v.Path)
		binary.LittleEndian.PutUint32(buf[o+4:], v.Text)
		binary.LittleEndian.PutUint16(buf[o+8:], v.Len)
		if v.Frame {
			buf[o+10] = 1
		}
	}
	return json.Marshal(buf)
}

func (s *stableList) UnmarshalJSON(data []byte) error {
	buf, err := unpackJSON(data, stableUnit)
	if err != nil {
		return err
	}
	*s = make(stableList, len(buf)/stableUnit)
	for i := range *s {
		o := stableUnit * i
		(*s)[i] = stableBlock{Path: binary.LittleEndian.Uint32(buf[o:]), Text: binary.LittleEndian.Uint32(buf[o+4:]),
			Len: binary.LittleEndian.Uint16(buf[o+8:]), Frame: buf[o+10]&1 != 0}
	}
	return nil
}

func (r regionList) MarshalJSON() ([]byte, error) {
	buf := make([]byte, 6*len(r))
	for i, v := range r {
		binary.LittleEndian.PutUint32(buf[6*i:], v.Path)
		binary.LittleEndian.PutUint16(buf[6*i+4:], v.MinLinks)
	}
	return json.Marshal(buf)
}

func (r *regionList) UnmarshalJSON(data []byte) error {
	buf, err := unpackJSON(data, 6)
	if err != nil {
		return err
	}
	*r = make(regionList, len(buf)/6)
	for i := range *r {
		(*r)[i] = region{binary.LittleEndian.Uint32(buf[6*i:]), binary.LittleEndian.Uint16(buf[6*i+4:])}
	}
	return nil
}

func unpackJSON(data []byte, unit int) ([]byte, error) {
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, err
	}
	buf, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, err
	}
	if len(buf)%unit != 0 {
		return nil, fmt.Errorf("tamper: corrupt baseline list (%d bytes, unit %d)", len(buf), unit)
	}
	return buf, nil
}

// MemoryBytes estimates the baseline's in-memory footprint: slice payloads,
// string bytes and headers. It backs the "≤ 10 KB per monitored page"
// budget.
func (b *Baseline) MemoryBytes() int {
	n := 200 // struct with slice/string headers
	for _, l := range [][]string{b.Titles, b.LinkHosts, b.ScriptKeys, b.FrameHosts, b.RedirectHosts, b.Terms} {
		for _, s := range l {
			n += 16 + len(s)
		}
	}
	n += len(b.Host) + 12*len(b.Stable) + 4*len(b.Volatile) + 8*len(b.Regions) + len(b.Vocab)
	return n
}
