package calendar

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// notice2030 is a made-up, shortened notice for a year the table does not
// hold: two Spring Festival days off with Sundays 27 January and 10 February
// worked, and a New Year holiday that starts on Monday 31 December 2029. The
// last day repeats an earlier one exactly, which is allowed.
const notice2030 = `{
  "$schema": "https://raw.githubusercontent.com/NateScarlet/holiday-cn/master/schema.json",
  "year": 2030,
  "papers": ["https://www.gov.cn/example"],
  "days": [
    {"name": "元旦", "date": "2029-12-31", "isOffDay": true},
    {"name": "元旦", "date": "2030-01-01", "isOffDay": true},
    {"name": "春节", "date": "2030-01-27", "isOffDay": false},
    {"name": "春节", "date": "2030-02-04", "isOffDay": true},
    {"name": "春节", "date": "2030-02-05", "isOffDay": true},
    {"name": "春节", "date": "2030-02-10", "isOffDay": false},
    {"name": "春节", "date": "2030-02-04", "isOffDay": true}
  ]
}`

func TestMerge(t *testing.T) {
	base := Default()
	cal, err := base.Merge(strings.NewReader(notice2030))
	if err != nil {
		t.Fatal(err)
	}
	if !cal.Covers(2030) || base.Covers(2030) {
		t.Errorf("Covers(2030): merged %v, base %v; want true, false (Merge must not change its receiver)", cal.Covers(2030), base.Covers(2030))
	}
	if _, last := cal.Years(); last != 2030 {
		t.Errorf("Years() last = %d, want 2030", last)
	}
	checks := []struct {
		date     string
		workday  bool
		adjusted bool
	}{
		{"2029-12-31", false, false}, // listed in the next year's notice
		{"2030-01-27", true, true},
		{"2030-02-04", false, false},
		{"2030-02-10", true, true},
		{"2030-02-11", true, false},
	}
	for _, c := range checks {
		info := cal.DayInfo(mustDate(t, c.date))
		if info.Workday != c.workday || info.Adjusted != c.adjusted {
			t.Errorf("after Merge, %s: %+v; want workday %v, adjusted %v", c.date, info, c.workday, c.adjusted)
		}
	}
	if base.IsWorkday(mustDate(t, "2030-01-27")) {
		t.Error("base calendar changed by Merge")
	}
	// Older years are untouched.
	if got := cal.AddWorkdays(mustDate(t, "2024-09-27"), 20).Format("2006-01-02"); got != "2024-10-30" {
		t.Errorf("after Merge, 2024-09-27 + 20wd = %s", got)
	}
}

