package notification_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/app/notification"
	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/notify"
	"fenghuo/internal/store"
)

// A delivery that takes longer than the work lease keeps its lease while
// its replica is alive: the replica renews it, so another replica finds
// nothing to claim even once the first lease has run out, and the webhook
// hears the notice once.
func TestSlowDeliveryKeepsItsLease(t *testing.T) {
	const lease = 900 * time.Millisecond // renewed every 300 ms of wall time
	cfg := app.DefaultConfig()
	cfg.WorkLease = lease
	cfg.Notify = &notify.Sender{AllowLoopback: true}
	e := apptest.NewWith(t, cfg)
	_, other := apptest.OpenAppWith(t, e.DSN, cfg) // a second replica on the same database
	// One clock for both replicas that runs with the wall clock (the
	// renewals are paced by it), plus jumps the test makes.
	base, start := e.Clock.Now(), time.Now()
	var jump atomic.Int64
	now := func() time.Time { return base.Add(time.Since(start) + time.Duration(jump.Load())) }
	e.App.SetClock(now)
	other.SetClock(now)
	ctx := context.Background()

	var mu sync.Mutex
	var got []string
	arrived, release := make(chan struct{}, 1), make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		arrived <- struct{}{}
		<-release
		mu.Lock()
		got = append(got, r.URL.Path)
		mu.Unlock()
	}))
	defer srv.Close()
	var running sync.WaitGroup
	defer running.Wait() // the delivery has returned before the database closes
	defer close(release)

	chief, _ := e.User(t, "county-chief", "county", fenghuo.RoleCommander)
	if _, err := e.App.Notifications.CreateChannel(ctx, e.Actor(t, chief), notification.ChannelInput{OrgID: e.Orgs["county"].ID,
		Kind: notify.KindWebhook, Name: "值班接口", Target: srv.URL + "/hook", Secret: "lease-test-secret"}); err != nil {
		t.Fatal(err)
	}
	if err := e.DB.WithTx(ctx, func(tx *store.Tx) error {
		return e.App.Core.NotifyOrg(ctx, tx, app.Notice{OrgID: e.Orgs["county"].ID, Kind: "obligation.overdue", Title: "逾期：初报"})
	}); err != nil {
		t.Fatal(err)
	}
	// The fan-out job makes the delivery job.
	if n, err := e.App.Notifications.RunJobs(ctx); err != nil || n != 1 {
		t.Fatalf("fan-out: %d, %v", n, err)
	}
	// Replica A delivers; the receiver holds the request.
	done := make(chan int, 1)
	running.Add(1)
	go func() {
		defer running.Done()
		n, err := e.App.Notifications.RunJobs(ctx)
		if err != nil {
			t.Error(err)
		}
		done <- n
	}()
	<-arrived
	// Three leases pass while the request is held: the lease holds only
	// if it was renewed.
	time.Sleep(3 * lease)
	if n := e.ExecSQL(t, fmt.Sprintf("UPDATE jobs SET updated_at = updated_at WHERE kind = 'deliver' AND state = 'pending' AND locked_until > %d",
		now().UnixMilli())); n != 1 {
		t.Fatal("the delivery's lease was not renewed while it ran")
	}
	// Replica B finds nothing to claim.
	if n, err := other.Notifications.RunJobs(ctx); err != nil || n != 0 {
		t.Fatalf("the other replica ran %d jobs (%v) while the delivery was in flight", n, err)
	}
	release <- struct{}{}
	if n := <-done; n != 1 {
		t.Fatalf("replica A ran %d jobs", n)
	}
	jump.Store(int64(time.Hour))
	if n, err := other.Notifications.RunJobs(ctx); err != nil || n != 0 {
		t.Fatalf("after the delivery the other replica ran %d jobs (%v)", n, err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 1 {
		t.Fatalf("the webhook heard the notice %d times", len(got))
	}
}

// A replica that stops in the middle of a batch hands the jobs it has not
// started back at once: another replica delivers them without waiting for
// the lease to run out.
func TestStoppingReplicaHandsBackItsBatch(t *testing.T) {
	cfg := app.DefaultConfig()
	cfg.WorkLease = time.Hour // a lease that would hold them all day
	cfg.Notify = &notify.Sender{AllowLoopback: true}
	e := apptest.NewWith(t, cfg)
	_, other := apptest.OpenAppWith(t, e.DSN, cfg)
	other.SetClock(e.Clock.Now)
	ctx := context.Background()

	var mu sync.Mutex
	got := map[string]int{}
	arrived := make(chan struct{}, 4)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.ReadAll(r.Body) // read to the end: the server then notices the sender going away
		if r.URL.Path == "/slow" {
			arrived <- struct{}{}
			<-r.Context().Done() // answers nobody: the sender gives up when it stops
			return
		}
		mu.Lock()
		got[r.URL.Path]++
		mu.Unlock()
	}))
	defer srv.Close()
	chief, _ := e.User(t, "county-chief", "county", fenghuo.RoleCommander)
	for _, path := range []string{"/slow", "/a", "/b"} {
		if _, err := e.App.Notifications.CreateChannel(ctx, e.Actor(t, chief), notification.ChannelInput{OrgID: e.Orgs["county"].ID,
			Kind: notify.KindWebhook, Name: "接口" + path, Target: srv.URL + path, Secret: "handback-secret"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.DB.WithTx(ctx, func(tx *store.Tx) error {
		return e.App.Core.NotifyOrg(ctx, tx, app.Notice{OrgID: e.Orgs["county"].ID, Kind: "obligation.overdue", Title: "逾期：初报"})
	}); err != nil {
		t.Fatal(err)
	}
	if n, err := e.App.Notifications.RunJobs(ctx); err != nil || n != 1 { // fan-out: three deliveries
		t.Fatalf("fan-out: %d, %v", n, err)
	}
	// The first delivery of the batch hangs; the server stops meanwhile.
	stopping, stop := context.WithCancel(ctx)
	done := make(chan int, 1)
	go func() {
		n, _ := e.App.Notifications.RunJobs(stopping)
		done <- n
	}()
	select {
	case <-arrived:
	case n := <-done:
		t.Fatalf("the batch ended (%d run) before its first delivery reached the receiver", n)
	}
	stop()
	if n := <-done; n != 1 {
		t.Fatalf("the stopping replica ran %d jobs, want only the one it had started", n)
	}
	// The other replica, at the same clock, takes the two handed back.
	if n, err := other.Notifications.RunJobs(ctx); err != nil || n != 2 {
		t.Fatalf("the other replica ran %d jobs (%v), want the 2 handed back", n, err)
	}
	mu.Lock()
	defer mu.Unlock()
	if got["/a"] != 1 || got["/b"] != 1 {
		t.Fatalf("deliveries %v", got)
	}
}
