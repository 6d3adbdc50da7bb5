package sheets

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"

	"fenghuo/internal/fuzzseed"
)

// Hostile registers: they seed FuzzParseCSV and FuzzParseXLSX
// (testdata/fuzz/, written by TestWriteSheetFuzzSeeds), and
// TestHostileRegisters runs them through ParseSystems.

// caseTraps are characters whose case mapping has another length in UTF-8
// or folds onto ASCII (Ω ohm sign, K kelvin sign).
var caseTraps = []string{"Ⱥ", "\xff", "İ", "ẞ", "\u2126", "\u212A", "ﬀ", "ΐ"}

var brokenEntities = []string{"&#xZZ;", "&am", "&#99999999999;", "&#0;", "&lt", "&amp;amp;"}

// hostileRows are the cells of the hostile registers; the first row is the
// header.
func hostileRows() map[string][][]string {
	header := strings.Split(strings.TrimSuffix(zhHeader, "\n"), ",")
	enHeader := []string{"Owner Unit", "Name", "Department", "Owner", "Phone", "Level", "CII", "Key kinds", "Domains", "URLs", "IPs", "Ports", "Components", "Description", "Status"}
	row := func(vals ...string) []string { return vals }
	out := map[string][][]string{}
	for i, t := range caseTraps {
		// The trap in headers (English headers are matched ignoring case),
		// levels, yes/no cells, kinds, ports and statuses.
		h := append([]string(nil), enHeader...)
		h[0], h[5], h[11] = "OWNER"+t+" UNIT", "LEVEL"+t, "PORT"+t+"S"
		out[fmt.Sprintf("trap-header-%d", i)] = [][]string{h, row("单位"+t, "系统"+t, "", "", "", "L"+t+"3", "YES"+t, "门户网站"+t, "A"+t+".EXAMPLE", "HTTP://"+t+".example/", "10.0.0."+t, "80"+t+",TCP/443", "NGINX"+t+" 1.2", t, "在用"+t)}
		out[fmt.Sprintf("trap-values-%d", i)] = [][]string{header, row(strings.Repeat(t, 60), strings.Repeat(t, 3), t, t, t, "第"+t+"级", t, t+"、"+t, t+"."+t, t, t, t, t, t, t)}
	}
	var ents []string
	for _, e := range brokenEntities {
		ents = append(ents, "单位"+e)
	}
	out["entities"] = [][]string{header, ents}
	out["nul"] = [][]string{header, row("单\x00位", "\x00", "", "", "", "3\x00", "\x00是", "", "a\x00.cn", "", "", "8\x000", "", "", "")}
	out["invalid-utf8"] = [][]string{header, row("\xff\xfe", "\xc0\xaf", "", "", "", "\xed\xa0\x80", "", "", "\xe4\xb8.cn", "", "", "", "", "\xf8\x88\x80\x80\x80", "")}
	many := [][]string{header}
	for i := 0; i <= MaxRows; i++ { // one row too many
		many = append(many, row(fmt.Sprintf("单位%d", i), fmt.Sprintf("系统%d", i)))
	}
	out["rows-too-many"] = many
	list := make([]string, 30000)
	for i := range list {
		list[i] = fmt.Sprintf("h%d.cn", i)
	}
	out["list-30000"] = [][]string{header, row("单位", "系统", "", "", "", "", "", "", strings.Join(list, "、"))}
	out["big-cell"] = [][]string{header, row("单位", "系统", "", "", "", "", "", "", "", "", "", "", "", strings.Repeat("很长的描述Ⱥİ", 1<<13))}
	return out
}

