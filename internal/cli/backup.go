package cli

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fenghuo/internal/app/account"
	"fenghuo/internal/audit"
	"fenghuo/internal/auth"
	"fenghuo/internal/durable"
	"fenghuo/internal/keyfile"
	"fenghuo/internal/store"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

const backupUsage = `backup FILE [--include-keys] [--data-dir DIR] [--db URL]   (FILE - writes to standard output)

Writes a consistent copy of the database while the server runs. The copy
does not hold the key files DATA_DIR/keys/audit.key and sealer.key, and a
restore without them is refused: keep copies of them with the backup
(sealer.key apart from it: the two together reveal every sealed secret), or
give --include-keys to seal them into the backup under a passphrase, read
from FENGHUO_BACKUP_PASSPHRASE or asked on the terminal; restore asks for
the same passphrase.`

func runBackup(ctx context.Context, env *Env, args []string) error {
	var includeKeys bool
	cfg, pos, err := loadDataConfig(env, "backup", backupUsage, args, func(fs *flag.FlagSet) {
		fs.BoolVar(&includeKeys, "include-keys", false, "seal the key files into the backup under a passphrase (FENGHUO_BACKUP_PASSPHRASE, or asked)")
	})
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("give the backup file")
	}
	var passphrase string
	if includeKeys {
		// Asked before anything is opened: a typo costs nothing.
		if passphrase, err = backupPassphrase(env, true); err != nil {
			return err
		}
		if utf8.RuneCountInString(passphrase) < auth.MinPassphraseLen {
			return usagef("the backup passphrase must have at least %d characters", auth.MinPassphraseLen)
		}
	}
	a, closeApp, err := openApp(ctx, cfg, newLogger(env, cfg))
	if err != nil {
		return err
	}
	defer closeApp()
	var bundle []byte
	if includeKeys {
		keys := map[string][]byte{}
		for _, k := range serverKeys {
			key, err := keyfile.Load(filepath.Join(keyDir(cfg), k.file), k.size, k.what)
			if k.optional && errors.Is(err, fs.ErrNotExist) {
				continue
			}
			if err != nil {
				return err
			}
			keys[k.file] = key
		}
		if bundle, err = auth.SealKeys(passphrase, keys); err != nil {
			return err
		}
	}
	write := func(w io.Writer) error {
		if _, err := w.Write(bundle); err != nil {
			return err
		}
		return a.Core.Backup(ctx, account.CLIActor(), w)
	}
	if pos[0] == "-" {
		err = write(env.Stdout)
	} else {
		// Beside the target, synced and renamed: a failed backup never
		// leaves a truncated file under the name of a good one.
		err = durable.WriteFile(pos[0], 0o600, write)
	}
	if err != nil {
		return err
	}
	where := "backup written to " + pos[0]
	if pos[0] == "-" {
		where = "backup written to standard output"
	}
	if includeKeys {
		fmt.Fprintf(env.Stderr, "%s, with audit.key and sealer.key (and audit-signing.key once archives exist) sealed under the passphrase: keep the passphrase apart from the backup; restore asks for it.\n", where)
		return nil
	}
	dir := keyDir(cfg)
	fmt.Fprintf(env.Stderr, "%s. It does not hold the keys: keep copies of %s and %s with it "+
		"(sealer.key apart from it; the two together reveal the sealed secrets), or use --include-keys. "+
		"A restore without them is refused.\n", where, filepath.Join(dir, "audit.key"), filepath.Join(dir, "sealer.key"))
	return nil
}

const restoreUsage = `restore FILE [--keys DIR] [--data-dir DIR] [--db URL]

Restores a backup into an empty database: a new data directory, or a new
PostgreSQL database with --db. The key files of the server the backup came
from come too: already in DATA_DIR/keys, copied from --keys DIR (that
server's keys directory), or sealed in a backup made with --include-keys
(the passphrase from FENGHUO_BACKUP_PASSPHRASE, or asked). Without them
nothing is restored and no key is written. The audit chain is verified
with the keys once the rows are in.`

