package phrase

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// literalAllowed holds the string literals with ASCII marks beside Chinese
// characters on purpose, each with its reason.
var literalAllowed = map[string]string{
	// web/labels.go storedGrade: a regular expression that finds the
	// ASCII brackets and commas in text stored before the marks were
	// full width.
	`(定级|（|\(|级别)(IV|III|II|I)(级)?([）)，,。 ]|$)`: "regexp over old stored text",
	// phrase/punct.go asciiGrade: a regular expression.
	`(^|[^A-Za-z])(IV|III|II|I)级`: "regexp",
}

// TestChineseLiteralsUseFullWidthMarks: every Chinese string the platform
// writes in Go (errors, notices, documents, CLI text) uses full-width
// punctuation (GB/T 15834: ，；：？（）), as the console's catalogue does
// (web TestChinesePunctuation). A bilingual literal ("English. / 中文。")
// is checked in its Chinese half; English text quoting a Chinese name
// ("(烽火)") keeps ASCII marks. Test files are not checked.
func TestChineseLiteralsUseFullWidthMarks(t *testing.T) {
	roots := []string{"..", "../../cmd"}
	hits := 0
	for _, root := range roots {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && (d.Name() == "testdata" || d.Name() == "node_modules") {
				return filepath.SkipDir
			}
			if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return nil
			}
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, path, nil, 0)
			if err != nil {
				return err
			}
			ast.Inspect(f, func(n ast.Node) bool {
				lit, ok := n.(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					return true
				}
				s, err := strconv.Unquote(lit.Value)
				if err != nil || literalAllowed[s] != "" || regexSyntax.MatchString(s) {
					return true
				}
				for _, part := range strings.Split(s, " / ") {
					if englishText(part) || !HasHan(part) { // a set of separators is no sentence
						continue
					}
					if bad := ASCIIPunctNearCJK(part); len(bad) > 0 {
						hits++
						t.Errorf("%s: ASCII punctuation in Chinese %q (at %q)", fset.Position(lit.Pos()), part, bad)
					}
				}
				return true
			})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if hits > 0 {
		t.Logf("%d literals to mend: write ，；：？（） between Chinese words", hits)
	}
}

var (
	// regexSyntax: a regular expression (alternatives in a group, a
	// non-capturing group, a digit class) is not text.
	regexSyntax = regexp.MustCompile(`\([^()]*\|[^()]*\)|\(\?:|\\d`)
	formatVerb  = regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z]`)
	urlLike     = regexp.MustCompile(`[a-z]+://\S+`)
	lowerWord   = regexp.MustCompile(`\b[a-z]{2,}\b`)
)

// englishText reports whether s is an English sentence, which may quote
// Chinese names with ASCII marks around them: it begins with a Latin
// letter (after any format verb) and has at least three lower-case words.
func englishText(s string) bool {
	s = formatVerb.ReplaceAllString(s, "")
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return false
		}
		if r < unicode.MaxASCII && unicode.IsLetter(r) {
			break
		}
	}
	return len(lowerWord.FindAllString(urlLike.ReplaceAllString(s, ""), 3)) >= 3
}

func TestEnglishText(t *testing.T) {
	for s, want := range map[string]bool{
		"Name the official who signs the report (签发人).": true,
		"%q is not host:port, e.g. 114.114.114.114:53.": true,
		"WebLogic 12.2.1 未安装官方补丁，T3协议对外开放。":             false,
		"未知的 SMTP 加密方式 %q，可选 starttls、tls、none。":        false,
		"PACS系统DICOM端口（104）对外开放":                        false,
	} {
		if englishText(s) != want {
			t.Errorf("englishText(%q) = %v", s, !want)
		}
	}
}
