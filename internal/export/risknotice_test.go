package export

import (
	"strings"
	"testing"
	"time"
)

func TestRiskNoticeOfficialDocument(t *testing.T) {
	n := RiskNotice{
		DocumentHeader: DocumentHeader{IssuerOffice: "云州市委网信办", Number: "风险通报第3号", Recipients: []string{"云州市人民医院"},
			Date: time.Date(2026, 12, 1, 9, 0, 0, 0, chinaTime)},
		Subject: "Oracle WebLogic Server 远程代码执行漏洞", Product: "Oracle WebLogic Server",
		Ranges: []string{"12.2.1.3 - 12.2.1.4"}, RefIDs: []string{"CVE-2020-14882", "CNVD-2020-61456"},
		Description: "攻击者可通过T3协议远程执行代码。", Measures: "安装官方补丁\n暂时关闭T3协议",
		RectifyDays: 7, DueAt: time.Date(2026, 12, 8, 9, 0, 0, 0, chinaTime),
		Targets: []RiskNoticeTarget{{Unit: "云州市人民医院", Reason: "HIS:Oracle WebLogic Server 12.2.1.3.0", Answer: "受影响"}},
	}
	parts := docxParts(t, mustOfficialDOCX(t, n))
	text := docxText(t, parts["word/document.xml"])
	pdf := squash(pdfText(t, mustOfficialPDF(t, n)))
	for _, want := range []string{"关于Oracle WebLogic Server 远程代码执行漏洞的风险通报", "CVE-2020-14882、CNVD-2020-61456",
		"受影响版本：12.2.1.3 - 12.2.1.4", "暂时关闭T3协议", "收到通报后7日内（2026年12月8日9时前）", "HIS:Oracle WebLogic Server 12.2.1.3.0", "特此通报。"} {
		if !strings.Contains(text, want) {
			t.Errorf("DOCX lacks %q", want)
		}
		if !strings.Contains(pdf, squash(want)) {
			t.Errorf("PDF lacks %q", want)
		}
	}
	if strings.Contains(text, "审批记录") {
		t.Error("a risk notice prints the aftermath approval table")
	}
}
