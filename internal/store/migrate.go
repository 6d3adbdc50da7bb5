package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"

	"fenghuo/internal/fenghuo"
)

// Migrations are numbered files "NNNN_name.sql", applied in order, each in
// its own transaction together with its schema_migrations row, so a failed
// migration leaves the schema as it was. A released file is never edited.
// Where the engines cannot share DDL, "NNNN_name.sqlite.sql" and
// "NNNN_name.postgres.sql" replace the shared file for one engine each.
//
//go:embed migrations/*.sql
var migrationFS embed.FS

type migration struct {
	version int
	name    string
	file    string
}

// migrations returns the migrations for engine e in version order.
func migrations(e Engine) ([]migration, error) {
	files, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	shared, specific := map[int]migration{}, map[int]migration{}
	for _, f := range files {
		base := strings.TrimSuffix(path.Base(f), ".sql")
		into := shared
		if i := strings.LastIndexByte(base, '.'); i >= 0 {
			engine := Engine(base[i+1:])
			if engine != SQLite && engine != Postgres {
				return nil, fmt.Errorf("store: migration %s names unknown engine %q", f, engine)
			}
			if engine != e {
				continue
			}
			base, into = base[:i], specific
		}
		num, name, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("store: migration file %s is not named NNNN_name.sql", f)
		}
		if _, dup := into[v]; dup {
			return nil, fmt.Errorf("store: two migrations numbered %d", v)
		}
		into[v] = migration{version: v, name: name, file: f}
	}
	for v, m := range specific {
		shared[v] = m
	}
	var list []migration
	for _, m := range shared {
		list = append(list, m)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].version < list[j].version })
	return list, nil
}

// LatestSchemaVersion is the version the embedded migrations lead to.
func LatestSchemaVersion() int {
	list, err := migrations(SQLite)
	if err != nil || len(list) == 0 {
		return 0
	}
	return list[len(list)-1].version
}

func (db *DB) migrate(ctx context.Context) error {
	err := db.rawTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version    INTEGER PRIMARY KEY,
			name       TEXT NOT NULL,
			applied_at BIGINT NOT NULL
		)`)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: create schema_migrations: %w", err)
	}
	list, err := migrations(db.d.engine)
	if err != nil {
		return err
	}
	current, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	if latest := list[len(list)-1].version; current > latest {
		return fenghuo.Errorf(fenghuo.EINVALID, "The database is at schema version %d but this program knows only up to %d: run a newer fenghuo. / 数据库版本高于程序版本，请升级程序。", current, latest)
	}
	for _, m := range list {
		if m.version <= current {
			continue
		}
		if err := db.apply(ctx, m); err != nil {
			return err
		}
	}
	return nil
}

func (db *DB) apply(ctx context.Context, m migration) error {
	text, err := migrationFS.ReadFile(m.file)
	if err != nil {
		return err
	}
	return db.applyText(ctx, m, string(text))
}

func (db *DB) applyText(ctx context.Context, m migration, text string) error {
	err := db.rawTx(ctx, func(tx *sql.Tx) error {
		// Another server may have applied it while we waited for the lock.
		var n int
		if err := tx.QueryRowContext(ctx, db.d.rebind("SELECT COUNT(*) FROM schema_migrations WHERE version = ?"), m.version).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
		if _, err := tx.ExecContext(ctx, db.d.ddl(text)); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, db.d.rebind("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)"),
			m.version, m.name, ms(db.now()))
		return err
	})
	if err != nil {
		return fmt.Errorf("store: migration %04d_%s failed, schema left at the previous version: %w", m.version, m.name, err)
	}
	return nil
}

// rawTx runs fn in a writer transaction that holds the migration lock.
func (db *DB) rawTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := db.d.lockMigrations(ctx, tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// SchemaVersion returns the highest migration applied, 0 for none.
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	var v sql.NullInt64
	err := db.read.QueryRowContext(ctx, "SELECT MAX(version) FROM schema_migrations").Scan(&v)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("store: schema version: %w", err)
	}
	return int(v.Int64), nil
}
