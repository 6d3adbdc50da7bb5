package ioc

import (
	"fmt"
	"strings"
)

// Term is one value a STIX pattern looks for.
type Term struct {
	Type  Type
	Value string // as written in the pattern (Normalize it before use)
}

// objectPaths maps the STIX object paths the library represents to types.
var objectPaths = map[string]Type{
	"ipv4-addr:value":                   TypeIPv4,
	"ipv6-addr:value":                   TypeIPv6,
	"domain-name:value":                 TypeDomain,
	"url:value":                         TypeURL,
	"email-addr:value":                  TypeEmail,
	"email-message:from_ref.value":      TypeEmail,
	"email-message:sender_ref.value":    TypeEmail,
	"file:hashes.md5":                   TypeMD5,
	"file:hashes.'md5'":                 TypeMD5,
	"file:hashes.sha1":                  TypeSHA1,
	"file:hashes.'sha1'":                TypeSHA1,
	"file:hashes.'sha-1'":               TypeSHA1,
	"file:hashes.sha256":                TypeSHA256,
	"file:hashes.'sha256'":              TypeSHA256,
	"file:hashes.'sha-256'":             TypeSHA256,
	"artifact:hashes.'sha-256'":         TypeSHA256,
	"network-traffic:dst_ref.value":     "", // typed by the value
	"network-traffic:src_ref.value":     "",
	"x509-certificate:hashes.'sha-256'": TypeSHA256,
	"x509-certificate:hashes.'sha-1'":   TypeSHA1,
	"network-traffic:extensions.'http-request-ext'.request_value": TypeURL,
}

// ParsePattern reads the part of the STIX 2.1 patterning language an
// indicator library can hold: observation expressions joined by OR, each a
// comparison `object-path = 'value'` (or `IN ('a', 'b')`) or several joined
// by OR; AND only between hashes of one file (any of them identifies it).
// Anything else — other operators, AND across objects, FOLLOWEDBY,
// qualifiers such as WITHIN or REPEATS — is refused with the reason, since
// matching its values alone would raise alerts the pattern does not mean.
func ParsePattern(p string) ([]Term, error) {
	toks, err := lexPattern(p)
	if err != nil {
		return nil, err
	}
	ps := &patternParser{toks: toks}
	terms, err := ps.pattern()
	if err != nil {
		return nil, err
	}
	if len(terms) == 0 {
		return nil, fmt.Errorf("the pattern has no comparison")
	}
	return terms, nil
}

type tokKind int

const (
	tokWord tokKind = iota // object paths, keywords, operators
	tokString
	tokOpen  // [
	tokClose // ]
	tokLParen
	tokRParen
	tokComma
	tokOp // = != < > <= >=
)

type token struct {
	kind tokKind
	text string
}

func lexPattern(p string) ([]token, error) {
	var toks []token
	for i := 0; i < len(p); {
		c := p[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '[':
			toks = append(toks, token{tokOpen, "["})
			i++
		case c == ']':
			toks = append(toks, token{tokClose, "]"})
			i++
		case c == '(':
			toks = append(toks, token{tokLParen, "("})
			i++
		case c == ')':
			toks = append(toks, token{tokRParen, ")"})
			i++
		case c == ',':
			toks = append(toks, token{tokComma, ","})
			i++
		case c == '=' || c == '!' || c == '<' || c == '>':
			j := i + 1
			if j < len(p) && p[j] == '=' {
				j++
			}
			toks = append(toks, token{tokOp, p[i:j]})
			i = j
		case c == '\'':
			var b strings.Builder
			j := i + 1
			for ; j < len(p) && p[j] != '\''; j++ {
				if p[j] == '\\' && j+1 < len(p) {
					j++
				}
				b.WriteByte(p[j])
			}
			if j >= len(p) {
				return nil, fmt.Errorf("unterminated string at offset %d", i)
			}
			toks = append(toks, token{tokString, b.String()})
			i = j + 1
		default:
			// A word: an object path (which may contain quoted
			// dictionary keys such as hashes.'SHA-256'), a keyword or a
			// number.
			j := i
			for j < len(p) && !strings.ContainsRune(" \t\r\n[]()=!<>,", rune(p[j])) {
				if p[j] == '\'' {
					k := strings.IndexByte(p[j+1:], '\'')
					if k < 0 {
						return nil, fmt.Errorf("unterminated key at offset %d", j)
					}
					j += k + 2
					continue
				}
				j++
			}
			if j == i {
				return nil, fmt.Errorf("unexpected %q at offset %d", c, i)
			}
			toks = append(toks, token{tokWord, p[i:j]})
			i = j
		}
	}
	return toks, nil
}

type patternParser struct {
	toks []token
	pos  int
}

func (ps *patternParser) peek() *token {
	if ps.pos < len(ps.toks) {
		return &ps.toks[ps.pos]
	}
	return nil
}

func (ps *patternParser) keyword(words ...string) string {
	t := ps.peek()
	if t == nil || t.kind != tokWord {
		return ""
	}
	for _, w := range words {
		if strings.EqualFold(t.text, w) {
			return w
		}
	}
	return ""
}

