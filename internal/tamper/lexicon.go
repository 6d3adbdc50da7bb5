package tamper

import (
	"sort"
	"strings"
	"unicode/utf8"
)

// term is one lexicon entry in normalised form (simplified, lower case, no
// punctuation). Weight 4 means "practically never on a legitimate public
// institution page"; 1–2 marks words that government pages do use in
// warnings (赌博, 贷款, 刷单, 办证) and only count together with others.
type term struct {
	text   string
	weight float64
}

// illicitTerms is the spam lexicon: gambling, porn, fraud/fake documents,
// game private servers, and SEO spam phrases.
var illicitTerms = []term{
	// gambling
	{"博彩", 4}, {"六合彩", 4}, {"时时彩", 4}, {"百家乐", 4}, {"娱乐城", 4},
	{"太阳城", 4}, {"皇冠娱乐", 4}, {"澳门赌场", 4}, {"赌场", 3}, {"真钱", 4},
	{"真人娱乐", 4}, {"真人视讯", 4}, {"老虎机", 4}, {"彩金", 4}, {"赌球", 4},
	{"网上赌", 4}, {"网络赌场", 4}, {"葡京", 4}, {"威尼斯人", 3}, {"金沙娱乐", 4},
	{"永利娱乐", 4}, {"银河娱乐", 4}, {"棋牌游戏", 3}, {"电子游艺", 4},
	{"体育投注", 4}, {"足球投注", 4}, {"投注", 2}, {"北京赛车", 3}, {"pk10", 3},
	{"幸运飞艇", 4}, {"开奖结果", 2}, {"开奖直播", 3}, {"特码", 3}, {"马会", 3},
	{"跑狗", 3}, {"购彩", 3}, {"下注", 2}, {"赌博", 1}, {"彩票", 1}, {"棋牌", 2},
	{"牛牛", 3}, {"炸金花", 4}, {"德州扑克", 2}, {"捕鱼游戏", 3}, {"娱乐平台", 3},
	{"娱乐官网", 4}, {"开户", 1}, {"注册送", 3}, {"注册即送", 4}, {"首存", 3},
	{"返水", 3}, {"洗码", 4}, {"bet365", 4}, {"188bet", 4}, {"12bet", 4},
	{"casino", 4}, {"baccarat", 4}, {"sportsbook", 4}, {"赌盘", 4}, {"外围", 1},
	// porn
	{"成人视频", 4}, {"成人影院", 4}, {"成人电影", 4}, {"成人网站", 4}, {"成人用品", 2},
	{"色情", 1}, {"黄色网站", 4}, {"黄片", 4}, {"毛片", 4}, {"三级片", 4}, {"无码", 3},
	{"av在线", 4}, {"在线av", 4}, {"国产av", 4}, {"日韩av", 4}, {"一夜情", 4},
	{"约炮", 4}, {"裸聊", 4}, {"激情视频", 4}, {"情色", 3}, {"偷拍", 2},
	{"自拍偷拍", 4}, {"乱伦", 4}, {"人妻", 3}, {"少妇", 2}, {"美女直播", 2},
	{"福利视频", 2}, {"上门服务", 2}, {"援交", 4}, {"楼凤", 4}, {"伦理片", 3},
	{"porn", 4},
	// fraud, fake documents, illegal goods
	{"代开发票", 4}, {"发票代开", 4}, {"代开增值税", 4}, {"办证刻章", 4},
	{"办理毕业证", 4}, {"办假证", 4}, {"假证", 3}, {"假文凭", 4}, {"代办证件", 4},
	{"证件办理", 2}, {"刻章", 1}, {"办证", 1}, {"毕业证", 1}, {"文凭", 1},
	{"私服", 4}, {"外挂", 2}, {"刷单", 2}, {"刷钻", 3}, {"套现", 3}, {"网贷", 2},
	{"无抵押贷款", 3}, {"贷款", 1}, {"黑客接单", 4}, {"查开房", 4}, {"代孕", 4},
	{"出售枪", 4}, {"枪支", 1}, {"迷药", 4}, {"窃听器", 4}, {"冰毒", 2}, {"代考", 2},
	{"替考", 2}, {"高利贷", 2}, {"裸贷", 4}, {"提现秒到", 3},
	{"冰毒出售", 4}, {"出售冰毒", 4}, {"外挂辅助", 4}, {"辅助外挂", 4}, {"高利贷放款", 4},
	{"彩票平台", 4}, {"购彩平台", 4}, {"彩票投注", 4},
	// SEO spam phrasing
	{"24小时在线", 1}, {"加微信", 1}, {"免费领取", 1},
}

