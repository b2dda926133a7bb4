// Command portal is the regional health and care careers portal: one
// binary whose subcommands serve the site, migrate, seed and reindex.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/regionalcareers/portal/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
