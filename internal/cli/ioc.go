package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"fenghuo/internal/ingest"
	"fenghuo/internal/ingest/ioc"
)

const iocHelp = `Usage: fenghuo ioc SUBCOMMAND [options]

Subcommands:
  match --stix BUNDLE.json [--misp EVENT.json] EVENTS.jsonl
        print one JSON line per indicator found in an event:
        {"event":N,"indicator":"indicator--…","value":"…"} (N is the event's
        line number, from 1; "-" reads the events from standard input)
`

func runIOC(ctx context.Context, env *Env, args []string) error {
	return subcommands(ctx, env, "ioc", args, map[string]func(context.Context, *Env, []string) error{
		"match": iocMatch,
	}, iocHelp)
}

// maxIOCDocument bounds a bundle or event read by the CLI.
const maxIOCDocument = 256 << 20

func iocMatch(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "ioc match", `ioc match --stix BUNDLE.json [--misp EVENT.json] [--at TIME] EVENTS.jsonl

Reads indicators from a STIX 2.1 bundle and/or a MISP event and events as
JSON lines (nested objects are read as dotted ECS field names: source.ip,
url.domain, dns.question.name, file.hash.sha256 …), and prints one JSON line
per indicator found in an event. Indicators the readers cannot represent are
listed on standard error with their ids.`)
	var stixFiles, mispFiles []string
	fs.Func("stix", "STIX 2.1 bundle `file` (repeatable)", func(s string) error { stixFiles = append(stixFiles, s); return nil })
	fs.Func("misp", "MISP event JSON `file` (repeatable)", func(s string) error { mispFiles = append(mispFiles, s); return nil })
	at := fs.String("at", "", "match as of this RFC 3339 `time` (default now): indicators outside their validity do not match")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(stixFiles)+len(mispFiles) == 0 {
		return usagef("--stix or --misp is required")
	}
	if len(pos) != 1 {
		return usagef("give one events file (JSON lines, - for standard input)")
	}
	now := time.Now()
	if *at != "" {
		if now, err = time.Parse(time.RFC3339, *at); err != nil {
			return usagef("--at: %q is not an RFC 3339 time", *at)
		}
	}
	var inds []ioc.Indicator
	read := func(file string, f func([]byte, ioc.TLP) (*ioc.Batch, error)) error {
		data, err := readBounded(file)
		if err != nil {
			return err
		}
		b, err := f(data, ioc.TLPClear)
		if err != nil {
			return validationFailed(fmt.Sprintf("%s: %v", file, err))
		}
		for _, p := range b.Skipped {
			fmt.Fprintf(env.Stderr, "%s: skipped %s: %s\n", file, p.Object, p.Reason)
		}
		inds = append(inds, b.Indicators...)
		return nil
	}
	for _, f := range stixFiles {
		if err := read(f, ioc.ReadSTIX); err != nil {
			return err
		}
	}
	for _, f := range mispFiles {
		if err := read(f, ioc.ReadMISP); err != nil {
			return err
		}
	}
	m := ioc.NewMatcher(inds, ioc.MatcherOptions{Now: func() time.Time { return now }})
	var in io.Reader = env.Stdin
	if pos[0] != "-" {
		f, err := os.Open(pos[0])
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	}
	out := bufio.NewWriter(env.Stdout)
	defer out.Flush()
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		ev, err := ingest.DecodeJSONEvent(line, time.Now())
		if err != nil {
			fmt.Fprintf(env.Stderr, "line %d: %v\n", n, err)
			continue
		}
		for _, match := range m.Detect(ctx, ingest.Source{}, &ev) {
			b, _ := json.Marshal(struct {
				Event     int    `json:"event"`
				Indicator string `json:"indicator"`
				Value     string `json:"value"`
			}{n, match.RuleID, match.Entity})
			out.Write(append(b, '\n'))
		}
	}
	return sc.Err()
}

func readBounded(file string) ([]byte, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxIOCDocument+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxIOCDocument {
		return nil, validationFailed(fmt.Sprintf("%s is larger than %d MiB", file, maxIOCDocument>>20))
	}
	return data, nil
}
