package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, as the store uses
	_ "modernc.org/sqlite"             // the "sqlite" driver, as the store uses
)

// reader reads an installation's database directly (read-only), to count
// what was stored without going through the server being measured.
type reader struct {
	db     *sql.DB
	engine string
}

func (in *install) openReader() (*reader, error) {
	if in.engine == "postgres" {
		db, err := sql.Open("pgx", in.db)
		return &reader{db: db, engine: in.engine}, err
	}
	path := filepath.Join(in.dataDir, "fenghuo.db")
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(10000)&_pragma=query_only(1)")
	return &reader{db: db, engine: in.engine}, err
}

func (r *reader) close() { r.db.Close() }

func (r *reader) q(query string) string {
	if r.engine != "postgres" {
		return query
	}
	// $1, $2 … for PostgreSQL.
	out, n := []byte{}, 0
	for i := 0; i < len(query); i++ {
		if query[i] == '?' {
			n++
			out = append(out, fmt.Sprintf("$%d", n)...)
			continue
		}
		out = append(out, query[i])
	}
	return string(out)
}

// events counts the stored events of a source.
func (r *reader) events(ctx context.Context, source int64) (int64, error) {
	var n int64
	err := r.db.QueryRowContext(ctx, r.q(`SELECT count(*) FROM intake_events WHERE source_id = ?`), source).Scan(&n)
	return n, err
}

// groups counts the alert groups of an org and the matches they hold, by
// kind (sigma, threshold, ioc).
func (r *reader) groups(ctx context.Context, org int64) (map[string][2]int64, error) {
	rows, err := r.db.QueryContext(ctx, r.q(`SELECT kind, count(*), coalesce(sum(event_count), 0) FROM alert_groups WHERE org_id = ? GROUP BY kind`), org)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][2]int64{}
	for rows.Next() {
		var kind string
		var n, sum int64
		if err := rows.Scan(&kind, &n, &sum); err != nil {
			return nil, err
		}
		out[kind] = [2]int64{n, sum}
	}
	return out, rows.Err()
}

// eventIDs returns the event.id field of every stored event of a source,
// with how many times each is stored.
func (r *reader) eventIDs(ctx context.Context, source int64) (map[string]int, error) {
	rows, err := r.db.QueryContext(ctx, r.q(`SELECT fields FROM intake_events WHERE source_id = ?`), source)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var fields string
		if err := rows.Scan(&fields); err != nil {
			return nil, err
		}
		var f struct {
			ID string `json:"event.id"`
		}
		if err := json.Unmarshal([]byte(fields), &f); err != nil {
			return nil, fmt.Errorf("stored fields: %w", err)
		}
		out[f.ID]++
	}
	return out, rows.Err()
}

// postgresServer returns the process id of the PostgreSQL server the admin
// URL names, when it runs on this machine (its postmaster.pid is readable).
func postgresServer(admin string) (int, error) {
	adb, err := sql.Open("pgx", admin)
	if err != nil {
		return 0, err
	}
	defer adb.Close()
	var dir string
	if err := adb.QueryRow("SHOW data_directory").Scan(&dir); err != nil {
		return 0, err
	}
	b, err := os.ReadFile(filepath.Join(dir, "postmaster.pid"))
	if err != nil {
		return 0, err
	}
	first, _, _ := strings.Cut(string(b), "\n")
	return strconv.Atoi(strings.TrimSpace(first))
}
