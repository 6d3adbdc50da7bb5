package export

import (
	"bytes"
	"strings"
	"testing"
)

func sampleNotice() Notice {
	return Notice{
		Title:    "网络安全预警通报",
		Subtitle: "橙色预警 · 甲县委网信办 · 第3号",
		Fields:   [][2]string{{"预警名称", "WebLogic 远程代码执行漏洞"}, {"预警级别", "橙色"}, {"可能影响范围", "运行WebLogic的重要信息系统 <script>"}},
		Sections: []NoticeSection{{"警示事项", "该漏洞已被公开利用。\n攻击者可远程执行代码。"}, {"应采取的措施", "1. 安装官方补丁(24小时内)"}, {"其他", ""}},
		Footer:   [][2]string{{"发布单位", "甲县委网信办"}, {"签发人", ""}},
		Author:   "甲县委网信办",
	}
}

// A notice comes out as a well-formed DOCX and as a PDF that carries its
// Chinese text; user text is escaped; the same notice exports to the same
// bytes.
func TestNoticeDOCXAndPDF(t *testing.T) {
	var docx, again bytes.Buffer
	if err := WriteNoticeDOCX(&docx, sampleNotice()); err != nil {
		t.Fatal(err)
	}
	WriteNoticeDOCX(&again, sampleNotice())
	if !bytes.Equal(docx.Bytes(), again.Bytes()) {
		t.Error("two exports of one notice differ")
	}
	parts := docxParts(t, docx.Bytes())
	text := docxText(t, parts["word/document.xml"])
	for _, want := range []string{"网络安全预警通报", "WebLogic 远程代码执行漏洞", "攻击者可远程执行代码。", "安装官方补丁", "<script>", emptySection} {
		if !strings.Contains(text, want) {
			t.Errorf("DOCX lacks %q", want)
		}
	}
	if !strings.Contains(parts["docProps/core.xml"], "网络安全预警通报") {
		t.Error("DOCX title property missing")
	}
	keepArtifact(t, "notice.docx", docx.Bytes())

	var pdf bytes.Buffer
	if err := WriteNoticePDF(&pdf, sampleNotice()); err != nil {
		t.Fatal(err)
	}
	keepArtifact(t, "notice.pdf", pdf.Bytes())
	got := squash(pdfText(t, pdf.Bytes()))
	for _, want := range []string{"网络安全预警通报", "WebLogic远程代码执行漏洞", "该漏洞已被公开利用。", "发布单位"} {
		if !strings.Contains(got, want) {
			t.Errorf("PDF text lacks %q: %.300s", want, got)
		}
	}
}