// csvOf renders rows as CSV, quoting every cell.
func csvOf(rows [][]string) []byte {
	var b bytes.Buffer
	for _, r := range rows {
		for i, c := range r {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(`"` + strings.ReplaceAll(c, `"`, `""`) + `"`)
		}
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// hostileCSV adds what only CSV can carry: nested quotes, stray quotes,
// mixed separators and line ends, a NUL-only file.
func hostileCSV() map[string][]byte {
	out := map[string][]byte{}
	for name, rows := range hostileRows() {
		out[name] = csvOf(rows)
	}
	out["quotes-20000"] = []byte(zhHeader + strings.Repeat(`"`, 20000) + "单位,系统\n")
	out["open-quote"] = []byte(zhHeader + "\"单位,系统\n" + strings.Repeat("x,", 1000))
	out["separators"] = []byte("所属单位\t系统名称;等保级别|端口\r单位\t系统;3|80\r\n\r\r\n")
	out["nul-only"] = bytes.Repeat([]byte{0}, 4096)
	return out
}

// hostileXLSX builds workbooks of the hostile rows. Excel cells cannot hold
// NUL or invalid UTF-8, so those are patched into the sheet XML afterwards;
// every part is stored uncompressed with no checksum (CRC 0, which zip
// readers do not verify), so that the fuzzer's byte changes reach the XML
// instead of breaking the deflate stream.
func hostileXLSX(tb testing.TB) map[string][]byte {
	out := map[string][]byte{}
	for name, rows := range hostileRows() {
		clean := make([][]string, len(rows))
		for i, r := range rows {
			clean[i] = make([]string, len(r))
			for j, c := range r {
				clean[i][j] = strings.ToValidUTF8(strings.ReplaceAll(c, "\x00", "\uFFFD"), "\uFFFD")
			}
		}
		book := MustXLSX(tb, map[string][][]string{"系统": clean}, "系统")
		if name == "rows-too-many" {
			out[name] = book // deflated: 5,001 stored rows would be large
			continue
		}
		out[name] = storedZip(tb, book, nil)
	}
	book := MustXLSX(tb, map[string][][]string{"系统": {strings.Split(strings.TrimSuffix(zhHeader, "\n"), ","), {"单位QQ", "系统ZZZ"}}}, "系统")
	patch := func(from, to string) func(string, []byte) []byte {
		return func(name string, body []byte) []byte {
			if strings.HasPrefix(name, "xl/") {
				body = bytes.ReplaceAll(body, []byte(from), []byte(to))
			}
			return body
		}
	}
	out["raw-invalid-utf8"] = storedZip(tb, book, patch("ZZZ", "\xff\xfe\xc0"))
	out["raw-nul"] = storedZip(tb, book, patch("QQ", "\x00\x00"))
	out["raw-entities"] = storedZip(tb, book, patch("ZZZ", "&#xZZ;&am&#99999999999;"))
	out["raw-deep-20000"] = storedZip(tb, book, patch("<sheetData>", "<sheetData>"+strings.Repeat("<x>", 20000)+strings.Repeat("</x>", 20000)))
	out["raw-deep-open"] = storedZip(tb, book, patch("<sheetData>", "<sheetData>"+strings.Repeat("<x>", 20000)))
	out["raw-traps-tags"] = storedZip(tb, book, patch("<row ", "<ROW İ "))
	out["stored"] = storedZip(tb, book, nil)
	return out
}

// storedZip rewrites a zip with every entry stored, CRC 0, after edit.
func storedZip(tb testing.TB, data []byte, edit func(name string, body []byte) []byte) []byte {
	tb.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		tb.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			tb.Fatal(err)
		}
		body, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			tb.Fatal(err)
		}
		if edit != nil {
			body = edit(f.Name, body)
		}
		w, err := zw.CreateRaw(&zip.FileHeader{Name: f.Name, Method: zip.Store,
			CompressedSize64: uint64(len(body)), UncompressedSize64: uint64(len(body))})
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := w.Write(body); err != nil {
			tb.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// TestHostileRegisters runs the hostile files through ParseSystems with the
// fuzz invariants.
func TestHostileRegisters(t *testing.T) {
	for name, data := range hostileCSV() {
		checkParse(t, "csv "+name, "fuzz.csv", data)
	}
	for name, data := range hostileXLSX(t) {
		checkParse(t, "xlsx "+name, "fuzz.xlsx", data)
	}
	// The stored, unchecksummed workbook reads like the original.
	book := hostileXLSX(t)["stored"]
	rows, err := ParseSystems("a.xlsx", bytes.NewReader(book), 0)
	if err != nil || len(rows) != 1 || rows[0].System.Name != "系统ZZZ" {
		t.Fatalf("stored workbook: %v %+v", err, rows)
	}
}

// TestWriteSheetFuzzSeeds checks that the committed seed corpora are what
// the generators make (a changed generator fails until the seeds are
// rewritten and committed). To rewrite them:
//
//	FENGHUO_WRITE_FUZZ_SEEDS=1 go test ./internal/sheets/ -run TestWriteSheetFuzzSeeds
func TestWriteSheetFuzzSeeds(t *testing.T) {
	for name, data := range hostileCSV() {
		fuzzseed.Check(t, "FuzzParseCSV", name, data)
	}
	for name, data := range hostileXLSX(t) {
		fuzzseed.Check(t, "FuzzParseXLSX", name, data)
	}
}
