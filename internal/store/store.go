// Package store keeps Fenghuo's data in SQLite (the default: one file beside
// the binary) or PostgreSQL (several replicas). Both engines run the same SQL
// text; the few differences live in dialect.go. Public methods on *DB open
// their own transaction; the same operations exist on *Tx so that the app
// layer can put several writes and the audit entry in one transaction with
// WithTx.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver

	"fenghuo/internal/fenghuo"
	"fenghuo/internal/pii"
)

// DB is an open database. It is safe for concurrent use.
type DB struct {
	// write takes every write transaction. On SQLite it holds exactly one
	// connection, so writers queue in Go instead of spinning on SQLITE_BUSY.
	write *sql.DB
	// read serves reads; on SQLite a separate pool on the same file, which
	// WAL lets read while the writer writes. On PostgreSQL it is write.
	read *sql.DB
	d    dialect
	dsn  string
	path string // SQLite file path, "" for PostgreSQL
	// now is the clock; tests replace it.
	now func() time.Time
	// queryLog, when set, sees every read statement (explain.go).
	queryLog atomic.Pointer[QueryLog]
	// checkpoints, on SQLite, copies the WAL into the database file
	// beside the writer (checkpoint.go).
	checkpoints *checkpointer
	// pii seals personal data (personal.go); set by UsePersonalData.
	pii *pii.Codec
	// slow, when set, logs and counts slow statements (slowquery.go).
	slow      atomic.Pointer[slowQuery]
	slowCount atomic.Uint64
	// sealer chains pending audit entries on PostgreSQL (auditseal.go).
	sealer *auditSealer
	// writeGate, on SQLite, queues write transactions first come, first
	// served before they take the one writer connection: database/sql hands
	// a freed connection to a random waiter, which at 50 waiting requests
	// made the slowest wait a second for a 2 ms transaction (issue 16).
	// Goroutines blocked sending on a full channel are woken in order.
	writeGate chan struct{}
}

// Open opens the database named by dsn and applies pending migrations:
// "postgres://…" or "postgresql://…" opens PostgreSQL; "sqlite:PATH" or a
// plain file path opens (creating if needed) an SQLite file.
func Open(ctx context.Context, dsn string) (*DB, error) {
	db := &DB{dsn: dsn, now: time.Now, sealer: newAuditSealer()}
	var err error
	switch {
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		err = db.openPostgres(dsn)
	default:
		path := strings.TrimPrefix(dsn, "sqlite:")
		if path == "" || strings.Contains(path, ":memory:") || strings.ContainsRune(path, '?') {
			return nil, fenghuo.Errorf(fenghuo.EINVALID, "Database %q is not usable: give an SQLite file path (no \"?\", not :memory:) or a postgres:// URL. / 数据库地址无效。", dsn)
		}
		err = db.openSQLite(path)
	}
	if err != nil {
		return nil, err
	}
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func (db *DB) openSQLite(path string) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	db.d, db.path = dialect{engine: SQLite}, abs
	common := []string{
		// Wait up to 10 s for a lock instead of failing at once with SQLITE_BUSY.
		"busy_timeout(10000)",
		// WAL: readers never block the writer or each other, and a commit is
		// one append to the log.
		"journal_mode(WAL)",
		// SQLite leaves foreign keys unchecked unless each connection asks.
		"foreign_keys(1)",
		// FULL fsyncs the WAL at every commit. NORMAL would also survive kill -9
		// (the log is written before COMMIT returns and the OS keeps it), but a
		// power cut could lose the last commits; reminders, reports and the
		// audit chain must not lose acknowledged writes, and our write rate is
		// human-paced, so the fsync is cheap.
		"synchronous(FULL)",
		// Sorts and temporary indexes stay in memory, not in /tmp files.
		"temp_store(MEMORY)",
	}
	q := url.Values{}
	for _, p := range common {
		q.Add("_pragma", p)
	}
	// The checkpointer's connection: the common settings only.
	ckpt, err := sql.Open("sqlite", abs+"?"+q.Encode())
	if err != nil {
		return fmt.Errorf("store: open %s: %w", abs, err)
	}
	// BEGIN IMMEDIATE takes the write lock at the start of the transaction, so
	// a transaction that reads and then writes cannot fail with SQLITE_BUSY
	// half-way (a deferred one would try to upgrade its read lock and could).
	q.Set("_txlock", "immediate")
	// The checkpointer copies the WAL beside the writer; the writer does it
	// itself only when the log has grown this far (64 MiB of 4 KiB pages).
	q.Add("_pragma", fmt.Sprintf("wal_autocheckpoint(%d)", writerCheckpointPages))
	if db.write, err = sql.Open("sqlite", abs+"?"+q.Encode()); err != nil {
		ckpt.Close()
		return fmt.Errorf("store: open %s: %w", abs, err)
	}
	// One writer: SQLite allows one writer at a time anyway.
	db.write.SetMaxOpenConns(1)
	db.writeGate = make(chan struct{}, 1)
	db.write.SetConnMaxIdleTime(0)

	q.Del("_txlock")
	q.Del("_pragma")
	for _, p := range common {
		q.Add("_pragma", p)
	}
	// The read pool refuses writes, so a write sent to it by mistake fails
	// loudly instead of racing the writer for the lock.
	q.Add("_pragma", "query_only(1)")
	if db.read, err = sql.Open("sqlite", abs+"?"+q.Encode()); err != nil {
		db.write.Close()
		ckpt.Close()
		return fmt.Errorf("store: open %s: %w", abs, err)
	}
	db.read.SetMaxOpenConns(max(4, runtime.NumCPU()))
	db.read.SetConnMaxIdleTime(5 * time.Minute)
	// Touch the writer first: it creates the file and switches it to WAL
	// before any reader opens it.
	if err := db.write.Ping(); err != nil {
		ckpt.Close()
		db.Close()
		return fmt.Errorf("store: open %s: %w", abs, err)
	}
	db.checkpoints = startCheckpointer(ckpt)
	return nil
}

