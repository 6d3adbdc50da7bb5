package store

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"fenghuo/internal/fenghuo"
)

// Backups. SQLite: VACUUM INTO a temporary file — a consistent copy taken
// in a read transaction while writes go on — streamed out as it is, an
// ordinary SQLite database. PostgreSQL: every table read in one REPEATABLE
// READ, READ ONLY transaction and written as gzip'd JSON lines:
//
//	{"format":"fenghuo-backup","version":1,"schema_version":1,"engine":"postgres","created_at":"…"}
//	{"table":"orgs","columns":["id","parent_id",…]}
//	[1,null,"/1/",…]                                     one line per row
//	…
//	{"end":true,"rows":1234}
//
// Restore reads either form into an empty database of either engine: rows
// are copied by column name, and every column is an integer or text.

// backupTable is a table that backups carry, in an order that satisfies the
// foreign keys on restore (parents first; orgs by depth).
type backupTable struct {
	name, order string
	identity    bool // has an identity "id" column whose sequence Restore resets
}

var backupTables = []backupTable{
	{"settings", "key", false},
	{"orgs", "length(path), id", true},
	{"systems", "id", true},
	{"system_exposures", "system_id, position", false},
	{"system_components", "system_id, position", false},
	{"users", "id", true},
	{"api_tokens", "id", true},
	{"incidents", "id", true},
	{"incident_systems", "incident_id, system_id", false},
	{"incident_grades", "id", true},
	{"reports", "id", true},
	{"report_deliveries", "id", true},
	{"obligations", "id", true},
	{"timeline", "incident_id, seq", false},
	{"evidence", "id", true},
	{"notifications", "id", true},
	{"jobs", "id", true},
	{"monitors", "id", true},
	{"monitor_baselines", "monitor_id", false}, // baselines apart from their monitors' rows (0041)
	{"monitor_results", "id", true},
	{"monitor_alerts", "id", true},
	{"probes", "id", true},
	{"probe_results", "id", true},
	{"warnings", "id", true},
	{"warning_targets", "id", true},
	{"warning_changes", "id", true},
	{"periods", "id", true},
	{"period_units", "period_id, org_id", false},
	{"daily_reports", "id", true},
	{"duty_shifts", "id", true},
	{"duty_log", "id", true},
	{"channels", "id", true},
	{"deliveries_log", "id", true},
	{"response_activations", "id", true},
	{"command_members", "id", true},
	{"response_switches", "id", true},
	{"end_notice_recipients", "id", true},
	{"response_duties", "id", true},    // response levels (R1)
	{"response_approvals", "id", true}, // response levels (R1)
	{"tasks", "id", true},
	{"task_comments", "id", true},
	{"aftermath_documents", "id", true},
	{"aftermath_approvals", "id", true},
	{"improvements", "id", true},
	{"accountability_records", "id", true},
	{"plan_versions", "id", true},
	{"incident_concealment", "incident_id", false},
	{"findings", "id", true},                        // findings ledger (P1)
	{"finding_events", "id", true},                  // findings ledger (P1)
	{"finding_evidence", "id", true},                // findings ledger (P1)
	{"risk_notices", "id", true},                    // risk notices (P3)
	{"risk_notice_targets", "id", true},             // risk notices (P3)
	{"checklist_versions", "id", true},              // inspections (P2)
	{"inspection_campaigns", "id", true},            // inspections (P2)
	{"inspection_targets", "id", true},              // inspections (P2)
	{"inspection_answers", "id", true},              // inspections (P2)
	{"inspection_evidence", "id", true},             // inspection evidence (inspect2)
	{"exposure_runs", "id", true},                   // exposure checks (P4)
	{"exposure_results", "id", true},                // exposure checks (P4)
	{"exposure_schedule", "system_id", false},       // exposure checks (P4)
	{"exposure_probe_work", "id", true},             // exposure checks from probes (0024)
	{"drills", "id", true},                          // drills (P5)
	{"activities", "id", true},                      // training and publicity (P5)
	{"drill_runs", "id", true},                      // drill mode (issue 12 item 6)
	{"drill_tasks", "id", true},                     // drill mode (issue 12 item 6)
	{"drill_task_comments", "id", true},             // drill mode (issue 12 item 6)
	{"period_chases", "id", true},                   // protection-period chases (0027)
	{"intake_sources", "id", true},                  // intake sources (0031, issue 14)
	{"alert_groups", "id", true},                    // alert groups (0031, issue 14)
	{"rule_set_states", "org_id, rule_set", false},  // detection rule sets per org (0032)
	{"custom_rules", "id", true},                    // uploaded Sigma rules (0032)
	{"indicators", "id", true},                      // IOC library (0033)
	{"org_totp_policy", "org_id", false},            // second factor by policy (0034)
	{"recovery_codes", "user_id, code_hash", false}, // second factor by policy (0034)
	{"audit_archives", "last_seq", false},           // archives of old audit entries (0036)
	{"signing_keys", "id", true},                    // SM2 signing keys (0035)
	{"record_signatures", "kind, object_id", false}, // signatures of issued records (0035)
	{"audit_entries", "seq", false},
	{"audit_head", "id", false},
	{"audit_pending", "id", true}, // entries committed, not yet sealed (0040, PostgreSQL)
}

