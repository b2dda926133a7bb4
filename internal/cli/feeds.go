package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/regionalcareers/portal/internal/feeds"
	"github.com/regionalcareers/portal/internal/feeds/formats"
	"github.com/regionalcareers/portal/internal/geo"
	"github.com/regionalcareers/portal/internal/outbox"
)

func runFeeds(ctx context.Context, e *env, args []string) error {
	return subcommands(ctx, e, "feeds", args, []command{
		{"add", "add a partner's feed; prints its id", runFeedsAdd},
		{"list", "list feeds with their last run", runFeedsList},
		{"show", "show a feed's last runs and the items they rejected", runFeedsShow},
		{"run", "pull one feed now (ID) or every feed (--all)", runFeedsRun},
		{"remove", "remove a feed and close the roles only it listed", runFeedsRemove},
	})
}

func runFeedsAdd(ctx context.Context, e *env, args []string) error {
	fs := e.flags("feeds add", "feeds add --partner SLUG --format "+strings.Join(feeds.Formats, "|")+
		" --url URL [--mapping FILE] [--every 1h] [--auth-header NAME --auth-env VAR]")
	partner := fs.String("partner", "", "the partner's slug (portal partners list)")
	format := fs.String("format", "", "the feed's format: "+strings.Join(feeds.Formats, ", "))
	feedURL := fs.String("url", "", "where the feed is: https://..., http://... or file:///path")
	mappingFile := fs.String("mapping", "", "a YAML or JSON file: column mapping (CSV, JSON), word mappings and defaults")
	every := fs.Duration("every", time.Hour, "how often to pull the feed")
	authHeader := fs.String("auth-header", "", "a header the feed needs, e.g. Authorization")
	authEnv := fs.String("auth-env", "", "the environment variable that holds that header's value")
	if err := parse(fs, args); err != nil {
		return err
	}
	feed := feeds.Feed{URL: *feedURL, Format: *format, Every: *every, AuthHeader: *authHeader, AuthEnv: *authEnv}
	if *mappingFile != "" {
		m, err := readMapping(*mappingFile)
		if err != nil {
			return err
		}
		feed.Mapping = m
	}
	st, err := e.open(ctx, outbox.NewInsertOnly)
	if err != nil {
		return err
	}
	defer st.pool.Close()
	p, err := st.partners.BySlug(ctx, *partner)
	if err != nil {
		return fmt.Errorf("no partner with slug %q (portal partners list shows them)", *partner)
	}
	feed.PartnerID = p.ID
	id, err := feeds.NewStore(st.pool).Add(ctx, feed)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, id)
	return nil
}

// readMapping reads a mapping file; YAML is a superset of JSON, so both work.
func readMapping(path string) (formats.Mapping, error) {
	var m formats.Mapping
	raw, err := os.ReadFile(path)
	if err != nil {
		return m, fmt.Errorf("read mapping: %w", err)
	}
	var generic map[string]any
	if err := yaml.Unmarshal(raw, &generic); err != nil {
		return m, fmt.Errorf("mapping %s: %w", path, err)
	}
	asJSON, err := json.Marshal(generic)
	if err != nil {
		return m, fmt.Errorf("mapping %s: %w", path, err)
	}
	dec := json.NewDecoder(strings.NewReader(string(asJSON)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return m, fmt.Errorf("mapping %s: %w (known keys: fields, staff_groups, contracts, patterns, defaults, delimiter)", path, err)
	}
	return m, nil
}

func runFeedsList(ctx context.Context, e *env, args []string) error {
	if err := parse(e.flags("feeds list", "feeds list"), args); err != nil {
		return err
	}
	st, err := e.open(ctx, outbox.NewInsertOnly)
	if err != nil {
		return err
	}
	defer st.pool.Close()
	list, err := feeds.NewStore(st.pool).List(ctx)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tPARTNER\tFORMAT\tEVERY\tLAST RUN\tURL")
	for _, f := range list {
		last := "never"
		if f.LastRun != nil {
			last = f.LastRun.StartedAt.Format("2006-01-02 15:04") + " " + f.LastRun.Status
		}
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\n", f.ID, f.PartnerSlug, f.Format, f.Every, last, f.URL)
	}
	return w.Flush()
}

// feedID reads the one argument, a feed id.
func feedID(fs *flag.FlagSet) (int64, error) {
	args := fs.Args()
	if len(args) != 1 {
		fs.Usage()
		return 0, errUsage
	}
	id, err := strconv.ParseInt(args[0], 10, 64)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("%q is not a feed id (portal feeds list shows them)", args[0])
	}
	return id, nil
}

// openFeed parses a command whose one argument is a feed id and opens the
// stores.
func openFeed(ctx context.Context, e *env, name string, args []string) (int64, *stores, error) {
	fs := e.flags("feeds "+name, "feeds "+name+" ID")
	if err := fs.Parse(args); err != nil {
		return 0, nil, err
	}
	id, err := feedID(fs)
	if err != nil {
		return 0, nil, err
	}
	st, err := e.open(ctx, outbox.NewInsertOnly)
	return id, st, err
}

