package export

import (
	"bytes"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The scenario: ransomware at a county water-supply company, a
// grade II response by the county office, ended, then its aftermath.
func officialHeader(number string) DocumentHeader {
	day := func(m, d int) time.Time { return time.Date(2026, time.Month(m), d, 10, 0, 0, 0, chinaTime) }
	return DocumentHeader{
		IssuerOffice: "中共乌审旗委网络安全和信息化委员会办公室",
		Masthead:     "乌审旗委网信办文件",
		Number:       number,
		Recipients:   []string{"乌审旗水利局", "乌审旗公安局", "乌审旗自来水公司"},
		CopyTo:       []string{"鄂尔多斯市委网信办"},
		Date:         day(12, 7),
		Version:      2,
		Approvals: []Approval{
			{Stage: ApprovalUnit, Body: "乌审旗自来水公司", Decision: DecisionApproved, Person: "王经理", Date: day(12, 1)},
			{Stage: ApprovalCompetent, Body: "乌审旗水利局", Decision: DecisionReturned, Opinion: "补充离线备份验证记录", Person: "李局长", Date: day(12, 3)},
			{Stage: ApprovalCAC, Body: "乌审旗委网信办"},
		},
	}
}

var (
	ended       = time.Date(2026, 11, 20, 18, 0, 0, 0, chinaTime)
	improvement = []Measure{
		{Text: "关闭445、139、135、3389等不必要端口", Owner: "乌审旗自来水公司信息科", Deadline: time.Date(2026, 12, 15, 0, 0, 0, 0, chinaTime)},
		{Text: "建立离线备份并每月恢复演练", Owner: "张工程师", Deadline: time.Date(2027, 1, 31, 0, 0, 0, 0, chinaTime)},
	}
)

func sampleInvestigation() InvestigationReport {
	return InvestigationReport{
		DocumentHeader:  officialHeader("乌网信〔2026〕12号"),
		IncidentTitle:   "勒索病毒事件",
		Unit:            "乌审旗自来水公司",
		Investigators:   "乌审旗委网信办会同旗公安局、旗水利局",
		ResponseEndedAt: ended,
		Overview:        "11月18日，乌审旗自来水公司营业收费系统遭勒索病毒加密。",
		Cause:           "远程桌面端口暴露于互联网且使用弱口令。",
		Nature:          "网络攻击事件中的勒索软件攻击，定为较大网络安全事件。",
		Impact:          "营业收费中断36小时，供水未受影响。",
		Responsibility:  "信息科未按规定落实口令策略，负主要责任。",
		HandlingOpinion: "对信息科负责人进行约谈。",
		Improvements:    improvement,
	}
}

func sampleDocuments() map[string]OfficialDocument {
	return map[string]OfficialDocument{
		"recovery": RecoveryPlan{
			DocumentHeader: officialHeader("乌水司〔2026〕3号"), IncidentTitle: "勒索病毒事件", Unit: "乌审旗自来水公司",
			CompetentDepartment: "乌审旗水利局", Situation: "营业收费系统3台服务器被加密。", Goals: "72小时内恢复营业收费。",
			Measures: improvement, Safeguards: "公司主要负责人牵头。",
		},
		"investigation": sampleInvestigation(),
		"summary": SummaryReport{
			DocumentHeader: officialHeader("乌网信〔2026〕13号"), IncidentTitle: "勒索病毒事件", Unit: "乌审旗自来水公司",
			ResponseEndedAt: ended, Overview: "启动Ⅱ级响应，历时2天。", Experience: "先报公安机关，保护现场。",
			Lessons: "备份与生产网未隔离。", Suggestions: "将供水企业纳入重点监测。",
		},
		"end": EndNotice{
			DocumentHeader: officialHeader("乌网信〔2026〕11号"), IncidentTitle: "勒索病毒事件", Unit: "乌审旗自来水公司",
			ResponseLevel: "Ⅱ级", ActivatedAt: time.Date(2026, 11, 18, 9, 0, 0, 0, chinaTime), EndedAt: ended,
			ProposedBy: "旗委网信办", ApprovedBy: "乌审旗网安应急指挥部", Situation: "系统已从离线备份恢复。",
			InvestigationDue: ended.AddDate(0, 0, 30), SummaryDue: time.Date(2026, 12, 18, 0, 0, 0, 0, chinaTime),
		},
	}
}

func mustOfficialDOCX(t *testing.T, d OfficialDocument) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteOfficialDOCX(&buf, d); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func mustOfficialPDF(t *testing.T, d OfficialDocument) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteOfficialPDF(&buf, d); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// attr finds the value of attribute name in the first element matching
// the prefix (e.g. `<w:pgMar `).
func attr(t *testing.T, xmlText, element, name string) string {
	t.Helper()
	i := strings.Index(xmlText, element)
	if i < 0 {
		t.Fatalf("no %s", element)
	}
	end := strings.Index(xmlText[i:], ">")
	m := regexp.MustCompile(`\b` + regexp.QuoteMeta(name) + `="([^"]*)"`).FindStringSubmatch(xmlText[i : i+end])
	if m == nil {
		t.Fatalf("%s has no %s", element, name)
	}
	return m[1]
}

// styleXML is the definition of one style in styles.xml.
func styleXML(t *testing.T, styles, id string) string {
	t.Helper()
	i := strings.Index(styles, `w:styleId="`+id+`"`)
	if i < 0 {
		t.Fatalf("no style %s", id)
	}
	return styles[i : i+strings.Index(styles[i:], "</w:style>")]
}

// An end notice whose summary date is an estimate says so beside the date,
// as the console and the API do.
func TestEndNoticeMarksAnEstimatedDate(t *testing.T) {
	n := sampleDocuments()["end"].(EndNotice)
	n.SummaryDueEstimate = "2027 年节假日安排尚未公布，按周末和法定节日估算"
	pdf := squash(pdfText(t, mustOfficialPDF(t, n)))
	if !strings.Contains(pdf, squash("（估算：2027 年节假日安排尚未公布，按周末和法定节日估算）前完成应急总结报告")) {
		t.Errorf("the PDF does not mark the estimated date: %s", pdf)
	}
	if pdf := squash(pdfText(t, mustOfficialPDF(t, sampleDocuments()["end"]))); strings.Contains(pdf, "估算") {
		t.Error("a published-calendar date is marked as an estimate")
	}
}

func TestOfficialDOCXLayout(t *testing.T) {
	for name, doc := range sampleDocuments() {
		t.Run(name, func(t *testing.T) {
			data := mustOfficialDOCX(t, doc)
			keepArtifact(t, name+".docx", data)
			if again := mustOfficialDOCX(t, doc); !bytes.Equal(data, again) {
				t.Error("two exports of one document differ")
			}
			parts := docxParts(t, data)
			body, styles := parts["word/document.xml"], parts["word/styles.xml"]

			// Margins per GB/T 9704-2012: top 37 mm, left 28 mm, text block 156 × 225 mm.
			mm := func(tw string) float64 { n, _ := strconv.Atoi(tw); return float64(n) / 1440 * 25.4 }
			near := func(what string, got, want float64) {
				if got < want-0.2 || got > want+0.2 {
					t.Errorf("%s = %.2f mm, want %.0f", what, got, want)
				}
			}
			near("page width", mm(attr(t, body, "<w:pgSz ", "w:w")), 210)
			near("page height", mm(attr(t, body, "<w:pgSz ", "w:h")), 297)
			top, left := mm(attr(t, body, "<w:pgMar ", "w:top")), mm(attr(t, body, "<w:pgMar ", "w:left"))
			near("top margin", top, 37)
			near("left margin", left, 28)
			near("text width", 210-left-mm(attr(t, body, "<w:pgMar ", "w:right")), 156)
			near("text height", 297-top-mm(attr(t, body, "<w:pgMar ", "w:bottom")), 225)
			if lines := 225 / mm(attr(t, body, "<w:docGrid ", "w:linePitch")); int(lines) != 22 {
				t.Errorf("%v lines a page, want 22", lines)
			}

			// Styles: body 三号 (16 pt = 32 half-points) in 仿宋 with a
			// two-character first-line indent; red 小标宋 masthead; red rule
			// under the number; title 二号 centred; headings 黑体 and 楷体.
			normal := styleXML(t, styles, "Normal")
			for _, want := range []string{`w:eastAsia="仿宋"`, `<w:sz w:val="32"/>`} {
				if !strings.Contains(normal, want) {
					t.Errorf("Normal style lacks %s", want)
				}
			}
			if s := styleXML(t, styles, "BodyText"); !strings.Contains(s, `w:firstLineChars="200"`) {
				t.Error("body paragraphs are not indented two characters")
			}
			masthead := styleXML(t, styles, "Masthead")
			for _, want := range []string{`<w:color w:val="FF0000"/>`, `w:eastAsia="方正小标宋简体"`, `<w:jc w:val="center"/>`} {
				if !strings.Contains(masthead, want) {
					t.Errorf("Masthead style lacks %s", want)
				}
			}
			if s := styleXML(t, styles, "DocNumber"); !strings.Contains(s, `<w:bottom w:val="single" w:sz="12" w:space="11" w:color="FF0000"/>`) {
				t.Errorf("no red rule 4 mm under the number: %s", s)
			}
			title := styleXML(t, styles, "DocTitle")
			if !strings.Contains(title, `<w:sz w:val="44"/>`) || !strings.Contains(title, `<w:jc w:val="center"/>`) {
				t.Errorf("title is not 二号 centred: %s", title)
			}
			if !strings.Contains(styleXML(t, styles, "Heading1"), `w:eastAsia="黑体"`) || !strings.Contains(styleXML(t, styles, "Heading2"), `w:eastAsia="楷体"`) {
				t.Error("headings are not 黑体 / 楷体")
			}
			// The masthead is 35 mm below the text block's top: one line
			// (the version) plus the space before it.
			before := mm(attr(t, body[strings.Index(body, `w:val="Masthead"`):], "<w:spacing ", "w:before"))
			near("masthead drop", before+mm(strconv.Itoa(officialLineTwips)), 35)

			// Page numbers "— N —": odd at the right, even at the left.
			if !strings.Contains(parts["word/settings.xml"], "<w:evenAndOddHeaders/>") {
				t.Error("odd and even footers are not distinguished")
			}
			for part, jc := range map[string]string{"word/footer1.xml": "right", "word/footer2.xml": "left"} {
				f := parts[part]
				if !strings.Contains(f, `w:instr=" PAGE "`) || !strings.Contains(f, "— ") || !strings.Contains(f, `<w:jc w:val="`+jc+`"/>`) {
					t.Errorf("%s is not a — N — page number at the %s: %s", part, jc, f)
				}
			}

			text := docxText(t, body)
			wants := []string{"第2版", "乌审旗委网信办文件", "〔2026〕", "乌审旗水利局、乌审旗公安局、乌审旗自来水公司：",
				"一、", "中共乌审旗委网络安全和信息化委员会办公室\n2026年12月7日\n", "抄送：鄂尔多斯市委网信办。", "2026年12月7日印发"}
			approvals := []string{"审批记录", "主管部门", "退回修改：补充离线备份验证记录", "李局长", "2026年12月3日", "待审批"}
			if name == "end" {
				// The end notice states its approval in its text; the
				// aftermath approval table does not belong on it.
				if strings.Contains(text, "审批记录") {
					t.Errorf("the end notice carries an approval table")
				}
			} else {
				wants = append(wants, approvals...)
			}
			for _, want := range wants {
				if !strings.Contains(text, want) {
					t.Errorf("DOCX lacks %q", want)
				}
			}
		})
	}
}

// The text of each document: the fields the seed names, in order.
func TestOfficialDocumentText(t *testing.T) {
	docs := sampleDocuments()
	cases := map[string][]string{
		"recovery": {"关于勒索病毒事件的恢复重建方案", "谁主管谁负责，谁运行谁负责", "报乌审旗水利局审核", "一、事件及损失情况", "二、恢复目标",
			"三、恢复、整改和重建措施", "关闭445、139、135、3389等不必要端口", "信息科", "2026年12月15日", "四、保障措施"},
		"investigation": {"关于勒索病毒事件的调查评估报告", "2026年11月20日应急响应结束后", "一、事件概况", "二、事件起因", "远程桌面端口",
			"三、事件性质", "四、影响评估", "五、责任认定", "六、处理意见", "七、改进措施", "建立离线备份并每月恢复演练", "张工程师", "2027年1月31日"},
		"summary": {"关于勒索病毒事件的应急处置工作总结报告", "一、应急处置工作概况", "二、经验做法", "三、存在的问题和教训", "四、改进应急处置工作的建议"},
		"end": {"关于结束勒索病毒事件Ⅱ级应急响应的通知", "2026年11月18日，针对乌审旗自来水公司发生的勒索病毒事件，启动网络安全事件Ⅱ级应急响应。",
			"经旗委网信办提出建议，乌审旗网安应急指挥部批准，决定自2026年11月20日起结束Ⅱ级应急响应。", "一、事件处置情况", "二、后续工作要求",
			"请于2026年12月20日18时前完成事件调查评估", "请于2026年12月17日24时前完成应急总结报告", "特此通知。"},
	}
	for name, wants := range cases {
		t.Run(name, func(t *testing.T) {
			docx := docxText(t, docxParts(t, mustOfficialDOCX(t, docs[name]))["word/document.xml"])
			pdf := squash(pdfText(t, mustOfficialPDF(t, docs[name])))
			for _, want := range wants {
				if !strings.Contains(docx, want) {
					t.Errorf("DOCX lacks %q", want)
				}
				if !strings.Contains(pdf, squash(want)) {
					t.Errorf("PDF lacks %q", want)
				}
			}
		})
	}
}

// An empty document keeps its structure: every section prints （未填写）,
// the approval chain its three stages, the date a blank.
func TestOfficialEmpty(t *testing.T) {
	text := docxText(t, docxParts(t, mustOfficialDOCX(t, InvestigationReport{}))["word/document.xml"])
	if n := strings.Count(text, notFilled); n != 7 {
		t.Errorf("%d sections print %s, want 7:\n%s", n, notFilled, text)
	}
	for _, want := range []string{"调查评估报告", "事发单位", "主管部门", "网信办", "　　年　月　日"} {
		if !strings.Contains(text, want) {
			t.Errorf("empty report lacks %q", want)
		}
	}
	if pdf := squash(pdfText(t, mustOfficialPDF(t, EndNotice{}))); !strings.Contains(pdf, "—1—") {
		t.Errorf("empty notice has no page number: %s", pdf)
	}
}

// pdfInfo runs pdfinfo.
func pdfInfo(t *testing.T, data []byte) string {
	t.Helper()
	bin := needTool(t, "pdfinfo")
	out, err := exec.Command(bin, writeTemp(t, "doc.pdf", data)).Output()
	if err != nil {
		t.Fatalf("pdfinfo: %v", err)
	}
	return string(out)
}

// pdfRegionText is the text of one page within a rectangle in points.
func pdfRegionText(t *testing.T, path string, page, x, y, w, h int) string {
	t.Helper()
	bin := needTool(t, "pdftotext")
	p := strconv.Itoa(page)
	out, err := exec.Command(bin, "-enc", "UTF-8", "-f", p, "-l", p, "-x", strconv.Itoa(x), "-y", strconv.Itoa(y),
		"-W", strconv.Itoa(w), "-H", strconv.Itoa(h), path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return squash(string(out))
}

// A long report paginates on A4 with "— N —" on every page, odd numbers at
// the right and even ones at the left below the text block, and every
// paragraph once and in order.
func TestOfficialPDFPagination(t *testing.T) {
	r := sampleInvestigation()
	var sb strings.Builder
	for i := 1; i <= 80; i++ {
		fmt.Fprintf(&sb, "第%d段：攻击者通过暴露的远程桌面服务登录服务器，投放勒索程序并加密业务数据。\n", i)
	}
	r.Overview = sb.String()
	for i := 0; i < 30; i++ {
		r.Improvements = append(r.Improvements, Measure{Text: strings.Repeat("加固边界防护并复核访问控制策略。", 4), Owner: "信息科", Deadline: ended.AddDate(0, 1, 0)})
	}
	data := mustOfficialPDF(t, r)
	keepArtifact(t, "investigation-long.pdf", data)
	info := pdfInfo(t, data)
	if !regexp.MustCompile(`Page size:\s+595\.2\d* x 841\.89 pts \(A4\)`).MatchString(info) {
		t.Errorf("page size is not A4:\n%s", info)
	}
	m := regexp.MustCompile(`Pages:\s+(\d+)`).FindStringSubmatch(info)
	if m == nil {
		t.Fatalf("no page count:\n%s", info)
	}
	pages, _ := strconv.Atoi(m[1])
	if pages < 10 {
		t.Fatalf("a long report fills %d pages, want at least 10", pages)
	}
	text := squash(pdfText(t, data))
	last := -1
	for i := 1; i <= 80; i++ {
		at := strings.Index(text, "第"+strconv.Itoa(i)+"段：")
		if at <= last {
			t.Fatalf("paragraph %d at %d, after %d", i, at, last)
		}
		last = at
	}
	if n := strings.Count(text, "2026年12月20日"); n != 30 {
		t.Errorf("the measures table has %d rows due 2026年12月20日, want 30", n)
	}
	if n := strings.Count(text, "责任单位或责任人"); n < 2 {
		t.Errorf("the table header is not repeated on the next page (%d times)", n)
	}
	// The page number band: from 262 mm (the text block's bottom) to the
	// page's foot, in points; left and right halves.
	path := writeTemp(t, "long.pdf", data)
	pt := func(mm float64) int { return int(mm / 25.4 * 72) }
	band := pt(officialBottom)
	for page := 1; page <= pages; page++ {
		want := "—" + strconv.Itoa(page) + "—"
		right := pdfRegionText(t, path, page, 298, band, 297, 842-band)
		left := pdfRegionText(t, path, page, 0, band, 297, 842-band)
		if page%2 == 1 && (right != want || left != "") || page%2 == 0 && (left != want || right != "") {
			t.Errorf("page %d: page number band left %q right %q, want %s on the %s", page, left, right, want, map[bool]string{true: "right", false: "left"}[page%2 == 1])
		}
	}
	// The text block: nothing left of 28 mm or above 37 mm on page 2.
	if s := pdfRegionText(t, path, 2, 0, 0, pt(27.5), 842); s != "" {
		t.Errorf("text in the left margin: %q", s)
	}
	if s := pdfRegionText(t, path, 2, 0, 0, 595, pt(36.5)); s != "" {
		t.Errorf("text in the top margin: %q", s)
	}
}

// Page 1 rendered: the masthead is red, 35 mm below the text block's top,
// with a red rule under the number; the body is black.
func TestOfficialPDFRedHeader(t *testing.T) {
	bin := needTool(t, "pdftoppm")
	data := mustOfficialPDF(t, sampleInvestigation())
	keepArtifact(t, "investigation.pdf", data)
	dir := t.TempDir()
	pdfPath := filepath.Join(dir, "doc.pdf")
	if err := os.WriteFile(pdfPath, data, 0o600); err != nil {
		t.Fatal(err)
	}
	const dpi = 50
	if out, err := exec.Command(bin, "-r", strconv.Itoa(dpi), "-f", "1", "-l", "1", "-png", pdfPath, filepath.Join(dir, "p")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, out)
	}
	f, err := os.Open(filepath.Join(dir, "p-1.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	keepArtifact(t, "investigation-page1.png", func() []byte { b, _ := os.ReadFile(filepath.Join(dir, "p-1.png")); return b }())
	px := func(mm float64) int { return int(mm / 25.4 * dpi) }
	count := func(top, bottom float64, red bool) int {
		n := 0
		b := img.Bounds()
		for y := px(top); y < px(bottom) && y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				r, g, bl, _ := img.At(x, y).RGBA()
				isRed := r > 0xC000 && g < 0x6000 && bl < 0x6000
				isBlack := r < 0x6000 && g < 0x6000 && bl < 0x6000
				if red && isRed || !red && isBlack {
					n++
				}
			}
		}
		return n
	}
	if n := count(officialTopMM+mastheadDropMM-1, officialTopMM+mastheadDropMM+14, true); n < 100 {
		t.Errorf("the masthead band has %d red pixels", n)
	}
	if n := count(officialTopMM+1, officialTopMM+mastheadDropMM-2, true); n != 0 {
		t.Errorf("%d red pixels above the masthead", n)
	}
	if n := count(officialTopMM+mastheadDropMM-1, officialTopMM+mastheadDropMM+14, false); n != 0 {
		t.Errorf("%d black pixels in the masthead band", n)
	}
	// The rule: a row of red as wide as the text block.
	rule := 0
	b := img.Bounds()
	for y := px(officialTopMM + mastheadDropMM + 14); y < px(officialTopMM+mastheadDropMM+50) && y < b.Max.Y; y++ {
		run := 0
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if r > 0xC000 && g < 0x6000 && bl < 0x6000 {
				run++
			}
		}
		rule = max(rule, run)
	}
	if want := px(officialWidthMM) - 2; rule < want {
		t.Errorf("the longest red row is %d px, want a rule of %d", rule, want)
	}
}

