package plan

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"fenghuo/internal/fenghuo"
)

// Problem is one validation error, located in its file.
type Problem struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Key     string `json:"key"`
	Message string `json:"message"`
}

func (p Problem) String() string {
	loc := p.File
	if p.Line > 0 {
		loc += ":" + strconv.Itoa(p.Line)
	}
	if p.Key != "" {
		return fmt.Sprintf("%s: %s: %s", loc, p.Key, p.Message)
	}
	return fmt.Sprintf("%s: %s", loc, p.Message)
}

// ValidationError lists every problem found in a plan document.
type ValidationError struct {
	Problems []Problem
}

func (e *ValidationError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Unwrap lets callers see an EINVALID *fenghuo.Error.
func (e *ValidationError) Unwrap() error {
	return &fenghuo.Error{Code: fenghuo.EINVALID, Message: e.Error()}
}

// maxPlanBytes bounds what Parse accepts; a plan is a few tens of KB.
const maxPlanBytes = 4 << 20

// maxPlanDepth bounds how deeply a plan document may nest; the built-in
// plans nest about ten levels.
const maxPlanDepth = 100

// deeperThan returns the line of the first node nested more than max levels
// below n, or 0.
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

// Parse reads and validates one plan document. file names the source in
// error messages. The error is a *ValidationError naming the line and key
// of every problem.
func Parse(file string, data []byte) (*Plan, error) {
	return parse(file, data, builtinTaxonomies())
}

func parse(file string, data []byte, taxonomies map[string]*Taxonomy) (*Plan, error) {
	doc, lines, errs := loadDocument(file, data, reflect.TypeOf(Plan{}))
	if errs != nil {
		return nil, errs
	}
	p := new(Plan)
	if err := doc.Decode(p); err != nil {
		return nil, decodeError(file, err)
	}
	p.File = file
	p.raw = data
	sum := sha256.Sum256(data)
	p.Digest = hex.EncodeToString(sum[:4])
	v := &validator{file: file, lines: lines, taxonomies: taxonomies}
	v.plan(p)
	if len(v.problems) > 0 {
		return nil, &ValidationError{Problems: v.problems}
	}
	return p, nil
}

// loadDocument parses YAML into a node tree, records the line of every key
// path and reports keys that the target type does not have.
func loadDocument(file string, data []byte, target reflect.Type) (*yaml.Node, map[string]int, *ValidationError) {
	fail := func(line int, key, format string, args ...any) *ValidationError {
		return &ValidationError{Problems: []Problem{{File: file, Line: line, Key: key, Message: fmt.Sprintf(format, args...)}}}
	}
	if len(data) > maxPlanBytes {
		return nil, nil, fail(0, "", "document is larger than %d bytes", maxPlanBytes)
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		line, msg := yamlErrorLine(err.Error())
		return nil, nil, fail(line, "", "not valid YAML: %s", msg)
	}
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 {
		return nil, nil, fail(1, "", "the document is empty")
	}
	doc := root.Content[0]
	if line := deeperThan(doc, maxPlanDepth); line > 0 {
		// Checked before walkKnown, which records the full key path of
		// every node: on a deep document that is quadratic in memory.
		return nil, nil, fail(line, "", "the document nests more than %d levels deep here; a plan needs far fewer (conditions nested in all/any a few levels)", maxPlanDepth)
	}
	if doc.Kind != yaml.MappingNode {
		return nil, nil, fail(doc.Line, "", "the document must be a mapping of keys (id, version, name, …)")
	}
	lines := map[string]int{"": doc.Line}
	var problems []Problem
	walkKnown(doc, target, "", lines, func(line int, key, msg string) {
		problems = append(problems, Problem{File: file, Line: line, Key: key, Message: msg})
	})
	if len(problems) > 0 {
		return nil, nil, &ValidationError{Problems: problems}
	}
	return doc, lines, nil
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

// decodeError converts a yaml.v3 type error ("line 12: cannot unmarshal
// !!str `abc` into int") into problems.
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

var taxonomyRefType = reflect.TypeOf(TaxonomyRef{})

// walkKnown visits node against type t, recording the line of each key path
// and reporting unknown keys with the closest known one.
func walkKnown(n *yaml.Node, t reflect.Type, path string, lines map[string]int, report func(int, string, string)) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == taxonomyRefType {
		if n.Kind == yaml.MappingNode {
			walkKnown(n, reflect.TypeOf(Taxonomy{}), path, lines, report)
		}
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			return // the decoder reports the type mismatch
		}
		fields := yamlFields(t)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			key := joinPath(path, k.Value)
			lines[key] = k.Line
			ft, ok := fields[k.Value]
			if !ok {
				report(k.Line, key, fmt.Sprintf("unknown key %q%s", k.Value, suggest(k.Value, sortedKeys(fields))))
				continue
			}
			walkKnown(v, ft, key, lines, report)
		}
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			return
		}
		for i, item := range n.Content {
			key := fmt.Sprintf("%s[%d]", path, i)
			lines[key] = item.Line
			walkKnown(item, t.Elem(), key, lines, report)
		}
	}
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
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
