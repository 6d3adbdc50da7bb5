package tamper

import (
	"strings"
	"unicode"
)

// Public-sector link lists: a footer or sidebar drop-down ("政府网站",
// "相关链接") whose list stays display:none until a visitor points at its
// visible label. Such a list links ministries, courts, libraries and other
// public institutions (事业单位), most of them on public-sector domains
// (.gov.cn …), some not (a national library on a .cn domain of its own).
//
// publicLists returns the hiding elements that are such a list: hidden the
// way components hide (display:none, visibility:hidden, the hidden
// attribute, a script), next to visible text (the label a visitor points
// at: text in the list's parent or in a sibling block), holding at least
// two links to public-sector hosts and no fewer of them than other
// foreign links, every other foreign link named like an institution
// (国家图书馆, 省科学技术协会), and no link with spam in its text, title
// or host. A spam block hidden beside a label still needs public-sector
// links to outnumber its own, and anchors named like institutions.
func (e *env) publicLists(pg *page) map[*pathNode]bool {
	type list struct {
		public, other int
		bad           bool
	}
	var cands map[*pathNode]*list
	for _, l := range pg.links {
		// Public-sector links count also when the baseline knows their
		// host (a ministry the footer links as well).
		if l.hidden == "" || l.hideSel == nil || l.hideSel.parent == nil || !uiHiding(l.hidden) ||
			!e.foreign(l.host) && !isPublicSector(l.host) {
			continue
		}
		if cands == nil {
			cands = map[*pathNode]*list{}
		}
		c := cands[l.hideSel]
		if c == nil {
			c = &list{}
			cands[l.hideSel] = c
		}
		spam := illicitScore(normalize(l.text+" "+l.title+" "+l.host), e.terms) > 0
		switch {
		case spam:
			c.bad = true
		case isPublicSector(l.host):
			c.public++
		case institutionName(l.text):
			c.other++
		default:
			c.bad = true
		}
	}
	if cands == nil {
		return nil
	}
	// blocks with visible text, and the parents of such blocks
	labelled, labelledChild := map[*pathNode]bool{}, map[*pathNode]bool{}
	for _, ch := range pg.chunks {
		if ch.hidden != "" || ch.sel == nil || ch.where != inBody {
			continue
		}
		labelled[ch.sel] = true
		if ch.sel.parent != nil {
			labelledChild[ch.sel.parent] = true
		}
	}
	out := map[*pathNode]bool{}
	for n, c := range cands {
		// The label: visible text in the list's parent block or in a
		// sibling block (the list itself holds no visible text).
		if !c.bad && c.public >= 2 && c.other <= c.public && (labelled[n.parent] || labelledChild[n.parent]) {
			out[n] = true
		}
	}
	return out
}

// institutionSuffixes end the names of public bodies.
var institutionSuffixes = []string{"馆", "局", "院", "部", "委", "委员会", "厅", "署", "办", "办公室", "中心", "政府",
	"所", "协会", "学会", "联合会", "大学", "学院", "学校", "医院", "法院", "检察院", "总局", "科学院"}

// institutionName reports anchor text that names an institution: four to
// twenty Han characters ending in an institution word.
func institutionName(text string) bool {
	t := strings.TrimSpace(text)
	n := 0
	for _, r := range t {
		if !unicode.Is(unicode.Han, r) {
			return false
		}
		n++
	}
	if n < 4 || n > 20 {
		return false
	}
	for _, s := range institutionSuffixes {
		if strings.HasSuffix(t, s) {
			return true
		}
	}
	return false
}
