// Package benchdb gives a benchmark a PostgreSQL database of its own on
// the server its admin URL names (FENGHUO_TEST_POSTGRES), dropped after.
package benchdb

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, as the store uses
)

// New creates an empty database named prefix plus random hex digits (the
// prefix is the caller's constant, never input) and returns its URL and a
// function that drops it.
func New(admin, prefix string) (dsn string, drop func(), err error) {
	u, err := url.Parse(admin)
	if err != nil {
		return "", nil, fmt.Errorf("FENGHUO_TEST_POSTGRES: %w", err)
	}
	var b [6]byte
	rand.Read(b[:])
	name := prefix + hex.EncodeToString(b[:])
	adb, err := sql.Open("pgx", admin)
	if err != nil {
		return "", nil, err
	}
	if _, err := adb.Exec("CREATE DATABASE " + name); err != nil {
		adb.Close()
		return "", nil, fmt.Errorf("create the benchmark database: %w", err)
	}
	u.Path = "/" + name
	return u.String(), func() {
		adb.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
		adb.Close()
	}, nil
}