// Hostile text: a 20,000-character line without a space, control
// characters, markup and 10,000 lines render without panic in both
// formats; the DOCX stays well-formed and the PDF keeps the last line.
func TestOfficialHostileText(t *testing.T) {
	r := sampleInvestigation()
	var sb strings.Builder
	for i := 1; i <= 10000; i++ {
		fmt.Fprintf(&sb, "第%d行\n", i)
	}
	r.Overview = sb.String()
	r.Cause = strings.Repeat("A", 20000) + strings.Repeat("攻", 3000)
	r.Nature = "a\tb\x00c\x1bd\x7fe\r\nf" + hostile
	r.IncidentTitle = strings.Repeat("长标题", 200)
	r.IssuerOffice = strings.Repeat("Office", 100) + "\x00"
	r.Masthead = strings.Repeat("W", 300)
	r.Recipients = []string{"\x01", strings.Repeat("收", 500)}
	r.Improvements = append(r.Improvements, Measure{Text: strings.Repeat("B", 5000), Owner: strings.Repeat("主", 800)})
	docx := mustOfficialDOCX(t, r)
	text := docxText(t, docxParts(t, docx)["word/document.xml"])
	for _, want := range []string{"第10000行", "a bcde\nf" + hostile} {
		if !strings.Contains(text, want) {
			t.Errorf("DOCX lacks %q", want)
		}
	}
	start := time.Now()
	pdf := mustOfficialPDF(t, r)
	t.Logf("hostile PDF: %d bytes in %v", len(pdf), time.Since(start))
	got := squash(pdfText(t, pdf))
	for _, want := range []string{"第10000行", squash("f" + hostile), "abcde", strings.Repeat("A", 100)} {
		if !strings.Contains(got, want) {
			t.Errorf("PDF lacks %q", want)
		}
	}
}

