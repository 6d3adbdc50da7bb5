package tamper

import (
	"encoding/base64"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Static decoders for the encodings injected scripts use to hide URLs and
// markup from naive scanners.

var (
	reDecodeCall = regexp.MustCompile(`(?:window\s*\.\s*)?\b(atob|unescape|decodeURIComponent|decodeURI|escape)\s*\(\s*$`)
	reCharCode   = regexp.MustCompile(`String\s*\.\s*fromCharCode\s*\(\s*([0-9xa-fA-F,\s]+)\)`)
	reCharApply  = regexp.MustCompile(`String\s*\.\s*fromCharCode\s*\.\s*apply\s*\(\s*(?:null|this|String|window)\s*,\s*(\[[0-9xa-fA-F,\s]*\]|[\w$]+)\s*\)`)
	reNumArray   = regexp.MustCompile(`([\w$]+)\s*=\s*\[([0-9xa-fA-F,\s]+)\]`)
	// a.map(function(c){return String.fromCharCode(c^k)}).join("") and
	// the arrow form: code units XORed with a key.
	reXorMap = regexp.MustCompile(`(\[[0-9xa-fA-F,\s]*\]|[\w$]+)\s*\.\s*map\(\s*(?:function\s*\(\s*([\w$]+)\s*\)\s*\{\s*return\s+|\(?\s*([\w$]+)\s*\)?\s*=>\s*)String\s*\.\s*fromCharCode\(\s*([\w$]+)\s*\^\s*([\w$]+)\s*\)\s*;?\s*\}?\s*\)\s*\.\s*join\(\s*(?:""|'')\s*\)`)
	reNumVar = regexp.MustCompile(`([\w$]+)\s*=\s*(\d+)\s*[,;]`)
	// decodeURIComponent("e6b0b8…".replace(/../g,"%$&")): UTF-8 as bare
	// hex pairs.
	reHexPairs = regexp.MustCompile(`(?:decodeURIComponent|unescape|decodeURI)\(\s*["']([0-9a-fA-F]+)["']\s*\.\s*replace\(\s*/\.\./g\s*,\s*["']%\$&["']\s*\)\s*\)`)
	rePacker   = regexp.MustCompile(`eval\s*\(\s*function\s*\(\s*p\s*,\s*a\s*,\s*c\s*,\s*k\s*,\s*e\s*,\s*[dr]\s*\)`)
	rePackArgs = regexp.MustCompile(`^\s*,\s*(\d+)\s*,\s*(\d+)\s*,\s*`)
)

// deobfuscate rewrites decoder calls on literals into literals. It reports
// whether any encoding layer was removed.
func deobfuscate(code string) (string, bool) {
	changed := false
	if next := inlineDecoderVars(code); next != code {
		code, changed = next, true
	}
	for round := 0; round < 6; round++ {
		next := unpackAll(code)
		next = mergeConcat(next)
		next = replaceCharCodes(next)
		next = replaceDecoderCalls(next)
		if next == code || len(next) > maxScriptBytes {
			break // nothing left to decode, or a decoding bomb
		}
		code, changed = next, true
	}
	return code, changed
}

// maxScriptBytes bounds decoded code: packers can nest and each layer can
// multiply the size, so hostile input could otherwise explode.
const maxScriptBytes = 1 << 20

// quoteJS writes s back as a double-quoted literal.
func quoteJS(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		default:
			if r < 0x20 {
				b.WriteString(`\x`)
				b.WriteString(strconv.FormatInt(int64(r)+0x100, 16)[1:])
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}

// canonicalQuotes rewrites every literal as a double-quoted one so the
// patterns below need to know only one quoting style.
func canonicalQuotes(code string) string {
	toks := scanLiterals(code)
	if len(toks) == 0 {
		return code
	}
	var b strings.Builder
	b.Grow(len(code))
	last := 0
	for _, t := range toks {
		b.WriteString(code[last:t.start])
		b.WriteString(quoteJS(t.val))
		last = t.end
	}
	b.WriteString(code[last:])
	return b.String()
}

// mergeConcat joins "a" + "b" into "ab".
func mergeConcat(code string) string {
	toks := scanLiterals(code)
	if len(toks) < 2 {
		return code
	}
	var b strings.Builder
	last := 0
	for i := 0; i < len(toks); i++ {
		j := i
		val := toks[i].val
		for j+1 < len(toks) && strings.TrimSpace(code[toks[j].end:toks[j+1].start]) == "+" {
			j++
			val += toks[j].val
		}
		if j > i {
			b.WriteString(code[last:toks[i].start])
			b.WriteString(quoteJS(val))
			last = toks[j].end
			i = j
		}
	}
	if last == 0 {
		return code
	}
	b.WriteString(code[last:])
	return b.String()
}

func parseCharCodes(list string) string {
	var b strings.Builder
	for _, f := range strings.Split(list, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		n, err := strconv.ParseInt(f, 0, 32)
		if err != nil || n < 0 || n > 0x10FFFF {
			return ""
		}
		b.WriteRune(rune(n))
	}
	return b.String()
}

func replaceCharCodes(code string) string {
	if strings.Contains(code, "/../g") {
		code = reHexPairs.ReplaceAllStringFunc(code, func(m string) string {
			return quoteJS(percentDecode(hexPercent(reHexPairs.FindStringSubmatch(m)[1])))
		})
	}
	if !strings.Contains(code, "fromCharCode") {
		return code
	}
	if strings.Contains(code, "^") {
		code = replaceXorMaps(code)
	}
	code = reCharCode.ReplaceAllStringFunc(code, func(m string) string {
		sub := reCharCode.FindStringSubmatch(m)
		return quoteJS(parseCharCodes(sub[1]))
	})
	arrays := map[string]string{}
	for _, m := range reNumArray.FindAllStringSubmatch(code, -1) {
		arrays[m[1]] = m[2]
	}
	return reCharApply.ReplaceAllStringFunc(code, func(m string) string {
		arg := reCharApply.FindStringSubmatch(m)[1]
		if strings.HasPrefix(arg, "[") {
			return quoteJS(parseCharCodes(strings.Trim(arg, "[]")))
		}
		if list, ok := arrays[arg]; ok {
			return quoteJS(parseCharCodes(list))
		}
		return m
	})
}

// hexPercent turns bare hex pairs into percent escapes.
func hexPercent(h string) string {
	var b strings.Builder
	for i := 0; i+1 < len(h); i += 2 {
		b.WriteByte('%')
		b.WriteString(h[i : i+2])
	}
	return b.String()
}

// replaceXorMaps decodes arrays of code units mapped through
// String.fromCharCode(c ^ k), with k a literal or a numeric variable.
func replaceXorMaps(code string) string {
	var arrays, nums map[string]string
	return reXorMap.ReplaceAllStringFunc(code, func(m string) string {
		sub := reXorMap.FindStringSubmatch(m)
		param := sub[2] + sub[3]
		a, b := sub[4], sub[5]
		if b == param {
			a, b = b, a
		}
		if a != param {
			return m
		}
		if arrays == nil {
			arrays, nums = map[string]string{}, map[string]string{}
			for _, v := range reNumArray.FindAllStringSubmatch(code, -1) {
				arrays[v[1]] = v[2]
			}
			for _, v := range reNumVar.FindAllStringSubmatch(code, -1) {
				nums[v[1]] = v[2]
			}
		}
		key := b
		if v, ok := nums[b]; ok {
			key = v
		}
		k, err := strconv.ParseInt(key, 0, 32)
		if err != nil {
			return m
		}
		list := sub[1]
		if strings.HasPrefix(list, "[") {
			list = strings.Trim(list, "[]")
		} else if v, ok := arrays[list]; ok {
			list = v
		} else {
			return m
		}
		var units []uint16
		for _, f := range strings.Split(list, ",") {
			f = strings.TrimSpace(f)
			if f == "" {
				continue
			}
			n, err := strconv.ParseInt(f, 0, 32)
			if err != nil {
				return m
			}
			units = append(units, uint16(n^k))
		}
		return quoteJS(string(utf16.Decode(units)))
	})
}

// replaceDecoderCalls rewrites atob("..."), unescape("...") and friends
// whose argument is a single literal.
func replaceDecoderCalls(code string) string {
	toks := scanLiterals(code)
	var b strings.Builder
	last := 0
	for _, t := range toks {
		// Only the few bytes before the literal can hold the call.
		from := t.start - 48
		if from < last {
			from = last
		}
		m := reDecodeCall.FindStringSubmatchIndex(code[from:t.start])
		if m == nil {
			continue
		}
		for i := range m {
			m[i] += from - last
		}
		rest := code[t.end:]
		close := strings.IndexByte(rest, ')')
		if close < 0 || strings.TrimSpace(rest[:close]) != "" {
			continue
		}
		fn := code[last+m[2] : last+m[3]]
		var val string
		switch fn {
		case "atob":
			val = decodeBase64(t.val)
		case "unescape", "decodeURIComponent", "decodeURI":
			val = percentDecode(t.val)
		case "escape":
			val = t.val // escape∘decodeURIComponent is the UTF-8 idiom; keep the text
		}
		b.WriteString(code[last : last+m[0]])
		b.WriteString(quoteJS(val))
		last = t.end + close + 1
	}
	if last == 0 {
		return code
	}
	b.WriteString(code[last:])
	return b.String()
}

func decodeBase64(s string) string {
	s = strings.TrimSpace(s)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if raw, err := enc.DecodeString(s); err == nil {
			if utf8.Valid(raw) {
				return string(raw)
			}
			// atob yields a Latin-1 "binary string".
			rs := make([]rune, len(raw))
			for i, c := range raw {
				rs[i] = rune(c)
			}
			return string(rs)
		}
	}
	return ""
}

// percentDecode handles %XX and the legacy %uXXXX of unescape.
func percentDecode(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	var bytes []byte
	flush := func() {
		if len(bytes) > 0 {
			if utf8.Valid(bytes) {
				b.Write(bytes)
			} else {
				for _, c := range bytes {
					b.WriteRune(rune(c))
				}
			}
			bytes = bytes[:0]
		}
	}
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+5 < len(s) && (s[i+1] == 'u' || s[i+1] == 'U') {
			if v, err := strconv.ParseUint(s[i+2:i+6], 16, 16); err == nil {
				flush()
				b.WriteRune(rune(v))
				i += 5
				continue
			}
		}
		if s[i] == '%' && i+2 < len(s) {
			if v, err := strconv.ParseUint(s[i+1:i+3], 16, 8); err == nil {
				bytes = append(bytes, byte(v))
				i += 2
				continue
			}
		}
		flush()
		b.WriteByte(s[i])
	}
	flush()
	return b.String()
}

