// Package live pushes the console's changes to open pages (issue 13 item 3,
// docs/live.md). The change feed is the store's live_events table, written
// in the transaction of each change; a Hub in every server process polls it
// (twice a second while anyone listens) and fans each event out to the
// subscribers whose org subtree holds the org the event concerns — the same
// rule that scopes every read. Nothing lives only in memory: a restarted
// process, or another replica, reads the same rows.
package live

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// Source is the feed the hub reads (a *store.DB).
type Source interface {
	LiveEventsAfter(ctx context.Context, after int64, limit int) ([]store.LiveEvent, error)
	LastLiveEventID(ctx context.Context) (int64, error)
	PruneLiveEvents(ctx context.Context, cutoff time.Time) (int64, error)
}

// Kinds with a meaning for the hub itself.
const (
	// KindSessionEnded ends the streams of the session whose hash is the
	// event's subject (a log-out on any replica). It is never sent on.
	KindSessionEnded = "session.ended"
)

// ErrTooMany refuses a subscription over the per-user cap.
var ErrTooMany = fenghuo.Errorf(fenghuo.ECONFLICT, "Too many live connections for this account; close another tab. / 本账号的实时连接过多，请关闭其他标签页。")

// Hub fans the feed out to subscribers.
type Hub struct {
	src Source
	now func() time.Time
	log *slog.Logger
	// Poll is the pause between two reads of the feed.
	Poll time.Duration
	// MaxPerUser caps one account's open streams.
	MaxPerUser int
	// Keep is how long events stay in the feed (a page that reconnects
	// within it misses nothing); older ones are pruned hourly.
	Keep time.Duration
	// GapWait is how long an ID missing below one already read is awaited:
	// on PostgreSQL an ID is taken at insert and becomes visible at
	// commit, so a later ID can be read first (see cursor).
	GapWait time.Duration

	mu        sync.Mutex
	subs      map[*Sub]struct{}
	perUser   map[int64]int
	running   bool
	cur       cursor
	lastPrune time.Time
}

// New returns a hub over src; now is the platform's clock.
func New(src Source, now func() time.Time, log *slog.Logger) *Hub {
	if log == nil {
		log = slog.Default()
	}
	return &Hub{src: src, now: now, log: log, Poll: 500 * time.Millisecond, MaxPerUser: 5, Keep: 24 * time.Hour,
		GapWait: 10 * time.Second, subs: map[*Sub]struct{}{}, perUser: map[int64]int{}}
}

// Sub is one subscriber: a console page's event stream.
type Sub struct {
	// C carries the events the subscriber may see, in feed order. When the
	// subscriber falls behind, events are dropped and Missed is set: the
	// page re-reads what it shows on the next event anyway.
	C <-chan store.LiveEvent
	// Ended is closed when the subscriber's session is logged out.
	Ended <-chan struct{}

	c         chan store.LiveEvent
	ended     chan struct{}
	endOnce   sync.Once
	hub       *Hub
	userID    int64
	orgPath   string
	session   string
	closeOnce sync.Once
}

// Subscribe adds a subscriber for a user of the org with path orgPath and
// the console session with hash session. The first subscriber starts the
// poller, which reads from the feed's current end.
func (h *Hub) Subscribe(ctx context.Context, userID int64, orgPath, session string) (*Sub, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.perUser[userID] >= h.MaxPerUser {
		return nil, ErrTooMany
	}
	if !h.running {
		last, err := h.src.LastLiveEventID(ctx)
		if err != nil {
			return nil, err
		}
		h.cur = cursor{settled: last}
		h.running = true
		go h.run()
	}
	s := &Sub{c: make(chan store.LiveEvent, 64), ended: make(chan struct{}), hub: h, userID: userID, orgPath: orgPath, session: session}
	s.C, s.Ended = s.c, s.ended
	h.subs[s] = struct{}{}
	h.perUser[userID]++
	return s, nil
}

// Close removes the subscriber; the last one out stops the poller.
func (s *Sub) Close() {
	s.closeOnce.Do(func() {
		h := s.hub
		h.mu.Lock()
		defer h.mu.Unlock()
		delete(h.subs, s)
		if h.perUser[s.userID]--; h.perUser[s.userID] <= 0 {
			delete(h.perUser, s.userID)
		}
	})
}

// Subscribers counts the open subscriptions (for tests and metrics).
func (h *Hub) Subscribers() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.subs)
}

// Visible reports whether a reader of the org with path orgPath may see
// the event: the event's org is in the reader's subtree.
func Visible(orgPath string, e store.LiveEvent) bool {
	return e.Kind != KindSessionEnded && fenghuo.InSubtree(orgPath, e.OrgPath)
}

// Since returns the events after ID after that a reader of orgPath may
// see, at most max: what a page that reconnects with Last-Event-ID missed.
func (h *Hub) Since(ctx context.Context, after int64, orgPath string, max int) ([]store.LiveEvent, error) {
	var out []store.LiveEvent
	for len(out) < max {
		evs, err := h.src.LiveEventsAfter(ctx, after, 500)
		if err != nil {
			return nil, err
		}
		for _, e := range evs {
			if Visible(orgPath, e) && len(out) < max {
				out = append(out, e)
			}
		}
		if len(evs) < 500 {
			break
		}
		after = evs[len(evs)-1].ID
	}
	return out, nil
}

// run polls the feed until no subscriber is left.
func (h *Hub) run() {
	t := time.NewTicker(h.Poll)
	defer t.Stop()
	for range t.C {
		h.mu.Lock()
		if len(h.subs) == 0 {
			h.running = false
			h.mu.Unlock()
			return
		}
		h.mu.Unlock()
		h.pollOnce(context.Background())
	}
}

// pollOnce reads what is new in the feed and hands it out. Each read is one
// short transaction: no database connection is held between polls.
func (h *Hub) pollOnce(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	for {
		h.mu.Lock()
		after := h.cur.settled
		h.mu.Unlock()
		evs, err := h.src.LiveEventsAfter(ctx, after, 500)
		if err != nil {
			h.log.Warn("live: read feed", "err", err)
			return
		}
		h.mu.Lock()
		// Gaps are awaited by the wall clock: they are about transactions
		// in flight, not the platform's (movable) clock.
		fresh := h.cur.take(evs, time.Now(), h.GapWait)
		for _, e := range fresh {
			h.dispatch(e)
		}
		h.mu.Unlock()
		if len(evs) < 500 || h.cur.settled == after {
			break
		}
	}
	if now := h.now(); now.Sub(h.lastPrune) >= time.Hour {
		h.lastPrune = now
		if n, err := h.src.PruneLiveEvents(ctx, now.Add(-h.Keep)); err != nil {
			h.log.Warn("live: prune feed", "err", err)
		} else if n > 0 {
			h.log.Debug("live: pruned feed", "rows", n)
		}
	}
}

// dispatch hands e to every subscriber who may see it; h.mu is held.
func (h *Hub) dispatch(e store.LiveEvent) {
	for s := range h.subs {
		if e.Kind == KindSessionEnded {
			if s.session != "" && s.session == e.Subject {
				s.endOnce.Do(func() { close(s.ended) })
			}
			continue
		}
		if !Visible(s.orgPath, e) {
			continue
		}
		select {
		case s.c <- e:
		default: // the subscriber is behind; it re-reads on the next event
		}
	}
}