func TestMergeReplacesSameYear(t *testing.T) {
	// An amended 2024 notice that only keeps New Year's Day: the replaced
	// notice's days must all be gone, not merged with the new ones.
	cal, err := Default().Merge(strings.NewReader(`{"year":2024,"days":[{"name":"元旦","date":"2024-01-01","isOffDay":true}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if !cal.IsWorkday(mustDate(t, "2024-10-01")) || cal.IsWorkday(mustDate(t, "2024-01-01")) {
		t.Error("the amended 2024 notice did not replace the bundled one")
	}
	if cal.IsWorkday(mustDate(t, "2024-02-04")) {
		t.Error("2024-02-04 is still an adjusted working day after the replacement")
	}
}

func TestMergeRejects(t *testing.T) {
	tests := []struct {
		name, json, want string
	}{
		{"not JSON", `{"year": 2030, "days": [}`, "line 1, column 25"},
		{"trailing data", `{"year":2030,"days":[{"name":"元旦","date":"2030-01-01","isOffDay":true}]} {}`, "after the JSON object"},
		{"unknown key", `{"year":2030,"days":[{"name":"元旦","date":"2030-01-01","offDay":true}]}`, `unknown field "offDay"`},
		{"missing year", `{"days":[{"name":"元旦","date":"2030-01-01","isOffDay":true}]}`, `"year" is missing`},
		{"implausible year", `{"year":20300,"days":[{"name":"元旦","date":"2030-01-01","isOffDay":true}]}`, "outside 2000–2199"},
		{"no days", `{"year":2030,"days":[]}`, `"days" is empty`},
		{"bad date", `{"year":2030,"days":[{"name":"春节","date":"2030-02-30","isOffDay":true}]}`, `"2030-02-30" is not a valid YYYY-MM-DD date`},
		{"date format", `{"year":2030,"days":[{"name":"春节","date":"2030/02/04","isOffDay":true}]}`, "not a valid YYYY-MM-DD"},
		{"date too early", `{"year":2030,"days":[{"name":"元旦","date":"2028-12-31","isOffDay":true}]}`, "outside the notice's year 2030 ±1"},
		{"date too late", `{"year":2030,"days":[{"name":"元旦","date":"2032-01-01","isOffDay":true}]}`, "outside the notice's year 2030 ±1"},
		{"missing isOffDay", `{"year":2030,"days":[{"name":"元旦","date":"2030-01-01"}]}`, `"isOffDay" is missing`},
		{"missing name", `{"year":2030,"days":[{"date":"2030-01-01","isOffDay":true}]}`, `"name" is missing`},
		{"conflicting duplicate", `{"year":2030,"days":[{"name":"春节","date":"2030-02-04","isOffDay":true},{"name":"春节","date":"2030-02-04","isOffDay":false}]}`,
			"days[1] (2030-02-04): listed again with different values (first at days[0])"},
		{"worked weekday", `{"year":2030,"days":[{"name":"春节","date":"2030-02-11","isOffDay":false}]}`, "2030-02-11 is a Monday, already a working day"},
		{"wrong type", `{"year":"2030","days":[]}`, "line 1, column"},
		{"contradicts another notice", `{"year":2025,"days":[{"name":"元旦","date":"2026-01-04","isOffDay":true}]}`,
			"2026-01-04: the 2025 notice says day off, the 2026 notice says working day"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cal, err := Default().Merge(strings.NewReader(tt.json))
			if err == nil {
				t.Fatalf("Merge accepted it: %v", cal)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
			if !errors.Is(err, ErrInvalidNotice) {
				t.Errorf("error %q does not wrap ErrInvalidNotice", err)
			}
		})
	}
}

func TestMergeListsEveryProblem(t *testing.T) {
	_, err := Default().Merge(strings.NewReader(`{"year":2030,"days":[
		{"name":"春节","date":"2030-02-30","isOffDay":true},
		{"name":"","date":"2030-02-04","isOffDay":true},
		{"name":"元旦","date":"2035-01-01","isOffDay":true}]}`))
	if err == nil {
		t.Fatal("Merge accepted three bad days")
	}
	for _, want := range []string{"days[0]", "days[1]", "days[2]"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %s", err, want)
		}
	}
}

func TestLoadDir(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("2030.json", notice2030)
	write("README.txt", "not a notice")
	if err := os.Mkdir(filepath.Join(dir, "old.json"), 0o755); err != nil { // a directory is skipped
		t.Fatal(err)
	}
	cal, err := LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !cal.Covers(2030) || !cal.Covers(2024) {
		t.Errorf("LoadDir: Covers(2030) %v, Covers(2024) %v", cal.Covers(2030), cal.Covers(2024))
	}

	write("2030-copy.json", notice2030)
	if _, err := LoadDir(dir); err == nil || !strings.Contains(err.Error(), "already holds the notice for 2030") || !errors.Is(err, ErrInvalidNotice) {
		t.Errorf("LoadDir with two 2030 notices: %v", err)
	}
	os.Remove(filepath.Join(dir, "2030-copy.json"))

	write("2031.json", `{"year":2031,"days":[{"name":"元旦","date":"2031-01-01","isOffDay":tru}]}`)
	if _, err := LoadDir(dir); err == nil || !strings.Contains(err.Error(), "2031.json") {
		t.Errorf("LoadDir with a broken file: error %v does not name the file", err)
	}
}

func TestLoadDirMissing(t *testing.T) {
	cal, err := LoadDir(filepath.Join(t.TempDir(), "holidays"))
	if err != nil || cal != Default() {
		t.Errorf("LoadDir(missing) = %p, %v; want Default(), nil", cal, err)
	}
}
