package plan

import (
	"os"
	"strings"
	"testing"
)

// TestDocumentedExampleIsValid keeps the commented example of docs/plans.md
// a valid plan.
func TestDocumentedExampleIsValid(t *testing.T) {
	doc, err := os.ReadFile("../../docs/plans.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(doc), "```yaml\nid: example-county")
	if !ok {
		t.Fatal("docs/plans.md has no example plan")
	}
	example, _, _ := strings.Cut(rest, "```")
	p, err := Parse("docs/plans.md", []byte("id: example-county"+example))
	if err != nil {
		t.Fatal(err)
	}
	res, err := p.Grade(Facts{"important_system": true, "outage_minutes": 60.0, "people_affected": 100000.0, "operator_type": "other"}, "NA09")
	if err != nil || res.Grade != "II" || len(res.Reporting) != 3 {
		t.Fatalf("example grades %+v, %v", res, err)
	}
}
