// Package cli holds the portal binary's subcommands: parsing flags,
// wiring dependencies and reporting in one line when something fails. It
// must not hold domain rules; it calls the packages that own them.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/regionalcareers/portal/internal/config"
	"github.com/regionalcareers/portal/internal/db"
	"github.com/regionalcareers/portal/internal/outbox"
	"github.com/regionalcareers/portal/internal/partners"
	"github.com/regionalcareers/portal/internal/vacancies"
)

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env *env, args []string) error
}

func commands() []command {
	return []command{
		{"serve", "serve the site and run background jobs", runServe},
		{"migrate", "create the database if missing and apply migrations", runMigrate},
		{"seed", "write demo data (--demo) or synthetic vacancies (--synthetic N)", runSeed},
		{"reindex", "rebuild the search indexes (vacancies, pages) from PostgreSQL and swap them in", runReindex},
		{"partners", "add and list partners (employers)", runPartners},
		{"feeds", "add, list, show, run and remove partners' vacancy feeds", runFeeds},
		{"users", "create the first system admin", runUsers},
		{"config", "print the effective configuration, secrets masked", runConfig},
	}
}

// env is what every command gets.
type env struct {
	cfg    config.Config
	stdout io.Writer
	stderr io.Writer
	logger *slog.Logger
}

// errUsage marks a usage error already explained by the flag package.
var errUsage = errors.New("usage")

// Run runs the subcommand named in args and returns the exit code.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, cmd := range commands() {
		if cmd.name != args[0] {
			continue
		}
		cfg, err := config.FromEnv()
		if err != nil {
			fmt.Fprintf(stderr, "portal %s: configuration: %s\n", cmd.name, oneLine(err))
			return 1
		}
		logger := slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: cfg.LogLevel}))
		err = cmd.run(ctx, &env{cfg: cfg, stdout: stdout, stderr: stderr, logger: logger}, args[1:])
		switch {
		case errors.Is(err, flag.ErrHelp):
			return 0
		case errors.Is(err, errUsage):
			return 2
		case err != nil:
			fmt.Fprintf(stderr, "portal %s: %s\n", cmd.name, oneLine(err))
			return 1
		}
		return 0
	}
	fmt.Fprintf(stderr, "portal: unknown command %q (run portal --help)\n", args[0])
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: portal COMMAND [flags]\n\nCommands:")
	for _, cmd := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", cmd.name, cmd.summary)
	}
	fmt.Fprintln(w, "\nRun portal COMMAND --help for a command's flags. Configuration comes from environment\n"+
		"variables; portal config prints them.")
}

// flags returns a FlagSet whose errors and help go to env's streams.
func (e *env) flags(name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: portal %s\n\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return errUsage
	}
	return nil
}

// stores opens the database and the domain stores on it.
type stores struct {
	pool      *pgxpool.Pool
	partners  *partners.Store
	vacancies *vacancies.Store
}

func (e *env) open(ctx context.Context, ob func(*pgxpool.Pool) (*outbox.Outbox, error)) (*stores, error) {
	pool, err := db.Open(ctx, e.cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	out, err := ob(pool)
	if err != nil {
		pool.Close()
		return nil, err
	}
	return &stores{pool: pool, partners: partners.NewStore(pool, out), vacancies: vacancies.NewStore(pool, out)}, nil
}

func oneLine(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}

func runConfig(_ context.Context, e *env, args []string) error {
	if err := parse(e.flags("config", "config"), args); err != nil {
		return err
	}
	for _, kv := range e.cfg.Printable() {
		fmt.Fprintf(e.stdout, "%-20s %s\n", kv[0], kv[1])
	}
	return nil
}

func runMigrate(ctx context.Context, e *env, args []string) error {
	if err := parse(e.flags("migrate", "migrate"), args); err != nil {
		return err
	}
	created, err := db.EnsureDatabase(ctx, e.cfg.DatabaseURL)
	if err != nil {
		return err
	}
	if created {
		fmt.Fprintln(e.stdout, "created the database")
	}
	pool, err := db.Open(ctx, e.cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	if err := db.Migrate(ctx, pool); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, "database is up to date")
	return nil
}
