package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sourceDir holds the committed holiday-cn sources and their licence.
const sourceDir = "../testdata/holiday-cn"

// TestRunReproducesCommittedTable runs the generator as go generate would and
// compares with the committed files.
func TestRunReproducesCommittedTable(t *testing.T) {
	out := filepath.Join(t.TempDir(), "holidays.json")
	if err := run(sourceDir, out); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"holidays.json", "holidays.LICENSE"} {
		got, err := os.ReadFile(filepath.Join(filepath.Dir(out), name))
		if err != nil {
			t.Fatal(err)
		}
		committed, err := os.ReadFile(filepath.Join("..", name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, committed) {
			t.Errorf("%s differs from the generator's output; run go generate ./internal/calendar", name)
		}
	}
}

func TestRunRejects(t *testing.T) {
	notice := `{"year":2030,"days":[{"name":"元旦","date":"2030-01-01","isOffDay":true}]}`
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"no files", map[string]string{"LICENSE": "MIT"}, "no <year>.json files"},
		{"misnamed", map[string]string{"2031.json": notice, "LICENSE": "MIT"}, "holds the notice for 2030"},
		{"no licence", map[string]string{"2030.json": notice}, "licence must travel with its data"},
		{"bad notice", map[string]string{"2030.json": `{"year":2030}`, "LICENSE": "MIT"}, `"days" is empty`},
	}
	for _, tt := range tests {
		src := t.TempDir()
		for name, body := range tt.files {
			if err := os.WriteFile(filepath.Join(src, name), []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		err := run(src, filepath.Join(t.TempDir(), "holidays.json"))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: run error %v, want one containing %q", tt.name, err, tt.want)
		}
	}
}
