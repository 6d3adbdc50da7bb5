package web

import "testing"

// TestSafeNext: redirect targets from input stay paths on this origin. The
// bypasses are those browsers are known to forgive: tabs and newlines
// dropped, backslashes read as slashes, leading spaces stripped, encodings
// decoded on the way.
func TestSafeNext(t *testing.T) {
	keep := []string{
		"/",
		"/incidents",
		"/incidents/12#reports",
		"/incidents?status=open&q=%E5%AE%89%E5%85%A8",
		"/incidents?q=two+words&x=a%20b",
		"/systems?q=三中",
		"/a//b",
		"/orgs/5/edit?parent=3",
		"/@evil.example", // a path on this origin
	}
	refuse := []string{
		"",
		"//x",
		"//evil.example/",
		"/\\x",
		"/\\evil.example",
		"\\/x",
		"\\\\evil.example",
		"/%09/x",
		"/%09/evil.example/",
		"/\t/evil.example/",
		"/%0a/x", "/%0d/x", "/%0A%0D/x", "/\n/x", "/\r/x",
		"/%5Cx", "/%5cevil.example", "/%5C%5Cx",
		"/%2F/x", "/%2f%2fx",
		"%2F%2Fx",
		"/%252F/x", // decoded twice
		"/%2509/x", // decoded twice
		"http:x",
		"http://evil.example/",
		"https:/evil.example",
		"HTTP://evil.example",
		"javascript:alert(1)",
		"JavaScript:alert(1)",
		"data:text/html,hi",
		"/ /x",
		" /x",
		" //x",
		"/x y",
		"/%20/x",
		"/\u00a0/x", // no-break space
		"/\u200b/x", // zero-width space (format character)
		"/\u2028/x", // line separator
		"/\x00/x", "/%00/x", "/\x7f", "/\u0085x",
		"x",
		"evil.example",
		"./x",
		"../x",
		"?next=/",
		"#/x",
		"/?q=%0d%0aSet-Cookie:x",
		"/?q=%09",
		"/x%", "/x%zz",
		"/\xff/x",
		"@evil.example",
	}
	for _, s := range keep {
		if got := safeNext(s); got != s {
			t.Errorf("safeNext(%q) = %q, want it kept", s, got)
		}
	}
	for _, s := range refuse {
		if got := safeNext(s); got != "/" {
			t.Errorf("safeNext(%q) = %q, want \"/\"", s, got)
		}
	}
}