// notBackedUp are tables deliberately left out: sessions and log-in
// throttling are short-lived, and a restored server should make everyone log
// in again; schema_migrations is recreated by Open; leases (0039) name
// processes of the old server.
// incident_scope (from incidents, deliveries and org paths) and
// obligation_counts (from obligations) are derived, and rebuilt by Restore.
var notBackedUp = []string{"sessions", "leases", "login_attempts", "login_sources", "schema_migrations", "incident_scope", "obligation_counts",
	"finding_scope", // findings ledger (P1): derived from findings and org paths
	"live_events",   // the console's change feed (0026): pushed to open pages, pruned after a day
	// Intake events (0031): telemetry kept only for the retention period,
	// in volumes a backup should not carry; the sending tools keep theirs.
	"intake_events", "alert_group_samples",
	"alert_group_scope"} // alert groups (0031): derived from alert_groups and org paths

const backupFormat = "fenghuo-backup"

type backupHeader struct {
	Format        string    `json:"format"`
	Version       int       `json:"version"`
	SchemaVersion int       `json:"schema_version"`
	Engine        Engine    `json:"engine"`
	CreatedAt     time.Time `json:"created_at"`
}

type backupTableLine struct {
	Table   string   `json:"table"`
	Columns []string `json:"columns"`
}

type backupEnd struct {
	End  bool  `json:"end"`
	Rows int64 `json:"rows"`
}

// Backup writes a consistent copy of the database to w while other writes
// continue.
func (db *DB) Backup(ctx context.Context, w io.Writer) error {
	if db.d.engine == SQLite {
		return db.backupSQLite(ctx, w)
	}
	return db.backupJSON(ctx, w)
}

func (db *DB) backupSQLite(ctx context.Context, w io.Writer) error {
	dir, err := os.MkdirTemp(filepath.Dir(db.path), ".fenghuo-backup-")
	if err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	defer os.RemoveAll(dir)
	tmp := filepath.Join(dir, "backup.db")
	// A connection of its own: the read pool is query_only, and borrowing
	// the writer would hold up every write for the length of the copy.
	src, err := sql.Open("sqlite", db.path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	defer src.Close()
	if _, err := src.ExecContext(ctx, "VACUUM INTO ?", tmp); err != nil {
		return fmt.Errorf("store: backup: vacuum into: %w", err)
	}
	f, err := os.Open(tmp)
	if err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	defer f.Close()
	if _, err := io.Copy(w, f); err != nil {
		return fmt.Errorf("store: backup: write: %w", err)
	}
	return nil
}

func (db *DB) backupJSON(ctx context.Context, w io.Writer) error {
	version, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	stx, err := db.read.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	defer stx.Rollback()
	c := conn{q: stx, d: db.d}
	zw := gzip.NewWriter(w)
	enc := json.NewEncoder(zw)
	if err := enc.Encode(backupHeader{Format: backupFormat, Version: 1, SchemaVersion: version, Engine: db.d.engine, CreatedAt: db.now().UTC()}); err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	var total int64
	for _, t := range backupTables {
		n, err := dumpTable(ctx, c, t, enc)
		if err != nil {
			return fmt.Errorf("store: backup %s: %w", t.name, err)
		}
		total += n
	}
	if err := enc.Encode(backupEnd{End: true, Rows: total}); err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	return stx.Commit()
}

// dumpTable writes one table's header line and rows.
func dumpTable(ctx context.Context, c conn, t backupTable, enc *json.Encoder) (int64, error) {
	// Table names and orders come from backupTables, never from input.
	rows, err := c.query(ctx, "SELECT * FROM "+t.name+" ORDER BY "+t.order)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return 0, err
	}
	if err := enc.Encode(backupTableLine{Table: t.name, Columns: cols}); err != nil {
		return 0, err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var n int64
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, err
		}
		for i, v := range vals {
			if b, ok := v.([]byte); ok {
				vals[i] = string(b) // every column is text or integer
			}
		}
		if err := enc.Encode(vals); err != nil {
			return n, err
		}
		n++
	}
	return n, rows.Err()
}

// sqliteMagic opens every SQLite database file.
var sqliteMagic = []byte("SQLite format 3\x00")

