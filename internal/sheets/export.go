package sheets

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"fenghuo/internal/fenghuo"
)

// Sheet names of the instructions sheet.
const (
	instructionsZH = "说明"
	instructionsEN = "instructions"
)

// WriteSystemsXLSX writes systems as a register that ParseSystems reads
// back: one header row in Chinese, or English when lang starts with "en",
// and one row per system. orgNames gives the owner unit's name; a unit
// missing from it is written as its ID.
func WriteSystemsXLSX(w io.Writer, systems []fenghuo.System, orgNames map[int64]string, lang string) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet, err := newRegisterSheet(f, lang)
	if err != nil {
		return err
	}
	for i, s := range systems {
		org, ok := orgNames[s.OrgID]
		if !ok {
			org = strconv.FormatInt(s.OrgID, 10)
		}
		if err := writeRow(f, sheet, i+2, systemCells(s, org, lang)); err != nil {
			return err
		}
	}
	return write(f, w)
}

// WriteTemplateXLSX writes an empty register with its header row, and a
// second sheet explaining each column with an example row.
func WriteTemplateXLSX(w io.Writer, lang string) error {
	f := excelize.NewFile()
	defer f.Close()
	if _, err := newRegisterSheet(f, lang); err != nil {
		return err
	}
	if err := writeInstructions(f, lang); err != nil {
		return err
	}
	return write(f, w)
}

// newRegisterSheet renames the default sheet to 系统/systems and sets up
// the header row: bold, frozen, sized, with drop-downs below it.
func newRegisterSheet(f *excelize.File, lang string) (string, error) {
	sheet := sheetZH
	if isEnglish(lang) {
		sheet = sheetEN
	}
	if err := f.SetSheetName(f.GetSheetName(0), sheet); err != nil {
		return "", err
	}
	if err := writeHeader(f, sheet, 1, lang); err != nil {
		return "", err
	}
	for c, d := range columns {
		l := colLetter(c)
		if err := f.SetColWidth(sheet, l, l, d.width); err != nil {
			return "", err
		}
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return "", err
	}
	return sheet, addDropDowns(f, sheet, lang)
}

func writeHeader(f *excelize.File, sheet string, row int, lang string) error {
	names := make([]string, numColumns)
	for c, d := range columns {
		names[c] = d.zh
		if isEnglish(lang) {
			names[c] = d.en
		}
	}
	if err := writeRow(f, sheet, row, names); err != nil {
		return err
	}
	style, err := f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Alignment: &excelize.Alignment{Vertical: "center"},
	})
	if err != nil {
		return err
	}
	first, _ := excelize.CoordinatesToCellName(1, row)
	last, _ := excelize.CoordinatesToCellName(int(numColumns), row)
	return f.SetCellStyle(sheet, first, last, style)
}

// addDropDowns offers the allowed protection levels, CII and status values
// for every row an import may hold.
func addDropDowns(f *excelize.File, sheet, lang string) error {
	levels := append([]string{"未定级"}, levelNames[1:]...)
	yesNo, status := []string{"是", "否"}, []string{"在用", "下线"}
	if isEnglish(lang) {
		levels = []string{"not graded", "1", "2", "3", "4", "5"}
		yesNo, status = []string{"yes", "no"}, []string{fenghuo.SystemActive, fenghuo.SystemRetired}
	}
	for _, d := range []struct {
		c    column
		list []string
	}{{colLevel, levels}, {colCII, yesNo}, {colStatus, status}} {
		dv := excelize.NewDataValidation(true)
		l := colLetter(int(d.c))
		dv.SetSqref(fmt.Sprintf("%s2:%s%d", l, l, MaxRows+1))
		if err := dv.SetDropList(d.list); err != nil {
			return err
		}
		dv.SetError(excelize.DataValidationErrorStyleStop, "无效的值 / Invalid value",
			"请从下拉列表中选择。/ Choose a value from the list: "+strings.Join(d.list, ", "))
		if err := f.AddDataValidation(sheet, dv); err != nil {
			return err
		}
	}
	return nil
}