func (db *DB) openPostgres(dsn string) error {
	db.d = dialect{engine: Postgres}
	var err error
	if db.write, err = sql.Open("pgx", dsn); err != nil {
		return fmt.Errorf("store: open postgres: %w", err)
	}
	// A small pool: several replicas share the server's max_connections.
	db.write.SetMaxOpenConns(10)
	db.write.SetMaxIdleConns(5)
	db.write.SetConnMaxIdleTime(5 * time.Minute)
	db.read = db.write
	if err := db.write.Ping(); err != nil {
		db.write.Close()
		return fmt.Errorf("store: connect to postgres: %w", err)
	}
	return nil
}

// Close closes both pools.
func (db *DB) Close() error {
	var errs []error
	db.stopSealer()
	if db.checkpoints != nil {
		errs = append(errs, db.checkpoints.stop())
	}
	if db.read != nil && db.read != db.write {
		errs = append(errs, db.read.Close())
	}
	if db.write != nil {
		errs = append(errs, db.write.Close())
	}
	return errors.Join(errs...)
}

// Engine reports which engine db runs on.
func (db *DB) Engine() Engine { return db.d.engine }

// Tx is a write transaction (from WithTx) or a read-only one (from View).
type Tx struct {
	c   conn
	db  *DB
	now time.Time
	// auditPending: the transaction left audit entries for the sealer.
	auditPending bool
	// orgs, when set (MemoOrgs), keeps the orgs this transaction has read.
	orgs *orgMemo
}

// Now is the time the transaction started; every timestamp it writes uses it.
func (tx *Tx) Now() time.Time { return tx.now }

// WithTx runs fn in a write transaction, committing if fn returns nil and
// rolling back otherwise.
func (db *DB) WithTx(ctx context.Context, fn func(tx *Tx) error) error {
	return db.runTx(ctx, db.write, nil, fn)
}

// View runs fn in a read-only transaction: every read in it sees the same
// snapshot.
func (db *DB) View(ctx context.Context, fn func(tx *Tx) error) error {
	return db.runTx(ctx, db.read, &sql.TxOptions{ReadOnly: true}, fn)
}

