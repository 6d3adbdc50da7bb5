package sheets

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"fenghuo/internal/fenghuo"
)

const fullRowCSV = `示例市大数据中心,政务服务网,信息中心,张伟,0731-88886666,第三级,√,"关键信息基础设施、含重要数据/个人信息；门户网站
等保三级及以上","www.example.gov.cn, zwfw.example.gov.cn",https://zwfw.example.gov.cn/portal?a=1,203.0.113.10、2001:db8::/32,"443,8080/TCP","Apache Struts2 2.5.10; OpenSSL 1.0.2k
nginx v1.20.1;自研门户","面向公众的政务服务门户
第二行",在用
`

func TestParseChineseHeaders(t *testing.T) {
	rows := MustParseCSV(t, zhHeader+fullRowCSV)
	MustNoRowErrors(t, rows)
	if len(rows) != 1 {
		t.Fatalf("got %d rows, want 1", len(rows))
	}
	r := rows[0]
	if r.Row != 2 || r.OrgRef != "示例市大数据中心" {
		t.Errorf("Row, OrgRef = %d, %q", r.Row, r.OrgRef)
	}
	if want := fullSystem(); !reflect.DeepEqual(r.System, want) {
		t.Errorf("System =\n%+v\nwant\n%+v", r.System, want)
	}
}

func TestParseEnglishHeadersAnyOrder(t *testing.T) {
	text := "  NAME ,Owner_Unit *,Protection Level,CII,Key Kinds,Ports,responsible phone\n" +
		"Portal,42,3级,yes,\"cii, level3_plus\",80,13800138000\n"
	rows := MustParseCSV(t, text)
	MustNoRowErrors(t, rows)
	s := rows[0].System
	if rows[0].OrgRef != "42" || s.Name != "Portal" || s.ProtectionLevel != 3 || !s.CII ||
		!reflect.DeepEqual(s.KeyKinds, []fenghuo.KeyKind{fenghuo.KindCII, fenghuo.KindLevel3Plus}) ||
		s.ResponsiblePhone != "13800138000" || len(s.Exposure) != 1 || s.Status != fenghuo.SystemActive {
		t.Errorf("row = %+v", rows[0])
	}
}

func TestParseGBKCSV(t *testing.T) {
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(zhHeader + "示例市教育局,学籍管理系统,,,,二级,否,重要数据,,,,,,,下线\n")
	if err != nil {
		t.Fatal(err)
	}
	rows := MustParseCSV(t, gbk)
	MustNoRowErrors(t, rows)
	s := rows[0].System
	if rows[0].OrgRef != "示例市教育局" || s.Name != "学籍管理系统" || s.ProtectionLevel != 2 ||
		s.Status != fenghuo.SystemRetired || !reflect.DeepEqual(s.KeyKinds, []fenghuo.KeyKind{fenghuo.KindImportantData}) {
		t.Errorf("row = %+v", rows[0])
	}
}

func TestParseBOMCSV(t *testing.T) {
	rows := MustParseCSV(t, "\ufeff"+zhHeader+"单位甲,门户网站,,,,,,,,,,,,,\r\n")
	MustNoRowErrors(t, rows)
	if len(rows) != 1 || rows[0].OrgRef != "单位甲" || rows[0].System.Name != "门户网站" {
		t.Errorf("rows = %+v", rows)
	}
}

func TestParseXLSXSheetChoiceAndFormula(t *testing.T) {
	data := MustXLSX(t, map[string][][]string{
		"说明": {{"这里是说明"}},
		"系统": {{"台账标题"}, {}, {"所属单位", "系统名称", "等保级别"}, {"单位甲", "=SUM(A1)", ""}},
	}, "说明", "系统")
	rows, err := ParseSystems("台账.XLSX", bytes.NewReader(data), 0)
	if err != nil {
		t.Fatal(err)
	}
	MustNoRowErrors(t, rows)
	if len(rows) != 1 || rows[0].Row != 4 || rows[0].System.Name != "=SUM(A1)" {
		t.Errorf("rows = %+v, want row 4 with the formula-like name kept as text", rows)
	}
}

