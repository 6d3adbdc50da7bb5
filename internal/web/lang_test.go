package web_test

import (
	"net/url"
	"testing"
)

// TestLangBackStaysOnSite: switching the language goes back to the page
// named in back=, and only to a path on this site.
func TestLangBackStaysOnSite(t *testing.T) {
	_, srv := console(t)
	c := browser(t)
	for back, want := range map[string]string{
		"/incidents?status=open": "/incidents?status=open",
		"/\t/evil.example/":      "/",
		"/%09/evil.example/":     "/",
		"//evil.example/":        "/",
		"/\\evil.example":        "/",
		"https://evil.example/":  "/",
		"":                       "/",
	} {
		resp, _ := post(t, c, srv, "/lang", url.Values{"lang": {"en"}, "back": {back}})
		if resp.StatusCode != 303 || resp.Header.Get("Location") != want {
			t.Errorf("back=%q: %d Location %q, want %q", back, resp.StatusCode, resp.Header.Get("Location"), want)
		}
	}
}
