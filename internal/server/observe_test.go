package server

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// A client that disconnects while its request is being answered is logged
// as going away (INFO, 499), not as a server error; a real 500 still is
// an ERROR.
func TestObserveClientGoneIsNotAnError(t *testing.T) {
	var logs lockedBuffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	started := make(chan struct{}, 1)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /slow", func(w http.ResponseWriter, r *http.Request) {
		started <- struct{}{}
		<-r.Context().Done() // a query cut short by the cancelled context
		http.Error(w, r.Context().Err().Error(), http.StatusInternalServerError)
	})
	mux.HandleFunc("GET /broken", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "broken", http.StatusInternalServerError)
	})
	srv := httptest.NewServer(Chain(mux, Recover(log), Observe(log, prometheus.NewRegistry())))
	defer srv.Close()

	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+"/slow", nil)
	errc := make(chan error, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		errc <- err
	}()
	<-started
	cancel()
	if err := <-errc; err == nil {
		t.Fatal("the cancelled request got an answer")
	}
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(logs.String(), "path=/slow") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	line := logs.String()
	if !strings.Contains(line, `level=INFO msg="http: client went away"`) || !strings.Contains(line, "status=499") || strings.Contains(line, "level=ERROR") {
		t.Errorf("disconnect logged as:\n%s", line)
	}

	resp, err := http.Get(srv.URL + "/broken")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if !strings.Contains(logs.String(), "level=ERROR msg=http method=GET path=/broken status=500") {
		t.Errorf("a real 500 is not an error:\n%s", logs.String())
	}
}
