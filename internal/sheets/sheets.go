// Package sheets reads and writes the register of important network and
// information systems (重要网络和信息系统) that units hand in as
// spreadsheets. It is pure: bytes in, bytes out. Resolving owner units and
// storing rows is the caller's job.
package sheets

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"fenghuo/internal/fenghuo"
)

// Limits of an import.
const (
	// MaxRows is the most data rows a file may hold; a register that long
	// should be split by unit.
	MaxRows = 5000
	// DefaultMaxBytes is the file size limit when the caller passes none.
	DefaultMaxBytes = 10 << 20
	// maxUnzipBytes bounds what an XLSX may expand to, against zip bombs; a
	// full 5000-row register is well under 20 MB of XML.
	maxUnzipBytes = 64 << 20
	// headerSearchRows is how many non-blank rows may precede the header
	// (a title such as "重要网络和信息系统台账", a note).
	headerSearchRows = 10
)

// SystemRow is one data row of an imported register.
type SystemRow struct {
	// Row is the row number as the spreadsheet shows it (the header is
	// usually row 1).
	Row    int
	System fenghuo.System
	// OrgRef is the owner unit as written: a name or an ID. System.OrgID
	// is left 0 for the caller to resolve.
	OrgRef string
	// Errors lists every problem of the row; a row without errors is valid.
	Errors []RowError
}

// RowError is one problem of one row.
type RowError struct {
	Row int
	// Column is the header as written in the file (等保级别, owner unit),
	// or a column letter for a cell without a header.
	Column  string
	Message string
}

func (e RowError) String() string {
	if e.Column == "" {
		return fmt.Sprintf("row %d: %s", e.Row, e.Message)
	}
	return fmt.Sprintf("row %d, %s: %s", e.Row, e.Column, e.Message)
}

// recordReader yields the rows of a sheet with their spreadsheet row
// numbers, and io.EOF after the last.
type recordReader interface {
	next() (row int, cells []string, err error)
}

// ParseSystems reads a register from an .xlsx or .csv file of at most
// maxBytes (DefaultMaxBytes when maxBytes <= 0). Problems of the file as a
// whole (type, size, header, too many rows) are returned as an EINVALID
// *fenghuo.Error; problems of single rows are collected in each row's
// Errors, and every non-blank row is returned.
func ParseSystems(filename string, r io.Reader, maxBytes int64) ([]SystemRow, error) {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	data, err := io.ReadAll(io.LimitReader(r, maxBytes+1))
	if err != nil {
		return nil, fenghuo.Errorf(fenghuo.EINVALID, "The file could not be read: %v. / 文件读取失败。", err)
	}
	if int64(len(data)) > maxBytes {
		return nil, fenghuo.Errorf(fenghuo.EINVALID,
			"The file is larger than %s: split the register into several files. / 文件超过%s，请拆分为多个文件导入。",
			formatBytes(maxBytes), formatBytes(maxBytes))
	}
	if len(data) == 0 {
		return nil, fenghuo.Errorf(fenghuo.EINVALID, "The file is empty. / 文件为空。")
	}
	var rr recordReader
	switch kind := fileKind(filename, data); kind {
	case "xlsx":
		xr, err := openXLSX(data)
		if err != nil {
			return nil, err
		}
		defer xr.close()
		rr = xr
	case "csv":
		if rr, err = openCSV(data); err != nil {
			return nil, err
		}
	default:
		return nil, fenghuo.Errorf(fenghuo.EINVALID, "%s", kind)
	}
	return readRows(rr)
}

// fileKind returns "xlsx" or "csv", or a message saying why the file is
// neither.
func fileKind(filename string, data []byte) string {
	zip := bytes.HasPrefix(data, []byte("PK\x03\x04"))
	ole := bytes.HasPrefix(data, []byte{0xd0, 0xcf, 0x11, 0xe0})
	switch ext := strings.ToLower(filepath.Ext(filename)); {
	case ext == ".xlsx" && zip:
		return "xlsx"
	case ext == ".xlsx" && ole:
		return "The workbook is password-protected or encrypted: remove the password in Excel or WPS and save it again. / 工作簿已加密，请在Excel或WPS中取消密码后重新保存。"
	case ext == ".csv" && !zip && !ole:
		return "csv"
	case ext == ".xls" || ole:
		return "Old Excel 97–2003 (.xls) files are not accepted: open the file in Excel or WPS and save it as .xlsx (Excel 工作簿) or CSV. / 不支持旧版.xls文件，请在Excel或WPS中另存为.xlsx或CSV格式。"
	case ext == ".csv" && zip:
		return "The file is named .csv but is a workbook: rename it to .xlsx, or save it as CSV. / 文件扩展名为.csv但内容是工作簿，请改为.xlsx或另存为CSV。"
	case ext == ".xlsx":
		return "The file is named .xlsx but is not an Excel workbook: open it in Excel or WPS and save it as .xlsx. / 文件不是有效的.xlsx工作簿，请在Excel或WPS中另存为.xlsx。"
	default:
		return fmt.Sprintf("Files of type %q cannot be imported: use the template and save it as .xlsx or .csv. / 不支持“%s”类型的文件，请使用模板并保存为.xlsx或.csv格式。", ext, ext)
	}
}

// readRows finds the header, then reads every data row.
func readRows(rr recordReader) ([]SystemRow, error) {
	h, err := findHeader(rr)
	if err != nil {
		return nil, err
	}
	rows := []SystemRow{}
	for {
		n, cells, err := rr.next()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return nil, err
		}
		if blank(cells) {
			continue
		}
		if len(rows) == MaxRows {
			return nil, fenghuo.Errorf(fenghuo.EINVALID,
				"The file has more than %d data rows: split it into several files, for example by unit. / 数据超过%d行，请拆分为多个文件（如按单位）分别导入。",
				MaxRows, MaxRows)
		}
		rows = append(rows, buildRow(h, n, cells))
	}
}

// findHeader takes the first row among the first few non-blank ones that
// names a known column; rows above it (a title) are skipped. When none
// does, the first non-blank row is reported as the header it should be.
func findHeader(rr recordReader) (*header, error) {
	var first []string
	for seen := 0; seen < headerSearchRows; {
		_, cells, err := rr.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if blank(cells) {
			continue
		}
		seen++
		if first == nil {
			first = cells
		}
		h, known, problems := matchHeader(cells)
		if known == 0 {
			continue
		}
		if len(problems) > 0 {
			return nil, headerError(problems)
		}
		return h, nil
	}
	if first == nil {
		return nil, fenghuo.Errorf(fenghuo.EINVALID,
			"The sheet is empty: fill in the template, keeping its header row. / 表格为空，请在模板中填写并保留表头行。")
	}
	_, _, problems := matchHeader(first)
	return nil, headerError(append([]string{
		"No header row was found: the first row must hold column headers such as 所属单位 and 系统名称. / 未找到表头行：第一行应为“所属单位”“系统名称”等列名。"},
		problems...))
}

func headerError(problems []string) error {
	return &fenghuo.Error{Code: fenghuo.EINVALID, Field: "header", Message: strings.Join(problems, "\n")}
}

func blank(cells []string) bool {
	for _, c := range cells {
		if cleanCell(c) != "" {
			return false
		}
	}
	return true
}

func formatBytes(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MB", n>>20)
	}
	if n >= 1<<10 {
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