func TestSignatureIndents(t *testing.T) {
	for _, c := range []struct {
		issuer, date string
		issuer0, d0  float64
	}{
		{"乌审旗委网信办", "2026年12月7日", 3.5, 2},               // 7 vs 6.5 characters: the date two in, the issuer two before it
		{"中共乌审旗委网络安全和信息化委员会办公室", "2026年12月7日", 2, 13.5}, // a long issuer two in, the date two to the right of its start
		{"网信办", "　　年　月　日", 8, 2},
	} {
		i, d := signatureIndents(c.issuer, c.date)
		if i != c.issuer0 || d != c.d0 {
			t.Errorf("signatureIndents(%q, %q) = %v, %v; want %v, %v", c.issuer, c.date, i, d, c.issuer0, c.d0)
		}
		// The date starts two characters right of the issuer's start.
		if got := (charWidth(c.issuer) + i) - (charWidth(c.date) + d); got != 2 {
			t.Errorf("%q: the date starts %v characters right of the issuer, want 2", c.issuer, got)
		}
	}
}

func TestChineseNumeral(t *testing.T) {
	for n, want := range map[int]string{1: "一", 9: "九", 10: "十", 11: "十一", 20: "二十", 37: "三十七", 99: "九十九", 100: "100"} {
		if got := chineseNumeral(n); got != want {
			t.Errorf("chineseNumeral(%d) = %q, want %q", n, got, want)
		}
	}
	var d officialDoc
	d.heading(1, "甲")
	d.heading(2, "乙")
	d.heading(3, "丙")
	d.heading(3, "丁")
	d.heading(2, "戊")
	d.heading(1, "己")
	d.heading(2, "庚")
	var got []string
	for _, b := range d.blocks {
		got = append(got, b.text)
	}
	if want := "一、甲 （一）乙 1.丙 2.丁 （二）戊 二、己 （一）庚"; strings.Join(got, " ") != want {
		t.Errorf("headings %q, want %q", strings.Join(got, " "), want)
	}
}

