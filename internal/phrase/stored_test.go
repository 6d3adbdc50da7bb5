package phrase

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestStoredSentencesFollowTheSource: every Chinese sentence the English
// reading knows is still written by the platform (its format is a string
// literal of internal/app), so that a changed sentence is not silently
// left in Chinese on an English page.
func TestStoredSentencesFollowTheSource(t *testing.T) {
	lits := map[string]bool{}
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if s, err := strconv.Unquote(lit.Value); err == nil {
					lits[s] = true
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range storedSentences {
		// A sentence ending in its last argument may be written as a
		// literal and a concatenation ("新隐患：" + title).
		if !lits[st.Format] && !(strings.HasSuffix(st.Format, "%s") && lits[strings.TrimSuffix(st.Format, "%s")]) {
			t.Errorf("no literal %q in internal/app: mend the stored-sentence catalogue", st.Format)
		}
	}
}

func TestEnglishOfStored(t *testing.T) {
	for zh, want := range map[string]string{
		"收到青溪县第一中学初报：门户网站首页被篡改（Ⅱ级）":             "Initial report from “青溪县第一中学”: “门户网站首页被篡改” (grade II)",
		"收到青溪县第一中学续报（第2次）：门户网站首页被篡改（II级）":       "Follow-up report no. 2 from “青溪县第一中学”: “门户网站首页被篡改” (grade II)",
		"结束通知：Ⅱ级应急响应结束（供水系统遭攻击）":                "End notice: the level II response to “供水系统遭攻击” has ended",
		"值班安排：12-08 08:30 至 12-09 08:30 值班员赵值班": "Duty: 12-08 08:30 to 12-09 08:30, officer “赵值班”",
		"橙色预警已启动：24小时值班":                        "orange warning in force: “24小时值班”",
		"逾期：新任务：核查系统（应于12-08 10:00前完成）":         "Overdue: New task: “核查系统” (due 12-08 10:00)",
	} {
		got, ok := EnglishOfStored(zh)
		if !ok || got != want {
			t.Errorf("EnglishOfStored(%q) = %q, %v; want %q", zh, got, ok, want)
		}
	}
	if _, ok := EnglishOfStored("甲县水务公司的说明"); ok {
		t.Error("text people wrote is not a platform sentence")
	}
}
