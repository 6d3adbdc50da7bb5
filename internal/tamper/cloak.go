package tamper

import (
	"fmt"
	"strings"
)

// cloakTextSimilarityMin: two fetches of the same page minutes apart share
// nearly all their wording even with rotating news; a spider copy that
// shares less than this is a different page.
const cloakTextSimilarityMin = 0.6

// cloaking compares the browser copy with the copy served to Baiduspider.
// Only differences that help an attacker count: another title, links to
// new foreign hosts, spam, or a largely different text.
func (e *env) cloaking(browser, spider *page) []Finding {
	var reasons []string
	excerpt, sel := "", "html"
	tb, ts := normalize(browser.title), normalize(spider.title)
	if tb != ts && overlap(tb, ts) < 0.5 {
		reasons = append(reasons, "a different title")
		excerpt, sel = spider.title, "html > head > title"
	}
	browserHosts := map[string]bool{}
	for _, l := range browser.links {
		browserHosts[l.host] = true
	}
	var only, shown, items []string
	firstLink := ""
	for _, l := range spider.links {
		if e.foreign(l.host) && !browserHosts[l.host] {
			only = addString(only, l.host, 1000)
			if firstLink == "" {
				firstLink = truncate(l.text, 30) + " → " + l.href
			}
			// In plain sight in the spider copy, but no visitor gets it:
			// a hidden link all the same (hidden ones are reported by the
			// check of the spider copy).
			if l.hidden == "" && (!isPublicSector(l.host) || illicitScore(normalize(l.text+" "+l.title), e.terms) > 0) {
				shown = addString(shown, l.host, 1000)
				items = append(items, fmt.Sprintf("%s → %s", truncate(l.text, 20), l.host))
			}
		}
	}
	if len(only) > 0 {
		reasons = append(reasons, fmt.Sprintf("links to %d foreign host(s) absent for browsers (%s)", len(only), hostList(only, 3)))
		if excerpt == "" {
			excerpt = firstLink
		}
	}
	_, sb := e.illicitHits(browser)
	_, ss := e.illicitHits(spider)
	if ss >= illicitThreshold && sb < illicitThreshold {
		reasons = append(reasons, "spam terms absent for browsers")
	}
	if sim := textSimilarity(browser, spider); sim < cloakTextSimilarityMin {
		reasons = append(reasons, fmt.Sprintf("largely different text (%.0f%% similar)", 100*sim))
	}
	if len(reasons) == 0 {
		return nil
	}
	if excerpt == "" {
		excerpt = truncate(visibleText(spider, func(c chunk) bool { return c.where == inBody }, nil), 200)
	}
	var fs []Finding
	if len(shown) > 0 {
		fs = append(fs, Finding{
			Kind: KindHiddenLink,
			Reason: fmt.Sprintf("%d link(s) to %d foreign host(s) (%s) served only to search-engine spiders: no visitor sees them",
				len(items), len(shown), hostList(shown, 3)),
			ReasonZH: fmt.Sprintf("发现%d个仅对搜索引擎蜘蛛显示的外部链接（黑链）", len(items)),
			Excerpt:  truncate(strings.Join(items, "; "), 200),
			Selector: "html",
		})
	}
	return append(fs, Finding{
		Kind:     KindCloaking,
		Reason:   "search-engine spiders are served a different page: " + strings.Join(reasons, "; "),
		ReasonZH: "网站对搜索引擎蜘蛛返回与浏览器不同的内容（蜘蛛劫持）",
		Excerpt:  truncate(excerpt, 200),
		Selector: sel,
	})
}

// textSimilarity is the Jaccard similarity of the visible-text bigram sets.
func textSimilarity(a, b *page) float64 {
	sa, sb := bigramSet(a), bigramSet(b)
	if len(sa) == 0 && len(sb) == 0 {
		return 1
	}
	inter := 0
	for g := range sa {
		if sb[g] {
			inter++
		}
	}
	return float64(inter) / float64(len(sa)+len(sb)-inter)
}

func bigramSet(p *page) map[string]bool {
	s := map[string]bool{}
	for _, c := range p.chunks {
		if c.hidden != "" {
			continue
		}
		for _, g := range bigrams(c.norm) {
			s[g] = true
		}
	}
	return s
}
