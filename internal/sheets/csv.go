package sheets

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"fenghuo/internal/fenghuo"
)

// csvReader yields CSV records numbered as a spreadsheet program shows
// them: encoding/csv skips blank lines, which still count as rows there.
type csvReader struct {
	data      []byte
	r         *csv.Reader
	row       int   // row number of the last record
	end       int64 // byte offset just after the last record
	lineAtEnd int   // line number at that offset
}

// openCSV decodes the file to UTF-8 and prepares to read it. Excel saves
// "CSV UTF-8" with a byte-order mark and plain "CSV" in the system code
// page, which on Chinese Windows is GBK; anything that is not valid UTF-8
// is therefore read as GB18030, the superset of GBK.
func openCSV(data []byte) (*csvReader, error) {
	if bytes.HasPrefix(data, []byte{0xff, 0xfe}) || bytes.HasPrefix(data, []byte{0xfe, 0xff}) {
		return nil, fenghuo.Errorf(fenghuo.EINVALID,
			"The file is UTF-16 text: save it from Excel or WPS as \"CSV UTF-8\" or as .xlsx. / 文件为UTF-16编码，请另存为“CSV UTF-8”或.xlsx格式。")
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		decoded, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
		if err != nil || !utf8.Valid(decoded) {
			return nil, fenghuo.Errorf(fenghuo.EINVALID,
				"The file is neither UTF-8 nor GBK text: save it as \"CSV UTF-8\" or as .xlsx. / 无法识别文件编码，请另存为“CSV UTF-8”或.xlsx格式。")
		}
		data = decoded
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = sniffDelimiter(data)
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	return &csvReader{data: data, r: r, lineAtEnd: 1}, nil
}

// sniffDelimiter picks tab or semicolon when the first line has no comma
// but has one of those (exports from some locales and tools).
func sniffDelimiter(data []byte) rune {
	line, _, _ := bytes.Cut(data, []byte("\n"))
	switch {
	case bytes.ContainsRune(line, ','):
		return ','
	case bytes.ContainsRune(line, '\t'):
		return '\t'
	case bytes.ContainsRune(line, ';'):
		return ';'
	}
	return ','
}

func (c *csvReader) next() (int, []string, error) {
	cells, err := c.r.Read()
	if err == io.EOF {
		return 0, nil, io.EOF
	}
	if err != nil {
		var pe *csv.ParseError
		line := 0
		if errors.As(err, &pe) {
			line = pe.StartLine
		}
		return 0, nil, fenghuo.Errorf(fenghuo.EINVALID,
			"The CSV file is malformed near line %d (%v): save it again from Excel or WPS. / CSV文件第%d行附近格式错误，请在Excel或WPS中重新保存。", line, err, line)
	}
	// Blank lines skipped before this record still count as rows.
	startLine, _ := c.r.FieldPos(0)
	c.row += 1 + max(0, startLine-c.lineAtEnd)
	end := c.r.InputOffset()
	c.lineAtEnd += bytes.Count(c.data[c.end:end], []byte("\n"))
	c.end = end
	return c.row, cells, nil
}