func runRestore(ctx context.Context, env *Env, args []string) error {
	var keysFrom string
	cfg, pos, err := loadDataConfig(env, "restore", restoreUsage, args, func(fs *flag.FlagSet) {
		fs.StringVar(&keysFrom, "keys", "", "`DIR` holding audit.key and sealer.key of the server the backup came from")
	})
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("give the backup file")
	}
	f, err := os.Open(pos[0])
	if err != nil {
		return usagef("cannot read the backup: %v", err)
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 64<<10)
	var bundle []byte
	if head, _ := br.Peek(len(auth.KeyBundlePrefix)); string(head) == auth.KeyBundlePrefix {
		line, err := br.ReadSlice('\n')
		if err != nil {
			return usagef("the keys at the start of %s are damaged", pos[0])
		}
		bundle = bytes.Clone(line)
	}
	keys, err := restoreKeys(env, keyDir(cfg), keysFrom, bundle)
	if err != nil {
		return err
	}
	// Only now, with the keys in hand, is anything created.
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return fmt.Errorf("data directory: %w", err)
	}
	db, err := store.Open(ctx, cfg.DBURL())
	if err != nil {
		return err
	}
	defer db.Close()
	created, err := installKeys(cfg, keys)
	if err != nil {
		return err
	}
	auditPath := filepath.Join(keyDir(cfg), "audit.key")
	auditKey, err := keyfile.Load(auditPath, audit.KeySize, "audit")
	if err != nil {
		removeKeys(created)
		return err
	}
	chain, err := audit.NewChain(auditKey)
	if err != nil {
		removeKeys(created)
		return err
	}
	// Before the restore commits: the audit key must open the first entry,
	// or the key is another server's and every entry would look altered.
	firstEntryOpens := func(ctx context.Context, tx *store.Tx) error {
		e, ok, err := tx.FirstAuditEntry(ctx)
		if err != nil || !ok {
			return err
		}
		// After archiving, the database's chain starts at its checkpoint.
		cp, err := tx.AuditCheckpoint(ctx)
		if err != nil {
			return err
		}
		res, err := chain.Verify(func(yield func(audit.Entry, error) bool) { yield(e, nil) }, audit.VerifyOptions{After: cp})
		if err != nil {
			return err
		}
		if !res.OK {
			return fmt.Errorf("nothing restored: the audit key %s is not the one of the server that made the backup (entry 1 does not verify with it); "+
				"give that server's keys with --keys DIR, or move %s away and use a backup made with --include-keys", auditPath, keyDir(cfg))
		}
		return nil
	}
	if err := db.RestoreChecked(ctx, br, firstEntryOpens); err != nil {
		removeKeys(created)
		return err
	}
	var cp audit.Anchor
	if err := db.View(ctx, func(tx *store.Tx) error { cp, err = tx.AuditCheckpoint(ctx); return err }); err != nil {
		return err
	}
	res, err := chain.Verify(db.AuditIterAfter(ctx, cp.Seq), audit.VerifyOptions{After: cp})
	if err != nil {
		return err
	}
	if !res.OK {
		return fmt.Errorf("restored %s into %s, but the audit chain does not verify with %s: BROKEN at entry %d (%s). "+
			"At entry 1 this means the key is not the one of the server the backup came from: put that server's audit.key in its place and run fenghuo audit verify",
			pos[0], db.Engine(), auditPath, res.Problem.Seq, res.Problem.Kind)
	}
	fmt.Fprintf(env.Stdout, "restored %s into %s; audit chain verified (%d entries, last anchor %s)\n", pos[0], db.Engine(), res.Checked, res.Last)
	return nil
}

// restoreKeys gathers, before anything is written, the keys a restore must
// install in dir: those missing from it, from keysFrom or the backup's
// sealed bundle. With keysFrom every key is taken from there (and must agree
// with any already in dir). It refuses, naming the files, when a key can be
// found nowhere.
func restoreKeys(env *Env, dir, keysFrom string, bundle []byte) (map[string][]byte, error) {
	keys := map[string][]byte{}
	var missing, optional []serverKey // optional: absent here, taken when given
	for _, k := range serverKeys {
		_, err := keyfile.Load(filepath.Join(dir, k.file), k.size, k.what)
		if errors.Is(err, fs.ErrNotExist) {
			if k.optional {
				optional = append(optional, k)
				continue
			}
			missing = append(missing, k)
		} else if err != nil {
			return nil, err
		}
	}
	switch {
	case keysFrom != "":
		for _, k := range serverKeys {
			path := filepath.Join(keysFrom, k.file)
			key, err := keyfile.Load(path, k.size, k.what)
			if k.optional && errors.Is(err, fs.ErrNotExist) {
				continue
			}
			if errors.Is(err, fs.ErrNotExist) {
				return nil, usagef("--keys %s has no %s: give the keys directory of the server the backup came from", keysFrom, k.file)
			}
			if err != nil {
				return nil, err
			}
			keys[k.file] = key
		}
		return keys, nil
	case (len(missing) > 0 || len(optional) > 0) && bundle != nil:
		files, _ := auth.KeyBundleFiles(bundle)
		fmt.Fprintf(env.Stderr, "The backup holds sealed keys (%s).\n", strings.Join(files, ", "))
		passphrase, err := backupPassphrase(env, false)
		if err != nil {
			return nil, err
		}
		opened, err := auth.OpenKeys(bundle, passphrase)
		if err != nil {
			return nil, err
		}
		for _, k := range append(missing, optional...) {
			if key, ok := opened[k.file]; ok && len(key) == k.size {
				keys[k.file] = key
			}
		}
	case len(missing) == 0 && bundle != nil:
		fmt.Fprintf(env.Stderr, "Using the keys already in %s, not those sealed in the backup.\n", dir)
	}
	var paths []string
	for _, k := range missing {
		if keys[k.file] == nil {
			paths = append(paths, filepath.Join(dir, k.file))
		}
	}
	if len(paths) > 0 {
		return nil, fmt.Errorf("nothing restored: %w", missingKeysError(paths, "the audit entries and sealed secrets in a backup need the keys of the server that made it"))
	}
	return keys, nil
}
