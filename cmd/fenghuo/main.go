// Command fenghuo runs the Fenghuo platform: the console, the API, the
// schedulers, the monitors and the command-line tools.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"fenghuo/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
