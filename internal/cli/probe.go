package cli

import (
	"context"
	"errors"
	"fenghuo/internal/app/account"
	"fenghuo/internal/app/exposure"
	"fenghuo/internal/config"
	"fenghuo/internal/monitor"
	"flag"
	"fmt"
	"time"
)

const probeHelp = `Usage:
  fenghuo probe --server URL --token TOKEN [--interval 60s] [--once]
      run a remote probe: check the sites the server assigns and the exposure checks it hands out
      (TCP connects to registered addresses only), from this network, and report back
  fenghuo probe register --name NAME [--network LABEL] [--data-dir DIR]
      on the server: register a probe and print its token once

A monitor whose agreement is 2 or more starts an outage only when that many
vantage points (the server and its probes) see the site fail. An office's
exposure policy that names the probe has it check registered addresses for
high-risk ports open from its network.
`

func runProbe(ctx context.Context, env *Env, args []string) error {
	if len(args) > 0 && args[0] == "register" {
		return probeRegister(ctx, env, args[1:])
	}
	fs := newFlags(env, "probe", probeHelp)
	server := fs.String("server", "", "the Fenghuo server's `URL`")
	token := fs.String("token", env.Getenv("FENGHUO_PROBE_TOKEN"), "the probe's `token` (or $FENGHUO_PROBE_TOKEN)")
	interval := fs.Duration("interval", time.Minute, "how often to run the assigned checks")
	once := fs.Bool("once", false, "run one round and exit")
	allowLoopback := fs.Bool("allow-loopback", false, "let website checks reach this machine's own addresses (refused by default, like link-local and multicast)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	if *server == "" || *token == "" {
		return usagef("--server and --token are required")
	}
	if *interval < 10*time.Second {
		return usagef("--interval must be at least 10s")
	}
	log := newLogger(env, config.Defaults())
	// Website checks and exposure checks run side by side; with --once,
	// one round of each.
	xp := exposure.NewProbeClient(*server, *token, log)
	xerr := make(chan error, 1)
	go func() { xerr <- xp.RunProbe(ctx, *interval, *once) }()
	err = monitor.RunProbe(ctx, *server, *token, *interval, *once, monitor.NewClient(15*time.Second, nil, *allowLoopback), log)
	return errors.Join(err, <-xerr)
}

func probeRegister(ctx context.Context, env *Env, args []string) error {
	var name, network string
	cfg, pos, err := loadDataConfig(env, "probe register", "probe register --name NAME [--network LABEL] [--data-dir DIR]", args, func(fs *flag.FlagSet) {
		fs.StringVar(&name, "name", "", "the probe's `name`")
		fs.StringVar(&network, "network", "", "which network it watches from (e.g. 电信, 联通, 政务外网)")
	})
	if err != nil {
		return err
	}
	if len(pos) > 0 || name == "" {
		return usagef("give --name")
	}
	a, closeApp, err := openApp(ctx, cfg, newLogger(env, cfg))
	if err != nil {
		return err
	}
	defer closeApp()
	p, token, err := a.Monitoring.RegisterProbe(ctx, account.CLIActor(), name, network)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Probe %s registered (id %d). Token (shown only now): %s\n", name, p.ID, token)
	return nil
}