// unpackAll replaces eval(function(p,a,c,k,e,d){...}('payload',a,c,'k|e|y'.split('|'),0,{}))
// by the unpacked source.
func unpackAll(code string) string {
	for n := 0; n < 4; n++ {
		loc := rePacker.FindStringIndex(code)
		if loc == nil {
			return code
		}
		// The packer body ends with "}(" followed by the payload literal.
		body := code[loc[1]:]
		k := strings.Index(body, "}('")
		if k < 0 {
			k = strings.Index(body, "}(\"")
		}
		if k < 0 {
			return code
		}
		pStart := loc[1] + k + 2
		payload, pEnd, ok := jsLiteral(code, pStart)
		if !ok {
			return code
		}
		m := rePackArgs.FindStringSubmatch(code[pEnd:])
		if m == nil {
			return code
		}
		radix, _ := strconv.Atoi(m[1])
		kStart := pEnd + len(m[0])
		if kStart >= len(code) || (code[kStart] != '\'' && code[kStart] != '"') {
			return code
		}
		words, kEnd, ok := jsLiteral(code, kStart)
		if !ok {
			return code
		}
		end := kEnd
		if c := strings.Index(code[kEnd:], "))"); c >= 0 && c < 40 {
			end = kEnd + c + 2
		}
		code = code[:loc[0]] + unpack(payload, radix, strings.Split(words, "|")) + code[end:]
		if len(code) > maxScriptBytes {
			return code
		}
	}
	return code
}

