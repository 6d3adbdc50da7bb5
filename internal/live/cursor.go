package live

import (
	"time"

	"fenghuo/internal/store"
)

// cursor tracks how far the feed has been read. On SQLite the writer is
// alone and IDs become visible in order. On PostgreSQL an identity value is
// taken at insert and seen at commit, so ID 7 may be read while ID 6's
// transaction is still open: the cursor hands out 7 at once, keeps 6 as a
// gap and reads again from below it until 6 appears or GapWait passes (its
// transaction rolled back). Every event is handed out once.
type cursor struct {
	// settled: every ID up to it has been handed out or given up.
	settled int64
	// seen are IDs above settled already handed out.
	seen map[int64]bool
	// gaps are IDs above settled not seen yet but below a seen one, with
	// when they were first missed.
	gaps map[int64]time.Time
}

// take returns the events of evs (read after settled, in ID order) not
// handed out before, and moves settled as far as it can.
func (c *cursor) take(evs []store.LiveEvent, now time.Time, wait time.Duration) []store.LiveEvent {
	if c.seen == nil {
		c.seen, c.gaps = map[int64]bool{}, map[int64]time.Time{}
	}
	var fresh []store.LiveEvent
	var top int64
	for _, e := range evs {
		if e.ID <= c.settled {
			continue
		}
		top = max(top, e.ID)
		if !c.seen[e.ID] {
			c.seen[e.ID] = true
			delete(c.gaps, e.ID)
			fresh = append(fresh, e)
		}
	}
	for id := range c.seen {
		top = max(top, id)
	}
	for id := c.settled + 1; id < top; id++ {
		if !c.seen[id] {
			if _, ok := c.gaps[id]; !ok {
				c.gaps[id] = now
			}
		}
	}
	for {
		next := c.settled + 1
		if c.seen[next] {
			delete(c.seen, next)
			c.settled = next
			continue
		}
		if since, ok := c.gaps[next]; ok && now.Sub(since) >= wait {
			delete(c.gaps, next)
			c.settled = next
			continue
		}
		break
	}
	return fresh
}
