package cli

import (
	"bufio"
	"context"
	"crypto/rand"
	"flag"
	"fmt"
	"io"
	"math/big"
	"path/filepath"
	"strings"
	"time"

	"fenghuo/internal/app/account"
	"fenghuo/internal/auth"
	"fenghuo/internal/calendar"
	"fenghuo/internal/config"
	"fenghuo/internal/fenghuo"
)

const userHelp = `Usage: fenghuo user create --username NAME [--admin | --role ROLE] [--org ID | --org-name NAME] [--password-stdin]

Creates an account directly in the database of the data directory. On an
empty database it also creates the top organisation (--org-name), which is
how the first administrator comes to exist: there is no default account.
Without --password-stdin a strong password is generated and printed once.
Administrator accounts set up two-factor authentication at first log-in.
`

func runUser(ctx context.Context, env *Env, args []string) error {
	return subcommands(ctx, env, "user", args, map[string]func(context.Context, *Env, []string) error{
		"create": userCreate,
	}, userHelp)
}

func userCreate(ctx context.Context, env *Env, args []string) error {
	var username, role, orgName, level, display string
	var admin, fromStdin bool
	var orgID int64
	cfg, pos, err := loadDataConfig(env, "user create", strings.TrimPrefix(strings.SplitN(userHelp, "\n", 2)[0], "Usage: fenghuo "), args, func(fs *flag.FlagSet) {
		fs.StringVar(&username, "username", "", "user `name` (3–64 letters, digits, . _ - @)")
		fs.StringVar(&display, "display-name", "", "the person's name (default: the user name)")
		fs.BoolVar(&admin, "admin", false, "create a system administrator (same as --role system_admin)")
		fs.StringVar(&role, "role", "", "`role`: system_admin, security_admin, audit_admin, commander, analyst, duty_officer, unit_reporter or viewer")
		fs.Int64Var(&orgID, "org", 0, "`ID` of the account's organisation")
		fs.StringVar(&orgName, "org-name", "", "`name` of the top organisation to create in an empty database")
		fs.StringVar(&level, "org-level", "city", "`level` of that organisation: province, city or county")
		fs.BoolVar(&fromStdin, "password-stdin", false, "read the password from standard input instead of generating one")
	})
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	if username == "" {
		return usagef("--username is required")
	}
	if admin {
		if role != "" && role != string(fenghuo.RoleSystemAdmin) {
			return usagef("--admin and --role %s contradict each other", role)
		}
		role = string(fenghuo.RoleSystemAdmin)
	}
	if !fenghuo.Role(role).Valid() {
		return usagef("give --admin or a valid --role")
	}
	if display == "" {
		display = username
	}
	password := ""
	if fromStdin {
		line, err := bufio.NewReader(env.Stdin).ReadString('\n')
		if err != nil && err != io.EOF {
			return err
		}
		password = strings.TrimRight(line, "\r\n")
	} else {
		password = generatePassword()
	}
	a, closeApp, err := openApp(ctx, cfg, newLogger(env, cfg))
	if err != nil {
		return err
	}
	defer closeApp()
	u := &fenghuo.User{OrgID: orgID, Username: username, DisplayName: display, Roles: []fenghuo.Role{fenghuo.Role(role)}}
	org, err := a.Accounts.CreateAccountFromCLI(ctx, u, password, orgName, fenghuo.OrgLevel(level))
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Created %s (%s) in %s (org %d).\n", u.Username, role, org.Name, org.ID)
	if !fromStdin {
		fmt.Fprintf(env.Stdout, "Password (shown only now): %s\n", password)
	}
	if u.IsAdmin() {
		fmt.Fprintln(env.Stdout, "The account must set up two-factor authentication at its first log-in.")
	}
	return nil
}

// generatePassword makes a random password that the policy accepts.
func generatePassword() string {
	const alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	for {
		var b strings.Builder
		for i := 0; i < 20; i++ {
			if i > 0 && i%5 == 0 {
				b.WriteByte('-')
			}
			n, _ := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
			b.WriteByte(alphabet[n.Int64()])
		}
		if auth.CheckPassword(b.String()) == nil {
			return b.String()
		}
	}
}

const auditHelp = `Usage: fenghuo audit verify [--head SEQ:HASH]
       fenghuo audit archive [--before DATE] [--dir DIR]
       fenghuo audit anchor

verify checks the whole audit log and names the first entry that was
altered, removed or reordered: the signed archives of old entries (each
archive's SM2 signature and chain, and that they join without gaps), the
database's SM3 chain from the last archive on, and every anchor in the
anchor file (audit_anchor_file), whose newest entry the log must still
reach: a database rewritten after an anchor was written is caught. --head
is an anchor recorded by hand earlier, checked besides. Exit status 1 when
the log is broken.

archive writes the entries older than the retention (audit_retention_days,
or --before DATE if earlier) to signed archive files in the archive
directory (audit_archive_dir, or --dir) and removes them from the database;
serve does the same hourly.

anchor writes the chain's head to the anchor file and to syslog
(audit_anchor_syslog) now; serve does it every audit_anchor_interval.
`

