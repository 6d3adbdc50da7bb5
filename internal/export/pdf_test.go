package export

import (
	"bytes"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func TestReportPDFText(t *testing.T) {
	data := mustPDF(t, sampleForm())
	keepArtifact(t, "report.pdf", data)
	if !bytes.HasPrefix(data, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", data[:min(len(data), 16)])
	}
	if !bytes.Contains(data, []byte("/FontFile2")) {
		t.Error("the TrueType font is not embedded (no /FontFile2)")
	}
	text := squash(pdfText(t, data))
	for _, want := range []string{
		"网络安全事件报告", "续报（第2次）", "依据《辽宁省广电网络安全事件报告单》附件2", "事件编号42",
		"发生部门", "信息中心", "学校门户网站、教务管理系统", "信息系统安全保护等级",
		"✓第二级", "✓第三级", "事件级别", "Ⅲ级", "重大（Ⅱ级）", "✓网络攻击事件", "NA09网页篡改事件",
		"2025年11月03日08:05", "2025年11月03日08:40", "首页被植入违法信息",
		"值班领导", "王主任", "报告单位", "联系电话", "0477-7654321",
		"第七条报告内容", "（一）事发单位名称", "已下线网站并报告旗委网信办", "（八）其他应当报告的情况", "（未填写）",
		"签发人：李校长", "报送单位：乌审旗委网信办、乌审旗公安局网安大队", "第1页/共2页", "第2页/共2页",
	} {
		if !strings.Contains(text, squash(want)) {
			t.Errorf("PDF text lacks %q", want)
		}
	}
	for _, unwanted := range []string{"✓第一级", "✓Ⅲ级", "不应重复出现"} {
		if strings.Contains(text, unwanted) {
			t.Errorf("PDF text has %q", unwanted)
		}
	}
}

// TestReportPDFLongText: a description of several pages wraps inside its
// table cell, continues on the next pages with the label repeated, and
// every character is kept in order.
func TestReportPDFLongText(t *testing.T) {
	f := sampleForm()
	var sb strings.Builder
	for i := 1; i <= 120; i++ {
		sb.WriteString("第" + strconv.Itoa(i) + "段：攻击者利用内容管理系统上传漏洞写入网页木马，篡改首页并植入暗链。")
		if i%10 == 0 {
			sb.WriteString("\n")
		}
	}
	f.Description = sb.String()
	f.Items[ItemPreliminaryCause] = strings.Repeat("初步分析原因为弱口令和未修补的漏洞。", 200)
	data := mustPDF(t, f)
	keepArtifact(t, "report-long.pdf", data)
	raw := pdfText(t, data)
	pages := strings.Count(raw, "\f")
	if pages < 4 {
		t.Fatalf("a long report fills %d pages, want at least 4", pages)
	}
	text := squash(raw)
	if !strings.Contains(text, "（续）事件描述") {
		t.Error("the continued row does not repeat its label")
	}
	if !strings.Contains(text, "共"+strconv.Itoa(pages)+"页") {
		t.Errorf("page numbers do not count %d pages", pages)
	}
	// Each paragraph appears once and in order, none lost at a page break.
	last := -1
	for i := 1; i <= 120; i++ {
		at := strings.Index(text, "第"+strconv.Itoa(i)+"段：")
		if at <= last {
			t.Fatalf("paragraph %d at %d, after %d", i, at, last)
		}
		last = at
	}
	// Without the page footers, no sentence is broken by a page break.
	body := squash(regexp.MustCompile(`第\s*\d+\s*页\s*/\s*共\s*\d+\s*页`).ReplaceAllString(raw, ""))
	if n := strings.Count(body, "未修补的漏洞"); n != 200 {
		t.Errorf("item 4 repeated %d times, want 200", n)
	}
}

func TestReportPDFEmpty(t *testing.T) {
	data := mustPDF(t, ReportForm{})
	text := squash(pdfText(t, data))
	for _, want := range []string{"网络安全事件报告", "发生单位", "事件类别", "签发人：", "（未填写）"} {
		if !strings.Contains(text, want) {
			t.Errorf("empty form lacks %q", want)
		}
	}
	if strings.Contains(text, "✓") {
		t.Error("an empty form ticks a box")
	}
}

func TestReportPDFHostileText(t *testing.T) {
	f := sampleForm()
	f.PlanFields = nil
	f.Description = hostile
	f.UnitName = "(unit) \\ % 100%"
	text := squash(pdfText(t, mustPDF(t, f)))
	for _, want := range []string{hostile, "(unit)\\%100%"} {
		if !strings.Contains(text, squash(want)) {
			t.Errorf("PDF text lacks %q", want)
		}
	}
}

// TestReportPDFRender rasterises page 1 and checks that ink fell in the
// table area: a missing font would leave the cells empty. The PNG is kept
// in $EXPORT_ARTIFACTS for a look.
func TestReportPDFRender(t *testing.T) {
	bin := needTool(t, "pdftoppm")
	dir := t.TempDir()
	pdfPath := filepath.Join(dir, "report.pdf")
	if err := os.WriteFile(pdfPath, mustPDF(t, sampleForm()), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(bin, "-png", "-r", "100", "-f", "1", "-l", "1", "-singlefile", pdfPath, filepath.Join(dir, "page")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, out)
	}
	pngData, err := os.ReadFile(filepath.Join(dir, "page.png"))
	if err != nil {
		t.Fatal(err)
	}
	keepArtifact(t, "report-page1.png", pngData)
	img, err := png.Decode(bytes.NewReader(pngData))
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	// The title band (top 8–12 % of an A4 page): dark pixels of the
	// characters 网络安全事件报告, centred.
	dark := 0
	for y := b.Min.Y + b.Dy()*7/100; y < b.Min.Y+b.Dy()*12/100; y++ {
		for x := b.Min.X + b.Dx()/4; x < b.Max.X-b.Dx()/4; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if r+g+bl < 3*0x4000 {
				dark++
			}
		}
	}
	if dark < 500 {
		t.Errorf("title band has %d dark pixels: the CJK glyphs did not render", dark)
	}
}
