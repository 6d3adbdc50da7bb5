package cli

import (
	"context"
	"flag"
	"fmt"
	"time"

	"fenghuo/internal/calendar"
)

const workdaysHelp = `Usage: fenghuo workdays SUBCOMMAND [options]

Subcommands:
  add --from YYYY-MM-DD --days N   print the date N working days after --from
  is YYYY-MM-DD                    print "workday" or "offday"

Working days follow the State Council holiday notices (调休 included) embedded
for the years listed by 'fenghuo workdays years'; add next year's notice with
--holidays-dir (see docs/calendar.md).
`

func runWorkdays(ctx context.Context, env *Env, args []string) error {
	return subcommands(ctx, env, "workdays", args, map[string]func(context.Context, *Env, []string) error{
		"add":   workdaysAdd,
		"is":    workdaysIs,
		"years": workdaysYears,
	}, workdaysHelp)
}

func holidaysDirFlag(env *Env, fs *flag.FlagSet) *string {
	return fs.String("holidays-dir", env.Getenv("FENGHUO_HOLIDAYS_DIR"), "`directory` of extra State Council notices (holiday-cn JSON)")
}

func loadCalendar(dir string) (*calendar.Calendar, error) {
	if dir == "" {
		return calendar.Default(), nil
	}
	c, err := calendar.LoadDir(dir)
	if err != nil {
		return nil, validationFailed(err.Error())
	}
	return c, nil
}

func parseDate(flagName, s string) (time.Time, error) {
	d, err := time.ParseInLocation("2006-01-02", s, calendar.Shanghai)
	if err != nil {
		return time.Time{}, usagef("%s: %q is not a date: use YYYY-MM-DD", flagName, s)
	}
	return d, nil
}

// warnUncovered tells the user when a date lies outside the years whose
// notices are known: only weekends and 元旦, 劳动节 and 国庆节 are off there.
func warnUncovered(env *Env, c *calendar.Calendar, dates ...time.Time) {
	for _, d := range dates {
		if !c.Covers(d.Year()) {
			first, last := c.Years()
			fmt.Fprintf(env.Stderr, "warning: no State Council notice for %d is loaded (known: %d–%d); only weekends and the fixed-date holidays (元旦, 劳动节 1–2 May, 国庆节 1–3 Oct) count as days off in that year\n", d.Year(), first, last)
			return
		}
	}
}

func workdaysAdd(_ context.Context, env *Env, args []string) error {
	fs := newFlags(env, "workdays add", "workdays add --from YYYY-MM-DD --days N [--holidays-dir DIR]")
	from := fs.String("from", "", "start `date` (not counted)")
	days := fs.Int("days", -1, "number of working days")
	dir := holidaysDirFlag(env, fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	if *from == "" {
		return usagef("--from is required")
	}
	if *days < 0 || *days > 100000 {
		return usagef("--days must be a whole number from 0 to 100000")
	}
	start, err := parseDate("--from", *from)
	if err != nil {
		return err
	}
	cal, err := loadCalendar(*dir)
	if err != nil {
		return err
	}
	end := cal.AddWorkdays(start, *days)
	warnUncovered(env, cal, start, end)
	fmt.Fprintln(env.Stdout, end.Format("2006-01-02"))
	return nil
}

func workdaysIs(_ context.Context, env *Env, args []string) error {
	fs := newFlags(env, "workdays is", "workdays is YYYY-MM-DD [--verbose] [--holidays-dir DIR]")
	verbose := fs.Bool("verbose", false, "also print the holiday name or the adjusted working day")
	dir := holidaysDirFlag(env, fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("give one date")
	}
	day, err := parseDate("date", pos[0])
	if err != nil {
		return err
	}
	cal, err := loadCalendar(*dir)
	if err != nil {
		return err
	}
	warnUncovered(env, cal, day)
	info := cal.DayInfo(day)
	word := "offday"
	if info.Workday {
		word = "workday"
	}
	if !*verbose {
		fmt.Fprintln(env.Stdout, word)
		return nil
	}
	detail := ""
	switch {
	case info.Holiday != "" && info.Adjusted:
		detail = " (" + info.Holiday + " 调休上班 adjusted working day)"
	case info.Holiday != "":
		detail = " (" + info.Holiday + ")"
	}
	fmt.Fprintln(env.Stdout, word+detail)
	return nil
}

func workdaysYears(_ context.Context, env *Env, args []string) error {
	fs := newFlags(env, "workdays years", "workdays years [--holidays-dir DIR]")
	dir := holidaysDirFlag(env, fs)
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	cal, err := loadCalendar(*dir)
	if err != nil {
		return err
	}
	first, last := cal.Years()
	fmt.Fprintf(env.Stdout, "%d–%d\n", first, last)
	return nil
}
