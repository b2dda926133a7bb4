package cli

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/regionalcareers/portal/internal/outbox"
	"github.com/regionalcareers/portal/internal/partners"
)

func runPartners(ctx context.Context, e *env, args []string) error {
	return subcommands(ctx, e, "partners", args, []command{
		{"add", "add a partner (an employer)", runPartnersAdd},
		{"list", "list partners with their live vacancy counts", runPartnersList},
	})
}

// subcommands runs the sub-command named first in args.
func subcommands(ctx context.Context, e *env, group string, args []string, subs []command) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintf(e.stderr, "Usage: portal %s COMMAND [flags]\n\nCommands:\n", group)
		for _, sub := range subs {
			fmt.Fprintf(e.stderr, "  %-8s %s\n", sub.name, sub.summary)
		}
		if len(args) == 0 {
			return errUsage
		}
		return nil
	}
	for _, sub := range subs {
		if sub.name == args[0] {
			return sub.run(ctx, e, args[1:])
		}
	}
	return fmt.Errorf("unknown command %q (run portal %s --help)", args[0], group)
}

func runPartnersAdd(ctx context.Context, e *env, args []string) error {
	var types []string
	for _, t := range partners.Types {
		types = append(types, string(t))
	}
	fs := e.flags("partners add", "partners add --name NAME --type TYPE [--slug SLUG] [--website URL] [--about TEXT]")
	name := fs.String("name", "", "the organisation's name")
	typ := fs.String("type", "", "one of "+strings.Join(types, ", "))
	slug := fs.String("slug", "", "the URL slug (default: made from the name)")
	website := fs.String("website", "", "the organisation's website, https://...")
	about := fs.String("about", "", "a paragraph about the organisation")
	if err := parse(fs, args); err != nil {
		return err
	}
	p := partners.Partner{Name: *name, Type: partners.Type(*typ), Slug: *slug, Website: *website, About: *about}
	if p.Slug == "" {
		p.Slug = partners.Slugify(p.Name)
	}
	if errs := p.Validate(); len(errs) > 0 {
		return fmt.Errorf("%s", firstMessage(errs, "name", "type", "slug", "website"))
	}
	st, err := e.open(ctx, outbox.NewInsertOnly)
	if err != nil {
		return err
	}
	defer st.pool.Close()
	id, err := st.partners.Upsert(ctx, p)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "partner %d: %s (%s)\n", id, p.Name, p.Slug)
	return nil
}

func runPartnersList(ctx context.Context, e *env, args []string) error {
	if err := parse(e.flags("partners list", "partners list"), args); err != nil {
		return err
	}
	st, err := e.open(ctx, outbox.NewInsertOnly)
	if err != nil {
		return err
	}
	defer st.pool.Close()
	list, err := st.partners.ListActive(ctx)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "SLUG\tTYPE\tLIVE\tNAME")
	for _, p := range list {
		fmt.Fprintf(w, "%s\t%s\t%d\t%s\n", p.Slug, p.Type, p.LiveCount, p.Name)
	}
	return w.Flush()
}

// firstMessage returns the message of the first field in order that has one.
func firstMessage(errs map[string]string, order ...string) string {
	for _, f := range order {
		if msg, ok := errs[f]; ok {
			return msg
		}
	}
	for _, msg := range errs {
		return msg
	}
	return ""
}
