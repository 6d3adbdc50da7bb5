package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"fenghuo/internal/fenghuo"
	"fenghuo/internal/ingest/sigma"
)

const sigmaHelp = `Usage: fenghuo sigma SUBCOMMAND [options]

Subcommands:
  check [--builtin] RULES_DIR EVENTS.jsonl
                    load the Sigma rules (*.yml, *.yaml; detection and correlation rules) under
                    RULES_DIR and run them over the events, one JSON object a line (nested objects
                    are read as dotted ECS names, @timestamp as the event time); prints one JSON
                    line per match: {"event":N,"rule_id":"…","title":"…","level":"…"} where N is
                    the event's line number, from 1. --builtin adds the built-in rule sets.
  list              the built-in rule sets and their rule counts

Exit status: 0 when the run completed (with or without matches); 2 when a rule or an event line
is wrong (each rule problem is printed as FILE:LINE: message) or the command line is; 1 when a
file cannot be read.
`

func runSigma(ctx context.Context, env *Env, args []string) error {
	return subcommands(ctx, env, "sigma", args, map[string]func(context.Context, *Env, []string) error{
		"check": sigmaCheck,
		"list":  sigmaList,
	}, sigmaHelp)
}

func sigmaCheck(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "sigma check", "sigma check [--builtin] RULES_DIR EVENTS.jsonl")
	builtin := fs.Bool("builtin", false, "also run the built-in rule sets (mail, egress, ids)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return usagef("give a rules directory and an events file")
	}
	dir, events := pos[0], pos[1]
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return usagef("%s is not a directory of rules", dir)
	}
	set, err := sigma.LoadDir(os.DirFS(dir), ".", filepath.Base(dir))
	if err != nil {
		var rerr *sigma.Error
		if errors.As(err, &rerr) {
			// Name the files as the person typed the directory.
			return fenghuo.Errorf(fenghuo.EINVALID, "rules are invalid:\n%s", prefixFiles(err, dir))
		}
		return err
	}
	sets := []*sigma.RuleSet{set}
	if *builtin {
		b, err := sigma.Builtin()
		if err != nil {
			return err
		}
		sets = append(sets, b...)
	}
	engine, err := sigma.NewEngine(func(int64, string) bool { return true }, sets...)
	if err != nil {
		return err
	}
	f, err := os.Open(events)
	if err != nil {
		return err
	}
	defer f.Close()
	enc := json.NewEncoder(env.Stdout)
	enc.SetEscapeHTML(false)
	err = sigma.CheckEvents(ctx, engine, f, time.Now(), func(m sigma.CheckMatch) error { return enc.Encode(m) })
	if err != nil {
		return fenghuo.Errorf(fenghuo.EINVALID, "%s: %v", events, err)
	}
	return nil
}

// prefixFiles rewrites each rule error's file to its path under dir.
func prefixFiles(err error, dir string) string {
	var out string
	var walk func(error)
	walk = func(err error) {
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range j.Unwrap() {
				walk(e)
			}
			return
		}
		var rerr *sigma.Error
		if errors.As(err, &rerr) {
			c := *rerr
			c.File = filepath.Join(dir, c.File)
			out += c.Error() + "\n"
			return
		}
		out += err.Error() + "\n"
	}
	walk(err)
	return out
}

func sigmaList(_ context.Context, env *Env, args []string) error {
	fs := newFlags(env, "sigma list", "sigma list")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	sets, err := sigma.Builtin()
	if err != nil {
		return err
	}
	for _, s := range sets {
		fmt.Fprintf(env.Stdout, "%-8s %3d rules\n", s.Name, s.Count())
	}
	return nil
}
