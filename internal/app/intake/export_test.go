package intake

import (
	"context"

	"fenghuo/internal/ingest"
)

// AcceptTogether prepares and detects on each batch as Accept does, then
// writes them as one group of the committer (commit.go), whatever else is
// queued, and returns each batch's outcome.
func (s *Service) AcceptTogether(ctx context.Context, srcs []ingest.Source, batches [][]ingest.Event) []error {
	errs := make([]error, len(batches))
	var group []*pendingBatch
	var at []int
	for i, events := range batches {
		p, err := s.prepare(srcs[i], events)
		if err != nil {
			errs[i] = err
			continue
		}
		s.detect(ctx, p, events)
		p.ctx, p.done = ctx, make(chan error, 1)
		group, at = append(group, p), append(at, i)
	}
	s.commitGroup(group)
	for j, p := range group {
		errs[at[j]] = <-p.done
	}
	return errs
}