// pattern: observation (OR observation)*, where an observation is
// [comparisons] or (pattern).
func (ps *patternParser) pattern() ([]Term, error) {
	var terms []Term
	for {
		t := ps.peek()
		switch {
		case t == nil:
			return nil, fmt.Errorf("the pattern ends where an observation was expected")
		case t.kind == tokOpen:
			ps.pos++
			got, err := ps.comparisons()
			if err != nil {
				return nil, err
			}
			terms = append(terms, got...)
		case t.kind == tokLParen:
			ps.pos++
			got, err := ps.pattern()
			if err != nil {
				return nil, err
			}
			if t := ps.peek(); t == nil || t.kind != tokRParen {
				return nil, fmt.Errorf("missing ) in the pattern")
			}
			ps.pos++
			terms = append(terms, got...)
		default:
			return nil, fmt.Errorf("unexpected %q where an observation was expected", t.text)
		}
		if w := ps.keyword("WITHIN", "START", "STOP", "REPEATS"); w != "" {
			return nil, fmt.Errorf("the qualifier %s is not supported", w)
		}
		t = ps.peek()
		if t == nil || t.kind == tokRParen {
			return terms, nil
		}
		switch ps.keyword("OR", "AND", "FOLLOWEDBY") {
		case "OR":
			ps.pos++
		case "AND", "FOLLOWEDBY":
			return nil, fmt.Errorf("observations joined by %s are not supported (only OR)", strings.ToUpper(t.text))
		default:
			return nil, fmt.Errorf("unexpected %q after an observation", t.text)
		}
	}
}

// comparisons reads up to the closing ] of an observation.
func (ps *patternParser) comparisons() ([]Term, error) {
	var terms []Term
	and := false
	for {
		t := ps.peek()
		if t == nil {
			return nil, fmt.Errorf("missing ] in the pattern")
		}
		if t.kind == tokLParen {
			ps.pos++
			got, err := ps.comparisons()
			if err != nil {
				return nil, err
			}
			terms = append(terms, got...)
		} else {
			got, err := ps.comparison()
			if err != nil {
				return nil, err
			}
			terms = append(terms, got...)
		}
		t = ps.peek()
		if t == nil {
			return nil, fmt.Errorf("missing ] in the pattern")
		}
		if t.kind == tokClose || t.kind == tokRParen {
			ps.pos++
			if and {
				for _, x := range terms {
					if x.Type != TypeMD5 && x.Type != TypeSHA1 && x.Type != TypeSHA256 {
						return nil, fmt.Errorf("comparisons joined by AND are supported only between hashes of one file")
					}
				}
			}
			return terms, nil
		}
		switch ps.keyword("OR", "AND") {
		case "OR":
		case "AND":
			and = true
		default:
			return nil, fmt.Errorf("unexpected %q in an observation", t.text)
		}
		ps.pos++
	}
}

// comparison: path = 'value' | path IN ('a', 'b' …).
func (ps *patternParser) comparison() ([]Term, error) {
	t := ps.peek()
	if t == nil || t.kind != tokWord {
		return nil, fmt.Errorf("expected an object path")
	}
	path := t.text
	ps.pos++
	if ps.keyword("NOT") != "" {
		return nil, fmt.Errorf("NOT is not supported")
	}
	typ, known := objectPaths[strings.ToLower(path)]
	if !known {
		return nil, fmt.Errorf("the object path %s is not supported", path)
	}
	var values []string
	op := ps.peek()
	switch {
	case op == nil:
		return nil, fmt.Errorf("the comparison on %s has no operator", path)
	case op.kind == tokOp && op.text == "=":
		ps.pos++
		v := ps.peek()
		if v == nil || v.kind != tokString {
			return nil, fmt.Errorf("%s is compared with something other than a string", path)
		}
		ps.pos++
		values = append(values, v.text)
	case ps.keyword("IN") != "":
		ps.pos++
		if t := ps.peek(); t == nil || t.kind != tokLParen {
			return nil, fmt.Errorf("IN without a list")
		}
		ps.pos++
		for {
			v := ps.peek()
			if v == nil || v.kind != tokString {
				return nil, fmt.Errorf("IN list of %s holds something other than strings", path)
			}
			values = append(values, v.text)
			ps.pos++
			t := ps.peek()
			if t != nil && t.kind == tokComma {
				ps.pos++
				continue
			}
			if t == nil || t.kind != tokRParen {
				return nil, fmt.Errorf("missing ) after the IN list")
			}
			ps.pos++
			break
		}
	default:
		return nil, fmt.Errorf("the operator %s is not supported (only = and IN)", op.text)
	}
	terms := make([]Term, 0, len(values))
	for _, v := range values {
		ty := typ
		if ty == "" {
			ty = DetectType(v)
			if ty != TypeIPv4 && ty != TypeIPv6 && ty != TypeDomain {
				return nil, fmt.Errorf("%s holds %q, neither an address nor a domain", path, v)
			}
		}
		terms = append(terms, Term{Type: ty, Value: v})
	}
	return terms, nil
}

// FormatPattern writes a value as a STIX 2.1 pattern.
func FormatPattern(t Type, value string) string {
	q := "'" + strings.ReplaceAll(strings.ReplaceAll(value, `\`, `\\`), `'`, `\'`) + "'"
	switch t {
	case TypeIPv4:
		return "[ipv4-addr:value = " + q + "]"
	case TypeIPv6:
		return "[ipv6-addr:value = " + q + "]"
	case TypeDomain:
		return "[domain-name:value = " + q + "]"
	case TypeURL:
		return "[url:value = " + q + "]"
	case TypeEmail:
		return "[email-addr:value = " + q + "]"
	case TypeMD5:
		return "[file:hashes.MD5 = " + q + "]"
	case TypeSHA1:
		return "[file:hashes.'SHA-1' = " + q + "]"
	case TypeSHA256:
		return "[file:hashes.'SHA-256' = " + q + "]"
	}
	return ""
}