func (db *DB) runTx(ctx context.Context, pool *sql.DB, opts *sql.TxOptions, fn func(tx *Tx) error) (err error) {
	if pool == db.write && db.writeGate != nil {
		select {
		case db.writeGate <- struct{}{}:
		case <-ctx.Done():
			return fmt.Errorf("store: begin: %w", ctx.Err())
		}
		defer func() { <-db.writeGate }()
	}
	stx, err := pool.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("store: begin: %w", db.d.mapError(err))
	}
	defer func() {
		if p := recover(); p != nil {
			stx.Rollback()
			panic(p)
		}
	}()
	tx := &Tx{c: conn{q: stx, d: db.d, log: &db.queryLog, slow: db.slow.Load()}, db: db, now: db.now().UTC().Truncate(time.Millisecond)}
	if db.d.engine == SQLite {
		tx.c.prepared = &preparedStmts{tx: stx}
	}
	if db.d.engine == Postgres && opts != nil && opts.ReadOnly {
		// Reads are planned for their arguments. pgx prepares every
		// statement, and after five runs PostgreSQL may keep a generic plan
		// made without them; but the same list is a hundred rows for a unit
		// and a million for a province (incident_scope by org): the
		// province's closed grade IV incidents took 1.1 s with the generic
		// plan, 72 ms with their own (docs/performance.md "A province").
		// Writes keep their cached plans (planning every statement cost a
		// third of the writes a second), and reads share their pool (a
		// second pool cost a quarter: twice the backends on the same cores).
		if _, err := stx.ExecContext(ctx, "SET LOCAL plan_cache_mode = force_custom_plan"); err != nil {
			stx.Rollback()
			return fmt.Errorf("store: begin: %w", db.d.mapError(err))
		}
	}
	if err := fn(tx); err != nil {
		stx.Rollback()
		return err
	}
	if err := stx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", db.d.mapError(err))
	}
	if pool == db.write && db.checkpoints != nil {
		db.checkpoints.wrote.Store(true)
	}
	if tx.auditPending {
		db.kickSealer()
	}
	return nil
}

// view runs fn in View and returns its value.
func view[T any](ctx context.Context, db *DB, fn func(tx *Tx) (T, error)) (T, error) {
	var v T
	err := db.View(ctx, func(tx *Tx) error {
		var err error
		v, err = fn(tx)
		return err
	})
	return v, err
}

// update runs fn in WithTx and returns its value.
func update[T any](ctx context.Context, db *DB, fn func(tx *Tx) (T, error)) (T, error) {
	var v T
	err := db.WithTx(ctx, func(tx *Tx) error {
		var err error
		v, err = fn(tx)
		return err
	})
	return v, err
}

// querier is what *sql.DB and *sql.Tx have in common.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// conn rebinds placeholders and maps errors for every statement.
type conn struct {
	q   querier
	d   dialect
	log *atomic.Pointer[QueryLog]
	// prepared, in a SQLite transaction, keeps the statements exec,
	// queryRow and queryReused run, so that one that runs again in the
	// same transaction is not parsed again.
	prepared *preparedStmts
	// slow, when set, times every statement (slowquery.go).
	slow *slowQuery
}

func (c conn) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	query = c.d.rebind(query)
	start := c.slow.start()
	var r sql.Result
	var err error
	if st := c.prepared.get(ctx, query); st != nil {
		r, err = st.ExecContext(ctx, args...)
	} else {
		r, err = c.q.ExecContext(ctx, query, args...)
	}
	c.slow.done("exec", query, start)
	return r, c.d.mapError(err)
}

// queryReused is query for a statement the transaction runs again only
// after closing the rows of the previous run (a prepared statement has one
// cursor).
func (c conn) queryReused(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	query = c.d.rebind(query)
	c.logQuery(query, args)
	start := c.slow.start()
	var rows *sql.Rows
	var err error
	if st := c.prepared.get(ctx, query); st != nil {
		rows, err = st.QueryContext(ctx, args...)
	} else {
		rows, err = c.q.QueryContext(ctx, query, args...)
	}
	c.slow.done("query", query, start)
	return rows, c.d.mapError(err)
}

func (c conn) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	query = c.d.rebind(query)
	c.logQuery(query, args)
	start := c.slow.start()
	rows, err := c.q.QueryContext(ctx, query, args...)
	c.slow.done("query", query, start)
	return rows, c.d.mapError(err)
}