// Restore reads a backup written by Backup on either engine into db, which
// must be empty (freshly created and migrated): it refuses otherwise, and
// it refuses a backup of another schema version. Sessions and log-in
// throttling are not carried over. Everything is written in one transaction.
func (db *DB) Restore(ctx context.Context, r io.Reader) error {
	return db.RestoreChecked(ctx, r, nil)
}

// RestoreChecked is Restore with a check that runs in the restore's
// transaction once every row is in: an error from it rolls the restore
// back (fenghuo restore checks there that its audit key opens the chain).
func (db *DB) RestoreChecked(ctx context.Context, r io.Reader, check func(context.Context, *Tx) error) error {
	br := bufio.NewReader(r)
	head, err := br.Peek(len(sqliteMagic))
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("store: restore: %w", err)
	}
	if bytes.Equal(head, sqliteMagic) {
		return db.restoreSQLiteFile(ctx, br, check)
	}
	if len(head) < 2 || head[0] != 0x1f || head[1] != 0x8b {
		return fenghuo.Errorf(fenghuo.EINVALID, "This file is not a Fenghuo backup (neither an SQLite database nor a gzip'd archive). / 不是有效的备份文件。")
	}
	zr, err := gzip.NewReader(br)
	if err != nil {
		return fenghuo.Errorf(fenghuo.EINVALID, "The backup archive is damaged: %v. / 备份文件已损坏。", err)
	}
	return db.restoreJSON(ctx, zr, check)
}

