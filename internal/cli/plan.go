package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"fenghuo/internal/plan"
)

const planHelp = `Usage: fenghuo plan SUBCOMMAND [options]

Subcommands:
  list              list the built-in plans and those in --plans-dir
  show ID|FILE      a readable summary: grading, warnings, response levels (who proposes, activates
                    and ends each, what it switches on), reporting, deadlines, playbooks (trigger,
                    steps, owners, due offsets)
  check FILE...     validate plan files; every problem is reported with file, line and key
  diff A B          compare two plans (ids or files) clause by clause, response levels and
                    playbook steps setting by setting
  export ID         write a plan's YAML so a region can copy and edit it

Plans in --plans-dir (default $FENGHUO_PLANS_DIR) are loaded beside the built-in ones.
See docs/plans.md for the format.
`

func runPlan(ctx context.Context, env *Env, args []string) error {
	return subcommands(ctx, env, "plan", args, map[string]func(context.Context, *Env, []string) error{
		"list":   planList,
		"show":   planShow,
		"check":  planCheck,
		"diff":   planDiff,
		"export": planExport,
	}, planHelp)
}

// plansDirFlag adds --plans-dir to fs.
func plansDirFlag(env *Env, fs *flag.FlagSet) *string {
	return fs.String("plans-dir", env.Getenv("FENGHUO_PLANS_DIR"), "`directory` of additional plan files (*.yaml)")
}

// registry returns the built-in plans plus those in dir.
func registry(dir string) (*plan.Registry, error) {
	reg := plan.Builtin()
	if dir != "" {
		if err := reg.LoadDir(dir); err != nil {
			return nil, err
		}
	}
	return reg, nil
}

// resolvePlan reads ref as a plan file when it names one, else looks it up
// by id.
func resolvePlan(reg *plan.Registry, ref string) (*plan.Plan, error) {
	if looksLikeFile(ref) {
		data, err := os.ReadFile(ref)
		if err != nil {
			return nil, usagef("cannot read plan file: %v", err)
		}
		return plan.Parse(ref, data)
	}
	return reg.Get(ref)
}

func looksLikeFile(ref string) bool {
	if strings.ContainsRune(ref, filepath.Separator) || strings.HasSuffix(ref, ".yaml") || strings.HasSuffix(ref, ".yml") {
		return true
	}
	_, err := os.Stat(ref)
	return err == nil
}

func planList(_ context.Context, env *Env, args []string) error {
	fs := newFlags(env, "plan list", "plan list [--plans-dir DIR] [--json]")
	dir := plansDirFlag(env, fs)
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	reg, err := registry(*dir)
	if err != nil {
		return err
	}
	if *asJSON {
		type row struct {
			ID       string `json:"id"`
			Version  string `json:"version"`
			Name     string `json:"name"`
			NameEN   string `json:"name_en,omitempty"`
			Taxonomy string `json:"taxonomy"`
			Builtin  bool   `json:"builtin"`
			File     string `json:"file"`
		}
		var rows []row
		for _, p := range reg.Plans() {
			rows = append(rows, row{p.ID, p.FullVersion(), p.Name.ZH, p.Name.EN, p.ResolvedTaxonomy().ID, reg.IsBuiltin(p.ID), p.File})
		}
		return writeJSON(env, rows)
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tVERSION\tTAXONOMY\tNAME")
	for _, p := range reg.Plans() {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", p.ID, p.FullVersion(), p.ResolvedTaxonomy().ID, p.Name.ZH)
	}
	return tw.Flush()
}

func planShow(_ context.Context, env *Env, args []string) error {
	fs := newFlags(env, "plan show", "plan show ID|FILE [--lang zh|en] [--json] [--plans-dir DIR]")
	dir := plansDirFlag(env, fs)
	lang := fs.String("lang", "zh", "language of the summary: zh or en")
	asJSON := fs.Bool("json", false, "print the whole plan as JSON")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("give one plan id or file")
	}
	if *lang != "zh" && *lang != "en" {
		return usagef("--lang must be zh or en")
	}
	reg, err := registry(*dir)
	if err != nil {
		return err
	}
	p, err := resolvePlan(reg, pos[0])
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(env, p)
	}
	return plan.WriteSummary(env.Stdout, p, *lang)
}

func planCheck(_ context.Context, env *Env, args []string) error {
	fs := newFlags(env, "plan check", "plan check FILE...")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usagef("give at least one plan file")
	}
	var failed []string
	for _, file := range pos {
		data, err := os.ReadFile(file)
		if err != nil {
			return usagef("cannot read plan file: %v", err)
		}
		p, err := plan.Parse(file, data)
		if err != nil {
			fmt.Fprintln(env.Stderr, err)
			failed = append(failed, file)
			continue
		}
		fmt.Fprintf(env.Stdout, "%s: ok (%s %s, %d grading clauses, %d reporting routes, %d response levels, %d playbooks)\n",
			file, p.ID, p.FullVersion(), len(p.Grading.Clauses), len(p.Reporting), len(p.ResponseLevels), len(p.Playbooks))
	}
	if len(failed) > 0 {
		return validationFailed(fmt.Sprintf("%d of %d plan files are invalid: %s", len(failed), len(pos), strings.Join(failed, ", ")))
	}
	return nil
}

func planDiff(_ context.Context, env *Env, args []string) error {
	fs := newFlags(env, "plan diff", "plan diff A B [--plans-dir DIR]   (A and B are plan ids or files)")
	dir := plansDirFlag(env, fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return usagef("give two plans to compare")
	}
	reg, err := registry(*dir)
	if err != nil {
		return err
	}
	a, err := resolvePlan(reg, pos[0])
	if err != nil {
		return err
	}
	b, err := resolvePlan(reg, pos[1])
	if err != nil {
		return err
	}
	changes := plan.Diff(a, b)
	fmt.Fprintf(env.Stdout, "--- %s (%s)\n+++ %s (%s)\n", a.ID, a.FullVersion(), b.ID, b.FullVersion())
	if len(changes) == 0 {
		fmt.Fprintln(env.Stdout, "no differences")
		return nil
	}
	for _, c := range changes {
		fmt.Fprintln(env.Stdout, c.String())
	}
	fmt.Fprintf(env.Stdout, "%d differences\n", len(changes))
	return nil
}

func planExport(_ context.Context, env *Env, args []string) error {
	fs := newFlags(env, "plan export", "plan export ID [-o FILE] [--plans-dir DIR]")
	dir := plansDirFlag(env, fs)
	out := fs.String("o", "", "write to `file` instead of standard output")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("give one plan id")
	}
	reg, err := registry(*dir)
	if err != nil {
		return err
	}
	p, err := reg.Get(pos[0])
	if err != nil {
		return err
	}
	if *out == "" {
		_, err = env.Stdout.Write(p.Raw())
		return err
	}
	if err := os.WriteFile(*out, p.Raw(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(env.Stderr, "wrote %s: give the copy an id of its own before loading it beside the built-in plans\n", *out)
	return nil
}

func writeJSON(env *Env, v any) error {
	enc := json.NewEncoder(env.Stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
