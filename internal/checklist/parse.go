package checklist

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"fenghuo/internal/plan"
)

// Problem is one validation error located in its file; ValidationError
// lists them. They are the plan package's, so the console and the command
// line show checklist and plan problems alike.
type (
	Problem         = plan.Problem
	ValidationError = plan.ValidationError
)

// maxBytes bounds a checklist document; the built-in ones are ~15 KB.
const maxBytes = 1 << 20

// maxItems bounds the items of one checklist: each becomes a row of every
// unit's answer form.
const maxItems = 500

var idRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,62}$`)

// Parse reads and validates one checklist document. file names the source
// in error messages; the error is a *ValidationError naming the line and
// key of every problem.
func Parse(file string, data []byte) (*Checklist, error) {
	fail := func(line int, key, format string, args ...any) error {
		return &ValidationError{Problems: []Problem{{File: file, Line: line, Key: key, Message: fmt.Sprintf(format, args...)}}}
	}
	if len(data) > maxBytes {
		return nil, fail(0, "", "document is larger than %d bytes", maxBytes)
	}
	if !utf8.Valid(data) {
		return nil, fail(0, "", "document is not UTF-8 text")
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		line, msg := yamlErrorLine(err.Error())
		return nil, fail(line, "", "not valid YAML: %s", msg)
	}
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 {
		return nil, fail(1, "", "the document is empty")
	}
	doc := root.Content[0]
	if doc.Kind != yaml.MappingNode {
		return nil, fail(doc.Line, "", "the document must be a mapping of keys (id, version, title, items)")
	}
	if line := deeperThan(doc, 8); line > 0 {
		return nil, fail(line, "", "the document nests more than 8 levels deep here; a checklist needs four")
	}
	v := &validator{file: file, lines: map[string]int{"": doc.Line}}
	walkKnown(doc, reflect.TypeOf(Checklist{}), "", v)
	if len(v.problems) > 0 {
		return nil, &ValidationError{Problems: v.problems}
	}
	c := new(Checklist)
	if err := doc.Decode(c); err != nil {
		return nil, decodeError(file, err)
	}
	c.File, c.raw = file, data
	sum := sha256.Sum256(data)
	c.Digest = hex.EncodeToString(sum[:4])
	v.checklist(c)
	if len(v.problems) > 0 {
		return nil, &ValidationError{Problems: v.problems}
	}
	return c, nil
}

type validator struct {
	file     string
	lines    map[string]int
	problems []Problem
}

// line returns the line of path, or of its nearest recorded ancestor.
func (v *validator) line(path string) int {
	for p := path; ; {
		if l, ok := v.lines[p]; ok {
			return l
		}
		i := strings.LastIndexAny(p, ".[")
		if i < 0 {
			return v.lines[""]
		}
		p = p[:i]
	}
}

func (v *validator) errorf(path, format string, args ...any) {
	v.problems = append(v.problems, Problem{File: v.file, Line: v.line(path), Key: path, Message: fmt.Sprintf(format, args...)})
}

func (v *validator) text(path string, t Text, max int) {
	if strings.TrimSpace(t.ZH) == "" {
		v.errorf(path+".zh", "is required (the Chinese text units read)")
	}
	if utf8.RuneCountInString(t.ZH) > max || utf8.RuneCountInString(t.EN) > max*3 {
		v.errorf(path, "is longer than %d characters", max)
	}
}

func (v *validator) checklist(c *Checklist) {
	if !idRE.MatchString(c.ID) {
		v.errorf("id", "must be 2–63 lower-case letters, digits or hyphens, starting with a letter or digit (got %q)", c.ID)
	}
	if strings.TrimSpace(c.Version) == "" {
		v.errorf("version", "is required (your own label, such as \"2026.1\")")
	} else if len(c.Version) > 40 || strings.ContainsAny(c.Version, "+ \t\n") {
		v.errorf("version", "must be at most 40 characters without spaces or '+' (Fenghuo adds +digest)")
	}
	v.text("title", c.Title, 200)
	if c.Description.ZH != "" || c.Description.EN != "" {
		v.text("description", c.Description, 2000)
	}
	if len(c.Items) == 0 {
		v.errorf("items", "a checklist needs at least one item")
	}
	if len(c.Items) > maxItems {
		v.errorf("items", "has %d items; at most %d", len(c.Items), maxItems)
	}
	seen := map[string]int{}
	for i, it := range c.Items {
		p := fmt.Sprintf("items[%d]", i)
		if !idRE.MatchString(it.ID) {
			v.errorf(p+".id", "must be 2–63 lower-case letters, digits or hyphens (got %q)", it.ID)
		} else if j, dup := seen[it.ID]; dup {
			v.errorf(p+".id", "%q is already the id of items[%d]", it.ID, j)
		} else {
			seen[it.ID] = i
		}
		v.text(p+".text", it.Text, 500)
		v.text(p+".verify", it.Verify, 1000)
		v.text(p+".evidence", it.Evidence, 500)
		if _, ok := Categories[it.Category]; !ok {
			v.errorf(p+".category", "unknown category %q%s; one of %s", it.Category, suggest(it.Category, sortedKeys(Categories)), strings.Join(sortedKeys(Categories), ", "))
		}
		if !slices.Contains(Severities, it.Severity) {
			v.errorf(p+".severity", "unknown severity %q%s; one of %s", it.Severity, suggest(it.Severity, Severities), strings.Join(Severities, ", "))
		}
		if utf8.RuneCountInString(it.Clause) > 40 {
			v.errorf(p+".clause", "is longer than 40 characters")
		}
		if utf8.RuneCountInString(it.Quote) > 1000 {
			v.errorf(p+".quote", "is longer than 1000 characters")
		}
	}
}

// deeperThan returns the line of the first node nested more than max
// levels below n, or 0.
func deeperThan(n *yaml.Node, max int) int {
	if max < 0 {
		return n.Line
	}
	for _, c := range n.Content {
		if line := deeperThan(c, max-1); line > 0 {
			return line
		}
	}
	return 0
}

// walkKnown records the line of every key path below n and reports keys
// type t does not have, with the closest known one.
func walkKnown(n *yaml.Node, t reflect.Type, path string, v *validator) {
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			return // the decoder reports the type mismatch
		}
		fields := yamlFields(t)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			key := k.Value
			if path != "" {
				key = path + "." + k.Value
			}
			v.lines[key] = k.Line
			ft, ok := fields[k.Value]
			if !ok {
				v.problems = append(v.problems, Problem{File: v.file, Line: k.Line, Key: key,
					Message: fmt.Sprintf("unknown key %q%s", k.Value, suggest(k.Value, sortedKeys(fields)))})
				continue
			}
			walkKnown(val, ft, key, v)
		}
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			return
		}
		for i, item := range n.Content {
			key := fmt.Sprintf("%s[%d]", path, i)
			v.lines[key] = item.Line
			walkKnown(item, t.Elem(), key, v)
		}
	}
}

func yamlFields(t reflect.Type) map[string]reflect.Type {
	m := make(map[string]reflect.Type, t.NumField())
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		m[name] = f.Type
	}
	return m
}

var yamlLineRE = regexp.MustCompile(`line (\d+):\s*`)

func yamlErrorLine(msg string) (int, string) {
	msg = strings.TrimPrefix(msg, "yaml: ")
	if m := yamlLineRE.FindStringSubmatchIndex(msg); m != nil {
		n, _ := strconv.Atoi(msg[m[2]:m[3]])
		return n, msg[:m[0]] + msg[m[1]:]
	}
	return 0, msg
}

func decodeError(file string, err error) error {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		line, msg := yamlErrorLine(err.Error())
		return &ValidationError{Problems: []Problem{{File: file, Line: line, Message: msg}}}
	}
	ve := &ValidationError{}
	for _, e := range te.Errors {
		line, msg := yamlErrorLine(e)
		ve.Problems = append(ve.Problems, Problem{File: file, Line: line, Message: "wrong type: " + msg})
	}
	return ve
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// suggest returns `; did you mean "x"?` for the closest candidate within a
// small edit distance, or "".
func suggest(s string, candidates []string) string {
	best, bestD := "", 3
	for _, c := range candidates {
		if d := editDistance(s, c); d < bestD {
			best, bestD = c, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf("; did you mean %q?", best)
}

func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