func TestParseValues(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int
	}{{"3", 3}, {"三级", 3}, {"第三级", 3}, {"3级", 3}, {"一级", 1}, {"五级", 5}, {"第 2 级", 2}, {"等保四级", 4}, {"Level 5", 5}, {"L1", 1}, {"3.0", 3}, {"", 0}, {"未定级", 0}} {
		if got, ok := parseLevel(tc.in); !ok || got != tc.want {
			t.Errorf("parseLevel(%q) = %d, %v; want %d", tc.in, got, ok, tc.want)
		}
	}
	for _, bad := range []string{"六级", "6", "0级", "三四级", "high"} {
		if _, ok := parseLevel(bad); ok {
			t.Errorf("parseLevel(%q) accepted", bad)
		}
	}
	for in, want := range map[string]bool{"是": true, "Y": true, "TRUE": true, "1": true, "√": true, "yes": true, "否": false, "n": false, "0": false, "False": false, "": false} {
		if got, ok := parseBool(in); !ok || got != want {
			t.Errorf("parseBool(%q) = %v, %v", in, got, ok)
		}
	}
	kinds, unknown := parseKeyKinds("重点保卫目标/城市运行和公众服务支撑系统, 个人信息;APP\n情报板、LED、等保3级及以上、key_target、关基")
	want := []fenghuo.KeyKind{fenghuo.KindKeyTarget, fenghuo.KindCityOperation, fenghuo.KindImportantData, fenghuo.KindPublicInfo, fenghuo.KindLevel3Plus, fenghuo.KindCII}
	if !reflect.DeepEqual(kinds, want) || len(unknown) != 0 {
		t.Errorf("parseKeyKinds = %v, %v; want %v", kinds, unknown, want)
	}
	comps := parseComponents("Apache Struts2 2.5.10; OpenSSL 1.0.2k；WebLogic 12.1.3\nWindows Server\n360 v10")
	wantComps := []fenghuo.Component{{Name: "Apache Struts2", Version: "2.5.10"}, {Name: "OpenSSL", Version: "1.0.2k"},
		{Name: "WebLogic", Version: "12.1.3"}, {Name: "Windows Server"}, {Name: "360", Version: "v10"}}
	if !reflect.DeepEqual(comps, wantComps) {
		t.Errorf("parseComponents = %+v", comps)
	}
}

// TestRowErrors puts one bad value in row 3, after a good row 2, and checks
// that exactly that cell is reported, with its column and a useful message.
func TestRowErrors(t *testing.T) {
	const good = "单位甲,门户网站,,,,,,,,,,,,,\n"
	for _, tc := range []struct {
		name, row, column string
		want              []string
	}{
		{"level", "单位甲,门户网站,,,,六级,,,,,,,,,", "等保级别", []string{"等保级别", "六级", "1, 2, 3, 4 or 5", "一级至五级"}},
		{"cii", "单位甲,门户网站,,,,,也许,,,,,,,,", "关键信息基础设施", []string{"也许", "是", "否"}},
		{"kinds", "单位甲,门户网站,,,,,,重点单位、公共信息发布,,,,,,,", "重点系统类别", []string{"重点单位", "重点保卫目标"}},
		{"domain", "单位甲,门户网站,,,,,,,http://www.example.gov.cn,,,,,,", "域名", []string{"域名", "www.example.gov.cn"}},
		{"url", "单位甲,门户网站,,,,,,,,www.example.gov.cn/a,,,,,", "网址", []string{"网址", "http"}},
		{"ip", "单位甲,门户网站,,,,,,,,,300.1.1.1,,,,", "IP地址", []string{"IP地址", "300.1.1.1"}},
		{"port", "单位甲,门户网站,,,,,,,,,,\"80,70000\",,,", "端口", []string{"端口", "70000", "65535"}},
		{"phone", "单位甲,门户网站,,,电话待定,,,,,,,,,,", "联系电话", []string{"联系电话", "电话待定"}},
		{"status", "单位甲,门户网站,,,,,,,,,,,,,报废", "状态", []string{"报废", "在用", "下线"}},
		{"org", ",门户网站,,,,,,,,,,,,,", "所属单位", []string{"所属单位", "empty"}},
		{"name", "单位甲,,,,,,,,,,,,,,", "系统名称", []string{"系统名称", "empty"}},
		{"name length", "单位甲," + strings.Repeat("长", 201) + ",,,,,,,,,,,,,", "系统名称", []string{"201", "200"}},
		{"department", "单位甲,门户网站," + strings.Repeat("部", 101) + ",,,,,,,,,,,,", "责任部门", []string{"100"}},
		{"component", "单位甲,门户网站,,,,,,,,,,," + strings.Repeat("c", 101) + " 1.0,,", "组件", []string{"组件", "100"}},
		{"description", "单位甲,门户网站,,,,,,,,,,,," + strings.Repeat("述", 4001) + ",", "描述", []string{"4000"}},
		{"too many ports", "单位甲,门户网站,,,,,,,,,,\"" + strings.Repeat("80,", 201) + "\",,,", "端口", []string{"201", "at most 200"}},
		{"no header", "单位甲,门户网站,,,,,,,,,,,,,,多余", "P", []string{"Column P", "P列"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rows := MustParseCSV(t, zhHeader+good+tc.row+"\n")
			if len(rows) != 2 || len(rows[0].Errors) != 0 {
				t.Fatalf("rows = %+v, want a clean row 2 and row 3", rows)
			}
			errs := rows[1].Errors
			if len(errs) != 1 {
				t.Fatalf("errors = %v, want exactly one", errs)
			}
			e := errs[0]
			if e.Row != 3 || e.Column != tc.column {
				t.Errorf("error at row %d column %q, want row 3 column %q", e.Row, e.Column, tc.column)
			}
			for _, w := range tc.want {
				if !strings.Contains(e.Message, w) {
					t.Errorf("message %q does not mention %q", e.Message, w)
				}
			}
			if !strings.Contains(e.Message, " / ") {
				t.Errorf("message %q is not bilingual", e.Message)
			}
		})
	}
}

