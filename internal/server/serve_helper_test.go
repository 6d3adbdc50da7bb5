package server_test

import (
	"context"
	"testing"
	"time"

	"fenghuo/internal/server"
)

// serveForTest listens and serves srv until the test ends, then checks that
// it stopped cleanly.
func serveForTest(t *testing.T, srv *server.Server) *server.Server {
	t.Helper()
	if err := srv.Listen(); err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx) }()
	t.Cleanup(func() {
		stop()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Serve: %v", err)
			}
		case <-time.After(20 * time.Second):
			t.Error("the server did not stop")
		}
	})
	return srv
}
