// Package phrase holds the sentences the platform writes into stored
// records (timeline entries, task titles) as a key and arguments, so that a
// page renders them in the reader's language instead of showing the Chinese
// written at the time (design/console.md: Chinese default, English second).
//
// A sentence's arguments are either language-neutral (a number, a grade,
// a time), words the platform has in both languages (a status, a document
// kind, a plan's title), or text a person typed or a plan holds (an
// organisation's name, a task title from the plan, a note): such text has
// one language only. The English rendering puts untranslated Chinese text
// in quotation marks (“甲县水务公司”), so that a reader sees it is a name or
// a quotation, never platform wording.
package phrase

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"unicode"
)

// Languages of a rendering.
const (
	ZH = "zh"
	EN = "en"
)

// Arg is one argument: its Chinese and, when the platform has them, its
// English words. An Arg with EN empty is language-neutral or text a
// person or a plan wrote. It is stored as a plain string when it has one
// form, as {"zh":…,"en":…} otherwise.
type Arg struct {
	ZH string
	EN string
}

// MarshalJSON stores an argument compactly.
func (a Arg) MarshalJSON() ([]byte, error) {
	if a.EN == "" || a.EN == a.ZH {
		return json.Marshal(a.ZH)
	}
	return json.Marshal(map[string]string{"zh": a.ZH, "en": a.EN})
}

// UnmarshalJSON reads either stored form.
func (a *Arg) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*a = Arg{ZH: s}
		return nil
	}
	var m map[string]string
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	*a = Arg{ZH: m["zh"], EN: m["en"]}
	return nil
}

// Text is an argument a person or a plan wrote (or a language-neutral
// value): it is shown as written.
func Text(s string) Arg { return Arg{ZH: s} }

// Num is a number argument.
func Num(n int) Arg { return Arg{ZH: fmt.Sprint(n)} }

// Words is an argument the platform has in both languages.
func Words(zh, en string) Arg { return Arg{ZH: zh, EN: en} }

// Phrase is a platform sentence: a catalogue key and its arguments.
type Phrase struct {
	Key  string         `json:"key"`
	Args map[string]Arg `json:"args,omitempty"`
}

// New is a phrase; kv alternates argument names and Args.
func New(key string, kv ...any) Phrase {
	p := Phrase{Key: key}
	for i := 0; i+1 < len(kv); i += 2 {
		name, _ := kv[i].(string)
		var a Arg
		switch v := kv[i+1].(type) {
		case Arg:
			a = v
		case string:
			a = Text(v)
		case int:
			a = Num(v)
		case int64:
			a = Text(fmt.Sprint(v))
		case fmt.Stringer:
			a = Text(v.String())
		default:
			a = Text(fmt.Sprint(v))
		}
		if p.Args == nil {
			p.Args = map[string]Arg{}
		}
		p.Args[name] = a
	}
	return p
}

// Known reports whether the phrase's key is in the catalogue.
func (p Phrase) Known() bool { _, ok := catalogue[p.Key]; return ok }

// Render is the sentence in lang (zh when lang is not en). An argument
// without English words that contains Chinese is quoted in English.
// Placeholders are {name}; a missing argument renders empty.
func (p Phrase) Render(lang string) string {
	t, ok := catalogue[p.Key]
	if !ok {
		return ""
	}
	tmpl := t[0]
	if lang == EN {
		tmpl = t[1]
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(tmpl, '{')
		if i < 0 {
			b.WriteString(tmpl)
			break
		}
		j := strings.IndexByte(tmpl[i:], '}')
		if j < 0 {
			b.WriteString(tmpl)
			break
		}
		b.WriteString(tmpl[:i])
		b.WriteString(p.arg(tmpl[i+1:i+j], lang))
		tmpl = tmpl[i+j+1:]
	}
	if lang == EN {
		return b.String()
	}
	return GradeNumerals(b.String())
}

func (p Phrase) arg(name, lang string) string {
	a := p.Args[name]
	if lang != EN {
		return a.ZH
	}
	if a.EN != "" {
		return a.EN
	}
	if HasHan(a.ZH) {
		return "“" + a.ZH + "”"
	}
	return a.ZH
}

// HasHan reports whether s contains a Chinese character.
func HasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// OutsideQuotes is s without the text inside “…” (and 「…」, 《…》 in
// English quoting a Chinese title): what the English rendering says in its
// own words.
func OutsideQuotes(s string) string {
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch r {
		case '“', '「', '《':
			depth++
			continue
		case '”', '」', '》':
			if depth > 0 {
				depth--
			}
			continue
		}
		if depth == 0 {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Keys lists the catalogue's keys, sorted.
func Keys() []string {
	out := make([]string, 0, len(catalogue))
	for k := range catalogue {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Placeholders lists the argument names a key's Chinese sentence uses.
func Placeholders(key string) []string {
	var out []string
	s := catalogue[key][0]
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			return out
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			return out
		}
		out = append(out, s[i+1:i+j])
		s = s[i+j+1:]
	}
}

// FromData reads the phrase stored in a timeline entry's data JSON (its
// "phrase" member); ok is false for an entry without one (written before
// phrases, or text a person typed).
func FromData(data string) (Phrase, bool) {
	var d struct {
		Phrase *Phrase `json:"phrase"`
	}
	if json.Unmarshal([]byte(data), &d) != nil || d.Phrase == nil || !d.Phrase.Known() {
		return Phrase{}, false
	}
	return *d.Phrase, true
}
