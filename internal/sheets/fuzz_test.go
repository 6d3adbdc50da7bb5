package sheets

import (
	"bytes"
	"flag"
	"testing"
)

// The register import parses files users upload. `go test` replays the
// committed seeds in testdata/fuzz/<Target>/ (see fuzz_seeds_test.go);
// `make fuzz` mutates them.

func FuzzParseCSV(f *testing.F) {
	f.Add([]byte(zhHeader + fullRowCSV))
	f.Add([]byte("\ufeff所属单位,系统名称\n单位甲,\"门户\n系统\"\n\n,\n"))
	f.Add([]byte("owner unit\tname\tports\nx\ty\t\"80,443\"\n"))
	f.Add([]byte("\xcb\xf9\xca\xf4\xb5\xa5\xce\xbb,\xcf\xb5\xcd\xb3\xc3\xfb\xb3\xc6\n\xa3\xa1,\"\n"))
	f.Add([]byte("所属单位;系统名称;等保级别\n\"a;b\";=1+2;六级\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		skipLargeWhileFuzzing(t, data)
		checkParse(t, "csv", "fuzz.csv", data)
	})
}

// FuzzParseXLSX feeds workbooks: zip, XML and the rows read from them.
func FuzzParseXLSX(f *testing.F) {
	f.Add(MustXLSX(f, map[string][][]string{"系统": {{"所属单位", "系统名称", "等保级别"}, {"单位甲", "门户网站", "三级"}}}, "系统"))
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		skipLargeWhileFuzzing(t, data)
		checkParse(t, "xlsx", "fuzz.xlsx", data)
	})
}

// skipLargeWhileFuzzing skips inputs over 256 KB under -fuzz: the large
// seeds (30,000 rows, a 1 MB cell) take a tenth of a second each, and
// mutating them left the CSV target at 25 runs a second. Plain go test
// replays them, and TestHostileRegisters parses them.
func skipLargeWhileFuzzing(t *testing.T, data []byte) {
	if f := flag.Lookup("test.fuzz"); len(data) > 256<<10 && f != nil && f.Value.String() != "" {
		t.Skip("over 256 KB: replayed by go test, not fuzzed")
	}
}

// checkParse parses data and checks what holds for every file: rows or an
// error, never both; increasing row numbers; every row error in its row
// with a message.
func checkParse(t *testing.T, what, filename string, data []byte) {
	t.Helper()
	rows, err := ParseSystems(filename, bytes.NewReader(data), 1<<22)
	if err != nil {
		if rows != nil {
			t.Fatalf("%s: rows returned with error %v", what, err)
		}
		if err.Error() == "" {
			t.Fatalf("%s: error without a message", what)
		}
		return
	}
	if len(rows) > MaxRows {
		t.Fatalf("%s: %d rows, more than MaxRows", what, len(rows))
	}
	last := 0
	for _, r := range rows {
		if r.Row <= last {
			t.Fatalf("%s: row numbers not increasing: %d after %d", what, r.Row, last)
		}
		last = r.Row
		for _, e := range r.Errors {
			if e.Row != r.Row || e.Message == "" {
				t.Fatalf("%s: bad error %+v in row %d", what, e, r.Row)
			}
		}
	}
}
