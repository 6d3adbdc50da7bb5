package sigma

import (
	"context"
	"sync"
	"testing"
	"time"

	"fenghuo/internal/ingest"
)

// Detect runs from one goroutine per source at a time, several sources at
// once, while an org's upload swaps the rule sets (run with -race).
func TestConcurrentDetectAndReplace(t *testing.T) {
	sets, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	e, err := NewEngine(all, sets...)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 12, 7, 3, 0, 0, 0, time.UTC)
	var wg sync.WaitGroup
	counts := make([]int, 4)
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			s := ingest.Source{Org: int64(g + 1)}
			for i := 0; i < 200; i++ {
				ms := e.Detect(context.Background(), s, mailLogin(start.Add(time.Duration(i)*time.Second), "203.0.113.9", "u", "failure"))
				counts[g] += len(ms)
			}
		}(g)
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < 20; i++ {
			if err := e.Replace(sets...); err != nil {
				t.Error(err)
			}
		}
	}()
	wg.Wait()
	for g, n := range counts {
		if n != 10 { // 200 failures in 200 s: a threshold match every 20
			t.Errorf("org %d: %d matches, want 10", g+1, n)
		}
	}
}

// Idle groups are evicted and the number of live groups stays bounded.
func TestWindowsStayBounded(t *testing.T) {
	w := newWindows()
	w.maxGroups = 1000
	c := &Correlation{ID: "c", Type: EventCount, Timespan: Duration(time.Minute), Condition: Condition{Ops: map[string]float64{"gte": 1000}}}
	start := time.Date(2026, 12, 7, 3, 0, 0, 0, time.UTC)
	for i := 0; i < 50_000; i++ {
		// A flood of distinct sources, one event each, all within a minute.
		w.observe(groupKey{org: 1, set: "s", corr: "c", key: itoa(i)}, c, observation{t: start.Add(time.Duration(i) * time.Millisecond)})
	}
	live, evicted := w.size()
	if live > 1000+sweepEvery || evicted == 0 {
		t.Fatalf("live %d, evicted %d", live, evicted)
	}
	// An hour later everything is idle and one sweep clears it.
	w.sweep(start.Add(time.Hour))
	if live, _ := w.size(); live != 0 {
		t.Fatalf("after an idle hour: %d live groups", live)
	}
}

func itoa(i int) string {
	const digits = "0123456789"
	if i == 0 {
		return "0"
	}
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{digits[i%10]}, b...)
	}
	return string(b)
}
