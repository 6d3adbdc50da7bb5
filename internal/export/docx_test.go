package export

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// docxParts unzips a .docx and checks that every part is well-formed XML.
func docxParts(t *testing.T, data []byte) map[string]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	if zr.File[0].Name != "[Content_Types].xml" {
		t.Errorf("first part is %s, want [Content_Types].xml", zr.File[0].Name)
	}
	parts := map[string]string{}
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		dec := xml.NewDecoder(bytes.NewReader(body))
		for {
			_, err := dec.Token()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("%s is not well-formed XML: %v", zf.Name, err)
			}
		}
		parts[zf.Name] = string(body)
	}
	for _, name := range []string{"_rels/.rels", "word/document.xml", "word/_rels/document.xml.rels", "word/styles.xml", "word/fontTable.xml", "docProps/core.xml"} {
		if _, ok := parts[name]; !ok {
			t.Errorf("missing part %s", name)
		}
	}
	return parts
}

// docxText is the document's text as Word shows it: one line per
// paragraph, <w:br/> as a newline.
func docxText(t *testing.T, documentXML string) string {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(documentXML))
	var sb strings.Builder
	inText := false
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return sb.String()
		}
		if err != nil {
			t.Fatal(err)
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			switch tk.Name.Local {
			case "t":
				inText = true
			case "br":
				sb.WriteString("\n")
			case "tab":
				sb.WriteString("\t")
			}
		case xml.EndElement:
			switch tk.Name.Local {
			case "t":
				inText = false
			case "p":
				sb.WriteString("\n")
			}
		case xml.CharData:
			if inText {
				sb.Write(tk)
			}
		}
	}
}

func TestReportDOCX(t *testing.T) {
	data := mustDOCX(t, sampleForm())
	keepArtifact(t, "report.docx", data)
	parts := docxParts(t, data)
	doc := parts["word/document.xml"]
	text := docxText(t, doc)
	for _, want := range []string{
		"网络安全事件报告\n", "续报（第2次）", "发生部门\n信息中心\n", "信息系统安全保护等级\n☐第一级　☑第二级　☑第三级　☐第四级　☐第五级\n",
		"学校门户网站：第二级；教务管理系统：第三级", "事件级别\n☐Ⅲ级　☐Ⅳ级\n重大（Ⅱ级）\n",
		"☑网络攻击事件", "NA09 网页篡改事件", "2025年11月03日 08:40", "值班领导\n王主任\n",
		"报告单位\n乌审旗第一中学\n", "（一）事发单位名称", "11月3日8时40分发现首页被篡改。\n已下线网站并报告旗委网信办。\n",
		"（四）初步分析的事件原因\n（未填写）\n", "签发人：李校长\n报告人：张老师\n", "报送单位：乌审旗委网信办、乌审旗公安局网安大队",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("document text lacks %q", want)
		}
	}
	if strings.Contains(text, "不应重复出现") {
		t.Error("a plan field that is an Art. 7 item is printed in the table too")
	}
	if !strings.Contains(doc, `w:fill="D9D9D9"`) || !strings.Contains(doc, `<w:insideH w:val="single"`) {
		t.Error("the table lacks its shaded labels or its borders")
	}
	if !strings.Contains(parts["word/styles.xml"], `w:eastAsia="宋体"`) || !strings.Contains(parts["word/fontTable.xml"], `<w:altName w:val="SimSun"/>`) {
		t.Error("no East Asian font set")
	}
	if !strings.Contains(parts["docProps/core.xml"], "2025-11-03T01:10:00Z") {
		t.Error("core.xml lacks the submission time")
	}
}

// TestReportDOCXEscaping: user text with markup, entities, quotes, a CDATA
// terminator and control characters stays text.
func TestReportDOCXEscaping(t *testing.T) {
	f := sampleForm()
	f.PlanFields = nil
	f.UnitName = hostile
	f.Description = "a\tb\r\nc\x00d\x1be"
	f.Items[ItemOther] = hostile
	f.IncidentTitle = hostile
	f.Recipients = []string{`"A&B"`, "<C>"}
	parts := docxParts(t, mustDOCX(t, f))
	doc := parts["word/document.xml"]
	text := docxText(t, doc)
	for _, want := range []string{"发生单位\n" + hostile + "\n", "（八）其他应当报告的情况\n" + hostile + "\n", "a\tb\nc\uFFFDd\uFFFDe\n", `报送单位："A&B"、<C>`} {
		if !strings.Contains(text, want) {
			t.Errorf("document text lacks %q", want)
		}
	}
	if strings.Contains(doc, "<script>") || strings.Contains(doc, "]]>") || strings.Contains(doc, "<w:t><w:t>") {
		t.Error("user text reached the XML unescaped")
	}
	if !strings.Contains(parts["docProps/core.xml"], "&lt;script&gt;") {
		t.Error("the title in core.xml is not escaped")
	}
}

func TestReportDOCXEmpty(t *testing.T) {
	parts := docxParts(t, mustDOCX(t, ReportForm{}))
	text := docxText(t, parts["word/document.xml"])
	for _, want := range []string{"网络安全事件报告", "发生单位\n\n", "☐恶意程序事件", "（未填写）", "签发人："} {
		if !strings.Contains(text, want) {
			t.Errorf("empty form lacks %q", want)
		}
	}
	if strings.Contains(text, boxTicked) {
		t.Error("an empty form ticks a box")
	}
	if _, ok := parts["docProps/core.xml"]; !ok || strings.Contains(parts["docProps/core.xml"], "dcterms:created") {
		t.Error("core.xml claims a creation time the form does not have")
	}
}

func TestReportDOCXStable(t *testing.T) {
	a, b := mustDOCX(t, sampleForm()), mustDOCX(t, sampleForm())
	if !bytes.Equal(a, b) {
		t.Error("the same report exports to different bytes")
	}
}

// TestReportDOCXLibreOffice opens the document in LibreOffice, as a
// regulator's office would, and checks the Chinese text survives the
// conversion to PDF. Skipped where LibreOffice is not installed.
func TestReportDOCXLibreOffice(t *testing.T) {
	if testing.Short() {
		t.Skip("LibreOffice conversion is slow")
	}
	soffice := needTool(t, "soffice")
	dir := t.TempDir()
	in := filepath.Join(dir, "report.docx")
	if err := os.WriteFile(in, mustDOCX(t, sampleForm()), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(soffice, "--headless", "--norestore", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--convert-to", "pdf", "--outdir", dir, in)
	cmd.Env = append(os.Environ(), "HOME="+dir)
	done := make(chan error, 1)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
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
	pdfData, err := os.ReadFile(filepath.Join(dir, "report.pdf"))
	if err != nil {
		t.Fatalf("no PDF: %v\n%s", err, out.String())
	}
	keepArtifact(t, "report-libreoffice.pdf", pdfData)
	text := squash(pdfText(t, pdfData))
	for _, want := range []string{"网络安全事件报告", "信息系统安全保护等级", "☑第二级", "乌审旗第一中学", "首页被植入违法信息", "（七）事件现场保护情况", "签发人：李校长"} {
		if !strings.Contains(text, squash(want)) {
			t.Errorf("LibreOffice's PDF lacks %q", want)
		}
	}
}
