package plan

import (
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Stored versions take the place of the built-in plan of their id, keep it
// as the fallback, add new ids after the built-in ones, and are swapped as
// a whole; the sync hook runs at most once per interval, one call at a
// time, and reads stay safe while versions are swapped.
func TestRegistryStoredVersions(t *testing.T) {
	r := Builtin()
	builtinCAC, _ := r.Get("cac-2025")
	edited := strings.Replace(string(builtinCAC.Raw()), "version:", "# edited\nversion:", 1)
	p, err := Parse("stored", []byte(edited))
	if err != nil {
		t.Fatal(err)
	}
	p.Revision = 2
	local, _ := Parse("stored-local", []byte(strings.Replace(edited, "id: cac-2025", "id: cac-2025-local", 1)))

	r.SetStored(map[string]*Plan{"cac-2025": p, "cac-2025-local": local})
	if got, _ := r.Get("cac-2025"); got != p {
		t.Fatal("the stored version is not served")
	}
	if fb, ok := r.Fallback("cac-2025"); !ok || fb != builtinCAC {
		t.Fatal("the built-in text is not the fallback")
	}
	if ids := r.IDs(); len(ids) != len(BuiltinPlanIDs)+1 || ids[len(ids)-1] != "cac-2025-local" || ids[1] != "cac-2025" {
		t.Fatalf("ids %v", ids)
	}
	if plans := r.Plans(); plans[1] != p {
		t.Fatal("Plans does not list the stored version")
	}
	if !r.IsBuiltin("cac-2025") || r.IsBuiltin("cac-2025-local") {
		t.Fatal("IsBuiltin")
	}
	r.SetStored(nil)
	if got, _ := r.Get("cac-2025"); got != builtinCAC {
		t.Fatal("without stored versions the built-in text is not served")
	}
	if _, err := r.Get("cac-2025-local"); err == nil {
		t.Fatal("a removed stored plan is still served")
	}
	r.PutStored(p)
	if got, _ := r.Get("cac-2025"); got != p {
		t.Fatal("PutStored")
	}

	var calls atomic.Int32
	r.SetSync(time.Hour, func() { calls.Add(1) })
	r.Get("cac-2025")
	r.IDs()
	r.Plans()
	if calls.Load() != 1 {
		t.Fatalf("sync ran %d times within its interval", calls.Load())
	}
	r.SetSync(0, func() { calls.Add(1); r.SetStored(map[string]*Plan{"cac-2025": p}) })
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 50; j++ {
				if got, err := r.Get("cac-2025"); err != nil || got != p {
					t.Errorf("concurrent read: %v", err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if calls.Load() < 2 {
		t.Fatalf("sync with interval 0 ran %d times", calls.Load())
	}
}
