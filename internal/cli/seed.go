package cli

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/regionalcareers/portal/internal/accounts"
	"github.com/regionalcareers/portal/internal/applications"
	"github.com/regionalcareers/portal/internal/demo"
	"github.com/regionalcareers/portal/internal/mail"
	"github.com/regionalcareers/portal/internal/outbox"
	"github.com/regionalcareers/portal/internal/pages"
)

func runSeed(ctx context.Context, e *env, args []string) error {
	fs := e.flags("seed", "seed --demo [--force] | seed --synthetic N [--random-seed S]")
	demoData := fs.Bool("demo", false, "write the demo consortium: partners and 600+ vacancies (a no-op when already there)")
	force := fs.Bool("force", false, "with --demo: write the demo data again even if it is there (upserts, never duplicates)")
	synthetic := fs.Int("synthetic", 0, "write N synthetic vacancies, for benchmarks")
	randomSeed := fs.Int64("random-seed", 1, "with --synthetic: the seed that makes the data repeatable")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *demoData == (*synthetic > 0) {
		fmt.Fprintln(fs.Output(), "choose one of --demo or --synthetic N (N > 0)")
		fs.Usage()
		return errUsage
	}
	st, err := e.open(ctx, outbox.NewInsertOnly)
	if err != nil {
		return err
	}
	defer st.pool.Close()
	start, today := time.Now(), time.Now()
	if *demoData {
		sum, err := demo.Seed(ctx, st.partners, st.vacancies, today, *force)
		if err != nil {
			return err
		}
		if sum.Skipped {
			fmt.Fprintln(e.stdout, "demo data is already there (use --force to write it again)")
		} else {
			fmt.Fprintf(e.stdout, "wrote %d partners and %d vacancies in %s\n", sum.Partners, sum.Vacancies, time.Since(start).Round(time.Millisecond))
		}
		ob, err := outbox.NewInsertOnly(st.pool)
		if err != nil {
			return err
		}
		apps := applications.NewStore(st.pool, applications.Mailer{Sender: mail.NewSender(e.cfg), BaseURL: e.cfg.BaseURL, Logger: e.logger})
		if err := demo.SeedApplying(ctx, st.partners, st.vacancies, apps); err != nil {
			return err
		}
		sumPages, err := importContent(ctx, e, pages.NewStore(st.pool, ob))
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "content pages: %d new, %d updated, %d unchanged, %d kept as an editor left them\n",
			sumPages.Created, sumPages.Updated, sumPages.Unchanged, len(sumPages.KeptEdited))
		return seedDemoAccounts(ctx, e, st)
	}
	sum, err := demo.Synthetic(ctx, st.partners, st.vacancies, today, *synthetic, *randomSeed)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "wrote %d synthetic vacancies in %s\n", sum.Vacancies, time.Since(start).Round(time.Millisecond))
	return nil
}

// seedDemoAccounts gives a developer one account of each kind to sign in
// with. Never in production: there the first admin comes from
// `portal users create-admin`.
func seedDemoAccounts(ctx context.Context, e *env, st *stores) error {
	if e.cfg.Production() {
		return nil
	}
	password, said := os.Getenv("PORTAL_DEMO_PASSWORD"), "the one in PORTAL_DEMO_PASSWORD"
	if password == "" {
		password, said = demo.DevPassword, fmt.Sprintf("%q", demo.DevPassword)
	}
	list, err := demo.SeedAccounts(ctx, accounts.NewStore(st.pool), st.partners, password)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "demo accounts, password %s:\n", said)
	for _, a := range list {
		fmt.Fprintf(e.stdout, "  %-32s %s\n", a.Email, a.Role)
	}
	return nil
}
