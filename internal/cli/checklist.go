package cli

import (
	"context"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"fenghuo/internal/checklist"
)

const checklistHelp = `Usage: fenghuo checklist SUBCOMMAND [options]

Subcommands:
  list              list the built-in inspection checklists
  show ID|FILE      every item: what to check, category, severity, how to verify, what evidence,
                    and the clause it quotes
  check FILE...     validate checklist files; every problem is reported with file, line and key

Offices upload their own checklists as versions in the console (检查表); see docs/checklists.md.
`

func runChecklist(ctx context.Context, env *Env, args []string) error {
	return subcommands(ctx, env, "checklist", args, map[string]func(context.Context, *Env, []string) error{
		"list":  checklistList,
		"show":  checklistShow,
		"check": checklistCheck,
	}, checklistHelp)
}

func checklistList(_ context.Context, env *Env, args []string) error {
	fs := newFlags(env, "checklist list", "checklist list [--json]")
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	cs := checklist.Builtin()
	if *asJSON {
		type row struct {
			ID      string `json:"id"`
			Version string `json:"version"`
			Title   string `json:"title"`
			TitleEN string `json:"title_en,omitempty"`
			Items   int    `json:"items"`
			Source  string `json:"source"`
		}
		var rows []row
		for _, c := range cs {
			rows = append(rows, row{c.ID, c.FullVersion(), c.Title.ZH, c.Title.EN, len(c.Items), c.Source})
		}
		return writeJSON(env, rows)
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tVERSION\tITEMS\tTITLE")
	for _, c := range cs {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\n", c.ID, c.FullVersion(), len(c.Items), c.Title.ZH)
	}
	return tw.Flush()
}

func checklistShow(_ context.Context, env *Env, args []string) error {
	fs := newFlags(env, "checklist show", "checklist show ID|FILE [--lang zh|en] [--json]")
	lang := fs.String("lang", "zh", "language: zh or en")
	asJSON := fs.Bool("json", false, "print the checklist as JSON")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("give one checklist id or file")
	}
	if *lang != "zh" && *lang != "en" {
		return usagef("--lang must be zh or en")
	}
	var c *checklist.Checklist
	if looksLikeFile(pos[0]) && !checklist.IsBuiltin(pos[0]) {
		data, err := os.ReadFile(pos[0])
		if err != nil {
			return usagef("cannot read checklist file: %v", err)
		}
		if c, err = checklist.Parse(pos[0], data); err != nil {
			return err
		}
	} else if c, err = checklist.BuiltinChecklist(pos[0]); err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(env, c)
	}
	pick := func(t checklist.Text) string {
		if *lang == "en" && t.EN != "" {
			return t.EN
		}
		return t.ZH
	}
	w := env.Stdout
	fmt.Fprintf(w, "%s  %s (%s)\n", c.ID, pick(c.Title), c.FullVersion())
	if c.Source != "" {
		fmt.Fprintf(w, "%s %s\n", map[string]string{"zh": "来源：", "en": "Source:"}[*lang], c.Source)
	}
	labels := map[string][4]string{"zh": {"怎样核查", "需要的证据", "条款", "原文"}, "en": {"verify", "evidence", "clause", "quote"}}[*lang]
	for i, it := range c.Items {
		fmt.Fprintf(w, "\n%d. %s  [%s · %s]\n", i+1, pick(it.Text), pick(checklist.CategoryWords(it.Category)), it.Severity)
		fmt.Fprintf(w, "   %s: %s\n   %s: %s\n", labels[0], pick(it.Verify), labels[1], pick(it.Evidence))
		if it.EvidenceFile {
			fmt.Fprintf(w, "   %s\n", map[string]string{"zh": "（符合时须上传文件）", "en": "(a compliant answer uploads it as a file)"}[*lang])
		}
		if it.Clause != "" {
			fmt.Fprintf(w, "   %s %s: %s\n", labels[2], it.Clause, it.Quote)
		}
		fmt.Fprintf(w, "   id: %s\n", it.ID)
	}
	return nil
}

func checklistCheck(_ context.Context, env *Env, args []string) error {
	fs := newFlags(env, "checklist check", "checklist check FILE...")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usagef("give at least one checklist file")
	}
	var failed []string
	for _, file := range pos {
		data, err := os.ReadFile(file)
		if err != nil {
			return usagef("cannot read checklist file: %v", err)
		}
		c, err := checklist.Parse(file, data)
		if err != nil {
			fmt.Fprintln(env.Stderr, err)
			failed = append(failed, file)
			continue
		}
		fmt.Fprintf(env.Stdout, "%s: ok (%s %s, %d items)\n", file, c.ID, c.FullVersion(), len(c.Items))
	}
	if len(failed) > 0 {
		return validationFailed(fmt.Sprintf("%d of %d checklist files are invalid: %s", len(failed), len(pos), strings.Join(failed, ", ")))
	}
	return nil
}
