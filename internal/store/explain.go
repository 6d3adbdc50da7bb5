package store

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// QueryLog receives every read statement the store runs (the text as sent
// to the engine, and its arguments). Tests install one to collect the SQL of
// every list and dashboard query and check its plan with FullScans.
type QueryLog func(query string, args []any)

// SetQueryLog installs fn (nil removes it).
func (db *DB) SetQueryLog(fn QueryLog) {
	if fn == nil {
		db.queryLog.Store(nil)
		return
	}
	db.queryLog.Store(&fn)
}

func (c conn) logQuery(query string, args []any) {
	if c.log == nil {
		return
	}
	if fn := c.log.Load(); fn != nil {
		(*fn)(query, args)
	}
}

var sqliteScan = regexp.MustCompile(`^SCAN (\w+)`)

// sqliteSubquery names a subquery or view SQLite runs as a co-routine or
// materialises ("CO-ROUTINE b", "MATERIALIZE x"): a SCAN of that name beside
// it (not under it) reads the subquery's rows, not a table.
var sqliteSubquery = regexp.MustCompile(`^(?:CO-ROUTINE|MATERIALIZE) (\w+)`)

// sqlToken splits SQL into words, quoted strings, parentheses and commas.
var sqlToken = regexp.MustCompile(`'(?:[^']|'')*'|"[^"]*"|[A-Za-z_][A-Za-z0-9_.]*|[(),]|[^\sA-Za-z_(),']+`)

// sqlKeywords may follow a table name in a FROM or JOIN clause; they are
// never its alias.
var sqlKeywords = map[string]bool{"WHERE": true, "JOIN": true, "LEFT": true, "RIGHT": true, "INNER": true, "OUTER": true,
	"CROSS": true, "FULL": true, "NATURAL": true, "ON": true, "USING": true, "GROUP": true, "ORDER": true, "LIMIT": true,
	"OFFSET": true, "UNION": true, "EXCEPT": true, "INTERSECT": true, "HAVING": true, "WINDOW": true, "INDEXED": true,
	"NOT": true, "FOR": true, "SET": true, "VALUES": true, "RETURNING": true, "AS": true, "FROM": true, "SELECT": true}

// tableAliases maps each name a FROM or JOIN clause of query gives a table
// (its alias, or the table's own name) to the tables it stands for: SQLite's
// query plan names a table by its alias ("SCAN m" for "FROM monitors m"),
// and one alias may stand for different tables in different subqueries, so
// a name maps to all of them.
func tableAliases(query string) map[string][]string {
	toks := sqlToken.FindAllString(query, -1)
	out := map[string][]string{}
	add := func(name, table string) {
		for _, t := range out[name] {
			if t == table {
				return
			}
		}
		out[name] = append(out[name], table)
	}
	ident := func(i int) bool {
		return i < len(toks) && toks[i] != "" && (toks[i][0] == '_' || toks[i][0] >= 'A' && toks[i][0] <= 'Z' ||
			toks[i][0] >= 'a' && toks[i][0] <= 'z') && !sqlKeywords[strings.ToUpper(toks[i])]
	}
	for i := 0; i < len(toks); i++ {
		kw := strings.ToUpper(toks[i])
		if kw != "FROM" && kw != "JOIN" {
			continue
		}
		// A FROM list may name several tables separated by commas.
		for j := i + 1; ident(j); {
			table := strings.ToLower(toks[j])
			if k := strings.LastIndexByte(table, '.'); k >= 0 {
				table = table[k+1:] // schema.table
			}
			name := table
			j++
			if j < len(toks) && strings.EqualFold(toks[j], "AS") {
				j++
			}
			if ident(j) {
				name = strings.ToLower(toks[j])
				j++
			}
			add(name, table)
			if j >= len(toks) || toks[j] != "," {
				break
			}
			j++
		}
	}
	return out
}

// FullScans returns the tables among big that the engine's plan for query
// reads whole: on SQLite a "SCAN t" step without an index (EXPLAIN QUERY
// PLAN, which names a table by its alias: the aliases are read from the
// query's FROM and JOIN clauses, see tableAliases), on PostgreSQL a "Seq Scan" node (EXPLAIN (FORMAT JSON)) that no
// LIMIT is expected to stop early (see stoppedByLimit), as the
// planner chooses with the statistics it has (run ANALYZE first). plan is
// the plan as text, for the failure message. query is as SetQueryLog gave it.
func (db *DB) FullScans(ctx context.Context, query string, args []any, big map[string]bool) (scans []string, plan string, err error) {
	if db.d.engine == Postgres {
		var text string
		if err := db.read.QueryRowContext(ctx, "EXPLAIN (FORMAT JSON) "+query, args...).Scan(&text); err != nil {
			return nil, "", fmt.Errorf("explain: %w", err)
		}
		var nodes []map[string]any
		if err := json.Unmarshal([]byte(text), &nodes); err != nil {
			return nil, "", err
		}
		var walk func(n, parent map[string]any)
		walk = func(n, parent map[string]any) {
			if n["Node Type"] == "Seq Scan" && !stoppedByLimit(n, parent) {
				if rel, _ := n["Relation Name"].(string); big[rel] {
					scans = append(scans, rel)
				}
			}
			children, _ := n["Plans"].([]any)
			for _, c := range children {
				if m, ok := c.(map[string]any); ok {
					walk(m, n)
				}
			}
		}
		for _, n := range nodes {
			if p, ok := n["Plan"].(map[string]any); ok {
				walk(p, nil)
			}
		}
		return scans, text, nil
	}
	rows, err := db.read.QueryContext(ctx, "EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		return nil, "", fmt.Errorf("explain: %w", err)
	}
	defer rows.Close()
	type step struct {
		parent int
		detail string
	}
	var order []int
	steps := map[int]step{}
	var b strings.Builder
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			return nil, "", err
		}
		b.WriteString(detail + "\n")
		order = append(order, id)
		steps[id] = step{parent, detail}
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	// under reports whether step id lies within step anc.
	under := func(id, anc int) bool {
		for n := 0; id != 0 && n < len(steps); n++ {
			if id == anc {
				return true
			}
			id = steps[id].parent
		}
		return false
	}
	subqueries := map[string][]int{}
	for _, id := range order {
		if m := sqliteSubquery.FindStringSubmatch(steps[id].detail); m != nil {
			subqueries[m[1]] = append(subqueries[m[1]], id)
		}
	}
	aliases := tableAliases(query)
	seen := map[string]bool{}
	for _, id := range order {
		detail := steps[id].detail
		m := sqliteScan.FindStringSubmatch(detail)
		if m == nil || strings.Contains(detail, " USING INDEX ") || strings.Contains(detail, " USING COVERING INDEX ") ||
			strings.Contains(detail, " USING INTEGER PRIMARY KEY ") {
			continue
		}
		name := m[1]
		// The scan of a co-routine or materialised subquery from outside
		// it reads the subquery's rows (checked in its own steps).
		inner := len(subqueries[name]) == 0
		for _, sq := range subqueries[name] {
			inner = inner || under(id, sq)
		}
		if !inner {
			continue
		}
		tables := aliases[strings.ToLower(name)]
		if len(tables) == 0 {
			tables = []string{name}
		}
		for _, t := range tables {
			if big[t] && !seen[t] {
				seen[t] = true
				scans = append(scans, t)
			}
		}
	}
	return scans, b.String(), nil
}

