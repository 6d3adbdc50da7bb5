package sheets

import (
	"bytes"
	"testing"
)

func FuzzParseCSV(f *testing.F) {
	f.Add([]byte(zhHeader + fullRowCSV))
	f.Add([]byte("\ufeff所属单位,系统名称\n单位甲,\"门户\n系统\"\n\n,\n"))
	f.Add([]byte("owner unit\tname\tports\nx\ty\t\"80,443\"\n"))
	f.Add([]byte("\xcb\xf9\xca\xf4\xb5\xa5\xce\xbb,\xcf\xb5\xcd\xb3\xc3\xfb\xb3\xc6\n\xa3\xa1,\"\n"))
	f.Add([]byte("所属单位;系统名称;等保级别\n\"a;b\";=1+2;六级\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, err := ParseSystems("fuzz.csv", bytes.NewReader(data), 1<<20)
		if err != nil && rows != nil {
			t.Fatalf("rows returned with error %v", err)
		}
		last := 0
		for _, r := range rows {
			if r.Row <= last {
				t.Fatalf("row numbers not increasing: %d after %d", r.Row, last)
			}
			last = r.Row
			for _, e := range r.Errors {
				if e.Row != r.Row || e.Message == "" {
					t.Fatalf("bad error %+v in row %d", e, r.Row)
				}
			}
		}
	})
}
