package plan

import (
	"encoding/json"
	"fmt"

	"gopkg.in/yaml.v3"
)

// Taxonomy is a tree of incident categories.
type Taxonomy struct {
	ID         string     `yaml:"id" json:"id"`
	Name       Text       `yaml:"name" json:"name"`
	Standard   string     `yaml:"standard,omitempty" json:"standard,omitempty"`
	Notes      string     `yaml:"notes,omitempty" json:"notes,omitempty"`
	Categories []Category `yaml:"categories" json:"categories"`
}

// Category is one incident category; subcategories nest one level.
type Category struct {
	Code          string     `yaml:"code" json:"code"`
	Name          Text       `yaml:"name" json:"name"`
	Description   string     `yaml:"description,omitempty" json:"description,omitempty"`
	Subcategories []Category `yaml:"subcategories,omitempty" json:"subcategories,omitempty"`
}

// Lookup finds a category or subcategory by code and returns it with the
// code of its parent ("" for a top-level category).
func (t *Taxonomy) Lookup(code string) (Category, string, bool) {
	for _, c := range t.Categories {
		if c.Code == code {
			return c, "", true
		}
		for _, s := range c.Subcategories {
			if s.Code == code {
				return s, c.Code, true
			}
		}
	}
	return Category{}, "", false
}

// Within reports whether code is category parent or one of its subcategories.
func (t *Taxonomy) Within(code, parent string) bool {
	if code == parent {
		return true
	}
	_, p, ok := t.Lookup(code)
	return ok && p == parent
}

// Codes lists every category and subcategory code in document order.
func (t *Taxonomy) Codes() []string {
	var out []string
	for _, c := range t.Categories {
		out = append(out, c.Code)
		for _, s := range c.Subcategories {
			out = append(out, s.Code)
		}
	}
	return out
}

// TaxonomyRef is either the id of a built-in taxonomy or a taxonomy
// written inline in the plan.
type TaxonomyRef struct {
	Ref    string
	Inline *Taxonomy
}

// UnmarshalYAML accepts a scalar id or a mapping.
func (r *TaxonomyRef) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		return n.Decode(&r.Ref)
	}
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: taxonomy must be the id of a built-in taxonomy or a mapping", n.Line)
	}
	r.Inline = new(Taxonomy)
	return n.Decode(r.Inline)
}

// MarshalYAML writes the id or the inline taxonomy.
func (r TaxonomyRef) MarshalYAML() (any, error) {
	if r.Inline != nil {
		return r.Inline, nil
	}
	return r.Ref, nil
}

// MarshalJSON writes the id or the inline taxonomy.
func (r TaxonomyRef) MarshalJSON() ([]byte, error) {
	if r.Inline != nil {
		return json.Marshal(r.Inline)
	}
	return json.Marshal(r.Ref)
}

// CategoryMapping maps a category of the 2007 taxonomy (GB/Z 20986-2007) to
// its successor in the 2023 taxonomy (GB/T 20986-2023).
type CategoryMapping struct {
	From string `yaml:"from" json:"from"`
	To   string `yaml:"to" json:"to"`
	// Split lists the 2023 subcategories the new standard carved out of
	// this old code (OMI → MP07 ransomware, MP08 cryptomining): an incident
	// filed under one of them is this code in a plan on the old taxonomy.
	Split []string `yaml:"split,omitempty" json:"split,omitempty"`
	Note  string   `yaml:"note,omitempty" json:"note,omitempty"`
}

type taxonomyMap struct {
	From     string            `yaml:"from"`
	To       string            `yaml:"to"`
	Mappings []CategoryMapping `yaml:"mappings"`
}