func runFeedsShow(ctx context.Context, e *env, args []string) error {
	id, st, err := openFeed(ctx, e, "show", args)
	if err != nil {
		return err
	}
	defer st.pool.Close()
	store := feeds.NewStore(st.pool)
	f, err := store.Get(ctx, id)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Feed %d: %s, %s every %s\n%s\n", f.ID, f.PartnerName, f.Format, f.Every, f.URL)
	runs, err := store.Runs(ctx, id, 10)
	if err != nil {
		return err
	}
	if len(runs) == 0 {
		fmt.Fprintln(e.stdout, "\nNo runs yet: portal feeds run", id)
		return nil
	}
	fmt.Fprintln(e.stdout, "\nLast runs:")
	w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "STARTED\tSTATUS\tBYTES\tNEW\tUPDATED\tUNCHANGED\tCLOSED\tREJECTED\tERROR")
	for _, r := range runs {
		fmt.Fprintf(w, "%s\t%s\t%d\t%d\t%d\t%d\t%d\t%d\t%s\n", r.StartedAt.Format("2006-01-02 15:04:05"), r.Status,
			r.FetchedBytes, r.Created, r.Updated, r.Unchanged, r.Closed, r.Rejected, r.Error)
	}
	w.Flush()
	for _, r := range runs {
		if r.Status == "succeeded" {
			rejections, err := store.Rejections(ctx, r.ID)
			if err != nil {
				return err
			}
			if len(rejections) > 0 {
				fmt.Fprintf(e.stdout, "\nRejected by the run of %s:\n", r.StartedAt.Format("2006-01-02 15:04"))
				for _, rj := range rejections {
					fmt.Fprintf(e.stdout, "  item %d %s: %s\n", rj.Position, rj.Reference, rj.Reason)
				}
			}
			break
		}
	}
	return nil
}

func runFeedsRun(ctx context.Context, e *env, args []string) error {
	fs := e.flags("feeds run", "feeds run ID | feeds run --all")
	all := fs.Bool("all", false, "pull every feed")
	if err := fs.Parse(args); err != nil {
		return err
	}
	st, err := e.open(ctx, outbox.NewInsertOnly)
	if err != nil {
		return err
	}
	defer st.pool.Close()
	runner := feeds.NewRunner(st.pool, st.vacancies, geo.Default(), e.logger)
	var ids []int64
	if *all {
		list, err := runner.Feeds.List(ctx)
		if err != nil {
			return err
		}
		for _, f := range list {
			ids = append(ids, f.ID)
		}
	} else {
		id, err := feedID(fs)
		if err != nil {
			return err
		}
		ids = []int64{id}
	}
	var failed []string
	for _, id := range ids {
		run, err := runner.Run(ctx, id, progressPrinter(e))
		if run.ID != 0 {
			printRun(e, id, run)
		}
		if err != nil {
			failed = append(failed, fmt.Sprintf("feed %d: %s", id, oneLine(err)))
		}
	}
	if len(failed) > 0 {
		return errors.New(strings.Join(failed, "; "))
	}
	return nil
}

// progressPrinter shows items and bytes on one updating line when stderr
// is a terminal, and stays quiet otherwise (logs, CI).
func progressPrinter(e *env) feeds.Progress {
	f, ok := e.stderr.(*os.File)
	if !ok {
		return nil
	}
	if info, err := f.Stat(); err != nil || info.Mode()&os.ModeCharDevice == 0 {
		return nil
	}
	last := time.Time{}
	return func(items int, bytes int64) {
		if time.Since(last) < 200*time.Millisecond {
			return
		}
		last = time.Now()
		fmt.Fprintf(f, "\r%d items, %.1f MB read", items, float64(bytes)/(1<<20))
	}
}

func printRun(e *env, id int64, r feeds.Run) {
	if f, ok := e.stderr.(*os.File); ok {
		fmt.Fprint(f, "\r\033[K")
	}
	took := ""
	if r.FinishedAt != nil {
		took = " in " + r.FinishedAt.Sub(r.StartedAt).Round(time.Millisecond).String()
	}
	fmt.Fprintf(e.stdout, "feed %d: %s%s: %d items, %d new, %d updated, %d unchanged, %d closed, %d rejected, %d bytes\n",
		id, r.Status, took, r.Items, r.Created, r.Updated, r.Unchanged, r.Closed, r.Rejected, r.FetchedBytes)
}

func runFeedsRemove(ctx context.Context, e *env, args []string) error {
	id, st, err := openFeed(ctx, e, "remove", args)
	if err != nil {
		return err
	}
	defer st.pool.Close()
	closed, err := feeds.NewStore(st.pool).Remove(ctx, id, st.vacancies)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "removed feed %d and closed %d roles only it listed\n", id, closed)
	return nil
}
