package sheets

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"fenghuo/internal/fenghuo"
)

// zhHeader is the template's Chinese header row as CSV.
const zhHeader = "所属单位,系统名称,责任部门,责任人,联系电话,等保级别,关键信息基础设施,重点系统类别,域名,网址,IP地址,端口,组件,描述,状态\n"

// MustParseCSV parses text as a CSV file and fails the test on a file-level error.
func MustParseCSV(tb testing.TB, text string) []SystemRow {
	tb.Helper()
	rows, err := ParseSystems("register.csv", strings.NewReader(text), 0)
	if err != nil {
		tb.Fatalf("ParseSystems: %v", err)
	}
	return rows
}

// MustXLSX builds a workbook whose sheets hold the given rows.
func MustXLSX(tb testing.TB, sheets map[string][][]string, order ...string) []byte {
	tb.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, name := range order {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				tb.Fatal(err)
			}
		} else if _, err := f.NewSheet(name); err != nil {
			tb.Fatal(err)
		}
		for r, row := range sheets[name] {
			for c, v := range row {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if err := f.SetCellStr(name, cell, v); err != nil {
					tb.Fatal(err)
				}
			}
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// MustNoRowErrors fails the test if any row has a problem.
func MustNoRowErrors(tb testing.TB, rows []SystemRow) {
	tb.Helper()
	for _, r := range rows {
		for _, e := range r.Errors {
			tb.Errorf("unexpected %s", e)
		}
	}
}

// wantEINVALID fails the test unless err is an EINVALID error whose
// message contains every one of want.
func wantEINVALID(tb testing.TB, err error, want ...string) {
	tb.Helper()
	if fenghuo.ErrorCode(err) != fenghuo.EINVALID {
		tb.Fatalf("error = %v, want an EINVALID error", err)
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			tb.Errorf("error %q does not mention %q", err, w)
		}
	}
}

// fullSystem is a system that uses every column.
func fullSystem() fenghuo.System {
	return fenghuo.System{
		Name:              "政务服务网",
		Department:        "信息中心",
		ResponsiblePerson: "张伟",
		ResponsiblePhone:  "0731-88886666",
		ProtectionLevel:   3,
		CII:               true,
		KeyKinds:          []fenghuo.KeyKind{fenghuo.KindCII, fenghuo.KindImportantData, fenghuo.KindPublicInfo, fenghuo.KindLevel3Plus},
		Exposure: []fenghuo.Exposure{
			{Kind: fenghuo.ExposureDomain, Value: "www.example.gov.cn"},
			{Kind: fenghuo.ExposureDomain, Value: "zwfw.example.gov.cn"},
			{Kind: fenghuo.ExposureURL, Value: "https://zwfw.example.gov.cn/portal?a=1"},
			{Kind: fenghuo.ExposureIP, Value: "203.0.113.10"},
			{Kind: fenghuo.ExposureIP, Value: "2001:db8::/32"},
			{Kind: fenghuo.ExposurePort, Value: "443"},
			{Kind: fenghuo.ExposurePort, Value: "8080/tcp"},
		},
		Components: []fenghuo.Component{
			{Name: "Apache Struts2", Version: "2.5.10"},
			{Name: "OpenSSL", Version: "1.0.2k"},
			{Name: "nginx", Version: "v1.20.1"},
			{Name: "自研门户"},
		},
		Description: "面向公众的政务服务门户\n第二行",
		Status:      fenghuo.SystemActive,
	}
}
