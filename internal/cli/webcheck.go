package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"fenghuo/internal/monitor"
	"fenghuo/internal/tamper"
)

const webcheckHelp = `Usage: fenghuo webcheck SUBCOMMAND [options]

Website tamper checks without a server (docs/tamper.md):
  learn OUT.json PAGE.html...                 build a baseline from benign snapshots
  check --baseline OUT.json [--spider S.html] PAGE.html
                                              judge a snapshot; prints {"verdict":…,"findings":[…]}
  url URL [--baseline OUT.json]               fetch a live page as a browser and as Baiduspider and judge it

--url gives the site's address when the snapshots are files, so that its own
host is known. The verdict is "clean" or "tampered"; the exit status is 0
either way (2 for usage errors, 1 when a page cannot be read).
`

func runWebcheck(ctx context.Context, env *Env, args []string) error {
	return subcommands(ctx, env, "webcheck", args, map[string]func(context.Context, *Env, []string) error{
		"learn": webcheckLearn,
		"check": webcheckCheck,
		"url":   webcheckURL,
	}, webcheckHelp)
}

func readPage(path, url string) (tamper.Page, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return tamper.Page{}, fmt.Errorf("cannot read %s: %w", path, err)
	}
	return tamper.Page{URL: url, HTML: b}, nil
}

func webcheckLearn(_ context.Context, env *Env, args []string) error {
	fs := newFlags(env, "webcheck learn", "webcheck learn OUT.json PAGE.html... [--url URL]")
	site := fs.String("url", "", "the page's `URL` (gives the site's own host)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) < 2 {
		return usagef("give the output file and at least one snapshot")
	}
	var pages []tamper.Page
	for _, p := range pos[1:] {
		pg, err := readPage(p, *site)
		if err != nil {
			return err
		}
		pages = append(pages, pg)
	}
	b, err := tamper.Learn(pages)
	if err != nil {
		return validationFailed(err.Error())
	}
	data, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(pos[0], append(data, '\n'), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(env.Stderr, "learned %s from %d snapshot(s)\n", pos[0], len(pages))
	return nil
}

func loadBaseline(path string) (*tamper.Baseline, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, usagef("cannot read the baseline: %v", err)
	}
	b := new(tamper.Baseline)
	if err := json.Unmarshal(data, b); err != nil {
		return nil, validationFailed(fmt.Sprintf("%s is not a baseline: %v", path, err))
	}
	return b, nil
}

func webcheckCheck(_ context.Context, env *Env, args []string) error {
	fs := newFlags(env, "webcheck check", "webcheck check --baseline OUT.json [--spider SPIDER.html] [--url URL] PAGE.html")
	basePath := fs.String("baseline", "", "baseline `file` from webcheck learn (required)")
	spiderPath := fs.String("spider", "", "the same URL as served to Baiduspider (`file`)")
	site := fs.String("url", "", "the page's `URL`")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("give one page to check")
	}
	if *basePath == "" {
		return usagef("--baseline is required")
	}
	b, err := loadBaseline(*basePath)
	if err != nil {
		return err
	}
	page, err := readPage(pos[0], *site)
	if err != nil {
		return err
	}
	var spider *tamper.Page
	if *spiderPath != "" {
		sp, err := readPage(*spiderPath, *site)
		if err != nil {
			return err
		}
		spider = &sp
	}
	return writeReport(env, tamper.Check(b, page, spider))
}

func writeReport(env *Env, r tamper.Report) error {
	if r.Findings == nil {
		r.Findings = []tamper.Finding{}
	}
	return writeJSON(env, r)
}

func webcheckURL(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "webcheck url", "webcheck url URL [--baseline OUT.json] [--timeout 15s]")
	basePath := fs.String("baseline", "", "baseline `file`; without one only baseline-free checks and cloaking run")
	timeout := fs.Duration("timeout", 15*time.Second, "per-request timeout")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("give one URL")
	}
	// The operator chose the URL on their own machine: loopback is theirs
	// to check (link-local and multicast stay refused).
	client := monitor.NewClient(*timeout, nil, true)
	browser := monitor.Fetch(ctx, client, pos[0], monitor.ProfileBrowser)
	if !browser.OK() {
		return fmt.Errorf("%s: %s", pos[0], browser.Describe())
	}
	spider := monitor.Fetch(ctx, client, pos[0], monitor.ProfileBaiduspider)
	page := tamper.Page{URL: pos[0], HTML: browser.Body}
	var spiderPage *tamper.Page
	if spider.OK() {
		spiderPage = &tamper.Page{URL: pos[0], HTML: spider.Body}
	}
	var b *tamper.Baseline
	if *basePath != "" {
		if b, err = loadBaseline(*basePath); err != nil {
			return err
		}
	} else if b, err = tamper.Learn([]tamper.Page{page}); err != nil {
		return err
	}
	report := tamper.Check(b, page, spiderPage)
	if *basePath == "" {
		report = monitor.MergeReports(tamper.Analyze(page), report)
	}
	return writeReport(env, report)
}
