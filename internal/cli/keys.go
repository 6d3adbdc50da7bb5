package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/term"

	"fenghuo/internal/app"
	"fenghuo/internal/audit"
	"fenghuo/internal/auth"
	"fenghuo/internal/config"
	"fenghuo/internal/durable"
	"fenghuo/internal/keyfile"
	"fenghuo/internal/store"
)

// serverKey is one of the key files in DATA_DIR/keys.
type serverKey struct {
	file string // name in the keys directory
	size int
	what string
	// optional: created by the server when first needed, not for every
	// database (the audit-signing key comes with the first archive), so a
	// backup carries it and a restore installs it only when it exists.
	optional bool
}

var serverKeys = []serverKey{
	{"audit.key", audit.KeySize, "audit", false},
	{"sealer.key", auth.SealerKeySize, "sealer", false},
	{signingKeyFile, audit.SigningKeySize, "audit signing", true},
}

// keyDir is where the data directory keeps its keys, as an absolute path so
// that messages name a file a person can find.
func keyDir(cfg config.Config) string {
	dir := cfg.Path("keys")
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	return dir
}

// loadKeys reads the server's keys for db, keyed by file name. It creates
// them only when db is new (no audit entries, no sealed secrets); for any
// other database a missing key file is refused with the file named.
func loadKeys(ctx context.Context, cfg config.Config, db *store.DB) (map[string][]byte, error) {
	use, err := db.KeyUse(ctx)
	if err != nil {
		return nil, err
	}
	dir := keyDir(cfg)
	keys := map[string][]byte{}
	var missing []string
	for _, k := range serverKeys {
		if k.optional {
			continue // auditKeeping loads it
		}
		path := filepath.Join(dir, k.file)
		var key []byte
		if use.New() {
			key, err = keyfile.LoadOrCreate(path, k.size, k.what)
		} else {
			key, err = keyfile.Load(path, k.size, k.what)
		}
		if errors.Is(err, fs.ErrNotExist) {
			missing = append(missing, path)
			continue
		}
		if err != nil {
			return nil, err
		}
		keys[k.file] = key
	}
	if len(missing) > 0 {
		return nil, missingKeysError(missing, fmt.Sprintf("the database (%s) holds %d audit entries and %d sealed secrets that need the keys",
			db.Engine(), use.AuditEntries, use.SealedSecrets))
	}
	return keys, nil
}

// signingKeyFile is the audit-signing key's file in the keys directory; its
// public key is written beside it (audit-signing.pub).
const signingKeyFile = "audit-signing.key"

// auditKeeping builds the audit log's keeping settings from cfg. The
// audit-signing key is created with the first archive; once the database
// records archives, a missing key file is refused here, as the other keys
// are.
func auditKeeping(ctx context.Context, cfg config.Config, db *store.DB) (app.AuditKeeping, error) {
	k := app.AuditKeeping{Retention: time.Duration(cfg.AuditRetentionDays) * 24 * time.Hour, ArchiveDir: cfg.AuditArchivePath(),
		SigningKeyFile: filepath.Join(keyDir(cfg), signingKeyFile), AnchorFile: cfg.AuditAnchorPath(), AnchorSyslog: cfg.AuditAnchorSyslog,
		AnchorInterval: cfg.AuditAnchorInterval}
	use, err := db.KeyUse(ctx)
	if err != nil {
		return k, err
	}
	if use.AuditArchives == 0 {
		return k, nil
	}
	if k.Signer, err = audit.LoadSigningKey(k.SigningKeyFile); errors.Is(err, fs.ErrNotExist) {
		return k, missingKeysError([]string{k.SigningKeyFile}, fmt.Sprintf("the database (%s) records %d archives of audit entries signed with it", db.Engine(), use.AuditArchives))
	}
	return k, err
}

// missingKeysError says which key files are missing and how to supply
// them. why says what needs them.
func missingKeysError(missing []string, why string) error {
	noun, it := "key file "+missing[0]+" is", "it"
	if len(missing) > 1 {
		noun, it = "key files "+strings.Join(missing, " and ")+" are", "them"
	}
	return fmt.Errorf("%s missing, but %s.\n"+
		"No new key is created: it would make the audit chain look tampered with and sealed secrets (TOTP, webhook secrets) unreadable.\n"+
		"To supply %s, copy %s from the backup's keys to %s (chmod 600), or restore with --keys DIR (or from a backup made with --include-keys).\n"+
		"密钥文件缺失：请从备份的密钥中复制到上述路径，或以 --keys 目录 恢复。",
		noun, why, it, it, strings.Join(missing, " and "))
}

// backupPassphrase reads the passphrase that seals keys in a backup: from
// FENGHUO_BACKUP_PASSPHRASE, or asked on the terminal (twice when confirm,
// so a typo does not make a backup nobody can open).
func backupPassphrase(env *Env, confirm bool) (string, error) {
	if p := env.Getenv("FENGHUO_BACKUP_PASSPHRASE"); p != "" {
		return p, nil
	}
	f, ok := env.Stdin.(*os.File)
	if ok && !term.IsTerminal(int(f.Fd())) {
		return "", usagef("set FENGHUO_BACKUP_PASSPHRASE (standard input is not a terminal to ask on)")
	}
	in := bufio.NewReader(env.Stdin)
	ask := func(prompt string) (string, error) {
		fmt.Fprint(env.Stderr, prompt)
		if ok {
			// A terminal: read without echo, as passwd and ssh do.
			b, err := term.ReadPassword(int(f.Fd()))
			fmt.Fprintln(env.Stderr)
			if err != nil || len(b) == 0 {
				return "", usagef("no passphrase given: set FENGHUO_BACKUP_PASSPHRASE or type it when asked")
			}
			return string(b), nil
		}
		line, err := in.ReadString('\n')
		if err != nil && (err != io.EOF || line == "") {
			return "", usagef("no passphrase given: set FENGHUO_BACKUP_PASSPHRASE or type it when asked")
		}
		return strings.TrimRight(line, "\r\n"), nil
	}
	p, err := ask("Backup passphrase (not shown as you type; at least 12 characters): ")
	if err != nil || !confirm {
		return p, err
	}
	again, err := ask("Once more: ")
	if err != nil {
		return "", err
	}
	if again != p {
		return "", usagef("the two passphrases differ")
	}
	return p, nil
}

// installKeys writes the keys missing from the data directory. It returns
// the files it created, so that a failed restore can take them away again.
func installKeys(cfg config.Config, keys map[string][]byte) ([]string, error) {
	dir := keyDir(cfg)
	var created []string
	for _, k := range serverKeys {
		key, ok := keys[k.file]
		if !ok {
			continue
		}
		path := filepath.Join(dir, k.file)
		made, err := keyfile.Install(path, key, k.what)
		if err != nil {
			removeKeys(created)
			return nil, err
		}
		if made {
			created = append(created, path)
		}
	}
	return created, nil
}

func removeKeys(paths []string) {
	for _, p := range paths {
		os.Remove(p)
	}
	if len(paths) > 0 {
		durable.SyncDir(filepath.Dir(paths[0]))
	}
}