func (db *DB) restoreSQLiteFile(ctx context.Context, r io.Reader, check func(context.Context, *Tx) error) error {
	dir, err := os.MkdirTemp("", "fenghuo-restore-")
	if err != nil {
		return fmt.Errorf("store: restore: %w", err)
	}
	defer os.RemoveAll(dir)
	tmp := filepath.Join(dir, "restore.db")
	f, err := os.Create(tmp)
	if err != nil {
		return fmt.Errorf("store: restore: %w", err)
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return fmt.Errorf("store: restore: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("store: restore: %w", err)
	}
	src, err := sql.Open("sqlite", tmp+"?_pragma=query_only(1)")
	if err != nil {
		return fmt.Errorf("store: restore: %w", err)
	}
	defer src.Close()
	var version sql.NullInt64
	if err := src.QueryRowContext(ctx, "SELECT MAX(version) FROM schema_migrations").Scan(&version); err != nil {
		return fenghuo.Errorf(fenghuo.EINVALID, "The SQLite file is not a Fenghuo database: %v. / 不是有效的备份文件。", err)
	}
	return db.restoreInto(ctx, int(version.Int64), check, func(put func(table string, cols []string, vals []any) error) error {
		sc := conn{q: src, d: dialect{engine: SQLite}}
		for _, t := range backupTables {
			if err := copyTable(ctx, sc, t, put); err != nil {
				return fmt.Errorf("table %s: %w", t.name, err)
			}
		}
		return nil
	})
}

func copyTable(ctx context.Context, src conn, t backupTable, put func(table string, cols []string, vals []any) error) error {
	rows, err := src.query(ctx, "SELECT * FROM "+t.name+" ORDER BY "+t.order)
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		if err := put(t.name, cols, vals); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (db *DB) restoreJSON(ctx context.Context, r io.Reader, check func(context.Context, *Tx) error) error {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	var h backupHeader
	if err := dec.Decode(&h); err != nil || h.Format != backupFormat {
		return fenghuo.Errorf(fenghuo.EINVALID, "This archive is not a Fenghuo backup. / 不是有效的备份文件。")
	}
	if h.Version != 1 {
		return fenghuo.Errorf(fenghuo.EINVALID, "Backup format version %d is newer than this program understands. / 备份格式版本过新。", h.Version)
	}
	return db.restoreInto(ctx, h.SchemaVersion, check, func(put func(table string, cols []string, vals []any) error) error {
		var table string
		var cols []string
		var rows int64
		for {
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				if errors.Is(err, io.EOF) {
					return fenghuo.Errorf(fenghuo.EINVALID, "The backup archive is truncated: it has no end marker. / 备份文件不完整。")
				}
				return fenghuo.Errorf(fenghuo.EINVALID, "The backup archive is damaged: %v. / 备份文件已损坏。", err)
			}
			if len(raw) > 0 && raw[0] == '[' {
				if table == "" {
					return fenghuo.Errorf(fenghuo.EINVALID, "The backup archive has a row before any table. / 备份文件已损坏。")
				}
				var vals []any
				if err := unmarshalNumbers(raw, &vals); err != nil || len(vals) != len(cols) {
					return fenghuo.Errorf(fenghuo.EINVALID, "The backup archive has a damaged row in %s. / 备份文件已损坏。", table)
				}
				for i, v := range vals {
					if n, ok := v.(json.Number); ok {
						iv, err := n.Int64()
						if err != nil {
							return fenghuo.Errorf(fenghuo.EINVALID, "The backup archive has a non-integer number in %s. / 备份文件已损坏。", table)
						}
						vals[i] = iv
					}
				}
				if err := put(table, cols, vals); err != nil {
					return err
				}
				rows++
				continue
			}
			var line struct {
				backupTableLine
				backupEnd
			}
			if err := unmarshalNumbers(raw, &line); err != nil {
				return fenghuo.Errorf(fenghuo.EINVALID, "The backup archive is damaged: %v. / 备份文件已损坏。", err)
			}
			if line.End {
				if line.Rows != rows {
					return fenghuo.Errorf(fenghuo.EINVALID, "The backup archive has %d rows but says %d. / 备份文件不完整。", rows, line.Rows)
				}
				return nil
			}
			table, cols = line.Table, line.Columns
		}
	})
}

func unmarshalNumbers(raw []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	return d.Decode(v)
}

// restoreInto checks that db is empty and at schemaVersion, then runs read,
// which calls put for every row, inside one write transaction.
func (db *DB) restoreInto(ctx context.Context, schemaVersion int, check func(context.Context, *Tx) error, read func(put func(table string, cols []string, vals []any) error) error) error {
	current, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	if schemaVersion != current {
		return fenghuo.Errorf(fenghuo.EINVALID, "The backup has schema version %d but this database has %d: restore it with the Fenghuo release that made it, then upgrade. / 备份的数据库版本与当前版本不一致。", schemaVersion, current)
	}
	return db.WithTx(ctx, func(tx *Tx) error {
		if err := tx.checkEmpty(ctx); err != nil {
			return err
		}
		if _, err := tx.c.exec(ctx, "DELETE FROM audit_head"); err != nil {
			return err
		}
		known := map[string][]string{}
		for _, t := range backupTables {
			cols, err := tx.columns(ctx, t.name)
			if err != nil {
				return err
			}
			known[t.name] = cols
		}
		put := func(table string, cols []string, vals []any) error {
			target, ok := known[table]
			if !ok {
				return fenghuo.Errorf(fenghuo.EINVALID, "The backup has a table %q this database does not know. / 备份包含未知数据表。", table)
			}
			for _, c := range cols {
				if !slices.Contains(target, c) {
					return fenghuo.Errorf(fenghuo.EINVALID, "The backup has a column %s.%s this database does not know. / 备份包含未知字段。", table, c)
				}
			}
			// Names were checked against the live schema just above.
			q := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES (" + placeholders(len(cols)) + ")"
			if _, err := tx.c.exec(ctx, q, vals...); err != nil {
				return fmt.Errorf("store: restore %s: %w", table, err)
			}
			return nil
		}
		if err := read(put); err != nil {
			return err
		}
		var heads int
		if err := tx.c.queryRow(ctx, "SELECT COUNT(*) FROM audit_head").Scan(&heads); err != nil {
			return err
		}
		if heads != 1 {
			return fenghuo.Errorf(fenghuo.EINVALID, "The backup has no audit head row. / 备份缺少审计链头。")
		}
		if check != nil {
			if err := check(ctx, tx); err != nil {
				return err
			}
		}
		for _, t := range backupTables {
			if t.identity {
				if err := tx.c.d.resetIdentity(ctx, tx.c, t.name); err != nil {
					return fmt.Errorf("store: restore %s: %w", t.name, err)
				}
			}
		}
		if _, err := tx.c.exec(ctx, "DELETE FROM incident_scope"); err != nil {
			return err
		}
		if err := tx.rebuildObligationCounts(ctx); err != nil {
			return err
		}
		if err := tx.rebuildFindingScope(ctx); err != nil { // findings ledger (P1)
			return err
		}
		if err := tx.rebuildAlertGroupScope(ctx); err != nil { // alert groups (issue 14)
			return err
		}
		return tx.rebuildScopeRange(ctx, 0, 1<<62)
	})
}

// columns returns the column names of a table in the live schema.
func (tx *Tx) columns(ctx context.Context, table string) ([]string, error) {
	rows, err := tx.c.query(ctx, "SELECT * FROM "+table+" WHERE 1 = 0")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return rows.Columns()
}

// checkEmpty refuses a database that holds any data a restore would mix with.
func (tx *Tx) checkEmpty(ctx context.Context) error {
	for _, t := range backupTables {
		q := "SELECT COUNT(*) FROM " + t.name
		if t.name == "audit_head" {
			q += " WHERE seq <> 0"
		}
		var n int
		if err := tx.c.queryRow(ctx, q).Scan(&n); err != nil {
			return fmt.Errorf("store: restore: %w", err)
		}
		if n > 0 {
			return fenghuo.Errorf(fenghuo.ECONFLICT, "Restore needs an empty database, but table %s already has data: restore into a new database file or a new PostgreSQL database. / 只能恢复到空数据库。", t.name)
		}
	}
	return nil
}
