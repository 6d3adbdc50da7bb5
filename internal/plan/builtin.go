package plan

import (
	"embed"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"

	"fenghuo/internal/fenghuo"
)

//go:embed builtin/*.yaml
var builtinFS embed.FS

// BuiltinPlanIDs are the plans embedded in the binary (plan-model.md).
var BuiltinPlanIDs = []string{"national-2017", "cac-2025", "wushen-county", "dandong-broadcast"}

var loadBuiltin = sync.OnceValues(func() (*builtinSet, error) {
	set := &builtinSet{taxonomies: map[string]*Taxonomy{}, mapping: map[string]CategoryMapping{}}
	for _, name := range []string{"taxonomy-gbz-20986-2007.yaml", "taxonomy-gbt-20986-2023.yaml"} {
		t, err := parseTaxonomy("builtin:"+name, mustRead(name))
		if err != nil {
			return nil, err
		}
		set.taxonomies[t.ID] = t
	}
	m, err := parseMapping("builtin:taxonomy-map-2007-2023.yaml", mustRead("taxonomy-map-2007-2023.yaml"), set.taxonomies)
	if err != nil {
		return nil, err
	}
	for _, cm := range m.Mappings {
		set.mapping[cm.From] = cm
	}
	reg := &Registry{plans: map[string]*Plan{}, builtin: map[string]bool{}}
	for _, id := range BuiltinPlanIDs {
		p, err := parse("builtin:"+id, mustRead(id+".yaml"), set.taxonomies)
		if err != nil {
			return nil, err
		}
		if p.ID != id {
			return nil, fmt.Errorf("builtin plan file %s.yaml declares id %q", id, p.ID)
		}
		reg.add(p)
		reg.builtin[id] = true
	}
	set.registry = reg
	return set, nil
})

type builtinSet struct {
	taxonomies map[string]*Taxonomy
	mapping    map[string]CategoryMapping
	registry   *Registry
}

func mustRead(name string) []byte {
	b, err := builtinFS.ReadFile("builtin/" + name)
	if err != nil {
		panic(err) // embedded at build time: a missing file is a build error
	}
	return b
}

func builtin() *builtinSet {
	set, err := loadBuiltin()
	if err != nil {
		// The built-in documents are tested; reaching this is a release bug.
		panic("fenghuo: invalid built-in plan: " + err.Error())
	}
	return set
}

func builtinTaxonomies() map[string]*Taxonomy { return builtin().taxonomies }

// BuiltinTaxonomy returns a built-in taxonomy by id.
func BuiltinTaxonomy(id string) (*Taxonomy, bool) {
	t, ok := builtin().taxonomies[id]
	return t, ok
}

// TaxonomyIDs lists the built-in taxonomies.
func TaxonomyIDs() []string { return sortedKeys(builtin().taxonomies) }

// MapCategory2007To2023 returns the GB/T 20986-2023 successor of a
// GB/Z 20986-2007 category code.
func MapCategory2007To2023(code string) (CategoryMapping, bool) {
	m, ok := builtin().mapping[code]
	return m, ok
}

func parseTaxonomy(file string, data []byte) (*Taxonomy, error) {
	doc, lines, verr := loadDocument(file, data, reflect.TypeOf(Taxonomy{}))
	if verr != nil {
		return nil, verr
	}
	t := new(Taxonomy)
	if err := doc.Decode(t); err != nil {
		return nil, decodeError(file, err)
	}
	v := &validator{file: file, lines: lines}
	v.inlineTaxonomy("", t)
	if len(v.problems) > 0 {
		return nil, &ValidationError{Problems: v.problems}
	}
	return t, nil
}

