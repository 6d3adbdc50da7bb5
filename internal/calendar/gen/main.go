// Command gen builds the holiday table that package calendar embeds from the
// holiday-cn notice files (one <year>.json per State Council notice), and
// copies the project's licence beside it.
//
//	go run ./internal/calendar/gen -src internal/calendar/testdata/holiday-cn -out internal/calendar/holidays.json
//
// The table is committed: the binary must not need the source files, or any
// file, at run time.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"fenghuo/internal/calendar/holidaycn"
)

func main() {
	src := flag.String("src", "", "directory of holiday-cn files (<year>.json and LICENSE)")
	out := flag.String("out", "", "table to write, e.g. internal/calendar/holidays.json; the licence goes beside it as <name>.LICENSE")
	flag.Parse()
	if *src == "" || *out == "" || flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*src, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(src, out string) error {
	// Only <year>.json: the holiday-cn repository also has schema.json and
	// other tooling files that are not notices.
	files, err := filepath.Glob(filepath.Join(src, "[12][0-9][0-9][0-9].json"))
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return fmt.Errorf("no <year>.json files in %s", src)
	}
	var notices []*holidaycn.Notice
	for _, path := range files {
		n, err := decodeFile(path)
		if err != nil {
			return err
		}
		if want := strings.TrimSuffix(filepath.Base(path), ".json"); want != fmt.Sprint(n.Year) {
			return fmt.Errorf("%s: holds the notice for %d", path, n.Year)
		}
		// Kept, not dropped: the table mirrors its source exactly, and the
		// entry is harmless (the day is a working day either way).
		for _, d := range n.RedundantWorkdays() {
			fmt.Fprintf(os.Stderr, "gen: note: %s lists %s (%s), a weekday, as a working day; kept as in the source\n",
				filepath.Base(path), d.Date, d.Date.Weekday())
		}
		notices = append(notices, n)
	}

	var buf bytes.Buffer
	if err := holidaycn.WriteTable(&buf, notices); err != nil {
		return err
	}
	licence, err := os.ReadFile(filepath.Join(src, "LICENSE"))
	if err != nil {
		return fmt.Errorf("the holiday-cn licence must travel with its data: %w", err)
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		return err
	}
	licencePath := strings.TrimSuffix(out, filepath.Ext(out)) + ".LICENSE"
	if err := os.WriteFile(licencePath, licence, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "gen: wrote %s (%d notices, %d–%d) and %s\n",
		out, len(notices), notices[0].Year, notices[len(notices)-1].Year, licencePath)
	return nil
}

func decodeFile(path string) (*holidaycn.Notice, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	n, err := holidaycn.Decode(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return n, nil
}
