package phrase

import (
	"strconv"
	"strings"
	"unicode"
)

// InLang keeps lang's half of a message the application writes in both
// languages ("File the initial report first. / 请先提交初报。", or Chinese
// first): a page or an API answer never shows the two side by side
// (console.md rule 1). The halves are told apart by their script, not by
// containing a Chinese character at all: an English sentence may quote a
// Chinese name ("甲县水务公司 cannot report all quiet …"), and a title
// quoted in either half may itself contain " / ". A message with one
// language is returned as it is.
func InLang(s, lang string) string {
	parts := strings.Split(s, " / ")
	if len(parts) < 2 {
		return s
	}
	for i := 1; i < len(parts); i++ {
		a, b := strings.Join(parts[:i], " / "), strings.Join(parts[i:], " / ")
		zh, en := a, b
		if chineseText(en) && !chineseText(zh) {
			zh, en = en, zh
		}
		if !chineseText(zh) || chineseText(en) {
			continue
		}
		if lang == EN {
			return strings.TrimSpace(en)
		}
		return strings.TrimSpace(zh)
	}
	return s
}

// chineseText reports whether s reads as Chinese: it has more Han
// characters than Latin letters.
func chineseText(s string) bool {
	han, latin := 0, 0
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Han, r):
			han++
		case r < unicode.MaxASCII && unicode.IsLetter(r):
			latin++
		}
	}
	return han > 0 && han >= latin/2
}

// AcceptLanguage picks the language of an answer from an HTTP
// Accept-Language header: English when an English tag is preferred to
// every Chinese one (by order, then by q-value), Chinese otherwise — the
// platform's default, also for a client that sends no preference.
func AcceptLanguage(header string) string {
	bestEN, bestZH := -1.0, -1.0
	for _, part := range strings.Split(header, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		tag = strings.ToLower(strings.TrimSpace(tag))
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		switch {
		case tag == "en" || strings.HasPrefix(tag, "en-"):
			if q > bestEN {
				bestEN = q
			}
		case tag == "zh" || strings.HasPrefix(tag, "zh-"):
			if q > bestZH {
				bestZH = q
			}
		}
	}
	if bestEN > 0 && bestEN > bestZH {
		return EN
	}
	if bestEN > 0 && bestEN == bestZH && strings.Index(strings.ToLower(header), "en") < strings.Index(strings.ToLower(header), "zh") {
		return EN
	}
	return ZH
}
