package tamper

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// isInvisible reports format characters that render as nothing. Spammers
// put them between the characters of a keyword (成\u200b人) to dodge filters.
func isInvisible(r rune) bool {
	switch r {
	case 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD, 0x180E,
		0x2061, 0x2062, 0x2063, 0x2064, 0x034F, 0x200E, 0x200F:
		return true
	}
	return false
}

// foldRune maps full-width forms to half-width and the traditional
// characters our lexicon cares about to simplified, then lower-cases.
func foldRune(r rune) rune {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		return r
	}
	if isCJK(r) {
		if tradMask[(r-cjkFirst)/64]&(1<<((r-cjkFirst)%64)) != 0 {
			return tradToSimp[r]
		}
		return r
	}
	if r >= 0xFF01 && r <= 0xFF5E || r == 0x3000 {
		if n := width.LookupRune(r).Narrow(); n != 0 {
			r = n
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			return r
		}
	}
	return unicode.ToLower(r)
}

const (
	cjkFirst = 0x4E00
	cjkLast  = 0x9FFF
)

// isCJK reports the CJK Unified Ideographs block: letters, never noise,
// and the bulk of the text on Chinese pages, so it gets a fast path.
func isCJK(r rune) bool { return r >= cjkFirst && r <= cjkLast }

// isNoise reports runes dropped before matching and hashing: whitespace,
// punctuation and symbols. Dropping them defeats "博 彩", "博*彩" splitting
// and makes fingerprints immune to reflowed whitespace.
func isNoise(r rune) bool {
	if isCJK(r) {
		return false
	}
	if r < utf8.RuneSelf {
		return !('a' <= r && r <= 'z' || '0' <= r && r <= '9')
	}
	return isInvisible(r) || unicode.IsSpace(r) || unicode.IsPunct(r) ||
		unicode.IsSymbol(r) || unicode.IsControl(r) || unicode.Is(unicode.Mn, r)
}

// normalize returns the matching form of s: width folded, traditional
// mapped to simplified, lower case, without invisible characters,
// whitespace, punctuation or symbols. HTML entities and comments are
// already gone because the text comes from the parsed DOM.
func normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	appendNormalized(&b, s)
	return b.String()
}

func appendNormalized(b *strings.Builder, s string) {
	for _, r := range s {
		r = foldRune(r)
		if isNoise(r) {
			continue
		}
		b.WriteRune(r)
	}
}

// hash32 is FNV-1a; fingerprints only need to be stable, not secure.
func hash32(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return h
}

// bigrams returns the distinct rune bigrams of an already normalised string.
// Chinese has no word breaks, so character bigrams are the usual cheap
// vocabulary unit.
func bigrams(s string) []string {
	var out []string
	seen := map[string]bool{}
	prev := -1
	for i := range s {
		if prev >= 0 {
			bg := s[prev:i]
			if !seen[bg] {
				seen[bg] = true
				out = append(out, bg)
			}
		}
		prev = i
	}
	if prev >= 0 && len(out) == 0 && len(s) > 0 {
		out = append(out, s)
	}
	return out
}

// truncate cuts s to at most n runes, adding an ellipsis when cut.
func truncate(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i := 0
	for j := range s {
		if i == n {
			return s[:j] + "…"
		}
		i++
	}
	return s
}

// tradToSimp covers the traditional characters that occur in the lexicon
// terms (and a few common neighbours); a full conversion table is not
// needed to catch 時時彩 or 澳門賭場. Pairs are traditional then simplified.
var tradToSimp = func() map[rune]rune {
	const pairs = "時时計计劃划賭赌場场門门娛娱樂乐開开獎奖網网發发辦办證证貸贷視视頻频遊游戲戏錢钱體体賽赛馬马會会員员註注冊册號号碼码幣币資资線线機机專专業业區区亞亚歐欧國国際际寶宝紅红龍龙鬥斗電电藝艺點点傳传掛挂單单黃黄亂乱倫伦約约買买賣卖槍枪藥药製制偽伪憑凭學学歷历認认稅税現现費费贈赠陽阳團团聯联盤盘麗丽蘭兰魚鱼庫库構构賺赚職职無无騷骚蕩荡濕湿絲丝襪袜詐诈騙骗達达鑽钻牆墙厲厉虛虚擬拟運运營营臺台檯台圖图裡里後后總总經经貨货預预測测彙汇匯汇選选擇择飛飞車车極极級级愛爱處处戀恋鮑鲍隻只與与這这們们為为個个來来對对說说實实務务結结撲扑畢毕換换兌兑額额優优禮礼贏赢輸输頭头側侧籌筹誠诚將将斃毙貴贵寵宠殺杀轉转賬账帳账銀银導导請请澀涩罰罚狀状態态權权鍵键鏈链漢汉貿贸戶户東东蘋苹駭骇黑黑補补飯饭蟲虫攻攻擊击入入侵侵"
	m := map[rune]rune{}
	rs := []rune(pairs)
	for i := 0; i+1 < len(rs); i += 2 {
		if rs[i] != rs[i+1] {
			m[rs[i]] = rs[i+1]
		}
	}
	return m
}()

// tradMask marks the CJK code points present in tradToSimp, so the common
// case (a simplified character) costs a bit test instead of a map lookup.
var tradMask = func() []uint64 {
	m := make([]uint64, (cjkLast-cjkFirst)/64+1)
	for r := range tradToSimp {
		if isCJK(r) {
			m[(r-cjkFirst)/64] |= 1 << ((r - cjkFirst) % 64)
		}
	}
	return m
}()