func TestMastheadSize(t *testing.T) {
	if got := mastheadSize("乌审旗委网信办文件"); got != officialMastheadPt {
		t.Errorf("a short masthead is %v pt, want %v", got, officialMastheadPt)
	}
	long := strings.Repeat("网", 16)
	got := mastheadSize(long)
	if got >= officialMastheadPt || got*ptToMM*16 > officialWidthMM {
		t.Errorf("16 characters at %v pt are %.1f mm wide, over the text block", got, got*ptToMM*16)
	}
}

func TestOfficialPDFStable(t *testing.T) {
	a, b := mustOfficialPDF(t, sampleInvestigation()), mustOfficialPDF(t, sampleInvestigation())
	if !bytes.Equal(a, b) {
		t.Error("two PDF exports of one document differ")
	}
	var zero InvestigationReport
	if !bytes.Equal(mustOfficialPDF(t, zero), mustOfficialPDF(t, zero)) {
		t.Error("an undated document exports to different bytes")
	}
}

// convertWithLibreOffice converts a DOCX to PDF with LibreOffice, as a
// regulator's office would open it. Skipped where it is not installed.
func convertWithLibreOffice(t *testing.T, name string, docx []byte) []byte {
	t.Helper()
	if testing.Short() {
		t.Skip("LibreOffice conversion is slow")
	}
	soffice := needTool(t, "soffice")
	dir := t.TempDir()
	in := filepath.Join(dir, name+".docx")
	if err := os.WriteFile(in, docx, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(soffice, "--headless", "--norestore", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--convert-to", "pdf", "--outdir", dir, in)
	cmd.Env = append(os.Environ(), "HOME="+dir)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("soffice: %v\n%s", err, out.String())
		}
	case <-time.After(3 * time.Minute):
		_ = cmd.Process.Kill()
		t.Fatal("soffice did not finish in 3 minutes")
	}
	data, err := os.ReadFile(filepath.Join(dir, name+".pdf"))
	if err != nil {
		t.Fatalf("no PDF: %v\n%s", err, out.String())
	}
	keepArtifact(t, name+"-libreoffice.pdf", data)
	return data
}

