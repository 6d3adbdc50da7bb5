package intake

import (
	"context"
	"errors"
	"sync"

	"fenghuo/internal/guard"
	"fenghuo/internal/ingest"
	"fenghuo/internal/store"
)

// Group commit. Batches arrive from many connections at once (a relay
// opens several, the HTTP intake takes requests in parallel), and the
// database has one writer: instead of one transaction per batch, waiting
// in turn, the batches that arrived while a transaction was being
// committed are written together in the next one. One commit (one fsync
// on SQLite, each index page written once) then carries many batches, and
// the detectors work on the next batches while the database writes these.
// Each Accept still returns only after the transaction holding its batch
// has committed. When a shared transaction fails, each of its batches is
// written again in a transaction of its own, so that one batch the
// database refuses does not fail the others.

// maxGroupEvents bounds the events of one shared transaction (its length
// and the memory of the batches waiting for it).
const maxGroupEvents = 8192

// pendingBatch is one Accept's batch, detected on and waiting to be
// written.
type pendingBatch struct {
	ctx     context.Context
	src     ingest.Source
	stored  []*store.StoredEvent
	matches []found
	done    chan error // receives the outcome once
}

// committer queues the batches waiting for the database; a goroutine
// writes them while there are any, and ends when the queue is empty.
type committer struct {
	mu      sync.Mutex
	queue   []*pendingBatch
	running bool
}

// enqueue queues a batch; wait returns once the transaction holding it
// has committed or failed, or when ctx ends (the batch may still be
// committed then, unacknowledged).
func (s *Service) enqueue(ctx context.Context, p *pendingBatch) (wait func() error) {
	p.ctx, p.done = ctx, make(chan error, 1)
	s.commits.mu.Lock()
	s.commits.queue = append(s.commits.queue, p)
	start := !s.commits.running
	s.commits.running = true
	s.commits.mu.Unlock()
	if start {
		go s.commitLoop()
	}
	return func() error {
		select {
		case err := <-p.done:
			return err
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// commitLoop writes the queue, oldest first, in transactions of up to
// maxGroupEvents events, until it is empty.
func (s *Service) commitLoop() {
	for {
		s.commits.mu.Lock()
		q := s.commits.queue
		if len(q) == 0 {
			s.commits.running = false
			s.commits.mu.Unlock()
			return
		}
		n, events := 1, len(q[0].stored)
		for n < len(q) && events+len(q[n].stored) <= maxGroupEvents {
			events += len(q[n].stored)
			n++
		}
		group := make([]*pendingBatch, n)
		copy(group, q)
		s.commits.queue = q[n:]
		s.commits.mu.Unlock()
		s.commitGroup(group)
	}
}

// commitGroup writes a group in one transaction and tells each batch the
// outcome; after a failure, each batch alone.
func (s *Service) commitGroup(group []*pendingBatch) {
	answered := 0
	err := guard.Run(s.core.Logger(), "intake", func() error {
		err := s.commitTx(group)
		if err == nil || len(group) == 1 {
			for _, p := range group {
				p.done <- err
				answered++
			}
			return nil
		}
		for _, p := range group {
			p.done <- s.commitTx([]*pendingBatch{p})
			answered++
		}
		return nil
	}, "batches", len(group))
	var pe *guard.PanicError
	if errors.As(err, &pe) {
		for _, p := range group[answered:] {
			p.done <- err
		}
	}
}

// commitTx stores the events of the batches, adds their matches to the
// alert groups (one source's batches together, so that a rule and entity
// seen in several is looked up and updated once) and marks their sources
// as heard from, in one transaction.
func (s *Service) commitTx(group []*pendingBatch) error {
	ctx := context.WithoutCancel(group[0].ctx)
	var all []*store.StoredEvent
	type perSource struct {
		stored  []*store.StoredEvent
		matches []found
	}
	bySource := map[ingest.Source]*perSource{}
	var sources []ingest.Source
	for _, p := range group {
		all = append(all, p.stored...)
		ps := bySource[p.src]
		if ps == nil {
			ps = &perSource{}
			bySource[p.src] = ps
			sources = append(sources, p.src)
		}
		offset := len(ps.stored)
		ps.stored = append(ps.stored, p.stored...)
		for _, f := range p.matches {
			f.event += offset
			ps.matches = append(ps.matches, f)
		}
	}
	return s.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		if err := tx.InsertEvents(ctx, all); err != nil {
			return err
		}
		for _, src := range sources {
			ps := bySource[src]
			if err := s.group(ctx, tx, src, ps.stored, ps.matches); err != nil {
				return err
			}
			if src.TokenID != 0 {
				if err := tx.TouchIntakeSource(ctx, src.TokenID); err != nil {
					return err
				}
			}
		}
		return nil
	})
}
