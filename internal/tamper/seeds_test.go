package tamper

import (
	"testing"

	"fenghuo/internal/fuzzseed"
)

// TestWriteFuzzSeeds checks that the committed seed corpora are what
// the generators make (a changed generator fails until the seeds are
// rewritten and committed). The pages are those of hostile_test.go;
// to rewrite the seeds:
//
//	FENGHUO_WRITE_FUZZ_SEEDS=1 go test ./internal/tamper/ -run TestWriteFuzzSeeds
//
// The multi-megabyte pages seed FuzzCheck only (every target parses pages
// the same way, and TestHostilePages runs all of them through every entry
// point), to keep the repository small.
func TestWriteFuzzSeeds(t *testing.T) {
	small, deep, links := smallHostilePages(), deepNesting(), manyLinks()
	site := portal{day: 6}.html()
	for _, h := range append(small, bigHostilePages()...) {
		fuzzseed.Check(t, "FuzzCheck", h.name, h.html)
	}
	for _, h := range append(small, deep[0]) {
		fuzzseed.Check(t, "FuzzLearn", h.name, h.html, site)
		fuzzseed.Check(t, "FuzzCheckBaseline", h.name, site, h.html)
		fuzzseed.Check(t, "FuzzCheckBaseline", "base-"+h.name, h.html, site)
		fuzzseed.Check(t, "FuzzCloakingBaseline", h.name, site, site, h.html)
	}
	for _, h := range append(append(small, deep...), links) {
		fuzzseed.Check(t, "FuzzCloaking", "spider-"+h.name, site, h.html)
	}
	for _, h := range small {
		fuzzseed.Check(t, "FuzzCloaking", "browser-"+h.name, h.html, site)
		fuzzseed.Check(t, "FuzzCloakingBaseline", "browser-"+h.name, site, h.html, site)
	}
}
