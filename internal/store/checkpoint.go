package store

import (
	"database/sql"
	"sync"
	"sync/atomic"
	"time"
)

// SQLite in WAL mode appends each commit to the log, and a checkpoint
// copies the log's pages into the database file (then fsyncs it) so that
// the log can start over. SQLite runs it in the connection that commits,
// once the log holds 1,000 pages: the writer, then, whose every other
// transaction waits meanwhile. Under a sustained stream of events (issue
// 14: syslog at 20,000 events a second) that was a sixth of the writer's
// time. The checkpointer runs it from a connection of its own instead, on
// another core, a fraction of a second after writes; a PASSIVE checkpoint
// takes no lock the writer or the readers wait for, and the log starts
// over at the first write after a checkpoint that copied it all. The
// writer still checkpoints itself if the log reaches
// writerCheckpointPages (the checkpointer cannot keep up).

// writerCheckpointPages is the writer's own checkpoint threshold.
const writerCheckpointPages = 16384

// checkpointEvery is how soon after a write the log is copied.
const checkpointEvery = 250 * time.Millisecond

type checkpointer struct {
	conn  *sql.DB
	wrote atomic.Bool // a write transaction committed since the last checkpoint
	quit  chan struct{}
	done  chan struct{}
	once  sync.Once
}

func startCheckpointer(conn *sql.DB) *checkpointer {
	conn.SetMaxOpenConns(1)
	c := &checkpointer{conn: conn, quit: make(chan struct{}), done: make(chan struct{})}
	go c.run()
	return c
}

func (c *checkpointer) run() {
	defer close(c.done)
	t := time.NewTicker(checkpointEvery)
	defer t.Stop()
	for {
		select {
		case <-c.quit:
			return
		case <-t.C:
			if c.wrote.Swap(false) {
				// A failure (the file went away, the disk is full) is
				// the writer's to report; it checkpoints on its own too.
				c.conn.Exec("PRAGMA wal_checkpoint(PASSIVE)")
			}
		}
	}
}

// stop ends the checkpointer and closes its connection; closing the last
// connection checkpoints what is left.
func (c *checkpointer) stop() error {
	c.once.Do(func() { close(c.quit) })
	<-c.done
	return c.conn.Close()
}