// stoppedByLimit reports whether a PostgreSQL Seq Scan node sits right
// under a Limit and the planner expects it to find at least the limit's rows:
// it then stops after the first page's worth (where most rows match, as in a
// city's scope in a small test database, that is cheaper than the index the
// planner would use at scale). SQLite's plans, checked without such an
// exception, show that the same query has an index to use.
func stoppedByLimit(scan, parent map[string]any) bool {
	if parent == nil || parent["Node Type"] != "Limit" {
		return false
	}
	found, _ := scan["Plan Rows"].(float64)
	limit, _ := parent["Plan Rows"].(float64)
	return limit > 0 && found >= limit
}

// Analyze refreshes the planner's statistics (ANALYZE; VACUUM ANALYZE on
// PostgreSQL, which also lets it plan index-only scans).
func (db *DB) Analyze(ctx context.Context) error {
	// Entries still waiting for the audit sealer belong in audit_entries'
	// statistics (on PostgreSQL they are sealed a moment after commit).
	if err := db.flushAudit(ctx); err != nil {
		return err
	}
	q := "ANALYZE"
	if db.d.engine == Postgres {
		q = "VACUUM ANALYZE"
	}
	_, err := db.write.ExecContext(ctx, q)
	return err
}

// RowEstimate returns the number of rows in table (a name from the test's
// fixed list, never input), -1 on error.
func (db *DB) RowEstimate(ctx context.Context, table string) int {
	var n int
	if err := db.read.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil {
		return -1
	}
	return n
}

// RefreshStatistics gives the planner statistics after a bulk load (the
// demo's history): on SQLite a full ANALYZE, without which SQLite picks by
// rule of thumb — a province's duty count then took seconds on the wrong
// index; on PostgreSQL ANALYZE, as autovacuum would do later. Not sampled
// (analysis_limit): a sample of an index whose first column has a few
// values (a duty's state) made SQLite guess ~200 rows a value where there
// are 400,000, and walk every open duty for a list's 50 incidents (110 ms
// instead of 0.15 ms at a province); the full ANALYZE of the 13 GB
// province took 5.7 s.
func (db *DB) RefreshStatistics(ctx context.Context) error {
	if db.d.engine == Postgres {
		_, err := db.write.ExecContext(ctx, "ANALYZE")
		return err
	}
	return db.analyzeSQLite(ctx, "ANALYZE")
}

// analyzeSQLite runs an ANALYZE or PRAGMA optimize statement on the
// writer's connection, reading whole indexes (analysis_limit 0, not a
// sample: see RefreshStatistics).
func (db *DB) analyzeSQLite(ctx context.Context, stmt string) error {
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "PRAGMA analysis_limit = 0"); err != nil {
		return err
	}
	_, err = conn.ExecContext(ctx, stmt)
	return err
}

// OptimizeInterval is how often a long-running process asks SQLite to
// refresh the statistics it needs (Optimize).
const OptimizeInterval = time.Hour

// Optimize keeps the planner's statistics fresh the way SQLite documents
// for a long-running process (https://sqlite.org/pragma.html#pragma_optimize):
// at open PRAGMA optimize=0x10002 (every table, those never analyzed
// included), then PRAGMA optimize every OptimizeInterval; SQLite
// re-analyzes only the tables never analyzed or whose size has changed
// tenfold since, in full (not sampled: see RefreshStatistics; 1.4 s for
// the 2.1 million duties of a province). Without it the statistics are
// only those of a bulk load (RefreshStatistics) or none, and SQLite picks
// indexes by rule of thumb. On PostgreSQL nothing: autovacuum analyzes on
// its own.
func (db *DB) Optimize(ctx context.Context, atOpen bool) error {
	if db.d.engine == Postgres {
		return nil
	}
	if atOpen {
		return db.analyzeSQLite(ctx, "PRAGMA optimize = 0x10002")
	}
	return db.analyzeSQLite(ctx, "PRAGMA optimize")
}