func TestRowCollectsEveryError(t *testing.T) {
	rows := MustParseCSV(t, zhHeader+",,,,abc,六级,maybe,foo,bad_domain,ftp://x,1.2.3,0,,,gone\n")
	var cols []string
	for _, e := range rows[0].Errors {
		cols = append(cols, e.Column)
	}
	want := []string{"所属单位", "系统名称", "等保级别", "关键信息基础设施", "重点系统类别", "状态", "联系电话", "域名", "网址", "IP地址", "端口"}
	if !reflect.DeepEqual(cols, want) {
		t.Errorf("columns with errors = %v, want %v", cols, want)
	}
}

func TestBadRowsDoNotHideGoodOnes(t *testing.T) {
	text := zhHeader +
		"单位甲,系统一,,,,3,,,,,,,,,\n" +
		"单位甲,系统二,,,,六级,,,,,,,,,\n" +
		"\n" + // blank rows are skipped but still counted
		"单位乙,系统三,,,,,是,,,,,,,,\n" +
		",系统四,,,,,,,,,,,,,\n" +
		"单位乙,系统五,,,,,,,,,,\"443\",,,\n"
	rows := MustParseCSV(t, text)
	if len(rows) != 5 {
		t.Fatalf("got %d rows, want 5", len(rows))
	}
	for _, r := range rows {
		bad := r.System.Name == "系统二" || r.System.Name == "系统四"
		if bad != (len(r.Errors) > 0) {
			t.Errorf("row %d (%s): errors %v", r.Row, r.System.Name, r.Errors)
		}
	}
	if rows[1].Row != 3 || rows[2].Row != 5 || rows[4].Row != 7 {
		t.Errorf("row numbers = %d %d %d, want 3 5 7", rows[1].Row, rows[2].Row, rows[4].Row)
	}
}

func TestHeaderProblems(t *testing.T) {
	_, err := ParseSystems("r.csv", strings.NewReader("所属单位,系统名,等保级别,foo bar,等级保护级别\n单位甲,门户,3,,\n"), 0)
	wantEINVALID(t, err, "系统名", "系统名称", "foo bar", "D", "等保级别", "keep one", "required column 系统名称")
	_, err = ParseSystems("r.csv", strings.NewReader("unit name,system title,xyz qq\nx,y\n"), 0)
	wantEINVALID(t, err, "No header row", `"unit name" is not a known column: did you mean "所属单位"`,
		`did you mean "系统名称"`, `"xyz qq" is not a known column: rename`, "Known columns: owner unit, name")
	_, err = ParseSystems("r.csv", strings.NewReader("\n,,\n"), 0)
	wantEINVALID(t, err, "empty")
}

func TestHeaderAfterTitleAndRunningNumber(t *testing.T) {
	rows := MustParseCSV(t, "重要网络和信息系统台账,,\n序号,所属单位,系统名称\n1,单位甲,门户\n")
	MustNoRowErrors(t, rows)
	if len(rows) != 1 || rows[0].Row != 3 || rows[0].OrgRef != "单位甲" || rows[0].System.Name != "门户" {
		t.Errorf("rows = %+v", rows)
	}
}

func TestFileRefused(t *testing.T) {
	_, err := ParseSystems("r.csv", strings.NewReader(zhHeader+strings.Repeat("单位甲,系统,,,,,,,,,,,,,\n", 100)), 1000)
	wantEINVALID(t, err, "larger than", "1000")

	_, err = ParseSystems("r.csv", strings.NewReader(zhHeader+strings.Repeat("单位甲,系统,,,,,,,,,,,,,\n", MaxRows+1)), 0)
	wantEINVALID(t, err, "5000")
	rows, err := ParseSystems("r.csv", strings.NewReader(zhHeader+strings.Repeat("单位甲,系统,,,,,,,,,,,,,\n", MaxRows)), 0)
	if err != nil || len(rows) != MaxRows {
		t.Errorf("%d rows: %v", len(rows), err)
	}

	for name, data := range map[string]string{
		"r.txt":  zhHeader,
		"r.pdf":  "%PDF-1.4",
		"r":      zhHeader,
		"r.xls":  "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
		"r.xlsx": zhHeader,
		"r.csv":  "PK\x03\x04rest",
	} {
		if _, err := ParseSystems(name, strings.NewReader(data), 0); fenghuo.ErrorCode(err) != fenghuo.EINVALID {
			t.Errorf("%s: error = %v, want EINVALID", name, err)
		}
	}
	_, err = ParseSystems("r.csv", strings.NewReader("\xff\xfeu\x00"), 0)
	wantEINVALID(t, err, "UTF-16")
}
