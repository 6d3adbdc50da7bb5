package cli

import (
	"context"
	"fmt"
	"os"
	"strings"

	"fenghuo/internal/fenghuo"
	"fenghuo/internal/plan"
)

func runGrade(_ context.Context, env *Env, args []string) error {
	fs := newFlags(env, "grade", `grade --plan ID|FILE --facts JSON|@FILE [--category CODE] [--plans-dir DIR]

Grades incident facts under a plan and prints the grade, the warning colour,
every clause that matched and the reports that are due. Fact keys are listed
in docs/plans.md, e.g.
  fenghuo grade --plan wushen-county --facts '{"important_system":true,"outage_minutes":90,"people_affected":150000}'`)
	dir := plansDirFlag(env, fs)
	planRef := fs.String("plan", "", "plan `id` or file")
	factsArg := fs.String("facts", "", "incident facts as a JSON object, or @file.json (- for standard input)")
	category := fs.String("category", "", "incident category `code` in the plan's taxonomy (optional)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	if *planRef == "" {
		return usagef("--plan is required")
	}
	if *factsArg == "" {
		*factsArg = "{}"
	}
	data, err := readArg(env, *factsArg)
	if err != nil {
		return err
	}
	reg, err := registry(*dir)
	if err != nil {
		return err
	}
	p, err := resolvePlan(reg, *planRef)
	if err != nil {
		return err
	}
	facts, err := plan.ParseFacts(data)
	if err != nil {
		return err
	}
	res, err := p.Grade(facts, *category)
	if err != nil {
		return err
	}
	return writeJSON(env, res)
}

// readArg returns the argument itself, or the contents of the file it names
// with a leading @ ("@-" is standard input).
func readArg(env *Env, arg string) ([]byte, error) {
	name, ok := strings.CutPrefix(arg, "@")
	if !ok {
		return []byte(arg), nil
	}
	if name == "-" {
		var b strings.Builder
		buf := make([]byte, 32<<10)
		for {
			n, err := env.Stdin.Read(buf)
			b.Write(buf[:n])
			if err != nil {
				break
			}
		}
		return []byte(b.String()), nil
	}
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, usagef("cannot read %s: %v", name, err)
	}
	return data, nil
}

// validationFailed is an EINVALID error: exit status 2.
func validationFailed(msg string) error {
	return fenghuo.Errorf(fenghuo.EINVALID, "%s", msg)
}

var _ = fmt.Sprint
