package web

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"
)

// A template that types ": " or ", " after a translated word puts ASCII
// marks between Chinese words ("级别: 全部", "欢迎, 施强"); it writes
// {{$.Colon}} or {{$.Comma}} instead, which are full-width in Chinese.
func TestTemplatesTypeNoASCIIMarksAfterWords(t *testing.T) {
	after := regexp.MustCompile(`\}\}[:,] |\.T "[^"]*"\}\}[：，]`) // a full-width mark after a word is Chinese on the English page too
	err := fs.WalkDir(templateFS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".html") {
			return err
		}
		b, err := fs.ReadFile(templateFS, path)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(b), "\n") {
			if loc := after.FindStringIndex(line); loc != nil {
				t.Errorf("%s:%d: an ASCII mark typed after a template value: %q", path, i+1, line[max(0, loc[0]-40):loc[1]])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
