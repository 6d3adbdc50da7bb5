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
	"sync/atomic"
	"time"

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
			for j, c := range cm.Split {
				if _, _, ok := to.Lookup(c); !ok {
					v.errorf(fmt.Sprintf("%s.split[%d]", path, j), "unknown category %q in %s", c, to.ID)
				}
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

// Registry holds the plans a deployment knows: the built-in ones, those
// read from a plans directory, and the versions stored in the product
// (plan_versions), which take the place of the plan of the same id while
// the built-in or file text stays the fallback. It is safe for concurrent
// use: the stored versions are swapped as a whole when they change.
type Registry struct {
	mu      sync.RWMutex
	plans   map[string]*Plan // built-in and directory plans
	builtin map[string]bool
	stored  map[string]*Plan // active stored versions, by id

	// sync, when set, is called before a read at most once per every: it
	// checks whether the stored versions changed (another replica wrote
	// one) and calls SetStored.
	sync     func()
	every    time.Duration
	lastSync atomic.Int64 // unix nanoseconds of the last call to sync
	syncing  atomic.Bool
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

// SetSync makes every read of the registry call fn first when the last
// call is older than every (0: before every read). fn runs in the reading
// goroutine, one call at a time; a read that finds a call under way does
// not wait for it.
func (r *Registry) SetSync(every time.Duration, fn func()) {
	r.mu.Lock()
	r.sync, r.every = fn, every
	r.mu.Unlock()
	r.lastSync.Store(0)
}

func (r *Registry) maybeSync() {
	r.mu.RLock()
	fn, every := r.sync, r.every
	r.mu.RUnlock()
	if fn == nil {
		return
	}
	now := time.Now().UnixNano()
	if last := r.lastSync.Load(); last != 0 && now-last < int64(every) {
		return
	}
	if !r.syncing.CompareAndSwap(false, true) {
		return
	}
	defer r.syncing.Store(false)
	r.lastSync.Store(now)
	fn()
}

// SetStored replaces the stored versions: each plan takes the place of the
// built-in or directory plan of its id, or adds a plan. Plans not in the
// map fall back to their built-in or file text.
func (r *Registry) SetStored(plans map[string]*Plan) {
	r.mu.Lock()
	r.stored = copyMap(plans)
	r.mu.Unlock()
}

// PutStored makes p the stored version of its id (the replica that wrote
// it serves it at once; the others on their next sync).
func (r *Registry) PutStored(p *Plan) {
	r.mu.Lock()
	if r.stored == nil {
		r.stored = map[string]*Plan{}
	}
	r.stored[p.ID] = p
	r.mu.Unlock()
}

// Get returns the plan with the given id: its active stored version when
// there is one, else the built-in or file plan.
func (r *Registry) Get(id string) (*Plan, error) {
	r.maybeSync()
	r.mu.RLock()
	p, ok := r.stored[id]
	if !ok {
		p, ok = r.plans[id]
	}
	r.mu.RUnlock()
	if !ok {
		ids := r.IDs()
		return nil, fenghuo.Errorf(fenghuo.ENOTFOUND, "unknown plan %q%s (known: %s)", id, suggest(id, ids), strings.Join(ids, ", "))
	}
	return p, nil
}

// Fallback returns the built-in or file plan of an id, ignoring stored
// versions (the text the product falls back to).
func (r *Registry) Fallback(id string) (*Plan, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	p, ok := r.plans[id]
	return p, ok
}

// IsBuiltin reports whether id names an embedded plan.
func (r *Registry) IsBuiltin(id string) bool { return r.builtin[id] }

// IDs lists the known plan ids: built-in ones first, in their order.
func (r *Registry) IDs() []string {
	r.maybeSync()
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.idsLocked()
}

func (r *Registry) idsLocked() []string {
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
	for id := range r.stored {
		if _, ok := r.plans[id]; !ok {
			extra = append(extra, id)
		}
	}
	sort.Strings(extra)
	return append(ids, extra...)
}

// Plans lists the known plans in IDs order, each in the version Get
// returns.
func (r *Registry) Plans() []*Plan {
	r.maybeSync()
	r.mu.RLock()
	defer r.mu.RUnlock()
	ids := r.idsLocked()
	out := make([]*Plan, len(ids))
	for i, id := range ids {
		if p, ok := r.stored[id]; ok {
			out[i] = p
		} else {
			out[i] = r.plans[id]
		}
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
	r.mu.Lock()
	defer r.mu.Unlock()
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
