package app

import (
	"context"
	"sync"
	"time"
)

// PageViewWindow is how long one console session's view of an object
// lasts for the audit log: the tabs of an incident's page opened within it
// are the same view, not new ones (RecordPageRead).
const PageViewWindow = 10 * time.Minute

// pageViews remembers, per console session and object, when the view was
// last audited. It only ever leaves out an entry that an earlier entry of
// the same session already records: lost at a restart, or kept apart on
// each of several replicas, it writes an entry more, never one fewer.
type pageViews struct {
	mu    sync.Mutex
	seen  map[pageView]time.Time
	swept time.Time
}

type pageView struct{ session, action, objectType, objectID string }

// claim reports whether a view of key at now must be audited, and if so
// records it as audited at now. Entries older than the window are dropped
// once a window, so the map holds only the views of the last ten minutes.
func (p *pageViews) claim(key pageView, now time.Time) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.seen == nil {
		p.seen = map[pageView]time.Time{}
	}
	if now.Sub(p.swept) >= PageViewWindow || now.Before(p.swept) {
		for k, at := range p.seen {
			if now.Sub(at) >= PageViewWindow || now.Before(at) {
				delete(p.seen, k)
			}
		}
		p.swept = now
	}
	if at, ok := p.seen[key]; ok && now.Sub(at) < PageViewWindow && !now.Before(at) {
		return false
	}
	p.seen[key] = now
	return true
}

// release forgets a claim whose audit entry could not be written, so the
// next view writes it.
func (p *pageViews) release(key pageView, at time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.seen[key].Equal(at) {
		delete(p.seen, key)
	}
}

// RecordPageRead is RecordRead for the console's pages of one object that
// are split in tabs (an incident: facts, reports, tasks, response,
// timeline, evidence, documents). Every view by a person is recorded: the
// first page of the object a console session opens writes the entry
// (what+".read"), and so does the first one opened PageViewWindow or more
// after the last entry; pages of the same object opened by the same
// session in between — switching tabs, reloading — are the same view and
// write nothing. A new log-in is a new session, hence a new view. Without
// a session (an API token, the command line) every call is a view of its
// own. A read that cannot be audited is not served: the error is returned
// and the next view tries again.
func (a *Core) RecordPageRead(ctx context.Context, ac *Actor, what, objectType, objectID string, detail any) error {
	if a.cfg.AuditReads == AuditReadsNone {
		return nil
	}
	if ac.SessionHash == "" {
		return a.RecordRead(ctx, ac, what, objectType, objectID, false, detail)
	}
	key, now := pageView{ac.SessionHash, what + ReadSuffix, objectType, objectID}, a.now()
	if !a.views.claim(key, now) {
		return nil
	}
	if err := a.RecordRead(ctx, ac, what, objectType, objectID, false, detail); err != nil {
		a.views.release(key, now)
		return err
	}
	return nil
}
