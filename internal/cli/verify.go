package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"fenghuo/internal/app"
	"fenghuo/internal/app/signing"
	"fenghuo/internal/config"
	"fenghuo/internal/docsign"
	"fenghuo/internal/store"
)

const verifyUsage = "verify FILE [--keys TRUST.json] [--data-dir DIR | --db URL]"

const verifyHelp = `
Checks the SM2 signature a DOCX, XLSX or PDF exported by Fenghuo carries:
who signed it (the office and its key) and whether it was changed since.
Exit status 0: signed and unchanged; 1: the named failure (not signed,
content changed, signature invalid, key unknown, revoked or rotated out,
unreadable); 2: wrong use.

The signer's key is checked against the published keys in --keys (the
trust file the console's signing-keys page downloads), or against the keys
in the database of --data-dir or --db; with neither, the key in the file
itself is used and the result says the key was not checked.
`

// verifyFailed is a verification that found a named failure (exit 1).
type verifyFailed struct{ msg string }

func (e *verifyFailed) Error() string { return e.msg }

func runVerify(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "verify", verifyUsage+"\n"+strings.TrimRight(verifyHelp, "\n"))
	var scratch config.Config
	file := config.BindOnly(fs, &scratch, "data_dir", "db")
	var keys string
	fs.StringVar(&keys, "keys", "", "a trust file of published keys (`TRUST.json`)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("name one file to verify")
	}
	fromDB := false
	fs.Visit(func(f *flag.Flag) { fromDB = fromDB || f.Name == "data-dir" || f.Name == "db" })
	if fromDB && keys != "" {
		return usagef("give --keys or --data-dir/--db, not both")
	}
	data, err := readDocument(pos[0])
	if err != nil {
		return err
	}
	var trust *docsign.TrustList
	switch {
	case keys != "":
		f, err := os.Open(keys)
		if err != nil {
			return usagef("%v", err)
		}
		trust, err = docsign.ReadTrustList(f)
		f.Close()
		if err != nil {
			return usagef("%s: %v", keys, err)
		}
	case fromDB:
		cfg, err := config.Load(fs, *file, env.Getenv)
		if err != nil {
			return err
		}
		if trust, err = trustFromDatabase(ctx, cfg); err != nil {
			return err
		}
	}
	r := docsign.VerifyFile(data, trust)
	if !r.Good() {
		return &verifyFailed{msg: pos[0] + ": " + r.Reason(env.lang())}
	}
	fmt.Fprintf(env.Stdout, "%s: %s\n", pos[0], r.Reason(env.lang()))
	return nil
}

// readDocument reads the file to verify, refusing what no export can be.
func readDocument(path string) ([]byte, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, usagef("%s: no such file", path)
	}
	if err != nil {
		return nil, usagef("%v", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, signing.MaxDocument+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(data) > signing.MaxDocument {
		return nil, usagef("%s is over %d MB: no export is that large", path, signing.MaxDocument>>20)
	}
	return data, nil
}

// trustFromDatabase reads every office's keys from the database.
func trustFromDatabase(ctx context.Context, cfg config.Config) (*docsign.TrustList, error) {
	if cfg.DB == "" {
		// Opening a missing SQLite file would create an empty database
		// that trusts nothing: say what is wrong instead.
		if _, err := os.Stat(cfg.DBURL()); err != nil {
			return nil, usagef("no database at %s: give the server's --data-dir (or --db)", cfg.DBURL())
		}
	}
	db, err := store.Open(ctx, cfg.DBURL())
	if err != nil {
		return nil, err
	}
	defer db.Close()
	var trust *docsign.TrustList
	err = db.View(ctx, func(tx *store.Tx) error {
		trust, err = app.TrustFromStore(ctx, tx, nil)
		return err
	})
	return trust, err
}