// TestOfficialDOCXLibreOffice: LibreOffice lays the DOCX out on A4 with the
// text inside the 156 × 225 mm block, "— N —" at the right of odd pages
// and the left of even ones, and the document's text.
func TestOfficialDOCXLibreOffice(t *testing.T) {
	r := sampleInvestigation()
	var sb strings.Builder
	for i := 1; i <= 40; i++ {
		fmt.Fprintf(&sb, "第%d段：攻击者通过暴露的远程桌面服务登录服务器，投放勒索程序并加密业务数据。\n", i)
	}
	r.Overview = sb.String()
	data := convertWithLibreOffice(t, "investigation", mustOfficialDOCX(t, r))
	info := pdfInfo(t, data)
	if !regexp.MustCompile(`Page size:\s+595\.\d* x 841\.\d* pts \(A4\)`).MatchString(info) {
		t.Errorf("LibreOffice's page is not A4:\n%s", info)
	}
	m := regexp.MustCompile(`Pages:\s+(\d+)`).FindStringSubmatch(info)
	pages, _ := strconv.Atoi(m[1])
	if pages < 3 {
		t.Fatalf("LibreOffice made %d pages of a long report, want at least 3", pages)
	}
	text := squash(pdfText(t, data))
	for _, want := range []string{"乌审旗委网信办文件", "乌网信〔2026〕12号", "关于勒索病毒事件的调查评估报告", "第40段：", "七、改进措施",
		"审批记录", "退回修改", "抄送：鄂尔多斯市委网信办。"} {
		if !strings.Contains(text, squash(want)) {
			t.Errorf("LibreOffice's PDF lacks %q", want)
		}
	}
	path := writeTemp(t, "lo.pdf", data)
	pt := func(mm float64) int { return int(mm / 25.4 * 72) }
	band := pt(officialBottom)
	for page := 1; page <= pages; page++ {
		want := "—" + strconv.Itoa(page) + "—"
		right := pdfRegionText(t, path, page, 298, band, 297, 842-band)
		left := pdfRegionText(t, path, page, 0, band, 297, 842-band)
		if page%2 == 1 && (right != want || left != "") || page%2 == 0 && (left != want || right != "") {
			t.Errorf("page %d: page number band left %q right %q", page, left, right)
		}
		if s := pdfRegionText(t, path, page, 0, 0, pt(officialLeftMM-0.5), 842); s != "" {
			t.Errorf("page %d: text in the left margin: %q", page, s)
		}
		if s := pdfRegionText(t, path, page, 0, 0, 595, pt(officialTopMM-0.5)); s != "" {
			t.Errorf("page %d: text in the top margin: %q", page, s)
		}
	}
}

func TestOfficialDue(t *testing.T) {
	for _, c := range []struct {
		at   time.Time
		want string
	}{
		{time.Date(2027, 1, 7, 0, 0, 0, 0, chinaTime), "2027年1月6日24时"},
		{time.Date(2027, 1, 1, 0, 0, 0, 0, chinaTime), "2026年12月31日24时"},
		{time.Date(2027, 1, 6, 16, 0, 0, 0, time.UTC), "2027年1月6日24时"},
		{time.Date(2026, 12, 20, 18, 0, 0, 0, chinaTime), "2026年12月20日18时"},
		{time.Date(2026, 12, 20, 9, 30, 0, 0, chinaTime), "2026年12月20日9时30分"},
	} {
		if got := officialDue(c.at); got != c.want {
			t.Errorf("officialDue(%v) = %q, want %q", c.at, got, c.want)
		}
	}
}
