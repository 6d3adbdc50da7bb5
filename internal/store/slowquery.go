package store

import (
	"log/slog"
	"sync/atomic"
	"time"
)

// slowQuery is the slow-statement log (SetSlowQuery): every statement that
// takes longer than threshold is logged at warn with its SQL text, its
// duration and the engine, and counted. The arguments are never logged:
// they may hold personal data (names, phone numbers) before it is sealed.
type slowQuery struct {
	threshold time.Duration
	log       *slog.Logger
	engine    Engine
	count     *atomic.Uint64
}

// maxSlowSQL bounds the SQL text in a slow-statement record (a long IN list).
const maxSlowSQL = 4000

// SetSlowQuery logs every statement slower than threshold to log (at warn:
// the SQL text as sent to the engine, the duration, the engine; never the
// arguments) and counts it in SlowQueries. A threshold of 0 turns it off.
// Transactions begun afterwards follow the new setting.
//
// What is timed: for a statement that writes (exec) and for one that reads
// one row (queryRow … Scan), the whole statement; for one that reads rows
// (query), until the engine has answered with the first row, not the
// caller's reading of the rest.
func (db *DB) SetSlowQuery(threshold time.Duration, log *slog.Logger) {
	if threshold <= 0 || log == nil {
		db.slow.Store(nil)
		return
	}
	db.slow.Store(&slowQuery{threshold: threshold, log: log, engine: db.d.engine, count: &db.slowCount})
}

// SlowQueries is how many statements SetSlowQuery's threshold has caught
// since the database was opened (Prometheus: fenghuo_db_slow_queries_total).
func (db *DB) SlowQueries() uint64 { return db.slowCount.Load() }

// start is the time a statement starts, or the zero time without a slow log
// (no clock read then).
func (s *slowQuery) start() time.Time {
	if s == nil {
		return time.Time{}
	}
	return time.Now()
}

// done logs and counts the statement begun at start if it was slow.
func (s *slowQuery) done(kind, query string, start time.Time) {
	if s == nil {
		return
	}
	d := time.Since(start)
	if d < s.threshold {
		return
	}
	s.count.Add(1)
	if len(query) > maxSlowSQL {
		query = query[:maxSlowSQL] + "…"
	}
	s.log.Warn("slow database statement", "engine", string(s.engine), "kind", kind,
		"duration_ms", float64(d.Microseconds())/1000, "threshold_ms", float64(s.threshold.Microseconds())/1000, "sql", query)
}
