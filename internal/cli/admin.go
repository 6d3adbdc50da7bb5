package cli

import (
	"bufio"
	"context"
	"crypto/rand"
	"fenghuo/internal/app/account"
	"fenghuo/internal/auth"
	"fenghuo/internal/fenghuo"
	"flag"
	"fmt"
	"io"
	"math/big"
	"strings"
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

Checks the whole SM3 hash chain of the audit log and names the first entry
that was altered, removed or reordered. --head is the last anchor recorded
earlier (printed by a previous run): with it, a removed tail is caught too.
Exit status 1 when the chain is broken.
`

func runAudit(ctx context.Context, env *Env, args []string) error {
	return subcommands(ctx, env, "audit", args, map[string]func(context.Context, *Env, []string) error{
		"verify": auditVerify,
	}, auditHelp)
}

func auditVerify(ctx context.Context, env *Env, args []string) error {
	var head string
	cfg, pos, err := loadDataConfig(env, "audit verify", "audit verify [--head SEQ:HASH] [--data-dir DIR] [--db URL]", args, func(fs *flag.FlagSet) {
		fs.StringVar(&head, "head", "", "the last anchor `SEQ:HASH` recorded earlier")
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
		fmt.Fprintf(env.Stdout, "BROKEN at entry %d (%s): %s\n%s\n", res.Problem.Seq, res.Problem.Kind, res.Problem.Message, res.Problem.MessageZH)
		return fmt.Errorf("the audit chain is broken at entry %d", res.Problem.Seq)
	}
	fmt.Fprintf(env.Stdout, "OK: %d entries, chain intact. Last anchor (keep it for --head next time): %s\n", res.Checked, res.Last)
	return nil
}
