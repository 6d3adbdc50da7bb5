package sheets

import (
	"bytes"
	"errors"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"fenghuo/internal/fenghuo"
)

// Sheet names looked for before falling back to the first sheet.
const (
	sheetZH = "系统"
	sheetEN = "systems"
)

// xlsxReader streams the rows of one worksheet.
type xlsxReader struct {
	f    *excelize.File
	rows *excelize.Rows
	row  int
}

// openXLSX opens a workbook with limits on how far it may expand, and picks
// the sheet named 系统 or systems, else the first one.
func openXLSX(data []byte) (*xlsxReader, error) {
	// Equal limits keep excelize from spilling large parts to temporary
	// files: the package stays pure, and anything larger is refused.
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit:    maxUnzipBytes,
		UnzipXMLSizeLimit: maxUnzipBytes,
	})
	if err != nil {
		if f != nil {
			_ = f.Close()
		}
		if strings.Contains(err.Error(), "unzip size") {
			return nil, fenghuo.Errorf(fenghuo.EINVALID,
				"The workbook expands to more than %s: it holds more than a register should (images, hidden sheets?). Copy the register into the template and import that. / 工作簿解压后超过%s，请将台账复制到模板中再导入。",
				formatBytes(maxUnzipBytes), formatBytes(maxUnzipBytes))
		}
		return nil, fenghuo.Errorf(fenghuo.EINVALID,
			"The workbook could not be read; it may be damaged or password-protected: open it in Excel or WPS and save it again as .xlsx. / 无法读取工作簿（可能已损坏或加密），请在Excel或WPS中另存为.xlsx。")
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		_ = f.Close()
		return nil, fenghuo.Errorf(fenghuo.EINVALID, "The workbook has no sheet. / 工作簿中没有工作表。")
	}
	sheet := sheets[0]
	for _, s := range sheets {
		if s == sheetZH || strings.EqualFold(s, sheetEN) {
			sheet = s
			break
		}
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		_ = f.Close()
		return nil, fenghuo.Errorf(fenghuo.EINVALID, "The sheet %q could not be read: save the workbook again as .xlsx. / 无法读取工作表“%s”，请重新保存为.xlsx。", sheet, sheet)
	}
	return &xlsxReader{f: f, rows: rows}, nil
}

// next returns the cached values of the next row: formulas are never
// evaluated, and numbers come unformatted (a phone number stays digits).
func (x *xlsxReader) next() (int, []string, error) {
	if !x.rows.Next() {
		if err := x.rows.Error(); err != nil {
			if errors.Is(err, excelize.ErrMaxRows) {
				return 0, nil, fenghuo.Errorf(fenghuo.EINVALID, "The sheet has more rows than Excel allows. / 工作表行数超出上限。")
			}
			return 0, nil, fenghuo.Errorf(fenghuo.EINVALID, "The sheet could not be read: save the workbook again as .xlsx. / 无法读取工作表，请重新保存为.xlsx。")
		}
		return 0, nil, io.EOF
	}
	x.row++
	cells, err := x.rows.Columns(excelize.Options{RawCellValue: true})
	if err != nil {
		return 0, nil, fenghuo.Errorf(fenghuo.EINVALID, "Row %d could not be read: save the workbook again as .xlsx. / 第%d行无法读取，请重新保存为.xlsx。", x.row, x.row)
	}
	return x.row, cells, nil
}

func (x *xlsxReader) close() {
	_ = x.rows.Close()
	_ = x.f.Close()
}