func (c conn) queryRow(ctx context.Context, query string, args ...any) row {
	query = c.d.rebind(query)
	c.logQuery(query, args)
	start := c.slow.start()
	if st := c.prepared.get(ctx, query); st != nil {
		return row{r: st.QueryRowContext(ctx, args...), d: c.d, slow: c.slow, query: query, start: start}
	}
	return row{r: c.q.QueryRowContext(ctx, query, args...), d: c.d, slow: c.slow, query: query, start: start}
}

// preparedStmts are the statements a SQLite transaction has prepared, by
// text. SQLite parses every statement it is given (the driver keeps no
// cache), which costs more than running it for the short statements a
// transaction repeats: a row of an alert group per rule and entity, a
// chunk of 250 events. PostgreSQL's driver (pgx) caches prepared
// statements per connection itself. database/sql closes them when the
// transaction ends.
type preparedStmts struct {
	tx *sql.Tx
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

// get returns the prepared statement for query, preparing it the first
// time; nil without a cache or when it cannot be prepared (running it
// unprepared then reports the error).
func (p *preparedStmts) get(ctx context.Context, query string) *sql.Stmt {
	if p == nil {
		return nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if st, ok := p.m[query]; ok {
		return st
	}
	st, err := p.tx.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	if p.m == nil {
		p.m = map[string]*sql.Stmt{}
	}
	p.m[query] = st
	return st
}

type row struct {
	r *sql.Row
	d dialect
	// slow, query and start time the statement to the end of Scan.
	slow  *slowQuery
	query string
	start time.Time
}

// Scan is sql.Row.Scan with mapped errors; sql.ErrNoRows passes through.
func (r row) Scan(dest ...any) error {
	err := r.r.Scan(dest...)
	r.slow.done("row", r.query, r.start)
	return r.d.mapError(err)
}

// Page selects part of a list. The zero Page is the first DefaultLimit items.
type Page struct {
	Limit  int
	Offset int
}

// List sizes.
const (
	DefaultLimit = 50
	MaxLimit     = 500
)

// norm returns the page with its limit defaulted and capped.
func (p Page) norm() Page {
	if p.Limit <= 0 {
		p.Limit = DefaultLimit
	}
	p.Limit = min(p.Limit, MaxLimit)
	p.Offset = min(max(p.Offset, 0), MaxOffset)
	return p
}

// ListResult is one page of a list and the size of the whole list. Long
// lists count only up to CountCap: Capped says the list has more than Total
// items (shown as "1000+").
type ListResult[T any] struct {
	Items  []T
	Total  int
	Capped bool
}

// CountCap is where the counts of long lists stop: counting every row of a
// 100,000-incident list on each page view costs as much as reading them.
const CountCap = 1000

// MaxOffset bounds how deep a list can be paged: past it, filters narrow
// the list instead (every deeper page would read all the rows before it).
const MaxOffset = 10000

// countCapped counts the rows of the statement rows (a SELECT, best in the
// list's own order so that the count reads the list's index), up to
// CountCap; a list longer than that reports CountCap and capped.
func (tx *Tx) countCapped(ctx context.Context, rows string, args []any) (int, bool, error) {
	return tx.countUpTo(ctx, rows, args, CountCap)
}

// countUpTo is countCapped with the cap given.
func (tx *Tx) countUpTo(ctx context.Context, rows string, args []any, cap int) (int, bool, error) {
	var n int
	err := tx.c.queryRow(ctx, "SELECT COUNT(*) FROM ("+rows+" LIMIT ?) c", append(args[:len(args):len(args)], cap+1)...).Scan(&n)
	if n > cap {
		return cap, true, err
	}
	return n, false, err
}

// ms stores a time as unix milliseconds UTC; the zero time is 0.
func ms(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// fromMS reads what ms wrote.
func fromMS(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v).UTC()
}

// b2i stores a boolean as INTEGER 0/1.
func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// notFound is the ENOTFOUND error for a missing row of kind what.
func notFound(what string, key any) error {
	return fenghuo.Errorf(fenghuo.ENOTFOUND, "%s %v not found. / 未找到。", what, key)
}

// likeEscape escapes the LIKE wildcards in s; use the result with ESCAPE backslash.
func likeEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}

// placeholders returns "?, ?, ?" for n values.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// SetClock replaces the clock that stamps created and updated times; tests
// move time instead of sleeping.
func (db *DB) SetClock(now func() time.Time) { db.now = now }