// Phrase categories: an illicit good next to a trade verb, in either order
// (出售枪支, 枪支出售, 办理假证件), or a porn modifier next to a media word
// (无码高清视频), weighs as the strong terms do. The parts alone stay weak or
// absent, because public-security and service pages use them (枪支管理,
// 办理身份证, 高清视频). Combining categories instead of listing phrases
// covers the variants spammers rotate through.
var (
	// goods that are illegal to trade whatever the verb
	illicitGoods = []string{
		"枪支", "手枪", "猎枪", "气枪", "步枪", "仿真枪", "枪械", "枪药", "弹药", "子弹", "钢珠枪", "麻醉枪", "军用枪", "弓弩", "管制刀具", "火药",
		"冰毒", "麻古", "k粉", "摇头丸", "海洛因", "大麻", "迷幻药", "迷药", "听话水", "催情药", "春药", "毒品",
		"假证", "假证件", "假证书", "假身份证", "假驾照", "假驾驶证", "假文凭", "假学历", "假护照", "假发票", "假币", "假钞",
		"窃听器", "监听器", "针孔摄像", "信用卡套现",
	}
	// goods legal to hold but not to sell (documents, identities)
	illicitDocs = []string{"身份证", "驾驶证", "驾照", "毕业证", "学位证", "学历证", "资格证", "护照", "发票", "银行卡", "手机卡", "电话卡"}
	sellVerbs   = []string{"出售", "销售", "售卖", "贩卖", "出卖", "批发", "零售", "代购", "求购", "收购", "转让", "专卖", "直销", "买卖", "货到付款", "包邮"}
	// making fake documents
	fakeVerbs    = []string{"办理", "代办", "制作", "定做", "办", "做"}
	pornModifier = []string{"无码", "成人", "激情", "色情", "情色", "黄色", "淫秽", "日韩", "欧美", "偷拍", "自拍", "伦理", "三级"}
	pornMedia    = []string{"视频", "高清", "电影", "影片", "影院", "图片", "小说", "直播", "网站", "在线", "免费看", "av", "片"}
)

// phraseTerms builds the category phrases.
func phraseTerms() []term {
	var out []term
	seen := map[string]bool{}
	add := func(s string) {
		if !seen[s] {
			seen[s] = true
			out = append(out, term{s, 4})
		}
	}
	for _, g := range illicitGoods {
		for _, v := range sellVerbs {
			add(v + g)
			add(g + v)
		}
	}
	for _, g := range illicitDocs {
		for _, v := range []string{"出售", "贩卖", "出卖", "买卖", "收购", "求购"} {
			add(v + g)
			add(g + v)
		}
	}
	for _, g := range illicitGoods {
		if strings.HasPrefix(g, "假") {
			for _, v := range fakeVerbs {
				add(v + g)
				add(g + v)
			}
		}
	}
	for _, m := range pornModifier {
		for _, w := range pornMedia {
			if m == "成人" && (w == "在线" || w == "高清") {
				continue // 成人在线教育
			}
			if m == "日韩" || m == "欧美" || m == "自拍" || m == "三级" {
				if w != "av" && w != "片" {
					continue // region or genre words are porn only with av / 片
				}
			}
			add(m + w)
		}
	}
	return out
}

