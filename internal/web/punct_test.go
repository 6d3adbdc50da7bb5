package web

import (
	"sort"
	"testing"

	"fenghuo/internal/phrase"
)

// TestChinesePunctuation: the Chinese side of the console's catalogue uses
// full-width punctuation between Chinese words (，；：？（）), as the
// platform's own sentences do; an ASCII , ; : ? ( ) touching a Chinese
// character is a slip. The English side, format verbs, URLs, numbers and
// times (24:00) are not checked.
func TestChinesePunctuation(t *testing.T) {
	keys := make([]string, 0, len(messages))
	for k := range messages {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if bad := phrase.ASCIIPunctNearCJK(messages[k][0]); len(bad) > 0 {
			t.Errorf("%s: ASCII punctuation in Chinese %q (at %q)", k, messages[k][0], bad)
		}
	}
	for _, k := range phrase.Keys() {
		if bad := phrase.ASCIIPunctNearCJK(phrase.New(k).Render(phrase.ZH)); len(bad) > 0 {
			t.Errorf("phrase %s: ASCII punctuation in Chinese (at %q)", k, bad)
		}
	}
}
