// Package cli implements the fenghuo subcommands.
package cli

import (
	"context"
	"errors"
	"fenghuo/internal/phrase"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"fenghuo/internal/fenghuo"
)

// Exit statuses.
const (
	exitOK      = 0
	exitFailure = 1
	// exitUsage is for usage and validation errors: the input is wrong,
	// not the system.
	exitUsage = 2
)

// Env is what a command may touch of the outside world.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
}

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env *Env, args []string) error
}

func commands() []command {
	return []command{
		{"serve", "run the console, the API and the schedulers", runServe},
		{"plan", "list, show, check, diff and export emergency plans", runPlan},
		{"checklist", "list, show and check inspection checklists", runChecklist},
		{"grade", "grade incident facts under a plan", runGrade},
		{"workdays", "working-day arithmetic on the State Council calendar", runWorkdays},
		{"ioc", "match indicators of compromise (STIX 2.1, MISP) against events", runIOC},
		{"webcheck", "check web pages for tampering, hidden links and cloaking", runWebcheck},
		{"probe", "run a remote monitoring probe, or register one", runProbe},
		{"sigma", "check Sigma detection rules against events offline", runSigma},
		{"user", "create accounts (the first administrator comes from here)", runUser},
		{"audit", "verify the SM3 hash chain of the audit log", runAudit},
		{"verify", "check the SM2 signature of an exported document: who signed, whether changed", runVerify},
		{"backup", "write a consistent online copy of the database", runBackup},
		{"restore", "restore a backup into an empty database", runRestore},
		{"version", "print the version", runVersion},
	}
}

// Run runs the command line and returns the process exit status.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	env := &Env{Stdin: stdin, Stdout: stdout, Stderr: stderr, Getenv: os.Getenv}
	return run(ctx, env, args)
}

func run(ctx context.Context, env *Env, args []string) int {
	if len(args) > 0 && (args[0] == "--version" || args[0] == "-version") {
		args = []string{"version"}
	}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		if len(args) > 1 && args[0] == "help" {
			return run(ctx, env, []string{args[1], "--help"})
		}
		mainUsage(env.Stdout)
		return exitOK
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return exitStatus(env, c.name, c.run(ctx, env, args[1:]))
		}
	}
	fmt.Fprintf(env.Stderr, "fenghuo: unknown command %q\n\n", args[0])
	mainUsage(env.Stderr)
	return exitUsage
}

func mainUsage(w io.Writer) {
	fmt.Fprintln(w, "fenghuo — the cybersecurity incident emergency plan platform (烽火)")
	fmt.Fprintln(w, "\nUsage: fenghuo COMMAND [options]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'fenghuo COMMAND --help' for the options of a command.")
}

// lang is the language of the messages the command line prints: Chinese
// when the locale (LC_ALL, LC_MESSAGES, LANG, in POSIX order) is Chinese,
// English otherwise, like the usage text. The application writes its
// messages in both languages; a terminal shows one.
func (env *Env) lang() string {
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := env.Getenv(k); v != "" {
			if strings.HasPrefix(strings.ToLower(v), "zh") {
				return phrase.ZH
			}
			return phrase.EN
		}
	}
	return phrase.EN
}

// usageError is wrong use of the command line.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// exitStatus prints err and maps it to an exit status: 2 for usage and
// validation errors, 1 for everything else.
func exitStatus(env *Env, name string, err error) int {
	if err == nil {
		return exitOK
	}
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	var ue *usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(env.Stderr, "fenghuo %s: %s\nRun 'fenghuo %s --help' for usage.\n", name, ue.msg, name)
		return exitUsage
	}
	fmt.Fprintf(env.Stderr, "fenghuo %s: %s\n", name, phrase.InLang(err.Error(), env.lang()))
	switch fenghuo.ErrorCode(err) {
	case fenghuo.EINVALID, fenghuo.ENOTFOUND:
		return exitUsage
	}
	return exitFailure
}

// newFlags returns a flag set that prints its usage to stdout on --help and
// reports parse errors as usage errors.
func newFlags(env *Env, name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet("fenghuo "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {
		fs.SetOutput(env.Stdout)
		fmt.Fprintf(env.Stdout, "Usage: fenghuo %s\n", usage)
		var hasFlags bool
		fs.VisitAll(func(*flag.Flag) { hasFlags = true })
		if hasFlags {
			fmt.Fprintln(env.Stdout, "\nOptions:")
			fs.PrintDefaults()
		}
		fs.SetOutput(io.Discard)
	}
	return fs
}

// parseFlags parses args, turning flag errors into usage errors. Flags may
// come before or after positional arguments.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err // fs.Parse has printed the usage
			}
			return nil, usagef("%s", strings.TrimPrefix(err.Error(), "flag provided but not defined: "))
		}
		args = fs.Args()
		if len(args) == 0 {
			return positional, nil
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
}

// subcommands dispatches "fenghuo NAME SUB …".
func subcommands(ctx context.Context, env *Env, name string, args []string, subs map[string]func(context.Context, *Env, []string) error, help string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(env.Stdout, help)
		if len(args) == 0 {
			return usagef("missing subcommand")
		}
		return nil
	}
	run, ok := subs[args[0]]
	if !ok {
		names := make([]string, 0, len(subs))
		for k := range subs {
			names = append(names, k)
		}
		sort.Strings(names)
		return usagef("unknown subcommand %q: use one of %s", args[0], strings.Join(names, ", "))
	}
	return run(ctx, env, args[1:])
}

func runVersion(_ context.Context, env *Env, args []string) error {
	fs := newFlags(env, "version", "version")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "fenghuo %s\n", version())
	return nil
}