func parseMapping(file string, data []byte, taxonomies map[string]*Taxonomy) (*taxonomyMap, error) {
	doc, lines, verr := loadDocument(file, data, reflect.TypeOf(taxonomyMap{}))
	if verr != nil {
		return nil, verr
	}
	m := new(taxonomyMap)
	if err := doc.Decode(m); err != nil {
		return nil, decodeError(file, err)
	}
	v := &validator{file: file, lines: lines}
	from, to := taxonomies[m.From], taxonomies[m.To]
	if from == nil || to == nil {
		v.errorf("from", "unknown taxonomy in %s → %s", m.From, m.To)
	} else {
		for i, cm := range m.Mappings {
			path := fmt.Sprintf("mappings[%d]", i)
			if _, _, ok := from.Lookup(cm.From); !ok {
				v.errorf(path+".from", "unknown category %q in %s", cm.From, from.ID)
			}
			if _, _, ok := to.Lookup(cm.To); !ok {
				v.errorf(path+".to", "unknown category %q in %s", cm.To, to.ID)
			}
		}
		mapped := map[string]bool{}
		for _, cm := range m.Mappings {
			mapped[cm.From] = true
		}
		for _, c := range from.Codes() {
			if !mapped[c] {
				v.errorf("mappings", "category %s of %s has no mapping", c, from.ID)
			}
		}
	}
	if len(v.problems) > 0 {
		return nil, &ValidationError{Problems: v.problems}
	}
	return m, nil
}

// Registry holds the plans a deployment knows: the built-in ones and those
// an administrator added.
type Registry struct {
	plans   map[string]*Plan
	builtin map[string]bool
}

func (r *Registry) add(p *Plan) { r.plans[p.ID] = p }

// Builtin returns a registry of the built-in plans only.
func Builtin() *Registry {
	b := builtin().registry
	return &Registry{plans: copyMap(b.plans), builtin: b.builtin}
}

func copyMap[K comparable, V any](m map[K]V) map[K]V {
	out := make(map[K]V, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// Get returns the plan with the given id.
func (r *Registry) Get(id string) (*Plan, error) {
	p, ok := r.plans[id]
	if !ok {
		return nil, fenghuo.Errorf(fenghuo.ENOTFOUND, "unknown plan %q%s (known: %s)", id, suggest(id, r.IDs()), strings.Join(r.IDs(), ", "))
	}
	return p, nil
}

// IsBuiltin reports whether id names an embedded plan.
func (r *Registry) IsBuiltin(id string) bool { return r.builtin[id] }

// IDs lists the known plan ids: built-in ones first, in their order.
func (r *Registry) IDs() []string {
	var ids []string
	for _, id := range BuiltinPlanIDs {
		if _, ok := r.plans[id]; ok {
			ids = append(ids, id)
		}
	}
	var extra []string
	for id := range r.plans {
		if !r.builtin[id] {
			extra = append(extra, id)
		}
	}
	sort.Strings(extra)
	return append(ids, extra...)
}

// Plans lists the known plans in IDs order.
func (r *Registry) Plans() []*Plan {
	ids := r.IDs()
	out := make([]*Plan, len(ids))
	for i, id := range ids {
		out[i] = r.plans[id]
	}
	return out
}

// Add validates and adds a plan document. A plan may not take the id of a
// built-in plan: a region's edited copy gets an id of its own.
func (r *Registry) Add(file string, data []byte) (*Plan, error) {
	p, err := Parse(file, data)
	if err != nil {
		return nil, err
	}
	if r.builtin[p.ID] {
		return nil, &ValidationError{Problems: []Problem{{File: file, Line: 1, Key: "id",
			Message: fmt.Sprintf("%q is a built-in plan: give your copy an id of its own (e.g. %s-local)", p.ID, p.ID)}}}
	}
	if old, ok := r.plans[p.ID]; ok && old.File != file {
		return nil, &ValidationError{Problems: []Problem{{File: file, Line: 1, Key: "id",
			Message: fmt.Sprintf("plan %q is already defined in %s", p.ID, old.File)}}}
	}
	r.add(p)
	return p, nil
}

// LoadDir adds every *.yaml and *.yml plan in dir. A missing directory is
// not an error; an invalid plan is.
func (r *Registry) LoadDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, e := range entries {
		ext := filepath.Ext(e.Name())
		if e.IsDir() || (ext != ".yaml" && ext != ".yml") {
			continue
		}
		path := filepath.Join(dir, e.Name())
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if _, err := r.Add(path, data); err != nil {
			return err
		}
	}
	return nil
}
