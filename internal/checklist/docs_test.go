package checklist

import (
	"os"
	"strings"
	"testing"
)

// The example in docs/checklists.md is a valid checklist, and the
// categories the document lists are exactly the known ones.
func TestDocsExampleParses(t *testing.T) {
	doc, err := os.ReadFile("../../docs/checklists.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(doc)
	start := strings.Index(text, "```yaml\n")
	if start < 0 {
		t.Fatal("no yaml example")
	}
	body := text[start+len("```yaml\n"):]
	body = body[:strings.Index(body, "```")]
	c, err := Parse("docs/checklists.md", []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if c.ID != "county-2026-pre-holiday" || len(c.Items) != 1 {
		t.Errorf("example: %+v", c)
	}
	for key, words := range Categories {
		if !strings.Contains(text, "`"+key+"` "+words.ZH) {
			t.Errorf("docs/checklists.md does not list category %s %s", key, words.ZH)
		}
	}
	for _, id := range BuiltinIDs {
		if !strings.Contains(text, "`"+id+"`") {
			t.Errorf("docs/checklists.md does not list %s", id)
		}
	}
}
