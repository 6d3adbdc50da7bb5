package holidaycn

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

func mustDecode(t *testing.T, s string) *Notice {
	t.Helper()
	n, err := Decode(strings.NewReader(s))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestDecodeSortsAndDedups(t *testing.T) {
	n := mustDecode(t, `{"$schema":"x","$id":"y","year":2030,"days":[
		{"name":" 春节 ","date":"2030-02-05","isOffDay":true},
		{"name":"元旦","date":"2029-12-31","isOffDay":true},
		{"name":"春节","date":"2030-02-05","isOffDay":true}]}`)
	want := &Notice{Year: 2030, Days: []Day{
		{Date{2029, time.December, 31}, "元旦", true},
		{Date{2030, time.February, 5}, "春节", true},
	}}
	if !reflect.DeepEqual(n, want) {
		t.Errorf("Decode = %+v, want %+v", n, want)
	}
}

func TestDecodeRejects(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"empty", "", "the file is empty"},
		{"array", "[]", "the notice must be an object"},
		{"type", `{"year":2030,"days":[{"name":"a","date":"2030-01-01","isOffDay":"yes"}]}`, `"days.isOffDay" must be true or false`},
		{"null day", `{"year":2030,"days":[null]}`, "days[0] is null"},
		{"missing date", `{"year":2030,"days":[{"name":"a","isOffDay":true}]}`, `days[0]: "date" is missing`},
		{"too large", `{"year":2030,"papers":["` + strings.Repeat("x", maxNoticeSize) + `"]}`, "larger than"},
	}
	for _, tt := range tests {
		_, err := Decode(strings.NewReader(tt.in))
		if err == nil || !strings.Contains(err.Error(), tt.want) || !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: Decode error %v, want one containing %q wrapping ErrInvalid", tt.name, err, tt.want)
		}
	}
}

func TestRedundantWorkdays(t *testing.T) {
	n := mustDecode(t, `{"year":2020,"days":[
		{"name":"春节","date":"2020-02-01","isOffDay":true},
		{"name":"春节","date":"2020-01-19","isOffDay":false},
		{"name":"春节","date":"2020-02-03","isOffDay":false}]}`)
	got := n.RedundantWorkdays()
	if len(got) != 1 || got[0].Date != (Date{2020, time.February, 3}) {
		t.Errorf("RedundantWorkdays = %v, want only 2020-02-03 (a Monday)", got)
	}
}

func TestCheck(t *testing.T) {
	a := mustDecode(t, `{"year":2030,"days":[{"name":"元旦","date":"2030-12-31","isOffDay":false}]}`)
	b := mustDecode(t, `{"year":2031,"days":[{"name":"元旦","date":"2030-12-31","isOffDay":true}]}`)
	agree := mustDecode(t, `{"year":2031,"days":[{"name":"元旦节","date":"2030-12-31","isOffDay":false}]}`)
	if err := Check([]*Notice{b, a}); err == nil || !strings.Contains(err.Error(), "2030-12-31: the 2030 notice says working day, the 2031 notice says day off") {
		t.Errorf("Check(disagreeing) = %v", err)
	}
	if err := Check([]*Notice{a, a}); err == nil || !strings.Contains(err.Error(), "two notices for 2030") {
		t.Errorf("Check(same year twice) = %v", err)
	}
	if err := Check([]*Notice{a, agree}); err != nil {
		t.Errorf("Check(agreeing, names differ) = %v", err)
	}
}

func TestTableRoundTrip(t *testing.T) {
	notices := []*Notice{
		mustDecode(t, `{"year":2031,"papers":["https://www.gov.cn/b"],"days":[{"name":"元旦","date":"2030-12-31","isOffDay":false}]}`),
		mustDecode(t, `{"year":2030,"days":[{"name":"元旦","date":"2030-12-31","isOffDay":false},{"name":"元旦","date":"2030-01-01","isOffDay":true}]}`),
	}
	var buf bytes.Buffer
	if err := WriteTable(&buf, notices); err != nil {
		t.Fatal(err)
	}
	const wantDays = `"days": [
["2030-01-01","off","元旦",2030],
["2030-12-31","work","元旦",2030],
["2030-12-31","work","元旦",2031]
]`
	if !strings.Contains(buf.String(), wantDays) {
		t.Errorf("table:\n%s\nwant days:\n%s", buf.String(), wantDays)
	}
	got, err := ReadTable(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if want := []*Notice{notices[1], notices[0]}; !reflect.DeepEqual(got, want) {
		t.Errorf("ReadTable = %+v, want %+v", got, want)
	}
}

func TestReadTableRejects(t *testing.T) {
	const head = `{"about":"","notices":[{"year":2030}],"days":[`
	tests := []struct{ name, in, want string }{
		{"order", head + `["2030-02-01","off","a",2030],["2030-01-01","off","a",2030]]}`, "out of order"},
		{"kind", head + `["2030-01-01","holiday","a",2030]]}`, `neither "off" nor "work"`},
		{"undeclared", head + `["2030-01-01","off","a",2031]]}`, "undeclared notice 2031"},
		{"shape", head + `["2030-01-01","off","a"]]}`, "want [date, kind, name, notice year]"},
		{"checks days", head + `["2030-02-30","off","a",2030]]}`, "not a valid YYYY-MM-DD"},
		{"empty notice", `{"about":"","notices":[{"year":2030}],"days":[]}`, `"days" is empty`},
		{"twice", `{"about":"","notices":[{"year":2030},{"year":2030}],"days":[]}`, "declared twice"},
	}
	for _, tt := range tests {
		_, err := ReadTable(strings.NewReader(tt.in))
		if err == nil || !strings.Contains(err.Error(), tt.want) || !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: ReadTable error %v, want one containing %q wrapping ErrInvalid", tt.name, err, tt.want)
		}
	}
}
