package calendar

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fenghuo/internal/calendar/holidaycn"
)

// sourceDir holds the holiday-cn files the table is generated from, with
// their MIT licence; they are part of the repository, so the drift tests run
// in every checkout.
const sourceDir = "testdata/holiday-cn"

func readSources(t *testing.T) []*holidaycn.Notice {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(sourceDir, "[12][0-9][0-9][0-9].json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no holiday-cn sources in %s; they are committed with the table", sourceDir)
	}
	var notices []*holidaycn.Notice
	for _, path := range files {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		n, err := holidaycn.Decode(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		notices = append(notices, n)
	}
	return notices
}

// TestEmbeddedTableMatchesSources fails when holidays.json was edited by hand
// or the sources changed without running go generate.
func TestEmbeddedTableMatchesSources(t *testing.T) {
	notices := readSources(t)
	var want bytes.Buffer
	if err := holidaycn.WriteTable(&want, notices); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(embeddedTable, want.Bytes()) {
		t.Fatalf("holidays.json differs from what %s generates; run go generate ./internal/calendar", sourceDir)
	}

	// The same, seen through the API: every listed date reads back as the
	// source says, and every source year is covered.
	cal := Default()
	for _, n := range notices {
		if !cal.Covers(n.Year) {
			t.Errorf("Covers(%d) = false", n.Year)
		}
		for _, d := range n.Days {
			info := cal.DayInfo(time.Date(d.Date.Year, d.Date.Month, d.Date.Day, 12, 0, 0, 0, Shanghai))
			if info.Workday == d.OffDay || info.Holiday != d.Name || info.Adjusted != (!d.OffDay && d.Date.Weekend()) {
				t.Errorf("%s (notice %d): DayInfo = %+v, source says off %v, %q", d.Date, n.Year, info, d.OffDay, d.Name)
			}
		}
	}
	if first, last := cal.Years(); first != notices[0].Year || last != notices[len(notices)-1].Year {
		t.Errorf("Years() = %d, %d; sources span %d–%d", first, last, notices[0].Year, notices[len(notices)-1].Year)
	}
}

func TestEmbeddedLicenceMatchesSource(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(sourceDir, "LICENSE"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("holidays.LICENSE")
	if err != nil {
		t.Fatalf("the MIT licence of holiday-cn must sit beside holidays.json: %v", err)
	}
	if !bytes.Equal(got, src) {
		t.Error("holidays.LICENSE differs from the holiday-cn LICENSE; run go generate ./internal/calendar")
	}
}

// TestEmbeddedTableRoundTrips holds without the sources: the embedded table
// reads and rewrites to the same bytes, so the generator's format and the
// reader agree.
func TestEmbeddedTableRoundTrips(t *testing.T) {
	notices, err := holidaycn.ReadTable(bytes.NewReader(embeddedTable))
	if err != nil {
		t.Fatal(err)
	}
	var again bytes.Buffer
	if err := holidaycn.WriteTable(&again, notices); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(embeddedTable, again.Bytes()) {
		t.Error("reading and rewriting holidays.json changes it")
	}
}