var reWord = regexp.MustCompile(`\b\w+\b`)

func unpack(p string, radix int, words []string) string {
	if radix < 2 || radix > 62 {
		return p
	}
	return reWord.ReplaceAllStringFunc(p, func(w string) string {
		n := 0
		for _, c := range w {
			d := 0
			switch {
			case '0' <= c && c <= '9':
				d = int(c - '0')
			case 'a' <= c && c <= 'z':
				d = int(c-'a') + 10
			case 'A' <= c && c <= 'Z':
				d = int(c-'A') + 36
			default:
				return w
			}
			if d >= radix {
				return w
			}
			n = n*radix + d
		}
		if n < len(words) && words[n] != "" {
			return words[n]
		}
		return w
	})
}

var reDecodeVar = regexp.MustCompile(`\b(atob|unescape|decodeURIComponent|decodeURI)\s*\(\s*([\w$]+)\s*\)`)

// inlineDecoderVars rewrites atob(s) into atob("…") when s was assigned a
// literal: var s="PGEgaHJlZj0…";document.write(atob(s)).
func inlineDecoderVars(code string) string {
	if !reDecodeVar.MatchString(code) {
		return code
	}
	vars := map[string]string{}
	for _, t := range scanLiterals(code) {
		from := t.start - 64
		if from < 0 {
			from = 0
		}
		before := strings.TrimRight(code[from:t.start], " \t\n")
		if !strings.HasSuffix(before, "=") || strings.HasSuffix(before, "==") {
			continue
		}
		b := strings.TrimRight(before[:len(before)-1], " \t")
		j := len(b)
		for j > 0 && (b[j-1] == '_' || b[j-1] == '$' || b[j-1] >= '0' && b[j-1] <= '9' || b[j-1]|0x20 >= 'a' && b[j-1]|0x20 <= 'z') {
			j--
		}
		if j < len(b) {
			vars[b[j:]] = code[t.start:t.end]
		}
	}
	return reDecodeVar.ReplaceAllStringFunc(code, func(m string) string {
		sub := reDecodeVar.FindStringSubmatch(m)
		if lit, ok := vars[sub[2]]; ok {
			return sub[1] + "(" + lit + ")"
		}
		return m
	})
}
