package app

import (
	"context"
	"time"
)

// Every calls fn every interval in a goroutine of its own until stop is
// called or ctx ends; stop returns once fn is no longer running. Work that
// holds a lease renews it this way while it runs (every third of the lease).
func Every(ctx context.Context, interval time.Duration, fn func(context.Context)) (stop func()) {
	done, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-t.C:
				fn(ctx)
			}
		}
	}()
	return func() { close(done); <-stopped }
}
