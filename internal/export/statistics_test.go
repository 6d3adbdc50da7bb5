package export

import (
	"archive/zip"
	"bytes"
	"image/png"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

func sampleBulletin() StatisticsBulletin {
	return StatisticsBulletin{
		Header:      DocumentHeader{IssuerOffice: "某市<网信办>", Date: time.Date(2026, 12, 31, 9, 0, 0, 0, chinaTime)},
		PeriodLabel: "2026年", BucketLabel: "月份", Buckets: []string{"2026-11", "2026-12"}, Incidents: 7,
		Grades:     []StatLine{{Name: "特别重大", Values: []int{1, 0}, Total: 1}, {Name: "一般", Values: []int{2, 4}, Total: 6}},
		Categories: []StatLine{{Name: "网页篡改事件", Total: 5}, {Name: "恶意程序事件", Total: 2}},
		Units: []StatUnit{{Name: "甲单位", Incidents: 4, Punctuality: StatPunctuality{OnTime: 3, Late: 1}},
			{Name: "=HYPERLINK(\"x\")", Incidents: 3, Punctuality: StatPunctuality{Missed: 2}}},
		Punctuality: []StatPunctuality{{OnTime: 1, Late: 1}, {OnTime: 2, Missed: 2}},
	}
}

func unzip(t *testing.T, data []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name], _ = io.ReadAll(rc)
		rc.Close()
	}
	return out
}

func TestStatisticsBulletinDOCX(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteOfficialDOCX(&buf, sampleBulletin()); err != nil {
		t.Fatal(err)
	}
	parts := unzip(t, buf.Bytes())
	doc := string(parts["word/document.xml"])
	for _, want := range []string{"某市&lt;网信办&gt;2026年网络安全事件统计通报", "共发生网络安全事件7起，其中特别重大1起、一般6起",
		"应报告事项6项，按时报告3项，迟报1项，漏报2项", "按时报告率50.0%", `r:embed="rId10"`, `r:embed="rId12"`, "图3　2026年事件报告及时性",
		"表3　各单位事件数量与报告及时性", "甲单位", "75.0%"} {
		if !strings.Contains(doc, want) {
			t.Errorf("document lacks %q", want)
		}
	}
	for i := 1; i <= 3; i++ {
		img := parts["word/media/image"+string(rune('0'+i))+".png"]
		cfg, err := png.DecodeConfig(bytes.NewReader(img))
		if err != nil || cfg.Width < 600 {
			t.Errorf("image %d: %v %+v", i, err, cfg)
		}
	}
	if !strings.Contains(string(parts["[Content_Types].xml"]), `Extension="png"`) ||
		!strings.Contains(string(parts["word/_rels/document.xml.rels"]), `Target="media/image3.png"`) {
		t.Error("images not declared in the package")
	}
	// The PDF takes the same images.
	buf.Reset()
	if err := WriteOfficialPDF(&buf, sampleBulletin()); err != nil || !bytes.Contains(buf.Bytes(), []byte("/Subtype /Image")) {
		t.Errorf("pdf: %v, images present: %v", err, bytes.Contains(buf.Bytes(), []byte("/Subtype /Image")))
	}
}

func TestStatisticsBulletinXLSX(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteStatisticsXLSX(&buf, sampleBulletin()); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); strings.Join(got, ",") != "按级别,按类别,按单位,报告及时性" {
		t.Fatalf("sheets %v", got)
	}
	rows, _ := f.GetRows("按级别")
	if strings.Join(rows[0], ",") != "月份,特别重大,一般,合计" || strings.Join(rows[2], ",") != "2026-12,0,4,4" {
		t.Errorf("by grade %v", rows)
	}
	rows, _ = f.GetRows("按单位")
	if rows[2][0] != `=HYPERLINK("x")` || rows[2][4] != "2" {
		t.Errorf("by unit %v", rows)
	}
	if v, _ := f.GetCellFormula("按单位", "A3"); v != "" {
		t.Errorf("a unit's name became a formula: %q", v)
	}
	parts := unzip(t, buf.Bytes())
	charts := 0
	for name := range parts {
		if strings.HasPrefix(name, "xl/charts/chart") {
			charts++
		}
	}
	if charts != 3 {
		t.Errorf("%d native charts, want 3", charts)
	}
}