// systemCells is one system as the text of its row's cells.
func systemCells(s fenghuo.System, org, lang string) []string {
	en := isEnglish(lang)
	cells := make([]string, numColumns)
	cells[colOrg], cells[colName] = org, s.Name
	cells[colDepartment], cells[colPerson], cells[colPhone] = s.Department, s.ResponsiblePerson, s.ResponsiblePhone
	if s.ProtectionLevel >= 1 && s.ProtectionLevel <= 5 {
		cells[colLevel] = levelNames[s.ProtectionLevel]
		if en {
			cells[colLevel] = strconv.Itoa(s.ProtectionLevel)
		}
	}
	cells[colCII] = map[bool]string{true: "是", false: "否"}[s.CII]
	if en {
		cells[colCII] = map[bool]string{true: "yes", false: "no"}[s.CII]
	}
	kinds := make([]string, len(s.KeyKinds))
	for i, k := range s.KeyKinds {
		kinds[i] = string(k)
		if !en {
			kinds[i] = kindLabelZH(k)
		}
	}
	cells[colKinds] = strings.Join(kinds, map[bool]string{true: ", ", false: "、"}[en])
	byKind := map[string][]string{}
	for _, e := range s.Exposure {
		byKind[e.Kind] = append(byKind[e.Kind], e.Value)
	}
	cells[colDomains] = strings.Join(byKind[fenghuo.ExposureDomain], ", ")
	cells[colURLs] = strings.Join(byKind[fenghuo.ExposureURL], "\n")
	cells[colIPs] = strings.Join(byKind[fenghuo.ExposureIP], ", ")
	cells[colPorts] = strings.Join(byKind[fenghuo.ExposurePort], ",")
	cells[colComponents] = formatComponents(s.Components)
	cells[colDescription] = s.Description
	cells[colStatus] = statusLabel(s.Status, lang)
	return cells
}

// writeRow writes every cell with SetCellStr, as a shared string: a value
// such as "=HYPERLINK(…)" or "+1" from a unit's register is stored as text
// and never becomes a formula when the file is opened (CSV/formula
// injection). Empty cells are left out.
func writeRow(f *excelize.File, sheet string, row int, cells []string) error {
	for c, v := range cells {
		if v == "" {
			continue
		}
		cell, err := excelize.CoordinatesToCellName(c+1, row)
		if err != nil {
			return err
		}
		if err := f.SetCellStr(sheet, cell, v); err != nil {
			return err
		}
	}
	return nil
}

// writeInstructions adds the 说明/instructions sheet: what to write in each
// column, then the header and an example row that imports cleanly.
func writeInstructions(f *excelize.File, lang string) error {
	en := isEnglish(lang)
	sheet := map[bool]string{true: instructionsEN, false: instructionsZH}[en]
	if _, err := f.NewSheet(sheet); err != nil {
		return err
	}
	intro := "在“系统”工作表中每行填写一个系统，第一行表头不要修改。任何一行有错误时整个文件都不会导入，请按提示修改后重新上传。"
	headings := []string{"列名", "英文列名", "是否必填", "填写说明"}
	required := map[bool]string{true: "必填", false: "选填"}
	if en {
		intro = "Fill in one system per row on the \"systems\" sheet and keep the header row. If any row has a problem, nothing is imported: fix the rows named in the report and upload the file again."
		headings = []string{"column", "Chinese header", "required", "what to write"}
		required = map[bool]string{true: "required", false: "optional"}
	}
	if err := writeRow(f, sheet, 1, []string{intro}); err != nil {
		return err
	}
	if err := writeRow(f, sheet, 3, headings); err != nil {
		return err
	}
	for c, d := range columns {
		cells := []string{d.zh, d.en, required[d.required], d.hintZH}
		if en {
			cells = []string{d.en, d.zh, required[d.required], d.hintEN}
		}
		if err := writeRow(f, sheet, 4+c, cells); err != nil {
			return err
		}
	}
	exampleRow := 4 + int(numColumns) + 1
	label := map[bool]string{true: "Example row:", false: "示例行："}[en]
	if err := writeRow(f, sheet, exampleRow, []string{label}); err != nil {
		return err
	}
	if err := writeHeader(f, sheet, exampleRow+1, lang); err != nil {
		return err
	}
	example := make([]string, numColumns)
	for c, d := range columns {
		example[c] = d.example
	}
	if err := writeRow(f, sheet, exampleRow+2, example); err != nil {
		return err
	}
	for _, w := range []struct {
		col   string
		width float64
	}{{"A", 20}, {"B", 22}, {"C", 10}, {"D", 90}} {
		if err := f.SetColWidth(sheet, w.col, w.col, w.width); err != nil {
			return err
		}
	}
	return nil
}

func write(f *excelize.File, w io.Writer) error {
	f.SetActiveSheet(0)
	return f.Write(w)
}
