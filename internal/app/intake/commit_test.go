package intake_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"fenghuo/internal/app/intake"
	"fenghuo/internal/ingest"
	"fenghuo/internal/store"
)

// lockedDetector lets one detector serve several sources at once (the
// intake serialises detection per source only).
type lockedDetector struct {
	mu sync.Mutex
	d  ingest.Detector
}

func (l *lockedDetector) Detect(ctx context.Context, src ingest.Source, ev *ingest.Event) []ingest.Match {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.d.Detect(ctx, src, ev)
}

// countEvents pages through the events an actor sees.
func countEvents(t *testing.T, f *fixture, svc *intake.Service) map[string]int {
	t.Helper()
	byIP := map[string]int{}
	q := intake.EventQuery{Limit: 500}
	for {
		page, err := svc.Events(bg, f.city, q)
		if err != nil {
			t.Fatal(err)
		}
		for _, ev := range page.Items {
			byIP[ev.SourceIP]++
		}
		if page.Next == "" {
			return byIP
		}
		q.Cursor = page.Next
	}
}

// Batches from many connections at once share transactions (commit.go):
// every batch is stored, and each alert group counts exactly its own
// matches with samples of its own entity, on both engines.
func TestConcurrentBatchesAreAllCommitted(t *testing.T) {
	f := newFixture(t)
	svc := intake.New(f.e.App.Core, f.e.App.Incidents, &lockedDetector{d: &failedLogins{}})
	row, _, err := svc.CreateSource(bg, f.city, intake.SourceInput{OrgID: f.e.Orgs["hospital"].ID, Name: "hospital-relay", Kind: "syslog"})
	if err != nil {
		t.Fatal(err)
	}
	srcs := []ingest.Source{f.src, {Org: row.OrgID, Sensor: row.Name, TokenID: row.ID}}
	const senders, batches, size = 8, 10, 30
	now := f.e.Clock.Now()
	var wg sync.WaitGroup
	errs := make(chan error, senders*batches)
	for g := 0; g < senders; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for b := 0; b < batches; b++ {
				evs := make([]ingest.Event, size)
				for i := range evs {
					evs[i] = failed(now.Add(time.Duration(b*size+i)*time.Second), fmt.Sprintf("203.0.113.%d", g), "user")
				}
				errs <- svc.Accept(bg, srcs[g%2], evs)
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	byIP := countEvents(t, f, svc)
	for g := 0; g < senders; g++ {
		if n := byIP[fmt.Sprintf("203.0.113.%d", g)]; n != batches*size {
			t.Errorf("sender %d: %d events stored, want %d", g, n, batches*size)
		}
	}
	res, _, err := svc.Groups(bg, f.city, intake.GroupFilter{}, store.Page{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != senders {
		t.Fatalf("%d groups, want one per sender (%d)", res.Total, senders)
	}
	for _, g := range res.Items {
		if g.Count != batches*size {
			t.Errorf("group %s counts %d, want %d", g.Entity, g.Count, batches*size)
		}
		d, err := svc.Group(bg, f.city, g.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Samples) != intake.SampleEvents {
			t.Errorf("group %s: %d samples", g.Entity, len(d.Samples))
		}
		for _, ev := range d.Samples {
			if "source.ip="+ev.SourceIP != g.Entity || ev.OrgID != g.OrgID {
				t.Fatalf("group %s (org %d) holds a sample of %s (org %d)", g.Entity, g.OrgID, ev.SourceIP, ev.OrgID)
			}
		}
	}
}

// When a shared transaction fails, each batch is written alone: the one
// the database refuses (its unit does not exist, so its alert group
// cannot be stored) fails, the others are committed.
func TestSharedTransactionFailureFailsOnlyItsBatch(t *testing.T) {
	f := newFixture(t)
	now := f.e.Clock.Now()
	batch := func(ip string) []ingest.Event {
		return []ingest.Event{failed(now, ip, "user"), failed(now.Add(time.Second), ip, "user")}
	}
	ghost := ingest.Source{Org: 1 << 40, Sensor: "ghost"}
	errs := f.svc.AcceptTogether(bg, []ingest.Source{f.src, ghost, f.src}, [][]ingest.Event{batch("203.0.113.1"), batch("203.0.113.2"), batch("203.0.113.3")})
	if errs[0] != nil || errs[1] == nil || errs[2] != nil {
		t.Fatalf("outcomes %v, want nil, an error, nil", errs)
	}
	byIP := countEvents(t, f, f.svc)
	if byIP["203.0.113.1"] != 2 || byIP["203.0.113.3"] != 2 {
		t.Fatalf("events stored %v", byIP)
	}
	res, _, err := f.svc.Groups(bg, f.city, intake.GroupFilter{}, store.Page{})
	if err != nil || res.Total != 2 {
		t.Fatalf("groups %+v %v", res, err)
	}
	// The refused batch left nothing, even in its own transaction (its
	// unit's events would not show in a search): every stored event is
	// pruned here and counted.
	if n, err := f.e.DB.PruneEvents(bg, now.Add(1000*time.Hour), 1000); err != nil || n != 4 {
		t.Fatalf("%d events stored in all, want 4 (%v)", n, err)
	}
	// Without a failure the batches share one transaction and all count.
	errs = f.svc.AcceptTogether(bg, []ingest.Source{f.src, f.src}, [][]ingest.Event{batch("203.0.113.1"), batch("203.0.113.3")})
	if errs[0] != nil || errs[1] != nil {
		t.Fatal(errs)
	}
	res, _, err = f.svc.Groups(bg, f.city, intake.GroupFilter{}, store.Page{})
	if err != nil || res.Total != 2 || res.Items[0].Count != 4 || res.Items[1].Count != 4 {
		t.Fatalf("groups after a shared transaction %+v %v", res, err)
	}
}