func runAudit(ctx context.Context, env *Env, args []string) error {
	return subcommands(ctx, env, "audit", args, map[string]func(context.Context, *Env, []string) error{
		"verify":  auditVerify,
		"archive": auditArchive,
		"anchor":  auditAnchor,
	}, auditHelp)
}

// loadAuditConfig parses the flags of the audit commands: the data
// settings and where the archives and the anchor file are.
func loadAuditConfig(env *Env, name, usage string, args []string, extra func(*flag.FlagSet)) (config.Config, []string, error) {
	return loadConfigOf(env, name, usage, args, config.AuditSettings, extra)
}

func auditVerify(ctx context.Context, env *Env, args []string) error {
	var head string
	cfg, pos, err := loadAuditConfig(env, "audit verify", "audit verify [--head SEQ:HASH] [--data-dir DIR] [--db URL] [--audit-anchor-file FILE] [--audit-archive-dir DIR]", args, func(fs *flag.FlagSet) {
		fs.StringVar(&head, "head", "", "an anchor `SEQ:HASH` recorded by hand earlier")
	})
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	a, closeApp, err := openApp(ctx, cfg, newLogger(env, cfg))
	if err != nil {
		return err
	}
	defer closeApp()
	res, err := a.AuditLog.VerifyAuditFrom(ctx, account.CLIActor(), head)
	if err != nil {
		return err
	}
	if !res.OK {
		where := ""
		if res.Problem.File != "" {
			where = " in archive " + res.Problem.File
		}
		fmt.Fprintf(env.Stdout, "BROKEN at entry %d%s (%s): %s\n%s\n", res.Problem.Seq, where, res.Problem.Kind, res.Problem.Message, res.Problem.MessageZH)
		return fmt.Errorf("the audit log is broken at entry %d", res.Problem.Seq)
	}
	fmt.Fprintf(env.Stdout, "OK: %d entries, chain intact", res.Checked)
	if res.Archives > 0 {
		fmt.Fprintf(env.Stdout, "; %d of them in %d signed archives in %s", res.ArchivedEntries, res.Archives, cfg.AuditArchivePath())
	}
	fmt.Fprintln(env.Stdout, ".")
	if res.Newest != nil {
		fmt.Fprintf(env.Stdout, "Anchors: %d in %s, all matching; the newest, entry %d, written %s.\n", res.Anchors, cfg.AuditAnchorPath(),
			res.Newest.Seq, res.Newest.Time.Format(time.RFC3339))
	} else {
		fmt.Fprintf(env.Stdout, "Anchors: none in %s: a removed tail cannot be detected without one (fenghuo serve writes them).\n", cfg.AuditAnchorPath())
	}
	fmt.Fprintf(env.Stdout, "Last anchor: %s\n", res.Last)
	return nil
}

func auditArchive(ctx context.Context, env *Env, args []string) error {
	var before, dir string
	cfg, pos, err := loadAuditConfig(env, "audit archive", "audit archive [--before DATE] [--dir DIR] [--data-dir DIR] [--db URL] [--audit-retention-days N]", args, func(fs *flag.FlagSet) {
		fs.StringVar(&before, "before", "", "archive only entries before `DATE` (YYYY-MM-DD, Beijing time; never within the retention)")
		fs.StringVar(&dir, "dir", "", "archive `DIR` (overrides audit_archive_dir)")
	})
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	var until time.Time
	if before != "" {
		if until, err = time.ParseInLocation(time.DateOnly, before, calendar.Shanghai); err != nil {
			return usagef("--before %q is not a date such as 2026-01-31", before)
		}
	}
	if dir != "" {
		cfg.AuditArchiveDir = dir
	}
	a, closeApp, err := openApp(ctx, cfg, newLogger(env, cfg))
	if err != nil {
		return err
	}
	defer closeApp()
	run, err := a.AuditLog.Archive(ctx, account.CLIActor(), until)
	if run != nil {
		for _, f := range run.Files {
			fmt.Fprintf(env.Stdout, "archived %s\n", filepath.Join(cfg.AuditArchivePath(), f))
		}
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%d entries before %s archived in %d files and removed from the database.\n", run.Entries, run.Before.Format(time.RFC3339), len(run.Files))
	return nil
}

func auditAnchor(ctx context.Context, env *Env, args []string) error {
	cfg, pos, err := loadAuditConfig(env, "audit anchor", "audit anchor [--data-dir DIR] [--db URL] [--audit-anchor-file FILE] [--audit-anchor-syslog DEST]", args, nil)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	a, closeApp, err := openApp(ctx, cfg, newLogger(env, cfg))
	if err != nil {
		return err
	}
	defer closeApp()
	rec, err := a.AuditLog.WriteAnchor(ctx, true)
	if rec == nil && err == nil {
		fmt.Fprintln(env.Stdout, "The audit log is empty: nothing to anchor.")
		return nil
	}
	if rec != nil && rec.FileError == "" {
		fmt.Fprintf(env.Stdout, "anchored %d:%s in %s\n", rec.Seq, rec.Hash, rec.File)
	}
	if rec != nil && rec.Syslog != "" && rec.SyslogError == "" {
		fmt.Fprintf(env.Stdout, "anchored %d:%s to syslog %s\n", rec.Seq, rec.Hash, rec.Syslog)
	}
	return err
}