// antiContext words turn a hit into a mention: government pages talk about
// 打击赌博 and 谨防刷单诈骗, which must not look like spam.
var antiContext = []string{
	"打击", "查处", "整治", "防范", "警惕", "谨防", "取缔", "破获", "抓获", "严禁",
	"禁止", "举报", "严厉", "揭露", "远离", "拒绝", "抵制", "曝光", "涉嫌", "非法",
	"犯罪", "诈骗", "违法", "案件", "专项", "治理", "宣传", "提醒", "识别",
	"扫黄打非", "不得", "不会", "清理", "收缴",
}

// defacementTerms are phrases typical of hacker and protest pages. They are
// supporting evidence only: on their own they never make a finding.
var defacementTerms = []string{
	"hackedby", "hacked", "hacker", "defaced", "ownedby", "pwned", "greetz",
	"greets", "h4ck", "hax0r", "washere", "黑客", "被黑", "入侵", "骇客", "黑页",
	"抗议", "打倒", "垃圾网站", "还我",
}

type lexicon struct {
	terms   []term
	byFirst map[rune][]int       // first rune → term indexes, longest first
	first   [1 << 16 / 64]uint64 // BMP bitmap of first runes: cheap rejection
}

func newLexicon(terms []term) *lexicon {
	lx := &lexicon{terms: terms, byFirst: map[rune][]int{}}
	for i, t := range terms {
		r, _ := utf8.DecodeRuneInString(t.text)
		lx.byFirst[r] = append(lx.byFirst[r], i)
		if r < 1<<16 {
			lx.first[r/64] |= 1 << (r % 64)
		}
	}
	for _, idx := range lx.byFirst {
		sort.Slice(idx, func(a, b int) bool {
			return len(terms[idx[a]].text) > len(terms[idx[b]].text)
		})
	}
	return lx
}

var (
	illicitLex = newLexicon(withPhrases(illicitTerms, phraseTerms()))
	defaceLex  = func() *lexicon {
		ts := make([]term, len(defacementTerms))
		for i, s := range defacementTerms {
			ts[i] = term{s, 1}
		}
		return newLexicon(ts)
	}()
)

// scan calls fn for each lexicon hit in the normalised string s. A hit
// fully inside a longer earlier hit is skipped so 澳门赌场 does not also
// count as 赌场.
func (lx *lexicon) scan(s string, fn func(idx, pos int)) {
	covered := 0
	for pos, r := range s {
		if r < 1<<16 && lx.first[r/64]&(1<<(r%64)) == 0 {
			continue
		}
		cands := lx.byFirst[r]
		for _, i := range cands {
			t := lx.terms[i].text
			if strings.HasPrefix(s[pos:], t) {
				if pos+len(t) > covered {
					fn(i, pos)
					covered = pos + len(t)
				}
				break
			}
		}
	}
}

// antiNear reports whether a warning word surrounds the hit at [pos,end).
func antiNear(s string, pos, end int) bool {
	lo := pos - 30 // ~10 CJK runes
	if lo < 0 {
		lo = 0
	}
	hi := end + 18
	if hi > len(s) {
		hi = len(s)
	}
	for lo > 0 && !utf8.RuneStart(s[lo]) {
		lo--
	}
	for hi < len(s) && !utf8.RuneStart(s[hi]) {
		hi++
	}
	window := s[lo:hi]
	for _, a := range antiContext {
		if strings.Contains(window, a) {
			return true
		}
	}
	return false
}

// withPhrases adds the category phrases the lexicon does not list itself.
func withPhrases(terms, phrases []term) []term {
	have := map[string]bool{}
	for _, t := range terms {
		have[t.text] = true
	}
	out := append([]term(nil), terms...)
	for _, p := range phrases {
		if !have[p.text] {
			out = append(out, p)
		}
	}
	return out
}
