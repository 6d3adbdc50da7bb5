package tamper

import (
	"strings"
	"testing"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"full-width letters and digits", "ｂｅｔ３６５", "bet365"},
		{"full-width upper case", "ＣＡＳＩＮＯ", "casino"},
		{"traditional to simplified", "時時彩計劃", "时时彩计划"},
		{"traditional gambling", "澳門賭場", "澳门赌场"},
		{"zero-width characters", "成\u200b人\u200c视\u200d频\ufeff\u2060", "成人视频"},
		{"spaces and punctuation", "博 彩，公-司*排|名", "博彩公司排名"},
		{"ideographic space", "六\u3000合\u3000彩", "六合彩"},
		{"symbols", "★代★开★发★票★", "代开发票"},
		{"soft hyphen", "私\u00ad服", "私服"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := normalize(tt.in); got != tt.want {
				t.Errorf("normalize(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// hasIllicit runs Analyze and reports whether an illicit_content finding
// came out.
func hasKind(rep Report, kind string) bool {
	for _, k := range rep.Kinds() {
		if k == kind {
			return true
		}
	}
	return false
}

func TestIllicitNormalisationsEndToEnd(t *testing.T) {
	tests := []struct {
		name, title string
	}{
		{"comment splits the word", "区政府-赌<!-- x -->场-六<!---->合彩"},
		{"entities", "区政府-&#x535A;&#24425;公司-&#x516D;合彩"},
		{"full-width and traditional", "区政府_ｂｅｔ３６５_時時彩計劃"},
		{"zero-width", "成\u200c人\u200b视\ufeff频-区政府"},
		{"spaces between characters", "区政府 - 百 家 乐 - 娱 乐 城"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page := "<html><head><title>" + tt.title + "</title></head><body><p>区政府门户网站</p></body></html>"
			rep := Analyze(Page{URL: "http://www.district.gov.cn/", HTML: []byte(page)})
			if !hasKind(rep, KindIllicitContent) {
				t.Fatalf("no illicit_content for title %q: %+v", tt.title, rep)
			}
		})
	}
}

func TestIllicitTolerance(t *testing.T) {
	// Government pages warn about gambling and fraud; warnings and a single
	// weak word in ordinary text must not alert.
	benign := []string{
		"<p>公安局开展打击网络赌博专项行动，破获一起六合彩赌博案件。</p>",
		"<p>警惕刷单诈骗，谨防网络贷款陷阱。</p>",
		"<p>不动产登记办证大厅延长服务时间，毕业证书领取通知。</p>",
		"<p>创业担保贷款政策解读。</p>",
	}
	for _, body := range benign {
		rep := Analyze(Page{URL: "http://www.district.gov.cn/", HTML: []byte("<title>区政府</title><body>" + body + "</body>")})
		if rep.Verdict != VerdictClean {
			t.Errorf("benign text flagged: %s → %+v", body, rep.Findings)
		}
	}
	// Several strong terms in plain visible text do alert.
	spam := "<p>澳门赌场官网，真钱棋牌，百家乐注册即送彩金</p>"
	if rep := Analyze(Page{URL: "http://www.district.gov.cn/", HTML: []byte("<title>区政府</title><body>" + spam + "</body>")}); !hasKind(rep, KindIllicitContent) {
		t.Errorf("visible spam block not flagged")
	}
}

func TestIllicitBaselineTermsDoNotAlert(t *testing.T) {
	// A lottery-office site legitimately uses 彩票/开奖结果 every day.
	page := func(extra string) Page {
		return Page{URL: "http://www.lottery.gov.cn/", HTML: []byte(`<title>福利彩票开奖结果 - 彩票中心</title>
<meta name="keywords" content="福利彩票,开奖结果,投注站"><body><h1>开奖结果</h1><p>本期开奖结果公告` + extra + `</p></body>`)}
	}
	b, err := Learn([]Page{page("")})
	if err != nil {
		t.Fatal(err)
	}
	if rep := Check(b, page("，第2期"), nil); rep.Verdict != VerdictClean {
		t.Fatalf("terms already in the baseline alerted: %+v", rep.Findings)
	}
	if rep := Check(b, page("<div style=\"display:none\">百家乐 真钱棋牌</div>"), nil); !hasKind(rep, KindIllicitContent) {
		t.Fatalf("new hidden spam missed: %+v", rep)
	}
}

func TestTruncate(t *testing.T) {
	long := strings.Repeat("字", 300)
	if got := truncate(long, 200); len([]rune(got)) != 201 {
		t.Errorf("truncate kept %d runes", len([]rune(got)))
	}
}
