package store

import (
	"context"
	"testing"
)

// On PostgreSQL reads are planned for their arguments (a unit's list and a
// province's differ a thousandfold), writes keep their cached plans.
func TestPostgresReadsArePlannedForTheirArguments(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		if db.Engine() != Postgres {
			t.Skip("PostgreSQL's plan cache")
		}
		ctx := context.Background()
		mode := func(fn func(func(*Tx) error) error) string {
			var m string
			if err := fn(func(tx *Tx) error { return tx.c.queryRow(ctx, "SHOW plan_cache_mode").Scan(&m) }); err != nil {
				t.Fatal(err)
			}
			return m
		}
		view := func(f func(*Tx) error) error { return db.View(ctx, f) }
		write := func(f func(*Tx) error) error { return db.WithTx(ctx, f) }
		if got := mode(view); got != "force_custom_plan" {
			t.Errorf("read transaction: plan_cache_mode %q, want force_custom_plan", got)
		}
		if got := mode(write); got != "auto" {
			t.Errorf("write transaction: plan_cache_mode %q, want auto", got)
		}
	})
}
